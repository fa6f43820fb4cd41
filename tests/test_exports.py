"""Downloads as the people using them meet them: calendars that Outlook or Google Calendar
subscribe to (parsed with `icalendar`), workbooks opened with openpyxl, CSV read the way a
script reads it (utf-8-sig), JSON checked against its published schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from icalendar import Calendar

from generator import exports, ics, urls
from generator.deadlines import all_deadlines
from generator.domain import Portal
from generator.load import load_data
from generator.model import build_portal
from generator.opendata import download_files, download_sets

DATA = Path(__file__).resolve().parent.parent / "data"
SITE = "https://cong-ke-hoach.github.io/cong-ke-hoach/"
BUILT = dt.date(2026, 11, 30)


def portal_of(data: Path) -> Portal:
    raw, errors = load_data(data)
    assert not errors
    return build_portal(raw)[0]


def files_of(portal: Portal, built: dt.date = BUILT) -> dict[str, bytes]:
    files = download_files(portal, all_deadlines(portal, built), SITE, built)
    return {f.path: f.data for f in files}


@pytest.fixture(scope="module")
def portal() -> Portal:
    return portal_of(DATA)


@pytest.fixture(scope="module")
def files(portal: Portal) -> dict[str, bytes]:
    return files_of(portal)


def calendars(files: dict[str, bytes]) -> dict[str, Calendar]:
    return {path: Calendar.from_ical(data) for path, data in files.items() if path.endswith(".ics")}


def uids(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        path: [str(e["UID"]) for e in cal.walk("VEVENT")] for path, cal in calendars(files).items()
    }


def test_there_is_a_feed_for_everything_each_plan_and_each_agency(
    portal: Portal, files: dict[str, bytes]
) -> None:
    feeds = set(calendars(files))
    assert urls.ALL_FEED_URL in feeds
    assert {urls.plan_feed_url(p) for p in portal.plans} <= feeds
    assert urls.agency_feed_url("nghe-an/nhcsxh-chi-nhanh-tinh") in feeds
    assert urls.agency_feed_url("trung-uong/ban-chinh-sach-chien-luoc-trung-uong") in feeds


def test_every_feed_parses_and_its_events_link_to_their_task(files: dict[str, bytes]) -> None:
    for path, cal in calendars(files).items():
        events = cal.walk("VEVENT")
        assert str(cal["VERSION"]) == "2.0", path
        for event in events:
            assert str(event["URL"]).startswith(SITE + "ke-hoach/"), path
            assert str(event["URL"]) in str(event["DESCRIPTION"])
    everything = calendars(files)[urls.ALL_FEED_URL].walk("VEVENT")
    assert len(everything) == len({str(e["UID"]) for e in everything})  # one event a deadline


def test_yearly_deadline_is_one_recurring_event_quoting_its_timeline(
    files: dict[str, bytes],
) -> None:
    plan_feed = calendars(files)[urls.plan_feed_url("nghe-an-686-kh-ubnd-2025")]
    event = next(
        e
        for e in plan_feed.walk("VEVENT")
        if str(e["UID"]).startswith("nghe-an-686-kh-ubnd-2025/6@")
    )
    assert event["RRULE"]["FREQ"] == ["YEARLY"]
    assert event.decoded("DTSTART") == dt.date(2025, 10, 1)
    assert "Thời hạn (nguyên văn): Định kỳ hằng năm (trước ngày 01/10)" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == SITE + "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-6"
    # A one-off deadline does not recur.
    august = next(
        e for e in plan_feed.walk("VEVENT") if str(e["UID"]).endswith("/1.2@cong-ke-hoach")
    )
    assert "RRULE" not in august
    assert august.decoded("DTSTART") == dt.date(2025, 8, 31)


def test_agency_feed_says_what_the_agency_does(files: dict[str, bytes]) -> None:
    feed = calendars(files)[urls.agency_feed_url("trung-uong/ban-chinh-sach-chien-luoc-trung-uong")]
    (event,) = feed.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("[Nhận báo cáo] ")
    assert "(trước ngày 30/10 hàng năm)" in str(event["DESCRIPTION"])
    assert event["RRULE"]["FREQ"] == ["YEARLY"]


def test_uids_stay_the_same_across_builds_and_text_edits(portal: Portal, tmp_path: Path) -> None:
    first = uids(files_of(portal, BUILT))
    data = shutil.copytree(DATA, tmp_path / "data")
    plan = data / "plans" / "nghe-an-686-kh-ubnd-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    edited = text.replace("Định kỳ hằng năm báo cáo tình hình", "Hằng năm báo cáo tình hình", 1)
    assert edited != text
    plan.write_text(edited, encoding="utf-8")
    later = uids(files_of(portal_of(data), BUILT + dt.timedelta(days=40)))
    assert later == first
    assert any(first.values())


def test_two_builds_on_the_same_day_are_byte_identical(
    portal: Portal, files: dict[str, bytes]
) -> None:
    again = files_of(portal)
    assert again.keys() == files.keys()
    assert [p for p in files if files[p] != again[p]] == []


def records(files: dict[str, bytes], path: str) -> list[dict[str, object]]:
    return json.loads(files[path])["tasks"]  # type: ignore[no-any-return]


def flat(value: object) -> object:
    return "; ".join(value) if isinstance(value, list) else value


def test_json_follows_its_published_schema(files: dict[str, bytes]) -> None:
    schema = exports.json_schema()
    for path in files:
        if path.startswith("du-lieu/") and path.endswith(".json"):
            jsonschema.validate(json.loads(files[path]), schema)


def test_xlsx_rows_equal_the_json_and_print_on_a4_landscape(files: dict[str, bytes]) -> None:
    for fmt_path in (
        urls.all_tasks_data_url("xlsx"),
        urls.plan_data_url("nghe-an-686-kh-ubnd-2025", "xlsx"),
    ):
        book = openpyxl.load_workbook(io.BytesIO(files[fmt_path]))
        sheet = book.active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [c.header for c in exports.COLUMNS]
        expected = [
            [flat(r[c.key]) or None for c in exports.COLUMNS]
            for r in records(files, fmt_path.removesuffix("xlsx") + "json")
        ]
        got = [
            [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in row]
            for row in rows[1:]
        ]
        assert got == expected
        assert sheet.freeze_panes == "A2"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4 in the OOXML paper size table
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.column_dimensions["F"].width == 70  # the task's text
        assert sheet["F2"].alignment.wrap_text
        assert sheet["A1"].font.bold


def test_csv_opens_with_vietnamese_text_and_equals_the_json(files: dict[str, bytes]) -> None:
    data = files[urls.plan_data_url("nghe-an-686-kh-ubnd-2025", "csv")]
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    task6 = next(r for r in rows if r["Mã nhiệm vụ"] == "6")
    assert task6["Thời hạn (nguyên văn)"] == "Định kỳ hằng năm (trước ngày 01/10)"
    assert task6["Cơ quan chủ trì"].startswith("NHCSXH Chi nhánh tỉnh")
    assert task6["Hạn (đã đọc)"] == "'--10-01"  # not a formula for Excel
    assert task6["Hạn kế tiếp"] == "2027-10-01"
    assert task6["Địa chỉ nhiệm vụ"] == SITE + "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-6"
    expected = records(files, urls.plan_data_url("nghe-an-686-kh-ubnd-2025", "json"))
    assert [list(r.values()) for r in rows] == [
        [exports.csv_cell(flat(r[c.key]) or "") for c in exports.COLUMNS] for r in expected
    ]


def test_text_that_looks_like_a_formula_stays_text(files: dict[str, bytes]) -> None:
    record = {c.key: f"x-{c.key}" for c in exports.COLUMNS}
    record |= {
        "task": '=HYPERLINK("http://x.invalid","bấm")',
        "timeline": "- Tiếp tục",
        "next_due": None,
    }
    record |= {"deadline": "--10-01", "lead": ["@Sở"], "support": []}
    sheet = openpyxl.load_workbook(io.BytesIO(exports.tasks_xlsx([record], BUILT, "t"))).active
    assert sheet is not None
    row = [cell for cell in sheet[2]]
    by_key = {c.key: cell for c, cell in zip(exports.COLUMNS, row, strict=True)}
    assert by_key["task"].data_type == "s"
    assert by_key["task"].value == '=HYPERLINK("http://x.invalid","bấm")'
    assert by_key["deadline"].value == "--10-01"
    (csv_row,) = list(csv.DictReader(io.StringIO(exports.tasks_csv([record]))))
    assert csv_row["Nội dung nhiệm vụ"] == '\'=HYPERLINK("http://x.invalid","bấm")'
    assert csv_row["Thời hạn (nguyên văn)"] == "'- Tiếp tục"
    assert csv_row["Hạn (đã đọc)"] == "'--10-01"
    assert csv_row["Cơ quan chủ trì"] == "'@Sở"
    assert csv_row["Mã nhiệm vụ"] == "x-task_id"  # other text untouched


def test_one_province_is_one_download(portal: Portal, files: dict[str, bytes]) -> None:
    province = records(files, urls.jurisdiction_data_url("nghe-an", "json"))
    assert {r["plan_id"] for r in province} == {
        p.id for p in portal.plans.values() if p.jurisdiction == "nghe-an"
    }
    everything = records(files, urls.all_tasks_data_url("json"))
    assert len(everything) == sum(len(p.tasks) for p in portal.plans.values())


def _record(**values: exports.Value) -> dict[str, exports.Value]:
    return {c.key: f"{c.key} của nhiệm vụ" for c in exports.COLUMNS} | {"next_due": None} | values


HARD_RECORDS = [
    _record(next_due="2027-03-01"),
    _record(next_due="1900-02-10", task=" leading and trailing space "),
    _record(
        task="a & b < c > d \"q\" 'x' \r\n\ttab; 😀 𝒳; Việt NFC",
        lead=["Sở A", "Sở B & C"],
        support=[],
        output=None,
        timeline="",
        group="=SUM(A1)",
        url='https://x.invalid/a?b=1&c="2"<>#nv-1',
    ),
    _record(task="x" * 40_000),  # over Excel's 32,767 characters a cell
]


@pytest.mark.parametrize(
    "rows",
    [[], [_record()], HARD_RECORDS[:1], HARD_RECORDS],
    ids=["no-task", "no-date", "a-date", "hard-text"],
)
@pytest.mark.parametrize("title", ["Nhiệm vụ: Kế hoạch số 167/KH-UBND", 'A & B <c> "d"'])
def test_a_workbook_is_byte_for_byte_the_one_openpyxl_writes(
    rows: list[dict[str, exports.Value]], title: str
) -> None:
    """tasks_xlsx writes the rows itself into parts openpyxl made once: the file must be the
    one openpyxl writes for the same rows (a cache key, a download's hash, a diff of two builds
    all see bytes)."""
    assert exports.tasks_xlsx(rows, BUILT, title) == exports.openpyxl_xlsx(rows, BUILT, title)


def test_every_seed_workbook_is_the_one_openpyxl_writes(files: dict[str, bytes]) -> None:
    """Byte for byte; those joined from their plans' parts (everything; a jurisdiction's
    with several plans: their worksheet compressed plan by plan), member for member once
    inflated."""
    books = [p for p in files if p.endswith(".xlsx")]
    assert len(books) > 10
    joined = [urls.all_tasks_data_url("xlsx")]
    for path in books:
        rows = json.loads(files[path.removesuffix("xlsx") + "json"])["tasks"]
        title = openpyxl.load_workbook(io.BytesIO(files[path])).properties.title
        assert title
        reference = exports.openpyxl_xlsx(rows, BUILT, title)
        if path in joined or len({r["plan_id"] for r in rows}) > 1 and "/dia-ban/" in path:
            assert zip_members(files[path]) == zip_members(reference), path
        else:
            assert files[path] == reference, path


def zip_members(archive: bytes) -> list[tuple[object, ...]]:
    """Each member of a zip archive: its name, what its headers say but the compressed size,
    and its bytes (read back, which checks them against their CRC-32)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return [
            (i.filename, i.date_time, i.compress_type, i.external_attr, i.flag_bits, i.CRC)
            + (i.file_size, i.create_version, i.extract_version, opened.read(i))
            for i in opened.infolist()
        ]


