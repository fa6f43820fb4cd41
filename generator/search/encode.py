"""The static index: search documents as the files search-engine.js reads (DESIGN.md, "Search").

Every document has a number (its place in documents.search_docs). Each word and each pair of
adjacent words (a syllable bigram: `tai chinh`) is a term with three posting lists, one per
field (lead agencies or a page's name; support agencies; everything else). Terms live in shard
files chosen by a hash of the term, so a reader fetches one small file a term and never a
dictionary. A term with long posting lists has them in a file named by the top `LONG_BITS` bits
of its hash (p/<h>.json; the shard marks it `@`), and meta.json lists those names: a reader who
knows the query's words knows at once which long lists to fetch, beside the shards, instead of
after them. Filters (jurisdiction, plan, agency and role, timeline kind) are posting lists too.
What a result shows lives in record files of `RECORD_CHUNK` documents, fetched only for the hits
on screen; a long term's file also carries the records of its first hits, so that the first
result of a query often needs no record file. These files are spread over `FOLDERS` folders by
a hash of their path, each folder named by a hash of its files (meta.json's `b` lists the names),
so meta.json (and meta.js, the same as a script) is the one file whose content changes at a
given path; `v` in meta.json, a hash of the rest, names the index version. An edit changes a few
files (a record file, the shards of the words it adds or drops), so it moves a few folders, not
the whole index: at 3,400 plans the index is 33,596 files and 150 MB, and a rebuild after an
edit would otherwise write, publish and remove all of them.

For a query word no text has (a typo), the words of the texts are listed by length in w/<n>.json
with how many documents have each: a reader fetches them only then, and only the lengths one edit
can reach, and reads the word as the one of them one edit away in the most documents.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, NamedTuple

from generator.domain import Abbreviation
from generator.search.documents import FILTER_MARK, Kind, SearchDoc
from generator.search.folding import (
    AbbreviationTable,
    abbreviation_table,
    canonical_words,
    correctable,
    terms_of,
)

RECORD_CHUNK = 8  # documents a record file holds: a hit costs at most one small file
KEYS_PER_SHARD = 32  # target terms a shard file holds
INLINE_LIMIT = 600  # characters: a term whose lists are longer gets a file of its own
LONG_BITS = 24  # a long term's file is named by this many top bits of its hash
LARGE_FILE = 24_000  # characters: a long-list file that the engine fetches only when sure
# In a p/ file, the records of its terms' first hits (`first_hits`) by document number: a query's
# first result often shows without waiting for its record file. (Terms have no "@"; filter keys
# have a colon after their letter.)
EARLY_KEY = "@r"
IN_LONG_FILE = "@"  # a shard's entry for a term whose lists are in its p/ file
# Folders the index files are spread over: an edit rewrites the few folders holding a file it
# changed (at 3,400 plans ~66 files each); meta.json lists their names (~5.6 KB).
FOLDERS = 512
SHORT_TEXT = 160  # characters: a text this long or shorter is folded once (postings)
LEAD, SUPPORT, OTHER = 0, 1, 2  # the three fields of a document, in the order of its lists

Postings = dict[str, tuple["array[int]", "array[int]", "array[int]"]]


class Folded(NamedTuple):
    """A search document as the index takes it: what a hit shows, and the keys (terms, and in
    OTHER its filter keys) of each of its three fields. A pure function of the document: the
    index after an edit compares a plan's documents folded before and after it."""

    kind: Kind
    record: dict[str, Any]
    keys: tuple[AbstractSet[str], AbstractSet[str], AbstractSet[str]]


