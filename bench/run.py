"""The portal at national scale: build synthetic corpora of several sizes and write
bench/RESULTS.md.

    .venv/bin/python bench/run.py [--sizes 100,1000,3400] [--seed 1] [--seeds DIR] [--work DIR]

For each size N: `python -m generator synth --plans N` makes the corpus (never in data/); then
each stage runs as its own process under /usr/bin/time, so that time and peak memory are the
stage's own: the generator (`generate`), the engine (`mkdocs build --strict`), our post-build
check; then the built pages are measured (largest and median page, site size and files), and
search is measured side by side on the same corpus: ours (the index the generator ships,
queried in Chromium through scripts/bench_search.py), lunr (lunr.py builds the index, lunr.js
loads it and answers in Chromium) and Pagefind (its binary indexes the built site; its
pagefind.js answers in Chromium). Last, one task's text is edited and the whole build run again.

Figures land in bench/results.json (by size, so that a partial run with --sizes keeps the
others) and bench/RESULTS.md is written from all of them. A measurement, not a test: figures
depend on the machine (bench/RESULTS.md says which).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_search  # noqa: E402  (our search's browser measurement: Handler, measure)

from generator import synth  # noqa: E402
from generator.cli import _portal  # noqa: E402

BENCH = ROOT / "bench"
RESULTS_JSON = BENCH / "results.json"
RESULTS_MD = BENCH / "RESULTS.md"
NPM_CACHE = ROOT / ".cache" / "npm"
LUNR_JS = "lunr@2.3.9"  # the lunr.js that MkDocs' own search ships (2.3.x); npm, pinned
PAGE_LIMIT = 80 * 1024
QUERIES = ("so tai chinh", "Sở Tài chính")
PYTHON = sys.executable
BASE = bench_search.BASE

started_at = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - started_at:7.0f} s] {message}", flush=True)


# --- running one stage -----------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    seconds: float
    peak_mb: float
    ok: bool


def timed(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Stage:
    """Run `command` under /usr/bin/time: wall seconds and peak resident memory of the process
    (the largest of it and its children). Its output goes to `log`."""
    measured = log.with_suffix(".time")
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", str(measured), *command],
            cwd=cwd,
            stdout=out,
            stderr=out,
            env={**os.environ, **(env or {})},
        )
    seconds, kilobytes = measured.read_text().split()[-2:]
    return Stage(float(seconds), int(kilobytes) / 1024, result.returncode == 0)


# --- the built site -------------------------------------------------------------------------


def part_of_site(relative: str) -> str:
    """Which kind of file a path of the built site is, for the site's composition: what would
    have to shrink for the site to fit GitHub Pages."""
    top = relative.split("/", 1)[0]
    if relative.endswith(".html"):
        return "pages"
    if top == "du-lieu" or relative.endswith(".ics"):
        return "downloads"
    if top == "chi-muc":
        return "search"
    if relative.endswith("index.json"):
        return "twins"
    return "other"


def site_figures(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sorted(
        (p.stat().st_size, p.relative_to(site).as_posix()) for p in files if p.suffix == ".html"
    )
    sizes = [size for size, _ in pages]
    parts: dict[str, int] = {}
    for path in files:
        part = part_of_site(path.relative_to(site).as_posix())
        parts[part] = parts.get(part, 0) + path.stat().st_size
    return {
        "files": len(files),
        "site_bytes": sum(p.stat().st_size for p in files),
        "parts": parts,
        "pages": len(pages),
        "largest_page": pages[-1][0],
        "largest_page_path": pages[-1][1],
        "median_page": int(statistics.median(sizes)),
        "pages_over_limit": sum(1 for s in sizes if s > PAGE_LIMIT),
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --- search, side by side -------------------------------------------------------------------


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(bench_search.Handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{BASE}"


def ours(site: Path) -> dict[str, Any]:
    """Our index: its bytes, and a first query typed into the header box (bench_search)."""
    queries = [{"where": "header", "q": q} for q in QUERIES]
    rows = bench_search.measure([site], queries, lambda _: None, repeat=1)[0]
    return {
        "index_bytes": folder_bytes(site / "chi-muc"),
        "queries": [
            {"q": r["q"], "bytes": r["bytes"], "gzip": r["gzip"], "ms": r["ms"], "hits": r["hits"]}
            for r in rows
        ],
    }


LUNR_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>lunr</title>
<script src="lunr.js"></script>
<script>
window.firstQuery = async function (q) {
  const t0 = performance.now();
  const index = lunr.Index.load(await (await fetch("index.json")).json());
  const hits = index.search(q);
  return {ms: performance.now() - t0, hits: hits.length};
};
</script></html>
"""

