"""Stage 2, model: check raw files against the schema and against each other, and build the
typed `Portal`. Every problem is collected with its file, line and field; nothing is returned
unless the whole data set is sound."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import hashlib
import pickle
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import pydantic
import pydantic_core

from generator import ids, schema
from generator.domain import (
    Abbreviation,
    Agency,
    AgencyRef,
    Document,
    Figure,
    Group,
    Jurisdiction,
    Level,
    Member,
    Original,
    Plan,
    Portal,
    Report,
    Section,
    Signer,
    Source,
    Task,
    Theme,
    TimelineKind,
)
from generator.errors import DataError, DataErrors, field_path
from generator.load import (
    DataText,
    Entries,
    OriginalFile,
    Path_,
    RawData,
    RawFile,
    loader_key,
    unpickled,
)
from generator.text import folded_words
from generator.timeline import parse_timeline
from generator.validate import M, echoes_stand_in, validate_file


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """“; có phải “x”?” with the known value closest to `value`, or "" when none is close."""
    candidates = [k for k in known if k != schema.STAND_IN and schema.STAND_IN not in k]
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return f"; có phải “{close[0]}”?" if close else ""


def name_key(name: str) -> str:
    """The key registry names are matched by: NFC, case-insensitive, spaces collapsed.
    Diacritics stay: “Sở Tài chính” and “Sở Tài chánh” are different names (search folds them,
    with text.strip_marks; matching an agency must not)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


