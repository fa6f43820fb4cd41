"""What the listings say once they grow past one page (DESIGN.md, "Scale"): the directory of
agencies, the list of plans, the home page's list and a theme's page become overviews that
count what lies behind each province. The seed data is too small to reach those limits, so
the limits are lowered here and the pages rendered in this process (quick, and where
mutation testing sees which code each test runs); the counts are compared with the data
files, read as plain YAML (tests/test_what_pages_say.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import ROOT
from test_what_pages_say import (
    METRICS,
    NATIONAL,
    Node,
    Pages,
    _address,
    agency_role_counts,
    document_citation,
    documents,
    graph_drawing_problems,
    links_by_heading,
    pager_items,
    plan_by_id,
    plan_citation,
    registry,
    seed_plans,
    seed_tasks,
    table_counts,
    target,
    themes,
    tree_roots,
)

from generator.derive import derive
from generator.load import load_data
from generator.model import build_portal
from generator.pages import Page
from generator.render import agencies, common, plans
from generator.render import documents as document_pages
from generator.render import themes as theme_pages
from generator.render.common import Site, environment
from generator.site import site_url


@pytest.fixture(scope="module")
def site() -> Site:
    """The seed portal, ready to render pages from (no QR codes drawn: no fact here reads
    them)."""
    raw, errors = load_data(ROOT / "data")
    assert errors == []
    portal, _ = build_portal(raw)
    return Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)


def written(tmp_path: Path, *made: Page) -> Pages:
    """The pages as docs/ would hold them, to read as a reader reads them."""
    for page in made:
        path = tmp_path / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
    return Pages(tmp_path, "index.md")


def _place_names() -> dict[str, str]:
    return {j["id"]: j["name"] for j in registry()["jurisdictions"]}


def _communes(province: str) -> list[str]:
    return [j["id"] for j in registry()["jurisdictions"] if j["parent"] == province]


def _provinces() -> list[str]:
    return [j["id"] for j in registry()["jurisdictions"] if j["level"] == "tinh"]


def _plans_of(place: str) -> list[str]:
    return [p["id"] for p in seed_plans() if p["jurisdiction"] == place]


def test_the_directory_lists_every_agency_with_its_roles_counted(
    site: Site, tmp_path: Path
) -> None:
    pages = written(tmp_path, agencies.agencies_index(site))
    root = pages.page("co-quan/")
    shown = {
        address: {h: cells[h] for h in ("Chủ trì", "Phối hợp")}
        for address, cells in table_counts("co-quan/", root, "Chủ trì").items()
    }
    wanted = {
        a: c for j in registry()["jurisdictions"] for a, c in agency_role_counts(j["id"]).items()
    }
    assert shown == wanted
    # A section a place, its heading linked to the place's own directory.
    sections = {
        h.text(): target("co-quan/", str(a.attrs["href"]))
        for h in root.walk()
        if h.tag == "h2"
        for a in h.walk()
        if a.tag == "a"
    }
    places = _place_names()
    assert sections == {
        places[j]: f"co-quan/{j}/"
        for j in places
        if any(a["id"].startswith(j + "/") for a in registry()["agencies"])
    }


def test_up_to_its_limit_the_directory_lists_every_agency(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As many agencies as the limit: still every agency in the directory, no overview."""
    monkeypatch.setattr(agencies, "AGENCIES_ON_ONE_PAGE", len(site.portal.agencies))
    root = written(tmp_path, agencies.agencies_index(site)).page("co-quan/")
    shown = table_counts("co-quan/", root, "Chủ trì")
    assert sorted(shown) == sorted(f"co-quan/{a['id']}/" for a in registry()["agencies"])


