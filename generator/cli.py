"""`python -m generator check | generate | build | manifest | schema | synth`: wires the stages
together."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import chain
from pathlib import Path

from generator import (
    authoring,
    manifest,
    parallel,
    permalink,
    progress,
    schema,
    search,
    sitemap,
    synth,
    urls,
)
from generator.check import check_all, check_changes
from generator.deadlines import all_deadlines
from generator.derive import derive
from generator.domain import Portal
from generator.errors import DataErrors, annotation
from generator.load import DataCache, load_data
from generator.model import ModelCache, build_portal
from generator.opendata import (
    downloads_started,
    schema_files,
    schema_json,
    schema_links,
    twin_files,
)
from generator.pages import Output, Page
from generator.render import Dates, redirects, render, units
from generator.site import (
    DEFAULT_ENGINE,
    ENGINES,
    Engine,
    Published,
    SiteError,
    build_changes,
    build_site,
    forget_changes,
    load_state,
    note_changes,
    noted_changes,
    publish,
    publish_changes,
    save_state,
    site_base_path,
    site_url,
)
from generator.write import WriteError, write_pages


@contextmanager
def _lasting() -> Iterator[None]:
    """While values are made that live as long as the process uses them (the portal: millions
    of small objects). The cyclic collector would walk them again each time enough new
    objects pile up: while they are made (half of loading them from the cache), then in every
    later stage. It is paused meanwhile, then everything there is is left out of later
    collections (gc.freeze); the values contain no cycles, and whatever of them is dropped is
    freed as ever. What an earlier load froze (a long-lived `mkdocs serve`) is first given
    back to the collector, and its garbage collected."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _loaded(project: Path) -> tuple[Portal, dict[str, bytes]]:
    """The checked portal, and the SHA-256 of each plan file's bytes it was made from, by the
    file's name."""
    with _lasting():
        raw, errors = load_data(project / "data", DataCache(project / LOADED_DATA))
        try:
            portal, warnings = build_portal(raw, ModelCache(project / MADE_DATA))
        except DataErrors as exc:
            raise DataErrors(errors + exc.errors) from None
    if errors:
        raise DataErrors(errors)
    for warning in warnings:
        print(f"cảnh báo: {warning}", file=sys.stderr)
        if in_github_actions():
            print(annotation(warning, "warning"))
    return portal, raw.digests


def _portal(project: Path) -> Portal:
    return _loaded(project)[0]


