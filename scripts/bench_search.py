"""Search at scale: a synthetic portal of about 100,000 tasks, its index, and what a reader pays.

    .venv/bin/python scripts/bench_search.py [--tasks 100000] [--keep DIR] [--against DIR]
                                             [--repeat N] [--rtt MS] [--only TEXT]…
                                             [--reuse DIR]

Builds the real site once (for the real pages and their scripts), makes a synthetic portal from the
seeds' sentences (34 provinces and about 3,300 communes, one plan each, tasks recombined from the
transcribed plans' clauses, agencies named as the documents name them), builds its index with
generator/search and puts it in place of the real one. Then, in headless Chromium with a cold
cache for every query, it types each query into the header box or opens the finder URL and
prints: index bytes per file kind, bytes fetched from the index for the query's first page of
results (as served, and gzipped as GitHub Pages would send it; "đếm xong": with the files that
only count a result shown while it counts, "đang đếm…"), milliseconds from the keystroke to the first results
painted on screen (and, to compare, to their being put in the page), and whether the browser's
results equal the Python reference (tests/search_reference.py: `evaluate`). A finder opened from a URL has no
keystroke: its clock starts when the page has set itself up (the end of DOMContentLoaded;
results painted before that count 0); "từ HTML" counts from the end of the HTML
(domInteractive) and "từ lúc mở" from the click that opened the page. A query typed key by key
is not a first query: its bytes are those of every prefix it searched on the way (keys
100 ms apart).

To try a change of the search scripts alone, --reuse DIR measures a kept site with this tree's
scripts copied in, without building a site or an index; --only TEXT measures only the queries
holding TEXT.
The machine is shared and noisy: to compare two versions, keep the site of one (--keep DIR) and
measure the other --against it; the two are measured query by query in turn, --repeat times
each, and the table gives both and their ratio. A site kept by an older version must record
`at` (performance.now() at results) in its timings.
With --rtt the server answers every request that many ms late, as a phone's network would:
then what counts is how many rounds of requests a query waits for, one after the other.
A measurement, not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from search_reference import Filters, evaluate  # noqa: E402

from generator import urls  # noqa: E402
from generator.cli import _portal  # noqa: E402
from generator.domain import (  # noqa: E402
    Agency,
    AgencyRef,
    Group,
    Jurisdiction,
    Level,
    Plan,
    Portal,
    Task,
)
from generator.search.documents import Kind, first_task, search_docs  # noqa: E402
from generator.search.encode import build_index, postings  # noqa: E402
from generator.search.facets import facet_files  # noqa: E402
from generator.search.folding import abbreviation_table, fold  # noqa: E402
from generator.timeline import parse_timeline  # noqa: E402

BASE = "/cong-ke-hoach/"
SYLLABLES = (  # noqa: SIM905
    "An Bình Hòa Phú Thạnh Long Tân Đông Tây Nam Bắc Trung Hưng Phước Thuận Quang Minh Hải "
    "Sơn Lâm Giang Hà Kiên Vĩnh Gia Đức Thành Mỹ Lộc Xuân Hồng Ngọc Thái Yên Cẩm Đắk Ia Krông "
    "Sa Mường Lai Điện Hiệp Quế Tiên Ninh Vân Kỳ Lệ Đồng Cao Trà Bảo Khánh Châu Diên Đại"
).split()
PROVINCE_AGENCIES = [
    ("ubnd-tinh", "Ủy ban nhân dân tỉnh {p}", ["UBND tỉnh"]),
    ("so-tai-chinh", "Sở Tài chính tỉnh {p}", ["Sở Tài chính"]),
    ("so-noi-vu", "Sở Nội vụ tỉnh {p}", ["Sở Nội vụ"]),
    ("so-xay-dung", "Sở Xây dựng tỉnh {p}", ["Sở Xây dựng"]),
    ("so-nong-nghiep", "Sở Nông nghiệp và Môi trường tỉnh {p}", ["Sở Nông nghiệp và Môi trường"]),
    ("so-giao-duc", "Sở Giáo dục và Đào tạo tỉnh {p}", ["Sở Giáo dục và Đào tạo"]),
    ("so-dan-toc", "Sở Dân tộc và Tôn giáo tỉnh {p}", ["Sở Dân tộc và Tôn giáo"]),
    ("cong-an", "Công an tỉnh {p}", ["Công an tỉnh"]),
    ("hdnd-tinh", "Hội đồng nhân dân tỉnh {p}", ["HĐND tỉnh"]),
    ("ubmttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}", ["Ủy ban MTTQ Việt Nam tỉnh"]),
    (
        "nhcsxh",
        "Chi nhánh Ngân hàng Chính sách xã hội tỉnh {p}",
        ["NHCSXH Chi nhánh tỉnh", "Ngân hàng Chính sách xã hội Chi nhánh tỉnh"],
    ),
    ("ctxh", "Các tổ chức chính trị - xã hội nhận ủy thác cấp tỉnh", []),
    ("cac-so", "Các sở, ban, ngành, đơn vị cấp tỉnh", []),
    ("bao-pttt", "Báo và Phát thanh, Truyền hình {p}", ["Báo và PTTH {p}"]),
]
COMMUNE_AGENCIES = [
    ("ubnd-xa", "Ủy ban nhân dân xã {c}", ["UBND xã"]),
    ("mttq-xa", "Mặt trận Tổ quốc Việt Nam xã {c}", ["MTTQ xã"]),
    ("ctxh-xa", "Các tổ chức chính trị - xã hội xã {c} nhận ủy thác", []),
    ("co-quan-xa", "Các cơ quan, đơn vị thuộc Ủy ban nhân dân xã {c}", []),
]
THEMES = (
    "tuyen-truyen",
    "lanh-dao-chi-dao",
    "mat-tran-doan-the",
    "nguon-von",
    "co-che-chinh-sach",
    "hieu-qua-ngan-hang",
)


# --- the synthetic portal -------------------------------------------------------------------


def seed_material(portal: Portal) -> dict[str, list[str]]:
    """Clauses, outputs and timelines of the transcribed plans: the corpus' vocabulary."""
    clauses, outputs, timelines, titles = [], [], [], []
    for plan in portal.plans.values():
        for group in plan.groups:
            if group.title:
                titles.append(group.title)
            for task in plan.tasks:
                for part in re.split(r"(?<=[.;:])\s+|\n+", task.text or ""):
                    part = part.strip(" -")
                    if len(part) > 25:
                        clauses.append(part)
                if task.output:
                    outputs.append(task.output)
                if task.timeline:
                    timelines.append(task.timeline.text)
    return {
        "clauses": sorted(set(clauses)),
        "outputs": sorted(set(outputs)),
        "timelines": sorted(set(timelines)),
        "titles": sorted(set(titles)),
    }


