"""What the source lacks is data (null, with an optional note), and `source` names the official
document: a copy published with the site must be the file whose SHA-256 the plan records."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import run_generator
from test_data_errors import PLAN, edit, line_of


def leave_number_title_and_text_absent(project: Path) -> None:
    """The fixture plan as a source that lacks its number, a group title and a task text, each
    with a note saying where the gap is."""
    edit(project, PLAN, "number: 1/KH-UBND", "number: null\ngaps: {number: góc trên bị mất}")
    edit(
        project,
        PLAN,
        "title: Nguồn lực",
        "title: null\n    gaps: {title: bản trích xuất thiếu tiêu đề nhóm}",
    )
    edit(
        project,
        PLAN,
        "text: Nhiệm vụ không đánh số.",
        "text: null\n        gaps: {text: ô trống trong văn bản}",
    )


def test_absent_task_text_group_title_and_plan_number_are_valid_with_notes(
    minimal_project: Path,
) -> None:
    leave_number_title_and_text_absent(minimal_project)
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


def test_pages_show_every_absence_as_one_editorial_remark_and_link_the_original(
    minimal_project: Path,
) -> None:
    leave_number_title_and_text_absent(minimal_project)
    content = b"%PDF-1.4 ban goc cua ke hoach"
    digest = _original(minimal_project, content)
    edit(
        minimal_project,
        PLAN,
        "  transcription: fixture.txt",
        f"  file: van-ban-goc/tinh-a-1.pdf\n  sha256: {digest}\n  transcription: fixture.txt",
    )
    result = run_generator(minimal_project, "build")
    assert result.returncode == 0, result.stderr
    site = minimal_project / "site"
    plan = (site / "ke-hoach" / "tinh-a-1-kh-ubnd-2025" / "index.html").read_text("utf-8")
    group = (site / "ke-hoach" / "tinh-a-1-kh-ubnd-2025" / "nhom-4" / "index.html").read_text(
        "utf-8"
    )
    remark = '<span class="ckh-absent">[{}]</span>'
    assert "<dt>Số hiệu</dt><dd>" + remark.format("không ghi: góc trên bị mất") in plan
    title_gap = remark.format("không ghi tên nhóm: bản trích xuất thiếu tiêu đề nhóm")
    assert f'<a href="nhom-4/">4.</a> {title_gap}</th>' in plan
    assert f"<h1>Nhóm 4 {title_gap}</h1>" in group
    for page in (plan, group):
        assert remark.format("không ghi: ô trống trong văn bản") in page  # the empty task cell
        assert remark.format("không số") in page  # the unnumbered row
    # The original: a download link to the copy published with the site, and its SHA-256.
    link = re.search(r'<a href="([^"]+)" download>Tải văn bản gốc</a> \(PDF, 1 KB; SHA-256', plan)
    assert link, plan
    target = (site / "ke-hoach" / "tinh-a-1-kh-ubnd-2025" / link[1]).resolve()
    assert target.read_bytes() == content
    assert digest in plan
    assert "fixture.txt" not in plan
    # One form for every remark on every page: text in square brackets, nothing else.
    for page in site.rglob("*.html"):
        for found in re.findall(r'<span class="ckh-absent">(.*?)</span>', page.read_text("utf-8")):
            assert re.fullmatch(r"\[[^\[\]<>]+\]", found), (page, found)


def test_a_plan_without_an_original_says_so(real_site: Path) -> None:
    page = (real_site / "ke-hoach" / "nghe-an-686-kh-ubnd-2025" / "index.html").read_text("utf-8")
    assert (
        '<dt>Văn bản gốc</dt><dd><span class="ckh-absent">'
        "[cổng chưa có bản gốc của văn bản này]</span>" in page
    )
    group = real_site / "ke-hoach" / "can-tho-thanh-uy-ke-hoach-39-ct-tw" / "nhom-4" / "index.html"
    assert (
        '<h1>Nhóm 4 <span class="ckh-absent">[không ghi tên nhóm: mục 4 không có tiêu đề riêng; '
        "nội dung bắt đầu ngay sau số mục]</span></h1>" in group.read_text("utf-8")
    )
