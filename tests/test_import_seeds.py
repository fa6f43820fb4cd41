"""Each seed plan's appendix, rebuilt as a Word and an Excel table from the seed text, imports
to the plan's hand-made YAML.

The tables are built from fixtures holding the seed's own text (tests/fixtures/seed-tables/):
- 001 (Nghệ An 686/KH-UBND): the appendix as the seed has it, one row a line, cells between
  tabs; its `<b>` becomes bold runs and its `<ul><li>` list items paragraphs, as in Word.
- 002 (Quảng Ngãi 89/KH-UBND, Phụ lục 02): the PDF extraction, one cell piece a line, with
  marks where a row (a `=== hàng` line), a cell (`¦`) or a paragraph (`¶`) begins; without the
  marks the fixture is the seed text exactly (tested), so the cells hold only seed words.
A cell's lines become one paragraph, as Word would wrap them; rows split across a page (a
page number row, then the rest of the row) stay split, as a PDF converted to Word has them.
The seeds 000 and 003 have no appendix table (their tasks are bullets in the body): they are
not rebuilt here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_generator
from tables import WRITERS, Cell, CellSpec, TableSpec

SEED_TABLES = FIXTURES / "seed-tables"
FIELDS = ("id", "number", "text", "lead", "support", "output", "timeline")
MUST_MATCH = ("text", "lead", "support", "output", "timeline")


def _html_cell(raw: str) -> CellSpec:
    """A cell of the 001 seed: `<b>` lead-ins as bold runs, `<li>` items as paragraphs."""
    items = re.findall(r"<li>(.*?)</li>", raw)
    if items:
        return "\n".join(item.strip() for item in items)
    bold = re.match(r"<b>(.*?)</b>(.*)$", raw)
    if bold:
        runs = [(bold.group(1), True)] + ([(bold.group(2), False)] if bold.group(2) else [])
        return Cell(tuple(runs))
    return raw


def table_001() -> TableSpec:
    text = (SEED_TABLES / "001_c8d72123038dc476.phu-luc.txt").read_text("utf-8")
    rows = [[_html_cell(c.strip()) for c in line.split("\t")] for line in text.split("\n")]
    return TableSpec([row for row in rows if any(row)])


def _paragraphs(cell: str) -> str:
    """A marked cell's lines as Word paragraphs: lines joined, `¶` starting a new one."""
    return "\n".join(" ".join(part.split()) for part in cell.split("¶") if part.strip())


def table_002() -> TableSpec:
    marked = (SEED_TABLES / "002_a1139260fa9e1465.marked.txt").read_text("utf-8")
    rows = []
    for block in marked.split("=== hàng\n")[1:]:
        cells = [_paragraphs(c) for c in block.split("¦")]
        rows.append(cells + [""] * (6 - len(cells)))
    return TableSpec(rows)


SEEDS = {
    "nghe-an-686-kh-ubnd-2025": table_001,
    "quang-ngai-89-kh-ubnd-2025": table_002,
}


def test_the_marked_002_fixture_is_the_seed_text_once_its_marks_are_removed() -> None:
    marked = (SEED_TABLES / "002_a1139260fa9e1465.marked.txt").read_text("utf-8")
    unmarked = "\n".join(line for line in marked.split("\n") if line != "=== hàng")
    seed = (SEED_TABLES / "002_a1139260fa9e1465.txt").read_text("utf-8")
    assert unmarked.replace("¦", "").replace("¶", "") == seed


def _tasks(path: Path) -> list[dict[str, Any]]:
    plan = yaml.safe_load(path.read_text("utf-8"))
    return [
        {f: (t[f].rstrip("\n") if isinstance(t[f], str) else t[f]) for f in FIELDS}
        for g in plan["groups"]
        for t in g["tasks"]
    ]


def field_differences(made: list[dict[str, Any]], imported: list[dict[str, Any]]) -> dict[str, int]:
    """For each field, how many tasks differ (a task missing on one side counts in each)."""
    counts = dict.fromkeys(FIELDS, 0)
    for k in range(max(len(made), len(imported))):
        a = made[k] if k < len(made) else {}
        b = imported[k] if k < len(imported) else {}
        for f in FIELDS:
            counts[f] += a.get(f, "∅") != b.get(f, "∅")
    return counts


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("plan", sorted(SEEDS))
def test_seed_appendix_imports_to_the_hand_made_tasks(tmp_path: Path, plan: str, kind: str) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    table = WRITERS[kind](SEEDS[plan](), tmp_path / f"phu-luc.{kind}")
    path = tmp_path / "data" / "plans" / f"{plan}.yaml"
    result = run_generator(tmp_path, "import", str(table), "--plan", plan, "--force")
    assert result.returncode == 0, result.stderr
    made = _tasks(ROOT / "data" / "plans" / f"{plan}.yaml")
    differences = field_differences(made, _tasks(path))
    print(f"{plan} ({kind}, {len(made)} nhiệm vụ): {differences}")
    assert {f: differences[f] for f in MUST_MATCH} == dict.fromkeys(MUST_MATCH, 0)
    assert differences["id"] == differences["number"] == 0
