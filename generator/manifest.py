"""Permanence: every URL the portal has published stays reachable.

The repository keeps `published-urls.txt`, one site-relative URL a line (pages and task
anchors). A build that would drop one (a plan deleted, an id renamed without `former_ids`)
fails naming it; `python -m generator manifest` records new URLs. Pure functions; cli reads and
writes the file."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
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


def anchor_urls(portal: Portal) -> Iterator[str]:
    """Every task's `#nv-…` address, old anchors kept by `former_ids` included."""
    anchors: dict[str, str] = {}  # each id's anchor made once: ids recur from plan to plan
    for plan in portal.plans.values():
        page = urls.plan_url(plan.id)
        for task in plan.tasks:
            for task_id in (task.id, *task.former_ids):
                anchor = anchors.get(task_id)
                if anchor is None:
                    anchor = anchors[task_id] = task_anchor(task_id)
                yield f"{page}#{anchor}"


def unserved(published: Iterable[str], current: Container[str]) -> list[str]:
    """The published URLs the new build does not serve itself, in no order (at national scale
    a handful of the half million: only they are sorted)."""
    return [url for url in published if url not in current]


def vanished(
    unserved: Iterable[str], current: Container[str], redirects: dict[str, str]
) -> list[str]:
    """Of the `unserved` published URLs, those the new build would no longer serve, sorted.
    An anchor under a redirected page counts as served when the redirect's target has that
    anchor (the redirect keeps #…)."""
    missing = []
    for url in unserved:
        page, _, fragment = url.partition("#")
        if fragment and page in redirects and f"{redirects[page]}#{fragment}" in current:
            continue
        missing.append(url)
    return sorted(missing)


def parse_manifest(text: str) -> set[str]:
    lines = map(str.strip, text.splitlines())
    return {line.removeprefix("/") for line in lines if line and line[0] != "#"}


def format_manifest(entries: set[str]) -> str:
    # Written from the site root ("/" is the home page), read back site-relative.
    return MANIFEST_HEADER + "".join(f"/{u}\n" for u in sorted(entries))