def in_github_actions() -> bool:
    """Whether this runs as a GitHub Actions step, which reads `::error …` lines on stdout."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def report_errors(exc: DataErrors) -> None:
    """Every data error for people (stderr) and, in GitHub Actions, as annotations on the
    files and lines of the pull request."""
    print(exc.report(), file=sys.stderr)
    if in_github_actions():
        for error in exc.errors:
            print(annotation(error))


# What a build keeps for the next (git-ignored).
CACHE = Path(".cache")
# QR codes already drawn, by URL: a rebuild reads them back.
QR_CACHE = CACHE / "qr"
# Workbooks and calendars already made, by their rows and events: a rebuild after an edit makes
# only those the edit changes.
DOWNLOADS_CACHE = CACHE / "downloads"
# What each plan's and agency's pages read and made, for the next build to take those whose
# inputs did not change as they are (generator/render/units.py).
UNITS_RECORD = CACHE / "units.pickle"
# Each data file as its last load without problems left it, by its content (generator/load.py):
# a rebuild reads again only the YAML of the files edited since.
LOADED_DATA = CACHE / "data"
# What the model made of each plan file, and of the other data files, with what it asked of
# them (generator/model.py): a rebuild checks and makes again only the plans an edit reaches.
MADE_DATA = CACHE / "model"
# Each plan's search documents, and what the last index was: a rebuild after an edit patches
# the index (generator/search/incremental.py).
SEARCH_CACHE = CACHE / "search"
# The folders the writer left under docs/' generated ones, each with its time and how many
# files it held: a rebuild lists only the folders changed since (generator/write.py).
DOCS_INVENTORY = CACHE / "docs.pickle"


class ManifestError(Exception):
    """Published URLs the build would drop."""


class BuildDateError(Exception):
    """The build date given is not a date."""


# Deadlines count from the build date. Two builds on the same day are byte-identical; tests and
# rebuilds of an old state fix the day with --build-date or this variable.
BUILD_DATE_VARIABLE = "BUILD_DATE"
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def build_date(given: str | None) -> dt.date:
    """--build-date, else $BUILD_DATE, else today in Việt Nam (YYYY-MM-DD)."""
    value = given or os.environ.get(BUILD_DATE_VARIABLE)
    if not value:
        return dt.datetime.now(VIETNAM).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BuildDateError(
            f"ngày dựng “{value}” không hợp lệ (--build-date hoặc {BUILD_DATE_VARIABLE}): "
            "viết dạng YYYY-MM-DD"
        ) from None


def _handwritten_pages(docs: Path) -> list[str]:
    """Markdown pages under docs/ outside the generated folders, relative to docs/ (those are
    never walked: at national scale they hold hundreds of thousands of files)."""
    pages = []
    for top in docs.iterdir():
        if top.name in urls.GENERATED_FOLDERS or top.name.startswith("."):
            continue
        found = top.rglob("*.md") if top.is_dir() else [top] if top.suffix == ".md" else []
        for path in found:
            rel = path.relative_to(docs)
            if not any(p.startswith(".") for p in rel.parts):
                pages.append(rel.as_posix())
    return sorted(pages)


@contextmanager
def _spool(project: Path) -> Iterator[Path]:
    """A temporary folder in the project's cache for files too large to hold in memory (on the
    same file system as docs/, so that the writer links them into place), removed after."""
    cache = project / CACHE
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spool-", dir=cache) as spool:
        yield Path(spool)


def _outputs(
    project: Path, portal: Portal, built: dt.date, reuse: units.Reuse | None = None
) -> Iterator[Output]:
    """The portal's pages and downloads, each made as it is taken: at national scale they are
    gigabytes, so they go to the writer one by one and are never held together. The downloads
    are made meanwhile in a process of their own, and taken just before the open data page,
    which lists their sizes."""
    address = site_url(project)
    idx = derive(portal)
    deadlines = all_deadlines(portal, built)
    sizes: dict[str, int] = {}
    # The downloads are written here as they are made; the writer has linked each one into its
    # own folder before it takes the next output.
    with (
        _spool(project) as spool,
        downloads_started(
            portal, deadlines, address, built, project / DOWNLOADS_CACHE, spool, reuse
        ) as downloads,
    ):
        files = chain(
            schema_files(schema.FILE_MODELS),
            twin_files(portal, idx, deadlines, address, built, reuse),
        )
        yield from _sized(files, sizes)
        dates = Dates(built, deadlines, sizes, schema_links(schema.FILE_MODELS))
        qr = permalink.cached_qr(project / QR_CACHE)
        with progress.stage(
            "Dựng trang (kế hoạch, cơ quan)", len(portal.plans) + len(portal.agencies)
        ) as advance:
            sized = _sized(_later(downloads), sizes)
            templates = project / "templates"
            yield from render(portal, idx, templates, address, dates, qr, advance, reuse, sized)


def _sized(files: Iterable[Output], sizes: dict[str, int]) -> Iterator[Output]:
    """`files`, each one's size noted in `sizes` as it passes (a kept one's as the last build
    recorded it)."""
    for file in files:
        assert not isinstance(file, Page)
        sizes[file.path] = file.size
        yield file


def _rendered(
    project: Path,
    portal: Portal,
    built: dt.date,
    served: set[str],
    announce_new: bool = True,
    reuse: units.Reuse | None = None,
) -> Iterator[Output]:
    """The portal's pages and files as `_outputs` makes them, adding the URLs they serve to
    `served`; once the last has passed, fails if a URL in the manifest would disappear (a
    writer taking them then leaves docs/ as it was)."""
    for output in _outputs(project, portal, built, reuse):
        url = manifest.page_url(output)
        if url is not None:
            served.add(url)
        yield output
    served.update(manifest.anchor_urls(portal))
    served |= manifest.handwritten_urls(_handwritten_pages(project / "docs"))
    path = project / manifest.MANIFEST_FILE
    published = (
        manifest.parse_manifest(path.read_text(encoding="utf-8")) if path.exists() else set()
    )
    unserved = manifest.unserved(published, served)
    lost = manifest.vanished(unserved, served, redirects(portal))
    if lost:
        raise ManifestError(
            "\n".join(f"{manifest.MANIFEST_FILE}: địa chỉ đã công bố sẽ mất: /{u}" for u in lost)
            + f"\n{len(lost)} địa chỉ đã công bố không còn. Nếu đổi id, ghi id cũ vào former_ids "
            "để trang cũ chuyển hướng; nếu bỏ nội dung, hãy giữ lại trang. Không có gì được ghi ra."
        )
    # Counted from the published URLs served (the URLs served but the published ones), not
    # collected nor looked up: at national scale hundreds of thousands, at the build's peak.
    new = len(served) - (len(published) - len(unserved)) if announce_new else 0
    if new:
        print(
            f"{new} địa chỉ mới chưa có trong {manifest.MANIFEST_FILE}; "
            "ghi nhận bằng: python -m generator manifest",
            file=sys.stderr,
        )


def generate(project: Path, built: dt.date) -> tuple[Portal, set[str], dict[str, int]]:
    """Check the data and the URL manifest, then write the generated pages under docs/, each
    as it is rendered (docs/ changes only once all are, and the manifest holds); a plan's or
    an agency's pages whose inputs did not change since the last build are left as they are.
    Returns the portal, the URLs the site serves, and how many plans' and agencies' pages
    and JSON twins, and download sets, were left (by "plan", "agency", "plan-twin",
    "agency-twin", "download")."""
    # Taken before the data is read: a registry file or template edited while this build runs
    # differs from the record in the next. A plan is recorded by the digest of the very bytes
    # it was made from.
    key = units.global_key(project, site_url(project))
    portal, plan_digests = _loaded(project)
    reuse = units.Reuse.start(project / UNITS_RECORD, project / "docs", key, plan_digests)
    served: set[str] = set()
    # The search index is data for search-engine.js, not pages with permanent URLs: not in
    # the manifest. Made in a process of its own, forked while this one holds little more than
    # the portal (its memory goes with that process, never beside the pages' bookkeeping nor in
    # the workers forked after), while this one renders: its files are taken last.
    with (
        _spool(project) as spool,
        parallel.in_background(
            partial(search.spooled_index, portal, spool, _index_store(project, reuse))
        ) as index,
    ):
        pages = chain(_rendered(project, portal, built, served, reuse=reuse), _later(index))
        write_pages(
            pages,
            project / "docs",
            urls.GENERATED_FOLDERS,
            partial(note_changes, project),
            project / DOCS_INVENTORY,
        )
    units.save_record(project / UNITS_RECORD, reuse.record())
    return portal, served, reuse.reused


def _index_store(project: Path, reuse: units.Reuse) -> search.IndexCache:
    """Where the search index keeps what the next build patches it from."""
    docs = project / "docs" / urls.SEARCH_FOLDER
    return search.IndexCache(project / SEARCH_CACHE, docs, reuse.key, reuse.plans)


def _later(made: Callable[[], Iterable[Output]]) -> Iterator[Output]:
    """What `made()` returns, asked for only when the first of it is taken."""
    yield from made()


def write_sitemaps(built: Path, portal: Portal, served: set[str], base_url: str) -> None:
    """The sitemap index and its parts, in place of the engine's single sitemap.xml."""
    (built / (sitemap.INDEX + ".gz")).unlink(missing_ok=True)
    pages = sitemap.page_urls(served, redirects(portal))
    for name, text in sitemap.sitemap_files(pages, base_url).items():
        (built / name).write_text(text, encoding="utf-8")


