"""The values the import steps hand each other."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class SourceCell:
    """One table cell as the file holds it: its text (paragraphs joined, see `join_paragraphs`),
    whether all of it is bold, and the bold words it opens with (a run title such as
    "Chế độ báo cáo:")."""

    text: str
    bold: bool = False
    bold_lead: str = ""
    # The cell spans several columns (a merged cell): its text was kept once, in its first column.
    spans: bool = False


@dataclass(frozen=True)
class SourceRow:
    """One row of a table, cells in column order, and where it is in the file for the report
    ("bảng 1, hàng 14", "dòng 40")."""

    cells: tuple[SourceCell, ...]
    where: str

    def texts(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.cells)

    def is_empty(self) -> bool:
        return not any(c.text for c in self.cells)


class Column(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    LEAD = "lead"
    SUPPORT = "support"
    OUTPUT = "output"
    TIMELINE = "timeline"


@dataclass(frozen=True)
class TableRow:
    """A logical row of the task table: a source row with the rows continuing it on the next
    page joined in, cells by column."""

    number: str
    text: str
    lead: str
    support: str
    output: str
    timeline: str
    bold: bool
    bold_lead: str
    spans: bool
    where: str

    def cell(self, column: Column) -> str:
        return str(getattr(self, column.value))

    def has_details(self) -> bool:
        """Whether any cell besides number and text holds something."""
        return any((self.lead, self.support, self.output, self.timeline))


@dataclass(frozen=True)
class Note:
    """One line of the import report: a row (or the file) and what happened to it."""

    where: str
    message: str


def join_paragraphs(paragraphs: list[str]) -> str:
    """A cell's paragraphs as the data's plain structured text: each paragraph on one line with
    its spaces collapsed; a paragraph starting with "- " continues a list on the next line,
    any other paragraph starts a new block (blank line)."""
    out = ""
    for paragraph in (" ".join(p.split()) for p in paragraphs):
        if not paragraph:
            continue
        if out:
            out += "\n" if paragraph.startswith("- ") else "\n\n"
        out += paragraph
    return out