# Plans repeat the same few wordings ("Thường xuyên", "Hằng năm"), each read once; a Timeline
# is frozen, so tasks may share one.
_timeline = functools.lru_cache(maxsize=1 << 14)(parse_timeline)
# Tasks name the same few agencies over and over: one AgencyRef a wording and agency, shared,
# holds the portal smaller in memory and a plan's cached entry smaller on disk (pickle writes
# a shared value once).
_agency_ref = functools.lru_cache(maxsize=None)(AgencyRef)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Checker:
    """Collects errors while the portal is put together: those of each file against its
    schema (`shape_errors`), then those of the checks that follow."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []
        self.warnings: list[DataError] = []
        self.shape_errors: list[DataError] = []
        # The fields of each file (by path) that hold a stand-in for a value that did not fit.
        self.stand_ins: dict[str, list[str]] = {}

    def parsed(self, file: RawFile | None, model: type[M]) -> M | None:
        """`file` as `model`, with stand-ins for what does not fit (see validate_file)."""
        if file is None:
            return None
        result, errors, replaced = validate_file(file, model)
        # What load refused (an alias, a tag) it has reported; the schema would repeat it.
        self.stand_ins[file.path] = [*file.refused, *replaced]
        refused = {file.path: list(file.refused)}
        self.shape_errors.extend(e for e in errors if not echoes_stand_in(e, refused))
        return result

    def failure(self, unused: tuple[str, ...] = ()) -> DataErrors:
        """Every problem found, but those a stand-in made; `unused` are the files whose
        problems left the checks across files undone."""
        later = [e for e in self.errors if not echoes_stand_in(e, self.stand_ins)]
        skipped = [
            DataError(
                "data",
                0,
                "",
                f"chưa kiểm tra tham chiếu giữa các tệp vì không dùng được {', '.join(unused)}",
            )
        ]
        return DataErrors(self.shape_errors + later + (skipped if unused else []))

    def counts(self) -> tuple[int, int, int]:
        """How many errors and warnings there are so far: what a step added is told by these
        before and after it."""
        return len(self.shape_errors), len(self.errors), len(self.warnings)

    def error(self, raw: RawFile, loc: Path_, message: str) -> None:
        self.errors.append(DataError(raw.path, raw.line_of(loc), field_path(loc), message))

    def unique(self, raw: RawFile, items: Iterable[tuple[Path_, str]], what: str) -> None:
        seen: dict[str, int] = {}
        for loc, value in items:
            if value in seen:
                self.error(raw, loc, f"{what} “{value}” trùng với dòng {seen[value]}")
            else:
                seen[value] = raw.line_of(loc)


def _names_table() -> defaultdict[str, set[str]]:
    return defaultdict(set)


class AgencyRegistry:
    """Looks up agency names within a jurisdiction and the jurisdictions above it. It pickles
    with the answers it has given (ModelCache keeps it so)."""

    def __init__(self, jurisdictions: dict[str, Jurisdiction], agencies: dict[str, Agency]):
        self.jurisdictions, self.agencies = jurisdictions, agencies
        self.by_name: dict[str, dict[str, set[str]]] = defaultdict(_names_table)
        self.display: dict[str, dict[str, str]] = defaultdict(dict)
        for agency in agencies.values():
            for name in agency.names:
                key = name_key(name)
                self.by_name[agency.jurisdiction][key].add(agency.id)
                self.display[agency.jurisdiction][key] = name
        # Plans name the same few agencies task after task: each name is resolved once a place.
        self._resolved: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    def scopes(self, jurisdiction: str) -> Iterator[str]:
        current: str | None = jurisdiction
        seen = set()
        while current and current not in seen and current in self.jurisdictions:
            seen.add(current)
            yield current
            current = self.jurisdictions[current].parent
        if Level.NATIONAL not in seen:
            yield Level.NATIONAL

    @property
    def answered(self) -> int:
        """How many names (within a jurisdiction) it has resolved."""
        return len(self._resolved)

    def resolve(self, name: str, jurisdiction: str) -> tuple[str | None, str | None]:
        """(agency id, None) or (None, the reason it could not be resolved, in plain words)."""
        resolved = self._resolved.get((name, jurisdiction))
        if resolved is None:
            resolved = self._resolved[name, jurisdiction] = self._resolve(name, jurisdiction)
        return resolved

    def _resolve(self, name: str, jurisdiction: str) -> tuple[str | None, str | None]:
        key = name_key(name)
        for scope in self.scopes(jurisdiction):
            found = self.by_name[scope].get(key)
            if found and len(found) == 1:
                return next(iter(found)), None
            if found:
                return None, (
                    f"tên cơ quan “{name}” mơ hồ: khớp nhiều mục trong danh bạ ({', '.join(sorted(found))})"
                )
        candidates = {
            folded: self.display[scope][folded]
            for scope in self.scopes(jurisdiction)
            for folded in self.by_name[scope]
        }
        close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.5)
        hint = "; tên gần nhất trong danh bạ: " + ", ".join(f"“{candidates[c]}”" for c in close)
        return None, f"không có cơ quan “{name}” trong danh bạ ({jurisdiction})" + (
            hint if close else ""
        )


Question = tuple[str, ...]
_T = TypeVar("_T")


class Lookups:
    """What a plan is checked against besides its own file: the registry, the themes and the
    copies of official documents under docs/. A noting copy (`noting()`) writes down each
    question asked of it and the answer: a plan made on an earlier build is taken again only
    when each of its questions still gets the same answer (`answer_again`), so that an agency
    renamed, a theme dropped or a copy replaced makes again the plans that asked about it."""

    def __init__(
        self,
        registry: AgencyRegistry,
        themes: dict[str, Theme],
        originals: Callable[[str], OriginalFile | None],
    ) -> None:
        self.registry, self.themes, self.originals = registry, themes, originals
        self.agencies = registry.agencies
        self.asked: dict[Question, object] | None = None

    def noting(self) -> Lookups:
        """These lookups, noting each question and its answer in `asked`."""
        noted = copy.copy(self)
        noted.asked = {}
        return noted

    def _noted(self, question: Question, answer: _T) -> _T:
        if self.asked is not None:
            self.asked[question] = answer
        return answer

    def has_jurisdiction(self, jurisdiction: str) -> bool:
        known = jurisdiction in self.registry.jurisdictions
        return self._noted(("has_jurisdiction", jurisdiction), known)

    def has_agency(self, agency_id: str) -> bool:
        return self._noted(("has_agency", agency_id), agency_id in self.agencies)

    def resolve(self, name: str, jurisdiction: str) -> tuple[str | None, str | None]:
        """AgencyRegistry.resolve."""
        answer = self.registry.resolve(name, jurisdiction)
        return self._noted(("resolve", name, jurisdiction), answer)

    def has_theme(self, theme: str) -> bool:
        return self._noted(("has_theme", theme), theme in self.themes)

    def original(self, name: str) -> OriginalFile | None:
        return self._noted(("original", name), self.originals(name))

    def agency_ids(self) -> tuple[str, ...]:
        """Every agency id (for a hint in an error message)."""
        return self._noted(("agency_ids",), tuple(self.agencies))

    def theme_ids(self) -> tuple[str, ...]:
        """Every theme id (for a hint in an error message)."""
        return self._noted(("theme_ids",), tuple(self.themes))

    def answer_again(self, asked: Iterable[tuple[Question, object]]) -> bool:
        """Whether each of these questions, asked now, gets the answer it was given."""
        try:
            for (name, *args), answer in asked:
                ask = _QUESTIONS.get(name)
                if ask is None or ask(self, *args) != answer:
                    return False
        except (TypeError, ValueError):  # a damaged entry's question
            return False
        return True


_QUESTIONS: dict[str, Callable[..., object]] = {
    name: getattr(Lookups, name)
    for name in (
        "has_jurisdiction",
        "has_agency",
        "resolve",
        "has_theme",
        "original",
        "agency_ids",
        "theme_ids",
    )
}


RegistryFile = tuple[RawFile, schema.AgenciesFile]


def _jurisdictions(files: list[RegistryFile], check: _Checker) -> dict[str, Jurisdiction]:
    """The jurisdiction of each registry file; a file is named by its jurisdiction's id."""
    result: dict[str, Jurisdiction] = {}
    for raw, parsed in files:
        j = parsed.jurisdiction
        stem = PurePosixPath(raw.path).stem
        if stem != j.id and schema.STAND_IN not in j.id:
            check.error(
                raw, ("jurisdiction", "id"), f"id địa bàn “{j.id}” phải trùng tên tệp “{stem}.yaml”"
            )
        result[j.id] = Jurisdiction(j.id, j.name, Level(j.level), j.parent)
    for raw, parsed in files:
        parent = parsed.jurisdiction.parent
        if parent is not None and parent not in result:
            check.error(
                raw,
                ("jurisdiction", "parent"),
                f"không có địa bàn “{parent}” (thiếu tệp agencies/{parent}.yaml)",
            )
    for raw, parsed in files:
        chain = _parent_loop(parsed.jurisdiction.id, result)
        if chain:
            check.error(
                raw,
                ("jurisdiction", "parent"),
                "địa bàn nằm trong chính nó qua các cấp trên: " + " → ".join(chain),
            )
    return result


