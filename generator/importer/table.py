"""Find the task table among the rows of a file: its header, its columns, and its logical rows
(repeated headers and page numbers dropped, rows split across pages joined)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.importer.rows import Column, Note, SourceCell, SourceRow, TableRow
from generator.text import strip_marks

# How each column's title reads once folded (lower case, no marks), whatever the document's
# case or line breaks: "ĐƠN VỊ\nCHỦ TRÌ", "Đơn vị chủ trì", "Cơ quan chủ trì".
_TITLES: tuple[tuple[Column, re.Pattern[str]], ...] = (
    (Column.NUMBER, re.compile(r"^(stt|tt|so tt|so thu tu)$")),
    (Column.TEXT, re.compile(r"noi dung|nhiem vu")),
    (Column.LEAD, re.compile(r"chu tri")),
    (Column.SUPPORT, re.compile(r"phoi hop")),
    (Column.OUTPUT, re.compile(r"san pham|ket qua")),
    (Column.TIMELINE, re.compile(r"thoi gian|thoi han|tien do")),
)

Columns = dict[Column, int]


def _fold(text: str) -> str:
    return " ".join(strip_marks(text).replace(".", " ").split())


def header_columns(row: SourceRow) -> Columns:
    """Which column of `row` holds each of the table's titles (empty when it is no header)."""
    found: Columns = {}
    for index, text in enumerate(row.texts()):
        folded = _fold(text)
        for column, pattern in _TITLES:
            if column not in found and folded and pattern.search(folded):
                found[column] = index
                break
    return found if Column.NUMBER in found and Column.TEXT in found and len(found) >= 3 else {}


def _is_column_numbers(row: SourceRow) -> bool:
    """A row numbering the columns under the header: (1) (2) (3) …"""
    filled = [t for t in row.texts() if t]
    return len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in filled)


def _is_page_number(row: SourceRow) -> bool:
    """A row holding only a page number ("2", "- 2 -", "Trang 2", "2/5") and nothing else."""
    filled = [t for t in row.texts() if t]
    return len(filled) == 1 and bool(
        re.fullmatch(r"(trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?(/\d{1,3})?", _fold(filled[0]))
    )


def join_fragments(first: str, second: str) -> str:
    """A cell's text with its part from the next page: a word broken at a hyphen ("39-" +
    "NQ/TW") is rejoined as written, other parts with a space."""
    if not first or not second:
        return first or second
    if re.search(r"\w-$", first):
        return first + second
    return first + " " + second


def _starts_lowercase(text: str) -> bool:
    first = text.lstrip("-–•+ ")[:1]
    return first.isalpha() and first.islower()


@dataclass(frozen=True)
class _Draft:
    cells: dict[Column, SourceCell]
    where: str

    def text(self, column: Column) -> str:
        cell = self.cells.get(column)
        return cell.text if cell else ""

    def joined(self, other: _Draft) -> _Draft:
        cells = dict(self.cells)
        for column, cell in other.cells.items():
            mine = cells.get(column, SourceCell(""))
            cells[column] = SourceCell(
                join_fragments(mine.text, cell.text), mine.bold, mine.bold_lead, mine.spans
            )
        return _Draft(cells, self.where)

    def row(self) -> TableRow:
        number = self.cells.get(Column.NUMBER, SourceCell(""))
        text = self.cells.get(Column.TEXT, SourceCell(""))
        values = {c: self.text(c) for c in Column}
        # A title merged across the whole row sits in the number column: "I. TĂNG CƯỜNG …".
        if number.spans and not values[Column.TEXT]:
            match = re.match(r"^([IVXLC]+|\d+)[.)]?\s+(.+)$", number.text, re.DOTALL)
            values[Column.NUMBER], values[Column.TEXT] = (
                (match.group(1), match.group(2)) if match else ("", number.text)
            )
            text = number
        return TableRow(
            number=values[Column.NUMBER].rstrip(".)"),
            text=values[Column.TEXT],
            lead=values[Column.LEAD],
            support=values[Column.SUPPORT],
            output=values[Column.OUTPUT],
            timeline=values[Column.TIMELINE],
            bold=text.bold or number.bold,
            bold_lead=text.bold_lead,
            spans=text.spans or number.spans,
            where=self.where,
        )


def _draft(row: SourceRow, columns: Columns) -> _Draft:
    cells = {c: row.cells[i] for c, i in columns.items() if i < len(row.cells)}
    return _Draft(cells, row.where)


def _find_header(rows: Sequence[SourceRow]) -> tuple[int, Columns]:
    for index, row in enumerate(rows):
        columns = header_columns(row)
        if columns:
            # A two-row header ("Đơn vị thực hiện" over "Chủ trì" | "Phối hợp"): the second
            # row names the columns the first one left out.
            if index + 1 < len(rows) and not header_columns(rows[index + 1]):
                below = rows[index + 1].texts()
                for column, pattern in _TITLES:
                    for i, text in enumerate(below):
                        if column not in columns and text and pattern.search(_fold(text)):
                            columns[column] = i
            return index, columns
    return -1, {}


def _is_header_rest(row: SourceRow) -> bool:
    """The second row of a two-row header: titles only, no row number."""
    texts = [t for t in row.texts() if t]
    return bool(texts) and all(
        any(p.search(_fold(t)) for _, p in _TITLES[2:]) or _fold(t) == "" for t in texts
    )


def table_rows(rows: Sequence[SourceRow]) -> tuple[list[TableRow], list[Note]]:
    """The task table's logical rows, and a note for every source row not taken as it was."""
    start, columns = _find_header(rows)
    if start < 0:
        return [], [
            Note(
                "tệp",
                "không tìm thấy dòng tiêu đề của bảng nhiệm vụ (cần có ít nhất các cột “STT”, "
                "“Nội dung nhiệm vụ” và một cột đơn vị, sản phẩm hay thời gian)",
            )
        ]
    notes: list[Note] = []
    drafts: list[_Draft] = []
    after_break = False
    for row in rows[start + 1 :]:
        if row.is_empty():
            continue
        if header_columns(row) or _is_column_numbers(row) or (not drafts and _is_header_rest(row)):
            if drafts:
                notes.append(Note(row.where, "bỏ dòng tiêu đề lặp lại (sang trang)"))
            after_break = True
            continue
        if _is_page_number(row):
            notes.append(Note(row.where, f"bỏ số trang “{next(t for t in row.texts() if t)}”"))
            after_break = True
            continue
        draft = _draft(row, columns)
        unnumbered = not draft.text(Column.NUMBER)
        first = next((draft.text(c) for c in Column if draft.text(c)), "")
        # The rest of the row above, carried to the next page: after a repeated header or a
        # page number, or text that goes on mid-sentence, or only agency names with no task,
        # output or timeline of their own (the end of an agency cell).
        agencies_only = not any(
            draft.text(c) for c in (Column.TEXT, Column.OUTPUT, Column.TIMELINE)
        )
        lowercase = _starts_lowercase(draft.text(Column.TEXT))
        if drafts and unnumbered and (after_break or lowercase or agencies_only):
            why = (
                "sau chỗ ngắt trang"
                if after_break
                else "ô nội dung bắt đầu bằng chữ thường"
                if lowercase
                else "hàng chỉ có tên đơn vị, không có nhiệm vụ"
            )
            notes.append(
                Note(row.where, f"nối vào hàng trên ({drafts[-1].where}): {why}; «{first[:40]}»")
            )
            drafts[-1] = drafts[-1].joined(draft)
        else:
            drafts.append(draft)
        after_break = False
    return [d.row() for d in drafts], notes
