"""Repository-level promises: the deploy workflow is valid, the published schemas are current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

from generator.schema import FILE_MODELS

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def lint_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
    )


def test_pages_workflow_passes_the_github_workflow_schema() -> None:
    result = lint_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_lint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: 3\n", encoding="utf-8")
    assert lint_workflow(broken).returncode != 0


def test_workflow_tests_then_deploys_site_to_pages_on_main() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "bash scripts/test.sh" in runs and "bash scripts/build.sh" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert "refs/heads/main" in deploy["if"]


def test_published_json_schemas_match_the_model() -> None:
    for name, model in FILE_MODELS.items():
        published = json.loads(
            (ROOT / "data" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        )
        assert published == model.model_json_schema(), f"run: python -m generator schema ({name})"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme.split("\n## ", 1)[0]
    assert "bash scripts/build.sh" in readme.split("\n## ", 1)[0]
    assert ci.strip().splitlines()[-1] == "bash scripts/test.sh"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], capture_output=True, text=True, cwd=ROOT
    )


def test_code_passes_ruff_lint_and_format() -> None:
    lint = _run("ruff", "check", "generator", "tests", "hooks")
    assert lint.returncode == 0, lint.stdout
    fmt = _run("ruff", "format", "--check", "generator", "tests", "hooks")
    assert fmt.returncode == 0, fmt.stdout


def test_generator_type_checks_under_mypy_strict() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout
