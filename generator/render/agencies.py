"""Agency pages, the directory of each jurisdiction and the directory of all agencies."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from generator import names, urls
from generator.contexts import (
    AgenciesIndex,
    AgenciesOverview,
    AgencyCount,
    AgencyPage,
    AgencyPlanTasks,
    AgencySection,
    AgencyTasksPage,
    JurisdictionPage,
    Link,
    MemberLink,
    PagerLink,
    ProvinceCount,
    RoleTasks,
    ViaCollective,
)
from generator.derive import Assignment
from generator.domain import Agency, Jurisdiction, Level, Role
from generator.pages import Page
from generator.render.common import (
    AGENCIES_ON_ONE_PAGE,
    AGENCY_ROWS_ON_ONE_PAGE,
    Rel,
    Site,
    relative_to,
)
from generator.render.deadlines import feed

# (role, plan id, the agency's tasks there in that role): the unit pages are cut along.
PlanTasks = tuple[Role, str, tuple[Assignment, ...]]


def plan_tasks(site: Site, agency: Agency) -> list[PlanTasks]:
    """The tasks `agency` holds, by role (leading first), then by plan."""
    by_plan: dict[tuple[Role, str], list[Assignment]] = defaultdict(list)
    for item in site.idx.assignments.get(agency.id, ()):
        by_plan[(item.role, item.plan.id)].append(item)
    return [
        (role, plan_id, tuple(items))
        for role in Role
        for (r, plan_id), items in by_plan.items()
        if r is role
    ]


def page_cuts(entries: list[PlanTasks], limit: int) -> list[list[PlanTasks]]:
    """`entries` in order, cut into pages of at most `limit` rows; a plan's tasks in one role
    stay on one page (a page holds more than `limit` only when one plan alone does)."""
    pages: list[list[PlanTasks]] = []
    for entry in entries:
        if pages and sum(len(e[2]) for e in pages[-1]) + len(entry[2]) <= limit:
            pages[-1].append(entry)
        else:
            pages.append([entry])
    return pages


def plan_anchor(role: Role, plan_id: str) -> str:
    return f"{role.value}-{plan_id}"


def roles_shown(site: Site, entries: list[PlanTasks], rel: Rel) -> tuple[RoleTasks, ...]:
    """The tasks of `entries` under their role's heading, a table a plan."""
    roles = []
    for role in Role:
        plans = []
        for r, plan_id, items in entries:
            if r is not role:
                continue
            plan = site.portal.plans[plan_id]
            plans.append(
                AgencyPlanTasks(
                    plan_anchor(role, plan_id),
                    rel(urls.plan_url(plan_id)),
                    site.plan_citation(plan),
                    names.role_tasks_caption(role, plan, len(items)),
                    names.in_plan(plan, site.portal.agencies[plan.issuer]),
                    tuple(site.row(a.plan, a.group, a.task, rel) for a in items),
                )
            )
        roles.append(RoleTasks(role.value, names.role_tasks(role), tuple(plans)))
    return tuple(roles)


