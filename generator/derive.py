"""Stage 3, derive: the indexes pages need, computed once from the portal.

Who leads and supports what across plans, which plans implement or replace which documents,
which groups share a theme. Pure functions of the `Portal`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.domain import Group, Plan, Portal, Role, Task


@dataclass(frozen=True)
class Assignment:
    """One task an agency appears in, with the role and the wording the plan used."""

    plan: Plan
    group: Group
    task: Task
    role: Role
    written: str


@dataclass(frozen=True)
class Indexes:
    assignments: dict[str, tuple[Assignment, ...]]  # agency id → its tasks, in plan order
    implemented_by: dict[str, tuple[str, ...]]  # document or plan id → ids implementing it
    replaced_by: dict[str, tuple[str, ...]]  # document or plan id → plan ids replacing it
    groups_by_theme: dict[str, tuple[tuple[Plan, Group], ...]]


def assignments_by_agency(portal: Portal) -> dict[str, tuple[Assignment, ...]]:
    found: dict[str, list[Assignment]] = defaultdict(list)
    for plan in portal.plans.values():
        for group in plan.groups:
            for task in group.tasks:
                for role, refs in ((Role.LEAD, task.lead), (Role.SUPPORT, task.support)):
                    seen = set()
                    for ref in refs:
                        if ref.agency_id not in seen:  # one body named twice in one cell
                            seen.add(ref.agency_id)
                            found[ref.agency_id].append(
                                Assignment(plan, group, task, role, ref.written)
                            )
    return {agency: tuple(items) for agency, items in found.items()}


def implementation_graph(
    portal: Portal,
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(implemented_by, replaced_by) over documents and plans together."""
    implemented: dict[str, list[str]] = defaultdict(list)
    replaced: dict[str, list[str]] = defaultdict(list)
    for document in portal.documents.values():
        for target in document.implements:
            implemented[target].append(document.id)
    for plan in portal.plans.values():
        for target in plan.implements:
            implemented[target].append(plan.id)
        for target in plan.replaces:
            replaced[target].append(plan.id)
    return (
        {k: tuple(v) for k, v in implemented.items()},
        {k: tuple(v) for k, v in replaced.items()},
    )


def groups_by_theme(portal: Portal) -> dict[str, tuple[tuple[Plan, Group], ...]]:
    found: dict[str, list[tuple[Plan, Group]]] = defaultdict(list)
    for plan in portal.plans.values():
        for group in plan.groups:
            found[group.theme].append((plan, group))
    return {theme: tuple(items) for theme, items in found.items()}


def derive(portal: Portal) -> Indexes:
    implemented_by, replaced_by = implementation_graph(portal)
    return Indexes(
        assignments=assignments_by_agency(portal),
        implemented_by=implemented_by,
        replaced_by=replaced_by,
        groups_by_theme=groups_by_theme(portal),
    )
