"""The pipeline picture of DESIGN.md stays true: imports run one way, cli → stages → model and
values; no stage imports a later one (scripts/import_graph.py prints the graph)."""

from __future__ import annotations

import importlib.util

from conftest import ROOT

# Lower runs first. Values and declarations every stage may use, then the stages in pipeline
# order, then the command line. A module of a package (render.plans) has its package's rank.
RANKS = {
    **dict.fromkeys(
        (
            "errors",
            "text",
            "domain",
            "urls",
            "pages",
            "contexts",
            "permalink",
            "graph",
            "ids",
            "parallel",
            "progress",
            "store",
        ),
        0,
    ),
    **dict.fromkeys(("schema", "names", "timeline"), 1),
    "load": 2,
    "synth": 2,  # writes a data folder for load to read; reads the seed portal's values
    "validate": 3,
    "model": 4,
    "derive": 5,
    "deadlines": 5,  # derive: what falls due when, from the portal and the build date
    # The files beside the pages (tables, calendars, JSON twins): made from derived values,
    # described on pages (render), gathered into downloads by opendata beside search.
    **dict.fromkeys(("exports", "ics", "twins"), 5.5),
    # The clerk's tools: read a table into a plan file, scaffold a plan, their commands.
    "importer": 5,
    "scaffold": 6,
    "authoring": 7,
    "render": 6,
    "opendata": 7,
    "search": 7,
    "manifest": 7,
    "sitemap": 7,
    "write": 8,
    "site": 9,
    "check": 9,
    "cli": 10,
    "__main__": 11,
}


def _graph() -> dict[str, set[str]]:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph: dict[str, set[str]] = module.graph(ROOT / "generator")
    return graph


def _rank(module: str) -> int:
    top = module.removeprefix("generator").lstrip(".").split(".")[0]
    assert top in RANKS, f"{module}: new module; give it its place in RANKS"
    return RANKS[top]


def _top(module: str) -> str:
    return module.removeprefix("generator").lstrip(".").split(".")[0]


def test_no_module_imports_a_later_stage() -> None:
    backwards = [
        f"{source} imports {target}"
        for source, targets in _graph().items()
        if source != "generator"
        for target in targets
        if _top(source) != _top(target) and _rank(target) >= _rank(source)
    ]
    assert backwards == []


def test_the_check_sees_a_stage_reaching_back() -> None:
    assert _rank("generator.render.plans") > _rank("generator.model")
    assert "generator.render.common" in _graph()["generator.render.plans"]
