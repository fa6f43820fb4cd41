"""The relevance set: queries a reader would type over the shipped data, and the results that
reader expects first, written down from reading data/ (agency names, plan texts), not computed
by the code under test. tests/test_search_relevance.py checks the Python reference and the
browser's engine against it; scripts/search_precision.py reports the precision of the first
five results.

Each query is run as the header box runs it (every kind of page) or, with `tasks_only`, as
the finder does (tasks only). `first`: the URLs that must come first, in any order among
themselves (results of one tier come in index order, which is no judgement of relevance).
`phrase`: whether some document holds the query as written; when none does, the page must
say so, and `first` is empty. `read_as`: the (typed, read) words of a query with a typo, a
word no text has read as the word one letter away (the page says so); every other query is
read as typed. `nothing`: the query finds nothing at all."""

from __future__ import annotations

from dataclasses import dataclass

NA = "ke-hoach/nghe-an-686-kh-ubnd-2025/"
QN = "ke-hoach/quang-ngai-89-kh-ubnd-2025/"
CT = "ke-hoach/can-tho-thanh-uy-ke-hoach-39-ct-tw/"
NB = "ke-hoach/quang-ngai-ngok-bay-ke-hoach-39-ct-tw/"


@dataclass(frozen=True)
class Case:
    query: str
    first: tuple[str, ...]
    tasks_only: bool = False
    phrase: bool = True
    read_as: tuple[tuple[str, str], ...] = ()
    nothing: bool = False


def _agency(path: str) -> str:
    return f"co-quan/{path}/"


SO_TAI_CHINH = (
    _agency("nghe-an/so-tai-chinh"),
    _agency("quang-ngai/so-tai-chinh"),
    NA + "#nv-4-1",
    QN + "#nv-iv-1-a",
    QN + "#nv-iv-1-b",
)
NHCSXH_AGENCIES = (
    _agency("nghe-an/nhcsxh-chi-nhanh-tinh"),
    _agency("quang-ngai/nhcsxh-chi-nhanh-tinh"),
    _agency("trung-uong/nhcsxh-viet-nam"),
    _agency("quang-ngai/pgd-nhcsxh-kon-tum"),
    _agency("quang-ngai/pgd-nhcsxh-truc-thuoc"),
)
MTTQ_AGENCIES = (
    _agency("can-tho/cap-uy-chinh-quyen-mttq-doan-the"),  # "…, Mặt trận Tổ quốc Việt Nam và …"
    _agency("quang-ngai-ngok-bay/mat-tran-to-quoc"),
    _agency("can-tho/ubmttq-thanh-pho"),
    _agency("nghe-an/ubmttq-tinh"),
    _agency("quang-ngai/ubmttq-tinh"),
)
HDND = (
    _agency("nghe-an/doan-giam-sat-hdnd-tinh"),
    _agency("can-tho/hdnd-thanh-pho"),
    CT + "#nv-2-gach-4",
    CT + "#nv-3-gach-2",
    CT + "#nv-4-gach-1",
)
HDND_TASKS = (CT + "#nv-2-gach-4", CT + "#nv-3-gach-2", CT + "#nv-4-gach-1", NA + "#nv-5-2")
NHAN_UY_THAC = (
    _agency("quang-ngai/cac-to-chuc-ctxh-nhan-uy-thac"),
    _agency("nghe-an/cac-to-chuc-chinh-tri-xa-hoi-nhan-uy-thac-cap-tinh"),
    _agency("quang-ngai-ngok-bay/to-chuc-chinh-tri-xa-hoi-nhan-uy-thac"),
    QN + "#nv-iii-2",  # led by "Các tổ chức chính trị - xã hội nhận ủy thác các cấp"
)

