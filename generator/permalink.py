"""What lets a printed page be found again: the QR code of its permanent address and the
running header of every printed A4 sheet. Pure functions."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """The URL as a QR code, SVG markup drawn at build time (no network, no script)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=False))


def css_string(text: str) -> str:
    """`text` as a CSS string literal safe inside a <style> element (for @page headers)."""
    escaped = "".join(c if c.isalnum() or c in " ./-,:;()" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'
