"""The national set of downloads and each jurisdiction's are joined from their plans' parts
(each plan's rows and events, kept in the cache by what they are made from), so that an edit
makes one plan's parts again instead of the whole set: the files are the ones made whole
(the same bytes for JSON, CSV and calendar; the workbook's members the same once inflated,
openpyxl reading the same cells and hyperlinks), and an edit then a rebuild gives what a
clean build gives."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar
from test_exports import BUILT, SITE, portal_of, zip_members
from test_unit_reuse import _assert_same_as_clean, _edited, _generate_downloads, _plans, corpus

from generator import exports, ics, opendata, urls
from generator.deadlines import all_deadlines
from generator.domain import Portal
from generator.opendata import DownloadSet, download_files, download_sets

__all__ = ["corpus"]  # the fixture, shared with test_unit_reuse


@pytest.fixture(scope="module")
def portal(corpus: tuple[Path, Path]) -> Portal:
    """The synthetic corpus: several plans in some jurisdictions (the seed data has one in
    each)."""
    return portal_of(corpus[0] / "data")


def _joined(portal: Portal) -> list[DownloadSet]:
    """Sets joined from plans: everything, and a jurisdiction's with several plans (in the
    synthetic corpus each commune has one: here, three plans as if they were one's)."""
    everything = download_sets(portal, all_deadlines(portal, BUILT))[0]
    some = [d for d in everything.deadlines if d.plan.id in list(portal.plans)[3:6]]
    place = opendata._set(
        ["x"], urls.jurisdiction_data_url, urls.jurisdiction_feed_url, some, "Nơi & <x>"
    )
    joined = [everything, place]
    assert all(opendata._joined_runs(one) is not None for one in joined)
    return joined


def _files(portal: Portal, cache: Path | None) -> dict[str, bytes]:
    made = download_files(portal, all_deadlines(portal, BUILT), SITE, BUILT, cache)
    return {f.path: f.data for f in made}


def test_sets_joined_from_plans_are_the_files_made_whole(portal: Portal) -> None:
    for one in _joined(portal):
        files = {f.path: f.data for f in opendata.set_files(one, SITE, BUILT)}
        url_of, feed_url = one.places[0]
        records = exports.task_records(one.deadlines, SITE)
        events = ics.feed_events(one.deadlines, SITE, one.agency_id)
        assert files[url_of("json")] == exports.made_in_memory(
            exports.write_tasks_json, records, BUILT
        )
        assert files[url_of("csv")] == exports.made_in_memory(exports.write_tasks_csv, records)
        assert files[feed_url] == ics.feed_bytes(events, one.feed_name, BUILT)
        whole = exports.tasks_xlsx(records, BUILT, one.table_title)
        joined = files[url_of("xlsx")]
        assert joined != whole  # compressed plan by plan
        assert zip_members(joined) == zip_members(whole)
        assert _cells_and_links(joined) == _cells_and_links(whole)
        assert len(Calendar.from_ical(files[feed_url]).walk("VEVENT")) == len(events)


def _cells_and_links(book: bytes) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    links = [
        (c.coordinate, c.hyperlink.target) for row in sheet.iter_rows() for c in row if c.hyperlink
    ]
    assert len(links) == len(cells) - 1  # one a task
    return cells, links


def test_sets_joined_from_the_cache_are_the_ones_joined_from_fresh_parts(
    portal: Portal, tmp_path: Path
) -> None:
    fresh = _files(portal, None)
    assert _files(portal, tmp_path) == fresh  # parts made and kept
    parts = sorted(p.name for p in tmp_path.glob("*.part"))
    assert len(parts) == len(portal.plans)  # one a plan, shared by its sets
    assert _files(portal, tmp_path) == fresh  # parts read back
    assert sorted(p.name for p in tmp_path.glob("*.part")) == parts


@pytest.mark.parametrize("damage", ["cut short", "a byte changed", "not a part"])
def test_a_damaged_part_is_made_again_never_published(
    damage: str, portal: Portal, tmp_path: Path
) -> None:
    fresh = _files(portal, tmp_path)
    damaged = sorted(tmp_path.glob("*.part")) + sorted(tmp_path.glob("*.book"))
    for path in damaged:
        data = path.read_bytes()
        if damage == "cut short":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "a byte changed":  # inside the text or data the part holds: it unpickles
            at = len(data) // 2
            path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
        else:
            path.write_bytes(
                data.replace(b"_TablePart", b"_TableBart").replace(b"BookPart", b"BookBart")
            )
    assert _files(portal, tmp_path) == fresh
    assert _files(portal, None) == fresh  # and the damaged parts were written again, whole
    assert all(opendata._part_found(p, object) is not None for p in damaged)


