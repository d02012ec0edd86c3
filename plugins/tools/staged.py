"""`invoke check --staged`: the content folder as the next commit will hold it.

The pre-commit hook must judge what is being committed, not the working folder:
a photo that was never `git add`ed is missing from the commit (and from every
fresh clone), an untracked half-written file is not part of it, and an edit not
staged is not either. So the index is written out into a folder of its own under
the cache, and `check` runs there.

That folder is kept between runs and brought up to date from the index: only
files whose blob changed are written again (by `git checkout-index`, so with the
filters a checkout applies), so the check cache
(``plugins.tools.check_cache``), keyed by the folder's path and each file's
stamp and digest, still finds nearly every file unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Beside the copy, not in it: (mode, blob) of each file the copy holds.
MANIFEST = "index.json"
REGULAR = ("100644", "100755")
SYMLINK = "120000"


class StagedError(Exception):
    """The staged tree cannot be read; the message is for the editor."""


@dataclass(frozen=True)
class Entry:
    mode: str
    blob: str
    path: str  # relative to the content folder, with "/"


@dataclass
class Staged:
    """The staged content folder, and the files of the working folder it leaves out."""

    folder: Path
    written: int
    # Working-folder files under the content folder that the commit will not hold as they are.
    not_added: list[str]
    not_staged: list[str]

    def note(self) -> str:
        """What an editor needs to know when the staged tree has errors."""
        lines = []
        if self.not_added:
            lines.append("Các tệp sau chưa được `git add` nên không có trong commit và không được kiểm tra: "
                         + ", ".join(self.not_added[:10]) + (" …" if len(self.not_added) > 10 else ""))
        if self.not_staged:
            lines.append("Các tệp sau có chỉnh sửa chưa `git add`; đã kiểm tra bản sẽ được commit: "
                         + ", ".join(self.not_staged[:10]) + (" …" if len(self.not_staged) > 10 else ""))
        if lines:
            lines.append("Thêm tệp vào commit: git add <tệp> rồi commit lại.")
        return "\n".join(lines)


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True)
    except FileNotFoundError:
        raise StagedError("máy này chưa có git; hãy cài git rồi chạy lại") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise StagedError(f"lệnh git {args[0]} không thành công: {detail}")
    return result.stdout


def repository_of(content: Path) -> tuple[Path, str]:
    """(top folder of the repository holding ``content``, ``content``'s path in it with "/")."""
    content = Path(content).resolve()
    if not content.is_dir():
        raise StagedError(f"không tìm thấy thư mục nội dung {content}")
    try:
        top = Path(_git(content, "rev-parse", "--show-toplevel").decode("utf-8").strip()).resolve()
    except StagedError:
        raise StagedError(f"thư mục {content} không nằm trong một kho git; --staged chỉ dùng được trong kho git") from None
    prefix = content.relative_to(top).as_posix()
    return top, "" if prefix == "." else prefix + "/"


def entries(top: Path, prefix: str) -> list[Entry]:
    """The index's files under ``prefix`` (merged entries only; submodules left out)."""
    found = []
    for record in _git(top, "ls-files", "--stage", "-z", "--", prefix or ".").split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, blob, stage = meta.decode("ascii").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if stage != "0" or mode not in (*REGULAR, SYMLINK) or not path.startswith(prefix):
            continue
        rel = path[len(prefix):]
        if _safe(rel):
            found.append(Entry(mode, blob, rel))
    return found


def _safe(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts and "\\" not in rel


def folder_for(cache: Path, content: Path) -> Path:
    """Where the staged copy of ``content`` lives: one folder per content folder, kept between runs."""
    key = hashlib.sha256(os.fsencode(Path(content).resolve())).hexdigest()[:16]
    return Path(cache) / key / "content"


def materialise(content: Path, cache: Path) -> Staged:
    """Bring the staged copy of ``content`` up to date with the index; return it."""
    top, prefix = repository_of(content)
    folder = folder_for(cache, content)
    index = entries(top, prefix)
    previous = _manifest(folder.parent)
    # Gone until the copy matches the index again: a run stopped halfway leaves no manifest,
    # and the next one starts the copy afresh.
    (folder.parent / MANIFEST).unlink(missing_ok=True)
    if previous is None:
        shutil.rmtree(folder, ignore_errors=True)
        previous = {}
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {e.path: [e.mode, e.blob] for e in index}
    for rel in sorted(set(previous) - set(wanted), reverse=True):
        _remove(folder, rel)
    changed = [e for e in index if previous.get(e.path) != [e.mode, e.blob] or not _present(folder / e.path)]
    _check_out(top, prefix, changed, folder)
    (folder.parent / MANIFEST).write_text(json.dumps(wanted, sort_keys=True), encoding="utf-8")
    return Staged(folder, len(changed), *_left_out(top, prefix))


def _check_out(top: Path, prefix: str, changed: list[Entry], folder: Path) -> None:
    """Write the index's version of each changed file as a checkout would (end-of-line and smudge
    filters such as Git LFS applied, symlinks as symlinks), then move it into the copy."""
    incoming = folder.parent / "incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    if not changed:
        return
    incoming.mkdir(parents=True)
    paths = "\0".join(prefix + e.path for e in changed) + "\0"
    _git(top, "checkout-index", "--force", "-z", "--stdin", f"--prefix={incoming.as_posix()}/",
         input=paths.encode("utf-8", "surrogateescape"))
    for entry in changed:
        written = incoming / (prefix + entry.path)
        if not (written.is_symlink() or written.exists()):
            continue  # a symlink this system could not make: left out, as in a checkout here
        target = folder / entry.path
        _clear_way(folder, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(written, target)
    shutil.rmtree(incoming, ignore_errors=True)


def _manifest(folder: Path) -> dict | None:
    try:
        saved = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def _present(path: Path) -> bool:
    return path.is_symlink() or path.is_file()


def _remove(folder: Path, rel: str) -> None:
    path = folder / rel
    if path.is_symlink() or path.is_file():
        path.unlink()
    for parent in path.parents:
        if parent == folder:
            break
        try:
            parent.rmdir()
        except OSError:
            break  # not empty


def _clear_way(folder: Path, path: Path) -> None:
    """A file that became a folder, or a folder that became a file, between two commits."""
    for parent in reversed(path.parents):
        if parent == folder or folder not in parent.parents:
            continue
        if parent.is_symlink() or parent.is_file():
            parent.unlink()
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def _left_out(top: Path, prefix: str) -> tuple[list[str], list[str]]:
    """(untracked files, files with unstaged edits) under the content folder, relative to it."""
    where = prefix or "."

    def names(*args: str) -> list[str]:
        listed = _git(top, *args, "-z", "--", where).decode("utf-8", "surrogateescape").split("\0")
        return sorted(p[len(prefix):] for p in listed if p.startswith(prefix) and p)

    return names("ls-files", "--others", "--exclude-standard"), names("diff", "--name-only")
