"""Stage 7, check: read the built site as a browser would and report what a reader would hit:
internal links to missing pages or missing `#anchors`, and any resource fetched from another
host (fonts, scripts, images): the portal makes no third-party request.

After an incremental build only what can have broken is read again: every changed page, and
the unchanged pages that link to a file that is gone or to a changed page that lost an anchor
(found through the record of links the last check kept). An unchanged page's own links and
fetches cannot change, and a link into a page that kept all its anchors still holds."""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import parallel

# Attributes that make the browser fetch something as the page loads.
_FETCHING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("audio", "src"),
    ("video", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "poster"),
}


@dataclass
class _Page(HTMLParser):
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    fetches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if tag == "a" and name == "href":
                self.links.append(value)
            if (tag, name) in _FETCHING:
                if tag == "link" and name == "href":
                    rel = set((dict(attrs).get("rel") or "").split())
                    if rel & {"canonical", "alternate", "prev", "next"}:
                        continue  # navigation hints, not fetched
                self.fetches.append(value)


@dataclass(frozen=True)
class _Parsed:
    """What the check reads of a page: its anchors, its links and what it fetches."""

    ids: frozenset[str]
    links: tuple[str, ...]
    fetches: tuple[str, ...]


def _parse(path: Path) -> _Parsed:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    # Interned: the same anchors (#nv-1-2, #noi-dung) recur on thousands of pages.
    return _Parsed(
        frozenset(sys.intern(i) for i in page.ids), tuple(page.links), tuple(page.fetches)
    )


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme in ("http", "https") or url.startswith("//"))


@dataclass(frozen=True)
class Checked:
    """The problems found; the files of the site checked and, for each page, the files it links
    to (site-relative): the record the next incremental check starts from."""

    problems: list[str]
    files: frozenset[str]
    links: dict[str, list[str]]


@dataclass
class _View:
    """The built site as the check sees it: which files it has, and each page parsed once."""

    files: frozenset[str]
    source: Callable[[str], Path]
    parsed: dict[str, _Parsed] = field(default_factory=dict)

    def page(self, rel: str) -> _Parsed:
        if rel not in self.parsed:
            self.parsed[rel] = _parse(self.source(rel))
        return self.parsed[rel]

    def checked(self, rel: str) -> None:
        """Forget the links of a page whose own links are checked, keeping its anchors for
        the pages that link to it: at national scale every page's links together would not
        fit in memory."""
        self.parsed[rel] = _Parsed(self.page(rel).ids, (), ())

    def target_file(self, page_rel: str, href_path: str) -> str:
        """The site file a relative link from `page_rel` points to (a folder: its index.html)."""
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), unquote(href_path)))
        # A folder is linked as its index.html: `ke-hoach/a` as `ke-hoach/a/index.html`.
        folder_page = posixpath.normpath(posixpath.join(joined, "index.html"))
        if href_path.endswith("/") or folder_page in self.files:
            return folder_page
        return joined


def _page_problems(rel: str, view: _View, base_path: str) -> tuple[list[str], set[str]]:
    """What is wrong on page `rel`, and the site files it links to."""
    page = view.page(rel)
    problems = []
    targets = set()
    for url in page.fetches:
        for candidate in url.split(","):  # srcset lists several
            candidate = candidate.strip().split(" ")[0]
            if _is_external(candidate):
                problems.append(f"{rel}: tải tài nguyên từ máy chủ bên ngoài: {candidate}")
    for href in page.links:
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue  # links out (mailto:, https:) are the reader's choice, not a fetch
        if parts.path.startswith("/"):
            if not parts.path.startswith(base_path):
                problems.append(f"{rel}: liên kết ra ngoài thư mục của cổng: {href}")
                continue
            target = view.target_file("", parts.path[len(base_path) :] or "./")
        elif parts.path:
            target = view.target_file(rel, parts.path)
        else:
            target = rel
        targets.add(sys.intern(target))  # the record names each file once, not per link
        if target not in view.files:
            problems.append(f"{rel}: liên kết hỏng: {href}")
            continue
        if (
            parts.fragment
            and target.endswith(".html")
            and unquote(parts.fragment) not in view.page(target).ids
        ):
            problems.append(f"{rel}: không có neo #{parts.fragment} trong {target}")
    targets.discard(rel)
    return problems, targets


def _check(
    pages: Iterable[str], view: _View, base_path: str
) -> tuple[list[str], dict[str, list[str]]]:
    problems = []
    links = {}
    for rel in sorted(pages):
        found, targets = _page_problems(rel, view, base_path)
        view.checked(rel)
        problems += found
        links[rel] = sorted(targets)
    return problems, links


