"""What lets a printed page be found again: the QR code of its permanent address and the
running header of every printed A4 sheet. Pure functions, and a folder that keeps each QR code
drawn so that a rebuild does not draw it again."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import segno

# segno tries all 8 masks and keeps the one its penalty rule scores best: 3-4 times the cost of
# drawing with one. Mask 2 is the one it picks most often for the portal's URLs; any mask gives
# a valid code of the same size (the printed QR test decodes one).
QR_MASK = 2
# Everything that shapes the SVG: a change of any of them must miss the cache.
_QR_RECIPE = f"segno {segno.__version__}; error m; mask {QR_MASK}; scale 3; border 2; v1"


def qr_svg(url: str) -> str:
    """The URL as a QR code, SVG markup drawn at build time (no network, no script)."""
    code = segno.make_qr(url, error="m", mask=QR_MASK)  # never a Micro QR: few phones read one
    return str(code.svg_inline(scale=3, border=2, dark="#000", light="#fff"))


def cached_qr(folder: Path) -> Callable[[str], str]:
    """qr_svg, reading each code from `folder` once it has been drawn there (keyed by the URL
    and the drawing recipe). A file is written whole or not at all: a build stopped halfway
    leaves no truncated code behind."""

    def draw(url: str) -> str:
        key = hashlib.sha256(f"{_QR_RECIPE}\n{url}".encode()).hexdigest()
        path = folder / f"{key}.svg"
        try:
            return path.read_bytes().decode()
        except FileNotFoundError:
            pass
        svg = qr_svg(url)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(svg.encode())
        os.replace(tmp, path)
        return svg

    return draw


def css_string(text: str) -> str:
    """`text` as a CSS string literal safe inside a <style> element (for @page headers)."""
    escaped = "".join(c if c.isalnum() or c in " ./-,:;()" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'
