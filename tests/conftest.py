"""Shared fixtures: small data sets to break on purpose, and one real site built per run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What a project needs to build the site; generated folders and site/ are left behind.
PROJECT_PARTS = ("templates", "docs", "hooks", "overrides", "mkdocs.yml")


def copy_project(target: Path, data: Path, with_manifest: bool = False) -> Path:
    """A buildable project in `target` with `data` as its data folder (and, for the shipped
    data, the shipped URL manifest)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                target / part,
                ignore=shutil.ignore_patterns(".generator-*", *_generated_folders()),
            )
        else:
            shutil.copy2(source, target / part)
    shutil.copytree(data, target / "data")
    if with_manifest:
        shutil.copy2(ROOT / "published-urls.txt", target / "published-urls.txt")
    return target


def _generated_folders() -> tuple[str, ...]:
    from generator.urls import GENERATED_FOLDERS

    return GENERATED_FOLDERS


def run_generator(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--project", str(project)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A copy of the project with the small fixture data set, safe to break."""
    return copy_project(tmp_path / "project", FIXTURES / "minimal")


# The day the real site is built as of: deadlines count from it. On 20/09/2026 Nghệ An's yearly
# reports (before 01/10) fall in the next 30 days, Cần Thơ's and Ngọk Bay's (30/10) in 31–90.
BUILT_ON = "2026-09-20"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The portal built from the shipped data, once per test run."""
    project = copy_project(
        tmp_path_factory.mktemp("real") / "project", ROOT / "data", with_manifest=True
    )
    result = run_generator(project, "build", "--build-date", BUILT_ON)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The portal built from the shipped data with the other engine, Zensical, once per run."""
    project = copy_project(
        tmp_path_factory.mktemp("zensical") / "project", ROOT / "data", with_manifest=True
    )
    result = run_generator(project, "build", "--engine", "zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def engine_site(request: pytest.FixtureRequest) -> Path:
    """The real site as each site engine builds it: tests taking it run once per engine."""
    site: Path = request.getfixturevalue(
        "real_site" if request.param == "mkdocs" else "zensical_site"
    )
    return site


# --- the browser ---------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BASE_PATH = "/cong-ke-hoach/"  # as in site_url: GitHub Pages serves the project under it


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves site/ under BASE_PATH, with its 404 page, like GitHub Pages."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        inner = path[len(BASE_PATH) - 1 :] if path.startswith(BASE_PATH) else "/__outside__"
        return super().translate_path(inner)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """`site` served on 127.0.0.1 at a free port, under BASE_PATH; yields its base URL."""
    handler = partial(_SiteHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The real site served on 127.0.0.1 at a free port."""
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def engine_url(engine_site: Path) -> Iterator[str]:
    """engine_site served on 127.0.0.1 at a free port."""
    with serve(engine_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


class Watched:
    """A browser page that records console errors, script errors and every request's host."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).hostname or r.url))


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(locale="vi-VN")
    page = Watched(context.new_page())
    yield page
    context.close()


# --- page kinds ---------------------------------------------------------------------------------


def page_kind(rel: str, html: str) -> str:
    """The kind of the built page at `rel` (a path in site/), from the shape of its URL: its
    first folder and depth ("ke-hoach/*/*" is a task group), so that a new kind of page is
    picked up by the tests without being listed anywhere."""
    if "/" not in rel:
        return {"index.html": "trang-chu"}.get(rel, rel.removesuffix(".html"))
    folders = rel.split("/")[:-1]
    kind = "/".join([folders[0], *["*"] * (len(folders) - 1)])
    return kind + " (chuyển hướng)" if 'http-equiv="refresh"' in html else kind


def html_pages(site: Path) -> dict[str, str]:
    """Every HTML page of the built `site`: its path in site/ and its kind."""
    return {
        p.relative_to(site).as_posix(): page_kind(
            p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")
        )
        for p in sorted(site.rglob("*.html"))
    }


def one_page_per_kind(site: Path) -> dict[str, str]:
    """kind → path of the largest page of that kind (the one with the most to check)."""
    chosen: dict[str, str] = {}
    for rel, kind in html_pages(site).items():
        if kind not in chosen or (site / rel).stat().st_size > (site / chosen[kind]).stat().st_size:
            chosen[kind] = rel
    return dict(sorted(chosen.items()))


# --- checkers from the npm registry --------------------------------------------------------------

# Pinned; installed on first use into .cache/npm (git-ignored), never loaded by the site itself.
NPM_TOOLS = {"axe-core": "4.14.1", "vnu-jar": "26.9.27"}
NPM_CACHE = ROOT / ".cache" / "npm"


def _installed_version(package: Path) -> str | None:
    manifest = package / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


@pytest.fixture(scope="session")
def npm_tools() -> dict[str, Path]:
    """axe-core's script and the Nu Html Checker's jar, at the pinned versions."""
    modules = NPM_CACHE / "node_modules"
    wanted = [f"{n}@{v}" for n, v in NPM_TOOLS.items() if _installed_version(modules / n) != v]
    if wanted:
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "npm is missing: bash scripts/setup.sh test installs Debian's nodejs and npm"
            )
        # --ignore-scripts: vnu-jar's postinstall would download a Java runtime; Debian's is used.
        subprocess.run(
            [npm, "install", "--prefix", str(NPM_CACHE), "--no-save", "--no-audit", "--no-fund"]
            + ["--ignore-scripts", "--loglevel=error", *wanted],
            check=True,
            capture_output=True,
        )
    return {
        "axe": modules / "axe-core" / "axe.min.js",
        "vnu": modules / "vnu-jar" / "build" / "dist" / "vnu.jar",
    }


# Checker messages that are not a fault of this site, each with why; nothing else is filtered.
NU_NOT_OURS = (
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        'class="md-toggle"',
        "Material's own drawer and search toggles (base.html, outside any block) keep "
        "autocomplete=off on purpose, so that Firefox does not restore their state on back "
        "navigation: squidfunk/mkdocs-material#1513, validator/validator#1141",
    ),
    (
        "The “aria-hidden” attribute must not be used on any “label” element",
        'class="md-overlay"',
        "Zensical's base.html (0.0.73) hides the drawer's click-away overlay from assistive "
        "technology with aria-hidden on its <label>, outside any block an override can replace; "
        "Material's base.html has the same label without it",
    ),
)


def nu_html_errors(vnu: Path, files: list[Path]) -> list[dict[str, Any]]:
    """The errors the Nu Html Checker finds in `files` (one JVM for all of them), except those
    in NU_NOT_OURS."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: bash scripts/setup.sh test installs default-jre-headless")
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
    )
    messages: list[dict[str, Any]] = json.loads(result.stderr or result.stdout)["messages"]
    return [
        m
        for m in messages
        if m["type"] in ("error", "non-document-error")
        and not any(
            said in m["message"] and where in m.get("extract", "") for said, where, _ in NU_NOT_OURS
        )
    ]
