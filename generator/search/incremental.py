"""The index after an edit, made from the last one (DESIGN.md, "Scale": a build costs what
changed).

A plan's search documents are a pure function of its file and of what the build's global key
covers (units.global_key: the code, the registries, the abbreviations): each build keeps them in
the project's cache by that key and the digest of the plan's file. When the documents are where
they were (the same plans in the same order, each with as many groups and tasks, and the same
key), a rebuild makes again only the documents of the plans whose files changed, and folds them
as they were and as they are (encode.Folded): the keys whose lists gain or lose a document, and
the records that changed. Only the files holding those are made again, each from the last
index's file under docs/ (read back, its lists decoded, patched and encoded again). A folder
none of whose files changed keeps its name, and its files are handed to the writer as they are
(`Kept`, never read). Any other change (a task added or removed, a plan added or moved, the key
changed, the cache or the last index missing, damaged or of another version) makes the whole
index, noting each plan's documents for the next build. Either way the index is byte for byte
the one a clean build makes (tests/test_search_units.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.domain import Portal
from generator.search.documents import FILTER_MARK, Kind, Run, SearchDoc, document_runs
from generator.search.encode import (
    EARLY_KEY,
    FOLDERS,
    IN_LONG_FILE,
    RECORD_CHUNK,
    Folded,
    Limits,
    as_json,
    encode_ids,
    first_hits,
    fnv1a,
    folder,
    folder_names,
    index_files,
    index_version,
    is_word,
    long_name,
    meta_files,
    placed,
    ranked_words,
    record_file,
    shard_count,
)
from generator.search.folding import AbbreviationTable
from generator.store import pickle_whole

# What this module writes into the cache: another version's is not read.
VERSION = 1
STATE_FILE = "state.pickle"  # the last index's State
PLANS_FOLDER = "plans"  # a plan's folded documents, a file each

Layout = tuple[tuple[str | None, int], ...]  # each run's owner and size (documents.Run)
Lists = tuple[list[int], list[int], list[int]]


@dataclass(frozen=True)
class IndexCache:
    """Where a build keeps what the next one reuses, and what the next one checks it against."""

    folder: Path  # in the project's .cache/
    index: Path  # docs/chi-muc/, where the last build's index is
    key: str  # units.global_key: everything the documents are made from but the plans
    plans: Mapping[str, bytes]  # plan id → digest of its file, taken before it was read


@dataclass(frozen=True)
class State:
    """The index a build made, as the next build checks and reuses it."""

    key: str
    version: str  # its meta.json's `v`
    layout: Layout
    plans: dict[str, bytes]  # plan id → digest of its file
    limits: Limits
    keys: int  # terms and filter keys
    files: dict[str, int]  # each file but meta.json and meta.js, in no folder → its size


@dataclass
class Update:
    """The index's files to write (path under the index folder → text), and those that stand
    as the last build left them (path → size)."""

    written: dict[str, str]
    kept: dict[str, int] = field(default_factory=dict)


def index_update(
    portal: Portal,
    table: AbbreviationTable,
    facets: dict[str, Any],
    store: IndexCache,
    limits: Limits | None = None,
) -> Update:
    """The index of `portal`, patched from the last build's where it can be, and the cache
    noted for the next build (whole or not at all)."""
    limits = limits or Limits()
    runs = document_runs(portal)
    last = _load_state(store)
    patched = None if last is None else _patched(runs, table, facets, store, last, limits)
    update, state = patched or _whole(runs, table, facets, store, limits)
    _save_state(store, state)
    _forget_other_plans(store, state)
    return update


# --- the cache --------------------------------------------------------------------------------


def _load_state(store: IndexCache) -> State | None:
    try:
        with (store.folder / STATE_FILE).open("rb") as stream:
            version, state = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if version != VERSION or not isinstance(state, State) or state.key != store.key:
        return None
    return state


def _save_state(store: IndexCache, state: State) -> None:
    pickle_whole(store.folder / STATE_FILE, (VERSION, state))


def _entry_path(store: IndexCache, plan: str, digest: bytes) -> Path:
    seed = f"{store.key}\0{plan}\0".encode() + digest
    name = hashlib.blake2b(seed, digest_size=16).hexdigest()
    return store.folder / PLANS_FOLDER / f"{name}.pickle"


def _load_entry(store: IndexCache, plan: str, digest: bytes) -> list[SearchDoc] | None:
    """A plan's documents as a build noted them, None when they are not there or cannot be
    read (the file is then removed: the next whole build notes them again)."""
    path = _entry_path(store, plan, digest)
    try:
        with path.open("rb") as stream:
            version, key, noted, docs = pickle.load(stream)
        if (version, key, noted) == (VERSION, store.key, (plan, digest)):
            return [SearchDoc(Kind(kind), *fields) for kind, *fields in docs]
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, LookupError, ValueError, TypeError):
        pass  # damaged
    except AttributeError:
        pass  # another version's (a class it names is gone)
    path.unlink(missing_ok=True)
    return None


def _save_entry(store: IndexCache, plan: str, digest: bytes, docs: Sequence[SearchDoc]) -> None:
    # As plain tuples, their texts as written (folded again only when the plan is edited): a
    # whole build notes every plan's, and folded terms are two to three times the texts.
    fields = [(str(d.kind), d.lead, d.support, d.other, d.facets, d.record) for d in docs]
    noted = (VERSION, store.key, (plan, digest), fields)
    pickle_whole(_entry_path(store, plan, digest), noted)


def _forget_other_plans(store: IndexCache, state: State) -> None:
    """Remove the noted documents of plans as they no longer are."""
    wanted = {_entry_path(store, plan, digest).name for plan, digest in state.plans.items()}
    for path in (store.folder / PLANS_FOLDER).glob("*.pickle"):
        if path.name not in wanted:
            path.unlink(missing_ok=True)


# --- the whole index --------------------------------------------------------------------------


def _whole(
    runs: list[Run],
    table: AbbreviationTable,
    facets: dict[str, Any],
    store: IndexCache,
    limits: Limits,
) -> tuple[Update, State]:
    """The whole index, each plan's folded documents noted on the way (those of a plan whose
    file is noted already are not written again)."""
    fold = folder(table)
    noting = _Noting(store, runs)
    docs = (fold(noting.note(run.owner, doc)) for run in runs for doc in run.make())
    index = index_files(docs, table, facets, limits)
    meta = {**index.meta, "b": folder_names(index.files)}
    sizes = {path: len(text.encode("utf-8")) for path, text in index.files.items()}
    written = {placed(meta, path): text for path, text in index.files.items()}
    meta["v"] = index_version(meta)
    written.update(meta_files(meta))
    layout = tuple((run.owner, run.size) for run in runs)
    state = State(store.key, meta["v"], layout, noting.plans, limits, index.keys, sizes)
    return Update(written), state


class _Noting:
    """Each plan's documents gathered as they go by (its page first, its tasks last), written
    to the cache once its last one has."""

    def __init__(self, store: IndexCache, runs: list[Run]):
        self.store = store
        self.plans: dict[str, bytes] = {}
        self._left: dict[str, int] = {}
        self._docs: dict[str, list[SearchDoc]] = {}
        for run in runs:
            digest = store.plans.get(run.owner) if run.owner is not None else None
            if run.owner is None or digest is None:
                continue
            # Written again even when a file of this digest is there: the plan may have been
            # edited after its digest was taken, and the file must hold what the index holds.
            self.plans[run.owner] = digest
            self._left[run.owner] = self._left.get(run.owner, 0) + run.size
            self._docs.setdefault(run.owner, [])

    def note(self, owner: str | None, doc: SearchDoc) -> SearchDoc:
        if owner in self._docs:
            self._docs[owner].append(doc)
            self._left[owner] -= 1
            if not self._left[owner]:
                _save_entry(self.store, owner, self.plans[owner], self._docs.pop(owner))
        return doc


# --- the index patched ------------------------------------------------------------------------


def _patched(
    runs: list[Run],
    table: AbbreviationTable,
    facets: dict[str, Any],
    store: IndexCache,
    state: State,
    limits: Limits,
) -> tuple[Update, State] | None:
    """The index patched from the last one, None when it cannot be (then made whole)."""
    layout = tuple((run.owner, run.size) for run in runs)
    owners = {owner for owner, _ in layout if owner is not None}
    if (layout, limits) != (state.layout, state.limits):
        return None
    if not owners <= store.plans.keys() or not owners <= state.plans.keys():
        return None  # a plan not read from a file of its own: no digest says it is unchanged
    last = _LastIndex.read(store.index, state)
    if last is None:
        return None
    changed = sorted(p for p in owners if store.plans[p] != state.plans.get(p))
    fold = folder(table)
    edits = _Edits()
    for plan in changed:
        before = _load_entry(store, plan, state.plans[plan])
        if before is None:
            return None
        after = [doc for run in runs if run.owner == plan for doc in run.make()]
        edits.compare(_numbers(runs, plan), list(map(fold, before)), list(map(fold, after)))
        _save_entry(store, plan, store.plans[plan], after)
    patch = _Patch(last, edits, limits)
    if not patch.apply(state.keys):
        return None
    for name, value in facets.items():
        patch.put(f"f/{name}.json", as_json(value))
    for path in last.files:
        if path.startswith("f/") and path[2:-5] not in facets:
            patch.put(path, None)
    update, meta = patch.result()
    plans = {p: store.plans[p] for p in owners}
    sizes = patch.sizes()
    return update, State(store.key, meta["v"], layout, plans, limits, patch.keys, sizes)


def _numbers(runs: list[Run], owner: str) -> list[int]:
    """The numbers of the documents made from plan `owner`, in index order."""
    numbers: list[int] = []
    at = 0
    for run in runs:
        if run.owner == owner:
            numbers.extend(range(at, at + run.size))
        at += run.size
    return numbers


@dataclass
class _Edits:
    """What an edit changes in the index: per key, the documents each of its lists gains and
    loses; the documents whose records changed; the keys of those documents (before or after)."""

    gained: dict[str, tuple[set[int], set[int], set[int]]] = field(default_factory=dict)
    lost: dict[str, tuple[set[int], set[int], set[int]]] = field(default_factory=dict)
    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    record_keys: set[str] = field(default_factory=set)

    def compare(self, numbers: list[int], before: list[Folded], after: list[Folded]) -> None:
        for number, old, new in zip(numbers, before, after, strict=True):
            for slot, (was, now) in enumerate(zip(old.keys, new.keys, strict=True)):
                for key in now - was:
                    self.gained.setdefault(key, (set(), set(), set()))[slot].add(number)
                for key in was - now:
                    self.lost.setdefault(key, (set(), set(), set()))[slot].add(number)
            if old.record != new.record:
                # As JSON gives it back: a record file's records are read back so.
                self.records[number] = json.loads(as_json(new.record))
                self.record_keys.update(*old.keys, *new.keys)


def decode_ids(encoded: str) -> list[int]:
    """The document numbers `encode_ids` wrote (search-engine.js decodes the same way)."""
    if not encoded:
        return []
    data = base64.b64decode(encoded[1:])
    if encoded[0] == "b":
        position = 0
        while data[position] >= 0x80:
            position += 1
        first = _varint_values(data[: position + 1])[0] * 8
        return [
            first + 8 * i + bit
            for i, byte in enumerate(data[position + 1 :])
            if byte
            for bit in range(8)
            if byte >> bit & 1
        ]
    values = _varint_values(data)
    if encoded[0] == "v":
        out, total = [], 0
        for gap in values:
            total += gap
            out.append(total)
        return out
    out, end = [], 0
    for gap, length in zip(values[::2], values[1::2], strict=True):
        begin = end + gap
        out.extend(range(begin, begin + length))
        end = begin + length
    return out


def _varint_values(data: bytes) -> list[int]:
    if max(data, default=0) < 0x80:
        return list(data)
    values: list[int] = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value = shift = 0
    return values


@dataclass
class _LastIndex:
    """The last build's index under docs/, read file by file as asked."""

    root: Path
    meta: dict[str, Any]
    files: dict[str, int]  # in no folder → size

    @classmethod
    def read(cls, root: Path, state: State) -> _LastIndex | None:
        """The index under `root` when it is the one `state` describes, file for file."""
        try:
            meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("v") != state.version:
            return None
        expected = {placed(meta, path): size for path, size in state.files.items()}
        found: dict[str, int] = {}
        for parent, _, names in os.walk(root):
            rel = os.path.relpath(parent, root)
            if rel != ".":
                for name in names:
                    found[f"{rel}/{name}"] = os.stat(os.path.join(parent, name)).st_size
        # Every file there, of the size it was written: one cut short or changed by hand would
        # otherwise stand, its folder keeping its name.
        return cls(root, meta, state.files) if found == expected else None

    def text(self, path: str) -> str | None:
        if path not in self.files:
            return None
        return (self.root / placed(self.meta, path)).read_text(encoding="utf-8")


