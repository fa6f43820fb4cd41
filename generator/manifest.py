"""Permanence: every URL the portal has published stays reachable.

The repository keeps `published-urls.txt`, one site-relative URL a line (pages and task
anchors). A build that would drop one (a plan deleted, an id renamed without `former_ids`)
fails naming it; `python -m generator manifest` records new URLs. Pure functions; cli reads and
writes the file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from generator import urls
from generator.domain import Portal, task_anchor
from generator.pages import Output

MANIFEST_FILE = "published-urls.txt"
MANIFEST_HEADER = (
    "# Every URL Cổng Kế hoạch has published, from the site root. Never delete a line: a URL that\n"
    "# disappears breaks links in official letters. Add new ones: python -m generator manifest\n"
)


def page_url(page: Output) -> str | None:
    """The URL a generated file is served at, or None for include-only fragments. (String
    operations, not PurePosixPath: this runs for each of the hundreds of thousands of files
    of a national build, whose paths are already plain.)"""
    folder, _, name = page.path.rpartition("/")
    if name.startswith("."):
        return None
    if name in ("index.md", "index.html"):
        return folder + "/" if folder else ""
    return page.path


def handwritten_urls(markdown_paths: Iterable[str]) -> set[str]:
    """The URLs of hand-written pages (paths under docs/): `tra-cuu/index.md` → `tra-cuu/`,
    `gioi-thieu.md` → `gioi-thieu/` (MkDocs' directory URLs)."""
    found = set()
    for rel in markdown_paths:
        path = PurePosixPath(rel)
        folder = path.parent if path.name == "index.md" else path.with_suffix("")
        found.add("" if folder.as_posix() == "." else folder.as_posix() + "/")
    return found


def anchor_urls(portal: Portal) -> set[str]:
    """Every task's `#nv-…` address, old anchors kept by `former_ids` included."""
    found = set()
    for plan in portal.plans.values():
        for task in plan.tasks:
            for task_id in (task.id, *task.former_ids):
                found.add(f"{urls.plan_url(plan.id)}#{task_anchor(task_id)}")
    return found


def vanished(published: set[str], current: set[str], redirects: dict[str, str]) -> list[str]:
    """Published URLs the new build would no longer serve. An anchor under a redirected page
    counts as served when the redirect's target has that anchor (the redirect keeps #…)."""
    missing = []
    for url in sorted(published):
        if url in current:
            continue
        page, _, fragment = url.partition("#")
        if fragment and page in redirects and f"{redirects[page]}#{fragment}" in current:
            continue
        missing.append(url)
    return missing


def parse_manifest(text: str) -> set[str]:
    lines = (line.strip() for line in text.splitlines())
    return {line.removeprefix("/") for line in lines if line and not line.startswith("#")}


def format_manifest(entries: set[str]) -> str:
    # Written from the site root ("/" is the home page), read back site-relative.
    return MANIFEST_HEADER + "".join(f"/{u}\n" for u in sorted(entries))
