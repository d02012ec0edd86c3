"""What an article's resolution asked the file system, so it can be asked again.

Resolving a header (cover, attachments, video, body links) looks at other files
of the content folder: whether they exist, are symlinks, their size, and the
names beside a missing one. A resolution saved by ``invoke check`` stays valid
only while every one of those answers is the same, so the content root handed
to the resolver is a ``Path`` that writes down each question and its answer
(``record``), and ``Probes.same`` asks them again on a later run.

Predicates (``is_file``, ``is_symlink``…), ``stat`` and directory listings are
written down; any other use of the file system through the path (``open``,
``os.*`` on it, ``resolve``…) marks the record incomplete, and an incomplete
record is never reused.
"""

from __future__ import annotations

import os
from errno import EBADF, ELOOP, ENOENT, ENOTDIR
from pathlib import PosixPath
from stat import S_ISDIR, S_ISLNK, S_ISREG
from types import MappingProxyType

STAT, LSTAT, LISTDIR = "stat", "lstat", "listdir"
# Questions answered by one bit of the mode: a photo's folder gaining a file changes its
# times, not whether it is a folder. (Follow symlinks?, test of the mode.)
PREDICATES = MappingProxyType({
    "is_file": (True, S_ISREG), "is_dir": (True, S_ISDIR), "is_symlink": (False, S_ISLNK),
    "exists": (True, bool),
})
# Errors pathlib's predicates answer ``False`` to (Python 3.11's ``pathlib._IGNORED_ERRNOS``).
_IGNORED = frozenset({ENOENT, ENOTDIR, EBADF, ELOOP})


def _fields(st: os.stat_result) -> tuple:
    """Everything of a stat but the access time (reading a file changes it)."""
    return (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _ask(kind: str, path: str):
    """The answer as the recorded path gives it; errors raised as pathlib raises them."""
    if kind == LISTDIR:
        return tuple(os.listdir(path))
    if kind in (STAT, LSTAT):
        return _fields(os.stat(path, follow_symlinks=kind == STAT))
    follow, test = PREDICATES[kind]
    try:
        return test(os.stat(path, follow_symlinks=follow).st_mode)
    except OSError as exc:
        if exc.errno not in _IGNORED:
            raise
        return False
    except ValueError:
        return False


def answer(kind: str, path: str):
    """What the file system says now, an error included."""
    try:
        return _ask(kind, path)
    except OSError as exc:
        return (type(exc).__name__, exc.errno)


class Log:
    """The questions asked through one recorded root and their answers, and whether that was all."""

    def __init__(self) -> None:
        self.asked: dict[tuple[str, str], object] = {}
        self.complete = True

    def note(self, kind: str, path: str, found) -> None:
        first = self.asked.setdefault((kind, path), found)
        if first != found:
            self.complete = False  # the folder changed while it was looked at

    def probes(self) -> tuple[tuple[str, str, object], ...] | None:
        """The questions and answers, or ``None`` if something was asked another way."""
        return tuple((kind, path, found) for (kind, path), found in self.asked.items()) if self.complete else None


class _RecordedPath(PosixPath):
    """A path whose file-system questions are written down in the class's ``_log``."""

    _log: Log

    def _recorded(self, kind: str):
        path = str(self)
        try:
            found = _ask(kind, path)
        except OSError as exc:
            self._log.note(kind, path, (type(exc).__name__, exc.errno))
            raise
        self._log.note(kind, path, found)
        return found

    def is_file(self) -> bool:
        return self._recorded("is_file")

    def is_dir(self) -> bool:
        return self._recorded("is_dir")

    def is_symlink(self) -> bool:
        return self._recorded("is_symlink")

    def exists(self) -> bool:
        return self._recorded("exists")

    def stat(self, *, follow_symlinks=True):
        self._recorded(STAT if follow_symlinks else LSTAT)
        return os.stat(str(self), follow_symlinks=follow_symlinks)

    def iterdir(self):
        return iter([self._make_child_relpath(name) for name in self._recorded(LISTDIR)])

    def __fspath__(self) -> str:
        self._log.complete = False
        return str(self)


def record(root: os.PathLike) -> tuple[PosixPath, Log]:
    """``root`` as a path that writes down what is asked through it and through its children."""
    log = Log()
    recorded = type("RecordedPath", (_RecordedPath,), {"_log": log})
    return recorded(os.fspath(root)), log


class Probes:
    """This run's answers, each question asked once however many resolutions recorded it."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], object] = {}

    def same(self, probes) -> bool:
        """True when every recorded question gets the same answer now."""
        for kind, path, found in probes:
            key = (kind, path)
            if key not in self.known:
                self.known[key] = answer(kind, path)
            if self.known[key] != found:
                return False
        return True
