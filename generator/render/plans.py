"""Plan pages, their groups' own pages, the plan list and the home page's plan list."""

from __future__ import annotations

from functools import partial
from pathlib import PurePosixPath

from generator import names, urls
from generator.contexts import (
    Absent,
    AgencyCount,
    GroupPage,
    HomeOverview,
    HomePlans,
    Link,
    PlanGroup,
    PlanPage,
    PlansIndex,
    PlansOverview,
    PlanSummary,
    PlanTextPage,
    ProvinceCount,
    ProvincePlans,
    SectionView,
    Signer,
    SourceView,
)
from generator.domain import Group, Level, Plan, Role, Section, Source
from generator.pages import Page
from generator.render.common import (
    IMPLEMENTERS_ON_PLAN_PAGE,
    PLAN_PAGE_BYTES,
    PLANS_ON_ONE_PAGE,
    Rel,
    Site,
    print_text,
    relative_to,
)
from generator.render.deadlines import feed, report_views
from generator.text import date_dmy, file_size


def section_view(section: Section, level: int = 3) -> SectionView:
    """A section and all its subsections, however deep, with their HTML heading levels."""
    return SectionView(
        section.heading,
        section.text,
        min(level, 6),  # HTML has no <h7>: deeper sections share <h6>
        tuple(section_view(s, level + 1) for s in section.subsections),
    )


def title_gap(group: Group) -> Absent | None:
    """The remark for a group the document gives no title (None when it has one)."""
    return None if group.title else Absent("không ghi tên nhóm", dict(group.gaps).get("title"))


def source_view(source: Source, rel: Rel) -> SourceView:
    original = source.original
    link = (
        Link(
            rel(urls.original_url(original.path)),
            f"{PurePosixPath(original.path).suffix.lstrip('.').upper()}, {file_size(original.size)}",
        )
        if original
        else None
    )
    return SourceView(
        original=link,
        sha256=original.sha256 if original else None,
        url=source.url,
        missing=None if original or source.url else Absent("cổng chưa có bản gốc của văn bản này"),
        note=source.note,
    )


def plan_pages(site: Site, plan: Plan) -> list[Page]:
    """The plan's page; a plan whose page would pass PLAN_PAGE_BYTES shows its narrative
    (the sections before the tasks) on a page of its own, linked from where it stood. The
    tasks stay: their #nv-… addresses are on the plan's page."""
    page = plan_page(site, plan, None)
    if len(page.text.encode()) <= PLAN_PAGE_BYTES or not plan.sections:
        return [page]
    url = urls.plan_text_url(plan.id)
    issuer = site.portal.agencies[plan.issuer]
    text = Link(relative_to(urls.plan_url(plan.id))(url), names.PLAN_TEXT)
    rel = relative_to(url)
    context = PlanTextPage(
        back=Link(rel(urls.plan_url(plan.id)), site.plan_citation(plan)),
        name=names.plan_name(plan),
        # Under the page's own <h1>: top sections are <h2> here (<h3> under the plan page's
        # "Nội dung kế hoạch").
        sections=tuple(section_view(s, level=2) for s in plan.sections),
    )
    return [
        plan_page(site, plan, text),
        site.page(
            url,
            context,
            names.plan_text_title(plan, issuer),
            names.plan_description(plan, issuer),
            print_header=site.plan_citation(plan),
        ),
    ]


def plan_page(site: Site, plan: Plan, text_page: Link | None) -> Page:
    url = urls.plan_url(plan.id)
    rel = relative_to(url)
    issuer = site.portal.agencies[plan.issuer]
    groups = tuple(
        PlanGroup(
            group.id,
            names.group_entry(group),
            title_gap(group),
            rel(urls.group_url(plan.id, group.id)),
            tuple(site.row(plan, group, t, rel, on_plan_page=True) for t in group.tasks),
        )
        for group in plan.groups
    )
    signer = plan.signer
    gaps = dict(plan.gaps)
    implementers = site.idx.implemented_by.get(plan.id, ())
    listed = len(implementers) <= IMPLEMENTERS_ON_PLAN_PAGE
    context = PlanPage(
        permalink=site.permalink(url, site.plan_citation(plan)),
        replaced_by=site.replaced_by(plan.id, rel),
        issuer=Link(rel(urls.agency_url(issuer.id)), issuer.name),
        name=names.plan_name(plan),
        title=plan.title or Absent("không ghi trích yếu", gaps.get("title")),
        number=plan.number or Absent(note=gaps.get("number")),
        date=date_dmy(plan.date) if plan.date else Absent(note=gaps.get("date")),
        place=plan.place,
        jurisdiction=site.portal.jurisdictions[plan.jurisdiction].name,
        signer=Signer(signer.authority, signer.position, signer.name) if signer else None,
        no_signer=Absent(note=gaps.get("signer")),
        implements=site.ref_links(plan.implements, rel),
        no_implements=Absent(),
        replaces=site.ref_links(plan.replaces, rel),
        implemented_by=site.implementers_tree(plan.id, rel) if listed else (),
        implementers=None
        if listed
        else Link(
            rel(site.implementers_list_url(plan.id)), names.implementers_link(len(implementers))
        ),
        task_count=len(plan.tasks),
        group_count=len(groups),
        groups=groups,
        source=source_view(plan.source, rel),
        sections=() if text_page else tuple(section_view(s) for s in plan.sections),
        text_page=text_page,
        tasks_title=plan.tasks_title,
        recipients=plan.recipients,
        reports=report_views(plan, rel),
        feed=feed(url, urls.plan_feed_url(plan.id), partial(urls.plan_data_url, plan.id), site),
        cite_in=names.in_plan(plan, issuer),
    )
    return site.page(
        url,
        context,
        names.plan_title(plan, issuer),
        names.plan_description(plan, issuer),
        twin=True,
    )


