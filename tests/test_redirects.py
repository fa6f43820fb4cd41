"""Old addresses keep working after an id changes (`former_ids`, data/README.md): the page at the
old address sends the reader on to the new one, keeping the task's #nv-… part, and a renumbered
task's row still answers to its old anchor. Checked on the seed portal with former ids given
to one plan, group, task, agency and document, rendered in this process (the browser test in
tests/test_permalinks.py follows such a redirect on a built site)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT
from test_what_pages_say import parsed, target

from generator.deadlines import all_deadlines
from generator.derive import derive
from generator.domain import Portal
from generator.load import load_data
from generator.model import build_portal
from generator.render import Dates, redirect_pages, redirects, render
from generator.render.common import Site, environment, relative_to
from generator.site import site_url

PLAN = "nghe-an-686-kh-ubnd-2025"
AGENCY = "nghe-an/so-tai-chinh"
DOCUMENT = "chi-thi-39-ct-tw-2024"


@pytest.fixture(scope="module")
def renamed() -> Portal:
    """The seed portal as if the plan, its first group and that group's first task, an agency
    and a document had each been renamed, the old id kept in `former_ids`."""
    raw, errors = load_data(ROOT / "data")
    assert errors == []
    portal, _ = build_portal(raw)
    plan = portal.plans[PLAN]
    group, *groups = plan.groups
    task, *tasks = group.tasks
    task = dataclasses.replace(task, former_ids=("cu-1",))
    group = dataclasses.replace(group, former_ids=("nhom-cu",), tasks=(task, *tasks))
    plan = dataclasses.replace(plan, former_ids=("ke-hoach-cu",), groups=(group, *groups))
    agency = dataclasses.replace(portal.agencies[AGENCY], former_ids=("nghe-an/so-cu",))
    document = dataclasses.replace(portal.documents[DOCUMENT], former_ids=("chi-thi-cu",))
    return dataclasses.replace(
        portal,
        plans={**portal.plans, PLAN: plan},
        agencies={**portal.agencies, AGENCY: agency},
        documents={**portal.documents, DOCUMENT: document},
    )


def test_every_old_address_leads_to_the_page_that_replaced_it(renamed: Portal) -> None:
    plan = renamed.plans[PLAN]
    new = f"ke-hoach/{PLAN}/"
    first = plan.groups[0].id
    wanted = {"ke-hoach/ke-hoach-cu/": new}
    for group in plan.groups:
        wanted[f"ke-hoach/ke-hoach-cu/nhom-{group.id}/"] = f"{new}nhom-{group.id}/"
    wanted["ke-hoach/ke-hoach-cu/nhom-nhom-cu/"] = f"{new}nhom-{first}/"
    wanted[f"{new}nhom-nhom-cu/"] = f"{new}nhom-{first}/"
    wanted["co-quan/nghe-an/so-cu/"] = f"co-quan/{AGENCY}/"
    wanted["van-ban/chi-thi-cu/"] = f"van-ban/{DOCUMENT}/"
    assert redirects(renamed) == wanted


def test_the_page_at_an_old_address_sends_the_reader_on_with_the_task_anchor(
    renamed: Portal, tmp_path: Path
) -> None:
    site = Site(renamed, derive(renamed), environment(ROOT / "templates"), site_url(ROOT), str)
    moved = redirects(renamed)
    pages = redirect_pages(site, moved)
    assert sorted(p.path for p in pages) == sorted(old + "index.html" for old in moved)
    for page in pages:
        path = tmp_path / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
        old = page.path.removesuffix("index.html")
        new = moved[old]
        root = parsed(path)
        link = next(n for n in root.walk() if n.tag == "a")
        canonical = next(n for n in root.walk() if n.tag == "link")
        refresh = next(n for n in root.walk() if n.attrs.get("http-equiv") == "refresh")
        script = next(n for n in root.walk() if n.tag == "script").children[0]
        href = str(link.attrs["href"])
        assert target(old, href) == new, page.path
        assert (link.text(), canonical.attrs["href"]) == (new, site_url(ROOT) + new), page.path
        assert refresh.attrs["content"] == f"0; url={href}", page.path
        # The task's anchor goes along: a link to an old #nv-… lands on the task.
        assert re.fullmatch(
            rf'location\.replace\("{re.escape(href)}" \+ location\.hash\);', str(script)
        )


def test_a_renumbered_tasks_row_still_answers_to_its_old_anchor(renamed: Portal) -> None:
    site = Site(renamed, derive(renamed), environment(ROOT / "templates"), site_url(ROOT), str)
    plan = renamed.plans[PLAN]
    group = plan.groups[0]
    url = f"ke-hoach/{PLAN}/"
    on_page = site.row(plan, group, group.tasks[0], relative_to(url), on_plan_page=True)
    elsewhere = site.row(plan, group, group.tasks[0], relative_to(url))
    assert (on_page.anchor, on_page.former_anchors) == (group.tasks[0].anchor, ("nv-cu-1",))
    assert (elsewhere.anchor, elsewhere.former_anchors) == (None, ())


def test_the_build_writes_a_page_at_every_old_address_and_counts_each_plan_and_agency(
    renamed: Portal,
) -> None:
    """All the pages together (render): one at each old address; the progress line advances
    once a plan and once an agency, reaching the total the build announces for them."""
    built = dt.date(2025, 9, 1)
    counted: list[int] = []
    dates = Dates(built, all_deadlines(renamed, built), defaultdict(int), ())
    made = render(
        renamed,
        derive(renamed),
        ROOT / "templates",
        site_url(ROOT),
        dates,
        qr=str,
        advance=counted.append,
    )
    paths = {page.path for page in made}
    assert {f"{old}index.html" for old in redirects(renamed)} <= paths
    assert sum(counted) == len(renamed.plans) + len(renamed.agencies)
