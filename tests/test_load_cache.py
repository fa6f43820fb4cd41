"""A rebuild takes each data file unchanged since the last build from `.cache/data/` instead of
reading its YAML again (issue 14: loading composed every plan again), and what it builds is
what a build without the cache builds: an edited file is read anew, a damaged or other
version's cache is not used, and a file's problems are reported on every build."""

from __future__ import annotations

import hashlib
import pickle
import shutil
import unicodedata
from pathlib import Path

from conftest import run_generator
from test_unit_reuse import _assert_same_as_clean, _generate, corpus

from generator import synth
from generator.load import DataCache, RawFile, load_data
from generator.schema import FILE_KINDS

__all__ = ["corpus"]  # the 12-plan project generated once, for this module too

PLAN = "data/plans/tinh-a-1-kh-ubnd-2025.yaml"
PLAN_PAGE = "docs/ke-hoach/tinh-a-1-kh-ubnd-2025/index.md"
TASK = "Nhiệm vụ không đánh số."


def _entries(project: Path) -> dict[str, Path]:
    """The cache's entries, by the hex SHA-256 of the file each one holds."""
    return {p.name: p for p in (project / ".cache" / "data").glob("*/*")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _data_files(project: Path) -> list[Path]:
    return sorted((project / "data").rglob("*.yaml"))


def _replace(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _generated(project: Path) -> str:
    result = run_generator(project, "generate", "--build-date", "2026-11-30")
    assert result.returncode == 0, result.stderr
    return (project / PLAN_PAGE).read_text(encoding="utf-8")


def test_an_edited_plan_is_read_anew_and_its_page_shows_the_new_text(
    minimal_project: Path,
) -> None:
    assert TASK in _generated(minimal_project)
    assert {_digest(p) for p in _data_files(minimal_project)} == _entries(minimal_project).keys()
    _replace(minimal_project, PLAN, TASK, "Nhiệm vụ đã sửa lời.")
    page = _generated(minimal_project)
    assert "Nhiệm vụ đã sửa lời." in page
    assert TASK not in page


def test_the_cache_holds_only_the_files_there_are_now(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """After one plan is edited and another removed, their old entries are gone and each
    data file has one, whole (nothing half-written is left)."""
    project = tmp_path / "project"
    shutil.copytree(corpus[1], project)
    before = _entries(project)
    assert {_digest(p) for p in _data_files(project)} == before.keys()
    plans = sorted((project / "data" / "plans").glob("*.yaml"))
    gone = {_digest(plans[0]), _digest(plans[-1])}
    assert synth.edit_one_task(project) == plans[0]
    plans[-1].unlink()
    _generate(project)
    after = _entries(project)
    assert {_digest(p) for p in _data_files(project)} == after.keys()
    assert not gone & after.keys()
    # An unchanged file's entry is the one the first build wrote, not written again.
    kept = before.keys() & after.keys()
    assert len(kept) == len(after) - 1
    assert all(after[k].stat().st_mtime_ns == before[k].stat().st_mtime_ns for k in kept)


def test_docs_after_a_generate_from_the_cache_equal_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(corpus[1], project)
    synth.edit_one_task(project)
    # Every entry but the edited plan's is taken (none of them is written again).
    written = {p: p.stat().st_mtime_ns for p in _entries(project).values()}
    _generate(project)
    assert all(p.stat().st_mtime_ns == t for p, t in written.items() if p.exists())
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")


def _plans(data: Path, cache: DataCache) -> dict[str, RawFile]:
    """Every file's values read, as a build without the model's cache reads them; the plans'."""
    raw, errors = load_data(data, cache)
    for kind in FILE_KINDS:
        raw.all(kind)
    plans = {Path(p.path).stem: p for p in raw.plans()}
    assert errors == [], errors
    return plans


def test_a_damaged_cache_or_one_of_another_version_is_not_used(
    minimal_project: Path,
) -> None:
    """An entry that is not a pickle, one cut short, one another version of the loader wrote
    (which may have held anything) and one of another file under this file's name: each is
    read past, the plan comes from its YAML file, and the entry is written again."""
    data, folder = minimal_project / "data", minimal_project / ".cache" / "data"
    fresh = _plans(data, DataCache(folder))
    digest = bytes.fromhex(_digest(minimal_project / PLAN))
    entry = _entries(minimal_project)[digest.hex()]
    good = entry.read_bytes()
    assert _plans(data, DataCache(folder)) == fresh
    other = minimal_project / "data" / "themes.yaml"
    lies = {
        "not a pickle": b"\x00 not a pickle \xff",
        "cut short": good[: len(good) // 2],
        "another version": pickle.dumps(("an older key", digest, {"id": "khac"}, {}, ())),
        "another file": _entries(minimal_project)[_digest(other)].read_bytes(),
    }
    for what, text in lies.items():
        entry.write_bytes(text)
        assert _plans(data, DataCache(folder)) == fresh, what
        assert entry.read_bytes() == good, what
    # Another version's folder: never read, and gone once every plan has been taken.
    older = DataCache(folder, key="0" * 64)
    older.put(digest, RawFile(PLAN, {"id": "khac"}, {}, ()))
    assert _plans(data, DataCache(folder)) == fresh
    assert [p.name for p in folder.iterdir()] == [DataCache(folder).key[:32]]


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_problems_in_a_plan_are_reported_on_every_build(minimal_project: Path) -> None:
    """A word in NFD (a problem of the file's text, found by the loader), a field the schema
    does not know, then a timeline that cannot be read (a warning): each said the same on the
    second build as on the first, at the same file, line and field, though the other data
    files are taken from the cache."""
    _replace(minimal_project, PLAN, TASK, _nfd("Nhiệm vụ viết tách dấu."))
    _replace(minimal_project, PLAN, "numbering: nested", "numbering: nested\ncolour: do")
    first = run_generator(minimal_project, "check")
    assert first.returncode == 1
    assert f"{PLAN}:" in first.stderr and "(Unicode NFD)" in first.stderr
    assert "[colour] trường này không có trong lược đồ" in first.stderr
    second = run_generator(minimal_project, "check")
    assert (second.returncode, second.stderr) == (1, first.stderr)
    # Only the NFD word left: the file can be read, yet every build still fails on it.
    _replace(minimal_project, PLAN, "\ncolour: do", "")
    for _ in range(2):
        result = run_generator(minimal_project, "generate", "--build-date", "2026-11-30")
        assert result.returncode == 1
        assert f"{PLAN}:" in result.stderr and "(Unicode NFD)" in result.stderr
    _replace(minimal_project, PLAN, _nfd("Nhiệm vụ viết tách dấu."), TASK)
    _replace(minimal_project, PLAN, "timeline: Thường xuyên", "timeline: Khi có yêu cầu")
    line = (
        (minimal_project / PLAN)
        .read_text(encoding="utf-8")
        .split("\n")
        .index("        timeline: Khi có yêu cầu")
    )
    warned = []
    for _ in range(2):
        result = run_generator(minimal_project, "check")
        assert result.returncode == 0, result.stderr
        warned.append(result.stderr)
    assert f"{PLAN}:{line + 1}: [groups[0].tasks[1].timeline]" in warned[0]
    assert warned[1] == warned[0]


def test_a_cached_plan_made_wrong_by_a_registry_edit_is_reported_at_its_line(
    minimal_project: Path,
) -> None:
    """The plan is taken from the cache, the registry file is read anew: the plan's error
    names its file, line and field as a build without the cache does."""
    assert run_generator(minimal_project, "check").returncode == 0
    _replace(minimal_project, "data/agencies/tinh-a.yaml", "- Sở Tài chính\n", "- Sở Tài chánh\n")
    cached = run_generator(minimal_project, "check")
    shutil.rmtree(minimal_project / ".cache")
    uncached = run_generator(minimal_project, "check")
    line = (
        (minimal_project / PLAN)
        .read_text(encoding="utf-8")
        .split("\n")
        .index("        lead: [Sở Tài chính]")
    )
    assert f"{PLAN}:{line + 1}: [groups[0].tasks[0].lead[0]]" in uncached.stderr
    assert (cached.returncode, cached.stderr) == (1, uncached.stderr)
