"""Templates print typed contexts: each names exactly the fields of its page kind's dataclass,
and recursive data (plan sections) shows however deep it goes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, run_generator
from jinja2 import meta, nodes

from generator.contexts import TEMPLATES
from generator.render.common import environment


def names_used(env: jinja2.Environment, template: str) -> set[str]:
    """The top-level names `template` reads, through the templates it includes; a name an
    including template binds itself (`{% with %}`, `{% for %}`, `{% set %}`) is not one."""
    source = env.loader.get_source(env, template)[0]  # type: ignore[union-attr]
    tree = env.parse(source)
    used = set(meta.find_undeclared_variables(tree))
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for include in tree.find_all(nodes.Include):
        assert isinstance(include.template, nodes.Const), f"{template}: include by a variable"
        used |= names_used(env, include.template.value) - bound
    return used


@pytest.mark.parametrize("context, template", sorted(TEMPLATES.items(), key=lambda kv: kv[1]))
def test_each_template_prints_exactly_the_fields_of_its_context(
    context: type, template: str
) -> None:
    env = environment(ROOT / "templates")
    declared = {f.name for f in dataclasses.fields(context)}
    used = names_used(env, template)
    assert used - declared == set(), f"{template} reads names {context.__name__} lacks"
    assert declared - used == set(), f"{context.__name__} has fields {template} never prints"


def test_the_field_check_catches_a_template_reading_an_undeclared_name(tmp_path: Path) -> None:
    (tmp_path / "page.md.j2").write_text('<h1>{{ name }}</h1>{% include "part.md.j2" %}')
    (tmp_path / "part.md.j2").write_text("{% for r in rows %}{{ r }}{{ total }}{% endfor %}")
    assert names_used(environment(tmp_path), "page.md.j2") == {"name", "rows", "total"}


def test_a_fourth_level_section_shows_on_the_built_plan_page(minimal_project: Path) -> None:
    plan_file = next((minimal_project / "data" / "plans").glob("*.yaml"))
    deep = "\n".join(
        [
            "    subsections:",
            "      - heading: 1. Cấp hai",
            "        text: Đoạn cấp hai.",
            "        subsections:",
            "          - heading: a) Cấp ba",
            "            text: Đoạn cấp ba.",
            "            subsections:",
            "              - heading: Cấp bốn",
            "                text: Đoạn cấp bốn, trước đây không hiện ra.",
            "                subsections: []",
        ]
    )
    text = plan_file.read_text(encoding="utf-8")
    assert text.count("    subsections: []") == 1
    plan_file.write_text(text.replace("    subsections: []", deep), encoding="utf-8")
    result = run_generator(minimal_project, "build")
    assert result.returncode == 0, result.stderr
    page = (minimal_project / "site" / "ke-hoach" / plan_file.stem / "index.html").read_text(
        encoding="utf-8"
    )
    headings = re.findall(r"<h(\d)[^>]*>(I\. MỤC ĐÍCH|1\. Cấp hai|a\) Cấp ba|Cấp bốn)", page)
    assert headings == [
        ("3", "I. MỤC ĐÍCH"),
        ("4", "1. Cấp hai"),
        ("5", "a) Cấp ba"),
        ("6", "Cấp bốn"),
    ]
    assert "Đoạn cấp bốn, trước đây không hiện ra." in page
