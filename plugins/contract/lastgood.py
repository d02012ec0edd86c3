"""The last good version of a published article, read back from git.

``build --keep-going`` publishes the version the URL record names as last good
when an edit breaks an article. The record (``content/urls.lock``: ``#``
comment lines, then ``<url>\\t<owner source path>\\t<blob sha1>[\\t…]``) is
written by the URL record module; ``blobs`` here reads only the owner → blob
pairs, so it can be swapped for that module's reader. The bytes come from
``git cat-file blob`` in the repository holding the content folder: nothing
outside the repository's object store is read.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

RECORD_FILE = "urls.lock"
_BLOB = re.compile(r"[0-9a-f]{40}")
# Seconds one git call may take before the version counts as unreadable.
GIT_TIMEOUT = 30


class Unavailable(Exception):
    """No last good version can be read; the message says why, for the editor."""


def blobs(root: Path) -> dict[str, str]:
    """Owner source path (relative to the content folder) → blob of its last good version."""
    try:
        text = (Path(root) / RECORD_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 3 or not _BLOB.fullmatch(fields[2].strip()):
            continue
        found[fields[1].strip()] = fields[2].strip()
    return found


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
class LastGood:
    """The record and the repository of one content folder, read once per build."""

    root: Path
    _blobs: dict[str, str] | None = field(default=None, init=False, repr=False)
    # The repository's top folder once asked; "" when the content is in none.
    _repo: Path | str | None = field(default=None, init=False, repr=False)
    _read: dict[str, bytes] = field(default_factory=dict, init=False, repr=False)

    def blob(self, rel: str) -> str:
        """The blob recorded for ``rel``, or ``""`` if the article was never published."""
        if self._blobs is None:
            self._blobs = blobs(self.root)
        return self._blobs.get(rel, "")

    def _repository(self) -> Path:
        if self._repo is None:
            try:
                self._repo = Path(_git(["rev-parse", "--show-toplevel"], self.root).decode("utf-8").strip())
            except (Unavailable, UnicodeDecodeError):
                self._repo = ""
        if not self._repo:
            raise Unavailable("thư mục nội dung không nằm trong một kho git")
        return Path(self._repo)

    def read(self, rel: str) -> bytes:
        """The bytes of ``rel``'s last good version; ``Unavailable`` says why there are none."""
        blob = self.blob(rel)
        if not blob:
            raise Unavailable(f"chưa có trong {RECORD_FILE}, tức là chưa từng được đăng")
        if blob not in self._read:
            repo = self._repository()
            try:
                self._read[blob] = _git(["cat-file", "blob", blob], repo)
            except Unavailable:
                raise Unavailable(f"kho git không có bản {blob[:10]} mà {RECORD_FILE} ghi là bản đã đăng") from None
        return self._read[blob]
