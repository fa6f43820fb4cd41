"""Search in headless Chromium over the real built site: the header box on every page and the
task finder at /tra-cuu/, typed the ways Vietnamese readers type; and the browser's folding
and results against the Python reference."""

from __future__ import annotations

import functools
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, Watched, serve
from playwright.sync_api import Page
from search_reference import Filters, evaluate

from generator import urls
from generator.cli import _portal
from generator.domain import Portal
from generator.search.documents import SearchDoc, first_task, search_docs
from generator.search.encode import (
    LARGE_FILE,
    LONG_BITS,
    Postings,
    build_index,
    encode_ids,
    fnv1a,
    long_name,
    postings,
)
from generator.search.facets import facet_files
from generator.search.folding import AbbreviationTable, abbreviation_table, canonical_words, fold

pytestmark = pytest.mark.browser

PLAN = "ke-hoach/nghe-an-686-kh-ubnd-2025/"
NFD = unicodedata.normalize


def header_search(page: Page, query: str) -> list[dict[str, str]]:
    """Type `query` into the header box; the results it lists (kind, title, marked words)."""
    box = page.locator("#ckh-search-q")
    box.fill("")
    page.evaluate("window.ckhSearch.timings = []")
    box.fill(query)
    page.wait_for_function(
        "q => (window.ckhSearch.timings || []).some(t => t.q === q && t.complete)", arg=query
    )
    return page.eval_on_selector_all(
        "#ckh-search-list li",
        """items => items.map(li => ({
            kind: li.querySelector('.ckh-kind').textContent,
            title: li.querySelector('.ckh-title').textContent,
            href: li.querySelector('a').href,
            marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
        }))""",
    )


def finder(page: Page, site_url: str, query: str) -> list[dict[str, Any]]:
    """Open the finder at `query` (the URL's query string); the hits it shows."""
    page.goto(site_url + "tra-cuu/?" + query)
    page.evaluate("window.ckhSearch.finderReady")
    page.wait_for_function(
        "() => !/Đang tải/.test(document.querySelector('#ckh-finder-status').textContent)"
    )
    return hits(page)


def hits(page: Page) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "#ckh-finder-results > li",
        """items => items.map(li => {
            const facts = {};
            li.querySelectorAll('dt').forEach(dt => facts[dt.textContent] = dt.nextElementSibling.textContent);
            return {
                title: li.querySelector('h3 a').textContent,
                href: li.querySelector('h3 a').getAttribute('href'),
                badge: (li.querySelector('.ckh-badge') || {}).textContent || null,
                plan: li.querySelector('.ckh-hit-plan').textContent,
                text: li.querySelector('.ckh-hit-text').textContent,
                marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
                ...facts,
            };
        })""",
    )


def status(page: Page) -> str:
    return page.locator("#ckh-finder-status").inner_text()


@pytest.fixture
def on_plan_page(watched: Watched, site_url: str) -> Page:
    watched.page.goto(site_url + PLAN)
    return watched.page


def titles(results: list[dict[str, str]]) -> list[str]:
    return [r["title"] for r in results]


# --- the header box -------------------------------------------------------------------------


def test_every_page_kind_has_the_header_search_box(watched: Watched, engine_url: str) -> None:
    for path in ("", PLAN, "co-quan/nghe-an/so-tai-chinh/", "van-ban/", "tra-cuu/"):
        watched.page.goto(engine_url + path)
        box = watched.page.locator("header #ckh-search-q")
        assert box.is_visible(), path
        assert box.get_attribute("role") == "combobox"
    found = titles(header_search(watched.page, "so tai chinh"))
    assert found[:2] == ["Sở Tài chính tỉnh Nghệ An", "Sở Tài chính tỉnh Quảng Ngãi"]
    assert watched.errors == []
    assert watched.hosts == {"127.0.0.1"}


@pytest.mark.parametrize(
    "typed",
    [
        "so tai chinh",
        "Sở Tài chính",
        "Sở Tài Chính",
        "SO TAI CHINH",
        "SỞ TÀI CHÍNH",
        NFD("NFD", "Sở Tài chính"),
    ],
)
def test_so_tai_chinh_typed_any_way_finds_both_departments_first(
    on_plan_page: Page, typed: str
) -> None:
    results = header_search(on_plan_page, typed)
    assert titles(results)[:2] == ["Sở Tài chính tỉnh Nghệ An", "Sở Tài chính tỉnh Quảng Ngãi"]
    assert results[0]["kind"] == "Cơ quan"
    assert results[0]["marks"][0] == "Sở Tài chính"  # the original text, marked


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("NHCSXH", "ngân hàng chính sách xã hội", "Ngân hàng Chính sách xã hội Việt Nam"),
        ("nhcsxh", "ngan hang chinh sach xa hoi", "Ngân hàng Chính sách xã hội Việt Nam"),
        (
            "UBND",
            "Ủy ban nhân dân",
            "Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An",
        ),
        ("ubnd", "Uỷ ban nhân dân", "Ủy ban nhân dân các cấp"),
        ("MTTQ", "mặt trận tổ quốc", "Mặt trận Tổ quốc Việt Nam xã Ngọk Bay"),
        ("HĐND", "hoi dong nhan dan", "Hội đồng nhân dân thành phố Cần Thơ"),
        ("hdnd", "HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân thành phố Cần Thơ"),
    ],
)
def test_abbreviations_and_long_forms_find_the_same_things(
    on_plan_page: Page, short: str, long: str, expected: str
) -> None:
    by_short = header_search(on_plan_page, short)
    by_long = header_search(on_plan_page, long)
    assert titles(by_short) == titles(by_long)
    assert expected in titles(by_short)


