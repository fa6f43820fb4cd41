"""Hostile text in the data is shown as text: every payload below is put into every kind of
text field of a copy of the minimal data set, the site is built, and every page is opened in
Chromium. No dialog, no script from the data, no element made by the data, no console error;
and the payload reads on the page exactly as it was written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    FIXTURES,
    Watched,
    copy_project,
    html_pages,
    nu_html_errors,
    run_generator,
    serve,
)
from playwright.sync_api import Browser

# Each payload is one way data text could escape into the page. Whatever they would inject
# carries `data-pwned` or "pwned" and sets window.__pwned, so a leak is easy to find.
# (Bidirectional controls are refused by load, so they are in the bad data corpus instead.)
PAYLOADS = (
    "<script data-pwned>window.__pwned = 1; alert(1)</script>",
    '<img data-pwned src=x-pwned.png onerror="window.__pwned = 1; alert(1)">',
    '<svg data-pwned onload="window.__pwned = 1">',
    '<a data-pwned href="javascript:window.__pwned = 1">bấm vào đây</a>',
    "javascript:window.__pwned = 1",
    '<iframe data-pwned srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
    "<style data-pwned>body { display: none }</style>",
    "<b data-pwned>đậm</b> <ul data-pwned><li>mục</li></ul>",
    "\"'><img data-pwned src=x-pwned.png onerror=alert(1)>",
    "</title><script data-pwned>window.__pwned = 1</script>",
    "</textarea><b data-pwned>x</b>",
    "]]><b data-pwned>x</b>",
    "</p></td></tr></table></div><b data-pwned>thoát bảng</b>",
    "<!--",
    "-->",
    '<div markdown="1" data-pwned>*nghiêng trong HTML*</div>',
    "[liên kết](javascript:window.__pwned=1)",
    "![ảnh](x-pwned.png)",
    "<https://example.org/pwned>",
    "Tham khảo https://example.org/pwned",
    "{: data-pwned=1 }",
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "&lt;b&gt;đậm&lt;/b&gt; &amp; &#60;i&#62; &nbsp;",
    "a < b > c & d",
    "%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
    "**đậm** __đậm__ _nghiêng_ `mã` ~~gạch~~",
    "# Tiêu đề giả",
    "---",
    '--8<-- "gioi-thieu.md"',
    '!!! warning "Cảnh báo giả"',
    "| a | b |",
    "    thụt lề bốn dấu cách thành khối mã?",
    "Từrấtdàikhôngcódấucách" * 12,
)


def hostile(label: str) -> str:
    """A field value: a label saying which field it is, then every payload on its own line
    (block syntax such as `---` or `# …` only works at the start of a line)."""
    return "\n\n".join((label, *PAYLOADS))


def flat(text: str) -> str:
    """Text as compared on the page: runs of whitespace as one space."""
    return " ".join(text.split())


# --- the hostile data set ---------------------------------------------------------------------

Tree = Any


class Hostile:
    """Makes fields hostile and remembers which kinds of field it did."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()

    def put(self, item: dict[str, Any], key: str, kind: str, label: str = "") -> None:
        item[key] = hostile(f"{kind} {label}".strip())
        self.kinds.add(kind)

    def items(self, kind: str, count: int) -> list[str]:
        self.kinds.add(kind)
        return [hostile(f"{kind} {n}") for n in range(count)]


def hostile_plan(plan: Tree, agency_names: dict[str, str], h: Hostile) -> None:
    """Every text field of `plan` made hostile; tasks name the agencies by their hostile names."""
    for key in ("kind", "number", "place", "title", "tasks_title", "appendix"):
        h.put(plan, key, f"kế hoạch.{key}")
    h.put(plan["signer"], "name", "người ký")
    h.put(plan["signer"], "position", "chức vụ người ký")
    plan["signer"]["authority"] = h.items("thẩm quyền ký", 2)
    h.put(plan["source"], "note", "ghi chú nguồn")
    plan["recipients"] = h.items("nơi nhận", 2)
    h.put(plan["sections"][0], "heading", "tiêu đề mục")
    h.put(plan["sections"][0], "text", "văn bản mục")
    subsection: dict[str, Any] = {}
    h.put(subsection, "heading", "tiêu đề tiểu mục")
    h.put(subsection, "text", "văn bản tiểu mục")
    plan["sections"][0]["subsections"] = [subsection]
    figure: dict[str, Any] = {"metric": "von-uy-thac-tang-truong", "task": "4.1"}
    for key in ("value", "quote", "where"):
        h.put(figure, key, f"chỉ tiêu.{key}")
    plan["figures"] = [figure]
    for group in plan["groups"]:
        for key in ("title", "number"):
            h.put(group, key, f"nhóm.{key}", group["id"])
        for task in group["tasks"]:
            for key in ("number", "text", "output", "timeline", "notes"):
                h.put(task, key, f"nhiệm vụ.{key}", task["id"])
            for key in ("lead", "support"):
                task[key] = [agency_names[name] for name in task[key]]
                h.kinds.add(f"nhiệm vụ.{key} (tên cơ quan như văn bản viết)")


