"""`python -m generator synth`: a synthetic national corpus, to measure the portal at scale.

The 34 provinces and as many communes as the plan count asks for, each with the agencies a
real jurisdiction has (UBND, HĐND, the party committee, MTTQ, NHCSXH, the sở or the commune's
offices, the hội đoàn thể, and the collectives plans name: "Các sở, ban, ngành cấp tỉnh",
"UBND các xã, phường"); one plan each, its tasks recombined from the clauses of the seed plans
(data/plans/ and, when given, the source texts), every timeline kind, documents the plans
implement or replace, and former ids whose redirects must keep working.

Same arguments, same bytes: everything is drawn from one `random.Random(seed)` in a fixed
order. The corpus is data for measuring and smoke tests, never for data/: every plan says in
its source note that it is synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import urls
from generator.domain import Document, Plan, Portal, Section, TimelineKind
from generator.text import strip_marks
from generator.timeline import parse_timeline

# What a buildable project holds besides data/ (generated folders and site/ are left behind).
PROJECT_PARTS = ("templates", "docs", "hooks", "overrides", "mkdocs.yml")

SYNTHETIC_NOTE = (
    "Dữ liệu tổng hợp để thử cổng ở quy mô cả nước: ghép lại từ câu chữ của các kế hoạch mẫu, "
    "không phải một văn bản thật."
)

# The 34 provincial units since 1 July 2025: (id, name, is a centrally-run city).
PROVINCES: tuple[tuple[str, str, bool], ...] = (
    ("ha-noi", "Hà Nội", True),
    ("ho-chi-minh", "Hồ Chí Minh", True),
    ("hai-phong", "Hải Phòng", True),
    ("da-nang", "Đà Nẵng", True),
    ("can-tho", "Cần Thơ", True),
    ("hue", "Huế", True),
    ("lai-chau", "Lai Châu", False),
    ("dien-bien", "Điện Biên", False),
    ("son-la", "Sơn La", False),
    ("lang-son", "Lạng Sơn", False),
    ("quang-ninh", "Quảng Ninh", False),
    ("thanh-hoa", "Thanh Hóa", False),
    ("nghe-an", "Nghệ An", False),
    ("ha-tinh", "Hà Tĩnh", False),
    ("cao-bang", "Cao Bằng", False),
    ("tuyen-quang", "Tuyên Quang", False),
    ("lao-cai", "Lào Cai", False),
    ("thai-nguyen", "Thái Nguyên", False),
    ("phu-tho", "Phú Thọ", False),
    ("bac-ninh", "Bắc Ninh", False),
    ("hung-yen", "Hưng Yên", False),
    ("ninh-binh", "Ninh Bình", False),
    ("quang-tri", "Quảng Trị", False),
    ("quang-ngai", "Quảng Ngãi", False),
    ("gia-lai", "Gia Lai", False),
    ("khanh-hoa", "Khánh Hòa", False),
    ("lam-dong", "Lâm Đồng", False),
    ("dak-lak", "Đắk Lắk", False),
    ("dong-nai", "Đồng Nai", False),
    ("tay-ninh", "Tây Ninh", False),
    ("vinh-long", "Vĩnh Long", False),
    ("dong-thap", "Đồng Tháp", False),
    ("ca-mau", "Cà Mau", False),
    ("an-giang", "An Giang", False),
)

# Agencies of a province: (id, canonical name, other wordings, collective). `{u}` is "tỉnh"
# or "thành phố", `{p}` the place name, `{uy}` "Tỉnh ủy" or "Thành ủy", `{doan}` "Tỉnh đoàn"
# or "Thành đoàn".
PROVINCE_AGENCIES: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("ubnd", "Ủy ban nhân dân {u} {p}", ("UBND {u}", "Ủy ban nhân dân {u}"), False),
    ("hdnd", "Hội đồng nhân dân {u} {p}", ("HĐND {u}",), False),
    ("ban-thuong-vu", "Ban Thường vụ {uy} {p}", ("Ban Thường vụ {uy}",), False),
    (
        "ubmttq",
        "Ủy ban Mặt trận Tổ quốc Việt Nam {u} {p}",
        ("Ủy ban MTTQ Việt Nam {u}", "Ủy ban Mặt trận Tổ quốc {u}"),
        False,
    ),
    (
        "nhcsxh-chi-nhanh",
        "Chi nhánh Ngân hàng Chính sách xã hội {u} {p}",
        ("NHCSXH Chi nhánh {u}", "Ngân hàng Chính sách xã hội Chi nhánh {u}"),
        False,
    ),
    ("so-tai-chinh", "Sở Tài chính {u} {p}", ("Sở Tài chính",), False),
    ("so-noi-vu", "Sở Nội vụ {u} {p}", ("Sở Nội vụ",), False),
    ("so-xay-dung", "Sở Xây dựng {u} {p}", ("Sở Xây dựng",), False),
    (
        "so-nong-nghiep-va-moi-truong",
        "Sở Nông nghiệp và Môi trường {u} {p}",
        ("Sở Nông nghiệp và Môi trường",),
        False,
    ),
    (
        "so-giao-duc-va-dao-tao",
        "Sở Giáo dục và Đào tạo {u} {p}",
        ("Sở Giáo dục và Đào tạo",),
        False,
    ),
    ("so-y-te", "Sở Y tế {u} {p}", ("Sở Y tế",), False),
    (
        "so-dan-toc-va-ton-giao",
        "Sở Dân tộc và Tôn giáo {u} {p}",
        ("Sở Dân tộc và Tôn giáo",),
        False,
    ),
    ("so-cong-thuong", "Sở Công Thương {u} {p}", ("Sở Công Thương",), False),
    ("so-tu-phap", "Sở Tư pháp {u} {p}", ("Sở Tư pháp",), False),
    ("cong-an", "Công an {u} {p}", ("Công an {u}",), False),
    ("thanh-tra", "Thanh tra {u} {p}", ("Thanh tra {u}",), False),
    (
        "bao-va-phat-thanh-truyen-hinh",
        "Báo và Phát thanh, Truyền hình {p}",
        ("Báo và PTTH {p}",),
        False,
    ),
    ("hoi-nong-dan", "Hội Nông dân {u} {p}", ("Hội Nông dân {u}",), False),
    ("hoi-lien-hiep-phu-nu", "Hội Liên hiệp Phụ nữ {u} {p}", ("Hội LHPN {u}",), False),
    ("hoi-cuu-chien-binh", "Hội Cựu chiến binh {u} {p}", ("Hội CCB {u}",), False),
    ("doan-thanh-nien", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {u} {p}", ("{doan}",), False),
    (
        "cac-so-ban-nganh",
        "Các sở, ban, ngành cấp {u}",
        ("Các sở, ban, ngành, đơn vị cấp {u}", "Các sở, ban, ngành có liên quan"),
        True,
    ),
    ("ubnd-cac-xa-phuong", "Ủy ban nhân dân các xã, phường", ("UBND các xã, phường",), True),
    (
        "cac-to-chuc-ctxh-nhan-uy-thac",
        "Các tổ chức chính trị - xã hội nhận ủy thác cấp {u}",
        ("các tổ chức chính trị - xã hội nhận ủy thác",),
        True,
    ),
    (
        "cac-co-quan-bao-chi",
        "Các cơ quan báo chí trên địa bàn {u}",
        ("các cơ quan báo chí đóng trên địa bàn",),
        True,
    ),
)

# Agencies of a commune: `{u}` is "xã" or "phường", `{c}` its name.
COMMUNE_AGENCIES: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("ubnd", "Ủy ban nhân dân {u} {c}", ("UBND {u}", "Ủy ban nhân dân {u}"), False),
    ("dang-uy", "Đảng ủy {u} {c}", ("Đảng ủy {u}",), False),
    ("hdnd", "Hội đồng nhân dân {u} {c}", ("HĐND {u}",), False),
    ("ubmttq", "Ủy ban Mặt trận Tổ quốc Việt Nam {u} {c}", ("Ủy ban MTTQ {u}", "MTTQ {u}"), False),
    ("hoi-nong-dan", "Hội Nông dân {u} {c}", ("Hội Nông dân {u}",), False),
    ("hoi-lien-hiep-phu-nu", "Hội Liên hiệp Phụ nữ {u} {c}", ("Hội LHPN {u}",), False),
    ("hoi-cuu-chien-binh", "Hội Cựu chiến binh {u} {c}", ("Hội CCB {u}",), False),
    ("doan-thanh-nien", "Đoàn Thanh niên {u} {c}", ("Đoàn Thanh niên {u}",), False),
    (
        "diem-giao-dich-nhcsxh",
        "Điểm giao dịch Ngân hàng Chính sách xã hội {u} {c}",
        ("Điểm giao dịch NHCSXH {u}",),
        False,
    ),
    ("phong-kinh-te", "Phòng Kinh tế {u} {c}", ("Phòng Kinh tế",), False),
    ("phong-van-hoa-xa-hoi", "Phòng Văn hóa - Xã hội {u} {c}", ("Phòng Văn hóa - Xã hội",), False),
    (
        "cac-to-chuc-ctxh-nhan-uy-thac",
        "Các tổ chức chính trị - xã hội nhận ủy thác {u} {c}",
        ("Các tổ chức chính trị - xã hội nhận ủy thác",),
        True,
    ),
    (
        "cac-co-quan-don-vi",
        "Các cơ quan, đơn vị thuộc Ủy ban nhân dân {u} {c}",
        ("Các cơ quan, đơn vị thuộc UBND {u}",),
        True,
    ),
    (
        "to-tiet-kiem-va-vay-von",
        "Các Tổ tiết kiệm và vay vốn {u} {c}",
        ("Tổ tiết kiệm và vay vốn",),
        True,
    ),
)

# Province agencies a commune plan also names (found through the commune's parent).
PROVINCE_NAMES_IN_COMMUNE_PLANS = ("nhcsxh-chi-nhanh", "so-tai-chinh", "so-noi-vu", "ubmttq")

SYLLABLES = (  # noqa: SIM905
    "An Bình Hòa Phú Thạnh Long Tân Đông Tây Nam Bắc Trung Hưng Phước Thuận Quang Minh Hải "
    "Sơn Lâm Giang Hà Kiên Vĩnh Gia Đức Thành Mỹ Lộc Xuân Hồng Ngọc Thái Yên Cẩm Đắk Ia Krông "
    "Sa Mường Lai Điện Hiệp Quế Tiên Ninh Vân Kỳ Lệ Đồng Cao Trà Bảo Khánh Châu Diên Đại"
).split()
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Quốc", "Ngọc")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Nam", "Tâm")

# One timeline per kind at least, as plans write them; weights make most rows ongoing or
# dated, and a few unreadable (each of those is a warning, as with real data).
TIMELINES: tuple[tuple[str | None, int], ...] = (
    ("Thường xuyên", 30),
    ("Thường xuyên, hằng năm", 4),
    ("Hằng năm", 8),
    ("Trước ngày 15/12 hằng năm", 4),
    ("Định kỳ hằng năm (trước ngày 01/10)", 3),
    ("Tháng 8/2025", 3),
    ("Quý III/2025", 3),
    ("Quý IV/2025", 4),
    ("Năm 2026", 3),
    ("Trước ngày 31/12/2025", 3),
    ("2026–2030", 4),
    ("Giai đoạn 2026 - 2030", 3),
    ("Theo kế hoạch của các cơ quan, đơn vị", 2),
    ("Khi có yêu cầu", 1),
    (None, 8),
)

# Documents every plan stands on (ids in the project's documents.yaml).
NATIONAL_DOCUMENTS = ("chi-thi-39-ct-tw-2024", "quyet-dinh-1560-qd-ttg-2025")

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


class SynthError(Exception):
    """The corpus cannot be made (a bad argument, a seed portal without material)."""


@dataclass(frozen=True)
class Material:
    """The vocabulary of the seed plans, by theme where it has one."""

    clauses: dict[str, tuple[str, ...]]  # theme id → clauses of task texts
    group_titles: dict[str, tuple[str, ...]]  # theme id → group titles
    outputs: tuple[str, ...]
    templates: tuple[Plan, ...]  # seed plans: sections, sources and titles to reuse


@dataclass(frozen=True)
class Place:
    """A jurisdiction of the corpus and the agency wordings its plans may use."""

    id: str
    name: str  # "Tỉnh Nghệ An", "Xã Hòa Bình"
    short: str  # "Nghệ An", "Hòa Bình"
    level: str  # tinh | xa
    parent: str | None
    agencies: tuple[dict[str, Any], ...]
    written: tuple[str, ...]  # names a task may give as lead or support
    issuer: str  # agency id of its people's committee


# --- material --------------------------------------------------------------------------------


def _clauses(text: str) -> Iterator[str]:
    """Sentences and bullet items of a task text long enough to stand as a task."""
    for part in re.split(r"(?<=[.;:])\s+|\n+", text):
        part = part.strip(" -+;:")
        if len(part) > 40:
            yield part if part.endswith(".") else part + "."


def _seed_text_clauses(seeds: Path) -> Iterator[str]:
    """Bullet items of the source texts ("- …" up to the next bullet), their PDF line breaks
    joined: a wider vocabulary than the transcribed tasks alone."""
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for item in re.split(r"\n\s*[-+]\s+", text)[1:]:
            joined = " ".join(item.split("\n\n")[0].split())
            if 60 <= len(joined) <= 400 and "<" not in joined and joined.endswith((".", ";")):
                yield joined.rstrip(";") + ("" if joined.endswith(".") else ".")


def seed_material(seed: Portal, seeds: Path | None) -> Material:
    """Clauses, titles and outputs of the seed portal's plans (and of the source texts)."""
    clauses: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, set[str]] = defaultdict(set)
    outputs: set[str] = set()
    for plan in seed.plans.values():
        for group in plan.groups:
            if group.title:  # a title the source lacks is no material
                titles[group.theme].add(group.title)
            for task in group.tasks:
                if task.text:
                    clauses[group.theme].update(_clauses(task.text))
                if task.output:
                    outputs.add(task.output)
    if seeds is not None:
        # Source text has no theme: its items widen the general pool every theme draws from.
        clauses[""].update(_seed_text_clauses(seeds))
    if not seed.plans or not outputs:
        raise SynthError("không có kế hoạch mẫu nào trong data/plans để ghép câu chữ")
    return Material(
        {theme: tuple(sorted(c)) for theme, c in clauses.items()},
        {theme: tuple(sorted(t)) for theme, t in titles.items()},
        tuple(sorted(outputs)),
        tuple(seed.plans.values()),
    )


