"""How the portal names what it shows: plan and document names, citations in Vietnamese
official style, task and group references, page titles and descriptions, the names of levels,
roles and metrics. Every page, search record and export asks here, so a reader meets one
wording for one thing. Pure functions."""

from __future__ import annotations

import re

from generator.domain import (
    Agency,
    Document,
    Duty,
    Figure,
    Group,
    Jurisdiction,
    Level,
    Metric,
    Plan,
    Report,
    Role,
    Task,
    Theme,
)
from generator.text import UNKNOWN, date_dmy, date_letter, shorten

LEVEL_NAMES = {
    Level.NATIONAL: "Trung ương",
    Level.PROVINCE: "Cấp tỉnh, thành phố",
    Level.COMMUNE: "Cấp xã, phường",
}
ROLE_NAMES = {Role.LEAD: "Chủ trì", Role.SUPPORT: "Phối hợp"}
METRIC_NAMES = {
    Metric.TRUST_FUND_GROWTH: (
        "Vốn ngân sách địa phương ủy thác hằng năm, so với tăng trưởng tín dụng"
    ),
    Metric.TRUST_FUND_2030: "Vốn ủy thác của địa phương trong tổng nguồn vốn, đến năm 2030",
}
REPLACED = "Đã được thay thế"


def plan_name(plan: Plan) -> str:
    """“Kế hoạch số 686/KH-UBND”, or “Kế hoạch (chưa rõ số hiệu)” when the source omits it."""
    return f"{plan.kind} số {plan.number}" if plan.number else f"{plan.kind} (chưa rõ số hiệu)"


def document_name(doc: Document) -> str:
    return f"{doc.kind} số {doc.number}" if doc.number else doc.kind


def document_citation(doc: Document) -> str:
    parts = [document_name(doc)]
    if doc.date:
        parts.append(f"ngày {date_letter(doc.date)}")
    if doc.issuer:
        parts.append(f"của {doc.issuer}")
    return " ".join(parts)


def task_label(task: Task) -> str:
    """“Nhiệm vụ 4.1”, “Nhiệm vụ không đánh số”: the task alone, with no group to place it (search
    records); pages say `task_mention`."""
    return f"Nhiệm vụ {task.number}" if task.number else "Nhiệm vụ không đánh số"


def plan_citation(plan: Plan, issuer: Agency) -> str:
    """“Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An”; what the source
    does not give is said, not guessed."""
    parts = [f"{plan.kind} số {plan.number}" if plan.number else plan.kind]
    if plan.date:
        parts.append(f"ngày {date_letter(plan.date)}")
    parts.append(f"của {issuer.name}")
    missing = [
        what
        for what, value in (("số hiệu", plan.number), ("ngày ban hành", plan.date))
        if not value
    ]
    if missing:
        parts.append(f"(văn bản nguồn không ghi {' và '.join(missing)})")
    return " ".join(parts)


def _ordinal_suffix(task_id: str, marker: str) -> str | None:
    match = re.search(rf"\.{marker}-(\d+)$", task_id)
    return match[1] if match else None


def _unnamed(group: Group) -> str:
    """A group with neither number nor title, by its place: “Nhóm không số thứ 2”."""
    n = group.id.rsplit("-", 1)[-1]
    return f"Nhóm không số thứ {n}" if n.isdigit() else f"Nhóm (mã {group.id})"


def group_reference(group: Group) -> str:
    """“Mục 4”, or the title when the document gives the group no number, or its place when
    it gives neither."""
    if group.number:
        return f"Mục {group.number}"
    return f"Mục “{group.title}”" if group.title else _unnamed(group)


