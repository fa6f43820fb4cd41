"""Stage 5, write: put rendered pages on disk, all or nothing.

Pages go only into the folders the generator owns (urls.GENERATED_FOLDERS), each marked by a
`.generated` file; a folder in the way that lacks the marker is hand-written and is never
touched. Only the files whose bytes change are written, and the files no page claims any more
are removed: an unchanged page keeps its modification time, which is what lets the site
engine's incremental build (`mkdocs build --dirty`, `mkdocs serve`) skip it. Pages arrive one
by one as they are rendered (at national scale they are gigabytes, never all in memory): every
changed file is first written whole into a temporary folder and only moved into place by
rename once the last page has come, so a failure while rendering or writing (bad data, a full
disk) leaves the last good output.

The files no page claims (a page no longer made, a file put into a generated folder by hand)
are found without listing the generated folders, which at national scale hold half a million
files: the writer leaves an inventory of the folders (`Inventory`, in the project's cache) with
each one's time and how many files it holds, and the next build lists only the folders whose
time has changed since, or which hold fewer pages in place than counted; all of them when the
inventory is missing or cannot be read.
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePosixPath

from generator import progress, store
from generator.pages import File, Kept, Output, SpooledFile

MARKER = ".generated"
MARKER_TEXT = (
    "Thư mục này do generator sinh ra (python -m generator build); mọi thay đổi sẽ bị ghi đè.\n"
    "This folder is written by the generator; edit data/ and templates/ instead.\n"
)


class WriteError(Exception):
    """The output cannot be written without touching something that is not ours."""


def owned_folder(page: Output, folders: Iterable[str]) -> str:
    # Not PurePosixPath, nor split: run for every file of the site (half a million), whose
    # paths hold ".." only when they are wrong.
    path = page.path
    top = path.partition("/")[0]
    if top not in folders or (".." in path and ".." in path.split("/")):
        raise WriteError(f"trang {page.path} nằm ngoài các thư mục do generator quản lý")
    return top


def check_ownership(docs: Path, folders: Iterable[str]) -> None:
    for folder in folders:
        target = docs / folder
        if target.exists() and not (target / MARKER).exists():
            raise WriteError(
                f"{target} đã có và không phải thư mục sinh tự động (thiếu tệp {MARKER}); "
                "generator không ghi đè tệp viết tay. Hãy đổi tên hoặc chuyển thư mục đó đi."
            )


def _markers(folders: tuple[str, ...]) -> Iterator[File]:
    text = MARKER_TEXT.encode("utf-8")
    return (File(f"{folder}/{MARKER}", text) for folder in folders)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


# Bytes of a spooled file compared at a time with the one in its place.
_BLOCK = 1 << 20


def _unchanged_spooled(path: Path, source: Path) -> bool:
    """Whether the file at `path` holds what `source` does, read a block at a time: a spooled
    file is too large to read whole."""
    try:
        if path.stat().st_size != source.stat().st_size:
            return False
        with path.open("rb") as placed, source.open("rb") as made:
            while block := made.read(_BLOCK):
                if placed.read(_BLOCK) != block:
                    return False
            return True
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _stage_spooled(source: Path, target: Path) -> None:
    """`source` into the staging folder without copying it when it is on the same file
    system (a second name for the same bytes: a file may be served at several paths)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# Changed whenever the inventory's layout changes: an inventory of another layout is not read.
_INVENTORY_VERSION = 1
# A folder's time that says nothing: it changed while this build was looking at docs/ or
# writing there, so the next build lists the folder again.
_UNSETTLED = -1
# The longest the writer waits for the file system's clock to tick past its last change (a
# few milliseconds on Linux; a folder changed within a coarser grain is listed next build).
_TICK = 0.05


