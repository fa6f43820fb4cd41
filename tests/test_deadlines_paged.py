"""A place's deadlines page stays light, and lists only what is still due: a place with more
entries than one page holds goes on to numbered pages (every entry once, in order, its links
still leading where they did); a plan replaced by another on the portal is named, not listed,
and its dates leave the calendars (its tables keep its tasks)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT
from test_what_pages_say import Node, Pages, carried_agencies, target

import generator.render.deadlines
from generator import ics, opendata
from generator.deadlines import Deadline, all_deadlines
from generator.derive import derive
from generator.domain import Jurisdiction, Level, Portal
from generator.load import load_data
from generator.model import build_portal
from generator.render.agencies import agency_pages
from generator.render.common import Site, environment
from generator.render.deadlines import (
    data_page,
    deadline_pages,
    deadlines_pages,
    entry_bytes,
    page_counts,
)
from generator.site import site_url

BUILT = dt.date(2025, 9, 1)
PLACE = "nghe-an"  # the seed place with the most deadlines (21 entries)


@pytest.fixture(scope="module")
def portal() -> Portal:
    raw, errors = load_data(ROOT / "data")
    assert errors == []
    return build_portal(raw)[0]


def _written(portal: Portal, deadlines: list[Deadline] | tuple[Deadline, ...], root: Path) -> Pages:
    site = Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)
    for page in deadline_pages(site, deadlines, BUILT):
        (root / page.path).parent.mkdir(parents=True, exist_ok=True)
        (root / page.path).write_text(page.text, encoding="utf-8")
    return Pages(root, "index.md")


def _entries(address: str, root: Node) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each entry as a reader meets it: its date, its text, and where its links lead."""
    found = []
    for li in root.walk():
        if "ckh-due" not in str(li.attrs.get("class")).split():
            continue
        date = next(n.text() for n in li.walk() if n.attrs.get("class") == "ckh-due-date")
        links = tuple(target(address, str(a.attrs["href"])) for a in li.walk() if a.tag == "a")
        found.append((date, li.text(), links))
    return found


def _status(root: Node) -> str:
    return next(n.text() for n in root.walk() if n.attrs.get("id") == "ckh-deadlines-status")


def _headings(root: Node) -> list[str]:
    return [n.text() for n in root.walk() if n.tag == "h2" and n.attrs.get("id")]


