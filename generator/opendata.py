"""Every download the portal offers, as files: the tasks as JSON, CSV and XLSX (all of them,
each jurisdiction, each plan, each agency), the calendars (everything, each jurisdiction, each
plan, each agency) and the JSON Schema of the tasks files. A reader who wants one province
takes its jurisdiction's files and never downloads the rest. Makes `File`s (the big
families one at a time, as the writer takes them), and the largest sets' files on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
from pydantic import BaseModel

from generator import exports, ics, names, parallel, progress, twins, urls
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
# of them must miss the cache. Bump the version when exports.tasks_xlsx or ics.feed_bytes
# change how they lay the same rows out.
_RECIPE = f"openpyxl {openpyxl.__version__}; icalendar {icalendar.__version__}; v1; " + repr(
    [(c.key, c.header, c.width) for c in exports.COLUMNS]
)


# A file made: its bytes, or the file they were written to.
Made = bytes | Path


def _made(spool: Path | None, write: Callable[..., None], *args: Any) -> Made:
    """What `write(out, *args)` writes: its bytes, or with `spool`, a new file there holding
    them (never all in memory)."""
    if spool is None:
        return exports.made_in_memory(write, *args)
    fd, name = tempfile.mkstemp(dir=spool)
    with os.fdopen(fd, "wb") as out:
        write(out, *args)
    return Path(name)


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
    Digested part by part (each row, each event): the text of the national set's rows at once
    would be hundreds of megabytes."""
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
        _touch_kept(cache, [key])
        return found
    made = make()
    cache.mkdir(parents=True, exist_ok=True)
    for path, one in zip(paths, made, strict=True):
        _kept(one, path)
    return made


def set_files(
    one: DownloadSet,
    site_url: str,
    built: dt.date,
    cache: Path | None = None,
    spool: Path | None = None,
) -> list[File | SpooledFile]:
    """The JSON, CSV, XLSX and calendar of one set, at each of its places; with `spool`, each
    file is written there as it is made instead of held (SpooledFile)."""
    return _keyed_set_files(one, site_url, built, cache, spool)[0]


def _keyed_set_files(
    one: DownloadSet, site_url: str, built: dt.date, cache: Path | None, spool: Path | None
) -> tuple[list[File | SpooledFile], str]:
    """set_files, and the key of the set's workbook and calendar in the cache."""
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
    files = []
    for url_of, feed_url in one.places:
        files += [_file(url_of("json"), table), _file(url_of("csv"), sheet)]
        files += [_file(url_of("xlsx"), book), _file(feed_url, feed)]
    return files, key


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
    make = partial(_keyed_set_files, site_url=site_url, built=built, cache=cache, spool=spool)
    with parallel.in_background(partial(_made_sets, make, todo)) as made:
        yield partial(_handed_on, sets, kept, made, cache, started, reuse)


def _made_sets(
    make: Callable[[DownloadSet], tuple[list[File | SpooledFile], str]], todo: list[DownloadSet]
) -> list[tuple[list[File | SpooledFile], str]]:
    with progress.stage("Tệp tải về (bảng, lịch)", len(todo)) as advance:
        return list(parallel.ordered_map(make, todo, advance))


def _handed_on(
    sets: Sequence[DownloadSet],
    kept: Mapping[str, tuple[Kept, ...] | None],
    made: Callable[[], list[tuple[list[File | SpooledFile], str]]],
    cache: Path | None,
    started: float,
    reuse: units.Reuse | None,
) -> Iterator[File | SpooledFile | Kept]:
    """Each set's files in the sets' order, kept or made; the cache's bookkeeping after."""
    # Each set's key in the cache: a kept set's as the last build noted it.
    last_keys = _keys_in_use(cache) if reuse is not None and cache is not None else {}
    keys: dict[str, str] = {}
    kept_keys: list[str] = []
    new = iter(made())
    for one in sets:
        set_id = _set_id(one)
        files = kept[set_id]
        if files is not None:
            if set_id in last_keys:
                keys[set_id] = last_keys[set_id]
                kept_keys.append(last_keys[set_id])
            yield from files
            continue
        made_files, keys[set_id] = next(new)
        if reuse is not None:
            reads = {("download_sets", "key", set_id), ("built", "key", "date")}
            reuse.note(_set_unit(one), frozenset(reads), tuple(f.path for f in made_files))
        yield from made_files
    assert next(new, None) is None
    if cache is not None:
        _touch_kept(cache, kept_keys)
        _prune(cache, started)
        if reuse is not None:
            _save_keys_in_use(cache, keys)


# The key in the cache of each set's workbook and calendar, by set: the next build touches
# those of the sets it keeps (which it neither makes nor reads), so that _prune leaves them
# for when an edit makes the set again with the same rows (an agency's, when the task edited
# in one of its plans is another agency's).
_KEYS_IN_USE = "sets.json"


def _keys_in_use(cache: Path) -> dict[str, str]:
    try:
        found = json.loads((cache / _KEYS_IN_USE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: the kept sets' files may go (made again if needed)
    return found if isinstance(found, dict) else {}


def _save_keys_in_use(cache: Path, keys: Mapping[str, str]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    _kept(
        json.dumps(keys, ensure_ascii=False, sort_keys=True).encode("utf-8"), cache / _KEYS_IN_USE
    )


def _touch_kept(cache: Path, keys: Iterable[str]) -> None:
    """Mark the kept sets' cached files as still in use (_prune keeps them)."""
    for key in keys:
        for path in _cached(cache, key):
            with suppress(FileNotFoundError):  # gone: made again when the set is
                os.utime(path)


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
