"""Search: text folded the way Vietnamese readers type it, and the static index built from it.

Folding: lower case, tones and marks stripped, `đ`→`d`, anything but `a-z0-9` a word break;
abbreviations (data/abbreviations.yaml) are replaced by their long form. Build and query fold the
same way (docs/assets/search.js has the same function; a browser test compares them), so
`so tai chinh`, `Sở Tài Chính` and `SỞ TÀI CHÍNH` are one query, and `NHCSXH` one with
`Ngân hàng Chính sách xã hội`.

The index (DESIGN.md, "Search"): every page and task is a document with a number; documents are
ordered pages first, then tasks by jurisdiction, plan and task order, so a plan's or a
jurisdiction's tasks are one run of numbers. Each word and each pair of adjacent words (a
syllable bigram: `tai chinh`) is a term with three posting lists, one per field (lead agencies
or a page's name; support agencies; everything else). Terms live in shard files chosen by a hash
of the term, so a reader fetches one small file a term and never a dictionary. A term with long
posting lists has them in a file named by the top `LONG_BITS` bits of its hash (p/<h>.json; the
shard marks it `@`), and meta.json lists those names: a reader who knows the query's words knows
at once which long lists to fetch, beside the shards, instead of after them. Filters
(jurisdiction, plan, agency and role, timeline kind) are posting lists too. What a result shows
lives in record files of `RECORD_CHUNK` documents, fetched only for the hits on screen; a long
term's file also carries the records of its first hits, so that the first result of a query
often needs no record file. All these files are in a folder named by the index version (`v` in
meta.json, a hash of their content), so meta.json (and meta.js, the same as a script) is the one
file whose content changes at a given path.
`evaluate` states the query semantics; search.js implements them.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from array import array
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from generator import urls
from generator.domain import Jurisdiction, Plan, Portal, Task, TimelineKind
from generator.errors import DataError, DataErrors
from generator.load import load_file
from generator.model import validate_file
from generator.names import document_citation, plan_citation, plan_name, task_label
from generator.pages import Page
from generator.text import plain, shorten, strip_marks

FOLDER = "chi-muc"  # docs/chi-muc/: the index, generated; served at /chi-muc/
ABBREVIATIONS_FILE = "abbreviations.yaml"
RECORD_CHUNK = 8  # documents a record file holds: a hit costs at most one small file
KEYS_PER_SHARD = 32  # target terms a shard file holds
INLINE_LIMIT = 600  # characters: a term whose lists are longer gets a file of its own
LONG_BITS = 24  # a long term's file is named by this many top bits of its hash
LARGE_FILE = 24_000  # characters: a long-list file that search.js fetches only when sure
# In a p/ file, the records of its terms' first hits (`first_hits`) by document number: a query's
# first result often shows without waiting for its record file. (Terms have no "@"; filter keys
# have a colon after their letter.)
EARLY_KEY = "@r"
LEAD, SUPPORT, OTHER = 0, 1, 2  # the three fields of a document

# --- folding ----------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """`Sở Tài Chính` → `so tai chinh`: lower case, marks stripped, đ→d, other characters a space."""
    return _NOT_WORD.sub(" ", strip_marks(text)).strip()


@dataclass(frozen=True)
class Abbreviation:
    short: str  # as documents write it: "NHCSXH"
    long: str  # what it stands for: "Ngân hàng Chính sách xã hội"


def abbreviation_table(abbreviations: Iterable[Abbreviation]) -> dict[str, tuple[str, ...]]:
    """Folded short form → folded words of its long form: `nhcsxh` → (`ngan`, `hang`, …)."""
    return {fold(a.short): tuple(fold(a.long).split()) for a in abbreviations}


def canonical_words(text: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The folded words of `text`, each abbreviation replaced by the words of its long form."""
    out: list[str] = []
    for word in fold(text).split():
        out.extend(table.get(word, (word,)))
    return out


def terms_of(words: Sequence[str]) -> set[str]:
    """Every word and every pair of adjacent words (`tai`, `chinh`, `tai chinh`)."""
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


