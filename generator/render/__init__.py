"""Stage 4, render: every page as Markdown text (front matter + HTML body), keyed by its path
under docs/. Each page family builds its typed context (generator/contexts.py) here, asking
`names` for every name and label; one Jinja template per page kind only prints it. Nothing
here touches the disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from generator import permalink, progress, urls
from generator.contexts import Redirect
from generator.deadlines import Deadline
from generator.derive import Indexes
from generator.domain import Plan, Portal
from generator.pages import Output, Page
from generator.render import units
from generator.render.agencies import agencies_index, agency_pages, jurisdiction_page
from generator.render.common import Site, environment, print_text
from generator.render.deadlines import data_page, deadline_pages
from generator.render.documents import document_page, documents_index, graph_pages
from generator.render.plans import group_page, home_snippet, plan_pages, plans_index
from generator.render.themes import theme_pages, themes_index

T = TypeVar("T")


def redirects(portal: Portal) -> dict[str, str]:
    """Old URL → current URL for every id renamed with `former_ids`."""
    moved: dict[str, str] = {}
    for plan in portal.plans.values():
        for old in plan.former_ids:
            moved[urls.plan_url(old)] = urls.plan_url(plan.id)
        for group in plan.groups:
            for plan_id in (plan.id, *plan.former_ids):
                for group_id in (group.id, *group.former_ids):
                    old_url = urls.group_url(plan_id, group_id)
                    if (plan_id, group_id) != (plan.id, group.id):
                        moved[old_url] = urls.group_url(plan.id, group.id)
    for agency in portal.agencies.values():
        for old in agency.former_ids:
            moved[urls.agency_url(old)] = urls.agency_url(agency.id)
    for doc in portal.documents.values():
        for old in doc.former_ids:
            moved[urls.document_url(old)] = urls.document_url(doc.id)
    return moved


def redirect_pages(site: Site, moved: dict[str, str]) -> list[Page]:
    """Static pages at old URLs that send the reader on, keeping the #nv-… part (GitHub Pages
    has no server-side redirects)."""
    return [
        Page(
            old + "index.html",
            print_text(
                site.env,
                Redirect(urls.relative(old, new), urls.absolute(site.site_url, new), new),
            ),
        )
        for old, new in sorted(moved.items())
    ]


def render(
    portal: Portal,
    idx: Indexes,
    templates: Path,
    site_url: str,
    dates: Dates,
    qr: Callable[[str], str] = permalink.qr_svg,
    advance: progress.Advance = progress.ignore,
    reuse: units.Reuse | None = None,
    downloads: Iterable[Output] = (),
) -> Iterator[Output]:
    """Every generated page of the portal, made one at a time as the caller takes them (at
    national scale they do not fit in memory together); `qr` draws a URL's QR code;
    `advance(1)` is called after each plan's and each agency's pages (progress: they are
    nearly all the pages). With `reuse`, a plan's or an agency's pages whose inputs have not
    changed since the last build are not made again but handed on as `Kept` (generator/render/
    units.py); what each unit read is noted in it for the next build. `downloads` are handed
    on just before the open data page, which lists their sizes (`dates.sizes`, complete once
    they have passed): they are made meanwhile, elsewhere."""
    site = Site(portal, idx, environment(templates), site_url, qr)
    if reuse is not None:
        reuse.bind(units.site_sources(site))
    yield plans_index(site)
    yield home_snippet(site)
    yield agencies_index(site)
    yield documents_index(site)
    yield themes_index(site)
    for theme_id in portal.themes:
        yield from theme_pages(site, theme_id)
    yield from graph_pages(site)
    yield from redirect_pages(site, redirects(portal))
    # A plan's pages and an agency's pages are made from the portal alone, independently of
    # every other's: nearly all of the pages, so they are drawn on every core.
    plans = [(("plan", p.id), "plans", p) for p in portal.plans.values()]
    yield from _units(site, _plan_pages, plans, advance, reuse)
    used_jurisdictions = sorted({a.jurisdiction for a in portal.agencies.values()})
    yield from (jurisdiction_page(site, j) for j in used_jurisdictions)
    agencies = [(("agency", a.id), "agencies", a) for a in portal.agencies.values()]
    yield from _units(site, agency_pages, agencies, advance, reuse)
    yield from (document_page(site, d) for d in portal.documents.values())
    yield from deadline_pages(site, dates.deadlines, dates.built, reuse)
    yield from downloads
    yield data_page(site, dates.deadlines, dates.sizes, dates.schemas, dates.built)


def _units(
    site: Site,
    render_unit: Callable[[Site, T], list[Page]],
    items: list[tuple[units.Unit, str, T]],
    advance: progress.Advance,
    reuse: units.Reuse | None,
) -> Iterator[Output]:
    """Each item's pages in the items' order: those `reuse` keeps as `Kept` files, the others
    rendered on every core, what each read noted in `reuse`. An item is the unit, the
    portal's mapping that holds it (its own entry there is always one of its reads) and its
    value."""
    holder = {unit: mapping for unit, mapping, _ in items}
    render_one = partial(units.rendered, render_unit, site)
    pairs = [(unit, item) for unit, _, item in items]
    for unit, kept, made in units.kept_or_made(reuse, pairs, render_one, advance):
        if kept is not None:
            yield from kept
            continue
        assert made is not None
        pages, reads = made
        if reuse is not None:
            reuse.note(unit, reads | {(holder[unit], "key", unit[1])}, tuple(p.path for p in pages))
        yield from pages


def _plan_pages(site: Site, plan: Plan) -> list[Page]:
    """The plan's pages and its groups' pages."""
    return [*plan_pages(site, plan), *(group_page(site, plan, i) for i in range(len(plan.groups)))]


@dataclass(frozen=True)
class Dates:
    """What the deadlines and open data pages need beyond the portal: the day the build counts
    from, the deadlines as of that day, and the downloads made (their sizes, the schemas)."""

    built: dt.date
    deadlines: Sequence[Deadline]
    sizes: Mapping[str, int]  # URL → bytes of each download
    schemas: Sequence[tuple[str, str]]  # (URL, what it describes) of each published schema
