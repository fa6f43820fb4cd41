"""Formatting shared by pages: dates, document labels and the plain structured text of the data.

Data text is never Markdown or HTML: it is escaped, then only paragraphs and "- " bullet lists
become structure. So `<script>`, `[a](javascript:…)` or `{{ x }}` in the data show as text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from itertools import groupby
from typing import Protocol

from markupsafe import Markup

UNKNOWN = "Chưa rõ"


def date_dmy(value: dt.date | None) -> str:
    """21/08/2025, as the portal shows dates; "Chưa rõ" when the source does not give one."""
    return value.strftime("%d/%m/%Y") if value else UNKNOWN


def date_letter(value: dt.date) -> str:
    """21/8/2025, as Vietnamese official letters cite dates."""
    return f"{value.day}/{value.month}/{value.year}"


def _block_html(lines: list[str]) -> str:
    """One block: runs of "- " lines become a list, other runs a paragraph."""
    out = []
    for is_item, run in groupby(lines, key=lambda line: line.startswith("- ")):
        if is_item:
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in run)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{html.escape(' '.join(run))}</p>")
    return "".join(out)


class Printable(Protocol):
    """Anything that is HTML already (markupsafe's protocol): Markup, contexts.Absent."""

    def __html__(self) -> str: ...


def rich_text(text: str | Printable | None) -> Markup:
    """Paragraphs (blank-line separated) and "- " bullet lines as HTML; everything else escaped.
    A value that is HTML already (an absence's remark) is printed as it is."""
    if not isinstance(text, str) and text is not None:
        return Markup(text.__html__())
    blocks = (text or "").replace("\r\n", "\n").split("\n\n")
    lines = ([line.strip() for line in block.split("\n") if line.strip()] for block in blocks)
    return Markup("".join(_block_html(block) for block in lines if block))


def plain(text: str | None) -> str:
    """The text on one line, for titles, descriptions and search snippets."""
    lines = (line.strip().removeprefix("- ") for line in (text or "").splitlines())
    return " ".join(" ".join(lines).split())


def shorten(text: str | None, limit: int = 160) -> str:
    flat = plain(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


class _MarksDropped(dict[int, int | None]):
    """A str.translate table that drops combining marks (categories M*) and keeps every other
    character, learning each character's category the first time it meets it: the
    translation runs in C, where a test of each character in Python took a fifth of search."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        self[code] = kept
        return kept


_KEEP_BUT_MARKS = _MarksDropped()


def strip_marks(text: str) -> str:
    """`Sở Tài Chính` → `so tai chinh`: lower case, tones and marks stripped, đ→d; other
    characters kept. The one fold: search and timeline reading build on it."""
    stripped = unicodedata.normalize("NFD", text.lower()).translate(_KEEP_BUT_MARKS)
    # ð (U+00F0, from Ð, which some documents type for Đ) is read as đ.
    return stripped.replace("đ", "d").replace("ð", "d")


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def folded_words(text: str) -> list[str]:
    """`Sở Tài Chính (NHCSXH)` → [`so`, `tai`, `chinh`, `nhcsxh`]: strip_marks, then every
    character but a–z and 0–9 a word break. The words search reads; the abbreviations file is
    checked against them."""
    return [word for word in _NOT_WORD.split(strip_marks(text)) if word]


def file_size(size: int) -> str:
    """1.234.567 bytes → “1,2 MB”, 1.500 → “2 KB”: as Vietnamese writes decimals."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