def task_reference(group: Group, task: Task, titled: bool = True) -> str:
    """How a letter points at one task: “Nhiệm vụ 4.1”, “Nhiệm vụ IV.1.a”, or, for the rows and
    bullets a document leaves unnumbered, their place (“Gạch đầu dòng thứ 2, mục 3 …”). Without
    `titled`, a numbered group is not followed by its title: for pages that show it nearby."""
    if task.number:
        if (
            task.id == group.id
            or "." not in task.id
            or task.number.startswith(group.number or "\0")
        ):
            return f"Nhiệm vụ {task.number}"
        # Numbering restarts in each group: the group's number makes the reference unique.
        rest = task.id[len(group.id) :]
        return f"Nhiệm vụ {group.number}{rest}" if group.number else f"Nhiệm vụ {task.number}"
    title = f" “{group.title}”" if group.number and group.title and titled else ""
    # “mục 4”, “mục “Title””: only the word is lowered, a quoted title stays as written.
    where = group_reference(group)
    where = where[:1].lower() + where[1:]
    if group.number is None and re.fullmatch(re.escape(group.id) + r"\.\d+", task.id):
        return f"Dòng thứ {task.id.rsplit('.', 1)[1]}, {where}"
    if n := _ordinal_suffix(task.id, "gach"):
        return f"Gạch đầu dòng thứ {n}, {where}{title}"
    if n := _ordinal_suffix(task.id, "khong-so"):
        return f"Dòng không đánh số thứ {n} cuối {where}"
    return f"Nhiệm vụ (mã {task.id}), {where}"


def in_plan(plan: Plan, issuer: Agency) -> str:
    """The plan as a task's or group's citation ends: “Phụ lục Kế hoạch số … của …”."""
    citation = plan_citation(plan, issuer)
    return f"{plan.appendix} {citation}" if plan.appendix else citation


def task_citation(plan: Plan, group: Group, task: Task, issuer: Agency) -> str:
    """“Nhiệm vụ 4.1, Phụ lục Kế hoạch số 686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An”."""
    return f"{task_reference(group, task)}, {in_plan(plan, issuer)}"


def group_citation(plan: Plan, group: Group, issuer: Agency) -> str:
    title = f" “{group.title}”" if group.number and group.title else ""
    return f"{group_reference(group)}{title}, {in_plan(plan, issuer)}"


def agency_citation(agency: Agency, jurisdiction: Jurisdiction) -> str:
    return f"Nhiệm vụ của {agency.name} ({jurisdiction.name}) trong các kế hoạch, Cổng Kế hoạch"


def task_mention(group: Group, task: Task) -> str:
    """A task as the document numbers it, where its group is in sight: “Nhiệm vụ 4.1”,
    “Gạch đầu dòng thứ 1, mục 4”."""
    return task_reference(group, task, titled=False)


def task_link_title(group: Group, task: Task) -> str:
    """The tooltip of a task's number: “Liên kết tới nhiệm vụ 4.1”."""
    reference = task_mention(group, task)
    return f"Liên kết tới {reference[:1].lower()}{reference[1:]}"


def figure_place(plan: Plan, figure: Figure) -> str | None:
    """Where in the plan a figure is set: as the data says, else the task's reference."""
    if figure.where or not figure.task:
        return figure.where
    for group in plan.groups:
        for task in group.tasks:
            if task.id == figure.task:
                return task_mention(group, task)
    return None  # the model checks a figure's task exists


def group_heading(group: Group) -> str:
    """“Nhóm 4. Title” (the group's own page, its neighbours' links), the title alone when the
    document gives the group no number."""
    if group.number:
        return f"Nhóm {group.number}. {group.title}" if group.title else f"Nhóm {group.number}"
    return group.title or _unnamed(group)


def group_entry(group: Group) -> str:
    """“4. Title”, as a list of groups under one plan shows it."""
    if group.number:
        return f"{group.number}. {group.title}" if group.title else f"{group.number}."
    return group.title or _unnamed(group)


def level_name(level: Level) -> str:
    return LEVEL_NAMES[level]


def metric_names() -> tuple[str, ...]:
    """The compared metrics' names, in the order of `Metric` (the figures table's columns)."""
    return tuple(METRIC_NAMES[m] for m in Metric)


def role_tasks(role: Role) -> str:
    """“Nhiệm vụ chủ trì”: the heading of an agency's tasks in one role."""
    return f"Nhiệm vụ {ROLE_NAMES[role].lower()}"


def group_tasks_caption(group: Group) -> str:
    return f"Nhiệm vụ của nhóm: {group_heading(group)}"


def role_tasks_caption(role: Role, plan: Plan, count: int) -> str:
    """“Nhiệm vụ chủ trì – Kế hoạch số 686/KH-UBND (12)”: an agency's tasks in one plan."""
    return f"{role_tasks(role)} – {plan_name(plan)} ({count})"


