"""The four seed plans as transcribed in data/plans/, pinned against the seed text.

Every expected value below was typed in by reading /work/shared/seeds/*.txt (the appendix
table, or the body where a plan has no table), not copied from the YAML: a change in the data
that departs from the source document makes one of these tests fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.domain import AgencyRef, Plan, Portal, Task
from generator.load import load_data
from generator.model import AgencyRegistry, build_portal

DATA = Path(__file__).resolve().parent.parent / "data"

NGHE_AN = "nghe-an-686-kh-ubnd-2025"
QUANG_NGAI = "quang-ngai-89-kh-ubnd-2025"
NGOK_BAY = "quang-ngai-ngok-bay-ke-hoach-39-ct-tw"
CAN_THO = "can-tho-thanh-uy-ke-hoach-39-ct-tw"


@pytest.fixture(scope="module")
def portal() -> Portal:
    raw, errors = load_data(DATA)
    assert not errors
    built, _warnings = build_portal(raw)  # warnings: timelines kept verbatim, unparsed
    return built


def plan_of(portal: Portal, plan_id: str) -> Plan:
    return portal.plans[plan_id]


def task_of(portal: Portal, plan_id: str, task_id: str) -> Task:
    return next(t for t in portal.plans[plan_id].tasks if t.id == task_id)


def written(refs: tuple[AgencyRef, ...]) -> list[str]:
    return [r.written for r in refs]


def by_first(rows: list[tuple[object, ...]]) -> list[object]:
    """Parameter sets named by their first column (a plan or task id)."""
    return [pytest.param(*row, id=str(row[0])) for row in rows]


def timeline_text(task: Task) -> str | None:
    return task.timeline.text if task.timeline else None


# --- plan metadata -------------------------------------------------------------------------


def assert_cells(
    task: Task,
    number: str,
    lead: list[str],
    support: list[str],
    output: str | None,
    timeline: str | None,
) -> None:
    """The task's row as the appendix prints it: number, lead, support, output, timeline."""
    assert task.number == number
    assert written(task.lead) == lead
    assert written(task.support) == support
    assert task.output == output
    assert timeline_text(task) == timeline


@pytest.mark.parametrize(
    ("plan_id", "number", "date", "signer"),
    by_first(
        [
            (NGHE_AN, "686/KH-UBND", dt.date(2025, 8, 21), "Bùi Thanh An"),
            (QUANG_NGAI, "89/KH-UBND", dt.date(2025, 11, 20), None),
            (NGOK_BAY, None, None, "Nguyễn Hải An"),
            (CAN_THO, None, None, "Đồng Văn Thanh"),
        ]
    ),
)
def test_plan_number_date_and_signer_are_those_the_seed_shows(
    portal: Portal, plan_id: str, number: str | None, date: dt.date | None, signer: str | None
) -> None:
    plan = plan_of(portal, plan_id)
    assert plan.number == number
    assert plan.date == date
    assert (plan.signer.name if plan.signer else None) == signer


def test_can_tho_plan_replaces_ke_hoach_386_kh_tu(portal: Portal) -> None:
    plan = plan_of(portal, CAN_THO)
    assert plan.replaces == ("can-tho-ke-hoach-386-kh-tu-2025",)
    replaced = portal.documents["can-tho-ke-hoach-386-kh-tu-2025"]
    assert replaced.number == "386-KH/TU"
    assert replaced.date == dt.date(2025, 3, 12)


# --- task counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_id", "total", "per_group"),
    by_first(
        [
            (NGHE_AN, 24, {"1": 2, "2": 3, "3": 4, "4": 4, "5": 10, "6": 1}),
            (QUANG_NGAI, 23, {"i": 2, "ii": 3, "iii": 2, "iv": 3, "v": 9, "vi": 4}),
            # Part II of the Ngọk Bay plan numbers two sections "3"; groups are 1-6 by position.
            (NGOK_BAY, 20, {"1": 2, "2": 5, "3": 3, "4": 2, "5": 4, "6": 4}),
            (CAN_THO, 14, {"1": 2, "2": 4, "3": 2, "4": 2, "5": 3, "6": 1}),
        ]
    ),
)
def test_plan_has_the_seed_task_count_in_each_group(
    portal: Portal, plan_id: str, total: int, per_group: dict[str, int]
) -> None:
    plan = plan_of(portal, plan_id)
    assert {g.id: len(g.tasks) for g in plan.groups} == per_group
    assert len(plan.tasks) == total


