"""A place's deadlines page stays light, and lists only what is still due: a place with more
entries than one page holds goes on to numbered pages (every entry once, in order, its links
still leading where they did); a plan replaced by another on the portal is named, not listed,
and its dates leave the calendars (its tables keep its tasks)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_what_pages_say import Node, Pages, target

import generator.render.deadlines
from generator import ics, opendata
from generator.deadlines import Deadline, all_deadlines
from generator.derive import derive
from generator.domain import Portal
from generator.load import load_data
from generator.model import build_portal
from generator.render.common import Site, environment
from generator.render.deadlines import deadline_pages
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
        carried = {
            agency
            for li in root.walk()
            if "ckh-due" in str(li.attrs.get("class")).split()
            for key, value in li.attrs.items()
            if key.startswith("data-")
            for agency in str(value).split()
        }
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
    assert [target(address, str(a.attrs["href"])) for a in remark.walk() if a.tag == "a"] == [
        f"ke-hoach/{old.id}/"
    ]

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
