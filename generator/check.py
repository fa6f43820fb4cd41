"""Stage 7, check: read the built site as a browser would and report what a reader would hit:
internal links to missing pages or missing `#anchors`, and any resource fetched from another
host (fonts, scripts, images): the portal makes no third-party request."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme in ("http", "https") or url.startswith("//"))


def _target_file(site: Path, page_rel: str, href_path: str) -> str:
    """The site file a relative link from `page_rel` points to (a folder means its index.html)."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), unquote(href_path)))
    if href_path.endswith("/") or (site / joined).is_dir():
        joined = posixpath.join(joined, "index.html")
    return joined


def check_site(site: Path, base_path: str = "/") -> list[str]:
    """Every broken internal link or anchor and every third-party fetch, as readable lines.

    `base_path` is where the site is served (the path of `site_url`): root-relative links such
    as the 404 page's must start with it."""
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for rel, page in pages.items():
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
                target = _target_file(site, "", parts.path[len(base_path) :] or "./")
                if not (site / target).exists():
                    problems.append(f"{rel}: liên kết hỏng: {href}")
                    continue
            elif parts.path:
                target = _target_file(site, rel, parts.path)
                if not (site / target).exists():
                    problems.append(f"{rel}: liên kết hỏng: {href}")
                    continue
            else:
                target = rel
            if parts.fragment and target.endswith(".html"):
                target_page = pages.get(target)
                if target_page is not None and unquote(parts.fragment) not in target_page.ids:
                    problems.append(f"{rel}: không có neo #{parts.fragment} trong {target}")
    return problems