def test_ngok_bay_groups_show_the_numbers_the_document_prints_including_the_second_3(
    portal: Portal,
) -> None:
    plan = plan_of(portal, NGOK_BAY)
    assert [g.number for g in plan.groups] == ["1", "2", "3", "3", "4", "5"]


# --- Nghệ An, 686/KH-UBND: the appendix table ----------------------------------------------

SO_BAN_NGANH = "Các sở, ban, ngành, đơn vị cấp tỉnh"
UBND_XA = "UBND các xã, phường"
NHCSXH = "NHCSXH Chi nhánh tỉnh"
ND_UBND = "Nghị quyết của HĐND/Quyết định, Văn bản chỉ đạo của UBND tỉnh, UBND các xã, phường"


@pytest.mark.parametrize(
    ("task_id", "lead", "support", "output", "timeline"),
    by_first(
        [
            ("1.2", [SO_BAN_NGANH, UBND_XA], [], "Kế hoạch", "Tháng 8/2025"),
            (
                "2.2",
                [SO_BAN_NGANH, UBND_XA],
                [
                    "Ủy ban Mặt trận tổ quốc Việt nam tỉnh",
                    "các tổ chức chính trị - xã hội cấp tỉnh",
                ],
                "Các cuộc tổ chức, vận động",
                "Thường xuyên",
            ),
            (
                "3.1",
                [SO_BAN_NGANH],
                [NHCSXH, UBND_XA],
                "Nghị quyết của HĐND/Quyết định, Văn bản chỉ đạo của UBND tỉnh",
                "Thường xuyên",
            ),
            (
                "3.3",
                [SO_BAN_NGANH, UBND_XA],
                [NHCSXH],
                ND_UBND,
                "Hàng năm, giai đoạn",
            ),
            (
                "4.1",
                ["Sở Tài chính", UBND_XA],
                [NHCSXH, SO_BAN_NGANH],
                ND_UBND,
                "- Nguồn vốn đầu tư công: Theo tiến độ xây dựng Kế hoạch đầu tư công trung hạn;"
                " Kế hoạch đầu tư công hàng năm.\n"
                "- Nguồn vốn khác: Thực hiện theo quy định.",
            ),
            (
                "4.2",
                [SO_BAN_NGANH, UBND_XA],
                [
                    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                    "các tổ chức chính trị - xã hội nhận ủy thác cấp tỉnh",
                    NHCSXH,
                ],
                ND_UBND,
                "Thường xuyên",
            ),
            (
                "5.1",
                [NHCSXH],
                [
                    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                    "các tổ chức chính trị - xã hội nhận ủy thác cấp tỉnh",
                    SO_BAN_NGANH,
                    UBND_XA,
                ],
                None,
                "Thường xuyên",
            ),
            (
                "5.2",
                ["Đoàn giám sát của HĐND tỉnh", SO_BAN_NGANH, UBND_XA],
                [],
                "Báo cáo",
                "Theo kế hoạch của các cơ quan, Đơn vị",
            ),
            (
                "5.7",
                [NHCSXH],
                [
                    "Các tổ chức chính trị - xã hội nhận ủy thác cấp tỉnh",
                    "Sở, ngành, đơn vị cấp tỉnh",
                    UBND_XA,
                ],
                "Văn bản",
                "Thường xuyên",
            ),
            (
                "6",
                [NHCSXH, SO_BAN_NGANH, UBND_XA],
                [],
                "Báo cáo",
                "Định kỳ hằng năm (trước ngày 01/10)",
            ),
        ]
    ),
)
def test_nghe_an_task_lead_support_output_timeline_match_the_appendix(
    portal: Portal,
    task_id: str,
    lead: list[str],
    support: list[str],
    output: str | None,
    timeline: str | None,
) -> None:
    assert_cells(task_of(portal, NGHE_AN, task_id), task_id, lead, support, output, timeline)