def test_past_its_limit_the_directory_counts_each_provinces_plans_and_communes(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agencies, "AGENCIES_ON_ONE_PAGE", 1)
    pages = written(tmp_path, agencies.agencies_index(site))
    root = pages.page("co-quan/")
    shown = {
        address: {h: cells[h] for h in ("Chủ trì", "Phối hợp")}
        for address, cells in table_counts("co-quan/", root, "Chủ trì").items()
    }
    assert shown == agency_role_counts(NATIONAL)
    heading = next(n for n in root.walk() if n.tag == "h2")
    link = next(n for n in heading.walk() if n.tag == "a")
    places = _place_names()
    assert (heading.text(), target("co-quan/", str(link.attrs["href"]))) == (
        places[NATIONAL],
        f"co-quan/{NATIONAL}/",
    )
    provinces = {
        address: (cells["Địa bàn"], cells["Kế hoạch"], cells["Xã, phường"])
        for address, cells in table_counts("co-quan/", root, "Địa bàn").items()
    }
    assert provinces == {
        f"co-quan/{p}/": (
            places[p],
            str(len(_plans_of(p)) + sum(len(_plans_of(c)) for c in _communes(p))),
            str(len(_communes(p))),
        )
        for p in _provinces()
    }


def test_a_provinces_page_names_each_of_its_communes(site: Site, tmp_path: Path) -> None:
    places = _place_names()
    for province in _provinces():
        address = f"co-quan/{province}/"
        pages = written(tmp_path / province, agencies.jurisdiction_page(site, province))
        rows = table_counts(address, pages.page(address), "Kế hoạch")
        named = {a: cells["Địa bàn"] for a, cells in rows.items()}
        assert named == {f"co-quan/{c}/": places[c] for c in _communes(province)}, address


def _plans_shown(
    make: Callable[[Site], Page], site: Site, tmp_path: Path
) -> tuple[list[str], dict[str, tuple[list[str], str]]]:
    """The list of plans `make` renders, as a reader reads it: the plans linked before the
    first province (the centre's), then for each province's heading its plans linked and the
    link to its communes with that link's text."""
    page = make(site)
    address = page.path.rsplit("/", 1)[0] + "/"
    root = written(tmp_path, Page(address + "index.md", page.text)).page(address)
    # The site's root is where the home page's links are read from.
    base = "" if make is plans.home_snippet else address
    national: list[str] = []
    shown: dict[str, tuple[list[str], str]] = {}
    current = None
    for node in root.walk():
        if node.tag == "h3":
            current = node.text()
            shown[current] = ([], "")
        elif node.tag == "a" and current is None:
            national.append(target(base, str(node.attrs["href"])))
        elif node.tag == "a" and current is not None:
            href = target(base, str(node.attrs["href"]))
            if href.startswith("ke-hoach/"):
                shown[current][0].append(href)
            else:
                shown[current] = (shown[current][0], f"{href} {node.text()}")
    return national, shown


def _overview_wanted(plans_of: Callable[[str], list[str]]) -> dict[str, tuple[list[str], str]]:
    """What each province's entry of the overview says when `plans_of` gives each place's plans."""
    places = _place_names()
    wanted = {}
    for p in _provinces():
        commune_plans = sum(len(plans_of(c)) for c in _communes(p))
        if not plans_of(p) and not commune_plans:
            continue
        with_plans = sum(1 for c in _communes(p) if plans_of(c))
        communes = (
            f"co-quan/{p}/#xa-phuong {commune_plans} kế hoạch của {with_plans} xã, phường "
            f"thuộc {places[p]}"
            if commune_plans
            else ""
        )
        wanted[places[p]] = ([f"ke-hoach/{i}/" for i in plans_of(p)], communes)
    return wanted


@pytest.mark.parametrize("make", [plans.plans_index, plans.home_snippet])
def test_past_its_limit_the_list_of_plans_shows_each_provinces_own_and_counts_its_communes(
    make: Callable[[Site], Page], site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plans, "PLANS_ON_ONE_PAGE", 1)
    national, shown = _plans_shown(make, site, tmp_path)
    assert shown == _overview_wanted(_plans_of)
    # The centre's plans come first, under no province.
    assert national == [f"ke-hoach/{i}/" for i in _plans_of(NATIONAL)]


