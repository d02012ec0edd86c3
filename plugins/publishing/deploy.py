"""`invoke publish`: pre-compressed copies for the web server, and deployment
by rsync or as a commit on a ``gh-pages``-style branch.

The web server sends ``page.html.br`` or ``page.html.gz`` instead of
``page.html`` when the browser accepts it (nginx: ``brotli_static on;
gzip_static on;``), so pages are compressed once, at the best level, here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

from plugins.processes import process_context

TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".txt", ".svg", ".webmanifest")
ENCODINGS = (".gz", ".br")
# An empty .nojekyll keeps GitHub Pages from running Jekyll over the site.
BRANCH_EXTRAS = (".nojekyll",)


class DeployError(Exception):
    """Publishing cannot go on; the message is for the editor."""


def gzip_bytes(data: bytes) -> bytes:
    """Best gzip, reproducible: no file name, modification time 0."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)


def compressible(output: Path) -> list[Path]:
    """The text files of a built site, in a stable order (images, fonts, PDFs are compressed already)."""
    return sorted(p for p in Path(output).rglob("*")
                  if p.suffix.lower() in TEXT_SUFFIXES and p.is_file() and not p.is_symlink())


@dataclass
class Compressed:
    files: int = 0        # text files looked at
    written: int = 0      # .gz and .br files written
    original: int = 0     # bytes of the text files
    smallest: int = 0     # bytes a browser that accepts br gets for them

    def summary(self) -> str:
        ratio = 100 * self.smallest / self.original if self.original else 100
        return (f"Nén sẵn: {self.files} tệp văn bản, {self.written} tệp .gz/.br; "
                f"{self.original / 1e6:.1f} MB còn {self.smallest / 1e6:.1f} MB ({ratio:.0f}%).")


def compress_file(path: str) -> tuple[int, int, int]:
    """Write ``path.gz`` and ``path.br`` where they are smaller than the file;
    remove a stale one that is not. Returns (original size, smallest size, files written)."""
    data = Path(path).read_bytes()
    smallest, written = len(data), 0
    for suffix, encode in ((".gz", gzip_bytes), (".br", brotli_bytes)):
        target = Path(path + suffix)
        packed = encode(data)
        if len(packed) < len(data):
            target.write_bytes(packed)
            shutil.copystat(path, target)
            smallest = min(smallest, len(packed))
            written += 1
        elif target.exists():
            target.unlink()
    return len(data), smallest, written


def compress(output: Path, workers: int = 0) -> Compressed:
    """Pre-compress every text file of ``output`` next to it, on all cores."""
    files = [str(p) for p in compressible(Path(output).resolve())]
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(files) > 8:
        with ProcessPoolExecutor(workers, mp_context=process_context()) as pool:
            results = list(pool.map(compress_file, files, chunksize=8))
    else:
        results = [compress_file(f) for f in files]
    stats = Compressed(files=len(files))
    for original, smallest, written in results:
        stats.original += original
        stats.smallest += smallest
        stats.written += written
    return stats


# rsync


def rsync_command(output: Path, target: str) -> list[str]:
    """Mirror ``output`` to ``target`` (``user@host:/var/www/site`` or a folder), deleting
    what the site no longer has; files readable by the web server whatever their mode here.

    ``output`` is a symlink to the current build: the build's folder is sent, not the link."""
    return ["rsync", "-az", "--delete", "--chmod=D755,F644", f"{Path(output).resolve()}/", target]


def rsync(output: Path, target: str) -> None:
    if shutil.which("rsync") is None:
        raise DeployError("máy này chưa có rsync; hãy cài (Ubuntu/Debian: sudo apt install rsync) rồi chạy lại")
    result = subprocess.run(rsync_command(output, target), capture_output=True, text=True)
    if result.returncode != 0:
        raise DeployError(f"rsync tới {target} không thành công (mã {result.returncode}):\n{result.stderr.strip()}")


# A gh-pages-style branch, written with plumbing: the working tree, the index
# and the checked-out branch are never touched.


def _git(repo: Path, *args: str, env: dict | None = None, input: bytes | None = None) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, input=input,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise DeployError(f"git {' '.join(args[:2])} không thành công: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode().strip()


def _identity(repo: Path) -> dict:
    """Who commits the site: the repository's git user, or the portal when none is set."""
    try:
        _git(repo, "config", "user.email")
        return {}
    except DeployError:
        name, email = "Cổng thông tin (xuất bản)", "xuat-ban@localhost"
        return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}


def commit_to_branch(repo: Path, output: Path, branch: str, message: str) -> str | None:
    """Commit the files of ``output`` (the build it links to) as the whole tree of ``branch``
    (created if new); ``None`` when the site has not changed since the branch's last commit."""
    repo, output = Path(repo), Path(output).resolve()
    try:
        _git(repo, "check-ref-format", "--branch", branch)
    except DeployError:
        raise DeployError(f"tên nhánh '{branch}' không hợp lệ") from None
    ref = f"refs/heads/{branch}"
    head = subprocess.run(["git", "-C", str(repo), "symbolic-ref", "-q", "HEAD"], capture_output=True, text=True).stdout.strip()
    if head == ref:
        raise DeployError(f"nhánh '{branch}' đang được mở trong thư mục làm việc; hãy chọn nhánh khác (ví dụ gh-pages)")
    git_dir = _git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="portal-publish-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(repo, f"--git-dir={git_dir}", f"--work-tree={output}", "add", "--all", "--force", ".", env=index)
        empty = _git(repo, "hash-object", "-w", "--stdin", input=b"")
        for name in BRANCH_EXTRAS:
            if not (output / name).exists():
                _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{empty},{name}", env=index)
        tree = _git(repo, "write-tree", env=index)
    try:
        parent = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except DeployError:
        parent = ""
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return None
    commit = _git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, env=_identity(repo))
    _git(repo, "update-ref", "-m", f"publish: {message.splitlines()[0]}", ref, commit, parent or "0" * 40)
    return commit


def source_description(repo: Path) -> str:
    """``a1b2c3d`` of the commit the site was built from, noting uncommitted changes."""
    try:
        commit = _git(repo, "rev-parse", "--short", "HEAD")
    except DeployError:
        return "kho mã chưa có commit"
    dirty = _git(repo, "status", "--porcelain", "--untracked-files=no", "--", "content")
    return commit + (" (nội dung có thay đổi chưa commit)" if dirty else "")


def publish_message(repo: Path, now: dt.datetime) -> str:
    return f"Xuất bản website {now:%d/%m/%Y %H:%M}\n\nDựng từ {source_description(repo)}."
