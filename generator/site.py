"""Stage 6, site: the replaceable last step. Runs the site engine (MkDocs or Zensical, both
reading mkdocs.yml, both strict) into a temporary folder; the caller checks it and only then
swaps it in for the published `site/`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
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
        result = subprocess.run(
            [sys.executable, "-m", *command], cwd=project, capture_output=True, text=True
        )
    finally:
        if config is not None:
            config.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        raise SiteError(_COLOUR.sub("", result.stdout + result.stderr))
    return out


def publish(built: Path, site: Path) -> None:
    """Swap `built` in as `site` (two renames: the old site stays whole until the last moment)."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)