def test_an_abbreviation_in_the_text_is_marked_for_the_long_form(on_plan_page: Page) -> None:
    results = header_search(on_plan_page, "ngan hang chinh sach xa hoi")
    marks = {m for r in results for m in r["marks"]}
    assert "NHCSXH" in marks and "Ngân hàng Chính sách xã hội" in marks


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("doan giam sat", "Đoàn giám sát của Hội đồng nhân dân tỉnh Nghệ An"),
        ("ĐOÀN GIÁM SÁT", "Đoàn giám sát của Hội đồng nhân dân tỉnh Nghệ An"),
        ("ke hoach 686", "Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An"),
        ("quyet dinh 1560", "Quyết định số 1560/QĐ-TTg ngày 18/7/2025 của Thủ tướng Chính phủ"),
        ("ngok bay", "Xã Ngọk Bay"),
    ],
)
def test_header_finds_plans_agencies_documents_and_places(
    on_plan_page: Page, typed: str, expected: str
) -> None:
    assert expected in titles(header_search(on_plan_page, typed))


def test_header_finds_tasks_and_offers_the_finder(on_plan_page: Page, site_url: str) -> None:
    # No text says "thu hồi nợ" (they say "thu hồi và xử lý nợ"): tasks holding its words.
    results = header_search(on_plan_page, "thu hoi no")
    assert len(results) >= 3 and {r["kind"] for r in results} == {"Nhiệm vụ"}
    assert results[0]["href"].endswith(PLAN + "#nv-5-7")
    more = on_plan_page.locator(".ckh-search-more")
    assert more.get_attribute("href") == site_url + "tra-cuu/?q=thu+hoi+no"


def test_header_says_so_when_nothing_matches(on_plan_page: Page) -> None:
    assert header_search(on_plan_page, "xyzzy khong co") == []
    assert "Không tìm thấy" in on_plan_page.locator(".ckh-search-status").inner_text()


