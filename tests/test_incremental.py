"""`python -m generator build` after an edit rebuilds only what changed (issue 14), and the site
it publishes is byte for byte the site a clean build of the same data makes; a failed
incremental build leaves the published site as it was."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES, ROOT, copy_project, run_generator
from test_data_errors import snapshot

from generator import synth

BUILT_ON = "2026-11-30"


def _tree(site: Path) -> dict[str, bytes | None]:
    """Every file with its bytes and every folder (None): `diff -r` sees both."""
    folders: dict[str, bytes | None] = {
        p.relative_to(site).as_posix(): None for p in site.rglob("*") if p.is_dir()
    }
    return folders | snapshot(site)


def _build(project: Path, *args: str) -> str:
    result = run_generator(project, "build", "--build-date", BUILT_ON, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _remove_last_plan(project: Path) -> None:
    sorted((project / "data" / "plans").glob("*.yaml"))[-1].unlink()


def _assert_same_as_clean(project: Path, clean: Path) -> None:
    """`clean` gets `project`'s data and a clean build; both sites must be identical."""
    shutil.rmtree(clean / "data")
    shutil.copytree(project / "data", clean / "data")
    _build(clean, "--clean")
    incremental, expected = _tree(project / "site"), _tree(clean / "site")
    assert sorted(incremental.keys() ^ expected.keys()) == []
    assert [rel for rel in expected if incremental[rel] != expected[rel]] == []


def test_edits_rebuilt_incrementally_equal_a_clean_build(tmp_path: Path) -> None:
    """A 12-plan synthetic corpus: one task's text edited; then edited again and the pages
    generated without a build (as `mkdocs serve` does), and a whole plan removed (its pages,
    downloads and anchors go, listings and the home page's counts change). After each build,
    the incremental build's site equals a clean build's, pages, sitemaps, 404, search index
    and downloads alike: the build publishes what both generations changed."""
    project = tmp_path / "incremental"
    made = run_generator(ROOT, "synth", "--plans", "12", "--seed", "1", "--out", str(project))
    assert made.returncode == 0, made.stderr
    clean = tmp_path / "clean"
    shutil.copytree(project, clean)
    assert "dựng lại toàn bộ" in _build(project)

    synth.edit_one_task(project)
    assert "trang thay đổi" in _build(project)
    _assert_same_as_clean(project, clean)

    synth.edit_one_task(project)
    generated = run_generator(project, "generate", "--build-date", BUILT_ON)
    assert generated.returncode == 0, generated.stderr
    _remove_last_plan(project)
    assert "trang thay đổi" in _build(project)
    _assert_same_as_clean(project, clean)


def test_a_failed_incremental_build_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    """A data error, an engine failure (a broken Markdown link) and a check failure (a broken
    link in raw HTML, which only our check reads) after a good build: each fails, and site/ is
    byte for byte the last good one, with nothing left behind."""
    project = copy_project(tmp_path / "project", FIXTURES / "minimal")
    _build(project)
    before = _tree(project / "site")
    plan = sorted((project / "data" / "plans").glob("*.yaml"))[0]
    about = project / "docs" / "gioi-thieu.md"
    good_plan, good_about = plan.read_text(encoding="utf-8"), about.read_text(encoding="utf-8")
    breakages = [
        (plan, good_plan.replace("tasks:", "tasks: [", 1)),
        (about, good_about + "\n[Trang cũ](khong-co-trang-nay.md)\n"),
        (about, good_about + '\n<a href="../ke-hoach/khong-co/">Trang cũ</a>\n'),
    ]
    for path, broken in breakages:
        assert broken != path.read_text(encoding="utf-8")
        path.write_text(broken, encoding="utf-8")
        result = run_generator(project, "build", "--build-date", BUILT_ON)
        assert result.returncode == 1, result.stdout
        assert _tree(project / "site") == before
        assert sorted(p.name for p in project.glob(".site-*")) == []
        path.write_text(good_plan if path == plan else good_about, encoding="utf-8")
    assert "trang thay đổi" in _build(project)
    assert _tree(project / "site") == before


def test_a_change_to_the_engine_inputs_takes_a_clean_build(tmp_path: Path) -> None:
    """A theme override edited changes every page, though no page's source changed."""
    project = copy_project(tmp_path / "project", FIXTURES / "minimal")
    _build(project)
    main = project / "overrides" / "partials" / "header.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n<!-- ckh-da-doi -->\n", encoding="utf-8")
    assert "dựng lại toàn bộ" in _build(project)
    pages = list((project / "site").rglob("index.html"))
    assert pages and all("ckh-da-doi" in p.read_text(encoding="utf-8") for p in pages)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _served(url: str) -> str | None:
    """The page's text, or None when the preview does not serve it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    except urllib.error.URLError:
        return None  # not listening yet


def _wait_until(check: Callable[[], bool], server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while not check():
        assert server.poll() is None, "mkdocs serve stopped"
        assert time.monotonic() < deadline, "the preview never showed the change"
        time.sleep(0.5)


def test_serve_shows_an_edit_and_stops_serving_a_page_whose_source_is_gone(
    tmp_path: Path,
) -> None:
    """`mkdocs serve --dirty`, as the README tells a clerk: after the data is edited, the
    preview shows the new task text, a renamed group's page at its new address, and no longer
    the page at the old one; the hand-written home page is still there."""
    project = copy_project(tmp_path / "project", FIXTURES / "minimal")
    plan = project / "data" / "plans" / "tinh-a-1-kh-ubnd-2025.yaml"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/cong-ke-hoach/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        plan_page, old_group, new_group = (
            base + "ke-hoach/tinh-a-1-kh-ubnd-2025/" + tail for tail in ("", "nhom-6/", "nhom-7/")
        )
        _wait_until(lambda: "Nhiệm vụ không đánh số." in (_served(plan_page) or ""), server)
        assert _served(old_group) is not None and _served(new_group) is None
        text = plan.read_text(encoding="utf-8")
        edited = text.replace("Nhiệm vụ không đánh số.", "Nhiệm vụ đã sửa khi xem thử.")
        # Group 6 and its one task, 6, become 7 (a task's id starts with its group's).
        assert edited.count('id: "6"') == 2
        plan.write_text(edited.replace('id: "6"', 'id: "7"'), encoding="utf-8")
        _wait_until(lambda: "Nhiệm vụ đã sửa khi xem thử." in (_served(plan_page) or ""), server)
        _wait_until(lambda: _served(new_group) is not None, server)
        assert _served(old_group) is None
        assert "Các kế hoạch" in (_served(base) or "")
    finally:
        server.terminate()
        server.wait(timeout=30)