def synthetic_portal(real: Portal, tasks: int, rng: random.Random) -> Portal:
    material = seed_material(real)
    jurisdictions = {"trung-uong": real.jurisdictions["trung-uong"]}
    agencies = {a.id: a for a in real.agencies.values() if a.jurisdiction == "trung-uong"}
    provinces = 34
    communes_per_province = 97
    plans_total = provinces * (1 + communes_per_province)
    per_plan = max(1, round(tasks / plans_total))
    names_used: set[str] = set()

    def place_name() -> str:
        while True:
            name = " ".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
            if name not in names_used:
                names_used.add(name)
                return name

    def slug(text: str) -> str:
        return fold(text).replace(" ", "-")

    plans: dict[str, Plan] = {}
    made = 0

    def make_plan(jid: str, issuer: str, pool: list[Agency], number: str) -> None:
        nonlocal made
        groups = []
        count = per_plan if made + per_plan <= tasks else max(0, tasks - made)
        for g in range(6):
            items = []
            for t in range(count // 6 + (1 if g < count % 6 else 0)):
                lead = rng.sample(pool, rng.choice((1, 1, 2)))
                support = rng.sample([a for a in pool if a not in lead], rng.choice((0, 1, 2, 3)))
                text = " ".join(rng.sample(material["clauses"], rng.choice((1, 2, 2, 3))))
                timeline = rng.choice(material["timelines"])
                items.append(
                    Task(
                        id=f"{g + 1}.{t + 1}",
                        number=f"{g + 1}.{t + 1}",
                        text=text,
                        lead=tuple(AgencyRef(rng.choice((a.name, *a.names)), a.id) for a in lead),
                        support=tuple(AgencyRef(a.name, a.id) for a in support),
                        output=rng.choice(material["outputs"]),
                        timeline=parse_timeline(timeline),
                        notes=None,
                    )
                )
            groups.append(
                Group(
                    id=str(g + 1),
                    number=str(g + 1),
                    title=rng.choice(material["titles"]),
                    theme=THEMES[g],
                    tasks=tuple(items),
                )
            )
        made += count
        template = next(iter(real.plans.values()))
        plan_id = f"{jid}-{number.lower().replace('/', '-')}-2025"
        plans[plan_id] = dataclasses.replace(
            template,
            id=plan_id,
            former_ids=(),
            number=number,
            jurisdiction=jid,
            issuer=issuer,
            groups=tuple(groups),
            replaces=(),
            implements=(),
            figures=(),
        )

    for p in range(provinces):
        pname = place_name()
        pid = f"tinh-{slug(pname)}"
        jurisdictions[pid] = Jurisdiction(pid, f"Tỉnh {pname}", Level.PROVINCE, None)
        pool = []
        for aid, name, names in PROVINCE_AGENCIES:
            agency = Agency(
                f"{pid}/{aid}",
                name.format(p=pname),
                aid in ("ctxh", "cac-so"),
                tuple(n.format(p=pname) for n in names),
                pid,
                (),
            )
            agencies[agency.id] = agency
            pool.append(agency)
        make_plan(pid, f"{pid}/ubnd-tinh", pool, f"{100 + p}/KH-UBND")
        for c in range(communes_per_province):
            cname = place_name()
            cid = f"{pid}-xa-{slug(cname)}"
            jurisdictions[cid] = Jurisdiction(cid, f"Xã {cname}", Level.COMMUNE, pid)
            local = []
            for aid, name, names in COMMUNE_AGENCIES:
                agency = Agency(
                    f"{cid}/{aid}",
                    name.format(c=cname),
                    aid != "ubnd-xa",
                    tuple(names),
                    cid,
                    (),
                )
                agencies[agency.id] = agency
                local.append(agency)
            make_plan(cid, f"{cid}/ubnd-xa", local + pool[1:3] + pool[9:11], f"{c + 1}/KH-UBND")
    return dataclasses.replace(real, jurisdictions=jurisdictions, agencies=agencies, plans=plans)


# --- the site -------------------------------------------------------------------------------


def build_real_site(work: Path) -> Path:
    project = work / "project"
    for part in ("templates", "docs", "hooks", "overrides", "mkdocs.yml", "data"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns(".generator-*"))
        elif source.exists():
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / part)
    manifest = ROOT / "published-urls.txt"
    if manifest.exists():
        shutil.copy2(manifest, project / manifest.name)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)
    return project / "site"


