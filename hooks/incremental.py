"""Incremental builds: `python -m generator build` after an edit, and `mkdocs serve --dirty`.

MkDocs reads only the hand-written pages and the generated files noted as written or removed
since the site was last published (generator/site.py `noted_changes`, kept by the generator's
writer), not the whole docs/: at 3,400 plans docs/ holds 392,000 files, and walking them,
making a page object for each of 87,000 pages and comparing every file's time took MkDocs
`--dirty` 161 s for an edit of 9 pages. generator/site.py sets the two variables below and
runs `mkdocs build --dirty`; a plain `mkdocs build` or `mkdocs serve` and Zensical never see
this. What else `--dirty` alone gets wrong for this site, and how it is handled:
- it compares each page with its output in the folder it writes to; for the build that folder
  is empty (the published site stays untouched until the build is checked), so a hand-written
  file counts as changed when it is newer than its output in the *published* site;
- hand-written pages can include generated snippets (`--8<--`, the home page does), which
  `--dirty` does not follow: they are few, so they are rebuilt every time;
- it never removes the output of a source that is gone: the build lists the outputs of the
  noted files that are gone so the caller removes them, and `serve --dirty` removes them itself;
- its "dirty build" notice is a warning, which `--strict` counts as a failure: that one notice
  is dropped, every other warning still fails the build.
The navigation is static and names only hand-written pages in mkdocs.yml, and no page prints
another page's title, so a page's output depends only on its own source (the equality test in
tests/test_incremental.py holds this to a clean build). Hand-written pages link in Markdown
only to the generated folders' index pages, which are always in the files MkDocs is given (not
rebuilt unless noted), so that it can resolve those links.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import mkdocs.commands.build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, get_files, set_exclusions

from generator.site import OUTPUTS, PREVIOUS_SITE, noted_changes
from generator.urls import GENERATED_FOLDERS

_DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DropDirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTICE)


_mode: str | None = None  # "build", "serve" (--dirty), or None: a plain MkDocs run
_whole_docs = get_files
_noted: frozenset[str] | None = None  # generated files noted for this build; None: all of docs/
_gone: list[str] = []  # outputs of noted files that are gone (site-relative)
_served_once = False  # whether `serve` has built its whole site once


def _generated(src_uri: str) -> bool:
    return Path(src_uri).parts[0] in GENERATED_FOLDERS


def _modified(file: File) -> bool:
    if file._content is not None:  # made by a plugin, not read from docs/
        return True
    assert file.abs_src_path is not None
    if _noted is not None and _generated(file.src_uri):
        return file.src_uri in _noted
    if file.is_documentation_page() and not _generated(file.src_uri):
        return True
    output = file.abs_dest_path
    if _mode == "build":
        output = os.path.join(os.environ[PREVIOUS_SITE], file.dest_uri)
    try:
        return os.stat(output).st_mtime_ns < os.stat(file.abs_src_path).st_mtime_ns
    except FileNotFoundError:
        return True


def _files(config: MkDocsConfig) -> Files:
    """The files MkDocs builds from: in an incremental build, the hand-written ones, the
    generated folders' index pages (hand-written pages link to them) and the noted generated
    files; else all of docs/ (the first build of `serve`, or nothing noted)."""
    global _noted, _gone
    noted = noted_changes(Path(config.config_file_path).parent)
    if noted is None or (_mode == "serve" and not _served_once):  # serve's output starts empty
        _noted, _gone = None, []
        return _whole_docs(config)
    docs = config.docs_dir
    paths = {f"{folder}/index.md" for folder in GENERATED_FOLDERS}
    for parent, folders, names in os.walk(docs, followlinks=True):
        if parent == docs:
            folders[:] = [f for f in folders if f not in GENERATED_FOLDERS]
        rel = os.path.relpath(parent, docs)
        paths.update(os.path.normpath(os.path.join(rel, name)) for name in names)
    present = {p for p in paths | noted if os.path.isfile(os.path.join(docs, p))}
    files = [File(p, docs, config.site_dir, config.use_directory_urls) for p in sorted(present)]
    _gone = sorted(
        File(p, docs, config.site_dir, config.use_directory_urls).dest_uri for p in noted - present
    )
    set_exclusions(files, config)
    _noted = noted
    return Files(files)


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
    File.is_modified = _modified  # type: ignore[method-assign, assignment]
    # build() calls the name it imported: replaced there, MkDocs reads only what _files gives.
    mkdocs.commands.build.get_files = _files  # type: ignore[attr-defined]


def on_post_build(config: Any) -> None:
    global _served_once
    if _mode == "build":
        listing = "".join(f"{rel}\n" for rel in _gone)
        Path(os.environ[OUTPUTS]).write_text(listing, encoding="utf-8")
    elif _mode == "serve":
        # Pages and files whose source is gone, so the preview does not serve them any more.
        for rel in _gone:
            Path(config["site_dir"], rel).unlink(missing_ok=True)
        _served_once = True
