"""The task finder's filter choices: which places, plans and agencies its lists offer."""

from __future__ import annotations

from typing import Any

from generator.domain import Portal
from generator.names import plan_name
from generator.search.documents import jurisdiction_order, ordered_agencies, ordered_plans
from generator.text import date_dmy


def facet_files(portal: Portal) -> dict[str, Any]:
    """The finder's filter choices: `index` lists the top jurisdictions; one file a jurisdiction
    lists its communes, plans and agencies (so no reader downloads every commune's list)."""
    places = jurisdiction_order(portal)
    children: dict[str, list[list[str]]] = {}
    for j in places:
        if j.parent is not None:
            children.setdefault(j.parent, []).append([j.id, j.name])
    plans: dict[str, list[list[str]]] = {}
    for p in ordered_plans(portal):
        label = plan_name(p) + (f" ({date_dmy(p.date)})" if p.date else "")
        plans.setdefault(p.jurisdiction, []).append([p.id, label])
    agencies: dict[str, list[list[str]]] = {}
    for a in ordered_agencies(portal):
        agencies.setdefault(a.jurisdiction, []).append([a.id, a.name])
    out: dict[str, Any] = {"index": [[j.id, j.name] for j in places if j.parent is None]}
    for j in places:
        out[j.id] = {
            "id": j.id,
            "name": j.name,
            "parent": j.parent,
            "children": children.get(j.id, []),
            "plans": plans.get(j.id, []),
            "agencies": agencies.get(j.id, []),
        }
    return out