PAGEFIND_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>pagefind</title>
<script>
window.firstQuery = async function (q) {
  const t0 = performance.now();
  const pagefind = await import("../pagefind/pagefind.js");
  const found = await pagefind.search(q);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return {ms: performance.now() - t0, hits: found.results.length};
};
</script></html>
"""


def _note_url(into: set[str], request: Any) -> None:
    into.add(request.url.split("?", 1)[0])


def first_queries(site: Path, page: str, fetched_part: str) -> list[dict[str, Any]]:
    """Each query on a fresh browser context (a cold cache): ms from the query to results
    (fetching and loading the index included: a first query), bytes of the files fetched
    under `fetched_part` (by the page or its workers; served as they are on disk), and the
    number of hits."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for q in QUERIES:
                context = browser.new_context()
                requested: set[str] = set()
                context.on("request", partial(_note_url, requested))
                tab = context.new_page()
                tab.goto(base + page)
                got = tab.evaluate("q => window.firstQuery(q)", q)
                files = [
                    site / url.split(BASE, 1)[1]
                    for url in requested
                    if fetched_part in url and BASE in url
                ]
                rows.append(
                    {
                        "q": q,
                        "ms": got["ms"],
                        "hits": got["hits"],
                        "bytes": sum(f.stat().st_size for f in files if f.is_file()),
                        "gzip": sum(
                            len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file()
                        ),
                        "files": len(files),
                    }
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def lunr_js() -> Path:
    """lunr.js from the npm registry, pinned, cached in .cache/npm like the test tools."""
    script = NPM_CACHE / "node_modules" / "lunr" / "lunr.js"
    if not script.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NPM_CACHE),
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
                LUNR_JS,
            ],
            check=True,
        )
    return script


def lunr_search(project: Path, site: Path, log: Path) -> dict[str, Any]:
    folder = site / "_bench" / "lunr"
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.json"
    build = timed([PYTHON, str(BENCH / "lunr_index.py"), str(project), str(index)], ROOT, log)
    if not build.ok:
        return {"build": asdict(build)}
    shutil.copy2(lunr_js(), folder / "lunr.js")
    (folder / "index.html").write_text(LUNR_PAGE, encoding="utf-8")
    raw = index.read_bytes()
    return {
        "build": asdict(build),
        "index_bytes": len(raw),
        "index_gzip": len(gzip.compress(raw, 6)),
        "queries": first_queries(site, "_bench/lunr/index.html", "/_bench/lunr/"),
    }


def pagefind_search(site: Path, log: Path) -> dict[str, Any]:
    build = timed([PYTHON, "-m", "pagefind", "--site", str(site)], ROOT, log)
    if not build.ok:
        return {"build": asdict(build)}
    (site / "_bench").mkdir(exist_ok=True)
    (site / "_bench" / "pagefind.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return {
        "build": asdict(build),
        "index_bytes": folder_bytes(site / "pagefind"),
        "queries": first_queries(site, "_bench/pagefind.html", "/pagefind/"),
    }


# --- one size -------------------------------------------------------------------------------


# Our post-build check, as `python -m generator build` runs it after a clean build: it also
# records what was published, so that the edit rebuilt later is the incremental build a clerk
# gets (generator/site.py), not a second clean one.
CHECK = (
    "import sys; from pathlib import Path; from generator.check import check_all; "
    "from generator.site import Published, save_state, site_base_path; p = Path(sys.argv[1]); "
    "c = check_all(p / 'site', site_base_path(p)); print('\\n'.join(c.problems[:50])); "
    "print(len(c.problems), 'problems'); "
    "c.problems or save_state(p, p / 'site', Published(c.files, c.links)); "
    "sys.exit(1 if c.problems else 0)"
)


