"""Stage 2, model: check raw files against the schema and against each other, and build the
typed `Portal`. Every problem is collected with its file, line and field; nothing is returned
unless the whole data set is sound."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from generator import schema
from generator.domain import (
    Agency,
    AgencyRef,
    Document,
    Figure,
    Group,
    Jurisdiction,
    Level,
    Plan,
    Portal,
    Section,
    Signer,
    Task,
    Theme,
    TimelineKind,
)
from generator.errors import DataError, DataErrors
from generator.load import Path_, RawData, RawFile
from generator.timeline import parse_timeline

M = TypeVar("M", bound=BaseModel)

NATIONAL = "trung-uong"

_PYDANTIC_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường này không có trong lược đồ (gõ sai tên trường?)",
    "string_type": "phải là một chuỗi văn bản",
    "list_type": "phải là một danh sách (các dòng bắt đầu bằng “- ”)",
    "model_type": "phải là một mục gồm các trường (khóa: giá trị)",
    "dict_type": "phải là một mục gồm các trường (khóa: giá trị)",
    "string_too_short": "không được để trống",
    "too_short": "danh sách không được rỗng",
    "string_pattern_mismatch": (
        "id phải gồm chữ thường ASCII và chữ số, nối bằng một dấu gạch nối (vd. so-tai-chinh)"
    ),
}


def _field(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(error: dict[str, object]) -> str:
    kind = str(error["type"])
    found = error.get("input")
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")  # type: ignore[attr-defined]
        return f"phải là một trong {expected}; gặp “{found}”"
    message = _PYDANTIC_MESSAGES.get(kind, str(error["msg"]))
    if kind in ("missing", "extra_forbidden") or isinstance(found, dict | list):
        return message
    return f"{message}; gặp “{found}”"


def validate_file(raw: RawFile, model: type[M]) -> tuple[M | None, list[DataError]]:
    """`raw` as `model`, or None with one error per problem (file, line, field, plain words)."""
    try:
        return model.model_validate(raw.data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc: Path_ = tuple(error["loc"])
            errors.append(
                DataError(raw.path, raw.line_of(loc), _field(loc), _describe(dict(error)))
            )
        return None, errors


def fold_name(name: str) -> str:
    """How registry names compare: NFC, case-insensitive, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Checker:
    """Collects errors while the portal is put together."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []
        self.warnings: list[DataError] = []

    def error(self, raw: RawFile, loc: Path_, message: str) -> None:
        self.errors.append(DataError(raw.path, raw.line_of(loc), _field(loc), message))

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
        for agency in agencies.values():
            for name in agency.names:
                self.by_name[agency.jurisdiction][fold_name(name)].add(agency.id)
        self.display: dict[str, dict[str, str]] = defaultdict(dict)
        for agency in agencies.values():
            for name in agency.names:
                self.display[agency.jurisdiction][fold_name(name)] = name

    def scopes(self, jurisdiction: str) -> Iterator[str]:
        current: str | None = jurisdiction
        seen = set()
        while current and current not in seen and current in self.jurisdictions:
            seen.add(current)
            yield current
            current = self.jurisdictions[current].parent
        if NATIONAL not in seen:
            yield NATIONAL

    def resolve(self, name: str, jurisdiction: str) -> tuple[str | None, str | None]:
        """(agency id, None) or (None, the reason it could not be resolved, in plain words)."""
        key = fold_name(name)
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


def _jurisdictions(
    raw: RawFile, parsed: schema.AgenciesFile, check: _Checker
) -> dict[str, Jurisdiction]:
    check.unique(
        raw,
        ((("jurisdictions", i, "id"), j.id) for i, j in enumerate(parsed.jurisdictions)),
        "id địa bàn",
    )
    result = {
        j.id: Jurisdiction(j.id, j.name, Level(j.level), j.parent) for j in parsed.jurisdictions
    }
    for i, j in enumerate(parsed.jurisdictions):
        if j.parent is not None and j.parent not in result:
            check.error(raw, ("jurisdictions", i, "parent"), f"không có địa bàn “{j.parent}”")
    if NATIONAL not in result:
        check.error(raw, ("jurisdictions",), f"thiếu địa bàn “{NATIONAL}” (cơ quan trung ương)")
    return result


def _agencies(
    raw: RawFile,
    parsed: schema.AgenciesFile,
    jurisdictions: dict[str, Jurisdiction],
    check: _Checker,
) -> dict[str, Agency]:
    ids: list[tuple[Path_, str]] = [
        (("agencies", i, "id"), a.id) for i, a in enumerate(parsed.agencies)
    ]
    former: list[tuple[Path_, str]] = [
        (("agencies", i, "former_ids", k), f)
        for i, a in enumerate(parsed.agencies)
        for k, f in enumerate(a.former_ids)
    ]
    check.unique(raw, ids + former, "id cơ quan")
    result = {}
    for i, a in enumerate(parsed.agencies):
        jurisdiction = a.id.split("/", 1)[0]
        if jurisdiction not in jurisdictions:
            check.error(
                raw,
                ("agencies", i, "id"),
                f"địa bàn “{jurisdiction}” chưa khai báo trong jurisdictions",
            )
        names = tuple(dict.fromkeys([a.name, *a.names]))
        seen_names = [(("agencies", i, "names", k), fold_name(n)) for k, n in enumerate(a.names)]
        check.unique(raw, seen_names, "tên")
        result[a.id] = Agency(
            a.id, a.name, a.kind == "collective", names, jurisdiction, tuple(a.former_ids)
        )
    return result


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


def _section(section: schema.SectionIn) -> Section:
    return Section(section.heading, section.text, tuple(_section(s) for s in section.subsections))


def _refs(
    raw: RawFile,
    loc: Path_,
    names: list[str],
    jurisdiction: str,
    registry: AgencyRegistry,
    check: _Checker,
) -> tuple[AgencyRef, ...]:
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
) -> Plan:
    stem = PurePosixPath(raw.path).stem
    if stem != p.id:
        check.error(raw, ("id",), f"id kế hoạch “{p.id}” phải trùng tên tệp “{stem}.yaml”")
    if p.jurisdiction not in registry.jurisdictions:
        check.error(
            raw, ("jurisdiction",), f"không có địa bàn “{p.jurisdiction}” trong agencies.yaml"
        )
    if p.issuer not in agencies:
        check.error(raw, ("issuer",), f"không có cơ quan “{p.issuer}” trong agencies.yaml")
    group_ids: list[tuple[Path_, str]] = [
        (("groups", g, "id"), group.id) for g, group in enumerate(p.groups)
    ]
    group_former: list[tuple[Path_, str]] = [
        (("groups", g, "former_ids", k), former)
        for g, group in enumerate(p.groups)
        for k, former in enumerate(group.former_ids)
    ]
    check.unique(raw, group_ids + group_former, "id nhóm")
    task_ids: list[tuple[Path_, str]] = [
        (("groups", g, "tasks", t, "id"), task.id)
        for g, group in enumerate(p.groups)
        for t, task in enumerate(group.tasks)
    ]
    task_former: list[tuple[Path_, str]] = [
        (("groups", g, "tasks", t, "former_ids", k), former)
        for g, group in enumerate(p.groups)
        for t, task in enumerate(group.tasks)
        for k, former in enumerate(task.former_ids)
    ]
    check.unique(raw, task_ids + task_former, "id nhiệm vụ")
    groups = []
    for g, group in enumerate(p.groups):
        if group.theme not in themes:
            check.error(
                raw, ("groups", g, "theme"), f"không có chủ đề “{group.theme}” trong themes.yaml"
            )
        tasks = []
        for t, task in enumerate(group.tasks):
            loc: Path_ = ("groups", g, "tasks", t)
            if task.id != group.id and not task.id.startswith(group.id + "."):
                check.error(
                    raw,
                    loc + ("id",),
                    f"id nhiệm vụ “{task.id}” phải bắt đầu bằng id nhóm “{group.id}.”",
                )
            timeline = parse_timeline(task.timeline) if task.timeline else None
            if timeline and timeline.kind is TimelineKind.UNPARSED:
                check.warnings.append(
                    DataError(
                        raw.path,
                        raw.line_of(loc + ("timeline",)),
                        _field(loc + ("timeline",)),
                        f"chưa đọc được thời hạn “{task.timeline}”; giữ nguyên văn",
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
                )
            )
        groups.append(
            Group(
                group.id,
                group.number,
                group.title,
                group.theme,
                tuple(tasks),
                tuple(group.former_ids),
            )
        )
    known_tasks = {task.id for group in groups for task in group.tasks}
    for f, figure in enumerate(p.figures):
        if figure.task is not None and figure.task not in known_tasks:
            check.error(
                raw, ("figures", f, "task"), f"không có nhiệm vụ “{figure.task}” trong kế hoạch"
            )
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
        source_file=p.source.file,
        source_note=p.source.note,
        recipients=tuple(p.recipients),
        sections=tuple(_section(s) for s in p.sections),
        figures=tuple(Figure(f.metric, f.value, f.quote, f.task, f.where) for f in p.figures),
        tasks_title=p.tasks_title,
        appendix=p.appendix,
        groups=tuple(groups),
    )


def _check_graph(
    plans: dict[str, tuple[RawFile, Plan]],
    documents: dict[str, Document],
    raw_docs: RawFile,
    jurisdictions: dict[str, Jurisdiction],
    check: _Checker,
) -> None:
    """References between plans and documents exist, ids do not collide, nothing replaces itself."""
    for i, doc in enumerate(documents.values()):
        if doc.id in plans:
            check.error(raw_docs, ("documents", i, "id"), f"id “{doc.id}” trùng id một kế hoạch")
        if doc.jurisdiction not in jurisdictions:
            check.error(
                raw_docs, ("documents", i, "jurisdiction"), f"không có địa bàn “{doc.jurisdiction}”"
            )
        for k, target in enumerate(doc.implements):
            if target not in documents and target not in plans:
                check.error(
                    raw_docs, ("documents", i, "implements", k), f"không có văn bản “{target}”"
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
                elif target not in documents and target not in plans:
                    check.error(raw, (key, k), f"không có văn bản hay kế hoạch “{target}”")
    for raw, plan in plans.values():
        seen, current = [plan.id], plan
        while True:
            nexts = [t for t in current.replaces if t in plans]
            if not nexts:
                break
            if nexts[0] in seen:
                cycle = " → ".join([*seen, nexts[0]])
                check.error(raw, ("replaces",), f"vòng thay thế: {cycle}")
                break
            seen.append(nexts[0])
            current = plans[nexts[0]][1]


def build_portal(raw: RawData) -> tuple[Portal, list[DataError]]:
    """The checked portal and its warnings; raises DataErrors listing every problem found."""
    check = _Checker()
    parsed = {}
    for key, file in (
        ("agencies", raw.agencies),
        ("documents", raw.documents),
        ("themes", raw.themes),
    ):
        if file is not None:
            model, errors = validate_file(file, schema.FILE_MODELS[key])
            check.errors.extend(errors)
            parsed[key] = (file, model)
    plan_models = []
    for file in raw.plans:
        model, errors = validate_file(file, schema.PlanFile)
        check.errors.extend(errors)
        if model is not None:
            plan_models.append((file, model))
    agencies_raw, agencies_file = parsed.get("agencies", (None, None))
    documents_raw, documents_file = parsed.get("documents", (None, None))
    _, themes_file = parsed.get("themes", (None, None))
    if not (agencies_raw and agencies_file and documents_raw and documents_file and themes_file):
        raise DataErrors(check.errors or [DataError("data", 0, "", "thiếu tệp dữ liệu")])
    assert isinstance(agencies_file, schema.AgenciesFile)
    assert isinstance(documents_file, schema.DocumentsFile)
    assert isinstance(themes_file, schema.ThemesFile)
    jurisdictions = _jurisdictions(agencies_raw, agencies_file, check)
    agencies = _agencies(agencies_raw, agencies_file, jurisdictions, check)
    documents = _documents(documents_raw, documents_file, check)
    themes = {t.id: Theme(t.id, t.name, t.description) for t in themes_file.themes}
    registry = AgencyRegistry(jurisdictions, agencies)
    plans: dict[str, tuple[RawFile, Plan]] = {}
    for file, model in plan_models:
        assert isinstance(model, schema.PlanFile)
        if model.id in plans:
            check.error(
                file, ("id",), f"id kế hoạch “{model.id}” đã dùng trong {plans[model.id][0].path}"
            )
            continue
        plans[model.id] = (file, _plan(file, model, registry, agencies, themes, check))
    _check_graph(plans, documents, documents_raw, jurisdictions, check)
    if check.errors:
        raise DataErrors(check.errors)
    ordered = dict(sorted(((pid, plan) for pid, (_, plan) in plans.items()), key=lambda kv: kv[0]))
    return Portal(jurisdictions, agencies, documents, themes, ordered), check.warnings
