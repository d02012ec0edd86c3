"""Pagefind's Python API (``pagefind[bin]``, pinned): index records, write the bundle.

The stock service client of pagefind 1.5.2 reads one reply from the binary
every 0.1 s (2,000 s for 20,000 articles) and waits forever when the binary
dies. :class:`_Service` replaces that reader: replies are taken as they
come, and when the process ends every waiting request fails with its output.
Requests are sent a few dozen at a time, so the binary never waits for Python.
The binary answers WriteFiles before its last writes reach the disk, and
they are lost when it exits: it is only stopped, by closing its input, once
every file of the bundle is whole (:func:`_settle`).

:func:`write_shards` writes the index as one bundle per shard (:mod:`.shards`),
one Pagefind process after the other, so the memory it takes is that of the
largest shard, and skips the shards the build's output ledger carries over.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import json
import logging
import shutil
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable, Protocol

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from .bundle import FormatChanged, make_reproducible
from .core import Record
from .shards import VOCABULARY, Shard, vocabulary, vocabulary_key

logger = logging.getLogger(__name__)

_LOG_TAIL = 2000
_SETTLE_SECONDS = 120
# Files of the bundle that Pagefind gzips.
_GZIPPED = (".pagefind", ".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


class _Service(PagefindService):
    failure: SearchIndexError | None = None

    async def send(self, payload):
        if self.failure is not None:
            raise self.failure
        return await super().send(payload)

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        noise = b""
        try:
            while True:
                chunk = (await stdout.readuntil(b","))[:-1]
                # Replies are base64 (no spaces, no commas); anything before one is the binary's own output.
                words = chunk.split()
                reply = words[-1] if words else b""
                try:
                    response = json.loads(base64.b64decode(reply, validate=True))
                except (binascii.Error, ValueError):
                    noise = (noise + chunk + b",")[-_LOG_TAIL:]
                    continue
                noise = (noise + chunk[: -len(reply)])[-_LOG_TAIL:]
                self._resolve(response)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # end of output, or a reply too long to read: the service is unusable
            if isinstance(exc, asyncio.IncompleteReadError):
                noise = (noise + exc.partial)[-_LOG_TAIL:]
            elif self._backend.returncode is None:
                self._backend.kill()
            code = await self._backend.wait()
            output = noise.decode("utf-8", "replace").strip()
            self._fail(SearchIndexError(f"pagefind dừng đột ngột (mã thoát {code})" + (f": {output}" if output else "")))

    def _resolve(self, response: dict) -> None:
        message_id = response.get("message_id")
        payload = response.get("payload") or {}
        if message_id is None and payload.get("original_message"):
            try:
                message_id = json.loads(payload["original_message"]).get("message_id")
            except (ValueError, AttributeError):
                message_id = None
        future = self._responses.pop(message_id, None)
        error = SearchIndexError(f"pagefind: {payload.get('message')}") if payload.get("type") == "Error" else None
        if future is None or future.done():
            if error is not None:  # an error no request waits for: fail them all
                self._fail(error)
        elif error is not None:
            future.set_exception(error)
        else:
            future.set_result(payload)

    def _fail(self, error: SearchIndexError) -> None:
        self.failure = self.failure or error
        for future in self._responses.values():
            if not future.done():
                future.set_exception(error)
                future.exception()  # a request that stopped waiting must not log it again
        self._responses.clear()

    async def close(self) -> None:
        # The binary may still be writing files after it answered WriteFiles:
        # end its input and let it finish, and stop it only if it does not.
        stdin = self._backend.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()
        if self._backend.returncode is None:
            try:
                await asyncio.wait_for(self._backend.wait(), timeout=60)
            except asyncio.TimeoutError:
                self._backend.kill()
                await self._backend.wait()
        self._poll_task.cancel()


async def _write(records: Iterable[Record], bundle: Path, language: str, in_flight: int) -> int:
    service = _Service()
    await service.launch()
    try:
        config = IndexConfig(force_language=language)
        index = await service.create_index(config)
        count = await _add_all(index, records, language, in_flight)
        await index.write_files(output_path=str(bundle))
        await _settle(service, bundle, await _fixed_files(service, config, language))
        return count
    except Exception as exc:
        if service.failure is None and not service._poll_task.done():
            # Writing to a binary that died fails first; its exit code and output come a moment later.
            await asyncio.wait({service._poll_task}, timeout=2)
        if service.failure is not None and exc is not service.failure:
            raise service.failure from exc
        raise
    finally:
        await service.close()


async def _add_all(index: PagefindIndex, records: Iterable[Record], language: str, in_flight: int) -> int:
    pending: set[asyncio.Task] = set()
    count = 0
    try:
        for record in records:
            if len(pending) >= in_flight:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
            pending.add(asyncio.ensure_future(index.add_custom_record(
                url=record.url, content=record.content, language=language,
                meta=record.meta, filters=record.filters, sort=record.sort)))
            count += 1
        for task in asyncio.as_completed(pending):
            await task
    finally:
        for task in pending:
            task.cancel()
    return count


async def _fixed_files(service: _Service, config: IndexConfig, language: str) -> dict[str, bytes]:
    """The files every bundle of this Pagefind version holds (scripts, styles,
    WebAssembly), as the binary returns them from a throwaway index in memory."""
    index = await service.create_index(config)
    await index.add_custom_record(url="/", content="-", language=language)
    files = await index.get_files()
    await index.delete_index()
    return {f["path"]: f["content"] for f in files
            if "/" not in f["path"] and not f["path"].endswith(".pf_meta") and f["path"] != "pagefind-entry.json"}


async def _settle(service: _Service, bundle: Path, fixed: dict[str, bytes]) -> None:
    """Wait, the binary still running, until every file it wrote is whole.

    Pagefind answers WriteFiles when its writes are queued, not done, and the
    queue is lost when the process ends. A fixed file must equal the binary's
    own copy, a gzipped one must decompress, the entry must be JSON.
    """
    pending = {p for p in bundle.rglob("*") if p.is_file()} | {bundle / name for name in fixed}
    deadline = time.monotonic() + _SETTLE_SECONDS
    while True:
        pending = {path for path in pending if not _whole(path, bundle, fixed)}
        if not pending:
            return
        if service.failure is not None:
            raise service.failure
        if time.monotonic() > deadline:
            names = ", ".join(sorted(p.relative_to(bundle).as_posix() for p in pending)[:5])
            raise SearchIndexError(f"pagefind chưa ghi xong các tệp chỉ mục: {names}")
        await asyncio.sleep(0.05)


def _whole(path: Path, bundle: Path, fixed: dict[str, bytes]) -> bool:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    name = path.relative_to(bundle).as_posix()
    if name in fixed:
        return data == fixed[name]
    if path.suffix in _GZIPPED:
        try:
            zlib.decompress(data, wbits=31)
        except zlib.error:  # truncated
            return False
        return True
    if path.suffix == ".json":
        try:
            json.loads(data)
        except ValueError:
            return False
    return bool(data)


def write_bundle(records: Iterable[Record], bundle: Path, *, language: str = "vi", in_flight: int = 32) -> int:
    """Index ``records`` and write the Pagefind bundle (``pagefind.js``, index, fragments) into ``bundle``.

    Returns the number of records; raises :class:`SearchIndexError` when the
    binary is missing, refuses a record or stops, or leaves a file incomplete.
    The bundle is made reproducible (:mod:`.bundle`). Runs its own event loop in a
    worker thread, so it also works when the caller already runs one.
    """
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pagefind") as pool:
        try:
            count = pool.submit(asyncio.run, _write(records, Path(bundle), language, in_flight)).result()
        except SearchIndexError:
            raise
        except (OSError, AssertionError) as exc:
            raise SearchIndexError(f"không chạy được pagefind: {exc}") from exc
    try:
        make_reproducible(Path(bundle))
    except FormatChanged as exc:  # the search works; only two builds may differ
        logger.warning("chỉ mục tìm kiếm: không sắp xếp lại được (%s); hai lần dựng có thể khác nhau", exc)
    return count


def pagefind_version() -> str:
    """The version of the Pagefind binary the build runs (part of every shard's key)."""
    for package in ("pagefind_bin", "pagefind"):
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


class Ledger(Protocol):
    """What the build's output ledger offers for folders (plugins.incremental)."""

    def carry_tree(self, relpath: str, key: str) -> bool: ...

    def record_tree(self, relpath: str, key: str) -> None: ...


@dataclass(frozen=True)
class Written:
    """What :func:`write_shards` did."""

    records: int
    indexed: int
    carried: int


# The one file of a bundle the search page loads from the top of the bundle folder.
ENTRY_SCRIPT = "pagefind.js"


def write_shards(shards: Iterable[Shard], output: Path, bundle_dir: str, ledger: Ledger | None = None, *,
                 language: str = "vi", in_flight: int = 32) -> Written:
    """Write each shard as its own bundle in ``output/bundle_dir/<shard>/``, one Pagefind process at a time,
    and the vocabulary of the shards in ``output/bundle_dir/tu-vung/``.

    A bundle the ``ledger`` carries from the previous build (same key) is not
    indexed again. ``pagefind.js`` is copied to the top of the bundle folder,
    the search page's one entry point. Counts the shards indexed and carried
    (not the vocabulary). Raises :class:`SearchIndexError`.
    """
    shards = list(shards)
    top = Path(output) / bundle_dir
    indexed = carried = 0
    for shard in shards:
        if _write_tree(top, bundle_dir, shard.name, shard.key, lambda: shard.records, ledger, language, in_flight):
            indexed += 1
        else:
            carried += 1
    if shards:
        _write_tree(top, bundle_dir, VOCABULARY, vocabulary_key(shards), lambda: vocabulary(shards), ledger,
                    language, in_flight)
        entry = top / ENTRY_SCRIPT
        entry.unlink(missing_ok=True)  # never rewrite in place: it may be linked to the site being served
        entry.write_bytes((top / shards[0].name / ENTRY_SCRIPT).read_bytes())
    return Written(sum(len(s.records) for s in shards), indexed, carried)


def _write_tree(top: Path, bundle_dir: str, name: str, key: str, records, ledger: Ledger | None,
                language: str, in_flight: int) -> bool:
    """Carry the bundle ``name`` from the last build, or index ``records()`` into it; True if indexed."""
    relpath = f"{bundle_dir}/{name}"
    if ledger is not None and ledger.carry_tree(relpath, key):
        return False
    shutil.rmtree(top / name, ignore_errors=True)
    write_bundle(records(), top / name, language=language, in_flight=in_flight)
    if ledger is not None:
        ledger.record_tree(relpath, key)
    return True
