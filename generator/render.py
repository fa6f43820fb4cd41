"""Stage 4, render: every page as Markdown text (front matter + HTML body), keyed by its path
under docs/. Everything a page shows is computed here and handed to one Jinja template per page
kind; templates only lay it out. Nothing here touches the disk."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator import cite, graph, names, urls
from generator.derive import Assignment, Indexes, Role
from generator.domain import (
    Agency,
    AgencyRef,
    Document,
    Group,
    Level,
    Plan,
    Portal,
    Task,
    task_anchor,
)
from generator.names import document_citation, document_name, plan_name, task_label
from generator.pages import Page
from generator.text import UNKNOWN, date_dmy, rich_text, shorten

LEVEL_NAMES = {
    Level.NATIONAL: "Trung ương",
    Level.PROVINCE: "Cấp tỉnh, thành phố",
    Level.COMMUNE: "Cấp xã, phường",
}
METRIC_NAMES = {
    "von-uy-thac-tang-truong": "Vốn ngân sách địa phương ủy thác hằng năm, so với tăng trưởng tín dụng",
    "von-uy-thac-2030": "Vốn ủy thác của địa phương trong tổng nguồn vốn, đến năm 2030",
}


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,  # data text is always escaped; rich_text builds its own safe markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["richtext"] = rich_text
    env.filters["dmy"] = date_dmy
    return env


def plan_citation(plan: Plan, portal: Portal) -> str:
    """The plan as an official letter names it: kind, number, date, issuer."""
    return names.plan_citation(plan, portal.agencies[plan.issuer])


# --- views ------------------------------------------------------------------------------------

Rel = Callable[[str], str]


def _agency_links(refs: tuple[AgencyRef, ...], rel: Rel) -> list[dict[str, str]]:
    return [{"text": r.written, "href": rel(urls.agency_url(r.agency_id))} for r in refs]


def task_row(
    plan: Plan,
    group: Group,
    task: Task,
    rel: Rel,
    portal: Portal,
    site_url: str,
    on_plan_page: bool,
) -> dict[str, Any]:
    target = urls.plan_url(plan.id) + "#" + task.anchor
    href = rel(target)
    return {
        "anchor": task.anchor if on_plan_page else None,
        "former_anchors": [task_anchor(f) for f in task.former_ids] if on_plan_page else [],
        "citation": names.task_citation(plan, group, task, portal.agencies[plan.issuer]),
        "permalink": cite.absolute(site_url, target),
        "number": task.number,
        "label": task_label(task),
        "href": href,
        "text": task.text,
        "lead": _agency_links(task.lead, rel),
        "support": _agency_links(task.support, rel),
        "output": task.output,
        "timeline": task.timeline.text if task.timeline else None,
        "notes": task.notes,
    }


def _ref_link(target: str, portal: Portal, rel: Rel) -> dict[str, str]:
    """A plan or document id as a link with its citation."""
    if target in portal.plans:
        plan = portal.plans[target]
        return {
            "href": rel(urls.plan_url(target)),
            "text": plan_citation(plan, portal),
            "title": plan.title or "",
        }
    doc = portal.documents[target]
    return {
        "href": rel(urls.document_url(target)),
        "text": document_citation(doc),
        "title": doc.title or "",
    }


def _implementers_tree(
    target: str, portal: Portal, idx: Indexes, rel: Rel, depth: int = 0
) -> list[dict[str, Any]]:
    """Plans and documents implementing `target`, each with those implementing it in turn."""
    if depth > 10:  # the model rejects cycles; this bounds a pathological chain anyway
        return []
    return [
        {
            **_ref_link(child, portal, rel),
            "children": _implementers_tree(child, portal, idx, rel, depth + 1),
        }
        for child in idx.implemented_by.get(target, ())
    ]


def _replacement_banner(
    target: str, portal: Portal, idx: Indexes, rel: Rel
) -> list[dict[str, str]]:
    return [_ref_link(p, portal, rel) for p in idx.replaced_by.get(target, ())]


def front_matter(
    title: str,
    description: str,
    print_header: str | None = None,
    hide: tuple[str, ...] = ("navigation", "toc"),
) -> str:
    # Material prints the front matter's title and description as HTML, unescaped (in <title>,
    # the header, <meta content="…">), as it would a title written in Markdown: so they go in
    # escaped, or a data text such as `</title><script>` would become part of every page.
    meta: dict[str, Any] = {
        "title": html.escape(title),
        "description": html.escape(description),
        "hide": list(hide),
    }
    if print_header:
        # Shown at the top of every printed A4 page (overrides/main.html puts it in @page).
        meta["print_header_css"] = cite.css_string(print_header)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


class Renderer:
    def __init__(self, portal: Portal, idx: Indexes, templates: Path, site_url: str) -> None:
        self.portal = portal
        self.idx = idx
        self.env = environment(templates)
        self.site_url = site_url

    def page(
        self,
        url: str,
        template: str,
        title: str,
        description: str,
        citation: str | None = None,
        print_header: str | None = None,
        **context: Any,
    ) -> Page:
        """A page; with a `citation`, it carries its permanent URL, copy buttons and a QR code."""
        rel = partial(urls.relative, url)
        permalink = None
        if citation:
            address = cite.absolute(self.site_url, url)
            permalink = {"url": address, "citation": citation, "qr": cite.qr_svg(address)}
        body = self.env.get_template(template).render(
            rel=rel, url=url, permalink=permalink, **context
        )
        meta = front_matter(title, description, print_header or citation)
        return Page(urls.source_path(url), meta + body)

    def row(
        self, plan: Plan, group: Group, task: Task, rel: Rel, on_plan_page: bool = False
    ) -> dict[str, Any]:
        return task_row(plan, group, task, rel, self.portal, self.site_url, on_plan_page)

    # plans ----------------------------------------------------------------------------------

    def plan_summary(self, plan: Plan, rel: Rel) -> dict[str, Any]:
        return {
            "href": rel(urls.plan_url(plan.id)),
            "name": plan_name(plan),
            "citation": plan_citation(plan, self.portal),
            "title": plan.title,
            "date": date_dmy(plan.date),
            "issuer": self.portal.agencies[plan.issuer].name,
            "tasks": len(plan.tasks),
            "replaced": bool(self.idx.replaced_by.get(plan.id)),
        }

    def plans_by_level(self, rel: Rel) -> list[dict[str, Any]]:
        by_level: dict[Level, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
        for plan in self.portal.plans.values():
            jurisdiction = self.portal.jurisdictions[plan.jurisdiction]
            by_level[jurisdiction.level][jurisdiction.id].append(plan)
        return [
            {
                "name": LEVEL_NAMES[level],
                "jurisdictions": [
                    {
                        "name": self.portal.jurisdictions[j].name,
                        "plans": [self.plan_summary(p, rel) for p in plans],
                    }
                    for j, plans in sorted(
                        by_level[level].items(),
                        key=lambda kv: self.portal.jurisdictions[kv[0]].name,
                    )
                ],
            }
            for level in Level
            if level in by_level
        ]

    def plan_page(self, plan: Plan) -> Page:
        url = urls.plan_url(plan.id)
        rel = partial(urls.relative, url)
        issuer = self.portal.agencies[plan.issuer]
        groups = [
            {
                "id": group.id,
                "number": group.number,
                "title": group.title,
                "href": rel(urls.group_url(plan.id, group.id)),
                "rows": [self.row(plan, group, t, rel, on_plan_page=True) for t in group.tasks],
            }
            for group in plan.groups
        ]
        return self.page(
            url,
            "plan.md.j2",
            title=f"{plan_name(plan)} – {issuer.name}",
            description=shorten(plan.title or plan_citation(plan, self.portal)),
            citation=plan_citation(plan, self.portal),
            plan=plan,
            name=plan_name(plan),
            date=date_dmy(plan.date),
            issuer={"name": issuer.name, "href": rel(urls.agency_url(issuer.id))},
            jurisdiction=self.portal.jurisdictions[plan.jurisdiction].name,
            implements=[_ref_link(t, self.portal, rel) for t in plan.implements],
            replaces=[_ref_link(t, self.portal, rel) for t in plan.replaces],
            replaced_by=_replacement_banner(plan.id, self.portal, self.idx, rel),
            implemented_by=_implementers_tree(plan.id, self.portal, self.idx, rel),
            groups=groups,
            task_count=len(plan.tasks),
            unknown=UNKNOWN,
        )

    def group_page(self, plan: Plan, position: int) -> Page:
        group = plan.groups[position]
        url = urls.group_url(plan.id, group.id)
        rel = partial(urls.relative, url)
        involved: dict[str, dict[str, Any]] = {}
        for task in group.tasks:
            for role, refs in ((Role.LEAD, task.lead), (Role.SUPPORT, task.support)):
                for ref in refs:
                    entry = involved.setdefault(
                        ref.agency_id,
                        {
                            "name": self.portal.agencies[ref.agency_id].name,
                            "href": rel(urls.agency_url(ref.agency_id)),
                            "lead": 0,
                            "support": 0,
                        },
                    )
                    entry["lead" if role is Role.LEAD else "support"] += 1

        def neighbour(other: Group | None) -> dict[str, str] | None:
            if other is None:
                return None
            label = f"Nhóm {other.number}" if other.number else "Nhóm"
            return {
                "href": rel(urls.group_url(plan.id, other.id)),
                "text": f"{label}. {other.title}",
            }

        groups = plan.groups
        heading = f"Nhóm {group.number}. {group.title}" if group.number else group.title
        return self.page(
            url,
            "group.md.j2",
            title=f"{heading} – {plan_name(plan)}",
            description=shorten(f"{heading}. {plan_citation(plan, self.portal)}"),
            heading=heading,
            plan={
                "href": rel(urls.plan_url(plan.id)),
                "citation": plan_citation(plan, self.portal),
                "name": plan_name(plan),
            },
            theme={
                "name": self.portal.themes[group.theme].name,
                "href": rel(urls.theme_url(group.theme)),
            },
            citation=names.group_citation(plan, group, self.portal.agencies[plan.issuer]),
            print_header=plan_citation(plan, self.portal),
            rows=[self.row(plan, group, t, rel) for t in group.tasks],
            involved=sorted(
                involved.values(), key=lambda e: (-e["lead"], -e["support"], e["name"])
            ),
            previous=neighbour(groups[position - 1] if position > 0 else None),
            next=neighbour(groups[position + 1] if position + 1 < len(groups) else None),
        )

    # agencies -------------------------------------------------------------------------------

    def agency_page(self, agency: Agency) -> Page:
        url = urls.agency_url(agency.id)
        rel = partial(urls.relative, url)
        items = self.idx.assignments.get(agency.id, ())

        def by_plan(role: Role) -> list[dict[str, Any]]:
            grouped: dict[str, list[Assignment]] = defaultdict(list)
            for item in items:
                if item.role is role:
                    grouped[item.plan.id].append(item)
            return [
                {
                    **self.plan_summary(self.portal.plans[pid], rel),
                    "rows": [
                        {**self.row(a.plan, a.group, a.task, rel), "written": a.written}
                        for a in assignments
                    ],
                }
                for pid, assignments in grouped.items()
            ]

        lead, support = by_plan(Role.LEAD), by_plan(Role.SUPPORT)
        jurisdiction = self.portal.jurisdictions[agency.jurisdiction]
        issued = [
            self.plan_summary(p, rel) for p in self.portal.plans.values() if p.issuer == agency.id
        ]
        return self.page(
            url,
            "agency.md.j2",
            title=f"{agency.name} ({jurisdiction.name})",
            description=shorten(
                f"Các nhiệm vụ {agency.name} chủ trì và phối hợp thực hiện trong các kế hoạch."
            ),
            citation=names.agency_citation(agency, jurisdiction),
            print_header=f"{agency.name} ({jurisdiction.name})",
            agency=agency,
            jurisdiction={
                "name": jurisdiction.name,
                "href": rel(urls.jurisdiction_url(jurisdiction.id)),
            },
            lead=lead,
            support=support,
            lead_count=sum(len(p["rows"]) for p in lead),
            support_count=sum(len(p["rows"]) for p in support),
            issued=issued,
        )

    def agency_list(self, agencies: list[Agency], rel: Rel) -> list[dict[str, Any]]:
        def count(agency: Agency, role: Role) -> int:
            return sum(1 for a in self.idx.assignments.get(agency.id, ()) if a.role is role)

        return [
            {
                "name": a.name,
                "href": rel(urls.agency_url(a.id)),
                "collective": a.collective,
                "lead": count(a, Role.LEAD),
                "support": count(a, Role.SUPPORT),
            }
            for a in sorted(agencies, key=lambda a: a.name)
        ]

    def jurisdiction_page(self, jurisdiction_id: str) -> Page:
        jurisdiction = self.portal.jurisdictions[jurisdiction_id]
        url = urls.jurisdiction_url(jurisdiction_id)
        rel = partial(urls.relative, url)
        agencies = [a for a in self.portal.agencies.values() if a.jurisdiction == jurisdiction_id]
        plans = [
            self.plan_summary(p, rel)
            for p in self.portal.plans.values()
            if p.jurisdiction == jurisdiction_id
        ]
        return self.page(
            url,
            "jurisdiction.md.j2",
            title=f"Cơ quan, đơn vị – {jurisdiction.name}",
            description=f"Danh bạ cơ quan, đơn vị {jurisdiction.name} có nhiệm vụ trong các kế hoạch.",
            jurisdiction=jurisdiction,
            agencies=self.agency_list(agencies, rel),
            plans=plans,
            back=rel("co-quan/"),
        )

    def agencies_index(self) -> Page:
        url = "co-quan/"
        rel = partial(urls.relative, url)
        sections = []
        for level in Level:
            for j in sorted(
                (j for j in self.portal.jurisdictions.values() if j.level is level),
                key=lambda j: j.name,
            ):
                agencies = [a for a in self.portal.agencies.values() if a.jurisdiction == j.id]
                if agencies:
                    sections.append(
                        {
                            "name": j.name,
                            "href": rel(urls.jurisdiction_url(j.id)),
                            "agencies": self.agency_list(agencies, rel),
                        }
                    )
        return self.page(
            url,
            "agencies_index.md.j2",
            title="Danh bạ cơ quan, đơn vị",
            description="Mọi cơ quan, đơn vị có nhiệm vụ trong các kế hoạch, theo địa bàn.",
            sections=sections,
        )

    # documents ------------------------------------------------------------------------------

    def document_page(self, doc: Document) -> Page:
        url = urls.document_url(doc.id)
        rel = partial(urls.relative, url)
        return self.page(
            url,
            "document.md.j2",
            title=document_citation(doc),
            description=shorten(f"{document_citation(doc)} {doc.title or ''}"),
            doc=doc,
            name=document_name(doc),
            date=date_dmy(doc.date),
            jurisdiction=self.portal.jurisdictions[doc.jurisdiction].name,
            implements=[_ref_link(t, self.portal, rel) for t in doc.implements],
            implemented_by=_implementers_tree(doc.id, self.portal, self.idx, rel),
            replaced_by=_replacement_banner(doc.id, self.portal, self.idx, rel),
            unknown=UNKNOWN,
        )

    def documents_index(self) -> Page:
        url = "van-ban/"
        rel = partial(urls.relative, url)
        docs = sorted(self.portal.documents.values(), key=lambda d: (d.date is None, d.date, d.id))
        rows = [
            {
                "href": rel(urls.document_url(d.id)),
                "name": document_name(d),
                "date": date_dmy(d.date),
                "issuer": d.issuer or UNKNOWN,
                "title": d.title,
                "plans": len(self.idx.implemented_by.get(d.id, ())),
            }
            for d in docs
        ]
        return self.page(
            url,
            "documents_index.md.j2",
            title="Văn bản được căn cứ",
            description="Các văn bản mà các kế hoạch trên cổng căn cứ, triển khai hoặc thay thế.",
            rows=rows,
        )

    def plans_index(self) -> Page:
        url = "ke-hoach/"
        rel = partial(urls.relative, url)
        return self.page(
            url,
            "plans_index.md.j2",
            title="Các kế hoạch",
            description="Các kế hoạch thực hiện Chỉ thị 39-CT/TW và Quyết định 1560/QĐ-TTg, theo cấp và địa bàn.",
            levels=self.plans_by_level(rel),
        )

    # document graph -------------------------------------------------------------------------

    def graph_node(self, node_id: str) -> graph.Node:
        replaced = bool(self.idx.replaced_by.get(node_id))
        if node_id in self.portal.plans:
            plan = self.portal.plans[node_id]
            place = self.portal.jurisdictions[plan.jurisdiction].name
            lines = (
                plan_name(plan),
                self.portal.agencies[plan.issuer].name,
                f"{date_dmy(plan.date)} · {place}",
            )
            url, is_plan = urls.plan_url(node_id), True
        else:
            doc = self.portal.documents[node_id]
            place = self.portal.jurisdictions[doc.jurisdiction].name
            lines = (document_name(doc), doc.issuer or UNKNOWN, f"{date_dmy(doc.date)} · {place}")
            url, is_plan = urls.document_url(node_id), False
        shown = (*lines, "Đã được thay thế") if replaced else lines
        return graph.Node(
            node_id, tuple(graph.clip(line) for line in shown), url, is_plan, replaced
        )

    def graph_page(self) -> Page:
        url = "so-do/"
        rel = partial(urls.relative, url)
        implements = {d.id: d.implements for d in self.portal.documents.values()}
        implements.update({p.id: p.implements for p in self.portal.plans.values()})
        replaces = {p.id: p.replaces for p in self.portal.plans.values() if p.replaces}
        linked = {n for n, targets in implements.items() if targets}
        linked |= {t for targets in implements.values() for t in targets}
        linked |= set(replaces) | {t for targets in replaces.values() for t in targets}
        order = [*self.portal.documents, *self.portal.plans]
        nodes = [self.graph_node(n) for n in order if n in linked]
        picture = graph.layout(nodes, implements, replaces)
        roots = [n.id for n in nodes if not any(t in linked for t in implements.get(n.id, ()))]
        tree = [
            {
                **_ref_link(r, self.portal, rel),
                "children": _implementers_tree(r, self.portal, self.idx, rel),
            }
            for r in roots
        ]
        others = [_ref_link(n, self.portal, rel) for n in order if n not in linked]
        return self.page(
            url,
            "graph.md.j2",
            title="Sơ đồ văn bản",
            description="Quan hệ căn cứ, triển khai và thay thế giữa các văn bản và kế hoạch, từ Chỉ thị 39-CT/TW đến cấp xã.",
            layout=picture,
            hrefs={b.node.id: rel(b.node.url) for b in picture.boxes},
            box=(graph.BOX_WIDTH, graph.BOX_HEIGHT),
            tree=tree,
            others=others,
        )

    # themes ---------------------------------------------------------------------------------

    def figure_rows(self, rel: Rel, theme_id: str | None) -> list[dict[str, Any]]:
        """One row per plan that sets a figure (in a group of `theme_id`, or any when None)."""
        rows = []
        for plan in self.portal.plans.values():
            theme_of = {t.id: g.theme for g in plan.groups for t in g.tasks}
            cells = {}
            for figure in plan.figures:
                if theme_id is not None and theme_of.get(figure.task or "") != theme_id:
                    continue
                where = (
                    rel(urls.plan_url(plan.id) + "#" + task_anchor(figure.task))
                    if figure.task
                    else None
                )
                cells[figure.metric] = {
                    "value": figure.value,
                    "quote": figure.quote,
                    "href": where,
                    "where": figure.where or (f"Nhiệm vụ {figure.task}" if figure.task else None),
                }
            if cells:
                rows.append(
                    {
                        "plan": self.plan_summary(plan, rel),
                        "cells": [cells.get(metric) for metric in METRIC_NAMES],
                    }
                )
        return rows

    def theme_page(self, theme_id: str) -> Page:
        theme = self.portal.themes[theme_id]
        url = urls.theme_url(theme_id)
        rel = partial(urls.relative, url)
        columns: dict[str, dict[str, Any]] = {}
        for plan, group in self.idx.groups_by_theme.get(theme_id, ()):
            column = columns.setdefault(plan.id, {**self.plan_summary(plan, rel), "groups": []})
            heading = f"{group.number}. {group.title}" if group.number else group.title
            column["groups"].append(
                {
                    "heading": heading,
                    "href": rel(urls.group_url(plan.id, group.id)),
                    "rows": [self.row(plan, group, t, rel) for t in group.tasks],
                }
            )
        return self.page(
            url,
            "theme.md.j2",
            title=f"Chủ đề: {theme.name}",
            description=shorten(
                f"{theme.name}: các kế hoạch nói gì, đặt cạnh nhau. {theme.description}"
            ),
            theme=theme,
            columns=list(columns.values()),
            metrics=list(METRIC_NAMES.values()),
            figures=self.figure_rows(rel, theme_id),
            back=rel("chu-de/"),
        )

    def themes_index(self) -> Page:
        url = "chu-de/"
        rel = partial(urls.relative, url)
        themes = [
            {
                "name": t.name,
                "description": t.description,
                "href": rel(urls.theme_url(t.id)),
                "plans": len({p.id for p, _ in self.idx.groups_by_theme.get(t.id, ())}),
                "groups": len(self.idx.groups_by_theme.get(t.id, ())),
            }
            for t in self.portal.themes.values()
        ]
        return self.page(
            url,
            "themes_index.md.j2",
            title="Chủ đề",
            description="Các lĩnh vực của Chỉ thị 39-CT/TW: mỗi kế hoạch nói gì về từng lĩnh vực, đặt cạnh nhau.",
            themes=themes,
            metrics=list(METRIC_NAMES.values()),
            figures=self.figure_rows(rel, None),
        )

    def home_snippet(self) -> Page:
        """The plan list the hand-written home page includes (a dot file: not a page itself)."""
        rel = partial(urls.relative, "")
        body = self.env.get_template("home_plans.md.j2").render(
            levels=self.plans_by_level(rel), rel=rel
        )
        return Page("ke-hoach/.trang-chu.md", body)


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


def redirect_pages(env: jinja2.Environment, moved: dict[str, str], site_url: str) -> list[Page]:
    """Static pages at old URLs that send the reader on, keeping the #nv-… part (GitHub Pages
    has no server-side redirects)."""
    template = env.get_template("redirect.html.j2")
    return [
        Page(
            old + "index.html",
            template.render(
                href=urls.relative(old, new), canonical=cite.absolute(site_url, new), title=new
            ),
        )
        for old, new in sorted(moved.items())
    ]


def render(portal: Portal, idx: Indexes, templates: Path, site_url: str) -> list[Page]:
    """Every generated page of the portal."""
    r = Renderer(portal, idx, templates, site_url)
    pages = [
        r.plans_index(),
        r.home_snippet(),
        r.agencies_index(),
        r.documents_index(),
        r.themes_index(),
    ]
    pages.extend(r.theme_page(t) for t in portal.themes)
    pages.append(r.graph_page())
    pages.extend(redirect_pages(r.env, redirects(portal), site_url))
    for plan in portal.plans.values():
        pages.append(r.plan_page(plan))
        pages.extend(r.group_page(plan, i) for i in range(len(plan.groups)))
    used_jurisdictions = sorted({a.jurisdiction for a in portal.agencies.values()})
    pages.extend(r.jurisdiction_page(j) for j in used_jurisdictions)
    pages.extend(r.agency_page(a) for a in portal.agencies.values())
    pages.extend(r.document_page(d) for d in portal.documents.values())
    return pages