def via_collectives(site: Site, agency: Agency, rel: Rel) -> tuple[ViaCollective, ...]:
    """The tasks of the collectives `agency` belongs to, by collective, then role and plan."""
    grouped: dict[str, dict[tuple[Role, str], list[Assignment]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for a in site.idx.via_collectives.get(agency.id, ()):
        grouped[a.via or ""][(a.role, a.plan.id)].append(a)
    out = []
    for collective_id, by_role in grouped.items():
        collective = site.portal.agencies[collective_id]
        plans = []
        for (role, plan_id), items in by_role.items():
            plan = site.portal.plans[plan_id]
            plans.append(
                AgencyPlanTasks(
                    f"qua-{collective.slug}-{plan_anchor(role, plan_id)}",
                    rel(urls.plan_url(plan_id)),
                    site.plan_citation(plan),
                    names.via_tasks_caption(role, collective.name, plan, len(items)),
                    names.in_plan(plan, site.portal.agencies[plan.issuer]),
                    tuple(site.row(a.plan, a.group, a.task, rel) for a in items),
                )
            )
        out.append(
            ViaCollective(collective.name, rel(urls.agency_url(collective_id)), tuple(plans))
        )
    return tuple(out)


def agency_pages(site: Site, agency: Agency) -> list[Page]:
    """The agency's page with its tasks; an agency named in more tasks than one page holds
    gets a page of counts by plan, its tasks on numbered pages after it."""
    url = urls.agency_url(agency.id)
    rel = relative_to(url)
    jurisdiction = site.portal.jurisdictions[agency.jurisdiction]
    entries = plan_tasks(site, agency)
    paged = sum(len(e[2]) for e in entries) > AGENCY_ROWS_ON_ONE_PAGE
    cuts = page_cuts(entries, AGENCY_ROWS_ON_ONE_PAGE) if paged else []
    # Page 1 is the agency's own page; its tasks then start on page 2.
    via = via_collectives(site, agency, rel)
    page_of = {(e[0], e[1]): n for n, cut in enumerate(cuts, start=2) for e in cut}
    context = AgencyPage(
        permalink=site.permalink(url, names.agency_citation(agency, jurisdiction)),
        jurisdiction=Link(rel(urls.jurisdiction_url(jurisdiction.id)), jurisdiction.name),
        name=agency.name,
        collective=agency.collective,
        names=agency.names,
        lead_count=sum(len(e[2]) for e in entries if e[0] is Role.LEAD),
        support_count=sum(len(e[2]) for e in entries if e[0] is Role.SUPPORT),
        issued=tuple(
            site.plan_summary(p, rel)
            for p in site.plans_in.get(agency.jurisdiction, ())
            if p.issuer == agency.id
        ),
        roles=() if paged else roles_shown(site, entries, rel),
        pages=pager(agency.id, len(cuts) + 1, 1, rel) if paged else (),
        where=tuple(
            Link(
                rel(urls.agency_tasks_url(agency.id, page_of[(role, plan_id)]))
                + "#"
                + plan_anchor(role, plan_id),
                names.role_tasks_in(
                    role, site.plan_citation(site.portal.plans[plan_id]), len(items)
                ),
            )
            for role, plan_id, items in entries
            if paged
        ),
        feed=feed(
            url, urls.agency_feed_url(agency.id), partial(urls.agency_data_url, agency.id), site
        ),
        via=via,
        via_count=sum(len(p.rows) for c in via for p in c.plans),
        members=tuple(
            MemberLink(
                rel(urls.agency_url(m.agency_id)), site.portal.agencies[m.agency_id].name, m.source
            )
            for m in agency.members
        ),
    )
    title = names.agency_title(agency, jurisdiction)
    description = names.agency_description(agency)
    pages = [site.page(url, context, title, description, print_header=title, twin=True)]
    for number, cut in enumerate(cuts, start=2):
        page_url = urls.agency_tasks_url(agency.id, number)
        page_rel = relative_to(page_url)
        pages.append(
            site.page(
                page_url,
                AgencyTasksPage(
                    back=Link(page_rel(url), agency.name),
                    heading=names.agency_tasks_heading(number, len(cuts) + 1),
                    pages=pager(agency.id, len(cuts) + 1, number, page_rel),
                    roles=roles_shown(site, cut, page_rel),
                ),
                names.agency_tasks_title(agency, jurisdiction, number),
                names.agency_description(agency),
                print_header=title,
            )
        )
    return pages


def pager(agency_id: str, count: int, current: int, rel: Rel) -> tuple[PagerLink, ...]:
    return tuple(
        PagerLink(rel(urls.agency_tasks_url(agency_id, n)), str(n), n == current)
        for n in range(1, count + 1)
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
    places = site.portal.jurisdictions
    context = JurisdictionPage(
        back=rel("co-quan/"),
        name=jurisdiction.name,
        plans=tuple(site.plan_summary(p, rel) for p in site.plans_in.get(jurisdiction_id, ())),
        agencies=agency_counts(site, list(site.agencies_in.get(jurisdiction_id, ())), rel),
        communes=tuple(
            ProvinceCount(
                places[c].name,
                rel(urls.jurisdiction_url(c)),
                len(site.plans_in.get(c, ())),
                len(site.agencies_in.get(c, ())),
            )
            for c in site.communes_of.get(jurisdiction_id, ())
        ),
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
    title, description = names.INDEX_PAGES[url]
    places = sorted(
        site.portal.jurisdictions.values(), key=lambda j: (list(Level).index(j.level), j.name)
    )
    if len(site.portal.agencies) > AGENCIES_ON_ONE_PAGE:
        return site.page(url, agencies_overview(site, rel, places), title, description)
    sections = [
        AgencySection(
            j.name,
            rel(urls.jurisdiction_url(j.id)),
            agency_counts(site, list(site.agencies_in[j.id]), rel),
        )
        for j in places
        if site.agencies_in.get(j.id)
    ]
    return site.page(url, AgenciesIndex(tuple(sections)), title, description)


def agencies_overview(site: Site, rel: Rel, places: list[Jurisdiction]) -> AgenciesOverview:
    """The central bodies in full; each province with its communes and plans counted."""
    national = next(j for j in places if j.level is Level.NATIONAL)
    provinces = []
    for province in (j for j in places if j.level is Level.PROVINCE):
        communes = site.communes_of.get(province.id, ())
        plans = len(site.plans_in.get(province.id, ()))
        plans += sum(len(site.plans_in.get(c, ())) for c in communes)
        provinces.append(
            ProvinceCount(
                province.name, rel(urls.jurisdiction_url(province.id)), plans, len(communes)
            )
        )
    return AgenciesOverview(
        AgencySection(
            national.name,
            rel(urls.jurisdiction_url(national.id)),
            agency_counts(site, list(site.agencies_in.get(national.id, ())), rel),
        ),
        tuple(provinces),
    )
