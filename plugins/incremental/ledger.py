"""The output ledger: which file of the output was made from which key, so
the next build carries what did not change instead of making it again.

A build writes into a fresh folder (plugins.publishing.outputs). For every
output file a plugin knows the key of (a digest of everything that decides
its bytes), the ledger hard-links the previous build's file into the new
folder when the previous build recorded the same key, or copies it where
links are impossible. Files are never linked to caches, and a file is always
replaced by a new inode, never rewritten in place, so the site being served
keeps its bytes while the next one is made. Pages to render are queued and
rendered at the end by :class:`RenderPool`, over all cores.

The manifest of a build (its folder, the key of every file and folder it
recorded) is saved by the build once it succeeded. Pure code.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1


@dataclass
class Manifest:
    folder: str = ""
    files: dict[str, str] = field(default_factory=dict)
    trees: dict[str, str] = field(default_factory=dict)
    # Facts a later build compares to stop early when nothing changed (plugins.incremental.inputs).
    inputs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; an empty one when it is missing or damaged (everything is made again)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("version") != MANIFEST_VERSION:
                return cls()
            manifest = cls(str(data["folder"]), dict(data["files"]), dict(data["trees"]), dict(data.get("inputs") or {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in [*manifest.files.items(), *manifest.trees.items()]):
            return cls()
        return manifest

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": MANIFEST_VERSION, "folder": self.folder, "files": dict(sorted(self.files.items())),
                "trees": dict(sorted(self.trees.items())), "inputs": self.inputs}
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-manifest-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``path`` (a carried file may share its inode with the live site)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with open(path, "xb") as out:
        out.write(data)


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class Ledger:
    """Carries unchanged files from the previous output and records every key of this one."""

    def __init__(self, output: Path, previous: Manifest | None = None):
        self.output = Path(output)
        self.previous = previous if previous and previous.folder and Path(previous.folder).is_dir() else Manifest()
        self.current = Manifest(str(self.output))
        self.carried = 0
        self.made = 0

    def _source(self, name: str) -> Path:
        return Path(self.previous.folder) / name

    def carry(self, name: str, key: str) -> bool:
        """Link ``name`` from the previous output if it was made from ``key``, and record it; False if not."""
        if self.previous.files.get(name) != key:
            return False
        source = self._source(name)
        if not source.is_file() or source.is_symlink():
            return False
        link_or_copy(source, self.output / name)
        self.current.files[name] = key
        self.carried += 1
        return True

    def record(self, name: str, key: str) -> None:
        """``name`` was just made from ``key``."""
        self.current.files[name] = key
        self.made += 1

    def forget(self, name: str) -> None:
        self.current.files.pop(name, None)

    def carry_tree(self, name: str, key: str) -> bool:
        """Link every file of the folder ``name`` from the previous output if it was made from ``key``."""
        if self.previous.trees.get(name) != key:
            return False
        source = self._source(name)
        if not source.is_dir() or source.is_symlink():
            return False
        files = [p for p in sorted(source.rglob("*")) if not p.is_dir()]
        if any(p.is_symlink() for p in files):
            return False
        for path in files:
            link_or_copy(path, self.output / name / path.relative_to(source))
        self.current.trees[name] = key
        self.carried += 1
        return True

    def record_tree(self, name: str, key: str) -> None:
        self.current.trees[name] = key
        self.made += 1

    def summary(self) -> str:
        return f"Tệp đầu ra: {self.made} tạo mới, {self.carried} giữ nguyên từ lần dựng trước."
