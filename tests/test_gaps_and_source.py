"""What the source lacks is data (null, with an optional note), and `source` names the official
document: a copy published with the site must be the file whose SHA-256 the plan records."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import run_generator
from test_data_errors import PLAN, edit, line_of


def test_absent_task_text_group_title_and_plan_number_are_valid_with_notes(
    minimal_project: Path,
) -> None:
    edit(
        minimal_project, PLAN, "number: 1/KH-UBND", "number: null\ngaps: {number: góc trên bị mất}"
    )
    edit(
        minimal_project,
        PLAN,
        "title: Nguồn lực",
        "title: null\n    gaps: {title: bản trích xuất thiếu tiêu đề nhóm}",
    )
    edit(
        minimal_project,
        PLAN,
        "text: Nhiệm vụ không đánh số.",
        "text: null\n        gaps: {text: ô trống trong văn bản}",
    )
    result = run_generator(minimal_project, "check")
    assert result.returncode == 0, result.stderr


def test_a_group_without_a_theme_lists_the_themes_to_choose_from(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "theme: nguon-von", "theme: null")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    line = line_of(minimal_project, PLAN, "theme: null")
    assert f"{PLAN}:{line}: [groups[0].theme] chưa chọn chủ đề" in result.stderr
    assert "nguon-von, bao-cao" in result.stderr


def _original(project: Path, content: bytes) -> str:
    folder = project / "docs" / "van-ban-goc"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tinh-a-1.pdf").write_bytes(content)
    return hashlib.sha256(content).hexdigest()


def test_a_published_original_must_exist_and_match_its_sha256(minimal_project: Path) -> None:
    digest = _original(minimal_project, b"%PDF-1.4 ban goc")
    edit(
        minimal_project,
        PLAN,
        "  transcription: fixture.txt",
        f"  file: van-ban-goc/tinh-a-1.pdf\n  sha256: {'0' * 64}",
    )
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    line = line_of(minimal_project, PLAN, "sha256:")
    assert f"{PLAN}:{line}: [source.sha256] sha256 không khớp tệp" in result.stderr
    assert digest in result.stderr  # the value to write, if the file is the original
    edit(minimal_project, PLAN, "0" * 64, digest)
    assert run_generator(minimal_project, "check").returncode == 0


def test_an_original_named_but_not_copied_is_an_error(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "  transcription: fixture.txt", "  file: van-ban-goc/khong-co.pdf")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert "[source.file] không có tệp docs/van-ban-goc/khong-co.pdf" in result.stderr


def test_an_original_outside_van_ban_goc_is_refused(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "  transcription: fixture.txt", "  file: ../../etc/passwd")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert "[source.file]" in result.stderr


def test_no_page_names_a_transcription_file(real_site: Path) -> None:
    import yaml
    from conftest import ROOT

    names = set()
    for path in (ROOT / "data" / "plans").glob("*.yaml"):
        source = yaml.safe_load(path.read_text("utf-8"))["source"]
        names.add(source["transcription"])
    assert len(names) == 4
    for page in real_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not [n for n in names if n in text], page
