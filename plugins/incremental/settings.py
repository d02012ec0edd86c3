"""Settings of incremental and parallel builds (``PORTAL_INCREMENTAL`` in pelicanconf.py)."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class IncrementalSettings:
    # Worker processes rendering pages; 0 means one per core.
    workers: int = 0
    # Fewest pages per worker worth starting a process for.
    min_pages: int = 40
    # Carry unchanged files from the previous build (off: every file is made again).
    carry: bool = True
    # Stop at once when no input changed since the last successful build.
    skip_unchanged: bool = True


def load(settings) -> IncrementalSettings:
    return load_section(settings, "PORTAL_INCREMENTAL", IncrementalSettings)