@dataclass(frozen=True)
class Inventory:
    """The folders under the owned ones as a build's writer left them: each folder
    (docs/-relative, a folder before those in it), its modification time in nanoseconds
    (as the writer found it, or for one it changed, as it found it again once done;
    _UNSETTLED when it may have changed after that without its time showing it), and how
    many files it held then. A name added to a folder, removed or renamed there changes the
    folder's time, and nothing but a deliberate `touch` sets it back: a folder found at its
    recorded time holds the files it held then. Columns, not a tuple a folder: at national
    scale 100,000 folders."""

    folders: tuple[str, ...]
    mtimes: array[int]
    counts: array[int]


def load_inventory(path: Path) -> Inventory | None:
    """The inventory the last build left in `path`; None when there is none, or it cannot be
    read (another version's, or damaged)."""
    try:
        with path.open("rb") as stream:
            version, inventory = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if version != _INVENTORY_VERSION or not isinstance(inventory, Inventory):
        return None
    whole = len(inventory.folders) == len(inventory.mtimes) == len(inventory.counts)
    return inventory if whole else None


def _clock(folder: Path) -> int:
    """The time the file system gives a change made now (that of a file made in `folder`,
    which is on the same file system as docs/): a folder whose time is not older than this
    may change again after it is looked at and keep its time, the clock's grain apart."""
    probe = folder / "clock"
    probe.touch()
    return probe.stat().st_mtime_ns


def _clock_after(folder: Path) -> int:
    """As `_clock`, but later than the time of any change made before: the clock is waited
    for to tick (at most _TICK), so that the folders just changed are older than it."""
    probe = folder / "clock"
    probe.touch()
    before = probe.stat().st_mtime_ns
    waited = time.monotonic() + _TICK
    while True:
        os.utime(probe)
        now = probe.stat().st_mtime_ns
        if now > before or time.monotonic() > waited:
            return now
        time.sleep(_TICK / 50)


def _status(docs: str, folder: str) -> os.stat_result | None:
    """The status of `folder` under `docs` (an owned folder's through a symbolic link, as a
    walk of docs/ takes it; any folder in one, its own), None unless it is a folder."""
    try:
        status = os.lstat(docs + folder) if "/" in folder else os.stat(docs + folder)
    except OSError:
        return None
    return status if stat.S_ISDIR(status.st_mode) else None


class _Scan:
    """What the owned folders hold now: the files no output claims (`stale`, unordered), and
    each folder found, a folder before those in it (`folders`), with its time when it was
    looked at (`mtimes`; _UNSETTLED when not older than `clock`)."""

    def __init__(self, docs: Path, owned: tuple[str, ...], clock: int):
        self._docs = f"{docs}{os.sep}"  # joined to a path per folder: no Path a folder
        self._owned = owned
        self._clock = clock
        self.stale: list[str] = []
        self.folders: list[str] = []
        self.mtimes = array("q")
        self.found: set[str] = set()

    def stat(self, folder: str) -> os.stat_result | None:
        """`folder`'s status, None unless it is an owned folder or a folder in one found in
        this scan (never one through a symbolic link: a link is left as it is)."""
        parent = folder.rpartition("/")[0]
        if parent not in self.found if parent else folder not in self._owned:
            return None
        return _status(self._docs, folder)

    def trusted(self, folder: str, mtime: int) -> None:
        """`folder`, found at the time the inventory gives, holding the files it counts,
        each of them claimed."""
        self._found(folder, mtime)

    def listed(
        self, folder: str, mtime: int, known: Collection[str], staged: Collection[str]
    ) -> None:
        """`folder` (found at `mtime`) and what it holds, listed: files no output claims
        (not `staged`) are stale; folders in it not in `known` (the inventory's: they come in
        its order) are listed in turn."""
        pending = [(folder, mtime)]
        while pending:
            folder, mtime = pending.pop()
            self._found(folder, mtime)
            try:
                entries = os.scandir(self._docs + folder)
            except OSError:  # gone meanwhile: its time differs next build
                continue
            with entries:
                for entry in entries:
                    rel = f"{folder}/{entry.name}"
                    if not entry.is_dir():
                        if rel not in staged:
                            self.stale.append(rel)
                    elif not entry.is_symlink() and rel not in known:
                        pending.append((rel, entry.stat(follow_symlinks=False).st_mtime_ns))

    def _found(self, folder: str, mtime: int) -> None:
        self.found.add(folder)
        self.folders.append(folder)
        self.mtimes.append(mtime if mtime < self._clock else _UNSETTLED)