CASES: tuple[Case, ...] = (
    # Agency names, with and without marks, and abbreviations.
    Case("so tai chinh", SO_TAI_CHINH),
    Case("Sở Tài chính", SO_TAI_CHINH),
    Case("SỞ TÀI CHÍNH", SO_TAI_CHINH),
    Case("sở tài chính tỉnh nghệ an", (_agency("nghe-an/so-tai-chinh"), NA + "#nv-4-1")),
    Case("so tai chinh", SO_TAI_CHINH[2:], tasks_only=True),
    Case("cong an tinh", (_agency("quang-ngai/cong-an-tinh"), QN + "#nv-v-6")),
    Case("Công an", (_agency("quang-ngai/cong-an-tinh"), QN + "#nv-v-6")),
    Case("cong an tinh", (QN + "#nv-v-6",), tasks_only=True),
    Case("NHCSXH", NHCSXH_AGENCIES),
    Case("ngân hàng chính sách xã hội", NHCSXH_AGENCIES),
    Case(
        "chi nhanh ngan hang chinh sach xa hoi tinh nghe an",
        (
            _agency("nghe-an/nhcsxh-chi-nhanh-tinh"),
            NA + "#nv-5-1",
            NA + "#nv-5-7",
            NA + "#nv-5-8",
            NA + "#nv-5-khong-so-1",
        ),
    ),
    Case("mat tran to quoc", MTTQ_AGENCIES),
    Case("MTTQ", MTTQ_AGENCIES),
    Case("hoi dong nhan dan", HDND),
    Case("HĐND", HDND),
    Case("hội đồng nhân dân", HDND_TASKS, tasks_only=True),
    Case("ubnd tinh nghe an", (NA, _agency("nghe-an/ubnd-tinh"))),
    Case(
        "uy ban nhan dan tinh quang ngai",
        (QN, _agency("quang-ngai/ubnd-tinh"), "van-ban/quang-ngai-ke-hoach-17-kh-ubnd-2025/"),
    ),
    Case(
        "UBND các xã, phường",
        tuple(NA + f"#nv-{n}" for n in ("1-1", "1-2", "2-1", "2-2", "2-3")),
        tasks_only=True,
    ),
    Case("so noi vu", (_agency("quang-ngai/so-noi-vu"), QN + "#nv-v-5")),
    Case("sở nông nghiệp", (_agency("quang-ngai/so-nong-nghiep-va-moi-truong"), QN + "#nv-v-4")),
    Case("so giao duc", (_agency("quang-ngai/so-giao-duc-va-dao-tao"), QN + "#nv-v-7")),
    Case("so xay dung", (_agency("quang-ngai/so-xay-dung"), QN + "#nv-v-3")),
    Case("so dan toc va ton giao", (_agency("quang-ngai/so-dan-toc-va-ton-giao"), QN + "#nv-v-2")),
    Case("cac to chuc chinh tri xa hoi nhan uy thac", NHAN_UY_THAC),
    Case("tổ chức chính trị xã hội nhận ủy thác", NHAN_UY_THAC),
    Case(
        "ban thuong vu tinh uy",
        (
            _agency("nghe-an/ban-thuong-vu-tinh-uy"),
            "van-ban/nghe-an-ke-hoach-299-kh-tu-2025/",
            "van-ban/quang-ngai-ke-hoach-05-kh-tu-2025/",
            "van-ban/quang-ngai-ke-hoach-15-kh-tu-2025/",
        ),
    ),
    Case(
        "phong giao dich",
        (QN + "#nv-iv-1-c", QN + "#nv-iii-2", QN + "#nv-iv-1-a", QN + "#nv-iv-1-b"),
        tasks_only=True,
    ),
    # Phrases of the plans' texts.
    Case("chi thi so 39", ("van-ban/chi-thi-39-ct-tw-2024/",)),
    Case("người chấp hành xong án phạt tù", (QN + "#nv-v-6",), tasks_only=True),
    Case(
        "hoc sinh sinh vien",  # "học sinh, sinh viên nghèo" in two plans; a task of its own in one
        (CT + "#nv-3-gach-1", NA + "#nv-3-1", QN + "#nv-v-7"),
        tasks_only=True,
    ),
    Case("ho can ngheo", (NA + "#nv-2-3", NA + "#nv-3-1", NB + "#nv-2-gach-5"), tasks_only=True),
    Case(
        "chuyen doi so",
        (CT + "#nv-3-gach-1", CT + "#nv-5-gach-3", NA + "#nv-5-khong-so-2", QN + "#nv-vi-4"),
        tasks_only=True,
    ),
    # One syllable.
    Case("tum", (_agency("quang-ngai/pgd-nhcsxh-kon-tum"),)),
    Case(
        "Ngọk",
        (
            NB,
            _agency("quang-ngai-ngok-bay/mat-tran-to-quoc"),
            _agency("quang-ngai-ngok-bay/ubnd-xa"),
        )
        + ("co-quan/quang-ngai-ngok-bay/",),
    ),
    # Phrases no text holds: the page must say so (Hội Nông dân and the other organisations that
    # take social-policy credit in trust are named in no plan of the seed data).
    Case("hoi nong dan", (), phrase=False),
    Case("hội liên hiệp phụ nữ", (), phrase=False),
    # No text has the word "niên": it is read as the word a letter away, and the page says so.
    Case("doan thanh nien", (), phrase=False, read_as=(("nien", "hien"),)),
    Case("thu hoi no qua han", (), phrase=False),
    Case("thu hoi no", (), tasks_only=True, phrase=False),  # the plans say "thu hồi và xử lý nợ"
    # Typos of one letter: the word no text has is read as the one a letter away (a letter
    # dropped, or two swapped); words that texts have are never replaced, though `tum` and `kon`
    # are a letter from words in more documents (`tam`, `tuc`, `con`); and a word two letters
    # from any finds nothing.
    Case("so tai chnh", SO_TAI_CHINH, read_as=(("chnh", "chinh"),)),
    Case("cong an tihn", (QN + "#nv-v-6",), tasks_only=True, read_as=(("tihn", "tinh"),)),
    Case("kon tum", (_agency("quang-ngai/pgd-nhcsxh-kon-tum"),)),
    Case("so tai chnhh", (), phrase=False, nothing=True),
)