@pytest.mark.parametrize(
    ("task_id", "text"),
    by_first(
        [
            (
                "5.8",
                "Tăng cường huy động vốn từ tiền gửi, tiền vay, tiền tài trợ của các tổ chức, cá nhân"
                " trong và ngoài nước; nghiên cứu, báo cáo, đề xuất cấp có thẩm quyền cơ chế để huy"
                " động các nguồn lực khác ngoài ngân sách nhà nước.",
            ),
            (
                "1.2",
                "Xây dựng kế hoạch cụ thể triển khai Kế hoạch số 299-KH/TU ngày 06/02/2025 của Ban"
                " Thường vụ Tỉnh ủy, Quyết định số 1560/QĐ-TTg ngày 18/7/2025 của Thủ tướng Chính"
                " phủ, Kế hoạch này và các văn bản chỉ đạo của UBND tỉnh về thực hiện Chỉ thị số"
                " 39-CT/TW",
            ),
            (
                "6",
                "Định kỳ hằng năm báo cáo tình hình thực hiện Kế hoạch trước ngày 01 tháng 10; báo"
                " cáo theo chuyên đề, báo cáo đột xuất khi có yêu cầu của cấp có thẩm quyền hoặc có"
                " vướng mắc trong quá trình thực hiện; gửi về Ngân hàng Chính sách xã hội Chi nhánh"
                " tỉnh để tổng hợp.",
            ),
        ]
    ),
)
def test_nghe_an_task_text_is_the_appendix_cell_verbatim(
    portal: Portal, task_id: str, text: str
) -> None:
    assert task_of(portal, NGHE_AN, task_id).text == text


@pytest.mark.parametrize(
    ("task_id", "fragment"),
    by_first(
        [
            # cells split across a page break, joined back
            ("2.1", "tham gia thực hiện tốt: Công tác tuyên truyền, giám sát và phản biện xã hội"),
            ("3.4", "thực hiện Nghị quyết số 39-NQ/TW ngày 18/7/2023 của Bộ Chính trị"),
            ("4.2", "vào một đầu mối là Ngân hàng Chính sách xã hội Chi nhánh tỉnh nhằm bổ sung"),
            ("5.7", "trong việc theo dõi, giám sát, đôn đốc, thu hồi và xử lý nợ"),
            # the source's own slips, kept
            ("1.1", "Chỉ thị số 39-CT/TW ngày 30/10//2024 của Ban Bí thư"),
            ("2.2", "nhằm bồi sung nguồn vốn cho NHCSXH"),
        ]
    ),
)
def test_nghe_an_task_text_keeps_the_appendix_wording(
    portal: Portal, task_id: str, fragment: str
) -> None:
    assert fragment in task_of(portal, NGHE_AN, task_id).text


def test_nghe_an_group_5_ends_with_two_unnumbered_rows_led_by_nhcsxh(portal: Portal) -> None:
    group = next(g for g in plan_of(portal, NGHE_AN).groups if g.id == "5")
    assert [t.number for t in group.tasks] == [
        "5.1",
        "5.2",
        "5.3",
        "5.4",
        "5.5",
        "5.6",
        "5.7",
        "5.8",
        None,
        None,
    ]
    first, second = group.tasks[-2:]
    assert first.text.startswith(
        "Nâng cao hiệu quả hoạt động của Ngân hàng Chính sách xã hội tỉnh và các Phòng giao dịch"
    )
    assert second.text.startswith(
        "Tiếp tục đổi mới, hiện đại hóa công tác quản trị điều hành, thúc đẩy chuyển đổi số"
    )
    for task in (first, second):
        assert written(task.lead) == [NHCSXH]
        assert task.support == ()
        assert task.output is None
        assert timeline_text(task) == "Thường xuyên"


