"""A rebuild takes each data file unchanged since the last build from `.cache/data/` instead of
reading its YAML again (issue 14: loading composed every plan again), and what the model made of
each unchanged plan, and of the other files, from `.cache/model/` instead of checking and
making it again; what it builds is what a build without the caches builds: an edited file is
read and made anew, a plan whose questions to the registry, themes or document copies get
another answer is made anew, a damaged or other version's cache is not used, and a file's
problems and warnings are reported on every build.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import unicodedata
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, run_generator
from test_unit_reuse import _assert_same_as_clean, _generate, corpus

from generator import cli, model, synth
from generator.domain import Portal
from generator.errors import DataError, DataErrors
from generator.load import DataCache, DataText, RawFile, load_data
from generator.model import MadePlan, ModelCache, build_portal, plan_entry
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


# --- the model's cache: what was made of each plan, and of the other files ---------------

Loaded = tuple[Portal | None, list[DataError], list[DataError]]


def _load(project: Path, cached: bool = True) -> Loaded:
    """What loading the project's data gives, as `generate` loads it: the portal (None when
    there are errors), every error, the warnings; with the project's caches, or with none."""
    caches = project / ".cache"
    raw, errors = load_data(project / "data", DataCache(caches / "data") if cached else None)
    try:
        portal, warnings = build_portal(raw, ModelCache(caches / "model") if cached else None)
    except DataErrors as exc:
        return None, DataErrors(errors + exc.errors).errors, []
    return (None if errors else portal), DataErrors(errors).errors, warnings


def _made_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Loaded, list[str]]:
    """A load with the caches, and the files the model checked against their schema (made
    again rather than taken from the cache), in order."""
    validated: list[str] = []
    validate = model.validate_file

    def counting(raw: RawFile, kind: type[model.M]) -> object:
        validated.append(raw.path)
        return validate(raw, kind)

    monkeypatch.setattr(model, "validate_file", counting)
    loaded = _load(project)
    monkeypatch.setattr(model, "validate_file", validate)
    return loaded, validated


def _assert_same_as_without_caches(project: Path, loaded: Loaded) -> None:
    uncached = _load(project, cached=False)
    assert loaded[1:] == uncached[1:]  # the errors, then the warnings: file, line, field, words
    assert loaded[0] == uncached[0]


def _model_entries(project: Path) -> dict[str, Path]:
    return {p.name: p for p in (project / ".cache" / "model").glob("*/*")}


def _entry_of(project: Path, rel: str) -> Path:
    """The model cache's entry of the plan file `rel`."""
    content = (project / rel).read_bytes()
    name = plan_entry(DataText(rel, content, hashlib.sha256(content).digest()))
    return _model_entries(project)[name]


