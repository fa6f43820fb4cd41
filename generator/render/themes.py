"""Theme pages (what each plan says on one theme, side by side) and the theme list."""

from __future__ import annotations

from collections.abc import Iterable

from generator import names, urls
from generator.contexts import (
    FigureCell,
    FigureRow,
    Figures,
    Link,
    PagerLink,
    ProvinceCount,
    ThemeColumn,
    ThemeEntry,
    ThemeGroup,
    ThemeGroupLink,
    ThemeOverview,
    ThemePage,
    ThemePlacePage,
    ThemePlanGroups,
    ThemesIndex,
)
from generator.domain import Group, Level, Metric, Plan, task_anchor
from generator.pages import Page
from generator.render.common import (
    THEME_PLANS_ON_ONE_PAGE,
    THEME_ROWS_ON_ONE_PAGE,
    Rel,
    Site,
    relative_to,
)


def figures(
    site: Site, rel: Rel, theme_id: str | None, plans: Iterable[Plan] | None = None
) -> Figures:
    """One row per plan (of `plans`, or all) that sets a figure (in a group of `theme_id`, or
    any when None)."""
    rows = []
    for plan in site.portal.plans.values() if plans is None else plans:
        theme_of = {t.id: g.theme for g in plan.groups for t in g.tasks}
        cells: dict[Metric, FigureCell] = {}
        for figure in plan.figures:
            if theme_id is not None and theme_of.get(figure.task or "") != theme_id:
                continue
            where = urls.plan_url(plan.id) + "#" + task_anchor(figure.task) if figure.task else None
            cells[Metric(figure.metric)] = FigureCell(
                figure.value,
                figure.quote,
                rel(where) if where else None,
                names.figure_place(plan, figure),
            )
        if cells:
            rows.append(
                FigureRow(site.plan_summary(plan, rel), tuple(cells.get(m) for m in Metric))
            )
    return Figures(names.metric_names(), tuple(rows))


def theme_pages(site: Site, theme_id: str) -> list[Page]:
    """The theme's page; when its plans hold too many tasks for one page, an overview by
    province and a page for each province (numbered pages when it has too many plans)."""
    found = site.idx.groups_by_theme.get(theme_id, ())
    if sum(len(group.tasks) for _, group in found) <= THEME_ROWS_ON_ONE_PAGE:
        return [theme_page(site, theme_id)]
    by_place: dict[str, list[tuple[Plan, Group]]] = {}
    for plan, group in found:
        by_place.setdefault(site.province_of(plan.jurisdiction), []).append((plan, group))
    pages = [theme_overview(site, theme_id, by_place)]
    for place_id, entries in by_place.items():
        pages += theme_place_pages(site, theme_id, place_id, entries)
    return pages


def _by_plan(entries: Iterable[tuple[Plan, Group]]) -> dict[str, tuple[Plan, list[Group]]]:
    by_plan: dict[str, tuple[Plan, list[Group]]] = {}
    for plan, group in entries:
        by_plan.setdefault(plan.id, (plan, []))[1].append(group)
    return by_plan


def theme_page(site: Site, theme_id: str) -> Page:
    theme = site.portal.themes[theme_id]
    url = urls.theme_url(theme_id)
    rel = relative_to(url)
    columns = tuple(
        ThemeColumn(
            site.plan_summary(plan, rel),
            tuple(
                ThemeGroup(
                    names.group_entry(group),
                    rel(urls.group_url(plan.id, group.id)),
                    tuple(site.row(plan, group, t, rel) for t in group.tasks),
                )
                for group in groups
            ),
        )
        for plan, groups in _by_plan(site.idx.groups_by_theme.get(theme_id, ())).values()
    )
    context = ThemePage(
        back=rel("chu-de/"),
        name=theme.name,
        description=theme.description,
        figures=figures(site, rel, theme_id),
        columns=columns,
    )
    return site.page(url, context, names.theme_title(theme), names.theme_description(theme))


def theme_overview(
    site: Site, theme_id: str, by_place: dict[str, list[tuple[Plan, Group]]]
) -> Page:
    theme = site.portal.themes[theme_id]
    url = urls.theme_url(theme_id)
    rel = relative_to(url)
    places = site.portal.jurisdictions
    # The figures of the centre's and the provinces' own plans; communes' are on their page.
    own = (p for p in site.portal.plans.values() if places[p.jurisdiction].level != Level.COMMUNE)
    context = ThemeOverview(
        back=rel("chu-de/"),
        name=theme.name,
        description=theme.description,
        figures=figures(site, rel, theme_id, own),
        places=tuple(
            ProvinceCount(
                places[place].name,
                rel(urls.theme_place_url(theme_id, place)),
                len({plan.id for plan, _ in entries}),
                sum(len(group.tasks) for _, group in entries),
            )
            for place, entries in sorted(by_place.items(), key=lambda kv: places[kv[0]].name)
        ),
    )
    return site.page(url, context, names.theme_title(theme), names.theme_description(theme))


def theme_place_pages(
    site: Site, theme_id: str, place_id: str, entries: list[tuple[Plan, Group]]
) -> list[Page]:
    """The theme in one province: its plans' groups on the theme, THEME_PLANS_ON_ONE_PAGE
    plans a page (a province has about a hundred communes, each with its plan)."""
    plans = list(_by_plan(entries).values())
    cuts = [
        plans[start : start + THEME_PLANS_ON_ONE_PAGE]
        for start in range(0, len(plans), THEME_PLANS_ON_ONE_PAGE)
    ]
    return [
        theme_place(site, theme_id, place_id, cut, number, len(cuts))
        for number, cut in enumerate(cuts, start=1)
    ]


def theme_place(
    site: Site,
    theme_id: str,
    place_id: str,
    plans: list[tuple[Plan, list[Group]]],
    number: int,
    count: int,
) -> Page:
    theme = site.portal.themes[theme_id]
    place = site.portal.jurisdictions[place_id]
    url = urls.theme_place_url(theme_id, place_id, number)
    rel = relative_to(url)
    context = ThemePlacePage(
        back=Link(rel(urls.theme_url(theme_id)), theme.name),
        name=place.name,
        figures=figures(site, rel, theme_id, (plan for plan, _ in plans)),
        plans=tuple(
            ThemePlanGroups(
                site.plan_summary(plan, rel),
                tuple(
                    ThemeGroupLink(
                        names.group_entry(g), rel(urls.group_url(plan.id, g.id)), len(g.tasks)
                    )
                    for g in groups
                ),
            )
            for plan, groups in plans
        ),
        pages=tuple(
            PagerLink(rel(urls.theme_place_url(theme_id, place_id, n)), str(n), n == number)
            for n in range(1, count + 1)
        )
        if count > 1
        else (),
    )
    return site.page(
        url,
        context,
        names.theme_place_title(theme, place, number),
        names.theme_place_description(theme, place),
    )


def themes_index(site: Site) -> Page:
    url = "chu-de/"
    rel = relative_to(url)
    themes = tuple(
        ThemeEntry(
            name=t.name,
            description=t.description,
            href=rel(urls.theme_url(t.id)),
            plans=len({p.id for p, _ in site.idx.groups_by_theme.get(t.id, ())}),
            groups=len(site.idx.groups_by_theme.get(t.id, ())),
        )
        for t in site.portal.themes.values()
    )
    title, description = names.INDEX_PAGES[url]
    return site.page(url, ThemesIndex(themes, figures(site, rel, None)), title, description)
