"""Stage 1, load: read the YAML data files into plain values, remembering each value's line.

Only this module reads data files. Every scalar comes back as a string or None
(never a date, number or bool: YAML's guesses would turn `2025-02-31` into a crash, `1.10` into
1.1 and `No` into False); the schema decides what a string must look like.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import DataError

Path_ = tuple[str | int, ...]

# A data file larger than this is an authoring accident (a pasted PDF, a binary), not a plan.
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class RawFile:
    """One data file as plain values, with the line of every value by its path."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, loc: Path_) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


def _scalar(node: yaml.ScalarNode) -> str | None:
    # Only null is typed: numbers such as `4` or `1.10` stay text, as the document wrote them.
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


def _to_python(
    node: yaml.Node, loc: Path_, rel: str, lines: dict[Path_, int], errors: list[DataError]
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in result:
                errors.append(
                    DataError(
                        rel,
                        key_node.start_mark.line + 1,
                        _dotted(loc + (key,)),
                        f"khóa “{key}” xuất hiện hai lần trong cùng một mục",
                    )
                )
                continue
            result[key] = _to_python(value_node, loc + (key,), rel, lines, errors)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, loc + (i,), rel, lines, errors) for i, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node)


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _text_problems(rel: str, text: str) -> list[DataError]:
    problems = []
    if text.startswith("\ufeff"):
        problems.append(
            DataError(rel, 1, "", "tệp bắt đầu bằng BOM (U+FEFF); hãy lưu dạng UTF-8 không BOM")
        )
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            problems.append(
                DataError(rel, number, "", "dòng có ký tự tab; YAML chỉ dùng dấu cách để thụt lề")
            )
        if unicodedata.normalize("NFC", line) != line:
            problems.append(
                DataError(rel, number, "", "văn bản không ở dạng Unicode NFC (dấu tổ hợp tách rời)")
            )
    return problems


def load_file(path: Path, root: Path) -> tuple[RawFile | None, list[DataError]]:
    """Read one YAML file. Returns the file, or None with the reasons it could not be read."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            DataError(rel, 0, "", f"tệp quá lớn ({size:,} byte; tối đa {MAX_FILE_BYTES:,})")
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [DataError(rel, line, "", "tệp không phải UTF-8")]
    problems = _text_problems(rel, text)
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [DataError(rel, line, "", f"YAML không hợp lệ: {exc.problem or exc}")]
    if node is None:
        return None, [DataError(rel, 1, "", "tệp rỗng")]
    lines: dict[Path_, int] = {}
    errors: list[DataError] = []
    data = _to_python(node, (), rel, lines, errors)
    return RawFile(rel, data, lines), errors


@dataclass(frozen=True)
class RawData:
    """Every data file of the portal, read but not yet checked against the schema."""

    agencies: RawFile | None
    documents: RawFile | None
    themes: RawFile | None
    plans: tuple[RawFile, ...]


def load_data(data_dir: Path) -> tuple[RawData, list[DataError]]:
    """Read `data_dir`: agencies.yaml, documents.yaml, themes.yaml and plans/*.yaml."""
    root = data_dir.parent
    errors: list[DataError] = []

    def one(name: str) -> RawFile | None:
        path = data_dir / name
        if not path.exists():
            errors.append(DataError(f"{data_dir.name}/{name}", 0, "", "thiếu tệp"))
            return None
        raw, problems = load_file(path, root)
        errors.extend(problems)
        return raw

    agencies, documents, themes = one("agencies.yaml"), one("documents.yaml"), one("themes.yaml")
    plans = []
    for path in sorted((data_dir / "plans").glob("*.y*ml")):
        raw, problems = load_file(path, root)
        errors.extend(problems)
        if raw is not None:
            plans.append(raw)
    return RawData(agencies, documents, themes, tuple(plans)), errors