def test_header_search_works_with_the_keyboard_alone(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    page.keyboard.press("Tab")  # the skip link comes first; keep tabbing to the box
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "ckh-search-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "ckh-search-q"
    page.keyboard.type("so tai chinh")
    # The list of an earlier prefix (`so tai chin`) may show until the last key's results come,
    # which start a new list: the reader picks from those.
    page.wait_for_function(
        "(window.ckhSearch.timings || []).some(t => t.q === 'so tai chinh' && t.complete)"
    )
    page.keyboard.press("ArrowDown")
    box = page.locator("#ckh-search-q")
    assert box.get_attribute("aria-activedescendant") == "ckh-search-opt-0"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#ckh-search-list li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/co-quan/nghe-an/so-tai-chinh/")
    assert watched.errors == []


# --- the task finder ------------------------------------------------------------------------


def test_so_tai_chinh_lists_the_tasks_it_leads_in_each_plan(
    watched: Watched, site_url: str
) -> None:
    found = finder(watched.page, site_url, "q=so+tai+chinh")
    # The three it leads first; then those given to a group the registry says it belongs to
    # (Kế hoạch 686 gives many to the province's departments), each marked with the group; the
    # tasks that hold its words apart come after them, marked so (past this first page).
    assert [h["href"].split("/")[-1] for h in found[:3]] == ["#nv-4-1", "#nv-iv-1-a", "#nv-iv-1-b"]
    assert {h["badge"] for h in found[:3]} == {"Chủ trì"}
    assert found[3:] and all(h["badge"].startswith("qua: Các sở, ban, ngành") for h in found[3:])
    assert all(h["plan"].startswith("Kế hoạch số 686/KH-UBND") for h in found[3:])
    assert all("Sở Tài chính" in h["Đơn vị chủ trì"] for h in found[:3])
    assert found[0]["plan"].startswith("Kế hoạch số 686/KH-UBND")
    assert found[1]["plan"].startswith("Kế hoạch số 89/KH-UBND")
    assert found[0]["Thời hạn"] and found[0]["Sản phẩm"]
    assert "Sở Tài chính" in found[0]["marks"]
    counted = re.match(
        r"Tìm thấy (\d+) nhiệm vụ chứa đúng cụm “so tai chinh” "
        r"\(3 chủ trì, (\d+) khớp nội dung hay qua nhóm cơ quan\); \d+ nhiệm vụ khác chỉ chứa từng chữ",
        status(watched.page),
    )
    assert counted and int(counted[1]) == 3 + int(counted[2]) >= len(found), status(watched.page)
    assert watched.errors == []
    assert watched.hosts == {"127.0.0.1"}


def test_lead_matches_come_before_support_matches(watched: Watched, site_url: str) -> None:
    found = finder(watched.page, site_url, "q=MTTQ")
    badges = [h["badge"] for h in found]
    assert badges[0] == "Chủ trì" and "Phối hợp" in badges
    order = {"Chủ trì": 0, "Phối hợp": 1, "Nội dung": 2}
    assert [order[b] for b in badges] == sorted(order[b] for b in badges)


def test_role_filter_keeps_tasks_where_the_agency_supports(watched: Watched, site_url: str) -> None:
    found = finder(watched.page, site_url, "q=mat+tran+to+quoc&vai-tro=phoi-hop")
    assert found and {h["badge"] for h in found} == {"Phối hợp"}
    assert all("Mặt trận" in h["Đơn vị phối hợp"] for h in found)
    assert watched.page.locator("#ckh-f-vai-tro").input_value() == "phoi-hop"


def test_filter_combination_place_and_timeline(watched: Watched, site_url: str) -> None:
    found = finder(watched.page, site_url, "q=uy+thac&dia-ban=nghe-an&thoi-han=thuong-xuyen")
    assert found
    assert all(h["plan"].startswith("Kế hoạch số 686/KH-UBND") for h in found)
    assert all(h["Thời hạn"] == "Thường xuyên" for h in found)
    assert watched.page.locator("#ckh-f-dia-ban").input_value() == "nghe-an"


def test_a_province_covers_its_communes_and_a_commune_restores_both_lists(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    found = finder(page, site_url, "dia-ban=quang-ngai-ngok-bay")
    assert len(found) == 10 and all("Ngọk Bay" in h["plan"] for h in found)
    assert page.locator("#ckh-f-dia-ban").input_value() == "quang-ngai"
    assert page.locator("#ckh-f-xa").input_value() == "quang-ngai-ngok-bay"
    page.locator(".ckh-finder-more").click()
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length >= 20")
    page.wait_for_function("document.querySelector('.ckh-finder-more').hidden")
    assert len(hits(page)) == 20
    # The keyboard lands on the first hit added.
    assert page.evaluate(
        "document.activeElement === document.querySelector('#ckh-finder-results > li:nth-child(11) a')"
    )


def test_agency_filter_without_words_lists_what_it_leads(watched: Watched, site_url: str) -> None:
    found = finder(watched.page, site_url, "co-quan=nghe-an%2Fso-tai-chinh")
    assert [h["title"] for h in found][:1] == ["Nhiệm vụ 4.1"]
    assert watched.page.locator("#ckh-f-co-quan").input_value() == "nghe-an/so-tai-chinh"
    # The reader sees the agency's name, not its id.
    assert watched.page.locator("#ckh-f-co-quan option:checked").inner_text() == (
        "Sở Tài chính tỉnh Nghệ An"
    )


def test_agency_filter_lists_its_own_tasks_then_its_collectives_each_marked(
    watched: Watched, site_url: str
) -> None:
    # agencies.yaml: Sở Tài chính tỉnh Nghệ An belongs to "Các sở, ban, ngành, đơn vị cấp tỉnh".
    found = finder(watched.page, site_url, "co-quan=nghe-an%2Fso-tai-chinh")
    assert found[0]["href"].endswith("#nv-4-1") and found[0]["badge"] == "Chủ trì"
    # Each says the collective as its task writes it (the first page: tasks 1.1 to 3.4).
    assert [h["badge"] for h in found[1:]] == ["qua: Các sở, ban, ngành, đơn vị cấp tỉnh"] * 9
    assert "(1 chủ trì, 19 qua nhóm cơ quan)" in status(watched.page)
    assert watched.errors == []


def test_a_filter_that_hides_results_says_so_and_offers_to_drop_it(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    docs, table, found = shipped_search()
    wide = len(evaluate(found, len(docs), table, "so giao duc", first=first_task(docs)).ids)
    assert finder(page, site_url, "q=so+giao+duc&dia-ban=can-tho") == []
    assert "với bộ lọc đã chọn" in status(page)
    suggestion = page.locator(".ckh-finder-unfilter")
    assert suggestion.is_visible() and f"{wide} nhiệm vụ" in suggestion.inner_text()
    suggestion.click()
    page.wait_for_function(
        "n => document.querySelectorAll('#ckh-finder-results > li').length === n", arg=min(wide, 10)
    )
    # The address follows once the reader pauses.
    page.wait_for_url(lambda url: "dia-ban" not in url and "q=so+giao+duc" in url)


def test_no_match_says_so_plainly(watched: Watched, site_url: str) -> None:
    assert finder(watched.page, site_url, "q=xyzzy+khong+co+gi") == []
    assert status(watched.page).startswith("Không tìm thấy nhiệm vụ nào khớp “xyzzy khong co gi”")
    assert watched.page.locator(".ckh-finder-unfilter").is_hidden()


def test_back_from_a_hit_opened_at_once_brings_the_query_back(
    watched: Watched, site_url: str
) -> None:
    # The address is rewritten once the reader pauses; a reader who opens a hit before that
    # must still find the query when they come back.
    page = watched.page
    finder(page, site_url, "")
    page.locator("#ckh-finder-q").fill("so tai chinh")
    first = page.locator("#ckh-finder-results > li .ckh-hit-title a").first
    first.click()
    page.wait_for_url("**/" + PLAN + "#nv-4-1")
    page.go_back()
    page.wait_for_url(lambda url: "tra-cuu/" in url)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["so tai chinh"]}
    page.evaluate("window.ckhSearch.finderReady")
    assert page.locator("#ckh-finder-q").input_value() == "so tai chinh"


def test_finder_state_round_trips_through_the_url(browser: Any, site_url: str) -> None:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    finder(page, site_url, "")
    page.locator("#ckh-f-dia-ban").select_option("nghe-an")
    page.wait_for_function("!document.querySelector('#ckh-f-co-quan').disabled")
    page.locator("#ckh-f-vai-tro").select_option("chu-tri")
    page.locator("#ckh-finder-q").fill("Sở Tài chính")
    page.wait_for_function(
        "location.search.includes('vai-tro=chu-tri') && location.search.includes('q=')"
    )
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length === 1")
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {
        "q": ["Sở Tài chính"],
        "dia-ban": ["nghe-an"],
        "vai-tro": ["chu-tri"],
    }
    first = hits(page)
    other = context.new_page()
    other.goto(shared)
    other.evaluate("window.ckhSearch.finderReady")
    other.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length === 1")
    assert hits(other) == first
    assert other.locator("#ckh-finder-q").input_value() == "Sở Tài chính"
    assert other.locator("#ckh-f-dia-ban").input_value() == "nghe-an"
    assert other.locator("#ckh-f-vai-tro").input_value() == "chu-tri"
    other.locator("#ckh-finder-results h3 a").first.click()
    other.wait_for_url("**/" + PLAN + "#nv-4-1")
    assert other.locator("#nv-4-1").is_visible()
    context.close()


def test_results_come_before_the_filter_lists_and_typing_keeps_the_urls_filters(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    held: list[Any] = []  # the filter lists' first file, answered only at the end
    page.route("**/chi-muc/*/f/index.json", lambda route: held.append(route))
    page.goto(site_url + "tra-cuu/?q=so+tai+chinh&dia-ban=nghe-an")
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length > 0")
    for _ in range(100):  # the results are on screen; the filter lists, asked for, still held
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the filter lists were never asked for"
    page.locator("#ckh-finder-q").fill("Sở Tài chính")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'Sở Tài chính'")
    page.wait_for_function(
        "/Sở Tài chính/.test(document.querySelector('#ckh-finder-status').textContent)"
    )
    assert "dia-ban=nghe-an" in page.url
    assert [h["href"].split("/")[-1] for h in hits(page)][:1] == ["#nv-4-1"]
    for route in held:
        route.continue_()
    page.evaluate("window.ckhSearch.finderReady")
    assert page.locator("#ckh-f-dia-ban").input_value() == "nghe-an"
    context.close()


def test_finder_on_a_phone_has_no_sideways_scroll(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    found = finder(page, site_url, "q=nhcsxh")
    assert found
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#ckh-finder-q").bounding_box()["width"] > 150  # type: ignore[index]
    assert watched.errors == []


# --- the index version: a reader's cached meta.json may be older than the site ---------------

# The URLs of the index files the page has fetched.
INDEX_REQUESTS = (
    "performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/chi-muc/'))"
)


def test_the_finder_opened_from_a_link_searches_without_asking_for_meta_json(
    watched: Watched, site_url: str
) -> None:
    found = finder(watched.page, site_url, "q=so+tai+chinh")
    assert found
    asked = watched.page.evaluate(INDEX_REQUESTS)
    # Its page loads chi-muc/meta.js with its scripts: the index requests go out at once.
    assert [u for u in asked if "/meta." in u] == [site_url + "chi-muc/meta.js"]
    assert watched.errors == []


@pytest.mark.parametrize(("where", "first"), [("finder", "meta.js"), ("header", "meta.json")])
def test_a_cached_index_description_older_than_the_site_still_gives_the_current_results(
    watched: Watched, site_url: str, where: str, first: str
) -> None:
    page = watched.page
    stale: list[str] = []

    def older_once(route: Any) -> None:
        """The first description is a site's before a rebuild: another index version."""
        if stale:
            route.fallback()
            return
        response = route.fetch()
        stale.append(route.request.url)
        body = re.sub(r'"v":"[0-9a-f]+"', '"v":"000000000000"', response.text())
        # Every folder named otherwise than now: each of its files is gone from the site.
        folders = re.search(r'"b":\[[^\]]*\]', body)
        assert folders
        older = re.sub(r'"[0-9a-f]{8}"', '"00000000"', folders.group())
        body = body[: folders.start()] + older + body[folders.end() :]
        route.fulfill(response=response, body=body)

    page.route(f"**/chi-muc/{first}", older_once)
    if where == "finder":
        found = finder(page, site_url, "q=so+tai+chinh&dia-ban=nghe-an")
        assert [h["href"].split("/")[-1] for h in found][:1] == ["#nv-4-1"]
        assert "nhiệm vụ chứa đúng cụm “so tai chinh” (1 chủ trì," in status(page)
    else:
        page.goto(site_url + PLAN)
        results = header_search(page, "so tai chinh")
        assert titles(results)[:2] == ["Sở Tài chính tỉnh Nghệ An", "Sở Tài chính tỉnh Quảng Ngãi"]
    assert stale == [site_url + "chi-muc/" + first]
    asked = page.evaluate(INDEX_REQUESTS)
    assert any("/chi-muc/00000000/" in u for u in asked)  # the old version's files: gone
    assert asked.count(site_url + "chi-muc/meta.json") == (1 if first == "meta.js" else 2)
    # The browser reports the gone files (404) in the console; nothing else went wrong.
    assert all("404" in e for e in watched.errors), watched.errors


def test_data_text_is_never_markup(watched: Watched, site_url: str) -> None:
    # Records are put on the page with textContent: a result's text holds no element but <mark>.
    page = watched.page
    finder(page, site_url, "q=tin+dung")
    tags = page.eval_on_selector_all(
        "#ckh-finder-results .ckh-hit-text *", "els => [...new Set(els.map(e => e.tagName))]"
    )
    assert set(tags) <= {"MARK"}


# --- the same folding and results in the browser and in Python --------------------------------

TRICKY = [
    "Sở Tài chính",
    NFD("NFD", "Sở Tài chính"),
    "SỞ TÀI CHÍNH",
    "Đảng ủy",
    "ĐOÀN",
    "ÐOÀN ð",  # U+00D0 / U+00F0
    "Uỷ ban",
    "Ủy ban",
    NFD("NFD", "Uỷ ban nhân dân"),
    "QUỸ quĩ",
    "Ngọk Bay",
    "1560/QĐ-TTg",
    "39-CT/TW",
    "TP.HCM – 15%-20%",
    "“Thường xuyên”;\ttab\nline",
    "İstanbul ﬁ Kelvin\u212a",
    "a\u0301\u0323 ư ơ ă â ê ô",
    "ﾃｽﾄ １２３ 中文 Ελληνικά",
    "zero\u200bwidth\u00a0nbsp",
    "😀 emoji 👍🏽",
    "",
]


def test_browser_and_python_fold_tricky_strings_identically(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url)
    table = abbreviation_table(shipped_portal().abbreviations)
    abbr = {short: " ".join(long) for short, long in table.items()}
    got = page.evaluate(
        """([texts, abbr]) => texts.map(t => [
            window.ckhSearch.fold(t), window.ckhSearch.canonicalWords(t, abbr), window.ckhSearch.fnv1a(t)])""",
        [TRICKY, abbr],
    )
    expected = [[fold(t), canonical_words(t, table), fnv1a(t)] for t in TRICKY]
    assert got == expected


def test_browser_decodes_every_posting_encoding(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    cases = [list(range(5, 3000)), [3, 70000, 70001], list(range(0, 6000, 3)), [0]]
    encoded = [encode_ids(ids) for ids in cases]
    assert {e[0] for e in encoded} == {"r", "v", "b"}
    got = page.evaluate("cs => cs.map(e => window.ckhSearch.decode(e, 80000))", encoded)
    assert got == cases


# What the engine finds for options `o` (every hit comes with its record).
ENGINE = """async (o) => {
  const engine = window.ckhSearch.engineFor(new URL('./', location.href).href);
  const first = await engine.search(o);
  // A partial result (the loose tiers not counted yet) completes to the whole.
  const result = first.partial ? await first.complete() : first;
  const hits = await Promise.all(engine.arriving(result, 0, 500));
  if (!hits.every(h => h.record && h.record.u)) throw new Error('a hit without its record');
  return {counts: result.counts, ids: hits.map(h => h.id)};
}"""

QUERIES: list[dict[str, Any]] = [
    {"q": "so tai chinh"},
    {"q": "so tai chinh", "tasksOnly": True, "role": "chu-tri"},
    {"q": "tai chinh nghe an", "tasksOnly": True},
    {"q": "NHCSXH"},
    {"q": "tín dụng chính sách xã hội", "tasksOnly": True},
    {"q": "mat tran", "tasksOnly": True, "role": "phoi-hop"},
    {"q": "uy thac", "tasksOnly": True, "place": "quang-ngai"},
    {"q": "", "tasksOnly": True, "agency": "nghe-an/nhcsxh-chi-nhanh-tinh"},
    {"q": "", "tasksOnly": True, "agency": "nghe-an/so-tai-chinh"},  # and its collective's
    {"q": "kiem tra", "tasksOnly": True, "agency": "nghe-an/so-tai-chinh"},
    {"q": "bao cao", "tasksOnly": True, "agency": "nghe-an/ubnd-tinh", "role": "phoi-hop"},
    {"q": "", "tasksOnly": True, "timeline": "hang-nam"},
    {"q": "", "tasksOnly": True, "plan": "quang-ngai-89-kh-ubnd-2025", "timeline": "co-thoi-han"},
    {"q": "chinh"},
    {"q": "khong co tu nay"},
]


@functools.cache
def shipped_portal() -> Portal:
    return _portal(ROOT)


@functools.cache
def shipped_search() -> tuple[list[SearchDoc], AbbreviationTable, Postings]:
    """The shipped data as the search sees it: its documents, abbreviation table and postings."""
    docs = search_docs(shipped_portal())
    table = abbreviation_table(shipped_portal().abbreviations)
    return docs, table, postings(docs, table)


def assert_engine_equals_the_python_reference(
    page: Page, queries: list[dict[str, Any]], label: str = ""
) -> None:
    """Each query run by the page's engine finds what the reference `evaluate` finds, in its order."""
    docs, table, found = shipped_search()
    first = first_task(docs)
    for options in queries:
        filters = Filters(
            **{k: options.get(k) for k in ("place", "plan", "agency", "role", "timeline")}
        )
        expected = evaluate(
            found, len(docs), table, options["q"], filters, first if options.get("tasksOnly") else 0
        )
        got = page.evaluate(ENGINE, options)
        assert got == {"counts": list(expected.tiers), "ids": list(expected.ids)}, (label, options)


def test_browser_results_equal_the_python_reference(watched: Watched, site_url: str) -> None:
    watched.page.goto(site_url)
    assert_engine_equals_the_python_reference(watched.page, QUERIES)
    assert watched.errors == []


def test_search_index_is_split_and_small_per_file(real_site: Path) -> None:
    index = real_site / urls.SEARCH_FOLDER
    sizes = [p.stat().st_size for p in index.rglob("*.json")]
    assert len(sizes) > 50
    assert max(sizes) < 40_000
    assert (index / "meta.json").exists()


# --- the same results when lists are long: a small index laid out like a big one -------------

# Inline limit, hash bits of the long files, size above which a long file is "large".
LAYOUTS = {
    # Lists longer than 12 characters in p/ files, as at 100,000 tasks: some query terms long,
    # some in shards; every long file small enough to be fetched on a second guess.
    "long-lists": (12, LONG_BITS, LARGE_FILE),
    # Five hash bits: 32 p/ files shared by many terms, so nearly every key's name is listed
    # in meta and the shard must answer for the short ones; no second guesses.
    "shared-files": (12, 5, 0),
}


def relaid(real_site: Path, layout: str, folder: Path) -> Path:
    """A copy of the real site in `folder` with its index rebuilt in `layout`."""
    inline_limit, long_bits, large_file = LAYOUTS[layout]
    site = folder / "site"
    shutil.copytree(real_site, site)
    shutil.rmtree(site / urls.SEARCH_FOLDER)
    portal = shipped_portal()
    files = build_index(
        search_docs(portal),
        portal.abbreviations,
        facet_files(portal),
        inline_limit=inline_limit,
        long_bits=long_bits,
        large_file=large_file,
    )
    for path, text in files.items():
        target = site / urls.SEARCH_FOLDER / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def laid_out(
    request: pytest.FixtureRequest, real_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The real site with its index rebuilt in each layout, served: (layout, base URL)."""
    site = relaid(real_site, request.param, tmp_path_factory.mktemp(request.param))
    with serve(site) as url:
        yield request.param, url


@pytest.fixture(scope="module")
def big_layout(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with its index laid out like a big one, served: its base URL."""
    with serve(relaid(real_site, "long-lists", tmp_path_factory.mktemp("big"))) as url:
        yield url


LONG_QUERIES: list[dict[str, Any]] = [
    *QUERIES,
    {"q": "thu hoi no"},
    {"q": "thu hoi no", "tasksOnly": True, "place": "nghe-an"},
    {"q": "khong co tu nay"},
    {"q": "xyzzy tai chinh"},
    {"q": "tai chinh xyzzy", "tasksOnly": True},
    {"q": "ngan hang chinh sach xa hoi tinh nghe an"},
    {"q": "UBND tỉnh Quảng Ngãi", "tasksOnly": True, "role": "chu-tri"},
    {"q": "nghe an"},
    {"q": "tin dung", "tasksOnly": True, "timeline": "thuong-xuyen", "role": "phoi-hop"},
    {"q": "", "tasksOnly": True, "agency": "quang-ngai/so-tai-chinh", "role": "chu-tri"},
]


def test_browser_results_equal_the_python_reference_when_lists_are_long(
    browser: Any, laid_out: tuple[str, str]
) -> None:
    layout, url = laid_out
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    assert_engine_equals_the_python_reference(page, LONG_QUERIES, layout)
    assert errors == []
    context.close()


# Every request the page's scripts make, with how many responses they had seen when it was
# made: the requests of one round see the same number. (A response is counted on its
# readystatechange, which comes before the load event that search-engine.js listens to.)
FETCH_LOG = """
window.ckhFetches = [];
let seen = 0;
const open = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
  window.ckhFetches.push({url: String(url), seen: seen});
  this.addEventListener('readystatechange', () => { if (this.readyState === 4) seen++; });
  return open.apply(this, arguments);
};
const original = window.fetch;
window.fetch = function (input, init) {
  window.ckhFetches.push({url: String(input), seen: seen});
  return original.call(this, input, init).then(r => { seen++; return r; });
};
"""


def index_rounds(browser: Any, url: str, query: str) -> list[list[str]]:
    """Type `query` into the header box of a fresh page: the index files (not meta.json) it
    fetches, round by round."""
    context = browser.new_context()
    context.add_init_script(FETCH_LOG)
    page = context.new_page()
    page.goto(url)
    box = page.locator("#ckh-search-q")
    box.focus()
    page.wait_for_function("window.ckhFetches.some(f => f.url.includes('meta.json'))")
    box.fill(query)
    page.wait_for_function(
        "q => window.ckhSearch.timings.some(t => t.q === q && t.complete)", arg=query
    )
    page.wait_for_function("() => !window.ckhSearch.counting")
    fetches = page.evaluate("window.ckhFetches")
    context.close()
    rounds: dict[int, list[str]] = {}
    for f in fetches:
        if "/chi-muc/" in f["url"] and "meta.json" not in f["url"]:
            # chi-muc/<version>/s/12.json → s/12.json
            path = f["url"].split("/chi-muc/")[1].split("/", 1)[1]
            rounds.setdefault(f["seen"], []).append(path)
    return [sorted(files) for _, files in sorted(rounds.items())]


@pytest.mark.parametrize(
    "query",
    [
        "nghe an",  # one long bigram
        "so tai chinh",  # short bigrams, in shards
        "thu hoi no",  # not one phrase of any text: `thu hồi và xử lý nợ`
    ],
)
def test_a_query_fetches_its_lists_in_one_round_then_its_records(
    browser: Any, big_layout: str, query: str
) -> None:
    rounds = index_rounds(browser, big_layout, query)
    assert len(rounds) == 2, rounds
    assert all(f.startswith(("s/", "p/")) for f in rounds[0]), rounds
    assert rounds[1] and all(f.startswith("r/") for f in rounds[1]), rounds


LONG_PHRASE = "ngan hang chinh sach xa hoi"  # six words, their pairs long in this layout
JOINING = ("hang chinh", "sach xa")  # the pairs between the covering ones


def test_a_long_phrase_shows_its_first_hits_before_the_pairs_that_only_join_its_words(
    browser: Any, big_layout: str
) -> None:
    joining = sorted(f"p/{long_name(pair)}.json" for pair in JOINING)
    rounds = index_rounds(browser, big_layout, LONG_PHRASE)
    # The covering pairs' lists, then the records of the first hits (proving the phrase),
    # then, to count, the joining pairs' lists.
    assert len(rounds) == 3, rounds
    assert all(f.startswith(("s/", "p/")) and f not in joining for f in rounds[0]), rounds
    assert rounds[1] and all(f.startswith("r/") for f in rounds[1]), rounds
    assert rounds[2] == joining, rounds


def test_a_long_phrase_is_counted_after_its_first_hits_show(browser: Any, big_layout: str) -> None:
    docs, table, found = shipped_search()
    expected = evaluate(found, len(docs), table, LONG_PHRASE)
    assert expected.exact > 8  # more than the header shows: it counts after showing them
    context = browser.new_context()
    page = context.new_page()
    held: list[Any] = []
    for pair in JOINING:
        page.route(f"**/chi-muc/*/p/{long_name(pair)}.json", lambda route: held.append(route))
    page.goto(big_layout + PLAN)
    page.locator("#ckh-search-q").fill(LONG_PHRASE)
    page.wait_for_function(
        "q => window.ckhSearch.timings.some(t => t.q === q && t.complete)", arg=LONG_PHRASE
    )
    shown = page.locator("#ckh-search-list li .ckh-title").all_text_contents()
    assert shown == [docs[i].record["t"] for i in expected.ids[:8]]
    status = page.locator(".ckh-search-status").inner_text()
    assert status.endswith("đang đếm…"), status
    for _ in range(100):  # the held requests reach this process by another path: wait for them
        if len(held) == len(JOINING):
            break
        page.wait_for_timeout(50)
    for route in held:
        route.continue_()
    page.wait_for_function("() => !window.ckhSearch.counting")
    status = page.locator(".ckh-search-status").inner_text()
    counted = f"Tìm thấy {expected.exact} kết quả chứa đúng cụm “{LONG_PHRASE}”"
    assert status.startswith(counted), status
    context.close()


def test_a_word_no_text_has_nor_any_a_letter_away_ends_the_query_after_two_rounds(
    browser: Any, big_layout: str
) -> None:
    # The lists, then the words of the lengths one edit from `xyzzy` reaches: none is near.
    rounds = index_rounds(browser, big_layout, "so tai chinh xyzzy")
    assert len(rounds) == 2 and all(f.startswith(("s/", "p/")) for f in rounds[0]), rounds
    assert rounds[1] == ["w/4.json", "w/5.json", "w/6.json"], rounds


def test_a_typo_costs_one_round_of_words_then_the_lists_of_the_word_read(
    browser: Any, big_layout: str
) -> None:
    rounds = index_rounds(browser, big_layout, "so tai chnh")
    assert len(rounds) == 4, rounds
    assert all(f.startswith(("s/", "p/")) for f in rounds[0] + rounds[2]), rounds
    assert rounds[1] == ["w/3.json", "w/4.json", "w/5.json"], rounds
    assert rounds[3] and all(f.startswith("r/") for f in rounds[3]), rounds


@pytest.mark.parametrize("where", ["header", "finder"])
def test_the_first_result_shows_before_any_record_file_has_come(
    browser: Any, big_layout: str, where: str
) -> None:
    query = "ngan hang"  # one bigram, its lists long in this layout: in a p/ file
    lists = shipped_search()[2][query]
    assert sum(len(encode_ids(ids)) for ids in lists) > LAYOUTS["long-lists"][0]
    context = browser.new_context()
    page = context.new_page()
    held: list[Any] = []  # every record file, answered only at the end
    page.route("**/chi-muc/*/r/*.json", lambda route: held.append(route))
    if where == "header":
        page.goto(big_layout + PLAN)
        page.locator("#ckh-search-q").fill(query)
        shown = "#ckh-search-list li .ckh-title"
    else:
        page.goto(big_layout + "tra-cuu/?q=" + query.replace(" ", "+"))
        shown = "#ckh-finder-results > li h3 a"
    # The term's long file brings the record of its best match.
    page.wait_for_function("s => document.querySelectorAll(s).length > 0", arg=shown)
    early = page.locator(shown).all_text_contents()
    # The page asks for the other hits' files with the first result, but their interception
    # reaches this process by another path than the page's answer: wait for it to arrive.
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the other hits' record files were not asked for"
    for route in held:
        route.continue_()
    page.wait_for_function(
        "q => window.ckhSearch.timings.some(t => t.q === q && t.complete)", arg=query
    )
    every = page.locator(shown).all_text_contents()
    assert len(every) > len(early) and every[: len(early)] == early  # the same ranking
    context.close()


# The record file of each of the first eight hits of a query, in rank order.
RECORD_FILES = """async q => {
  const engine = window.ckhSearch.engineFor(window.ckhSearch.rootOf(document.querySelector('form.ckh-search')));
  const meta = await engine.meta();
  const result = await engine.search({q});
  return engine.slice(result, 0, 8).map(h => 'r/' + Math.floor(h.id / meta.chunk) + '.json');
}"""


def test_first_results_show_while_a_later_record_file_is_still_loading(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url + PLAN)
    query = "so tai chinh"
    files = page.evaluate(RECORD_FILES, query)
    late = next((k for k in range(len(files) - 1, 0, -1) if files[k] not in files[:k]), None)
    assert late is not None, f"the first hits of {query!r} share one record file: {files}"
    # Hold that file back until the first results are on screen, then let it come.
    held: list[Any] = []
    page.route(f"**/chi-muc/*/{files[late]}", lambda route: held.append(route))
    page.evaluate("window.ckhSearch.timings = []")
    page.locator("#ckh-search-q").fill(query)
    page.wait_for_function("q => window.ckhSearch.timings.some(t => t.q === q)", arg=query)
    # Every hit ranked above the held one comes; the held one does not while it is held.
    page.wait_for_function(
        "n => document.querySelectorAll('#ckh-search-list li').length >= n", arg=late
    )
    for _ in range(100):  # the held file's interception reaches this process on its own path
        page.wait_for_timeout(50)
        if held:
            break
    early = page.locator("#ckh-search-list li .ckh-title").all_text_contents()
    assert len(early) == late and held, (early, files)
    for route in held:
        route.continue_()
    page.wait_for_function(
        "q => window.ckhSearch.timings.some(t => t.q === q && t.complete)", arg=query
    )
    shown = page.locator("#ckh-search-list li .ckh-title").all_text_contents()
    assert shown[:late] == early and len(shown) == len(files)
    # The same order as when every file comes at once.
    assert shown == [t["title"] for t in header_search(page, query)]
    assert watched.errors == []


def test_a_long_task_text_is_shown_around_its_match_in_the_header_list(
    watched: Watched, site_url: str
) -> None:
    docs = shipped_search()[0]
    # The longest task text; the query is four of its last words, far past what two lines show.
    task = max((d for d in docs if d.kind == "task"), key=lambda d: len(d.record["x"]))
    text = task.record["x"]
    words = text[-120:].split()[1:5]
    query = " ".join(words)
    assert len(text) > 400 and text.index(query) > 300, (len(text), query)
    page = watched.page
    page.goto(site_url + PLAN)
    header_search(page, query)
    item = page.locator(f"#ckh-search-list a[href$='{task.record['u']}'] .ckh-snippet")
    snippet = item.inner_text()
    marked = item.locator("mark").all_text_contents()
    assert snippet.startswith("… ") and len(snippet) < 180, snippet
    assert query in snippet and marked, (snippet, marked)
    # What is shown is the task's own words, in order.
    assert snippet.removeprefix("… ").removesuffix(" …") in text
    assert watched.errors == []


# Each task of the header list: its role line ("Chủ trì: …" / "Phối hợp: …") and marked words.
ROLE_LINES = """items => items
  .filter(li => li.querySelector('.ckh-kind').textContent === 'Nhiệm vụ')
  .map(li => {
    const line = li.querySelector('.ckh-role');
    return line && {text: line.textContent, marks: [...line.querySelectorAll('mark')].map(m => m.textContent)};
  })"""


@pytest.mark.parametrize(
    ("query", "role", "marked"),
    [
        ("so tai chinh", "Chủ trì: ", "Sở Tài chính"),
        ("phong giao dich", "Phối hợp: ", "Phòng giao dịch"),
    ],
)
def test_a_task_found_by_its_agency_says_which_agency_matched(
    watched: Watched, site_url: str, query: str, role: str, marked: str
) -> None:
    page = watched.page
    page.goto(site_url + PLAN)
    header_search(page, query)
    lines = page.eval_on_selector_all("#ckh-search-list li", ROLE_LINES)
    found = [line for line in lines if line and line["text"].startswith(role)]
    assert found, lines
    assert all(marked in line["marks"] for line in found), found
    assert watched.errors == []
