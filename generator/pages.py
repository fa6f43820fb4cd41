"""The values that travel between stages after `render`: a page is a path under docs/ and its
text. `write`, `manifest` and `search` take pages without importing the stage that makes them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Page:
    path: str  # under docs/, e.g. "ke-hoach/x/index.md"
    text: str


@dataclass(frozen=True)
class File:
    """A file served as it is (a calendar, a data download): a path under docs/ and its bytes."""

    path: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class SpooledFile:
    """A file served as it is that is too large to hold in memory (the national downloads):
    a path under docs/ and the temporary file its bytes were written to, which the writer
    links (or copies) into place."""

    path: str
    source: Path
    size: int


@dataclass(frozen=True)
class Kept:
    """A file the last build made under docs/ that stands as it is (nothing it was made from
    has changed): the writer leaves it in place without reading it. Its size (as the last
    build recorded it, and as it still is) is what a page listing downloads shows."""

    path: str
    size: int


# Everything a stage hands the writer.
Output = Page | File | SpooledFile | Kept
