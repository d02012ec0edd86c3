"""The vendored Decap CMS bundle: where it lives in the repository, which files the site
serves, and its refresh from the npm registry (`invoke cms-update`).

The bundle is committed so that building the site needs no Node; only the refresh runs npm.
A file larger than ``COMPRESS_OVER`` (the main script, 5 MB) is kept gzip-compressed
(``decap-cms.js.gz``, made without a time stamp, so the same bundle gives the same bytes) and
inflated when the build copies the bundle into the site."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The site's own scripts of the editor (the header format, the preview) beside the bundle.
CMS_DIR = ROOT / "theme" / "cms"
BUNDLE_DIR = CMS_DIR / "decap-cms"
PACKAGE = "decap-cms"
VERSION_FILE = "VERSION"
# Kept across refreshes: the licence (the npm package ships none) and the version pinned.
KEPT = ("LICENSE", VERSION_FILE)
# The files of the package's dist/ the browser loads: the main script, its chunks, the
# WebAssembly modules and the notices of what the bundle contains.
SERVED = re.compile(r"^(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)$")
# Files above this size are committed compressed, with this suffix.
COMPRESS_OVER = 1_000_000
COMPRESSED = ".gz"


class BundleError(Exception):
    """The bundle could not be refreshed; the message is for the maintainer."""


def version(folder: Path = BUNDLE_DIR) -> str:
    """The pinned version of the vendored bundle."""
    return (folder / VERSION_FILE).read_text(encoding="utf-8").strip()


def served_files(folder: Path = BUNDLE_DIR) -> list[Path]:
    """Every file of the bundle the site serves (as committed, maybe compressed), in name order."""
    return sorted(p for p in folder.iterdir() if p.is_file() and (SERVED.match(served_name(p)) or p.name in KEPT))


def served_name(path: Path) -> str:
    """The name the site serves a committed file of the bundle under."""
    return path.name.removesuffix(COMPRESSED)


def served_bytes(path: Path) -> bytes:
    """What the site serves for a committed file of the bundle (a compressed one inflated)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(COMPRESSED) else data


def _vendor(folder: Path, name: str, data: bytes) -> None:
    """Commit one file of the bundle: compressed (``mtime=0``: the same bytes every time) when it is large."""
    if len(data) > COMPRESS_OVER:
        (folder / f"{name}{COMPRESSED}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    else:
        (folder / name).write_bytes(data)


def refresh(wanted: str, folder: Path = BUNDLE_DIR, npm: str = "npm") -> list[str]:
    """Replace the bundle by ``decap-cms@wanted`` from the npm registry (``npm pack``, which checks
    the package's integrity); the names of the files now vendored."""
    if not re.fullmatch(r"\d+\.\d+\.\d+", wanted):
        raise BundleError(f"phiên bản {wanted!r} không hợp lệ; hãy ghi đúng số phiên bản, ví dụ 3.16.3")
    with tempfile.TemporaryDirectory() as temp:
        try:
            packed = subprocess.run([npm, "pack", "--silent", f"{PACKAGE}@{wanted}"], cwd=temp, check=True,
                                    capture_output=True, text=True).stdout.strip().splitlines()[-1]
        except (OSError, subprocess.CalledProcessError, IndexError) as exc:
            raise BundleError(f"npm không tải được {PACKAGE}@{wanted} ({exc}); hãy kiểm tra npm và kết nối mạng") from None
        with tarfile.open(Path(temp) / packed) as archive:
            members = [m for m in archive.getmembers()
                       if m.isfile() and m.name.startswith("package/dist/") and SERVED.match(m.name.rsplit("/", 1)[1])]
            if not any(m.name == "package/dist/decap-cms.js" for m in members):
                raise BundleError(f"gói {PACKAGE}@{wanted} không có dist/decap-cms.js")
            for old in folder.iterdir():
                if old.name not in KEPT:
                    old.unlink()
            for member in members:
                _vendor(folder, member.name.rsplit("/", 1)[1], archive.extractfile(member).read())
    (folder / VERSION_FILE).write_text(wanted + "\n", encoding="utf-8")
    return [served_name(p) for p in served_files(folder)]
