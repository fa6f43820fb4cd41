"""What each page kind's template prints: one frozen dataclass per page kind, and the small
rows and links they hold. `render` builds them; a template only prints their fields (a test
checks each template names no other). Hrefs are already relative to the page."""

from __future__ import annotations

import html
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Absent:
    """What the source lacks, as every page shows it: an editorial remark in square brackets,
    in the one style of `.ckh-absent`, never mistaken for the document's words; with where the
    gap is (the data's `gaps` note) when the data says. Printed by a template as it is."""

    said: str = "không ghi"
    note: str | None = None

    def __html__(self) -> str:
        text = f"{self.said}: {self.note}" if self.note else self.said
        return f'<span class="ckh-absent">[{html.escape(text)}]</span>'


# --- pieces ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class RefLink:
    """A plan or document by its citation, with its title."""

    href: str
    text: str
    title: str
    children: tuple[RefLink, ...] = ()  # those implementing it, in a tree
    # Where the tree stops for size: how many implement it further down, and the page of its
    # neighbourhood in the document graph that lists them.
    further: int = 0
    further_href: str | None = None


@dataclass(frozen=True)
class Permalink:
    """A page's permanent address, its citation and the address as a QR code."""

    url: str
    citation: str
    qr: Markup


@dataclass(frozen=True)
class TaskRow:
    anchor: str | None  # set on the plan's own page only: the row is the task's home
    former_anchors: tuple[str, ...]
    # How the citation of the task starts (“Nhiệm vụ 4.1”); its table carries how it ends
    # (the plan): the copy buttons join them, and the address is the row's link (href).
    reference: str
    number: str | Absent  # Absent: the document leaves the row unnumbered
    label: str  # how the document numbers the task (names.task_reference)
    link_title: str
    href: str
    text: str | Absent
    lead: tuple[Link, ...]
    support: tuple[Link, ...]
    no_lead: Absent  # shown when `lead` is empty
    no_support: Absent
    output: str | Absent
    timeline: str | Absent
    notes: str | None


@dataclass(frozen=True)
class PlanSummary:
    href: str
    name: str
    title: str | None
    date: str | Absent
    issuer: str
    tasks: int
    replaced: bool


@dataclass(frozen=True)
class PlacePlans:
    name: str
    plans: tuple[PlanSummary, ...]


@dataclass(frozen=True)
class LevelPlans:
    name: str
    jurisdictions: tuple[PlacePlans, ...]


@dataclass(frozen=True)
class AgencyCount:
    """An agency and how many tasks it leads and supports (directory tables, group pages)."""

    name: str
    href: str
    collective: bool
    lead: int
    support: int


@dataclass(frozen=True)
class FigureCell:
    value: str
    quote: str
    href: str | None
    where: str | None


@dataclass(frozen=True)
class FigureRow:
    plan: PlanSummary
    cells: tuple[FigureCell | None, ...]  # one per metric; None: the plan sets none


@dataclass(frozen=True)
class Figures:
    metrics: tuple[str, ...]
    rows: tuple[FigureRow, ...]


@dataclass(frozen=True)
class SectionView:
    heading: str | None
    text: str | None
    level: int  # the HTML heading level, 3 for a top section
    subsections: tuple[SectionView, ...]


@dataclass(frozen=True)
class Signer:
    authority: tuple[str, ...]
    position: str | None
    name: str


@dataclass(frozen=True)
class SourceView:
    """The official document behind a plan: a copy to download (with its size and SHA-256), the
    issuer's own page, or the remark that the portal has neither; and the data's note."""

    original: Link | None  # text: "PDF, 1,2 MB"
    sha256: str | None
    url: str | None
    missing: Absent | None
    note: str | None


@dataclass(frozen=True)
class PlanGroup:
    id: str
    entry: str  # "4. Title"
    title_gap: Absent | None  # the document gives the group no title
    href: str
    rows: tuple[TaskRow, ...]


@dataclass(frozen=True)
class PagerLink:
    href: str
    text: str  # the page's number
    current: bool


@dataclass(frozen=True)
class AgencyPlanTasks:
    anchor: str  # where the pages of counts link to
    href: str
    citation: str
    caption: str
    cite_in: str
    rows: tuple[TaskRow, ...]


@dataclass(frozen=True)
class RoleTasks:
    id: str  # the section's anchor (#chu-tri)
    label: str
    plans: tuple[AgencyPlanTasks, ...]


@dataclass(frozen=True)
class MemberLink:
    """An agency of a collective entry, and the text the registry gives for it (if any)."""

    href: str
    name: str
    source: str | None


