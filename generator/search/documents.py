"""What a search can find: one document for every page worth finding and every task, in index
order, with the texts it is searched by, the filter keys it carries, and the record a hit shows.

Documents are ordered pages first, then tasks by jurisdiction (depth first), plan and task
order, so that a plan's or a jurisdiction's tasks are one run of numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from generator import urls
from generator.domain import (
    Agency,
    AgencyRef,
    Jurisdiction,
    Level,
    Plan,
    Portal,
    Task,
    TimelineKind,
)
from generator.names import document_citation, plan_citation, plan_name, task_label
from generator.search.folding import fold
from generator.text import plain, shorten

SUMMARY_LIMIT = 200  # characters of a page's description a hit shows


class Kind(StrEnum):
    """What a document is; a record's `k` (search.js names each kind to the reader)."""

    TASK = "task"
    PLAN = "plan"
    AGENCY = "agency"
    GROUP = "group"
    DOCUMENT = "document"
    THEME = "theme"
    PLACE = "place"


# --- filter keys ------------------------------------------------------------------------------
# A filter is a key whose posting list holds the documents it keeps. Keys start with "@" and a
# letter, so that no folded text (a-z, 0-9 and spaces) is ever one; search-engine.js builds the
# same keys from the finder's choices.

FILTER_MARK = "@"


def place_key(jurisdiction_id: str) -> str:
    """The tasks of a jurisdiction and of the jurisdictions under it."""
    return f"{FILTER_MARK}j:{jurisdiction_id}"


def plan_key(plan_id: str) -> str:
    return f"{FILTER_MARK}p:{plan_id}"


def timeline_key(kind: TimelineKind | str) -> str:
    return f"{FILTER_MARK}k:{kind}"


def lead_key(agency_id: str) -> str:
    """The tasks an agency leads (chủ trì)."""
    return f"{FILTER_MARK}a:{agency_id}:l"


def support_key(agency_id: str) -> str:
    """The tasks an agency supports (phối hợp)."""
    return f"{FILTER_MARK}a:{agency_id}:s"


def via_key(agency_id: str) -> str:
    """The tasks of the collectives an agency belongs to (agencies.yaml `members`) that do not
    name it themselves."""
    return f"{FILTER_MARK}a:{agency_id}:v"


@dataclass(frozen=True)
class SearchDoc:
    """One thing a search can find: its texts by field, its filter keys, and what a hit shows."""

    kind: Kind
    lead: tuple[str, ...]  # a task's lead agencies; a page's own name
    support: tuple[str, ...]  # a task's support agencies
    other: tuple[str, ...]  # everything else that is searched
    facets: tuple[str, ...]  # filter keys (place_key, plan_key, lead_key …)
    record: dict[str, Any]  # what a result shows, as JSON


def jurisdiction_order(portal: Portal) -> list[Jurisdiction]:
    """Jurisdictions depth first: national, then each province followed by its communes."""
    children: dict[str | None, list[Jurisdiction]] = {}
    for j in portal.jurisdictions.values():
        children.setdefault(j.parent, []).append(j)

    def key(j: Jurisdiction) -> tuple[int, str]:
        return (0 if j.level is Level.NATIONAL else 1, fold(j.name))

    out: list[Jurisdiction] = []

    def walk(parent: str | None) -> None:
        for j in sorted(children.get(parent, []), key=key):
            out.append(j)
            walk(j.id)

    walk(None)
    return out


def _ancestors(portal: Portal, jurisdiction_id: str) -> list[str]:
    chain: list[str] = []
    current: str | None = jurisdiction_id
    while current is not None and current not in chain and current in portal.jurisdictions:
        chain.append(current)
        current = portal.jurisdictions[current].parent
    return chain


def ordered_plans(portal: Portal) -> list[Plan]:
    """Plans by jurisdiction (depth first), newest first within one, so filters are runs."""
    position = {j.id: i for i, j in enumerate(jurisdiction_order(portal))}
    return sorted(
        portal.plans.values(),
        key=lambda p: (
            position.get(p.jurisdiction, len(position)),
            -(p.date.toordinal() if p.date else 0),
            p.id,
        ),
    )


def ordered_agencies(portal: Portal) -> list[Agency]:
    """Agencies by folded name, as the finder's lists and the index show them."""
    return sorted(portal.agencies.values(), key=lambda a: (fold(a.name), a.id))


