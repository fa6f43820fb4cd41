"""Every timeline the seed plans write, read as a person would: the full list is pinned here,
so a plan that brings a new wording fails this test until its reading is checked and added."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import run_generator

from generator.domain import TimelineKind
from generator.timeline import parse_timeline

DATA = Path(__file__).resolve().parent.parent / "data"

D = dt.date
K = TimelineKind

# text → (kind, start, end, annual (day, month))
SEED_TIMELINES: dict[
    str, tuple[TimelineKind, dt.date | None, dt.date | None, tuple[int, int] | None]
] = {
    "Thường xuyên": (K.ONGOING, None, None, None),
    # Ongoing work that also reports each year: nothing falls due on a given day.
    "Thường xuyên, hằng năm": (K.ONGOING, None, None, None),
    "Hàng năm, giai đoạn": (K.ANNUAL, None, None, None),
    "Định kỳ hằng năm (trước ngày 01/10)": (K.ANNUAL, None, None, (1, 10)),
    "Tháng 8/2025": (K.DATED, D(2025, 8, 1), D(2025, 8, 31), None),
    # The completion date wins over the span around it.
    "Năm 2025 và giai đoạn 2026 -2030 (hoàn thành trong quý III/2025)": (
        K.DATED,
        D(2025, 7, 1),
        D(2025, 9, 30),
        None,
    ),
    # Set by each agency's own plan: a kind of its own, not an unread text.
    "Theo kế hoạch của các cơ quan, Đơn vị": (K.SET_ELSEWHERE, None, None, None),
    # Both lines leave the date to other plans or the rules ("hàng năm" names the public
    # investment plan, not a yearly deadline).
    "- Nguồn vốn đầu tư công: Theo tiến độ xây dựng Kế hoạch đầu tư công trung hạn; "
    "Kế hoạch đầu tư công hàng năm.\n- Nguồn vốn khác: Thực hiện theo quy định.": (
        K.SET_ELSEWHERE,
        None,
        None,
        None,
    ),
}


def seed_timelines() -> set[str]:
    found = set()
    for path in sorted((DATA / "plans").glob("*.yaml")):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in plan["groups"]:
            for task in group["tasks"]:
                if task.get("timeline"):
                    found.add(task["timeline"])
    return found


def test_every_distinct_timeline_in_the_seed_data_is_listed_here() -> None:
    unlisted = seed_timelines() - set(SEED_TIMELINES)
    assert not unlisted, f"add these timelines and their reading to SEED_TIMELINES: {unlisted}"


@pytest.mark.parametrize("text", sorted(SEED_TIMELINES))
def test_seed_timeline_reads_as_listed(text: str) -> None:
    kind, start, end, annual = SEED_TIMELINES[text]
    timeline = parse_timeline(text)
    assert (timeline.text, timeline.kind, timeline.start, timeline.end, timeline.annual_day) == (
        text,
        kind,
        start,
        end,
        annual,
    )


def test_no_seed_timeline_is_left_unread() -> None:
    unread = [t for t in seed_timelines() if parse_timeline(t).kind is K.UNPARSED]
    assert unread == []


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "annual"),
    [
        # Both wordings of a yearly day, as the plans' "Tổ chức thực hiện" write them.
        ("Định kỳ hằng năm (trước ngày 05/10)", K.ANNUAL, None, None, (5, 10)),
        ("trước ngày 30/10 hằng năm", K.ANNUAL, None, None, (30, 10)),
        ("trước ngày 30/10 hàng năm", K.ANNUAL, None, None, (30, 10)),
        # A span joined by "và" without a completion date covers both.
        ("Năm 2025 và giai đoạn 2026 -2030", K.PERIOD, D(2025, 1, 1), D(2030, 12, 31), None),
        (
            "Quý IV/2025 (hoàn thành trước tháng 12/2025)",
            K.DATED,
            D(2025, 12, 1),
            D(2025, 12, 31),
            None,
        ),
        ("Theo kế hoạch của từng cơ quan", K.SET_ELSEWHERE, None, None, None),
        # Bullets with no label, each leaving the date to others.
        (
            "- Theo kế hoạch của từng sở\n- Thực hiện theo quy định",
            K.SET_ELSEWHERE,
            None,
            None,
            None,
        ),
        # One line with a date of its own is not left to other plans.
        ("Theo kế hoạch; Tháng 9/2025\n- Quý IV/2025", K.UNPARSED, None, None, None),
        ("Khi có yêu cầu", K.UNPARSED, None, None, None),
    ],
)
def test_timeline_wordings_beyond_the_seed(
    text: str,
    kind: TimelineKind,
    start: dt.date | None,
    end: dt.date | None,
    annual: tuple[int, int] | None,
) -> None:
    timeline = parse_timeline(text)
    assert (timeline.kind, timeline.start, timeline.end, timeline.annual_day) == (
        kind,
        start,
        end,
        annual,
    )


def test_an_unread_timeline_is_a_warning_naming_file_line_and_task(minimal_project: Path) -> None:
    plan = minimal_project / "data" / "plans" / "tinh-a-1-kh-ubnd-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("timeline: Hằng năm", "timeline: Khi có yêu cầu"), "utf-8")
    line = next(
        n
        for n, row in enumerate(plan.read_text("utf-8").splitlines(), 1)
        if "Khi có yêu cầu" in row
    )
    result = run_generator(minimal_project, "check")
    assert result.returncode == 0, result.stderr  # a warning, not a failure
    assert (
        f"cảnh báo: data/plans/tinh-a-1-kh-ubnd-2025.yaml:{line}: [groups[0].tasks[0].timeline] "
        "nhiệm vụ 4.1: chưa đọc được thời hạn “Khi có yêu cầu”; giữ nguyên văn"
    ) in result.stderr


def test_the_finder_offers_every_kind_of_timeline() -> None:
    page = (DATA.parent / "docs" / "tra-cuu" / "index.md").read_text(encoding="utf-8")
    select = page[
        page.index('<select id="ckh-f-thoi-han"') : page.index(
            "</select>", page.index('id="ckh-f-thoi-han"')
        )
    ]
    offered = set(re.findall(r'<option value="([^"]+)"', select))
    assert offered == {kind.value for kind in TimelineKind}