def _parent_loop(start: str, jurisdictions: dict[str, Jurisdiction]) -> list[str]:
    """The chain of parents from `start` back to `start` when it loops ([] when it ends): a
    place inside itself has no province, and every page that walks up to one would not end."""
    chain = [start]
    current = jurisdictions[start].parent
    while current is not None and current in jurisdictions and current not in chain:
        chain.append(current)
        current = jurisdictions[current].parent
    return [*chain, start] if current == start else []


def _id_entries(entries: Iterable[tuple[Path_, str, Iterable[str]]]) -> list[tuple[Path_, str]]:
    """(location, id) of every current id, then of every former id: an id may name one thing
    only, now or before, so a repeat anywhere among them is a mistake."""
    items = list(entries)
    current = [(loc + ("id",), ident) for loc, ident, _ in items]
    former = [
        (loc + ("former_ids", k), old) for loc, _, olds in items for k, old in enumerate(olds)
    ]
    return current + former


def _unique_agency_ids(files: list[RegistryFile], check: _Checker) -> None:
    """An agency id, current or former, names one agency in the whole registry: a repeat is
    reported where it is written, with where the id was first seen."""
    entries = [
        (raw, entry)
        for raw, parsed in files
        for entry in _id_entries(
            (("agencies", i), a.id, a.former_ids) for i, a in enumerate(parsed.agencies)
        )
    ]
    # Current ids of every file first, then former ids: a former id repeats a current one.
    entries.sort(key=lambda e: "former_ids" in e[1][0])
    seen: dict[str, tuple[RawFile, int]] = {}
    for raw, (loc, ident) in entries:
        if ident not in seen:
            seen[ident] = (raw, raw.line_of(loc))
            continue
        first, line = seen[ident]
        where = f"dòng {line}" if first is raw else f"dòng {line} của {first.path}"
        check.error(raw, loc, f"id cơ quan “{ident}” trùng với {where}")


def _agencies(files: list[RegistryFile], check: _Checker) -> dict[str, Agency]:
    _unique_agency_ids(files, check)
    result: dict[str, Agency] = {}
    for raw, parsed in files:
        jurisdiction = parsed.jurisdiction.id
        for i, a in enumerate(parsed.agencies):
            prefix = a.id.split("/", 1)[0]
            if prefix != jurisdiction and schema.STAND_IN not in a.id:
                check.error(
                    raw,
                    ("agencies", i, "id"),
                    f"cơ quan “{a.id}” không thuộc địa bàn “{jurisdiction}” của tệp này: id phải "
                    f"bắt đầu bằng “{jurisdiction}/” (cơ quan của địa bàn khác ghi ở tệp "
                    f"agencies/{prefix}.yaml)",
                )
            names = tuple(dict.fromkeys([a.name, *a.names]))
            seen_names = [(("agencies", i, "names", k), name_key(n)) for k, n in enumerate(a.names)]
            check.unique(raw, seen_names, "tên")
            # A repeated id is reported above; the first entry under it stays the agency.
            result.setdefault(
                a.id,
                Agency(a.id, a.name, a.kind == "collective", names, prefix, tuple(a.former_ids)),
            )
        _names_shared_between_agencies(raw, parsed, check)
    for raw, parsed in files:
        result = _with_members(raw, parsed, result, check)
    return result


def _with_members(
    raw: RawFile, parsed: schema.AgenciesFile, agencies: dict[str, Agency], check: _Checker
) -> dict[str, Agency]:
    """Each collective's `members`, every id a registered agency other than itself."""
    result = dict(agencies)
    for i, a in enumerate(parsed.agencies):
        if not a.members:
            continue
        if a.kind != "collective":
            check.error(
                raw, ("agencies", i, "members"), "chỉ nhóm cơ quan (kind: collective) có members"
            )
        check.unique(
            raw,
            [(("agencies", i, "members", k, "id"), m.id) for k, m in enumerate(a.members)],
            "thành viên",
        )
        members = []
        for k, m in enumerate(a.members):
            if m.id not in agencies or m.id == a.id:
                check.error(
                    raw,
                    ("agencies", i, "members", k, "id"),
                    f"không có cơ quan “{m.id}” trong danh bạ (data/agencies/){did_you_mean(m.id, agencies)}"
                    if m.id not in agencies
                    else "một nhóm không là thành viên của chính nó",
                )
            else:
                members.append(Member(m.id, m.source))
        result[a.id] = replace(result[a.id], members=tuple(members))
    return result


def _names_shared_between_agencies(
    raw: RawFile, parsed: schema.AgenciesFile, check: _Checker
) -> None:
    """Within a jurisdiction a name stands for one agency: a second agency registered under it
    would make every plan that writes the name ambiguous."""
    owner: dict[tuple[str, str], tuple[str, int]] = {}
    for i, a in enumerate(parsed.agencies):
        if schema.STAND_IN in a.id:
            continue
        written: list[tuple[Path_, str]] = [(("agencies", i, "name"), a.name)]
        written += [(("agencies", i, "names", k), n) for k, n in enumerate(a.names)]
        for loc, name in written:
            key = (a.id.split("/", 1)[0], name_key(name))
            first, line = owner.setdefault(key, (a.id, raw.line_of(loc)))
            if first != a.id:
                check.error(
                    raw,
                    loc,
                    f"tên “{name}” đã dùng cho cơ quan {first} (dòng {line}) cùng địa bàn; "
                    "một tên chỉ được chỉ một cơ quan",
                )


