"""`python -m generator generate` after an edit takes the plans' and agencies' pages whose
inputs did not change from the last build instead of making them again (issue 14), and docs/
is then byte for byte what a clean `generate` of the same data and templates makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_generator
from test_data_errors import snapshot
from test_exports import portal_of

from generator import synth
from generator.deadlines import all_deadlines
from generator.render import units

BUILT_ON = "2026-11-30"
_REUSED = re.compile(
    r"dùng lại trang của (\d+) kế hoạch, (\d+) cơ quan và tệp JSON của (\d+) kế hoạch, (\d+) cơ quan"
)


def _generate_reusing(project: Path, built: str = BUILT_ON) -> tuple[int, int, int, int]:
    """Run generate; how many plans' and agencies' pages, then plans' and agencies' JSON
    twins, it reused, from its summary line."""
    result = run_generator(project, "generate", "--build-date", built)
    assert result.returncode == 0, result.stdout + result.stderr
    found = _REUSED.search(result.stdout)
    assert found, result.stdout
    return int(found[1]), int(found[2]), int(found[3]), int(found[4])


_DOWNLOADS_REUSED = re.compile(r"(\d+) bộ tệp tải về, ")
_DEADLINES_REUSED = re.compile(r"trang thời hạn của (\d+) nơi\)")


def _generate_downloads(project: Path, built: str = BUILT_ON) -> int:
    """Run generate; how many download sets (tables and calendar) it reused."""
    result = run_generator(project, "generate", "--build-date", built)
    assert result.returncode == 0, result.stdout + result.stderr
    found = _DOWNLOADS_REUSED.search(result.stdout)
    assert found, result.stdout
    return int(found[1])


def _download_sets(project: Path) -> int:
    """How many download sets the last build's record holds; every calendar under docs/ is
    one of their files."""
    record = units.load_record(project / ".cache" / "units.pickle")
    assert record is not None
    made = {u: record.made(row) for u, row in record.units.items() if u[0] == "download"}
    calendars = {path for files in made.values() for path, _, _ in files if path.endswith(".ics")}
    docs = project / "docs"
    assert calendars == {p.relative_to(docs).as_posix() for p in docs.rglob("*.ics")}
    return len(made)


def _generate(project: Path, built: str = BUILT_ON) -> tuple[int, int]:
    """Run generate; (plans, agencies) whose pages it reused."""
    return _generate_reusing(project, built)[:2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a 12-plan synthetic project never generated, the same project generated once)."""
    folder = tmp_path_factory.mktemp("units")
    pristine = folder / "pristine"
    made = run_generator(ROOT, "synth", "--plans", "12", "--seed", "1", "--out", str(pristine))
    assert made.returncode == 0, made.stderr
    generated = folder / "generated"
    shutil.copytree(pristine, generated)
    assert _generate(generated) == (0, 0)
    return pristine, generated


def _edited(corpus: tuple[Path, Path], target: Path) -> Path:
    """A copy of the generated project (files keep their times, .cache/ its record)."""
    shutil.copytree(corpus[1], target)
    return target


def _assert_same_as_clean(
    project: Path, pristine: Path, clean: Path, built: str = BUILT_ON
) -> None:
    """A never-generated copy given `project`'s data and templates, generated once, has the
    same docs/ as `project`: the same files, the same bytes."""
    shutil.copytree(pristine, clean)
    for part in ("data", "templates"):
        shutil.rmtree(clean / part)
        shutil.copytree(project / part, clean / part)
    _generate(clean, built)
    incremental, expected = snapshot(project / "docs"), snapshot(clean / "docs")
    # The downloads are compared too: the tables and the calendars.
    assert {rel.split("/")[0] for rel in expected} >= {"du-lieu", "thoi-han"}
    assert sorted(incremental.keys() ^ expected.keys()) == []
    assert [rel for rel in expected if incremental[rel] != expected[rel]] == []


def _plans(project: Path) -> list[Path]:
    return sorted((project / "data" / "plans").glob("*.yaml"))


def _agency_pages(project: Path) -> int:
    return len(list((project / "docs" / "co-quan").glob("*/*/index.md")))


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _task_text(project: Path) -> None:
    synth.edit_one_task(project)


def _lead_agency(project: Path) -> None:
    """The first task's lead becomes the agency it named in support (another registry
    agency of the plan's jurisdiction)."""
    path = _plans(project)[0]
    text = path.read_text(encoding="utf-8")
    lead = re.search(r"\n    lead: \[.*\]\n", text)
    assert lead
    support = re.search(r"\n    support: (\[.+\])\n", text[lead.end() - 1 :])
    assert support and support[1] not in lead[0]
    _replace_once(path, lead[0], f"\n    lead: {support[1]}\n")


