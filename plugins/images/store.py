"""Content-addressed cache of derivatives and cards.

A key is the digest of every input of an output (source bytes, text, fonts,
settings, code version), so an unchanged input is never decoded again and a
changed one can never be served stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pillow_heif
import PIL

_CODE_FILES = ("core.py", "cards.py", "work.py")


def _code_version() -> str:
    digest = hashlib.sha256(f"{PIL.__version__}/{pillow_heif.__version__}".encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def make_key(*parts) -> str:
    """Digest of JSON-serialisable ``parts`` and the code version."""
    text = json.dumps([CODE_VERSION, *parts], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Store:
    """Files named by key under ``root``; writes are atomic, so a crash leaves no half file."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def write(self, key: str, suffix: str, data: bytes) -> Path:
        path = self.path(key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # Published files are hard links to these: the web server must be able to read them.
        os.chmod(temp, 0o644)
        os.replace(temp, path)
        return path

    def meta(self, key: str) -> dict | None:
        """The record written last for ``key``: its presence means every file of the key is stored."""
        try:
            return json.loads(self.path(key, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_meta(self, key: str, meta: dict) -> None:
        self.write(key, ".json", json.dumps(meta).encode("utf-8"))


class Digests:
    """Digests of source files, remembered by size and modification time so an
    unchanged photo is not even reread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.used: dict[str, list] = {}

    def of(self, path: Path) -> str:
        stat = path.stat()
        name = str(path)
        entry = self.known.get(name)
        if not entry or entry[0] != stat.st_size or entry[1] != stat.st_mtime_ns:
            entry = [stat.st_size, stat.st_mtime_ns, file_digest(path)]
        self.used[name] = entry
        return entry[2]

    def save(self) -> None:
        """Keep only the files of this build, so the record does not grow forever."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(self.used), encoding="utf-8")
        os.replace(temp, self.path)