def _documents(raw: RawFile, parsed: schema.DocumentsFile, check: _Checker) -> dict[str, Document]:
    ids = [(("documents", i, "id"), d.id) for i, d in enumerate(parsed.documents)]
    check.unique(raw, ids, "id văn bản")
    return {
        d.id: Document(
            d.id,
            d.kind,
            d.number,
            _date(d.date),
            d.issuer,
            d.jurisdiction,
            d.title,
            tuple(d.implements),
            tuple(d.former_ids),
        )
        for d in parsed.documents
    }


def _abbreviations(
    raw: RawFile, parsed: schema.AbbreviationsFile, check: _Checker
) -> tuple[Abbreviation, ...]:
    """Each short form is one word as search folds words, and no two fold alike: search puts
    the long form's words in place of that word."""
    seen: dict[str, int] = {}
    for i, item in enumerate(parsed.abbreviations):
        short = " ".join(folded_words(item.short))
        loc: Path_ = ("abbreviations", i, "short")
        if not short or " " in short:
            check.error(raw, loc, f"viết tắt phải là một từ (gặp “{item.short}”)")
        elif short in seen:
            check.error(raw, loc, f"“{item.short}” đã có ở mục {seen[short]}")
        seen.setdefault(short, i)
    return tuple(Abbreviation(a.short, a.long) for a in parsed.abbreviations)


def _section(section: schema.SectionIn) -> Section:
    return Section(section.heading, section.text, tuple(_section(s) for s in section.subsections))


def _values(item: schema.TaskIn | schema.GroupIn | schema.PlanFile) -> dict[str, Any]:
    """The fields of `item` as plain values, which its notes on gaps are checked against;
    none when it has no such note (dumping every task is a tenth of a plan's checking)."""
    return item.model_dump() if item.gaps else {}


def _gaps(
    raw: RawFile,
    loc: Path_,
    gaps: Iterable[tuple[str, str]],
    values: dict[str, Any],
    check: _Checker,
) -> tuple[tuple[str, str], ...]:
    """The notes on what the source lacks; each must name a field left empty (null or [])."""
    gaps = tuple(gaps)
    for key, _ in gaps:
        if values.get(key) not in (None, []):
            check.error(
                raw,
                loc + ("gaps", key),
                f"ghi chú thiếu cho “{key}” nhưng trường này có giá trị; "
                f"để {key}: null nếu văn bản không có, hoặc bỏ ghi chú",
            )
    return gaps


def _source(
    raw: RawFile,
    source: schema.SourceIn,
    lookups: Lookups,
    check: _Checker,
) -> Source:
    """The plan's official document; a copy must exist under docs/ with the SHA-256 recorded."""
    original = None
    if source.file is not None:
        found = lookups.original(source.file)
        if found is None:
            check.error(
                raw,
                ("source", "file"),
                f"không có tệp docs/{source.file}; hãy chép bản gốc vào đó (hoặc để file: null)",
            )
        elif source.sha256 != found.sha256:
            said = "chưa ghi sha256" if source.sha256 is None else "sha256 không khớp tệp"
            check.error(
                raw,
                ("source", "sha256") if source.sha256 else ("source", "file"),
                f"{said}: sha256 của docs/{source.file} là {found.sha256}; nếu tệp đúng là "
                "bản gốc, hãy ghi giá trị này",
            )
        else:
            original = Original(source.file, found.sha256, found.size)
    elif source.sha256 is not None:
        check.error(raw, ("source", "sha256"), "có sha256 nhưng không có file bản gốc")
    return Source(source.url, original, source.note)


def _refs(
    raw: RawFile,
    loc: Path_,
    names: list[str],
    jurisdiction: str,
    lookups: Lookups,
    check: _Checker,
) -> tuple[AgencyRef, ...]:
    if not lookups.has_jurisdiction(jurisdiction):
        return ()  # the unknown jurisdiction is reported once; each name here would repeat it
    refs = []
    for k, name in enumerate(names):
        agency_id, problem = lookups.resolve(name, jurisdiction)
        if agency_id is None:
            check.error(raw, loc + (k,), problem or "")
        else:
            refs.append(_agency_ref(name, agency_id))
    return tuple(refs)


