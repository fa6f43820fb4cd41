"""Peak memory of `python -m generator generate` at several corpus sizes, for one or more
checkouts of the code, with the per-plan slope and its extrapolation to the country.

    .venv/bin/python scripts/bench_memory.py --sizes 100 300 \
        --code before=/tmp/main-checkout --code after=. --work /tmp/ckh-memory

Makes each synthetic corpus once (python -m generator synth, with this checkout), then for each
checkout copies it afresh (no docs/ output, no .cache/) and runs `generate` from that checkout's
folder under /usr/bin/time -v: the peak resident memory of the largest process (the generator
or one of its forked workers). Results are kept in WORK/memory.json, so checkouts measured in
separate invocations share one table; the docs/ each checkout writes is compared byte for byte
with the first checkout's at the same size.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILT_ON = "2026-11-30"
COUNTRY = 3400  # plans: every province and commune
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def corpus(work: Path, plans: int, seed: int) -> Path:
    made = work / f"corpus-{plans}"
    if not made.exists():
        command = [sys.executable, "-m", "generator", "synth", "--plans", str(plans)]
        command += ["--seed", str(seed), "--out", str(made)]
        subprocess.run(command, cwd=ROOT, check=True)
    return made


def generate(code: Path, project: Path) -> dict[str, float]:
    """Peak RSS (MB) and wall seconds of one generate run from `code`."""
    started = time.monotonic()
    result = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "generator", "generate"]
        + ["--project", str(project), "--build-date", BUILT_ON],
        cwd=code,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"generate failed in {project}:\n{result.stdout}{result.stderr}")
    peak = _PEAK.search(result.stderr)
    assert peak, result.stderr
    return {"peak_mb": int(peak.group(1)) / 1024, "seconds": wall}


def identical(left: Path, right: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(identical(left / d, right / d) for d in compared.common_dirs)


def docs_mb(docs: Path) -> float:
    return sum(p.stat().st_size for p in docs.rglob("*") if p.is_file()) / 1e6


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """One row per checkout and size, then each checkout's slope and its value at 3,400."""
    lines = ["| code | plans | peak RSS MB | generate s | docs/ MB | docs/ as the first |"]
    lines.append("|---|---|---|---|---|---|")
    for label, sizes in results.items():
        for plans, row in sorted(sizes.items(), key=lambda item: int(item[0])):
            same = {1.0: "identical", 0.0: "DIFFERENT"}.get(row.get("identical", -1), "–")
            lines.append(
                f"| {label} | {int(plans):,} | {row['peak_mb']:,.0f} | {row['seconds']:,.0f} "
                f"| {row['docs_mb']:,.0f} | {same} |"
            )
    lines.append("")
    for label, sizes in results.items():
        points = sorted((int(p), row["peak_mb"]) for p, row in sizes.items())
        if len(points) < 2:
            continue
        (n0, m0), (n1, m1) = points[0], points[-1]
        slope = (m1 - m0) / (n1 - n0)
        at_country = m1 + slope * (COUNTRY - n1)
        lines.append(
            f"{label}: {slope:.2f} MB a plan ({n0:,}–{n1:,} plans), "
            f"≈ {at_country:,.0f} MB at {COUNTRY:,} plans by that line."
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", action="append", default=[], help="LABEL=FOLDER")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ckh-memory"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "memory.json"
    results = json.loads(store.read_text()) if store.exists() else {}
    checkouts = [given.split("=", 1) for given in args.code or [f"this={ROOT}"]]
    for plans in args.sizes:
        source = corpus(args.work, plans, args.seed)
        for label, folder in checkouts:
            project = args.work / f"{label}-{plans}"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(source, project)
            print(f"{label}, {plans} plans: generate…", file=sys.stderr, flush=True)
            row = generate(Path(folder).resolve(), project)
            row["docs_mb"] = docs_mb(project / "docs")
            first = next(iter(results), label)
            if first != label:
                row["identical"] = float(
                    identical(args.work / f"{first}-{plans}" / "docs", project / "docs")
                )
            # Read again: another invocation (another checkout) may have added its rows.
            results = json.loads(store.read_text()) if store.exists() else {}
            results.setdefault(label, {})[str(plans)] = row
            store.write_text(json.dumps(results, indent=1))
            print(f"  peak {row['peak_mb']:,.0f} MB, {row['seconds']:,.0f} s", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