def test_after_an_edit_only_the_edited_plan_is_made_again_and_the_load_is_a_clean_one(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 12-plan corpus, generated once, then one task edited: the edited plan alone is
    checked and made again; the portal, errors and warnings are those of a load without any
    cache (the corpus has unreadable timelines: warnings are said again from the cache)."""
    project = tmp_path / "project"
    shutil.copytree(corpus[1], project)
    edited = synth.edit_one_task(project).relative_to(project).as_posix()
    loaded, validated = _made_again(project, monkeypatch)
    assert loaded[0] is not None and loaded[2], loaded[1]
    assert validated == [edited]
    assert "Đã sửa. " in str(loaded[0].plans[Path(edited).stem])
    _assert_same_as_without_caches(project, loaded)
    again, validated = _made_again(project, monkeypatch)
    assert validated == []
    assert again == loaded


def _replace_all(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# Edits to the files a plan is checked against; each changes what the plan is made of, or
# makes it wrong, though the plan file itself is not touched. (file, old, new, what happens)
OTHERS_EDITS = {
    "an agency's id changes (the plan's tasks link the new one)": (
        "data/agencies/tinh-a.yaml",
        "id: tinh-a/so-tai-chinh\n",
        "id: tinh-a/so-tai-chinh-moi\n",
        None,
    ),
    "a name the plan writes is registered for another agency": (
        "data/agencies/tinh-a.yaml",
        "      - Sở Tài chính\n",
        "      - Sở Tài chính tỉnh\n  - id: tinh-a/so-tai-chinh-2\n"
        "    name: Sở Tài chính (mới)\n    kind: body\n    names:\n      - Sở Tài chính\n",
        None,
    ),
    "the plan's jurisdiction loses the name it writes": (
        "data/agencies/tinh-a.yaml",
        "- Sở Tài chính\n",
        "- Sở Tài chánh\n",
        f"{PLAN}:[groups[0].tasks[0].lead[0]]",
    ),
    "a theme the plan uses is dropped": (
        "data/themes.yaml",
        "  - id: bao-cao\n    name: Báo cáo\n    description: Báo cáo.\n",
        "",
        f"{PLAN}:[groups[1].theme]",
    ),
    "an agency file repeats an id (the registry wrong in itself)": (
        "data/agencies/tinh-a.yaml",
        "id: tinh-a/nhcsxh\n",
        "id: tinh-a/so-tai-chinh\n",
        "data/agencies/tinh-a.yaml:[agencies[2].id]",
    ),
    "the document the plan implements is renamed (checked across files)": (
        "data/documents.yaml",
        "chi-thi-39-ct-tw-2024",
        "chi-thi-39-ct-tw-2024-moi",
        f"{PLAN}:[implements[0]]",
    ),
}


def _where(errors: list[DataError]) -> list[str]:
    return [f"{e.file}:[{e.field}]" for e in errors]


@pytest.mark.parametrize("edit", OTHERS_EDITS, ids=list(OTHERS_EDITS))
def test_a_plan_taken_from_the_cache_follows_an_edit_of_the_files_it_is_checked_against(
    minimal_project: Path, edit: str
) -> None:
    """The plan is made and cached by a first build; then a registry, theme or document file
    is edited. The load gives what a load without any cache gives: the plan made against the
    new registry, or its error at its file, line and field, on this build and the next."""
    rel, old, new, error = OTHERS_EDITS[edit]
    first = _load(minimal_project)
    assert first[0] is not None, first[1]
    assert _entry_of(minimal_project, PLAN).is_file()
    _replace_all(minimal_project, rel, old, new)
    for _ in range(2):
        loaded = _load(minimal_project)
        _assert_same_as_without_caches(minimal_project, loaded)
        if error is None:
            assert loaded[0] is not None, loaded[1]
            assert loaded[0] != first[0]
        else:
            assert loaded[0] is None
            assert error in _where(loaded[1]), loaded[1]
            line = next(e.line for e in loaded[1] if f"{e.file}:[{e.field}]" == error)
            assert line > 1


def test_a_plan_taken_from_the_cache_follows_its_copy_of_the_document(
    minimal_project: Path,
) -> None:
    """A plan names a copy of its official document under docs/ with its SHA-256 (outside
    data/): the copy replaced, the cached plan is wrong at `source.sha256` as without the
    cache; put back, the plan is made again and links it."""
    copy = minimal_project / "docs" / "van-ban-goc" / "kh-1.pdf"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(b"%PDF-1.4 ban goc")
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    _replace_all(
        minimal_project,
        PLAN,
        "  transcription: fixture.txt\n",
        f"  file: van-ban-goc/kh-1.pdf\n  sha256: {digest}\n  transcription: fixture.txt\n",
    )
    first = _load(minimal_project)
    assert first[0] is not None, first[1]
    copy.write_bytes(b"%PDF-1.4 ban khac")
    for _ in range(2):
        loaded = _load(minimal_project)
        _assert_same_as_without_caches(minimal_project, loaded)
        assert f"{PLAN}:[source.sha256]" in _where(loaded[1])
    copy.write_bytes(b"%PDF-1.4 ban goc")
    assert _load(minimal_project) == first


def test_a_plan_wrong_in_itself_is_reported_at_its_line_on_every_build(
    minimal_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task id repeated (the model's check of one plan), the plan copied under a second
    name (a check across plans, where the first plan comes from the cache): each reported
    on every build with its file, line and field, as without the cache; the plan with the
    mistake is checked again each time, never taken from the cache."""
    assert _load(minimal_project)[0] is not None
    _replace_all(minimal_project, PLAN, 'id: "4.khong-so-1"', 'id: "4.1"')
    for _ in range(2):
        loaded, validated = _made_again(minimal_project, monkeypatch)
        assert f"{PLAN}:[groups[0].tasks[1].id]" in _where(loaded[1])
        assert PLAN in validated
        _assert_same_as_without_caches(minimal_project, loaded)
    _replace_all(
        minimal_project,
        PLAN,
        'id: "4.1"\n        number: null',
        'id: "4.khong-so-1"\n        number: null',
    )
    assert _load(minimal_project)[0] is not None
    twin = PLAN.removesuffix(".yaml") + ".yml"
    shutil.copyfile(minimal_project / PLAN, minimal_project / twin)
    for _ in range(2):
        loaded, validated = _made_again(minimal_project, monkeypatch)
        assert _where(loaded[1]) == [f"{twin}:[id]"]
        assert loaded[1][0].line == 1 and PLAN in loaded[1][0].message
        assert PLAN not in validated
        _assert_same_as_without_caches(minimal_project, loaded)


def test_a_damaged_model_entry_is_not_used_and_is_made_again(minimal_project: Path) -> None:
    """A plan's entry that is not a pickle, one cut short, one another version of the model
    wrote, one holding another file's plan, one of the right kind holding the wrong kinds of
    values, and the other files' entry damaged: each is read past, the load is a clean one,
    and a sound entry is written in its place."""
    first = _load(minimal_project)
    assert first[0] is not None
    entry = _entry_of(minimal_project, PLAN)
    good = entry.read_bytes()
    key, name, made = pickle.loads(good)
    assert isinstance(made, MadePlan)
    others = next(p for n, p in _model_entries(minimal_project).items() if n.startswith("others"))
    elsewhere = "data/plans/tinh-a-2-kh-ubnd-2025.yaml"
    lies = {
        entry: {
            "not a pickle": b"\x00 not a pickle \xff",
            "cut short": good[: len(good) // 2],
            "another version": pickle.dumps(("0" * 64, name, made)),
            "another file's": pickle.dumps((key, name, replace(made, path=elsewhere))),
            "wrong kinds of values": pickle.dumps((key, name, replace(made, plan="khac"))),
        },
        others: {"not a pickle": b"\x00", "cut short": others.read_bytes()[:100]},
    }
    for damaged, texts in lies.items():
        for what, text in texts.items():
            damaged.write_bytes(text)
            loaded = _load(minimal_project)
            assert loaded == first, what
            _assert_same_as_without_caches(minimal_project, loaded)
            assert _load(minimal_project) == first, what
            assert damaged.read_bytes() != text, what
    # Another version's folder: never read, and gone once the plans have been taken.
    older = ModelCache(minimal_project / ".cache" / "model", key="0" * 64)
    older.put_plan(DataText(PLAN, b"", b""), replace(made, plan=None))
    assert _load(minimal_project) == first
    assert [p.name for p in (minimal_project / ".cache" / "model").iterdir()] == [
        ModelCache(minimal_project / ".cache" / "model").key[:32]
    ]


def _model_key(package_parent: Path) -> str:
    code = "from generator.model import model_key; print(model_key())"
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=package_parent
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", ["timeline.py", "domain.py", "render/plans.py"])
def test_what_the_model_made_is_not_trusted_across_a_change_of_the_generators_code(
    tmp_path: Path, module: str
) -> None:
    """The cache's key (its folder) changes with any of the generator's modules: those the
    model runs, the values it makes, and the others (a change anywhere may reach them)."""
    copy = tmp_path / "copy"
    shutil.copytree(
        ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    before = _model_key(copy)
    with (copy / "generator" / module).open("a", encoding="utf-8") as stream:
        stream.write("\n# changed\n")
    assert _model_key(copy) != before


class _Held:
    """An object a weak reference can watch."""

    def __init__(self) -> None:
        self.cycle = self


def test_loading_again_in_one_process_lets_go_of_what_the_last_load_held(
    minimal_project: Path,
) -> None:
    """`mkdocs serve` loads the portal again in one process on every edit: loading leaves the
    objects there are out of the collector's rounds (gc.freeze), and the next load gives them
    back, so that what was dropped in between, cycles included, is freed."""
    held = _Held()
    watched = weakref.ref(held)
    cli._loaded(minimal_project)
    assert gc.isenabled()
    del held
    gc.collect()
    assert watched() is not None  # frozen: the collector's rounds leave it
    cli._loaded(minimal_project)
    assert watched() is None


def test_a_registry_edit_that_changes_no_answer_makes_no_plan_again(
    minimal_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agency added in another province: the plan's questions get the answers they got,
    so it is taken from the cache, not checked again; and it is noted as standing against the
    new registry, so that the build after that does not ask its questions again either."""
    first = _load(minimal_project)
    assert first[0] is not None
    _replace_all(
        minimal_project,
        "data/agencies/tinh-b.yaml",
        "agencies:\n",
        "agencies:\n  - id: tinh-b/so-moi\n    name: Sở Mới tỉnh B\n    kind: body\n",
    )
    asked = []
    unpickled = model.unpickled

    def counting(data: bytes) -> object:
        asked.append(data)
        return unpickled(data)

    monkeypatch.setattr(model, "unpickled", counting)
    for questions in (1, 0):  # its questions asked again, then not
        loaded, validated = _made_again(minimal_project, monkeypatch)
        assert PLAN not in validated
        assert len(asked) == questions
        assert loaded[0] is not None and first[0] is not None
        assert loaded[0].plans == first[0].plans
        _assert_same_as_without_caches(minimal_project, loaded)
        asked.clear()
