"""The corpus of broken data in tests/fixtures/bad/ (format in its README): every authoring
mistake is reported with its file, line and field in plain words, all in one run, and a build
over broken data leaves the last good site exactly as it was."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, copy_project, run_generator

from generator import cli

BAD = FIXTURES / "bad"
CASES = sorted(BAD.glob("*.yaml"))
BUILD_CASES = [c for c in CASES if yaml.safe_load(c.read_text(encoding="utf-8")).get("build")]

# What the author reads must be Vietnamese, not the libraries' English.
ENGLISH = ("Input should", "Value error", "validation error", "Traceback", "expected <", "found ")


@dataclass(frozen=True)
class Reported:
    """One error line of `python -m generator check`: `file:line: [field] message`."""

    file: str
    line: int
    field: str
    message: str


_ERROR_LINE = re.compile(
    r"^(?P<file>[^\s:]+)(?::(?P<line>\d+))?: (?:\[(?P<field>.*?)\] )?(?P<msg>.*)$"
)


def parse_report(stderr: str) -> list[Reported]:
    """The errors in `stderr`, without warnings and the closing count."""
    reported = []
    for text in stderr.splitlines():
        if text.startswith("cảnh báo:") or re.match(r"^\d+ lỗi dữ liệu", text):
            continue
        match = _ERROR_LINE.match(text)
        assert match, f"not an error line naming a file: {text!r}"
        reported.append(
            Reported(match["file"], int(match["line"] or 0), match["field"] or "", match["msg"])
        )
    return reported


# --- applying a case --------------------------------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pad(path: Path, size: int) -> None:
    filler = "# " + "x" * 97 + "\n"
    with path.open("a", encoding="utf-8") as out:
        out.write(filler * (max(0, size - path.stat().st_size) // len(filler) + 1))


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def legacy_encode(text: str, encoding: str) -> bytes:
    """`text` as an old Vietnamese code page stores it: where a letter with its tone has no code
    of its own (Windows-1258), the letter without the tone, then the tone as a combining mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode(encoding)
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize(
                "NFC", base + "".join(m for m in marks if m not in TONE_MARKS)
            )
            out += (letter + "".join(m for m in marks if m in TONE_MARKS)).encode(encoding)
    return bytes(out)


def apply_edit(data: Path, edit: dict[str, Any]) -> None:
    """One edit of a case (see tests/fixtures/bad/README.md) to the data folder `data`."""
    path = data / edit["file"]
    if "replace" in edit:
        _replace(path, edit["replace"], edit["with"])
    elif "append" in edit:
        with path.open("a", encoding="utf-8") as out:
            out.write(edit["append"])
    elif "write" in edit:
        path.write_text(edit["write"], encoding="utf-8")
    elif "copy" in edit:
        shutil.copy2(path, data / edit["copy"])
    elif edit.get("delete"):
        path.unlink()
    elif edit.get("mkdir"):
        path.mkdir()
    elif "encoding" in edit:
        path.write_bytes(legacy_encode(path.read_text(encoding="utf-8"), edit["encoding"]))
    elif "pad_to" in edit:
        _pad(path, int(edit["pad_to"]))
    else:
        raise AssertionError(f"unknown edit {edit}")


def load_case(case: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert spec.get("about") and spec.get("edits") and spec.get("expect"), case.name
    return spec


def broken_data(case: Path, data: Path) -> dict[str, Any]:
    """Replace `data` with the minimal data set broken as `case` says; the case's spec."""
    spec = load_case(case)
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(FIXTURES / "minimal", data)
    for edit in spec["edits"]:
        apply_edit(data, edit)
    return spec


def expected_line(project: Path, file: str, line: int | str) -> int:
    """`line` as a number: a number stays, a text is the first line holding it."""
    if isinstance(line, int):
        return line
    text = (project / file).read_bytes().decode("utf-8", errors="replace")
    found = [n for n, content in enumerate(text.splitlines(), start=1) if line in content]
    assert found, f"{file} has no line holding {line!r}"
    return found[0]


def unmatched(
    project: Path, expect: list[dict[str, Any]], reported: list[Reported]
) -> tuple[list[str], list[Reported]]:
    """Expected errors nobody reported, and reported errors nobody expected."""
    left = list(reported)
    missing = []
    for want in expect:
        line = expected_line(project, want["file"], want["line"])
        hit = next(
            (
                r
                for r in left
                if (r.file, r.line, r.field) == (want["file"], line, want["field"])
                and want["message"] in r.message
            ),
            None,
        )
        if hit is None:
            missing.append(f"{want['file']}:{line}: [{want['field']}] …{want['message']}…")
        else:
            left.remove(hit)
    return missing, left


# --- the corpus -------------------------------------------------------------------------------


def test_the_corpus_has_at_least_thirty_cases_and_a_handful_of_builds() -> None:
    assert len(CASES) >= 30
    assert 4 <= len(BUILD_CASES) <= 8  # build runs the whole pipeline: only a handful


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_broken_data_is_reported_with_file_line_and_field(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    spec = broken_data(case, project / "data")
    code = cli.main(["check", "--project", str(project)])
    err = capsys.readouterr().err
    assert code == 1, err
    reported = parse_report(err)
    assert f"{len(reported)} lỗi dữ liệu; không có gì được ghi ra." in err
    missing, extra = unmatched(project, spec["expect"], reported)
    assert not missing and not extra, (
        f"\n{spec['about']}\nexpected but not reported:\n  "
        + "\n  ".join(missing)
        + "\nreported but not expected:\n  "
        + "\n  ".join(map(str, extra))
        + f"\nwhole report:\n{err}"
    )
    assert not [word for word in ENGLISH if word in err], err


@pytest.fixture(scope="module")
def built_minimal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The minimal project, built once; and a snapshot of everything build may write."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project", FIXTURES / "minimal")
    result = run_generator(project, "build")
    assert result.returncode == 0, result.stderr
    return project, snapshot_output(project)


def snapshot_output(project: Path) -> dict[str, bytes]:
    """Every file of the project but its data: site/, docs/ with its generated folders, and
    any temporary folder a build might leave behind. Not the loader's cache of data files
    (.cache/data/, by their content) nor the model's (.cache/model/): a build that fails still
    keeps there the files it read, and what it made, without a problem, and drops those gone."""
    caches = (".cache/data", ".cache/model")
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file()
        and p.relative_to(project).parts[0] != "data"
        and not any(p.relative_to(project).is_relative_to(cache) for cache in caches)
    }


@pytest.mark.parametrize("case", BUILD_CASES, ids=lambda c: c.stem)
def test_build_over_broken_data_leaves_the_last_good_site_byte_for_byte(
    case: Path, built_minimal: tuple[Path, dict[str, bytes]]
) -> None:
    project, before = built_minimal
    spec = broken_data(case, project / "data")
    result = run_generator(project, "build")
    assert result.returncode == 1, result.stdout
    missing, _ = unmatched(project, spec["expect"], parse_report(result.stderr))
    assert not missing, result.stderr
    after = snapshot_output(project)
    assert after.keys() == before.keys()
    assert [name for name in before if after[name] != before[name]] == []