def test_nghe_an_group_6_is_a_single_task_numbered_6(portal: Portal) -> None:
    group = next(g for g in plan_of(portal, NGHE_AN).groups if g.id == "6")
    assert group.title == "Chế độ báo cáo"
    assert [(t.id, t.number) for t in group.tasks] == [("6", "6")]


def test_nghe_an_nhcsxh_chi_nhanh_has_one_id_under_both_wordings(portal: Portal) -> None:
    registry = AgencyRegistry(portal.jurisdictions, portal.agencies)
    short, _ = registry.resolve("NHCSXH Chi nhánh tỉnh", "nghe-an")
    full, _ = registry.resolve("Ngân hàng Chính sách xã hội Chi nhánh tỉnh", "nghe-an")
    assert short is not None
    assert short == full
    assert task_of(portal, NGHE_AN, "5.8").lead[0].agency_id == short


# --- Quảng Ngãi, Phụ lục 02 of 89/KH-UBND ---------------------------------------------------

SO_BAN_NGANH_QN = "Các sở, ban ngành có liên quan"
UBND_XA_QN = "Ủy ban nhân dân các xã, phường, đặc khu"
CN_NHCSXH = "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"
PGD_NHCSXH = "Phòng giao dịch Ngân hàng Chính sách xã hội trực thuộc"


@pytest.mark.parametrize(
    ("task_id", "number", "lead", "support", "output", "timeline"),
    by_first(
        [
            (
                "i.1",
                "1",
                ["Các sở, ban, ngành có liên quan", UBND_XA_QN],
                [],
                "Văn bản triển khai, Kế hoạch phổ biến, tuyên truyền",
                "Thường xuyên",
            ),
            (
                "i.2",
                "2",
                [
                    "Báo và Phát thanh, Truyền hình Quảng Ngãi",
                    "các cơ quan báo chí đóng trên địa bàn",
                ],
                [
                    "Ủy ban Mặt trận Tổ quốc",
                    "các tổ chức chính trị - xã hội các cấp",
                    "Các sở, ban, ngành có liên quan",
                    UBND_XA_QN,
                ],
                "Tin bài, phóng sự",
                "Thường xuyên",
            ),
            (
                "iii.2",
                "2",
                ["Các tổ chức chính trị - xã hội nhận ủy thác các cấp"],
                ["Ủy ban Mặt trận Tổ quốc", CN_NHCSXH, PGD_NHCSXH],
                "Báo cáo đánh giá định kỳ, Văn bản phối hợp",
                "Thường xuyên, hằng năm",
            ),
            (
                "iv.1.a",
                "a",
                ["Sở Tài chính", UBND_XA_QN],
                [SO_BAN_NGANH_QN, CN_NHCSXH, PGD_NHCSXH],
                "Quyết định của Ủy ban nhân dân tỉnh, Ủy ban nhân dân xã, phường, đặc khu",
                "Thường xuyên, hằng năm",
            ),
            (
                "iv.1.c",
                "c",
                ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", CN_NHCSXH, PGD_NHCSXH],
                [SO_BAN_NGANH_QN],
                "Văn bản, cam kết phối hợp",
                "Thường xuyên",
            ),
            (
                "v.2",
                "2",
                ["Sở Dân tộc và Tôn giáo"],
                [SO_BAN_NGANH_QN, CN_NHCSXH, UBND_XA_QN],
                "Tờ trình, Báo cáo đề xuất của Sở Dân tộc và Tôn giáo",
                "Thường xuyên",
            ),
            (
                "v.6",
                "6",
                ["Công an tỉnh"],
                [SO_BAN_NGANH_QN, "Uỷ ban nhân dân các xã, phường, đặc khu"],
                "Tờ trình, Báo cáo đề xuất của Công an tỉnh",
                "Thường xuyên, hằng năm",
            ),
            (
                "v.8",
                "8",
                [CN_NHCSXH],
                [SO_BAN_NGANH_QN, UBND_XA_QN],
                "Tờ trình, Báo cáo đề xuất của Chi nhánh Ngân hàng Chính sách xã hội tỉnh",
                "Năm 2025 và giai đoạn 2026 -2030 (hoàn thành trong quý III/2025)",
            ),
            (
                "vi.1",
                "1",
                [CN_NHCSXH],
                [SO_BAN_NGANH_QN, "các tổ chức chính trị - xã hội", UBND_XA_QN],
                "Văn bản chỉ đạo, Kế hoạch triển khai thực hiện",
                "Thường xuyên",
            ),
            (
                "vi.3",
                "3",
                ["Ủy ban nhân dân các cấp"],
                [
                    "Ủy ban Mặt trận Tổ quốc",
                    "các tổ chức chính trị - xã hội các cấp",
                    SO_BAN_NGANH_QN,
                ],
                "Quyết định, Văn bản chỉ đạo của Ủy ban nhân dân các cấp",
                "Thường xuyên",
            ),
        ]
    ),
)
def test_quang_ngai_task_lead_support_output_timeline_match_phu_luc_02(
    portal: Portal,
    task_id: str,
    number: str,
    lead: list[str],
    support: list[str],
    output: str | None,
    timeline: str | None,
) -> None:
    assert_cells(task_of(portal, QUANG_NGAI, task_id), number, lead, support, output, timeline)


