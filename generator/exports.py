"""Open data: tasks as tables for people who work in Excel and for programs. One column list
(`COLUMNS`) makes the JSON records, the CSV (UTF-8 with BOM, so Excel shows Vietnamese), the
XLSX and the JSON Schema describing them, so the four cannot drift apart. Pure functions that
return bytes or text, or write them row by row to a file (the national files are hundreds of
megabytes); the writer puts them on disk. A file of many plans can also be joined from each
plan's share of it (`json_part`, `csv_part`, `book_part`), made once and kept."""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import datetime as dt
import functools
import io
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generator import names, urls
from generator.deadlines import Deadline, iso_deadline
from generator.domain import Task

Value = str | list[str] | None


@dataclass(frozen=True)
class Column:
    key: str  # JSON field
    header: str  # CSV and XLSX header, as a reader in Excel sees it
    description: str  # in the JSON Schema and on /du-lieu/
    width: int  # XLSX column width, in characters
    value: Callable[[Deadline, str], Value]  # (task deadline, site URL) → cell
    many: bool = False  # a list in JSON, joined with "; " in CSV and XLSX


def _task(d: Deadline) -> Task:
    assert d.task is not None  # only a task's deadline makes a row
    return d.task


def _group(d: Deadline) -> str:
    assert d.group is not None
    return names.group_entry(d.group)


def task_url(d: Deadline, site_url: str) -> str:
    return urls.absolute(site_url, urls.plan_url(d.plan.id) + "#" + _task(d).anchor)


COLUMNS: tuple[Column, ...] = (
    Column("plan_number", "Số kế hoạch", "Số hiệu kế hoạch; null khi văn bản nguồn không ghi", 16,
           lambda d, _: d.plan.number),
    Column("plan_id", "Mã kế hoạch", "Mã cố định của kế hoạch trên cổng", 30, lambda d, _: d.plan.id),
    Column("group", "Nhóm nhiệm vụ", "Số và tên nhóm nhiệm vụ, nguyên văn", 40, lambda d, _: _group(d)),
    Column("task_number", "Số nhiệm vụ", "Số nhiệm vụ như văn bản ghi; null khi không đánh số", 10,
           lambda d, _: _task(d).number),
    Column("task_id", "Mã nhiệm vụ", "Mã cố định của nhiệm vụ trong kế hoạch", 12,
           lambda d, _: _task(d).id),
    Column("task", "Nội dung nhiệm vụ", "Nội dung nhiệm vụ, nguyên văn; null khi văn bản nguồn không ghi", 70, lambda d, _: _task(d).text),
    Column("lead", "Cơ quan chủ trì", "Cơ quan chủ trì, tên như văn bản ghi", 30,
           lambda d, _: [r.written for r in _task(d).lead], many=True),
    Column("support", "Cơ quan phối hợp", "Cơ quan phối hợp, tên như văn bản ghi", 30,
           lambda d, _: [r.written for r in _task(d).support], many=True),
    Column("output", "Sản phẩm", "Sản phẩm đầu ra, nguyên văn; null khi ô trống", 24,
           lambda d, _: _task(d).output),
    Column("timeline", "Thời hạn (nguyên văn)", "Thời hạn như văn bản ghi; null khi ô trống", 24,
           lambda d, _: d.wording),
    Column("deadline", "Hạn (đã đọc)",
           "Hạn đọc từ thời hạn, dạng ISO 8601: YYYY-MM-DD (ngày cuối của tháng, quý, năm, giai "
           "đoạn), --MM-DD (một ngày mỗi năm); null khi thời hạn không nêu ngày", 14,
           lambda d, _: iso_deadline(d)),
    Column("next_due", "Hạn kế tiếp",
           "Ngày đến hạn gần nhất tính từ ngày dựng dữ liệu (YYYY-MM-DD); null khi đã qua hạn hoặc "
           "không có ngày", 14, lambda d, _: d.next.isoformat() if d.next else None),
    Column("url", "Địa chỉ nhiệm vụ", "Địa chỉ cố định của nhiệm vụ trên cổng", 50, task_url),
)  # fmt: skip


