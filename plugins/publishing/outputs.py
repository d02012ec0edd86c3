"""The output folder as a symlink to the current build.

Each build is written into a new folder of ``.<output>-builds/`` beside the
output; on success a fresh symlink to it is renamed over ``<output>``, which
replaces the old link in one step. There is no instant at which ``<output>``
is missing or half written, whatever moment a build is killed at. Older
builds and the folders of killed builds are removed by the next build, while it
holds the build lock and works (so the build that was current while a build
ran, its carried files' source, stays until the build after).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
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
    earlier = None
    if output.is_dir() and not output.is_symlink():
        # An output folder from before builds were kept beside it: moved aside and removed, so on
        # this first switch only, output is missing for a moment.
        earlier = builds_folder(output) / f"previous-{os.getpid()}"
        output.rename(earlier)
    os.replace(link, output)
    if earlier is not None:
        _remove(earlier)


def remove_killed(output: Path) -> None:
    """What builds killed after the current one left (their folders are numbered above it)."""
    current = output.resolve()
    if not current.name.isdigit():
        return
    for entry in builds_folder(output).iterdir():
        if entry.name.isdigit() and int(entry.name) > int(current.name):
            _remove(entry)
    _remove(temporary_link(output))


def clean(output: Path) -> threading.Thread:
    """Remove every build but the current one, and what killed builds left behind, in a thread
    that the caller joins: the next build runs meanwhile (deleting a large site takes a while).

    Only under the build lock: a running build's folder would otherwise go too. The build
    that replaces the current one therefore leaves it for the next build to remove.
    """
    current = output.resolve()
    folder = builds_folder(output)
    old = [entry for entry in folder.iterdir() if entry.resolve() != current and entry.name != MANIFEST] if folder.is_dir() else []
    _remove(temporary_link(output))
    # Staging folders of the earlier layout: `.output-abc123xy` and `.output-old-1234`.
    stale = re.compile(rf"\.{re.escape(output.name)}-([a-z0-9_]{{8}}|old-\d+)")
    for entry in output.parent.iterdir():
        if stale.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            old.append(entry)
    worker = threading.Thread(target=lambda: [_remove(entry) for entry in old], name="remove-old-builds", daemon=True)
    worker.start()
    return worker


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