def _plan(
    raw: RawFile,
    p: schema.PlanFile,
    lookups: Lookups,
    check: _Checker,
) -> Plan:
    """The plan of one file. What it depends on besides the file, it asks `lookups` only:
    a plan made on an earlier build is taken again when each answer is still the same."""
    stem = PurePosixPath(raw.path).stem
    if stem != p.id:
        check.error(raw, ("id",), f"id kế hoạch “{p.id}” phải trùng tên tệp “{stem}.yaml”")
    if not lookups.has_jurisdiction(p.jurisdiction):
        check.error(
            raw,
            ("jurisdiction",),
            f"không có địa bàn “{p.jurisdiction}” trong danh bạ (thiếu tệp agencies/{p.jurisdiction}.yaml)",
        )
    if not lookups.has_agency(p.issuer):
        check.error(
            raw,
            ("issuer",),
            f"không có cơ quan “{p.issuer}” trong danh bạ (data/agencies/){did_you_mean(p.issuer, lookups.agency_ids())}",
        )
    check.unique(
        raw,
        _id_entries(
            (("groups", g), group.id, group.former_ids) for g, group in enumerate(p.groups)
        ),
        "id nhóm",
    )
    check.unique(
        raw,
        _id_entries(
            (("groups", g, "tasks", t), task.id, task.former_ids)
            for g, group in enumerate(p.groups)
            for t, task in enumerate(group.tasks)
        ),
        "id nhiệm vụ",
    )
    groups = []
    for g, group in enumerate(p.groups):
        if group.theme is None:
            check.error(
                raw,
                ("groups", g, "theme"),
                "chưa chọn chủ đề cho nhóm; ghi một id trong themes.yaml: "
                + ", ".join(lookups.theme_ids()),
            )
        elif not lookups.has_theme(group.theme):
            check.error(
                raw,
                ("groups", g, "theme"),
                f"không có chủ đề “{group.theme}” trong themes.yaml"
                + did_you_mean(group.theme, lookups.theme_ids()),
            )
        tasks = []
        # Reported at `number`: where a missing number is a stand-in, this is no second mistake.
        if group.number is None and not ids.is_unnumbered_group(group.id):
            check.error(
                raw,
                ("groups", g, "number"),
                f"nhóm không số (number: null) phải có id dạng “{ids.unnumbered_group_id(1)}”, "
                f"“{ids.unnumbered_group_id(2)}”… (theo thứ tự các nhóm không số); "
                f"gặp “{group.id}”",
            )
        for t, task in enumerate(group.tasks):
            loc: Path_ = ("groups", g, "tasks", t)
            if task.id != group.id and not task.id.startswith(group.id + "."):
                check.error(
                    raw,
                    loc + ("id",),
                    f"id nhiệm vụ “{task.id}” phải bắt đầu bằng id nhóm “{group.id}.”",
                )
            elif (
                task.number is None
                and task.id != group.id
                and not ids.follows_rule(group.id, task.id)
            ):
                check.error(
                    raw,
                    loc + ("number",),
                    f"dòng không số (number: null) phải có id “{ids.unnumbered_task_id(group.id, 1)}”, "
                    f"“{ids.unnumbered_task_id(group.id, 2)}”… (gạch đầu dòng: "
                    f"“{ids.unnumbered_task_id(group.id, 1, bullet=True)}”…); gặp “{task.id}”",
                )
            timeline = _timeline(task.timeline) if task.timeline else None
            if timeline and timeline.kind is TimelineKind.UNPARSED:
                check.warnings.append(
                    DataError(
                        raw.path,
                        raw.line_of(loc + ("timeline",)),
                        field_path(loc + ("timeline",)),
                        f"nhiệm vụ {task.id}: chưa đọc được thời hạn “{task.timeline}”; giữ nguyên văn",
                    )
                )
            tasks.append(
                Task(
                    task.id,
                    task.number,
                    task.text,
                    _refs(raw, loc + ("lead",), task.lead, p.jurisdiction, lookups, check),
                    _refs(raw, loc + ("support",), task.support, p.jurisdiction, lookups, check),
                    task.output,
                    timeline,
                    task.notes,
                    tuple(task.former_ids),
                    _gaps(raw, loc, task.gaps.items(), _values(task), check),
                )
            )
        groups.append(
            Group(
                group.id,
                group.number,
                group.title,
                group.theme or "",
                tuple(tasks),
                tuple(group.former_ids),
                _gaps(raw, ("groups", g), group.gaps.items(), _values(group), check),
            )
        )
    known_tasks = {task.id for group in groups for task in group.tasks}
    for f, figure in enumerate(p.figures):
        if figure.task is not None and figure.task not in known_tasks:
            check.error(
                raw, ("figures", f, "task"), f"không có nhiệm vụ “{figure.task}” trong kế hoạch"
            )
    reports = _reports(raw, p, lookups, check)
    signer = (
        Signer(p.signer.name, p.signer.position, tuple(p.signer.authority)) if p.signer else None
    )
    return Plan(
        id=p.id,
        former_ids=tuple(p.former_ids),
        kind=p.kind,
        number=p.number,
        date=_date(p.date),
        place=p.place,
        jurisdiction=p.jurisdiction,
        issuer=p.issuer,
        title=p.title,
        signer=signer,
        implements=tuple(p.implements),
        replaces=tuple(p.replaces),
        source=_source(raw, p.source, lookups, check),
        recipients=tuple(p.recipients),
        sections=tuple(_section(s) for s in p.sections),
        figures=tuple(Figure(f.metric, f.value, f.quote, f.task, f.where) for f in p.figures),
        tasks_title=p.tasks_title,
        appendix=p.appendix,
        groups=tuple(groups),
        reports=reports,
        gaps=_gaps(raw, (), p.gaps.items(), _values(p), check),
    )


def _section_texts(sections: Iterable[schema.SectionIn]) -> Iterator[str]:
    for section in sections:
        if section.text:
            yield section.text
        yield from _section_texts(section.subsections)


def _reports(
    raw: RawFile, p: schema.PlanFile, lookups: Lookups, check: _Checker
) -> tuple[Report, ...]:
    check.unique(
        raw, ((("reports", r, "id"), rep.id) for r, rep in enumerate(p.reports)), "id báo cáo"
    )
    result = []
    for r, rep in enumerate(p.reports):
        loc: Path_ = ("reports", r)
        if p.sections and not any(rep.quote in text for text in _section_texts(p.sections)):
            check.error(
                raw,
                loc + ("quote",),
                "không tìm thấy nguyên văn câu này trong các phần (sections) của kế hoạch; "
                "trích đúng từng chữ như văn bản",
            )
        due = None
        if rep.annual_due:
            day, month = rep.annual_due.split("/")
            due = (int(day), int(month))
        result.append(
            Report(
                rep.id,
                rep.quote,
                rep.where,
                due,
                _refs(raw, loc + ("by",), rep.by, p.jurisdiction, lookups, check),
                _refs(raw, loc + ("to",), rep.to, p.jurisdiction, lookups, check),
                rep.notes,
            )
        )
    return tuple(result)


