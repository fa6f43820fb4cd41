"""The shape of each data file, as pydantic models; `python -m generator schema` publishes them
as JSON Schema in data/schemas/. Only shape is checked here; references between files (agency
names, document ids, themes) are checked by the model stage."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.fields import FieldInfo

from generator.domain import Level, Metric

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
AGENCY_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
TASK_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*([.][a-z0-9]+(-[a-z0-9]+)*)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
AgencyId = Annotated[str, StringConstraints(pattern=AGENCY_ID_PATTERN)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _iso_date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"ngày phải viết dạng YYYY-MM-DD, gặp “{value}”")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"ngày không tồn tại: “{value}”") from None
    return value


IsoDate = Annotated[str, AfterValidator(_iso_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class JurisdictionIn(Strict):
    id: Id
    name: Text
    level: Literal[Level.NATIONAL, Level.PROVINCE, Level.COMMUNE]
    parent: Id | None = None


class MemberIn(Strict):
    """One agency of a collective entry, and where a text says it belongs (quote and place)."""

    id: AgencyId
    source: Text | None = None


class AgencyIn(Strict):
    id: AgencyId
    name: Text
    kind: Literal["body", "collective"]
    names: list[Text] = []
    former_ids: list[AgencyId] = []
    members: list[MemberIn] = []  # a collective's agencies, as far as a text supports it


class AgenciesFile(Strict):
    """One jurisdiction of the registry (agencies/<jurisdiction id>.yaml) and its agencies."""

    jurisdiction: JurisdictionIn
    agencies: list[AgencyIn] = []


class DocumentIn(Strict):
    id: Id
    kind: Text
    number: Text | None
    date: IsoDate | None
    issuer: Text | None
    jurisdiction: Id
    title: Text | None
    implements: list[Id] = []
    former_ids: list[Id] = []


class DocumentsFile(Strict):
    documents: list[DocumentIn]


class ThemeIn(Strict):
    id: Id
    name: Text
    description: Text


class ThemesFile(Strict):
    themes: list[ThemeIn]


class AbbreviationIn(Strict):
    short: Text
    long: Text


class AbbreviationsFile(Strict):
    """data/abbreviations.yaml: abbreviations search treats as equal to their long form."""

    abbreviations: list[AbbreviationIn]


class SignerIn(Strict):
    name: Text
    position: Text | None
    authority: list[Text] = []


SHA256_PATTERN = r"^[0-9a-f]{64}$"
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
# A copy of the original document published with the site: a file under docs/van-ban-goc/.
OriginalPath = Annotated[str, StringConstraints(pattern=r"^van-ban-goc/[A-Za-z0-9._-]+$")]


class SourceIn(Strict):
    """The official document: where its issuer publishes it, and/or a copy published with the
    site. `transcription` names the text file the data was typed from: kept for the record,
    never shown on a page."""

    url: Url | None = None
    file: OriginalPath | None = None
    sha256: Sha256 | None = None
    transcription: Text | None = None
    note: Text | None = None


class SectionIn(Strict):
    heading: Text | None  # null for the opening paragraphs before the first heading
    text: Text | None = None
    subsections: list[SectionIn] = []


class FigureIn(Strict):
    metric: Literal[Metric.TRUST_FUND_GROWTH, Metric.TRUST_FUND_2030]
    value: Text
    quote: Text
    task: TaskId | None = None
    where: Text | None = None


def _day_month(value: str) -> str:
    match = re.fullmatch(r"(\d{2})/(\d{2})", value)
    # 2024 is a leap year: every day that exists in some year is accepted.
    if not match or not _real_date(2024, int(match[2]), int(match[1])):
        raise ValueError(f"ngày hằng năm phải viết dạng DD/MM (vd. 01/10), gặp “{value}”")
    return value


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


DayMonth = Annotated[str, AfterValidator(_day_month)]


class ReportIn(Strict):
    id: Id
    quote: Text  # the sentence setting the duty, verbatim
    where: Text | None = None  # heading it stands under ("III. TỔ CHỨC THỰC HIỆN, mục 1")
    annual_due: DayMonth | None  # "01/10" for "trước ngày 01/10 hằng năm"; null when no day
    by: list[Text] = []  # who reports, agency names as written
    to: list[Text] = []  # to whom, agency names as written
    notes: Text | None = None


# What the source document lacks is null; `gaps` may say where the gap is ("ô trống trong văn
# bản"), keyed by the field that is null. The model checks each key names a null field.
TaskGap = Literal["number", "text", "lead", "support", "output", "timeline"]
GroupGap = Literal["number", "title"]
PlanGap = Literal["number", "date", "place", "title", "signer", "tasks_title"]


class TaskIn(Strict):
    id: TaskId
    former_ids: list[TaskId] = []  # old ids: their #nv-… anchors keep working
    number: Text | None
    text: Text | None  # null: the document's task cell is empty
    lead: list[Text] = []
    support: list[Text] = []
    output: Text | None = None
    timeline: Text | None = None
    notes: Text | None = None
    gaps: dict[TaskGap, Text] = {}


class GroupIn(Strict):
    id: Id
    former_ids: list[Id] = []  # old ids: their nhom-… pages redirect here
    number: Text | None
    title: Text | None  # null: the document gives the group no title
    theme: Id | None  # null only until chosen: the model says which themes there are
    tasks: list[TaskIn] = Field(min_length=1)
    gaps: dict[GroupGap, Text] = {}


class PlanFile(Strict):
    id: Id
    former_ids: list[Id] = []
    kind: Text
    number: Text | None
    date: IsoDate | None
    place: Text | None = None
    jurisdiction: Id
    issuer: AgencyId
    title: Text | None
    signer: SignerIn | None
    implements: list[Id] = []
    replaces: list[Id] = []
    source: SourceIn
    recipients: list[Text] = []
    sections: list[SectionIn] = []
    figures: list[FigureIn] = []
    tasks_title: Text | None = None
    appendix: Text | None = None  # the part holding the tasks, as citations name it ("Phụ lục 02")
    numbering: Literal["nested", "per-group"]
    groups: list[GroupIn] = []  # empty while the tasks are still to be entered (new-plan)
    reports: list[ReportIn] = []  # reporting duties, with their yearly day
    gaps: dict[PlanGap, Text] = {}


# --- the data file kinds: each declared once ----------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """One kind of data file: where it lives under data/, the model it must fit, and the name
    of its published JSON schema (data/schemas/<name>.schema.json). `load` reads every kind
    listed in FILE_KINDS, `model` checks each file against its kind's model, `cli schema`
    publishes the schemas: a new kind of file is one more entry here."""

    name: str
    pattern: str  # a file ("agencies.yaml") or every file of a folder ("plans/*.y*ml")
    model: type[Strict]
    required: bool = True  # a missing single file is an error (a folder may be empty)
    # A file this kind took the place of, and what to do with it: an old data folder that
    # still has it is told so, rather than have it silently ignored.
    replaced: tuple[str, str] | None = None

    @property
    def many(self) -> bool:
        return "*" in self.pattern


# The registry, one file a jurisdiction: a clerk's edit to one commune's agencies touches that
# commune's file only, and no file grows with the country (a single agencies.yaml for 3,400
# jurisdictions passed load's 2 MB limit for a file).
AGENCIES = FileKind(
    "agencies",
    "agencies/*.y*ml",
    AgenciesFile,
    replaced=(
        "agencies.yaml",
        "danh bạ đã tách theo địa bàn: mỗi địa bàn một tệp data/agencies/<id địa bàn>.yaml "
        "(xem data/README.md); hãy chuyển nội dung tệp này sang đó rồi xóa tệp",
    ),
)
DOCUMENTS = FileKind("documents", "documents.yaml", DocumentsFile)
THEMES = FileKind("themes", "themes.yaml", ThemesFile)
ABBREVIATIONS = FileKind("abbreviations", "abbreviations.yaml", AbbreviationsFile, required=False)
PLANS = FileKind("plan", "plans/*.y*ml", PlanFile)
FILE_KINDS = (AGENCIES, DOCUMENTS, THEMES, ABBREVIATIONS, PLANS)
FILE_MODELS: dict[str, type[Strict]] = {kind.name: kind.model for kind in FILE_KINDS}


# --- stand-ins: how much of a file that does not fit can still be checked -------------------

# A value that fits every field of its kind and that no data file contains: put in place of a
# value that does not fit, so that the rest of the file can be checked against the others.
# Whatever the later checks say about it is an echo of the first mistake, not a new one.
STAND_IN = "x0-khong-hop-le"


def _field_type(field: FieldInfo) -> Any:
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


def _bare(annotation: Any) -> Any:
    """`annotation` without Annotated[…] and without `| None`."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        args = [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def type_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    """The declared type of the value at `loc` in a file of `model`, or None if there is none."""
    current: Any = model
    for part in loc:
        bare = _bare(current)
        if isinstance(part, int) and get_origin(bare) is list:
            current = get_args(bare)[0]
        elif isinstance(part, str) and isinstance(bare, type) and issubclass(bare, BaseModel):
            if part not in bare.model_fields:
                return None
            current = _field_type(bare.model_fields[part])
        else:
            return None
    return current


def literal_choices(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The values a choice field at `loc` accepts, as text ("tinh", not Level.PROVINCE)."""
    bare = _bare(type_at(model, loc))
    return [str(c) for c in get_args(bare)] if get_origin(bare) is Literal else []


def field_names_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed in the item at `loc` (empty when it is not an item)."""
    bare = _bare(type_at(model, loc))
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return list(bare.model_fields)
    return []


def _candidates(annotation: Any) -> Iterator[Any]:
    bare = _bare(annotation)
    yield None
    yield STAND_IN
    yield f"{STAND_IN}/{STAND_IN}"
    yield "2000-01-01"
    yield from get_args(bare) if get_origin(bare) is Literal else ()
    if get_origin(bare) is list:
        yield []
        yield [stand_in(get_args(bare)[0])]
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        yield {
            name: stand_in(_field_type(f))
            for name, f in bare.model_fields.items()
            if f.is_required()
        }


def stand_in(annotation: Any) -> Any:
    """A plain value (as load gives them) that fits `annotation`: None where allowed, else
    STAND_IN in the shape the field needs."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for candidate in _candidates(annotation):
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            continue
        return candidate
    raise ValueError(f"no stand-in for {annotation}")
