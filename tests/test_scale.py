"""The portal at national scale (issue 17): the synthetic corpus, and a 100-plan build of it as
a smoke test. Speed is not tested here: bench/run.py measures it."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, run_generator

from generator import sitemap, synth, urls
from generator.cli import _portal
from generator.derive import derive
from generator.domain import TimelineKind
from generator.pages import Page
from generator.render import documents, plans, themes
from generator.render.common import Site, environment

PAGE_LIMIT = 80 * 1024


@pytest.fixture(scope="module")
def seed_portal():  # type: ignore[no-untyped-def]
    return _portal(ROOT)


@pytest.fixture(scope="session")
def synthetic_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 100-plan synthetic project, built once: (project, the build's output)."""
    project = tmp_path_factory.mktemp("synthetic") / "project"
    made = run_generator(ROOT, "synth", "--plans", "100", "--seed", "1", "--out", str(project))
    assert made.returncode == 0, made.stdout + made.stderr
    built = run_generator(project, "build")
    return project, built.stdout + built.stderr if built.returncode else ""


def test_same_arguments_give_the_same_corpus(seed_portal) -> None:  # type: ignore[no-untyped-def]
    assert synth.corpus(seed_portal, 60, 7) == synth.corpus(seed_portal, 60, 7)
    assert synth.corpus(seed_portal, 60, 7) != synth.corpus(seed_portal, 60, 8)


def test_corpus_has_every_province_every_timeline_kind_and_replacement_links(seed_portal) -> None:  # type: ignore[no-untyped-def]
    corpus = synth.corpus(seed_portal, 120, 1)
    jurisdictions = [f["jurisdiction"] for f in corpus.registry.values()]
    assert sum(1 for j in jurisdictions if j["level"] == "tinh") == 34
    assert len(corpus.plans) == 120
    assert synth.timeline_kinds(corpus) == set(TimelineKind)
    plan_ids = {p["id"] for p in corpus.plans}
    replaced_plans = {r for p in corpus.plans for r in p["replaces"] if r in plan_ids}
    replaced_documents = {r for p in corpus.plans for r in p["replaces"] if r not in plan_ids}
    assert replaced_plans and replaced_documents
    assert any(p["former_ids"] for p in corpus.plans)
    commune = next(j["id"] for j in jurisdictions if j["level"] == "xa")
    names = {
        a["name"].split(" xã ")[0].split(" phường ")[0]
        for a in corpus.registry[commune]["agencies"]
    }
    assert {"Ủy ban nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Hội Nông dân"} <= names


def test_synth_never_writes_into_the_project_data(tmp_path: Path) -> None:
    for out in (ROOT / "data", ROOT / "data" / "synthetic", ROOT):
        result = run_generator(ROOT, "synth", "--plans", "5", "--out", str(out))
        assert result.returncode == 1
        assert "không ghi dữ liệu tổng hợp vào dự án thật" in result.stderr
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "note.txt").write_text("giữ", encoding="utf-8")
    result = run_generator(ROOT, "synth", "--plans", "5", "--out", str(taken))
    assert result.returncode == 1 and "đã có nội dung" in result.stderr
    assert [p.name for p in taken.iterdir()] == ["note.txt"]


def test_synthetic_corpus_of_100_plans_builds_with_every_link_and_anchor_resolving(
    synthetic_build: tuple[Path, str],
) -> None:
    project, failure = synthetic_build
    # `build` fails on any link or #anchor of the built site that does not resolve.
    assert failure == ""
    plan_pages = [
        p
        for p in (project / "site" / "ke-hoach").glob("*/index.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")  # a former id's redirect
    ]
    assert len(plan_pages) == 100


def test_every_page_of_a_100_plan_build_is_at_most_80_kb(synthetic_build: tuple[Path, str]) -> None:
    project, failure = synthetic_build
    assert failure == ""
    site = project / "site"
    over = {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*.html")
        if p.stat().st_size > PAGE_LIMIT
    }
    assert over == {}


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _place_options(page: str) -> set[str]:
    picker = re.search(r'<select id="ckh-d-dia-ban">(.*?)</select>', page, re.S)
    assert picker, "no place filter"
    return set(re.findall(r'<option value="[^"]+">([^<]+)</option>', picker.group(1)))


