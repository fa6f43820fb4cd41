"""Build Word and Excel tables for import tests, from one description of rows and merges.

A row is a list of cells; a cell is a string (paragraphs separated by "\n"), or a `Cell` with
bold runs. `merges` are ((row, col), (row, col)) corners, as Word and Excel merge them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font


@dataclass(frozen=True)
class Cell:
    """Runs of text, each bold or not; a run's "\n" starts a new paragraph."""

    runs: tuple[tuple[str, bool], ...]

    @staticmethod
    def bold(text: str) -> Cell:
        return Cell(((text, True),))


CellSpec = str | Cell


@dataclass(frozen=True)
class TableSpec:
    rows: list[list[CellSpec]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _runs(cell: CellSpec) -> tuple[tuple[str, bool], ...]:
    return cell.runs if isinstance(cell, Cell) else ((cell, False),)


def write_docx(spec: TableSpec, path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    width = max(len(r) for r in spec.rows)
    table = document.add_table(rows=len(spec.rows), cols=width)
    for r, row in enumerate(spec.rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            for text, bold in _runs(value):
                for k, line in enumerate(text.split("\n")):
                    if k:
                        paragraph = cell.add_paragraph()
                    if line:
                        paragraph.add_run(line).bold = bold
    for (r1, c1), (r2, c2) in spec.merges:
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        # Merging appends the (empty) paragraphs of the covered cells; Word shows none of them.
        for paragraph in merged.paragraphs[1:]:
            if not paragraph.text:
                paragraph._p.getparent().remove(paragraph._p)
    document.save(str(path))
    return path


def write_xlsx(spec: TableSpec, path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(spec.rows, start=1):
        for c, value in enumerate(row, start=1):
            runs = _runs(value)
            target = sheet.cell(r, c)
            if len(runs) > 1:
                target.value = CellRichText(
                    *[TextBlock(InlineFont(b=bold), text) for text, bold in runs]
                )
            else:
                target.value = runs[0][0] or None
                target.font = Font(bold=runs[0][1])
    for (r1, c1), (r2, c2) in spec.merges:
        sheet.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(path)
    return path


WRITERS = {"docx": write_docx, "xlsx": write_xlsx}
