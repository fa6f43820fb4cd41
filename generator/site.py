"""Stage 6, site: the replaceable last step. Runs the site engine (MkDocs or Zensical, both
reading mkdocs.yml, both strict) into a temporary folder; the caller checks it and only then
swaps it in for the published `site/`.

An incremental build (MkDocs only) writes into that folder just the files that differ from the
published site (hooks/incremental.py) and lists the files the whole site has; `publish_changes`
then moves them in and removes the outputs no source makes any more. It is used only when the
published site was made by the last build with the same engine inputs (mkdocs.yml, overrides/,
hooks/, the engine's version): anything else takes a clean build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = ("mkdocs", "zensical")
# MkDocs stays the default until Zensical passes every test at every size (issue 14).
DEFAULT_ENGINE: Engine = "mkdocs"


# Zensical colours its messages even into a pipe (and ignores NO_COLOR).
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class SiteError(Exception):
    """The site builder failed; its output explains why."""


def site_url(project: Path) -> str:
    """`site_url` from mkdocs.yml: the portal's permanent address, with a trailing slash."""
    # mkdocs.yml may carry !!python tags for extensions; only this plain key is needed here.
    for line in (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            url = str(yaml.safe_load(line)["site_url"])
            return url if url.endswith("/") else url + "/"
    raise SiteError("mkdocs.yml thiếu site_url (địa chỉ cố định của cổng)")


def site_base_path(project: Path) -> str:
    return urlsplit(site_url(project)).path or "/"


def _zensical_config(project: Path, out: Path) -> Path:
    """A config beside mkdocs.yml that inherits it and only moves site_dir to `out`: Zensical
    has no --site-dir option and wants site_dir inside the project."""
    config = project / f"{out.name}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {out.name}\n", encoding="utf-8")
    return config


def build_site(project: Path, engine: Engine = DEFAULT_ENGINE) -> Path:
    """Build the site with `engine` into a new temporary folder beside site/ and return that
    folder; on failure nothing is left behind."""
    out = Path(tempfile.mkdtemp(prefix=".site-", dir=project))
    config = None
    if engine == "zensical":
        config = _zensical_config(project, out)
        command = ["zensical", "build", "--strict", "--config-file", str(config)]
    else:
        command = ["mkdocs", "build", "--strict", "--site-dir", str(out)]
    try:
        _run(project, command, out)
    finally:
        if config is not None:
            config.unlink(missing_ok=True)
    return out


def _run(project: Path, command: list[str], out: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=project,
        capture_output=True,
        text=True,
        env=None if env is None else {**os.environ, **env},
    )
    if result.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        raise SiteError(_COLOUR.sub("", result.stdout + result.stderr))


# How build_changes tells hooks/incremental.py, inside MkDocs, what to compare with and where to
# list the outputs whose source is gone.
PREVIOUS_SITE = "CKH_PREVIOUS_SITE"
OUTPUTS = "CKH_SITE_OUTPUTS"
# The generated files (under docs/) written or removed since the site was last published, one
# path a line: an incremental build gives the engine only these, besides the hand-written
# pages, instead of the whole docs/ (392,000 files at 3,400 plans). Kept across `generate`s
# until a build publishes them; absent, the next build is a clean one.
CHANGES_FILE = Path(".cache") / "docs-changes.txt"
# What the last build published: the engine inputs it was made from, which site folder it is,
# its files and the check's record of links (generator/check.py). Git-ignored like .cache/.
STATE_FILE = Path(".cache") / "site-state.json"
# The engine's own inputs: a change to any of them can change every page.
_ENGINE_INPUTS = ("mkdocs.yml", "overrides", "hooks")
_ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


@dataclass(frozen=True)
class Changes:
    """An incremental build: `out` holds the files the engine wrote because they differ from
    the published site, `written` names them, and `removed` names the published files the new
    site no longer has (all site-relative)."""

    out: Path
    written: frozenset[str]
    removed: frozenset[str]


def _files_under(folder: Path) -> frozenset[str]:
    return frozenset(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    )


