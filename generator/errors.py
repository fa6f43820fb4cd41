"""Errors about data, written for the person who edits the YAML files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def field_path(loc: Iterable[str | int]) -> str:
    """`("groups", 0, "tasks", 2, "lead")` → `groups[0].tasks[2].lead`, as errors name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one data file: where it is, which field, and what is wrong."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class DataErrors(Exception):
    """Every problem found in one run, so the author can fix them all at once."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in self.errors]
        lines.append(f"{len(self.errors)} lỗi dữ liệu; không có gì được ghi ra.")
        return "\n".join(lines)


def _escape(value: str, property_value: bool = False) -> str:
    """A value as GitHub's workflow commands need it: %, CR and LF (and in properties , and :)
    percent-encoded."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def annotation(error: DataError, level: str = "error") -> str:
    """`::error file=…,line=…,title=…::message`: GitHub Actions shows it on that line of the
    file in a pull request's diff."""
    props = [f"file={_escape(error.file, True)}"]
    if error.line:
        props.append(f"line={error.line}")
    if error.field:
        props.append(f"title={_escape(error.field, True)}")
    return f"::{level} {','.join(props)}::{_escape(error.message)}"
