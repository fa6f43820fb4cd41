"""Incremental builds: `python -m generator build` after an edit, and `mkdocs serve --dirty`.

For the build, MkDocs writes into an empty folder only the files that differ from the published
site, and lists every file the whole site has; generator/site.py sets the two variables below
and runs `mkdocs build --dirty`. A plain `mkdocs build` or `mkdocs serve` and Zensical never
see this. What `--dirty` alone gets wrong for this site, and how it is handled:
- it compares each page with its output in the folder it writes to; for the build that folder
  is empty (the published site stays untouched until the build is checked), so a file counts as
  changed when its source is newer than its output in the *published* site;
- hand-written pages can include generated snippets (`--8<--`, the home page does), which
  `--dirty` does not follow: they are few, so they are rebuilt every time;
- it never removes the output of a source that is gone: the build lists every output so the
  caller removes the rest, and `serve --dirty` removes them itself;
- its "dirty build" notice is a warning, which `--strict` counts as a failure: that one notice
  is dropped, every other warning still fails the build.
The navigation is static and names its pages in mkdocs.yml, and no page prints another page's
title, so a page's output depends only on its own source (the equality test in
tests/test_incremental.py holds this to a clean build).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from generator.site import OUTPUTS, PREVIOUS_SITE
from generator.urls import GENERATED_FOLDERS

_DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DropDirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTICE)


_mode: str | None = None  # "build", "serve" (--dirty), or None: a plain MkDocs run


def _modified(file: File) -> bool:
    if file._content is not None:  # made by a plugin, not read from docs/
        return True
    assert file.abs_src_path is not None
    if file.is_documentation_page() and Path(file.src_uri).parts[0] not in GENERATED_FOLDERS:
        return True
    output = file.abs_dest_path
    if _mode == "build":
        output = os.path.join(os.environ[PREVIOUS_SITE], file.dest_uri)
    try:
        return os.stat(output).st_mtime_ns < os.stat(file.abs_src_path).st_mtime_ns
    except FileNotFoundError:
        return True


_files: Files | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _mode
    if not dirty:
        return
    if command == "build" and PREVIOUS_SITE in os.environ and OUTPUTS in os.environ:
        _mode = "build"
    elif command == "serve":
        _mode = "serve"
    else:
        return
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyNotice())
    File.is_modified = _modified  # type: ignore[method-assign]


def on_files(files: Files, config: Any) -> Files:
    global _files
    _files = files
    return files


def on_post_build(config: Any) -> None:
    if _mode is None or _files is None:
        return
    site = Path(config["site_dir"])
    written = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    outputs = {f.dest_uri for f in _files if f.inclusion.is_included()}
    if _mode == "build":
        # The theme's own templates (404.html, sitemap.xml) are written on every build.
        listing = "\n".join(sorted(outputs | written)) + "\n"
        Path(os.environ[OUTPUTS]).write_text(listing, encoding="utf-8")
        return
    # Pages and files whose source is gone, so the preview does not serve them any more.
    themes = {t for name in config["theme"].static_templates for t in (name, name + ".gz")}
    for rel in written - outputs - themes:
        (site / rel).unlink()