HARD_EVENTS = [
    ics.EventText(
        uid="ke-hoach-x/1.1@cong-ke-hoach",
        first=dt.date(2027, 3, 1),
        yearly=True,
        summary="Nhiệm vụ 1.1, Kế hoạch số 1/KH: “trích”; a\\b, c^d 😀 " * 3,
        description="dòng một\r\ndòng hai\rba\nbốn \\N năm; sáu, bảy\\" + "ệ" * 80,
        url="https://x.invalid/ke-hoach/x/#nv-1-1?a=1,2;3",
    ),
    ics.EventText("u@x", dt.date(2026, 12, 31), False, "", "", "https://x.invalid/"),
    ics.EventText("u2@x", dt.date(2026, 1, 1), False, "x" * 73 + "\\,", "^" * 200, "u"),
]


@pytest.mark.parametrize("count", [0, 1, len(HARD_EVENTS)])
def test_a_feed_is_byte_for_byte_the_one_icalendar_writes(count: int) -> None:
    """feed_bytes writes the events' lines itself (escaping, folding at 75 octets): the file
    must be icalendar's for the same events."""
    events, name = HARD_EVENTS[:count], "Thời hạn: Sở A, B; C\\D " * 4
    assert ics.feed_bytes(events, name, BUILT) == ics.icalendar_feed(events, name, BUILT)


def test_every_seed_feed_is_the_one_icalendar_writes(portal: Portal) -> None:
    sets = download_sets(portal, all_deadlines(portal, BUILT))
    assert len(sets) > 10
    for one in sets:
        events = ics.feed_events(one.deadlines, SITE, one.agency_id)
        made = ics.feed_bytes(events, one.feed_name, BUILT)
        assert made == ics.icalendar_feed(events, one.feed_name, BUILT), one.feed_name