# --- places and their agencies -------------------------------------------------------------


def slug(text: str) -> str:
    """`Hòa Bình` → `hoa-binh`: the ASCII id the data would give it."""
    return re.sub(r"[^a-z0-9]+", "-", strip_marks(text)).strip("-")


def _agency(
    jurisdiction: str, spec: tuple[str, str, tuple[str, ...], bool], fill: dict[str, str]
) -> dict[str, Any]:
    ident, name, names, collective = spec
    return {
        "id": f"{jurisdiction}/{ident}",
        "name": name.format(**fill),
        "kind": "collective" if collective else "body",
        "names": [n.format(**fill) for n in names],
    }


def province(ident: str, short: str, city: bool) -> Place:
    unit = "thành phố" if city else "tỉnh"
    fill = {
        "u": unit,
        "p": short,
        "uy": "Thành ủy" if city else "Tỉnh ủy",
        "doan": "Thành đoàn" if city else "Tỉnh đoàn",
    }
    agencies = tuple(_agency(ident, spec, fill) for spec in PROVINCE_AGENCIES)
    written = tuple(a["names"][0] for a in agencies if a["id"] != f"{ident}/ubnd")
    return Place(
        ident,
        f"{unit.capitalize()} {short}",
        short,
        "tinh",
        None,
        agencies,
        written,
        f"{ident}/ubnd",
    )