def involved_agencies(site: Site, group: Group, rel: Rel) -> tuple[AgencyCount, ...]:
    """The agencies a group's tasks name, most leading first."""
    counts: dict[str, dict[Role, int]] = {}
    for task in group.tasks:
        for role, refs in ((Role.LEAD, task.lead), (Role.SUPPORT, task.support)):
            for ref in refs:
                counts.setdefault(ref.agency_id, dict.fromkeys(Role, 0))[role] += 1
    rows = (
        AgencyCount(
            site.portal.agencies[agency_id].name,
            rel(urls.agency_url(agency_id)),
            False,
            n[Role.LEAD],
            n[Role.SUPPORT],
        )
        for agency_id, n in counts.items()
    )
    return tuple(sorted(rows, key=lambda a: (-a.lead, -a.support, a.name)))


def group_page(site: Site, plan: Plan, position: int) -> Page:
    group = plan.groups[position]
    url = urls.group_url(plan.id, group.id)
    rel = relative_to(url)
    issuer = site.portal.agencies[plan.issuer]

    def neighbour(at: int) -> Link | None:
        if not 0 <= at < len(plan.groups):
            return None
        other = plan.groups[at]
        return Link(rel(urls.group_url(plan.id, other.id)), names.group_heading(other))

    context = GroupPage(
        permalink=site.permalink(url, names.group_citation(plan, group, issuer)),
        plan=Link(rel(urls.plan_url(plan.id)), site.plan_citation(plan)),
        plan_name=names.plan_name(plan),
        heading=names.group_heading(group),
        title_gap=title_gap(group),
        theme=Link(rel(urls.theme_url(group.theme)), site.portal.themes[group.theme].name),
        task_count=len(group.tasks),
        table_caption=names.group_tasks_caption(group),
        cite_in=names.in_plan(plan, issuer),
        rows=tuple(site.row(plan, group, t, rel) for t in group.tasks),
        involved=involved_agencies(site, group, rel),
        previous=neighbour(position - 1),
        next=neighbour(position + 1),
    )
    return site.page(
        url,
        context,
        names.group_title(plan, group),
        names.group_description(plan, group, issuer),
        print_header=site.plan_citation(plan),
    )


def plans_overview(
    site: Site, rel: Rel
) -> tuple[tuple[PlanSummary, ...], tuple[ProvincePlans, ...]]:
    """The centre's plans, and each province's own plans with a count of its communes'."""
    places = site.portal.jurisdictions
    national = tuple(
        site.plan_summary(p, rel)
        for j in places.values()
        if j.level is Level.NATIONAL
        for p in site.plans_in.get(j.id, ())
    )
    provinces = []
    for province in sorted(places.values(), key=lambda j: j.name):
        if province.level is not Level.PROVINCE:
            continue
        communes = site.communes_of.get(province.id, ())
        commune_plans = sum(len(site.plans_in.get(c, ())) for c in communes)
        own = tuple(site.plan_summary(p, rel) for p in site.plans_in.get(province.id, ()))
        if own or commune_plans:
            provinces.append(
                ProvincePlans(
                    province.name,
                    own,
                    ProvinceCount(
                        province.name,
                        rel(urls.jurisdiction_url(province.id) + "#xa-phuong"),
                        commune_plans,
                        sum(1 for c in communes if site.plans_in.get(c)),
                    ),
                )
            )
    return national, tuple(provinces)


def plans_index(site: Site) -> Page:
    url = "ke-hoach/"
    rel = relative_to(url)
    title, description = names.INDEX_PAGES[url]
    if len(site.portal.plans) <= PLANS_ON_ONE_PAGE:
        return site.page(url, PlansIndex(site.plans_by_level(rel)), title, description)
    return site.page(url, PlansOverview(*plans_overview(site, rel)), title, description)


def home_snippet(site: Site) -> Page:
    """The plan list the hand-written home page includes (a dot file: not a page itself)."""
    rel = relative_to("")
    if len(site.portal.plans) <= PLANS_ON_ONE_PAGE:
        body = print_text(site.env, HomePlans(site.plans_by_level(rel)))
    else:
        body = print_text(site.env, HomeOverview(*plans_overview(site, rel)))
    return Page("ke-hoach/.trang-chu.md", body)