def cmd_manifest(project: Path, built: dt.date) -> int:
    """Add the URLs this build serves to the manifest (never removes one)."""
    served: set[str] = set()
    for _ in _rendered(project, _portal(project), built, served, announce_new=False):
        pass  # each page is dropped as soon as its URL is noted
    path = project / manifest.MANIFEST_FILE
    published = (
        manifest.parse_manifest(path.read_text(encoding="utf-8")) if path.exists() else set()
    )
    path.write_text(manifest.format_manifest(published | served), encoding="utf-8")
    print(f"{path}: {len(published | served)} địa chỉ ({len(served - published)} mới).")
    return 0


def cmd_generate(project: Path, built: dt.date) -> int:
    started = time.monotonic()
    portal, served, reused = generate(project, built)
    tasks = sum(len(p.tasks) for p in portal.plans.values())
    print(
        f"Đã sinh {progress.count(len(served))} địa chỉ (trang và tệp) cho "
        f"{progress.count(len(portal.plans))} kế hoạch, {progress.count(tasks)} nhiệm vụ, vào "
        f"{project / 'docs'} trong {progress.duration(time.monotonic() - started)} "
        f"(dùng lại trang của {progress.count(reused.get('plan', 0))} kế hoạch, "
        f"{progress.count(reused.get('agency', 0))} cơ quan và tệp JSON của "
        f"{progress.count(reused.get('plan-twin', 0))} kế hoạch, "
        f"{progress.count(reused.get('agency-twin', 0))} cơ quan, "
        f"{progress.count(reused.get('download', 0))} bộ tệp tải về, trang thời hạn của "
        f"{progress.count(reused.get('deadlines', 0))} nơi)."
    )
    return 0


