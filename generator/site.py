"""Stage 6, site: the replaceable last step. Runs `mkdocs build --strict` into a temporary
folder; the caller checks it and only then swaps it in for the published `site/`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml


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


def build_site(project: Path) -> Path:
    """Build the site into a new temporary folder beside site/ and return that folder."""
    out = Path(tempfile.mkdtemp(prefix=".site-", dir=project))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        raise SiteError(result.stdout + result.stderr)
    return out


def publish(built: Path, site: Path) -> None:
    """Swap `built` in as `site` (two renames: the old site stays whole until the last moment)."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)
