"""Stage 2, model: check raw files against the schema and against each other, and build the
typed `Portal`. Every problem is collected with its file, line and field; nothing is returned
unless the whole data set is sound."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

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
from generator.load import OriginalFile, Path_, RawData, RawFile
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


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Checker:
    """Collects errors while the portal is put together."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []
        self.warnings: list[DataError] = []

    def error(self, raw: RawFile, loc: Path_, message: str) -> None:
        self.errors.append(DataError(raw.path, raw.line_of(loc), field_path(loc), message))

    def unique(self, raw: RawFile, items: Iterable[tuple[Path_, str]], what: str) -> None:
        seen: dict[str, int] = {}
        for loc, value in items:
            if value in seen:
                self.error(raw, loc, f"{what} “{value}” trùng với dòng {seen[value]}")
            else:
                seen[value] = raw.line_of(loc)


class AgencyRegistry:
    """Looks up agency names within a jurisdiction and the jurisdictions above it."""

    def __init__(self, jurisdictions: dict[str, Jurisdiction], agencies: dict[str, Agency]):
        self.jurisdictions = jurisdictions
        self.by_name: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
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
    originals: Callable[[str], OriginalFile | None],
    check: _Checker,
) -> Source:
    """The plan's official document; a copy must exist under docs/ with the SHA-256 recorded."""
    original = None
    if source.file is not None:
        found = originals(source.file)
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
    registry: AgencyRegistry,
    check: _Checker,
) -> tuple[AgencyRef, ...]:
    if jurisdiction not in registry.jurisdictions:
        return ()  # the unknown jurisdiction is reported once; each name here would repeat it
    refs = []
    for k, name in enumerate(names):
        agency_id, problem = registry.resolve(name, jurisdiction)
        if agency_id is None:
            check.error(raw, loc + (k,), problem or "")
        else:
            refs.append(AgencyRef(name, agency_id))
    return tuple(refs)


