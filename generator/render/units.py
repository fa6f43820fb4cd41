"""A plan's pages and an agency's pages (and their JSON twins) taken as they are from the last
build when nothing they were made from has changed (issue 14: one plan's edit must not render
every page again).

A *unit* is one plan's pages (with its groups'), one agency's pages, or the JSON twins of one
plan or agency (generator/opendata.py): a pure function of the portal, its indexes (and for a
page the `Site` that renders it, for a twin the deadlines and the build date) and that plan or
agency. A place's deadlines pages (generator/render/deadlines.py) are a unit too, and so is a
download set (its tables and calendar, generator/opendata.py), read whole: its deadlines,
titles and places, and the build date. While a unit is made, every mapping it can reach is a
view that records each read: a key looked up, the size taken, or the whole mapping gone
through. Reads are found as the code
runs, never listed by hand, so a page that starts to show something new cannot silently miss
it. The build's record (`.cache/units.pickle`) keeps, for each unit, its reads with a
fingerprint of what each read found, and the files it made. The next build skips a unit whose
every read finds the same fingerprint, whose files are in docs/ as that build left them (size
and modification time), and whose *global key* (the generator's code, the templates, every
data file but the plans, the site's address, the libraries that print) is unchanged: the
writer is told its files stand (`pages.Kept`).

Fingerprints: a plan by the SHA-256 of its YAML file (of the bytes loaded, so an edit made
while the build runs is seen by the next one); an agency, document, theme,
jurisdiction or abbreviation by its id alone, since they come from the registry files, which
the global key covers; the indexes' values by the ids, roles and wordings they hold, with the
digest of each plan they reach into (an `Assignment` holds its plan, group and task; group and
task ids are unique in a plan); a deadline by its plan, key and whether its plan is replaced;
a sequence of deadlines or of assignments by its runs of one plan's (`Fingerprints._runs`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from importlib import metadata
from itertools import compress, groupby
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from generator import parallel, progress, store
from generator.deadlines import Deadline
from generator.derive import Assignment, Indexes
from generator.domain import (
    Abbreviation,
    Agency,
    Document,
    Group,
    Jurisdiction,
    Plan,
    Portal,
    Task,
    Theme,
)
from generator.pages import File, Kept, Page
from generator.render.common import Site

T = TypeVar("T")
V = TypeVar("V")
R = TypeVar("R")
D = TypeVar("D")  # a dataclass
F = TypeVar("F", bound=File | Page)  # a file a unit makes

# (what was read, how, which key): the name of a mapping of the portal, the indexes or the
# Site's cached helpers; "key" a key looked up (with [], get or in), "len" its size, "all" the
# whole of it gone through (the key is then "").
Read = tuple[str, str, str]
# ("plan" | "agency" | "plan-twin" | "agency-twin" | "download", its id: a download set's by its
# first calendar's URL)
Unit = tuple[str, str]
# A file a unit made, and its size and modification time once the writer had put it in place.
Made = tuple[str, int, int]

# Changed whenever the record's layout changes: a record of another layout is not read.
_VERSION = 2
# Libraries whose output reaches the pages: a new version may print them differently.
_PRINTING_PACKAGES = ("jinja2", "markupsafe", "segno")


class RecordingMapping(Mapping[str, V]):
    """A read-only view of a mapping that notes every read of it in `reads`. The mapping is
    asked for only when first read (`target` makes it), so that a Site's cached helper no
    unit needs is never computed."""

    def __init__(self, name: str, target: Callable[[], Mapping[str, V]], reads: set[Read]):
        self._name, self._target, self._reads = name, target, reads

    @cached_property
    def _mapping(self) -> Mapping[str, V]:
        return self._target()

    def __getitem__(self, key: str) -> V:
        self._reads.add((self._name, "key", key))
        return self._mapping[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self._reads.add((self._name, "key", key))
        return key in self._mapping

    def __len__(self) -> int:
        self._reads.add((self._name, "len", ""))
        return len(self._mapping)

    def __iter__(self) -> Iterator[str]:
        self._reads.add((self._name, "all", ""))
        return iter(self._mapping)

    def keys(self) -> Any:
        self._reads.add((self._name, "all", ""))
        return self._mapping.keys()

    def values(self) -> Any:
        self._reads.add((self._name, "all", ""))
        return self._mapping.values()

    def items(self) -> Any:
        self._reads.add((self._name, "all", ""))
        return self._mapping.items()


class RecordingSequence(Sequence[V]):
    """A read-only view of a tuple that notes its size taken, or anything else as a read of
    the whole of it."""

    def __init__(self, name: str, target: Callable[[], Sequence[V]], reads: set[Read]):
        self._name, self._target, self._reads = name, target, reads

    @cached_property
    def _sequence(self) -> Sequence[V]:
        return self._target()

    def __len__(self) -> int:
        self._reads.add((self._name, "len", ""))
        return len(self._sequence)

    def __getitem__(self, at: Any) -> Any:
        self._reads.add((self._name, "all", ""))
        return self._sequence[at]

    def __iter__(self) -> Iterator[V]:
        self._reads.add((self._name, "all", ""))
        return iter(self._sequence)

    def __contains__(self, value: object) -> bool:
        self._reads.add((self._name, "all", ""))
        return value in self._sequence


Sources = dict[str, Callable[[], Any]]  # what reads of each name read, in this build


def sources_of(owner: Any) -> Sources:
    """Each mapping or tuple of a dataclass (the portal, its indexes, …), by its field's name."""
    return {f.name: partial(getattr, owner, f.name) for f in dataclasses.fields(owner)}


