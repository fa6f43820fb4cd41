"""Agency pages, the directory of each jurisdiction and the directory of all agencies."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from generator import names, urls
from generator.contexts import (
    AgenciesIndex,
    AgencyCount,
    AgencyPage,
    AgencyPlanTasks,
    AgencySection,
    JurisdictionPage,
    Link,
    RoleTasks,
)
from generator.derive import Assignment
from generator.domain import Agency, Level, Role
from generator.pages import Page
from generator.render.common import Rel, Site, relative_to
from generator.render.deadlines import feed


def role_tasks(site: Site, agency: Agency, role: Role, rel: Rel) -> RoleTasks:
    """The tasks `agency` holds in `role`, grouped by plan."""
    by_plan: dict[str, list[Assignment]] = defaultdict(list)
    for item in site.idx.assignments.get(agency.id, ()):
        if item.role is role:
            by_plan[item.plan.id].append(item)
    plans = []
    for plan_id, items in by_plan.items():
        plan = site.portal.plans[plan_id]
        caption = names.role_tasks_caption(role, plan, len(items))
        rows = tuple(site.row(a.plan, a.group, a.task, rel) for a in items)
        plans.append(
            AgencyPlanTasks(rel(urls.plan_url(plan_id)), site.plan_citation(plan), caption, rows)
        )
    return RoleTasks(role.value, names.role_tasks(role), tuple(plans))


def agency_page(site: Site, agency: Agency) -> Page:
    url = urls.agency_url(agency.id)
    rel = relative_to(url)
    jurisdiction = site.portal.jurisdictions[agency.jurisdiction]
    roles = tuple(role_tasks(site, agency, role, rel) for role in Role)
    lead, support = (sum(len(p.rows) for p in r.plans) for r in roles)
    context = AgencyPage(
        permalink=site.permalink(url, names.agency_citation(agency, jurisdiction)),
        jurisdiction=Link(rel(urls.jurisdiction_url(jurisdiction.id)), jurisdiction.name),
        name=agency.name,
        collective=agency.collective,
        names=agency.names,
        lead_count=lead,
        support_count=support,
        issued=tuple(
            site.plan_summary(p, rel) for p in site.portal.plans.values() if p.issuer == agency.id
        ),
        roles=roles,
        feed=feed(
            url, urls.agency_feed_url(agency.id), partial(urls.agency_data_url, agency.id), site
        ),
    )
    title = names.agency_title(agency, jurisdiction)
    return site.page(
        url, context, title, names.agency_description(agency), print_header=title, twin=True
    )


def agency_counts(site: Site, agencies: list[Agency], rel: Rel) -> tuple[AgencyCount, ...]:
    def count(agency: Agency, role: Role) -> int:
        return sum(1 for a in site.idx.assignments.get(agency.id, ()) if a.role is role)

    return tuple(
        AgencyCount(
            a.name,
            rel(urls.agency_url(a.id)),
            a.collective,
            count(a, Role.LEAD),
            count(a, Role.SUPPORT),
        )
        for a in sorted(agencies, key=lambda a: a.name)
    )


def jurisdiction_page(site: Site, jurisdiction_id: str) -> Page:
    jurisdiction = site.portal.jurisdictions[jurisdiction_id]
    url = urls.jurisdiction_url(jurisdiction_id)
    rel = relative_to(url)
    agencies = [a for a in site.portal.agencies.values() if a.jurisdiction == jurisdiction_id]
    context = JurisdictionPage(
        back=rel("co-quan/"),
        name=jurisdiction.name,
        plans=tuple(
            site.plan_summary(p, rel)
            for p in site.portal.plans.values()
            if p.jurisdiction == jurisdiction_id
        ),
        agencies=agency_counts(site, agencies, rel),
    )
    return site.page(
        url,
        context,
        names.jurisdiction_title(jurisdiction),
        names.jurisdiction_description(jurisdiction),
    )


def agencies_index(site: Site) -> Page:
    url = "co-quan/"
    rel = relative_to(url)
    sections = []
    for level in Level:
        for j in sorted(
            (j for j in site.portal.jurisdictions.values() if j.level is level),
            key=lambda j: j.name,
        ):
            agencies = [a for a in site.portal.agencies.values() if a.jurisdiction == j.id]
            if agencies:
                sections.append(
                    AgencySection(
                        j.name, rel(urls.jurisdiction_url(j.id)), agency_counts(site, agencies, rel)
                    )
                )
    title, description = names.INDEX_PAGES[url]
    return site.page(url, AgenciesIndex(tuple(sections)), title, description)
