"""Stage 5, write: put rendered pages on disk, all or nothing.

Pages go only into the folders the generator owns (urls.GENERATED_FOLDERS), each marked by a
`.generated` file. A run writes everything into a fresh temporary folder first and only then
swaps each owned folder in by rename, so a failure part-way leaves the last good output; a
folder in the way that lacks the marker is hand-written and is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

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


def write_pages(pages: Sequence[Page | File], docs: Path, folders: tuple[str, ...]) -> None:
    """Replace every owned folder under `docs` with exactly `pages` (and files: calendars,
    downloads, written as their bytes)."""
    check_ownership(docs, folders)
    by_folder = {
        folder: [p for p in pages if owned_folder(p, folders) == folder] for folder in folders
    }
    staging = Path(tempfile.mkdtemp(prefix=".generator-", dir=docs))
    try:
        for folder, folder_pages in by_folder.items():
            root = staging / "new" / folder
            root.mkdir(parents=True)
            (root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            for page in folder_pages:
                path = root.joinpath(*PurePosixPath(page.path).parts[1:])
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(page, File):
                    path.write_bytes(page.data)
                else:
                    path.write_text(page.text, encoding="utf-8")
        (staging / "old").mkdir()
        for folder in folders:
            if (docs / folder).exists():
                (docs / folder).rename(staging / "old" / folder)
            (staging / "new" / folder).rename(docs / folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
