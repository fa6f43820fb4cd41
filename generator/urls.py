"""The permanent URL scheme (DESIGN.md, "URLs"). Ids decide URLs; text never does.

URLs here are site-relative paths without a leading slash ("ke-hoach/x/"), so the site works
under any base path (GitHub Pages serves a project at /<repo>/); pages link with `relative`.
"""

from __future__ import annotations

import posixpath

SEARCH_FOLDER = "chi-muc"  # the search index (generator/search), data for the engine, no pages
# The folders under docs/ that the generator owns and rewrites whole on every run.
GENERATED_FOLDERS = ("ke-hoach", "co-quan", "van-ban", "chu-de", "so-do", SEARCH_FOLDER)


def plan_url(plan_id: str) -> str:
    return f"ke-hoach/{plan_id}/"


def group_url(plan_id: str, group_id: str) -> str:
    return f"ke-hoach/{plan_id}/nhom-{group_id}/"


def original_url(path: str) -> str:
    """A copy of an official document: `van-ban-goc/<file>` under docs/, published as is."""
    return path


def agency_url(agency_id: str) -> str:
    return f"co-quan/{agency_id}/"


def jurisdiction_url(jurisdiction_id: str) -> str:
    return f"co-quan/{jurisdiction_id}/"


def document_url(document_id: str) -> str:
    return f"van-ban/{document_id}/"


def theme_url(theme_id: str) -> str:
    return f"chu-de/{theme_id}/"


def absolute(site_url: str, url: str) -> str:
    """The permanent address of a site-relative URL."""
    return site_url.rstrip("/") + "/" + url


def source_path(url: str) -> str:
    """The Markdown file under docs/ that MkDocs turns into `url`."""
    return url + "index.md" if url.endswith("/") else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative, '' is the home)."""
    fragment = ""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else "."
    target = to_url or "."
    path = posixpath.relpath(target.rstrip("/") or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        path = path.rstrip("/") + "/"
    if path == "./" and fragment:
        return fragment
    return path + fragment
