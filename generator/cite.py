"""How the portal names what a link points to: citations in Vietnamese official style, the
permanent absolute URL, and its QR code for the printed page. Pure functions."""

from __future__ import annotations

import re

import segno

from generator.domain import Agency, Group, Jurisdiction, Plan, Task
from generator.text import date_letter


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


def absolute(site_url: str, url: str) -> str:
    """The permanent address of a site-relative URL."""
    return site_url.rstrip("/") + "/" + url


def qr_svg(url: str) -> str:
    """The URL as a QR code, SVG markup drawn at build time (no network, no script)."""
    code = segno.make(url, error="m", micro=False)
    return str(code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=False))


def css_string(text: str) -> str:
    """`text` as a CSS string literal safe inside a <style> element (for @page headers)."""
    escaped = "".join(c if c.isalnum() or c in " ./-,:;()" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'
