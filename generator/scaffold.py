"""`python -m generator new-plan`: the facts of a plan's first page → a skeleton plan file.

The id is derived here, once, from the number, the jurisdiction and the year (the ASCII rule of
DESIGN.md), and then written in the file: it never changes when the facts are corrected later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.importer.agencies import ascii_id
from generator.importer.planfile import PlanDumper
from generator.model import AgencyRegistry


@dataclass(frozen=True)
class PlanFacts:
    """What the clerk reads off the document's first and last page; None where it is not shown."""

    number: str | None
    kind: str
    issuer: str  # agency id ("nghe-an/ubnd-tinh") or the issuer's name as the registry has it
    jurisdiction: str | None
    date: str | None  # YYYY-MM-DD or DD/MM/YYYY
    signer: str | None
    position: str | None
    implements: tuple[str, ...]
    title: str | None = None
    plan_id: str | None = None


class ScaffoldError(Exception):
    """Facts that cannot make a plan file, each problem in plain words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def iso_date(value: str) -> str:
    """`21/8/2025` or `2025-08-21` → `2025-08-21`; ValueError when it is no date."""
    value = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    date = (
        dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if match
        else dt.date.fromisoformat(value)
    )
    return date.isoformat()


def plan_id(
    number: str | None, kind: str, jurisdiction: str, issuer_slug: str, date: str | None
) -> str:
    """`686/KH-UBND`, nghe-an, 2025 → `nghe-an-686-kh-ubnd-2025`. Without a number the kind
    and issuer stand in: `can-tho-thanh-uy-ke-hoach-2025`."""
    year = date[:4] if date else None
    middle = ascii_id(number) if number else f"{issuer_slug}-{ascii_id(kind)}"
    return "-".join(part for part in (jurisdiction, middle, year) if part)


def _issuer(facts: PlanFacts, registry: AgencyRegistry, problems: list[str]) -> str:
    if "/" in facts.issuer and facts.issuer in {
        a for names in registry.by_name.values() for ids in names.values() for a in ids
    }:
        return facts.issuer
    jurisdictions = [facts.jurisdiction] if facts.jurisdiction else list(registry.jurisdictions)
    found = {
        agency
        for j in jurisdictions
        if j in registry.jurisdictions
        for agency in [registry.resolve(facts.issuer, j)[0]]
        if agency and (facts.jurisdiction is None or agency.startswith(j + "/"))
    }
    if len(found) == 1:
        return found.pop()
    problems.append(
        f"cơ quan ban hành “{facts.issuer}”: "
        + ("khớp nhiều cơ quan: " + ", ".join(sorted(found)) if found else "không có trong danh bạ")
        + "; ghi id cơ quan (vd. nghe-an/ubnd-tinh) hoặc thêm cơ quan vào data/agencies.yaml"
    )
    return facts.issuer


def skeleton(facts: PlanFacts, registry: AgencyRegistry, known_ids: set[str]) -> tuple[str, str]:
    """(plan id, YAML text) of a valid skeleton plan; raises ScaffoldError listing every
    problem. `known_ids` are the ids of documents and plans the plan may implement."""
    problems: list[str] = []
    issuer = _issuer(facts, registry, problems)
    jurisdiction = facts.jurisdiction or issuer.split("/", 1)[0]
    if jurisdiction not in registry.jurisdictions:
        problems.append(f"không có địa bàn “{jurisdiction}” trong data/agencies.yaml")
    date = None
    if facts.date:
        try:
            date = iso_date(facts.date)
        except ValueError:
            problems.append(f"ngày “{facts.date}” không đọc được; viết dạng 21/8/2025")
    for target in facts.implements:
        if target not in known_ids:
            problems.append(
                f"văn bản “{target}” chưa có trong data/documents.yaml hay data/plans/; "
                "thêm văn bản đó trước (xem hướng dẫn), rồi ghi id của nó"
            )
    if problems:
        raise ScaffoldError(problems)
    pid = facts.plan_id or plan_id(
        facts.number, facts.kind, jurisdiction, issuer.split("/", 1)[1], date
    )
    if pid in known_ids:
        raise ScaffoldError([f"đã có kế hoạch hay văn bản id “{pid}”"])
    signer: dict[str, Any] | None = (
        {"name": facts.signer, "position": facts.position, "authority": []}
        if facts.signer
        else None
    )
    data: dict[str, Any] = {
        "id": pid,
        "former_ids": [],
        "kind": facts.kind,
        "number": facts.number,
        "date": date,
        "place": None,
        "jurisdiction": jurisdiction,
        "issuer": issuer,
        "title": facts.title,
        "signer": signer,
        "implements": list(facts.implements),
        "replaces": [],
        "source": {"url": None, "file": None, "sha256": None, "note": None},
        "recipients": [],
        "sections": [],
        "figures": [],
        "tasks_title": None,
        "appendix": None,
        "numbering": "nested",
        "groups": [],
    }
    text = yaml.dump(data, Dumper=PlanDumper, allow_unicode=True, sort_keys=False, width=10**6)
    header = (
        "# Kế hoạch mới, tạo bằng `python -m generator new-plan`. Thêm nhiệm vụ bằng\n"
        f"# `python -m generator import <tệp bảng> --plan {pid}`; hướng dẫn: trang "
        "“Thêm một kế hoạch mới”.\n"
    )
    return pid, header + text