def _check_graph(
    plans: dict[str, tuple[RawFile, Plan]],
    documents: dict[str, Document],
    raw_docs: RawFile,
    jurisdictions: dict[str, Jurisdiction],
    check: _Checker,
    unreadable: Iterable[str] = (),
) -> None:
    """References between plans and documents exist, ids do not collide, nothing replaces itself.

    `unreadable` are ids of plan files that could not be read: naming one is not a mistake."""
    known = set(documents) | set(plans) | set(unreadable)
    for i, doc in enumerate(documents.values()):
        if doc.id in plans:
            check.error(raw_docs, ("documents", i, "id"), f"id “{doc.id}” trùng id một kế hoạch")
        if doc.jurisdiction not in jurisdictions:
            check.error(
                raw_docs, ("documents", i, "jurisdiction"), f"không có địa bàn “{doc.jurisdiction}”"
            )
        for k, target in enumerate(doc.implements):
            if target not in known:
                check.error(
                    raw_docs,
                    ("documents", i, "implements", k),
                    f"không có văn bản “{target}”{did_you_mean(target, known)}",
                )
    live_ids = set(plans) | set(documents)
    for raw, plan in plans.values():
        for k, former in enumerate(plan.former_ids):
            if former in live_ids:
                check.error(
                    raw,
                    ("former_ids", k),
                    f"id cũ “{former}” đang là id của một kế hoạch hay văn bản khác",
                )
    for i, doc in enumerate(documents.values()):
        for k, former in enumerate(doc.former_ids):
            if former in live_ids:
                check.error(
                    raw_docs,
                    ("documents", i, "former_ids", k),
                    f"id cũ “{former}” đang là id của một kế hoạch hay văn bản khác",
                )
    for raw, plan in plans.values():
        for key in ("implements", "replaces"):
            for k, target in enumerate(getattr(plan, key)):
                if target == plan.id:
                    check.error(raw, (key, k), "kế hoạch không thể tự tham chiếu chính nó")
                elif target not in known:
                    check.error(
                        raw,
                        (key, k),
                        f"không có văn bản hay kế hoạch “{target}”{did_you_mean(target, known)}",
                    )
    for raw, plan in plans.values():
        seen, current = [plan.id], plan
        while True:
            # Replacing itself is reported above; it is not also a cycle.
            nexts = [t for t in current.replaces if t in plans and t != current.id]
            if not nexts:
                break
            if nexts[0] in seen:
                if (
                    nexts[0] == plan.id
                ):  # each plan on the cycle reports it; one leading in does not
                    cycle = " → ".join([*seen, nexts[0]])
                    check.error(raw, ("replaces",), f"vòng thay thế: {cycle}")
                break
            seen.append(nexts[0])
            current = plans[nexts[0]][1]


# What the checks across plans report a plan's mistakes at, once the rest of its file is
# dropped: its id (taken twice) and the fields that name other plans and documents.
_KEPT_FIELDS = frozenset({"id", "former_ids", "implements", "replaces"})


@dataclass(frozen=True)
class _Others:
    """What the model made of every data file but the plans."""

    # The jurisdictions and agencies, with the names it has resolved so far (stored again
    # when an edit asks a new one: a rebuild resolves no name twice).
    registry: AgencyRegistry
    documents: dict[str, Document]
    themes: dict[str, Theme]
    abbreviations: tuple[Abbreviation, ...]
    # documents.yaml without its values (the checks across plans report at its lines).
    documents_file: RawFile | None


@dataclass(frozen=True)
class MadePlan:
    """What the model made of one plan file without a problem, kept for the next build."""

    path: str
    plan: Plan
    warnings: tuple[DataError, ...]
    # The lines of the fields the checks across plans report at (see _KEPT_FIELDS).
    lines: dict[Path_, int]
    # The other data files it was made against (RawData.others_key): while they are the same,
    # its questions to them (Lookups) get the same answers.
    others_key: str | None
    # Its questions about copies of official documents (under docs/, which that key does not
    # cover), and the answers: asked again on every build.
    documents: tuple[tuple[Question, object], ...]
    # Every question it asked and the answer, pickled apart: read only when the other files
    # have changed since.
    asked: bytes

    def stands(self, lookups: Lookups, others_key: str | None) -> bool:
        """Whether making the plan again would give the same: each question gets the
        answer it got."""
        if not lookups.answer_again(self.documents):
            return False
        if others_key is not None and others_key == self.others_key:
            return True
        asked = unpickled(self.asked)
        return isinstance(asked, tuple) and lookups.answer_again(asked)


# The layout of what ModelCache stores; a change to MadePlan or _Others must change it.
_MODEL_LAYOUT = 1


