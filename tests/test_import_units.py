"""The importer's rules, one by one: agency cells, headers, page-split rows, ids, new-plan."""

from __future__ import annotations

import argparse

import pytest

from generator.authoring import _facts
from generator.importer.agencies import ascii_id, split_agencies
from generator.importer.rows import SourceCell, SourceRow
from generator.importer.table import header_columns, join_fragments, table_rows
from generator.importer.tasks import task_id
from generator.scaffold import iso_date, plan_id

REGISTERED = {
    "sở nông nghiệp và môi trường",
    "sở dân tộc và tôn giáo",
    "ủy ban nhân dân các xã, phường, đặc khu",
    "sở tài chính",
    "sở xây dựng",
    "các sở, ban ngành có liên quan",
}


def known(name: str) -> bool:
    return name.casefold() in REGISTERED


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # A registered name stays whole, "và" and commas included.
        ("Sở Nông nghiệp và Môi trường", ["Sở Nông nghiệp và Môi trường"]),
        (
            "Sở Dân tộc và Tôn giáo, Ủy ban nhân dân các xã, phường, đặc khu",
            ["Sở Dân tộc và Tôn giáo", "Ủy ban nhân dân các xã, phường, đặc khu"],
        ),
        # "và" between two registered names separates them.
        ("Sở Tài chính và Sở Xây dựng", ["Sở Tài chính", "Sở Xây dựng"]),
        # ";", list dashes and a sentence end always separate; a final "." goes.
        (
            "- Sở Tài chính;\n- Các sở, ban ngành có liên quan.",
            ["Sở Tài chính", "Các sở, ban ngành có liên quan"],
        ),
        ("Sở Tài chính. Sở Xây dựng", ["Sở Tài chính", "Sở Xây dựng"]),
        ("", []),
    ],
)
def test_agency_cells_split_into_registered_names_without_doubt(
    cell: str, names: list[str]
) -> None:
    split = split_agencies(cell, known)
    assert list(split.names) == names
    assert split.doubts == ()


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # Unregistered: a comma before a capital or "các" starts a name, others do not.
        ("Sở Tài chính, Phòng Văn hóa xã", ["Sở Tài chính", "Phòng Văn hóa xã"]),
        ("Phòng Kinh tế, các phòng, ban xã", ["Phòng Kinh tế", "các phòng, ban xã"]),
        ("UBND các thôn, làng", ["UBND các thôn, làng"]),
        # "và" is never cut where the registry cannot confirm both sides.
        ("Phòng Văn hóa và Thông tin, Sở Xây dựng", ["Phòng Văn hóa và Thông tin", "Sở Xây dựng"]),
    ],
)
def test_unregistered_agency_cells_are_split_by_the_stated_rule_and_reported(
    cell: str, names: list[str]
) -> None:
    split = split_agencies(cell, known)
    assert list(split.names) == names
    assert len(split.doubts) == 1
    assert cell.split(",")[0] in split.doubts[0]


@pytest.mark.parametrize(
    "titles",
    [
        ["STT", "NỘI DUNG NHIỆM VỤ", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "SẢN PHẨM", "THỜI GIAN"],
        ["TT", "Nội dung\nnhiệm vụ", "Đơn vị\nchủ trì", "Đơn vị\nphối hợp", "Sản phẩm", "Tiến độ"],
        ["Stt", "nội dung", "chủ trì", "phối hợp", "kết quả", "thời hạn"],
    ],
)
def test_header_is_found_whatever_its_case_and_line_breaks(titles: list[str]) -> None:
    row = SourceRow(tuple(SourceCell(" ".join(t.split())) for t in titles), "dòng 1")
    assert sorted(header_columns(row).values()) == [0, 1, 2, 3, 4, 5]


def test_a_row_of_text_is_no_header() -> None:
    row = SourceRow((SourceCell("1"), SourceCell("Nội dung nhiệm vụ thứ nhất")), "dòng 1")
    assert header_columns(row) == {}


def test_words_split_at_a_page_break_are_rejoined_as_written() -> None:
    assert join_fragments("Nghị quyết số 39-", "NQ/TW") == "Nghị quyết số 39-NQ/TW"
    assert join_fragments("chính trị -", "xã hội") == "chính trị - xã hội"
    assert join_fragments("Công tác", "tuyên truyền") == "Công tác tuyên truyền"


def _row(*cells: str, where: str = "") -> SourceRow:
    return SourceRow(tuple(SourceCell(c) for c in cells), where)


def test_a_new_unnumbered_task_is_not_joined_to_the_row_above() -> None:
    rows, notes = table_rows(
        [
            _row("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", where="1"),
            _row("5.8", "Tăng cường huy động vốn.", "NHCSXH", where="2"),
            _row("", "Nâng cao hiệu quả hoạt động.", "NHCSXH", where="3"),
        ]
    )
    assert [r.text for r in rows] == ["Tăng cường huy động vốn.", "Nâng cao hiệu quả hoạt động."]
    assert notes == []


def test_unnumbered_ids_say_khong_so_once() -> None:
    assert task_id("5", None, 2) == "5.khong-so-2"
    assert task_id("khong-so-1", None, 2) == "khong-so-1.2"
    assert task_id("5", None, 1, bullet=True) == "5.gach-1"
    assert task_id("iv", "1.a", 1) == "iv.1.a"


def test_plan_id_is_derived_from_number_jurisdiction_and_year() -> None:
    assert plan_id("686/KH-UBND", "Kế hoạch", "nghe-an", "ubnd-tinh", "2025-08-21") == (
        "nghe-an-686-kh-ubnd-2025"
    )
    assert plan_id(None, "Kế hoạch", "can-tho", "thanh-uy", None) == "can-tho-thanh-uy-ke-hoach"
    assert ascii_id("Sở Nông nghiệp và Môi trường") == "so-nong-nghiep-va-moi-truong"


def test_dates_are_read_as_clerks_write_them() -> None:
    assert iso_date("21/8/2025") == "2025-08-21"
    assert iso_date("2025-08-21") == "2025-08-21"
    with pytest.raises(ValueError):
        iso_date("31/02/2025")


def test_new_plan_asks_only_for_what_the_flags_leave_out() -> None:
    given = {name: None for name in ("kind", "jurisdiction", "position", "implements")}
    args = argparse.Namespace(
        number="1/KH-UBND",
        issuer="nghe-an/ubnd-tinh",
        date="21/8/2025",
        signer="Bùi Thanh An",
        title=None,
        id=None,
        **given,
    )
    asked: list[str] = []
    answers = {"Loại": "", "Địa bàn": "", "Chức vụ": "Phó Chủ tịch", "Văn bản": "a-1, b-2"}

    def ask(question: str) -> str:
        asked.append(question)
        return next(v for k, v in answers.items() if question.startswith(k))

    facts = _facts(args, ask)
    assert len(asked) == 4
    assert facts.kind == "Kế hoạch"
    assert facts.jurisdiction is None
    assert facts.position == "Phó Chủ tịch"
    assert facts.implements == ("a-1", "b-2")
    assert facts.number == "1/KH-UBND"
