"""Independent work spread over the machine's cores: a map whose result is in the order of its
input whatever the order the work finishes in, so that output stays deterministic."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# How many processes to use; 1 does everything in this one (for profiling and debugging).
WORKERS_VARIABLE = "GENERATOR_WORKERS"

# Items a worker is handed at a time (at most), and chunks handed out ahead of the caller per
# worker.
CHUNK = 16
AHEAD = 2

# The work of the map under way. Forked workers inherit it, so that neither the function nor
# the portal behind the items is pickled; each worker is sent a range of indexes and returns
# their results.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers() -> int:
    """$GENERATOR_WORKERS, else the cores this process may run on."""
    given = os.environ.get(WORKERS_VARIABLE, "")
    return max(1, int(given)) if given.isdigit() else len(os.sched_getaffinity(0))


def _forks(count: int) -> bool:
    """Whether work for `count` processes goes to forked ones: more than one, and a system
    that forks (the work is inherited, never pickled)."""
    return count > 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(start: int, stop: int) -> list[Any]:
    assert _work is not None
    function, items = _work
    return [function(item) for item in items[start:stop]]


def ordered_map(
    function: Callable[[T], R], items: Sequence[T], advance: Callable[[int], None] | None = None
) -> Iterator[R]:
    """function(item) for each item, computed by forked worker processes when there is more
    than one core and more than one item; the results come back in the items' order, each as
    soon as it and those before it are done, so that the caller can use (and drop) each one
    before the last is made. `advance(1)` is called as each result comes back (progress)."""
    count = min(workers(), len(items))
    if not _forks(count):
        yield from _advancing((function(item) for item in items), advance)
        return
    global _work
    _work = (function, items)
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            # Chunks of a few items: fewer round trips, and still a balanced load at the end.
            chunk = max(1, min(CHUNK, len(items) // (count * 16)))
            starts = iter(range(0, len(items), chunk))
            # A result waits in memory until the caller takes it: only a few chunks a worker
            # are handed out ahead, so that a caller slower than the workers (writing each
            # result to disk) never has them all pile up.
            pending = deque(pool.submit(_run, s, s + chunk) for s in islice(starts, count * AHEAD))
            while pending:
                done = pending.popleft().result()
                pending.extend(pool.submit(_run, s, s + chunk) for s in islice(starts, 1))
                yield from _advancing(iter(done), advance)
    finally:
        _work = None


def in_child(function: Callable[[], R]) -> R:
    """function() run in a forked process (in this one when there is one core, or no fork),
    its result pickled back: what it allocates, however much, is given back to the system when
    that process ends, where in this one CPython would keep it (the pages it leaves are then
    in every worker forked later, too). The result must be small."""
    if not _forks(workers()):
        return function()
    global _work
    _work = (lambda _: function(), (None,))
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            result: R = pool.submit(_run, 0, 1).result()[0]
            return result
    finally:
        _work = None


def _advancing(results: Iterator[R], advance: Callable[[int], None] | None) -> Iterator[R]:
    for result in results:
        if advance is not None:
            advance(1)
        yield result
