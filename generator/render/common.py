"""What every page family shares: the Jinja environment, front matter, the page itself (context
→ template → Markdown), and the rows and links several page kinds show."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import names, permalink, urls
from generator.contexts import (
    TEMPLATES,
    Absent,
    LevelPlans,
    Link,
    PageContext,
    Permalink,
    PlacePlans,
    PlanSummary,
    RefLink,
    TaskRow,
)
from generator.derive import Indexes
from generator.domain import Agency, AgencyRef, Group, Level, Plan, Portal, Task, task_anchor
from generator.pages import Page
from generator.text import date_dmy, rich_text

Rel = Callable[[str], str]

# DESIGN, "Scale": no page grows with the country. A listing shows everything while it is
# short; past these counts it becomes an overview with counts linking to a page a province
# (or to numbered pages), so that every page stays under 80 KB of HTML.
THEME_ROWS_ON_ONE_PAGE = 80  # task rows of a theme, across plans
# Plans on one page of a theme in a province (a province has up to ~100 communes' plans; an
# entry, a plan and its groups' headings, weighs about 1 KB, its figures up to 0.7 KB more).
THEME_PLANS_ON_ONE_PAGE = 30
PLANS_ON_ONE_PAGE = 60  # plans in the plan list and on the home page
AGENCIES_ON_ONE_PAGE = 200  # agencies in the directory of all agencies
GRAPH_NODES_ON_ONE_PAGE = 60  # documents and plans in one picture of the document graph
AGENCY_ROWS_ON_ONE_PAGE = 20  # task rows on one page of an agency's tasks
# A plan page's Markdown past this moves the plan's narrative to a page of its own (the HTML
# page adds about 14 KB of header, navigation and footer).
PLAN_PAGE_BYTES = 64 * 1024
TREE_ENTRIES_ON_ONE_PAGE = 60  # entries of a tree of implementing plans and documents
# Plans and documents a plan's page lists as implementing it: a province's plan is implemented
# by each of its communes' (about a hundred, 16 KB); past this, a link to the list.
IMPLEMENTERS_ON_PLAN_PAGE = 20
PLACES_ON_ONE_PAGE = 60  # places in a place filter, or rows of the open-data page's places
# Bytes of HTML a place's deadlines page may give its entries, its communes' table and its
# filters' options: 80 KB less the theme's frame (~15 KB), the heading, links and forms (~7 KB). A place with several plans in force (a province's Party committee's and People's
# Committee's), or a large province's table of communes, goes on to numbered pages.
DUE_ENTRIES_BYTES = 58 * 1024


def date_shown(value: dt.date | None) -> str | Absent:
    """21/08/2025 on a page; the remark that the source does not give it otherwise."""
    return date_dmy(value) if value else Absent()


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,  # data text is always escaped; rich_text builds its own safe markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment renders one build, whose templates do not change under it: without
        # this, every page and every include or import in it asks the OS for the template's
        # modification time.
        auto_reload=False,
    )
    env.filters["richtext"] = rich_text
    return env


def front_matter(
    title: str,
    description: str,
    print_header: str | None = None,
    hide: tuple[str, ...] = ("navigation", "toc"),
    twin: bool = False,
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
        meta["print_header_css"] = permalink.css_string(print_header)
    if twin:
        # The page's JSON twin beside it; overrides/main.html links it as rel="alternate".
        meta["json_twin"] = "index.json"
    lines = "".join(f"{key}: {_yaml_value(value)}\n" for key, value in meta.items())
    return "---\n" + lines + "---\n\n"


def _yaml_value(value: str | list[str]) -> str:
    """A string (or list of strings) as YAML that MkDocs (PyYAML) and Zensical read back as
    it is: a JSON string is a YAML double-quoted scalar, and a JSON list a flow sequence.
    Written by hand because yaml.safe_dump took a tenth of rendering. Characters YAML does
    not take as written (C1 controls, line and paragraph separators) go in as escapes."""
    text = json.dumps(value, ensure_ascii=False)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(ord(c)) for c in text)


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def print_text(env: jinja2.Environment, context: PageContext) -> str:
    """The context printed by its page kind's template; fields are the template's names."""
    fields = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return env.get_template(TEMPLATES[type(context)]).render(**fields)


@dataclass(frozen=True)
class Site:
    """What every page is built from."""

    portal: Portal
    idx: Indexes
    env: jinja2.Environment
    site_url: str
    qr: Callable[[str], str] = permalink.qr_svg  # a URL's QR code as SVG (cli passes a cached one)

    def page(
        self,
        url: str,
        context: PageContext,
        title: str,
        description: str,
        print_header: str | None = None,
        twin: bool = False,
    ) -> Page:
        """The page at `url`: front matter, then its context printed by its template. A page
        with a permalink carries its citation at the top of every printed sheet; one with a
        `twin` links its JSON twin (`index.json`, generator/twins.py)."""
        cited = getattr(context, "permalink", None)
        header = print_header or (cited.citation if cited else None)
        meta = front_matter(title, description, header, twin=twin)
        return Page(urls.source_path(url), meta + print_text(self.env, context))

    def permalink(self, url: str, citation: str) -> Permalink:
        address = urls.absolute(self.site_url, url)
        return Permalink(address, citation, Markup(self.qr(address)))

    @cached_property
    def agencies_in(self) -> dict[str, tuple[Agency, ...]]:
        """Jurisdiction id → its agencies (looked up once, not once a page)."""
        found: dict[str, list[Agency]] = defaultdict(list)
        for agency in self.portal.agencies.values():
            found[agency.jurisdiction].append(agency)
        return {j: tuple(a) for j, a in found.items()}

    @cached_property
    def plans_in(self) -> dict[str, tuple[Plan, ...]]:
        """Jurisdiction id → the plans it issued."""
        found: dict[str, list[Plan]] = defaultdict(list)
        for plan in self.portal.plans.values():
            found[plan.jurisdiction].append(plan)
        return {j: tuple(p) for j, p in found.items()}

    @cached_property
    def communes_of(self) -> dict[str, tuple[str, ...]]:
        """Province id → its communes' ids, by name."""
        found: dict[str, list[str]] = defaultdict(list)
        for place in sorted(self.portal.jurisdictions.values(), key=lambda j: j.name):
            if place.level is Level.COMMUNE and place.parent:
                found[place.parent].append(place.id)
        return {p: tuple(c) for p, c in found.items()}

    def province_of(self, jurisdiction_id: str) -> str:
        """The province a jurisdiction lies in (itself for a province or the centre)."""
        place = self.portal.jurisdictions[jurisdiction_id]
        while place.level is Level.COMMUNE and place.parent in self.portal.jurisdictions:
            place = self.portal.jurisdictions[place.parent]
        return place.id

    def plan_citation(self, plan: Plan) -> str:
        return names.plan_citation(plan, self.portal.agencies[plan.issuer])

    def row(
        self, plan: Plan, group: Group, task: Task, rel: Rel, on_plan_page: bool = False
    ) -> TaskRow:
        target = urls.plan_url(plan.id) + "#" + task.anchor
        gaps = dict(task.gaps)
        return TaskRow(
            anchor=task.anchor if on_plan_page else None,
            former_anchors=tuple(task_anchor(f) for f in task.former_ids) if on_plan_page else (),
            reference=names.task_reference(group, task),
            number=task.number or Absent("không số", gaps.get("number")),
            label=names.task_mention(group, task),
            link_title=names.task_link_title(group, task),
            href=rel(target),
            text=task.text or Absent(note=gaps.get("text")),
            lead=agency_links(task.lead, rel),
            support=agency_links(task.support, rel),
            no_lead=Absent(note=gaps.get("lead")),
            no_support=Absent(note=gaps.get("support")),
            output=task.output or Absent(note=gaps.get("output")),
            timeline=task.timeline.text if task.timeline else Absent(note=gaps.get("timeline")),
            notes=task.notes,
        )

    def plan_summary(self, plan: Plan, rel: Rel) -> PlanSummary:
        return PlanSummary(
            href=rel(urls.plan_url(plan.id)),
            name=names.plan_name(plan),
            title=plan.title,
            date=date_shown(plan.date),
            issuer=self.portal.agencies[plan.issuer].name,
            tasks=len(plan.tasks),
            replaced=bool(self.idx.replaced_by.get(plan.id)),
        )

    def plans_by_level(self, rel: Rel) -> tuple[LevelPlans, ...]:
        places = self.portal.jurisdictions
        by_level: dict[Level, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
        for plan in self.portal.plans.values():
            by_level[places[plan.jurisdiction].level][plan.jurisdiction].append(plan)
        return tuple(
            LevelPlans(
                names.level_name(level),
                tuple(
                    PlacePlans(places[j].name, tuple(self.plan_summary(p, rel) for p in plans))
                    for j, plans in sorted(
                        by_level[level].items(), key=lambda kv: places[kv[0]].name
                    )
                ),
            )
            for level in Level
            if level in by_level
        )

    def ref_link(
        self,
        target: str,
        rel: Rel,
        children: tuple[RefLink, ...] = (),
        further: int = 0,
        further_href: str | None = None,
    ) -> RefLink:
        """A plan or document id as a link with its citation."""
        if target in self.portal.plans:
            plan = self.portal.plans[target]
            href, text, title = urls.plan_url(target), self.plan_citation(plan), plan.title
        else:
            doc = self.portal.documents[target]
            href, text, title = (
                urls.document_url(target),
                names.document_citation(doc),
                doc.title,
            )
        return RefLink(rel(href), text, title or "", children, further, further_href)

    def ref_links(self, targets: tuple[str, ...], rel: Rel) -> tuple[RefLink, ...]:
        return tuple(self.ref_link(t, rel) for t in targets)

    @cached_property
    def implementer_counts(self) -> dict[str, int]:
        """Document or plan id → how many entries its tree of implementers holds."""
        counts: dict[str, int] = {}

        def count(node: str, depth: int) -> int:
            if node not in counts:
                children = self.idx.implemented_by.get(node, ()) if depth <= 10 else ()
                counts[node] = sum(1 + count(c, depth + 1) for c in children)
            return counts[node]

        for node in self.idx.implemented_by:
            count(node, 0)
        return counts

    def implementers_tree(self, target: str, rel: Rel, depth: int = 0) -> tuple[RefLink, ...]:
        """Plans and documents implementing `target`, each with those implementing it in turn.
        A tree too big for a page stops at the first level: each entry then says how many
        implement it further down and links to its neighbourhood in the document graph."""
        if depth > 10:  # the model rejects cycles; this bounds a pathological chain anyway
            return ()
        children = self.idx.implemented_by.get(target, ())
        if self.implementer_counts.get(target, 0) <= TREE_ENTRIES_ON_ONE_PAGE:
            return tuple(
                self.ref_link(child, rel, self.implementers_tree(child, rel, depth + 1))
                for child in children
            )
        return tuple(
            self.ref_link(child, rel, (), n, rel(urls.graph_node_url(child)) if n else None)
            for child in children
            for n in [self.implementer_counts.get(child, 0)]
        )

    @cached_property
    def graph_nodes(self) -> tuple[str, ...]:
        """The documents and plans the document graph shows: those that implement or replace
        another, or that another implements or replaces."""
        portal = self.portal
        linked: set[str] = set()
        implements = [(d.id, d.implements) for d in portal.documents.values()]
        implements += [(p.id, p.implements) for p in portal.plans.values()]
        for node, targets in implements:
            if targets:
                linked |= {node, *targets}
        for plan in portal.plans.values():
            if plan.replaces:
                linked |= {plan.id, *plan.replaces}
        return tuple(n for n in (*portal.documents, *portal.plans) if n in linked)

    def implementers_list_url(self, target: str) -> str:
        """Where the document graph lists every plan and document implementing `target`: its
        neighbourhood's page when the graph is too big for one page, the graph otherwise."""
        if len(self.graph_nodes) <= GRAPH_NODES_ON_ONE_PAGE:
            return "so-do/#cay"
        return urls.graph_node_url(target) + "#cay"

    def replaced_by(self, target: str, rel: Rel) -> tuple[RefLink, ...]:
        return self.ref_links(self.idx.replaced_by.get(target, ()), rel)


def agency_links(refs: tuple[AgencyRef, ...], rel: Rel) -> tuple[Link, ...]:
    """The agencies a task names, as the document wrote them, each linked to its page."""
    return tuple(Link(rel(urls.agency_url(r.agency_id)), r.written) for r in refs)


def relative_to(url: str) -> Rel:
    return partial(urls.relative, url)
