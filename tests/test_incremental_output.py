"""What makes a rebuild after an edit cheap, pinned by what a reader of the output can see:
the downloads come out the same whether made afresh, read back from the cache or made on
several cores; an edit remakes only the sets it touches; writing leaves unchanged files alone
(their modification time is what the site engine's incremental build goes by) and removes
what no page claims any more."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_exports import BUILT, SITE, portal_of

from generator import parallel, urls
from generator.deadlines import all_deadlines
from generator.derive import derive
from generator.domain import Portal
from generator.opendata import download_files
from generator.pages import File, Page
from generator.render import Dates, render
from generator.write import MARKER, WriteError, write_pages

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def portal() -> Portal:
    return portal_of(DATA)


def downloads(
    portal: Portal, cache: Path | None = None, built: dt.date = BUILT
) -> list[tuple[str, bytes]]:
    return [
        (f.path, f.data)
        for f in download_files(portal, all_deadlines(portal, built), SITE, built, cache)
    ]


def test_downloads_are_the_same_from_the_cache_and_on_one_or_two_cores(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    fresh = downloads(portal)
    first = downloads(portal, tmp_path)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept and all(n.endswith((".xlsx", ".ics", ".part", ".book")) for n in kept)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    assert first == fresh
    assert downloads(portal, tmp_path) == fresh  # read back, in the same order
    assert downloads(portal) == fresh  # made by two processes
    assert sorted(p.name for p in tmp_path.iterdir()) == kept  # nothing made twice


def test_pages_are_the_same_in_the_same_order_on_one_or_two_cores(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plans' and agencies' pages are drawn by several processes; what comes out, and in which
    order, is what one process makes."""

    def pages() -> list[tuple[str, str]]:
        dates = Dates(BUILT, all_deadlines(portal, BUILT), defaultdict(int), ())
        made = render(portal, derive(portal), ROOT / "templates", SITE, dates, qr=str)
        return [(page.path, page.text) for page in made]

    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    alone = pages()
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    assert pages() == alone
    assert len(alone) > len(portal.plans) + len(portal.agencies)


def test_another_build_date_misses_the_cache(portal: Portal, tmp_path: Path) -> None:
    downloads(portal, tmp_path)
    later = downloads(portal, tmp_path, BUILT + dt.timedelta(days=1))
    assert later == downloads(portal, None, BUILT + dt.timedelta(days=1))
    assert dict(later)[urls.ALL_FEED_URL] != dict(downloads(portal, tmp_path))[urls.ALL_FEED_URL]


def _age(folder: Path) -> None:
    """Date every file of `folder` an hour back, as if an earlier build had left it."""
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (hour_ago, hour_ago))


def test_the_cache_keeps_only_what_the_last_build_used(portal: Portal, tmp_path: Path) -> None:
    downloads(portal, tmp_path)
    first = sorted(p.name for p in tmp_path.iterdir())
    _age(tmp_path)
    downloads(portal, tmp_path)  # the same build again reads every file back: all kept
    assert sorted(p.name for p in tmp_path.iterdir()) == first
    _age(tmp_path)
    downloads(portal, tmp_path, BUILT + dt.timedelta(days=1))  # every key changes
    after = sorted(p.name for p in tmp_path.iterdir())
    assert len(after) == len(first) and not set(after) & set(first)


def test_ordered_map_keeps_the_order_of_its_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    assert list(parallel.ordered_map(str, list(range(500)))) == [str(i) for i in range(500)]


FOLDERS = ("ke-hoach", "du-lieu")


def test_write_changes_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("viết tay", encoding="utf-8")
    write_pages(
        [
            Page("ke-hoach/a/index.md", "A"),
            Page("ke-hoach/b/index.md", "B"),
            File("du-lieu/x.csv", b"1"),
        ],
        docs,
        FOLDERS,
    )
    old = 1_000_000_000
    for path in docs.rglob("*"):
        os.utime(path, (old, old))
    write_pages(
        [
            Page("ke-hoach/a/index.md", "A"),
            Page("ke-hoach/c/index.md", "C"),
            File("du-lieu/x.csv", b"2"),
        ],
        docs,
        FOLDERS,
    )
    files = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert files == {
        "index.md": "viết tay".encode(),
        "ke-hoach/.generated": files["ke-hoach/.generated"],
        "du-lieu/.generated": files["du-lieu/.generated"],
        "ke-hoach/a/index.md": b"A",
        "ke-hoach/c/index.md": b"C",
        "du-lieu/x.csv": b"2",
    }
    assert not (docs / "ke-hoach" / "b").exists()  # the stale page's folder is gone too
    unchanged = ["index.md", "ke-hoach/a/index.md", f"ke-hoach/{MARKER}"]
    assert all((docs / p).stat().st_mtime == old for p in unchanged)
    assert (docs / "du-lieu/x.csv").stat().st_mtime != old
    assert [p.name for p in docs.iterdir() if p.name.startswith(".")] == []  # no staging left


def _files_of(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def test_a_failure_while_pages_are_still_coming_leaves_docs_as_it_was(tmp_path: Path) -> None:
    """Pages reach the writer as they are rendered; one that fails to render (or a manifest
    check that fails after the last) comes when others are already staged."""
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pages([Page("ke-hoach/a/index.md", "A"), File("du-lieu/x.csv", b"1")], docs, FOLDERS)
    before = _files_of(docs)

    def rendering() -> Iterator[Page | File]:
        yield Page("ke-hoach/a/index.md", "A changed")
        yield Page("ke-hoach/new/index.md", "new")
        raise RuntimeError("a template failed on the third page")

    with pytest.raises(RuntimeError):
        write_pages(rendering(), docs, FOLDERS)
    assert _files_of(docs) == before  # nothing changed, added or removed
    assert [p.name for p in docs.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_two_pages_claiming_one_path_are_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = [Page("ke-hoach/a/index.md", "A"), Page("ke-hoach/a/index.md", "B")]
    with pytest.raises(WriteError, match="ke-hoach/a/index.md"):
        write_pages(pages, docs, FOLDERS)
    assert list(docs.iterdir()) == []
