"""The values that travel between stages after `render`: a page is a path under docs/ and its
text. `write`, `manifest` and `search` take pages without importing the stage that makes them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str  # under docs/, e.g. "ke-hoach/x/index.md"
    text: str


@dataclass(frozen=True)
class File:
    """A file served as it is (a calendar, a data download): a path under docs/ and its bytes."""

    path: str
    data: bytes
