"""Bad data gets a message naming file, line and field, a non-zero exit, and nothing written."""

from __future__ import annotations

from pathlib import Path

from conftest import run_generator

PLAN = "data/plans/tinh-a-1-kh-ubnd-2025.yaml"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_valid_fixture_passes_check(minimal_project: Path) -> None:
    result = run_generator(minimal_project, "check")
    assert result.returncode == 0, result.stderr
    assert "1 kế hoạch, 3 nhiệm vụ" in result.stdout


def test_unknown_agency_names_file_line_field_and_closest_names(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "lead: [Sở Tài chính]", "lead: [Sở Tài chánh]")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    line = line_of(minimal_project, PLAN, "Sở Tài chánh")
    assert f"{PLAN}:{line}: [groups[0].tasks[0].lead[0]]" in result.stderr
    assert "không có cơ quan “Sở Tài chánh”" in result.stderr
    assert "“Sở Tài chính”" in result.stderr  # the closest registered name is suggested


def test_places_that_are_each_others_parent_are_an_error_in_both_files(
    minimal_project: Path,
) -> None:
    """Tỉnh A under Tỉnh B under Tỉnh A: each file is named with the loop, none is built."""
    edit(
        minimal_project,
        "data/agencies/tinh-a.yaml",
        "  level: tinh\n",
        "  level: tinh\n  parent: tinh-b\n",
    )
    edit(
        minimal_project,
        "data/agencies/tinh-b.yaml",
        "  level: tinh\n",
        "  level: tinh\n  parent: tinh-a\n",
    )
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    for place, chain in (
        ("tinh-a", "tinh-a → tinh-b → tinh-a"),
        ("tinh-b", "tinh-b → tinh-a → tinh-b"),
    ):
        line = line_of(minimal_project, f"data/agencies/{place}.yaml", "parent:")
        assert (
            f"data/agencies/{place}.yaml:{line}: [jurisdiction.parent] "
            f"địa bàn nằm trong chính nó qua các cấp trên: {chain}"
        ) in result.stderr, result.stderr


def test_same_name_resolves_within_the_plans_jurisdiction(minimal_project: Path) -> None:
    # "Sở Tài chính" is registered in tinh-a and tinh-b; the tinh-a plan gets tinh-a's.
    result = run_generator(minimal_project, "generate")
    assert result.returncode == 0, result.stderr
    page = (minimal_project / "docs/ke-hoach/tinh-a-1-kh-ubnd-2025/index.md").read_text()
    assert 'href="../../co-quan/tinh-a/so-tai-chinh/">Sở Tài chính</a>' in page
    assert "tinh-b/so-tai-chinh" not in page


def test_missing_field_and_wrong_type_are_all_reported_in_one_run(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "        output: Kế hoạch\n", "")
    edit(minimal_project, PLAN, "title: Chế độ báo cáo", "title: [Chế độ, báo cáo]")
    edit(minimal_project, PLAN, "numbering: nested", "numbring: nested")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert (
        f"{PLAN}:{line_of(minimal_project, PLAN, 'title: [Chế độ')}: [groups[1].title] phải là một chuỗi văn bản"
        in result.stderr
    )
    assert "[numbering] thiếu trường bắt buộc" in result.stderr
    assert (
        f"{PLAN}:{line_of(minimal_project, PLAN, 'numbring')}: [numbring] trường này không có trong lược đồ"
        in result.stderr
    )


def test_impossible_and_malformed_dates_are_errors(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "date: 2025-08-21", "date: 2025-02-31")
    edit(minimal_project, "data/documents.yaml", "date: 2024-10-30", "date: 30/10/2024")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert (
        f"{PLAN}:{line_of(minimal_project, PLAN, '2025-02-31')}: [date] ngày không tồn tại: “2025-02-31”"
        in result.stderr
    )
    line = line_of(minimal_project, "data/documents.yaml", "30/10/2024")
    assert (
        f"data/documents.yaml:{line}: [documents[0].date] ngày phải viết dạng YYYY-MM-DD"
        in result.stderr
    )


def test_invalid_yaml_names_the_line(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "title: Nguồn lực", "title: [Nguồn lực")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert f"{PLAN}:" in result.stderr and "YAML không hợp lệ" in result.stderr


def test_tab_indentation_names_the_line(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, '  - id: "6"', '\t- id: "6"')
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert f"{PLAN}:{line_of(minimal_project, PLAN, chr(9))}: dòng có ký tự tab" in result.stderr


def test_duplicate_task_id_names_both_lines(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, 'id: "4.khong-so-1"', 'id: "4.1"')
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    first = line_of(minimal_project, PLAN, 'id: "4.1"')
    assert f"[groups[0].tasks[1].id] id nhiệm vụ “4.1” trùng với dòng {first}" in result.stderr


def test_id_not_lowercase_ascii_is_an_error(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "issuer: tinh-a/ubnd-tinh", "issuer: tinh-a/UBND-tỉnh")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert f"{PLAN}:7: [issuer] id phải gồm chữ thường ASCII" in result.stderr


def test_unknown_implemented_document_is_an_error(minimal_project: Path) -> None:
    edit(minimal_project, PLAN, "implements: [chi-thi-39-ct-tw-2024]", "implements: [chi-thi-99]")
    result = run_generator(minimal_project, "check")
    assert result.returncode == 1
    assert "[implements[0]] không có văn bản hay kế hoạch “chi-thi-99”" in result.stderr


def test_failed_build_leaves_previous_output_untouched(minimal_project: Path) -> None:
    assert run_generator(minimal_project, "build").returncode == 0
    site_before = snapshot(minimal_project / "site")
    docs_before = snapshot(minimal_project / "docs")
    edit(minimal_project, PLAN, "lead: [Sở Tài chính]", "lead: [Không có cơ quan này]")
    result = run_generator(minimal_project, "build")
    assert result.returncode == 1
    assert snapshot(minimal_project / "site") == site_before
    assert snapshot(minimal_project / "docs") == docs_before


def test_generator_refuses_to_overwrite_a_hand_written_folder(minimal_project: Path) -> None:
    handwritten = minimal_project / "docs" / "co-quan" / "ghi-chu.md"
    handwritten.parent.mkdir(parents=True)
    handwritten.write_text("viết tay", encoding="utf-8")
    result = run_generator(minimal_project, "generate")
    assert result.returncode == 1
    assert "không phải thư mục sinh tự động" in result.stderr
    assert handwritten.read_text(encoding="utf-8") == "viết tay"
    assert not (minimal_project / "docs" / "ke-hoach").exists()  # nothing half-written


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
