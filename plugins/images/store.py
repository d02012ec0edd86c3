"""Content-addressed cache of derivatives and cards.

A key is the digest of every input of an output (source bytes, text, fonts,
settings, code version), so an unchanged input is never decoded again and a
changed one can never be served stale.

The cache heals itself: each key's record lists the size and SHA-256 of every
file of the key and carries a checksum of its own. A file that is missing or
of the wrong size is found when the key is looked up, a file with the right
size but wrong bytes when it is copied out (the copy reads every byte anyway);
either way the key is dropped with a warning and made again, and a damaged
file is never published. Several builds may share the store: every write is
a rename of a complete temporary file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

import pillow_heif
import PIL

logger = logging.getLogger(__name__)

_CODE_FILES = ("core.py", "cards.py", "work.py")
_BLOCK = 1 << 20


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
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksum(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


def _sealed(value) -> bytes:
    """``value`` as JSON with a checksum, so a changed byte is noticed on reading."""
    return json.dumps({"check": _checksum(value), "value": value}).encode("utf-8")


class _Unsealed(ValueError):
    """A record of earlier versions, written without a checksum."""


def _unsealed(data: bytes):
    """The value of ``_sealed`` bytes; ``ValueError`` if they were damaged."""
    record = json.loads(data.decode("utf-8"))
    if isinstance(record, dict) and "check" not in record:
        raise _Unsealed("không có tổng kiểm tra")
    if not isinstance(record, dict) or record.get("check") != _checksum(record.get("value")):
        raise ValueError("sai tổng kiểm tra")
    return record["value"]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Store:
    """Files named by key under ``root``; writes are atomic, so a crash leaves no half file."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def write(self, key: str, suffix: str, data: bytes) -> list:
        """Store one file of ``key``; returns its [size, sha256] for ``write_meta``."""
        _write_atomic(self.path(key, suffix), data)
        return [len(data), hashlib.sha256(data).hexdigest()]

    def write_meta(self, key: str, meta: dict, files: dict[str, list]) -> dict:
        """Write the record of ``key`` last, once all its ``files`` (suffix: [size, sha256]) are stored."""
        record = {**meta, "files": files}
        _write_atomic(self.path(key, ".json"), _sealed(record))
        return record

    def meta(self, key: str) -> dict | None:
        """The record of ``key``, or ``None`` if there is none or it is damaged (then it is dropped)."""
        path = self.path(key, ".json")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._drop(key, f"không đọc được bản ghi ({exc.strerror})")
        try:
            record = _unsealed(data)
            if not isinstance(record.get("files"), dict):
                raise ValueError("thiếu danh sách tệp")
        except (ValueError, AttributeError) as exc:
            return self._drop(key, f"bản ghi hỏng ({exc})")
        return record

    def lookup(self, key: str) -> dict | None:
        """The record of ``key`` if every file it lists is there with its size; else ``None``."""
        record = self.meta(key)
        if record is None:
            return None
        for suffix, (size, _digest) in record["files"].items():
            try:
                found = self.path(key, suffix).stat().st_size
            except OSError:
                return self._drop(key, f"thiếu tệp {key[:10]}{suffix}")
            if found != size:
                return self._drop(key, f"tệp {key[:10]}{suffix} có {found} byte thay vì {size}")
        return record

    def copy_out(self, key: str, suffix: str, record: dict, target: Path) -> bool:
        """Copy a file of ``key`` to ``target``, checking its digest on the way.

        A damaged or missing file leaves no ``target``, drops the key and gives ``False``.
        """
        size, wanted = record["files"][suffix]
        digest = hashlib.sha256()
        try:
            with open(self.path(key, suffix), "rb") as source, open(target, "wb") as out:
                for block in iter(lambda: source.read(_BLOCK), b""):
                    digest.update(block)
                    out.write(block)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            self._drop(key, f"thiếu tệp {key[:10]}{suffix}")
            return False
        if digest.hexdigest() != wanted:
            target.unlink()
            self._drop(key, f"tệp {key[:10]}{suffix} bị hỏng (sai SHA-256)")
            return False
        return True

    def _drop(self, key: str, reason: str) -> None:
        logger.warning("bộ nhớ đệm ảnh: %s; sẽ tạo lại", reason)
        self.path(key, ".json").unlink(missing_ok=True)
        return None


class Digests:
    """Digests of source files, remembered by size and modification time so an
    unchanged photo is not even reread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.known = self._load()
        self.used: dict[str, list] = {}

    def _load(self) -> dict:
        try:
            known = _unsealed(self.path.read_bytes())
            if not isinstance(known, dict):
                raise ValueError("không phải bảng")
        except FileNotFoundError:
            return {}
        except _Unsealed:
            return {}  # written by an earlier version: the photos are read once more, quietly
        except (OSError, ValueError) as exc:
            logger.warning("bộ nhớ đệm ảnh: %s hỏng (%s); sẽ đọc lại các ảnh gốc", self.path.name, exc)
            return {}
        return known

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
        _write_atomic(self.path, _sealed(self.used))