def commune(parent: Place, short: str, ward: bool) -> Place:
    unit = "phường" if ward else "xã"
    ident = f"{parent.id}-{slug(short)}"
    agencies = tuple(_agency(ident, spec, {"u": unit, "c": short}) for spec in COMMUNE_AGENCIES)
    above = tuple(
        a["names"][0]
        for a in parent.agencies
        if a["id"].split("/", 1)[1] in PROVINCE_NAMES_IN_COMMUNE_PLANS
    )
    written = tuple(a["names"][0] for a in agencies if a["id"] != f"{ident}/ubnd") + above
    return Place(
        ident,
        f"{unit.capitalize()} {short}",
        short,
        "xa",
        parent.id,
        agencies,
        written,
        f"{ident}/ubnd",
    )


def _commune_names(rng: random.Random, count: int) -> list[str]:
    """`count` place names, unique by their ASCII id (the ids share a province prefix)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = " ".join(rng.sample(SYLLABLES, rng.choice((2, 2, 2, 3))))
        if slug(name) not in seen:
            seen.add(slug(name))
            names.append(name)
    return names


def places(plans: int, rng: random.Random) -> list[Place]:
    """The provinces (as many as plans, up to 34) and enough communes, spread round the
    provinces, for one plan each; a few communes issue a second plan (see `corpus`)."""
    provinces = [province(*spec) for spec in PROVINCES[: max(1, min(plans, len(PROVINCES)))]]
    communes_total = max(0, plans - len(provinces))
    per_province = [
        communes_total // len(provinces) + (1 if i < communes_total % len(provinces) else 0)
        for i in range(len(provinces))
    ]
    result = list(provinces)
    for parent, count in zip(provinces, per_province, strict=True):
        city = parent.name.startswith("Thành phố")
        for name in _commune_names(rng, count):
            result.append(commune(parent, name, ward=city or rng.random() < 0.2))
    return result


# --- plans ---------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _timeline(rng: random.Random) -> str | None:
    texts = [text for text, _ in TIMELINES]
    chosen: str | None = rng.choices(texts, [weight for _, weight in TIMELINES])[0]
    return chosen


def _task_text(rng: random.Random, material: Material, theme: str) -> str:
    pool = material.clauses.get(theme) or material.clauses[""]
    general = material.clauses.get("", ())
    parts = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3))))
    if general and rng.random() < 0.3:
        parts.append(rng.choice(general))
    return " ".join(parts)


def _agencies_of_task(rng: random.Random, place: Place) -> tuple[list[str], list[str]]:
    lead = rng.sample(place.written, rng.choice((1, 1, 1, 2)))
    rest = [n for n in place.written if n not in lead]
    support = rng.sample(rest, rng.choice((0, 0, 1, 2, 3)))
    return lead, support


def _task(
    rng: random.Random, material: Material, place: Place, theme: str, ident: str, number: str | None
) -> dict[str, Any]:
    lead, support = _agencies_of_task(rng, place)
    return {
        "id": ident,
        "number": number,
        "text": _task_text(rng, material, theme),
        "lead": lead,
        "support": support,
        "output": rng.choice(material.outputs) if rng.random() < 0.85 else None,
        "timeline": _timeline(rng),
        "notes": None,
    }


def _group_tasks(
    rng: random.Random,
    material: Material,
    place: Place,
    theme: str,
    group_id: str,
    count: int,
    style: str,
) -> list[dict[str, Any]]:
    """The tasks of one group, numbered the ways documents number them: nested (`4.1`),
    per group (`iv.1`, sub-items `iv.1.a`), unnumbered bullets (`4.gach-1`) or rows at the end
    without a number (`4.khong-so-1`)."""
    if count == 1 and style == "nested" and rng.random() < 0.1:
        return [_task(rng, material, place, theme, group_id, group_id)]  # a one-row group
    tasks = []
    for n in range(1, count + 1):
        if style == "bullets":
            tasks.append(_task(rng, material, place, theme, f"{group_id}.gach-{n}", None))
        elif style == "per-group" and n == 2 and count >= 4:
            for letter in "abc":
                tasks.append(_task(rng, material, place, theme, f"{group_id}.{n}.{letter}", letter))
        else:
            number = f"{group_id}.{n}" if style == "nested" else str(n)
            tasks.append(_task(rng, material, place, theme, f"{group_id}.{n}", number))
    if style == "nested" and count >= 3 and rng.random() < 0.1:
        tasks.append(_task(rng, material, place, theme, f"{group_id}.khong-so-1", None))
    return tasks


def _groups(
    rng: random.Random, material: Material, place: Place, themes: Sequence[str], per_group: bool
) -> list[dict[str, Any]]:
    size = rng.randint(20, 36)
    counts = [
        size // len(themes) + (1 if i < size % len(themes) else 0) for i in range(len(themes))
    ]
    groups = []
    for g, (theme, count) in enumerate(zip(themes, counts, strict=True)):
        group_id = ROMAN[g] if per_group else str(g + 1)
        # A plan numbered per group keeps that style throughout; a nested one now and then
        # writes a group as unnumbered bullets.
        style = "per-group" if per_group else ("bullets" if rng.random() < 0.08 else "nested")
        titles = (
            material.group_titles.get(theme)
            or material.group_titles[next(iter(material.group_titles))]
        )
        groups.append(
            {
                "id": group_id,
                "number": group_id.upper() if per_group else group_id,
                "title": rng.choice(titles),
                "theme": theme,
                "tasks": _group_tasks(rng, material, place, theme, group_id, count, style),
            }
        )
    return groups


def _sections(template: Plan, place: Place) -> list[dict[str, Any]]:
    """The template's body, its place name swapped for this plan's."""
    origin = template.place or ""

    def swap(text: str | None) -> str | None:
        return text.replace(origin, place.short) if text and origin else text

    def section(s: Section) -> dict[str, Any]:
        return {
            "heading": swap(s.heading),
            "text": swap(s.text),
            "subsections": [section(sub) for sub in s.subsections],
        }

    return [section(s) for s in template.sections]


@dataclass(frozen=True)
class Links:
    """What a plan stands on and what it replaces (ids of documents or plans)."""

    implements: tuple[str, ...]
    replaces: tuple[str, ...] = ()


def plan(
    rng: random.Random,
    material: Material,
    place: Place,
    themes: Sequence[str],
    ident: str,
    number: int,
    links: Links,
) -> dict[str, Any]:
    template = rng.choice(material.templates)
    per_group = rng.random() < 0.25
    groups = _groups(rng, material, place, themes, per_group)
    issued = dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(150))
    figures = []
    money = next((g for g in groups if g["theme"] == "nguon-von"), None)
    if place.level == "tinh" and money is not None:
        target = rng.choice(("15%-20%", "10%-15%", "20%"))
        figures.append(
            {
                "metric": "von-uy-thac-tang-truong",
                "value": target,
                "quote": f"Phấn đấu hằng năm nguồn vốn ngân sách địa phương ủy thác chiếm khoảng {target} tăng trưởng tín dụng chính sách xã hội trên địa bàn.",
                "task": money["tasks"][0]["id"],
                "where": None,
            }
        )
    return {
        "id": ident,
        "former_ids": [f"{ident}-ban-cu"] if rng.random() < 0.04 else [],
        "kind": "Kế hoạch",
        "number": f"{number}/KH-UBND",
        "date": issued.isoformat(),
        "place": place.short,
        "jurisdiction": place.id,
        "issuer": place.issuer,
        "title": template.title,
        "signer": {
            "name": _person(rng),
            "position": rng.choice(("Chủ tịch", "Phó Chủ tịch")),
            "authority": ["TM. Ủy ban nhân dân", "KT. Chủ tịch"],
        },
        "implements": list(links.implements),
        "replaces": list(links.replaces),
        "source": {"note": SYNTHETIC_NOTE},
        "recipients": [f"{a};" for a in place.written[:4]] + ["Lưu: VT."],
        "sections": _sections(template, place) if place.level == "tinh" else [],
        "figures": figures,
        "tasks_title": template.tasks_title,
        "appendix": "Phụ lục" if template.appendix else None,
        "numbering": "per-group" if per_group else "nested",
        "groups": groups,
    }


def _with_former_ids(rng: random.Random, plan_data: dict[str, Any]) -> dict[str, Any]:
    """Now and then a renumbered group or task, whose old anchor must keep working."""
    groups = plan_data["groups"]
    if rng.random() < 0.05:
        group = rng.choice(groups)
        group["former_ids"] = [f"{group['id']}-cu"]
    if rng.random() < 0.05:
        task = rng.choice(rng.choice(groups)["tasks"])
        task["former_ids"] = [f"{task['id']}-cu"]
    return plan_data


# --- the corpus ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """The data files of a synthetic portal, as plain values ready to be written."""

    registry: dict[str, dict[str, Any]]  # jurisdiction id → its agencies/<id>.yaml
    documents: dict[str, Any]
    plans: tuple[dict[str, Any], ...]

    @property
    def tasks(self) -> int:
        return sum(len(g["tasks"]) for p in self.plans for g in p["groups"])


def _province_documents(place: Place, rng: random.Random) -> list[dict[str, Any]]:
    """The province party committee's plan (every plan in the province stands on it) and,
    for some provinces, an earlier people's committee plan the new one replaces."""
    number = rng.randint(10, 400)
    docs: list[dict[str, Any]] = [
        {
            "id": f"{place.id}-ke-hoach-{number}-kh-tu-2025",
            "kind": "Kế hoạch",
            "number": f"{number}-KH/TU",
            "date": (dt.date(2025, 1, 15) + dt.timedelta(days=rng.randrange(120))).isoformat(),
            "issuer": f"Ban Thường vụ {'Thành ủy' if place.name.startswith('Thành') else 'Tỉnh ủy'} {place.short}",
            "jurisdiction": place.id,
            "title": "về thực hiện Chỉ thị số 39-CT/TW ngày 30/10/2024 của Ban Bí thư Trung ương Đảng về nâng cao hiệu quả của tín dụng chính sách xã hội trong giai đoạn mới",
            "implements": ["chi-thi-39-ct-tw-2024"],
            "former_ids": [],
        }
    ]
    if rng.random() < 0.3:
        old = rng.randint(10, 400)
        docs.append(
            {
                "id": f"{place.id}-ke-hoach-{old}-kh-ubnd-2024",
                "kind": "Kế hoạch",
                "number": f"{old}/KH-UBND",
                "date": None,
                "issuer": f"Ủy ban nhân dân {place.name[0].lower()}{place.name[1:]}",
                "jurisdiction": place.id,
                "title": None,
                "implements": [],
                "former_ids": [f"{place.id}-ke-hoach-{old}-2024"] if rng.random() < 0.5 else [],
            }
        )
    return docs


