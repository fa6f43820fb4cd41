"""The site checker finds what a reader would hit: dead links, missing anchors, outside fetches."""

from __future__ import annotations

from pathlib import Path

from generator.check import check_site


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
