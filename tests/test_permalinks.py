"""Links that survive official correspondence: citations, print, QR, redirects, the manifest."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, Watched, copy_project, run_generator, serve
from playwright.sync_api import Browser
from pypdf import PdfReader

from generator.load import load_data
from generator.model import build_portal
from generator.names import task_citation

SITE_URL = "https://cong-ke-hoach.github.io/cong-ke-hoach/"
PLAN = "ke-hoach/nghe-an-686-kh-ubnd-2025/"
FIXTURE_PLAN = "data/plans/tinh-a-1-kh-ubnd-2025.yaml"


@pytest.fixture(scope="module")
def portal():  # type: ignore[no-untyped-def]
    raw, errors = load_data(ROOT / "data")
    assert not errors
    return build_portal(raw)[0]


@pytest.mark.parametrize(
    ("plan_id", "task_id", "citation"),
    [
        (
            "nghe-an-686-kh-ubnd-2025",
            "4.1",
            "Nhiệm vụ 4.1, Phụ lục Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An",
        ),
        (
            "nghe-an-686-kh-ubnd-2025",
            "5.khong-so-2",
            "Dòng không đánh số thứ 2 cuối mục 5, Phụ lục Kế hoạch số 686/KH-UBND ngày 21/8/2025 "
            "của Ủy ban nhân dân tỉnh Nghệ An",
        ),
        (
            "quang-ngai-89-kh-ubnd-2025",
            "iv.1.b",
            "Nhiệm vụ IV.1.b, Phụ lục 02 Kế hoạch số 89/KH-UBND ngày 20/11/2025 "
            "của Ủy ban nhân dân tỉnh Quảng Ngãi",
        ),
        (
            "quang-ngai-89-kh-ubnd-2025",
            "v.2",
            "Nhiệm vụ V.2, Phụ lục 02 Kế hoạch số 89/KH-UBND ngày 20/11/2025 "
            "của Ủy ban nhân dân tỉnh Quảng Ngãi",
        ),
    ],
)
def test_task_citation_names_task_appendix_number_date_and_issuer(
    portal, plan_id: str, task_id: str, citation: str
) -> None:  # type: ignore[no-untyped-def]
    plan = portal.plans[plan_id]
    group = next(g for g in plan.groups if any(t.id == task_id for t in g.tasks))
    task = next(t for t in group.tasks if t.id == task_id)
    assert task_citation(plan, group, task, portal.agencies[plan.issuer]) == citation


def test_citation_of_a_plan_without_number_or_date_says_so(portal) -> None:  # type: ignore[no-untyped-def]
    plan = portal.plans["quang-ngai-ngok-bay-ke-hoach-39-ct-tw"]
    group = plan.groups[1]
    task = group.tasks[2]
    assert task_citation(plan, group, task, portal.agencies[plan.issuer]) == (
        f"Gạch đầu dòng thứ 3, mục 2 “{group.title}”, Kế hoạch của Ủy ban nhân dân xã Ngọk Bay "
        "(văn bản nguồn không ghi số hiệu và ngày ban hành)"
    )


@pytest.mark.browser
def test_copy_buttons_put_the_url_and_the_citation_on_the_clipboard(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + PLAN)
    page.get_by_role("button", name="Sao chép liên kết", exact=True).click()
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL + PLAN
    page.locator("#nv-4-1 button", has_text="Trích dẫn").click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Nhiệm vụ 4.1, Phụ lục Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh "
        f"Nghệ An\n{SITE_URL}{PLAN}#nv-4-1"
    )
    assert page.get_by_role("status").inner_text() == "Đã sao chép vào bộ nhớ tạm."
    context.close()


def _print(browser: Browser, url: str) -> bytes:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    pdf = page.pdf(prefer_css_page_size=True)
    context.close()
    return pdf


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "header"),
    [
        (PLAN, "686/KH-UBND ngày 21/8/2025"),
        (PLAN + "nhom-4/", "686/KH-UBND ngày 21/8/2025"),
        ("co-quan/nghe-an/nhcsxh-chi-nhanh-tinh/", "Nghệ An"),
    ],
)
def test_printed_page_is_a4_with_header_on_every_page_and_no_navigation(
    browser: Browser, engine_url: str, path: str, header: str
) -> None:
    reader = PdfReader(io.BytesIO(_print(browser, engine_url + path)))
    assert len(reader.pages) >= 1
    texts = [_squeeze(page.extract_text()) for page in reader.pages]
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842), f"page {number} is not A4"
        assert _squeeze(header) in text, f"page {number} lacks the running header"
    assert _squeeze(SITE_URL + path) in texts[0]
    for navigation in ("Sơ đồ văn bản", "Tìm kiếm", "Giới thiệu", "Sao chép liên kết"):
        assert all(_squeeze(navigation) not in text for text in texts)


def _squeeze(text: str) -> str:
    """PDF text without spaces (pdf text extraction splits words around Vietnamese marks)."""
    return "".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.browser
def test_printed_qr_code_decodes_to_the_page_url(
    browser: Browser, engine_url: str, tmp_path: Path
) -> None:
    (tmp_path / "plan.pdf").write_bytes(_print(browser, engine_url + PLAN))
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "plan.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == SITE_URL + PLAN


def test_plan_page_carries_link_preview_and_canonical_url(real_site: Path) -> None:
    html = (real_site / PLAN / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}{PLAN}">' in html
    assert f'<meta property="og:url" content="{SITE_URL}{PLAN}">' in html
    assert (
        '<meta property="og:title" content="Kế hoạch số 686/KH-UBND – Ủy ban nhân dân tỉnh Nghệ An">'
        in html
    )
    assert re.search(
        r'<meta property="og:description" content="Triển khai thực hiện Quyết định', html
    )


def test_sitemap_lists_every_plan_at_its_permanent_address(engine_site: Path) -> None:
    index = (engine_site / "sitemap.xml").read_text(encoding="utf-8")
    parts = re.findall(rf"<loc>{re.escape(SITE_URL)}(sitemap-\d+\.xml)</loc>", index)
    sitemap = "".join((engine_site / part).read_text(encoding="utf-8") for part in parts)
    for plan in (ROOT / "data" / "plans").glob("*.yaml"):
        assert f"<loc>{SITE_URL}ke-hoach/{plan.stem}/</loc>" in sitemap


@pytest.mark.browser
def test_404_page_is_vietnamese_and_its_search_box_opens_the_finder(
    watched: Watched, engine_url: str
) -> None:
    page = watched.page
    page.goto(engine_url + "ke-hoach/khong-co-ke-hoach-nay/")
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    page.fill("#ckh-404-q", "so tai chinh")
    page.press("#ckh-404-q", "Enter")
    page.wait_for_load_state()
    assert page.url.startswith(engine_url + "tra-cuu/?q=so+tai+chinh")


def test_shipped_manifest_lists_every_url_the_build_serves(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", ROOT / "data", with_manifest=True)
    result = run_generator(project, "generate")
    assert result.returncode == 0, result.stderr
    assert "địa chỉ mới" not in result.stderr, "run: python -m generator manifest"


def _rename_fixture_plan(project: Path, new_id: str, keep_old: bool) -> None:
    old = project / FIXTURE_PLAN
    text = old.read_text(encoding="utf-8").replace("id: tinh-a-1-kh-ubnd-2025", f"id: {new_id}", 1)
    if keep_old:
        text = text.replace(
            "kind: Kế hoạch", "former_ids: [tinh-a-1-kh-ubnd-2025]\nkind: Kế hoạch", 1
        )
    (project / "data" / "plans" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    old.unlink()


def test_renamed_plan_keeps_old_url_and_task_anchor_working(
    minimal_project: Path, browser: Browser
) -> None:
    assert run_generator(minimal_project, "manifest").returncode == 0
    _rename_fixture_plan(minimal_project, "tinh-a-1-kh-ubnd-2025-moi", keep_old=True)
    result = run_generator(minimal_project, "build")
    assert result.returncode == 0, result.stderr
    with serve(minimal_project / "site") as base:
        page = browser.new_page()
        page.goto(base + "ke-hoach/tinh-a-1-kh-ubnd-2025/#nv-4-1")
        page.wait_for_url("**/ke-hoach/tinh-a-1-kh-ubnd-2025-moi/#nv-4-1")
        assert page.evaluate("document.querySelector(':target').id") == "nv-4-1"
        page.goto(base + "ke-hoach/tinh-a-1-kh-ubnd-2025/nhom-6/")
        page.wait_for_url("**/ke-hoach/tinh-a-1-kh-ubnd-2025-moi/nhom-6/")
        page.close()


def test_renumbered_task_keeps_its_old_anchor(minimal_project: Path) -> None:
    assert run_generator(minimal_project, "manifest").returncode == 0
    path = minimal_project / FIXTURE_PLAN
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'id: "4.1"\n        number: "4.1"',
        'id: "4.2"\n        former_ids: ["4.1"]\n        number: "4.2"',
    )
    path.write_text(text, encoding="utf-8")
    result = run_generator(minimal_project, "build")
    assert result.returncode == 0, result.stderr
    html = (minimal_project / "site/ke-hoach/tinh-a-1-kh-ubnd-2025/index.html").read_text(
        encoding="utf-8"
    )
    assert 'id="nv-4-2"' in html and '<span id="nv-4-1" class="ckh-former-anchor">' in html


def test_removing_a_published_page_without_redirect_fails_and_names_it(
    minimal_project: Path,
) -> None:
    assert run_generator(minimal_project, "manifest").returncode == 0
    assert run_generator(minimal_project, "build").returncode == 0
    before = sorted(p.read_bytes() for p in (minimal_project / "site").rglob("*.html"))
    _rename_fixture_plan(minimal_project, "tinh-a-1-kh-ubnd-2025-moi", keep_old=False)
    result = run_generator(minimal_project, "build")
    assert result.returncode == 1
    assert "địa chỉ đã công bố sẽ mất: /ke-hoach/tinh-a-1-kh-ubnd-2025/\n" in result.stderr
    assert "địa chỉ đã công bố sẽ mất: /ke-hoach/tinh-a-1-kh-ubnd-2025/#nv-4-1" in result.stderr
    lost = [line for line in result.stderr.splitlines() if "sẽ mất" in line]
    assert lost == sorted(lost) and len(lost) > 10  # in the order of the manifest
    assert before == sorted(p.read_bytes() for p in (minimal_project / "site").rglob("*.html"))


def test_manifest_command_adds_new_urls_and_never_drops_old_ones(minimal_project: Path) -> None:
    assert run_generator(minimal_project, "manifest").returncode == 0
    manifest = minimal_project / "published-urls.txt"
    first = set(manifest.read_text(encoding="utf-8").splitlines())
    assert "/ke-hoach/tinh-a-1-kh-ubnd-2025/#nv-6" in first
    _rename_fixture_plan(minimal_project, "tinh-a-1-kh-ubnd-2025-moi", keep_old=True)
    assert run_generator(minimal_project, "manifest").returncode == 0
    second = set(manifest.read_text(encoding="utf-8").splitlines())
    assert first < second and "/ke-hoach/tinh-a-1-kh-ubnd-2025-moi/#nv-6" in second
    shutil.rmtree(minimal_project / "site", ignore_errors=True)


def test_generate_counts_the_new_urls_the_manifest_command_then_adds(
    minimal_project: Path,
) -> None:
    """A plan renamed, keeping its old id: its pages and task anchors are new; its old pages
    stay as redirects, and its old anchors are served through them (not by a page of their
    own). generate tells how many URLs the manifest does not have yet, and `manifest` adds
    as many."""
    assert run_generator(minimal_project, "manifest").returncode == 0
    _rename_fixture_plan(minimal_project, "tinh-a-1-kh-ubnd-2025-moi", keep_old=True)
    result = run_generator(minimal_project, "generate")
    assert result.returncode == 0, result.stderr
    counted = re.search(r"(\d+) địa chỉ mới chưa có trong published-urls\.txt", result.stderr)
    assert counted, result.stderr
    manifest = minimal_project / "published-urls.txt"
    before = len(manifest.read_text(encoding="utf-8").splitlines())
    assert run_generator(minimal_project, "manifest").returncode == 0
    after = len(manifest.read_text(encoding="utf-8").splitlines())
    assert int(counted[1]) == after - before > 10


def test_removing_a_hand_written_page_fails_and_names_it(minimal_project: Path) -> None:
    assert run_generator(minimal_project, "manifest").returncode == 0
    assert run_generator(minimal_project, "generate").returncode == 0
    docs = minimal_project / "docs"
    (docs / "gioi-thieu.md").unlink()
    (docs / "ke-hoach" / "tinh-a-1-kh-ubnd-2025" / "index.md").write_text("cũ", encoding="utf-8")
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    result = run_generator(minimal_project, "generate")
    assert result.returncode == 1
    assert "địa chỉ đã công bố sẽ mất: /gioi-thieu/" in result.stderr
    # The check comes after every page is rendered: none of them reached docs/.
    assert {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()} == before
