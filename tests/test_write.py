"""The writer finds the files no page claims any more from the inventory the last build left
(`.cache/docs.pickle`), listing only the folders changed since, instead of every file of the
generated folders (half a million at national scale): what it leaves in docs/ is what listing
them all would leave. A page dropped, a file put into a generated folder by hand, a folder
changed while the writer looked at it, a folder made a link: each is found, and nothing
outside the generated folders is touched."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import store
from generator.pages import File, Page
from generator.write import WriteError, write_pages

FOLDERS = ("ke-hoach", "du-lieu")
PAGES = (
    Page("ke-hoach/a/index.md", "A"),
    Page("ke-hoach/a/nhom-1/index.md", "A, nhóm 1"),
    Page("ke-hoach/a/nhom-2/index.md", "A, nhóm 2"),
    Page("ke-hoach/b/index.md", "B"),
    Page("ke-hoach/c/nhom-1/index.md", "C, nhóm 1"),  # ke-hoach/c holds a folder, no file
    File("du-lieu/ke-hoach/a.csv", b"a"),
    File("du-lieu/nhiem-vu.csv", b"1"),
)
# A time long past, given to every folder: as if the last build had been a while ago.
_PAST = 1_000_000_000


def _files(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def _settled(tmp_path: Path) -> tuple[Path, Path]:
    """(docs/, the inventory) after a build of PAGES whose folders then stood a while (their
    times older than the next build's), and another that found them so: the inventory this
    one left vouches for every folder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("viết tay", encoding="utf-8")
    inventory = tmp_path / "cache" / "docs.pickle"
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    for folder in [docs, *(p for p in docs.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(_PAST, _PAST))
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    return docs, inventory


def _clean(tmp_path: Path, pages: Collection[Page | File]) -> dict[str, bytes]:
    """docs/ as a first build of `pages` leaves it (beside the hand-written home page)."""
    docs = tmp_path / "clean"
    docs.mkdir()
    (docs / "index.md").write_text("viết tay", encoding="utf-8")
    write_pages(pages, docs, FOLDERS)
    return _files(docs)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders under docs/ the writer lists (docs/-relative), as it lists them (it names
    each by a string; the tests' own listings name theirs by a Path)."""
    folders: list[str] = []
    scandir = os.scandir
    docs = f"{os.sep}docs{os.sep}"

    def listing(path: Any) -> Any:
        if isinstance(path, str) and docs in path:
            folders.append(path.split(docs, 1)[1])
        return scandir(path)

    monkeypatch.setattr(os, "scandir", listing)
    yield folders


def test_nothing_changed_lists_no_folder(tmp_path: Path, listed: list[str]) -> None:
    docs, inventory = _settled(tmp_path)
    before = _files(docs)
    listed.clear()
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    assert listed == []
    assert _files(docs) == before == _clean(tmp_path, PAGES)


def test_a_first_build_leaves_an_inventory_the_next_one_takes_at_its_word(
    tmp_path: Path, listed: list[str]
) -> None:
    """The writer looks again at the folders it made or changed once it is done (and the
    file system's clock has passed its last change): the next build lists none of them."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("viết tay", encoding="utf-8")
    inventory = tmp_path / "cache" / "docs.pickle"
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    listed.clear()
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    assert listed == []
    assert _files(docs) == _clean(tmp_path, PAGES)


@pytest.mark.parametrize("put", ["ghi-chu.md", "moi/ghi-chu.md"])
def test_a_file_put_by_hand_as_the_writer_finished_is_removed_by_the_next_build(
    put: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Put into a folder the writer has just written to, before it looks at the folder
    again: counted there (a file), or not in the inventory (a folder), it makes the next
    build list the folder."""
    docs, inventory = _settled(tmp_path)
    replace = os.replace
    target = docs / "ke-hoach" / "b" / put

    def replacing(source: Any, destination: Any) -> None:
        replace(source, destination)
        target.parent.mkdir(exist_ok=True)
        target.write_text("viết tay", encoding="utf-8")

    pages = [
        Page("ke-hoach/b/index.md", "B changed") if p.path == "ke-hoach/b/index.md" else p
        for p in PAGES
    ]
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replacing)
        write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert target.exists()  # put after the writer looked
    write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, pages)


def test_a_file_put_by_hand_as_the_writer_looked_again_is_removed_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the writer changed whose time, when it looks at it again, is not older than
    the clock it took once done: the inventory does not vouch for it. (Here its time is set
    ahead of the clock, and set back after a file is put there, as a change within the same
    tick leaves it.)"""
    docs, inventory = _settled(tmp_path)
    folder = docs / "ke-hoach" / "b"
    ahead = time.time_ns() + 10**15  # about 11 days ahead
    replace, keep = os.replace, store.pickle_whole

    def replacing(source: Any, destination: Any) -> None:
        replace(source, destination)
        os.utime(folder, ns=(ahead, ahead))

    def keeping(path: Path, value: object) -> None:
        keep(path, value)
        (folder / "ghi-chu.md").write_text("viết tay", encoding="utf-8")
        os.utime(folder, ns=(ahead, ahead))

    pages = [Page(p.path, "B changed") if p.path == "ke-hoach/b/index.md" else p for p in PAGES]
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replacing)
        patched.setattr(store, "pickle_whole", keeping)
        write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert (folder / "ghi-chu.md").exists()
    write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, pages)


def test_a_page_no_longer_made_is_removed_listing_only_its_folder(
    tmp_path: Path, listed: list[str]
) -> None:
    """The folder's time has not changed (nothing in it did since the last build): it is
    listed because it holds fewer pages than the inventory counts. Emptied, it is removed,
    and the folder that held it is looked at again for the next build's inventory."""
    docs, inventory = _settled(tmp_path)
    listed.clear()
    pages = [p for p in PAGES if p.path != "ke-hoach/a/nhom-2/index.md"]
    write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert listed == ["ke-hoach/a/nhom-2", "ke-hoach/a"]
    assert _files(docs) == _clean(tmp_path, pages)
    assert not (docs / "ke-hoach" / "a" / "nhom-2").exists()


def test_a_page_made_under_a_new_name_in_the_same_folder_leaves_no_old_one(
    tmp_path: Path,
) -> None:
    """As many pages in the folder as before, one of them new: the folder is listed (only
    the pages already in place are counted against the inventory), and the old one goes."""
    docs, inventory = _settled(tmp_path)
    renamed = Page("ke-hoach/a/nhom-3/index.md", "A, nhóm 2")
    pages = [renamed if p.path == "ke-hoach/a/nhom-2/index.md" else p for p in PAGES]
    moved = [
        File("du-lieu/cong-viec.csv", b"1") if p.path.endswith("/nhiem-vu.csv") else p
        for p in pages
    ]
    write_pages(moved, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, moved)


@pytest.mark.parametrize(
    "put", ["ke-hoach/a/nhom-1/ghi-chu.md", "ke-hoach/a/moi/sau/ghi-chu.md", "du-lieu/x.csv"]
)
def test_a_file_put_into_a_generated_folder_by_hand_is_removed(
    put: str, tmp_path: Path, listed: list[str]
) -> None:
    """As every build removes it: the folder it was put into (or made in) changed its time
    since the inventory was left, and is listed; no other folder is."""
    docs, inventory = _settled(tmp_path)
    (docs / put).parent.mkdir(parents=True, exist_ok=True)
    (docs / put).write_text("viết tay", encoding="utf-8")
    listed.clear()
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, PAGES)
    assert not (docs / "ke-hoach" / "a" / "moi").exists()
    assert listed and {f"{folder}/" for folder in listed} <= {
        put[: at + 1] for at, character in enumerate(put) if character == "/"
    }


