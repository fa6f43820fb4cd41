"""Every kind of page the built portal has, in Chromium and in the Nu Html Checker: accessible
(axe-core, WCAG 2.1 AA), readable by keyboard and without JavaScript, valid HTML, no request to
another host and no console error.

Page kinds are discovered from the built site by the shape of their URL (conftest.page_kind), so
a kind of page added later is checked without being listed here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Watched, nu_html_errors, one_page_per_kind
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# The kinds the issue names today; discovery must find at least these.
KNOWN_KINDS = {"trang-chu", "ke-hoach/*", "ke-hoach/*/*", "co-quan/*/*", "van-ban/*", "tra-cuu"}
KNOWN_KINDS |= {"404", "thoi-han", "thoi-han/*", "du-lieu"}
# The only page that needs JavaScript to show what it is for (the task finder's results).
NEEDS_JAVASCRIPT = {"tra-cuu"}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def kinds(real_site: Path) -> dict[str, str]:
    """kind → one page of it (the largest) in the real site."""
    return one_page_per_kind(real_site)


@pytest.fixture(scope="module")
def engine_kinds(engine_site: Path) -> dict[str, str]:
    """The same for the site as each engine builds it (for the checks where engines differ:
    the skip link, focus, requests, the HTML checker; axe runs on the default one, and on one
    Zensical page in test_engines)."""
    return one_page_per_kind(engine_site)


def url_of(site_url: str, rel: str) -> str:
    return site_url + rel.removesuffix("index.html")


def test_page_kinds_are_discovered_from_the_built_site(kinds: dict[str, str]) -> None:
    assert set(kinds) >= KNOWN_KINDS, sorted(kinds)


# --- axe-core ---------------------------------------------------------------------------------


def axe_violations(page: Page, axe: Path) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the loaded page."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r =>
            r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))""",
        AXE_TAGS,
    )


def test_no_serious_or_critical_axe_violation_on_any_page_kind(
    kinds: dict[str, str], site_url: str, watched: Watched, npm_tools: dict[str, Path]
) -> None:
    found = []
    for kind, rel in kinds.items():
        watched.page.goto(url_of(site_url, rel))
        for v in axe_violations(watched.page, npm_tools["axe"]):
            found.append(f"{kind} ({rel}): {v['impact']} {v['id']}: {v['help']} {v['targets']}")
    assert found == [], "\n".join(found)


# --- structure, keyboard ------------------------------------------------------------------------

STRUCTURE = """() => {
    const article = document.querySelector('article');
    const levels = [...article.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .map(h => Number(h.tagName[1]));
    const tables = [...article.querySelectorAll('table')].map(t => ({
        caption: (t.caption && t.caption.textContent.trim()) || '',
        headers: t.querySelectorAll('th').length,
    }));
    const skip = document.querySelector('a.md-skip');
    const target = skip && document.getElementById(skip.hash.slice(1));
    return {lang: document.documentElement.lang, levels, tables,
            skip: skip ? skip.textContent.trim() : null, skipTarget: Boolean(target)};
}"""


def structure_problems(state: dict[str, Any]) -> list[str]:
    """What is wrong with a page's language, headings, tables and skip link."""
    problems = []
    if state["lang"] != "vi":
        problems.append(f'lang="{state["lang"]}"')
    levels = state["levels"]
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"not one h1 first: {levels}")
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    if jumps:
        problems.append(f"heading levels skipped: {jumps}")
    for n, table in enumerate(state["tables"]):
        if not table["caption"] or not table["headers"]:
            problems.append(f"table {n} without caption or header cells: {table}")
    if not state["skip"] or not state["skipTarget"]:
        problems.append(f"no working skip link: {state['skip']!r}")
    return problems


def test_every_page_kind_has_lang_ordered_headings_captioned_tables_and_a_skip_link(
    engine_kinds: dict[str, str], engine_url: str, watched: Watched
) -> None:
    found = []
    for kind, rel in engine_kinds.items():
        watched.page.goto(url_of(engine_url, rel))
        found += [
            f"{kind} ({rel}): {p}" for p in structure_problems(watched.page.evaluate(STRUCTURE))
        ]
    assert found == [], "\n".join(found)


