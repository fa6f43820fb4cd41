"""Where a built site's bytes go, and what they come to at national scale.

    .venv/bin/python scripts/site_size.py SMALL_SITE:PLANS LARGE_SITE:PLANS [--to 3400]

Reads two sites built from synthetic corpora of different sizes (bench/run.py, or
`python -m generator synth --plans N` then `generate` and `mkdocs build`), sums the bytes of
each part (folder and file kind), and prints a Markdown table: each part at both sizes, its
growth per plan, and the straight line through the two sizes at `--to` plans. Also the theme's
frame: the bytes of every HTML page outside its <article>.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path


def part(relative: str) -> str:
    """The part of the site a file belongs to: its top folder (two levels under du-lieu/,
    where the downloads are) and its kind."""
    folders = relative.split("/")[:-1]
    top = "/".join(folders[:2]) if folders[:1] == ["du-lieu"] else "/".join(folders[:1])
    kind = relative.rsplit(".", 1)[-1] if "." in relative.rsplit("/", 1)[-1] else "-"
    return f"{top or '(gốc)'} · {kind}"


def measure(site: Path) -> tuple[Counter[str], int, int]:
    """Bytes by part; the pages' frame bytes and the number of HTML pages."""
    sizes: Counter[str] = Counter()
    frame = pages = 0
    for folder, _, files in os.walk(site):
        for name in files:
            path = Path(folder, name)
            size = path.stat().st_size
            sizes[part(path.relative_to(site).as_posix())] += size
            if name.endswith(".html"):
                html = path.read_bytes()
                start, end = html.find(b"<article"), html.find(b"</article>")
                if start >= 0 and end >= 0:
                    frame += start + len(html) - end
                    pages += 1
    return sizes, frame, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", help="SITE:PLANS")
    parser.add_argument("large", help="SITE:PLANS")
    parser.add_argument("--to", type=int, default=3400, help="plans to extrapolate to")
    parser.add_argument("--rows", type=int, default=20, help="largest parts listed")
    args = parser.parse_args()
    (small, n), (large, m) = (
        (Path(s), int(p)) for s, p in (x.rsplit(":", 1) for x in (args.small, args.large))
    )
    a, frame_a, pages_a = measure(small)
    b, frame_b, pages_b = measure(large)

    def at(x: float, y: float) -> float:
        return y + (y - x) / (m - n) * (args.to - m)

    mb = 1e6
    print(f"| part | {n} plans MB | {m} plans MB | per plan KB | {args.to:,} plans MB (line) |")
    print("|---|---:|---:|---:|---:|")
    for name in sorted(set(a) | set(b), key=lambda k: -b[k])[: args.rows]:
        slope = (b[name] - a[name]) / (m - n) / 1e3
        print(
            f"| {name} | {a[name] / mb:.1f} | {b[name] / mb:.1f} | {slope:.1f} | {at(a[name], b[name]) / mb:,.0f} |"
        )
    rest_a = sum(a.values()) - sum(a[k] for k in sorted(b, key=lambda k: -b[k])[: args.rows])
    rest_b = sum(b.values()) - sum(b[k] for k in sorted(b, key=lambda k: -b[k])[: args.rows])
    print(
        f"| the rest | {rest_a / mb:.1f} | {rest_b / mb:.1f} | {(rest_b - rest_a) / (m - n) / 1e3:.1f} | {at(rest_a, rest_b) / mb:,.0f} |"
    )
    total_a, total_b = sum(a.values()), sum(b.values())
    print(
        f"| **whole site** | {total_a / mb:.1f} | {total_b / mb:.1f} | {(total_b - total_a) / (m - n) / 1e3:.1f} | **{at(total_a, total_b) / mb:,.0f}** |"
    )
    print(
        f"| of which the theme's frame (HTML outside <article>) | {frame_a / mb:.1f} | {frame_b / mb:.1f} "
        f"| {(frame_b - frame_a) / (m - n) / 1e3:.1f} | {at(frame_a, frame_b) / mb:,.0f} |"
    )
    print(
        f"\nHTML pages: {pages_a:,} and {pages_b:,}; frame per page {frame_b / max(pages_b, 1) / 1e3:.1f} KB."
    )


if __name__ == "__main__":
    main()