def _in_place(staged: Mapping[str, int | None]) -> Counter[str]:
    """How many of the outputs in each folder are in place already (not written again)."""
    return Counter(rel.rpartition("/")[0] for rel, number in staged.items() if number is None)


def _scan(
    docs: Path,
    folders: tuple[str, ...],
    last: Inventory | None,
    staged: Mapping[str, int | None],
    in_place: Counter[str],
    clock: int,
) -> _Scan:
    """The owned folders as they are now. A folder in the last build's inventory found at
    the time it gives, whose count is that of the outputs in place in it (every one of which
    is a file in it: a kept one checked by the renderer, any other compared), holds those
    and no other file: it is not listed. Any other folder is, and so is each folder it holds
    that the inventory does not name (all of them without an inventory)."""
    scan = _Scan(docs, folders, clock)
    known: Collection[str] = () if last is None else set(last.folders)
    for folder in folders:
        status = scan.stat(folder) if folder not in known else None
        if status is not None:
            scan.listed(folder, status.st_mtime_ns, known, staged)
    if last is None:
        return scan
    for folder, mtime, count in zip(last.folders, last.mtimes, last.counts, strict=True):
        status = scan.stat(folder)
        if status is None:
            continue
        now = status.st_mtime_ns
        if now == mtime != _UNSETTLED and in_place[folder] == count:
            scan.trusted(folder, now)
        else:
            scan.listed(folder, now, known, staged)
    return scan


def _touched(changed: Iterable[str], found: Collection[str], removed: set[str]) -> set[str]:
    """The folders changing these files changed (holding one, or a folder made or removed
    for one: any folder not `found` before is made), but those `removed`."""
    touched = {rel.rpartition("/")[0] for rel in changed}
    for folder in list(touched):
        while folder not in found and "/" in folder:
            folder = folder.rpartition("/")[0]
            touched.add(folder)
    touched.update(folder.rpartition("/")[0] for folder in removed)
    return touched - removed


def _relisted(docs: str, folder: str, known: Callable[[str], bool], clock: int) -> tuple[int, int]:
    """A folder the writer changed, looked at again once it is done: its time (_UNSETTLED
    when not older than `clock`, or when it holds a folder not `known` to the inventory, which
    the next build must list), and how many files it holds."""
    status = _status(docs, folder)
    if status is None or status.st_mtime_ns >= clock:
        return _UNSETTLED, 0
    files = 0
    try:
        with os.scandir(docs + folder) as entries:
            for entry in entries:
                if not entry.is_dir():
                    files += 1
                elif not entry.is_symlink() and not known(f"{folder}/{entry.name}"):
                    return _UNSETTLED, 0
    except OSError:
        return _UNSETTLED, 0
    return status.st_mtime_ns, files


def _inventory(
    docs: Path,
    scan: _Scan,
    in_place: Counter[str],
    touched: set[str],
    removed: set[str],
    clock: int,
) -> Inventory:
    """The folders as this build leaves them: those it found, but for the ones it emptied
    and removed, and those it made. A folder it changed (`touched`) is looked at again,
    after `clock`;
    any other holds the outputs in place in it (one that someone else changed meanwhile has
    a later time than it was found at: the next build lists it)."""
    base = f"{docs}{os.sep}"

    def known(folder: str) -> bool:
        return folder in touched or (folder in scan.found and folder not in removed)

    names: list[str] = []
    mtimes = array("q")
    counts = array("q")
    for folder, mtime in zip(scan.folders, scan.mtimes, strict=True):
        if folder in removed:
            continue
        if folder in touched:
            mtime, count = _relisted(base, folder, known, clock)
        else:
            count = in_place[folder]
        names.append(folder)
        mtimes.append(mtime)
        counts.append(count)
    for folder in sorted(touched - scan.found, key=lambda f: (f.count("/"), f)):
        mtime, count = _relisted(base, folder, known, clock)
        names.append(folder)
        mtimes.append(mtime)
        counts.append(count)
    return Inventory(tuple(names), mtimes, counts)


