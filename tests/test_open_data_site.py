"""Open data in the built portal: each plan, agency and document page has a JSON twin holding
what it shows, every page that offers a download or a calendar links a file that is there, and
the build date is the only thing that moves a build: the same day gives the same bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import BUILT_ON, run_generator

from generator import urls

PLAN = "ke-hoach/nghe-an-686-kh-ubnd-2025/"
ALTERNATE = '<link rel=" alternate" type="application/json" href="index.json">'


def twin(site: Path, page: str) -> dict[str, object]:
    return json.loads((site / page / "index.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_plan_twin_holds_every_task_and_report_the_page_shows(real_site: Path) -> None:
    html = (real_site / PLAN / "index.html").read_text(encoding="utf-8")
    assert ALTERNATE in html
    data = twin(real_site, PLAN)
    tasks = [t for g in data["groups"] for t in g["tasks"]]  # type: ignore[attr-defined]
    row_anchors = re.findall(r'<tr id="(nv-[^"]+)"', html)
    assert [t["url"].rsplit("#", 1)[1] for t in tasks] == row_anchors
    six = next(t for t in tasks if t["id"] == "6")
    assert six["timeline"] == "Định kỳ hằng năm (trước ngày 01/10)"
    assert (six["deadline"], six["next_due"]) == ("--10-01", "2026-10-01")
    assert [r["id"] for r in data["reports"]] == re.findall(r'id="bc-([^"]+)"', html)  # type: ignore[attr-defined]
    assert data["built"] == BUILT_ON


def test_agency_and_document_pages_have_their_twin(real_site: Path) -> None:
    bank = "co-quan/nghe-an/nhcsxh-chi-nhanh-tinh/"
    assert ALTERNATE in (real_site / bank / "index.html").read_text(encoding="utf-8")
    data = twin(real_site, bank)
    assert data["name"] == "Chi nhánh Ngân hàng Chính sách xã hội tỉnh Nghệ An"
    assert {(t["plan_id"], t["task_id"], t["role"]) for t in data["tasks"]} >= {  # type: ignore[attr-defined]
        ("nghe-an-686-kh-ubnd-2025", "6", "chu-tri")
    }
    assert {r["report_id"] for r in data["reports"]} == {  # type: ignore[attr-defined]
        "bao-cao-hang-nam-truoc-01-10",
        "bao-cao-tong-hop-hang-nam",
    }
    doc = "van-ban/chi-thi-39-ct-tw-2024/"
    assert ALTERNATE in (real_site / doc / "index.html").read_text(encoding="utf-8")
    assert twin(real_site, doc)["number"] == "39-CT/TW"


def test_plan_and_agency_pages_link_their_calendar_and_downloads(real_site: Path) -> None:
    for page, ics in (
        (PLAN, urls.plan_feed_url("nghe-an-686-kh-ubnd-2025")),
        ("co-quan/nghe-an/so-tai-chinh/", urls.agency_feed_url("nghe-an/so-tai-chinh")),
    ):
        html = (real_site / page / "index.html").read_text(encoding="utf-8")
        assert f"https://cong-ke-hoach.github.io/cong-ke-hoach/{ics}" in html  # to paste
        assert "Outlook" in html and "Google Calendar" in html
        for href in re.findall(r'href="([^"]+\.(?:ics|json|csv|xlsx))"', html):
            assert (real_site / page / href).resolve().is_file(), (page, href)


def test_open_data_page_says_when_it_was_built_and_links_every_schema(real_site: Path) -> None:
    html = (real_site / "du-lieu" / "index.html").read_text(encoding="utf-8")
    assert "dựng ngày <strong>20/09/2026</strong>" in html
    assert "CC BY 4.0" in html
    schemas = re.findall(r'href="([^"]+\.schema\.json)"', html)
    assert len(schemas) == 6  # the tasks files and the five data files
    for href in schemas:
        json.loads((real_site / "du-lieu" / href).read_text(encoding="utf-8"))


def test_same_day_builds_are_byte_identical_and_the_day_moves_next_dates(
    minimal_project: Path,
) -> None:
    def generated() -> dict[str, bytes]:
        docs = minimal_project / "docs"
        return {
            p.relative_to(docs).as_posix(): p.read_bytes()
            for folder in ("thoi-han", "du-lieu", "ke-hoach")
            for p in sorted((docs / folder).rglob("*"))
            if p.is_file()
        }

    day = ("generate", "--build-date", "2026-09-20")
    assert run_generator(minimal_project, *day).returncode == 0
    first = generated()
    assert run_generator(minimal_project, *day).returncode == 0
    assert generated() == first
    later = run_generator(minimal_project, "generate", "--build-date", "2026-10-02")
    assert later.returncode == 0
    data = json.loads(generated()["du-lieu/nhiem-vu.json"])
    assert next(t for t in data["tasks"] if t["task_id"] == "6")["next_due"] == "2027-10-01"


def test_build_date_that_is_not_a_date_stops_the_build(minimal_project: Path) -> None:
    result = run_generator(minimal_project, "generate", "--build-date", "20/09/2026")
    assert result.returncode == 1
    assert "ngày dựng “20/09/2026” không hợp lệ" in result.stderr
    assert not (minimal_project / "docs" / "thoi-han").exists()  # nothing half-written
