"""Search folding, abbreviations, index encoding and query semantics, as pure functions."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import random
import shutil
import time
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_generator
from search_reference import (
    EXACT_TIERS,
    PAIRS,
    PHRASE_LEAD,
    PHRASE_OTHER,
    PHRASE_SUPPORT,
    WORDS,
    WORDS_LEAD,
    Filters,
    corrected,
    decode_ids,
    evaluate,
    query_pairs,
    query_phrases,
)

from generator import parallel, schema
from generator.cli import _portal
from generator.domain import Portal, Task
from generator.errors import DataErrors
from generator.pages import Kept, Page
from generator.search import incremental, index_pages, spooled_index
from generator.search.documents import Kind, SearchDoc, first_task, ordered_plans, search_docs
from generator.search.encode import (
    EARLY_KEY,
    KEYS_PER_SHARD,
    Limits,
    Postings,
    build_index,
    encode_ids,
    first_hits,
    fnv1a,
    long_name,
    placed,
    postings,
    shard_count,
)
from generator.search.facets import facet_files
from generator.search.folding import (
    abbreviation_table,
    canonical_words,
    correctable,
    fold,
    one_edit,
    terms_of,
)
from generator.search.incremental import IndexCache, Update, index_update
from generator.write import write_pages


@functools.cache
def shipped() -> Portal:
    """The shipped data's portal, read once."""
    return _portal(ROOT)


TABLE = abbreviation_table(shipped().abbreviations)


@pytest.mark.parametrize(
    "typed",
    [
        "so tai chinh",
        "Sở Tài chính",
        "Sở Tài Chính",
        "SỞ TÀI CHÍNH",
        unicodedata.normalize("NFD", "Sở Tài chính"),
        "  sở   tài\tchính ",
    ],
)
def test_every_way_of_typing_so_tai_chinh_folds_the_same(typed: str) -> None:
    assert fold(typed) == "so tai chinh"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đảng", "dang"),
        ("đối", "doi"),
        ("ÐOÀN", "doan"),  # U+00D0, typed for Đ by some keyboards
        ("Uỷ ban", "uy ban"),
        ("Ủy ban", "uy ban"),
        ("1560/QĐ-TTg", "1560 qd ttg"),
        ("39-CT/TW", "39 ct tw"),
        ("Ngọk Bay", "ngok bay"),
        ("“Thường xuyên”.", "thuong xuyen"),
    ],
)
def test_fold_strips_tones_marks_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("NHCSXH", "Ngân hàng Chính sách xã hội"),
        ("UBND", "Ủy ban nhân dân"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("HĐND", "Hội đồng nhân dân"),
        ("hdnd", "hội đồng nhân dân"),
    ],
)
def test_abbreviations_and_long_forms_give_the_same_words(short: str, long: str) -> None:
    assert canonical_words(short, TABLE) == canonical_words(long, TABLE)
    assert canonical_words(f"{short} tỉnh", TABLE)[-1] == "tinh"


def test_abbreviation_list_is_data_with_a_published_schema() -> None:
    assert {a.short for a in shipped().abbreviations} >= {"NHCSXH", "UBND", "MTTQ", "HĐND"}
    published = json.loads(
        (ROOT / "data" / "schemas" / "abbreviations.schema.json").read_text(encoding="utf-8")
    )
    assert published == schema.AbbreviationsFile.model_json_schema(), (
        "run: python -m generator schema"
    )