def _stage(
    pages: Iterable[Output], docs: Path, folders: tuple[str, ...], staging: Path
) -> dict[str, int | None]:
    """Compare each page with the file in its place as the page comes, and copy each one that
    differs into `staging` (named by its number), so that no page is kept in memory: path
    under docs/ → its number in `staging`, None when the file in place already holds it (a
    `Kept` one is taken at its word, unread)."""
    staged: dict[str, int | None] = {}
    for page in pages:
        owned_folder(page, folders)
        if page.path in staged:
            raise WriteError(f"hai trang cùng ghi vào {page.path}")
        number = len(staged)
        if isinstance(page, Kept):
            staged[page.path] = None  # in place already: the renderer checked it is there
            continue
        if isinstance(page, SpooledFile):
            if _unchanged_spooled(docs / page.path, page.source):
                staged[page.path] = None
            else:
                _stage_spooled(page.source, staging / str(number))
                staged[page.path] = number
            continue
        data = page.data if isinstance(page, File) else page.text.encode("utf-8")
        if _unchanged(docs / page.path, data):
            staged[page.path] = None
        else:
            (staging / str(number)).write_bytes(data)
            staged[page.path] = number
    return staged


def _ignore(touched: Collection[str]) -> None:
    pass


def write_pages(
    pages: Iterable[Output],
    docs: Path,
    folders: tuple[str, ...],
    before_changing: Callable[[Collection[str]], None] = _ignore,
    inventory: Path | None = None,
) -> None:
    """Make every owned folder under `docs` hold exactly `pages` (and files: calendars,
    downloads, written as their bytes; spooled files, linked from where they were written),
    writing only what changed. `pages` may be made as
    they are written (a generator): nothing under `docs` changes until the last one has come,
    and an exception raised while making them leaves `docs` as it was. `before_changing` is
    given the paths about to be written or removed before the first one is (the site engine's
    incremental build reads only those: noted first, an interrupted write is still seen).
    The files no page claims are found from the `inventory` the last build left in that file
    (and this one leaves there): only the folders that changed since, or hold fewer pages
    now, are listed; all of them without one."""
    check_ownership(docs, folders)
    staging = Path(tempfile.mkdtemp(prefix=".generator-", dir=docs))
    try:
        staged = _stage(chain(_markers(folders), pages), docs, folders, staging)
        clock = _clock(staging)
        last = None if inventory is None else load_inventory(inventory)
        in_place = _in_place(staged)
        scan = _scan(docs, folders, last, staged, in_place, clock)
        del last
        stale = sorted(scan.stale)
        # Paths, not pairs: after a clean build half a million, at the build's peak of memory.
        written = [rel for rel, number in staged.items() if number is not None]
        before_changing([*stale, *written])
        for rel in stale:
            (docs / rel).unlink()
        removed = _remove_emptied_folders(docs, stale)
        with progress.stage("Ghi trang và tệp đã đổi", len(written)) as advance:
            for rel in written:
                target = docs / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / str(staged[rel]), target)
                advance(1)
        if inventory is not None:
            # Let go first: after a clean build the staged map holds half a million paths, at
            # the build's peak of memory.
            del staged
            touched = _touched(chain(stale, written), scan.found, removed)
            del written
            left = _inventory(docs, scan, in_place, touched, removed, _clock_after(staging))
            store.pickle_whole(inventory, (_INVENTORY_VERSION, left))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_emptied_folders(docs: Path, removed: Sequence[str]) -> set[str]:
    """Remove the folders that removing these files left empty, deepest first (an owned
    folder keeps its marker, so it is never among them); those removed."""
    folders = {p for rel in removed for p in PurePosixPath(rel).parents if len(p.parts) > 1}
    emptied = set()
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        path = docs / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            emptied.add(folder.as_posix())
    return emptied
