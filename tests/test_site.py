"""The portal built from the shipped data: pages, cross-links and weight, read from site/."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import BASE_PATH

from generator.check import check_site

NGHE_AN = "ke-hoach/nghe-an-686-kh-ubnd-2025/index.html"


class Links(HTMLParser):
    """Task rows (id="nv-…") and links (href, text) of the article, i.e. the page content."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self._in_article = True
        if tag == "tr" and (a.get("id") or "").startswith("nv-"):
            self.rows.append(a["id"] or "")
        if tag == "a" and self._in_article:
            self._href, self._text = a.get("href"), ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None
        if tag == "article":
            self._in_article = False


def parse(site: Path, rel: str) -> Links:
    parser = Links()
    parser.feed((site / rel).read_text(encoding="utf-8"))
    return parser


def resolve(page: str, href: str) -> str:
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    if path.endswith("/"):
        target += "/index.html"
    return target + (f"#{fragment}" if fragment else "")


def test_built_site_has_no_broken_link_anchor_or_third_party_fetch(engine_site: Path) -> None:
    assert check_site(engine_site, BASE_PATH) == []


def test_nghe_an_plan_page_shows_all_24_tasks_with_their_anchors(real_site: Path) -> None:
    rows = parse(real_site, NGHE_AN).rows
    assert len(rows) == 24
    assert rows[:3] == ["nv-1-1", "nv-1-2", "nv-2-1"]
    assert {"nv-4-1", "nv-5-8", "nv-5-khong-so-1", "nv-5-khong-so-2", "nv-6"} <= set(rows)


def test_every_agency_link_on_a_plan_leads_to_a_page_listing_the_task_back(real_site: Path) -> None:
    page = parse(real_site, NGHE_AN)
    pairs = [
        (resolve(NGHE_AN, href), f"{NGHE_AN}#{row}")
        for row in page.rows
        for href, _ in _row_links(real_site, row)
        if resolve(NGHE_AN, href).startswith("co-quan/")
    ]
    assert len(pairs) > 40
    back_links: dict[str, set[str]] = {}
    for agency_page, task in pairs:
        if agency_page not in back_links:
            # An agency in many tasks lists them on numbered pages its own page links to.
            links = {resolve(agency_page, h) for h, _ in parse(real_site, agency_page).links}
            folder = re.escape(agency_page.removesuffix("index.html"))
            numbered = {
                u.split("#")[0]
                for u in links
                if re.fullmatch(rf"{folder}trang-\d+/index\.html(#.*)?", u)
            }
            for extra in numbered:
                links |= {resolve(extra, h) for h, _ in parse(real_site, extra).links}
            back_links[agency_page] = links
        assert task in back_links[agency_page], f"{agency_page} does not list {task}"


def _row_links(site: Path, row: str) -> list[tuple[str, str]]:
    html = (site / NGHE_AN).read_text(encoding="utf-8")
    match = re.search(rf'<tr id="{row}"[^>]*>(.*?)</tr>', html, re.S)
    assert match
    parser = Links()
    parser.feed("<article>" + match.group(1) + "</article>")
    return parser.links


def test_decision_1560_page_lists_the_plans_that_implement_it(real_site: Path) -> None:
    rel = "van-ban/quyet-dinh-1560-qd-ttg-2025/index.html"
    targets = {resolve(rel, h).split("#")[0] for h, _ in parse(real_site, rel).links}
    assert NGHE_AN in targets


def test_pages_carry_no_full_navigation_tree(real_site: Path) -> None:
    # Page weight must not grow with the number of plans: only the index pages are in the nav.
    html_pages = list(real_site.rglob("*.html"))
    assert len(html_pages) > 100
    for page in html_pages:
        items = page.read_text(encoding="utf-8").count('class="md-nav__item')
        assert items <= 20, f"{page}: {items} navigation items"


def test_home_lists_every_plan_grouped_by_level(real_site: Path) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    for plan in (
        "nghe-an-686-kh-ubnd-2025",
        "quang-ngai-89-kh-ubnd-2025",
        "quang-ngai-ngok-bay-ke-hoach-39-ct-tw",
        "can-tho-thanh-uy-ke-hoach-39-ct-tw",
    ):
        assert f'href="ke-hoach/{plan}/"' in html
    assert html.index("Cấp tỉnh, thành phố") < html.index("Cấp xã, phường")


def test_an_agency_page_lists_its_collectives_tasks_after_its_own_each_marked_with_the_collective(
    real_site: Path,
) -> None:
    # agencies.yaml: Sở Tài chính tỉnh Nghệ An is a member of "Các sở, ban, ngành, đơn vị cấp
    # tỉnh", which plan 686/KH-UBND names in these tasks (read from its appendix); task 4.1
    # names Sở Tài chính itself, so it is listed once, among its own.
    page = "co-quan/nghe-an/so-tai-chinh/index.html"
    html = (real_site / page).read_text(encoding="utf-8")
    own, _, via = html.partition('id="qua-nhom"')
    assert via, "no section for the tasks of its collectives"
    row = re.compile(r'href="[^"]*#(nv-[^"]+)"')  # each row links to its task
    assert row.findall(own) == ["nv-4-1"]
    expected = "1-1 1-2 2-1 2-2 2-3 3-1 3-2 3-3 3-4 4-2 4-3 4-4 5-1 5-2 5-3 5-6 5-7 5-8 6"
    assert sorted(row.findall(via)) == sorted(f"nv-{n}" for n in expected.split())
    collective = "co-quan/nghe-an/cac-so-ban-nganh-don-vi-cap-tinh/index.html"
    marks = re.findall(r'<h3 class="ckh-via">qua: <a href="([^"]+)">([^<]+)</a>', via)
    assert [(resolve(page, href), name) for href, name in marks] == [
        (collective, "Các sở, ban, ngành, đơn vị cấp tỉnh")
    ]


def test_a_collectives_page_lists_its_members_with_their_source_or_says_it_has_none(
    real_site: Path,
) -> None:
    page = "co-quan/nghe-an/cac-so-ban-nganh-don-vi-cap-tinh/index.html"
    html = (real_site / page).read_text(encoding="utf-8")
    _, _, section = html.partition('id="thanh-vien"')
    members = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a>: <span class="ckh-muted">([^<]+)', section
    )
    assert [(resolve(page, href), name) for href, name, _ in members] == [
        ("co-quan/nghe-an/so-tai-chinh/index.html", "Sở Tài chính tỉnh Nghệ An")
    ]
    assert members[0][2].startswith("Suy từ danh bạ: ")  # read from the registry, and said so
    # No text names the trusted organisations of Nghệ An: none is guessed.
    page = "co-quan/nghe-an/cac-to-chuc-chinh-tri-xa-hoi-nhan-uy-thac-cap-tinh/index.html"
    html = (real_site / page).read_text(encoding="utf-8")
    assert "Danh bạ chưa ghi cơ quan nào thuộc nhóm này" in html
