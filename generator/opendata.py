"""Every download the portal offers, as files: the tasks as JSON, CSV and XLSX (all of them,
each jurisdiction, each plan, each agency), the calendars (everything, each jurisdiction, each
plan, each agency) and the JSON Schema of the tasks files. A reader who wants one province
takes its jurisdiction's files and never downloads the rest. Pure: returns `File`s."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from pydantic import BaseModel

from generator import exports, ics, names, twins, urls
from generator.deadlines import Deadline, by_agency
from generator.derive import Indexes
from generator.domain import Portal
from generator.pages import File

TASKS_SCHEMA_URL = "du-lieu/nhiem-vu.schema.json"
# What each data file of data/ holds, as its published JSON Schema describes it.
DATA_FILE_NAMES = {
    "agencies": "danh bạ cơ quan và địa bàn (agencies.yaml)",
    "documents": "văn bản được trích dẫn (documents.yaml)",
    "themes": "chủ đề (themes.yaml)",
    "plan": "một kế hoạch (plans/<mã>.yaml)",
    "abbreviations": "chữ viết tắt cho tìm kiếm (abbreviations.yaml)",
}


def data_schema_url(name: str) -> str:
    return f"du-lieu/luoc-do/{name}.schema.json"


def schema_json(schema: Mapping[str, Any]) -> bytes:
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def schema_files(models: Mapping[str, type[BaseModel]]) -> list[File]:
    """The JSON Schemas of the tasks files and of every data file (as `generator schema`
    writes them into data/schemas/), published under /du-lieu/."""
    files = [File(TASKS_SCHEMA_URL, schema_json(exports.json_schema()))]
    files += [
        File(data_schema_url(n), schema_json(m.model_json_schema())) for n, m in models.items()
    ]
    return files


def schema_links(models: Mapping[str, type[BaseModel]]) -> list[tuple[str, str]]:
    """(URL, what it describes) of each schema schema_files publishes."""
    links = [(TASKS_SCHEMA_URL, "Tệp nhiệm vụ tải về (JSON)")]
    links += [(data_schema_url(n), "Tệp dữ liệu: " + DATA_FILE_NAMES.get(n, n)) for n in models]
    return links


def table_files(
    url_of: Callable[[str], str],
    deadlines: Sequence[Deadline],
    title: str,
    site_url: str,
    built: dt.date,
) -> list[File]:
    records = exports.task_records(deadlines, site_url)
    return [
        File(url_of("json"), exports.tasks_json(records, built).encode("utf-8")),
        File(url_of("csv"), exports.csv_bytes(exports.tasks_csv(records))),
        File(url_of("xlsx"), exports.tasks_xlsx(records, built, title)),
    ]


def _grouped(
    deadlines: Sequence[Deadline], key: Callable[[Deadline], str]
) -> dict[str, list[Deadline]]:
    found: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        found.setdefault(key(deadline), []).append(deadline)
    return found


def _one_set(
    ids: Sequence[str],
    data_url: Callable[[str, str], str],
    feed_url: Callable[[str], str],
    deadlines: Sequence[Deadline],
    name: str,
    site_url: str,
    built: dt.date,
    agency_id: str | None = None,
) -> list[File]:
    """The tables and the calendar of one plan, agency or jurisdiction, under its id and every
    former id: a calendar subscribed to, or a file linked, before a rename keeps working."""
    tables = table_files(partial(data_url, ids[0]), deadlines, f"Nhiệm vụ: {name}", site_url, built)
    feed = ics.calendar_feed(deadlines, f"Thời hạn: {name}", site_url, built, agency_id)
    files = []
    for ident in ids:
        files += [File(partial(data_url, ident)(f.path.rsplit(".", 1)[1]), f.data) for f in tables]
        files.append(File(feed_url(ident), feed))
    return files


def download_files(
    portal: Portal, deadlines: Sequence[Deadline], site_url: str, built: dt.date
) -> list[File]:
    files = [
        *table_files(urls.all_tasks_data_url, deadlines, "Tất cả nhiệm vụ", site_url, built),
        File(
            urls.ALL_FEED_URL,
            ics.calendar_feed(deadlines, "Cổng Kế hoạch: mọi thời hạn", site_url, built),
        ),
    ]
    by_place = _grouped(deadlines, lambda d: d.plan.jurisdiction)
    for jurisdiction_id, selected in sorted(by_place.items()):
        files += _one_set(
            [jurisdiction_id],
            urls.jurisdiction_data_url,
            urls.jurisdiction_feed_url,
            selected,
            portal.jurisdictions[jurisdiction_id].name,
            site_url,
            built,
        )
    by_plan = _grouped(deadlines, lambda d: d.plan.id)
    for plan in portal.plans.values():
        files += _one_set(
            [plan.id, *plan.former_ids],
            urls.plan_data_url,
            urls.plan_feed_url,
            by_plan.get(plan.id, []),
            names.plan_name(plan),
            site_url,
            built,
        )
    duties = by_agency(deadlines)
    for agency_id, agency in sorted(portal.agencies.items()):
        # Every agency gets its calendar, even before a plan gives it a date: a subscription
        # made today fills in when one does.
        mine = duties.get(agency_id, ())
        files += _one_set(
            [agency_id, *agency.former_ids],
            urls.agency_data_url,
            urls.agency_feed_url,
            mine,
            agency.name,
            site_url,
            built,
            agency.id,
        )
    return files


def twin_files(
    portal: Portal, idx: Indexes, deadlines: Sequence[Deadline], site_url: str, built: dt.date
) -> list[File]:
    """The JSON twin (`index.json`) beside every plan, agency and document page, and beside
    each old address a renamed one redirects from: a program reading it keeps working."""
    by_plan = _grouped(deadlines, lambda d: d.plan.id)
    duties = by_agency(deadlines)

    def files(page_url: Callable[[str], str], ids: Sequence[str], text: str) -> list[File]:
        data = text.encode("utf-8")
        return [File(urls.json_twin_url(page_url(i)), data) for i in ids]

    found = []
    for p in portal.plans.values():
        text = twins.plan_twin(p, portal, by_plan.get(p.id, []), site_url, built)
        found += files(urls.plan_url, [p.id, *p.former_ids], text)
    for a in portal.agencies.values():
        text = twins.agency_twin(a.id, portal, idx, duties.get(a.id, ()), site_url, built)
        found += files(urls.agency_url, [a.id, *a.former_ids], text)
    for d in portal.documents.values():
        text = twins.document_twin(d, portal, idx, site_url, built)
        found += files(urls.document_url, [d.id, *d.former_ids], text)
    return found
