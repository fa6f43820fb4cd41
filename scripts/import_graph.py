"""Print the generator's module import graph: one line per module, `module -> imports`
(generator modules only, read with ast, nothing imported). Usage:
    python scripts/import_graph.py [generator folder]"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The generator modules `path` imports (`from generator import x` counts as x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module:
            subs = {f"{node.module}.{a.name}" for a in node.names}
            found |= (subs & modules) or ({node.module} & modules)
    return found


def graph(package: Path) -> dict[str, set[str]]:
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    return {name: imports(path, set(paths)) - {name} for name, path in sorted(paths.items())}


if __name__ == "__main__":
    package = Path(sys.argv[1] if len(sys.argv) > 1 else "generator").resolve()
    for name, targets in graph(package).items():
        short = sorted(t.removeprefix("generator.") for t in targets)
        print(f"{name.removeprefix('generator.')} -> {', '.join(short) or '(none)'}")
