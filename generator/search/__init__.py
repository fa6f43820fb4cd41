"""Search as one unit (DESIGN.md, "Search"; as MkDocs' contrib/search/): Vietnamese text folded
the way readers type it, and the static split index built from it into docs/chi-muc/.

- folding: fold, abbreviations and the terms the index keys on;
- documents: what a search can find (pages and tasks), in index order, with filter keys;
- facets: the task finder's filter choices;
- encode: posting lists, shards, long-list files, record files and meta.json.

In the browser, docs/assets/search-engine.js folds, fetches index files and evaluates queries
(no DOM); search.js is the header box and the showing of results; search-finder.js is the task
finder at /tra-cuu/. tests/search_reference.py states the query semantics in Python, and the
browser tests check the engine against it.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator import urls
from generator.domain import Portal
from generator.pages import Page
from generator.search.documents import each_search_doc
from generator.search.encode import build_index
from generator.search.facets import facet_files


def index_pages(portal: Portal) -> Iterator[Page]:
    """The search index as pages under docs/chi-muc/ for the writer; built when the first is
    taken, so that a writer taking the rendered pages first never holds both."""
    files = build_index(each_search_doc(portal), portal.abbreviations, facet_files(portal))
    for path in sorted(files):
        yield Page(f"{urls.SEARCH_FOLDER}/{path}", files.pop(path))