@pytest.mark.parametrize(
    ("task_id", "text"),
    by_first(
        [
            (
                "v.7",
                "Rà soát báo cáo cấp có thẩm quyền về chính sách tín dụng ưu đãi đối với Học sinh"
                " sinh viên",
            ),
            (
                "v.2",
                "Rà soát, báo cáo cấp có thẩm quyền về chính sách tín dụng ưu đãi thực hiện Chương"
                " trình mục tiêu quốc gia về phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu"
                " số và miền núi giai đoạn 2021-2030",
            ),
            (
                "iii.2",
                "Thực hiện đầy đủ, bảo đảm chất lượng các nội dung công việc nhận ủy thác cho vay từ"
                " Ngân hàng Chính sách xã hội",
            ),
            (
                "v.6",
                "Rà soát báo cáo cấp có thẩm quyền về chính sách tín dụng ưu đãi đối với người chấp"
                " hành xong án phạt tù Quyết định số 22/2023/QĐ-TTg",
            ),
        ]
    ),
)
def test_quang_ngai_task_text_is_the_phu_luc_cell_verbatim(
    portal: Portal, task_id: str, text: str
) -> None:
    assert task_of(portal, QUANG_NGAI, task_id).text == text


def test_quang_ngai_task_ii_1_runs_across_the_page_number_without_it(portal: Portal) -> None:
    task = task_of(portal, QUANG_NGAI, "ii.1")
    assert "nâng cao chất lượng, hiệu quả công tác quản lý, kiểm tra, giám sát" in task.text
    assert task.text.endswith(
        "nhằm nâng cao hiệu quả tín dụng chính sách xã hội trong giai đoạn mới"
    )
    assert written(task.lead) == [SO_BAN_NGANH_QN, UBND_XA_QN]
    assert task.support == ()


def test_quang_ngai_task_ii_3_keeps_the_source_slip_quoc_giam_ngheo(portal: Portal) -> None:
    assert "các chương trình mục tiêu quốc giảm nghèo bền vững" in (
        task_of(portal, QUANG_NGAI, "ii.3").text
    )


