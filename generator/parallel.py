"""Independent work spread over the machine's cores: a map whose result is in the order of its
input whatever the order the work finishes in, so that output stays deterministic."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from functools import cache, partial
from itertools import islice
from multiprocessing.connection import Connection
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
            try:
                while pending:
                    done = pending.popleft().result()
                    pending.extend(pool.submit(_run, s, s + chunk) for s in islice(starts, 1))
                    yield from _advancing(iter(done), advance)
            except BaseException:
                # Failed, interrupted, or no longer wanted: leaving the block then waits for
                # the chunks under way only, not for those handed out ahead.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        _work = None


@contextmanager
def in_background(function: Callable[[], R]) -> Iterator[Callable[[], R]]:
    """function() started now in a forked process while this one goes on; yields a callable
    that waits for its result (pickled back, so it must be small). What the process allocates,
    however much, is given back to the system when it ends, where in this one CPython would
    keep it (the pages it leaves would then be in every worker forked later, too). Leaving the
    block stops it if it is still running. With one core, or no fork, function() runs here,
    at once."""
    if not _forks(workers()):
        done = function()
        yield lambda: done
        return
    receiving, sending = multiprocessing.Pipe(duplex=False)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_send_outcome, args=(function, sending))
    child.start()
    _lead_own_group(child.pid or 0)
    sending.close()
    try:
        yield cache(partial(_outcome, receiving, child))
    finally:
        if child.is_alive() and child.pid:
            # Not wanted any more (the caller failed or was interrupted): it and its workers.
            with suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        child.join()
        receiving.close()


def _send_outcome(function: Callable[[], Any], sending: Connection) -> None:
    _lead_own_group()
    try:
        outcome: tuple[bool, Any, str] = (True, function(), "")
    except BaseException as exc:  # noqa: BLE001 (any failure is the caller's to raise)
        outcome = (False, exc, traceback.format_exc())
    try:
        sending.send(outcome)
    except Exception:  # noqa: BLE001 (an exception that cannot be pickled: sent as its text)
        sending.send((False, ChildProcessError(outcome[2] or repr(outcome[1])), outcome[2]))


def _lead_own_group(pid: int = 0) -> None:
    """Make the background process (this one, or `pid`) lead a process group of its own,
    which the workers it forks join: stopping the group stops them all. Both the parent and
    the child ask, so that the group exists whichever runs first."""
    with suppress(OSError):  # the child has already asked, or has ended
        os.setpgid(pid, 0)


def _outcome(receiving: Connection, child: multiprocessing.process.BaseProcess) -> Any:
    try:
        ok, value, trace = receiving.recv()
    except EOFError:
        child.join()
        raise ChildProcessError(
            f"the background process ended with no result (exit code {child.exitcode})"
        ) from None
    if not ok:
        raise value from ChildProcessError(f"in the background process:\n{trace}")
    return value


def _advancing(results: Iterator[R], advance: Callable[[int], None] | None) -> Iterator[R]:
    for result in results:
        if advance is not None:
            advance(1)
        yield result
