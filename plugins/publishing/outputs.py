"""The output folder as a symlink to the current build.

Each build is written into a new folder of ``.<output>-builds/`` beside the
output; on success a fresh symlink to it is renamed over ``<output>``, which
replaces the old link in one step. There is no instant at which ``<output>``
is missing or half written, whatever moment a build is killed at. Older
builds and the folders of killed builds are removed afterwards, by the next
successful build, while it holds the build lock.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_NUMBER = 6
MANIFEST = "manifest.json"


def builds_folder(output: Path) -> Path:
    return output.parent / f".{output.name}-builds"


def manifest(output: Path) -> Path:
    """What the current build recorded of its files (plugins.incremental.ledger), kept beside the builds."""
    return builds_folder(output) / MANIFEST


def temporary_link(output: Path) -> Path:
    return output.with_name(f"{output.name}.tmp-link")


def new_build(output: Path) -> Path:
    """An empty folder for the next build: the number after the highest one there."""
    folder = builds_folder(output)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name) for p in folder.iterdir() if p.name.isdigit()]
    build = folder / f"{max(numbers, default=0) + 1:0{_NUMBER}d}"
    build.mkdir()
    build.chmod(0o755)
    return build


def switch(output: Path, build: Path) -> None:
    """Point ``output`` at ``build`` in one rename."""
    link = temporary_link(output)
    _remove(link)
    os.symlink(os.path.relpath(build, output.parent), link)
    if output.is_dir() and not output.is_symlink():
        # An output folder from before builds were kept beside it: moved into the builds folder
        # (removed by clean()), so on this first switch only, output is missing for a moment.
        output.rename(builds_folder(output) / f"previous-{os.getpid()}")
    os.replace(link, output)


def clean(output: Path) -> None:
    """Remove every build but the current one, and what killed builds left behind.

    Only under the build lock: a running build's folder would otherwise go too.
    """
    current = output.resolve()
    for entry in builds_folder(output).iterdir():
        if entry.resolve() != current and entry.name != MANIFEST:
            _remove(entry)
    _remove(temporary_link(output))
    # Staging folders of the earlier layout: `.output-abc123xy` and `.output-old-1234`.
    stale = re.compile(rf"\.{re.escape(output.name)}-([a-z0-9_]{{8}}|old-\d+)")
    for entry in output.parent.iterdir():
        if stale.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
