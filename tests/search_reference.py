"""The query semantics of the header search and the task finder, in Python: what
docs/assets/search-engine.js implements over the index files, stated over the postings
generator/search builds. The browser tests and scripts/bench_search.py check the engine's
results against `evaluate`; the unit tests pin its rules."""

from __future__ import annotations

import base64
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, replace

from generator.derive import Role
from generator.search.documents import (
    lead_key,
    place_key,
    plan_key,
    support_key,
    timeline_key,
    via_key,
)
from generator.search.encode import LEAD, OTHER, SUPPORT, Postings
from generator.search.folding import AbbreviationTable, canonical_words, correctable, one_edit


def query_phrases(words: Sequence[str], vocabulary: Container[str]) -> list[list[str]]:
    """The query's words in runs joined by bigrams the index knows: `tai chinh nghe an` is
    [`tai chinh`, `nghe an`] when no text says `chinh nghe` (the runs the results mark)."""
    phrases: list[list[str]] = []
    for i, word in enumerate(words):
        if i > 0 and f"{words[i - 1]} {word}" in vocabulary:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def corrected(
    words: Sequence[str], found: Postings
) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """The query's words with each that no text has (and folding.correctable) read as the word
    of the texts one edit from it in the most documents (then the first alphabetically), and
    the (typed, read as) pairs. A word some text has is never replaced; one with no word one
    edit away stays, and the query finds nothing."""

    def documents(key: str) -> int:
        return len(set().union(*found[key]))

    out: list[str] = []
    corrections: dict[str, str] = {}
    for word in words:
        if word not in found and correctable(word) and word not in corrections:
            near = [k for k in found if " " not in k and correctable(k) and one_edit(word, k)]
            if near:
                corrections[word] = min(near, key=lambda k: (-documents(k), k))
        out.append(corrections.get(word, word))
    return out, tuple(corrections.items())


def query_pairs(words: Sequence[str]) -> list[str]:
    """Every pair of adjacent query words, as the index's bigram terms: the phrase as the index
    can check it (a field holding all of them holds the phrase, or its words in the same pairs)."""
    return list(dict.fromkeys(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)))


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


# The tiers of a result, in rank order: how well a document matches, then in which field.
# Exact: the whole query in one field (every adjacent pair of its words there; a one-word
# query: the word), in the lead field, the support field, or elsewhere. Loose: every word
# pair somewhere but not all in one field; then every word somewhere, all in the lead field,
# all in the support field, or apart. A loose match is never counted as holding the phrase.
PHRASE_LEAD, PHRASE_SUPPORT, PHRASE_OTHER, PAIRS, WORDS_LEAD, WORDS_SUPPORT, WORDS = range(7)
EXACT_TIERS = (PHRASE_LEAD, PHRASE_SUPPORT, PHRASE_OTHER)


@dataclass(frozen=True)
class Result:
    ids: tuple[int, ...]  # every match in rank order
    tiers: tuple[int, ...]  # how many matched in each tier (PHRASE_LEAD … WORDS)
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word no text has, word read instead)

    @property
    def exact(self) -> int:
        """How many hold the whole query (in one field)."""
        return sum(self.tiers[t] for t in EXACT_TIERS)


def _result(tiers: Sequence[set[int]], corrections: tuple[tuple[str, str], ...] = ()) -> Result:
    padded = [*tiers, *([set()] * (WORDS + 1 - len(tiers)))]
    return Result(
        tuple(i for tier in padded for i in sorted(tier)),
        tuple(len(tier) for tier in padded),
        corrections,
    )


def evaluate(
    found: Postings,
    total: int,
    table: AbbreviationTable,
    query: str,
    filters: Filters = Filters(),
    first: int = 0,
) -> Result:
    """What a query finds among documents `first`…`total - 1` (the finder passes the first task).

    Every query word must be in the document (in any field). Documents rank by tier (see
    PHRASE_LEAD … WORDS), each tier in index order. A role with a query keeps only the documents
    whose lead (or support) field holds the phrase or every word; with an agency filter the
    role applies to that agency instead. An agency filter without a role also keeps the tasks of
    the collectives the agency belongs to (via_key). Without words, it lists what the agency
    leads, then what it supports, then those of its collectives; other filters list what they
    keep (tier PHRASE_OTHER). A query word no text has is read as the word one edit from it
    (`corrected`), and the result says so; when one has no such word, nothing is found."""
    words, corrections = corrected(canonical_words(query, table), found)
    if any(word not in found for word in words):
        return _result([])
    return replace(_evaluate(found, total, words, filters, first), corrections=corrections)


def _evaluate(
    found: Postings, total: int, words: Sequence[str], filters: Filters, first: int
) -> Result:
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
        via_of = ids(via_key(filters.agency), (OTHER,))
        keep &= (
            lead_of
            if role is Role.LEAD
            else support_of
            if role is Role.SUPPORT
            else lead_of | support_of | via_of
        )
    if not words:
        if lead_of is not None:
            return _result(
                [keep & lead_of, (keep & support_of) - lead_of, keep - lead_of - support_of]
            )
        if not filters.active():
            return _result([])
        return _result([set(), set(), keep])

    def having(terms: Sequence[str], slots: tuple[int, ...]) -> set[int]:
        out = set(keep)
        for term in terms:
            out &= ids(term, slots)
        return out

    anywhere = (LEAD, SUPPORT, OTHER)
    phrase = query_pairs(words) or words
    every_word = having(words, anywhere)
    in_lead, in_support = having(phrase, (LEAD,)), having(phrase, (SUPPORT,))
    words_lead, words_support = having(words, (LEAD,)), having(words, (SUPPORT,))
    if role and lead_of is None:  # the query names the agency whose role is asked for
        if role is Role.LEAD:
            return _result([in_lead, set(), set(), set(), words_lead - in_lead])
        return _result([set(), in_support, set(), set(), set(), words_support - in_support])
    tiers: list[set[int]] = []
    for tier in (
        in_lead,
        in_support,
        having(phrase, (OTHER,)),
        having(phrase, anywhere) if len(words) > 1 else set(),
        words_lead,
        words_support,
        every_word,
    ):
        tiers.append(tier - set().union(*tiers))
    return _result(tiers)