def query_phrases(words: Sequence[str], vocabulary: Container[str]) -> list[list[str]]:
    """The query's words in runs joined by bigrams the index knows: `tai chinh nghe an` is
    [`tai chinh`, `nghe an`] when no text says `chinh nghe`."""
    phrases: list[list[str]] = []
    for i, word in enumerate(words):
        if i > 0 and f"{words[i - 1]} {word}" in vocabulary:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def query_terms(words: Sequence[str], vocabulary: Container[str]) -> list[str]:
    """The terms a query must match: a word standing alone, and for each longer phrase the
    fewest of its bigrams that cover every word (`ngan hang chinh sach xa hoi` needs `ngan
    hang`, `chinh sach`, `xa hoi`; `so tai chinh` needs `so tai` and `tai chinh`). A bigram's
    posting list is far shorter than its words' lists, and fewer lists mean fewer bytes."""
    out: list[str] = []
    for phrase in query_phrases(words, vocabulary):
        if len(phrase) == 1:
            out.append(phrase[0])
            continue
        starts = list(range(0, len(phrase) - 1, 2))
        if len(phrase) % 2:
            starts.append(len(phrase) - 2)
        out.extend(f"{phrase[i]} {phrase[i + 1]}" for i in starts)
    return list(dict.fromkeys(out))


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


# --- abbreviations data -----------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class AbbreviationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    short: Text
    long: Text


