"""Where a build's time goes, and what the build's cheap speed-ups (issue 14) buy.

    .venv/bin/python scripts/bench_build.py [--data DIR] [--repeat N] [--engines] [--profile N]

On a copy of the project with `--data` (default: the shipped data/), in one run:
1. each stage of `python -m generator build` timed on its own (load, model, derive, render,
   search index, write, and with --engines each site engine and the check stage);
2. the two speed-ups measured against what they replace, on the same input, in turn:
   QR codes (segno trying all 8 masks, as before, vs the fixed mask, vs the cache read back)
   and YAML (PyYAML's pure-Python composer, as before, vs libyaml's);
3. with --profile N, the N functions with the most time of their own in generate (cProfile).
A measurement, not a test: figures depend on the machine (shared and noisy: use --repeat).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import segno
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import load, permalink, search, urls  # noqa: E402
from generator.check import check_site  # noqa: E402
from generator.cli import build_date, generate  # noqa: E402
from generator.deadlines import all_deadlines  # noqa: E402
from generator.derive import Indexes, derive  # noqa: E402
from generator.domain import Portal  # noqa: E402
from generator.load import load_data  # noqa: E402
from generator.model import build_portal  # noqa: E402
from generator.opendata import (  # noqa: E402
    download_files,
    schema_files,
    schema_links,
    twin_files,
)
from generator.render import Dates, render  # noqa: E402
from generator.schema import FILE_MODELS  # noqa: E402
from generator.site import ENGINES, build_site, site_base_path, site_url  # noqa: E402
from generator.write import write_pages  # noqa: E402

BUILT = build_date(None)
PROJECT_PARTS = ("templates", "docs", "hooks", "overrides", "mkdocs.yml", "published-urls.txt")


def copy_project(target: Path, data: Path) -> Path:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source, target / part, ignore=shutil.ignore_patterns(*urls.GENERATED_FOLDERS)
            )
        else:
            shutil.copy2(source, target / part)
    shutil.copytree(data, target / "data")
    return target


def best(seconds: list[float]) -> str:
    return f"{min(seconds) * 1000:9.1f} ms (trung vị {statistics.median(seconds) * 1000:.1f})"


def timed(repeat: int, run: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def _dates(portal: Portal, idx: Indexes, address: str) -> Dates:
    """What render needs to know of the build date and the download files (as cli builds it)."""
    deadlines = all_deadlines(portal, BUILT)
    files = [
        *download_files(portal, deadlines, address, BUILT),
        *schema_files(FILE_MODELS),
        *twin_files(portal, idx, deadlines, address, BUILT),
    ]
    sizes = {f.path: len(f.data) for f in files}
    return Dates(BUILT, deadlines, sizes, schema_links(FILE_MODELS))


def stages(project: Path, repeat: int, engines: bool) -> None:
    data = project / "data"
    raw, _ = load_data(data)
    portal, _ = build_portal(raw)
    idx = derive(portal)
    url = site_url(project)
    dates = _dates(portal, idx, url)
    qr_folder = project / ".cache" / "qr"
    cache = permalink.cached_qr(qr_folder)
    pages = list(render(portal, idx, project / "templates", url, dates, cache))  # fills QR cache
    tasks = sum(len(p.tasks) for p in portal.plans.values())
    print(f"{len(portal.plans)} kế hoạch, {tasks} nhiệm vụ, {len(pages)} trang sinh ra")
    rows = {
        "load (YAML → giá trị)": lambda: load_data(data),
        "model (kiểm tra, dựng cổng)": lambda: build_portal(raw),
        "derive": lambda: derive(portal),
        "render (vẽ lại QR, mặt nạ cố định)": lambda: list(
            render(portal, idx, project / "templates", url, dates)
        ),
        "render (QR từ bộ đệm)": lambda: list(
            render(portal, idx, project / "templates", url, dates, permalink.cached_qr(qr_folder))
        ),
        "search index": lambda: list(search.index_pages(portal)),
        "write": lambda: write_pages(
            [*pages, *search.index_pages(portal)], project / "docs", urls.GENERATED_FOLDERS
        ),
    }
    for name, run in rows.items():
        print(f"  {name:32} {best(timed(repeat, run))}")
    if engines:
        generate(project, BUILT)
        for engine in ENGINES:
            site, check = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                built = build_site(project, engine)
                middle = time.perf_counter()
                check_site(built, site_base_path(project))
                site.append(middle - start)
                check.append(time.perf_counter() - middle)
                shutil.rmtree(built)
            print(f"  site: {engine:26} {best(site)}")
            print(f"  check ({engine} output){'':13} {best(check)}")


def qr_codes(project: Path, repeat: int) -> None:
    """The permanent URLs that carry a QR code, drawn as before and as now."""
    raw, _ = load_data(project / "data")
    portal, _ = build_portal(raw)
    addresses: list[str] = []

    def record(url: str) -> str:
        addresses.append(url)
        return ""

    idx = derive(portal)
    address = site_url(project)
    for _ in render(
        portal, idx, project / "templates", address, _dates(portal, idx, address), record
    ):
        pass  # drawing is recorded, the pages are not needed

    def all_masks() -> None:
        for a in addresses:
            code = segno.make(a, error="m", micro=False)
            code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=False)

    def fixed_mask() -> None:
        for a in addresses:
            permalink.qr_svg(a)

    folder = Path(tempfile.mkdtemp(prefix="qr-"))
    cached = permalink.cached_qr(folder)
    for a in addresses:
        cached(a)  # fills the cache, as the first build does

    def from_cache() -> None:
        again = permalink.cached_qr(folder)  # a new build: nothing in memory
        for a in addresses:
            again(a)

    print(f"QR: {len(addresses)} mã")
    for name, run in (
        ("8 mặt nạ (trước)", all_masks),
        ("mặt nạ cố định", fixed_mask),
        ("đọc từ bộ đệm .cache/qr", from_cache),
    ):
        print(f"  {name:32} {best(timed(repeat, run))}")
    shutil.rmtree(folder)


def yaml_loading(project: Path, repeat: int) -> None:
    files = sorted((project / "data").rglob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    size = sum(len(t) for t in texts)

    def python() -> None:
        for text in texts:
            yaml.compose(text, Loader=load._Loader)

    def libyaml() -> None:
        for text in texts:
            yaml.compose(text, Loader=load._FastLoader)

    print(f"YAML: {len(files)} tệp, {size:,} ký tự (chỉ bước compose)")
    for name, run in (("PyYAML thuần Python (trước)", python), ("libyaml", libyaml)):
        print(f"  {name:32} {best(timed(repeat, run))}")


def profile(project: Path, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    generate(project, BUILT)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"cProfile của generate: {total:.2f} s; thời gian gộp của các hàm trong generator/:")
    stats.sort_stats("cumulative").print_stats(r"/generator/", top)
    print(_table(out.getvalue()))
    out.seek(0)
    out.truncate()
    print("Thời gian riêng lớn nhất (mọi hàm):")
    stats.sort_stats("tottime").print_stats(top)
    print(_table(out.getvalue()))


def _table(report: str) -> str:
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(line for line in lines[start:] if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", action="store_true", help="đo cả MkDocs và Zensical")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        project = copy_project(Path(tmp) / "project", args.data.resolve())
        subprocess.run([sys.executable, "-c", "pass"], check=True)  # warm the interpreter cache
        stages(project, args.repeat, args.engines)
        qr_codes(project, args.repeat)
        yaml_loading(project, args.repeat)
        if args.profile:
            profile(project, args.profile)
    print("Xong: số đo trên máy này, lấy lần nhanh nhất của mỗi phép đo.")


if __name__ == "__main__":
    main()