def model_key() -> str:
    """What the model's making of a file depends on besides the file itself and what it asks
    of others (see Lookups): the whole generator's code (the model, the schema, the loader,
    the domain values, the timeline reader, and what they import), the loader's own key
    (Python, the YAML library), pydantic and the layout."""
    digest = hashlib.sha256(
        f"{_MODEL_LAYOUT}\n{loader_key()}\n{pydantic.VERSION}\n"
        f"{pydantic_core.__version__}\n".encode()
    )
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelCache:
    """What the model made on an earlier build, under a folder named by `model_key()`: each
    plan file's plan, warnings and lines by its name and the SHA-256 of its bytes (a rebuild
    after an edit checks and makes again only the edited plan, and those whose questions to
    the registry, themes or copies get another answer), and the other files' registry,
    documents and themes by their names and digests together (`RawData.others_key`).

    Only what was made without a problem is stored, so that each problem is found again,
    at its file, line and field, on every build; warnings are stored and said again. An
    entry another key wrote, or that is damaged, or that holds another file's, is not used
    (and is made and written again); entries of files there no longer are are removed."""

    folder: Path
    key: str = field(default_factory=model_key)

    @property
    def _store(self) -> Entries:
        return Entries(self.folder, self.key)

    def plan(self, text: DataText) -> MadePlan | None:
        made = self._store.get(plan_entry(text))
        if not (
            isinstance(made, MadePlan)
            and made.path == text.path
            and isinstance(made.plan, Plan)
            and isinstance(made.warnings, tuple)
            and isinstance(made.lines, dict)
            and isinstance(made.documents, tuple)
            and isinstance(made.asked, bytes)
        ):
            return None
        return made

    def put_plan(self, text: DataText, made: MadePlan) -> None:
        self._store.put(plan_entry(text), made)

    def others(self, key: str) -> _Others | None:
        others = self._store.get(_others_entry(key))
        return others if isinstance(others, _Others) else None

    def put_others(self, key: str, others: _Others) -> None:
        self._store.put(_others_entry(key), others)

    def keep_only(self, plan_entries: Iterable[str], others_key: str | None) -> None:
        """Remove every entry but these plan files' (`plan_entry`) and these other files'."""
        others = [_others_entry(others_key)] if others_key else []
        self._store.keep_only([*plan_entries, *others])


def plan_entry(text: DataText) -> str:
    """The name of a plan file's entry: its bytes, and its name (two files may hold the same
    bytes, and a plan's checks depend on its file's name)."""
    return hashlib.sha256(text.digest + text.path.encode()).hexdigest()


def _others_entry(key: str) -> str:
    return f"others-{key}"


def _others(raw: RawData, check: _Checker) -> tuple[_Others, list[str]]:
    """The registry, documents, themes and abbreviations, checked; and the files among them
    that are unusable (missing, unreadable or beyond stand-ins), with which the checks
    across files cannot be made."""
    registry_files = [(f, check.parsed(f, schema.AgenciesFile)) for f in raw.all(schema.AGENCIES)]
    documents_raw = raw.one(schema.DOCUMENTS)
    documents_file = check.parsed(documents_raw, schema.DocumentsFile)
    themes_file = check.parsed(raw.one(schema.THEMES), schema.ThemesFile)
    abbreviations_raw = raw.one(schema.ABBREVIATIONS)
    abbreviations_file = check.parsed(abbreviations_raw, schema.AbbreviationsFile)
    # Checked on its own: no other file refers to it.
    abbreviations = (
        _abbreviations(abbreviations_raw, abbreviations_file, check)
        if abbreviations_raw and abbreviations_file
        else ()
    )
    folder = schema.AGENCIES.pattern.split("/")[0]
    unusable_registry = [
        *(f"data/{folder}/{stem}.yaml" for stem in raw.unreadable.get(schema.AGENCIES.name, ())),
        *(file.path for file, model in registry_files if model is None),
    ]
    if not registry_files and not unusable_registry:
        unusable_registry.append(f"data/{folder}/")
    unusable_files = [
        *unusable_registry,
        *(
            name
            for name, model in (
                (schema.DOCUMENTS.pattern, documents_file),
                (schema.THEMES.pattern, themes_file),
            )
            if model is None
        ),
    ]
    if unusable_files:
        return _Others(AgencyRegistry({}, {}), {}, {}, abbreviations, None), unusable_files
    assert documents_raw is not None and documents_file is not None and themes_file is not None
    usable = [(file, model) for file, model in registry_files if model is not None]
    jurisdictions = _jurisdictions(usable, check)
    if Level.NATIONAL not in jurisdictions:
        check.errors.append(
            DataError(
                f"data/{folder}/{Level.NATIONAL}.yaml",
                0,
                "",
                f"thiếu địa bàn “{Level.NATIONAL}” (cơ quan trung ương): tệp "
                f"{folder}/{Level.NATIONAL}.yaml",
            )
        )
    return _Others(
        AgencyRegistry(jurisdictions, _agencies(usable, check)),
        _documents(documents_raw, documents_file, check),
        {t.id: Theme(t.id, t.name, t.description) for t in themes_file.themes},
        abbreviations,
        RawFile(documents_raw.path, None, documents_raw.lines, documents_raw.refused),
    ), []