class AbbreviationsFile(BaseModel):
    """data/abbreviations.yaml: abbreviations search treats as equal to their long form."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    abbreviations: list[AbbreviationIn]


def load_abbreviations(data_dir: Path) -> tuple[Abbreviation, ...]:
    """The abbreviations in `data_dir`/abbreviations.yaml (none when the file is absent).

    Raises DataErrors naming the file, line and field of every problem."""
    path = data_dir / ABBREVIATIONS_FILE
    if not path.exists():
        return ()
    raw, errors = load_file(path, data_dir.parent)
    if raw is None or errors:
        raise DataErrors(errors)
    # The same schema check, field naming and Vietnamese messages as every other data file.
    parsed, shape_errors, _ = validate_file(raw, AbbreviationsFile)
    if parsed is None or shape_errors:
        raise DataErrors(shape_errors)
    problems = []
    seen: dict[str, int] = {}
    for i, item in enumerate(parsed.abbreviations):
        line = raw.line_of(("abbreviations", i, "short"))
        short = fold(item.short)
        if not short or " " in short:
            problems.append(
                DataError(
                    raw.path,
                    line,
                    f"abbreviations[{i}].short",
                    f"viết tắt phải là một từ (gặp “{item.short}”)",
                )
            )
        elif short in seen:
            problems.append(
                DataError(
                    raw.path,
                    line,
                    f"abbreviations[{i}].short",
                    f"“{item.short}” đã có ở mục {seen[short]}",
                )
            )
        seen.setdefault(short, i)
    if problems:
        raise DataErrors(problems)
    return tuple(Abbreviation(a.short, a.long) for a in parsed.abbreviations)


# --- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchDoc:
    """One thing a search can find: its texts by field, its filter keys, and what a hit shows."""

    kind: str  # "task", or a page kind: "plan", "agency", "group", "document", "theme", "place"
    lead: tuple[str, ...]  # a task's lead agencies; a page's own name
    support: tuple[str, ...]  # a task's support agencies
    other: tuple[str, ...]  # everything else that is searched
    facets: tuple[str, ...]  # filter keys: "@j:<place>", "@p:<plan>", "@a:<agency>:l", "@k:<kind>"
    record: dict[str, Any]  # what a result shows, as JSON


def jurisdiction_order(portal: Portal) -> list[Jurisdiction]:
    """Jurisdictions depth first: national, then each province followed by its communes."""
    children: dict[str | None, list[Jurisdiction]] = {}
    for j in portal.jurisdictions.values():
        children.setdefault(j.parent, []).append(j)

    def key(j: Jurisdiction) -> tuple[int, str]:
        return (0 if j.level.value == "trung-uong" else 1, fold(j.name))

    out: list[Jurisdiction] = []

    def walk(parent: str | None) -> None:
        for j in sorted(children.get(parent, []), key=key):
            out.append(j)
            walk(j.id)

    walk(None)
    return out


def _ancestors(portal: Portal, jurisdiction_id: str) -> list[str]:
    chain: list[str] = []
    current: str | None = jurisdiction_id
    while current is not None and current not in chain and current in portal.jurisdictions:
        chain.append(current)
        current = portal.jurisdictions[current].parent
    return chain


def ordered_plans(portal: Portal) -> list[Plan]:
    """Plans by jurisdiction (depth first), newest first within one, so filters are runs."""
    position = {j.id: i for i, j in enumerate(jurisdiction_order(portal))}
    return sorted(
        portal.plans.values(),
        key=lambda p: (
            position.get(p.jurisdiction, len(position)),
            -(p.date.toordinal() if p.date else 0),
            p.id,
        ),
    )


def _agency_names(portal: Portal, agency_id: str, written: str) -> list[str]:
    agency = portal.agencies.get(agency_id)
    names = [written]
    if agency is not None:
        names.extend(n for n in (agency.name, *agency.names) if n not in names)
    return names


def _agency_cells(portal: Portal, refs: Iterable[Any]) -> list[list[str]]:
    return [[r.written, urls.agency_url(r.agency_id)] for r in refs]


def task_doc(portal: Portal, plan: Plan, task: Task) -> SearchDoc:
    issuer = portal.agencies[plan.issuer].name if plan.issuer in portal.agencies else ""
    lead = [n for r in task.lead for n in _agency_names(portal, r.agency_id, r.written)]
    support = [n for r in task.support for n in _agency_names(portal, r.agency_id, r.written)]
    kind = task.timeline.kind if task.timeline else TimelineKind.UNPARSED
    facets = [f"@p:{plan.id}", f"@k:{kind.value}"]
    facets += [f"@j:{j}" for j in _ancestors(portal, plan.jurisdiction)]
    facets += sorted({f"@a:{r.agency_id}:l" for r in task.lead})
    facets += sorted({f"@a:{r.agency_id}:s" for r in task.support})
    return SearchDoc(
        kind="task",
        lead=tuple(lead),
        support=tuple(support),
        other=tuple(
            t
            for t in (task.number, task.text, task.output, task.timeline and task.timeline.text)
            if t
        ),
        facets=tuple(facets),
        record={
            "k": "task",
            "u": urls.plan_url(plan.id) + "#" + task.anchor,
            "t": task_label(task),
            "x": plain(task.text),
            "p": f"{plan_name(plan)} – {issuer}" if issuer else plan_name(plan),
            "l": _agency_cells(portal, task.lead),
            "s": _agency_cells(portal, task.support),
            "o": task.output,
            "tl": task.timeline.text if task.timeline else None,
        },
    )


def _page(
    kind: str, url: str, title: str, detail: str, lead: Iterable[str], other: Iterable[str]
) -> SearchDoc:
    return SearchDoc(
        kind=kind,
        lead=tuple(t for t in lead if t),
        support=(),
        other=tuple(t for t in other if t),
        facets=(),
        record={"k": kind, "u": url, "t": title, "d": detail},
    )


def _group_heading(number: str | None, title: str) -> str:
    return f"Nhóm {number}. {title}" if number else title


def search_docs(portal: Portal) -> list[SearchDoc]:
    """Every searchable page and task, in index order: pages, then tasks by jurisdiction and plan."""
    plans = ordered_plans(portal)
    places = jurisdiction_order(portal)
    place_names = {j.id: j.name for j in places}
    docs: list[SearchDoc] = []
    for plan in plans:
        issuer = portal.agencies[plan.issuer].name if plan.issuer in portal.agencies else ""
        docs.append(
            _page(
                "plan",
                urls.plan_url(plan.id),
                plan_citation(plan, portal.agencies[plan.issuer]),
                shorten(plan.title, 200),
                [plan_name(plan), issuer],
                [plan.title or "", place_names.get(plan.jurisdiction, "")],
            )
        )
    for agency in sorted(portal.agencies.values(), key=lambda a: (fold(a.name), a.id)):
        others = [n for n in agency.names if n != agency.name]
        place = place_names.get(agency.jurisdiction, "")
        detail = place + (f" · còn gọi: {'; '.join(others)}" if others else "")
        docs.append(
            _page(
                "agency",
                urls.agency_url(agency.id),
                agency.name,
                detail,
                [agency.name, *others],
                [place],
            )
        )
    for plan in plans:
        for group in plan.groups:
            heading = _group_heading(group.number, group.title)
            docs.append(
                _page(
                    "group",
                    urls.group_url(plan.id, group.id),
                    heading,
                    plan_citation(plan, portal.agencies[plan.issuer]),
                    [heading],
                    [plan_name(plan)],
                )
            )
    for document in portal.documents.values():
        docs.append(
            _page(
                "document",
                urls.document_url(document.id),
                document_citation(document),
                shorten(document.title, 200),
                [document_citation(document)],
                [document.title or ""],
            )
        )
    for theme in portal.themes.values():
        docs.append(
            _page(
                "theme",
                urls.theme_url(theme.id),
                theme.name,
                shorten(theme.description, 200),
                [theme.name],
                [theme.description],
            )
        )
    with_agencies = {a.jurisdiction for a in portal.agencies.values()}
    for j in places:
        if j.id in with_agencies:
            docs.append(
                _page(
                    "place",
                    urls.jurisdiction_url(j.id),
                    j.name,
                    "Danh bạ cơ quan, đơn vị",
                    [j.name],
                    [],
                )
            )
    for plan in plans:
        docs.extend(task_doc(portal, plan, task) for task in plan.tasks)
    return docs


# --- the index --------------------------------------------------------------------------------

Postings = dict[str, tuple["array[int]", "array[int]", "array[int]"]]


def postings(docs: Sequence[SearchDoc], table: dict[str, tuple[str, ...]]) -> Postings:
    """Term → the ascending numbers of the documents having it, per field; filter keys in OTHER."""
    found: Postings = {}

    def add(key: str, slot: int, number: int) -> None:
        lists = found.get(key)
        if lists is None:
            lists = found[key] = (array("i"), array("i"), array("i"))
        lists[slot].append(number)

    for number, doc in enumerate(docs):
        for slot, texts in ((LEAD, doc.lead), (SUPPORT, doc.support), (OTHER, doc.other)):
            keys: set[str] = set()
            for text in texts:
                keys |= terms_of(canonical_words(text, table))
            for key in keys:
                add(key, slot, number)
        for key in doc.facets:
            add(key, OTHER, number)
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


def decode_ids(encoded: str) -> list[int]:
    """The document numbers `encode_ids` wrote (search.js decodes the same way)."""
    if not encoded:
        return []
    data = base64.b64decode(encoded[1:])
    values: list[int] = []
    value = shift = 0
    position = 0
    if encoded[0] == "b":
        while True:
            value |= (data[position] & 0x7F) << shift
            shift += 7
            position += 1
            if data[position - 1] < 0x80:
                break
        first = value * 8
        return [
            first + 8 * i + bit
            for i, byte in enumerate(data[position:])
            for bit in range(8)
            if byte >> bit & 1
        ]
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value = shift = 0
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


def first_task(docs: Sequence[SearchDoc]) -> int:
    """The number of the first task: documents are pages first, then tasks."""
    return next((i for i, d in enumerate(docs) if d.kind == "task"), len(docs))


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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_index(
    docs: Sequence[SearchDoc],
    abbreviations: Sequence[Abbreviation],
    facets: dict[str, Any],
    inline_limit: int = INLINE_LIMIT,
    long_bits: int = LONG_BITS,
    large_file: int = LARGE_FILE,
) -> dict[str, str]:
    """Every file of the index (path relative to the index folder → JSON text). The limits are
    parameters so that tests can make a small index behave like a big one."""
    table = abbreviation_table(abbreviations)
    found = postings(docs, table)
    tasks_from = first_task(docs)
    shards = shard_count(len(found))
    shard_entries: dict[int, dict[str, list[str] | str]] = {}
    long_files: dict[int, dict[str, Any]] = {}
    files: dict[str, str] = {}
    for key in sorted(found):
        lists = [encode_ids(ids) for ids in found[key]]
        entry: list[str] | str = lists
        if sum(len(text) for text in lists) > inline_limit:
            # One file for the term's three lists: one request, not three, per long term. The
            # shard still says the term exists: a query asks it whether two words are a bigram.
            file = long_files.setdefault(long_name(key, long_bits), {})
            file[key] = lists
            if not key.startswith("@"):
                # The records of the term's first hits come with its lists (EARLY_KEY).
                early = file.setdefault(EARLY_KEY, {})
                for number in first_hits(found[key], tasks_from):
                    early[str(number)] = docs[number].record
            entry = "@"
        shard_entries.setdefault(fnv1a(key) % shards, {})[key] = entry
    for number, entries in shard_entries.items():
        files[f"s/{number}.json"] = _json(entries)
    for number, lists_by_term in long_files.items():
        files[f"p/{number}.json"] = _json(lists_by_term)
    for start in range(0, len(docs), RECORD_CHUNK):
        files[f"r/{start // RECORD_CHUNK}.json"] = _json(
            [d.record for d in docs[start : start + RECORD_CHUNK]]
        )
    for name, value in facets.items():
        files[f"f/{name}.json"] = _json(value)
    meta: dict[str, Any] = {
        "docs": len(docs),
        "tasks": tasks_from,
        "shards": shards,
        "chunk": RECORD_CHUNK,
        "abbr": {short: " ".join(long) for short, long in sorted(table.items())},
        # Which p/ files exist (encoded like a posting list): the reader fetches a long term's
        # lists in the same round as the shards, and looks in the shard only for the rest; and
        # which are large, not worth fetching on a guess that may not hold.
        "long": encode_ids(sorted(long_files)),
        "large": encode_ids(
            sorted(n for n in long_files if len(files[f"p/{n}.json"]) > large_file)
        ),
        "lb": long_bits,
    }
    digest = hashlib.sha256(_json(meta).encode("utf-8"))
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode("utf-8"))
    meta["v"] = digest.hexdigest()[:12]
    # Every file but meta.json lives in a folder named by the version: a path never changes its
    # content, so a reader whose cached meta.json is older than the site finds its files gone
    # (404) and asks for meta.json again, and can never mix files of two versions.
    versioned = {f"{meta['v']}/{path}": text for path, text in files.items()}
    versioned["meta.json"] = _json(meta)
    # The same for the finder's page to load as a script beside its own: a search opened from a
    # link then starts without a round for meta.json (JSON is a JavaScript expression).
    versioned["meta.js"] = f"window.ckhIndexMeta = {versioned['meta.json']};\n"
    return versioned


def facet_files(portal: Portal) -> dict[str, Any]:
    """The finder's filter choices: `index` lists the top jurisdictions; one file a jurisdiction
    lists its communes, plans and agencies (so no reader downloads every commune's list)."""
    places = jurisdiction_order(portal)
    children: dict[str, list[list[str]]] = {}
    for j in places:
        if j.parent is not None:
            children.setdefault(j.parent, []).append([j.id, j.name])
    plans: dict[str, list[list[str]]] = {}
    for p in ordered_plans(portal):
        label = plan_name(p) + (f" ({p.date:%d/%m/%Y})" if p.date else "")
        plans.setdefault(p.jurisdiction, []).append([p.id, label])
    agencies: dict[str, list[list[str]]] = {}
    for a in sorted(portal.agencies.values(), key=lambda a: (fold(a.name), a.id)):
        agencies.setdefault(a.jurisdiction, []).append([a.id, a.name])
    out: dict[str, Any] = {"index": [[j.id, j.name] for j in places if j.parent is None]}
    for j in places:
        out[j.id] = {
            "id": j.id,
            "name": j.name,
            "parent": j.parent,
            "children": children.get(j.id, []),
            "plans": plans.get(j.id, []),
            "agencies": agencies.get(j.id, []),
        }
    return out


def index_pages(portal: Portal, abbreviations: Sequence[Abbreviation]) -> list[Page]:
    """The search index as pages under docs/chi-muc/ for the writer."""
    files = build_index(search_docs(portal), abbreviations, facet_files(portal))
    return [Page(f"{FOLDER}/{path}", text) for path, text in sorted(files.items())]


# --- what a query finds (search.js does the same over the index files) ------------------------


@dataclass(frozen=True)
class Filters:
    """The finder's filters, as in its URL (`dia-ban`, `ke-hoach`, `co-quan`, `vai-tro`, `thoi-han`)."""

    place: str | None = None
    plan: str | None = None
    agency: str | None = None
    role: str | None = None  # "chu-tri" | "phoi-hop"
    timeline: str | None = None  # a TimelineKind value

    def active(self) -> bool:
        return any((self.place, self.plan, self.agency, self.timeline))


@dataclass(frozen=True)
class Result:
    ids: tuple[int, ...]  # every match in rank order
    tiers: tuple[int, int, int]  # how many matched in the lead field, support field, elsewhere


def evaluate(
    found: Postings,
    total: int,
    table: dict[str, tuple[str, ...]],
    query: str,
    filters: Filters = Filters(),
    first: int = 0,
) -> Result:
    """What a query finds among documents `first`…`total - 1` (the finder passes the first task).

    Every query term must be in the document (in any field); the lead field ranks first, then
    support, then the rest, each in index order. A role with a query keeps only the documents
    whose lead (or support) field holds every term; with an agency filter the role applies to
    that agency instead."""
    words = canonical_words(query, table)
    universe = set(range(first, total))

    def ids(key: str, slots: Iterable[int]) -> set[int]:
        lists = found.get(key)
        return {i for s in slots for i in lists[s]} if lists else set()

    keep = set(universe)
    for key in (
        f"@j:{filters.place}" if filters.place else None,
        f"@p:{filters.plan}" if filters.plan else None,
        f"@k:{filters.timeline}" if filters.timeline else None,
    ):
        if key:
            keep &= ids(key, (OTHER,))
    role = filters.role if filters.role in ("chu-tri", "phoi-hop") else None
    lead_of: set[int] | None = None
    if filters.agency:
        lead_of = ids(f"@a:{filters.agency}:l", (OTHER,))
        support_of = ids(f"@a:{filters.agency}:s", (OTHER,))
        keep &= (
            lead_of
            if role == "chu-tri"
            else support_of
            if role == "phoi-hop"
            else lead_of | support_of
        )
    if not words:
        if lead_of is not None:
            first_tier = keep & lead_of
            rest = keep - first_tier
            return Result((*sorted(first_tier), *sorted(rest)), (len(first_tier), len(rest), 0))
        if not filters.active():
            return Result((), (0, 0, 0))
        return Result(tuple(sorted(keep)), (0, 0, len(keep)))
    terms = query_terms(words, found)
    every = set(keep)
    lead = set(keep)
    support = set(keep)
    for term in terms:
        every &= ids(term, (LEAD, SUPPORT, OTHER))
        lead &= ids(term, (LEAD,))
        support &= ids(term, (SUPPORT,))
    if role and lead_of is None:  # the query names the agency whose role is asked for
        tier1, tier2 = (lead, set()) if role == "chu-tri" else (set(), support)
        tier3: set[int] = set()
    else:
        tier1 = every & lead
        tier2 = (every & support) - tier1
        tier3 = every - tier1 - tier2
    return Result(
        (*sorted(tier1), *sorted(tier2), *sorted(tier3)), (len(tier1), len(tier2), len(tier3))
    )
