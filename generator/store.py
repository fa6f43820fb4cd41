"""What a build keeps in the project's cache for the next one (.cache/): each file written
whole or not at all, so that a build cut short never leaves a half-written entry to be read."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path


def pickle_whole(path: Path, value: object) -> None:
    """`value` pickled into `path`, whole or not at all: written beside it under a name of its
    own (ending `.new`: another build writing the same entry never shares it), then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".new")
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
