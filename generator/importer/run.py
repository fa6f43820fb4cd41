"""`python -m generator import FILE --plan ID`: read a table, write its tasks into the plan
file, and say row by row what could not be read as it was."""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import schema
from generator.errors import DataError, DataErrors
from generator.importer.agencies import Split, registry_entry, split_agencies
from generator.importer.planfile import merge_plan
from generator.importer.read import read_rows
from generator.importer.rows import Note
from generator.importer.table import table_rows
from generator.importer.tasks import ImportedTable, build_table
from generator.load import load_file
from generator.model import AgencyRegistry, agency_registry, name_key


class NoTable(Exception):
    """The file holds no task table the importer can read; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    plan_path: Path
    table: ImportedTable
    notes: tuple[Note, ...]  # row by row, in file order
    unknown: tuple[str, ...]  # ready-to-paste registry entries for names the registry lacks
    themeless: tuple[str, ...]  # ids of groups still without a theme


def load_registry(project: Path) -> AgencyRegistry:
    """The agency registry under data/agencies/, checked on its own."""
    files, errors = [], []
    for path in sorted((project / "data").glob(schema.AGENCIES.pattern)):
        raw, problems = load_file(path, project)
        errors.extend(problems)
        if raw is not None:
            files.append(raw)
    registry, problems = agency_registry(files) if files else (None, [])
    if registry is None or errors or problems:
        where = "data/" + schema.AGENCIES.pattern
        raise DataErrors(errors + problems or [DataError(where, 0, "", "không đọc được danh bạ")])
    return registry


def _closest(name: str, registry: AgencyRegistry, jurisdiction: str) -> list[str]:
    names = {
        folded: registry.display[scope][folded]
        for scope in registry.scopes(jurisdiction)
        for folded in registry.by_name[scope]
    }
    close = difflib.get_close_matches(name_key(name), list(names), n=3, cutoff=0.5)
    return [f"“{names[c]}”" for c in close]


def _unknown_entries(
    table: ImportedTable, registry: AgencyRegistry, jurisdiction: str
) -> tuple[list[Note], list[str]]:
    notes, entries, seen = [], [], set()
    for group in table.groups:
        for task in group.tasks:
            for name in (*task.lead, *task.support):
                if registry.resolve(name, jurisdiction)[0] is not None:
                    continue
                notes.append(Note(task.where, f"“{name}” chưa có trong danh bạ cơ quan"))
                if name_key(name) not in seen:
                    seen.add(name_key(name))
                    closest = _closest(name, registry, jurisdiction)
                    entries.append(registry_entry(name, jurisdiction, closest))
    return notes, entries


def _row_order(note: Note) -> tuple[int, ...]:
    """Notes sorted by table and row, as the file has them ("bảng 1, hàng 14", "dòng 40")."""
    return tuple(int(n) for n in "".join(c if c.isdigit() else " " for c in note.where).split())


def import_table(project: Path, source: Path, plan_id: str, force: bool) -> ImportResult:
    """Read `source`, merge its tasks into data/plans/<plan_id>.yaml and write it back whole
    (a temporary file renamed over it: an interrupted run leaves the old file)."""
    plan_path = project / "data" / "plans" / f"{plan_id}.yaml"
    raw, errors = load_file(plan_path, project)
    if raw is None or not isinstance(raw.data, dict):
        raise DataErrors(errors or [DataError(str(plan_path), 0, "", "không đọc được")])
    jurisdiction = str(raw.data.get("jurisdiction") or "")
    registry = load_registry(project)
    if jurisdiction not in registry.jurisdictions:
        raise DataErrors(
            [DataError(raw.path, raw.line_of(("jurisdiction",)), "jurisdiction", "chưa có địa bàn")]
        )

    def split(cell: str) -> Split:
        return split_agencies(cell, lambda n: registry.resolve(n, jurisdiction)[0] is not None)

    rows, row_notes = table_rows(read_rows(source))
    table = build_table(rows, split)
    if not table.groups:
        raise NoTable("\n".join(f"{n.where}: {n.message}" for n in row_notes) or "bảng trống")
    unknown_notes, entries = _unknown_entries(table, registry, jurisdiction)
    text = plan_path.read_text(encoding="utf-8")
    merged = merge_plan(text, raw.data, table, force)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=plan_path.parent, suffix=".tmp", delete=False
    ) as out:
        out.write(merged)
    Path(out.name).replace(plan_path)
    notes = sorted([*row_notes, *table.notes, *unknown_notes], key=_row_order)
    themes = {
        str(g.get("id")): g.get("theme")
        for g in (raw.data.get("groups") or [])
        if isinstance(g, dict) and force
    }
    themeless = tuple(g.id for g in table.groups if not themes.get(g.id))
    return ImportResult(plan_path, table, tuple(notes), tuple(entries), themeless)


def format_report(result: ImportResult) -> str:
    """What was written, then every row not read as it was, then the registry entries to add."""
    tasks = sum(len(g.tasks) for g in result.table.groups)
    lines = [
        f"Đã ghi {len(result.table.groups)} nhóm, {tasks} nhiệm vụ vào {result.plan_path} "
        f"(đánh số: {result.table.numbering})."
    ]
    if result.notes:
        lines.append("")
        lines.append("Từng hàng cần xem lại:")
        lines += [f"  {n.where}: {n.message}" for n in result.notes]
    if result.themeless:
        lines.append("")
        lines.append(
            f"Chọn chủ đề (theme: một id trong data/themes.yaml) cho {len(result.themeless)} "
            f"nhóm đang để trống: {', '.join(result.themeless)}."
        )
    if result.unknown:
        lines.append("")
        lines.append(
            f"{len(result.unknown)} tên cơ quan chưa có trong danh bạ. Nếu là cách viết khác "
            "của một cơ quan đã có, thêm tên vào `names` của cơ quan đó; nếu là cơ quan mới, "
            "dán mục dưới đây vào data/agencies.yaml (mục agencies) rồi kiểm tra lại:"
        )
        lines += ["", *result.unknown]
    lines.append("")
    lines.append(
        f"Tóm tắt: {tasks} nhiệm vụ, {len(result.notes)} ghi chú, "
        f"{len(result.unknown)} cơ quan mới. Tiếp theo: python -m generator check"
    )
    return "\n".join(lines)
