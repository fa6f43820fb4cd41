"""Every download the portal offers, as files: the tasks as JSON, CSV and XLSX (all of them,
each jurisdiction, each plan, each agency), the calendars (everything, each jurisdiction, each
plan, each agency) and the JSON Schema of the tasks files. A reader who wants one province
takes its jurisdiction's files and never downloads the rest. Makes `File`s (the big
families one at a time, as the writer takes them), and the largest sets' files on disk: the
national set and each jurisdiction's joined from their plans' parts, which the cache keeps
from build to build."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import pickle
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import chain, groupby
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import icalendar
import openpyxl
from pydantic import BaseModel

from generator import exports, ics, names, parallel, progress, store, twins, urls
from generator.deadlines import Deadline, by_agency
from generator.derive import Indexes
from generator.domain import Portal
from generator.pages import File, Kept, SpooledFile
from generator.render import units

TASKS_SCHEMA_URL = "du-lieu/nhiem-vu.schema.json"
# What each data file of data/ holds, as its published JSON Schema describes it.
DATA_FILE_NAMES = {
    "agencies": "danh bạ cơ quan và địa bàn (agencies.yaml)",
    "documents": "văn bản được trích dẫn (documents.yaml)",
    "themes": "chủ đề (themes.yaml)",
    "plan": "một kế hoạch (plans/<mã>.yaml)",
    "abbreviations": "chữ viết tắt cho tìm kiếm (abbreviations.yaml)",
}


def data_schema_url(name: str) -> str:
    return f"du-lieu/luoc-do/{name}.schema.json"


def schema_json(schema: Mapping[str, Any]) -> bytes:
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def schema_files(models: Mapping[str, type[BaseModel]]) -> list[File]:
    """The JSON Schemas of the tasks files and of every data file (as `generator schema`
    writes them into data/schemas/), published under /du-lieu/."""
    files = [File(TASKS_SCHEMA_URL, schema_json(exports.json_schema()))]
    files += [
        File(data_schema_url(n), schema_json(m.model_json_schema())) for n, m in models.items()
    ]
    return files


def schema_links(models: Mapping[str, type[BaseModel]]) -> list[tuple[str, str]]:
    """(URL, what it describes) of each schema schema_files publishes."""
    links = [(TASKS_SCHEMA_URL, "Tệp nhiệm vụ tải về (JSON)")]
    links += [(data_schema_url(n), "Tệp dữ liệu: " + DATA_FILE_NAMES.get(n, n)) for n in models]
    return links


def _grouped(
    deadlines: Sequence[Deadline], key: Callable[[Deadline], str]
) -> dict[str, list[Deadline]]:
    found: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        found.setdefault(key(deadline), []).append(deadline)
    return found


@dataclass(frozen=True)
class DownloadSet:
    """The tables and the calendar of everything, or of one plan, agency or jurisdiction:
    published under its id and every former id (`places`: the tables' URL by format, and the
    calendar's URL), so that a calendar subscribed to, or a file linked, before a rename keeps
    working."""

    places: tuple[tuple[Callable[[str], str], str], ...]
    deadlines: Sequence[Deadline]
    table_title: str
    feed_name: str
    agency_id: str | None = None


def _set(
    ids: Sequence[str],
    data_url: Callable[[str, str], str],
    feed_url: Callable[[str], str],
    deadlines: Sequence[Deadline],
    name: str,
    agency_id: str | None = None,
) -> DownloadSet:
    places = tuple((partial(data_url, i), feed_url(i)) for i in ids)
    return DownloadSet(places, deadlines, f"Nhiệm vụ: {name}", f"Thời hạn: {name}", agency_id)


def download_sets(portal: Portal, deadlines: Sequence[Deadline]) -> list[DownloadSet]:
    """Every set of downloads the portal offers, in the order the files are listed."""
    sets = [
        DownloadSet(
            ((urls.all_tasks_data_url, urls.ALL_FEED_URL),),
            deadlines,
            "Tất cả nhiệm vụ",
            "Cổng Kế hoạch: mọi thời hạn",
        )
    ]
    by_place = _grouped(deadlines, lambda d: d.plan.jurisdiction)
    for jurisdiction_id, selected in sorted(by_place.items()):
        sets.append(
            _set(
                [jurisdiction_id],
                urls.jurisdiction_data_url,
                urls.jurisdiction_feed_url,
                selected,
                portal.jurisdictions[jurisdiction_id].name,
            )
        )
    by_plan = _grouped(deadlines, lambda d: d.plan.id)
    for plan in portal.plans.values():
        sets.append(
            _set(
                [plan.id, *plan.former_ids],
                urls.plan_data_url,
                urls.plan_feed_url,
                by_plan.get(plan.id, []),
                names.plan_name(plan),
            )
        )
    duties = by_agency(deadlines)
    for agency_id, agency in sorted(portal.agencies.items()):
        # Every agency gets its calendar, even before a plan gives it a date: a subscription
        # made today fills in when one does.
        sets.append(
            _set(
                [agency_id, *agency.former_ids],
                urls.agency_data_url,
                urls.agency_feed_url,
                duties.get(agency_id, ()),
                agency.name,
                agency.id,
            )
        )
    return sets


# Everything that shapes a workbook or a calendar besides its rows and events: a change of any
# of them must miss the cache. Bump the version when exports or ics change how they lay the
# same rows and events out.
_RECIPE = f"openpyxl {openpyxl.__version__}; icalendar {icalendar.__version__}; v2; " + repr(
    [(c.key, c.header, c.width) for c in exports.COLUMNS]
)


# A file made: its bytes, or the file they were written to.
Made = bytes | Path


def _made(spool: Path | None, write: Callable[..., None], *args: Any) -> Made:
    """What `write(out, *args)` writes: its bytes, or with `spool`, a new file there holding
    them (never all in memory)."""
    return _made_together(spool, 1, lambda outs: write(outs[0], *args))[0]


def _made_together(
    spool: Path | None, count: int, write: Callable[[list[BinaryIO]], None]
) -> list[Made]:
    """What `write` writes into `count` files at once, each as `_made` returns it."""
    if spool is None:
        held = [io.BytesIO() for _ in range(count)]
        write(list[BinaryIO](held))
        return [one.getvalue() for one in held]
    paths: list[Made] = []
    with ExitStack() as stack:
        outs: list[BinaryIO] = []
        for _ in range(count):
            fd, name = tempfile.mkstemp(dir=spool)
            outs.append(stack.enter_context(os.fdopen(fd, "wb")))
            paths.append(Path(name))
        write(outs)
    return paths


def _kept(made: Made, path: Path) -> None:
    """Keep `made` in the cache at `path`, whole or not at all."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    if isinstance(made, bytes):
        with os.fdopen(fd, "wb") as out:
            out.write(made)
    else:
        os.close(fd)
        shutil.copyfile(made, tmp)
    os.replace(tmp, path)


def _found(path: Path, spool: Path | None) -> Made:
    """A cached file: its bytes, or with `spool`, a copy there. A copy, not a link: the cache
    touches what it reuses (for `_prune`), and a link would move the placed file's time too,
    which the site engine's incremental build reads as a change."""
    if spool is None:
        return path.read_bytes()
    fd, name = tempfile.mkstemp(dir=spool)
    os.close(fd)
    shutil.copyfile(path, name)
    return Path(name)


def _cache_key(key_parts: Iterable[object]) -> str:
    """The key of a workbook and calendar in the cache: the recipe, their rows and events.
    Digested part by part (each row, each event): the text of a large set's rows at once
    would be megabytes."""
    digest = hashlib.sha256(f"{_RECIPE}\n".encode())
    for part in key_parts:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()[:32]


def _cached(cache: Path, key: str) -> tuple[Path, Path]:
    return cache / f"{key}.xlsx", cache / f"{key}.ics"


def _made_once(
    cache: Path | None,
    key: str,
    make: Callable[[], tuple[Made, Made]],
    spool: Path | None = None,
) -> tuple[Made, Made]:
    """(workbook, calendar) read from `cache` when a build has already made them from the same
    rows and events (`key`), else made and kept there. The workbook and the calendar are the
    costly files of a set (openpyxl and icalendar); a build after an edit remakes only the
    sets the edit touches. A file is written whole or not at all. With `spool`, what is
    returned are files there."""
    if cache is None:
        return make()
    paths = _cached(cache, key)
    try:
        found = _found(paths[0], spool), _found(paths[1], spool)
    except FileNotFoundError:
        pass
    else:
        _touch_kept(cache, [p.name for p in paths])
        return found
    made = make()
    cache.mkdir(parents=True, exist_ok=True)
    for path, one in zip(paths, made, strict=True):
        _kept(one, path)
    return made


T = TypeVar("T")


@dataclass(frozen=True)
class _TablePart:
    """One plan's tasks and events as a set joined from plans holds them (`_joined_set`):
    the same wherever the plan stands in the set."""

    json: bytes  # exports.json_part
    csv: bytes  # exports.csv_part
    feed: bytes  # ics.events_part


@dataclass(frozen=True)
class _Parts:
    """The plans' parts that the national and each jurisdiction's sets are joined from, each
    kept in the cache by what it is made from: the plan (its file's digest, from `digests`,
    and whether it is replaced), the build date, the site's address and `_RECIPE`; a
    workbook part also by where it stands (`_Place`). After an edit, the edited plan's parts
    are made again, and the next plan's workbook part (compressed against the last rows of
    the plan above it); when the edit changes the number of tasks, the workbook parts of
    every plan after it too (they start at another row)."""

    site_url: str
    built: dt.date
    cache: Path | None
    digests: Mapping[str, bytes]

    def key(self, run: Sequence[Deadline]) -> str:
        plan = run[0].plan
        digest = self.digests.get(plan.id)
        if digest is None:  # a plan with no file of its name (not from load): by its value
            digest = hashlib.sha256(pickle.dumps(plan)).digest()
        # How many deadlines: a part is made of a whole plan, never taken for part of one.
        made_of = repr((plan.id, digest, run[0].replaced, len(run))).encode()
        return hashlib.sha256(self._shared + made_of).hexdigest()[:32]

    @cached_property
    def _shared(self) -> bytes:
        """What every part is made from besides its plan, digested once."""
        return hashlib.sha256(repr((_RECIPE, self.site_url, self.built)).encode()).digest()

    def table(self, run: Sequence[Deadline], key: str) -> _TablePart:
        return self._found_or_made(
            _table_name(key),
            _TablePart,
            lambda: _table_part(run, exports.task_records(run, self.site_url), self),
        )

    def book(self, run: Sequence[Deadline], key: str, place: _Place) -> exports.BookPart:
        return self._found_or_made(
            _book_name(key, place),
            exports.BookPart,
            lambda: self.made_book(exports.task_records(run, self.site_url), place),
        )

    def made_book(
        self, records: Sequence[dict[str, exports.Value]], place: _Place
    ) -> exports.BookPart:
        tasks = [d for d in place.above if d.task is not None][-exports.ROWS_ABOVE :]
        above = exports.task_records(tasks, self.site_url)
        return exports.book_part(records, place.first, above)

    def used(self, name: str) -> bool:
        """Whether the cache holds `name`, marked as used by this build (`_prune`)."""
        assert self.cache is not None
        try:
            os.utime(self.cache / name)
        except FileNotFoundError:
            return False
        return True

    def keep(self, name: str, part: object) -> None:
        """`part` in the cache, whole or not at all, with a checksum that `_part_found`
        checks."""
        assert self.cache is not None
        blob = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        store.pickle_whole(self.cache / name, (zlib.crc32(blob), blob))

    def _found_or_made(self, name: str, kind: type[T], make: Callable[[], T]) -> T:
        if self.cache is None:
            return make()
        found = _part_found(self.cache / name, kind)
        if found is not None:
            self.used(name)
            return found
        made = make()
        self.keep(name, made)
        return made


def _table_name(key: str) -> str:
    return f"{key}.part"


def _book_name(key: str, place: _Place) -> str:
    return f"{key}.{place.first}.{place.above_key[:16] or 'top'}.book"


@dataclass(frozen=True)
class _Place:
    """Where a plan's rows stand in a joined workbook: the row they start at, and the plan
    just above them, whose last rows their compressed parts refer back to
    (exports.book_part)."""

    first: int
    above: Sequence[Deadline]  # the plan above's deadlines; none for the first plan
    above_key: str  # its key in the cache; "" for the first plan


def _places(runs: Sequence[Sequence[Deadline]], keys: Sequence[str]) -> list[_Place]:
    places = []
    above: Sequence[Deadline] = ()
    first, above_key = 2, ""
    for run, key in zip(runs, keys, strict=True):
        places.append(_Place(first, above, above_key))
        first, above, above_key = first + _task_count(run), run, key
    return places


def _table_part(
    run: Sequence[Deadline], records: Sequence[dict[str, exports.Value]], parts: _Parts
) -> _TablePart:
    """A plan's share of a joined set's JSON, CSV and calendar (an agency's is never joined:
    its events say what the agency does)."""
    events = ics.feed_events(run, parts.site_url, None)
    return _TablePart(
        exports.json_part(records), exports.csv_part(records), ics.events_part(events, parts.built)
    )


def _part_found(path: Path, kind: type[T]) -> T | None:
    """The part kept at `path`, or None when there is none, or it is damaged (cut short,
    changed, of another kind): then it is made again, never published."""
    try:
        with path.open("rb") as stream:
            check, blob = pickle.load(stream)
        if zlib.crc32(blob) != check:
            return None
        found = pickle.loads(blob)
    # Whatever unpickling damaged bytes raises: the entry is ignored.
    except Exception:
        return None
    return found if isinstance(found, kind) else None


def _runs(deadlines: Sequence[Deadline]) -> list[Sequence[Deadline]]:
    """`deadlines` cut where the plan changes."""
    return [list(run) for _, run in groupby(deadlines, key=lambda d: d.plan.id)]


def _joined_runs(one: DownloadSet) -> list[Sequence[Deadline]] | None:
    """The plans of a set joined from plans (each plan's deadlines), or None for a set made
    whole. A set that is no agency's holds whole plans (download_sets): with more than one
    plan, it is the national set or a jurisdiction's, made from the plans' parts; a plan's
    own set (one plan) and an agency's (part of each plan) are made whole."""
    if one.agency_id is not None:
        return None
    runs = _runs(one.deadlines)
    return runs if len(runs) > 1 else None


def _task_count(run: Sequence[Deadline]) -> int:
    """How many rows the tables have for `run` (exports.task_records)."""
    return sum(1 for d in run if d.task is not None)


def _joined_set(
    one: DownloadSet, runs: Sequence[Sequence[Deadline]], parts: _Parts, spool: Path | None
) -> tuple[tuple[Made, Made, Made, Made], tuple[str, ...]]:
    """(JSON, CSV, workbook, calendar) of a set joined from its plans' parts, and the names
    of those parts in the cache. The same bytes as made whole (`exports.write_tasks_json`,
    `write_tasks_csv`, `ics.write_feed`; the workbook as `exports.write_joined_xlsx`)."""
    keys = [parts.key(run) for run in runs]
    books, names = [], []
    for run, key, place in zip(runs, keys, _places(runs, keys), strict=True):
        books.append(parts.book(run, key, place))
        names += [_table_name(key), _book_name(key, place)]
    count = sum(book.count for book in books)

    def write(outs: list[BinaryIO]) -> None:
        table, sheet, feed = outs
        table.write(exports.json_head(count, parts.built))
        sheet.write(exports.csv_head())
        feed.write(ics.feed_head(one.feed_name, parts.built))
        comma = b""
        for run, key in zip(runs, keys, strict=True):
            part = parts.table(run, key)
            if part.json:
                table.write(comma + part.json)
                comma = b","
            sheet.write(part.csv)
            feed.write(part.feed)
        table.write(exports.JSON_END)
        feed.write(ics.FEED_END)

    table, sheet, feed = _made_together(spool, 3, write)
    book = _made(spool, exports.write_joined_xlsx, books, parts.built, one.table_title)
    return (table, sheet, book, feed), tuple(names)


def set_files(
    one: DownloadSet,
    site_url: str,
    built: dt.date,
    cache: Path | None = None,
    spool: Path | None = None,
) -> list[File | SpooledFile]:
    """The JSON, CSV, XLSX and calendar of one set, at each of its places; with `spool`, each
    file is written there as it is made instead of held (SpooledFile)."""
    return _keyed_set_files(one, _Parts(site_url, built, cache, {}), spool)[0]


def _keyed_set_files(
    one: DownloadSet, parts: _Parts, spool: Path | None
) -> tuple[list[File | SpooledFile], tuple[str, ...]]:
    """set_files, and the names of the files in the cache it was made from."""
    runs = _joined_runs(one)
    if runs is not None:
        (table, sheet, book, feed), used = _joined_set(one, runs, parts, spool)
    else:
        table, sheet, book, feed, used = _whole_set(one, parts, spool)
    files = []
    for url_of, feed_url in one.places:
        files += [_file(url_of("json"), table), _file(url_of("csv"), sheet)]
        files += [_file(url_of("xlsx"), book), _file(feed_url, feed)]
    return files, used


def _whole_set(
    one: DownloadSet, parts: _Parts, spool: Path | None
) -> tuple[Made, Made, Made, Made, tuple[str, ...]]:
    """(JSON, CSV, workbook, calendar) of a set made whole, and the names of its workbook and
    calendar in the cache."""
    site_url, built, cache = parts.site_url, parts.built, parts.cache
    records = exports.task_records(one.deadlines, site_url)
    events = ics.feed_events(one.deadlines, site_url, one.agency_id)
    table = _made(spool, exports.write_tasks_json, records, built)
    sheet = _made(spool, exports.write_tasks_csv, records)
    key = (
        ""
        if cache is None
        else _cache_key(chain((one.table_title, one.feed_name, built), records, [None], events))
    )
    book, feed = _made_once(
        cache,
        key,
        lambda: (
            _made(spool, exports.write_tasks_xlsx, records, built, one.table_title),
            _made(spool, ics.write_feed, events, one.feed_name, built),
        ),
        spool,
    )
    used = tuple(p.name for p in _cached(cache, key)) if cache is not None else ()
    return table, sheet, book, feed, used


def _file(path: str, made: Made) -> File | SpooledFile:
    if isinstance(made, bytes):
        return File(path, made)
    return SpooledFile(path, made, made.stat().st_size)


def download_files(
    portal: Portal,
    deadlines: Sequence[Deadline],
    site_url: str,
    built: dt.date,
    cache: Path | None = None,
    spool: Path | None = None,
    reuse: units.Reuse | None = None,
) -> Iterator[File | SpooledFile | Kept]:
    """Every download, as `downloads_started` makes them, taken at once."""
    with downloads_started(portal, deadlines, site_url, built, cache, spool, reuse) as files:
        yield from files()


@contextmanager
def downloads_started(
    portal: Portal,
    deadlines: Sequence[Deadline],
    site_url: str,
    built: dt.date,
    cache: Path | None = None,
    spool: Path | None = None,
    reuse: units.Reuse | None = None,
) -> Iterator[Callable[[], Iterator[File | SpooledFile | Kept]]]:
    """Every download, its sets started at once and made on all cores in a process of their
    own (parallel.in_background) while the caller goes on; yields a callable that hands them
    on set by set, waiting for them. With `spool` (a folder), each set's files are written
    there as they are made and handed on as SpooledFiles (together they are gigabytes at
    national scale: never in memory, nor sent between processes). With `cache`, a workbook
    or calendar made by an earlier build from the same rows is read back instead of made
    again. With `reuse`, a set whose inputs (the build date among them) have not changed
    since the last build is not made at all: its files are handed on as `Kept`
    (generator/render/units.py)."""
    # Two seconds' margin: file times come from the kernel's coarse clock, which may lag.
    started = time.time() - 2
    sets = download_sets(portal, deadlines)
    day = {"date": built.isoformat()}
    if reuse is not None:
        inputs = {_set_id(one): _set_inputs(one) for one in sets}
        reuse.bind({"download_sets": lambda: inputs, "built": lambda: day})
    kept = {_set_id(one): reuse.kept(_set_unit(one)) if reuse else None for one in sets}
    todo = [one for one in sets if kept[_set_id(one)] is None]
    parts = _Parts(site_url, built, cache, reuse.plans if reuse is not None else {})
    with parallel.in_background(partial(_made_sets, parts, spool, todo)) as made:
        yield partial(_handed_on, sets, kept, made, cache, started, reuse)


def _made_sets(
    parts: _Parts, spool: Path | None, todo: list[DownloadSet]
) -> list[tuple[list[File | SpooledFile], tuple[str, ...]]]:
    """The files of each set of `todo`, made on all cores: first the plans' parts the joined
    sets lack (each once, though the national set and a jurisdiction's share every plan),
    then the sets."""
    if parts.cache is not None:
        missing = _parts_missing(parts, todo)
        with progress.stage("Tệp tải về: phần của từng kế hoạch", len(missing)) as advance:
            for _ in parallel.ordered_map(partial(_plan_parts_made, parts), missing, advance):
                pass
    make = partial(_keyed_set_files, parts=parts, spool=spool)
    with progress.stage("Tệp tải về (bảng, lịch)", len(todo)) as advance:
        return list(parallel.ordered_map(make, todo, advance))


# A plan's deadlines, its key in the cache, and the places of its missing workbook parts.
_PlanParts = tuple[Sequence[Deadline], str, tuple[_Place, ...]]


def _parts_missing(parts: _Parts, todo: Iterable[DownloadSet]) -> list[_PlanParts]:
    """The parts the joined sets of `todo` need that the cache does not hold: each plan's,
    with the places where its workbook part is missing. Those it holds are marked as
    used."""
    wanted: dict[str, tuple[Sequence[Deadline], dict[str, _Place]]] = {}
    for one in todo:
        runs = _joined_runs(one) or []
        keys = [parts.key(run) for run in runs]
        for run, key, place in zip(runs, keys, _places(runs, keys), strict=True):
            wanted.setdefault(key, (run, {}))[1][_book_name(key, place)] = place
    missing = []
    for key, (run, places) in wanted.items():
        books = tuple(place for name, place in places.items() if not parts.used(name))
        if books or not parts.used(_table_name(key)):
            missing.append((run, key, books))
    return missing


def _plan_parts_made(parts: _Parts, plan_parts: _PlanParts) -> None:
    """A plan's missing parts, made and kept in the cache."""
    run, key, places = plan_parts
    records = exports.task_records(run, parts.site_url)
    if not parts.used(_table_name(key)):
        parts.keep(_table_name(key), _table_part(run, records, parts))
    for place in places:
        parts.keep(_book_name(key, place), parts.made_book(records, place))


def _handed_on(
    sets: Sequence[DownloadSet],
    kept: Mapping[str, tuple[Kept, ...] | None],
    made: Callable[[], list[tuple[list[File | SpooledFile], tuple[str, ...]]]],
    cache: Path | None,
    started: float,
    reuse: units.Reuse | None,
) -> Iterator[File | SpooledFile | Kept]:
    """Each set's files in the sets' order, kept or made; the cache's bookkeeping after."""
    # The files in the cache each set was made from: a kept set's as the last build noted them.
    last_used = _used_files(cache) if reuse is not None and cache is not None else {}
    used: dict[str, tuple[str, ...]] = {}
    kept_used: list[str] = []
    new = iter(made())
    for one in sets:
        set_id = _set_id(one)
        files = kept[set_id]
        if files is not None:
            if set_id in last_used:
                used[set_id] = last_used[set_id]
                kept_used += last_used[set_id]
            yield from files
            continue
        made_files, used[set_id] = next(new)
        if reuse is not None:
            reads = {("download_sets", "key", set_id), ("built", "key", "date")}
            reuse.note(_set_unit(one), frozenset(reads), tuple(f.path for f in made_files))
        yield from made_files
    assert next(new, None) is None
    if cache is not None:
        _touch_kept(cache, kept_used)
        _prune(cache, started)
        if reuse is not None:
            _save_used_files(cache, used)


# The files in the cache each set was made from (its workbook and calendar, or its plans'
# parts), by set: the next build touches those of the sets it keeps (which it neither makes
# nor reads), so that _prune leaves them for when an edit makes the set again from the same
# rows (an agency's, when the task edited in one of its plans is another agency's; a
# jurisdiction's, when another of its plans is edited).
_USED_FILES = "sets.json"


def _used_files(cache: Path) -> dict[str, tuple[str, ...]]:
    try:
        found = json.loads((cache / _USED_FILES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: the kept sets' files may go (made again if needed)
    if not isinstance(found, dict):
        return {}
    return {
        set_id: tuple(names)
        for set_id, names in found.items()
        if isinstance(names, list) and all(isinstance(n, str) for n in names)
    }


def _save_used_files(cache: Path, used: Mapping[str, tuple[str, ...]]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    _kept(json.dumps(used, ensure_ascii=False, sort_keys=True).encode("utf-8"), cache / _USED_FILES)


def _touch_kept(cache: Path, names: Iterable[str]) -> None:
    """Mark the kept sets' cached files as still in use (_prune keeps them)."""
    for name in names:
        with suppress(FileNotFoundError):  # gone: made again when the set is
            os.utime(cache / name)


def _set_id(one: DownloadSet) -> str:
    """Its first calendar's URL: one a set, and the same from build to build."""
    return one.places[0][1]


def _set_unit(one: DownloadSet) -> units.Unit:
    return ("download", _set_id(one))


def _set_inputs(one: DownloadSet) -> tuple[object, ...]:
    """Everything `set_files` makes a set's files from, but the build date (a read of its
    own) and the site's address (in the global key): a set is a pure function of these. Its
    deadlines are fingerprinted as units.py does (by plan file, key and `replaced`)."""
    # Flat, and its deadlines as they are: this is fingerprinted for every set on every build.
    paths = (p for url_of, feed in one.places for p in (*map(url_of, _KINDS), feed))
    return (one.table_title, one.feed_name, one.agency_id, *paths), one.deadlines


# The formats of a set's tables, each published under its own URL.
_KINDS = ("json", "csv", "xlsx")


def _prune(cache: Path, started: float) -> None:
    """Remove the cached files this build neither made nor read (each one it used was written
    or touched after `started`). Without this the cache would keep every edited set's old
    files, and the whole cache again each day, since the build date is part of every key."""
    with os.scandir(cache) as entries:
        for entry in entries:
            if entry.is_file() and entry.stat().st_mtime < started:
                os.unlink(entry.path)


def twin_files(
    portal: Portal,
    idx: Indexes,
    deadlines: Sequence[Deadline],
    site_url: str,
    built: dt.date,
    reuse: units.Reuse | None = None,
) -> Iterator[File | Kept]:
    """The JSON twin (`index.json`) beside every plan, agency and document page, and beside
    each old address a renamed one redirects from: a program reading it keeps working. Made
    one page's twins at a time, as they are taken. With `reuse`, a plan's or an agency's
    twins whose inputs (the build date among them) have not changed since the last build are
    handed on as `Kept`, as their pages are (generator/render/units.py)."""
    by_plan = _grouped(deadlines, lambda d: d.plan.id)
    duties = by_agency(deadlines)
    day = {"date": built.isoformat()}
    if reuse is not None:
        reuse.bind(
            units.portal_sources(portal, idx)
            | {"plan_deadlines": lambda: by_plan, "agency_deadlines": lambda: duties}
            | {"built": lambda: day}
        )

    def files(page_url: Callable[[str], str], ids: Sequence[str], text: str) -> list[File]:
        data = text.encode("utf-8")
        return [File(urls.json_twin_url(page_url(i)), data) for i in ids]

    def plan_files(plan_id: str, reads: set[units.Read]) -> list[File]:
        plan = units.RecordingMapping("plans", lambda: portal.plans, reads)[plan_id]
        text = twins.plan_twin(
            plan,
            units.recording(portal, reads),
            units.RecordingMapping("plan_deadlines", lambda: by_plan, reads).get(plan.id, []),
            site_url,
            date(reads),
        )
        return files(urls.plan_url, [plan.id, *plan.former_ids], text)

    def agency_files(agency_id: str, reads: set[units.Read]) -> list[File]:
        agency = units.RecordingMapping("agencies", lambda: portal.agencies, reads)[agency_id]
        text = twins.agency_twin(
            agency.id,
            units.recording(portal, reads),
            units.recording(idx, reads),
            units.RecordingMapping("agency_deadlines", lambda: duties, reads).get(agency.id, ()),
            site_url,
            date(reads),
        )
        return files(urls.agency_url, [agency.id, *agency.former_ids], text)

    def date(reads: set[units.Read]) -> dt.date:
        return dt.date.fromisoformat(units.RecordingMapping("built", lambda: day, reads)["date"])

    for plan_id in portal.plans:
        yield from units.reused_or_made(reuse, ("plan-twin", plan_id), partial(plan_files, plan_id))
    for agency_id in portal.agencies:
        unit = ("agency-twin", agency_id)
        yield from units.reused_or_made(reuse, unit, partial(agency_files, agency_id))
    for d in portal.documents.values():
        text = twins.document_twin(d, portal, idx, site_url, built)
        yield from files(urls.document_url, [d.id, *d.former_ids], text)
