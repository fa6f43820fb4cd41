"""Precision of the first five results over the relevance set (tests/search_relevance.py), for
the query semantics of this tree and of another git revision (default `main`), side by side.

    .venv/bin/python scripts/search_precision.py [--before REV]

For a query some text holds as written: of its first k results (k = 5, or fewer when the set
expects fewer), how many are among those the set expects first. For a phrase no text holds:
1 when the page presents none of its results as holding the phrase, else 0 (before, every
result was presented as a match; now only the exact tiers are). Queries the set marks as a
known gap (typos) count like the others. A measurement over the shipped data; prints a table.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from search_relevance import CASES, Case  # noqa: E402

from generator.cli import _portal  # noqa: E402
from generator.search.documents import first_task, search_docs  # noqa: E402
from generator.search.encode import postings  # noqa: E402
from generator.search.folding import abbreviation_table  # noqa: E402

TOP = 5


def reference_at(rev: str, folder: Path) -> ModuleType:
    """tests/search_reference.py as it is at git revision `rev`, imported under another name."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:tests/search_reference.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / f"search_reference_{rev.replace('/', '_')}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def score(case: Case, ranked: list[str], claimed: int) -> float:
    """Precision of the first results; for an absent phrase, whether nothing claims to hold it."""
    if not case.phrase:
        return 1.0 if claimed == 0 else 0.0
    k = min(TOP, len(case.first))
    return sum(url in case.first for url in ranked[:k]) / k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="main", help="git revision to compare (default main)")
    args = parser.parse_args()
    portal = _portal(ROOT)
    docs = search_docs(portal)
    table = abbreviation_table(portal.abbreviations)
    found = postings(docs, table)
    first = first_task(docs)
    import search_reference as after

    with tempfile.TemporaryDirectory() as folder:
        before = reference_at(args.before, Path(folder))
        versions: list[tuple[str, ModuleType, Callable[[object], int]]] = [
            # Before, every result was presented as a match; now only the exact tiers are.
            (args.before, before, lambda r: len(r.ids)),  # type: ignore[attr-defined]
            ("this tree", after, lambda r: r.exact),  # type: ignore[attr-defined]
        ]
        rows = []
        for case in CASES:
            scores = []
            for _, module, claimed in versions:
                result = module.evaluate(
                    found,
                    len(docs),
                    table,
                    case.query,
                    module.Filters(),
                    first if case.tasks_only else 0,
                )
                ranked = [docs[i].record["u"] for i in result.ids]
                scores.append(score(case, ranked, claimed(result)))
            rows.append((case, scores))
    names = [name for name, _, _ in versions]
    print(f"| query | kind | {' | '.join(names)} |")
    print(f"|---|---|{'---:|' * len(names)}")
    for case, scores in rows:
        kind = "absent phrase" if not case.phrase else "typo (gap)" if case.gap else "P@5"
        where = " (finder)" if case.tasks_only else ""
        print(f"| `{case.query}`{where} | {kind} | {' | '.join(f'{s:.2f}' for s in scores)} |")
    for label, keep in (
        ("mean P@5, phrases present", lambda c: c.phrase),
        ("absent phrases not claimed", lambda c: not c.phrase),
        ("all queries", lambda c: True),
    ):
        chosen = [scores for case, scores in rows if keep(case)]
        means = [sum(s[i] for s in chosen) / len(chosen) for i in range(len(names))]
        print(f"| **{label}** ({len(chosen)}) | | {' | '.join(f'{m:.2f}' for m in means)} |")
    print(f"{len(rows)} queries; precision of the first {TOP} results, {names[0]} vs {names[1]}.")


if __name__ == "__main__":
    main()
