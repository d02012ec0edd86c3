"""Digests of what a build is made from, outside the content: the plugins'
code and the versions of the libraries that render pages. Pure code."""

from __future__ import annotations

import hashlib
import sys
from importlib import machinery, metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "plugins",)
# Libraries whose version can change a page's bytes.
LIBRARIES = ("pelican", "jinja2", "markdown", "markupsafe", "nh3", "pillow", "pagefind", "feedgenerator", "pyyaml")


def code_version(settings=None) -> str:
    """A digest of the plugins' source and the libraries' versions, so nothing cached outlives the code.

    With ``settings``, the source of every plugin it lists counts too (a site's own plugin, say)."""
    digest = hashlib.sha256()
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    for path in sorted(_sources(settings)):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _sources(settings) -> set[Path]:
    found = {p for folder in CODE_DIRS for p in folder.rglob("*.py")}
    if not settings:
        return found
    search = [str(p) for p in settings.get("PLUGIN_PATHS") or ()] + sys.path
    for plugin in settings.get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        spec = machinery.PathFinder.find_spec(name.split(".")[0], search) if name else None
        if spec is None or not spec.origin:
            continue
        if spec.submodule_search_locations:
            found |= {p for folder in spec.submodule_search_locations for p in Path(folder).rglob("*.py")}
        else:
            found.add(Path(spec.origin))
    return found
