"""Stage 3, derive: the indexes pages need, computed once from the portal.

Who leads and supports what across plans, which plans implement or replace which documents,
which groups share a theme. Pure functions of the `Portal`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from generator.domain import Group, Plan, Portal, Role, Task


@dataclass(frozen=True)
class Assignment:
    """One task an agency appears in, with the role and the wording the plan used."""

    plan: Plan
    group: Group
    task: Task
    role: Role
    written: str
    via: str | None = None  # the collective entry the task names, when it names the agency so


@dataclass(frozen=True)
class Indexes:
    assignments: dict[str, tuple[Assignment, ...]]  # agency id → its tasks, in plan order
    # agency id → the tasks of the collectives it belongs to (`via` set), those naming it
    # directly left out, in plan order
    via_collectives: dict[str, tuple[Assignment, ...]]
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


def assignments_via_collectives(
    portal: Portal, assignments: dict[str, tuple[Assignment, ...]]
) -> dict[str, tuple[Assignment, ...]]:
    """Each member's share of its collectives' tasks (agencies.yaml `members`): a task that
    names "Các sở, ban, ngành cấp tỉnh" is one of Sở Tài chính's, through that collective."""
    found: dict[str, list[Assignment]] = defaultdict(list)
    for collective in portal.agencies.values():
        for member in collective.members:
            named = {id(a.task) for a in assignments.get(member.agency_id, ())}
            found[member.agency_id].extend(
                replace(a, via=collective.id)
                for a in assignments.get(collective.id, ())
                if id(a.task) not in named
            )
    order = {id(t): i for i, t in enumerate(_every_task(portal))}
    result = {}
    for agency, items in found.items():
        # A task of two of its collectives (or naming one in both roles) is listed once.
        once = {id(a.task): a for a in sorted(items, key=lambda a: a.role, reverse=True)}
        if once:
            result[agency] = tuple(sorted(once.values(), key=lambda a: order[id(a.task)]))
    return result


def _every_task(portal: Portal) -> list[Task]:
    return [t for plan in portal.plans.values() for group in plan.groups for t in group.tasks]


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
    assignments = assignments_by_agency(portal)
    return Indexes(
        assignments=assignments,
        via_collectives=assignments_via_collectives(portal, assignments),
        implemented_by=implemented_by,
        replaced_by=replaced_by,
        groups_by_theme=groups_by_theme(portal),
    )
