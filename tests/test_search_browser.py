"""Search in headless Chromium over the real built site: the header box on every page and the
task finder at /tra-cuu/, typed the ways Vietnamese readers type; and the browser's folding
and results against the Python reference."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, Watched
from playwright.sync_api import Page

from generator import search
from generator.cli import _portal

pytestmark = pytest.mark.browser

PLAN = "ke-hoach/nghe-an-686-kh-ubnd-2025/"
NFD = unicodedata.normalize


def header_search(page: Page, query: str) -> list[dict[str, str]]:
    """Type `query` into the header box; the results it lists (kind, title, marked words)."""
    box = page.locator("#ckh-search-q")
    box.fill("")
    page.evaluate("window.ckhSearch.timings = []")
    box.fill(query)
    page.wait_for_function("q => (window.ckhSearch.timings || []).some(t => t.q === q)", arg=query)
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


def test_every_page_kind_has_the_header_search_box(watched: Watched, site_url: str) -> None:
    for path in ("", PLAN, "co-quan/nghe-an/so-tai-chinh/", "van-ban/", "tra-cuu/"):
        watched.page.goto(site_url + path)
        box = watched.page.locator("header #ckh-search-q")
        assert box.is_visible(), path
        assert box.get_attribute("role") == "combobox"
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
    results = header_search(on_plan_page, "thu hoi no")
    assert [r["kind"] for r in results] == ["Nhiệm vụ"] * 3
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
    page.wait_for_selector("#ckh-search-list li")
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
    assert [h["href"].split("/")[-1] for h in found] == ["#nv-4-1", "#nv-iv-1-a", "#nv-iv-1-b"]
    assert {h["badge"] for h in found} == {"Chủ trì"}
    assert all("Sở Tài chính" in h["Đơn vị chủ trì"] for h in found)
    assert found[0]["plan"].startswith("Kế hoạch số 686/KH-UBND")
    assert found[1]["plan"].startswith("Kế hoạch số 89/KH-UBND")
    assert found[0]["Thời hạn"] and found[0]["Sản phẩm"]
    assert "Sở Tài chính" in found[0]["marks"]
    assert status(watched.page).startswith("Tìm thấy 3 nhiệm vụ")
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
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length > 10")
    assert len(hits(page)) == 20


def test_agency_filter_without_words_lists_what_it_leads(watched: Watched, site_url: str) -> None:
    found = finder(watched.page, site_url, "co-quan=nghe-an%2Fso-tai-chinh")
    assert [h["title"] for h in found] == ["Nhiệm vụ 4.1"]
    assert watched.page.locator("#ckh-f-co-quan").input_value() == "nghe-an/so-tai-chinh"


def test_a_filter_that_hides_results_says_so_and_offers_to_drop_it(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    assert finder(page, site_url, "q=so+tai+chinh&dia-ban=can-tho") == []
    assert "với bộ lọc đã chọn" in status(page)
    suggestion = page.locator(".ckh-finder-unfilter")
    assert suggestion.is_visible() and "3 nhiệm vụ" in suggestion.inner_text()
    suggestion.click()
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length === 3")
    assert "dia-ban" not in page.url and "q=so+tai+chinh" in page.url


def test_no_match_says_so_plainly(watched: Watched, site_url: str) -> None:
    assert finder(watched.page, site_url, "q=xyzzy+khong+co+gi") == []
    assert status(watched.page).startswith("Không tìm thấy nhiệm vụ nào khớp “xyzzy khong co gi”")
    assert watched.page.locator(".ckh-finder-unfilter").is_hidden()


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


def test_finder_on_a_phone_has_no_sideways_scroll(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    found = finder(page, site_url, "q=nhcsxh")
    assert found
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#ckh-finder-q").bounding_box()["width"] > 150  # type: ignore[index]
    assert watched.errors == []


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
    table = search.abbreviation_table(search.load_abbreviations(ROOT / "data"))
    abbr = {short: " ".join(long) for short, long in table.items()}
    got = page.evaluate(
        """([texts, abbr]) => texts.map(t => [
            window.ckhSearch.fold(t), window.ckhSearch.canonicalWords(t, abbr), window.ckhSearch.fnv1a(t)])""",
        [TRICKY, abbr],
    )
    expected = [[search.fold(t), search.canonical_words(t, table), search.fnv1a(t)] for t in TRICKY]
    assert got == expected


def test_browser_decodes_every_posting_encoding(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    cases = [list(range(5, 3000)), [3, 70000, 70001], list(range(0, 6000, 3)), [0]]
    encoded = [search.encode_ids(ids) for ids in cases]
    assert {e[0] for e in encoded} == {"r", "v", "b"}
    got = page.evaluate("cs => cs.map(e => window.ckhSearch.decode(e, 80000))", encoded)
    assert got == cases


ENGINE = """async (o) => {
  const engine = window.ckhSearch.engineFor(new URL('./', location.href).href);
  const r = await engine.search(o);
  return {counts: r.counts, ids: engine.slice(r, 0, 500).map(h => h.id)};
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
    {"q": "bao cao", "tasksOnly": True, "agency": "nghe-an/ubnd-tinh", "role": "phoi-hop"},
    {"q": "", "tasksOnly": True, "timeline": "hang-nam"},
    {"q": "", "tasksOnly": True, "plan": "quang-ngai-89-kh-ubnd-2025", "timeline": "co-thoi-han"},
    {"q": "chinh"},
    {"q": "khong co tu nay"},
]


def test_browser_results_equal_the_python_reference(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    docs = search.search_docs(_portal(ROOT))
    table = search.abbreviation_table(search.load_abbreviations(ROOT / "data"))
    found = search.postings(docs, table)
    first = next(i for i, d in enumerate(docs) if d.kind == "task")
    for options in QUERIES:
        filters = search.Filters(
            **{k: options.get(k) for k in ("place", "plan", "agency", "role", "timeline")}
        )
        expected = search.evaluate(
            found, len(docs), table, options["q"], filters, first if options.get("tasksOnly") else 0
        )
        got = page.evaluate(ENGINE, options)
        assert got == {"counts": list(expected.tiers), "ids": list(expected.ids)}, options
    assert watched.errors == []


def test_search_index_is_split_and_small_per_file(real_site: Path) -> None:
    index = real_site / search.FOLDER
    sizes = [p.stat().st_size for p in index.rglob("*.json")]
    assert len(sizes) > 50
    assert max(sizes) < 40_000
    assert (index / "meta.json").exists()
