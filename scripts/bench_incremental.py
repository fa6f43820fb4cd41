"""Clean build against one-edit incremental build, stage by stage, in one run.

    .venv/bin/python scripts/bench_incremental.py --plans 100 --work /tmp/ckh-incremental

Makes a synthetic corpus (python -m generator synth), builds it clean, builds it again with
nothing changed, edits one task as a clerk would (bench/run.py's edit) and builds again; each
build's stages (generate, engine, check, publish) as `python -m generator build` reports them,
its wall time and peak memory, the number of pages re-rendered, and the sizes that an
incremental build's fixed costs grow with (files in docs/ and site/, bytes of site/, the
record kept in .cache/site-state.json). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import synth  # noqa: E402

BUILT_ON = "2026-11-30"
_SUMMARY = re.compile(r"\((dựng lại toàn bộ|(\d+) trang thay đổi); (.*)\)\.$", re.M)


def _build(project: Path, *args: str) -> dict[str, str]:
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.monotonic()
    result = subprocess.run(
        [*timer, sys.executable, "-m", "generator", "build", "--project", str(project)]
        + ["--build-date", BUILT_ON, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)
    found = _SUMMARY.search(result.stdout)
    assert found, result.stdout
    row = {"pages re-rendered": found.group(2) or "all", "wall": f"{wall:.1f} s"}
    for part in found.group(3).split(" · "):
        stage, seconds = part.rsplit(" ", 2)[0], part.rsplit(" ", 2)[1]
        row[stage] = seconds.replace(",", ".") + " s"
    if timer:  # the largest process: the generator, or the engine it runs
        row["peak RSS"] = f"{int(result.stderr.split()[-1]) / 1024:.0f} MB"
    return row


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ckh-incremental"))
    args = parser.parse_args()
    project = args.work / str(args.plans)
    shutil.rmtree(project, ignore_errors=True)
    made = subprocess.run(
        [sys.executable, "-m", "generator", "synth", "--plans", str(args.plans)]
        + ["--seed", str(args.seed), "--out", str(project)],
        cwd=ROOT,
    )
    if made.returncode != 0:
        return 1
    rows = {}
    print("clean build…", file=sys.stderr)
    rows["clean"] = _build(project, "--clean")
    print("nothing changed…", file=sys.stderr)
    rows["nothing changed"] = _build(project)
    synth.edit_one_task(project)
    print("one task edited…", file=sys.stderr)
    rows["one task edited"] = _build(project)
    columns = list(dict.fromkeys(c for row in rows.values() for c in row))
    print(f"| {args.plans} plans | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(row.get(c, "") for c in columns) + " |")
    site_bytes = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
    state = project / ".cache" / "site-state.json"
    print(
        f"\ndocs/ {_files(project / 'docs')} files; site/ {_files(project / 'site')} files, "
        f"{site_bytes / 1e6:.0f} MB; state {state.stat().st_size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