def _agency_names(portal: Portal, agency_id: str, written: str) -> list[str]:
    agency = portal.agencies.get(agency_id)
    names = [written]
    if agency is not None:
        names.extend(n for n in (agency.name, *agency.names) if n not in names)
    return names


def _agency_cells(refs: Iterable[AgencyRef]) -> list[list[str]]:
    return [[r.written, urls.agency_url(r.agency_id)] for r in refs]


def _issuer_name(portal: Portal, plan: Plan) -> str:
    return portal.agencies[plan.issuer].name if plan.issuer in portal.agencies else ""


def _via(portal: Portal, task: Task) -> list[list[Any]]:
    """The collectives a task names that have members, as [written name, [member ids not
    named by the task], [their names]]: the finder's agency filter, and a search for a member's
    name, mark such a task "qua: <name>"."""
    named = {r.agency_id for r in (*task.lead, *task.support)}
    out: list[list[Any]] = []
    for ref in (*task.lead, *task.support):
        collective = portal.agencies.get(ref.agency_id)
        members = [m.agency_id for m in collective.members] if collective else []
        members = [m for m in members if m not in named]
        if members:
            out.append([ref.written, members, [portal.agencies[m].name for m in members]])
    return out


def task_doc(portal: Portal, plan: Plan, task: Task) -> SearchDoc:
    issuer = _issuer_name(portal, plan)
    via = _via(portal, task)
    lead = [n for r in task.lead for n in _agency_names(portal, r.agency_id, r.written)]
    support = [n for r in task.support for n in _agency_names(portal, r.agency_id, r.written)]
    kind = task.timeline.kind if task.timeline else TimelineKind.UNPARSED
    facets = [plan_key(plan.id), timeline_key(kind)]
    facets += [place_key(j) for j in _ancestors(portal, plan.jurisdiction)]
    facets += sorted({lead_key(r.agency_id) for r in task.lead})
    facets += sorted({support_key(r.agency_id) for r in task.support})
    facets += sorted({via_key(m) for _, members, _ in via for m in members})
    return SearchDoc(
        kind=Kind.TASK,
        lead=tuple(lead),
        support=tuple(support),
        # The names of the members of its collectives: a search for an agency's name finds the
        # tasks given to a group it belongs to, after those naming it (they match elsewhere).
        other=tuple(
            t
            for t in (task.number, task.text, task.output, task.timeline and task.timeline.text)
            if t
        )
        + tuple(name for _, _, names in via for name in names),
        facets=tuple(facets),
        record={
            "k": Kind.TASK,
            "u": urls.plan_url(plan.id) + "#" + task.anchor,
            "t": task_label(task),
            "x": plain(task.text),
            "p": f"{plan_name(plan)} – {issuer}" if issuer else plan_name(plan),
            "l": _agency_cells(task.lead),
            "s": _agency_cells(task.support),
            "o": task.output,
            "tl": task.timeline.text if task.timeline else None,
            **({"q": via} if via else {}),
        },
    )


def _page(
    kind: Kind, url: str, title: str, detail: str, lead: Iterable[str], other: Iterable[str]
) -> SearchDoc:
    return SearchDoc(
        kind=kind,
        lead=tuple(t for t in lead if t),
        support=(),
        other=tuple(t for t in other if t),
        facets=(),
        record={"k": kind, "u": url, "t": title, "d": detail},
    )


def _group_heading(number: str | None, title: str | None) -> str:
    return " ".join(filter(None, [f"Nhóm {number}." if number else "Nhóm", title]))


def search_docs(portal: Portal) -> list[SearchDoc]:
    """Every searchable page and task, in index order: pages, then tasks by jurisdiction and plan."""
    return list(each_search_doc(portal))


def each_search_doc(portal: Portal) -> Iterator[SearchDoc]:
    """`search_docs` one at a time, as they are taken: the index keeps what it needs of each
    and drops it (at national scale they are hundreds of megabytes together)."""
    return (doc for _, doc in owned_search_docs(portal))


@dataclass(frozen=True)
class Run:
    """Documents next to each other in index order, made from one plan (`owner`: its page,
    its groups' pages or its tasks) or, owner None, from the registries alone."""

    owner: str | None
    size: int
    make: Callable[[], Iterable[SearchDoc]]


