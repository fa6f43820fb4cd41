"""Write imported groups into a plan's YAML file, keeping everything else in it as written."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from generator.importer.tasks import ImportedGroup, ImportedTable


class PlanFileError(Exception):
    """The plan file cannot take the import (tasks already there, no --force)."""


class PlanDumper(yaml.SafeDumper):
    """Block style as the plan files are written; text with line breaks as a literal block."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


PlanDumper.add_representer(str, _str)


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value is not None else None


def _group_data(group: ImportedGroup, kept: dict[str, Any]) -> dict[str, Any]:
    old = kept.get(group.id, {})
    old_tasks = {t.get("id"): t for t in old.get("tasks") or [] if isinstance(t, dict)}
    data: dict[str, Any] = {"id": group.id}
    if old.get("former_ids"):
        data["former_ids"] = old["former_ids"]
    data |= {
        "number": group.number,
        "title": _nfc(group.title),
        # The theme is the portal's classification, not the document's: chosen by hand, kept.
        "theme": old.get("theme"),
        "tasks": [],
    }
    if group.title is None and group.notes:
        data["gaps"] = {"title": group.notes}
    for task in group.tasks:
        item: dict[str, Any] = {"id": task.id}
        former = (old_tasks.get(task.id) or {}).get("former_ids")
        if former:
            item["former_ids"] = former
        item |= {
            "number": task.number,
            "text": _nfc(task.text),
            "lead": [_nfc(n) for n in task.lead],
            "support": [_nfc(n) for n in task.support],
            "output": _nfc(task.output),
            "timeline": _nfc(task.timeline),
            "notes": _nfc(task.notes),
        }
        if task.text is None:
            item["gaps"] = {"text": "ô nội dung nhiệm vụ trống trong bảng"}
        data["tasks"].append(item)
    return data


def groups_yaml(table: ImportedTable, kept: dict[str, Any] | None = None) -> str:
    """`groups:` and its items as YAML; `kept` are the file's former groups by id, whose
    theme and former ids carry over."""
    groups = [_group_data(g, kept or {}) for g in table.groups]
    return yaml.dump(
        {"groups": groups}, Dumper=PlanDumper, allow_unicode=True, sort_keys=False, width=10**6
    )


_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(first, end) line indexes of the top-level `key` and its value, or None."""
    for index, line in enumerate(lines):
        if re.match(rf"^{key}\s*:", line):
            end = index + 1
            while end < len(lines) and not _TOP_KEY.match(lines[end]):
                end += 1
            return index, end
    return None


def merge_plan(text: str, current: dict[str, Any], table: ImportedTable, force: bool) -> str:
    """The plan file's text with `numbering` and `groups` from the import and every other line
    as it was. `current` is the file as read; its groups are replaced only with `force`, and
    then keep their themes and former ids."""
    old_groups = [g for g in current.get("groups") or [] if isinstance(g, dict)]
    if old_groups and not force:
        tasks = sum(len(g.get("tasks") or []) for g in old_groups)
        raise PlanFileError(
            f"kế hoạch đã có {len(old_groups)} nhóm, {tasks} nhiệm vụ; không ghi đè. "
            "Chạy lại với --force để thay bằng bảng vừa đọc (giữ chủ đề và id cũ của nhóm)."
        )
    kept = {str(g.get("id")): g for g in old_groups}
    lines = text.split("\n")
    numbering = f"numbering: {table.numbering}"
    found = _block(lines, "numbering")
    if found:
        lines[found[0] : found[1]] = [numbering]
    new_groups = groups_yaml(table, kept).rstrip("\n").split("\n")
    found = _block(lines, "groups")
    if found:
        lines[found[0] : found[1]] = new_groups + ([""] if found[1] < len(lines) else [])
    else:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ([] if _block(lines, "numbering") else [numbering]) + new_groups
    return "\n".join(lines).rstrip("\n") + "\n"