def _plan(
    raw: RawFile,
    p: schema.PlanFile,
    registry: AgencyRegistry,
    agencies: dict[str, Agency],
    themes: dict[str, Theme],
    check: _Checker,
    originals: Callable[[str], OriginalFile | None],
) -> Plan:
    stem = PurePosixPath(raw.path).stem
    if stem != p.id:
        check.error(raw, ("id",), f"id kế hoạch “{p.id}” phải trùng tên tệp “{stem}.yaml”")
    if p.jurisdiction not in registry.jurisdictions:
        check.error(
            raw,
            ("jurisdiction",),
            f"không có địa bàn “{p.jurisdiction}” trong danh bạ (thiếu tệp agencies/{p.jurisdiction}.yaml)",
        )
    if p.issuer not in agencies:
        check.error(
            raw,
            ("issuer",),
            f"không có cơ quan “{p.issuer}” trong danh bạ (data/agencies/){did_you_mean(p.issuer, agencies)}",
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
                "chưa chọn chủ đề cho nhóm; ghi một id trong themes.yaml: " + ", ".join(themes),
            )
        elif group.theme not in themes:
            check.error(
                raw,
                ("groups", g, "theme"),
                f"không có chủ đề “{group.theme}” trong themes.yaml"
                + did_you_mean(group.theme, themes),
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
                    _refs(raw, loc + ("lead",), task.lead, p.jurisdiction, registry, check),
                    _refs(raw, loc + ("support",), task.support, p.jurisdiction, registry, check),
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
    reports = _reports(raw, p, registry, check)
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
        source=_source(raw, p.source, originals, check),
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
    raw: RawFile, p: schema.PlanFile, registry: AgencyRegistry, check: _Checker
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
                _refs(raw, loc + ("by",), rep.by, p.jurisdiction, registry, check),
                _refs(raw, loc + ("to",), rep.to, p.jurisdiction, registry, check),
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


# What _check_graph reports a plan's mistakes at, once the rest of its file is dropped.
_GRAPH_FIELDS = frozenset({"former_ids", "implements", "replaces"})


def build_portal(raw: RawData) -> tuple[Portal, list[DataError]]:
    """The checked portal and its warnings; raises DataErrors listing every problem found.

    A file that does not fit its schema is still checked against the others, with stand-ins
    for its bad values (see validate_file); what those checks say about a stand-in is dropped."""
    check = _Checker()
    shape_errors: list[DataError] = []
    stand_ins: dict[str, list[str]] = {}

    def parsed(file: RawFile | None, model: type[M]) -> M | None:
        if file is None:
            return None
        result, errors, replaced = validate_file(file, model)
        # What load refused (an alias, a tag) it has reported; the schema would repeat it.
        stand_ins[file.path] = [*file.refused, *replaced]
        refused = {file.path: list(file.refused)}
        shape_errors.extend(e for e in errors if not echoes_stand_in(e, refused))
        return result

    def failure(unused: tuple[str, ...] = ()) -> DataErrors:
        later = [e for e in check.errors if not echoes_stand_in(e, stand_ins)]
        skipped = [
            DataError(
                "data",
                0,
                "",
                f"chưa kiểm tra tham chiếu giữa các tệp vì không dùng được {', '.join(unused)}",
            )
        ]
        return DataErrors(shape_errors + later + (skipped if unused else []))

    registry_files = [(f, parsed(f, schema.AgenciesFile)) for f in raw.all(schema.AGENCIES)]
    documents_raw = raw.one(schema.DOCUMENTS)
    documents_file = parsed(documents_raw, schema.DocumentsFile)
    themes_file = parsed(raw.one(schema.THEMES), schema.ThemesFile)
    abbreviations_raw = raw.one(schema.ABBREVIATIONS)
    abbreviations_file = parsed(abbreviations_raw, schema.AbbreviationsFile)
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
    usable = [(file, model) for file, model in registry_files if model is not None]
    jurisdictions: dict[str, Jurisdiction] = {}
    agencies: dict[str, Agency] = {}
    documents: dict[str, Document] = {}
    themes: dict[str, Theme] = {}
    if not unusable_files:
        assert documents_raw is not None and documents_file is not None and themes_file is not None
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
        agencies = _agencies(usable, check)
        documents = _documents(documents_raw, documents_file, check)
        themes = {t.id: Theme(t.id, t.name, t.description) for t in themes_file.themes}
    registry = AgencyRegistry(jurisdictions, agencies)
    # Each plan is checked and made as it is read, and only then is the next one read: its
    # values, lines and model are dropped (at national scale they would not fit together).
    # When a file the plans depend on is unusable, the plans are still checked against their
    # schema, then the references are left unchecked.
    plans: dict[str, tuple[RawFile, Plan]] = {}
    unusable: list[str] = []
    for file in raw.plans():
        stem = PurePosixPath(file.path).stem
        model = parsed(file, schema.PlanFile)
        if model is None:
            unusable.append(stem)
            continue
        if unusable_files:
            continue
        if "id" in stand_ins[file.path] and re.fullmatch(schema.ID_PATTERN, stem):
            model = model.model_copy(update={"id": stem})  # others may name it by its file
        plan = _plan(file, model, registry, agencies, themes, check, raw.original)
        if model.id in plans:
            check.error(
                file, ("id",), f"id kế hoạch “{model.id}” đã dùng trong {plans[model.id][0].path}"
            )
            continue
        plans[model.id] = (file.only(_GRAPH_FIELDS), plan)
    if unusable_files:
        raise failure(tuple(unusable_files))
    assert documents_raw is not None
    unusable += raw.unreadable.get(schema.PLANS.name, ())
    _check_graph(plans, documents, documents_raw, jurisdictions, check, unusable)
    if shape_errors or check.errors:
        raise failure()
    ordered = dict(sorted(((pid, plan) for pid, (_, plan) in plans.items()), key=lambda kv: kv[0]))
    portal = Portal(jurisdictions, agencies, documents, themes, ordered, abbreviations)
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
