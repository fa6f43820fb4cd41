"""Machine-readable twins: beside each plan, agency and document page, an `index.json` holding
what the page shows (ids, wording as written, links as absolute URLs), for programs that would
otherwise scrape the HTML. Pure: values in, JSON text out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from generator import names, urls
from generator.deadlines import Deadline, iso_deadline
from generator.derive import Indexes
from generator.domain import AgencyRef, Document, Plan, Portal

Json = dict[str, Any]


def _agencies(refs: tuple[AgencyRef, ...]) -> list[Json]:
    return [{"written": r.written, "agency_id": r.agency_id} for r in refs]


def _when(deadline: Deadline) -> Json:
    return {
        "kind": deadline.kind.value if deadline.kind else None,
        "deadline": iso_deadline(deadline),
        "next_due": deadline.next.isoformat() if deadline.next else None,
    }


def _downloads(site_url: str, data_url: Callable[[str], str], feed_url: str) -> Json:
    files = {fmt: urls.absolute(site_url, data_url(fmt)) for fmt in urls.DATA_FORMATS}
    return {**files, "ics": urls.absolute(site_url, feed_url)}


def _ref(target: str, portal: Portal, site_url: str) -> Json:
    if target in portal.plans:
        plan = portal.plans[target]
        return {
            "id": target,
            "citation": names.plan_citation(plan, portal.agencies[plan.issuer]),
            "url": urls.absolute(site_url, urls.plan_url(target)),
        }
    doc = portal.documents[target]
    return {
        "id": target,
        "citation": names.document_citation(doc),
        "url": urls.absolute(site_url, urls.document_url(target)),
    }


def _dump(body: Json, built: dt.date) -> str:
    return json.dumps({**body, "built": built.isoformat()}, ensure_ascii=False, indent=1) + "\n"


def plan_twin(
    plan: Plan,
    portal: Portal,
    deadlines: Sequence[Deadline],
    site_url: str,
    built: dt.date,
) -> str:
    """`deadlines` are the plan's own (deadlines.plan_deadlines)."""
    when = {d.key: d for d in deadlines}
    issuer = portal.agencies[plan.issuer]
    groups = []
    for group in plan.groups:
        tasks = []
        for task in group.tasks:
            deadline = when[f"{plan.id}/{task.id}"]
            tasks.append(
                {
                    "id": task.id,
                    "number": task.number,
                    "reference": names.task_reference(group, task),
                    "text": task.text,
                    "lead": _agencies(task.lead),
                    "support": _agencies(task.support),
                    "output": task.output,
                    "timeline": task.timeline.text if task.timeline else None,
                    **_when(deadline),
                    "notes": task.notes,
                    "url": urls.absolute(site_url, urls.plan_url(plan.id) + "#" + task.anchor),
                }
            )
        groups.append(
            {
                "id": group.id,
                "number": group.number,
                "title": group.title,
                "theme": group.theme,
                "tasks": tasks,
            }
        )
    reports = []
    for report in plan.reports:
        deadline = when[f"{plan.id}/bao-cao/{report.id}"]
        day = report.annual_due
        reports.append(
            {
                "id": report.id,
                "quote": report.quote,
                "where": report.where,
                "annual_due": f"{day[0]:02d}/{day[1]:02d}" if day else None,
                "by": _agencies(report.by),
                "to": _agencies(report.to),
                "next_due": deadline.next.isoformat() if deadline.next else None,
                "notes": report.notes,
            }
        )
    body = {
        "id": plan.id,
        "url": urls.absolute(site_url, urls.plan_url(plan.id)),
        "citation": names.plan_citation(plan, issuer),
        "kind": plan.kind,
        "number": plan.number,
        "date": plan.date.isoformat() if plan.date else None,
        "place": plan.place,
        "jurisdiction": plan.jurisdiction,
        "issuer": {"id": issuer.id, "name": issuer.name},
        "title": plan.title,
        "signer": (
            {
                "name": plan.signer.name,
                "position": plan.signer.position,
                "authority": list(plan.signer.authority),
            }
            if plan.signer
            else None
        ),
        "implements": [_ref(t, portal, site_url) for t in plan.implements],
        "replaces": [_ref(t, portal, site_url) for t in plan.replaces],
        "source": {
            "url": plan.source.url,
            "original": plan.source.original.path if plan.source.original else None,
            "sha256": plan.source.original.sha256 if plan.source.original else None,
            "note": plan.source.note,
        },
        "groups": groups,
        "reports": reports,
        "downloads": _downloads(
            site_url, lambda fmt: urls.plan_data_url(plan.id, fmt), urls.plan_feed_url(plan.id)
        ),
    }
    return _dump(body, built)


def agency_twin(
    agency_id: str,
    portal: Portal,
    idx: Indexes,
    deadlines: Sequence[Deadline],
    site_url: str,
    built: dt.date,
) -> str:
    """`deadlines` are the agency's (deadlines.by_agency)."""
    agency = portal.agencies[agency_id]
    when = {d.key: d for d in deadlines}
    tasks = []
    for a in idx.assignments.get(agency_id, ()):
        deadline = when.get(f"{a.plan.id}/{a.task.id}")
        tasks.append(
            {
                "plan_id": a.plan.id,
                "task_id": a.task.id,
                "reference": names.task_reference(a.group, a.task),
                "role": a.role.value,
                "written": a.written,
                "text": a.task.text,
                "timeline": a.task.timeline.text if a.task.timeline else None,
                **(_when(deadline) if deadline else {}),
                "url": urls.absolute(site_url, urls.plan_url(a.plan.id) + "#" + a.task.anchor),
            }
        )
    reports = [
        {
            "plan_id": d.plan.id,
            "report_id": d.report.id,
            "duties": [duty.value for a, duty in d.agencies if a == agency_id],
            "quote": d.report.quote,
            "next_due": d.next.isoformat() if d.next else None,
            "url": urls.absolute(
                site_url, urls.plan_url(d.plan.id) + "#" + urls.report_anchor(d.report.id)
            ),
        }
        for d in deadlines
        if d.report is not None
    ]
    jurisdiction = portal.jurisdictions[agency.jurisdiction]
    body = {
        "id": agency.id,
        "url": urls.absolute(site_url, urls.agency_url(agency.id)),
        "name": agency.name,
        "names": list(agency.names),
        "collective": agency.collective,
        "jurisdiction": {"id": jurisdiction.id, "name": jurisdiction.name},
        "tasks": tasks,
        "reports": reports,
        "downloads": _downloads(
            site_url,
            lambda fmt: urls.agency_data_url(agency.id, fmt),
            urls.agency_feed_url(agency.id),
        ),
    }
    return _dump(body, built)


def document_twin(
    doc: Document, portal: Portal, idx: Indexes, site_url: str, built: dt.date
) -> str:
    body = {
        "id": doc.id,
        "url": urls.absolute(site_url, urls.document_url(doc.id)),
        "citation": names.document_citation(doc),
        "kind": doc.kind,
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "issuer": doc.issuer,
        "jurisdiction": doc.jurisdiction,
        "title": doc.title,
        "implements": [_ref(t, portal, site_url) for t in doc.implements],
        "implemented_by": [_ref(t, portal, site_url) for t in idx.implemented_by.get(doc.id, ())],
        "replaced_by": [_ref(t, portal, site_url) for t in idx.replaced_by.get(doc.id, ())],
    }
    return _dump(body, built)
