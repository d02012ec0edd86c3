"""The last good version of a published article, read back from git.

``build --keep-going`` publishes the version the URL record (``urlrecord``)
names as last good when an edit breaks an article. The bytes come from
``git cat-file blob`` in the repository holding the content folder: nothing
outside the repository's object store is read.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .urlrecord import RECORD_FILE

_BLOB = re.compile(r"[0-9a-f]{40}")
# Seconds one git call may take before the version counts as unreadable.
GIT_TIMEOUT = 30


class Unavailable(Exception):
    """No last good version can be read; the message says why, for the editor."""


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except OSError:
        raise Unavailable("không chạy được lệnh git (máy chưa cài git?)") from None
    except subprocess.TimeoutExpired:
        raise Unavailable(f"lệnh git không xong sau {GIT_TIMEOUT} giây") from None
    if done.returncode != 0:
        raise Unavailable(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


@dataclass
class Repository:
    """The git repository holding one content folder, asked once per build; versions read once."""

    root: Path
    # The repository's top folder once asked; "" when the content is in none.
    _top: Path | str | None = field(default=None, init=False, repr=False)
    _read: dict[str, bytes] = field(default_factory=dict, init=False, repr=False)

    def _repository(self) -> Path:
        if self._top is None:
            try:
                self._top = Path(_git(["rev-parse", "--show-toplevel"], self.root).decode("utf-8").strip())
            except (Unavailable, UnicodeDecodeError):
                self._top = ""
        if not self._top:
            raise Unavailable("thư mục nội dung không nằm trong một kho git")
        return Path(self._top)

    def blob(self, blob: str) -> bytes:
        """The bytes git keeps as ``blob``; ``Unavailable`` says why there are none."""
        if not _BLOB.fullmatch(blob):
            raise Unavailable(f"'{blob[:40]}' không phải mã một bản lưu trong git")
        if blob not in self._read:
            top = self._repository()
            try:
                self._read[blob] = _git(["cat-file", "blob", blob], top)
            except Unavailable:
                raise Unavailable(f"kho git không có bản {blob[:10]} mà {RECORD_FILE} ghi là bản đã đăng") from None
        return self._read[blob]


@dataclass
class LastGood:
    """Each recorded article's last good version: its blob (owner → blob, from the record) and bytes."""

    blobs: Mapping[str, str]
    repository: Repository

    def blob(self, rel: str) -> str:
        """The blob recorded for ``rel``, or ``""`` if the article was never published."""
        return self.blobs.get(rel, "")

    def read(self, rel: str) -> bytes:
        """The bytes of ``rel``'s last good version; ``Unavailable`` says why there are none."""
        blob = self.blob(rel)
        if not blob:
            raise Unavailable(f"chưa có trong {RECORD_FILE}, tức là chưa từng được đăng")
        return self.repository.blob(blob)