@dataclass(frozen=True)
class ViaCollective:
    """The tasks a plan gives a collective entry the agency belongs to (agencies.yaml members)."""

    name: str
    href: str
    plans: tuple[AgencyPlanTasks, ...]


@dataclass(frozen=True)
class AgencySection:
    name: str
    href: str
    agencies: tuple[AgencyCount, ...]


@dataclass(frozen=True)
class DocumentRow:
    href: str
    name: str
    date: str | Absent
    issuer: str | Absent
    title: str | Absent
    plans: int


@dataclass(frozen=True)
class GraphLine:
    x: int
    y: int
    text: str
    first: bool


@dataclass(frozen=True)
class GraphBox:
    href: str
    is_plan: bool
    replaced: bool
    title: str
    x: int
    y: int
    width: int
    height: int
    lines: tuple[GraphLine, ...]


@dataclass(frozen=True)
class GraphEdge:
    x1: int
    y1: int
    x2: int
    y2: int
    replaces: bool


@dataclass(frozen=True)
class ThemeGroup:
    heading: str
    href: str
    rows: tuple[TaskRow, ...]


@dataclass(frozen=True)
class ThemeColumn:
    plan: PlanSummary
    groups: tuple[ThemeGroup, ...]


@dataclass(frozen=True)
class ThemeEntry:
    name: str
    description: str
    href: str
    plans: int
    groups: int


@dataclass(frozen=True)
class ProvinceCount:
    """A province in an overview of the country: its page, and how much lies behind it."""

    name: str
    href: str
    plans: int
    count: int  # what the overview counts there: tasks, agencies, communes


@dataclass(frozen=True)
class ThemeGroupLink:
    heading: str
    href: str
    tasks: int


@dataclass(frozen=True)
class ThemePlanGroups:
    plan: PlanSummary
    groups: tuple[ThemeGroupLink, ...]


@dataclass(frozen=True)
class ProvincePlans:
    """A province in the overview of plans: its own plans, and how many its communes issued."""

    name: str
    plans: tuple[PlanSummary, ...]
    communes: ProvinceCount  # the communes' plans, on the province's directory page


# --- pages: one per template ----------------------------------------------------------------


@dataclass(frozen=True)
class PlanPage:
    permalink: Permalink
    replaced_by: tuple[RefLink, ...]
    issuer: Link
    name: str
    title: str | Absent
    number: str | Absent
    date: str | Absent
    place: str | None
    jurisdiction: str
    signer: Signer | None
    no_signer: Absent
    implements: tuple[RefLink, ...]
    no_implements: Absent
    replaces: tuple[RefLink, ...]
    implemented_by: tuple[RefLink, ...]  # empty past IMPLEMENTERS_ON_PLAN_PAGE
    implementers: Link | None  # then: how many, linked to the document graph's list of them
    task_count: int
    group_count: int
    groups: tuple[PlanGroup, ...]
    source: SourceView
    sections: tuple[SectionView, ...]  # empty when they are on the plan's text page
    text_page: Link | None  # the plan's narrative, when it is on a page of its own
    tasks_title: str | None
    recipients: tuple[str, ...]
    reports: tuple[ReportView, ...]  # its reporting duties, each at #bc-<id>
    feed: Feed
    cite_in: str  # the plan, as each task's citation ends


@dataclass(frozen=True)
class PlanTextPage:
    """The narrative of a plan too long for one page (ke-hoach/<id>/noi-dung/)."""

    back: Link  # the plan's page, by its citation
    name: str
    sections: tuple[SectionView, ...]


@dataclass(frozen=True)
class GroupPage:
    permalink: Permalink
    plan: Link  # text: the plan's citation
    plan_name: str
    heading: str
    title_gap: Absent | None
    theme: Link
    task_count: int
    table_caption: str
    cite_in: str
    rows: tuple[TaskRow, ...]
    involved: tuple[AgencyCount, ...]
    previous: Link | None
    next: Link | None


@dataclass(frozen=True)
class AgencyPage:
    permalink: Permalink
    jurisdiction: Link
    name: str
    collective: bool
    names: tuple[str, ...]
    lead_count: int
    support_count: int
    issued: tuple[PlanSummary, ...]
    roles: tuple[RoleTasks, ...]  # empty when the tasks are on numbered pages
    pages: tuple[PagerLink, ...]  # those pages (this one first); empty when all are here
    where: tuple[Link, ...]  # each plan's tasks in each role, linked on its numbered page
    feed: Feed
    via: tuple[ViaCollective, ...]  # after its own tasks, each marked with the collective
    via_count: int
    members: tuple[MemberLink, ...]  # a collective's agencies, as the registry lists them


