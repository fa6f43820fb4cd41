"""The permanent absolute URL of a page and its QR code for the printed page. Pure functions."""

from __future__ import annotations

import segno


def absolute(site_url: str, url: str) -> str:
    """The permanent address of a site-relative URL."""
    return site_url.rstrip("/") + "/" + url


def qr_svg(url: str) -> str:
    """The URL as a QR code, SVG markup drawn at build time (no network, no script)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=False))


def css_string(text: str) -> str:
    """`text` as a CSS string literal safe inside a <style> element (for @page headers)."""
    escaped = "".join(c if c.isalnum() or c in " ./-,:;()" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'
