"""How the portal names what it shows: plan and document names, citations in Vietnamese
official style, task and group references. Every page, search record and export asks here, so a
reader meets one wording for one thing. Pure functions."""

from __future__ import annotations

import re

from generator.domain import Agency, Document, Group, Jurisdiction, Plan, Task
from generator.text import date_letter


def plan_name(plan: Plan) -> str:
    """“Kế hoạch số 686/KH-UBND”, or “Kế hoạch (chưa rõ số hiệu)” when the source omits it."""
    return f"{plan.kind} số {plan.number}" if plan.number else f"{plan.kind} (chưa rõ số hiệu)"


def document_name(doc: Document) -> str:
    return f"{doc.kind} số {doc.number}" if doc.number else doc.kind


def document_citation(doc: Document) -> str:
    parts = [document_name(doc)]
    if doc.date:
        parts.append(f"ngày {date_letter(doc.date)}")
    if doc.issuer:
        parts.append(f"của {doc.issuer}")
    return " ".join(parts)


def task_label(task: Task) -> str:
    return f"Nhiệm vụ {task.number}" if task.number else "Nhiệm vụ không đánh số"


def plan_citation(plan: Plan, issuer: Agency) -> str:
    """“Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An”; what the source
    does not give is said, not guessed."""
    parts = [f"{plan.kind} số {plan.number}" if plan.number else plan.kind]
    if plan.date:
        parts.append(f"ngày {date_letter(plan.date)}")
    parts.append(f"của {issuer.name}")
    missing = [
        what
        for what, value in (("số hiệu", plan.number), ("ngày ban hành", plan.date))
        if not value
    ]
    if missing:
        parts.append(f"(văn bản nguồn không ghi {' và '.join(missing)})")
    return " ".join(parts)


def _ordinal_suffix(task_id: str, marker: str) -> str | None:
    match = re.search(rf"\.{marker}-(\d+)$", task_id)
    return match[1] if match else None


def group_reference(group: Group) -> str:
    """“Mục 4”, or the title when the document gives the group no number."""
    return f"Mục {group.number}" if group.number else f"Mục “{group.title}”"


def task_reference(group: Group, task: Task) -> str:
    """How a letter points at one task: “Nhiệm vụ 4.1”, “Nhiệm vụ IV.1.a”, or, for the rows and
    bullets a document leaves unnumbered, their place (“Gạch đầu dòng thứ 2, mục 3 …”)."""
    if task.number:
        if (
            task.id == group.id
            or "." not in task.id
            or task.number.startswith(group.number or "\0")
        ):
            return f"Nhiệm vụ {task.number}"
        # Numbering restarts in each group: the group's number makes the reference unique.
        rest = task.id[len(group.id) :]
        return f"Nhiệm vụ {group.number}{rest}" if group.number else f"Nhiệm vụ {task.number}"
    title = f" “{group.title}”" if group.number else ""
    if n := _ordinal_suffix(task.id, "gach"):
        return f"Gạch đầu dòng thứ {n}, {group_reference(group).lower()}{title}"
    if n := _ordinal_suffix(task.id, "khong-so"):
        return f"Dòng không đánh số thứ {n} cuối {group_reference(group).lower()}"
    return f"Nhiệm vụ (mã {task.id}), {group_reference(group).lower()}"


def _in_plan(plan: Plan, issuer: Agency) -> str:
    citation = plan_citation(plan, issuer)
    return f"{plan.appendix} {citation}" if plan.appendix else citation


def task_citation(plan: Plan, group: Group, task: Task, issuer: Agency) -> str:
    """“Nhiệm vụ 4.1, Phụ lục Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An”."""
    return f"{task_reference(group, task)}, {_in_plan(plan, issuer)}"


def group_citation(plan: Plan, group: Group, issuer: Agency) -> str:
    return f"{group_reference(group)} “{group.title}”, {_in_plan(plan, issuer)}"


def agency_citation(agency: Agency, jurisdiction: Jurisdiction) -> str:
    return f"Nhiệm vụ của {agency.name} ({jurisdiction.name}) trong các kế hoạch, Cổng Kế hoạch"
