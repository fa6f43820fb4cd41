"""The query semantics of the header search and the task finder, in Python: what
docs/assets/search-engine.js implements over the index files, stated over the postings
generator/search builds. The browser tests and scripts/bench_search.py check the engine's
results against `evaluate`; the unit tests pin its rules."""

from __future__ import annotations

import base64
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from generator.derive import Role
from generator.search.documents import lead_key, place_key, plan_key, support_key, timeline_key
from generator.search.encode import LEAD, OTHER, SUPPORT, Postings
from generator.search.folding import AbbreviationTable, canonical_words


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


def decode_ids(encoded: str) -> list[int]:
    """The document numbers `encode.encode_ids` wrote (search-engine.js decodes the same way)."""
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


@dataclass(frozen=True)
class Filters:
    """The finder's filters, as in its URL (`dia-ban`, `ke-hoach`, `co-quan`, `vai-tro`, `thoi-han`)."""

    place: str | None = None
    plan: str | None = None
    agency: str | None = None
    role: str | None = None  # a Role value: "chu-tri" | "phoi-hop"
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
    table: AbbreviationTable,
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
        place_key(filters.place) if filters.place else None,
        plan_key(filters.plan) if filters.plan else None,
        timeline_key(filters.timeline) if filters.timeline else None,
    ):
        if key:
            keep &= ids(key, (OTHER,))
    role = Role(filters.role) if filters.role in tuple(Role) else None
    lead_of: set[int] | None = None
    if filters.agency:
        lead_of = ids(lead_key(filters.agency), (OTHER,))
        support_of = ids(support_key(filters.agency), (OTHER,))
        keep &= (
            lead_of
            if role is Role.LEAD
            else support_of
            if role is Role.SUPPORT
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
        tier1, tier2 = (lead, set()) if role is Role.LEAD else (set(), support)
        tier3: set[int] = set()
    else:
        tier1 = every & lead
        tier2 = (every & support) - tier1
        tier3 = every - tier1 - tier2
    return Result(
        (*sorted(tier1), *sorted(tier2), *sorted(tier3)), (len(tier1), len(tier2), len(tier3))
    )