def _plan_removed(project: Path) -> None:
    _plans(project)[-1].unlink()


def _replacing_plan(project: Path) -> Path:
    """A new plan replacing the last one: the last plan's file under a new id."""
    old = _plans(project)[-1]
    new = old.with_name(old.stem + "-thay-the.yaml")
    text = old.read_text(encoding="utf-8").replace(f"id: {old.stem}\n", f"id: {new.stem}\n", 1)
    text, replaced = re.subn(r"\nreplaces: .*\n", f"\nreplaces: [{old.stem}]\n", text, count=1)
    assert replaced == 1
    new.write_text(text, encoding="utf-8")
    return new


def _agency_renamed(project: Path) -> None:
    registry = sorted((project / "data" / "agencies").glob("*.yaml"))[0]
    text = registry.read_text(encoding="utf-8")
    name = re.search(r"\n  name: (.+)\n", text)
    assert name
    _replace_once(registry, name[0], f"\n  name: {name[1]} (tên mới)\n")


def _document_title(project: Path) -> None:
    documents = project / "data" / "documents.yaml"
    title = re.search(r"\n  title: (.+)\n", documents.read_text(encoding="utf-8"))
    assert title
    _replace_once(documents, title[0], f"\n  title: {title[1]} (sửa)\n")


def _template(project: Path) -> None:
    template = project / "templates" / "group.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nMẫu đã sửa.\n", "utf-8")