def test_places_offered_and_listed_stay_province_wide_when_the_country_is_large(
    synthetic_build: tuple[Path, str],
) -> None:
    """At 3,400 plans a filter or a table of every place would put 300 KB in every deadlines
    page and 1.3 MB on the open-data page: past 60 places, the provinces, and a province's own
    communes; each commune's task tables are linked from its deadlines page."""
    project, failure = synthetic_build
    assert failure == ""
    site, portal = project / "site", _portal(project)
    places = portal.jurisdictions
    with_plans = {p.jurisdiction for p in portal.plans.values()}
    communes = sorted(j for j in with_plans if places[j].parent is not None)
    tops = {places[j].parent or j for j in with_plans}
    provinces = _place_options(_html(site, "thoi-han"))
    assert provinces == {places[j].name for j in tops}
    assert len(communes) > 30
    for commune in communes:
        page = _html(site, f"thoi-han/{commune}")
        parent = places[commune].parent
        siblings = {places[c].name for c in communes if places[c].parent == parent}
        assert _place_options(page) | {places[commune].name} == provinces | siblings
        table = f"du-lieu/dia-ban/{commune}.xlsx"
        assert f'{table}"' in page and (site / table).is_file()
    open_data = _html(site, "du-lieu")
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]+)</a></th>', open_data)
    assert set(rows) <= provinces and len(rows) < len(provinces) + len(communes)


def test_a_theme_across_the_country_links_each_province_page_and_every_group(
    synthetic_build: tuple[Path, str],
) -> None:
    project, _ = synthetic_build
    site = project / "site"
    theme = "tuyen-truyen"
    overview = _html(site, f"chu-de/{theme}")
    provinces = set(re.findall(r'href="([a-z0-9-]+)/"', overview))
    assert len(provinces) == 34
    groups_linked = set()
    for province in provinces:
        page = _html(site, f"chu-de/{theme}/{province}")
        groups_linked |= {
            link.split("ke-hoach/", 1)[1]
            for link in re.findall(r'href="([^"]*ke-hoach/[^"]*/nhom-[^"]*)"', page)
        }
    groups_in_theme = {
        f"{plan.name}/{group.name}/"
        for plan in (site / "ke-hoach").iterdir()
        for group in plan.glob("nhom-*")
        if f"chu-de/{theme}/" in (group / "index.html").read_text(encoding="utf-8")
        and 'http-equiv="refresh"' not in (group / "index.html").read_text(encoding="utf-8")
    }
    assert groups_in_theme and groups_linked == groups_in_theme


def test_an_agency_in_many_plans_has_its_tasks_on_numbered_pages_each_once(
    synthetic_build: tuple[Path, str],
) -> None:
    project, _ = synthetic_build
    site = project / "site"
    paged = sorted(p.parent.parent for p in site.glob("co-quan/*/*/trang-2/index.html"))
    assert paged, "no agency of the 100-plan corpus needed numbered pages"
    agency = paged[0]
    first = (agency / "index.html").read_text(encoding="utf-8")
    lead, support = map(
        int, re.search(r"Chủ trì (\d+) nhiệm vụ.*?Phối hợp (\d+) nhiệm vụ", first, re.S).groups()
    )
    rows = []
    for page in sorted(agency.glob("trang-*/index.html")):
        rows += re.findall(
            r'<tr data-cite="[^"]*"><th scope="row"><a href="([^"]+)"',
            page.read_text(encoding="utf-8"),
        )
    assert len(rows) == lead + support


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locs(xml: str, tag: str) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(xml).iter(f"{SITEMAP}{tag}")]


