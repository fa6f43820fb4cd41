"""What a printed page carries so that it can be found again: a QR code of its permanent address
that scans, and a running header that reads as its citation."""

from __future__ import annotations

import re

import pytest
import segno

from generator.permalink import QR_MASK, css_string, qr_svg

URL = "https://cong-ke-hoach.github.io/cong-ke-hoach/ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-5-1"


def drawn_modules(svg: str) -> tuple[set[tuple[int, int]], int]:
    """The dark modules an SVG QR code draws (column, row), and its size in pixels: read from
    its one stroked path of horizontal runs ("M2 2.5h7m1 0h2…"), each one module high."""
    path = re.search(r'<path[^>]*stroke="[^"]+"[^>]*\sd="([^"]+)"', svg)
    assert path, svg[:200]
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path[1]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(a))}
            x += float(a)
    width = re.search(r'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"', svg)
    assert width and width[1] == width[2], "a square code with its size written out"
    return dark, int(width[1])


def test_the_qr_code_holds_the_address_with_medium_error_correction() -> None:
    """Level M survives a fold or a stain on paper; a micro code would not hold a URL."""
    dark, _ = drawn_modules(qr_svg(URL))
    # The portal fixes the mask (segno would try all 8): any mask is a valid code.
    expected = segno.make_qr(URL, error="m", boost_error=True, mask=QR_MASK)
    matrix = expected.matrix
    border = 2
    wanted = {
        (column + border, row + border)
        for row, line in enumerate(matrix)
        for column, value in enumerate(line)
        if value
    }
    assert dark == wanted


def test_the_qr_code_prints_black_on_white_at_3_pixels_a_module_with_a_quiet_zone() -> None:
    svg = qr_svg(URL)
    dark, size = drawn_modules(svg)
    modules = segno.make_qr(URL, error="m").symbol_size(border=0)[0]
    assert size == (modules + 2 * 2) * 3  # two modules of white around, 3 px a module
    colours = svg.lower()  # CSS colours ignore case
    assert 'stroke="#000"' in colours and 'fill="#fff"' in colours
    assert min(x for x, _ in dark) == 2 and min(y for _, y in dark) == 2


def css_value(literal: str) -> str:
    """What a CSS string literal says (CSS Syntax: `\\hex ` escapes)."""
    assert literal[0] == literal[-1] == '"', literal
    inner = literal[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "\n" not in inner
    return re.sub(r"\\([0-9a-f]{1,6}) ?", lambda m: chr(int(m[1], 16)), inner)


@pytest.mark.parametrize(
    "header",
    [
        "Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An",
        'Kế hoạch "số" 1\\2 (a; b, c: d-e.)',
        "</style><script>alert(1)</script>",
        "dòng một\ndòng hai",
    ],
)
def test_the_printed_header_reads_as_written_and_cannot_end_its_string(header: str) -> None:
    literal = css_string(header)
    assert css_value(literal) == header


def test_the_printed_header_keeps_letters_and_punctuation_of_a_citation_as_they_are() -> None:
    citation = "Kế hoạch số 686/KH-UBND ngày 21/8/2025 (Nghệ An), mục 4.1: a; b"
    assert css_string(citation) == f'"{citation}"'