def _files_under(folder: Path) -> frozenset[str]:
    return frozenset(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    )


class _Asked(frozenset[str]):
    """The anchors of a page another process reads: every anchor asked for is taken as there
    and noted, to be checked once every page's anchors are known."""

    asked: set[tuple[str, str]]
    target: str

    def __contains__(self, anchor: object) -> bool:
        self.asked.add((self.target, str(anchor)))
        return True


@dataclass(frozen=True)
class _Alone:
    """One page checked on its own: its anchors, its problems (but for #anchors in other
    pages), the files it links to, and the (page, #anchor) pairs it points to elsewhere."""

    ids: frozenset[str]
    problems: tuple[str, ...]
    targets: tuple[str, ...]
    asked: frozenset[tuple[str, str]]


@dataclass
class _AloneView(_View):
    """A view that reads one page only: any other page's anchors are `_Asked`."""

    own: str = ""
    asked: set[tuple[str, str]] = field(default_factory=set)

    def page(self, rel: str) -> _Parsed:
        if rel == self.own:
            return super().page(rel)
        anchors = _Asked()
        anchors.asked, anchors.target = self.asked, rel
        return _Parsed(anchors, (), ())


def _check_alone(rel: str, files: frozenset[str], site: Path, base_path: str) -> _Alone:
    """`_page_problems` of one page, reading no other page: a link to an #anchor in another
    page is noted instead, so that pages can be read on every core at once."""
    view = _AloneView(files, lambda r: site / r, own=rel)
    problems, targets = _page_problems(rel, view, base_path)
    return _Alone(
        view.page(rel).ids, tuple(problems), tuple(sorted(targets)), frozenset(view.asked)
    )


def check_all(site: Path, base_path: str = "/") -> Checked:
    """Every broken internal link or anchor and every third-party fetch, as readable lines.

    `base_path` is where the site is served (the path of `site_url`): root-relative links such
    as the 404 page's must start with it. Pages are read on every core (generator/parallel.py),
    each on its own; the #anchors they point to in other pages are checked once all are read,
    and a page with a missing one is read again here for its problems in order."""
    files = _files_under(site)
    pages = sorted(f for f in files if f.endswith(".html"))
    ids: dict[str, frozenset[str]] = {}
    found: dict[str, list[str]] = {}
    links: dict[str, list[str]] = {}
    asked: dict[str, set[str]] = {}
    alone = partial(_check_alone, files=files, site=site, base_path=base_path)
    for rel, page in zip(pages, parallel.ordered_map(alone, pages), strict=True):
        ids[rel] = page.ids
        links[rel] = list(page.targets)
        if page.problems:
            found[rel] = list(page.problems)
        for target, anchor in page.asked:
            asked.setdefault(target, set()).add(sys.intern(anchor))
    missing = {t for t, anchors in asked.items() if not anchors <= ids.get(t, frozenset())}
    again = {rel for rel in pages if not missing.isdisjoint(links[rel])}
    if again:  # read again for their links, in order; every other page's anchors are known
        known = {rel: _Parsed(i, (), ()) for rel, i in ids.items() if rel not in again}
        view = _View(files, lambda r: site / r, known)
        for rel in sorted(again):
            found[rel], _ = _page_problems(rel, view, base_path)
            view.checked(rel)
    return Checked([p for rel in pages for p in found.get(rel, ())], files, links)


def check_site(site: Path, base_path: str = "/") -> list[str]:
    """The problems `check_all` finds."""
    return check_all(site, base_path).problems


def check_changes(
    previous: Path,
    files: frozenset[str],
    links: dict[str, list[str]],
    changed: Path,
    removed: frozenset[str],
    base_path: str,
) -> Checked:
    """What `check_all` would find in the site made of `previous` (which passed the check, has
    `files` and links as `links` records), the files in `changed` put over it and the `removed`
    ones gone; reading only the pages a change can have broken."""
    new = _files_under(changed)
    view = _View(
        (files - removed) | new,
        lambda rel: (changed if rel in new else previous) / rel,
    )
    pages = {rel for rel in new if rel.endswith(".html")}
    lost = set(removed - new)
    for rel in pages:
        if rel in files and _parse(previous / rel).ids - view.page(rel).ids:
            lost.add(rel)
    pages |= {
        rel for rel, targets in links.items() if rel in view.files and not lost.isdisjoint(targets)
    }
    problems, rechecked = _check(pages, view, base_path)
    kept = {rel: targets for rel, targets in links.items() if rel in view.files}
    return Checked(problems, view.files, kept | rechecked)
