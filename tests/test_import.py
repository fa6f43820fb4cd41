"""Import of task tables: Word and Excel tables in the shapes real appendices have, text pasted
from Word, Excel or a PDF, and what the importer must never do (overwrite, invent)."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_generator
from tables import WRITERS, Cell, TableSpec

PLAN = "quang-ngai-thu-nhap-2025"
HEADER = [
    "STT",
    "NỘI DUNG\nNHIỆM VỤ",
    "ĐƠN VỊ\nCHỦ TRÌ",
    "Đơn vị phối hợp",
    "SẢN PHẨM",
    "THỜI GIAN\nTHỰC HIỆN",
]

# Rows in the shapes the seed appendices show: a header repeated after a page break, a bare
# page number, a task split across the break (its lead "Sở Dân tộc | và Tôn giáo" and a word
# "39- | NQ/TW"), group rows merged across the row and bold, a numbered row heading sub-items
# a–c whose lead is one cell merged down, blank numbers, a bullet, an empty task cell.
SHAPES = TableSpec(
    rows=[
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [Cell.bold("I"), Cell.bold("Tăng cường công tác tuyên truyền"), "", "", "", ""],
        [
            "1",
            "Tổ chức phổ biến, quán triệt\nsâu rộng nội dung Chỉ thị",
            "Sở Nông nghiệp và Môi trường, Ủy ban nhân dân các xã, phường, đặc khu",
            "Các sở, ban ngành có liên quan; Chi nhánh Ngân hàng Chính sách xã hội tỉnh",
            "Văn bản triển khai",
            "Thường xuyên",
        ],
        [
            "2",
            "Rà soát theo Nghị quyết số 39-",
            "Sở Dân tộc",
            "Ủy ban Mặt trận Tổ quốc, các tổ chức chính trị - xã hội các cấp",
            "Báo cáo",
            "Quý III/2025",
        ],
        ["", "", "2", "", "", ""],
        HEADER,
        ["", "NQ/TW của Bộ Chính trị", "và Tôn giáo", "", "", ""],
        [Cell.bold("II"), Cell.bold("Nguồn vốn"), "", "", "", ""],
        ["1", "Tập trung các nguồn vốn:", "", "", "", ""],
        ["a", "Bố trí vốn ủy thác", "Sở Tài chính", "", "Quyết định", "Hằng năm"],
        ["b", "Huy động tiền gửi", "", "", "Văn bản", "Thường xuyên"],
        ["c", "Vận động Quỹ", "", "", "Văn bản", "Thường xuyên"],
        ["", "Nhiệm vụ không đánh số", "Công an tỉnh", "", "", "Hằng năm"],
        ["2", "", "Sở Xây dựng", "", "Báo cáo", "Năm 2026"],
        ["", Cell.bold("Nhóm không có số"), "", "", "", ""],
        ["-", "Gạch đầu dòng thứ nhất", "Sở Nội vụ, Phòng Văn hóa xã", "", "", ""],
        ["", "Dòng không số", "Ban Dân tộc tỉnh", "", "Báo cáo", "Tháng 8/2025"],
    ],
    merges=[((2, 1), (2, 5)), ((8, 1), (8, 5)), ((10, 2), (12, 2)), ((15, 1), (15, 5))],
)

EXPECTED: dict[str, dict[str, Any]] = {
    "i": {"number": "I", "title": "Tăng cường công tác tuyên truyền"},
    "i.1": {
        "number": "1",
        "text": "Tổ chức phổ biến, quán triệt\n\nsâu rộng nội dung Chỉ thị",
        "lead": ["Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã, phường, đặc khu"],
        "support": ["Các sở, ban ngành có liên quan", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"],
        "output": "Văn bản triển khai",
        "timeline": "Thường xuyên",
    },
    "i.2": {
        "number": "2",
        "text": "Rà soát theo Nghị quyết số 39-NQ/TW của Bộ Chính trị",
        "lead": ["Sở Dân tộc và Tôn giáo"],
        "support": ["Ủy ban Mặt trận Tổ quốc", "các tổ chức chính trị - xã hội các cấp"],
        "output": "Báo cáo",
        "timeline": "Quý III/2025",
    },
    "ii": {"number": "II", "title": "Nguồn vốn"},
    "ii.1.a": {
        "number": "a",
        "text": "Bố trí vốn ủy thác",
        "lead": ["Sở Tài chính"],
        "support": [],
        "output": "Quyết định",
        "timeline": "Hằng năm",
    },
    "ii.1.b": {
        "number": "b",
        "text": "Huy động tiền gửi",
        "lead": ["Sở Tài chính"],
        "support": [],
        "output": "Văn bản",
        "timeline": "Thường xuyên",
    },
    "ii.1.c": {
        "number": "c",
        "text": "Vận động Quỹ",
        "lead": ["Sở Tài chính"],
        "support": [],
        "output": "Văn bản",
        "timeline": "Thường xuyên",
    },
    "ii.khong-so-1": {
        "number": None,
        "text": "Nhiệm vụ không đánh số",
        "lead": ["Công an tỉnh"],
        "support": [],
        "output": None,
        "timeline": "Hằng năm",
    },
    "ii.2": {
        "number": "2",
        "text": None,
        "lead": ["Sở Xây dựng"],
        "support": [],
        "output": "Báo cáo",
        "timeline": "Năm 2026",
    },
    "khong-so-1": {"number": None, "title": "Nhóm không có số"},
    "khong-so-1.gach-1": {
        "number": None,
        "text": "Gạch đầu dòng thứ nhất",
        "lead": ["Sở Nội vụ", "Phòng Văn hóa xã"],
        "support": [],
        "output": None,
        "timeline": None,
    },
    "khong-so-1.1": {
        "number": None,
        "text": "Dòng không số",
        "lead": ["Ban Dân tộc tỉnh"],
        "support": [],
        "output": "Báo cáo",
        "timeline": "Tháng 8/2025",
    },
}

SKELETON = [
    "new-plan",
    "--id",
    PLAN,
    "--number",
    "1/KH-UBND",
    "--issuer",
    "quang-ngai/ubnd-tinh",
    "--date",
    "20/11/2025",
    "--signer",
    "Nguyễn Văn A",
    "--position",
    "Phó Chủ tịch",
    "--implements",
    "quang-ngai-ke-hoach-05-kh-tu-2025",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped data in a scratch project, with a new empty plan made by new-plan."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    made = run_generator(tmp_path, *SKELETON)
    assert made.returncode == 0, made.stderr
    return tmp_path


def _imported(project: Path) -> dict[str, dict[str, Any]]:
    """Groups and tasks of the plan file as written, by id."""
    plan = yaml.safe_load((project / "data" / "plans" / f"{PLAN}.yaml").read_text("utf-8"))
    found: dict[str, dict[str, Any]] = {}
    for group in plan["groups"]:
        found[group["id"]] = {"number": group["number"], "title": group["title"]}
        for task in group["tasks"]:
            found[task["id"]] = {k: task[k] for k in EXPECTED["i.1"]}
    return found


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_word_and_excel_tables_import_as_the_expected_tasks(
    project: Path, tmp_path: Path, kind: str
) -> None:
    table = WRITERS[kind](SHAPES, tmp_path / f"phu-luc.{kind}")
    result = run_generator(project, "import", str(table), "--plan", PLAN)
    assert result.returncode == 0, result.stderr
    assert _imported(project) == EXPECTED
    report = result.stdout
    # Row by row, what was not taken as it stood.
    assert "bỏ số trang “2”" in report
    assert "bỏ dòng tiêu đề lặp lại" in report
    assert "nối vào hàng trên" in report
    assert "ô nội dung nhiệm vụ trống" in report
    # The split the registry could not confirm, and a ready-to-paste entry for the new name.
    assert "“Sở Nội vụ, Phòng Văn hóa xã” không khớp danh bạ" in report
    assert "  - id: quang-ngai/ban-dan-toc-tinh\n" in report
    assert "“Sở Dân tộc và Tôn giáo”" in report.split("quang-ngai/ban-dan-toc-tinh")[0]


def test_import_never_overwrites_tasks_without_force(project: Path, tmp_path: Path) -> None:
    table = WRITERS["docx"](SHAPES, tmp_path / "phu-luc.docx")
    assert run_generator(project, "import", str(table), "--plan", PLAN).returncode == 0
    path = project / "data" / "plans" / f"{PLAN}.yaml"
    before = path.read_text("utf-8")
    again = run_generator(project, "import", str(table), "--plan", PLAN)
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert path.read_text("utf-8") == before


def test_import_keeps_the_rest_of_the_plan_file_and_chosen_themes(
    project: Path, tmp_path: Path
) -> None:
    path = project / "data" / "plans" / f"{PLAN}.yaml"
    table = WRITERS["xlsx"](SHAPES, tmp_path / "phu-luc.xlsx")
    assert run_generator(project, "import", str(table), "--plan", PLAN).returncode == 0
    text = path.read_text("utf-8").replace("theme: null", "theme: nguon-von", 1)
    text = text.replace("recipients: []", "# ghi chú của người nhập\nrecipients: [Lưu: VT]")
    path.write_text(text, "utf-8")
    forced = run_generator(project, "import", str(table), "--plan", PLAN, "--force")
    assert forced.returncode == 0, forced.stderr
    after = path.read_text("utf-8")
    assert "# ghi chú của người nhập\nrecipients: [Lưu: VT]" in after
    assert yaml.safe_load(after)["groups"][0]["theme"] == "nguon-von"


PASTED: dict[str, str] = {
    "tab": "STT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tSản phẩm\tThời gian thực hiện\n"
    "I\tTuyên truyền\t\t\t\t\n"
    "1\tPhổ biến Chỉ thị\tSở Tài chính\tSở Xây dựng\tKế hoạch\tThường xuyên\n",
    "bar": "| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Sản phẩm | Thời gian thực hiện |\n"
    "|---|---|---|---|---|---|\n"
    "| I | Tuyên truyền | | | | |\n"
    "| 1 | Phổ biến Chỉ thị | Sở Tài chính | Sở Xây dựng | Kế hoạch | Thường xuyên |\n",
    "line": "STT\nNội dung nhiệm vụ\nĐơn vị chủ trì\nĐơn vị phối hợp\nSản phẩm\n"
    "Thời gian thực hiện\nI\nTuyên truyền\n1\nPhổ biến Chỉ thị\nSở Tài chính\nSở Xây dựng\n"
    "Kế hoạch\nThường xuyên\n",
    "csv": "STT,Nội dung nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Sản phẩm,Thời gian thực hiện\n"
    'I,Tuyên truyền,,,,\n1,Phổ biến Chỉ thị,Sở Tài chính,Sở Xây dựng,Kế hoạch,"Thường xuyên"\n',
}


# Text copied from some PDF readers comes decomposed (NFD); the plan file holds it in NFC.
PASTED["tab-nfd"] = unicodedata.normalize("NFD", PASTED["tab"])


@pytest.mark.parametrize("shape", sorted(PASTED))
def test_pasted_text_in_each_shape_imports_the_same_task(
    project: Path, tmp_path: Path, shape: str
) -> None:
    source = tmp_path / ("bang.csv" if shape == "csv" else "bang.txt")
    source.write_text(PASTED[shape], "utf-8")
    result = run_generator(project, "import", str(source), "--plan", PLAN)
    assert result.returncode == 0, result.stderr
    assert _imported(project) == {
        "i": {"number": "I", "title": "Tuyên truyền"},
        "i.1": {
            "number": "1",
            "text": "Phổ biến Chỉ thị",
            "lead": ["Sở Tài chính"],
            "support": ["Sở Xây dựng"],
            "output": "Kế hoạch",
            "timeline": "Thường xuyên",
        },
    }


def test_a_file_without_the_task_table_header_says_so_and_writes_nothing(
    project: Path, tmp_path: Path
) -> None:
    path = project / "data" / "plans" / f"{PLAN}.yaml"
    before = path.read_text("utf-8")
    source = tmp_path / "bang.txt"
    source.write_text("Một đoạn văn\tkhông phải bảng\n", "utf-8")
    result = run_generator(project, "import", str(source), "--plan", PLAN)
    assert result.returncode == 1
    assert "không tìm thấy dòng tiêu đề" in result.stderr
    assert path.read_text("utf-8") == before


def test_new_plan_writes_a_skeleton_that_checks_and_derives_its_id_once(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    args = ["new-plan", "--number", "12/KH-UBND", "--issuer", "UBND tỉnh"]
    args += ["--jurisdiction", "quang-ngai", "--date", "1/12/2025"]
    made = run_generator(tmp_path, *args)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "data" / "plans" / "quang-ngai-12-kh-ubnd-2025.yaml"
    plan = yaml.safe_load(path.read_text("utf-8"))
    assert (plan["id"], plan["issuer"], plan["date"]) == (
        "quang-ngai-12-kh-ubnd-2025",
        "quang-ngai/ubnd-tinh",
        "2025-12-01",
    )
    assert plan["signer"] is None and plan["source"]["file"] is None  # not given: not invented
    checked = run_generator(tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    again = run_generator(tmp_path, *args)
    assert again.returncode == 1
    assert "đã có kế hoạch hay văn bản id “quang-ngai-12-kh-ubnd-2025”" in again.stderr


def test_new_plan_names_every_problem_in_its_facts(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    args = ["new-plan", "--issuer", "Sở Không Có", "--date", "31/02/2025"]
    made = run_generator(tmp_path, *args, "--implements", "van-ban-chua-co")
    assert made.returncode == 1
    assert "“Sở Không Có”: không có trong danh bạ" in made.stderr
    assert "ngày “31/02/2025” không đọc được" in made.stderr
    assert "văn bản “van-ban-chua-co” chưa có" in made.stderr
    written = sorted(p.name for p in (tmp_path / "data" / "plans").glob("*.yaml"))
    assert written == sorted(p.name for p in (ROOT / "data" / "plans").glob("*.yaml"))
