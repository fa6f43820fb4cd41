"""Small pure functions whose output readers see: anchors, timelines, text, links."""

from __future__ import annotations

import datetime as dt
import posixpath
import unicodedata

import pytest

from generator.domain import TimelineKind, task_anchor
from generator.text import date_dmy, plain, rich_text, strip_marks
from generator.timeline import parse_timeline
from generator.urls import relative


@pytest.mark.parametrize(
    ("task_id", "anchor"),
    [
        ("4.1", "nv-4-1"),
        ("iv.1.a", "nv-iv-1-a"),
        ("6", "nv-6"),
        ("5.khong-so-1", "nv-5-khong-so-1"),
        ("2.gach-3", "nv-2-gach-3"),
    ],
)
def test_task_anchor_follows_the_documented_rule(task_id: str, anchor: str) -> None:
    assert task_anchor(task_id) == anchor


@pytest.mark.parametrize(
    ("text", "kind", "end", "annual_day"),
    [
        ("Thường xuyên", TimelineKind.ONGOING, None, None),
        ("Hằng năm", TimelineKind.ANNUAL, None, None),
        ("hàng năm", TimelineKind.ANNUAL, None, None),
        ("trước ngày 01/10 hằng năm", TimelineKind.ANNUAL, None, (1, 10)),
        ("Trước ngày 01 tháng 10 hàng năm", TimelineKind.ANNUAL, None, (1, 10)),
        ("Tháng 8/2025", TimelineKind.DATED, dt.date(2025, 8, 31), None),
        ("Quý III/2025", TimelineKind.DATED, dt.date(2025, 9, 30), None),
        ("quý IV năm 2025", TimelineKind.DATED, dt.date(2025, 12, 31), None),
        ("Năm 2026", TimelineKind.DATED, dt.date(2026, 12, 31), None),
        ("2026-2030", TimelineKind.PERIOD, dt.date(2030, 12, 31), None),
        ("Giai đoạn 2026 – 2030", TimelineKind.PERIOD, dt.date(2030, 12, 31), None),
        ("Trước ngày 15/12/2025", TimelineKind.DATED, dt.date(2025, 12, 15), None),
        ("Theo kế hoạch của các cơ quan, Đơn vị", TimelineKind.SET_ELSEWHERE, None, None),
        ("Khi có yêu cầu", TimelineKind.UNPARSED, None, None),
        ("Tháng 13/2025", TimelineKind.UNPARSED, None, None),
    ],
)
def test_parse_timeline_reads_the_common_wordings(text, kind, end, annual_day) -> None:  # type: ignore[no-untyped-def]
    timeline = parse_timeline(text)
    assert timeline.text == text  # the wording is always kept verbatim
    assert timeline.kind is kind
    assert timeline.end == end
    assert timeline.annual_day == annual_day


def test_rich_text_escapes_html_and_keeps_only_paragraphs_and_bullets() -> None:
    html = str(
        rich_text("Đoạn <b>một</b> [x](javascript:alert(1)) {{ 7*7 }}\n\n- ý a\n- ý <i>b</i>")
    )
    assert html == (
        "<p>Đoạn &lt;b&gt;một&lt;/b&gt; [x](javascript:alert(1)) {{ 7*7 }}</p>"
        "<ul><li>ý a</li><li>ý &lt;i&gt;b&lt;/i&gt;</li></ul>"
    )


def test_plain_keeps_hyphens_inside_text_but_drops_bullet_marks() -> None:
    assert plain("chính trị - xã hội\n- ý một") == "chính trị - xã hội ý một"


def test_dates_show_as_dd_mm_yyyy_or_unknown() -> None:
    assert date_dmy(dt.date(2025, 8, 21)) == "21/08/2025"
    assert date_dmy(None) == "Chưa rõ"


@pytest.mark.parametrize(
    ("source", "target", "href"),
    [
        ("ke-hoach/a/", "co-quan/nghe-an/x/", "../../co-quan/nghe-an/x/"),
        ("ke-hoach/a/", "ke-hoach/a/#nv-4-1", "#nv-4-1"),
        ("ke-hoach/a/nhom-1/", "ke-hoach/a/#nv-1-1", "../#nv-1-1"),
        ("", "ke-hoach/a/", "ke-hoach/a/"),
        ("ke-hoach/a/", "", "../../"),
    ],
)
def test_relative_links_work_under_any_base_path(source: str, target: str, href: str) -> None:
    assert relative(source, target) == href


def _posix_relative(from_url: str, to_url: str) -> str:
    """relative() as it was written first, all through posixpath: the reference."""
    fragment = ""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else "."
    path = posixpath.relpath((to_url or ".").rstrip("/") or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        path = path.rstrip("/") + "/"
    return fragment if path == "./" and fragment else path + fragment


SITE_PATHS = [
    "",
    "ke-hoach/a/",
    "ke-hoach/a/nhom-1/",
    "ke-hoach/ab/",
    "ke-hoach/a/#nv-1-1",
    "co-quan/nghe-an/so-tai-chinh/trang-2/",
    "du-lieu/ke-hoach/a.xlsx",
    "assets/qr.svg",
    "thoi-han/",
    "#top",
    "ke-hoach/./a/",
    "ke-hoach/../co-quan/",
    "ke-hoach//a/",
    "co-quan/x/../",
]
# Addresses ending in a name that is not a file: links to them are compared, not from them.
TARGETS = [*SITE_PATHS, "co-quan/x/.", "ke-hoach/a/.."]


@pytest.mark.parametrize("source", SITE_PATHS)
def test_relative_links_are_posixpaths_relpath(source: str) -> None:
    """relative() skips posixpath.relpath for plain paths: same answers, every pair, but one
    the reference got wrong: a file's link to itself (it read the file as a folder, ".")."""
    for target in TARGETS:
        if source == target and source and not source.endswith("/") and "#" not in source:
            file = source.rsplit("/", 1)[-1]
            assert relative(source, target) == f"../{file}", source
            continue
        assert relative(source, target) == _posix_relative(source, target), (source, target)


def test_strip_marks_drops_exactly_the_combining_marks() -> None:
    """strip_marks translates in C with a table it fills as it meets characters: it must drop
    what a test of each character's Unicode category drops, on every character of the BMP."""
    text = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000)
    decomposed = unicodedata.normalize("NFD", text.lower())
    expected = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    assert strip_marks(text) == expected.replace("đ", "d").replace("ð", "d")
