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
    Link,
    RefLink,
)
from generator.domain import Document, Level
from generator.pages import Page
from generator.render.common import GRAPH_NODES_ON_ONE_PAGE, Rel, Site, date_shown, relative_to

# Boxes of what implements a document in the picture of its neighbourhood (all are listed).
NEIGHBOURS_IN_PICTURE = 12

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


def graph_pages(site: Site) -> list[Page]:
    """The document graph. Past GRAPH_NODES_ON_ONE_PAGE documents and plans, the picture
    leaves out the communes' plans, and each document or plan that others implement gets a
    page of its neighbourhood: what it stands on, and what implements it."""
    portal = site.portal
    implements = {d.id: d.implements for d in portal.documents.values()}
    implements.update({p.id: p.implements for p in portal.plans.values()})
    replaces = {p.id: p.replaces for p in portal.plans.values() if p.replaces}
    linked = {n for n, targets in implements.items() if targets}
    linked |= {t for targets in implements.values() for t in targets}
    linked |= set(replaces) | {t for targets in replaces.values() for t in targets}
    order = [*portal.documents, *portal.plans]
    shown = list(site.graph_nodes)
    whole = len(shown) <= GRAPH_NODES_ON_ONE_PAGE
    if not whole:
        places = portal.jurisdictions
        shown = [
            n
            for n in shown
            if n not in portal.plans or places[portal.plans[n].jurisdiction].level != Level.COMMUNE
        ]
    roots = [n for n in shown if not any(t in linked for t in implements.get(n, ()))]
    url = "so-do/"
    rel = relative_to(url)
    title, description = names.INDEX_PAGES[url]
    pages = [
        site.page(
            url,
            graph_context(
                site,
                rel,
                title,
                None,
                shown,
                implements,
                replaces,
                tuple(site.ref_link(r, rel, site.implementers_tree(r, rel)) for r in roots),
                tuple(site.ref_link(n, rel) for n in order if n not in linked),
            ),
            title,
            description,
        )
    ]
    if not whole:
        pages += [
            neighbourhood(site, node, implements, replaces)
            for node in order
            if site.idx.implemented_by.get(node)
        ]
    return pages


def graph_context(
    site: Site,
    rel: Rel,
    heading: str,
    back: Link | None,
    nodes: list[str],
    implements: dict[str, tuple[str, ...]],
    replaces: dict[str, tuple[str, ...]],
    tree: tuple[RefLink, ...],
    others: tuple[RefLink, ...],
) -> GraphPage:
    picture = graph.layout([graph_node(site, n) for n in nodes], implements, replaces)
    return GraphPage(
        heading=heading,
        back=back,
        width=picture.width,
        height=picture.height,
        edges=tuple(GraphEdge(e.x1, e.y1, e.x2, e.y2, e.replaces) for e in picture.edges),
        boxes=tuple(graph_box(b, rel) for b in picture.boxes),
        tree=tree,
        others=others,
    )


def neighbourhood(
    site: Site,
    node: str,
    implements: dict[str, tuple[str, ...]],
    replaces: dict[str, tuple[str, ...]],
) -> Page:
    """One document or plan, what it implements, and what implements it: the picture holds the
    first NEIGHBOURS_IN_PICTURE of those, the list below all of them."""
    url = urls.graph_node_url(node)
    rel = relative_to(url)
    parents = [
        t for t in implements.get(node, ()) if t in site.portal.plans or t in site.portal.documents
    ]
    children = list(site.idx.implemented_by.get(node, ()))
    nodes = list(dict.fromkeys([*parents, node, *children[:NEIGHBOURS_IN_PICTURE]]))
    heading = names.neighbourhood_heading(site.ref_link(node, rel).text)
    context = graph_context(
        site,
        rel,
        heading,
        Link(rel("so-do/"), names.INDEX_PAGES["so-do/"][0]),
        nodes,
        {n: tuple(t for t in implements.get(n, ()) if t in nodes) for n in nodes},
        {n: tuple(t for t in replaces.get(n, ()) if t in nodes) for n in nodes},
        (site.ref_link(node, rel, site.implementers_tree(node, rel)),),
        site.ref_links(tuple(parents), rel),
    )
    return site.page(url, context, heading, names.neighbourhood_description(heading))
