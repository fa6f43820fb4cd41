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
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path, PurePosixPath

from generator import progress
from generator.pages import File, Kept, Output, SpooledFile

MARKER = ".generated"
MARKER_TEXT = (
    "Thư mục này do generator sinh ra (python -m generator build); mọi thay đổi sẽ bị ghi đè.\n"
    "This folder is written by the generator; edit data/ and templates/ instead.\n"
)


class WriteError(Exception):
    """The output cannot be written without touching something that is not ours."""


def owned_folder(page: Output, folders: Iterable[str]) -> str:
    parts = page.path.split("/")  # not PurePosixPath: run for every file of the site
    top = parts[0]
    if top not in folders or ".." in parts:
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


def _present(docs: Path, folders: tuple[str, ...]) -> Iterator[str]:
    """Paths under docs/ of every file now in the owned folders, one by one (os.walk:
    pathlib's rglob took a third of writing; never held as a set: at national scale half a
    million paths, at the build's peak of memory)."""
    for folder in folders:
        for parent, _, names in os.walk(docs / folder):
            rel = Path(parent).relative_to(docs).as_posix()
            yield from (f"{rel}/{name}" for name in names)


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
) -> None:
    """Make every owned folder under `docs` hold exactly `pages` (and files: calendars,
    downloads, written as their bytes; spooled files, linked from where they were written),
    writing only what changed. `pages` may be made as
    they are written (a generator): nothing under `docs` changes until the last one has come,
    and an exception raised while making them leaves `docs` as it was. `before_changing` is
    given the paths about to be written or removed before the first one is (the site engine's
    incremental build reads only those: noted first, an interrupted write is still seen)."""
    check_ownership(docs, folders)
    staging = Path(tempfile.mkdtemp(prefix=".generator-", dir=docs))
    try:
        staged = _stage(chain(_markers(folders), pages), docs, folders, staging)
        stale = sorted(rel for rel in _present(docs, folders) if rel not in staged)
        before_changing([*stale, *(rel for rel, number in staged.items() if number is not None)])
        for rel in stale:
            (docs / rel).unlink()
        _remove_emptied_folders(docs, stale)
        changed = sum(number is not None for number in staged.values())
        with progress.stage("Ghi trang và tệp đã đổi", changed) as advance:
            for rel, number in staged.items():
                if number is None:
                    continue
                target = docs / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / str(number), target)
                advance(1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_emptied_folders(docs: Path, removed: Sequence[str]) -> None:
    """The folders that removing these files left empty, deepest first (an owned folder keeps
    its marker, so it is never among them)."""
    folders = {p for rel in removed for p in PurePosixPath(rel).parents if len(p.parts) > 1}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        path = docs / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
