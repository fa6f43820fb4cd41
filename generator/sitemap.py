"""The sitemap, as a sitemap index and its parts: the protocol allows 50,000 URLs and 50 MB a
file, and the portal at national scale has tens of thousands of pages and grows with every
directive. The generator knows every page it serves; the engine's own single sitemap.xml is
replaced, so that no engine has to be taught the limits.

Parts sit beside the index at the site root: a sitemap may only list URLs under its own folder.
Pure functions; cli writes the files into the built site.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

INDEX = "sitemap.xml"
# Well under the protocol's 50,000 URLs and 50 MB, so that a part stays a small download.
URLS_PER_PART = 10_000
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def part_name(number: int) -> str:
    return f"sitemap-{number}.xml"


def page_urls(served: Iterable[str], redirected: Iterable[str]) -> list[str]:
    """The pages a search engine should know: served page URLs, without task anchors, files
    (calendars, downloads) or the old addresses that only redirect."""
    moved = set(redirected)
    return sorted(
        url
        for url in served
        if "#" not in url and (url == "" or url.endswith("/")) and url not in moved
    )


def sitemap_files(pages: list[str], site_url: str) -> dict[str, str]:
    """File name → XML: the index and its parts, `URLS_PER_PART` page URLs each (site-relative
    URLs in, absolute ones out)."""
    chunks = [pages[i : i + URLS_PER_PART] for i in range(0, len(pages), URLS_PER_PART)] or [[]]
    files = {}
    for number, chunk in enumerate(chunks, start=1):
        entries = "".join(f"<url><loc>{escape(site_url + url)}</loc></url>\n" for url in chunk)
        files[part_name(number)] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NAMESPACE}">\n'
            f"{entries}</urlset>\n"
        )
    parts = "".join(
        f"<sitemap><loc>{escape(site_url + part_name(n))}</loc></sitemap>\n"
        for n in range(1, len(chunks) + 1)
    )
    files[INDEX] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NAMESPACE}">\n'
        f"{parts}</sitemapindex>\n"
    )
    return files