def folder(table: AbbreviationTable) -> Callable[[SearchDoc], Folded]:
    """A search document → its `Folded` form."""

    # The same texts come back document after document (an agency's name in each task it
    # leads, a plan's citation in each of its tasks): 36,000 texts, 3,800 different, at 100
    # plans. Folding is the costly part of indexing; the most recent short texts are folded
    # once. A long text (a task's) is nearly always met once, and its terms are many: kept,
    # the long ones would fill the cache with tens of megabytes that are never asked again.
    @functools.lru_cache(maxsize=8192)
    def short_terms(text: str) -> frozenset[str]:
        return frozenset(terms_of(canonical_words(text, table)))

    def terms(texts: tuple[str, ...]) -> set[str]:
        keys: set[str] = set()
        for text in texts:
            if len(text) > SHORT_TEXT:
                keys |= terms_of(canonical_words(text, table))
            else:
                keys |= short_terms(text)
        return keys

    def fold_doc(doc: SearchDoc) -> Folded:
        other = terms(doc.other)
        other.update(doc.facets)  # filter keys never look like terms (FILTER_MARK)
        return Folded(doc.kind, doc.record, (terms(doc.lead), terms(doc.support), other))

    return fold_doc


def postings(docs: Iterable[SearchDoc], table: AbbreviationTable) -> Postings:
    """Term → the ascending numbers of the documents having it, per field; filter keys in OTHER."""
    return folded_postings(map(folder(table), docs))


def folded_postings(docs: Iterable[Folded]) -> Postings:
    """`postings` of documents already folded."""
    found: Postings = {}
    get = found.get
    for number, doc in enumerate(docs):
        for slot, keys in enumerate(doc.keys):
            for key in keys:
                lists = get(key)
                if lists is None:
                    lists = found[key] = (array("i"), array("i"), array("i"))
                lists[slot].append(number)
    return found


def _varints(values: Iterable[int]) -> bytes:
    out = bytearray()
    for value in values:
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def encode_ids(ids: Sequence[int]) -> str:
    """Ascending document numbers as the shortest of three encodings, each base64 after a letter:
    `v` gaps as varints; `r` runs as varint pairs (gap before the run, its length); `b` a bitmap
    from the byte holding the first number (varint of that byte's index, then the bits)."""
    if not ids:
        return ""
    gaps = [ids[0]] + [b - a for a, b in zip(ids, ids[1:], strict=False)]
    runs: list[int] = []
    previous_end = 0
    start = ids[0]
    for a, b in zip(ids, [*ids[1:], -1], strict=False):
        if b != a + 1:
            runs += [start - previous_end, a - start + 1]
            previous_end, start = a + 1, b
    first_byte = ids[0] >> 3
    bitmap = bytearray((ids[-1] >> 3) - first_byte + 1)
    for value in ids:
        bitmap[(value >> 3) - first_byte] |= 1 << (value & 7)
    candidates = [
        "v" + _b64(_varints(gaps)),
        "r" + _b64(_varints(runs)),
        "b" + _b64(_varints([first_byte]) + bytes(bitmap)),
    ]
    return min(candidates, key=len)


def fnv1a(key: str) -> int:
    """32-bit FNV-1a of the key's UTF-8 bytes: which shard file holds a term."""
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def long_name(key: str, bits: int = LONG_BITS) -> int:
    """The number of the p/ file that holds `key`'s lists when they are long: the top `bits`
    bits of its hash (two long terms may share a file; it is keyed by term)."""
    return fnv1a(key) >> (32 - bits)


def first_hits(lists: Sequence[Sequence[int]], tasks_from: int) -> set[int]:
    """The first document and the first task of each of a term's three lists: the first hit of
    a query of that term alone, in the header (any document) or the finder (tasks only), is
    one of them, and so is most often that of a phrase holding the term."""
    out: set[int] = set()
    for ids in lists:
        if ids:
            out.add(ids[0])
            task = bisect.bisect_left(ids, tasks_from)
            if task < len(ids):
                out.add(ids[task])
    return out


def shard_count(keys: int) -> int:
    """A power of two giving about KEYS_PER_SHARD terms a shard."""
    count = 1
    while count * KEYS_PER_SHARD < keys:
        count *= 2
    return count


def vocabulary(found: Postings) -> dict[int, list[tuple[int, str]]]:
    """Length → the words a typo may be read as (folding.correctable; no bigram, no filter key),
    grouped by how many documents have them, most first, each group's words alphabetical and
    apart by spaces (a third of the bytes of a list of strings): of the words one edit from a
    typed one, it is read as the first so (tests/search_reference.py: corrected)."""
    return ranked_words({key: len(set().union(*found[key])) for key in found if is_word(key)})


