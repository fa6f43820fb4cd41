"""The lunr index a site built with lunr would ship for a project's data: one document a task,
a plan and an agency, built with lunr.py (the index format lunr.js loads).

    .venv/bin/python bench/lunr_index.py PROJECT OUT.json

Run by bench/run.py as a child process, so that its time and peak memory are its own. Reads the
data files directly (YAML, no checks: bench/run.py has checked them through the generator).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from lunr import lunr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.domain import task_anchor  # noqa: E402

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def agency_files(data: Path) -> list[Path]:
    """The registry: one file a jurisdiction under data/agencies/."""
    return sorted((data / "agencies").glob("*.yaml"))


def documents(data: Path) -> Iterator[dict[str, str]]:
    for path in sorted((data / "plans").glob("*.yaml")):
        plan = _read(path)
        title = " ".join(filter(None, [plan.get("kind"), plan.get("number"), plan.get("title")]))
        yield {"id": f"ke-hoach/{plan['id']}/", "title": title, "text": "", "agencies": ""}
        for group in plan["groups"]:
            for task in group["tasks"]:
                yield {
                    "id": f"ke-hoach/{plan['id']}/#{task_anchor(task['id'])}",
                    "title": title,
                    "text": task["text"],
                    "agencies": "; ".join(task.get("lead", []) + task.get("support", [])),
                }
    for path in agency_files(data):
        for agency in _read(path).get("agencies", []):
            yield {
                "id": f"co-quan/{agency['id']}/",
                "title": agency["name"],
                "text": "",
                "agencies": "; ".join(agency.get("names", [])),
            }


def main() -> None:
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    docs = list(documents(project / "data"))
    index = lunr(ref="id", fields=("title", "text", "agencies"), documents=docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(index.serialize(), ensure_ascii=False), encoding="utf-8")
    print(f"{len(docs)} documents")


if __name__ == "__main__":
    main()
