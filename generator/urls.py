"""The permanent URL scheme (DESIGN.md, "URLs"). Ids decide URLs; text never does.

URLs here are site-relative paths without a leading slash ("ke-hoach/x/"), so the site works
under any base path (GitHub Pages serves a project at /<repo>/); pages link with `relative`.
"""

from __future__ import annotations

import posixpath

SEARCH_FOLDER = "chi-muc"  # the search index (generator/search), data for the engine, no pages
# The folders under docs/ that the generator owns and rewrites whole on every run.
GENERATED_FOLDERS = (
    "ke-hoach",
    "co-quan",
    "van-ban",
    "chu-de",
    "so-do",
    SEARCH_FOLDER,
    "thoi-han",
    "du-lieu",
)


def plan_url(plan_id: str) -> str:
    return f"ke-hoach/{plan_id}/"


def plan_text_url(plan_id: str) -> str:
    """The narrative of a plan too long for one page."""
    return f"ke-hoach/{plan_id}/noi-dung/"


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


def theme_place_url(theme_id: str, place_id: str, page: int = 1) -> str:
    """A theme in one province (its own plans and its communes'): the overview's sub-page;
    past its first page, the numbered pages after it."""
    first = f"chu-de/{theme_id}/{place_id}/"
    return first if page == 1 else f"{first}trang-{page}/"


def graph_node_url(node_id: str) -> str:
    """One document's or plan's neighbourhood in the document graph."""
    return f"so-do/{node_id}/"


def agency_tasks_url(agency_id: str, page: int) -> str:
    """Page `page` of an agency's tasks; the first is the agency's own page."""
    return agency_url(agency_id) if page == 1 else f"{agency_url(agency_id)}trang-{page}/"


def absolute(site_url: str, url: str) -> str:
    """The permanent address of a site-relative URL."""
    return site_url.removesuffix("/") + "/" + url


def report_anchor(report_id: str) -> str:
    """A plan's reporting duty on the plan page: `bc-<report id>`."""
    return f"bc-{report_id}"


# Deadlines and calendars (DESIGN.md: /thoi-han/, /thoi-han/<jurisdiction>/<agency>.ics).
DEADLINES_URL = "thoi-han/"
ALL_FEED_URL = "thoi-han/tat-ca.ics"


def deadlines_place_url(jurisdiction_id: str, page: int = 1) -> str:
    """A place's deadlines; past its first page, the numbered pages after it."""
    first = f"thoi-han/{jurisdiction_id}/"
    return first if page == 1 else f"{first}trang-{page}/"


def agency_feed_url(agency_id: str) -> str:
    return f"thoi-han/{agency_id}.ics"


def jurisdiction_feed_url(jurisdiction_id: str) -> str:
    return f"thoi-han/{jurisdiction_id}.ics"


def plan_feed_url(plan_id: str) -> str:
    return f"thoi-han/ke-hoach/{plan_id}.ics"


# Open data (DESIGN.md: /du-lieu/): one file per format for all tasks, each jurisdiction,
# plan and agency; `fmt` is json, csv or xlsx.
DATA_URL = "du-lieu/"
DATA_FORMATS = ("json", "csv", "xlsx")


def all_tasks_data_url(fmt: str) -> str:
    return f"du-lieu/nhiem-vu.{fmt}"


def jurisdiction_data_url(jurisdiction_id: str, fmt: str) -> str:
    return f"du-lieu/dia-ban/{jurisdiction_id}.{fmt}"


def plan_data_url(plan_id: str, fmt: str) -> str:
    return f"du-lieu/ke-hoach/{plan_id}.{fmt}"


def agency_data_url(agency_id: str, fmt: str) -> str:
    return f"du-lieu/co-quan/{agency_id}.{fmt}"


def json_twin_url(page_url: str) -> str:
    """The machine-readable twin of a page: what the page shows, as JSON, beside it."""
    return page_url + "index.json"


def source_path(url: str) -> str:
    """The Markdown file under docs/ that MkDocs turns into the page at `url` (every page's
    address is a folder: it ends in '/')."""
    return url + "index.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative, '' is the home).
    Pages make ~30 links each, 100,000 per 100 plans: the folders are compared as lists of
    names, without posixpath.relpath's two abspath calls (each asks the OS for the working
    directory); an address with '.', '..' or '//' in it (none the portal makes) goes to
    posixpath all the same."""
    start = [name for name in from_url.split("/") if name]  # the folder the link is in
    to = to_url.split("/")  # the target's folders, then its file or fragment ('' for a folder)
    if _UNPLAIN.isdisjoint(start + to[:-1]) and to[-1] not in (".", ".."):
        common = len(posixpath.commonprefix([start, to[:-1]]))
        link = "../" * (len(start) - common) + "/".join(to[common:])
    else:
        link = posixpath.relpath(to_url or ".", from_url or ".")
        link += "/" * (to_url.endswith("/") or not to_url)
    return link or "./"


_UNPLAIN = frozenset(("", ".", ".."))
