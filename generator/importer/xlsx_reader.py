"""Read a worksheet of an Excel file (.xlsx) into rows, with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.worksheet.worksheet import Worksheet

from generator.importer.rows import SourceCell, SourceRow, join_paragraphs


def _bold_lead(value: object, bold: bool) -> str:
    """The bold words a cell opens with: the whole text of a bold cell, or the leading bold
    runs of a cell written in rich text ("**Chế độ báo cáo:** Định kỳ …")."""
    if not isinstance(value, CellRichText):
        return _text(value) if bold else ""
    lead = ""
    for block in value:
        run_bold = bool(isinstance(block, TextBlock) and block.font.b) or (
            not isinstance(block, TextBlock) and bold
        )
        if not run_bold:
            break
        lead += str(block.text if isinstance(block, TextBlock) else block)
    return " ".join(lead.split())


def _text(value: object) -> str:
    if value is None:
        return ""
    # A number typed into an STT cell comes back as 1 or 1.1 (float): keep it as written.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return join_paragraphs(str(value).splitlines())


def _sheet_rows(sheet: Worksheet, name: str) -> list[SourceRow]:
    spans: dict[tuple[int, int], bool] = {}  # top-left cell of a merge → spans columns
    copies: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell → its top-left cell
    for merged in sheet.merged_cells.ranges:
        top = (merged.min_row, merged.min_col)
        spans[top] = merged.max_col > merged.min_col
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                # Merged down (one lead cell for several rows): the value stands for each row;
                # merged across (a group title over the whole row): kept once, in its first column.
                if (row, col) != top and col == merged.min_col:
                    copies[(row, col)] = top
    rows = []
    for r in range(1, sheet.max_row + 1):
        cells = []
        for c in range(1, sheet.max_column + 1):
            source = copies.get((r, c), (r, c))
            cell = sheet.cell(*source)
            text = _text(cell.value)
            bold = bool(cell.font is not None and cell.font.b) and bool(text)
            lead = _bold_lead(cell.value, bold)
            cells.append(
                SourceCell(
                    text,
                    bold=bold or lead == text != "",
                    bold_lead=lead,
                    spans=spans.get(source, False),
                )
            )
        rows.append(SourceRow(tuple(cells), f"trang tính “{name}”, hàng {r}"))
    return rows


def read_xlsx(path: Path) -> list[SourceRow]:
    """The rows of every worksheet, in order (a table found in any of them is imported)."""
    book = openpyxl.load_workbook(path, data_only=True, rich_text=True)
    return [row for sheet in book.worksheets for row in _sheet_rows(sheet, sheet.title)]
