"""The typed, immutable domain every stage after `model` works with."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    NATIONAL = "trung-uong"
    PROVINCE = "tinh"
    COMMUNE = "xa"


class Role(StrEnum):
    """What a task asks of an agency it names; the values are URL fragments (#chu-tri)."""

    LEAD = "chu-tri"
    SUPPORT = "phoi-hop"


class Metric(StrEnum):
    """The figures plans set that the portal compares side by side (`figures:` in a plan)."""

    TRUST_FUND_GROWTH = "von-uy-thac-tang-truong"
    TRUST_FUND_2030 = "von-uy-thac-2030"


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str
    level: Level
    parent: str | None


@dataclass(frozen=True)
class Member:
    """An agency that belongs to a collective entry, and the text that says so (if any)."""

    agency_id: str
    source: str | None


@dataclass(frozen=True)
class Agency:
    id: str  # "<jurisdiction>/<agency>"
    name: str
    collective: bool
    names: tuple[str, ...]  # every wording documents use, canonical name included
    jurisdiction: str
    former_ids: tuple[str, ...]
    members: tuple[Member, ...] = ()  # a collective's agencies, from data, never guessed

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]


@dataclass(frozen=True)
class Document:
    """A cited document the portal describes but does not publish in full."""

    id: str
    kind: str
    number: str | None
    date: dt.date | None
    issuer: str | None
    jurisdiction: str
    title: str | None
    implements: tuple[str, ...]
    former_ids: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str


class TimelineKind(StrEnum):
    ONGOING = "thuong-xuyen"
    ANNUAL = "hang-nam"
    DATED = "co-thoi-han"  # a day, month, quarter or year
    PERIOD = "giai-doan"
    # The plan sets no date: each agency's own plan (or another plan, or the rules) does.
    SET_ELSEWHERE = "theo-ke-hoach"
    UNPARSED = "khac"


class Duty(StrEnum):
    """What an agency has to do with a deadline."""

    LEAD = "chu-tri"
    SUPPORT = "phoi-hop"
    REPORT = "bao-cao"  # sends the report
    RECEIVE = "nhan-bao-cao"  # the report is sent to it


@dataclass(frozen=True)
class Timeline:
    """A timeline as written, and what it means when we could read it."""

    text: str
    kind: TimelineKind
    start: dt.date | None = None  # first day the timeline covers, when known
    end: dt.date | None = None  # the deadline: last day, when known
    annual_day: tuple[int, int] | None = None  # (day, month) for "trước ngày 01/10 hằng năm"


@dataclass(frozen=True)
class AgencyRef:
    """An agency as a document names it, and the registry entry that name resolves to."""

    written: str
    agency_id: str


Gaps = tuple[tuple[str, str], ...]  # (field, where the source lacks it), for null fields


@dataclass(frozen=True)
class Task:
    id: str
    number: str | None
    text: str | None  # None: the document's task cell is empty
    lead: tuple[AgencyRef, ...]
    support: tuple[AgencyRef, ...]
    output: str | None
    timeline: Timeline | None
    notes: str | None
    former_ids: tuple[str, ...] = ()
    gaps: Gaps = ()

    @property
    def anchor(self) -> str:
        return task_anchor(self.id)


@dataclass(frozen=True)
class Group:
    id: str
    number: str | None
    title: str | None  # None: the document gives the group no title
    theme: str
    tasks: tuple[Task, ...]
    former_ids: tuple[str, ...] = ()
    gaps: Gaps = ()


@dataclass(frozen=True)
class Signer:
    name: str
    position: str | None
    authority: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    heading: str | None
    text: str | None
    subsections: tuple[Section, ...]


@dataclass(frozen=True)
class Figure:
    metric: str
    value: str
    quote: str
    task: str | None
    where: str | None


@dataclass(frozen=True)
class Report:
    """A reporting duty the plan sets (usually under “Tổ chức thực hiện”), quoted verbatim."""

    id: str
    quote: str
    where: str | None  # the heading the quote stands under, as the document writes it
    annual_due: tuple[int, int] | None  # (day, month) every year; None when no day is given
    by: tuple[AgencyRef, ...]  # who reports
    to: tuple[AgencyRef, ...]  # to whom
    notes: str | None = None


@dataclass(frozen=True)
class Original:
    """A copy of the official document published with the site."""

    path: str  # under docs/: "van-ban-goc/<file>"
    sha256: str
    size: int  # bytes


@dataclass(frozen=True)
class Source:
    """The official document behind a plan: the issuer's own page and/or a copy published with
    the site; both None when the portal has no original at hand (then `note` may say more)."""

    url: str | None
    original: Original | None
    note: str | None


@dataclass(frozen=True)
class Plan:
    id: str
    former_ids: tuple[str, ...]
    kind: str
    number: str | None
    date: dt.date | None
    place: str | None
    jurisdiction: str
    issuer: str  # agency id
    title: str | None
    signer: Signer | None
    implements: tuple[str, ...]
    replaces: tuple[str, ...]
    source: Source
    recipients: tuple[str, ...]
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]
    tasks_title: str | None
    groups: tuple[Group, ...]
    appendix: str | None = None
    reports: tuple[Report, ...] = ()
    gaps: Gaps = ()

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for group in self.groups for task in group.tasks)


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation search treats as equal to its long form (data/abbreviations.yaml)."""

    short: str  # as documents write it: "NHCSXH"
    long: str  # what it stands for: "Ngân hàng Chính sách xã hội"


@dataclass(frozen=True)
class Portal:
    """Everything the portal publishes, checked and cross-resolved."""

    jurisdictions: dict[str, Jurisdiction]
    agencies: dict[str, Agency]
    documents: dict[str, Document]
    themes: dict[str, Theme]
    plans: dict[str, Plan]
    abbreviations: tuple[Abbreviation, ...] = ()


def task_anchor(task_id: str) -> str:
    """`4.1` → `nv-4-1`; `iv.1.a` → `nv-iv-1-a`: each run of non-alphanumerics is one hyphen."""
    return "nv-" + re.sub(r"[^a-z0-9]+", "-", task_id.lower()).strip("-")
