"""Pelican's content cache, made to heal itself.

Pelican loads its reader cache with ``pickle`` and gives up on the whole build
when a cache file is truncated (``EOFError``), and it writes the file in
place, so a build killed while saving leaves exactly such a file. During a
build, :func:`healing` makes the cache files carry a SHA-256 of their
contents, drops a damaged or unreadable one with a warning (the content is
then read again; a warning, not an error, so the build goes on) and saves
them by renaming a complete temporary file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pelican.cache import FileDataCacher, FileStampDataCacher

logger = logging.getLogger(__name__)

MAGIC = b"portal-pelican-cache/1\n"
_DIGEST_LENGTH = 64
_TEMP_PREFIX = ".tmp-"


class Damaged(ValueError):
    """A cache file whose contents cannot be trusted."""


def encode(cache: dict) -> bytes:
    payload = pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def decode(data: bytes, stamped: bool) -> dict:
    """The cache in ``data``; ``Damaged`` if it is not exactly what ``encode`` wrote."""
    if not data.startswith(MAGIC):
        raise Damaged("không đúng định dạng")
    head = len(MAGIC) + _DIGEST_LENGTH + 1
    digest, payload = data[len(MAGIC):head - 1], data[head:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        raise Damaged("sai SHA-256, tệp bị cắt cụt hoặc bị sửa")
    try:
        cache = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - unpickling damaged bytes can raise anything
        raise Damaged(f"không giải mã được ({type(exc).__name__})") from None
    if not isinstance(cache, dict):
        raise Damaged("không phải bảng")
    if stamped and not all(isinstance(v, tuple) and len(v) == 2 for v in cache.values()):
        raise Damaged("mục không đúng dạng")
    return cache


def load(path: str, opener, stamped: bool) -> dict:
    """The cache at ``path``, or an empty one (a damaged file is removed, with a warning)."""
    try:
        with opener(path, "rb") as handle:
            return decode(handle.read(), stamped)
    except FileNotFoundError:
        return {}
    except Exception as exc:  # noqa: BLE001 - gzip and zlib on damaged bytes raise several kinds
        reason = exc if isinstance(exc, Damaged) else f"{type(exc).__name__}: {exc}"
    logger.warning("Bộ nhớ đệm nội dung %s bị hỏng (%s); đã bỏ đi, nội dung sẽ được đọc lại.", path, reason)
    Path(path).unlink(missing_ok=True)
    return {}


def save(path: str, opener, cache: dict) -> None:
    """Write the cache to a temporary file beside ``path``, then rename it over ``path``."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX)
    os.close(handle)
    os.chmod(temp, 0o644)
    try:
        with opener(temp, "wb") as out:
            out.write(encode(cache))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_temporaries(folder: Path) -> None:
    """Temporary files of builds killed while saving the cache."""
    for path in Path(folder).glob(f"{_TEMP_PREFIX}*"):
        path.unlink(missing_ok=True)


_pelican_init = FileDataCacher.__init__
_pelican_save = FileDataCacher.save_cache


def _init(self, settings, cache_name, caching_policy, load_policy):
    _pelican_init(self, settings, cache_name, caching_policy, False)
    if load_policy:
        self._cache = load(self._cache_path, self._cache_open, isinstance(self, FileStampDataCacher))


def _save(self):
    if not self._cache_data_policy:
        return
    try:
        save(self._cache_path, self._cache_open, self._cache)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        logger.warning("Không lưu được bộ nhớ đệm nội dung %s: %s", self._cache_path, exc)


@contextmanager
def healing() -> Iterator[None]:
    """Pelican's cache classes load and save as above while the block runs."""
    FileDataCacher.__init__, FileDataCacher.save_cache = _init, _save
    try:
        yield
    finally:
        FileDataCacher.__init__, FileDataCacher.save_cache = _pelican_init, _pelican_save
