"""Read a table from text: CSV files, and text pasted from Word or Excel (cells separated by
tabs) or from a PDF extraction (cells separated by "|", or one cell a line)."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

from generator.importer.rows import SourceCell, SourceRow, join_paragraphs

# Row numbers as tables write them: I, IV, 1, 1.1, 2.3.a, a, a), -, +.
NUMBER_LINE = re.compile(
    r"^(?:[IVXLC]+|\d+(?:\.\d+)*\.?|[a-zđ]\)?|(?:\d+\.)+[a-zđ]|[-+•])$", re.IGNORECASE
)


def _html_cell(raw: str) -> SourceCell:
    """A cell that carries HTML from the tool that extracted it (`<b>…</b>`, `<ul><li>…</li>`):
    list items become paragraphs, bold becomes the cell's bold lead; every other tag goes."""
    lead_match = re.match(r"\s*<b>(.*?)</b>", raw, re.DOTALL)
    lead = html.unescape(re.sub(r"<[^>]+>", "", lead_match.group(1))) if lead_match else ""
    items = re.findall(r"<li>(.*?)</li>", raw, re.DOTALL)
    parts = items or [raw]
    paragraphs = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts]
    text = join_paragraphs(paragraphs)
    lead = " ".join(lead.split())
    return SourceCell(text, bold=bool(lead) and lead == text, bold_lead=lead)


def _cell(raw: str) -> SourceCell:
    if "<" in raw and re.search(r"</?(?:b|ul|li|p|br)\b", raw):
        return _html_cell(raw)
    return SourceCell(join_paragraphs(raw.split("\n")))


def _tab_rows(text: str) -> list[SourceRow]:
    """Tab-separated rows as Excel copies them: a cell holding line breaks is quoted."""
    return _records(csv.reader(io.StringIO(text), delimiter="\t"))


def _bar_rows(lines: list[str], separator: str) -> list[SourceRow]:
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split(separator)
        if separator == "|":
            # "| a | b |": the bars at both ends enclose the row, they do not open a cell.
            parts = parts[1:] if not parts[0].strip() else parts
            parts = parts[:-1] if parts and not parts[-1].strip() else parts
            if all(re.fullmatch(r"\s*:?-{3,}:?\s*", p) for p in parts):
                continue  # a Markdown rule under the header
        rows.append(SourceRow(tuple(_cell(p.strip()) for p in parts), f"dòng {number}"))
    return rows


def read_csv(text: str) -> list[SourceRow]:
    """The rows of a CSV file (comma, semicolon or tab separated, cells quoted as Excel does)."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    return _records(csv.reader(io.StringIO(text), dialect))


def _records(reader: Any) -> list[SourceRow]:
    """The non-empty records of a csv reader, each named by the line it ends on."""
    rows = []
    for record in reader:
        if any(field.strip() for field in record):
            rows.append(
                SourceRow(tuple(_cell(f.strip()) for f in record), f"dòng {reader.line_num}")
            )
    return rows


def _one_cell_a_line(lines: list[str], width: int) -> list[SourceRow]:
    """Lines after the header, one cell a line: a row starts at a line that is a row number;
    its lines are its cells in column order. A row with fewer lines than columns keeps them in
    the first columns; `table` reports such rows, since which cell was empty cannot be known."""
    rows: list[SourceRow] = []
    current: list[str] = []
    start = 0

    def close() -> None:
        if current:
            cells = [SourceCell(join_paragraphs([c])) for c in current]
            rows.append(SourceRow(tuple(cells), f"dòng {start}"))

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if NUMBER_LINE.match(stripped) or len(current) == width:
            close()
            current, start = [], number
        if stripped or current:
            current.append(stripped)
    close()
    return rows


def read_text(text: str, header_width: int = 6) -> list[SourceRow]:
    """The rows of a table in `text`, in the shape the text has: tab-separated when most
    non-empty lines hold a tab, "|"-separated when they hold bars, else one cell a line."""
    lines = text.replace("\r\n", "\n").split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    if sum("\t" in line for line in filled) * 2 >= len(filled):
        return _tab_rows("\n".join(lines))
    if sum("|" in line for line in filled) * 2 >= len(filled):
        return _bar_rows(lines, "|")
    return _one_cell_a_line(lines, header_width)