def corpus(seed_portal: Portal, plans: int, seed: int, seeds: Path | None = None) -> Corpus:
    """A valid synthetic portal of `plans` plans, the same for the same arguments."""
    if plans < 1:
        raise SynthError(f"--plans phải là số nguyên dương, gặp {plans}")
    missing = [d for d in NATIONAL_DOCUMENTS if d not in seed_portal.documents]
    if missing:
        raise SynthError(f"documents.yaml của dự án thiếu {', '.join(missing)}")
    rng = random.Random(seed)
    material = seed_material(seed_portal, seeds)
    themes = list(seed_portal.themes)
    registry: dict[str, dict[str, Any]] = {
        j.id: {
            "jurisdiction": {"id": j.id, "name": j.name, "level": "trung-uong", "parent": None},
            "agencies": [
                {
                    "id": a.id,
                    "name": a.name,
                    "kind": "collective" if a.collective else "body",
                    "names": [n for n in a.names if n != a.name],
                }
                for a in seed_portal.agencies.values()
                if a.jurisdiction == j.id
            ],
        }
        for j in seed_portal.jurisdictions.values()
        if j.level == "trung-uong"
    }
    documents = [
        _document(doc) for doc in seed_portal.documents.values() if doc.jurisdiction == "trung-uong"
    ]
    plan_files: list[dict[str, Any]] = []
    province_plan: dict[str, str] = {}
    party_plan: dict[str, str] = {}
    all_places = places(plans, rng)
    by_id = {p.id: p for p in all_places}
    for index, place in enumerate(all_places):
        registry[place.id] = {
            "jurisdiction": {
                "id": place.id,
                "name": place.name,
                "level": place.level,
                "parent": place.parent,
            },
            "agencies": [_renamed(agency, index) for agency in place.agencies],
        }
        number = rng.randint(1, 999)
        ident = f"{place.id}-ke-hoach-{number}-kh-ubnd-2025"
        if place.level == "tinh":
            docs = _province_documents(place, rng)
            documents.extend(docs)
            party_plan[place.id] = docs[0]["id"]
            province_plan[place.id] = ident
            links = Links(
                ("quyet-dinh-1560-qd-ttg-2025", docs[0]["id"]),
                tuple(d["id"] for d in docs[1:]),
            )
        else:
            assert place.parent is not None
            links = Links((province_plan[place.parent], party_plan[place.parent]))
        previous = plan_files[-1] if plan_files else None
        revises = previous is not None and by_id[previous["jurisdiction"]].level == "xa"
        if place.level == "xa" and index % 40 == 0 and previous is not None and revises:
            # Every 40th commune has no plan yet; in its turn the commune before it revises
            # its plan, and the new one replaces the old (a plan-to-plan replacement link).
            place = by_id[previous["jurisdiction"]]
            ident = f"{place.id}-ke-hoach-{number}-kh-ubnd-2025"
            if ident == previous["id"]:
                number += 1
                ident = f"{place.id}-ke-hoach-{number}-kh-ubnd-2025"
            links = Links(tuple(previous["implements"]), (previous["id"],))
        plan_data = plan(rng, material, place, themes, ident, number, links)
        plan_files.append(_with_former_ids(rng, plan_data))
    return Corpus(
        registry,
        {"documents": documents},
        tuple(plan_files),
    )


