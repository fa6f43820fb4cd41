"""Pages of cited documents, their list, and the document graph."""

from __future__ import annotations

from generator import graph, names, urls
from generator.contexts import (
    Absent,
    DocumentPage,
    DocumentRow,
    DocumentsIndex,
    GraphBox,
    GraphEdge,
    GraphLine,
    GraphPage,
)
from generator.domain import Document
from generator.pages import Page
from generator.render.common import Rel, Site, date_shown, relative_to

# Where a box's text lines sit, from its top left corner.
TEXT_LEFT, TEXT_TOP, LINE_HEIGHT = 10, 22, 19


def document_page(site: Site, doc: Document) -> Page:
    url = urls.document_url(doc.id)
    rel = relative_to(url)
    context = DocumentPage(
        replaced_by=site.replaced_by(doc.id, rel),
        name=names.document_name(doc),
        title=doc.title,
        kind=doc.kind,
        number=doc.number or Absent(),
        date=date_shown(doc.date),
        issuer=doc.issuer or Absent(),
        jurisdiction=site.portal.jurisdictions[doc.jurisdiction].name,
        summary=doc.title or Absent(),
        implements=site.ref_links(doc.implements, rel),
        implemented_by=site.implementers_tree(doc.id, rel),
    )
    return site.page(
        url, context, names.document_citation(doc), names.document_description(doc), twin=True
    )


def documents_index(site: Site) -> Page:
    url = "van-ban/"
    rel = relative_to(url)
    docs = sorted(site.portal.documents.values(), key=lambda d: (d.date is None, d.date, d.id))
    rows = tuple(
        DocumentRow(
            href=rel(urls.document_url(d.id)),
            name=names.document_name(d),
            date=date_shown(d.date),
            issuer=d.issuer or Absent(),
            title=d.title or Absent(),
            plans=len(site.idx.implemented_by.get(d.id, ())),
        )
        for d in docs
    )
    title, description = names.INDEX_PAGES[url]
    return site.page(url, DocumentsIndex(rows), title, description)


def graph_node(site: Site, node_id: str) -> graph.Node:
    replaced = bool(site.idx.replaced_by.get(node_id))
    places = site.portal.jurisdictions
    if node_id in site.portal.plans:
        plan = site.portal.plans[node_id]
        issuer = site.portal.agencies[plan.issuer]
        lines = names.plan_card(plan, issuer, places[plan.jurisdiction], replaced)
        url, is_plan = urls.plan_url(node_id), True
    else:
        doc = site.portal.documents[node_id]
        lines = names.document_card(doc, places[doc.jurisdiction], replaced)
        url, is_plan = urls.document_url(node_id), False
    return graph.Node(node_id, tuple(graph.clip(line) for line in lines), url, is_plan, replaced)


def graph_box(box: graph.Box, rel: Rel) -> GraphBox:
    node = box.node
    lines = tuple(
        GraphLine(box.x + TEXT_LEFT, box.y + TEXT_TOP + i * LINE_HEIGHT, line, i == 0)
        for i, line in enumerate(node.lines)
    )
    return GraphBox(
        href=rel(node.url),
        is_plan=node.is_plan,
        replaced=node.replaced,
        title=", ".join(node.lines),
        x=box.x,
        y=box.y,
        width=graph.BOX_WIDTH,
        height=graph.BOX_HEIGHT,
        lines=lines,
    )


def graph_page(site: Site) -> Page:
    url = "so-do/"
    rel = relative_to(url)
    portal = site.portal
    implements = {d.id: d.implements for d in portal.documents.values()}
    implements.update({p.id: p.implements for p in portal.plans.values()})
    replaces = {p.id: p.replaces for p in portal.plans.values() if p.replaces}
    linked = {n for n, targets in implements.items() if targets}
    linked |= {t for targets in implements.values() for t in targets}
    linked |= set(replaces) | {t for targets in replaces.values() for t in targets}
    order = [*portal.documents, *portal.plans]
    nodes = [graph_node(site, n) for n in order if n in linked]
    picture = graph.layout(nodes, implements, replaces)
    roots = [n.id for n in nodes if not any(t in linked for t in implements.get(n.id, ()))]
    context = GraphPage(
        width=picture.width,
        height=picture.height,
        edges=tuple(GraphEdge(e.x1, e.y1, e.x2, e.y2, e.replaces) for e in picture.edges),
        boxes=tuple(graph_box(b, rel) for b in picture.boxes),
        tree=tuple(site.ref_link(r, rel, site.implementers_tree(r, rel)) for r in roots),
        others=tuple(site.ref_link(n, rel) for n in order if n not in linked),
    )
    title, description = names.INDEX_PAGES[url]
    return site.page(url, context, title, description)