@dataclass(frozen=True)
class AgencyTasksPage:
    """One numbered page of the tasks of an agency named in too many for one page."""

    back: Link  # the agency's own page
    heading: str
    pages: tuple[PagerLink, ...]
    roles: tuple[RoleTasks, ...]


@dataclass(frozen=True)
class JurisdictionPage:
    back: str
    name: str
    plans: tuple[PlanSummary, ...]
    agencies: tuple[AgencyCount, ...]
    communes: tuple[ProvinceCount, ...]  # a province's communes: plans and agencies of each


@dataclass(frozen=True)
class AgenciesOverview:
    """The directory when the country's agencies are too many for one page: the central
    bodies, and each province with a link to its own directory."""

    national: AgencySection
    places: tuple[ProvinceCount, ...]


@dataclass(frozen=True)
class AgenciesIndex:
    sections: tuple[AgencySection, ...]


@dataclass(frozen=True)
class DocumentPage:
    replaced_by: tuple[RefLink, ...]
    name: str
    title: str | None
    kind: str
    number: str | Absent
    date: str | Absent
    issuer: str | Absent
    jurisdiction: str
    summary: str | Absent  # the title, or that it is unknown
    implements: tuple[RefLink, ...]
    implemented_by: tuple[RefLink, ...]


@dataclass(frozen=True)
class DocumentsIndex:
    rows: tuple[DocumentRow, ...]


@dataclass(frozen=True)
class PlansIndex:
    levels: tuple[LevelPlans, ...]


@dataclass(frozen=True)
class HomePlans:
    levels: tuple[LevelPlans, ...]


@dataclass(frozen=True)
class PlansOverview:
    """The plan list when the country's plans are too many for one page: the centre's and the
    provinces' own plans, and for each province a link to its communes' plans."""

    national: tuple[PlanSummary, ...]
    provinces: tuple[ProvincePlans, ...]


@dataclass(frozen=True)
class HomeOverview:
    national: tuple[PlanSummary, ...]
    provinces: tuple[ProvincePlans, ...]


@dataclass(frozen=True)
class GraphPage:
    heading: str
    back: Link | None  # a neighbourhood's page links back to the whole graph
    width: int
    height: int
    edges: tuple[GraphEdge, ...]
    boxes: tuple[GraphBox, ...]
    tree: tuple[RefLink, ...]
    others: tuple[RefLink, ...]


@dataclass(frozen=True)
class ThemePage:
    back: str
    name: str
    description: str
    figures: Figures
    columns: tuple[ThemeColumn, ...]


@dataclass(frozen=True)
class ThemeOverview:
    """A theme across the country, too long for one page: the figures of the provinces' own
    plans, and each province with a link to the theme there."""

    back: str
    name: str
    description: str
    figures: Figures
    places: tuple[ProvinceCount, ...]


@dataclass(frozen=True)
class ThemePlacePage:
    """A theme in one province: each plan's groups on the theme, linked to the group pages."""

    back: Link  # the theme's overview
    name: str  # the province
    figures: Figures  # of this page's plans
    plans: tuple[ThemePlanGroups, ...]
    pages: tuple[PagerLink, ...]  # the province's pages on the theme; empty when one holds all


@dataclass(frozen=True)
class ThemesIndex:
    themes: tuple[ThemeEntry, ...]
    figures: Figures


@dataclass(frozen=True)
class Redirect:
    href: str
    canonical: str
    title: str


# --- deadlines and open data -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True)
class DutyAttr:
    """`data-<role>="<agency id> <agency id>"` on an entry, for the filters."""

    role: str
    agencies: str


@dataclass(frozen=True)
class Who:
    label: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class DueEntry:
    date: str
    yearly: bool
    title: str
    href: str
    text: str
    wording: str | None  # the timeline verbatim (a report's quote is its text)
    duties: tuple[DutyAttr, ...]
    who: tuple[Who, ...]


@dataclass(frozen=True)
class DueMonth:
    name: str | None  # "Tháng 10/2027"; None for the ongoing list
    entries: tuple[DueEntry, ...]


@dataclass(frozen=True)
class DueSection:
    id: str
    title: str
    empty: str
    count: int  # its entries on this page
    months: tuple[DueMonth, ...]
    continued: bool = False  # begun on the page before


