"""Read the tables of a Word file (.docx) into rows, with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from generator.importer.rows import SourceCell, SourceRow, join_paragraphs


def _bold(paragraph: Paragraph) -> list[tuple[str, bool]]:
    """The paragraph's runs as (text, bold); a run without its own setting takes its style's."""
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return [
        (run.text, run.bold if run.bold is not None else style_bold)
        for run in paragraph.runs
        if run.text
    ]


def _cell(cell: _Cell, spans: bool) -> SourceCell:
    paragraphs = list(cell.paragraphs)
    runs = [run for p in paragraphs for run in _bold(p)]
    lead = ""
    for text, bold in runs:
        if not bold:
            break
        lead += text
    text = join_paragraphs([p.text for p in paragraphs])
    all_bold = bool(runs) and all(bold for t, bold in runs if t.strip())
    return SourceCell(text, bold=all_bold, bold_lead=" ".join(lead.split()), spans=spans)


def _rows(table: Table, number: int) -> list[SourceRow]:
    width = len(table.columns)
    above: list[SourceCell] = [SourceCell("")] * width
    rows = []
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[SourceCell] = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                # A cell merged with the one above: the value written once stands for each row
                # it covers (one lead cell for sub-items a–c).
                start = len(cells)
                cells.extend(above[start : start + span] or [SourceCell("")] * span)
                continue
            cells.append(_cell(_Cell(tc, table), spans=span > 1))
            cells.extend(SourceCell("") for _ in range(span - 1))
        cells = (cells + [SourceCell("")] * width)[:width]
        above = cells
        rows.append(SourceRow(tuple(cells), f"bảng {number}, hàng {r}"))
    return rows


def read_docx(path: Path) -> list[SourceRow]:
    """Every row of every table in the document, in order."""
    document = docx.Document(str(path))
    return [row for n, table in enumerate(document.tables, start=1) for row in _rows(table, n)]
