"""What pages and search hits say for data the seed plans do not hold (yet): a task lacking
every field, each gap noted; places whose ids and names sort differently; a province filed
under the centre; unnamed groups; copies of originals; and the finder's filters.
The seed portal is changed in memory, its pages rendered in this process and read as a reader
reads them (tests/test_what_pages_say.py), against what the change says they must show."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT
from test_what_pages_say import (
    LEAD,
    NUMBER,
    OUTPUT,
    SUPPORT,
    TEXT,
    TIMELINE,
    Node,
    Pages,
    _definitions,
    _sections_text,
    carried_agencies,
    document_citation,
    documents,
    in_plan,
    links_by_heading,
    plan_by_id,
    plan_citation,
    plan_name,
    seed_plans,
    target,
    task_rows,
    tasks_by_role,
)

import generator.render.common
import generator.render.plans
import generator.render.themes
from generator import urls
from generator.deadlines import all_deadlines
from generator.derive import derive
from generator.domain import (
    Agency,
    AgencyRef,
    Group,
    Jurisdiction,
    Member,
    Original,
    Plan,
    Portal,
    Role,
    Section,
    Source,
    Theme,
    TimelineKind,
)
from generator.exports import COLUMNS
from generator.load import load_data
from generator.model import build_portal
from generator.pages import Page
from generator.render.agencies import agency_pages
from generator.render.common import Site, environment, relative_to
from generator.render.deadlines import data_page, deadline_pages, deadlines_pages
from generator.render.documents import document_page, graph_pages
from generator.render.plans import group_page, plan_page, plan_pages, plans_index
from generator.render.themes import theme_pages, themes_index
from generator.search.documents import (
    lead_key,
    place_key,
    plan_key,
    search_docs,
    support_key,
    timeline_key,
)
from generator.site import site_url
from generator.timeline import parse_timeline

PLAN = "nghe-an-686-kh-ubnd-2025"


@pytest.fixture(scope="module")
def portal() -> Portal:
    raw, errors = load_data(ROOT / "data")
    assert errors == []
    return build_portal(raw)[0]


def _site(portal: Portal) -> Site:
    """Pages of `portal` (no QR codes drawn: no test here reads them)."""
    return Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)


def test_a_task_lacking_every_field_shows_each_remark_with_the_datas_note(
    portal: Portal, tmp_path: Path
) -> None:
    plan = portal.plans[PLAN]
    group, *groups = plan.groups
    task, *tasks = group.tasks
    notes = {f: f"ghi chú {f}" for f in ("number", "text", "lead", "support", "output", "timeline")}
    bare = dataclasses.replace(
        task,
        number=None,
        text=None,
        lead=(),
        support=(),
        output=None,
        timeline=None,
        gaps=tuple(notes.items()),
    )
    plan = dataclasses.replace(
        plan, groups=(dataclasses.replace(group, tasks=(bare, *tasks)), *groups)
    )
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = plan_page(_site(changed), plan, None)
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    address = f"ke-hoach/{PLAN}/"
    row = task_rows(address, Pages(tmp_path, "index.md").page(address))[f"{address}#{task.anchor}"]
    assert {h: c.text() for h, c in row.cells.items()} == {
        NUMBER: "[không số: ghi chú number]",
        TEXT: "[không ghi: ghi chú text]",
        LEAD: "[không ghi: ghi chú lead]",
        SUPPORT: "[không ghi: ghi chú support]",
        OUTPUT: "[không ghi: ghi chú output]",
        TIMELINE: "[không ghi: ghi chú timeline]",
    }


def test_the_list_of_plans_orders_places_by_name_not_by_id(portal: Portal) -> None:
    """Provinces renamed so that their names sort the other way round from their ids."""
    renamed = {
        j.id: dataclasses.replace(j, name=f"Tỉnh {chr(ord('Z') - i)}")
        for i, j in enumerate(sorted(portal.jurisdictions.values(), key=lambda j: j.id))
    }
    changed = dataclasses.replace(portal, jurisdictions={**portal.jurisdictions, **renamed})
    levels = _site(changed).plans_by_level(relative_to("ke-hoach/"))
    for level in levels:
        names = [place.name for place in level.jurisdictions]
        assert names == sorted(names), level.name


def test_a_province_under_the_centre_is_its_own_province(portal: Portal) -> None:
    """A province's parent, if the registry gives one, is not a province it lies in."""
    province = portal.jurisdictions["nghe-an"]
    changed = dataclasses.replace(
        portal,
        jurisdictions={
            **portal.jurisdictions,
            "nghe-an": dataclasses.replace(province, parent="trung-uong"),
        },
    )
    site = _site(changed)
    assert site.province_of("nghe-an") == "nghe-an"
    commune = next(j for j in portal.jurisdictions.values() if j.parent == "quang-ngai")
    assert site.province_of(commune.id) == "quang-ngai"


@pytest.mark.parametrize(
    ("name", "size", "shown"),
    [
        ("ke-hoach-686.pdf", 1_234_567, "PDF, 1,2 MB"),
        ("ke-hoach-686.pdf", 1_050_001, "PDF, 1,1 MB"),  # a tenth of a MB rounded at its half
        ("ke-hoach-686.pdf", 1_000_000, "PDF, 1,0 MB"),
        ("ke-hoach-686.pdf", 999_999, "PDF, 1000 KB"),
        ("ke-hoach-686.pdf", 400, "PDF, 1 KB"),
        ("KE-HOACH-686.XLSX", 400, "XLSX, 1 KB"),  # the schema allows capitals
    ],
)
@pytest.mark.parametrize("url", ["https://example.gov.vn/686", None])
def test_a_plan_with_a_copy_of_its_original_offers_it_with_its_kind_size_and_hash(
    portal: Portal, tmp_path: Path, name: str, size: int, shown: str, url: str | None
) -> None:
    """The copy's link, then the issuer's (if any): no remark that the portal lacks it."""
    original = Original(f"van-ban-goc/{name}", "ab" * 32, size)
    plan = dataclasses.replace(portal.plans[PLAN], source=Source(url, original, "Bản chụp có dấu."))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = plan_page(_site(changed), plan, None)
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    address = f"ke-hoach/{PLAN}/"
    root = Pages(tmp_path, "index.md").page(address)
    cell = next(dd for term, dd in _definitions(root) if term == "Văn bản gốc")
    links = [(target(address, str(a.attrs["href"])), a.text()) for a in cell.walk() if a.tag == "a"]
    issuers = [(url, "Văn bản trên trang của cơ quan ban hành")] if url else []
    assert links == [(f"van-ban-goc/{name}", "Tải văn bản gốc"), *issuers]
    assert cell.text() == " ".join(
        [f"Tải văn bản gốc ({shown}; SHA-256 {'ab' * 32})", *(t for _, t in issuers)]
        + ["Bản chụp có dấu."]
    )