def commit() -> str:
    """The commit of the tree measured, with a mark when it has uncommitted changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=ROOT).returncode != 0
    return (head or "?") + (" (with uncommitted changes)" if dirty else "")


def build_stages(log: Path) -> str:
    """The stage times of the last `generator build` in `log`, from its one-line summary."""
    summaries = [line for line in log.read_text(encoding="utf-8").splitlines() if "Đã dựng" in line]
    return summaries[-1].rsplit("(", 1)[-1].rstrip(").") if summaries else ""


def zensical_engine(project: Path, log: Path) -> Stage:
    """Zensical's engine stage alone, as `python -m generator build --engine zensical` runs it
    (generator/site.py): a config inheriting mkdocs.yml that only moves site_dir, strict."""
    config = project / "zensical-bench.yml"
    config.write_text("INHERIT: mkdocs.yml\nsite_dir: site-zensical\n", encoding="utf-8")
    try:
        return timed(
            [PYTHON, "-m", "zensical", "build", "--strict", "--config-file", config.name],
            project,
            log,
        )
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(project / "site-zensical", ignore_errors=True)


def measure_size(
    plans: int,
    seed: int,
    seeds: Path | None,
    work: Path,
    save: Callable[[dict[str, Any]], None],
    engines: tuple[str, ...] = ("mkdocs",),
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Measure one size; `save` is called with the figures so far after each stage, so that a
    run stopped midway (the 3,400-plan size takes hours) keeps what it measured."""
    project = work / str(plans)
    shutil.rmtree(project, ignore_errors=True)
    log = work / f"{plans}.log"
    log.unlink(missing_ok=True)
    say(f"{plans} kế hoạch: tạo dữ liệu tổng hợp…")
    corpus = synth.corpus(_portal(ROOT), plans, seed, seeds)
    synth.write_corpus(corpus, ROOT, project)
    result: dict[str, Any] = {
        "plans": len(corpus.plans),
        "tasks": corpus.tasks,
        "skipped": sorted(skip),
        "commit": commit(),
    }
    del corpus
    generator = [PYTHON, "-m", "generator"]
    say(f"{plans}: generate…")
    result["generate"] = asdict(
        timed([*generator, "generate", "--project", str(project)], ROOT, log)
    )
    save(result)
    say(f"{plans}: generate {result['generate']['seconds']:.0f} s; mkdocs build --strict…")
    engine = timed(
        [PYTHON, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"], project, log
    )
    result["engine"] = asdict(engine)
    save(result)
    if not engine.ok:
        say(f"{plans}: mkdocs thất bại, xem {log}")
        return result
    say(f"{plans}: mkdocs {engine.seconds:.0f} s; kiểm tra liên kết…")
    if "zensical" in engines:
        say(f"{plans}: zensical build --strict…")
        result["engine_zensical"] = asdict(zensical_engine(project, log))
        save(result)
        say(f"{plans}: zensical {result['engine_zensical']['seconds']:.0f} s")
    result["check"] = asdict(timed([PYTHON, "-c", CHECK, str(project)], ROOT, log))
    result["site"] = site_figures(project / "site")
    save(result)
    say(
        f"{plans}: {result['site']['pages']:,} trang, lớn nhất {result['site']['largest_page']:,} B; "
        "tìm kiếm: của ta…"
    )
    site = project / "site"
    result["search_ours"] = ours(site)
    save(result)
    # The edit comes before Pagefind and lunr: they write into site/, and a build adds only to
    # a site/ that is as the last build left it.
    say(f"{plans}: sửa một nhiệm vụ ({synth.edit_one_task(project).name}), dựng lại cả cổng…")
    result["rebuild"] = asdict(timed([*generator, "build", "--project", str(project)], ROOT, log))
    result["rebuild"]["stages"] = build_stages(log)
    save(result)
    say(f"{plans}: dựng lại {result['rebuild']['seconds']:.0f} s ({result['rebuild']['stages']})")
    if "pagefind" not in skip:
        say(f"{plans}: tìm kiếm: Pagefind…")
        result["search_pagefind"] = pagefind_search(site, log)
        save(result)
    if "lunr" not in skip:
        say(f"{plans}: tìm kiếm: lunr…")
        result["search_lunr"] = lunr_search(project, site, log)
        save(result)
    shutil.rmtree(project, ignore_errors=True)
    return result


# --- the report -----------------------------------------------------------------------------


def growth(values: list[float], sizes: list[int]) -> str:
    """How a figure grows from the smallest size to the largest: the ratio, and the power of
    the plan count it follows (0: stays the same; 1: in proportion)."""
    first, last = values[0], values[-1]
    if len(values) < 2 or first <= 0 or last <= 0:
        return "–"
    ratio = last / first
    power = math.log(ratio) / math.log(sizes[-1] / sizes[0])
    if abs(power) < 0.15:
        shape = "flat"
    elif power < 0.85:
        shape = "sublinear"
    elif power <= 1.15:
        shape = "linear"
    else:
        shape = "superlinear"
    return f"×{ratio:.1f} ({shape}, ~N^{power:.2f})"


def get(result: dict[str, Any], path: str) -> Any:
    value: Any = result
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def _derived(r: dict[str, Any]) -> dict[str, Any]:
    ours_s = (get(r, "generate.seconds") or 0) + (get(r, "check.seconds") or 0)
    engine_s = get(r, "engine.seconds")
    return {
        "tasks_per_s": r["tasks"] / r["generate"]["seconds"]
        if get(r, "generate.seconds")
        else None,
        "ours_s": ours_s,
        "ours_over_engine": ours_s / engine_s if engine_s else None,
        # A stage not measured (a run stopped midway) leaves the sum unknown, not smaller.
        "clean_build_s": ours_s + engine_s
        if engine_s and get(r, "generate.seconds") and get(r, "check.seconds")
        else None,
        "ours_peak": max(get(r, "generate.peak_mb") or 0, get(r, "check.peak_mb") or 0),
    }


ROWS: tuple[tuple[str, str, str], ...] = (
    # (label, path in the result, format)
    ("commit measured", "commit", "{}"),
    ("tasks", "tasks", "{:,.0f}"),
    ("generator (`generate`) s", "generate.seconds", "{:,.1f}"),
    ("generator tasks/s", "derived.tasks_per_s", "{:,.0f}"),
    ("post-build check s (ours)", "check.seconds", "{:,.1f}"),
    ("engine (`mkdocs build --strict`) s", "engine.seconds", "{:,.1f}"),
    ("our stages ÷ engine", "derived.ours_over_engine", "{:.2f}"),
    ("clean build s (generate + engine + check)", "derived.clean_build_s", "{:,.1f}"),
    ("one-task edit, incremental `python -m generator build` s", "rebuild.seconds", "{:,.1f}"),
    ("peak memory, our stages MB", "derived.ours_peak", "{:,.0f}"),
    ("peak memory, engine MB", "engine.peak_mb", "{:,.0f}"),
    ("engine Zensical (`zensical build --strict`) s", "engine_zensical.seconds", "{:,.1f}"),
    ("peak memory, engine Zensical MB", "engine_zensical.peak_mb", "{:,.0f}"),
    ("HTML pages", "site.pages", "{:,.0f}"),
    ("largest page, HTML bytes", "site.largest_page", "{:,.0f}"),
    ("median page, HTML bytes", "site.median_page", "{:,.0f}"),
    ("pages over 80 KB", "site.pages_over_limit", "{:,.0f}"),
    ("site MB", "site.site_bytes", "MB"),
    ("… of which HTML pages MB", "site.parts.pages", "MB"),
    ("… downloads (XLSX, CSV, JSON, ICS) MB", "site.parts.downloads", "MB"),
    ("… pages' JSON twins MB", "site.parts.twins", "MB"),
    ("… search index MB", "site.parts.search", "MB"),
    ("site files", "site.files", "{:,.0f}"),
    ("search, ours: index MB", "search_ours.index_bytes", "MB"),
    ("search, ours: first query KB (“so tai chinh”)", "search_ours.queries.0.bytes", "KB"),
    ("search, ours: first query ms (“so tai chinh”)", "search_ours.queries.0.ms", "{:,.0f}"),
    ("search, ours: hits (“so tai chinh”)", "search_ours.queries.0.hits", "{:,.0f}"),
    ("search, ours: first query KB (“Sở Tài chính”)", "search_ours.queries.1.bytes", "KB"),
    ("search, ours: first query ms (“Sở Tài chính”)", "search_ours.queries.1.ms", "{:,.0f}"),
    ("search, lunr: index build s (lunr.py)", "search_lunr.build.seconds", "{:,.1f}"),
    ("search, lunr: index MB", "search_lunr.index_bytes", "MB"),
    ("search, lunr: first query KB (“so tai chinh”)", "search_lunr.queries.0.bytes", "KB"),
    ("search, lunr: first query ms (“so tai chinh”)", "search_lunr.queries.0.ms", "{:,.0f}"),
    ("search, lunr: hits (“so tai chinh”)", "search_lunr.queries.0.hits", "{:,.0f}"),
    ("search, lunr: first query ms (“Sở Tài chính”)", "search_lunr.queries.1.ms", "{:,.0f}"),
    ("search, lunr: hits (“Sở Tài chính”)", "search_lunr.queries.1.hits", "{:,.0f}"),
    ("search, Pagefind: index build s", "search_pagefind.build.seconds", "{:,.1f}"),
    ("search, Pagefind: index MB", "search_pagefind.index_bytes", "MB"),
    ("search, Pagefind: first query KB (“so tai chinh”)", "search_pagefind.queries.0.bytes", "KB"),
    (
        "search, Pagefind: first query ms (“so tai chinh”)",
        "search_pagefind.queries.0.ms",
        "{:,.0f}",
    ),
    ("search, Pagefind: hits (“so tai chinh”)", "search_pagefind.queries.0.hits", "{:,.0f}"),
    ("search, Pagefind: first query KB (“Sở Tài chính”)", "search_pagefind.queries.1.bytes", "KB"),
    (
        "search, Pagefind: first query ms (“Sở Tài chính”)",
        "search_pagefind.queries.1.ms",
        "{:,.0f}",
    ),
)


def _unless_failed(result: dict[str, Any], path: str) -> Any:
    """The figure at `path`, or a word saying its stage did not finish: the time a stage took
    to fail, or until it was stopped, is no measure of the stage."""
    stage = get(result, path.rsplit(".", 1)[0]) if "." in path else None
    if isinstance(stage, dict) and stage.get("ok") is False:
        return stage.get("failure") or "failed"
    return get(result, path)


def cell(value: Any, form: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str) and form != "{}":
        return value
    if form == "MB":
        return f"{value / 1e6:,.1f}"
    if form == "KB":
        return f"{value / 1e3:,.0f}"
    return form.format(value)


# Every stage of one size, in the order measure_size runs them.
STAGES = (
    "generate",
    "engine",
    "check",
    "site",
    "search_ours",
    "rebuild",
    "search_pagefind",
    "search_lunr",
)


def report(results: dict[str, dict[str, Any]], machine: str) -> str:
    sizes = sorted(int(s) for s in results)
    rows = [results[str(s)] | {"derived": _derived(results[str(s)])} for s in sizes]
    head = "| figure | " + " | ".join(f"{s:,} plans" for s in sizes) + " | growth |"
    lines = [head, "|---" * (len(sizes) + 2) + "|"]
    for label, path, form in ROWS:
        values = [_unless_failed(r, path) for r in rows]
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        trend = growth(numbers, sizes) if len(numbers) == len(sizes) else "–"
        lines.append(f"| {label} | " + " | ".join(cell(v, form) for v in values) + f" | {trend} |")
    stopped = [
        f"{s:,} plans (measured: {', '.join(k for k in STAGES if k in r)})"
        for s, r in zip(sizes, rows, strict=True)
        if not all(k in r or k.removeprefix("search_") in r.get("skipped", ()) for k in STAGES)
    ]
    skipped = [
        f"{s:,} plans: {', '.join(r['skipped'])}"
        for s, r in zip(sizes, rows, strict=True)
        if r.get("skipped")
    ]
    partial_runs = (
        "\n\nRuns stopped before their end (a “–” is a figure not measured): "
        + "; ".join(stopped)
        + "."
        if stopped
        else ""
    )
    if skipped:
        partial_runs += (
            "\n\nComparisons left out on purpose (`--skip`, for the run's length): "
            + "; ".join(skipped)
            + "."
        )
    rebuilt = "; ".join(
        f"{s:,}: {get(r, 'rebuild.stages')}"
        for s, r in zip(sizes, rows, strict=True)
        if get(r, "rebuild.stages")
    )
    largest = ", ".join(
        f"{s:,}: `{get(r, 'site.largest_page_path')}`"
        for s, r in zip(sizes, rows, strict=True)
        if get(r, "site.largest_page_path")
    )
    return f"""# Benchmark: the portal at national scale

Written by `.venv/bin/python bench/run.py` (figures of every size in `bench/results.json`).
Machine: {machine}. Each stage ran as its own process under `/usr/bin/time` (wall seconds, peak
resident memory); the machine is shared, so times carry noise of ±20 %.

Corpus: `python -m generator synth --plans N` (34 provinces, then communes; ~30 tasks a plan,
recombined from the seed plans). "growth" is the ratio from the smallest to the largest size
measured and the power of N it follows (flat ≈ N^0, linear ≈ N^1).

{chr(10).join(lines)}

Largest page: {largest}.{partial_runs}

The one-task edit is rebuilt by `python -m generator build` after the clean build's check
recorded what it published, as a clerk's second build does: only the pages whose source
changed go through the engine and the check. Its stages: {rebuilt or "–"}.

How search is measured: the same two queries, each in a fresh browser context (cold cache), on
the same built site, served from 127.0.0.1 without compression. Ours: typed into the header box
(scripts/bench_search.py; ms from the keystroke to the results painted; KB: the index files
fetched). lunr: lunr.py indexes every task, plan and agency (what our index holds); in
Chromium, lunr.js 2.3.9 fetches and loads the whole index, then searches (ms from the query to
the results; KB: index and lunr.js). Pagefind: its binary indexes every built HTML page; in
Chromium, pagefind.js is imported, searches, and loads the first ten results (ms from the
query; KB: everything fetched under /pagefind/, by the page or its worker). The hits show
which engines fold Vietnamese marks (“so tai chinh” = “Sở Tài chính”) and which do not.
"""


def machine() -> str:
    cores = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB memory"
    return f"{platform.system()} {platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}"


def save_size(plans: int, figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Put one size's figures into bench/results.json, read again just before, so that sizes
    measured by another run at the same time (e.g. 3,400 plans beside 100 and 1,000) are kept;
    then write bench/RESULTS.md from all of them."""
    results: dict[str, dict[str, Any]] = (
        json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else {}
    )
    results[str(plans)] = figures
    temporary = RESULTS_JSON.with_suffix(".tmp")
    temporary.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(RESULTS_JSON)
    RESULTS_MD.write_text(report(results, machine()) + kept_sections(), encoding="utf-8")
    return results


# Sections of bench/RESULTS.md below this line are measured by other scripts (each names its
# command) and written by hand: a run of this script keeps them.
KEPT = "<!-- Below: figures from other scripts, kept by bench/run.py. -->"


def kept_sections() -> str:
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else ""
    return "\n" + text[text.index(KEPT) :] if KEPT in text else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,3400", help="plan counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=Path, help="source texts (*.txt) for more task wording")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench")
    parser.add_argument(
        "--engines",
        default="mkdocs",
        help="site engines to time, comma-separated: mkdocs (always), zensical",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comparisons to leave out, comma-separated: lunr, pagefind (hours at 3,400 plans)",
    )
    args = parser.parse_args()
    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    if skip - {"lunr", "pagefind"}:
        parser.error(f"--skip: unknown {', '.join(sorted(skip - {'lunr', 'pagefind'}))}")
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    unknown = set(engines) - {"mkdocs", "zensical"}
    if unknown:
        parser.error(f"--engines: unknown engine(s) {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for plans in sizes:
        results = save_size(
            plans,
            measure_size(
                plans, args.seed, args.seeds, args.work, partial(save_size, plans), engines, skip
            ),
        )
    last = results[str(sizes[-1])]
    print(
        f"Xong {len(sizes)} cỡ ({args.sizes}) trong {time.perf_counter() - started_at:.0f} s; "
        f"{sizes[-1]} kế hoạch: dựng sạch {_derived(last)['clean_build_s']:.0f} s, trang lớn nhất "
        f"{get(last, 'site.largest_page') or 0:,} B; kết quả trong {RESULTS_MD.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