def is_word(key: str) -> bool:
    """Whether the index lists `key` among the words a typo may be read as."""
    return " " not in key and correctable(key)


def ranked_words(counts: dict[str, int]) -> dict[int, list[tuple[int, str]]]:
    """`vocabulary` of words with how many documents have each."""
    groups: dict[int, dict[int, list[str]]] = {}
    for word in sorted(counts):
        groups.setdefault(len(word), {}).setdefault(counts[word], []).append(word)
    return {
        length: [
            (count, " ".join(words)) for count, words in sorted(by_count.items(), reverse=True)
        ]
        for length, by_count in groups.items()
    }


def record_file(chunk: int) -> str:
    return f"r/{chunk}.json"


@dataclass
class _Counted:
    """How many documents went by, and the number of the first task (pages come first)."""

    docs: int = 0
    first_task: int = 0


def _recorded(docs: Iterable[Folded], files: dict[str, str], counted: _Counted) -> Iterator[Folded]:
    """`docs`, putting their records into record files of RECORD_CHUNK as they go by, and
    counting them."""
    chunk: list[dict[str, Any]] = []
    tasks_seen = False
    for number, doc in enumerate(docs):
        if not tasks_seen and doc.kind is Kind.TASK:
            counted.first_task, tasks_seen = number, True
        chunk.append(doc.record)
        if len(chunk) == RECORD_CHUNK:
            files[record_file(number // RECORD_CHUNK)] = as_json(chunk)
            chunk = []
        counted.docs = number + 1
        yield doc
    if chunk:
        files[record_file(counted.docs // RECORD_CHUNK)] = as_json(chunk)
    if not tasks_seen:
        counted.first_task = counted.docs


def placed(meta: dict[str, Any], path: str) -> str:
    """Where the index file `path` (as `s/12.json`) is, in the index that `meta` describes."""
    folders: list[str] = meta["b"]
    return f"{folders[fnv1a(path) % len(folders)]}/{path}"


def folder_names(files: dict[str, str]) -> list[str]:
    """Each folder's name, a hash of the paths and contents of its files ("" when it has none):
    a folder whose files are unchanged keeps its name."""
    digests: dict[int, Any] = {}
    for path in sorted(files):
        digest = digests.setdefault(fnv1a(path) % FOLDERS, hashlib.sha256())
        digest.update(path.encode() + b"\0" + files[path].encode("utf-8") + b"\0")
    return [digests[n].hexdigest()[:8] if n in digests else "" for n in range(FOLDERS)]


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_index(
    docs: Iterable[SearchDoc],
    abbreviations: Sequence[Abbreviation],
    facets: dict[str, Any],
    inline_limit: int = INLINE_LIMIT,
    long_bits: int = LONG_BITS,
    large_file: int = LARGE_FILE,
) -> dict[str, str]:
    """Every file of the index (path relative to the index folder → JSON text). The limits are
    parameters so that tests can make a small index behave like a big one. `docs` is taken
    once, each document dropped as soon as its terms are noted and its record is in its
    record file: at national scale the documents together are hundreds of megabytes."""
    table = abbreviation_table(abbreviations)
    limits = Limits(inline_limit, long_bits, large_file)
    return versioned(index_files(map(folder(table), docs), table, facets, limits))


class Limits(NamedTuple):
    """build_index's limits."""

    inline: int = INLINE_LIMIT
    long_bits: int = LONG_BITS
    large_file: int = LARGE_FILE


@dataclass
class Index:
    """The index's files by their path in no folder (`s/12.json`), its meta.json without the
    folders' names and version, and how many keys (terms and filter keys) it has."""

    files: dict[str, str]
    meta: dict[str, Any]
    keys: int


def index_files(
    docs: Iterable[Folded], table: AbbreviationTable, facets: dict[str, Any], limits: Limits
) -> Index:
    """The index of documents already folded, its files not yet in their folders."""
    files: dict[str, str] = {}
    counted = _Counted()
    found = folded_postings(_recorded(docs, files, counted))
    tasks_from = counted.first_task

    @functools.lru_cache(maxsize=256)
    def chunk(number: int) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = json.loads(files[record_file(number)])
        return records

    shards = shard_count(len(found))
    shard_entries: dict[int, dict[str, list[str] | str]] = {}
    long_files: dict[int, dict[str, Any]] = {}
    for key in sorted(found):
        lists = [encode_ids(ids) for ids in found[key]]
        entry: list[str] | str = lists
        if sum(map(len, lists)) > limits.inline:
            # One file for the term's three lists: one request, not three, per long term. The
            # shard still says the term exists: a query asks it whether two words are a bigram.
            file = long_files.setdefault(long_name(key, limits.long_bits), {})
            file[key] = lists
            if not key.startswith(FILTER_MARK):
                # The records of the term's first hits come with its lists (EARLY_KEY), read
                # back from their record files.
                early = file.setdefault(EARLY_KEY, {})
                for number in first_hits(found[key], tasks_from):
                    early[str(number)] = chunk(number // RECORD_CHUNK)[number % RECORD_CHUNK]
            entry = IN_LONG_FILE
        shard_entries.setdefault(fnv1a(key) % shards, {})[key] = entry
    # Each file's values are dropped once it is text: the two are never all in memory at once.
    for number in list(shard_entries):
        files[f"s/{number}.json"] = as_json(shard_entries.pop(number))
    long_numbers = sorted(long_files)
    for number in list(long_files):
        files[f"p/{number}.json"] = as_json(long_files.pop(number))
    for name, value in facets.items():
        files[f"f/{name}.json"] = as_json(value)
    words = vocabulary(found)
    for length, ranked in words.items():
        files[f"w/{length}.json"] = as_json(ranked)
    meta: dict[str, Any] = {
        "docs": counted.docs,
        "tasks": tasks_from,
        "shards": shards,
        "chunk": RECORD_CHUNK,
        "abbr": {short: " ".join(long) for short, long in sorted(table.items())},
        # Which p/ files exist (encoded like a posting list): the reader fetches a long term's
        # lists in the same round as the shards, and looks in the shard only for the rest; and
        # which are large, not worth fetching on a guess that may not hold.
        "long": encode_ids(long_numbers),
        "large": encode_ids(
            [n for n in long_numbers if len(files[f"p/{n}.json"]) > limits.large_file]
        ),
        "lb": limits.long_bits,
        "wl": sorted(words),  # the lengths that have a w/ file
    }
    return Index(files, meta, len(found))


def versioned(index: Index) -> dict[str, str]:
    """The index's files in their folders, and meta.json and meta.js naming the folders and
    the version."""
    meta = {**index.meta, "b": folder_names(index.files)}
    return versioned_files(meta, index.files)


def versioned_files(meta: dict[str, Any], files: dict[str, str]) -> dict[str, str]:
    """`files` in the folders `meta` names, and meta.json and meta.js with its version."""
    meta = {**meta, "v": index_version(meta)}
    # Every file but meta.json lives in a folder named by its content: a path never changes its
    # content, so a reader whose cached meta.json is older than the site finds the files that
    # changed gone (404) and asks for meta.json again; the files it does find are the same as
    # those of its version, so it never mixes two versions.
    out = {placed(meta, path): text for path, text in files.items()}
    out.update(meta_files(meta))
    return out


def index_version(meta: dict[str, Any]) -> str:
    """meta.json's `v`: a hash of the rest of it (which names every folder)."""
    rest = {name: value for name, value in meta.items() if name != "v"}
    return hashlib.sha256(as_json(rest).encode("utf-8")).hexdigest()[:12]


def meta_files(meta: dict[str, Any]) -> dict[str, str]:
    """meta.json, and the same for the finder's page to load as a script beside its own: a
    search opened from a link then starts without a round for meta.json (JSON is a JavaScript
    expression)."""
    text = as_json(meta)
    return {"meta.json": text, "meta.js": f"window.ckhIndexMeta = {text};\n"}
