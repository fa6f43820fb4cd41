"""A long build says where it is and how long is left; a short one, and CI logs, stay quiet."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from generator.progress import Reporter, duration, line

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_line_says_how_far_and_how_long_is_left_at_the_pace_so_far() -> None:
    assert line("Dựng trang", 2500, 10000, 60.0) == (
        "Dựng trang: 2.500/10.000 (25%), còn khoảng 3 phút"
    )
    assert line("Dựng trang", 10000, 10000, 240.0) == "Dựng trang: 10.000/10.000 (100%)"


def test_durations_read_as_people_say_them() -> None:
    assert [duration(s) for s in (4.4, 59, 61, 3500, 3600, 3900)] == [
        "4 giây",
        "59 giây",
        "1 phút",
        "58 phút",
        "1 giờ 0 phút",
        "1 giờ 5 phút",
    ]


def test_a_log_gets_a_line_each_interval_and_nothing_from_a_short_stage() -> None:
    out, clock = io.StringIO(), Clock()
    reporter = Reporter(out, clock, interval=30.0)
    with reporter.stage("Tệp tải về", 100) as advance:
        for _ in range(100):
            clock.now += 1.0  # 100 s in all: lines at 30, 60 and 90 s
            advance(1)
    assert out.getvalue().splitlines() == [
        "Tệp tải về: 30/100 (30%), còn khoảng 1 phút",
        "Tệp tải về: 60/100 (60%), còn khoảng 40 giây",
        "Tệp tải về: 90/100 (90%), còn khoảng 10 giây",
    ]
    quiet = io.StringIO()
    with Reporter(quiet, Clock(), interval=30.0).stage("Tệp tải về", 5) as advance:
        advance(5)
    assert quiet.getvalue() == ""


def test_generate_ends_with_a_one_line_summary_and_no_progress_when_quick(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p"
    synth = [sys.executable, "-m", "generator", "synth", "--plans", "3", "--out", str(project)]
    subprocess.run(synth, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(project), "generate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.count("\n") == 1
    assert done.stdout.startswith("Đã sinh ") and "3 kế hoạch" in done.stdout
    assert "còn khoảng" not in done.stderr