def _replaced_by_another(portal: Portal) -> Portal:
    """The portal with PLAN replaced by another seed plan."""
    newer = next(p for p in portal.plans.values() if p.id != PLAN)
    return dataclasses.replace(
        portal,
        plans={**portal.plans, newer.id: dataclasses.replace(newer, replaces=(PLAN,))},
    )


def test_a_plan_replaced_by_another_is_marked_so_in_the_list_of_plans(
    portal: Portal, tmp_path: Path
) -> None:
    changed = _replaced_by_another(portal)
    page = plans_index(_site(changed))
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    root = Pages(tmp_path, "index.md").page("ke-hoach/")
    marked = {
        target("ke-hoach/", str(a.attrs["href"])): "đã được thay thế" in li.text()
        for li in root.walk()
        if li.tag == "li"
        for a in li.walk()
        if a.tag == "a"
    }
    assert marked == {f"ke-hoach/{p}/": p == PLAN for p in portal.plans}


def test_a_group_with_neither_number_nor_title_is_named_by_its_place(
    portal: Portal, tmp_path: Path
) -> None:
    """“Nhóm không số thứ 2” for the second unnumbered, untitled group; its id otherwise."""
    plan = portal.plans[PLAN]
    first, second, third, *groups = plan.groups
    bare = [
        dataclasses.replace(g, id=ident, number=None, title=None)
        for g, ident in ((first, "khong-so-2"), (second, "phu-luc"), (third, "ii"))
    ]
    plan = dataclasses.replace(plan, groups=(*bare, *groups))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    site = _site(changed)
    made = [plan_page(site, plan, None), *(group_page(site, plan, i) for i in range(3))]
    for page in made:
        (tmp_path / page.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    pages = Pages(tmp_path, "index.md")
    address = f"ke-hoach/{PLAN}/"
    toc = next(n for n in pages.page(address).walk() if n.tag == "nav")
    entries = [li.text() for li in toc.walk() if li.tag == "li"]
    names = ("Nhóm không số thứ 2", "Nhóm (mã phu-luc)", "Nhóm (mã ii)")
    assert entries[:3] == [f"{n} [không ghi tên nhóm] (trang riêng của nhóm)" for n in names]
    for group, name in zip(bare, names, strict=True):
        page = f"{address}nhom-{group.id}/"
        heading = next(n.text() for n in pages.page(page).walk() if n.tag == "h1")
        assert heading == f"{name} [không ghi tên nhóm]", page
        assert f"Trích dẫn: {name}, Phụ lục Kế hoạch số 686/KH-UBND" in pages.page(page).text()


def test_a_figure_placed_by_the_data_is_shown_where_the_data_places_it(
    portal: Portal, tmp_path: Path
) -> None:
    plan = portal.plans[PLAN]
    figure = dataclasses.replace(plan.figures[0], where="Mục II.2, đoạn 3")
    plan = dataclasses.replace(plan, figures=(figure, *plan.figures[1:]))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = themes_index(_site(changed))
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    text = Pages(tmp_path, "index.md").page("chu-de/").text()
    assert f"{figure.value} {figure.quote} Mục II.2, đoạn 3" in " ".join(text.split())


def test_a_themes_page_shows_a_plans_figure_set_after_one_on_another_theme(
    portal: Portal, tmp_path: Path
) -> None:
    """A plan setting a figure on a task of one theme, then one on a task of another: the
    second theme's page shows the second figure (the first one does not stop the reading)."""
    plan = portal.plans[PLAN]
    first, second = _two_themes(plan)
    figures = (
        dataclasses.replace(plan.figures[0], task=first.tasks[0].id),
        dataclasses.replace(plan.figures[1], task=second.tasks[0].id),
    )
    changed = dataclasses.replace(
        portal, plans={**portal.plans, PLAN: dataclasses.replace(plan, figures=figures)}
    )
    made = theme_pages(_site(changed), second.theme)
    page = f"chu-de/{second.theme}/"
    _write(made, tmp_path)
    root = Pages(tmp_path, "index.md").page(page)
    text = " ".join(root.text().split())
    assert f"{figures[1].value} {figures[1].quote}" in text, page


def _two_themes(plan: Plan) -> tuple[Group, Group]:
    """Two groups of `plan` with tasks, on different themes."""
    groups = [g for g in plan.groups if g.tasks]
    first = groups[0]
    return first, next(g for g in groups if g.theme != first.theme)


def test_a_figure_set_on_no_task_is_placed_without_a_link(portal: Portal, tmp_path: Path) -> None:
    """A figure the data ties to no task (only to where it is in the text): its place is
    written, and links nowhere (there is no row to lead to)."""
    plan = portal.plans[PLAN]
    figure = dataclasses.replace(plan.figures[0], where="Mục II.2, đoạn 3", task=None)
    plan = dataclasses.replace(plan, figures=(figure, *plan.figures[1:]))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = themes_index(_site(changed))
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    root = Pages(tmp_path, "index.md").page("chu-de/")
    assert f"{figure.value} {figure.quote} Mục II.2, đoạn 3" in " ".join(root.text().split())
    assert [a for a in root.walk() if a.tag == "a" and a.text() == "Mục II.2, đoạn 3"] == []


def test_a_reporting_duty_the_plan_does_not_place_is_named_alone_on_the_deadlines_page(
    portal: Portal, tmp_path: Path
) -> None:
    plan = portal.plans[PLAN]
    report = dataclasses.replace(plan.reports[0], where=None)
    plan = dataclasses.replace(plan, reports=(report, *plan.reports[1:]))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    built = dt.date(2026, 9, 20)
    made = deadline_pages(_site(changed), all_deadlines(changed, built), built)
    page = next(p for p in made if p.path == f"thoi-han/{plan.jurisdiction}/index.md")
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    root = Pages(tmp_path, "index.md").page(f"thoi-han/{plan.jurisdiction}/")
    titles = [
        a.text()
        for a in root.walk()
        if a.tag == "a" and str(a.attrs.get("href")).endswith(f"#bc-{report.id}")
    ]
    assert titles == ["Báo cáo hằng năm, Kế hoạch số 686/KH-UBND"]


def test_a_plan_lacking_number_date_title_and_signer_says_so_with_the_datas_notes(
    portal: Portal, tmp_path: Path
) -> None:
    notes = {f: f"ghi chú {f}" for f in ("number", "date", "title", "signer")}
    plan = dataclasses.replace(
        portal.plans[PLAN],
        number=None,
        date=None,
        title=None,
        signer=None,
        gaps=tuple(notes.items()),
    )
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = plan_page(_site(changed), plan, None)
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    root = Pages(tmp_path, "index.md").page(f"ke-hoach/{PLAN}/")
    shown = {term: dd.text() for term, dd in _definitions(root)}
    assert (shown["Số hiệu"], shown["Ngày ban hành"], shown["Người ký"]) == (
        "[không ghi: ghi chú number]",
        f"[không ghi: ghi chú date] ({plan.place})",
        "[không ghi: ghi chú signer]",
    )
    lead = next(
        n.text() for n in root.walk() if n.tag == "p" and "ckh-lead" in str(n.attrs.get("class"))
    )
    assert lead == "[không ghi trích yếu: ghi chú title]"


def test_a_province_whose_only_plans_are_its_communes_counts_theirs_on_the_deadlines_page(
    portal: Portal,
) -> None:
    own = next(p for p in portal.plans.values() if p.jurisdiction == "quang-ngai")
    changed = dataclasses.replace(
        portal, plans={k: p for k, p in portal.plans.items() if k != own.id}
    )
    built = dt.date(2026, 9, 20)
    deadlines = all_deadlines(changed, built)
    overview = dict(deadlines_pages(changed, deadlines, built))["thoi-han/"]
    row = next(c for c in overview.children if c.name == "Tỉnh Quảng Ngãi")
    communes = [
        d for d in deadlines if changed.jurisdictions[d.plan.jurisdiction].parent == "quang-ngai"
    ]
    # Every dated deadline falls in one window; the ongoing ones are counted last.
    assert communes and sum(row.counts) == sum(
        1 for d in communes if d.next is not None or d.kind is TimelineKind.ONGOING
    )


def test_the_finders_filters_keep_each_task_by_place_timeline_and_agency_role(
    portal: Portal,
) -> None:
    """A task is kept by the filter of its plan's place and of each place above it, of its
    timeline's kind, and of each agency in the role the plan gives it."""
    docs = {d.record["u"]: d for d in search_docs(portal) if d.record["k"] == "task"}
    for plan in portal.plans.values():
        places = [plan.jurisdiction]
        while portal.jurisdictions[places[-1]].parent:
            places.append(str(portal.jurisdictions[places[-1]].parent))
        for task in plan.tasks:
            # (Keys for the members of the collectives it names, `…:v`, are not read here.)
            facets = {
                f for f in docs[f"ke-hoach/{plan.id}/#{task.anchor}"].facets if not f.endswith(":v")
            }
            kind = task.timeline.kind if task.timeline else TimelineKind.UNPARSED
            wanted = {place_key(p) for p in places} | {timeline_key(kind), plan_key(plan.id)}
            wanted |= {lead_key(r.agency_id) for r in task.lead}
            wanted |= {support_key(r.agency_id) for r in task.support}
            assert facets == wanted, task.id


def test_the_finder_lists_tasks_plan_by_plan_each_province_then_its_communes_newest_first(
    portal: Portal,
) -> None:
    """A filter with no words lists its tasks in index order: a place's plans one after the
    other, newest first, a commune's right after its province's, whatever their names; each
    plan's tasks one run. Here a commune named to sort before every province, and an older
    plan of Nghệ An whose id sorts before the newer one's."""
    commune = next(j for j in portal.jurisdictions.values() if j.parent == "quang-ngai")
    newer = portal.plans[PLAN]
    older = dataclasses.replace(newer, id="nghe-an-1-kh-ubnd-2024", date=dt.date(2024, 1, 5))
    changed = dataclasses.replace(
        portal,
        jurisdictions={
            **portal.jurisdictions,
            commune.id: dataclasses.replace(commune, name="Phường An Hải"),
        },
        plans={**portal.plans, older.id: older},
    )
    order = [d.record["u"].split("/")[1] for d in search_docs(changed) if d.record["k"] == "task"]
    runs = list(dict.fromkeys(order))
    assert sum(len(p.tasks) for p in changed.plans.values()) == len(order)
    assert [order.count(plan_id) for plan_id in runs] == [
        len(changed.plans[plan_id].tasks) for plan_id in runs
    ]  # each plan's tasks one run
    assert [changed.plans[plan_id].jurisdiction for plan_id in runs] == [
        "can-tho",
        "nghe-an",
        "nghe-an",
        "quang-ngai",
        commune.id,
    ]
    assert runs[1:3] == [PLAN, older.id]


class _Lookups(dict[str, Jurisdiction]):
    """Places that answer a bounded number of lookups: a walk up a loop of parents that never
    stops fails the test here instead of filling the memory."""

    left = 10_000

    def __getitem__(self, key: str) -> Jurisdiction:
        self.left -= 1
        assert self.left > 0, "the walk up the places does not end"
        return super().__getitem__(key)


def test_places_whose_parents_loop_still_give_each_task_its_places_once(portal: Portal) -> None:
    """The model does not reject a loop of parents (two provinces each under the other): the
    index is still built, each task kept by its place and the place above it, once each."""
    looped = {
        "nghe-an": dataclasses.replace(portal.jurisdictions["nghe-an"], parent="quang-ngai"),
        "quang-ngai": dataclasses.replace(portal.jurisdictions["quang-ngai"], parent="nghe-an"),
    }
    changed = dataclasses.replace(
        portal, jurisdictions=_Lookups({**portal.jurisdictions, **looped})
    )
    docs = [d for d in search_docs(changed) if d.record["u"].startswith(f"ke-hoach/{PLAN}/#")]
    assert len(docs) == len(portal.plans[PLAN].tasks)
    for doc in docs:
        places = [f for f in doc.facets if f.startswith(place_key(""))]
        assert places == [place_key("nghe-an"), place_key("quang-ngai")], doc.record["u"]


def test_a_task_reaching_an_agency_through_two_collectives_counts_once_in_its_lead_role(
    portal: Portal,
) -> None:
    """A task names collective C to lead and a new collective D to support, both holding
    agency M: M's page lists it once among its collectives' tasks, as led (through C). A
    collective no task names, holding M too, adds nothing."""
    plan = portal.plans[PLAN]
    group, task = next(
        (g, t)
        for g in plan.groups
        for t in g.tasks
        if any(portal.agencies[r.agency_id].members for r in t.lead)
    )
    lead = next(r for r in task.lead if portal.agencies[r.agency_id].members)
    named = {r.agency_id for r in (*task.lead, *task.support)}
    member = next(
        m.agency_id for m in portal.agencies[lead.agency_id].members if m.agency_id not in named
    )
    new = {
        f"nghe-an/{slug}": Agency(
            f"nghe-an/{slug}", name, True, (name,), "nghe-an", (), (Member(member, None),)
        )
        for slug, name in (("nhom-moi", "Nhóm mới"), ("nhom-khong-viec", "Nhóm không việc"))
    }
    changed_task = dataclasses.replace(
        task, support=(*task.support, AgencyRef("Nhóm mới", "nghe-an/nhom-moi"))
    )
    changed_group = dataclasses.replace(
        group, tasks=tuple(changed_task if t is task else t for t in group.tasks)
    )
    plan = dataclasses.replace(
        plan, groups=tuple(changed_group if g is group else g for g in plan.groups)
    )
    changed = dataclasses.replace(
        portal, agencies={**portal.agencies, **new}, plans={**portal.plans, PLAN: plan}
    )
    through = [
        (a.role, a.via)
        for a in derive(changed).via_collectives[member]
        if a.task.id == task.id and a.plan.id == PLAN
    ]
    assert through == [(Role.LEAD, lead.agency_id)]


def test_a_search_hit_on_a_theme_shows_its_long_description_up_to_200_characters(
    portal: Portal,
) -> None:
    """The seed's theme descriptions are short; a long one is cut at a word, with “…”, as
    close to 200 characters as its words allow."""
    description = " ".join(f"lĩnh vực {n} của chỉ thị" for n in range(20))
    theme = Theme("chu-de-dai", "Chủ đề dài", description)
    changed = dataclasses.replace(portal, themes={**portal.themes, theme.id: theme})
    record = next(d.record for d in search_docs(changed) if d.record["u"] == "chu-de/chu-de-dai/")
    detail = record["d"]
    assert detail.endswith("…") and description.startswith(detail.removesuffix("…") + " ")
    assert 190 < len(detail) <= 200, detail


def test_search_hits_on_places_come_centre_first_then_each_province_and_its_communes(
    portal: Portal,
) -> None:
    places = [d.record["u"] for d in search_docs(portal) if d.record["k"] == "place"]
    assert places[0] == "co-quan/trung-uong/"
    provinces = [p for p in places if portal.jurisdictions[p.split("/")[1]].parent is None][1:]
    names = [portal.jurisdictions[p.split("/")[1]].name for p in provinces]
    assert names == sorted(names)
    for commune in (p for p in places if portal.jurisdictions[p.split("/")[1]].parent):
        parent = portal.jurisdictions[commune.split("/")[1]].parent
        assert places.index(commune) > places.index(f"co-quan/{parent}/")


def test_a_search_hit_on_an_unnumbered_group_is_headed_nhom_and_its_title(
    portal: Portal,
) -> None:
    plan = portal.plans[PLAN]
    group, *groups = plan.groups
    plan = dataclasses.replace(plan, groups=(dataclasses.replace(group, number=None), *groups))
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    record = next(
        d.record
        for d in search_docs(changed)
        if d.record["u"] == f"ke-hoach/{PLAN}/nhom-{group.id}/"
    )
    assert record["t"] == f"Nhóm {group.title}"


def _graph_boxes(root: Path) -> dict[str, str]:
    """The document graph's boxes written under `root`: where each leads → what it says."""
    return {
        target("so-do/", str(a.attrs["href"])): a.text()
        for svg in Pages(root, "index.md").page("so-do/").walk()
        if svg.tag == "svg"
        for a in svg.walk()
        if a.tag == "a"
    }


def test_a_replaced_plans_box_in_the_document_graph_says_it_was_replaced(
    portal: Portal, tmp_path: Path
) -> None:
    changed = _replaced_by_another(portal)
    page = graph_pages(_site(changed))[0]
    _write([page], tmp_path)
    boxes = _graph_boxes(tmp_path)
    shown = {address: "Đã được thay thế" in text for address, text in boxes.items()}
    assert shown == {address: address == f"ke-hoach/{PLAN}/" for address in boxes}


def test_document_pages_are_described_by_their_citation_and_title(
    portal: Portal, tmp_path: Path
) -> None:
    """The description under a document's page in a search engine: its citation, then its
    title (cut at a word, “…”, within 160 characters); the citation alone when untitled."""
    site = _site(portal)
    _write([document_page(site, doc) for doc in portal.documents.values()], tmp_path)
    pages = Pages(tmp_path, "index.md")
    untitled = 0
    for doc in documents():
        title, description = pages.title_and_description(f"van-ban/{doc['id']}/")
        citation = document_citation(doc)
        whole = " ".join(f"{citation} {doc['title'] or ''}".split())
        assert title == citation
        if len(whole) <= 160:
            assert description == whole, doc["id"]
        else:
            assert description.endswith("…") and len(description) <= 160, doc["id"]
            assert whole.startswith(description.removesuffix("…") + " "), doc["id"]
        untitled += not doc["title"]
    assert untitled > 0


def test_a_themes_page_for_a_place_is_titled_by_theme_and_place_and_numbered_past_the_first(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One plan a page: Quảng Ngãi's plan and its commune's are two pages of its place."""
    monkeypatch.setattr(generator.render.themes, "THEME_ROWS_ON_ONE_PAGE", 1)
    monkeypatch.setattr(generator.render.themes, "THEME_PLANS_ON_ONE_PAGE", 1)
    site = _site(portal)
    numbered = 0
    for theme in portal.themes.values():
        made = [p for p in theme_pages(site, theme.id) if p.path.count("/") > 2]
        _write(made, tmp_path)
        for page in made:
            address = page.path.removesuffix("index.md")
            place_id, *rest = address.removeprefix(f"chu-de/{theme.id}/").split("/")
            title = f"Chủ đề: {theme.name} – {portal.jurisdictions[place_id].name}"
            if rest[0].startswith("trang-"):
                numbered += 1
                title += f" – trang {rest[0].removeprefix('trang-')}"
            shown, _ = Pages(tmp_path, "index.md").title_and_description(address)
            assert shown == title, address
    assert numbered > 0


def test_a_document_only_replaced_still_has_its_box_in_the_document_graph(
    portal: Portal, tmp_path: Path
) -> None:
    replaced = "can-tho-ke-hoach-386-kh-tu-2025"
    doc = dataclasses.replace(portal.documents[replaced], implements=())
    changed = dataclasses.replace(portal, documents={**portal.documents, replaced: doc})
    page = graph_pages(_site(changed))[0]
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    boxes = _graph_boxes(tmp_path)
    assert "Đã được thay thế" in boxes[f"van-ban/{replaced}/"]


def test_a_theme_no_plan_has_a_group_in_says_so(portal: Portal) -> None:
    theme = Theme("chu-de-moi", "Chủ đề mới", "Chưa kế hoạch nào có nhóm thuộc chủ đề này.")
    changed = dataclasses.replace(portal, themes={**portal.themes, theme.id: theme})
    (page,) = theme_pages(_site(changed), theme.id)
    assert page.path == f"chu-de/{theme.id}/index.md"
    assert "Chưa có kế hoạch nào có nhóm nhiệm vụ thuộc chủ đề này." in page.text


def test_a_timeline_joining_a_year_and_a_single_day_is_left_unread_not_stretched() -> None:
    """Joined spans are periods (“Năm 2025 và giai đoạn 2026-2030”, data/README.md); a part
    that is one day has no start to join from: the wording is kept and reported."""
    assert parse_timeline("Năm 2025 và giai đoạn 2026-2030").kind is TimelineKind.PERIOD
    assert parse_timeline("Năm 2025 và ngày 15/3/2026").kind is TimelineKind.UNPARSED


def test_unnumbered_rows_are_cited_by_their_line_or_their_id(
    portal: Portal, tmp_path: Path
) -> None:
    """A row of an unnumbered group by its line (“Dòng thứ 2, mục “Title””), whatever dots
    the group's id holds; an unnumbered row of a numbered group, with no place in the data's
    ids, by its id; a numbered task by its own number where the group's is absent or not in
    the task's id."""
    plan = portal.plans[PLAN]
    first, second, third, *groups = plan.groups
    untitled = dataclasses.replace(first, id="g.1", number=None)
    line = dataclasses.replace(first.tasks[0], id="g.1.2", number=None)
    stray = dataclasses.replace(second.tasks[0], id=f"{second.id}.9", number=None)
    undotted = dataclasses.replace(second.tasks[1], id="rieng", number="7")
    own = dataclasses.replace(third.tasks[0], id=f"{third.id}.5", number="5")
    plan = dataclasses.replace(
        plan,
        groups=(
            dataclasses.replace(untitled, tasks=(line,)),
            dataclasses.replace(second, tasks=(stray, undotted, *second.tasks[2:])),
            dataclasses.replace(third, number=None, tasks=(own, *third.tasks[1:])),
            *groups,
        ),
    )
    changed = dataclasses.replace(portal, plans={**portal.plans, PLAN: plan})
    page = plan_page(_site(changed), plan, None)
    (tmp_path / page.path).parent.mkdir(parents=True)
    (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    address = f"ke-hoach/{PLAN}/"
    rows = task_rows(address, Pages(tmp_path, "index.md").page(address))
    cited = {a: r.node.attrs.get("data-cite") for a, r in rows.items()}
    assert cited[f"{address}#nv-g-1-2"] == f"Dòng thứ 2, mục “{first.title}”"
    assert cited[f"{address}#{stray.anchor}"] == f"Nhiệm vụ (mã {stray.id}), mục {second.number}"
    assert cited[f"{address}#{undotted.anchor}"] == "Nhiệm vụ 7"
    assert cited[f"{address}#{own.anchor}"] == "Nhiệm vụ 5"


def _write(pages: list[Page], root: Path) -> None:
    for page in pages:
        (root / page.path).parent.mkdir(parents=True, exist_ok=True)
        (root / page.path).write_text(page.text, encoding="utf-8")


def test_a_plan_too_long_for_one_page_shows_its_narrative_on_a_page_of_its_own(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seed plan fits one page, up to the page's very last byte; past the limit its sections
    move to ke-hoach/<id>/noi-dung/, which cites the plan, and the plan's page links there."""
    seed = next(p for p in seed_plans() if p["id"] == PLAN)
    # Untitled: the page's description is then the plan's citation.
    plan = dataclasses.replace(portal.plans[PLAN], title=None)
    site = _site(dataclasses.replace(portal, plans={**portal.plans, PLAN: plan}))
    address, narrative = f"ke-hoach/{PLAN}/", f"ke-hoach/{PLAN}/noi-dung/"
    (whole,) = plan_pages(site, plan)
    monkeypatch.setattr(generator.render.plans, "PLAN_PAGE_BYTES", len(whole.text.encode()))
    assert plan_pages(site, plan) == [whole]
    monkeypatch.setattr(generator.render.plans, "PLAN_PAGE_BYTES", len(whole.text.encode()) - 1)
    split = plan_pages(site, plan)
    assert [p.path for p in split] == [f"{address}index.md", f"{narrative}index.md"]
    _write(split, tmp_path)
    pages = Pages(tmp_path, "index.md")
    on_plan = links_by_heading(address, pages.page(address))["Nội dung kế hoạch"]
    assert on_plan == [narrative]
    link = next(
        a
        for a in pages.page(address).walk()
        if a.tag == "a" and "noi-dung" in str(a.attrs.get("href"))
    )
    assert link.text() == "Nội dung kế hoạch"
    root = pages.page(narrative)
    text = " ".join(root.text().split())
    for said in _sections_text(seed["sections"]):
        assert " ".join(said.split()) in text, said[:80]
    citation = plan_citation(seed)
    assert (
        pages.meta(narrative)["title"]
        == f"Nội dung kế hoạch: Kế hoạch số {seed['number']} – {portal.agencies[plan.issuer].name}"
    )
    assert pages.meta(narrative)["description"] == citation
    assert pages.meta(narrative)["print_header"] == citation


def test_sections_nested_past_h6_share_h6_on_the_plan_page_and_on_its_narrative_page(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTML has no <h7>: a section five deep is headed <h6> like its parent."""
    deepest = Section("Mục năm", "Năm.", ())
    for depth in ("bốn", "ba", "hai", "một"):
        deepest = Section(f"Mục {depth}", None, (deepest,))
    plan = dataclasses.replace(portal.plans[PLAN], sections=(deepest,))
    site = _site(dataclasses.replace(portal, plans={**portal.plans, PLAN: plan}))
    on_plan = {"Mục một": "h3", "Mục hai": "h4", "Mục ba": "h5", "Mục bốn": "h6", "Mục năm": "h6"}
    on_own = {**on_plan, "Mục một": "h2", "Mục hai": "h3", "Mục ba": "h4", "Mục bốn": "h5"}
    monkeypatch.setattr(generator.render.plans, "PLAN_PAGE_BYTES", 0)
    _write(plan_pages(site, plan), tmp_path / "own")
    _write([plan_page(site, plan, None)], tmp_path / "plan")
    for root, address, wanted in (
        (tmp_path / "plan", f"ke-hoach/{PLAN}/", on_plan),
        (tmp_path / "own", f"ke-hoach/{PLAN}/noi-dung/", on_own),
    ):
        headings = {
            n.text(): n.tag
            for n in Pages(root, "index.md").page(address).walk()
            if n.text().startswith("Mục ") and n.tag.startswith("h")
        }
        assert headings == wanted, address


def test_in_page_links_of_plan_pages_lead_to_a_place_on_the_page(
    portal: Portal, tmp_path: Path
) -> None:
    """The plan page's list of groups (and any other #… link) leads to an element there."""
    site = _site(portal)
    for plan in portal.plans.values():
        page = plan_page(site, plan, None)
        _write([page], tmp_path)
        address = f"ke-hoach/{plan.id}/"
        nodes = list(Pages(tmp_path, "index.md").page(address).walk())
        ids = {n.attrs.get("id") for n in nodes}
        fragments = [
            str(n.attrs["href"])[1:]
            for n in nodes
            if n.tag == "a" and str(n.attrs.get("href", "")).startswith("#")
        ]
        assert {f"nhom-{g.id}" for g in plan.groups} <= set(fragments), address
        assert [f for f in fragments if f not in ids] == [], address


def test_a_plan_replaced_and_implemented_by_another_and_implementing_nothing_says_so(
    portal: Portal, tmp_path: Path
) -> None:
    """Its page warns it was replaced, naming the newer plan, lists that plan under “Được
    triển khai bởi”, and says that it names no document it implements."""
    newer = next(p for p in portal.plans.values() if p.id != PLAN)
    plans = {
        **portal.plans,
        PLAN: dataclasses.replace(portal.plans[PLAN], implements=()),
        newer.id: dataclasses.replace(newer, replaces=(PLAN,), implements=(PLAN,)),
    }
    site = _site(dataclasses.replace(portal, plans=plans))
    _write([plan_page(site, plans[PLAN], None)], tmp_path)
    address = f"ke-hoach/{PLAN}/"
    root = Pages(tmp_path, "index.md").page(address)
    seed = next(p for p in seed_plans() if p["id"] == newer.id)
    banner = next(n for n in root.walk() if "ckh-replaced" in str(n.attrs.get("class")))
    assert " ".join(banner.text().split()) == (
        f"Văn bản này đã được thay thế Được thay thế bởi: {plan_citation(seed)}."
    )
    assert [target(address, str(a.attrs["href"])) for a in banner.walk() if a.tag == "a"] == [
        f"ke-hoach/{newer.id}/"
    ]
    shown = dict(_definitions(root))
    assert shown["Căn cứ, triển khai"].text() == "[không ghi]"
    by = shown["Được triển khai bởi"]
    assert [
        (target(address, str(a.attrs["href"])), a.text()) for a in by.walk() if a.tag == "a"
    ] == [(f"ke-hoach/{newer.id}/", plan_citation(seed))]


def test_plan_pages_head_their_tasks_with_the_title_the_plan_gives_them(
    portal: Portal, tmp_path: Path
) -> None:
    """The title over the tasks table, and the citation a copied task ends with (its
    table's `data-cite-in`, read by the page's script)."""
    site = _site(portal)
    for seed in seed_plans():
        _write([plan_page(site, portal.plans[seed["id"]], None)], tmp_path)
        root = Pages(tmp_path, "index.md").page(f"ke-hoach/{seed['id']}/")
        titles = [n.text() for n in root.walk() if "ckh-table-title" in str(n.attrs.get("class"))]
        assert titles == ([" ".join(seed["tasks_title"].split())] if seed["tasks_title"] else [])
        tables = [n for n in root.walk() if n.tag == "table"]
        assert {str(t.attrs.get("data-cite-in")) for t in tables} == {in_plan(seed)}


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (1_234_567, "1,2 MB"),
        (1_050_001, "1,1 MB"),  # a tenth of a MB rounded at its half
        (1_000_000, "1,0 MB"),
        (999_999, "1000 KB"),
        (1_500, "2 KB"),
        (400, "1 KB"),
    ],
)
def test_the_open_data_page_gives_each_downloads_size(
    portal: Portal, tmp_path: Path, size: int, shown: str
) -> None:
    sizes = {urls.all_tasks_data_url(fmt): size for fmt in urls.DATA_FORMATS}
    page = data_page(_site(portal), [], sizes, [], dt.date(2026, 1, 1))
    _write([page], tmp_path)
    root = Pages(tmp_path, "index.md").page("du-lieu/")
    items = [" ".join(n.text().split()) for n in root.walk() if n.tag == "li"]
    assert [i for i in items if i.startswith("Tất cả nhiệm vụ")] == [
        f"Tất cả nhiệm vụ, JSON ({shown})",
        f"Tất cả nhiệm vụ, CSV (Excel) ({shown})",
        f"Tất cả nhiệm vụ, XLSX (Excel) ({shown})",
    ]


def test_the_open_data_page_says_the_day_it_was_built_how_to_follow_a_calendar_and_a_twin(
    portal: Portal, tmp_path: Path
) -> None:
    sizes = {urls.all_tasks_data_url(fmt): 1 for fmt in urls.DATA_FORMATS}
    _write([data_page(_site(portal), [], sizes, [], dt.date(2026, 11, 30))], tmp_path)
    root = Pages(tmp_path, "index.md").page("du-lieu/")
    text = " ".join(root.text().split())
    assert "Dữ liệu dựng ngày 30/11/2026; cột “Hạn kế tiếp” tính đến ngày đó." in text
    assert "Cách theo dõi: sao chép địa chỉ lịch" in text
    # The first plan's JSON twin, as the example of a page's JSON.
    example = f"ke-hoach/{next(iter(portal.plans))}/index.json"
    twins = [
        (target("du-lieu/", str(a.attrs["href"])), a.text())
        for a in root.walk()
        if a.tag == "a" and "index.json" in a.text()
    ]
    assert twins == [(example, "/" + example)]


def test_the_open_data_page_lists_each_places_files_by_name_and_documents_each_column(
    portal: Portal, tmp_path: Path
) -> None:
    """Places in the order of their names, each file named by its format; the columns table
    gives each download column's header, JSON field and meaning; each schema by its name."""
    # Renamed so that their names sort the other way round from their ids.
    portal = dataclasses.replace(
        portal,
        jurisdictions={
            j.id: dataclasses.replace(j, name=f"Địa bàn {chr(ord('Z') - i)}")
            for i, j in enumerate(sorted(portal.jurisdictions.values(), key=lambda j: j.id))
        },
    )
    sizes = {urls.all_tasks_data_url(fmt): 1 for fmt in urls.DATA_FORMATS}
    schemas = [("du-lieu/luoc-do/nhiem-vu.json", "Lược đồ của tệp nhiệm vụ")]
    deadlines = all_deadlines(portal, dt.date(2026, 1, 1))
    _write([data_page(_site(portal), deadlines, sizes, schemas, dt.date(2026, 1, 1))], tmp_path)
    root = Pages(tmp_path, "index.md").page("du-lieu/")
    rows = [
        [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
        for tr in root.walk()
        if tr.tag == "tr"
    ]
    places = [
        (cells[0].text(), [a.text() for a in cells[2].walk() if a.tag == "a"])
        for cells in rows
        if len(cells) == 4 and cells[0].tag == "th" and cells[3].text() == "iCalendar"
    ]
    with_tasks = {portal.jurisdictions[d.plan.jurisdiction].name for d in deadlines if d.task}
    assert places == [
        (name, ["JSON", "CSV (Excel)", "XLSX (Excel)"]) for name in sorted(with_tasks)
    ]
    columns = [
        tuple(" ".join(c.text().split()) for c in cells)
        for cells in rows
        if len(cells) == 3 and cells[0].tag == "th" and cells[0].attrs.get("scope") == "row"
    ]
    assert columns == [(c.header, c.key, " ".join(c.description.split())) for c in COLUMNS]
    found = [
        (target("du-lieu/", str(a.attrs["href"])), a.text()) for a in root.walk() if a.tag == "a"
    ]
    assert schemas[0] in found


def test_a_deadlines_page_lists_entries_by_date_whatever_order_they_come_in(
    portal: Portal, tmp_path: Path
) -> None:
    """Deadlines handed over in reverse: each window still lists them earliest first, and the
    last section, headed “Việc thường xuyên”, holds the ongoing ones."""
    built = dt.date(2025, 9, 1)
    deadlines = list(reversed(all_deadlines(portal, built)))
    # Two of one place due on different days of one month, the later one handed over first.
    one, other, *_ = [d for d in deadlines if d.plan.id == PLAN and d.next is not None]
    deadlines = [
        *(
            dataclasses.replace(d, on=day, first=day, next=day, every_year=None)
            for d, day in ((one, dt.date(2025, 9, 20)), (other, dt.date(2025, 9, 10)))
        ),
        *(d for d in deadlines if d not in (one, other)),
    ]
    _write(deadline_pages(_site(portal), deadlines, built), tmp_path)
    for place in {d.plan.jurisdiction for d in deadlines}:
        root = Pages(tmp_path, "index.md").page(f"thoi-han/{place}/")
        headings = [n.text() for n in root.walk() if n.tag == "h2" and n.attrs.get("id")]
        ongoing = sum(
            1 for d in deadlines if d.plan.jurisdiction == place and d.kind is TimelineKind.ONGOING
        )
        assert f"Việc thường xuyên{ongoing} mục" in headings, headings
        for section in (n for n in root.walk() if n.tag == "section"):
            dates = [
                dt.datetime.strptime(n.text().split()[0], "%d/%m/%Y").date()
                for n in section.walk()
                if "ckh-due-date" in str(n.attrs.get("class")) and n.text().split()[0] != "Thường"
            ]
            assert dates == sorted(dates), (place, section.attrs.get("aria-labelledby"))


def test_deadlines_pages_count_their_entries_load_their_filters_and_list_places_by_name(
    portal: Portal, tmp_path: Path
) -> None:
    """A place's page: “Tất cả N mục.” for all its sections, how to follow its calendar, the
    filters' script; the overview: no sections of its own, its places in the order of their
    names (renamed here to sort the other way round from their ids)."""
    portal = dataclasses.replace(
        portal,
        jurisdictions={
            j.id: dataclasses.replace(j, name=f"Địa bàn {chr(ord('Z') - i)}")
            for i, j in enumerate(sorted(portal.jurisdictions.values(), key=lambda j: j.id))
        },
    )
    built = dt.date(2025, 9, 1)
    deadlines = all_deadlines(portal, built)
    _write(deadline_pages(_site(portal), deadlines, built), tmp_path)
    pages = Pages(tmp_path, "index.md")
    overview = pages.page("thoi-han/")
    assert [n for n in overview.walk() if n.tag == "section"] == []
    shown = [n.text() for n in overview.walk() if n.tag == "th" and n.attrs.get("scope") == "row"]
    assert shown == sorted(shown) and len(shown) > 1
    for place in {d.plan.jurisdiction for d in deadlines}:
        address = f"thoi-han/{place}/"
        root = pages.page(address)
        counts = [
            int(n.text().split()[0])
            for n in root.walk()
            if "ckh-due-count" in str(n.attrs.get("class"))
        ]
        status = next(n.text() for n in root.walk() if n.attrs.get("id") == "ckh-deadlines-status")
        assert status == f"Tất cả {sum(counts)} mục.", address
        assert "Cách theo dõi: sao chép địa chỉ lịch" in root.text(), address
        scripts = [target(address, str(n.attrs["src"])) for n in root.walk() if n.tag == "script"]
        assert scripts == ["assets/deadlines.js"], address


def test_deadlines_pages_lead_back_and_offer_every_place_once_to_choose_from(
    portal: Portal, tmp_path: Path
) -> None:
    """The overview has no way back; a commune's page leads back through its province, named;
    each page's list of places starts with its own and offers every place once."""
    built = dt.date(2025, 9, 1)
    deadlines = all_deadlines(portal, built)
    _write(deadline_pages(_site(portal), deadlines, built), tmp_path)
    pages = Pages(tmp_path, "index.md")
    kicker = "ckh-kicker"
    assert [n for n in pages.page("thoi-han/").walk() if kicker in str(n.attrs.get("class"))] == []
    with_pages = sorted(p.parent.name for p in (tmp_path / "thoi-han").glob("*/index.md"))
    for place in with_pages:
        address = f"thoi-han/{place}/"
        root = pages.page(address)
        back = [
            (target(address, str(a.attrs["href"])), a.text())
            for p in root.walk()
            if kicker in str(p.attrs.get("class"))
            for a in p.walk()
            if a.tag == "a"
        ]
        parent = portal.jurisdictions[place].parent
        assert back == [
            ("thoi-han/", "Thời hạn"),
            *([(f"thoi-han/{parent}/", portal.jurisdictions[parent].name)] if parent else []),
        ], address
        select = next(n for n in root.walk() if n.attrs.get("id") == "ckh-d-dia-ban")
        options = [
            (target(address, str(o.attrs["value"])), o.text())
            for o in select.walk()
            if o.tag == "option"
        ]
        assert options[0] == (address, portal.jurisdictions[place].name), address
        assert sorted(options) == sorted(
            (f"thoi-han/{p}/", portal.jurisdictions[p].name) for p in with_pages
        ), address


def test_deadlines_filters_offer_the_agencies_and_roles_the_entries_carry(
    portal: Portal, tmp_path: Path
) -> None:
    """The agency filter offers, by name, each agency the place's listed deadlines name (its
    value the one the entries carry, which the script matches), and no agency whose deadlines
    are all past or undated: choosing it would show nothing; the role filter each role the
    entries can carry; the table of places is headed by the windows, ongoing last."""
    built = dt.date(2025, 9, 1)
    deadlines = all_deadlines(portal, built)
    _write(deadline_pages(_site(portal), deadlines, built), tmp_path)
    pages = Pages(tmp_path, "index.md")
    roles = {
        "chu-tri": "Chủ trì",
        "phoi-hop": "Phối hợp",
        "bao-cao": "Gửi báo cáo",
        "nhan-bao-cao": "Nhận báo cáo",
    }
    unlisted: set[str] = set()  # agencies whose deadlines at a place are all past or undated
    for place in {d.plan.jurisdiction for d in deadlines}:
        address = f"thoi-han/{place}/"
        root = pages.page(address)

        def options(select: str, root: Node = root) -> list[tuple[str, str]]:
            found = next(n for n in root.walk() if n.attrs.get("id") == select)
            return [(str(o.attrs["value"]), o.text()) for o in found.walk() if o.tag == "option"]

        carried = carried_agencies(root)
        # The agencies of the place's deadlines that are listed: due from today on, or ongoing.
        mine = [d for d in deadlines if d.plan.jurisdiction == place]
        listed = [d for d in mine if d.kind is TimelineKind.ONGOING or (d.next and d.next >= built)]
        named = {a for d in listed for a, _ in d.agencies}
        assert carried == named, address
        unlisted |= {a for d in mine for a, _ in d.agencies} - named
        agencies = sorted(((a, portal.agencies[a].name) for a in named), key=lambda o: o[1])
        assert options("ckh-d-co-quan") == [("", "Mọi cơ quan"), *agencies], address
        assert options("ckh-d-vai-tro") == [("", "Mọi vai trò"), *roles.items()], address
    # The seed, as of that day, has such agencies: the filter would otherwise offer them.
    assert unlisted
    heads = [
        n.text()
        for n in pages.page("thoi-han/").walk()
        if n.tag == "th" and n.attrs.get("scope") == "col"
    ]
    assert heads == [
        "Địa bàn",
        "Trong 30 ngày tới",
        "Từ 31 đến 90 ngày tới",
        "Từ 91 đến 365 ngày tới",
        "Sau 365 ngày",
        "Thường xuyên",
    ]


def test_an_agency_page_lists_its_collectives_tasks_and_a_collective_its_members(
    portal: Portal, tmp_path: Path
) -> None:
    """In this process (tests/test_site.py reads the same on the built site): Sở Tài chính
    tỉnh Nghệ An, a member of “Các sở, ban, ngành, đơn vị cấp tỉnh”, lists that collective's
    tasks after its own, counted and marked with the collective (linked); the collective's
    page names its member, linked, with where that was read."""
    site = _site(portal)
    member, collective = "nghe-an/so-tai-chinh", "nghe-an/cac-so-ban-nganh-don-vi-cap-tinh"
    _write(agency_pages(site, portal.agencies[member]), tmp_path)
    _write(agency_pages(site, portal.agencies[collective]), tmp_path)
    pages = Pages(tmp_path, "index.md")
    address = f"co-quan/{member}/"
    root = pages.page(address)
    nodes = list(root.walk())
    at = next(i for i, n in enumerate(nodes) if n.attrs.get("id") == "qua-nhom")
    via = nodes[at:]
    rows = sorted(
        target(address, str(a.attrs["href"])).rsplit("#", 1)[1]
        for a in via
        if a.tag == "a" and "#nv-" in str(a.attrs.get("href"))
    )
    expected = "1-1 1-2 2-1 2-2 2-3 3-1 3-2 3-3 3-4 4-2 4-3 4-4 5-1 5-2 5-3 5-6 5-7 5-8 6"
    assert sorted(set(rows)) == sorted(f"nv-{n}" for n in expected.split())
    assert nodes[at].text() == f"Nhiệm vụ giao cho nhóm có cơ quan này ({len(expected.split())})"
    marks = [
        (target(address, str(a.attrs["href"])), a.text())
        for h in via
        if "ckh-via" in str(h.attrs.get("class"))
        for a in h.walk()
        if a.tag == "a"
    ]
    assert marks == [(f"co-quan/{collective}/", "Các sở, ban, ngành, đơn vị cấp tỉnh")]
    # Each plan's tasks there: anchored by collective, role and plan, linked to the plan by
    # its citation, its table captioned with the role, the collective, the plan and the count.
    leads, supports = tasks_by_role(collective)
    heading: Node | None = None
    tables = []
    for node in via:
        if node.tag == "p" and node.attrs.get("id"):
            heading = node
        elif node.tag == "table" and heading is not None:
            shown = sorted(task_rows(address, node))
            role = "chu-tri" if set(shown) <= set(leads) else "phoi-hop"
            plan = plan_by_id(shown[0].split("/")[1])
            link = next(a for a in heading.walk() if a.tag == "a")
            caption = next(n.text() for n in node.walk() if n.tag == "caption")
            said = (
                heading.attrs["id"],
                target(address, str(link.attrs["href"])),
                heading.text(),
                caption,
                node.attrs.get("data-cite-in"),
            )
            label = "Nhiệm vụ chủ trì" if role == "chu-tri" else "Nhiệm vụ phối hợp"
            assert said == (
                f"qua-cac-so-ban-nganh-don-vi-cap-tinh-{role}-{plan['id']}",
                f"ke-hoach/{plan['id']}/",
                plan_citation(plan),
                f"{label} (qua: Các sở, ban, ngành, đơn vị cấp tỉnh) – {plan_name(plan)} "
                f"({len(shown)})",
                in_plan(plan),
            )
            assert set(shown) <= set(leads if role == "chu-tri" else supports)
            tables.append(shown)
    assert sorted(a.rsplit("#", 1)[1] for t in tables for a in t) == rows
    page = f"co-quan/{collective}/"
    nodes = list(pages.page(page).walk())
    at = next(i for i, n in enumerate(nodes) if n.attrs.get("id") == "thanh-vien")
    members = [
        (target(page, str(a.attrs["href"])), a.text(), li.text())
        for li in nodes[at:]
        if li.tag == "li"
        for a in li.walk()
        if a.tag == "a"
    ][:1]
    assert [(m[0], m[1]) for m in members] == [(f"co-quan/{member}/", "Sở Tài chính tỉnh Nghệ An")]
    assert "Suy từ danh bạ: " in members[0][2]


def test_a_plan_implemented_by_more_than_its_page_lists_links_the_graphs_list_of_them(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past IMPLEMENTERS_ON_PLAN_PAGE a plan's page says how many implement it and links the
    document graph's list of them: the graph's own while it is one picture, the plan's
    neighbourhood page past that (Ngọk Bay's plan made to implement Quảng Ngãi's)."""
    province = "quang-ngai-89-kh-ubnd-2025"
    commune = next(p for p in portal.plans.values() if p.jurisdiction == "quang-ngai-ngok-bay")
    implementing = dataclasses.replace(commune, implements=(*commune.implements, province))
    changed = dataclasses.replace(portal, plans={**portal.plans, commune.id: implementing})
    monkeypatch.setattr(generator.render.plans, "IMPLEMENTERS_ON_PLAN_PAGE", 0)
    address = f"ke-hoach/{province}/"
    nodes = len(_site(changed).graph_nodes)  # the graph's limit reached exactly: one picture
    for limit, listing in (
        (nodes, "so-do/#cay"),
        (nodes - 1, f"so-do/{province}/#cay"),
    ):
        monkeypatch.setattr(generator.render.common, "GRAPH_NODES_ON_ONE_PAGE", limit)
        _write([plan_page(_site(changed), changed.plans[province], None)], tmp_path / str(limit))
        root = Pages(tmp_path / str(limit), "index.md").page(address)
        links = [
            target(address, str(a.attrs["href"]))
            for a in root.walk()
            if a.tag == "a" and a.text().startswith("1 kế hoạch, văn bản triển khai")
        ]
        assert links == [listing], limit
    # One implementer, and room for exactly one: it is listed, with no link to a list.
    monkeypatch.setattr(generator.render.plans, "IMPLEMENTERS_ON_PLAN_PAGE", 1)
    _write([plan_page(_site(changed), changed.plans[province], None)], tmp_path / "listed")
    root = Pages(tmp_path / "listed", "index.md").page(address)
    assert "văn bản triển khai: xem danh sách" not in root.text()
    assert f"ke-hoach/{commune.id}/" in [
        target(address, str(a.attrs["href"])) for a in root.walk() if a.tag == "a"
    ]
