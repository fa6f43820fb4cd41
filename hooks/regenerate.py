"""Live reload for `mkdocs serve`: regenerate pages when data/ or templates/ change.

A thin convenience only: `python -m generator build` never needs it, and Zensical (which runs
no MkDocs hooks) builds the pages the generator already wrote. The generator rewrites only the
files whose bytes change, so with `mkdocs serve --dirty` (hooks/incremental.py) MkDocs renders
again only the pages an edit changed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config: Any) -> None:
    if not _serving:
        return
    from generator.cli import build_date, generate
    from generator.errors import DataErrors

    try:
        generate(Path(config["config_file_path"]).parent, build_date(None))
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)  # keep serving the last good pages