def _made_plan(
    raw: RawData, text: DataText, lookups: Lookups, check: _Checker, cache: ModelCache | None
) -> tuple[RawFile, Plan] | str | None:
    """The plan of one file, checked and made (and stored in `cache` when it has no
    problem), with its file's lines that the checks across plans need; or its stem when it
    does not fit its schema beyond stand-ins; or None when it cannot be read."""
    before, read_before = check.counts(), len(raw.errors)
    file = raw.read(text)
    model = check.parsed(file, schema.PlanFile)
    if file is None or model is None:
        return None if file is None else text.stem
    if "id" in check.stand_ins[file.path] and re.fullmatch(schema.ID_PATTERN, text.stem):
        model = model.model_copy(update={"id": text.stem})  # others may name it by its file
    noted = lookups.noting()
    plan = _plan(file, model, noted, check)
    kept = file.only(_KEPT_FIELDS)
    shape, errors, warnings = before
    sound = check.counts()[:2] == (shape, errors) and len(raw.errors) == read_before
    if cache and sound and not check.stand_ins[file.path] and noted.asked is not None:
        asked = tuple(noted.asked.items())
        made = MadePlan(
            file.path,
            plan,
            tuple(check.warnings[warnings:]),
            kept.lines,
            raw.others_key,
            tuple((q, answer) for q, answer in asked if q[0] == "original"),
            pickle.dumps(asked, protocol=pickle.HIGHEST_PROTOCOL),
        )
        cache.put_plan(text, made)
    return kept, plan


def _plans(
    raw: RawData, lookups: Lookups, check: _Checker, cache: ModelCache | None
) -> tuple[dict[str, tuple[RawFile, Plan]], list[str]]:
    """Every plan by id, each with its file's lines that the checks across plans need, taken
    from `cache` while its questions get the answers they got; and the stems of the files that
    do not fit their schema beyond stand-ins. Once all are taken, `cache` keeps only theirs.

    Each plan is checked and made as it is read, and only then is the next one read: its
    values, lines and model are dropped (at national scale they would not fit together)."""
    plans: dict[str, tuple[RawFile, Plan]] = {}
    unusable: list[str] = []
    entries: list[str] = []
    for text in raw.plan_texts():
        entries.append(plan_entry(text))
        made = cache.plan(text) if cache else None
        result: tuple[RawFile, Plan] | str | None
        if made is not None and made.stands(lookups, raw.others_key):
            if cache and raw.others_key and made.others_key != raw.others_key:
                # It stood by asking its questions again: noted as standing against these
                # files, the next build need not ask them.
                cache.put_plan(text, replace(made, others_key=raw.others_key))
            check.warnings.extend(made.warnings)
            result = RawFile(text.path, None, made.lines), made.plan
        else:
            result = _made_plan(raw, text, lookups, check, cache)
        if not isinstance(result, tuple):
            unusable += [result] if result else []
            continue
        file, plan = result
        if plan.id in plans:
            check.error(
                file, ("id",), f"id kế hoạch “{plan.id}” đã dùng trong {plans[plan.id][0].path}"
            )
            continue
        plans[plan.id] = (file, plan)
    if cache:
        cache.keep_only(entries, raw.others_key)
    return plans, unusable


def build_portal(raw: RawData, cache: ModelCache | None = None) -> tuple[Portal, list[DataError]]:
    """The checked portal and its warnings; raises DataErrors listing every problem found.

    A file that does not fit its schema is still checked against the others, with stand-ins
    for its bad values (see validate_file); what those checks say about a stand-in is dropped.
    With `cache`, what an earlier build made of a plan file, and of the other files, is taken
    again where nothing it depends on has changed (see ModelCache): what is built, and every
    problem and warning, is the same as without it."""
    check = _Checker()
    others = cache.others(raw.others_key) if cache and raw.others_key else None
    unusable_files: list[str] = []
    # The other files' making is stored once the plans have asked the registry their names
    # (when it was made now, or they asked new ones), unless it has a problem: that is then
    # found again every build.
    answered, storable = -1, True
    if others is not None:
        answered = others.registry.answered
    else:
        others, unusable_files = _others(raw, check)
        storable = not (raw.errors or unusable_files or check.errors or check.shape_errors)
    if unusable_files:
        # The plans are checked against their schema, then the references are left unchecked.
        for text in raw.plan_texts():
            if not (cache and cache.plan(text)):  # a plan made before fits its schema
                check.parsed(raw.read(text), schema.PlanFile)
        raise check.failure(tuple(unusable_files))
    lookups = Lookups(others.registry, others.themes, raw.original)
    plans, unusable = _plans(raw, lookups, check, cache)
    if cache and raw.others_key and storable and others.registry.answered != answered:
        cache.put_others(raw.others_key, others)
    assert others.documents_file is not None
    jurisdictions = others.registry.jurisdictions
    unusable += raw.unreadable.get(schema.PLANS.name, ())
    _check_graph(plans, others.documents, others.documents_file, jurisdictions, check, unusable)
    if check.shape_errors or check.errors:
        raise check.failure()
    ordered = dict(sorted(((pid, plan) for pid, (_, plan) in plans.items()), key=lambda kv: kv[0]))
    portal = Portal(
        jurisdictions,
        others.registry.agencies,
        others.documents,
        others.themes,
        ordered,
        others.abbreviations,
    )
    return portal, check.warnings


def agency_registry(
    files: list[RawFile],
) -> tuple[AgencyRegistry | None, list[DataError]]:
    """The registry of the agency files alone (for tools that work on one plan, such as
    import), and the problems found in it; None when a file does not fit its schema."""
    usable: list[RegistryFile] = []
    errors: list[DataError] = []
    for raw in files:
        parsed, problems, _ = validate_file(raw, schema.AgenciesFile)
        errors.extend(problems)
        if parsed is not None:
            usable.append((raw, parsed))
    if errors:
        return None, errors
    check = _Checker()
    jurisdictions = _jurisdictions(usable, check)
    agencies = _agencies(usable, check)
    return AgencyRegistry(jurisdictions, agencies), check.errors
