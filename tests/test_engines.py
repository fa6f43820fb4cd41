"""Both site engines (MkDocs, the default, and Zensical) build the same portal from the same
generated docs/ and mkdocs.yml: every published address, the same pages, a strict build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, Watched, run_generator, serve
from test_accessibility import axe_violations
from test_data_errors import snapshot

from generator.manifest import parse_manifest


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _serves(site: Path, url: str) -> bool:
    """Whether the built `site` has the page or file at `url`, and the #anchor on that page."""
    path, _, anchor = url.partition("#")
    page = site / path
    if not path or path.endswith("/"):
        page = page / "index.html"  # else a download or a page's JSON twin
    if not page.is_file():
        return False
    return not anchor or f'id="{anchor}"' in page.read_text(encoding="utf-8")


def test_every_published_url_is_a_page_of_either_engine(engine_site: Path) -> None:
    """Each address of the manifest is a page or file of the built site, and each #anchor in it
    an id on that page (a redirect page counts: it serves the address)."""
    published = parse_manifest((ROOT / "published-urls.txt").read_text(encoding="utf-8"))
    assert [url for url in sorted(published) if not _serves(engine_site, url)] == []
    assert len(published) > 100  # the shipped manifest, not an empty one


def test_zensical_builds_the_same_pages_and_sitemap_as_mkdocs(
    real_site: Path, zensical_site: Path
) -> None:
    assert _pages(zensical_site) == _pages(real_site)

    def locations(site: Path) -> list[str]:
        text = (site / "sitemap.xml").read_text(encoding="utf-8")
        return sorted(line.strip() for line in text.splitlines() if "<loc>" in line)

    assert locations(zensical_site) == locations(real_site)


def test_zensical_build_with_a_broken_link_fails_and_keeps_the_site(minimal_project: Path) -> None:
    assert run_generator(minimal_project, "build").returncode == 0
    before = snapshot(minimal_project / "site")
    about = minimal_project / "docs" / "gioi-thieu.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n[Trang cũ](khong-co-trang-nay.md)\n",
        encoding="utf-8",
    )
    result = run_generator(minimal_project, "build", "--engine", "zensical")
    assert result.returncode == 1
    assert "gioi-thieu.md:" in result.stderr and "page does not exist" in result.stderr
    assert snapshot(minimal_project / "site") == before
    assert [p.name for p in minimal_project.glob(".site-*")] == []  # no temporary folder or config


@pytest.mark.browser
def test_axe_finds_nothing_serious_on_a_zensical_plan_page(
    zensical_site: Path, watched: Watched, npm_tools: dict[str, Path]
) -> None:
    """One page, not every kind (test_accessibility does those on the default engine): what
    differs between engines is the theme's frame, the same on every page. Zensical's frame
    once drew a hidden focusable colour switch here."""
    with serve(zensical_site) as url:
        watched.page.goto(url + "ke-hoach/nghe-an-686-kh-ubnd-2025/")
        assert axe_violations(watched.page, npm_tools["axe"]) == []
