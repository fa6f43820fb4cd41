"""Reading a timeline as written (“Thường xuyên”, “Quý III/2025”, “trước ngày 01/10 hằng năm”).

The verbatim text is always kept; the parsed structure only adds meaning where the wording is
unambiguous, and anything else is `UNPARSED` (a warning, never an error).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from generator.domain import Timeline, TimelineKind
from generator.text import strip_marks

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _fold(text: str) -> str:
    """Lowercase, tones stripped, đ→d, spaces collapsed: so “Hằng năm” and “hàng năm” compare."""
    return re.sub(r"\s+", " ", strip_marks(text)).strip()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_ONGOING = re.compile(r"^(thuong xuyen|lien tuc)([;,.].*)?$")
_ANNUAL = re.compile(r"hang nam|moi nam")
_DAY_MONTH = re.compile(r"(?:truoc )?ngay (\d{1,2})[/-](\d{1,2})(?![/-]\d)")
_DAY_MONTH_WORDS = re.compile(r"(?:truoc )?ngay (\d{1,2}) thang (\d{1,2})(?! nam)")
_FULL_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_MONTH = re.compile(r"^(?:trong |truoc |hoan thanh trong )?thang (\d{1,2})[/-](\d{4})$")
_MONTH_WORDS = re.compile(r"^(?:trong |truoc )?thang (\d{1,2}) nam (\d{4})$")
_QUARTER = re.compile(r"^(?:trong |truoc )?quy (i{1,3}|iv|[1-4])[/-](\d{4})$")
_QUARTER_WORDS = re.compile(r"^(?:trong |truoc )?quy (i{1,3}|iv|[1-4]) nam (\d{4})$")
_YEAR = re.compile(r"^(?:trong |truoc |nam )*(\d{4})$")
_PERIOD = re.compile(r"^(?:giai doan |tu nam |nam )?(\d{4}) ?[-–—] ?(\d{4})$")

# “Theo kế hoạch của các cơ quan”, “Theo tiến độ …”, “Thực hiện theo quy định”, each optionally
# after a label (“Nguồn vốn khác: …”).
_SET_ELSEWHERE = re.compile(
    r"^(?:[^:]{1,80}: )?(?:thuc hien )?theo (?:ke hoach|tien do|quy dinh)\b"
)
# “(hoàn thành trong quý III/2025)”: the completion date, which wins over the span around it.
_COMPLETION = re.compile(r"\(?hoan thanh ((?:trong|truoc) [^)]+?)\)?$")


def parse_timeline(text: str) -> Timeline:
    """The structure of a timeline, or `UNPARSED` with the text alone."""
    if _set_elsewhere(text):
        return Timeline(text, TimelineKind.SET_ELSEWHERE)
    return _with_text(_parse_folded(_fold(text).rstrip(".;")), text)


def _with_text(timeline: Timeline, text: str) -> Timeline:
    return Timeline(text, timeline.kind, timeline.start, timeline.end, timeline.annual_day)


def _parse_folded(folded: str) -> Timeline:
    if _ONGOING.match(folded):
        return Timeline(folded, TimelineKind.ONGOING)
    if m := _COMPLETION.search(folded):
        completion = _parse_folded(m[1].strip())
        if completion.end is not None:
            return completion
    if _ANNUAL.search(folded):
        day_month = _DAY_MONTH.search(folded) or _DAY_MONTH_WORDS.search(folded)
        if day_month:
            day, month = int(day_month[1]), int(day_month[2])
            if _safe_date(2024, month, day):  # a leap year accepts every real day
                return Timeline(folded, TimelineKind.ANNUAL, annual_day=(day, month))
        return Timeline(folded, TimelineKind.ANNUAL)
    return _single_span(folded) or _joined_spans(folded) or Timeline(folded, TimelineKind.UNPARSED)


def _set_elsewhere(text: str) -> bool:
    """Whether every line (bullets too) leaves the date to another plan or to the rules."""
    clauses = [_fold(line).removeprefix("- ") for line in text.splitlines() if line.strip()]
    return bool(clauses) and all(_SET_ELSEWHERE.match(clause) for clause in clauses)


def _joined_spans(folded: str) -> Timeline | None:
    """“Năm 2025 và giai đoạn 2026-2030”: one period from the first start to the last end."""
    parts = [_single_span(part.strip()) for part in folded.split(" va ")]
    if len(parts) < 2 or any(p is None or p.start is None for p in parts):
        return None
    spans = [p for p in parts if p is not None]
    start = min(p.start for p in spans if p.start)
    end = max(p.end for p in spans if p.end)
    return Timeline(folded, TimelineKind.PERIOD, start=start, end=end)


def _single_span(folded: str) -> Timeline | None:
    """A day, month, quarter, year or period, or None when `folded` is none of these."""
    if m := _FULL_DATE.fullmatch(folded.removeprefix("truoc ngay ").removeprefix("ngay ")):
        date = _safe_date(int(m[3]), int(m[2]), int(m[1]))
        if date:
            return Timeline(folded, TimelineKind.DATED, start=None, end=date)
    if m := (_MONTH.match(folded) or _MONTH_WORDS.match(folded)):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return Timeline(
                folded,
                TimelineKind.DATED,
                start=dt.date(year, month, 1),
                end=_month_end(year, month),
            )
    if m := (_QUARTER.match(folded) or _QUARTER_WORDS.match(folded)):
        quarter, year = _ROMAN_QUARTERS[m[1]], int(m[2])
        first = 3 * quarter - 2
        return Timeline(
            folded,
            TimelineKind.DATED,
            start=dt.date(year, first, 1),
            end=_month_end(year, first + 2),
        )
    if m := _YEAR.match(folded):
        year = int(m[1])
        return Timeline(
            folded, TimelineKind.DATED, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
        )
    if m := _PERIOD.match(folded):
        first_year, last_year = int(m[1]), int(m[2])
        if first_year <= last_year:
            return Timeline(
                folded,
                TimelineKind.PERIOD,
                start=dt.date(first_year, 1, 1),
                end=dt.date(last_year, 12, 31),
            )
    return None
