"""The deadlines pages in headless Chromium, built as of 20/09/2026 (conftest.BUILT_ON): what
falls due first, the filters by agency and role kept in the URL, places as pages, a phone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, Watched, serve

import generator.render.deadlines
from generator.deadlines import all_deadlines
from generator.derive import derive
from generator.load import load_data
from generator.model import build_portal
from generator.render.common import Site, environment
from generator.render.deadlines import deadline_pages
from generator.site import site_url

pytestmark = pytest.mark.browser

NGHE_AN = "thoi-han/nghe-an/"
BANK = "nghe-an/nhcsxh-chi-nhanh-tinh"


def visible_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".ckh-due:visible .ckh-due-body a strong").all_inner_texts()


def test_nghe_an_first_month_holds_the_yearly_report_of_1_october(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + NGHE_AN)
    assert "tính đến ngày 20/09/2026" in page.locator(".ckh-lead").inner_text()
    soon = page.locator("#trong-30-ngay").locator("xpath=..")
    assert soon.locator("h3").all_inner_texts() == ["Tháng 10/2026"]
    entries = soon.locator(".ckh-due")
    assert entries.count() == 2  # task 6 and section III's report, both before 01/10
    for i in range(2):
        assert entries.nth(i).locator(".ckh-due-date").inner_text().startswith("01/10/2026")
        assert "hằng năm" in entries.nth(i).inner_text()
    task = soon.locator("a[href$='#nv-6']")
    assert task.inner_text() == "Nhiệm vụ 6, Kế hoạch số 686/KH-UBND"
    task.click()
    page.wait_for_load_state()
    assert page.url.endswith("ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-6")
    assert watched.errors == []
    assert watched.hosts == {"127.0.0.1"}


def test_filters_by_agency_and_role_go_into_the_url_and_come_back_from_it(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + NGHE_AN)
    everything = page.locator(".ckh-due:visible").count()
    page.select_option("#ckh-d-co-quan", BANK)
    page.select_option("#ckh-d-vai-tro", "nhan-bao-cao")
    assert visible_titles(page) == [
        "Báo cáo hằng năm (III. TỔ CHỨC THỰC HIỆN, mục 1), Kế hoạch số 686/KH-UBND"
    ]
    assert page.locator("#ckh-deadlines-status").inner_text() == (
        f"Đang lọc: 1 trên {everything} mục."
    )
    assert page.url.endswith(
        NGHE_AN + "?co-quan=nghe-an%2Fnhcsxh-chi-nhanh-tinh&vai-tro=nhan-bao-cao"
    )
    # A section the filter empties says so.
    assert page.locator("#thuong-xuyen ~ .ckh-due-empty").is_visible()
    shared = page.url
    page.reload()
    assert page.locator("#ckh-d-co-quan").input_value() == BANK
    assert page.locator("#ckh-d-vai-tro").input_value() == "nhan-bao-cao"
    assert len(visible_titles(page)) == 1
    # The same address opened fresh (sent by email) shows the same list.
    other = page.context.new_page()
    other.goto(shared)
    assert len(visible_titles(other)) == 1
    # Leading: the bank leads task 6 (and no report is "led").
    page.select_option("#ckh-d-vai-tro", "chu-tri")
    assert "Nhiệm vụ 6, Kế hoạch số 686/KH-UBND" in visible_titles(page)
    assert not any(t.startswith("Báo cáo") for t in visible_titles(page))
    page.click(".ckh-deadlines-clear")
    assert page.locator(".ckh-due:visible").count() == everything
    assert page.url.endswith(NGHE_AN)
    assert watched.errors == []


def test_choosing_a_place_opens_its_page_and_keeps_the_role(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + "thoi-han/quang-ngai/?vai-tro=bao-cao")
    page.select_option("#ckh-d-dia-ban", label="Xã Ngọk Bay")
    page.wait_for_url("**/thoi-han/quang-ngai-ngok-bay/?vai-tro=bao-cao")
    assert page.locator("h1").inner_text() == "Thời hạn: Xã Ngọk Bay"
    assert page.locator("#ckh-d-vai-tro").input_value() == "bao-cao"
    # The commune's yearly report before 30/10: in the 31–90 days window from 20/09.
    titles = visible_titles(page)
    assert titles == ["Báo cáo hằng năm (IV. TỔ CHỨC THỰC HIỆN, mục 1), Kế hoạch (chưa rõ số hiệu)"]
    window = page.locator(".ckh-due:visible").locator("xpath=ancestor::section")
    assert window.locator("h2").get_attribute("id") == "trong-90-ngay"
    assert watched.errors == []


def test_overview_counts_each_place_and_links_its_page(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + "thoi-han/")
    rows = page.locator("table.ckh-due-places tbody tr")
    names = rows.locator("th").all_inner_texts()
    assert names == sorted(names)
    assert {"Tỉnh Nghệ An", "Tỉnh Quảng Ngãi", "Thành phố Cần Thơ"} <= set(names)
    quang_ngai = rows.filter(has_text="Tỉnh Quảng Ngãi")
    # Quảng Ngãi's count includes its commune Ngọk Bay's report (31–90 days).
    assert quang_ngai.locator("td").nth(1).inner_text() == "1"
    quang_ngai.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith("thoi-han/quang-ngai/")
    assert page.locator("table.ckh-due-places a").all_inner_texts() == ["Xã Ngọk Bay"]
    assert watched.errors == []


def test_on_a_phone_the_deadlines_fit_the_screen(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_url + NGHE_AN)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    entry = page.locator(".ckh-due").first
    date, body = (
        entry.locator(".ckh-due-date").bounding_box(),
        entry.locator(".ckh-due-body").bounding_box(),
    )
    assert date and body and body["y"] >= date["y"] + date["height"] - 1  # date above, not beside
    for select in ("#ckh-d-dia-ban", "#ckh-d-co-quan", "#ckh-d-vai-tro"):
        box = page.locator(select).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.select_option("#ckh-d-vai-tro", "bao-cao")
    assert page.url.endswith("?vai-tro=bao-cao")
    assert watched.errors == []


def test_on_a_numbered_page_the_filters_say_they_reach_that_page(
    watched: Watched, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nghệ An's deadlines cut onto numbered pages (the room of a page made small): on its
    second page the status counts that page's entries, unfiltered and filtered, and says the
    place has more. The generated pages are served as bare HTML with the filters' script."""
    raw, errors = load_data(ROOT / "data")
    assert errors == []
    portal = build_portal(raw)[0]
    monkeypatch.setattr(generator.render.deadlines, "DUE_ENTRIES_BYTES", 9_000)
    site = Site(portal, derive(portal), environment(ROOT / "templates"), site_url(ROOT), str)
    built = dt.date(2026, 9, 20)
    for made in deadline_pages(site, all_deadlines(portal, built), built):
        body = made.text.split("\n---\n", 1)[1]
        html = f'<!doctype html><html lang="vi"><meta charset="utf-8"><link rel="icon" href="data:,"><body>{body}</body></html>'
        path = tmp_path / made.path.removesuffix("index.md") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    (tmp_path / "assets").mkdir()
    shutil.copy(ROOT / "docs" / "assets" / "deadlines.js", tmp_path / "assets")
    count = len(list((tmp_path / NGHE_AN).glob("trang-*"))) + 1
    assert count >= 3
    page = watched.page
    with serve(tmp_path) as url:
        page.goto(url + NGHE_AN + "trang-2/")
        shown = page.locator(".ckh-due:visible").count()
        scope = f" của trang này (trang 2/{count}; Tỉnh Nghệ An có 21 mục)."
        assert page.locator("#ckh-deadlines-status").inner_text() == f"Tất cả {shown} mục{scope}"
        agency = page.locator("#ckh-d-co-quan option").nth(1).get_attribute("value")
        page.select_option("#ckh-d-co-quan", agency)
        left = page.locator(".ckh-due:visible").count()
        assert 0 < left <= shown
        assert page.locator("#ckh-deadlines-status").inner_text() == (
            f"Đang lọc: {left} trên {shown} mục{scope}"
        )
    assert watched.errors == []
