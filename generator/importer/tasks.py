"""Turn the task table's rows into groups and tasks, with ids by the data's rules.

Row kinds, by the number column:
- a Roman numeral (I, IV) is a group; Arabic numbers under it are its tasks ("per-group");
- an Arabic number is a group when the table numbers tasks under it "1.1" ("nested"), or when
  the row has nothing but its title; otherwise it is a task;
- "1.1" is a task; "a", "b" are sub-items of the numbered row above them, which then only
  heads them; "-" is a bullet task; a blank number is an unnumbered task;
- a row with no number, in bold or merged across the row, with no agency, output or timeline
  is an unnumbered group.
Ids: see `task_id` and data/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from generator.ids import BULLET, unnumbered_group_id, unnumbered_task_id
from generator.importer.agencies import Split
from generator.importer.rows import Note, TableRow

Splitter = Callable[[str], Split]
Numbering = Literal["nested", "per-group"]

_ROMAN = re.compile(r"^[IVXLC]+$")
_INTEGER = re.compile(r"^\d+$")
_DOTTED = re.compile(r"^\d+(\.\d+)+$")
_LETTER = re.compile(r"^[a-zđ]$")
_BULLET = re.compile(r"^[-–+•]$")


@dataclass(frozen=True)
class ImportedTask:
    id: str
    number: str | None
    text: str | None  # None: the document's cell is empty
    lead: tuple[str, ...]
    support: tuple[str, ...]
    output: str | None
    timeline: str | None
    notes: str | None
    where: str


@dataclass(frozen=True)
class ImportedGroup:
    id: str
    number: str | None
    title: str | None  # None: the document gives the group no title
    tasks: tuple[ImportedTask, ...]
    where: str
    notes: str | None = None


@dataclass(frozen=True)
class ImportedTable:
    numbering: Numbering
    groups: tuple[ImportedGroup, ...]
    notes: tuple[Note, ...]


def _kind(number: str) -> str:
    for name, pattern in (
        ("roman", _ROMAN),
        ("integer", _INTEGER),
        ("dotted", _DOTTED),
        ("letter", _LETTER),
        ("bullet", _BULLET),
    ):
        if pattern.match(number):
            return name
    return "blank" if not number else "other"


def id_part(number: str) -> str:
    """A number as an id part: lower case, dots kept (`4.1`), each run of other characters
    one hyphen."""
    return re.sub(r"[^a-z0-9.]+", "-", number.lower()).strip("-.")


def numbering_of(rows: Sequence[TableRow]) -> Numbering:
    """Nested when tasks carry their group's number ("4.1"), per-group otherwise."""
    kinds = {_kind(r.number) for r in rows}
    return "nested" if "dotted" in kinds and "roman" not in kinds else "per-group"


def _is_group(row: TableRow, kinds: set[str], numbering: Numbering) -> bool:
    kind = _kind(row.number)
    if kind == "roman":
        return True
    if kind == "integer":
        if "roman" in kinds:
            return False
        return numbering == "nested" or not row.has_details()
    if kind == "blank":
        return (row.bold or row.spans) and not row.has_details() and bool(row.text)
    return False


def _title_and_text(row: TableRow) -> tuple[str | None, str | None, str | None]:
    """(title, text, note) of a group row that is itself a task: a bold lead-in ending in ":"
    ("Chế độ báo cáo: Định kỳ …") is the title, the rest the task; without one the group has
    no title of its own."""
    lead = row.bold_lead
    if lead.endswith(":") and row.text.startswith(lead) and len(lead) < len(row.text):
        return lead[:-1].strip(), row.text[len(lead) :].strip(), None
    return (
        None,
        row.text or None,
        "văn bản ghi nhóm này thành một dòng nhiệm vụ, không có tiêu đề riêng",
    )


def task_id(group: str, number: str | None, position: int, bullet: bool = False) -> str:
    """A task's id: its number after the group's (`4.1`, `iv.1`, `iv.1.a`); for a row the
    document leaves unnumbered, the rule of generator/ids.py (`5.khong-so-2`, `5.gach-1`)."""
    if number is not None:
        return f"{group}.{id_part(number)}"
    return unnumbered_task_id(group, position, bullet)


def group_id(number: str | None, position: int) -> str:
    """`IV` → `iv`; an unnumbered group is `khong-so-<n>`, n counting unnumbered groups."""
    return id_part(number) if number else unnumbered_group_id(position)


