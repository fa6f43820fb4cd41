"""The site checker finds what a reader would hit: dead links, missing anchors, outside fetches."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check_all, check_changes, check_site


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang=vi><body>{body}</body></html>", encoding="utf-8")


def test_checker_reports_missing_page_missing_anchor_and_third_party_fetch(tmp_path: Path) -> None:
    write(
        tmp_path, "index.html", '<a href="ke-hoach/a/#nv-4-1">ok</a><a href="ke-hoach/b/">dead</a>'
    )
    write(
        tmp_path,
        "ke-hoach/a/index.html",
        '<tr id="nv-4-1"></tr><a href="#nv-9">missing</a>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="canonical" href="https://example.org/ke-hoach/a/">'
        '<a href="https://example.org/">a link out is fine</a>',
    )
    problems = check_site(tmp_path)
    assert problems == [
        "index.html: liên kết hỏng: ke-hoach/b/",
        "ke-hoach/a/index.html: tải tài nguyên từ máy chủ bên ngoài: https://fonts.googleapis.com/css?family=Roboto",
        "ke-hoach/a/index.html: không có neo #nv-9 trong ke-hoach/a/index.html",
    ]


def test_root_relative_links_must_stay_under_the_base_path(tmp_path: Path) -> None:
    write(
        tmp_path,
        "404.html",
        '<a href="/portal/ke-hoach/">ok</a><a href="/portal/x/">dead</a><a href="/other/">out</a>',
    )
    write(tmp_path, "ke-hoach/index.html", "")
    assert check_site(tmp_path, "/portal/") == [
        "404.html: liên kết hỏng: /portal/x/",
        "404.html: liên kết ra ngoài thư mục của cổng: /other/",
    ]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_missing_anchors_in_other_pages_are_reported_in_link_order_on_any_number_of_cores(
    tmp_path: Path, workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are read apart, on every core; an #anchor missing in another page still appears
    where its link stands among the page's other problems, and on every page that links to it."""
    monkeypatch.setenv("GENERATOR_WORKERS", workers)
    write(tmp_path, "ke-hoach/a/index.html", '<tr id="nv-1"></tr>')
    write(
        tmp_path,
        "co-quan/x/index.html",
        '<a href="../y/">dead</a><a href="../../ke-hoach/a/#nv-9">gone</a>'
        '<a href="../../ke-hoach/a/#nv-1">ok</a><a href="../z/">dead too</a>',
    )
    write(tmp_path, "index.html", '<a href="ke-hoach/a/#nv-9">gone</a><a href="co-quan/x/">ok</a>')
    checked = check_all(tmp_path)
    assert checked.problems == [
        "co-quan/x/index.html: liên kết hỏng: ../y/",
        "co-quan/x/index.html: không có neo #nv-9 trong ke-hoach/a/index.html",
        "co-quan/x/index.html: liên kết hỏng: ../z/",
        "index.html: không có neo #nv-9 trong ke-hoach/a/index.html",
    ]
    assert checked.links["index.html"] == ["co-quan/x/index.html", "ke-hoach/a/index.html"]


# --- after an incremental build -------------------------------------------------------------


def _two_sites(tmp_path: Path) -> tuple[Path, Path]:
    """A published site where an agency page links to a task of a plan, and an empty folder
    for the files an incremental build changes."""
    previous, changed = tmp_path / "site", tmp_path / "changed"
    write(previous, "co-quan/x/index.html", '<a href="../../ke-hoach/a/#nv-1">nhiệm vụ 1</a>')
    write(previous, "ke-hoach/a/index.html", '<tr id="nv-1"></tr><tr id="nv-2"></tr>')
    write(previous, "index.html", '<a href="ke-hoach/a/">a</a>')
    changed.mkdir()
    return previous, changed


def test_incremental_check_rereads_an_unchanged_page_whose_anchor_target_lost_it(
    tmp_path: Path,
) -> None:
    previous, changed = _two_sites(tmp_path)
    before = check_all(previous)
    write(changed, "ke-hoach/a/index.html", '<tr id="nv-2"></tr>')  # task 1 deleted
    assert check_changes(
        previous, before.files, before.links, changed, frozenset(), "/"
    ).problems == ["co-quan/x/index.html: không có neo #nv-1 trong ke-hoach/a/index.html"]


def test_incremental_check_finds_links_into_a_removed_page(tmp_path: Path) -> None:
    previous, changed = _two_sites(tmp_path)
    before = check_all(previous)
    removed = frozenset({"ke-hoach/a/index.html"})
    assert check_changes(previous, before.files, before.links, changed, removed, "/").problems == [
        "co-quan/x/index.html: liên kết hỏng: ../../ke-hoach/a/#nv-1",
        "index.html: liên kết hỏng: ke-hoach/a/",
    ]


def test_incremental_check_reads_changed_pages_against_the_whole_site(tmp_path: Path) -> None:
    """A changed page's links are checked against unchanged pages' anchors, and the record it
    returns is the one a full check of the new site makes."""
    previous, changed = _two_sites(tmp_path)
    before = check_all(previous)
    home = '<a href="ke-hoach/a/#nv-2">2</a><a href="ke-hoach/a/#nv-3">3</a>'
    write(changed, "index.html", home)
    checked = check_changes(previous, before.files, before.links, changed, frozenset(), "/")
    assert checked.problems == ["index.html: không có neo #nv-3 trong ke-hoach/a/index.html"]
    write(previous, "index.html", home)
    assert checked == check_all(previous)