@dataclass(frozen=True)
class PlaceCount:
    """A jurisdiction's deadlines page, with how much falls due in each window."""

    name: str
    href: str
    counts: tuple[int, ...]  # one per window, then the ongoing


@dataclass(frozen=True)
class DeadlinesPage:
    """/thoi-han/ (the overview: `place` is None, `children` the provinces and the centre) or
    /thoi-han/<jurisdiction>/ (the deadlines of that place's own plans, then its communes)."""

    built: str
    place: str | None  # the jurisdiction's name
    back: str | None  # the overview, from a place's page
    parent: Link | None  # a commune's province
    feed: str  # this page's calendar
    files: tuple[Link, ...]  # the place's task tables (JSON, CSV, XLSX); none on the overview
    how_to: str
    places: tuple[Option, ...]  # places' pages (href) for the place filter
    here: str  # the href of this page among `places` ("" on the overview)
    agencies: tuple[Option, ...]
    roles: tuple[Option, ...]
    total: int  # entries on this page
    sections: tuple[DueSection, ...]
    pages: tuple[PagerLink, ...]  # the place's numbered pages; empty when it has one
    scope: str  # how far the filters reach on a numbered page ("" on a single page)
    windows: tuple[str, ...]  # the column heads of `children`
    children: tuple[PlaceCount, ...]
    replaced: tuple[Link, ...]  # its plans replaced by another: their deadlines are not listed
    script: str


@dataclass(frozen=True)
class FileLink:
    href: str
    text: str
    size: str


@dataclass(frozen=True)
class PlaceFiles:
    name: str
    page: str  # the place's deadlines page, which links its communes'
    tasks: int
    files: tuple[Link, ...]
    feed: str


@dataclass(frozen=True)
class ColumnDoc:
    header: str
    key: str
    description: str


@dataclass(frozen=True)
class OpenDataPage:
    built: str
    licence: str
    all_files: tuple[FileLink, ...]
    places: tuple[PlaceFiles, ...]
    communes_elsewhere: bool  # only provinces are listed: communes' files are on their pages
    columns: tuple[ColumnDoc, ...]
    schemas: tuple[Link, ...]
    all_feed: str
    how_to: str
    example_twin: str
    example_twin_text: str


@dataclass(frozen=True)
class Feed:
    """A plan's or agency's calendar, its downloads and its page's JSON twin."""

    ics: str
    ics_url: str  # absolute: what a reader pastes into Outlook or Google Calendar
    how_to: str
    files: tuple[Link, ...]
    twin: str


@dataclass(frozen=True)
class ReportView:
    anchor: str
    due: str
    where: str | None
    quote: str
    by: tuple[Link, ...]
    to: tuple[Link, ...]
    notes: str | None


PageContext = (
    PlanPage
    | PlanTextPage
    | GroupPage
    | AgencyPage
    | AgencyTasksPage
    | JurisdictionPage
    | AgenciesIndex
    | DocumentPage
    | DocumentsIndex
    | PlansIndex
    | HomePlans
    | PlansOverview
    | HomeOverview
    | AgenciesOverview
    | GraphPage
    | ThemePage
    | ThemeOverview
    | ThemePlacePage
    | ThemesIndex
    | Redirect
    | DeadlinesPage
    | OpenDataPage
)

# The one template that prints each page kind.
TEMPLATES: dict[type[PageContext], str] = {
    PlanPage: "plan.md.j2",
    PlanTextPage: "plan_text.md.j2",
    GroupPage: "group.md.j2",
    AgencyPage: "agency.md.j2",
    AgencyTasksPage: "agency_tasks.md.j2",
    JurisdictionPage: "jurisdiction.md.j2",
    AgenciesIndex: "agencies_index.md.j2",
    DocumentPage: "document.md.j2",
    DocumentsIndex: "documents_index.md.j2",
    PlansIndex: "plans_index.md.j2",
    HomePlans: "home_plans.md.j2",
    PlansOverview: "plans_overview.md.j2",
    HomeOverview: "home_overview.md.j2",
    AgenciesOverview: "agencies_overview.md.j2",
    GraphPage: "graph.md.j2",
    ThemePage: "theme.md.j2",
    ThemeOverview: "theme_overview.md.j2",
    ThemePlacePage: "theme_place.md.j2",
    ThemesIndex: "themes_index.md.j2",
    Redirect: "redirect.html.j2",
    DeadlinesPage: "deadlines.md.j2",
    OpenDataPage: "open_data.md.j2",
}