def test_a_file_put_by_hand_while_the_writer_looked_is_removed_by_the_next_build(
    tmp_path: Path,
) -> None:
    """A folder whose time is not older than the build's own clock may change again within
    the clock's grain and keep its time: the inventory does not vouch for it, and the next
    build lists it. (Here its time is set ahead of the clock, and set back after the file is
    put there, as a change within the same tick leaves it.)"""
    docs, inventory = _settled(tmp_path)
    folder = docs / "ke-hoach" / "b"
    ahead = time.time_ns() + 10**15  # about 11 days ahead
    os.utime(folder, ns=(ahead, ahead))

    def put_by_hand(touched: Collection[str]) -> None:
        (folder / "ghi-chu.md").write_text("viết tay", encoding="utf-8")
        os.utime(folder, ns=(ahead, ahead))

    write_pages(PAGES, docs, FOLDERS, put_by_hand, inventory)
    assert (folder / "ghi-chu.md").exists()  # put after the writer looked
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, PAGES)


def test_a_generated_folder_made_a_link_is_left_with_what_it_points_to(tmp_path: Path) -> None:
    """A folder of the inventory replaced by a symbolic link to a folder elsewhere (holding
    files of the same names, and a folder of the same name as one the inventory has in it):
    the writer, which walks no link, touches neither the link nor anything it points to."""
    docs, inventory = _settled(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    for rel in ("index.md", "nhom-1/index.md", "nhom-1/ghi-chu.md", "ghi-chu.md"):
        (elsewhere / rel).parent.mkdir(parents=True, exist_ok=True)
        (elsewhere / rel).write_text("viết tay", encoding="utf-8")
    kept = _files(elsewhere)
    for rel in ("index.md", "nhom-1/index.md", "nhom-2/index.md"):
        (docs / "ke-hoach" / "a" / rel).unlink()
    for rel in ("nhom-1", "nhom-2", ""):
        (docs / "ke-hoach" / "a" / rel).rmdir()
    (docs / "ke-hoach" / "a").symlink_to(elsewhere, target_is_directory=True)
    pages = [p for p in PAGES if not p.path.startswith("ke-hoach/a/")]
    write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert _files(elsewhere) == kept
    assert (docs / "ke-hoach" / "a").is_symlink()


def _cut_short(inventory: Path) -> None:
    inventory.write_bytes(inventory.read_bytes()[: inventory.stat().st_size // 2])


def _older_layout(inventory: Path) -> None:
    """What an inventory of another layout unpickles to: one list of the files left."""
    inventory.write_bytes(pickle.dumps((0, ["ke-hoach/a/index.md", "ke-hoach/b/index.md"])))


@pytest.mark.parametrize("damage", [_cut_short, _older_layout, Path.unlink])
def test_an_inventory_it_cannot_read_lists_every_folder(
    damage: Callable[[Path], object], tmp_path: Path, listed: list[str]
) -> None:
    docs, inventory = _settled(tmp_path)
    (docs / "ke-hoach" / "a" / "nhom-1" / "ghi-chu.md").write_text("viết tay", encoding="utf-8")
    damage(inventory)
    listed.clear()
    pages = [p for p in PAGES if p.path != "du-lieu/nhiem-vu.csv"]
    write_pages(pages, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, pages)
    assert set(listed) == {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_dir()}
    listed.clear()
    write_pages(pages, docs, FOLDERS, inventory=inventory)  # the inventory is made afresh
    assert listed == []


def test_a_build_that_fails_leaves_docs_and_its_inventory_as_they_were(tmp_path: Path) -> None:
    docs, inventory = _settled(tmp_path)
    before, left = _files(docs), inventory.read_bytes()

    def rendering() -> Iterator[Page | File]:
        yield Page("ke-hoach/a/index.md", "A changed")
        yield Page("ke-hoach/moi/index.md", "new")
        raise RuntimeError("a template failed on the third page")

    with pytest.raises(RuntimeError):
        write_pages(rendering(), docs, FOLDERS, inventory=inventory)
    assert _files(docs) == before
    assert inventory.read_bytes() == left
    (docs / "ke-hoach" / "b" / "ghi-chu.md").write_text("viết tay", encoding="utf-8")
    write_pages(PAGES, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, PAGES)


@pytest.mark.parametrize("path", ["ke-hoach/../index.md", "../index.md", "khac/index.md"])
def test_a_page_outside_the_generated_folders_is_refused(path: str, tmp_path: Path) -> None:
    """Nothing is written, and the hand-written page it names is left as it was; a name that
    merely holds two dots is a page like any other."""
    docs, inventory = _settled(tmp_path)
    before = _files(docs)
    with pytest.raises(WriteError, match="ngoài các thư mục do generator quản lý"):
        write_pages([*PAGES, Page(path, "ghi đè")], docs, FOLDERS, inventory=inventory)
    assert _files(docs) == before
    dotted = [*PAGES, Page("ke-hoach/a..b/index.md", "hai dấu chấm")]
    write_pages(dotted, docs, FOLDERS, inventory=inventory)
    assert _files(docs) == _clean(tmp_path, dotted)


def test_a_build_stopped_with_sigterm_leaves_docs_as_it_was(tmp_path: Path) -> None:
    """A build killed while it renders (a cancelled CI job) leaves no staging folder in docs/
    and writes nothing there: docs/ is as it was before."""
    from tests.conftest import ROOT, copy_project

    # The shipped plans: their rendering keeps the writer's staging folder there for seconds.
    project = copy_project(tmp_path / "project", ROOT / "data")
    before = _files(project / "docs")
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "--project", str(project)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list((project / "docs").glob(".generator-*")) and time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before its writer started"
        time.sleep(0.005)
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=120) != 0
    assert list((project / "docs").glob(".generator-*")) == []
    assert _files(project / "docs") == before