FOCUSED = """() => {
    const e = document.activeElement, s = getComputedStyle(e), box = e.getBoundingClientRect();
    return {what: e.outerHTML.slice(0, 80), outline: s.outlineStyle,
            width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
            seen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


def test_keyboard_focus_is_visible_and_the_skip_link_comes_first(
    engine_kinds: dict[str, str], engine_url: str, watched: Watched
) -> None:
    """The first 15 Tab stops of every page kind: the first is the skip link, shown on screen;
    each shows a focus ring at least 2px wide."""
    page, found = watched.page, []
    for kind, rel in engine_kinds.items():
        page.goto(url_of(engine_url, rel))
        for stop in range(15):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUSED)
            if focus["what"].startswith("<body"):
                break  # past the last stop
            if stop == 0 and ("md-skip" not in focus["what"] or not focus["seen"]):
                found.append(f"{kind}: first Tab stop is not a visible skip link: {focus['what']}")
            ring = focus["outline"] not in ("none", "") and focus["width"] >= 2
            if not ring and focus["shadow"] == "none":
                found.append(f"{kind}: focus not visible on {focus['what']}")
    assert found == [], "\n".join(found)


# --- requests, console, JavaScript off ----------------------------------------------------------


def test_no_page_kind_requests_another_host_or_logs_an_error(
    engine_kinds: dict[str, str], engine_url: str, browser: Browser
) -> None:
    context = browser.new_context(locale="vi-VN")
    opened = {kind: Watched(context.new_page()) for kind in engine_kinds}
    for kind, rel in engine_kinds.items():  # all open at once: their quiet half-seconds overlap
        opened[kind].page.goto(url_of(engine_url, rel))
    found = []
    for kind, watched in opened.items():
        watched.page.wait_for_load_state("networkidle")  # what scripts fetch after loading too
        if watched.hosts != {"127.0.0.1"}:
            found.append(f"{kind}: requests to {sorted(watched.hosts)}")
        if watched.errors:
            found.append(f"{kind}: console errors {watched.errors}")
    context.close()
    assert found == [], "\n".join(found)


# What a reader reads: the article's text, without its forms (filters that need JavaScript, such
# as those of the deadlines pages, are hidden without it; the text they filter is all there).
READABLE = """() => {
    const article = document.querySelector('article'), h1 = article.querySelector('h1');
    const forms = [...article.querySelectorAll('form')]
        .reduce((n, f) => n + (f.checkVisibility() ? f.innerText.length : 0), 0);
    return {h1: h1 ? h1.innerText.trim() : '', text: article.innerText.length - forms};
}"""


def test_every_page_kind_reads_the_same_without_javascript(
    kinds: dict[str, str], site_url: str, browser: Browser
) -> None:
    """With JavaScript off a page shows its heading and its whole text (only the copy buttons,
    which need JavaScript, are missing); the task finder at least explains itself."""
    shown = {}
    for enabled in (True, False):
        context = browser.new_context(locale="vi-VN", java_script_enabled=enabled)
        page = context.new_page()
        for kind, rel in kinds.items():
            page.goto(url_of(site_url, rel))
            shown[kind, enabled] = page.evaluate(READABLE)
        context.close()
    found = []
    for kind in kinds:
        on, off = shown[kind, True], shown[kind, False]
        if not off["h1"] or off["h1"] != on["h1"]:
            found.append(f"{kind}: heading without JavaScript {off['h1']!r}, with {on['h1']!r}")
        least = 0.5 if kind in NEEDS_JAVASCRIPT else 0.95
        if off["text"] < least * on["text"]:
            found.append(f"{kind}: {off['text']} characters without JavaScript, {on['text']} with")
    assert found == [], "\n".join(found)


# --- the Nu Html Checker ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nu_errors(
    engine_kinds: dict[str, str], engine_site: Path, npm_tools: dict[str, Path]
) -> list[dict[str, Any]]:
    """The checker's errors on one page of each kind, as each engine builds it: the frame
    differs between engines, our overrides are in both."""
    return nu_html_errors(npm_tools["vnu"], [engine_site / rel for rel in engine_kinds.values()])


def describe(errors: list[dict[str, Any]], site: Path) -> str:
    return "\n".join(
        f"{re.sub(r'^file:', '', e.get('url', '')).removeprefix(str(site) + '/')}:"
        f"{e.get('lastLine')}: {e['message']}  {e.get('extract', '').strip()[:100]!r}"
        for e in errors
    )


def test_html_of_every_page_kind_validates(
    nu_errors: list[dict[str, Any]], engine_site: Path
) -> None:
    assert nu_errors == [], describe(nu_errors, engine_site)