def _project(tmp_path: Path, abbreviations: str | None) -> Path:
    """A project with the small fixture data set and, if given, this abbreviations.yaml."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    if abbreviations is not None:
        (tmp_path / "data" / "abbreviations.yaml").write_text(abbreviations, encoding="utf-8")
    return tmp_path


def test_a_missing_abbreviations_file_means_no_abbreviations(tmp_path: Path) -> None:
    assert _portal(_project(tmp_path, None)).abbreviations == ()


def test_broken_abbreviations_name_file_line_and_field(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        "abbreviations:\n"
        "  - short: UBND\n"
        "    long: Ủy ban nhân dân\n"
        "  - short: ubnd\n"
        "    long: Ủy ban nhân dân\n"
        "  - short: NH CS\n"
        "    long: x\n"
        "  - short: X\n",
    )
    with pytest.raises(DataErrors) as caught:
        _portal(project)
    report = caught.value.report()
    # Every problem in one run: the schema's, and the short forms search could not use.
    assert "data/abbreviations.yaml:8: [abbreviations[3].long] thiếu trường bắt buộc" in report
    assert "data/abbreviations.yaml:4: [abbreviations[1].short] “ubnd” đã có ở mục 0" in report
    assert "data/abbreviations.yaml:6: [abbreviations[2].short] viết tắt phải là một từ" in report


def test_a_broken_abbreviations_file_fails_the_build_with_the_other_data_errors(
    minimal_project: Path,
) -> None:
    (minimal_project / "data" / "abbreviations.yaml").write_text(
        "abbreviations:\n  - short: NH CS\n    long: x\n", encoding="utf-8"
    )
    # A file the others cannot be checked against stops the checks between files, not these.
    (minimal_project / "data" / "themes.yaml").write_text("themes: [\n", encoding="utf-8")
    result = run_generator(minimal_project, "generate")
    assert result.returncode == 1
    assert "data/abbreviations.yaml:2: [abbreviations[0].short] viết tắt phải là một từ" in (
        result.stderr
    )
    assert "data/themes.yaml" in result.stderr
    assert not (minimal_project / "docs" / "chi-muc").exists()


def test_terms_are_words_and_adjacent_pairs() -> None:
    assert terms_of(["so", "tai", "chinh"]) == {
        "so",
        "tai",
        "chinh",
        "so tai",
        "tai chinh",
    }


def test_query_phrases_break_where_no_text_has_the_pair_and_pairs_are_every_adjacent_pair() -> None:
    known = {"so tai", "tai chinh", "nghe an"}
    assert query_phrases(["tai", "chinh", "nghe", "an"], known) == [
        ["tai", "chinh"],
        ["nghe", "an"],
    ]
    assert query_phrases(["chinh"], known) == [["chinh"]]
    assert query_pairs(["tai", "chinh", "nghe", "an"]) == ["tai chinh", "chinh nghe", "nghe an"]
    assert query_pairs(["chinh"]) == []


def _task(lead: str = "", support: str = "", other: str = "") -> SearchDoc:
    return SearchDoc(Kind.TASK, (lead,), (support,), (other,), (), {})


# Eight documents for "hoi nong dan": where the phrase is, or only its pairs, or its words.
RANKED_DOCS = [
    _task(other="người dân làm nông nghiệp; Hội đồng nhân dân"),  # 0: words apart
    _task(other="Phối hợp với Hội Nông dân tỉnh"),  # 1: phrase in the text
    _task(support="Hội Nông dân"),  # 2: phrase in the support field
    _task(lead="Hội Nông dân"),  # 3: phrase in the lead field
    _task(lead="Hội nông", other="nông dân"),  # 4: both pairs, not in one field
    _task(lead="Dân Hội Nông"),  # 5: every word in the lead field, not as written
    _task(other="Hội nghị"),  # 6: not every word
    _task(lead="Hội Nông dân", other="Hội Nông dân"),  # 7: phrase in lead (ranked by the best)
]


def test_the_phrase_ranks_by_field_then_its_pairs_then_its_words_and_never_counts_as_exact() -> (
    None
):
    found = postings(RANKED_DOCS, {})
    result = evaluate(found, len(RANKED_DOCS), {}, "Hội Nông Dân")
    assert result.ids == (3, 7, 2, 1, 4, 5, 0)
    tiers = dict(enumerate(result.tiers))
    assert (tiers[PHRASE_LEAD], tiers[PHRASE_SUPPORT], tiers[PHRASE_OTHER]) == (2, 1, 1)
    assert (tiers[PAIRS], tiers[WORDS_LEAD], tiers[WORDS]) == (1, 1, 1)
    assert result.exact == 4 == sum(result.tiers[t] for t in EXACT_TIERS)
    # One word: only the field ranks; nothing is loose.
    one = evaluate(found, len(RANKED_DOCS), {}, "nong")
    assert one.ids[:3] == (3, 4, 5) and one.exact == len(one.ids) == 7
    # A role asks about the lead field only: the phrase there, then its words there.
    lead = evaluate(found, len(RANKED_DOCS), {}, "hoi nong dan", Filters(role="chu-tri"))
    assert lead.ids == (3, 7, 5) and lead.exact == 2


def test_fnv1a_matches_the_published_test_vectors() -> None:
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


@pytest.mark.parametrize("density", [0.001, 0.05, 0.5, 0.98])
def test_posting_lists_round_trip_in_whichever_encoding_is_shortest(density: float) -> None:
    rng = random.Random(density)
    ids = sorted(i for i in range(20_000) if rng.random() < density)
    encoded = encode_ids(ids)
    assert decode_ids(encoded) == ids
    assert len(encoded) <= 20_000 // 6 + 40  # never much worse than a base64 bitmap


def test_dense_runs_and_sparse_lists_pick_their_encodings() -> None:
    assert encode_ids(list(range(1000, 60_000)))[0] == "r"
    assert encode_ids([5, 90_000])[0] == "v"
    assert encode_ids(list(range(0, 16_000, 2)))[0] == "b"
    assert encode_ids([]) == ""


@pytest.fixture
def real_index() -> tuple[list[SearchDoc], Postings, int]:
    # Built for each test (0.3 s), not once a module: mutmut ties the code a fixture runs to
    # the first test that asked for it, and would run no other test against a mutant of it.
    docs = search_docs(shipped())
    return docs, postings(docs, TABLE), first_task(docs)


def _urls(
    real_index: tuple[list[SearchDoc], Postings, int],
    query: str,
    filters: Filters | None = None,
    tasks_only: bool = True,
) -> list[str]:
    docs, found, first = real_index
    result = evaluate(
        found, len(docs), TABLE, query, filters or Filters(), first if tasks_only else 0
    )
    return [docs[i].record["u"] for i in result.ids]


def test_pages_come_before_tasks_and_agencies_named_by_the_query_come_first(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    found = _urls(real_index, "so tai chinh", tasks_only=False)
    assert found[:2] == ["co-quan/nghe-an/so-tai-chinh/", "co-quan/quang-ngai/so-tai-chinh/"]
    assert "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-4-1" in found


def test_lead_matches_rank_before_support_matches(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    docs, found, first = real_index
    result = evaluate(found, len(docs), TABLE, "mat tran to quoc", first=first)
    lead, support, *_ = result.tiers
    assert lead > 0 and support > 0
    for i in result.ids[:lead]:
        assert any("Mặt trận" in cell[0] or "MTTQ" in cell[0] for cell in docs[i].record["l"])
    assert _urls(real_index, "MTTQ") == _urls(real_index, "mặt trận tổ quốc")


def test_a_task_is_found_by_every_name_the_registry_gives_the_agencies_it_names(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    """A plan writes “Hội đồng nhân dân thành phố”; a search for the registry's name (“… thành
    phố Cần Thơ”) or another name it lists finds the task as holding the phrase, in the field
    of the role the plan gives the agency."""
    docs, found, first = real_index
    portal = shipped()
    named = [
        (f"ke-hoach/{plan.id}/#{task.anchor}", side, ref)
        for plan in portal.plans.values()
        for task in plan.tasks
        for side, refs in enumerate((task.lead, task.support))
        for ref in refs
    ]
    # agency written otherwise than its registry name → (tasks it leads, tasks it supports)
    roles: dict[str, tuple[set[str], set[str]]] = {
        ref.agency_id: (set(), set())
        for _, _, ref in named
        if ref.written != portal.agencies[ref.agency_id].name
    }
    for address, side, ref in named:
        if ref.agency_id in roles:
            roles[ref.agency_id][side].add(address)
    assert roles and all(lead or support for lead, support in roles.values())
    for agency_id, (lead, support) in roles.items():
        agency = portal.agencies[agency_id]
        for name in (agency.name, *agency.names):
            result = evaluate(found, len(docs), TABLE, name, first=first)
            in_lead = {docs[i].record["u"] for i in result.ids[: result.tiers[PHRASE_LEAD]]}
            exact = {docs[i].record["u"] for i in result.ids[: result.exact]}
            assert lead <= in_lead, (name, sorted(lead - in_lead))
            assert support <= exact, (name, sorted(support - exact))


def test_a_task_hit_names_the_collectives_it_reaches_an_agency_through(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    """A task given to “Các sở, ban, ngành …” reaches each member agencies.yaml lists for that
    collective: its record carries, for each such collective, the name the plan writes and
    the members the task does not name itself (ids and names), which the finder shows as
    “qua: <collective>” when a search names a member. A task with none carries nothing."""
    docs, _, first = real_index
    portal = shipped()
    records = {d.record["u"]: d.record for d in docs[first:]}
    through = 0
    for plan in portal.plans.values():
        for task in plan.tasks:
            record = records[f"ke-hoach/{plan.id}/#{task.anchor}"]
            refs = (*task.lead, *task.support)
            named = {r.agency_id for r in refs}
            wanted = []
            for ref in refs:
                members = [
                    m.agency_id
                    for m in portal.agencies[ref.agency_id].members
                    if m.agency_id not in named
                ]
                if members:
                    names = [portal.agencies[m].name for m in members]
                    wanted.append([ref.written, members, names])
            assert record.get("q") == (wanted or None), task.id
            through += bool(wanted)
    assert 0 < through < len(records)


def test_a_task_hit_is_titled_by_its_number_or_says_it_has_none(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    docs, _, first = real_index
    titles = {d.record["u"]: d.record["t"] for d in docs[first:]}
    wanted = {
        f"ke-hoach/{plan.id}/#{task.anchor}": (
            f"Nhiệm vụ {task.number}" if task.number else "Nhiệm vụ không đánh số"
        )
        for plan in shipped().plans.values()
        for task in plan.tasks
    }
    assert titles == wanted
    assert "Nhiệm vụ không đánh số" in titles.values()


def test_a_page_hit_shows_as_much_of_its_description_as_fits_in_200_characters(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    """A plan's title, a document's title, a theme's description: whole if short, else cut
    after the last whole word that fits, with the mark “…”, in 200 characters."""
    docs, _, first = real_index
    portal = shipped()
    full = {f"ke-hoach/{p.id}/": p.title for p in portal.plans.values()}
    full |= {f"van-ban/{d.id}/": d.title for d in portal.documents.values()}
    full |= {f"chu-de/{t.id}/": t.description for t in portal.themes.values()}
    cut = 0
    for doc in docs[:first]:
        if doc.record["u"] not in full:
            continue
        text = " ".join((full[doc.record["u"]] or "").split())
        detail = doc.record["d"]
        if len(text) <= 200:
            assert detail == text, doc.record
            continue
        cut += 1
        kept = detail.removesuffix("…")
        assert detail.endswith("…") and len(detail) <= 200, doc.record
        assert text.startswith(kept + " "), doc.record  # whole words
        next_word = text[len(kept) + 1 :].split(" ")[0]
        # With the next word, and the mark, it would reach the limit.
        assert len(f"{kept} {next_word}…") >= 200, doc.record
    assert cut > 0


def test_plan_and_document_pages_are_found_by_their_titles_and_plans_by_their_place(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    portal = shipped()
    asked = [(f"van-ban/{d.id}/", d.title) for d in portal.documents.values()]
    for plan in portal.plans.values():
        asked += [(f"ke-hoach/{plan.id}/", plan.title)]
        asked += [(f"ke-hoach/{plan.id}/", portal.jurisdictions[plan.jurisdiction].name)]
    for address, text in asked:
        words = " ".join((text or "").split()[:6])
        if words:  # (a plan or document with no title)
            assert address in _urls(real_index, words, tasks_only=False), (address, words)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_word_a_search_can_match_was_written_in_the_data(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    """A hit matches only words the data files write (a plan without a title is found by
    no stand-in for it); these words are also those a typo is read as."""
    _, found, _ = real_index
    written: set[str] = set()
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            written.update(canonical_words(text, TABLE))
    words = {term for term in found if not term.startswith("@") and " " not in term}
    assert len(words) > 400 and words <= written, sorted(words - written)


def test_role_and_filters_narrow_and_an_agency_filter_lists_lead_then_support(
    real_index: tuple[list[SearchDoc], Postings, int],
) -> None:
    assert _urls(real_index, "so tai chinh", Filters(role="chu-tri")) == [
        "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-4-1",
        "ke-hoach/quang-ngai-89-kh-ubnd-2025/#nv-iv-1-a",
        "ke-hoach/quang-ngai-89-kh-ubnd-2025/#nv-iv-1-b",
    ]
    docs, found, first = real_index
    in_can_tho = evaluate(found, len(docs), TABLE, "so tai chinh", Filters(place="can-tho"), first)
    assert in_can_tho.exact == 0  # Cần Thơ's plan names no Sở Tài chính: its words only, apart
    quang_ngai = _urls(real_index, "", Filters(place="quang-ngai"))
    assert any("ngok-bay" in u for u in quang_ngai)  # a province covers its communes
    assert all("quang-ngai" in u for u in quang_ngai)
    # Sở Tài chính leads 4.1; the other tasks are those of "Các sở, ban, ngành, đơn vị cấp
    # tỉnh", which agencies.yaml says it belongs to (members), after what it leads and supports.
    mine = _urls(real_index, "", Filters(agency="nghe-an/so-tai-chinh"))
    assert mine[0] == "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-4-1"
    via = "1-1 1-2 2-1 2-2 2-3 3-1 3-2 3-3 3-4 4-2 4-3 4-4 5-1 5-2 5-3 5-6 5-7 5-8 6"
    assert mine[1:] == [f"ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-{n}" for n in via.split()]
    assert _urls(real_index, "", Filters(agency="nghe-an/so-tai-chinh", role="chu-tri")) == [
        "ke-hoach/nghe-an-686-kh-ubnd-2025/#nv-4-1"
    ]
    assert _urls(real_index, "") == []  # nothing asked, nothing listed


def test_long_lists_live_in_files_named_by_hash_that_meta_lists() -> None:
    docs = search_docs(shipped())
    files = build_index(
        docs,
        shipped().abbreviations,
        {},
        inline_limit=12,
        long_bits=8,
        large_file=40,
    )
    meta_text = files.pop("meta.json")
    meta = json.loads(meta_text)
    assert files.pop("meta.js") == f"window.ckhIndexMeta = {meta_text};\n"  # the same, a script
    # Every other file is in the folder meta.json names for it.
    assert all(p == placed(meta, p.split("/", 1)[1]) for p in files)
    files = {p.split("/", 1)[1]: t for p, t in files.items()}
    long_files = {int(p[2:-5]): json.loads(t) for p, t in files.items() if p.startswith("p/")}
    assert len(long_files) > 100  # 8 bits: 256 names, many shared by several terms
    assert any(len(terms) > 1 for terms in long_files.values())
    assert decode_ids(meta["long"]) == sorted(long_files)
    assert decode_ids(meta["large"]) == sorted(
        n for n in long_files if len(files[f"p/{n}.json"]) > 40
    )
    shards = [json.loads(t) for p, t in files.items() if p.startswith("s/")]
    entries = {term: entry for shard in shards for term, entry in shard.items()}
    tasks_from = first_task(docs)
    for name, terms in long_files.items():
        early = terms.pop(EARLY_KEY, {})
        firsts: set[int] = set()
        for term, lists in terms.items():
            assert long_name(term, 8) == name
            assert entries[term] == "@"  # the shard still says the term exists
            assert sum(len(text) for text in lists) > 12
            if not term.startswith("@"):
                firsts |= first_hits([decode_ids(t) for t in lists], tasks_from)
        # The file brings the records of its terms' first hits, as the record files have them.
        assert {int(n): r for n, r in early.items()} == {n: docs[n].record for n in firsts}
    inline = [e for e in entries.values() if e != "@"]
    assert inline and all(sum(len(text) for text in e) <= 12 for e in inline)


def test_first_hits_are_the_first_document_and_first_task_of_each_list() -> None:
    # Documents 0–9 are pages, 10 on tasks.
    assert first_hits([[2, 5, 11, 14], [], [12, 13]], 10) == {2, 11, 12}
    assert first_hits([[3, 4], [1], []], 10) == {3, 1}  # no task in any list


def test_an_index_rebuilt_after_an_edit_moves_only_the_folders_of_changed_files() -> None:
    docs = search_docs(shipped())
    abbreviations = shipped().abbreviations
    before = build_index(docs, abbreviations, {})
    assert build_index(docs, abbreviations, {}) == before  # same data, same files
    # A clerk's edit of the last task (bench/run.py's): a few words in front of its text.
    last = docs[-1]
    edited = replace(last, other=("Đã sửa.", *last.other), record={**last.record, "x": 1})
    after = build_index([*docs[:-1], edited], abbreviations, {})
    old, new = (json.loads(index["meta.json"]) for index in (before, after))
    assert new["v"] != old["v"]
    # A path never holds two contents: a cached meta.json of the old index cannot reach a file
    # of the new one (it finds the changed files gone and asks again).
    shared = (set(before) & set(after)) - {"meta.json", "meta.js"}
    assert all(before[p] == after[p] for p in shared)
    # Only the folders holding a file that changed are new; the rest of the index stays put
    # (what an edit costs a rebuild).
    logical = {p.split("/", 1)[1]: t for p, t in before.items() if "/" in p}
    relaid = {p.split("/", 1)[1]: t for p, t in after.items() if "/" in p}
    changed = {p for p in logical.keys() | relaid.keys() if logical.get(p) != relaid.get(p)}
    moved = {placed(old, p).split("/")[0] for p in changed if p in logical}
    assert changed and len(shared) > len(logical) / 2
    assert {p for p in logical if placed(old, p) not in shared} == {
        p for p in logical if placed(old, p).split("/")[0] in moved
    }


@pytest.mark.parametrize(
    ("typed", "word", "near"),
    [
        ("chnh", "chinh", True),  # a letter dropped
        ("chinhh", "chinh", True),  # a letter added
        ("chonh", "chinh", True),  # a letter changed
        ("tihn", "tinh", True),  # two adjacent letters swapped
        ("itnh", "tinh", True),  # swapped at the start
        ("tinh", "tinh", False),  # the same word is no edit
        ("chnhh", "chinh", False),  # two edits
        ("thni", "tinh", False),  # two letters apart swapped: two edits
        ("tinh", "tinhhh", False),
    ],
)
def test_one_edit_is_one_letter_dropped_added_changed_or_two_adjacent_swapped(
    typed: str, word: str, near: bool
) -> None:
    assert one_edit(typed, word) is near
    assert one_edit(word, typed) is near  # symmetric


def test_only_words_of_three_letters_or_more_without_digits_are_read_as_others() -> None:
    assert correctable("chnh") and correctable("tum")
    assert not correctable("xa") and not correctable("2026") and not correctable("k39")


def _postings(counts: dict[str, int]) -> Postings:
    return {k: (array("i"), array("i"), array("i", range(n))) for k, n in counts.items()}


def test_a_typo_is_read_as_the_near_word_in_most_documents_then_alphabetically() -> None:
    found = _postings({"tinh": 5, "tin": 9, "tanh": 9, "tai": 1, "tai tinh": 20, "@j:tinh": 30})
    # `tinx` is a letter from `tinh` (5 documents) and `tin` (9); bigrams and filter keys are
    # no words to read it as.
    assert corrected(["tai", "tinx"], found) == (["tai", "tin"], (("tinx", "tin"),))
    # `tanx` is a letter from `tanh` only (`tin`, with as many documents, is two).
    assert corrected(["tanx"], found) == (["tanh"], (("tanx", "tanh"),))
    # Two near words with as many documents: the first alphabetically.
    assert corrected(["tinhx"], _postings({"tinh": 3, "tinhy": 3})) == (
        ["tinh"],
        (("tinhx", "tinh"),),
    )
    # A word some text has stays, though `tin` is a letter away in more documents.
    assert corrected(["tinh"], found) == (["tinh"], ())
    # Nothing near, too short, or a number: stays (and the query finds nothing).
    assert corrected(["xyzzy", "ta", "2026"], found) == (["xyzzy", "ta", "2026"], ())


def test_the_index_lists_its_words_by_length_most_documents_first() -> None:
    docs = search_docs(shipped())
    files = build_index(docs, shipped().abbreviations, {})
    meta = json.loads(files.pop("meta.json"))
    table = abbreviation_table(shipped().abbreviations)
    found = postings(docs, table)
    words = {p.split("/", 1)[1]: json.loads(t) for p, t in files.items() if "/w/" in p}
    assert sorted(words) == sorted(f"w/{n}.json" for n in meta["wl"])
    listed: dict[str, int] = {}
    for path, groups in words.items():
        counts = [count for count, _ in groups]
        assert counts == sorted(counts, reverse=True) and len(set(counts)) == len(counts)
        for count, text in groups:
            group = text.split(" ")
            assert group == sorted(group)
            assert all(path == f"w/{len(w)}.json" for w in group)
            listed.update(dict.fromkeys(group, count))
    assert listed == {
        k: len(set().union(*lists)) for k, lists in found.items() if " " not in k and correctable(k)
    }
    assert "chinh" in listed and "tai chinh" not in listed and "2025" not in listed


@pytest.mark.parametrize("cores", ["1", "2"])
def test_the_index_made_in_its_own_process_is_the_index(
    cores: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build makes the index in a forked process that writes its files to disk (its memory
    goes with that process): the files are the ones index_pages makes, at the same paths."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, cores)
    portal = shipped()
    with parallel.in_background(functools.partial(spooled_index, portal, tmp_path)) as index:
        spooled = index()
    made = {f.path: f.source.read_bytes() for f in spooled}
    assert all(f.size == len(made[f.path]) for f in spooled)
    assert made == {p.path: p.text.encode("utf-8") for p in index_pages(portal)}


def test_what_fails_in_a_child_process_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")

    def broken() -> None:
        raise ValueError("a broken index")

    with (
        pytest.raises(ValueError, match="a broken index"),
        parallel.in_background(broken) as index,
    ):
        index()


def _sleeping_worker(pids: Path, item: int) -> int:
    (pids / str(os.getpid())).touch()
    time.sleep(600)
    return item


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its parent may reap it


def test_a_build_that_fails_while_the_index_is_made_leaves_no_process_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that fails while work goes on in the background (the index, the downloads,
    each with workers of its own) stops all of it: nothing goes on using the machine."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    work = functools.partial(parallel.ordered_map, functools.partial(_sleeping_worker, tmp_path))

    with pytest.raises(RuntimeError), parallel.in_background(lambda: list(work(range(8)))):
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        raise RuntimeError("a page that cannot be written")
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2
    assert multiprocessing.active_children() == []
    deadline = time.monotonic() + 10  # a killed process takes a moment to end
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in workers)


# --- the index after an edit (search/incremental.py) -------------------------------------------

# Small limits: at the shipped data's size most terms then have long lists in p/ files carrying
# the records of their first hits, as at national scale.
SMALL = Limits(inline=60, long_bits=8, large_file=200)


def _edited_task(portal: Portal, change: Callable[[Task], Task]) -> tuple[Portal, str, int]:
    """`portal` with the first task of the first plan in index order changed: that task is
    the first task document, a first hit of many lists. Returns the plan's id and the task's
    document number."""
    plan = ordered_plans(portal)[0]
    group = plan.groups[0]
    edited = replace(group, tasks=(change(group.tasks[0]), *group.tasks[1:]))
    plan = replace(plan, groups=(edited, *plan.groups[1:]))
    portal = replace(portal, plans={**portal.plans, plan.id: plan})
    return portal, plan.id, first_task(search_docs(portal))


def _text(task: Task) -> Task:
    return replace(task, text="Đã sửa: số hóa hồ sơ quyết toán xyzzyq")


def _lead(task: Task) -> Task:
    """The lead becomes the support and the support the lead (filter keys and lead field)."""
    return replace(task, lead=task.support, support=task.lead)


def _written_in_capitals(task: Task) -> Task:
    """Only what a hit shows changes (the name folds the same): the record, not the lists."""
    return replace(task, lead=tuple(replace(r, written=r.written.upper()) for r in task.lead))


TASK_EDITS = {"text": _text, "lead": _lead, "written_in_capitals": _written_in_capitals}


def _store(
    tmp_path: Path, portal: Portal, changed: str = "", key: str = "key", digest: bytes = b"edited"
) -> IndexCache:
    """The cache of a project whose plan files have these digests (`changed`'s, `digest`)."""
    digests = {p: digest if p == changed else b"as shipped" for p in portal.plans}
    return IndexCache(tmp_path / "cache", tmp_path / "docs" / "chi-muc", key, digests)


def _updated(portal: Portal, store: IndexCache) -> Update:
    """The index as a build makes it with `store`, written into place as the writer does."""
    table = abbreviation_table(portal.abbreviations)
    update = index_update(portal, table, facet_files(portal), store, SMALL)
    outputs: list[Page | Kept] = [Page(f"chi-muc/{p}", t) for p, t in update.written.items()]
    outputs += [Kept(f"chi-muc/{p}", size) for p, size in update.kept.items()]
    store.index.parent.mkdir(parents=True, exist_ok=True)
    write_pages(outputs, store.index.parent, ("chi-muc",))
    return update


def _index_in(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".generated"
    }


def _clean(portal: Portal) -> dict[str, str]:
    return build_index(search_docs(portal), portal.abbreviations, facet_files(portal), *SMALL)


def _found(files: dict[str, str]) -> Postings:
    """The posting lists an index's files hold, read back as search-engine.js reads them."""
    meta = json.loads(files["meta.json"])
    found: Postings = {}
    for number in range(meta["shards"]):
        shard = json.loads(files.get(placed(meta, f"s/{number}.json"), "{}"))
        for key, entry in shard.items():
            if entry == "@":
                long_file = placed(meta, f"p/{long_name(key, meta['lb'])}.json")
                entry = json.loads(files[long_file])[key]
            lists = [array("i", decode_ids(text)) for text in entry]
            found[key] = (lists[0], lists[1], lists[2])
    return found


@pytest.mark.parametrize("edit", TASK_EDITS)
def test_an_index_patched_after_an_edit_is_the_index_a_clean_build_makes(
    edit: str, tmp_path: Path
) -> None:
    before = shipped()
    _updated(before, _store(tmp_path, before))
    after, plan, _ = _edited_task(before, TASK_EDITS[edit])
    update = _updated(after, _store(tmp_path, after, changed=plan))
    assert _index_in(tmp_path / "docs" / "chi-muc") == _clean(after)
    # Patched, not made whole: files stand as they were, unread (in a folder no changed file
    # is in: at this size a folder holds one or two files).
    assert update.kept


def test_a_patched_index_finds_the_edited_text_and_no_longer_the_old(tmp_path: Path) -> None:
    before = shipped()
    _updated(before, _store(tmp_path, before))
    after, plan, number = _edited_task(before, _text)
    old_text = search_docs(before)[number].record["x"]
    _updated(after, _store(tmp_path, after, changed=plan))
    found = _found(_index_in(tmp_path / "docs" / "chi-muc"))
    total = len(search_docs(after))
    assert evaluate(found, total, TABLE, "xyzzyq").ids == (number,)
    assert evaluate(found, total, TABLE, "ho so quyet toan xyzzyq").ids == (number,)
    assert number in evaluate(_found(_clean(before)), total, TABLE, old_text).ids
    assert number not in evaluate(found, total, TABLE, old_text).ids


def _damage_state(store: IndexCache) -> None:
    path = store.folder / "state.pickle"
    path.write_bytes(path.read_bytes()[:100])


def _another_plans_documents(store: IndexCache) -> None:
    """The edited plan's documents as noted replaced by another plan's (a file that reads
    well but is not what it says it is)."""
    noted = sorted((store.folder / "plans").glob("*.pickle"))
    edited = next(p for p, digest in store.plans.items() if digest == b"edited")
    edited_path = incremental._entry_path(store, edited, b"as shipped")
    other = next(p for p in noted if p != edited_path)
    shutil.copyfile(other, edited_path)


def _index_file_gone(store: IndexCache) -> None:
    next(p for p in sorted(store.index.rglob("s/*.json"))).unlink()


def _index_file_cut_short(store: IndexCache) -> None:
    path = next(p for p in sorted(store.index.rglob("r/*.json")))
    path.write_bytes(path.read_bytes()[:-1])


def _damage_plans_documents(store: IndexCache) -> None:
    for path in (store.folder / "plans").glob("*.pickle"):
        path.write_bytes(b"not a pickle")


DAMAGES = {
    "state_cut_short": _damage_state,
    "documents_of_another_plan": _another_plans_documents,
    "plans_documents_unreadable": _damage_plans_documents,
    "a_file_of_the_last_index_gone": _index_file_gone,
    "a_file_of_the_last_index_cut_short": _index_file_cut_short,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_cache_or_last_index_is_ignored_and_the_index_made_whole(
    damage: str, tmp_path: Path
) -> None:
    before = shipped()
    _updated(before, _store(tmp_path, before))
    after, plan, _ = _edited_task(before, _text)
    store = _store(tmp_path, after, changed=plan)
    DAMAGES[damage](store)
    update = _updated(after, store)
    assert _index_in(tmp_path / "docs" / "chi-muc") == _clean(after)
    assert not update.kept  # made whole
    # and noted again whole: the next edit is patched
    again, _, _ = _edited_task(before, _lead)
    update = _updated(again, _store(tmp_path, again, changed=plan, digest=b"edited again"))
    assert update.kept and _index_in(tmp_path / "docs" / "chi-muc") == _clean(again)


def test_another_key_or_a_task_added_makes_the_index_whole(tmp_path: Path) -> None:
    before = shipped()
    _updated(before, _store(tmp_path, before))
    update = _updated(before, _store(tmp_path, before, key="other code"))
    assert not update.kept and _index_in(tmp_path / "docs" / "chi-muc") == _clean(before)
    after, plan, _ = _edited_task(before, _text)
    store = _store(tmp_path, after, changed=plan, key="other code")
    update = _updated(after, store)
    assert update.kept and _index_in(tmp_path / "docs" / "chi-muc") == _clean(after)
    # A task added: every later document's number moves.
    grown = ordered_plans(after)[0]
    group = replace(
        grown.groups[0], tasks=(*grown.groups[0].tasks, _text(grown.groups[0].tasks[0]))
    )
    added = replace(
        after, plans={**after.plans, grown.id: replace(grown, groups=(group, *grown.groups[1:]))}
    )
    store = IndexCache(store.folder, store.index, store.key, {**store.plans, grown.id: b"grown"})
    update = _updated(added, store)
    assert not update.kept and _index_in(tmp_path / "docs" / "chi-muc") == _clean(added)


def test_decode_ids_reads_what_encode_ids_writes() -> None:
    rng = random.Random(7)
    for density in (0.001, 0.05, 0.5, 0.99):
        ids = [i for i in range(20_000) if rng.random() < density]
        assert incremental.decode_ids(encode_ids(ids)) == ids == decode_ids(encode_ids(ids))


def test_an_edit_that_needs_more_shards_makes_the_index_whole(tmp_path: Path) -> None:
    """Shards are a power of two for the number of keys: an edit adding enough new words
    changes every shard, and the index is made whole; the edit undone, whole again."""
    before = shipped()
    _updated(before, _store(tmp_path, before))
    keys = len(postings(search_docs(before), TABLE))
    more = shard_count(keys) * KEYS_PER_SHARD - keys + 1  # keys for twice as many shards
    words = " ".join(f"xq{n}" for n in range(more))  # each a word, and a pair with the next

    def new_words(task: Task) -> Task:
        return replace(task, text=f"{task.text} {words}")

    after, plan, _ = _edited_task(before, new_words)
    update = _updated(after, _store(tmp_path, after, changed=plan))
    meta = json.loads(update.written["meta.json"])
    assert meta["shards"] == 2 * shard_count(keys) and not update.kept
    assert _index_in(tmp_path / "docs" / "chi-muc") == _clean(after)
    update = _updated(before, _store(tmp_path, before, changed=plan, digest=b"as shipped"))
    assert _index_in(tmp_path / "docs" / "chi-muc") == _clean(before)
