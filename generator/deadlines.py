"""Derive: what falls due when. Every task (by its parsed timeline) and every reporting duty a
plan sets becomes a `Deadline`, with its next date on or after the build date. Pure functions of
the `Portal` and that date; the date is an argument, never read from the clock here, so two
builds on the same day agree."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from generator.domain import AgencyRef, Duty, Group, Plan, Portal, Report, Task, TimelineKind


@dataclass(frozen=True)
class Deadline:
    """A task of a plan, or one of its reporting duties, and when it falls due.

    `on` is a one-off date (the last day of a month, quarter, year or period); `every_year` a
    (day, month) that recurs. Neither is set when the timeline names no date (ongoing, left to
    each agency's plan, unread)."""

    key: str  # permanent: "<plan-id>/<task-id>" or "<plan-id>/bao-cao/<report-id>"
    plan: Plan
    group: Group | None  # None for a reporting duty
    task: Task | None
    report: Report | None
    kind: TimelineKind | None  # None when the task has no timeline
    wording: str | None  # the timeline, or the report's quote, verbatim
    on: dt.date | None
    every_year: tuple[int, int] | None
    first: dt.date | None  # first date it falls due (a yearly duty: on or after the plan's date)
    next: dt.date | None  # next date on or after the build date; None once past or undated
    agencies: tuple[tuple[str, Duty], ...]  # (agency id, duty), each agency once per duty
    # The plan is replaced by another plan on the portal: its tasks are no longer due, so the
    # deadlines pages and the calendars leave it out (its tables and pages keep it).
    replaced: bool


def annual_date(year: int, day_month: tuple[int, int]) -> dt.date:
    """(day, month) in `year`; 29 February falls on the 28th in a year without it."""
    day, month = day_month
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_annual(day_month: tuple[int, int], today: dt.date) -> dt.date:
    """The first (day, month) on or after `today`: across the new year when this year's is past."""
    this_year = annual_date(today.year, day_month)
    return this_year if this_year >= today else annual_date(today.year + 1, day_month)


def next_due(
    on: dt.date | None, every_year: tuple[int, int] | None, today: dt.date
) -> dt.date | None:
    if every_year is not None:
        return next_annual(every_year, today)
    if on is not None and on >= today:
        return on
    return None


def iso_deadline(deadline: Deadline) -> str | None:
    """The parsed deadline as ISO 8601 text: `2025-09-30`, or `--10-01` (a day every year)."""
    if deadline.every_year is not None:
        day, month = deadline.every_year
        return f"--{month:02d}-{day:02d}"
    return deadline.on.isoformat() if deadline.on else None


def _agencies(pairs: Iterable[tuple[tuple[AgencyRef, ...], Duty]]) -> tuple[tuple[str, Duty], ...]:
    seen: dict[tuple[str, Duty], None] = {}
    for refs, duty in pairs:
        for ref in refs:
            seen.setdefault((ref.agency_id, duty))
    return tuple(seen)


def task_deadline(plan: Plan, group: Group, task: Task, today: dt.date, replaced: bool) -> Deadline:
    timeline = task.timeline
    every_year = timeline.annual_day if timeline else None
    on = None
    if timeline and timeline.kind in (TimelineKind.DATED, TimelineKind.PERIOD):
        on = timeline.end
    return Deadline(
        key=f"{plan.id}/{task.id}",
        plan=plan,
        group=group,
        task=task,
        report=None,
        kind=timeline.kind if timeline else None,
        wording=timeline.text if timeline else None,
        on=on,
        every_year=every_year,
        first=_first(plan, on, every_year, today),
        next=next_due(on, every_year, today),
        agencies=_agencies(((task.lead, Duty.LEAD), (task.support, Duty.SUPPORT))),
        replaced=replaced,
    )


def report_deadline(plan: Plan, report: Report, today: dt.date, replaced: bool) -> Deadline:
    every_year = report.annual_due
    return Deadline(
        key=f"{plan.id}/bao-cao/{report.id}",
        plan=plan,
        group=None,
        task=None,
        report=report,
        kind=TimelineKind.ANNUAL,
        wording=report.quote,
        on=None,
        every_year=every_year,
        first=_first(plan, None, every_year, today),
        next=next_due(None, every_year, today),
        agencies=_agencies(((report.by, Duty.REPORT), (report.to, Duty.RECEIVE))),
        replaced=replaced,
    )


def _first(
    plan: Plan, on: dt.date | None, every_year: tuple[int, int] | None, today: dt.date
) -> dt.date | None:
    """Where a calendar starts the deadline: a yearly one from the plan's date when the source
    gives it (so the start does not move from one build to the next), else from `today`."""
    if every_year is not None:
        return next_annual(every_year, plan.date or today)
    return on


def plan_deadlines(plan: Plan, today: dt.date, replaced: bool) -> tuple[Deadline, ...]:
    """The plan's tasks in order, then its reporting duties."""
    tasks = [task_deadline(plan, g, t, today, replaced) for g in plan.groups for t in g.tasks]
    reports = [report_deadline(plan, r, today, replaced) for r in plan.reports]
    return tuple(tasks + reports)


def replaced_plans(portal: Portal) -> frozenset[str]:
    """The plans another plan on the portal replaces."""
    return frozenset(t for plan in portal.plans.values() for t in plan.replaces) & set(portal.plans)


def all_deadlines(portal: Portal, today: dt.date) -> tuple[Deadline, ...]:
    replaced = replaced_plans(portal)
    return tuple(
        d
        for plan in portal.plans.values()
        for d in plan_deadlines(plan, today, plan.id in replaced)
    )


def by_agency(deadlines: Iterable[Deadline]) -> dict[str, tuple[Deadline, ...]]:
    """agency id → the deadlines it has a duty in, in the order given."""
    found: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        for agency_id in dict.fromkeys(a for a, _ in deadline.agencies):
            found.setdefault(agency_id, []).append(deadline)
    return {agency: tuple(items) for agency, items in found.items()}


def falls_due_within(deadline: Deadline, today: dt.date, first: int, last: int | None) -> bool:
    """Whether the next date is `first` to `last` days after `today` (both included; `last`
    None: any time after)."""
    if deadline.next is None:
        return False
    days = (deadline.next - today).days
    return first <= days and (last is None or days <= last)