def task_records(deadlines: Iterable[Deadline], site_url: str) -> list[dict[str, Value]]:
    """One record a task (reporting duties are not tasks: they are in the calendars)."""
    return [{c.key: c.value(d, site_url) for c in COLUMNS} for d in deadlines if d.task is not None]


def _flat(value: Value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    return value or ""


def tasks_json(records: Sequence[dict[str, Value]], built: dt.date) -> str:
    return made_in_memory(write_tasks_json, records, built).decode("utf-8")


def write_tasks_json(out: BinaryIO, records: Sequence[dict[str, Value]], built: dt.date) -> None:
    """The tasks as JSON, record by record: the national file is hundreds of megabytes, and
    its text would be twice that as one string. The same bytes as one `json.dumps` of
    {"built", "count", "tasks"} (compact separators, no ASCII escaping)."""
    out.write(json_head(len(records), built))
    for number, record in enumerate(records):
        out.write(("," if number else "").encode("ascii") + _compact_json(record).encode("utf-8"))
    out.write(JSON_END)


def json_part(records: Iterable[dict[str, Value]]) -> bytes:
    """Records as a tasks file holds them, comma-separated: one plan's share of a file joined
    from plans (`json_head`, the non-empty parts with a comma between two, `JSON_END`)."""
    return ",".join(_compact_json(record) for record in records).encode("utf-8")


def json_head(count: int, built: dt.date) -> bytes:
    """A tasks file up to its first record: one `json.dumps` of {"built", "count", "tasks"}
    (compact separators, no ASCII escaping), cut inside the list of tasks."""
    head = _compact_json({"built": built.isoformat(), "count": count, "tasks": []})
    return head.removesuffix("]}").encode("utf-8")


JSON_END = b"]}\n"


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def made_in_memory(write: Callable[..., None], *args: Any) -> bytes:
    """The bytes `write(out, *args)` writes, for a file small enough to hold."""
    out = io.BytesIO()
    write(out, *args)
    return out.getvalue()


# Excel reads a CSV cell starting with one of these as a formula: “- Tiếp tục …” (a bullet)
# would show #NAME?, “--10-01” would show 9, “=HYPERLINK(…)” would run.
FORMULA_STARTS = ("=", "+", "-", "@")


def csv_cell(text: str) -> str:
    """`text` as a CSV cell Excel shows as written: after an apostrophe when it would be read
    as a formula (OWASP's advice; the JSON and XLSX keep the text as it is)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def tasks_csv(records: Sequence[dict[str, Value]]) -> str:
    """CSV text; written as UTF-8 with a BOM (`utf-8-sig`) so that Excel reads Vietnamese."""
    return made_in_memory(write_tasks_csv, records).decode("utf-8-sig")


def write_tasks_csv(out: BinaryIO, records: Iterable[dict[str, Value]]) -> None:
    """The CSV's bytes (csv_bytes of tasks_csv), row by row."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for record in records:
        writer.writerow([csv_cell(_flat(record[c.key])) for c in COLUMNS])
    text.flush()
    text.detach()  # `out` stays open: its owner closes it


def csv_part(records: Iterable[dict[str, Value]]) -> bytes:
    """The CSV rows of `records` (UTF-8, no BOM, no header): one plan's share of a file joined
    from plans (`csv_head`, then the parts)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    for record in records:
        writer.writerow([csv_cell(_flat(record[c.key])) for c in COLUMNS])
    return text.getvalue().encode("utf-8")


def csv_head() -> bytes:
    """A CSV file up to its first row: the BOM and the header row."""
    return made_in_memory(write_tasks_csv, [])


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8-sig")


def tasks_xlsx(records: Sequence[dict[str, Value]], built: dt.date, title: str) -> bytes:
    """A workbook ready to print: bold frozen header, wrapped text, A4 landscape, one page wide,
    the header row repeated on each printed page; byte for byte what `openpyxl_xlsx` makes."""
    return made_in_memory(write_tasks_xlsx, records, built, title)


def write_tasks_xlsx(
    out: BinaryIO, records: Sequence[dict[str, Value]], built: dt.date, title: str
) -> None:
    """`tasks_xlsx` written to `out`, the worksheet and its links compressed as their rows
    are made (the national worksheet is hundreds of megabytes of XML before compression).

    openpyxl costs ~5 ms a workbook before its first row (its object model, a temporary file,
    the style and theme parts built again; 12 ms for a plan's 30 tasks, 1.5 ms here), and a
    build makes one per plan, agency and jurisdiction: only the rows are written here, into
    the parts openpyxl made once for a workbook of the same shape (`_book_parts`)."""
    dated = any(isinstance(r["next_due"], str) for r in records)
    parts = _book_parts(bool(records), dated, built)
    made = _members(parts, title, len(records))
    with _DatedZip(out, dt.datetime.combine(built, dt.time())) as archive:
        for name in parts.order:
            if name == _SHEET:
                archive.write_chunks(name, _sheet_chunks(records, parts))
            elif name == _SHEET_RELS:
                archive.write_chunks(name, _link_targets(records))
            else:
                archive.writestr(name, made[name])


def _members(parts: _Parts, title: str, count: int) -> dict[str, bytes]:
    """The members of a workbook of `count` rows titled `title`, but its worksheet and the
    worksheet's relationships."""
    return {
        **parts.fixed,
        _CORE: parts.core.replace(_TITLE_MARK, _utf8_xml(title)).encode(),
        _WORKBOOK: parts.workbook.replace(_LAST_CELL_MARK, f"${_LETTERS[-1]}${count + 1}").encode(),
    }


# Rows written to the archive at a time: fewer calls into the compressor, little held.
_ROWS_A_CHUNK = 256


def _sheet_chunks(records: Sequence[dict[str, Value]], parts: _Parts) -> Iterator[bytes]:
    """The worksheet's XML: its head, each task's row, the filter, each task's hyperlink, its
    tail."""
    yield parts.sheet_head.encode("ascii")
    yield from _chunks(_sheet_row(number, record) for number, record in enumerate(records, 2))
    yield _sheet_middle(len(records))
    yield from _chunks(_hyperlinks(2, len(records)))
    yield _sheet_end(len(records), parts)


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:
    """`lines` joined _ROWS_A_CHUNK at a time, as bytes."""
    held: list[str] = []
    for line in lines:
        held.append(line)
        if len(held) >= _ROWS_A_CHUNK:
            yield "".join(held).encode()
            held = []
    if held:
        yield "".join(held).encode()


def _sheet_middle(count: int) -> bytes:
    """The worksheet between its rows and its hyperlinks: the filter over `count` rows."""
    last = f"{_LETTERS[-1]}{count + 1}"
    links = "<hyperlinks>" if count else ""
    return f'</sheetData><autoFilter ref="A1:{last}"/>{links}'.encode("ascii")


def _hyperlinks(first: int, count: int) -> Iterator[str]:
    """One a task, on its URL cell, from row `first` on; their targets are in the worksheet's
    relationships, `rId1` the first task's (row 2)."""
    url = _LETTERS[[c.key for c in COLUMNS].index("url")]
    for number in range(first, first + count):
        yield f'<hyperlink xmlns:r="{_REL_NS}" ref="{url}{number}" r:id="rId{number - 1}"/>'


def _sheet_end(count: int, parts: _Parts) -> bytes:
    return (("</hyperlinks>" if count else "") + parts.sheet_tail).encode("ascii")


def _sheet_row(number: int, record: dict[str, Value]) -> str:
    cells = [f'<row r="{number}">']
    for letter, c in zip(_LETTERS, COLUMNS, strict=True):
        value = record[c.key]
        if c.key == "next_due" and isinstance(value, str):
            serial = _excel_serial(dt.date.fromisoformat(value))
            cells.append(f'<c r="{letter}{number}" s="3" t="n"><v>{serial}</v></c>')
            continue
        text = _sheet_text(_flat(value))
        if not text:
            cells.append(f'<c r="{letter}{number}" s="2" t="n"></c>')
        else:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            cells.append(
                f'<c r="{letter}{number}" s="2" t="inlineStr"><is><t{space}>'
                f"{_ascii_xml(text)}</t></is></c>"
            )
    cells.append("</row>")
    return "".join(cells)


def _link_targets(records: Sequence[dict[str, Value]]) -> Iterator[bytes]:
    """The worksheet's relationships: each task's hyperlink target, its URL."""
    yield _TARGETS_HEAD
    yield from _chunks(_targets(records, 2))
    yield _TARGETS_END


def _targets(records: Iterable[dict[str, Value]], first: int) -> Iterator[str]:
    """The hyperlink target of each task from row `first` on."""
    for number, record in enumerate(records, first):
        yield (
            f'<Relationship Type="{_REL_NS}/hyperlink" Target="{_xml_attr(str(record["url"]))}" '
            f'TargetMode="External" Id="rId{number - 1}"/>'
        )


@dataclass(frozen=True)
class Deflated:
    """Text compressed on its own into a raw deflate segment ending on a byte boundary
    (Z_SYNC_FLUSH), with its CRC-32 and length: segments laid end to end, the last one
    `final`, are one deflate stream, which a zip member holds as it is (`_DatedZip`)."""

    data: bytes
    crc: int
    size: int


def deflated(text: bytes, final: bool = False, after: bytes = b"") -> Deflated:
    """`text` as a segment of the stream zipfile's compressor (level 6) would make, to follow
    a segment whose text ends with `after` (its last 32 KiB, deflate's window, are what the
    segment may refer back to: the text just before it once inflated); `final` ends the
    stream."""
    window = after[-_WINDOW:]
    compressor = zlib.compressobj(
        zlib.Z_DEFAULT_COMPRESSION,
        zlib.DEFLATED,
        -zlib.MAX_WBITS,
        **({"zdict": window} if window else {}),  # type: ignore[arg-type]
    )
    data = compressor.compress(text) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    )
    return Deflated(data, zlib.crc32(text), len(text))


_WINDOW = 1 << zlib.MAX_WBITS


@dataclass(frozen=True)
class BookPart:
    """One plan's rows of a workbook joined from plans (`write_joined_xlsx`), numbered from
    the row the plan starts at in that workbook."""

    count: int
    dated: bool  # a row has a next date due: the workbook needs the date style
    rows: Deflated  # each task's <row>
    links: Deflated  # each task's <hyperlink>
    targets: Deflated  # each hyperlink's target, in the worksheet's relationships


# Rows of the plan before a part whose text its segments are compressed against: at ~2.3 KB
# a row, about deflate's 32 KiB window. The synthetic national workbook at 1,000 plans takes
# 7.56 MB with none, 6.60 MB with 8, 6.47 MB with 16 (and 32), 6.41 MB as one stream; the
# 16 rows' text costs 0.8 s of CPU in making its parts (a clean build), 32 rows' 1.2 s.
ROWS_ABOVE = 16


def book_part(
    records: Sequence[dict[str, Value]], first: int, above: Sequence[dict[str, Value]] = ()
) -> BookPart:
    """The rows of `records` in a workbook where the first of them is row `first`, after the
    rows of `above` (the last ROWS_ABOVE of the plan before, if any). Each segment is
    compressed against the text of the rows above, which the reader has just inflated."""
    start = first - len(above)
    return BookPart(
        count=len(records),
        dated=any(isinstance(r["next_due"], str) for r in records),
        rows=deflated(_rows_text(records, first), after=_rows_text(above, start)),
        links=deflated(_links_text(first, len(records)), after=_links_text(start, len(above))),
        targets=deflated(_targets_text(records, first), after=_targets_text(above, start)),
    )


def _rows_text(records: Sequence[dict[str, Value]], first: int) -> bytes:
    rows = (_sheet_row(number, record) for number, record in enumerate(records, first))
    return "".join(rows).encode("ascii")


def _links_text(first: int, count: int) -> bytes:
    return "".join(_hyperlinks(first, count)).encode("ascii")


def _targets_text(records: Sequence[dict[str, Value]], first: int) -> bytes:
    return "".join(_targets(records, first)).encode()


def write_joined_xlsx(out: BinaryIO, books: Sequence[BookPart], built: dt.date, title: str) -> None:
    """The workbook of the rows of `books`, each numbered from where the one before ends:
    `write_tasks_xlsx` of their records, member for member (each the same bytes once
    inflated, the same names, dates and order), the worksheet and its relationships
    compressed plan by plan. openpyxl reads the same cells and hyperlinks.

    Why the compressed parts are kept and laid end to end rather than the text joined and
    compressed: at 1,000 plans (31,032 tasks) compressing the 70 MB worksheet takes 1.0 s
    of the workbook's 2.0 s, making its rows' text the other second."""
    count = sum(b.count for b in books)
    parts = _book_parts(bool(count), any(b.dated for b in books), built)
    made = _members(parts, title, count)
    with _DatedZip(out, dt.datetime.combine(built, dt.time())) as archive:
        for name in parts.order:
            if name == _SHEET:
                sheet = [deflated(parts.sheet_head.encode("ascii"))]
                sheet += [b.rows for b in books]
                sheet.append(deflated(_sheet_middle(count)))
                sheet += [b.links for b in books]
                sheet.append(deflated(_sheet_end(count, parts), final=True))
                archive.write_deflated(name, sheet)
            elif name == _SHEET_RELS:
                targets = [deflated(_TARGETS_HEAD), *(b.targets for b in books)]
                archive.write_deflated(name, [*targets, deflated(_TARGETS_END, final=True)])
            else:
                archive.writestr(name, made[name])


def openpyxl_xlsx(records: Sequence[dict[str, Value]], built: dt.date, title: str) -> bytes:
    """`tasks_xlsx` made by openpyxl throughout: the reference it is tested against, and the
    maker of the parts it fills in. Written row by row (openpyxl's write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    for i, c in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = c.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(records) + 1}"
    # Each style is registered with the workbook once, on a model cell, and new cells copy its
    # style array. The date style is made on the first date, so that the stylesheet holds the
    # same formats in the same order as when each cell had its own.
    wrap = WriteOnlyCell(sheet)
    wrap.alignment = Alignment(wrap_text=True, vertical="top")
    dated: Cell | None = None

    def cell(value: str | dt.date | None, model: Cell = wrap) -> Cell:
        style = model._style  # type: ignore[attr-defined]  # openpyxl's own cell copy reads it
        made = Cell(sheet, row=1, column=1, value=value, style_array=style)
        if made.data_type == "f":
            made.data_type = "s"  # data text starting with "=" is text, never a formula
        return made

    header = [cell(c.header) for c in COLUMNS]
    bold = Font(bold=True)
    for made in header:
        made.font = bold
    sheet.append(header)
    for record in records:
        row = []
        for c in COLUMNS:
            value = record[c.key]
            if c.key == "next_due" and isinstance(value, str):
                made = cell(dt.date.fromisoformat(value), dated or wrap)  # Excel sorts dates
                if dated is None:
                    made.number_format = "DD/MM/YYYY"
                    dated = made
            else:
                made = cell(_flat(value) or None)
                if c.key == "url":
                    made.hyperlink = str(value)
            row.append(made)
        sheet.append(row)
    stamp = dt.datetime.combine(built, dt.time())
    book.properties.title = title
    book.properties.creator = "Cổng Kế hoạch"
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    # ExcelWriter rather than book.save(), which stamps the workbook with the clock.
    ExcelWriter(book, _DatedZip(out, stamp)).save()
    return out.getvalue()


_LETTERS = tuple(get_column_letter(i) for i in range(1, len(COLUMNS) + 1))
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TARGETS_HEAD = f'<Relationships xmlns="{_PACKAGE_RELS_NS}">'.encode()
_TARGETS_END = b"</Relationships>"
_CORE, _WORKBOOK = "docProps/core.xml", "xl/workbook.xml"
_SHEET, _SHEET_RELS = "xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"
# Stand-ins in the parts openpyxl makes once, replaced by each workbook's own title and size.
_TITLE_MARK = "TITLE-MARK"
_LAST_CELL_MARK = f"${_LETTERS[-1]}$2"  # the one-row workbook's filter ends there
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class _Parts:
    """openpyxl's workbook of one shape, cut where each workbook differs."""

    order: tuple[str, ...]  # the archive's members, in openpyxl's order
    fixed: dict[str, bytes]  # members the same in every workbook of this shape and day
    core: str  # docProps/core.xml, the title a _TITLE_MARK
    workbook: str  # xl/workbook.xml, the filter's last cell a _LAST_CELL_MARK
    sheet_head: str  # the worksheet up to its header row, included
    sheet_tail: str  # the worksheet after its hyperlinks


@functools.cache
def _book_parts(rows: bool, dated: bool, built: dt.date) -> _Parts:
    """The parts of openpyxl's workbook with no row, rows without a date, or rows with one:
    the three stylesheets a workbook can have (the date style exists only once used)."""
    sample: dict[str, Value] = {c.key: c.key for c in COLUMNS}
    sample["next_due"] = "2026-01-01" if dated else None
    made = openpyxl_xlsx([sample] if rows else [], built, _TITLE_MARK)
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members[_SHEET].decode("ascii")
    head = sheet[: sheet.index("</row>") + len("</row>")]
    tail = sheet[sheet.index("</sheetData>") :]
    tail = tail[tail.index("/>", tail.index("<autoFilter")) + 2 :]
    if rows:
        tail = tail[tail.index("</hyperlinks>") + len("</hyperlinks>") :]
    workbook = members[_WORKBOOK].decode()
    if rows:
        assert workbook.count(_LAST_CELL_MARK) == 1, workbook
    else:
        workbook = workbook.replace(f"${_LETTERS[-1]}$1<", f"{_LAST_CELL_MARK}<")
    return _Parts(
        order=tuple(members),
        fixed={
            n: b for n, b in members.items() if n not in (_CORE, _WORKBOOK, _SHEET, _SHEET_RELS)
        },
        core=members[_CORE].decode(),
        workbook=workbook,
        sheet_head=head,
        sheet_tail=tail,
    )


def _excel_serial(day: dt.date) -> str:
    """Excel's number for a day (openpyxl's to_excel: days since 1899-12-30, one fewer before
    March 1900 for Excel's 29 February 1900)."""
    days = (day - _EXCEL_EPOCH).days
    return str(days - 1 if 0 < days <= 60 else days)


def _sheet_text(text: str) -> str:
    """Text as openpyxl accepts it in a cell: at most 32,767 characters, none that XML
    forbids."""
    text = text[:32767]
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    return text


def _ascii_xml(text: str) -> str:
    """Element text as openpyxl's worksheet writer escapes it: ASCII, the rest as references."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r", "&#13;").encode("ascii", "xmlcharrefreplace").decode("ascii")


def _utf8_xml(text: str) -> str:
    """Element text as openpyxl's other parts (UTF-8) escape it."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _xml_attr(text: str) -> str:
    """An attribute value as openpyxl's parts (UTF-8) escape it."""
    escaped = _utf8_xml(text).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;")


class _DatedZip(zipfile.ZipFile):
    """A zip archive whose members all carry one date: openpyxl adds them by name, and the zip
    module dates those with the clock, which would make two builds of the same day differ."""

    def __init__(self, file: BinaryIO, stamp: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.date_time = stamp.timetuple()[:6]

    def writestr(  # type: ignore[override]
        self, name: str | zipfile.ZipInfo, data: str | bytes, *args: Any, **kwargs: Any
    ) -> None:
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=self.date_time)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args, **kwargs)

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        """A member written as its chunks come: the same bytes as `writestr` of them joined
        (the sizes and checksum in its header are filled in once the last has come)."""
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.open(info, "w") as member:
            for chunk in chunks:
                member.write(chunk)

    def write_deflated(self, name: str, segments: Sequence[Deflated]) -> None:
        """A member whose compressed data is `segments` end to end: the bytes zipfile writes
        for a member compressed into that stream (a seekable archive: sizes and checksum in
        the local header, no data descriptor; never ZIP64, as zipfile for a member under
        4 GiB). Written by hand because zipfile compresses whatever it is given: for the
        national worksheet (70 MB of XML at 1,000 plans, 246 MB at 3,400) that is 1.0 s of
        the workbook's 2.0 s at 1,000 plans, where laying the plans' kept segments end to end
        costs a few milliseconds. zipfile's own bookkeeping (the member list, where the
        central directory starts) is kept as its writer keeps it, and the tests hold the
        member to the one zipfile writes for the same stream."""
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # what zipfile gives a member written from bytes
        info.file_size = sum(s.size for s in segments)
        info.compress_size = sum(len(s.data) for s in segments)
        info.CRC = functools.reduce(lambda crc, s: _crc32_combine(crc, s.crc, s.size), segments, 0)
        if max(info.file_size, info.compress_size) > zipfile.ZIP64_LIMIT:
            raise zipfile.LargeZipFile(f"{name}: over 4 GiB")
        out = self.fp
        assert out is not None  # open for writing
        out.seek(self.start_dir)
        info.header_offset = out.tell()
        out.write(info.FileHeader(False))
        for segment in segments:
            out.write(segment.data)
        self.start_dir = out.tell()
        self._didModify = True
        self.filelist.append(info)
        self.NameToInfo[name] = info

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # The worksheet comes from a temporary file, dated by the file system otherwise.
        with open(filename, "rb") as source:
            self.writestr(str(arcname), source.read())