def test_a_place_with_more_entries_than_a_page_holds_lists_each_once_on_numbered_pages(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deadlines = all_deadlines(portal, BUILT)
    whole = _written(portal, deadlines, tmp_path / "whole")
    address = f"thoi-han/{PLACE}/"
    listed = _entries(address, whole.page(address))
    assert len(listed) == 21

    # Room for about seven of this place's entries a page.
    monkeypatch.setattr(generator.render.deadlines, "DUE_ENTRIES_BYTES", 9_000)
    paged = _written(portal, deadlines, tmp_path / "paged")
    folder = tmp_path / "paged" / address
    count = 1 + len(list(folder.glob("trang-*")))
    assert count >= 3
    addresses = [address] + [f"{address}trang-{n}/" for n in range(2, count + 1)]
    roots = [paged.page(a) for a in addresses]
    parts = [_entries(a, r) for a, r in zip(addresses, roots, strict=True)]
    assert all(parts)
    # The same entries in the same order, their links leading to the same tasks and agencies
    # from the deeper pages.
    assert [e for p in parts for e in p] == listed
    for number, (a, root) in enumerate(zip(addresses, roots, strict=True), start=1):
        pager = [n for n in root.walk() if n.tag == "nav" and "ckh-pager" in str(n.attrs)]
        assert len(pager) == 2, a  # above and below the entries
        links = [target(a, str(n.attrs["href"])) for n in pager[0].walk() if n.tag == "a"]
        assert links == [x for x in addresses if x != a], a
        current = [n.text() for n in pager[0].walk() if n.attrs.get("aria-current") == "page"]
        assert current == [f"Trang {number}"], a
        assert _status(root) == (
            f"Tất cả {len(parts[number - 1])} mục của trang này (trang {number}/{count}; "
            f"{portal.jurisdictions[PLACE].name} có 21 mục)."
        ), a
        # The filter offers the agencies of this page's entries, no other.
        carried = carried_agencies(root)
        select = next(n for n in root.walk() if n.attrs.get("id") == "ckh-d-co-quan")
        offered = {o.attrs["value"] for o in select.walk() if o.tag == "option"} - {""}
        assert offered == carried, a

    # A section cut across two pages says it goes on; every window is headed once overall.
    def titles(heads: list[str]) -> list[str]:
        return [re.sub(r"\d+ mục$", "", h) for h in heads if "(tiếp)" not in h]

    whole_heads = _headings(whole.page(address))
    paged_heads = [h for r in roots for h in _headings(r)]
    assert titles(paged_heads) == titles(whole_heads)
    assert any("(tiếp)" in h for h in _headings(roots[1]))
    # The way back, the calendar and the script lead where they do from the first page.
    for a, root in zip(addresses, roots, strict=True):
        back = next(n for n in root.walk() if n.tag == "a" and n.text() == "Thời hạn")
        assert target(a, str(back.attrs["href"])) == "thoi-han/", a
        feeds = [n for n in root.walk() if n.tag == "a" and n.text().startswith("mọi thời hạn của")]
        assert [target(a, str(n.attrs["href"])) for n in feeds] == [f"thoi-han/{PLACE}.ics"], a
        scripts = [target(a, str(n.attrs["src"])) for n in root.walk() if n.tag == "script"]
        assert scripts == ["assets/deadlines.js"], a
    # Each part of a window keeps its anchor and the remark it shows when a filter empties it.
    remarks = {ident: empty for ident, _, empty in WINDOWS}
    for root in roots:
        for section in (n for n in root.walk() if n.tag == "section"):
            ident = str(section.attrs.get("aria-labelledby"))
            heading = next(n for n in section.walk() if n.tag == "h2")
            remark = next(n for n in section.walk() if "ckh-due-empty" in str(n.attrs))
            assert heading.attrs.get("id") == ident and _own_text(remark) == remarks[ident]
            for month in (n for n in section.walk() if n.attrs.get("class") == "ckh-due-month"):
                names = [n.text() for n in month.walk() if n.tag == "h3"]
                assert names == [] if ident == "thuong-xuyen" else names[0].startswith("Tháng ")


def test_a_replaced_plan_is_named_on_its_places_deadlines_page_not_listed_nor_in_calendars(
    portal: Portal, tmp_path: Path
) -> None:
    """A second plan of Nghệ An replaces the seed one: the seed plan's tasks leave the place's
    deadlines page, its calendar and its agencies' calendars, and the page says which plan is
    left out and links it; the place's table still lists the replaced plan's tasks."""
    old = portal.plans["nghe-an-686-kh-ubnd-2025"]
    new = dataclasses.replace(
        old, id="nghe-an-999-kh-ubnd-2026", number="999/KH-UBND", replaces=(old.id,),
        former_ids=(),
    )  # fmt: skip
    changed = dataclasses.replace(portal, plans={**portal.plans, new.id: new})
    deadlines = all_deadlines(changed, BUILT)
    assert {d.replaced for d in deadlines if d.plan.id == old.id} == {True}
    pages = _written(changed, deadlines, tmp_path)
    address = f"thoi-han/{PLACE}/"
    root = pages.page(address)
    tasks = [link for _, _, links in _entries(address, root) for link in links]
    assert any(link.startswith(f"ke-hoach/{new.id}/#") for link in tasks)
    assert not any(link.startswith(f"ke-hoach/{old.id}/") for link in tasks)
    remark = next(n for n in root.walk() if "đã được thay thế" in n.text() and n.tag == "p")
    assert remark.text().startswith("Không liệt kê thời hạn của kế hoạch đã được thay thế:")
    assert [
        (target(address, str(a.attrs["href"])), a.text()) for a in remark.walk() if a.tag == "a"
    ] == [(f"ke-hoach/{old.id}/", "Kế hoạch số 686/KH-UBND")]

    site = site_url(ROOT)
    place = next(s for s in opendata.download_sets(changed, deadlines) if s.table_title.endswith(
        changed.jurisdictions[PLACE].name
    ))  # fmt: skip
    events = ics.feed_events(place.deadlines, site)
    assert events and not any(f"ke-hoach/{old.id}/" in e.url for e in events)
    assert any(f"ke-hoach/{new.id}/" in e.url for e in events)
    rows = opendata.set_files(place, site, BUILT)
    table = next(f for f in rows if f.path.endswith(f"{PLACE}.csv")).data.decode("utf-8-sig")
    assert f"ke-hoach/{old.id}/" in table and f"ke-hoach/{new.id}/" in table
    # Without the replacement the seed plan's dates are in the calendar.
    unchanged = all_deadlines(portal, BUILT)
    assert any(f"ke-hoach/{old.id}/" in e.url for e in ics.feed_events(unchanged, site))


def test_deadlines_pages_of_a_place_with_many_plans_in_force_stay_under_80_kb(
    portal: Portal, tmp_path: Path
) -> None:
    """Nghệ An with its plan five times over (five plans in force, 105 entries): every page of
    its deadlines weighs, with the theme's frame (14.4 KB measured on the built site), at most
    80 KB, and together they list every entry."""
    plan = portal.plans["nghe-an-686-kh-ubnd-2025"]
    copies = {
        f"{plan.id}-{n}": dataclasses.replace(plan, id=f"{plan.id}-{n}", former_ids=())
        for n in range(2, 6)
    }
    many = dataclasses.replace(portal, plans={**portal.plans, **copies})
    pages = _written(many, all_deadlines(many, BUILT), tmp_path)
    address = f"thoi-han/{PLACE}/"
    folders = [tmp_path / address, *sorted((tmp_path / address).glob("trang-*"))]
    assert len(folders) > 1
    for folder in folders:
        assert (folder / "index.md").stat().st_size + 14_400 <= 80 * 1024, folder
    listed = [
        e
        for folder in folders
        for e in _entries(
            folder.relative_to(tmp_path).as_posix() + "/",
            pages.page(folder.relative_to(tmp_path).as_posix() + "/"),
        )
    ]
    assert len(listed) == 5 * 21


WINDOWS = [
    ("trong-30-ngay", "Trong 30 ngày tới", "Không có việc nào đến hạn trong khoảng này."),
    ("trong-90-ngay", "Từ 31 đến 90 ngày tới", "Không có việc nào đến hạn trong khoảng này."),
    ("trong-365-ngay", "Từ 91 đến 365 ngày tới", "Không có việc nào đến hạn trong khoảng này."),
    ("sau-365-ngay", "Sau 365 ngày", "Không có việc nào đến hạn trong khoảng này."),
    ("thuong-xuyen", "Việc thường xuyên", "Không có việc thường xuyên."),
]


def _own_text(node: Node) -> str:
    """The text a node holds, shown or hidden (a remark the script shows when a filter empties
    its section)."""
    return " ".join(
        "".join(c if isinstance(c, str) else _own_text(c) for c in node.children).split()
    )


def test_each_window_is_a_section_headed_by_its_name_and_count_its_months_named(
    portal: Portal, tmp_path: Path
) -> None:
    """Every place's page: the five windows in order, each a section with its anchor, headed
    “<window><N> mục” for the N entries in it, holding the remark it shows when a filter
    leaves it empty; each month of a dated window headed “Tháng M/YYYY”, its entries due in
    that month."""
    deadlines = all_deadlines(portal, BUILT)
    pages = _written(portal, deadlines, tmp_path)
    for place in {d.plan.jurisdiction for d in deadlines}:
        root = pages.page(f"thoi-han/{place}/")
        sections = [n for n in root.walk() if n.tag == "section"]
        assert [s.attrs.get("aria-labelledby") for s in sections] == [w[0] for w in WINDOWS]
        for section, (ident, title, empty) in zip(sections, WINDOWS, strict=True):
            entries = [li for li in section.walk() if li.attrs.get("class") == "ckh-due"]
            heading = next(n for n in section.walk() if n.tag == "h2")
            assert heading.attrs.get("id") == ident, place
            assert heading.text() == f"{title}{len(entries)} mục", place
            remark = next(n for n in section.walk() if "ckh-due-empty" in str(n.attrs))
            assert _own_text(remark) == empty, place
            for month in (n for n in section.walk() if n.attrs.get("class") == "ckh-due-month"):
                names = [n.text() for n in month.walk() if n.tag == "h3"]
                dates = [
                    n.text().split()[0]
                    for n in month.walk()
                    if n.attrs.get("class") == "ckh-due-date"
                ]
                if ident == "thuong-xuyen":
                    assert names == [] and set(dates) <= {"Thường"}, place
                    continue
                assert names and names[0].startswith("Tháng "), place
                assert {d.split("/", 1)[1] for d in dates} == {
                    "/".join(
                        x.zfill(2) if i == 0 else x for i, x in enumerate(names[0][6:].split("/"))
                    )
                }, (place, names, dates)


def test_a_places_deadlines_page_links_its_task_tables_and_the_overview_none(
    portal: Portal, tmp_path: Path
) -> None:
    deadlines = all_deadlines(portal, BUILT)
    pages = _written(portal, deadlines, tmp_path)
    for place in {d.plan.jurisdiction for d in deadlines}:
        address = f"thoi-han/{place}/"
        line = next(
            n
            for n in pages.page(address).walk()
            if n.tag == "p" and n.text().startswith("Bảng nhiệm vụ của")
        )
        assert line.text().startswith(f"Bảng nhiệm vụ của {portal.jurisdictions[place].name}:")
        links = [
            (target(address, str(a.attrs["href"])), a.text()) for a in line.walk() if a.tag == "a"
        ]
        assert links == [
            (f"du-lieu/dia-ban/{place}.json", "JSON"),
            (f"du-lieu/dia-ban/{place}.csv", "CSV (Excel)"),
            (f"du-lieu/dia-ban/{place}.xlsx", "XLSX (Excel)"),
        ], address
    overview = pages.page("thoi-han/")
    assert not any(n.text().startswith("Bảng nhiệm vụ") for n in overview.walk() if n.tag == "p")


def _with_communes(portal: Portal, communes: list[Jurisdiction]) -> Portal:
    """The portal with these communes added, each with a copy of Ngọk Bay's plan."""
    plan = next(p for p in portal.plans.values() if p.jurisdiction == "quang-ngai-ngok-bay")
    copies = {
        f"{plan.id}-{c.id}": dataclasses.replace(
            plan, id=f"{plan.id}-{c.id}", jurisdiction=c.id, former_ids=()
        )
        for c in communes
    }
    return dataclasses.replace(
        portal,
        jurisdictions={**portal.jurisdictions, **{c.id: c for c in communes}},
        plans={**portal.plans, **copies},
    )


def _offered(pages: Pages, address: str) -> list[str]:
    select = next(n for n in pages.page(address).walk() if n.attrs.get("id") == "ckh-d-dia-ban")
    return [target(address, str(o.attrs["value"])) for o in select.walk() if o.tag == "option"][1:]


def test_past_the_limit_the_place_filter_offers_provinces_and_a_communes_siblings(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to PLACES_ON_ONE_PAGE places every page offers them all; past it the overview and a
    province's page offer the provinces (a province lists its communes below), a commune's
    page the provinces and the communes of its province."""
    commune = "quang-ngai-ngok-bay"
    sibling = Jurisdiction("quang-ngai-xa-moi", "Xã Mới", Level.COMMUNE, "quang-ngai")
    portal = _with_communes(portal, [sibling])
    deadlines = all_deadlines(portal, BUILT)
    places = sorted({d.plan.jurisdiction for d in deadlines})
    provinces = [p for p in places if portal.jurisdictions[p].parent is None]
    assert commune in places and len(provinces) < len(places)
    folder = lambda p: f"thoi-han/{p}/"  # noqa: E731

    monkeypatch.setattr(generator.render.deadlines, "PLACES_ON_ONE_PAGE", len(places))
    pages = _written(portal, deadlines, tmp_path / "all")
    for address in ["thoi-han/", *map(folder, places)]:
        here = [address] if address != "thoi-han/" else []
        assert sorted(_offered(pages, address)) == sorted(set(map(folder, places)) - set(here))

    monkeypatch.setattr(generator.render.deadlines, "PLACES_ON_ONE_PAGE", len(places) - 1)
    pages = _written(portal, deadlines, tmp_path / "few")
    assert sorted(_offered(pages, "thoi-han/")) == sorted(map(folder, provinces))
    for province in provinces:
        assert sorted(_offered(pages, folder(province))) == sorted(
            folder(p) for p in provinces if p != province
        )
    for one, other in ((commune, sibling.id), (sibling.id, commune)):
        assert sorted(_offered(pages, folder(one))) == sorted(
            [*map(folder, provinces), folder(other)]
        )


def test_a_large_provinces_deadlines_pages_stay_under_80_kb_its_communes_listed_on_the_first(
    portal: Portal, tmp_path: Path
) -> None:
    """Nghệ An with 170 communes (Ho Chi Minh City has 168) and its plan five times over: the
    table of communes and the place filter take room from the entries, every page weighs at
    most 80 KB with the theme's frame, and the communes are listed on the first page only."""
    communes = [
        Jurisdiction(f"nghe-an-xa-{n}", f"Xã Số {n} của tỉnh", Level.COMMUNE, "nghe-an")
        for n in range(170)
    ]
    plan = portal.plans["nghe-an-686-kh-ubnd-2025"]
    copies = {
        f"{plan.id}-{n}": dataclasses.replace(plan, id=f"{plan.id}-{n}", former_ids=())
        for n in range(2, 6)
    }
    # One commune with the province's plan five times over: its place filter offers the
    # provinces and its 169 sibling communes.
    busy = {
        f"{plan.id}-xa-{n}": dataclasses.replace(
            plan, id=f"{plan.id}-xa-{n}", jurisdiction="nghe-an-xa-0", former_ids=()
        )
        for n in range(5)
    }
    big = _with_communes(
        dataclasses.replace(portal, plans={**portal.plans, **copies, **busy}), communes
    )
    pages = _written(big, all_deadlines(big, BUILT), tmp_path)
    commune = tmp_path / "thoi-han/nghe-an-xa-0"
    commune_pages = [commune, *commune.glob("trang-*")]
    assert len(commune_pages) > 2
    for folder in commune_pages:
        assert (folder / "index.md").stat().st_size + 14_400 <= 80 * 1024, folder
    address = f"thoi-han/{PLACE}/"
    numbered = sorted((tmp_path / address).glob("trang-*"), key=lambda f: int(f.name[6:]))
    folders = [tmp_path / address, *numbered]
    assert len(folders) > 2
    for folder in folders:
        assert (folder / "index.md").stat().st_size + 14_400 <= 80 * 1024, folder
    tables = [
        [n for n in pages.page(f.relative_to(tmp_path).as_posix() + "/").walk() if n.tag == "table"]
        for f in folders
    ]
    assert [len(t) for t in tables] == [1] + [0] * (len(folders) - 1)
    rows = [n for n in tables[0][0].walk() if n.tag == "th" and n.attrs.get("scope") == "row"]
    assert len(rows) == 170


def test_entries_that_exactly_fill_a_page_stay_on_it(portal: Portal) -> None:
    """The cut falls after the last entry that fits: entries weighing exactly the room a page
    has are one page; a byte less and the last goes on to the next."""
    deadlines = all_deadlines(portal, BUILT)
    context = dict(deadlines_pages(portal, deadlines, BUILT))[f"thoi-han/{PLACE}/"]
    entries = [e for s in context.sections for m in s.months for e in m.entries]
    weight = sum(entry_bytes(e) for e in entries)
    assert page_counts(context.sections, weight, weight) == [len(entries)]
    assert page_counts(context.sections, weight - 1, weight) == [len(entries) - 1, 1]


def test_agency_pages_name_their_calendar_and_task_tables(portal: Portal, tmp_path: Path) -> None:
    """An agency's page: how to follow its calendar, and its tasks as JSON, CSV and XLSX."""
    site = Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)
    agency = portal.agencies["nghe-an/so-tai-chinh"]
    for page in agency_pages(site, agency):
        (tmp_path / page.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page.path).write_text(page.text, encoding="utf-8")
    address = f"co-quan/{agency.id}/"
    root = Pages(tmp_path, "index.md").page(address)
    section = next(n for n in root.walk() if n.attrs.get("aria-labelledby") == "lich-va-du-lieu")
    assert "Cách theo dõi: sao chép địa chỉ lịch" in section.text()
    links = [
        (target(address, str(a.attrs["href"])), a.text()) for a in section.walk() if a.tag == "a"
    ]
    assert (f"du-lieu/co-quan/{agency.id}.json", "JSON") in links
    assert (f"du-lieu/co-quan/{agency.id}.csv", "CSV (Excel)") in links
    assert (f"du-lieu/co-quan/{agency.id}.xlsx", "XLSX (Excel)") in links


def test_a_commune_whose_plans_are_all_replaced_counts_nothing_due_on_its_provinces_page(
    portal: Portal, tmp_path: Path
) -> None:
    """Quảng Ngãi's plan replacing Ngọk Bay's: the commune keeps its row and its page (their
    addresses are published), with nothing due in any window."""
    province = portal.plans["quang-ngai-89-kh-ubnd-2025"]
    commune = next(p for p in portal.plans.values() if p.jurisdiction == "quang-ngai-ngok-bay")
    changed = dataclasses.replace(
        portal,
        plans={
            **portal.plans,
            province.id: dataclasses.replace(province, replaces=(*province.replaces, commune.id)),
        },
    )
    pages = _written(changed, all_deadlines(changed, BUILT), tmp_path)
    root = pages.page("thoi-han/quang-ngai/")
    row = next(
        n
        for n in root.walk()
        if n.tag == "tr" and any(c.tag == "th" and c.text() == "Xã Ngọk Bay" for c in n.walk())
    )
    assert [c.text() for c in row.walk() if c.tag == "td"] == ["0"] * 5
    assert (
        _entries("thoi-han/quang-ngai-ngok-bay/", pages.page("thoi-han/quang-ngai-ngok-bay/")) == []
    )


def test_past_the_limit_the_open_data_page_lists_provinces_and_says_where_communes_are(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to PLACES_ON_ONE_PAGE places with tasks, the open data page has a row for each;
    past it a row for each province only, and says each commune's files are on its deadlines
    page."""
    deadlines = all_deadlines(portal, BUILT)
    places = {d.plan.jurisdiction for d in deadlines if d.task is not None}
    provinces = {p for p in places if portal.jurisdictions[p].parent is None}
    assert provinces < places
    site = Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)
    remark = "tệp của mỗi xã, phường ở trang thời hạn của xã, phường đó"
    for limit, listed in ((len(places), places), (len(places) - 1, provinces)):
        monkeypatch.setattr(generator.render.deadlines, "PLACES_ON_ONE_PAGE", limit)
        sizes: dict[str, int] = defaultdict(int)
        page = data_page(site, deadlines, sizes, [], BUILT)
        (tmp_path / str(limit) / page.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / str(limit) / page.path).write_text(page.text, encoding="utf-8")
        root = Pages(tmp_path / str(limit), "index.md").page("du-lieu/")
        table = next(n for n in root.walk() if n.tag == "table")
        rows = [
            target("du-lieu/", str(a.attrs["href"]))
            for th in table.walk()
            if th.tag == "th" and th.attrs.get("scope") == "row"
            for a in th.walk()
            if a.tag == "a"
        ]
        assert sorted(rows) == sorted(f"thoi-han/{p}/" for p in listed), limit
        assert (remark in root.text()) is (listed != places), limit