def via_tasks_caption(role: Role, collective: str, plan: Plan, count: int) -> str:
    """“Nhiệm vụ chủ trì (qua: Các sở, ban, ngành cấp tỉnh) – Kế hoạch số 686/KH-UBND (9)”."""
    return f"{role_tasks(role)} (qua: {collective}) – {plan_name(plan)} ({count})"


def agency_title(agency: Agency, jurisdiction: Jurisdiction) -> str:
    """“Sở Tài chính (Tỉnh Nghệ An)”: agencies of different places share names."""
    return f"{agency.name} ({jurisdiction.name})"


def plan_card(plan: Plan, issuer: Agency, place: Jurisdiction, replaced: bool) -> tuple[str, ...]:
    """The lines of a plan's box in the document graph."""
    lines = (plan_name(plan), issuer.name, f"{date_dmy(plan.date)} · {place.name}")
    return (*lines, REPLACED) if replaced else lines


def document_card(doc: Document, place: Jurisdiction, replaced: bool) -> tuple[str, ...]:
    """The lines of a cited document's box in the document graph."""
    lines = (document_name(doc), doc.issuer or UNKNOWN, f"{date_dmy(doc.date)} · {place.name}")
    return (*lines, REPLACED) if replaced else lines


# --- page titles and descriptions (<title>, the header, <meta name="description">) ----------


def plan_title(plan: Plan, issuer: Agency) -> str:
    return f"{plan_name(plan)} – {issuer.name}"


def plan_description(plan: Plan, issuer: Agency) -> str:
    return shorten(plan.title or plan_citation(plan, issuer))


def group_title(plan: Plan, group: Group) -> str:
    return f"{group_heading(group)} – {plan_name(plan)}"


def group_description(plan: Plan, group: Group, issuer: Agency) -> str:
    return shorten(f"{group_heading(group)}. {plan_citation(plan, issuer)}")


def role_tasks_in(role: Role, citation: str, count: int) -> str:
    """“Nhiệm vụ chủ trì – Kế hoạch số 5/KH-UBND … của Ủy ban nhân dân xã A (3)”."""
    return f"{role_tasks(role)} – {citation} ({count})"


def agency_tasks_heading(page: int, pages: int) -> str:
    return f"Nhiệm vụ – trang {page}/{pages}"


def agency_tasks_title(agency: Agency, jurisdiction: Jurisdiction, page: int) -> str:
    return f"{agency_title(agency, jurisdiction)} – trang {page}"


def agency_description(agency: Agency) -> str:
    return shorten(f"Các nhiệm vụ {agency.name} chủ trì và phối hợp thực hiện trong các kế hoạch.")


def jurisdiction_title(jurisdiction: Jurisdiction) -> str:
    return f"Cơ quan, đơn vị – {jurisdiction.name}"


def jurisdiction_description(jurisdiction: Jurisdiction) -> str:
    return f"Danh bạ cơ quan, đơn vị {jurisdiction.name} có nhiệm vụ trong các kế hoạch."


def document_description(doc: Document) -> str:
    return shorten(f"{document_citation(doc)} {doc.title or ''}")


def theme_title(theme: Theme) -> str:
    return f"Chủ đề: {theme.name}"


def theme_description(theme: Theme) -> str:
    return shorten(f"{theme.name}: các kế hoạch nói gì, đặt cạnh nhau. {theme.description}")


PLAN_TEXT = "Nội dung kế hoạch"


def plan_text_title(plan: Plan, issuer: Agency) -> str:
    return f"{PLAN_TEXT}: {plan_name(plan)} – {issuer.name}"


def neighbourhood_heading(citation: str) -> str:
    return f"Sơ đồ văn bản: {citation}"


def neighbourhood_description(heading: str) -> str:
    return shorten(f"{heading}: văn bản được căn cứ và các kế hoạch, văn bản triển khai.")


def implementers_link(count: int) -> str:
    return f"{count} kế hoạch, văn bản triển khai: xem danh sách trong sơ đồ văn bản"


def theme_place_title(theme: Theme, place: Jurisdiction, page: int = 1) -> str:
    title = f"Chủ đề: {theme.name} – {place.name}"
    return title if page == 1 else f"{title} – trang {page}"