def cmd_check(project: Path, built: dt.date) -> int:
    portal = _portal(project)
    tasks = sum(len(p.tasks) for p in portal.plans.values())
    print(
        f"Dữ liệu hợp lệ: {len(portal.plans)} kế hoạch, {tasks} nhiệm vụ, "
        f"{len(portal.agencies)} cơ quan, {len(portal.documents)} văn bản."
    )
    return 0


class _Stages:
    """How long each stage of a build took, for its one-line summary."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def done(self, stage: str) -> None:
        now = time.monotonic()
        self.seconds[stage] = now - self._last
        self._last = now

    def summary(self) -> str:
        return " · ".join(
            f"{stage} {s:.1f} s".replace(".", ",") for stage, s in self.seconds.items()
        )


def cmd_build(
    project: Path, built: dt.date, engine: Engine = DEFAULT_ENGINE, clean: bool = False
) -> int:
    """Generate, build and check the site, then publish it. When site/ is what the last build
    published (and mkdocs.yml, overrides/, hooks/ and the engine are as they were), only the
    pages whose source changed are built and checked again (see generator/site.py)."""
    stages = _Stages()
    portal, served, _ = generate(project, built)
    stages.done("sinh trang")
    site = project / "site"
    incremental = not clean and engine == "mkdocs" and noted_changes(project) is not None
    published = load_state(project, site) if incremental else None
    changes = None if published is None else build_changes(project, site, published.files)
    out = build_site(project, engine) if changes is None else changes.out
    write_sitemaps(out, portal, served, site_url(project))
    stages.done("dựng")
    if changes is None or published is None:
        checked = check_all(out, site_base_path(project))
    else:
        checked = check_changes(
            site, published.files, published.links, out, changes.removed, site_base_path(project)
        )
    stages.done("kiểm tra")
    if checked.problems:
        shutil.rmtree(out, ignore_errors=True)
        print("\n".join(checked.problems), file=sys.stderr)
        print(
            f"{len(checked.problems)} lỗi trong trang đã dựng; giữ nguyên site/ cũ.",
            file=sys.stderr,
        )
        return 1
    if changes is None:
        publish(out, site)
        how = "dựng lại toàn bộ"
    else:
        publish_changes(changes, site)
        how = f"{sum(1 for p in checked.links if p in changes.written)} trang thay đổi"
    save_state(project, site, Published(checked.files, checked.links))
    forget_changes(project)
    stages.done("công bố")
    print(
        f"Đã dựng {len(checked.links)} trang từ {len(portal.plans)} kế hoạch vào {site} "
        f"({how}; {stages.summary()})."
    )
    print(
        "Xem thử, tự dựng lại khi sửa data/ hay templates/: .venv/bin/mkdocs serve --dirty  "
        f"rồi mở http://127.0.0.1:8000{site_base_path(project)}"
    )
    return 0


def cmd_schema(project: Path, built: dt.date) -> int:
    out = project / "data" / "schemas"
    out.mkdir(exist_ok=True)
    for name, model in schema.FILE_MODELS.items():
        (out / f"{name}.schema.json").write_bytes(schema_json(model.model_json_schema()))
    print(f"Đã ghi lược đồ JSON vào {out}")
    return 0


def cmd_synth(project: Path, plans: int, seed: int, out: Path | None, seeds: Path | None) -> int:
    if out is None:
        raise synth.SynthError("synth cần --out THƯ_MỤC (không bao giờ ghi vào data/)")
    corpus = synth.corpus(_portal(project), plans, seed, seeds)
    synth.write_corpus(corpus, project, out)
    print(
        f"Đã tạo dữ liệu tổng hợp: {len(corpus.plans)} kế hoạch, {corpus.tasks} nhiệm vụ vào {out}."
    )
    return 0


def stopped(signum: int, frame: object) -> None:
    """A build told to stop (SIGTERM: a cancelled CI job, `kill`) stops as it does on Ctrl-C:
    by an exception, so that every `finally` runs. Without it Python ends at once, and the
    writer's staging folder (a whole site's files at national scale) stays in docs/. Set by
    `python -m generator` only: a process that calls `main` (a test) keeps its own."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] and given[0] in authoring.COMMANDS:
        return authoring.main(given)
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Cổng Kế hoạch",
        epilog="Thêm kế hoạch: new-plan, import (xem python -m generator import -h).",
    )
    parser.add_argument(
        "command",
        choices=["check", "generate", "build", "manifest", "schema", "synth"],
        help="check: kiểm tra dữ liệu; generate: sinh trang vào docs/; "
        "build: sinh trang và dựng site/; manifest: ghi nhận địa chỉ mới vào "
        "published-urls.txt; schema: ghi lược đồ JSON; synth: tạo dữ liệu tổng hợp cỡ cả nước "
        "(--plans, --seed, --out) để đo và thử",
    )
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="thư mục dự án")
    parser.add_argument(
        "--build-date",
        help=f"ngày tính thời hạn, YYYY-MM-DD (mặc định: ${BUILD_DATE_VARIABLE}, rồi hôm nay)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help=f"build: công cụ dựng site/ (mặc định {DEFAULT_ENGINE})",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="build: dựng lại toàn bộ site/ (mặc định chỉ dựng lại trang đã đổi khi site/ "
        "do lần dựng trước tạo ra)",
    )
    parser.add_argument("--plans", type=int, default=100, help="synth: số kế hoạch")
    parser.add_argument("--seed", type=int, default=1, help="synth: hạt giống ngẫu nhiên")
    parser.add_argument("--out", type=Path, help="synth: thư mục dự án tổng hợp")
    parser.add_argument("--seeds", type=Path, help="synth: thư mục văn bản nguồn (*.txt)")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    if args.command == "synth":
        try:
            return cmd_synth(project, args.plans, args.seed, args.out, args.seeds)
        except (DataErrors, synth.SynthError) as exc:
            print(exc.report() if isinstance(exc, DataErrors) else f"Lỗi: {exc}", file=sys.stderr)
            return 1
    commands: dict[str, Callable[[Path, dt.date], int]] = {
        "check": cmd_check,
        "build": partial(cmd_build, engine=args.engine, clean=args.clean),
        "schema": cmd_schema,
        "generate": cmd_generate,
        "manifest": cmd_manifest,
    }
    try:
        return int(commands[args.command](project, build_date(args.build_date)))
    except DataErrors as exc:
        report_errors(exc)
        return 1
    except (WriteError, SiteError, ManifestError, BuildDateError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
