"""Theme pages (what each plan says on one theme, side by side) and the theme list."""

from __future__ import annotations

from generator import names, urls
from generator.contexts import (
    FigureCell,
    FigureRow,
    Figures,
    ThemeColumn,
    ThemeEntry,
    ThemeGroup,
    ThemePage,
    ThemesIndex,
)
from generator.domain import Group, Metric, Plan, task_anchor
from generator.pages import Page
from generator.render.common import Rel, Site, relative_to


def figures(site: Site, rel: Rel, theme_id: str | None) -> Figures:
    """One row per plan that sets a figure (in a group of `theme_id`, or any when None)."""
    rows = []
    for plan in site.portal.plans.values():
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


def theme_page(site: Site, theme_id: str) -> Page:
    theme = site.portal.themes[theme_id]
    url = urls.theme_url(theme_id)
    rel = relative_to(url)
    by_plan: dict[str, tuple[Plan, list[Group]]] = {}
    for plan, group in site.idx.groups_by_theme.get(theme_id, ()):
        by_plan.setdefault(plan.id, (plan, []))[1].append(group)
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
        for plan, groups in by_plan.values()
    )
    context = ThemePage(
        back=rel("chu-de/"),
        name=theme.name,
        description=theme.description,
        figures=figures(site, rel, theme_id),
        columns=columns,
    )
    return site.page(url, context, names.theme_title(theme), names.theme_description(theme))


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
