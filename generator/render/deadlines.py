"""The deadlines pages (/thoi-han/ and /thoi-han/<place>/), the open data page (/du-lieu/), and
the calendar, downloads and reporting duties that plan and agency pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from generator import exports, names, urls
from generator.contexts import (
    ColumnDoc,
    DeadlinesPage,
    DueEntry,
    DueMonth,
    DueSection,
    DutyAttr,
    Feed,
    FileLink,
    Link,
    OpenDataPage,
    Option,
    PagerLink,
    PlaceCount,
    PlaceFiles,
    ReportView,
    Who,
)
from generator.deadlines import Deadline, falls_due_within
from generator.domain import Duty, Plan, Portal, TimelineKind
from generator.pages import Kept, Page
from generator.render import units
from generator.render.common import (
    DUE_ENTRIES_BYTES,
    PLACES_ON_ONE_PAGE,
    Rel,
    Site,
    agency_links,
)
from generator.render.units import Read
from generator.text import date_dmy, file_size, plain, shorten

# Windows counted from the build date (DESIGN: /thoi-han/); the last one is open-ended.
WINDOWS = (
    ("trong-30-ngay", "Trong 30 ngày tới", 0, 30),
    ("trong-90-ngay", "Từ 31 đến 90 ngày tới", 31, 90),
    ("trong-365-ngay", "Từ 91 đến 365 ngày tới", 91, 365),
    ("sau-365-ngay", "Sau 365 ngày", 366, None),
)

ROLE_ORDER = (Duty.LEAD, Duty.SUPPORT, Duty.REPORT, Duty.RECEIVE)


def feed(page_url: str, ics: str, data_url: Callable[[str], str], site: Site) -> Feed:
    def rel(target: str) -> str:
        return urls.relative(page_url, target)

    return Feed(
        ics=rel(ics),
        ics_url=urls.absolute(site.site_url, ics),
        how_to=names.CALENDAR_HOW_TO,
        files=tuple(Link(rel(data_url(fmt)), FORMAT_NAMES[fmt]) for fmt in urls.DATA_FORMATS),
        twin="index.json",
    )


def report_views(plan: Plan, rel: Rel) -> tuple[ReportView, ...]:
    return tuple(
        ReportView(
            anchor=urls.report_anchor(r.id),
            due=names.every_year_label(r.annual_due)
            if r.annual_due
            else "Hằng năm, văn bản không nêu ngày",
            where=r.where,
            quote=r.quote,
            by=agency_links(r.by, rel),
            to=agency_links(r.to, rel),
            notes=r.notes,
        )
        for r in plan.reports
    )


def _who(deadline: Deadline, rel: Rel) -> tuple[Who, ...]:
    if deadline.task is not None:
        pairs = (("Chủ trì", deadline.task.lead), ("Phối hợp", deadline.task.support))
    else:
        assert deadline.report is not None
        pairs = (("Báo cáo", deadline.report.by), ("Gửi tới", deadline.report.to))
    return tuple(Who(label, agency_links(refs, rel)) for label, refs in pairs if refs)


def _href(deadline: Deadline, rel: Rel) -> str:
    if deadline.task is not None:
        return rel(urls.plan_url(deadline.plan.id) + "#" + deadline.task.anchor)
    assert deadline.report is not None
    return rel(urls.plan_url(deadline.plan.id) + "#" + urls.report_anchor(deadline.report.id))


def due_entry(deadline: Deadline, rel: Rel, date: str) -> DueEntry:
    text = deadline.task.text if deadline.task else deadline.wording
    return DueEntry(
        date=date,
        yearly=deadline.every_year is not None,
        title=names.deadline_title(deadline.plan, deadline.group, deadline.task, deadline.report),
        href=_href(deadline, rel),
        text=shorten(plain(text), 240),
        wording=deadline.wording if deadline.task else None,
        duties=tuple(
            DutyAttr(duty.value, " ".join(a for a, d in deadline.agencies if d is duty))
            for duty in ROLE_ORDER
            if any(d is duty for _, d in deadline.agencies)
        ),
        who=_who(deadline, rel),
    )


def _by_month(deadlines: Sequence[Deadline], rel: Rel) -> tuple[DueMonth, ...]:
    months: dict[tuple[int, int], list[DueEntry]] = {}
    for d in deadlines:
        assert d.next is not None
        months.setdefault((d.next.year, d.next.month), []).append(
            due_entry(d, rel, date_dmy(d.next))
        )
    return tuple(
        DueMonth(f"Tháng {month}/{year}", tuple(entries))
        for (year, month), entries in sorted(months.items())
    )


def _sections(deadlines: Sequence[Deadline], built: dt.date, rel: Rel) -> tuple[DueSection, ...]:
    dated = sorted((d for d in deadlines if d.next is not None), key=lambda d: d.next or built)
    sections = []
    for ident, title, first, last in WINDOWS:
        chosen = [d for d in dated if falls_due_within(d, built, first, last)]
        sections.append(
            DueSection(
                ident, title, "Không có việc nào đến hạn trong khoảng này.", len(chosen),
                _by_month(chosen, rel),
            )
        )  # fmt: skip
    ongoing = [d for d in deadlines if d.kind is TimelineKind.ONGOING]
    sections.append(
        DueSection(
            "thuong-xuyen",
            "Việc thường xuyên",
            "Không có việc thường xuyên.",
            len(ongoing),
            (DueMonth(None, tuple(due_entry(d, rel, "Thường xuyên") for d in ongoing)),),
        )
    )
    return tuple(sections)


def entry_bytes(entry: DueEntry) -> int:
    """About the bytes of HTML an entry makes: its words and links, and ~300 of markup."""
    parts = [entry.title, entry.href, entry.text, entry.wording or ""]
    parts += [d.agencies for d in entry.duties]
    parts += [part for who in entry.who for link in who.links for part in (link.href, link.text)]
    return 300 + sum(len(part.encode()) + 20 for part in parts)


def page_counts(sections: Sequence[DueSection], first: int, rest: int) -> list[int]:
    """How many entries, in order, each page holds when those of the first page may weigh
    `first` bytes and those of each page after it `rest` (an entry heavier than a page still
    gets a page)."""
    counts = [0]
    room = first
    for entry in (e for s in sections for m in s.months for e in m.entries):
        weight = entry_bytes(entry)
        if weight > room and counts[-1]:
            counts.append(0)
            room = rest
        counts[-1] += 1
        room -= weight
    return counts


def paged_sections(
    sections: Sequence[DueSection], counts: Sequence[int]
) -> list[tuple[DueSection, ...]]:
    """The sections cut into pages of `counts` entries, in order: a section (or a month) cut
    across two pages continues on the next. An empty section stays on the page where the
    order reaches it, so that every window is said once."""
    pages: list[list[DueSection]] = [[]]
    room = counts[0]
    for section in sections:
        months: list[DueMonth] = []
        continued = False
        for month in section.months:
            entries = list(month.entries)
            while entries:
                if room == 0:
                    if months:
                        pages[-1].append(_part(section, months, continued))
                        continued = True
                    pages.append([])
                    months, room = [], counts[len(pages) - 1]
                taken, entries = entries[:room], entries[room:]
                room -= len(taken)
                months.append(DueMonth(month.name, tuple(taken)))
        pages[-1].append(_part(section, months, continued))
    return [tuple(page) for page in pages]


def _part(section: DueSection, months: list[DueMonth], continued: bool) -> DueSection:
    count = sum(len(m.entries) for m in months)
    return DueSection(
        section.id, section.title, section.empty, count, tuple(months), continued
    )  # fmt: skip


def _counts(deadlines: Sequence[Deadline], built: dt.date) -> tuple[int, ...]:
    windows = [sum(falls_due_within(d, built, a, b) for d in deadlines) for _, _, a, b in WINDOWS]
    return (*windows, sum(d.kind is TimelineKind.ONGOING for d in deadlines))


def _top(portal: Portal, jurisdiction_id: str) -> str:
    """The province (or the centre) a jurisdiction belongs to."""
    current = portal.jurisdictions[jurisdiction_id]
    while current.parent is not None:
        current = portal.jurisdictions[current.parent]
    return current.id


def deadline_places(portal: Portal, deadlines: Sequence[Deadline]) -> list[str]:
    """Every jurisdiction with a deadlines page: those with plans and the provinces above them."""
    with_plans = {d.plan.jurisdiction for d in deadlines}
    return sorted(with_plans | {_top(portal, j) for j in with_plans})


@dataclass(frozen=True)
class DeadlinePlaces:
    """What the deadlines pages are made from beside the portal and the build date, worked out
    once for all places. Each field is a tuple or a mapping, named apart from the portal's and
    the indexes' own: a place's pages read it through recording views (units.py)."""

    # A place's plans in force: the deadlines its page lists.
    deadline_due: Mapping[str, tuple[Deadline, ...]]
    # Its plans replaced by another, in order.
    deadline_replaced: Mapping[str, tuple[Plan, ...]]
    # Every place with a deadlines page, the provinces (or the centre) among them, and the
    # communes of each.
    deadline_places: tuple[str, ...]
    deadline_tops: tuple[str, ...]
    deadline_communes: Mapping[str, tuple[str, ...]]


def deadline_places_of(portal: Portal, deadlines: Sequence[Deadline]) -> DeadlinePlaces:
    due: dict[str, list[Deadline]] = {}
    replaced: dict[str, dict[str, Plan]] = {}
    for d in deadlines:
        if d.replaced:
            replaced.setdefault(d.plan.jurisdiction, {})[d.plan.id] = d.plan
        else:
            due.setdefault(d.plan.jurisdiction, []).append(d)
    places = deadline_places(portal, deadlines)
    communes: dict[str, list[str]] = {}
    for j in places:
        parent = portal.jurisdictions[j].parent
        if parent is not None:
            communes.setdefault(parent, []).append(j)
    return DeadlinePlaces(
        {j: tuple(found) for j, found in due.items()},
        {j: tuple(plans.values()) for j, plans in replaced.items()},
        tuple(places),
        tuple(j for j in places if portal.jurisdictions[j].parent is None),
        {j: tuple(found) for j, found in communes.items()},
    )


def deadlines_pages(
    portal: Portal, deadlines: Sequence[Deadline], built: dt.date
) -> list[tuple[str, DeadlinesPage]]:
    """(URL, context) of the overview and of each jurisdiction's deadlines page. No page grows
    with the country: a place's page holds its own plans' deadlines and links its communes."""
    data = deadline_places_of(portal, deadlines)
    return [
        page
        for place in (None, *data.deadline_places)
        for page in place_deadlines_pages(portal, data, built, place)
    ]


def _picker(portal: Portal, data: DeadlinePlaces, place: str | None) -> Sequence[str]:
    """The places the page's place filter offers: all while they are few; past that the
    provinces, and on a commune's page the communes of its province (its siblings; a
    province's page lists its own communes below). Never the whole country: 3,300 communes on
    every page would weigh 300 KB each."""
    if len(data.deadline_places) <= PLACES_ON_ONE_PAGE:
        return data.deadline_places
    parent = portal.jurisdictions[place].parent if place else None
    return (*data.deadline_tops, *(data.deadline_communes[parent] if parent else ()))


def _below(portal: Portal, data: DeadlinePlaces, j: str) -> list[Deadline]:
    """A place's deadlines with those of its communes (for the overview's counts)."""
    return [
        d
        for p in data.deadline_places
        if _top(portal, p) == j
        for d in data.deadline_due.get(p, ())
    ]


def _children(
    portal: Portal,
    built: dt.date,
    url: str,
    ids: Sequence[str],
    count: Callable[[str], Sequence[Deadline]],
) -> tuple[PlaceCount, ...]:
    return tuple(
        PlaceCount(
            portal.jurisdictions[j].name,
            urls.relative(url, urls.deadlines_place_url(j)),
            _counts(count(j), built),
        )
        for j in sorted(ids, key=lambda j: portal.jurisdictions[j].name)
    )


def _context(
    portal: Portal,
    data: DeadlinePlaces,
    built: dt.date,
    url: str,
    place: str | None,
    sections: tuple[DueSection, ...],
    kids: tuple[PlaceCount, ...],
    pages: tuple[PagerLink, ...] = (),
    scope: str = "",
) -> DeadlinesPage:
    rel: Rel = lambda target: urls.relative(url, target)  # noqa: E731
    # The agency filter offers the agencies of the entries listed here: one whose deadlines
    # are all past or undated would show nothing.
    involved = {
        a
        for s in sections
        for m in s.months
        for e in m.entries
        for duty in e.duties
        for a in duty.agencies.split()
    }
    parent = portal.jurisdictions[place].parent if place else None
    listed = place in data.deadline_due or place in data.deadline_replaced
    return DeadlinesPage(
        built=date_dmy(built),
        place=portal.jurisdictions[place].name if place else None,
        back=rel(urls.DEADLINES_URL) if place else None,
        parent=(
            Link(rel(urls.deadlines_place_url(parent)), portal.jurisdictions[parent].name)
            if parent
            else None
        ),
        feed=rel(urls.jurisdiction_feed_url(place) if place else urls.ALL_FEED_URL),
        files=tuple(
            Link(rel(urls.jurisdiction_data_url(place, fmt)), FORMAT_NAMES[fmt])
            for fmt in urls.DATA_FORMATS
        )
        if place is not None and listed
        else (),
        how_to=names.CALENDAR_HOW_TO,
        places=tuple(
            Option(rel(urls.deadlines_place_url(j)), portal.jurisdictions[j].name)
            for j in _picker(portal, data, place)
        ),
        here=rel(urls.deadlines_place_url(place)) if place else "",
        agencies=tuple(
            Option(a.id, a.name)
            for a in sorted((portal.agencies[i] for i in involved), key=lambda a: a.name)
        ),
        roles=tuple(Option(duty.value, names.DUTY_LABELS[duty]) for duty in ROLE_ORDER),
        total=sum(s.count for s in sections),
        sections=sections,
        pages=pages,
        scope=scope,
        windows=tuple(title for _, title, _, _ in WINDOWS) + ("Thường xuyên",),
        children=kids,
        replaced=tuple(
            Link(rel(urls.plan_url(p.id)), names.plan_name(p))
            for p in (data.deadline_replaced.get(place, ()) if place else ())
        ),
        script=rel("assets/deadlines.js"),
    )


def place_deadlines_pages(
    portal: Portal, data: DeadlinePlaces, built: dt.date, place: str | None
) -> list[tuple[str, DeadlinesPage]]:
    """(URL, context) of one place's deadlines pages (one, or several when its entries do not
    fit in one), or of the overview (`place` None)."""
    if place is None:
        url = urls.DEADLINES_URL
        kids = _children(portal, built, url, data.deadline_tops, partial(_below, portal, data))
        return [(url, _context(portal, data, built, url, None, (), kids))]
    own = data.deadline_due.get(place, ())
    url = urls.deadlines_place_url(place)
    sections = _sections(own, built, partial(urls.relative, url))
    communes = data.deadline_communes.get(place, ())
    kids = _children(portal, built, url, communes, lambda c: data.deadline_due.get(c, ()))
    whole = _context(portal, data, built, url, place, sections, kids)
    options = (*whole.places, *whole.agencies)  # a page's agencies: some of the place's
    picker_bytes = sum(len(o.value) + len(o.text.encode()) + 30 for o in options)
    kids_bytes = sum(len(c.href) + len(c.name.encode()) + 120 for c in kids)
    counts = page_counts(
        sections,
        DUE_ENTRIES_BYTES - picker_bytes - kids_bytes,
        DUE_ENTRIES_BYTES - picker_bytes,
    )
    if len(counts) == 1:
        return [(url, whole)]
    total = sum(counts)
    pages = []
    for number in range(1, len(counts) + 1):
        url = urls.deadlines_place_url(place, number)
        sections = _sections(own, built, partial(urls.relative, url))
        pages.append(
            (
                url,
                _context(
                    portal,
                    data,
                    built,
                    url,
                    place,
                    paged_sections(sections, counts)[number - 1],
                    kids if number == 1 else (),
                    _pager(place, len(counts), number, url),
                    f" của trang này (trang {number}/{len(counts)}; "
                    f"{portal.jurisdictions[place].name} có {total} mục)",
                ),
            )
        )
    return pages


def _pager(place: str, count: int, current: int, url: str) -> tuple[PagerLink, ...]:
    return tuple(
        PagerLink(urls.relative(url, urls.deadlines_place_url(place, n)), str(n), n == current)
        for n in range(1, count + 1)
    )


FORMAT_NAMES = {"json": "JSON", "csv": "CSV (Excel)", "xlsx": "XLSX (Excel)"}


def open_data_page(
    portal: Portal,
    deadlines: Sequence[Deadline],
    sizes: Mapping[str, int],
    schemas: Sequence[tuple[str, str]],
    built: dt.date,
) -> OpenDataPage:
    """`sizes`: bytes of each download by URL; `schemas`: (URL, what it describes)."""
    rel: Rel = lambda target: urls.relative(urls.DATA_URL, target)  # noqa: E731
    tasks_by_place: dict[str, int] = {}
    for d in deadlines:
        if d.task is not None:
            tasks_by_place[d.plan.jurisdiction] = tasks_by_place.get(d.plan.jurisdiction, 0) + 1
    # Past the limit only the provinces (and the centre) are rows: each commune's files are
    # linked from its deadlines page, reached from its province's.
    listed = (
        tasks_by_place
        if len(tasks_by_place) <= PLACES_ON_ONE_PAGE
        else {j: n for j, n in tasks_by_place.items() if portal.jurisdictions[j].parent is None}
    )
    example = next(iter(portal.plans.values()), None)
    twin = urls.json_twin_url(urls.plan_url(example.id)) if example else urls.json_twin_url("")
    return OpenDataPage(
        built=date_dmy(built),
        licence=names.DATA_LICENCE,
        all_files=tuple(
            FileLink(
                rel(urls.all_tasks_data_url(fmt)),
                f"Tất cả nhiệm vụ, {FORMAT_NAMES[fmt]}",
                file_size(sizes[urls.all_tasks_data_url(fmt)]),
            )
            for fmt in urls.DATA_FORMATS
        ),
        places=tuple(
            PlaceFiles(
                portal.jurisdictions[j].name,
                rel(urls.deadlines_place_url(j)),
                count,
                tuple(
                    Link(rel(urls.jurisdiction_data_url(j, fmt)), FORMAT_NAMES[fmt])
                    for fmt in urls.DATA_FORMATS
                ),
                rel(urls.jurisdiction_feed_url(j)),
            )
            for j, count in sorted(listed.items(), key=lambda kv: portal.jurisdictions[kv[0]].name)
        ),
        communes_elsewhere=len(listed) < len(tasks_by_place),
        columns=tuple(ColumnDoc(c.header, c.key, c.description) for c in exports.COLUMNS),
        schemas=tuple(Link(rel(url), text) for url, text in schemas),
        all_feed=rel(urls.ALL_FEED_URL),
        how_to=names.CALENDAR_HOW_TO,
        example_twin=rel(twin),
        example_twin_text="/" + twin,
    )


def deadline_pages(
    site: Site, deadlines: Sequence[Deadline], built: dt.date, reuse: units.Reuse | None = None
) -> Iterator[Page | Kept]:
    """The deadlines pages, made one place at a time as they are taken. With `reuse`, a place's
    pages whose inputs (its deadlines, its communes' counts, the build date among them) have
    not changed since the last build are handed on as `Kept` (generator/render/units.py): an
    edit makes again the pages of the edited plan's place, of its province and the overview."""
    data = deadline_places_of(site.portal, deadlines)
    day = {"date": built.isoformat()}
    if reuse is not None:
        reuse.bind(units.sources_of(data) | {"built": lambda: day})
    for place in (None, *data.deadline_places):
        make = partial(_recorded_place_pages, site, data, day, place)
        yield from units.reused_or_made(reuse, ("deadlines", place or ""), make)


def _recorded_place_pages(
    site: Site, data: DeadlinePlaces, day: Mapping[str, str], place: str | None, reads: set[Read]
) -> list[Page]:
    """A place's deadlines pages, what they read noted in `reads`."""
    seen = units.recording_site(site, reads)
    built = dt.date.fromisoformat(units.RecordingMapping("built", lambda: day, reads)["date"])
    return [
        seen.page(
            url, c, names.deadlines_title(c.place), names.deadlines_description(c.place, c.built)
        )
        for url, c in place_deadlines_pages(seen.portal, units.recording(data, reads), built, place)
    ]


def data_page(
    site: Site,
    deadlines: Sequence[Deadline],
    sizes: Mapping[str, int],
    schemas: Sequence[tuple[str, str]],
    built: dt.date,
) -> Page:
    context = open_data_page(site.portal, deadlines, sizes, schemas, built)
    return site.page(urls.DATA_URL, context, names.DATA_TITLE, names.DATA_DESCRIPTION)
