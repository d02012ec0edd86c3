"""Writing a derived file into the output folder: the ground floor, so every plugin
that writes one (feeds, sitemap, statistics) imports it downward."""

from __future__ import annotations

from pathlib import Path


def write_output(root: str | Path, name: str, data: bytes | str) -> None:
    """Write a derived file (feed, sitemap, data download) under the output folder."""
    path = Path(root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
