"""Downloads at national scale: the synthetic portal of scripts/bench_search.py (34 provinces,
97 communes each, about 100,000 tasks), every file generator/opendata.py makes for it, and what
they weigh: the all-tasks files, one province's files, and the total by kind.

    .venv/bin/python scripts/bench_downloads.py [--tasks 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import synthetic_portal  # noqa: E402

from generator import exports, ics, urls  # noqa: E402
from generator.deadlines import all_deadlines  # noqa: E402
from generator.load import load_data  # noqa: E402
from generator.model import build_portal  # noqa: E402
from generator.opendata import download_files  # noqa: E402

SITE = "https://cong-ke-hoach.github.io/cong-ke-hoach/"


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def kind_of(path: str) -> str:
    parts = path.split("/")
    ext = path.rsplit(".", 1)[-1]
    if path in (urls.ALL_FEED_URL,) or parts[1].startswith("nhiem-vu"):
        return f"tất cả .{ext}"
    if parts[0] == "thoi-han":
        return (
            {2: "địa bàn .ics", 3: "cơ quan .ics"}[len(parts)]
            if parts[1] != "ke-hoach"
            else "kế hoạch .ics"
        )
    return {"dia-ban": "địa bàn", "ke-hoach": "kế hoạch", "co-quan": "cơ quan"}[
        parts[1]
    ] + f" .{ext}"


def timed(what: str, make: Callable[[], bytes]) -> bytes:
    start = time.perf_counter()
    data = make()
    print(f"  {what}: {mb(len(data))} trong {time.perf_counter() - start:.1f} s", flush=True)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument(
        "--full", action="store_true", help="also make every file (each place, plan, agency)"
    )
    args = parser.parse_args()
    raw, _ = load_data(ROOT / "data")
    real, _ = build_portal(raw)
    synthetic = synthetic_portal(real, args.tasks, random.Random(15))
    # Every synthetic plan is a copy of one seed plan: its reporting duties name that plan's
    # agencies, which the synthetic registry does not hold.
    plans = {pid: dataclasses.replace(p, reports=()) for pid, p in synthetic.plans.items()}
    portal = dataclasses.replace(synthetic, plans=plans)
    tasks = sum(len(p.tasks) for p in portal.plans.values())
    built = dt.date(2026, 11, 30)
    print(
        f"{len(portal.plans)} kế hoạch, {tasks} nhiệm vụ, {len(portal.agencies)} cơ quan",
        flush=True,
    )
    deadlines = all_deadlines(portal, built)
    records = exports.task_records(deadlines, SITE)
    print("Tất cả nhiệm vụ:")
    sizes = {
        "json": len(timed("JSON", lambda: exports.tasks_json(records, built).encode())),
        "csv": len(timed("CSV", lambda: exports.csv_bytes(exports.tasks_csv(records)))),
        "xlsx": len(timed("XLSX", lambda: exports.tasks_xlsx(records, built, "Tất cả"))),
        "ics": len(timed("iCalendar", lambda: ics.calendar_feed(deadlines, "x", SITE, built))),
    }
    for fmt, size in sizes.items():
        print(f"  .{fmt}: {size / tasks:.0f} byte/nhiệm vụ")
    province = next(j for j in portal.jurisdictions.values() if j.level.value == "tinh")
    own = [d for d in deadlines if d.plan.jurisdiction == province.id]
    own_records = exports.task_records(own, SITE)
    print(
        f"Một tỉnh ({province.id}, {len(own_records)} nhiệm vụ của kế hoạch cấp tỉnh): "
        f"JSON {len(exports.tasks_json(own_records, built).encode()) / 1e3:.0f} KB, "
        f"XLSX {len(exports.tasks_xlsx(own_records, built, 'x')) / 1e3:.0f} KB"
    )
    if not args.full:
        print(
            f"Tóm tắt: {tasks} nhiệm vụ, tất cả nhiệm vụ JSON {mb(sizes['json'])}, CSV "
            f"{mb(sizes['csv'])}, XLSX {mb(sizes['xlsx'])}, iCalendar {mb(sizes['ics'])}"
        )
        return
    start = time.perf_counter()
    files = list(download_files(portal, deadlines, SITE, built))
    seconds = time.perf_counter() - start
    by_kind: dict[str, list[int]] = defaultdict(list)
    for f in files:
        by_kind[kind_of(f.path)].append(len(f.data))
    total = sum(sum(v) for v in by_kind.values())
    print(f"Mọi tệp tải về: {len(files)} tệp, {mb(total)}, {seconds:.0f} s")
    for kind, values in sorted(by_kind.items()):
        print(
            f"  {kind:16} {len(values):6} tệp  tổng {mb(sum(values)):>9}  "
            f"trung vị {statistics.median(values) / 1e3:8.1f} KB  lớn nhất {max(values) / 1e3:9.1f} KB"
        )
    print(f"Tóm tắt: {tasks} nhiệm vụ → {len(files)} tệp tải về, {mb(total)}, {seconds:.0f} s")


if __name__ == "__main__":
    main()
