"""The CPU time of `python -m generator generate`, this tree against a git revision, in one run.

    .venv/bin/python scripts/bench_generate.py --plans 100 --before main --after HEAD --rounds 2

Makes one synthetic corpus (python -m generator synth), then, round after round and taking
turns (so that both trees meet the same load of a shared machine), copies it afresh for each
tree and runs that tree's `generate` on it: a clean run (no .cache), then again after a clerk's
one-task edit (synth.edit_one_task; the downloads and QR caches are warm). Each run is measured
as the CPU seconds (user + system) and wall seconds of its process; GENERATOR_WORKERS=1 unless
--workers says otherwise, so CPU time is the work done, whatever else the machine runs. The
generated docs/ of the two trees are compared file by file after each run. Prints a Markdown
table (medians over the rounds) and the ratios after ÷ before.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import synth  # noqa: E402

BUILT_ON = "2026-11-30"
_TASKS = re.compile(r"([\d.]+) nhiệm vụ")


def _tree_of(revision: str, folder: Path) -> Path:
    """The files of `revision` (git archive), to run its generator from."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=True
    ).stdout
    tar = folder / "tree.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as opened:
        opened.extractall(folder, filter="data")
    tar.unlink()
    return folder


def _generate(tree: Path, project: Path, workers: str) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, tasks) of one `generate` of `project` by `tree`'s code; the
    CPU of its worker processes included (they are its children, waited for)."""
    env = {**os.environ, "GENERATOR_WORKERS": workers}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--project", str(project)]
        + ["--build-date", BUILT_ON],
        cwd=tree,  # `-m generator` imports the package of the working directory first
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{tree}: generate failed\n{(result.stdout + result.stderr)[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = _TASKS.findall(result.stdout + result.stderr)
    return cpu, wall, int(found[-1].replace(".", ""))


def _same_docs(a: Path, b: Path) -> bool:
    """Whether two docs/ folders hold the same files with the same bytes."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    names = files(a)
    if names != files(b):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, sorted(names), shallow=False)
    return not mismatch and not errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument(
        "--after", default="", help="git revision to measure instead of this working tree"
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", default="1", help="GENERATOR_WORKERS for every run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ckh-bench-generate"))
    args = parser.parse_args()
    corpus = args.work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    made = subprocess.run(
        [sys.executable, "-m", "generator", "synth", "--plans", str(args.plans)]
        + ["--seed", str(args.seed), "--out", str(corpus)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    if made.returncode != 0:
        return 1
    trees = {
        f"before ({args.before})": _tree_of(args.before, args.work / "before"),
        f"after ({args.after or 'this tree'})": (
            _tree_of(args.after, args.work / "after") if args.after else ROOT
        ),
    }
    figures: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    identical = True
    tasks = 0
    for round_ in range(args.rounds):
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for name in order:
            project = args.work / f"project-{list(trees).index(name)}"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(corpus, project, symlinks=True)
            print(f"round {round_ + 1}: {name}: clean…", file=sys.stderr)
            cpu, wall, tasks = _generate(trees[name], project, args.workers)
            figures[name].setdefault("clean CPU", []).append(cpu)
            figures[name].setdefault("clean wall", []).append(wall)
            synth.edit_one_task(project)
            print(f"round {round_ + 1}: {name}: one task edited…", file=sys.stderr)
            cpu, wall, tasks = _generate(trees[name], project, args.workers)
            figures[name].setdefault("edit CPU", []).append(cpu)
            figures[name].setdefault("edit wall", []).append(wall)
        identical &= _same_docs(args.work / "project-0" / "docs", args.work / "project-1" / "docs")
    median = {n: {k: statistics.median(v) for k, v in f.items()} for n, f in figures.items()}
    print(
        f"{args.plans} plans, {tasks:,} tasks; GENERATOR_WORKERS={args.workers}; "
        f"{args.rounds} rounds taking turns, medians; docs/ identical: "
        f"{'yes' if identical else 'NO'}\n"
    )
    print(
        "| tree | clean CPU s | clean wall s | clean tasks/CPU s "
        "| one-edit CPU s | one-edit wall s | one-edit tasks/CPU s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, m in median.items():
        print(
            f"| {name} | {m['clean CPU']:.1f} | {m['clean wall']:.1f} "
            f"| {tasks / m['clean CPU']:,.0f} | {m['edit CPU']:.1f} | {m['edit wall']:.1f} "
            f"| {tasks / m['edit CPU']:,.0f} |"
        )
    before, after = median.values()
    ratio = [after[k] / before[k] for k in ("clean CPU", "clean wall", "edit CPU", "edit wall")]
    print(
        f"| after ÷ before | {ratio[0]:.2f} | {ratio[1]:.2f} | ×{1 / ratio[0]:.1f} "
        f"| {ratio[2]:.2f} | {ratio[3]:.2f} | ×{1 / ratio[2]:.1f} |"
    )
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
