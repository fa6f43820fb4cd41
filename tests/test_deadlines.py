"""What falls due when: next dates from a build date, yearly deadlines across the new year, and
the reporting duties each plan's "Tổ chức thực hiện" sets (typed in from the seed text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.deadlines import (
    Deadline,
    all_deadlines,
    by_agency,
    falls_due_within,
    iso_deadline,
    next_annual,
)
from generator.domain import Duty, Portal, TimelineKind
from generator.load import load_data
from generator.model import build_portal

DATA = Path(__file__).resolve().parent.parent / "data"
D = dt.date


@pytest.fixture(scope="module")
def portal() -> Portal:
    raw, errors = load_data(DATA)
    assert not errors
    return build_portal(raw)[0]


def deadline(deadlines: tuple[Deadline, ...], key: str) -> Deadline:
    return next(d for d in deadlines if d.key == key)


@pytest.mark.parametrize(
    ("day_month", "today", "expected"),
    [
        ((1, 10), D(2026, 9, 30), D(2026, 10, 1)),
        ((1, 10), D(2026, 10, 1), D(2026, 10, 1)),  # due today is still to come
        ((1, 10), D(2026, 10, 2), D(2027, 10, 1)),  # past this year: next year's
        ((30, 10), D(2026, 12, 31), D(2027, 10, 30)),  # across the new year
        ((5, 1), D(2026, 12, 31), D(2027, 1, 5)),
        ((29, 2), D(2026, 3, 1), D(2027, 2, 28)),  # no 29 February in 2027
        ((29, 2), D(2027, 3, 1), D(2028, 2, 29)),
    ],
)
def test_next_yearly_date(day_month: tuple[int, int], today: dt.date, expected: dt.date) -> None:
    assert next_annual(day_month, today) == expected


def test_yearly_task_falls_due_next_year_once_this_years_day_is_past(portal: Portal) -> None:
    before = all_deadlines(portal, D(2026, 9, 1))
    after = all_deadlines(portal, D(2026, 11, 30))
    report = "nghe-an-686-kh-ubnd-2025/6"  # “Định kỳ hằng năm (trước ngày 01/10)”
    assert deadline(before, report).next == D(2026, 10, 1)
    assert deadline(after, report).next == D(2027, 10, 1)
    assert iso_deadline(deadline(after, report)) == "--10-01"
    # The calendar starts it at the first 1 October after the plan was signed (21/8/2025),
    # whatever the build date.
    assert deadline(before, report).first == deadline(after, report).first == D(2025, 10, 1)


def test_dated_task_has_no_next_date_once_past(portal: Portal) -> None:
    august = "nghe-an-686-kh-ubnd-2025/1.2"  # “Tháng 8/2025”
    assert deadline(all_deadlines(portal, D(2025, 8, 1)), august).next == D(2025, 8, 31)
    past = deadline(all_deadlines(portal, D(2025, 9, 1)), august)
    assert past.next is None
    assert iso_deadline(past) == "2025-08-31"


def test_ongoing_and_agency_set_timelines_have_no_date(portal: Portal) -> None:
    deadlines = all_deadlines(portal, D(2026, 1, 1))
    undated = {d.wording for d in deadlines if d.task and d.on is None and d.every_year is None}
    assert "Thường xuyên" in undated
    assert "Theo kế hoạch của các cơ quan, Đơn vị" in undated
    assert all(
        d.next is None and iso_deadline(d) is None
        for d in deadlines
        if d.kind in (TimelineKind.ONGOING, TimelineKind.SET_ELSEWHERE)
    )


# Reporting duties, typed in from the "Tổ chức thực hiện" of each seed (not from the YAML).
REPORTS = [
    (
        "nghe-an-686-kh-ubnd-2025/bao-cao/bao-cao-hang-nam-truoc-01-10",
        (1, 10),
        {"nghe-an/cac-so-ban-nganh-don-vi-cap-tinh", "nghe-an/nhcsxh-chi-nhanh-tinh",
         "nghe-an/ubnd-cac-xa-phuong"},
        {"nghe-an/nhcsxh-chi-nhanh-tinh"},
    ),
    (
        "nghe-an-686-kh-ubnd-2025/bao-cao/bao-cao-tong-hop-hang-nam",
        None,
        {"nghe-an/nhcsxh-chi-nhanh-tinh"},
        {"nghe-an/ubnd-tinh"},
    ),
    (
        "quang-ngai-ngok-bay-ke-hoach-39-ct-tw/bao-cao/bao-cao-hang-nam-truoc-30-10",
        (30, 10),
        {"quang-ngai-ngok-bay/co-quan-don-vi-thuoc-ubnd-xa", "quang-ngai-ngok-bay/mat-tran-to-quoc",
         "quang-ngai-ngok-bay/to-chuc-chinh-tri-xa-hoi-nhan-uy-thac"},
        {"quang-ngai-ngok-bay/ubnd-xa", "quang-ngai/pgd-nhcsxh-kon-tum"},
    ),
    (
        "quang-ngai-ngok-bay-ke-hoach-39-ct-tw/bao-cao/bao-cao-danh-gia-hang-nam",
        None,
        {"quang-ngai/pgd-nhcsxh-kon-tum"},
        set(),
    ),
    (
        "can-tho-thanh-uy-ke-hoach-39-ct-tw/bao-cao/bao-cao-hang-nam-truoc-30-10",
        (30, 10),
        {"can-tho/ban-thuong-vu-thanh-uy"},
        {"trung-uong/ban-chinh-sach-chien-luoc-trung-uong"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("key", "day", "by", "to"), REPORTS, ids=[r[0] for r in REPORTS])
def test_reporting_duties_of_each_plan(
    portal: Portal, key: str, day: tuple[int, int] | None, by: set[str], to: set[str]
) -> None:
    found = deadline(all_deadlines(portal, D(2026, 11, 30)), key)
    assert found.every_year == day
    assert {a for a, duty in found.agencies if duty is Duty.REPORT} == by
    assert {a for a, duty in found.agencies if duty is Duty.RECEIVE} == to
    assert found.report is not None and found.wording == found.report.quote


def test_every_report_in_the_data_is_listed_above(portal: Portal) -> None:
    keys = {d.key for d in all_deadlines(portal, D(2026, 1, 1)) if d.report}
    assert keys == {r[0] for r in REPORTS}


def test_reports_quote_the_plan_verbatim_with_their_day(portal: Portal) -> None:
    can_tho = deadline(
        all_deadlines(portal, D(2026, 11, 30)),
        "can-tho-thanh-uy-ke-hoach-39-ct-tw/bao-cao/bao-cao-hang-nam-truoc-30-10",
    )
    assert can_tho.wording is not None and "(trước ngày 30/10 hàng năm)" in can_tho.wording
    assert can_tho.next == D(2027, 10, 30)  # 30/10/2026 is past on 30/11/2026


def test_windows_count_days_from_the_build_date(portal: Portal) -> None:
    today = D(2026, 9, 20)
    deadlines = all_deadlines(portal, today)

    def within(first: int, last: int | None) -> set[str]:
        return {d.key for d in deadlines if falls_due_within(d, today, first, last)}

    can_tho = "can-tho-thanh-uy-ke-hoach-39-ct-tw/bao-cao/bao-cao-hang-nam-truoc-30-10"
    assert "nghe-an-686-kh-ubnd-2025/6" in within(0, 30)  # 01/10: 11 days
    assert can_tho not in within(0, 30)  # 30/10: 40 days
    assert can_tho in within(31, 90)
    assert within(0, 30).isdisjoint(within(31, 90))
    assert within(0, None) == {d.key for d in deadlines if d.next is not None}
    assert not any(falls_due_within(d, today, 0, None) for d in deadlines if d.next is None)


def test_agency_sees_the_reports_it_sends_and_receives(portal: Portal) -> None:
    agencies = by_agency(all_deadlines(portal, D(2026, 1, 1)))
    central = agencies["trung-uong/ban-chinh-sach-chien-luoc-trung-uong"]
    assert [d.key for d in central] == [
        "can-tho-thanh-uy-ke-hoach-39-ct-tw/bao-cao/bao-cao-hang-nam-truoc-30-10"
    ]
    bank = {d.key for d in agencies["nghe-an/nhcsxh-chi-nhanh-tinh"]}
    assert "nghe-an-686-kh-ubnd-2025/6" in bank  # leads task 6
    assert "nghe-an-686-kh-ubnd-2025/bao-cao/bao-cao-hang-nam-truoc-01-10" in bank
