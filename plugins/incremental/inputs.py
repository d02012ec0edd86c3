"""Digests of what a build is made from, outside the content: the plugins'
code and the versions of the libraries that render pages. Pure code."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "plugins",)
# Libraries whose version can change a page's bytes.
LIBRARIES = ("pelican", "jinja2", "markdown", "markupsafe", "nh3", "pillow", "pagefind", "feedgenerator", "pyyaml")


def code_version() -> str:
    """A digest of the plugins' source and the libraries' versions, so nothing cached outlives the code."""
    digest = hashlib.sha256()
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
