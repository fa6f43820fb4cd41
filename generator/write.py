"""Stage 5, write: put rendered pages on disk, all or nothing.

Pages go only into the folders the generator owns (urls.GENERATED_FOLDERS), each marked by a
`.generated` file; a folder in the way that lacks the marker is hand-written and is never
touched. Only the files whose bytes change are written, and the files no page claims any more
are removed: an unchanged page keeps its modification time, which is what lets the site
engine's incremental build (`mkdocs build --dirty`, `mkdocs serve`) skip it. Every changed file
is first written whole into a temporary folder and only then moved into place by rename, so a
failure while writing (a full disk) leaves the last good output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from generator import progress
from generator.pages import File, Page

MARKER = ".generated"
MARKER_TEXT = (
    "Thư mục này do generator sinh ra (python -m generator build); mọi thay đổi sẽ bị ghi đè.\n"
    "This folder is written by the generator; edit data/ and templates/ instead.\n"
)


class WriteError(Exception):
    """The output cannot be written without touching something that is not ours."""


def owned_folder(page: Page | File, folders: Iterable[str]) -> str:
    top = PurePosixPath(page.path).parts[0]
    if top not in folders or ".." in PurePosixPath(page.path).parts:
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


def _wanted(pages: Sequence[Page | File], folders: tuple[str, ...]) -> dict[str, bytes]:
    """Path under docs/ → bytes, for every page and file, and each owned folder's marker."""
    wanted = {f"{folder}/{MARKER}": MARKER_TEXT.encode("utf-8") for folder in folders}
    for page in pages:
        owned_folder(page, folders)
        wanted[page.path] = page.data if isinstance(page, File) else page.text.encode("utf-8")
    return wanted


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _present(docs: Path, folders: tuple[str, ...]) -> set[str]:
    """Paths under docs/ of every file now in the owned folders (os.walk: pathlib's rglob
    took a third of writing)."""
    found: set[str] = set()
    for folder in folders:
        for parent, _, names in os.walk(docs / folder):
            rel = Path(parent).relative_to(docs).as_posix()
            found.update(f"{rel}/{name}" for name in names)
    return found


def write_pages(pages: Sequence[Page | File], docs: Path, folders: tuple[str, ...]) -> None:
    """Make every owned folder under `docs` hold exactly `pages` (and files: calendars,
    downloads, written as their bytes), writing only what changed."""
    check_ownership(docs, folders)
    wanted = _wanted(pages, folders)
    present = _present(docs, folders)
    changed = []
    with progress.stage("Ghi trang và tệp (so với lần trước)", len(wanted)) as advance:
        for rel, data in wanted.items():
            if not _unchanged(docs / rel, data):
                changed.append(rel)
            advance(1)
    staging = Path(tempfile.mkdtemp(prefix=".generator-", dir=docs))
    try:
        for number, rel in enumerate(changed):
            (staging / str(number)).write_bytes(wanted[rel])
        stale = sorted(present - wanted.keys())
        for rel in stale:
            (docs / rel).unlink()
        _remove_emptied_folders(docs, stale)
        for number, rel in enumerate(changed):
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / str(number), target)
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
