"""The largest downloads are written to disk as they are made and linked into place by the
writer: what a reader gets is what would have been made in memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_exports import BUILT, SITE, portal_of
from test_incremental_output import downloads

from generator import parallel, urls
from generator.deadlines import all_deadlines
from generator.domain import Portal
from generator.opendata import download_files
from generator.pages import File, SpooledFile
from generator.write import write_pages

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def portal() -> Portal:
    return portal_of(DATA)


def test_sets_written_to_disk_are_the_files_made_in_memory(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a spool, the sets' files are written to disk as they are made, never held whole
    nor sent between processes (the national set is hundreds of megabytes, all of them
    gigabytes): a reader gets the same bytes, made afresh by a worker or read back from the
    cache, and the writer puts them in place, leaving them alone when they have not
    changed."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    fresh = downloads(portal)
    cache = tmp_path / "cache"
    deadlines = all_deadlines(portal, BUILT)
    for attempt in ("made", "read back"):
        spool = tmp_path / attempt
        spool.mkdir()
        spooled = list(download_files(portal, deadlines, SITE, BUILT, cache, spool))
        assert all(isinstance(f, SpooledFile) for f in spooled), attempt
        assert [(f.path, f.source.read_bytes()) for f in spooled] == fresh, attempt
        assert all(f.size == f.source.stat().st_size for f in spooled)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pages(spooled, docs, urls.GENERATED_FOLDERS)
    placed = {p: (docs / p).read_bytes() for p, _ in fresh}
    assert placed == dict(fresh)
    old = 1_000_000_000
    for path, _ in fresh:
        os.utime(docs / path, (old, old))
    write_pages([File(p, data) for p, data in fresh], docs, urls.GENERATED_FOLDERS)
    assert all((docs / p).stat().st_mtime == old for p, _ in fresh)  # unchanged: not rewritten