def _renamed(agency: dict[str, Any], index: int) -> dict[str, Any]:
    """Every fifth province's agriculture department under its id from before the 2025
    merger, kept as a former id (its old URL redirects)."""
    if agency["id"].endswith("/so-nong-nghiep-va-moi-truong") and index % 5 == 0:
        return {**agency, "former_ids": [agency["id"].replace("moi-truong", "ptnt")]}
    return agency


def _document(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "kind": doc.kind,
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "issuer": doc.issuer,
        "jurisdiction": doc.jurisdiction,
        "title": doc.title,
        "implements": list(doc.implements),
        "former_ids": list(doc.former_ids),
    }


# --- writing -------------------------------------------------------------------------------


def _yaml(data: Any) -> str:
    # Leaf lists in flow style ([a, b]) keep the registry compact; block style for the rest.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=10_000,
    )
    return text


def write_corpus(result: Corpus, project: Path, out: Path) -> None:
    """`out` as a buildable project: the project's templates, docs and configuration, and the
    corpus as its data/. Written beside `out` and moved in whole: an interrupted run leaves
    nothing that looks like a corpus."""
    data = (project / "data").resolve()
    target = out.resolve()
    if target == project.resolve() or target.is_relative_to(data) or data.is_relative_to(target):
        raise SynthError(f"{out}: không ghi dữ liệu tổng hợp vào dự án thật; hãy chọn thư mục khác")
    if target.exists() and any(target.iterdir()):
        raise SynthError(f"{out}: thư mục đã có nội dung; hãy chọn thư mục trống hoặc chưa có")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".synth-", dir=target.parent))
    try:
        for part in PROJECT_PARTS:
            source = project / part
            if source.is_dir():
                shutil.copytree(
                    source,
                    staging / part,
                    ignore=shutil.ignore_patterns(".generator-*", *urls.GENERATED_FOLDERS),
                )
            elif source.exists():
                shutil.copy2(source, staging / part)
        data_out = staging / "data" / "plans"
        data_out.mkdir(parents=True)
        for name in ("themes.yaml", "abbreviations.yaml"):
            if (data / name).exists():
                shutil.copy2(data / name, staging / "data" / name)
        registry = staging / "data" / "agencies"
        registry.mkdir()
        for jurisdiction, content in result.registry.items():
            (registry / f"{jurisdiction}.yaml").write_text(_yaml(content), encoding="utf-8")
        (staging / "data" / "documents.yaml").write_text(_yaml(result.documents), encoding="utf-8")
        for plan_data in result.plans:
            (data_out / f"{plan_data['id']}.yaml").write_text(_yaml(plan_data), encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def timeline_kinds(result: Corpus) -> set[TimelineKind]:
    """The timeline kinds the corpus' tasks use (an empty cell is none)."""
    return {
        parse_timeline(t["timeline"]).kind
        for p in result.plans
        for g in p["groups"]
        for t in g["tasks"]
        if t["timeline"]
    }


def edit_one_task(project: Path) -> Path:
    """A clerk's edit of a corpus written by write_corpus, for measuring and testing rebuilds:
    a few words put in front of the first task of the first plan, in the line where it is
    written. Returns the plan file edited."""
    path = sorted((project / "data" / "plans").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    marker = "\n    text: "
    at = text.index(marker, text.index("\n  tasks:\n")) + len(marker)
    if text[at] in "'\"":
        at += 1  # inside the quotes
    path.write_text(text[:at] + "Đã sửa. " + text[at:], encoding="utf-8")
    return path
