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


def test_each_address_keeps_its_own_code_in_a_folder_made_on_first_use(tmp_path: Path) -> None:
    """The cache folder and the folders above it are made when the first code is drawn; a
    later build reading the folder gets each address's own code back, never another's."""
    folder = tmp_path / "build" / "cache" / "qr"
    addresses = ["https://example.org/ke-hoach/a/", "https://example.org/co-quan/b/"]
    drawn = [permalink.cached_qr(folder)(a) for a in addresses]
    assert drawn == [permalink.qr_svg(a) for a in addresses] and drawn[0] != drawn[1]
    later = permalink.cached_qr(folder)
    assert [later(a) for a in addresses] == drawn
    assert len(list(folder.iterdir())) == 2