def test_quang_ngai_group_iv_item_1_has_sub_items_a_to_c(portal: Portal) -> None:
    group = next(g for g in plan_of(portal, QUANG_NGAI).groups if g.id == "iv")
    assert group.number == "IV"
    assert [(t.id, t.number) for t in group.tasks] == [
        ("iv.1.a", "a"),
        ("iv.1.b", "b"),
        ("iv.1.c", "c"),
    ]
    a = group.tasks[0]
    assert a.text.startswith("- Tiếp tục cân đối, ưu tiên bố trí kịp thời nguồn vốn từ ngân sách")
    assert "\n- Trước mắt, trong năm 2025, tổ chức rà soát các nguồn vốn" in a.text


def test_so_tai_chinh_is_a_different_agency_in_nghe_an_and_in_quang_ngai(portal: Portal) -> None:
    nghe_an = task_of(portal, NGHE_AN, "4.1").lead[0]
    quang_ngai = task_of(portal, QUANG_NGAI, "iv.1.a").lead[0]
    assert nghe_an.written == quang_ngai.written == "Sở Tài chính"
    assert nghe_an.agency_id != quang_ngai.agency_id
    assert nghe_an.agency_id.startswith("nghe-an/")
    assert quang_ngai.agency_id.startswith("quang-ngai/")


# --- Ngọk Bay (xã, Quảng Ngãi): body only, no appendix ------------------------------------


def test_ngok_bay_tasks_have_no_lead_support_output_or_timeline(portal: Portal) -> None:
    tasks = plan_of(portal, NGOK_BAY).tasks
    assert tasks
    for task in tasks:
        assert task.number is None, task.id
        assert task.lead == (), task.id
        assert task.support == (), task.id
        assert task.output is None, task.id
        assert task.timeline is None, task.id


@pytest.mark.parametrize(
    ("task_id", "text"),
    by_first(
        [
            (
                "2.gach-3",
                "Có giải pháp nâng cao công tác quản lý, giám sát và sử dụng tối đa nguồn lực tín"
                " dụng chính sách xã hội để thúc đẩy phát triển kinh tế - xã hội.",
            ),
            (
                "5.gach-2",
                "Nghiên cứu, đề xuất cơ chế, chính sách cụ thể để khuyến khích mạnh mẽ mô hình tín"
                " dụng chính sách, nhất là sự tham gia của cộng đồng, các doanh nghiệp xã hội, doanh"
                " nghiệp không vì mục tiêu lợi nhuận; khuyến khích phát triển các nền tảng số cho tín"
                " dụng chính sách.",
            ),
            (
                "6.gach-2",
                "Chủ động phối hợp với các tổ chức chính trị - xã hội nhận ủy thác tăng cường kiểm"
                " tra, giám sát hoạt động nhận ủy thác, ủy nhiệm đối với các tổ chức chính trị - xã"
                " hội, Tổ Tiết kiệm và vay vốn; kiểm tra, nắm chắc tình hình sử dụng vốn của người"
                " vay.",
            ),
            (
                "2.gach-2",
                "Nâng cao trách nhiệm của chính quyền trong việc triển khai các chương trình tín dụng"
                " chính sách xã hội; đào tạo, hỗ trợ kỹ thuật, chuyển giao công nghệ, tiêu thụ sản"
                " phẩm; xây dựng và nhân rộng mô hình, điển hình sản xuất, kinh doanh giỏi, sử dụng"
                " vốn vay hiệu quả.",
            ),
        ]
    ),
)
def test_ngok_bay_task_text_is_the_bullet_verbatim(portal: Portal, task_id: str, text: str) -> None:
    assert task_of(portal, NGOK_BAY, task_id).text == text


def test_ngok_bay_task_1_gach_1_joins_words_split_at_a_hyphen(portal: Portal) -> None:
    text = task_of(portal, NGOK_BAY, "1.gach-1").text
    assert text.startswith(
        "Tổ chức nghiên cứu, phổ biến, quán triệt sâu rộng nội dung Chỉ thị số 39-CT/TW của Ban"
        " Bí thư, Quyết định số 1560/QĐ-TTg của Thủ tướng Chính phủ đến toàn thể cán bộ"
    )