def test_sitemap_is_an_index_of_parts_within_the_protocol_limits() -> None:
    pages = [f"ke-hoach/p-{n}/" for n in range(2 * sitemap.URLS_PER_PART + 1)]
    files = sitemap.sitemap_files(pages, "https://example.org/ckh/")
    parts = _locs(files[sitemap.INDEX], "loc")
    assert parts == [f"https://example.org/ckh/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [loc for n in (1, 2, 3) for loc in _locs(files[f"sitemap-{n}.xml"], "loc")]
    assert listed == [f"https://example.org/ckh/{p}" for p in pages]
    for name, text in files.items():
        assert len(_locs(text, "loc")) <= 50_000 and len(text.encode()) <= 50_000_000, name


def test_built_sitemap_lists_every_page_and_no_redirect(real_site: Path) -> None:
    index = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert ElementTree.fromstring(index).tag == f"{SITEMAP}sitemapindex"
    base = "https://cong-ke-hoach.github.io/cong-ke-hoach/"
    listed = {
        loc.removeprefix(base)
        for part in _locs(index, "loc")
        for loc in _locs((real_site / part.removeprefix(base)).read_text(encoding="utf-8"), "loc")
    }
    pages = {
        p.relative_to(real_site).parent.as_posix().removeprefix(".") + "/"
        for p in real_site.rglob("index.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    }
    pages = {p.removeprefix("/") for p in pages}
    assert listed == pages - {"chi-muc/"} and "" in listed


def _site(project: Path):  # type: ignore[no-untyped-def]
    """The project's portal ready to render pages in-process (no QR codes: not looked at)."""
    portal = _portal(project)
    return Site(portal, derive(portal), environment(ROOT / "templates"), "https://x.test/", str)


def _links(page: Page) -> list[str]:
    """Every link of the page, as a site-relative URL."""
    here = page.path.removesuffix("index.md")
    return [
        posixpath.normpath(posixpath.join(here, href)) + ("/" if href.endswith("/") else "")
        for href in re.findall(r'href="([^"#]+)', page.text)
    ]


def test_a_theme_in_a_province_of_many_communes_is_on_numbered_pages_with_every_group(
    synthetic_build: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 3,400 plans a province's page of a theme listed its hundred communes' plans (98 KB):
    past THEME_PLANS_ON_ONE_PAGE plans it goes on numbered pages, each holding at most that
    many, linked to each other, together every group of the theme. The 100-plan corpus has
    two to four plans a province: a limit of one shows the same."""
    project, _ = synthetic_build
    site = _site(project)
    monkeypatch.setattr(themes, "THEME_PLANS_ON_ONE_PAGE", 1)
    theme = "tuyen-truyen"
    pages = {p.path.removesuffix("index.md"): p for p in themes.theme_pages(site, theme)}
    wanted = [urls.group_url(plan.id, group.id) for plan, group in site.idx.groups_by_theme[theme]]
    provinces = [u for u in pages if re.fullmatch(rf"chu-de/{theme}/[a-z0-9-]+/", u)]
    assert provinces and set(_links(pages[f"chu-de/{theme}/"])) >= set(provinces)
    linked: list[str] = []
    paged = 0
    for province in provinces:
        own = sorted(u for u in pages if u.startswith(province))
        paged += len(own) > 1
        for url in own:
            links = _links(pages[url])
            plans = {u for u in links if re.fullmatch(r"ke-hoach/[^/]+/", u)}
            assert len(plans) <= 1, url
            # Each page links every page of its province (the pager), and no other.
            assert {u for u in links if u.startswith(province)} == set(own) - {url}, url
            linked += [u for u in links if "/nhom-" in u]
    assert paged > 10
    assert sorted(linked) == sorted(wanted)


def test_a_plan_implemented_by_many_links_the_list_of_them(
    synthetic_build: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 3,400 plans a province's plan listed its hundred communes' plans that implement it
    (16 KB of its page): past IMPLEMENTERS_ON_PLAN_PAGE it says how many and links the
    document graph's list, which names every one of them."""
    project, _ = synthetic_build
    site = _site(project)
    monkeypatch.setattr(plans, "IMPLEMENTERS_ON_PLAN_PAGE", 1)
    graph = {p.path.removesuffix("index.md"): p for p in documents.graph_pages(site)}
    many = [p for p in site.portal.plans if len(site.idx.implemented_by.get(p, ())) > 1]
    assert many
    for plan_id in many:
        page = plans.plan_page(site, site.portal.plans[plan_id], None)
        implementers = {urls.plan_url(i) for i in site.idx.implemented_by[plan_id]}
        assert not implementers & set(_links(page)), plan_id
        said = re.search(
            r'<dt>Được triển khai bởi</dt><dd><a href="([^"]+)">(\d+) kế hoạch', page.text
        )
        assert said and int(said.group(2)) == len(implementers), plan_id
        href, anchor = said.group(1).split("#")
        listing = graph[posixpath.normpath(f"ke-hoach/{plan_id}/{href}") + "/"]
        assert f'id="{anchor}"' in listing.text
        assert implementers <= set(_links(listing)), plan_id
