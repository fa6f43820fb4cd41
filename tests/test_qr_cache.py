"""The QR codes a build draws are kept between builds (`.generator-qr/`): each is written whole
or not at all, so that a build stopped halfway leaves no truncated code for the next to print."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import permalink


def test_a_code_is_written_beside_its_place_then_renamed_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename is whole only within one folder's file system: the code is written to a
    temporary file in the cache folder itself, then renamed."""
    renamed: list[tuple[Path, Path]] = []
    replace = os.replace

    def watched(src: str, dst: str) -> None:
        renamed.append((Path(src).parent, Path(dst).parent))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    folder = tmp_path / "qr"
    draw = permalink.cached_qr(folder)
    svg = draw("https://example.org/a/")
    assert renamed == [(folder, folder)]
    assert [p.read_text(encoding="utf-8") for p in folder.iterdir()] == [svg]
    assert draw("https://example.org/a/") == svg and len(renamed) == 1  # read, not drawn again