@functools.cache
def _zlib() -> ctypes.CDLL:
    """The zlib library Python's own `zlib` module wraps, for crc32_combine, which that module
    does not offer (Python 3.11): the alternative, a CRC-32 over the whole worksheet, would
    need its text, which the joined workbook never makes."""
    found = ctypes.util.find_library("z")
    if found is None:
        raise OSError("zlib (libz) not found: needed to join compressed workbook parts")
    library = ctypes.CDLL(found)
    library.crc32_combine.restype = ctypes.c_ulong
    library.crc32_combine.argtypes = (ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long)
    return library


def _crc32_combine(crc1: int, crc2: int, size2: int) -> int:
    """The CRC-32 of two texts one after the other, from each one's CRC-32 and the second's
    length (zlib's crc32_combine: a few hundred operations, not a pass over the text)."""
    return int(_zlib().crc32_combine(crc1, crc2, size2))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the tasks files (published on /du-lieu/)."""
    text_or_null = {"type": ["string", "null"]}

    def prop(c: Column) -> dict[str, Any]:
        if c.many:
            return {"type": "array", "items": {"type": "string"}, "description": c.description}
        required = c.key in ("plan_id", "group", "task_id", "url")
        return {**({"type": "string"} if required else text_or_null), "description": c.description}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Nhiệm vụ — Cổng Kế hoạch",
        "type": "object",
        "required": ["built", "count", "tasks"],
        "additionalProperties": False,
        "properties": {
            "built": {"type": "string", "format": "date", "description": "Ngày dựng dữ liệu"},
            "count": {"type": "integer", "description": "Số nhiệm vụ trong tệp"},
            "tasks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [c.key for c in COLUMNS],
                    "additionalProperties": False,
                    "properties": {c.key: prop(c) for c in COLUMNS},
                },
            },
        },
    }