def test_a_member_from_compressed_segments_is_the_one_zipfile_writes() -> None:
    """A worksheet given to the archive as compressed segments, all in one, is what zipfile
    writes when it compresses the text itself; cut in several, each compressed against the
    text before it, it reads back the same."""
    text = "".join(f"<row r='{n}'>Việt {n * n}</row>" for n in range(5000)).encode()

    def archive(write: object) -> bytes:
        out = io.BytesIO()
        with exports._DatedZip(out, exports.dt.datetime(2026, 11, 30)) as made:
            made.writestr("a.xml", b"<a/>")
            write(made)  # type: ignore[operator]
            made.writestr("z.xml", b"<z/>")
        return out.getvalue()

    by_zipfile = archive(lambda z: z.writestr("sheet.xml", text))
    one = archive(lambda z: z.write_deflated("sheet.xml", [exports.deflated(text, final=True)]))
    assert one == by_zipfile
    cuts = [0, 1, 7, 40_000, len(text) - 3, len(text)]
    segments = [  # each compressed against the text before it
        exports.deflated(text[a:b], final=b == len(text), after=text[:a])
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    several = archive(lambda z: z.write_deflated("sheet.xml", segments))
    assert zip_members(several) == zip_members(by_zipfile)
    assert zipfile.ZipFile(io.BytesIO(several)).testzip() is None


def _task_added(project: Path) -> None:
    """A copy of a plan's first task, under an id of its own: every plan after it starts a
    row further down in the national workbook."""
    plans = _plans(project)
    path = plans[len(plans) // 2]
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  - id: ", text.index("\n  tasks:\n")) + 1
    end = text.index("\n  - ", start) + 1
    group = re.search(r"^  - id: '?([^.'\n]+)\.", text[start:end], re.M)
    assert group
    # An unnumbered line, under the id the data gives one.
    added = f"  - id: '{group[1]}.khong-so-1'"
    task = re.sub(r"^  - id: .*$", added, text[start:end], count=1, flags=re.M)
    task = re.sub(r"^    number: .*$", "    number: null", task, count=1, flags=re.M)
    path.write_text(text[:end] + task + text[end:], encoding="utf-8")


def test_a_task_added_then_generated_equals_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """The edited plan's parts are made again, and the workbook's parts of the plans after
    it (they start at another row); the others are read back from the cache."""
    project = _edited(corpus, tmp_path / "project")
    cache = project / ".cache" / "downloads"
    tables, books = {p.name for p in cache.glob("*.part")}, {p.name for p in cache.glob("*.book")}
    _task_added(project)
    _generate_downloads(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")
    made_tables = {p.name for p in cache.glob("*.part")} - tables
    made_books = {p.name for p in cache.glob("*.book")} - books
    assert len(made_tables) == 1
    assert 1 < len(made_books) < len(books)
    assert len(tables) == len({p.name for p in cache.glob("*.part")})  # the old one pruned


def test_the_last_task_of_a_plan_edited_then_generated_equals_a_clean_generate(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """The plan's workbook part is made again, and the next plan's, compressed against the
    text of the rows above it; the others are read back from the cache, and those no longer
    used are pruned."""
    project = _edited(corpus, tmp_path / "project")
    cache = project / ".cache" / "downloads"
    books = {p.name for p in cache.glob("*.book")}
    plans = _plans(project)
    path = plans[len(plans) // 2]
    text = path.read_text(encoding="utf-8")
    at = text.rindex("\n    text: ") + len("\n    text: ")
    at += text[at] in "'\""  # inside the quotes
    path.write_text(text[:at] + "Đã sửa. " + text[at:], encoding="utf-8")
    _generate_downloads(project)
    _assert_same_as_clean(project, corpus[0], tmp_path / "clean")
    now = {p.name for p in cache.glob("*.book")}
    assert len(now - books) == 2
    assert len(books - now) == 2  # the parts they replace, no longer used: pruned