class Handler(SimpleHTTPRequestHandler):
    """site/ under BASE, like GitHub Pages. Keep-alive and no Nagle delay: Python's default
    (HTTP/1.0, headers and body in two writes) stalls each response about 40 ms on delayed ACKs,
    which no real static host does; that would measure the test server, not the index."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        inner = path[len(BASE) - 1 :] if path.startswith(BASE) else "/__outside__"
        return super().translate_path(inner)

    delay = 0.0  # seconds before each answer: a network's round trip (--rtt)

    def do_GET(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


# --- measuring ------------------------------------------------------------------------------

# The query of the page (the last one typed; a finder opened from a URL has one) is all shown.
COMPLETE = """() => {
  const timings = window.ckhSearch.timings;
  const q = timings[timings.length - 1].q;
  return timings.some(t => t.q === q && t.complete);
}"""

FETCHED = """() => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/chi-muc/'))
  .map(e => ({url: e.name, bytes: e.encodedBodySize, end: e.responseEnd}))"""

# When the first page of results of the page's query was all shown (performance.now()).
SHOWN_AT = """() => {
  const timings = window.ckhSearch.timings;
  const q = timings[timings.length - 1].q;
  return timings.find(t => t.q === q && t.complete).at;
}"""

# A result shown while it counts (search-engine.js: `counting`) has its counts.
COUNTED = "() => !window.ckhSearch.counting"

ENGINE_RESULT = """async (o) => {
  const engine = window.ckhSearch.engineFor(new URL('../', location.href).href);
  const first = await engine.search(o);
  const r = first.partial ? await first.complete() : first;
  // exact: how many hold the query as written (null from an engine older than the tiers).
  return {counts: r.counts, exact: r.exact === undefined ? null : r.exact, ids: engine.slice(r, 0, 20).map(h => h.id)};
}"""


def gzipped(site: Path, urls: list[str]) -> int:
    total = 0
    for url in urls:
        path = url.split("?", 1)[0].split(BASE, 1)[1]
        total += len(gzip.compress((site / path).read_bytes(), 6))
    return total


# Put in every page before its own scripts. Each result item a search box adds (li.ckh-hit,
# li[role=option]) is stamped with when it was added and given an `elementtiming` name: the
# Element Timing API then reports when the item was first on screen (renderTime: the frame's
# presentation). For a result with no item (no match), the paint is taken as the end of the
# next frame: a task queued from a requestAnimationFrame callback runs after that frame's
# layout and paint. Each result the page records (search.js `timing`) is then said on the
# console: the benchmark waits for that message, which it gets without running anything in
# the page (a script of the test driver, as wait_for_function installs, would take the page's
# main thread while it is busy with the query).
PAINTED = """
window.__ckhPainted = [];
window.__ckhAdded = [];
window.__ckhRendered = {};
(function () {
  var names = 0;
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      var time = e.renderTime || e.loadTime, known = window.__ckhRendered[e.identifier];
      if (known === undefined || time < known) window.__ckhRendered[e.identifier] = time;
    });
  }).observe({type: "element", buffered: true});
  new MutationObserver(function (records) {
    var now = performance.now();
    records.forEach(function (r) {
      r.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1 || !node.matches("li.ckh-hit, li[role=option]")) return;
        var name = "ckh-" + (++names);
        window.__ckhAdded.push({added: now, name: name});
        [node].concat(Array.from(node.querySelectorAll("*"))).forEach(function (el) {
          el.setAttribute("elementtiming", name);
        });
      });
    });
  }).observe(document, {subtree: true, childList: true});
  var seen = 0;
  function frame() {
    var timings = (window.ckhSearch && window.ckhSearch.timings) || [];
    if (timings.length < seen) seen = 0;
    if (timings.length > seen) {
      var fresh = timings.slice(seen);
      seen = timings.length;
      setTimeout(function () {
        var now = performance.now();
        fresh.forEach(function (t) {
          window.__ckhPainted.push({at: t.at, painted: now});
          console.debug("ckh-painted\t" + t.q);
        });
      }, 0);
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
"""

# When the first results of query `q` were on screen: {ms, at, painted}, or null while the
# screen has not reported them yet. The first results are the items added between the query's
# start and its first recorded timing. (The page records the first results and, when more come
# later, all of them; a version that showed all at once recorded only that.)
SHOWN = """q => {
  const first = window.ckhSearch.timings.find(t => t.q === q);
  const start = first.at - first.ms;
  const mine = window.__ckhAdded.filter(a => a.added >= start - 1 && a.added <= first.at + 5);
  let painted;
  if (mine.length) {
    const times = mine.map(a => window.__ckhRendered[a.name]).filter(t => t !== undefined);
    if (!times.length) return null;
    painted = Math.min(...times);
  } else {
    const frame = window.__ckhPainted.find(p => p.at === first.at);
    if (!frame) return null;
    painted = frame.painted;
  }
  return {ms: first.ms, at: first.at, painted: painted};
}"""


def painted(query: str | None = None) -> Any:
    """A console-message predicate: results of `query` (of any query if None) painted."""
    return lambda m: (
        m.text == f"ckh-painted\t{query}" or (query is None and m.text.startswith("ckh-painted\t"))
    )


@dataclasses.dataclass
class Timing:
    """One query's figures in ms: to results painted (`ms`) and to results in the page (`dom`),
    both from the keystroke, or for a finder opened from a URL from the end of the page's own
    setup (DOMContentLoaded); for a URL, also from the end of the HTML (`html`) and from the
    click that opened the page (`nav`)."""

    ms: float
    dom: float
    html: float | None = None
    nav: float | None = None


# Key by key, a fast typist's pace. Playwright's own (no delay) sends the keys a few ms apart,
# faster than any answer: the prefix queries then queue on the server's six connections, and the
# figure measures that queue.
KEY_PACE_MS = 100


def enter(page: Any, box: str, query: dict[str, Any]) -> None:
    """Put the query in the search box `box`, key by key or at once (a paste), and wait until
    its results are painted."""
    with page.expect_console_message(painted(query["q"])):
        if query.get("typed"):
            page.locator(box).focus()
            page.keyboard.type(query["q"], delay=KEY_PACE_MS)
        else:
            page.locator(box).fill(query["q"])


def typed_timing(page: Any, query: str) -> Timing:
    got = page.wait_for_function(SHOWN, arg=query).json_value()
    return Timing(ms=got["ms"] + got["painted"] - got["at"], dom=got["ms"])


def measure_once(page: Any, base: str, query: dict[str, Any]) -> Timing:
    """Run one query on a fresh page and time it."""
    if query["where"] == "header":
        page.goto(base + "ke-hoach/")
        page.locator("#ckh-search-q").focus()
        page.wait_for_function(
            "performance.getEntriesByType('resource').some(e => e.name.includes('meta.json'))"
        )
        page.wait_for_timeout(300)  # a reader's hand between the click and the first key
        enter(page, "#ckh-search-q", query)
        return typed_timing(page, query["q"])
    if query["where"] == "finder-typed":
        page.goto(base + "tra-cuu/?" + query["url"])
        page.wait_for_function("window.ckhSearch.finderReady !== undefined")
        page.evaluate("window.ckhSearch.finderReady")
        page.wait_for_timeout(300)
        page.evaluate("performance.clearResourceTimings(); window.ckhSearch.timings = []")
        enter(page, "#ckh-finder-q", query)
        return typed_timing(page, query["q"])
    # Opened from a URL there is no keystroke. The clock starts when the page has set itself up
    # (the end of DOMContentLoaded: Material's scripts have run, a reader could type); results
    # painted before that count as 0.
    with page.expect_console_message(painted()):
        page.goto(base + "tra-cuu/?" + query["url"], wait_until="commit")
    got = page.wait_for_function(SHOWN, arg=page.evaluate("window.ckhSearch.timings[0].q"))
    got = got.json_value()
    page_at = page.evaluate(
        """() => {
          const n = performance.getEntriesByType('navigation')[0];
          return {ready: n.domContentLoadedEventEnd, html: n.domInteractive};
        }"""
    )
    return Timing(
        ms=max(0.0, got["painted"] - page_at["ready"]),
        dom=max(0.0, got["at"] - page_at["ready"]),
        html=got["painted"] - page_at["html"],
        nav=got["painted"],
    )


def record_host(hosts: set[str], request: Any) -> None:
    hosts.add(request.url.split("/")[2])


def measure(
    sites: list[Path],
    queries: list[dict[str, Any]],
    reference: Any,
    repeat: int,
    rtt: float = 0.0,
) -> list[list[dict[str, Any]]]:
    """Each query `repeat` times on each site, in turn (site A, site B, then B, A, …), so that
    the machine's noise falls on every site alike; the order flips every round because the site
    measured first in a pair was seen to run 10–15 % apart from the second, either way, whatever
    the code. A new browser context (cold cache) every time.
    One row a query for each site: the figures of its median run, the worst ms of all runs."""
    from playwright.sync_api import sync_playwright

    servers = []
    bases = []
    for site in sites:
        handler = type("Delayed", (Handler,), {"delay": rtt / 1000})
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases.append(f"http://127.0.0.1:{server.server_address[1]}{BASE}")
    rows: list[list[dict[str, Any]]] = [[] for _ in sites]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for query in queries:
            runs: list[list[dict[str, Any]]] = [[] for _ in sites]
            for turn in range(repeat):
                order = list(enumerate(zip(sites, bases, strict=True)))
                for number, (site, base) in order[:: -1 if turn % 2 else 1]:
                    context = browser.new_context()  # a cold cache for every query
                    context.add_init_script(PAINTED)
                    page = context.new_page()
                    hosts: set[str] = set()
                    page.on("request", partial(record_host, hosts))
                    timing = measure_once(page, base, query)
                    # Bytes count every file of the query's first page of results: the first
                    # result may be on screen while later ones' files are still on the way.
                    # The files that only count a result shown while counting ("đang đếm…")
                    # come after: they are counted apart ("đếm xong").
                    page.wait_for_function(COMPLETE)
                    shown_at = page.evaluate(SHOWN_AT)
                    page.wait_for_function(COUNTED)
                    every = page.evaluate(FETCHED)
                    fetched = [f for f in every if f["end"] <= shown_at]
                    options = query.get(
                        "options",
                        {"q": query.get("q", ""), "tasksOnly": query["where"] != "header"},
                    )
                    got = page.evaluate(ENGINE_RESULT, options)
                    runs[number].append(
                        {
                            **query,
                            "files": len(fetched),
                            "bytes": sum(f["bytes"] for f in fetched),
                            "counted": sum(f["bytes"] for f in every),
                            "gzip": gzipped(site, [f["url"] for f in fetched]),
                            **dataclasses.asdict(timing),
                            "hits": sum(got["counts"]),
                            "exact": got["exact"],
                            "same": got == reference(options),
                            "outside": sorted(h for h in hosts if not h.startswith("127.0.0.1")),
                        }
                    )
                    context.close()
            for number, samples in enumerate(runs):
                ordered = sorted(samples, key=lambda r: r["ms"])
                row = dict(ordered[(len(ordered) - 1) // 2])
                row["worst"] = ordered[-1]["ms"]
                for key in ("html", "nav"):
                    if row[key] is not None:
                        row[key] = statistics.median(r[key] for r in samples)
                row["same"] = all(r["same"] for r in samples)
                row["outside"] = sorted({h for r in samples for h in r["outside"]})
                rows[number].append(row)
        browser.close()
    for server in servers:
        server.shutdown()
    return rows


def optional(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}" if before else "—"


def print_rows(rows: list[dict[str, Any]], before: list[dict[str, Any]] | None) -> None:
    print()
    print(
        "ms: đến khi kết quả đã vẽ lên màn hình; DOM: đến khi kết quả vào trang (chưa vẽ); "
        "tính từ phím gõ, hay với trang mở từ địa chỉ (finder) từ lúc trang tự dựng xong "
        "(hết DOMContentLoaded; vẽ trước đó thì tính 0). Từ HTML: từ lúc đọc xong HTML; "
        "từ lúc mở: từ lúc bấm vào địa chỉ."
    )
    header = (
        f"{'nơi':12} {'truy vấn':46} {'tệp':>4} {'byte':>9} {'gzip':>8} {'ms':>6} {'DOM':>6} "
        f"{'ms max':>6} {'từ HTML':>7} {'từ lúc mở':>9} {'kết quả':>8} {'đúng cụm':>8} {'đúng':>5} "
        f"{'đếm xong':>9}"
    )
    if before:
        header += (
            f" │ {'byte trước':>10} {'ms trước':>8} {'max trước':>9} {'sau/trước':>9} "
            f"{'kq trước':>8}"
        )
    print(header)
    for i, row in enumerate(rows):
        label = row["q"] + (" (gõ từng phím)" if row.get("typed") else "")
        if row["where"] == "finder-typed" and row["url"]:
            label += f" [{row['url']}]"
        exact = "" if row["exact"] is None else f"{row['exact']:,}"
        line = (
            f"{row['where']:12} {label[:46]:46} {row['files']:>4} {row['bytes']:>9,} "
            f"{row['gzip']:>8,} {row['ms']:>6.1f} {row['dom']:>6.1f} {row['worst']:>6.1f} "
            f"{optional(row['html']):>7} {optional(row['nav']):>9} "
            f"{row['hits']:>8,} {exact:>8} {'có' if row['same'] else 'KHÔNG':>5} "
            f"{row['counted']:>9,}"
        )
        if before:
            old = before[i]
            line += (
                f" │ {old['bytes']:>10,} {old['ms']:>8.1f} {old['worst']:>9.1f} "
                f"{ratio(row['ms'], old['ms']):>9} {old['hits']:>8,}"
            )
        print(line)
    print()
    first = [r for r in rows if not r.get("typed")]
    print(
        f"Tải nhiều nhất cho một truy vấn đầu: {max((r['bytes'] for r in first), default=0):,} byte "
        f"(đến khi đếm xong: {max((r['counted'] for r in first), default=0):,}) "
        f"(gõ từng phím, cộng mọi tiền tố: {max((r['bytes'] for r in rows if r.get('typed')), default=0):,}); "
        f"thời gian (ms đến kết quả đã vẽ, trung vị mỗi truy vấn): trung vị "
        f"{statistics.median(r['ms'] for r in rows):.1f}, "
        f"lớn nhất {max(r['ms'] for r in rows):.1f}; lần chậm nhất trong mọi lần đo: "
        f"{max(r['worst'] for r in rows):.1f}; "
        f"truy vấn khớp tham chiếu Python: {sum(r['same'] for r in rows)}/{len(rows)}; "
        f"yêu cầu ra ngoài 127.0.0.1: {sum(len(r['outside']) for r in rows)}."
    )
    if before:
        print(
            f"Trước (cùng lần chạy): tải nhiều nhất "
            f"{max((r['bytes'] for r in before if not r.get('typed')), default=0):,} byte "
            f"(đến khi đếm xong: "
            f"{max((r['counted'] for r in before if not r.get('typed')), default=0):,}); "
            f"trung vị {statistics.median(r['ms'] for r in before):.1f}, "
            f"lớn nhất {max(r['ms'] for r in before):.1f}, lần chậm nhất "
            f"{max(r['worst'] for r in before):.1f}; khớp tham chiếu: "
            f"{sum(r['same'] for r in before)}/{len(before)}."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the built site with the big index here")
    parser.add_argument(
        "--against",
        type=Path,
        help="a site kept by an earlier run (--keep): measured in the same run, query by query "
        "in turn with this one, so that before and after meet the same noise",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query (median shown)")
    parser.add_argument(
        "--rtt",
        type=float,
        default=0.0,
        help="ms the server waits before each answer, as a phone's network would (default 0)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the queries whose text or finder address holds this (repeatable): "
        "a quicker run while working on a few of them",
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        help="measure a site kept by an earlier run (--keep) with this tree's search scripts "
        "copied into it, instead of building the site and its index: minutes sooner, and right "
        "only while the data and generator/search give the same index",
    )
    args = parser.parse_args()
    rng = random.Random(39)
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        if args.reuse:
            site = args.reuse
            for script in sorted((ROOT / "docs" / "assets").glob("search*.js")):
                shutil.copy2(script, site / "assets" / script.name)
        else:
            print("Dựng trang thật…", flush=True)
            site = build_real_site(work)
        real = _portal(ROOT)
        portal = synthetic_portal(real, args.tasks, rng)
        docs = search_docs(portal)
        task_count = sum(1 for d in docs if d.kind is Kind.TASK)
        print(
            f"Kho thử: {task_count:,} nhiệm vụ, {len(portal.plans):,} kế hoạch, "
            f"{len(portal.agencies):,} cơ quan, {len(portal.jurisdictions):,} địa bàn, "
            f"{len(docs):,} mục tìm kiếm.",
            flush=True,
        )
        if args.reuse:
            # The results are checked against this tree's portal: a kept index of other data
            # numbers its documents otherwise, and every query would differ.
            kept = json.loads((site / urls.SEARCH_FOLDER / "meta.json").read_text("utf-8"))
            if (kept["docs"], kept["tasks"]) != (len(docs), first_task(docs)):
                sys.exit(
                    f"{args.reuse}: its index has {kept['docs']:,} documents, this tree's data "
                    f"{len(docs):,}: build it again (--keep) instead of --reuse"
                )
        else:
            started = time.perf_counter()
            files = build_index(docs, portal.abbreviations, facet_files(portal))
            print(
                f"Dựng chỉ mục: {time.perf_counter() - started:.1f} s, {len(files):,} tệp.",
                flush=True,
            )
            index = site / urls.SEARCH_FOLDER
            shutil.rmtree(index)
            for path, text in files.items():
                target = index / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            report_sizes(files)

        table = abbreviation_table(portal.abbreviations)
        found = postings(docs, table)
        tasks_from = first_task(docs)

        def reference(o: dict[str, Any]) -> dict[str, Any]:
            filters = Filters(
                place=o.get("place"),
                plan=o.get("plan"),
                agency=o.get("agency"),
                role=o.get("role"),
                timeline=o.get("timeline"),
            )
            result = evaluate(
                found,
                len(docs),
                table,
                o.get("q", ""),
                filters,
                tasks_from if o.get("tasksOnly") else 0,
            )
            return {
                "counts": list(result.tiers),
                "exact": result.exact,
                "ids": list(result.ids[:20]),
            }

        province = next(j for j in portal.jurisdictions.values() if j.level is Level.PROVINCE)
        commune = next(j for j in portal.jurisdictions.values() if j.parent == province.id)
        queries: list[dict[str, Any]] = [
            {"where": "header", "q": q}
            for q in (
                "so tai chinh",
                "Sở Tài chính",
                "tai chinh",
                "chinh",
                "NHCSXH",
                "ngân hàng chính sách xã hội",
                "tín dụng chính sách xã hội",
                "thu hoi no",
                "thu hoi no qua han",
                "hoi nong dan",
                "cong an tinh",
                "UBND",
                "mat tran to quoc",
                "HĐND",
                f"xa {fold(commune.name.removeprefix('Xã '))}",
                "khong co tu nay",
            )
        ]
        queries += [{"where": "header", "q": "so tai chinh", "typed": True}]
        finder = [
            ("q=so+tai+chinh", {"q": "so tai chinh"}),
            ("q=so+tai+chinh&vai-tro=chu-tri", {"q": "so tai chinh", "role": "chu-tri"}),
            ("q=tin+dung+chinh+sach+xa+hoi", {"q": "tin dung chinh sach xa hoi"}),
            (
                f"co-quan={province.id}%2Fso-tai-chinh",
                {"agency": f"{province.id}/so-tai-chinh"},
            ),
            (
                f"q=thu+hoi+no&dia-ban={province.id}&thoi-han=hang-nam",
                {"q": "thu hoi no", "place": province.id, "timeline": "hang-nam"},
            ),
            (f"dia-ban={commune.id}", {"place": commune.id}),
        ]
        queries += [
            {"where": "finder", "url": url, "q": url, "options": {**o, "tasksOnly": True}}
            for url, o in finder
        ]
        typed = [
            ("", "so tai chinh", {}),
            ("vai-tro=chu-tri", "so tai chinh", {"role": "chu-tri"}),
            ("", "ngan hang chinh sach xa hoi", {}),
            (
                f"dia-ban={province.id}&thoi-han=hang-nam",
                "thu hoi no",
                {"place": province.id, "timeline": "hang-nam"},
            ),
        ]
        queries += [
            {
                "where": "finder-typed",
                "url": url,
                "q": q,
                "options": {**o, "q": q, "tasksOnly": True},
            }
            for url, q, o in typed
        ]
        queries += [
            {
                "where": "finder-typed",
                "url": "",
                "q": "so tai chinh",
                "typed": True,
                "options": {"q": "so tai chinh", "tasksOnly": True},
            }
        ]
        if args.only:
            queries = [
                q for q in queries if any(t in q["q"] or t in q.get("url", "") for t in args.only)
            ]
        sites = [site] + ([args.against] if args.against else [])
        measured = measure(sites, queries, reference, args.repeat, args.rtt)
        print_rows(measured[0], measured[1] if args.against else None)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(site, args.keep)
            print(f"Giữ trang thử ở {args.keep}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report_sizes(files: dict[str, str]) -> None:
    sizes: dict[str, list[int]] = {}
    for path, text in files.items():
        kind = path.split("/")[-2] if "/" in path else path  # <version>/s/12.json → s
        sizes.setdefault(kind, []).append(len(text.encode("utf-8")))
    names = {
        "s": "mảnh từ điển (s/)",
        "p": "danh sách dài (p/)",
        "r": "bản ghi kết quả (r/)",
        "f": "bộ lọc (f/)",
        "meta.json": "meta.json",
    }
    print()
    print(f"{'loại tệp':26} {'số tệp':>7} {'tổng':>13} {'trung vị':>9} {'lớn nhất':>9}")
    for kind, values in sorted(sizes.items()):
        print(
            f"{names.get(kind, kind):26} {len(values):>7,} {sum(values):>13,} "
            f"{int(statistics.median(values)):>9,} {max(values):>9,}"
        )
    total = sum(sum(v) for v in sizes.values())
    postings = sum(sizes.get("s", [])) + sum(sizes.get("p", []))
    print(
        f"Toàn bộ chỉ mục: {total:,} byte; riêng từ điển và danh sách (kể cả bản ghi của các kết "
        f"quả đầu đi kèm danh sách dài): {postings:,} byte (gần bằng cái giá của một chỉ mục "
        "không chia mà mọi người đọc phải tải)."
    )


if __name__ == "__main__":
    main()
