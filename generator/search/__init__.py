"""Search as one unit (DESIGN.md, "Search"; as MkDocs' contrib/search/): Vietnamese text folded
the way readers type it, and the static split index built from it into docs/chi-muc/.

- folding: fold, abbreviations and the terms the index keys on;
- documents: what a search can find (pages and tasks), in index order, with filter keys;
- facets: the task finder's filter choices;
- encode: posting lists, shards, long-list files, record files and meta.json;
- incremental: the index after an edit, patched from the last build's.

In the browser, docs/assets/search-engine.js folds, fetches index files and evaluates queries
(no DOM); search.js is the header box and the showing of results; search-finder.js is the task
finder at /tra-cuu/. tests/search_reference.py states the query semantics in Python, and the
browser tests check the engine against it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator import urls
from generator.domain import Portal
from generator.pages import Kept, Page, SpooledFile
from generator.search.documents import each_search_doc
from generator.search.encode import build_index
from generator.search.facets import facet_files
from generator.search.folding import abbreviation_table
from generator.search.incremental import IndexCache, index_update

__all__ = ["IndexCache", "index_pages", "spooled_index"]


def spooled_index(
    portal: Portal, spool: Path, store: IndexCache | None = None
) -> list[SpooledFile | Kept]:
    """The search index's files (as `index_pages`) written into the folder `spool`, for the
    writer to link into place. Made in a process of its own (parallel.in_background), the
    index, the largest thing the generator makes, leaves nothing behind in the one that renders
    pages. With a `store`, the index is patched from the last build's where an edit allows
    (search/incremental.py): the files that stand as they are come back `Kept`."""
    if store is None:
        written = {page.path: page.text for page in index_pages(portal)}
        kept: dict[str, int] = {}
    else:
        table = abbreviation_table(portal.abbreviations)
        update = index_update(portal, table, facet_files(portal), store)
        written = {f"{urls.SEARCH_FOLDER}/{path}": text for path, text in update.written.items()}
        kept = {f"{urls.SEARCH_FOLDER}/{path}": size for path, size in update.kept.items()}
    spooled: list[SpooledFile | Kept] = [Kept(path, size) for path, size in kept.items()]
    for path in sorted(written):
        data = written.pop(path).encode("utf-8")
        fd, name = tempfile.mkstemp(dir=spool)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        spooled.append(SpooledFile(path, Path(name), len(data)))
    return spooled


def index_pages(portal: Portal) -> Iterator[Page]:
    """The search index as pages under docs/chi-muc/ for the writer; built when the first is
    taken, so that a writer taking the rendered pages first never holds both."""
    files = build_index(each_search_doc(portal), portal.abbreviations, facet_files(portal))
    for path in sorted(files):
        yield Page(f"{urls.SEARCH_FOLDER}/{path}", files.pop(path))