def document_runs(portal: Portal) -> list[Run]:
    """The index's documents as runs, in index order, each counted before it is made: which
    numbers a plan's documents have (what a plan's edit can change, search/incremental.py)."""
    plans = ordered_plans(portal)
    places = jurisdiction_order(portal)
    place_names = {j.id: j.name for j in places}
    with_agencies = {a.jurisdiction for a in portal.agencies.values()}
    registry = len(portal.documents) + len(portal.themes)
    registry += sum(j.id in with_agencies for j in places)
    return [
        *(Run(p.id, 1, partial(_plan_page_docs, portal, p, place_names)) for p in plans),
        Run(None, len(portal.agencies), partial(_agency_docs, portal, place_names)),
        *(Run(p.id, len(p.groups), partial(_group_docs, portal, p)) for p in plans),
        Run(None, registry, partial(_registry_docs, portal, places, with_agencies)),
        *(Run(p.id, len(p.tasks), partial(_task_docs, portal, p)) for p in plans),
    ]


def owned_search_docs(portal: Portal) -> Iterator[tuple[str | None, SearchDoc]]:
    """`each_search_doc`, each document with the id of the plan it is made from (None for the
    rest)."""
    for run in document_runs(portal):
        made = 0
        for doc in run.make():
            made += 1
            yield run.owner, doc
        assert made == run.size, f"{run.owner}: {made} documents, counted {run.size}"


def _plan_page_docs(portal: Portal, plan: Plan, place_names: dict[str, str]) -> list[SearchDoc]:
    return [plan_page_doc(portal, plan, place_names)]


def _task_docs(portal: Portal, plan: Plan) -> Iterator[SearchDoc]:
    return (task_doc(portal, plan, task) for task in plan.tasks)


def plan_page_doc(portal: Portal, plan: Plan, place_names: dict[str, str]) -> SearchDoc:
    return _page(
        Kind.PLAN,
        urls.plan_url(plan.id),
        plan_citation(plan, portal.agencies[plan.issuer]),
        shorten(plan.title, SUMMARY_LIMIT),
        [plan_name(plan), _issuer_name(portal, plan)],
        [plan.title or "", place_names.get(plan.jurisdiction, "")],
    )


def _agency_docs(portal: Portal, place_names: dict[str, str]) -> Iterator[SearchDoc]:
    for agency in ordered_agencies(portal):
        others = [n for n in agency.names if n != agency.name]
        place = place_names.get(agency.jurisdiction, "")
        detail = place + (f" · còn gọi: {'; '.join(others)}" if others else "")
        yield _page(
            Kind.AGENCY,
            urls.agency_url(agency.id),
            agency.name,
            detail,
            [agency.name, *others],
            [place],
        )


def _group_docs(portal: Portal, plan: Plan) -> Iterator[SearchDoc]:
    for group in plan.groups:
        heading = _group_heading(group.number, group.title)
        yield _page(
            Kind.GROUP,
            urls.group_url(plan.id, group.id),
            heading,
            plan_citation(plan, portal.agencies[plan.issuer]),
            [heading],
            [plan_name(plan)],
        )


def _registry_docs(
    portal: Portal, places: list[Jurisdiction], with_agencies: set[str]
) -> Iterator[SearchDoc]:
    """The pages of documents, themes and places, made from the registries alone."""
    for document in portal.documents.values():
        yield _page(
            Kind.DOCUMENT,
            urls.document_url(document.id),
            document_citation(document),
            shorten(document.title, SUMMARY_LIMIT),
            [document_citation(document)],
            [document.title or ""],
        )
    for theme in portal.themes.values():
        yield _page(
            Kind.THEME,
            urls.theme_url(theme.id),
            theme.name,
            shorten(theme.description, SUMMARY_LIMIT),
            [theme.name],
            [theme.description],
        )
    for j in places:
        if j.id in with_agencies:
            yield _page(
                Kind.PLACE,
                urls.jurisdiction_url(j.id),
                j.name,
                "Danh bạ cơ quan, đơn vị",
                [j.name],
                [],
            )


def first_task(docs: Sequence[SearchDoc]) -> int:
    """The number of the first task: documents are pages first, then tasks."""
    return next((i for i, d in enumerate(docs) if d.kind is Kind.TASK), len(docs))
