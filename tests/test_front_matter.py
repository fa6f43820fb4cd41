"""A page's front matter reads back, through the YAML loader MkDocs uses, as exactly the title,
description and settings the generator meant, whatever the data text holds."""

from __future__ import annotations

import html

import pytest
import yaml

from generator.render.common import front_matter

HOSTILE = [
    "Kế hoạch số 12/KH-UBND: “thực hiện” Chỉ thị 39",
    'Tên có "ngoặc kép", \\ gạch chéo ngược, # dấu thăng và: hai chấm',
    "- bắt đầu bằng gạch đầu dòng",
    "'nháy đơn' ở đầu",
    "null",
    "yes",
    "12.50",
    "</title><script>alert(1)</script>",
    "dòng một\ndòng hai\ttab",
    "ký tự điều khiển \x85 \x7f \x9f và \u2028 \u2029",
    "ngoài mặt phẳng cơ bản: \U0001f600 \U000e0001",
    "  khoảng trắng đầu và cuối  ",
    "x" * 300,
    "",
]


def read_back(text: str) -> dict[str, object]:
    """The front matter as MkDocs reads it (mkdocs.utils.meta: between --- lines, SafeLoader)."""
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    loaded = yaml.safe_load(text[4 : -len("---\n\n")])
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize("title", HOSTILE)
def test_front_matter_reads_back_as_written(title: str) -> None:
    meta = read_back(front_matter(title, "Mô tả: " + title, print_header=title, twin=True))
    assert meta["title"] == html.escape(title)
    assert meta["description"] == html.escape("Mô tả: " + title)
    assert meta["hide"] == ["navigation", "toc"]
    if title:  # an empty header is no header
        assert str(meta["print_header_css"]).startswith('"')
    assert meta["json_twin"] == "index.json"


def test_front_matter_without_options_has_only_its_three_keys() -> None:
    meta = read_back(front_matter("Trang chủ", "Cổng Kế hoạch", hide=("toc",)))
    assert meta == {"title": "Trang chủ", "description": "Cổng Kế hoạch", "hide": ["toc"]}