@pytest.mark.parametrize("make", [plans.plans_index, plans.home_snippet])
def test_past_its_limit_the_list_of_plans_shows_the_centres_plans_first(
    make: Callable[[Site], Page], site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seed has no plan of the centre: one is moved there. It heads the list, under no
    province, and its province, left with no plan of its own or of its communes, is not
    listed."""
    moved = "nghe-an-686-kh-ubnd-2025"
    portal = site.portal
    plan = dataclasses.replace(portal.plans[moved], jurisdiction=NATIONAL)
    changed = dataclasses.replace(portal, plans={**portal.plans, moved: plan})
    monkeypatch.setattr(plans, "PLANS_ON_ONE_PAGE", 1)
    national, shown = _plans_shown(
        make, Site(changed, derive(changed), site.env, site.site_url, str), tmp_path
    )
    assert national == [f"ke-hoach/{moved}/"]
    assert shown == _overview_wanted(
        lambda place: (
            [i for i in _plans_of(place) if i != moved] + ([moved] if place == NATIONAL else [])
        )
    )


@pytest.mark.parametrize("make", [plans.plans_index, plans.home_snippet])
def test_up_to_its_limit_the_list_of_plans_links_every_plan_from_where_it_is_shown(
    make: Callable[[Site], Page], site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As many plans as the limit: every plan, a commune's too, is linked by itself (no
    overview yet), and each link leads there from where the list is shown on the published
    site, which lies under a path of its host (the home page's list at the site's root)."""
    monkeypatch.setattr(plans, "PLANS_ON_ONE_PAGE", len(seed_plans()))
    page = make(site)
    address = page.path.rsplit("/", 1)[0] + "/"
    root = written(tmp_path, Page(address + "index.md", page.text)).page(address)
    on = site_url(ROOT) + ("" if make is plans.home_snippet else address)
    links = [urljoin(on, str(a.attrs["href"])) for a in root.walk() if a.tag == "a"]
    assert all(link.startswith(site_url(ROOT)) for link in links), links
    assert sorted({link for link in links if "/ke-hoach/" in link}) == sorted(
        f"{site_url(ROOT)}ke-hoach/{p['id']}/" for p in seed_plans()
    )


def test_past_its_limit_a_theme_counts_each_provinces_plans_and_tasks_on_its_own_page(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(theme_pages, "THEME_ROWS_ON_ONE_PAGE", 1)
    places = _place_names()
    province_of = {c: p for p in _provinces() for c in _communes(p)}
    figured = 0  # figure rows expected on the overviews: some, or the check above reads nothing
    for theme in themes():
        made = theme_pages.theme_pages(site, theme["id"])
        pages = written(tmp_path / theme["id"], *made)
        page = f"chu-de/{theme['id']}/"
        # No province has more plans on the theme than a page holds: no numbered pages.
        assert not [p.path for p in made if "/trang-" in p.path], page
        groups = [
            (plan, group)
            for plan in seed_plans()
            for group in plan["groups"]
            if group["theme"] == theme["id"]
        ]
        if sum(len(g["tasks"]) for _, g in groups) <= 1:
            continue
        by_place: dict[str, list[tuple[dict, dict]]] = {}
        for plan, group in groups:
            place = province_of.get(plan["jurisdiction"], plan["jurisdiction"])
            by_place.setdefault(place, []).append((plan, group))
        overview = pages.page(page)
        back = next(n for n in overview.walk() if n.tag == "a" and "href" in n.attrs)
        assert target(page, str(back.attrs["href"])) == "chu-de/", page
        heading = next(n for n in overview.walk() if n.tag == "h1")
        paragraphs = [n.text() for n in overview.walk() if n.tag == "p"]
        assert heading.text() == theme["name"], page
        assert " ".join(theme["description"].split()) in paragraphs, page
        # The figures of the centre's and the provinces' own plans; communes' on their page.
        levels = {j["id"]: j["level"] for j in registry()["jurisdictions"]}
        setting = _setting_figures(theme["id"])
        figured += len(setting)
        assert sorted(_figure_rows(page, overview)) == sorted(
            a for a in setting if levels[plan_by_id(a.split("/")[1])["jurisdiction"]] != "xa"
        ), page
        shown = {
            address: (cells["Kế hoạch"], cells["Nhiệm vụ"])
            for address, cells in table_counts(page, overview, "Địa bàn").items()
        }
        assert shown == {
            f"{page}{place}/": (
                str(len({p["id"] for p, _ in entries})),
                str(sum(len(g["tasks"]) for _, g in entries)),
            )
            for place, entries in by_place.items()
        }, page
        for place, entries in by_place.items():
            sub = f"{page}{place}/"
            root = pages.page(sub)
            heading = next(n.text() for n in root.walk() if n.tag == "h1")
            assert heading == f"{theme['name']}: {places[place]}", sub
            back = next(n for n in root.walk() if n.tag == "a" and "href" in n.attrs)
            assert target(sub, str(back.attrs["href"])) == page, sub
            listed = {
                target(sub, str(a.attrs["href"])): (a.text(), item.text())
                for item in root.walk()
                if item.tag == "li"
                for a in item.children
                if not isinstance(a, str) and a.tag == "a" and "/nhom-" in str(a.attrs["href"])
            }
            wanted = {f"ke-hoach/{p['id']}/nhom-{g['id']}/": g for p, g in entries}
            assert sorted(listed) == sorted(wanted), sub
            for address, (name, text) in listed.items():
                group = wanted[address]
                assert text.endswith(f"({len(group['tasks'])} nhiệm vụ)"), (sub, text)
                if group["number"] and group["title"]:
                    assert name == f"{group['number']}. {' '.join(group['title'].split())}"
            assert sorted(_figure_rows(sub, root)) == sorted(
                a
                for a in _setting_figures(theme["id"])
                if a in {_address(p["id"]) for p, _ in entries}
            ), sub
            title, description = pages.title_and_description(sub)
            assert title == f"Chủ đề: {theme['name']} – {places[place]}", sub
            assert description.startswith(f"{theme['name']}: các kế hoạch của {places[place]}")
            assert sum(len(g["tasks"]) for g in wanted.values()) == sum(
                1
                for t in seed_tasks()
                if any(t.plan == p["id"] and t.group == g["id"] for p, g in entries)
            )
    assert figured


def test_past_its_limit_a_themes_provinces_are_listed_by_name(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nghệ An renamed to sort first by name but not by id: the overview lists it first."""
    monkeypatch.setattr(theme_pages, "THEME_ROWS_ON_ONE_PAGE", 1)
    portal = site.portal
    renamed = dataclasses.replace(portal.jurisdictions["nghe-an"], name="An Nghệ (thử)")
    changed = dataclasses.replace(
        portal, jurisdictions={**portal.jurisdictions, "nghe-an": renamed}
    )
    changed_site = Site(changed, derive(changed), site.env, site.site_url, str)
    orders = []
    for theme in themes():
        page = f"chu-de/{theme['id']}/"
        made = theme_pages.theme_pages(changed_site, theme["id"])
        if len(made) == 1:
            continue
        root = written(tmp_path / theme["id"], *made).page(page)
        shown = [cells["Địa bàn"] for cells in table_counts(page, root, "Địa bàn").values()]
        assert shown == sorted(shown), page
        orders.append(shown)
    assert any(len(o) > 1 and o[0] == "An Nghệ (thử)" for o in orders)


def test_up_to_its_limit_a_theme_is_one_page(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """As many tasks as the limit: the theme's one page, no overview by province."""
    for theme in themes():
        count = sum(
            len(g["tasks"]) for p in seed_plans() for g in p["groups"] if g["theme"] == theme["id"]
        )
        monkeypatch.setattr(theme_pages, "THEME_ROWS_ON_ONE_PAGE", count)
        made = theme_pages.theme_pages(site, theme["id"])
        assert [p.path for p in made] == [f"chu-de/{theme['id']}/index.md"], theme["id"]


def test_past_its_limit_a_themes_province_page_is_numbered_with_a_list_of_its_pages(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One plan a page: a province with several plans on the theme gets as many numbered
    pages, each titled with its number and listing every page, linked but itself."""
    monkeypatch.setattr(theme_pages, "THEME_ROWS_ON_ONE_PAGE", 1)
    monkeypatch.setattr(theme_pages, "THEME_PLANS_ON_ONE_PAGE", 1)
    places = _place_names()
    province_of = {c: p for p in _provinces() for c in _communes(p)}
    numbered = 0
    for theme in themes():
        plans: dict[str, list[str]] = {}
        for plan in seed_plans():
            if any(g["theme"] == theme["id"] for g in plan["groups"]):
                place = province_of.get(plan["jurisdiction"], plan["jurisdiction"])
                plans.setdefault(place, []).append(plan["id"])
        if (
            sum(
                len(g["tasks"])
                for p in seed_plans()
                for g in p["groups"]
                if g["theme"] == theme["id"]
            )
            <= 1
        ):
            continue
        pages = written(tmp_path / theme["id"], *theme_pages.theme_pages(site, theme["id"]))
        for place, ids in plans.items():
            first = f"chu-de/{theme['id']}/{place}/"
            at = [first] + [f"{first}trang-{n}/" for n in range(2, len(ids) + 1)]
            for number, page in enumerate(at, start=1):
                root = pages.page(page)
                title = f"Chủ đề: {theme['name']} – {places[place]}"
                wanted_title = title if number == 1 else f"{title} – trang {number}"
                assert pages.title_and_description(page)[0] == wanted_title, page
                pager = [
                    (f"Trang {n}", None if n == number else at[n - 1])
                    for n in range(1, len(ids) + 1)
                ]
                assert pager_items(page, root) == ([pager, pager] if len(ids) > 1 else []), page
            numbered += len(ids) > 1
    assert numbered


def _setting_figures(theme_id: str) -> set[str]:
    """The plans that set a figure on a task of one of their groups on the theme."""
    return {
        _address(plan["id"])
        for plan in seed_plans()
        for group in plan["groups"]
        if group["theme"] == theme_id
        for figure in plan["figures"] or ()
        if figure["task"] in {str(t["id"]) for t in group["tasks"]}
    }


def _figure_rows(page: str, root: Node) -> list[str]:
    """The plans the figures table on the page has a row for."""
    return [
        address
        for table in root.walk()
        if table.tag == "table" and METRICS["von-uy-thac-2030"] in table.text()
        for address in table_counts(page, table, "Kế hoạch")
    ]


def test_an_agencys_tasks_are_cut_into_pages_of_at_most_the_limit_keeping_each_plan_whole() -> None:
    """Greedy: a plan's tasks in one role go on the current page while they fit, else on a
    new page; one plan bigger than a page gets a page of its own."""
    entries = [("r", plan, tuple(range(n))) for plan, n in (("a", 10), ("b", 10), ("c", 5))]
    entries += [("r", "d", tuple(range(30))), ("r", "e", tuple(range(1)))]
    cuts = agencies.page_cuts(entries, 20)  # type: ignore[arg-type]
    assert [[e[1] for e in cut] for cut in cuts] == [["a", "b"], ["c"], ["d"], ["e"]]


def _implementers(target_id: str) -> list[str]:
    """Ids of the documents and plans implementing `target_id` directly."""
    found = [d["id"] for d in documents() if target_id in (d["implements"] or ())]
    return found + [p["id"] for p in seed_plans() if target_id in (p["implements"] or ())]


def test_past_its_limit_the_document_graph_leaves_out_communes_and_draws_each_neighbourhood(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_pages, "GRAPH_NODES_ON_ONE_PAGE", 1)
    pages = written(tmp_path, *document_pages.graph_pages(site))
    levels = {j["id"]: j["level"] for j in registry()["jurisdictions"]}
    boxes = {
        target("so-do/", str(a.attrs["href"]))
        for svg in pages.page("so-do/").walk()
        if svg.tag == "svg"
        for a in svg.walk()
        if a.tag == "a"
    }
    communes = {f"ke-hoach/{p['id']}/" for p in seed_plans() if levels[p["jurisdiction"]] == "xa"}
    assert communes and not boxes & communes
    implemented = [
        n
        for n in [d["id"] for d in documents()] + [p["id"] for p in seed_plans()]
        if _implementers(n)
    ]
    for node in implemented:
        page = f"so-do/{node}/"
        root = pages.page(page)
        heading = next(n.text() for n in root.walk() if n.tag == "h1")
        doc = next((d for d in documents() if d["id"] == node), None)
        citation = document_citation(doc) if doc else plan_citation(plan_by_id(node))
        assert heading == f"Sơ đồ văn bản: {citation}", page
        title, description = pages.title_and_description(page)
        assert title == heading and description.startswith(f"{heading}: văn bản"[:120]), page
        back = next(n for n in root.walk() if n.tag == "a" and "href" in n.attrs)
        assert (target(page, str(back.attrs["href"])), back.text()) == ("so-do/", "Sơ đồ văn bản")
        drawn = [
            target(page, str(a.attrs["href"]))
            for svg in root.walk()
            if svg.tag == "svg"
            for a in svg.walk()
            if a.tag == "a"
        ]
        parents = _stands_on(node)
        wanted = list(dict.fromkeys([*parents, node, *_implementers(node)[:12]]))
        assert sorted(drawn) == sorted(_address(n) for n in wanted), page
        # Under the picture, the node's tree (what implements it) and what it stands on.
        headings = links_by_heading(page, root)
        assert tree_roots(page, root) == [_address(node)], page
        assert {_address(n) for n in _implementers(node)} <= set(headings["Dạng danh sách"])
        assert headings.get("Văn bản khác được trích dẫn", []) == [_address(n) for n in parents]
        # An arrow for each relation between the boxes drawn, dashed where one replaces.
        svg = next(n for n in root.walk() if n.tag == "svg")
        relations, replacing = _relations_among(wanted)
        arrows = [n for n in svg.walk() if n.tag == "line"]
        dashed = [a for a in arrows if "ckh-edge-replaces" in str(a.attrs.get("class"))]
        assert (len(arrows), len(dashed)) == (relations + replacing, replacing), page
        assert graph_drawing_problems(svg) == [], page


def _relations_among(nodes: list[str]) -> tuple[int, int]:
    """How many times one of `nodes` implements, and replaces, another of them."""
    items = [i for i in [*documents(), *seed_plans()] if i["id"] in nodes]
    implementing = sum(t in nodes for i in items for t in i["implements"] or ())
    return implementing, sum(t in nodes for i in items for t in i.get("replaces") or ())


def test_up_to_its_limit_the_document_graph_is_one_picture(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As many documents and plans as the limit: one picture, communes' plans in it, and no
    page of a neighbourhood."""
    monkeypatch.setattr(document_pages, "GRAPH_NODES_ON_ONE_PAGE", len(site.graph_nodes))
    assert [p.path for p in document_pages.graph_pages(site)] == ["so-do/index.md"]


def test_a_plan_that_only_replaces_a_document_is_drawn_with_it_not_listed_apart(
    site: Site, tmp_path: Path
) -> None:
    """None in the seed: a plan implementing nothing, made to replace a document otherwise in
    no relation: both are drawn in the graph, neither listed among the documents in no relation."""
    plan = next(p["id"] for p in seed_plans() if not p["replaces"])
    lone = "cong-van-thu-khong-quan-he"  # a document in no relation (the seed cites none)
    portal = site.portal
    some = next(iter(portal.documents.values()))
    changed = dataclasses.replace(
        portal,
        documents={**portal.documents, lone: dataclasses.replace(some, id=lone, implements=())},
        plans={
            **portal.plans,
            plan: dataclasses.replace(portal.plans[plan], implements=(), replaces=(lone,)),
        },
    )
    made = document_pages.graph_pages(Site(changed, derive(changed), site.env, site.site_url, str))
    root = written(tmp_path, *made).page("so-do/")
    drawn = {
        target("so-do/", str(a.attrs["href"]))
        for svg in root.walk()
        if svg.tag == "svg"
        for a in svg.walk()
        if a.tag == "a"
    }
    assert {f"ke-hoach/{plan}/", f"van-ban/{lone}/"} <= drawn
    others = links_by_heading("so-do/", root).get("Văn bản khác được trích dẫn", [])
    assert not {f"ke-hoach/{plan}/", f"van-ban/{lone}/"} & set(others)


def test_past_its_limit_a_plan_implementing_a_plan_draws_it_in_its_neighbourhood(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """None in the seed: a plan made to implement another plan (and implemented by a third)
    draws the plan it stands on in its neighbourhood, and lists it; that plan, made replaced
    by the third, reads so in its box."""
    first, middle, last = (p["id"] for p in seed_plans()[:3])
    portal = site.portal
    changed = dataclasses.replace(
        portal,
        plans={
            **portal.plans,
            middle: dataclasses.replace(portal.plans[middle], implements=(first,)),
            last: dataclasses.replace(portal.plans[last], implements=(middle,), replaces=(first,)),
        },
    )
    monkeypatch.setattr(document_pages, "GRAPH_NODES_ON_ONE_PAGE", 1)
    made = document_pages.graph_pages(Site(changed, derive(changed), site.env, site.site_url, str))
    page = f"so-do/{middle}/"
    root = written(tmp_path, *made).page(page)
    drawn = {
        target(page, str(a.attrs["href"]))
        for svg in root.walk()
        if svg.tag == "svg"
        for a in svg.walk()
        if a.tag == "a"
    }
    assert drawn == {f"ke-hoach/{i}/" for i in (first, middle, last)}
    drawn_first = f"ke-hoach/{first}/"
    listed = links_by_heading(page, root).get("Văn bản khác được trích dẫn", [])
    assert listed == [f"ke-hoach/{first}/"]
    box = next(
        a for a in root.walk() if a.tag == "a" and target(page, str(a.attrs["href"])) == drawn_first
    )
    lines = [t.text() for t in box.walk() if t.tag == "text"]
    assert lines[-1] == "Đã được thay thế" and "ckh-node-replaced" in str(box.attrs["class"])
    # Three arrows: two plans implementing, the third replacing (dashed).
    arrows = [str(n.attrs.get("class")) for n in root.walk() if n.tag == "line"]
    assert sorted(arrows) == ["ckh-edge", "ckh-edge", "ckh-edge ckh-edge-replaces"]


def _stands_on(node: str) -> list[str]:
    """The documents and plans `node` implements (those the portal knows)."""
    for item in [*documents(), *seed_plans()]:
        if item["id"] == node:
            known = {d["id"] for d in documents()} | {p["id"] for p in seed_plans()}
            return [t for t in item["implements"] or () if t in known]
    return []


def test_past_its_limit_a_tree_of_implementers_stops_at_the_first_level_and_counts_the_rest(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry then says how many implement it further down, linking to its neighbourhood."""
    monkeypatch.setattr(common, "TREE_ENTRIES_ON_ONE_PAGE", 1)

    def below(node: str) -> int:
        return sum(1 + below(child) for child in _implementers(node))

    for doc in documents():
        if below(doc["id"]) <= 1:
            continue
        page = f"van-ban/{doc['id']}/"
        pages = written(
            tmp_path, document_pages.document_page(site, site.portal.documents[doc["id"]])
        )
        tree = next(
            n
            for n in pages.page(page).walk()
            if n.tag == "ul" and "ckh-tree" in str(n.attrs.get("class"))
        )
        entries = [li for li in tree.children if not isinstance(li, str) and li.tag == "li"]
        assert len(entries) == len(_implementers(doc["id"])), page
        for entry, child in zip(entries, _implementers(doc["id"]), strict=True):
            links = [target(page, str(a.attrs["href"])) for a in entry.walk() if a.tag == "a"]
            further = below(child)
            if further:
                assert links == [_address(child), f"so-do/{child}/"], page
                assert (
                    f"(và {further} văn bản, kế hoạch triển khai tiếp: xem sơ đồ)" in entry.text()
                )
            else:
                assert links == [_address(child)], page


def test_an_agency_with_as_many_tasks_as_a_page_holds_has_one_page_and_one_more_two(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = site.portal.agencies["nghe-an/ubnd-cac-xa-phuong"]
    count = len(site.idx.assignments[agency.id])
    monkeypatch.setattr(agencies, "AGENCY_ROWS_ON_ONE_PAGE", count)
    assert [p.path for p in agencies.agency_pages(site, agency)] == [
        f"co-quan/{agency.id}/index.md"
    ]
    monkeypatch.setattr(agencies, "AGENCY_ROWS_ON_ONE_PAGE", count - 1)
    assert len(agencies.agency_pages(site, agency)) > 1


def test_a_tree_of_exactly_as_many_implementers_as_a_page_holds_is_shown_whole(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def below(node: str) -> int:
        return sum(1 + below(child) for child in _implementers(node))

    doc = max(documents(), key=lambda d: below(d["id"]))
    monkeypatch.setattr(common, "TREE_ENTRIES_ON_ONE_PAGE", below(doc["id"]))
    page = f"van-ban/{doc['id']}/"
    pages = written(tmp_path, document_pages.document_page(site, site.portal.documents[doc["id"]]))
    tree = next(
        n
        for n in pages.page(page).walk()
        if n.tag == "ul" and "ckh-tree" in str(n.attrs.get("class"))
    )
    entries = [n for n in tree.walk() if n.tag == "li"]
    assert len(entries) == below(doc["id"]) > 1
    assert "xem sơ đồ" not in tree.text()