def portal_sources(portal: Portal, idx: Indexes) -> Sources:
    """Each mapping of the portal and of the indexes, by its field's name."""
    return sources_of(portal) | sources_of(idx)


def site_sources(site: Site) -> Sources:
    """Every mapping a unit can reach from its Site: the portal's and the indexes', and each
    of the Site's cached helpers (found by looking, so that a helper added later is recorded
    too)."""
    sources = portal_sources(site.portal, site.idx)
    for name in _cached_helpers():
        assert name not in sources, f"{name}: two mappings of one name"
        sources[name] = partial(getattr, site, name)
    return sources


def _cached_helpers() -> dict[str, bool]:
    """The Site's cached helpers, each with whether it is a tuple (else a mapping)."""
    return {
        name: str(helper.func.__annotations__["return"]).startswith("tuple")
        for name, helper in vars(Site).items()
        if isinstance(helper, cached_property)
    }


def _view(name: str, target: Callable[[], Any], is_tuple: bool, reads: set[Read]) -> Any:
    if is_tuple:
        return RecordingSequence(name, target, reads)
    return RecordingMapping(name, target, reads)


def _views(owner: Any, reads: set[Read]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for f in dataclasses.fields(owner):
        value = getattr(owner, f.name)
        if not isinstance(value, Mapping | tuple):
            raise TypeError(f"{f.name}: a unit could read it unrecorded")
        target = partial(getattr, owner, f.name)
        found[f.name] = _view(f.name, target, isinstance(value, tuple), reads)
    return found


def recording(owner: D, reads: set[Read]) -> D:
    """A dataclass of mappings and tuples with each recording its reads into `reads`."""
    return dataclasses.replace(owner, **_views(owner, reads))  # type: ignore[type-var]


def recording_site(site: Site, reads: set[Read]) -> Site:
    """`site` with every mapping a unit can reach recording its reads into `reads`."""
    recorded = dataclasses.replace(
        site,
        portal=recording(site.portal, reads),
        idx=recording(site.idx, reads),
    )
    # A cached_property keeps its value in the instance's __dict__: put the view there, over
    # the helper the full Site has computed (or computes once, when first read).
    for name, is_tuple in _cached_helpers().items():
        recorded.__dict__[name] = _view(name, partial(getattr, site, name), is_tuple, reads)
    return recorded


def reused_or_made(
    reuse: Reuse | None, unit: Unit, make: Callable[[set[Read]], list[F]]
) -> Iterator[F | Kept]:
    """A unit's files made here (not in workers): kept as they are when `reuse` says they
    stand, else made by `make`, which records what it reads into the set it is given."""
    kept = reuse.kept(unit) if reuse is not None else None
    if kept is not None:
        yield from kept
        return
    reads: set[Read] = set()
    made = make(reads)
    if reuse is not None:
        reuse.note(unit, frozenset(reads), tuple(f.path for f in made))
    yield from made


def kept_or_made(
    reuse: Reuse | None,
    items: Sequence[tuple[Unit, T]],
    make: Callable[[T], R],
    advance: progress.Advance,
) -> Iterator[tuple[Unit, tuple[Kept, ...] | None, R | None]]:
    """Each unit in the items' order with either its files kept from the last build (when
    `reuse` says they stand) or what `make` made of its item on every core: (unit, kept, None)
    or (unit, None, made). The caller notes what a made unit read."""
    kept = {unit: reuse.kept(unit) if reuse else None for unit, _ in items}
    todo = [item for unit, item in items if kept[unit] is None]
    made = parallel.ordered_map(make, todo, advance)
    for unit, _ in items:
        files = kept.pop(unit)  # let go once handed on: at national scale a million files
        if files is not None:
            advance(1)
            yield unit, files, None
        else:
            yield unit, None, next(made)
    # Taken to its end, so that its workers are gone before the next map starts its own.
    assert next(made, None) is None


def rendered(
    render_unit: Callable[[Site, T], list[Page]], site: Site, item: T
) -> tuple[list[Page], frozenset[Read]]:
    """A unit's pages, and what it read (run in a worker: both go back to the caller)."""
    reads: set[Read] = set()
    pages = render_unit(recording_site(site, reads), item)
    return pages, frozenset(reads)


class Fingerprints:
    """What each read finds in this build, as a short digest. Not kept: the reuse asks for
    each read once (a number it has checked, a read it has numbered), so a table of them
    would only hold a million digests beside the record's own."""

    def __init__(self, plan_digests: Mapping[str, bytes]):
        self._sources: Sources = {}
        self._plans = plan_digests

    def add(self, sources: Sources) -> None:
        """Reads of these names read these sources from now on."""
        self._sources.update(sources)

    def of(self, read: Read) -> bytes:
        if read[0] not in self._sources:
            return b""  # a name not bound (yet): differs from every fingerprint
        return _digest(self._token(read))

    def _token(self, read: Read) -> object:
        name, how, key = read
        value = self._sources[name]()
        if how == "len":
            return len(value)
        if how == "all":
            if isinstance(value, Mapping):
                return tuple((k, self._value(v)) for k, v in value.items())
            return self._value(tuple(value))
        if isinstance(value, Mapping):
            return ("absent",) if key not in value else ("present", self._value(value[key]))
        return self._value(tuple(value))

    def _value(self, value: object) -> object:
        """What a page could print from `value`, as plain data: a plan as its file's digest,
        a registry entry as its id (the global key holds the registry files)."""
        if type(value) in _PLAIN:  # the most asked for first: a million reads an edit
            return value
        if isinstance(value, tuple | list):
            return self._sequence(value)
        if isinstance(value, str | int | float):
            return value
        if isinstance(value, Plan):
            return ("plan", value.id, self._plan(value))
        if isinstance(value, Agency | Document | Theme | Jurisdiction):
            return (type(value).__name__, value.id)
        if isinstance(value, Abbreviation):
            return (value.short, value.long)
        if isinstance(value, Assignment):
            # The group and task are the plan's own: their ids within the plan's digest.
            return (
                self._value(value.plan),
                value.group.id,
                value.task.id,
                value.role.value,
                value.written,
                value.via,
            )
        if isinstance(value, Deadline):
            # Made from its plan and the build date (the date a read of its own).
            return ("deadline", self._value(value.plan), value.key, value.replaced)
        if isinstance(value, Group | Task):
            # Only ever reached beside its plan (groups_by_theme's (plan, group) pairs).
            return (type(value).__name__, value.id)
        raise TypeError(f"no fingerprint for {type(value).__name__}")

    def _sequence(self, values: Sequence[object]) -> tuple[object, ...]:
        kinds = set(map(type, values))
        if kinds <= _PLAIN:  # a download set's paths, a place's communes, …: as they are
            return tuple(values)
        owner = _OWNERS.get(kinds.pop()) if len(kinds) == 1 else None
        if owner is None:
            return tuple(self._value(v) for v in values)
        return self._runs(values, owner)

    def _runs(self, values: Sequence[object], owner: Callable[[Any], object]) -> tuple[object, ...]:
        """A sequence of deadlines, or of assignments, as the runs of consecutive elements of
        one plan: each run as what its elements share (`_OWNERS`), its plan's digest and its
        length. Element by element (a nested token each, repr'd with its plan's digest) the
        download sets alone cost four times the country's deadlines on every build.

        Sound because every such sequence a unit reads (a download set's deadlines: all of
        them, a place's, a plan's, an agency's; a plan's or an agency's deadlines; a place's
        deadlines due; an agency's assignments and its share through its collectives) takes
        its elements plan after plan, and which of a plan's elements it takes, in which order,
        is decided by that plan's own elements (its file: the digest), by whether another plan
        replaces it (in the run) and by the read's name and key, the registry and the code (the
        global key), never by another plan's file. What the element-wise fingerprint held is
        then all in the run: a deadline's plan and `replaced` in it, its key (with its group,
        task, report, wording, dates and agencies, the dates also from the build date, a read of
        its own) from its plan's file; an assignment's plan in it, its group, task, role and
        wording from its plan's file, its collective from the registry. Equal runs are equal
        elements; the length is kept besides. A sequence that chose a plan's elements by
        another plan's (those after plan X's last deadline, say) must not be read so.
        tests/test_unit_reuse.py swaps two tasks' leads and replaces a plan by editing another.
        """
        found: list[object] = [type(values[0]).__name__]
        for owned, run in groupby(values, owner):
            elements: tuple[Any, ...] = tuple(run)
            found.append((owned, self._plan(elements[0].plan), len(elements)))
        return tuple(found)

    def _plan(self, plan: Plan) -> bytes:
        digest = self._plans.get(plan.id)
        if digest is None:  # a plan with no file of its name (not from load): by its value
            digest = hashlib.sha256(pickle.dumps(plan)).digest()
        return digest


# Values a sequence of which is its own fingerprint.
_PLAIN = frozenset({str, int, float, bool, type(None)})
# What a run of plan-owned elements shares: its plan's id, and what its elements hold that is
# not of their plan's file.
_OWNERS: dict[type, Callable[[Any], object]] = {
    Deadline: attrgetter("plan.id", "replaced"),
    Assignment: attrgetter("plan.id"),
}


def _digest(token: object) -> bytes:
    return hashlib.blake2b(repr(token).encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True)
class Record:
    """What a build's units read and made, in columns: at national scale they are a million
    reads and files, and held as a tuple each (a read's three strings, a file's path, size
    and time) they took a fifth of the build's memory. Read number n is (names[n], hows[n],
    keys[n]) and found fingerprints[16n:16n + 16]; the unit of row r (`units`) read numbers
    [read_starts[r]:read_starts[r + 1]] and made the files paths[r] names (joined by NUL, in
    no file's path), whose sizes and times are from file_starts[r] on in sizes and mtimes."""

    key: str
    names: tuple[str, ...]
    hows: tuple[str, ...]
    keys: tuple[str, ...]
    fingerprints: bytes
    units: dict[Unit, int]
    read_starts: array[int]
    numbers: array[int]
    paths: tuple[str, ...]
    file_starts: array[int]
    sizes: array[int]
    mtimes: array[int]

    def read(self, number: int) -> Read:
        return self.names[number], self.hows[number], self.keys[number]

    def fingerprint(self, number: int) -> bytes:
        return self.fingerprints[_FINGERPRINT * number : _FINGERPRINT * (number + 1)]

    def reads_of(self, row: int) -> array[int]:
        """The numbers of the reads of the unit in `row`."""
        return self.numbers[self.read_starts[row] : self.read_starts[row + 1]]

    def made(self, row: int) -> tuple[Made, ...]:
        """The files the unit in `row` made, with their sizes and times."""
        first = self.file_starts[row]
        paths = enumerate(_split(self.paths[row]), first)
        return tuple((path, self.sizes[at], self.mtimes[at]) for at, path in paths)


_FINGERPRINT = 16  # bytes of a read's fingerprint
_SEPARATOR = "\0"


def _split(paths: str) -> list[str]:
    """A unit's files' paths, from their paths joined by NUL."""
    return paths.split(_SEPARATOR) if paths else []


class _Reads:
    """Reads being numbered, each once, with the fingerprint it found."""

    def __init__(self) -> None:
        self.numbers: dict[Read, int] = {}
        self.fingerprints = bytearray()

    def number(self, read: Read, fingerprint: Callable[[Read], bytes]) -> int:
        number = self.numbers.get(read)
        if number is None:
            # A read's strings arrive anew with every unit that read it (pickled back by a
            # worker): one of each for all of them.
            read = (sys.intern(read[0]), sys.intern(read[1]), sys.intern(read[2]))
            number = self.numbers[read] = len(self.numbers)
            self.fingerprints += fingerprint(read)
        return number


class _Rows:
    """Units' rows as a record holds them, added one by one."""

    def __init__(self) -> None:
        self.units: dict[Unit, int] = {}
        self.read_starts = array("I", [0])
        self.numbers = array("I")
        self.paths: list[str] = []
        self.file_starts = array("I", [0])
        self.sizes = array("q")
        self.mtimes = array("q")

    def add(self, unit: Unit, numbers: Iterable[int], paths: str) -> None:
        """A unit's row: the numbers of its reads, its files' paths joined by NUL (their
        sizes and times added after, with `stat`)."""
        self.units[unit] = len(self.paths)
        self.numbers.extend(numbers)
        self.read_starts.append(len(self.numbers))
        self.paths.append(paths)

    def stat(self, sizes: Iterable[int], mtimes: Iterable[int]) -> None:
        """The sizes and times of the files of the row added last."""
        self.sizes.extend(sizes)
        self.mtimes.extend(mtimes)
        self.file_starts.append(len(self.sizes))

    def reads_of(self, row: int) -> array[int]:
        return self.numbers[self.read_starts[row] : self.read_starts[row + 1]]


def global_key(project: Path, site_url: str) -> str:
    """What every unit depends on: a change to any of it renders every unit again."""
    digest = hashlib.sha256(f"{_VERSION}\n{sys.version}\n{site_url}\n".encode())
    for name in _PRINTING_PACKAGES:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    package = Path(__file__).resolve().parent.parent
    data = project / "data"
    files = [
        *(("generator", p) for p in sorted(package.rglob("*.py"))),
        *(("templates", p) for p in sorted((project / "templates").rglob("*"))),
        *(("data", p) for p in sorted(data.rglob("*")) if not p.is_relative_to(data / "plans")),
    ]
    for top, path in files:
        if path.is_file():
            root = package if top == "generator" else project / top
            digest.update(f"{top}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_record(path: Path) -> Record | None:
    """The last build's record; None when there is none, or it cannot be read (another
    version's, or damaged)."""
    try:
        with path.open("rb") as stream:
            version, record = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return record if version == _VERSION and isinstance(record, Record) else None


def save_record(path: Path, record: Record) -> None:
    """Write the record whole or not at all."""
    store.pickle_whole(path, (_VERSION, record))


@dataclass
class Reuse:
    """One build's reuse of units: what the last build recorded (`previous`, None when its
    global key differs or there is none), and what this build notes for the next."""

    key: str
    plans: Mapping[str, bytes]  # plan id → digest of its file, of the bytes loaded
    previous: Record | None
    docs: Path
    reused: dict[str, int] = field(default_factory=dict)  # unit kind → units taken as they were
    _fingerprints: Fingerprints | None = None
    # By the last record's read number: 0 not yet looked at, _SAME or _CHANGED since.
    _changed: bytearray = field(default_factory=bytearray)
    _kept: list[Unit] = field(default_factory=list)
    _new: _Reads = field(default_factory=_Reads)  # what the units made in this build read
    _rendered: _Rows = field(default_factory=_Rows)  # numbered in `_new`, not yet stat'd
    # docs/ with a separator after: a file's path joined to it by adding two strings, since
    # os.path.join on a Path took a fifth of the check of every file of every unit kept.
    _root: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self._root = os.path.join(self.docs, "")
        if self.previous is not None:
            self._changed = bytearray(len(self.previous.keys))

    @classmethod
    def start(cls, record: Path, docs: Path, key: str, plans: Mapping[str, bytes]) -> Reuse:
        previous = load_record(record)
        return cls(key, plans, previous if previous and previous.key == key else None, docs)

    @property
    def fingerprints(self) -> Fingerprints:
        if self._fingerprints is None:
            self._fingerprints = Fingerprints(self.plans)
        return self._fingerprints

    def bind(self, sources: Sources) -> None:
        """Reads of these names read this build's values from these sources: bound before
        the first unit that reads them is asked about."""
        self.fingerprints.add(sources)

    def kept(self, unit: Unit) -> tuple[Kept, ...] | None:
        """The files `unit` made last build when they stand as they are (nothing it read has
        changed, and docs/ holds each as the writer left it), else None: make it again."""
        row = self.previous.units.get(unit) if self.previous is not None else None
        if row is None:
            return None
        assert self.previous is not None
        if any(map(self._read_changed, self.previous.reads_of(row))):
            return None
        made = self.previous.made(row)
        if not all(map(self._in_place, made)):
            return None
        self._kept.append(unit)
        self.reused[unit[0]] = self.reused.get(unit[0], 0) + 1
        return tuple(Kept(path, size) for path, size, _ in made)

    def note(self, unit: Unit, reads: frozenset[Read], paths: tuple[str, ...]) -> None:
        """A unit made in this build: what it read (fingerprinted now, while the workers
        render), the files it made."""
        assert not any(_SEPARATOR in path for path in paths)
        of = self.fingerprints.of
        numbers = sorted(self._new.number(read, of) for read in reads)
        self._rendered.add(unit, numbers, _SEPARATOR.join(paths))

    def _read_changed(self, number: int) -> bool:
        changed = self._changed[number]
        if not changed:
            assert self.previous is not None
            now = self.fingerprints.of(self.previous.read(number))
            same = now == self.previous.fingerprint(number)
            changed = self._changed[number] = _SAME if same else _CHANGED
        return changed == _CHANGED

    def _in_place(self, made: Made) -> bool:
        path, size, mtime = made
        try:
            stat = os.stat(self._root + path)
        except OSError:
            return False
        return stat.st_size == size and stat.st_mtime_ns == mtime

    def record(self) -> Record:
        """The record for the next build, once the writer has put every file in place: the
        units kept as they were recorded, the units rendered with what they read now (their
        files' sizes and times taken from docs/). Reads no unit holds any more are left out.
        The last build's record is let go once this one is made (it is this reuse's end)."""
        names: list[str] = []
        hows: list[str] = []
        keys: list[str] = []
        fingerprints = bytearray()
        rows = _Rows()
        # The number in the new record of each read of `_new`, as it is found.
        numbered = array("i", [-1]) * len(self._new.numbers)
        if self.previous is not None and self._kept:
            old = self.previous
            used = bytearray(len(old.keys))
            for unit in self._kept:
                for number in old.reads_of(old.units[unit]):
                    used[number] = 1
            renumber = array("I", [0]) * len(used)
            for number in compress(range(len(used)), used):
                read = old.read(number)
                renumber[number] = len(keys)
                new = self._new.numbers.get(read)
                if new is not None:  # read by a unit made in this build too
                    numbered[new] = len(keys)
                names.append(read[0])
                hows.append(read[1])
                keys.append(read[2])
                # A read a kept unit holds is unchanged: it finds its fingerprint still.
                fingerprints += old.fingerprint(number)
            for unit in self._kept:
                row = old.units[unit]
                rows.add(unit, map(renumber.__getitem__, old.reads_of(row)), old.paths[row])
                first, last = old.file_starts[row], old.file_starts[row + 1]
                rows.stat(old.sizes[first:last], old.mtimes[first:last])
        for (name, how, key), new in self._new.numbers.items():
            if numbered[new] < 0:
                numbered[new] = len(keys)
                names.append(name)
                hows.append(how)
                keys.append(key)
                at = _FINGERPRINT * new
                fingerprints += self._new.fingerprints[at : at + _FINGERPRINT]
        rendered = self._rendered
        for unit, row in rendered.units.items():
            paths = rendered.paths[row]
            rows.add(unit, sorted(map(numbered.__getitem__, rendered.reads_of(row))), paths)
            stats = [os.stat(self._root + p) for p in _split(paths)]
            rows.stat((s.st_size for s in stats), (s.st_mtime_ns for s in stats))
        self.previous, self._new, self._rendered = None, _Reads(), _Rows()
        return Record(
            self.key,
            tuple(names),
            tuple(hows),
            tuple(keys),
            bytes(fingerprints),
            rows.units,
            rows.read_starts,
            rows.numbers,
            tuple(rows.paths),
            rows.file_starts,
            rows.sizes,
            rows.mtimes,
        )


_SAME, _CHANGED = 1, 2