def test_ngok_bay_second_section_3_keeps_its_plus_sub_items_in_one_task(portal: Portal) -> None:
    text = task_of(portal, NGOK_BAY, "4.gach-1").text
    assert text.startswith("Tập trung các nguồn vốn có nguồn gốc từ ngân sách Nhà nước")
    assert "+ Tiếp tục cân đối ngân sách của đơn vị trong kế hoạch đầu tư công trung hạn" in text
    assert text.endswith("và đến năm 2030 chiếm 15% tổng nguồn vốn.")


# --- Cần Thơ (Ban Thường vụ Thành ủy): leads taken from "III- Tổ chức thực hiện" ----------

CAP_UY = (
    "Các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội"
    " thành phố"
)
DANG_UY_CQ = "Đảng ủy các cơ quan Đảng thành phố"
DANG_UY_UBND = "Đảng ủy Ủy ban nhân dân thành phố"
UBND_TP = "Ủy ban nhân dân thành phố"
HDND_TP = "Hội đồng nhân dân thành phố"
MTTQ_TP = "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"
CTXH_TP = "các tổ chức chính trị - xã hội thành phố"


@pytest.mark.parametrize(
    ("task_id", "lead", "support"),
    by_first(
        [
            (
                "1.gach-1",
                [CAP_UY, "Ban Tuyên giáo và Dân vận Thành ủy"],
                ["các cơ quan, đơn vị có liên quan"],
            ),
            ("2.gach-2", [DANG_UY_UBND, UBND_TP], []),
            ("2.gach-3", [DANG_UY_CQ, MTTQ_TP, CTXH_TP], []),
            ("2.gach-4", [DANG_UY_CQ, HDND_TP], []),
            ("3.gach-1", [DANG_UY_UBND, UBND_TP], []),
            ("4.gach-2", [DANG_UY_CQ, MTTQ_TP, CTXH_TP], []),
            ("5.gach-2", [], []),
            ("6", [], []),
        ]
    ),
)
def test_can_tho_task_lead_and_support_quote_to_chuc_thuc_hien(
    portal: Portal, task_id: str, lead: list[str], support: list[str]
) -> None:
    task = task_of(portal, CAN_THO, task_id)
    assert written(task.lead) == lead
    assert written(task.support) == support
    # the plan has no table: no task states an output or a deadline
    assert task.output is None
    assert task.timeline is None


@pytest.mark.parametrize(
    ("task_id", "number", "text"),
    by_first(
        [
            # Section 6 is a heading with no content: the task text is absent, not the heading.
            ("6", "6", None),
            (
                "2.gach-4",
                None,
                "Tăng cường công tác kiểm tra, giám sát đối với công tác quản lý và sử dụng vốn tín"
                " dụng chính sách xã hội, không được để xảy ra tham nhũng, lãng phí, tiêu cực, đảm"
                " bảo công khai, minh bạch trong quá trình thực hiện.",
            ),
            (
                "4.gach-2",
                None,
                "Tăng cường huy động vốn từ tiền gửi, tiền tài trợ của các tổ chức, cá nhân trong và"
                " ngoài nước; tiếp tục đẩy mạnh, mở rộng cuộc vận động đóng góp vào Quỹ “Vì người"
                " nghèo” để huy động các tổ chức, doanh nghiệp, cá nhân tự nguyện tham gia đóng góp"
                " bổ sung nguồn vốn cho tín dụng chính sách xã hội.",
            ),
        ]
    ),
)
def test_can_tho_task_text_is_the_body_verbatim(
    portal: Portal, task_id: str, number: str | None, text: str | None
) -> None:
    task = task_of(portal, CAN_THO, task_id)
    assert task.number == number
    assert task.text == text


def test_can_tho_group_6_is_a_single_task_numbered_6(portal: Portal) -> None:
    group = next(g for g in plan_of(portal, CAN_THO).groups if g.id == "6")
    assert [(t.id, t.number) for t in group.tasks] == [("6", "6")]
