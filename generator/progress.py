"""Where a long build is and how long is left, said on stderr.

At national scale (3,400 plans) a build runs for many minutes; silence would look like a hang.
On a terminal one line is rewritten at most twice a second. In a log (CI, a pipe) a line is
written at most every 30 seconds, so a small build, and the test suite, say nothing, and a
national one a few lines a stage.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TextIO

# Called with how many more units of a stage are done.
Advance = Callable[[int], None]

TERMINAL_INTERVAL = 0.5
LOG_INTERVAL = 30.0


def ignore(done: int = 1) -> None:
    """An Advance for callers that report nothing."""


def count(number: int) -> str:
    """12.345: Vietnamese groups thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def duration(seconds: float) -> str:
    """A duration as people say it: 45 giây, 12 phút, 1 giờ 5 phút."""
    if seconds < 60:
        return f"{seconds:.0f} giây"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} phút"
    return f"{minutes // 60} giờ {minutes % 60} phút"


def line(label: str, done: int, total: int, elapsed: float) -> str:
    """`label: done/total (share), còn khoảng …`, the time left at the pace so far."""
    text = f"{label}: {count(done)}/{count(total)}"
    if total > 0:
        text += f" ({done / total:.0%})"
    if 0 < done < total:
        text += f", còn khoảng {duration(elapsed * (total - done) / done)}"
    return text


class Reporter:
    """Reports the stages of one run on `stream`."""

    def __init__(
        self,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty()
        self.clock = clock
        default = TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL
        self.interval = default if interval is None else interval

    def _show(self, text: str) -> None:
        if self.terminal:
            self.stream.write(f"\r\033[K{text}")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Advance]:
        """A stage of `total` units: the block calls the Advance it is given as units get
        done; a line is shown when `interval` has passed since the last one (or the start)."""
        start = last = self.clock()
        done = 0
        shown = False

        def advance(units: int = 1) -> None:
            nonlocal done, last, shown
            done += units
            now = self.clock()
            if now - last >= self.interval:
                last, shown = now, True
                self._show(line(label, done, total, now - start))

        yield advance
        if shown and self.terminal:
            self.stream.write("\n")  # the rewritten line stays, and what follows starts afresh


def stage(label: str, total: int) -> AbstractContextManager[Advance]:
    """A stage reported on this process's stderr."""
    return Reporter().stage(label, total)
