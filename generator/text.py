"""Formatting shared by pages: dates, document labels and the plain structured text of the data.

Data text is never Markdown or HTML: it is escaped, then only paragraphs and "- " bullet lists
become structure. So `<script>`, `[a](javascript:…)` or `{{ x }}` in the data show as text.
"""

from __future__ import annotations

import datetime as dt
import html

from markupsafe import Markup

UNKNOWN = "Chưa rõ"


def date_dmy(value: dt.date | None) -> str:
    """21/08/2025, as the portal shows dates; "Chưa rõ" when the source does not give one."""
    return value.strftime("%d/%m/%Y") if value else UNKNOWN


def date_letter(value: dt.date) -> str:
    """21/8/2025, as Vietnamese official letters cite dates."""
    return f"{value.day}/{value.month}/{value.year}"


def rich_text(text: str | None) -> Markup:
    """Paragraphs (blank-line separated) and "- " bullet lines as HTML; everything else escaped."""
    if not text:
        return Markup("")
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        items: list[str] = []
        paragraph: list[str] = []

        def flush_paragraph() -> None:
            if paragraph:
                out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
                paragraph.clear()

        def flush_items() -> None:
            if items:
                out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
                items.clear()

        for line in lines:
            if line.startswith("- "):
                flush_paragraph()
                items.append(line[2:].strip())
            else:
                flush_items()
                paragraph.append(line)
        flush_paragraph()
        flush_items()
    return Markup("".join(out))


def plain(text: str | None) -> str:
    """The text on one line, for titles, descriptions and search snippets."""
    lines = (line.strip().removeprefix("- ") for line in (text or "").splitlines())
    return " ".join(" ".join(lines).split())


def shorten(text: str | None, limit: int = 160) -> str:
    flat = plain(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