def engine_inputs(project: Path) -> str:
    """A digest of everything besides docs/ that shapes the engine's output."""
    digest = hashlib.sha256()
    for name in _ENGINE_PACKAGES:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    for name in _ENGINE_INPUTS:
        top = project / name
        paths = sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
        for path in paths:
            if "__pycache__" in path.parts or not path.exists():
                continue
            digest.update(path.relative_to(project).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _site_token(site: Path) -> list[int]:
    """Which folder `site` is and when its top level last changed: another tool writing into
    site/ (a plain `mkdocs build`) changes it, so the state no longer describes it."""
    stat = site.stat()
    return [stat.st_ino, stat.st_mtime_ns]


@dataclass(frozen=True)
class Published:
    """What the last build published: every file of site/ (site-relative), and for each page
    the files it links to (generator/check.py's record)."""

    files: frozenset[str]
    links: dict[str, list[str]]


def save_state(project: Path, site: Path, published: Published) -> None:
    """Record what was just published, for the next build to add to. File names are stored
    once and links as their numbers: a page links to tens of files."""
    names = sorted(published.files | {t for ts in published.links.values() for t in ts})
    number = {name: i for i, name in enumerate(names)}
    state = {
        "engine_inputs": engine_inputs(project),
        "site": _site_token(site),
        "names": names,
        "files": sorted(number[f] for f in published.files),
        "links": {number[page]: [number[t] for t in ts] for page, ts in published.links.items()},
    }
    path = project / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load_state(project: Path, site: Path) -> Published | None:
    """What the last build published, if `site` is still that and a build may add to it; else
    None (no site, no record, the record is of another site, or the engine inputs changed)."""
    path = project / STATE_FILE
    if not site.is_dir() or not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state["site"] != _site_token(site) or state["engine_inputs"] != engine_inputs(project):
            return None
        names: list[str] = state["names"]
        links = {names[int(page)]: [names[t] for t in ts] for page, ts in state["links"].items()}
        return Published(frozenset(names[f] for f in state["files"]), links)
    except (ValueError, KeyError, IndexError, TypeError):  # another version's record
        return None


def note_changes(project: Path, touched: Collection[str]) -> None:
    """Add generated files just written or removed (docs/-relative) to those the next build
    must give the engine."""
    path = project / CHANGES_FILE
    noted = noted_changes(project) or frozenset()
    if noted.issuperset(touched) and path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    # Line by line: after a clean generate at national scale half a million paths, which
    # joined into one text (and its lines) were the peak of the build's memory.
    with temporary.open("w", encoding="utf-8") as stream:
        stream.writelines(f"{rel}\n" for rel in sorted(noted.union(touched)))
    os.replace(temporary, path)


def noted_changes(project: Path) -> frozenset[str] | None:
    """The generated files changed since the last published build; None when unknown."""
    path = project / CHANGES_FILE
    if not path.exists():
        return None
    return frozenset(path.read_text(encoding="utf-8").splitlines())


def forget_changes(project: Path) -> None:
    """The site now shows every noted change: the next build starts from none."""
    path = project / CHANGES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")


def build_changes(project: Path, previous: Path, published: frozenset[str]) -> Changes:
    """Build with MkDocs only what differs from the site `previous` (whose files are
    `published`), into a new temporary folder: the hand-written pages and the generated
    files noted since it was published (`noted_changes`). On failure nothing is left behind
    and `previous` is untouched."""
    out = Path(tempfile.mkdtemp(prefix=".site-", dir=project))
    listing = out.with_name(out.name + ".outputs")
    env = {PREVIOUS_SITE: str(previous.resolve()), OUTPUTS: str(listing)}
    command = ["mkdocs", "build", "--strict", "--dirty", "--site-dir", str(out)]
    try:
        _run(project, command, out, env)
        if not listing.exists():
            shutil.rmtree(out, ignore_errors=True)
            raise SiteError(
                "mkdocs.yml thiếu hooks/incremental.py trong hooks: (dựng lại tăng dần)"
            )
        gone = frozenset(listing.read_text(encoding="utf-8").split())
    finally:
        listing.unlink(missing_ok=True)
    written = _files_under(out)
    return Changes(out, written, (gone & published) - written)


def publish(built: Path, site: Path) -> None:
    """Swap `built` in as `site` (two renames: the old site stays whole until the last moment)."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def publish_changes(changes: Changes, site: Path) -> None:
    """Move the changed files into `site` (each by one rename, so a reader never sees half a
    file) and remove the outputs that are gone, with the folders they leave empty."""
    moved = _files_under(changes.out)  # the engine's files and those added after it (sitemaps)
    for rel in sorted(moved):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(changes.out / rel, target)
    for rel in sorted(changes.removed - moved):
        (site / rel).unlink(missing_ok=True)
    for rel in sorted({str(Path(r).parent) for r in changes.removed}, reverse=True):
        folder = site / rel
        while folder != site and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    shutil.rmtree(changes.out, ignore_errors=True)