def theme_place_description(theme: Theme, place: Jurisdiction) -> str:
    return shorten(f"{theme.name}: các kế hoạch của {place.name} và các xã, phường nói gì.")


# The pages that list things: URL → (title, description).
INDEX_PAGES = {
    "ke-hoach/": (
        "Các kế hoạch",
        "Các kế hoạch thực hiện Chỉ thị 39-CT/TW và Quyết định 1560/QĐ-TTg, theo cấp và địa bàn.",
    ),
    "co-quan/": (
        "Danh bạ cơ quan, đơn vị",
        "Mọi cơ quan, đơn vị có nhiệm vụ trong các kế hoạch, theo địa bàn.",
    ),
    "van-ban/": (
        "Văn bản được căn cứ",
        "Các văn bản mà các kế hoạch trên cổng căn cứ, triển khai hoặc thay thế.",
    ),
    "chu-de/": (
        "Chủ đề",
        "Các lĩnh vực của Chỉ thị 39-CT/TW: mỗi kế hoạch nói gì về từng lĩnh vực, đặt cạnh nhau.",
    ),
    "so-do/": (
        "Sơ đồ văn bản",
        "Quan hệ căn cứ, triển khai và thay thế giữa các văn bản và kế hoạch, từ Chỉ thị "
        "39-CT/TW đến cấp xã.",
    ),
}


DUTY_LABELS = {
    Duty.LEAD: "Chủ trì",
    Duty.SUPPORT: "Phối hợp",
    Duty.REPORT: "Gửi báo cáo",
    Duty.RECEIVE: "Nhận báo cáo",
}


def report_reference(report: Report) -> str:
    """“Báo cáo hằng năm (III. TỔ CHỨC THỰC HIỆN, mục 1)”: a plan's reporting duty by its place."""
    return f"Báo cáo hằng năm ({report.where})" if report.where else "Báo cáo hằng năm"


def deadline_title(
    plan: Plan, group: Group | None, task: Task | None, report: Report | None
) -> str:
    """“Nhiệm vụ 4.1, Kế hoạch số 686/KH-UBND”, or a reporting duty with its plan."""
    if task is not None and group is not None:
        what = task_reference(group, task)
    else:
        assert report is not None
        what = report_reference(report)
    return f"{what}, {plan_name(plan)}"


def every_year_label(day_month: tuple[int, int]) -> str:
    """“Hằng năm, hạn ngày 01/10”."""
    day, month = day_month
    return f"Hằng năm, hạn ngày {day:02d}/{month:02d}"


CALENDAR_HOW_TO = (
    "Cách theo dõi: sao chép địa chỉ lịch (nhấn chuột phải vào liên kết), rồi trong Outlook "
    "chọn Thêm lịch › Từ Internet, trong Google Calendar chọn Lịch khác › Từ URL, và dán vào; "
    "lịch tự cập nhật khi cổng cập nhật."
)

# The source texts are administrative documents, which Vietnamese law does not protect by
# copyright; what the portal adds (ids, structure, readings of timelines) is offered under
# CC BY 4.0 so that anyone may reuse it with attribution.
DATA_LICENCE = (
    "Văn bản hành chính không thuộc đối tượng bảo hộ quyền tác giả (Điều 15 Luật Sở hữu trí "
    "tuệ). Phần Cổng Kế hoạch biên soạn thêm (mã, cấu trúc, cách đọc thời hạn, danh bạ cơ "
    "quan) được cấp phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0): được sao chép, "
    "dùng lại, kể cả cho mục đích thương mại, miễn là ghi nguồn “Cổng Kế hoạch”."
)


def deadlines_title(place: str | None) -> str:
    return f"Thời hạn – {place}" if place else "Thời hạn"


def deadlines_description(place: str | None, built: str) -> str:
    where = f" của {place}" if place else ""
    return f"Việc gì đến hạn khi nào trong các kế hoạch{where}, tính đến ngày {built}."


DATA_TITLE = "Dữ liệu mở"
DATA_DESCRIPTION = "Tải về mọi nhiệm vụ dạng JSON, CSV, XLSX và lịch thời hạn iCalendar."