@dataclass
class _Builder:
    numbering: Numbering
    split: Splitter
    groups: list[ImportedGroup] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unnumbered_groups: int = 0
    heading: TableRow | None = None  # a numbered row heading sub-items a, b, c

    def open_group(self, row: TableRow) -> None:
        number = row.number or None
        if number is None:
            self.unnumbered_groups += 1
        gid = group_id(number, self.unnumbered_groups)
        if any(g.id == gid for g in self.groups):
            self.notes.append(
                Note(row.where, f"số nhóm “{number}” lặp lại; nhóm này cần một id riêng")
            )
            gid = f"{gid}-{sum(g.id.split('-')[0] == gid for g in self.groups) + 1}"
        self.heading = None
        if row.has_details():
            title, text, note = _title_and_text(row)
            group = ImportedGroup(gid, number, title, (), row.where, note)
            self.groups.append(group)
            self.add_task(row, text=text, whole_group=True)
        else:
            self.groups.append(ImportedGroup(gid, number, row.text or None, (), row.where))

    def current(self, row: TableRow) -> ImportedGroup:
        if not self.groups:
            self.notes.append(
                Note(row.where, "nhiệm vụ đứng trước mọi dòng nhóm: xếp vào một nhóm không số")
            )
            self.unnumbered_groups += 1
            gid = group_id(None, self.unnumbered_groups)
            note = "bảng không có dòng nhóm trước các nhiệm vụ này"
            self.groups.append(ImportedGroup(gid, None, None, (), row.where, note))
        return self.groups[-1]

    def add_task(self, row: TableRow, text: str | None = None, whole_group: bool = False) -> None:
        group = self.current(row)
        kind = _kind(row.number)
        position = 1 + sum(
            1 for t in group.tasks if t.number is None and (BULLET in t.id) == (kind == "bullet")
        )
        number = row.number if kind not in ("blank", "bullet") else None
        notes: list[str] = []
        if whole_group:
            tid = group.id
        elif kind == "letter" and self.heading is not None:
            tid = task_id(group.id, f"{self.heading.number}.{row.number}", position)
            notes.append(
                f"Thuộc mục {self.heading.number} của nhóm {group.number or group.id}: "
                f"“{self.heading.text}” (dòng tiêu đề, không có đơn vị, sản phẩm, thời gian riêng)."
            )
        elif self.numbering == "nested" and number is not None and kind == "dotted":
            tid = id_part(number)
            if not tid.startswith(group.id + "."):
                self.notes.append(
                    Note(row.where, f"nhiệm vụ “{number}” không thuộc nhóm “{group.number}”")
                )
                tid = task_id(group.id, number, position)
        else:
            tid = task_id(group.id, number, position, bullet=kind == "bullet")
        if kind == "blank" and not whole_group:
            before = next((t.number for t in reversed(group.tasks) if t.number), None)
            after = f", đứng sau nhiệm vụ {before}" if before else ""
            notes.append(f"Dòng không đánh số trong Phụ lục{after}; mã nhiệm vụ do cổng đặt.")
        body = row.text if not whole_group else text
        if not body:
            self.notes.append(Note(row.where, "ô nội dung nhiệm vụ trống: ghi là không có"))
        lead, support = self.split(row.lead), self.split(row.support)
        for doubt in lead.doubts + support.doubts:
            self.notes.append(Note(row.where, doubt))
        task = ImportedTask(
            id=tid,
            number=number,
            text=body or None,
            lead=lead.names,
            support=support.names,
            output=row.output or None,
            timeline=row.timeline or None,
            notes=" ".join(notes) or None,
            where=row.where,
        )
        self.groups[-1] = replace(group, tasks=(*group.tasks, task))


def build_table(rows: Sequence[TableRow], split: Splitter) -> ImportedTable:
    """Groups and tasks from the table's rows; `split` cuts an agency cell into names."""
    numbering = numbering_of(rows)
    kinds = {_kind(r.number) for r in rows}
    builder = _Builder(numbering, split)
    for index, row in enumerate(rows):
        kind = _kind(row.number)
        if kind == "other":
            builder.notes.append(Note(row.where, f"không hiểu số thứ tự “{row.number}”"))
        if not row.text and not row.has_details():
            builder.notes.append(
                Note(row.where, f"hàng chỉ có số “{row.number}”, không có nội dung: đã bỏ")
            )
            continue
        if _is_group(row, kinds, numbering):
            builder.open_group(row)
            continue
        following = rows[index + 1] if index + 1 < len(rows) else None
        if (
            kind in ("integer", "dotted")
            and not row.has_details()
            and following is not None
            and _kind(following.number) == "letter"
        ):
            builder.current(row)
            builder.heading = row
            continue
        if kind in ("integer", "dotted"):
            builder.heading = None
        builder.add_task(row)
    for group in builder.groups:
        if not group.tasks:
            builder.notes.append(Note(group.where, "nhóm không có nhiệm vụ nào"))
    return ImportedTable(numbering, tuple(builder.groups), tuple(builder.notes))
