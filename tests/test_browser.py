"""The portal in headless Chromium: what a reader clicks, sees and never sees (errors, outside hosts)."""

from __future__ import annotations

import pytest
from conftest import Watched

pytestmark = pytest.mark.browser

PLAN = "ke-hoach/nghe-an-686-kh-ubnd-2025/"


def test_plan_page_shows_24_tasks_without_errors_or_outside_requests(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + PLAN)
    assert page.locator("table.ckh-tasks tr[id^='nv-']").count() == 24
    assert page.locator("html").get_attribute("lang") == "vi"
    assert watched.errors == []
    assert watched.hosts == {"127.0.0.1"}


def test_task_link_lands_on_the_task_row_in_view(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + PLAN + "#nv-4-1")
    row = page.locator("#nv-4-1")
    box = row.bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert box and header
    assert box["y"] >= header["y"] + header["height"] - 1  # not hidden under the sticky header
    assert box["y"] < 800
    assert "Tăng cường nguồn lực" in row.inner_text()


def test_reader_goes_from_a_task_to_its_lead_agency_and_back(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + PLAN)
    page.locator("#nv-6 td:nth-of-type(2) a").first.click()
    page.wait_for_load_state()
    assert "/co-quan/nghe-an/" in page.url
    assert page.locator("h1").inner_text().startswith("Chi nhánh Ngân hàng Chính sách xã hội")
    page.locator("#chu-tri ~ .ckh-table-wrap a[href$='#nv-6']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(PLAN + "#nv-6")
    assert watched.errors == []


def test_on_a_phone_each_task_is_a_labelled_card(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + PLAN)
    cell = page.locator("#nv-4-1 td:nth-of-type(2)")
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Đơn vị chủ trì"'
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling


def test_unknown_address_gets_the_vietnamese_404_page(watched: Watched, site_url: str) -> None:
    response = watched.page.goto(site_url + "ke-hoach/khong-co/")
    assert response is not None and response.status == 404
    assert watched.page.locator("h1").first.inner_text() != ""
    assert watched.hosts == {"127.0.0.1"}


def test_vietnamese_words_are_drawn_in_one_font(watched: Watched, site_url: str) -> None:
    """A system font without Vietnamese letters (Helvetica and Arial stand-ins on Linux) would
    draw `ệ` or `ở` from another font than the rest of the word."""
    page = watched.page
    page.goto(site_url + PLAN)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    mixed = []
    for selector in ("h1", "table.ckh-tasks td", ".md-header__title", "nav.md-tabs a"):
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
        assert nodes["nodeIds"], selector
        for node in nodes["nodeIds"][:20]:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            if len({f["familyName"] for f in fonts}) > 1:
                mixed.append((selector, fonts))
    assert mixed == []
    assert watched.errors == []