class _Patch:
    """The last index's files with an edit's changes."""

    def __init__(self, last: _LastIndex, edits: _Edits, limits: Limits):
        self.last = last
        self.edits = edits
        self.limits = limits
        self.meta = last.meta
        self.keys = 0
        self._new: dict[str, str | None] = {}  # path → its new text, None when it goes
        self._values: dict[str, Any] = {}  # path → its value, as read back and then patched
        self._dirty: set[str] = set()  # the paths of the values patched
        self.tasks_from: int = self.meta["tasks"]

    def put(self, path: str, text: str | None) -> None:
        """A file's text, None to remove it; the same as the last one's is no change."""
        if text != self.last.text(path):
            self._new[path] = text

    def _value(self, path: str, empty: Any, dirty: bool = True) -> Any:
        """The value of the file at `path`, read back from the last index (`empty` when it
        has none); `dirty`: to be written again."""
        if path not in self._values:
            text = self.last.text(path)
            self._values[path] = empty if text is None else json.loads(text)
        if dirty:
            self._dirty.add(path)
        return self._values[path]

    def apply(self, keys: int) -> bool:
        """Patch the lists, the record files, the long-list files' first hits and the word
        lists; False when the index needs another number of shards (then made whole)."""
        edits = self.edits
        changed = sorted(edits.gained.keys() | edits.lost.keys())
        shards: int = self.meta["shards"]
        long_bits: int = self.meta["lb"]
        lists: dict[str, Lists] = {}
        none: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        for key in changed:
            entry = self._value(f"s/{fnv1a(key) % shards}.json", {}, dirty=False).get(key)
            if entry == IN_LONG_FILE:
                entry = self._value(f"p/{long_name(key, long_bits)}.json", {}, False)[key]
            old = [decode_ids(text) for text in entry] if entry else [[], [], []]
            gained, lost = edits.gained.get(key, none), edits.lost.get(key, none)
            new = [sorted((set(ids) - lost[slot]) | gained[slot]) for slot, ids in enumerate(old)]
            lists[key] = (new[0], new[1], new[2])
            keys += bool(any(new)) - bool(entry)
        if shard_count(keys) != shards:
            return False
        self.keys = keys
        for number, record in edits.records.items():
            self._value(record_file(number // RECORD_CHUNK), [])[number % RECORD_CHUNK] = record
        touched: set[int] = set()
        for key in changed:
            shard = self._value(f"s/{fnv1a(key) % shards}.json", {})
            number = long_name(key, long_bits)
            if shard.pop(key, None) == IN_LONG_FILE:
                del self._value(f"p/{number}.json", {})[key]
                touched.add(number)
            if not any(lists[key]):
                continue
            encoded = [encode_ids(ids) for ids in lists[key]]
            if sum(map(len, encoded)) > self.limits.inline:
                self._value(f"p/{number}.json", {})[key] = encoded
                touched.add(number)
                shard[key] = IN_LONG_FILE
            else:
                shard[key] = encoded
        long_files = set(decode_ids(self.meta["long"]))
        self._first_hits(touched, lists, long_files, long_bits)
        self._words(lists)
        for path in sorted(self._dirty):
            value = self._values[path]
            if path.startswith(("s/", "p/")) and not set(value) - {EARLY_KEY}:
                value = None  # no key left in it
            self.put(path, None if value is None else as_json(value))
        self._long_files(long_files | touched)
        return True

    def _record(self, number: int) -> Any:
        chunk = self._value(record_file(number // RECORD_CHUNK), [], dirty=False)
        return chunk[number % RECORD_CHUNK]

    def _first_hits(
        self, touched: set[int], lists: dict[str, Lists], long_files: set[int], long_bits: int
    ) -> None:
        """The records of the first hits in the long-list files: made again for a file whose
        lists changed; for the others, those of the documents whose records changed."""
        for number in touched:
            file = self._value(f"p/{number}.json", {})
            early: dict[str, Any] = {}
            for key, encoded in file.items():
                if key == EARLY_KEY or key.startswith(FILTER_MARK):
                    continue
                ids = lists[key] if key in lists else tuple(map(decode_ids, encoded))
                for hit in first_hits(ids, self.tasks_from):
                    early[str(hit)] = self._record(hit)
            file.pop(EARLY_KEY, None)
            if early:
                file[EARLY_KEY] = early
        reach = {long_name(key, long_bits) for key in self.edits.record_keys}
        for number in sorted((reach & long_files) - touched):
            path = f"p/{number}.json"
            early = self._value(path, {}, dirty=False).get(EARLY_KEY, {})
            hits = [n for n in self.edits.records if str(n) in early]
            for hit in hits:
                early[str(hit)] = self.edits.records[hit]
                self._dirty.add(path)

    def _words(self, lists: dict[str, Lists]) -> None:
        """The word lists of the lengths of the changed words, and meta.json's list of them."""
        lengths = {len(key) for key in lists if is_word(key)}
        wl = set(self.meta["wl"])
        for length in sorted(lengths):
            path = f"w/{length}.json"
            ranked = self._value(path, [], dirty=False)
            counts = {word: count for count, words in ranked for word in words.split(" ")}
            for key, ids in lists.items():
                if is_word(key) and len(key) == length:
                    count = len(set().union(*ids))
                    if count:
                        counts[key] = count
                    else:
                        counts.pop(key, None)
            now = ranked_words(counts).get(length)
            self.put(path, as_json(now) if now else None)
            if now:
                wl.add(length)
            else:
                wl.discard(length)
        self.meta = {**self.meta, "wl": sorted(wl)}

    def _long_files(self, numbers: set[int]) -> None:
        """meta.json's lists of the long-list files and of the large ones."""
        large = set(decode_ids(self.meta["large"]))
        present = []
        for number in sorted(numbers):
            path = f"p/{number}.json"
            if path not in self._new:
                present.append(number)  # as it was, large or not
                continue
            text = self._new[path]
            large.discard(number)
            if text is not None:
                present.append(number)
                if len(text) > self.limits.large_file:
                    large.add(number)
        self.meta = {**self.meta, "long": encode_ids(present)}
        self.meta["large"] = encode_ids(sorted(large))

    def sizes(self) -> dict[str, int]:
        """Each file's size, in no folder."""
        sizes = dict(self.last.files)
        for path, text in self._new.items():
            if text is None:
                sizes.pop(path, None)
            else:
                sizes[path] = len(text.encode("utf-8"))
        return sizes

    def result(self) -> tuple[Update, dict[str, Any]]:
        """The files to write and those kept, and the new meta.json's value."""
        folder_of = {path: fnv1a(path) % FOLDERS for path in self.last.files.keys() | self._new}
        moved = {folder_of[path] for path in self._new}
        by_folder: dict[int, dict[str, str]] = {}
        for path in sorted(folder_of):
            if folder_of[path] in moved:
                text = self._new[path] if path in self._new else self.last.text(path)
                if text is not None:
                    by_folder.setdefault(folder_of[path], {})[path] = text
        names = list(self.meta["b"])
        for number in moved:
            names[number] = folder_names(by_folder.get(number, {}))[number]
        meta = {name: value for name, value in self.meta.items() if name != "v"}
        meta["b"] = names
        meta["v"] = index_version(meta)
        update = Update({})
        for files in by_folder.values():
            for path, text in files.items():
                update.written[f"{names[folder_of[path]]}/{path}"] = text
        for path, size in self.last.files.items():
            if folder_of[path] not in moved:
                update.kept[f"{names[folder_of[path]]}/{path}"] = size
        update.written.update(meta_files(meta))
        return update, meta
