"""What a timeline as written means: the span it covers (first and last day), its kind, the day
of the year an annual deadline falls on. Deadlines, calendars and the finder's timeline filter
are built from these."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.domain import TimelineKind
from generator.timeline import parse_timeline

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("Tháng 8/2025", TimelineKind.DATED, D(2025, 8, 1), D(2025, 8, 31)),
        ("Tháng 1/2026", TimelineKind.DATED, D(2026, 1, 1), D(2026, 1, 31)),
        ("Tháng 2/2028", TimelineKind.DATED, D(2028, 2, 1), D(2028, 2, 29)),
        ("trong tháng 12 năm 2025", TimelineKind.DATED, D(2025, 12, 1), D(2025, 12, 31)),
        ("Quý III/2025", TimelineKind.DATED, D(2025, 7, 1), D(2025, 9, 30)),
        ("Quý I/2026", TimelineKind.DATED, D(2026, 1, 1), D(2026, 3, 31)),
        ("quý 4 năm 2025", TimelineKind.DATED, D(2025, 10, 1), D(2025, 12, 31)),
        ("Năm 2026", TimelineKind.DATED, D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-2030", TimelineKind.PERIOD, D(2026, 1, 1), D(2030, 12, 31)),
        ("Giai đoạn 2025 – 2025", TimelineKind.PERIOD, D(2025, 1, 1), D(2025, 12, 31)),
        ("Trước ngày 15/12/2025", TimelineKind.DATED, None, D(2025, 12, 15)),
        ("Ngày 15/12/2025", TimelineKind.DATED, None, D(2025, 12, 15)),
    ],
)
def test_a_dated_timeline_covers_from_its_first_to_its_last_day(
    text: str, kind: TimelineKind, start: dt.date | None, end: dt.date
) -> None:
    timeline = parse_timeline(text)
    assert (timeline.kind, timeline.start, timeline.end) == (kind, start, end)
    assert timeline.text == text


@pytest.mark.parametrize(
    "text",
    ["Tháng 8/2025.", "Tháng 8/2025;", "Tháng  8/2025", " Tháng 8/2025 "],
)
def test_a_closing_stop_and_extra_spaces_do_not_change_the_meaning(text: str) -> None:
    timeline = parse_timeline(text)
    assert (timeline.kind, timeline.start, timeline.end) == (
        TimelineKind.DATED,
        D(2025, 8, 1),
        D(2025, 8, 31),
    )


def test_an_annual_deadline_on_29_february_is_a_real_day() -> None:
    assert parse_timeline("Trước ngày 29/02 hằng năm").annual_day == (29, 2)


def test_an_annual_deadline_on_a_day_that_never_comes_is_annual_without_a_day() -> None:
    timeline = parse_timeline("Trước ngày 31/02 hằng năm")
    assert (timeline.kind, timeline.annual_day) == (TimelineKind.ANNUAL, None)


@pytest.mark.parametrize(
    "text", ["Tháng 0/2025", "Quý V/2025", "2030-2026", "Ngày 31/02/2025", "Sớm nhất có thể"]
)
def test_a_wording_that_names_no_real_span_stays_unparsed(text: str) -> None:
    timeline = parse_timeline(text)
    assert (timeline.kind, timeline.start, timeline.end) == (TimelineKind.UNPARSED, None, None)
