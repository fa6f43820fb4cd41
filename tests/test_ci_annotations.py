"""In GitHub Actions, data errors reach the pull request's diff as annotations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_generator
from test_data_errors import PLAN, edit, line_of


def test_data_errors_are_workflow_annotations_on_file_and_line_in_github_actions(
    minimal_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(minimal_project, PLAN, "lead: [Sở Tài chính]", "lead: [Sở Tài chánh]")
    edit(minimal_project, PLAN, "date: 2025-08-21", "date: 21/08/2025")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    lead = line_of(minimal_project, PLAN, "Sở Tài chánh")
    date = line_of(minimal_project, PLAN, "date: 21/08/2025")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 2
    assert annotations[0].startswith(f"::error file={PLAN},line={date},title=date::")
    assert annotations[1].startswith(
        f"::error file={PLAN},line={lead},title=groups[0].tasks[0].lead[0]::"
    )
    assert "không có cơ quan “Sở Tài chánh”" in annotations[1]


def test_outside_github_actions_errors_are_only_plain_text(
    minimal_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(minimal_project, PLAN, "lead: [Sở Tài chính]", "lead: [Sở Tài chánh]")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert "::error" not in result.stdout + result.stderr


def test_workflow_checks_data_on_pull_requests_and_deploys_only_from_main() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    assert "pull_request" in workflow[True]  # YAML reads the key `on` as True
    steps = workflow["jobs"]["build"]["steps"]
    assert any("generator check" in str(step.get("run", "")) for step in steps)
    upload = next(s for s in steps if "upload-pages-artifact" in str(s.get("uses", "")))
    assert upload["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert workflow["jobs"]["deploy"]["if"] == upload["if"]