EDITS: dict[str, Callable[[Path], object]] = {
    "task_text": _task_text,
    "lead_agency": _lead_agency,
    "plan_removed": _plan_removed,
    "agency_renamed_in_registry": _agency_renamed,
    "document_title": _document_title,
    "template": _template,
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_generated_incrementally_equals_a_clean_generate(
    edit: str, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    project = _edited(corpus, tmp_path / "project")
    EDITS[edit](project)
    _generate(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")


def test_one_plan_edited_makes_only_its_pages_and_its_agencies_again(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """A task's text edited: the other eleven plans' pages and JSON twins are reused, and
    those of the agencies the plan does not name."""
    project = _edited(corpus, tmp_path / "project")
    synth.edit_one_task(project)
    plans, agencies, plan_twins, agency_twins = _generate_reusing(project)
    assert plans == plan_twins == 11
    assert 0 < agencies < _agency_pages(project)
    assert 0 < agency_twins < _agency_pages(project)


def test_a_plan_replacing_another_added_then_removed_equals_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """The replaced plan's page says it is replaced, then no longer: each time as a clean
    generate has it."""
    project = _edited(corpus, tmp_path / "project")
    added = _replacing_plan(project)
    plans, _ = _generate(project)
    assert plans < 12  # the replaced plan's page changed: not reused
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean-added")
    added.unlink()
    _generate(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean-removed")


def test_nothing_changed_reuses_every_plan_and_agency(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """Their pages and their JSON twins alike."""
    project = _edited(corpus, tmp_path / "project")
    before = snapshot(project / "docs")
    agencies = _agency_pages(project)
    assert _generate_reusing(project) == (12, agencies, 12, agencies)
    assert snapshot(project / "docs") == before


def test_another_build_date_makes_the_json_twins_again_not_the_pages(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """The twins say the build date and the next dates due; the plans' and agencies' pages
    show neither, so they are reused. docs/ is then what a clean generate on that day makes."""
    project = _edited(corpus, tmp_path / "project")
    agencies = _agency_pages(project)
    assert _generate_reusing(project, "2027-03-01") == (12, agencies, 0, 0)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean", "2027-03-01")


@pytest.mark.parametrize("name", ["index.md", "index.json"])
@pytest.mark.parametrize("change", ["deleted", "changed by hand"])
def test_a_plan_file_gone_from_docs_is_made_again(
    change: str, name: str, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """A generated page or JSON twin deleted from docs/ (or edited there) is not taken as it
    stands: its plan's pages (or twins) are made again, and the file is back as the last
    build made it."""
    project = _edited(corpus, tmp_path / "project")
    page = project / "docs" / "ke-hoach" / _plans(project)[0].stem / name
    made = page.read_bytes()
    if change == "deleted":
        page.unlink()
    else:
        page.write_bytes(made[:-1] + b" \n")
    plans, _, plan_twins, _ = _generate_reusing(project)
    assert (plans, plan_twins) == ((11, 12) if name == "index.md" else (12, 11))
    assert page.read_bytes() == made


def test_one_plan_edited_makes_only_the_download_sets_holding_it_again(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """A task's text edited: the plan's set, its jurisdiction's, its agencies' and the
    national set are made again, the other download sets are kept; docs/ is then what a
    clean generate makes (the tables and calendars byte for byte, the open data page's
    sizes of the kept ones)."""
    project = _edited(corpus, tmp_path / "project")
    sets = _download_sets(project)
    synth.edit_one_task(project)
    kept = _generate_downloads(project)
    assert 12 <= kept <= sets - 4
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")


def test_nothing_changed_keeps_every_download_set(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every table and calendar is left as it is, and the open data page still gives each
    one's size; the workbooks and calendars cached for them stay in the cache (for when an
    edit makes a set again with the same rows), though this build neither made nor read
    them."""
    project = _edited(corpus, tmp_path / "project")
    before = snapshot(project / "docs")
    cached = snapshot(project / ".cache" / "downloads")
    assert _generate_downloads(project) == _download_sets(project) > 12
    assert snapshot(project / "docs") == before
    assert snapshot(project / ".cache" / "downloads") == cached


@pytest.mark.parametrize(
    "name", ["du-lieu/nhiem-vu.json", "thoi-han/tat-ca.ics", "du-lieu/ke-hoach/{plan}.xlsx"]
)
def test_a_download_gone_from_docs_is_made_again(
    name: str, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """A table or calendar deleted from docs/: its set is made again (the others kept), and
    the file is back as the last build made it."""
    project = _edited(corpus, tmp_path / "project")
    sets = _download_sets(project)
    download = project / "docs" / name.format(plan=_plans(project)[0].stem)
    made = download.read_bytes()
    download.unlink()
    assert _generate_downloads(project) == sets - 1
    assert download.read_bytes() == made


def test_another_build_date_makes_every_download_set_again(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every table and calendar says the build date and counts the next dates due from it:
    none is kept, and docs/ is what a clean generate on that day makes."""
    project = _edited(corpus, tmp_path / "project")
    assert _generate_downloads(project, "2027-03-01") == 0
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean", "2027-03-01")


def _deadline_places(project: Path) -> int:
    """How many places' deadlines pages (the overview among them) the last build's record
    holds."""
    record = units.load_record(project / ".cache" / "units.pickle")
    assert record is not None
    return sum(1 for unit in record.units if unit[0] == "deadlines")


def test_one_plan_edited_makes_again_only_the_deadlines_pages_of_its_place_and_province(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """A task's text edited: the deadlines pages made again are the overview's, the plan's
    place's and its province's (which counts its communes' deadlines); every other place's
    are kept. Nothing changed: all are kept."""
    project = _edited(corpus, tmp_path / "project")
    edited = synth.edit_one_task(project)
    place = re.search(r"\njurisdiction: (.+)\n", edited.read_text(encoding="utf-8"))
    assert place
    parent = portal_of(project / "data").jurisdictions[place[1]].parent
    remade = {"", place[1], parent or place[1]}
    result = run_generator(project, "generate", "--build-date", BUILT_ON)
    assert result.returncode == 0, result.stdout + result.stderr
    reused = _DEADLINES_REUSED.search(result.stdout)
    assert reused, result.stdout
    places = _deadline_places(project)
    assert places > len(remade)
    assert int(reused[1]) == places - len(remade)
    again = run_generator(project, "generate", "--build-date", BUILT_ON)
    found = _DEADLINES_REUSED.search(again.stdout)
    assert found and int(found[1]) == places


@pytest.mark.parametrize("left", ["by an older generator", "cut short"])
def test_a_record_it_cannot_read_makes_every_page_again(
    left: str, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """The last build's record left in another layout (by the generator before an update)
    or damaged: generate does not fail on it, makes every plan's and agency's pages again,
    and records afresh, so that the next generate reuses them all."""
    project = _edited(corpus, tmp_path / "project")
    record = project / ".cache" / "units.pickle"
    if left == "cut short":
        record.write_bytes(record.read_bytes()[: record.stat().st_size // 2])
    else:
        # What the first layout unpickles to (a read a tuple, a unit's reads and files
        # tuples), for this very build: only its layout differs.
        now = units.load_record(record)
        assert now is not None
        older = object.__new__(units.Record)
        older.__dict__.update(
            key=now.key,
            reads=(("plans", "key", _plans(project)[0].stem),),
            fingerprints=(bytes(16),),
            units={("plan", _plans(project)[0].stem): ((0,), (("ke-hoach/x/index.md", 1, 1),))},
        )
        record.write_bytes(pickle.dumps((1, older)))
    assert _generate(project) == (0, 0)
    assert _generate(project) == (12, _agency_pages(project))


def _leads_swapped(project: Path) -> None:
    """Two tasks of the first plan, led by agencies none of which leads both, swap their
    leads: each of those agencies leads as many of the plan's tasks as before, other ones."""
    path = _plans(project)[0]
    text = path.read_text(encoding="utf-8")
    leads = list(re.finditer(r"\n    lead: \[(.+)\]\n", text))
    first = leads[0]
    second = next(m for m in leads[1:] if not {*m[1].split(", ")} & {*first[1].split(", ")})
    swapped = (
        text[: first.start()]
        + f"\n    lead: [{second[1]}]\n"
        + text[first.end() : second.start()]
        + f"\n    lead: [{first[1]}]\n"
        + text[second.end() :]
    )
    path.write_text(swapped, encoding="utf-8")


def test_two_tasks_swapping_leads_equals_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """Agencies' deadlines and tasks move to another task of the same plan: their
    calendars, tables, JSON twins and pages say which task is theirs now, as a clean
    generate has them."""
    project = _edited(corpus, tmp_path / "project")
    _leads_swapped(project)
    plans, agencies = _generate(project)
    assert plans == 11 and agencies < _agency_pages(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")


def test_a_plan_made_to_replace_another_then_not_equals_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """One plan's file edited to replace another plan: the other plan's file is unchanged,
    yet its deadlines leave its calendars, its place's and its agencies' (they are no longer
    due); the edit undone, they are back. Each time as a clean generate has it."""
    project = _edited(corpus, tmp_path / "project")
    editing, replaced = _plans(project)[0], _plans(project)[1]
    before = editing.read_text(encoding="utf-8")
    _replace_once(editing, "\nreplaces: []\n", f"\nreplaces: [{replaced.stem}]\n")
    calendar = project / "docs" / "thoi-han" / "ke-hoach" / f"{replaced.stem}.ics"
    listed = calendar.read_bytes()
    _generate(project)
    assert calendar.read_bytes() != listed
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean-replaced")
    editing.write_text(before, encoding="utf-8")
    _generate(project)
    assert calendar.read_bytes() == listed
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean-again")


def test_a_fingerprint_of_deadlines_tells_their_plans_order_and_replacement_apart(
    corpus: tuple[Path, Path],
) -> None:
    """A unit reading a sequence of deadlines (a download set's, an agency's) finds another
    fingerprint when its plans come in another order, when one of them is replaced by a plan
    (which its file does not say), when a plan's file changes, or when it holds fewer of a
    plan's deadlines; the same deadlines made again find the same one."""
    portal = portal_of(corpus[0] / "data")
    first, second = list(portal.plans)[:2]
    deadlines = all_deadlines(portal, dt.date.fromisoformat(BUILT_ON))
    of_first = tuple(d for d in deadlines if d.plan.id == first)
    of_second = tuple(d for d in deadlines if d.plan.id == second)
    assert of_first and of_second
    digests = {first: bytes(32), second: bytes([1]) * 32}

    def fingerprint(value: object, plans: dict[str, bytes] = digests) -> bytes:
        found = units.Fingerprints(plans)
        found.add({"deadlines": lambda: {"k": value}})
        return found.of(("deadlines", "key", "k"))

    both = fingerprint(of_first + of_second)
    again = all_deadlines(portal_of(corpus[0] / "data"), dt.date.fromisoformat(BUILT_ON))
    assert fingerprint([d for d in again if d.plan.id in (first, second)]) == both
    assert fingerprint(of_second + of_first) != both
    replaced = tuple(dataclasses.replace(d, replaced=True) for d in of_first)
    assert fingerprint(replaced + of_second) != both
    assert fingerprint(of_first + of_second, digests | {first: bytes([2]) * 32}) != both
    assert fingerprint(of_first[:-1] + of_second) != both


def test_a_file_put_by_hand_into_a_generated_folder_is_removed(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """As by every generate: the writer lists only the folders changed since the last build
    (from the inventory it left in .cache/), and one a file was put into is among them. Here
    the last build found every folder older than itself (its inventory vouches for them all),
    then a plan was removed and files were put by hand into a plan's folder and into a new
    folder of the downloads: docs/ is then what a clean generate makes."""
    project = _edited(corpus, tmp_path / "project")
    docs = project / "docs"
    for folder in [p for p in docs.rglob("*") if p.is_dir()]:
        os.utime(folder, (1_000_000_000, 1_000_000_000))
    _generate(project)
    (docs / "ke-hoach" / _plans(project)[0].stem / "ghi-chu.md").write_text("viết tay", "utf-8")
    (docs / "du-lieu" / "moi").mkdir()
    (docs / "du-lieu" / "moi" / "bang.csv").write_text("viết tay", "utf-8")
    _plan_removed(project)
    _generate(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")