def read_yaml(path: Path) -> Tree:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, tree: Tree) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def write_hostile_data(data: Path) -> set[str]:
    """Rewrite the data set in `data` with hostile text in every text field; the kinds of
    field that got it."""
    h = Hostile()
    registry = {path: read_yaml(path) for path in sorted((data / "agencies").glob("*.yaml"))}
    documents = read_yaml(data / "documents.yaml")
    themes = read_yaml(data / "themes.yaml")
    # A task names an agency by one of its registered names: both become hostile, each unique.
    agency_names: dict[str, str] = {}
    agencies = [agency for tree in registry.values() for agency in tree["agencies"]]
    for n, agency in enumerate(agencies):
        written = [agency["name"], *agency.get("names", [])]
        now = [hostile(f"cơ quan {n}, tên {k}") for k in range(len(written))]
        agency["name"], agency["names"] = now[0], now[1:]
        for old, new in zip(written, now, strict=True):
            agency_names.setdefault(old, new)  # tinh-a comes before tinh-b: the plan's own
    h.kinds |= {"cơ quan.name", "cơ quan.names"}
    for n, tree in enumerate(registry.values()):
        h.put(tree["jurisdiction"], "name", "địa bàn.name", str(n))
    for n, document in enumerate(documents["documents"]):
        for key in ("kind", "number", "issuer", "title"):
            h.put(document, key, f"văn bản.{key}", str(n))
    for n, theme in enumerate(themes["themes"]):
        for key in ("name", "description"):
            h.put(theme, key, f"chủ đề.{key}", str(n))
    plan_path = data / "plans" / "tinh-a-1-kh-ubnd-2025.yaml"
    plan = read_yaml(plan_path)
    plan["former_ids"] = ["tinh-a-1-kh-ubnd-2025-cu"]  # so that redirect pages are built too
    hostile_plan(plan, agency_names, h)
    for path, tree in registry.items():
        write_yaml(path, tree)
    write_yaml(data / "documents.yaml", documents)
    write_yaml(data / "themes.yaml", themes)
    write_yaml(plan_path, plan)
    return h.kinds


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, int]]:
    """The minimal project with hostile text in every field, built and served:
    (site folder, base URL, number of field kinds carrying the payloads)."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", FIXTURES / "minimal")
    fields = len(write_hostile_data(project / "data"))
    result = run_generator(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(project / "site") as url:
        yield project / "site", url, fields


# --- in the browser ---------------------------------------------------------------------------

# Hand-written pages that show no data until the reader asks for something.
NO_DATA = {
    "404.html",
    "gioi-thieu/index.html",
    "huong-dan/them-ke-hoach-moi/index.html",
    "tra-cuu/index.html",
}

# Anything the payloads would have made, were they HTML or Markdown.
INJECTED = (
    "[data-pwned], a[href^='javascript:' i], [src*='pwned'], a[href*='pwned'], iframe,"
    " .admonition.warning:not(.ckh-replaced), h1 ~ h1, .md-typeset hr"
)

PAGE_STATE = """() => ({
    pwned: typeof window.__pwned !== 'undefined',
    injected: [...document.querySelectorAll(arguments[0])].map(e => e.outerHTML.slice(0, 120)),
    titles: document.querySelectorAll('title:not(svg title)').length,
    title: document.title,
    topic: (document.querySelector('[data-md-component=header-topic]') || {}).textContent || '',
    description: (document.querySelector('meta[name=description]') || {}).content || '',
    og: (document.querySelector('meta[property="og:description"]') || {}).content || '',
    text: document.body.textContent,
})"""


def shows_every_payload(text: str) -> list[str]:
    """The payloads `text` does not show exactly as written."""
    shown = flat(text)
    return [p for p in PAYLOADS if flat(p) not in shown]


def problems_on(watched: Watched, url: str, rel: str, kind: str, dialogs: list[str]) -> list[str]:
    """What is wrong with the page at `url` (`rel` in site/, of `kind`), in words. A redirect
    page is judged where it lands."""
    page = watched.page
    page.goto(url)
    if kind.endswith("(chuyển hướng)"):
        page.wait_for_url(lambda now: not now.startswith(url))
    page.wait_for_load_state("load")
    state = page.evaluate(PAGE_STATE.replace("arguments[0]", repr(INJECTED)))
    found = []
    if dialogs:
        found.append(f"dialog: {dialogs}")
    if state["pwned"]:
        found.append("a script from the data ran (window.__pwned is set)")
    if state["injected"]:
        found.append(f"elements made by the data: {state['injected']}")
    if state["titles"] != 1:
        found.append(f"{state['titles']} <title> elements")
    if watched.errors:
        found.append(f"console errors: {watched.errors}")
    if watched.hosts - {"127.0.0.1"}:
        found.append(f"requests to other hosts: {watched.hosts}")
    if rel not in NO_DATA and (missing := shows_every_payload(state["text"])):
        found.append(f"payloads not shown as written: {missing}")
    for where in ("title", "topic"):
        if "data-pwned" in state[where] and (missing := shows_every_payload(state[where])):
            found.append(f"{where} does not show as written: {missing}")
    for where in ("description", "og"):
        # Link previews carry the text itself, escaped once: "<script", never "&lt;script".
        if "&lt;script" in state[where]:
            found.append(f"{where} escaped twice: {state[where][:120]}")
    return [f"{rel}: {problem}" for problem in found]


@pytest.mark.browser
def test_hostile_text_in_every_field_shows_as_text_on_every_page(
    hostile_site: tuple[Path, str, int], browser: Browser
) -> None:
    site, url, fields = hostile_site
    context = browser.new_context(locale="vi-VN")
    watched = Watched(context.new_page())
    dialogs: list[str] = []
    watched.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pages = html_pages(site)
    problems = []
    for rel, kind in pages.items():
        watched.errors.clear()
        watched.hosts.clear()
        dialogs.clear()
        problems += problems_on(watched, url + rel.removesuffix("index.html"), rel, kind, dialogs)
    context.close()
    assert problems == [], "\n".join(problems)
    print(f"{len(PAYLOADS)} payloads × {fields} kinds of field on {len(pages)} pages")


@pytest.mark.browser
def test_hostile_text_in_search_results_shows_as_text(
    hostile_site: tuple[Path, str, int], browser: Browser
) -> None:
    """The header search and the task finder build their results in the browser from the
    index: the data there must stay text too."""
    _, url, _ = hostile_site
    context = browser.new_context(locale="vi-VN")
    watched = Watched(context.new_page())
    dialogs: list[str] = []
    watched.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page = watched.page
    page.goto(url + "ke-hoach/tinh-a-1-kh-ubnd-2025/")
    page.locator("#ckh-search-q").fill("script alert")
    page.wait_for_function(
        "(window.ckhSearch.timings || []).some(t => t.q === 'script alert' && t.complete)"
    )
    header = page.evaluate(PAGE_STATE.replace("arguments[0]", repr(INJECTED)))
    header_results = page.locator("#ckh-search-list li").count()
    page.goto(url + "tra-cuu/?q=script+alert")
    page.evaluate("window.ckhSearch.finderReady")
    page.wait_for_function("document.querySelectorAll('#ckh-finder-results > li').length > 0")
    finder = page.evaluate(PAGE_STATE.replace("arguments[0]", repr(INJECTED)))
    context.close()
    assert header_results > 0
    for state in (header, finder):
        assert not state["pwned"] and state["injected"] == []
    assert dialogs == [] and watched.errors == []
    assert shows_every_payload(finder["text"]) == []


# --- the raw HTML in the seed text -------------------------------------------------------------

# shared/seeds/001_… (Nghệ An 686/KH-UBND) has HTML inside its table cells: group titles in
# <b>…</b>, and timelines and agencies as <ul style="list-style-type: none"><li>- …</li></ul>.
# The data transcribes their meaning (a title; "- " bullet lines); the tags never reach a page.
SEED_BOLD = "Phối hợp, nâng cao vai trò của Mặt trận Tổ quốc Việt Nam tỉnh"
SEED_ITEM = "Nguồn vốn đầu tư công: Theo tiến độ xây dựng Kế hoạch đầu tư công trung hạn"
SEED_TAGS = re.compile(r"<b[\s>]|<ul style|<li>\s*- |&lt;/?(?:b|ul|li)\b|list-style-type: none")


def test_raw_html_of_the_seed_text_never_reaches_a_page(real_site: Path) -> None:
    leaks = {
        rel: sorted(set(SEED_TAGS.findall(text)))
        for rel in html_pages(real_site)
        if SEED_TAGS.search(text := (real_site / rel).read_text(encoding="utf-8"))
    }
    assert leaks == {}
    plan = (real_site / "ke-hoach/nghe-an-686-kh-ubnd-2025/index.html").read_text(encoding="utf-8")
    # What the tags held is there, as the page's own structure: a group row, a bullet.
    assert re.search(rf'<th scope="colgroup" colspan="6"><a [^>]*>2\. {SEED_BOLD}', plan)
    assert f"<li>{SEED_ITEM}" in plan


def test_pages_with_hostile_text_are_valid_html(
    hostile_site: tuple[Path, str, int], npm_tools: dict[str, Path]
) -> None:
    """Escaped payloads (`</title>`, `"'>`, `<!--`) leave every page, the redirect pages
    included, as valid HTML: the checker sees nothing the real site does not have."""
    site, _, _ = hostile_site
    errors = nu_html_errors(npm_tools["vnu"], [site / rel for rel in html_pages(site)])
    assert errors == [], "\n".join(
        f"{e.get('url')}:{e.get('lastLine')}: {e['message']}" for e in errors
    )
