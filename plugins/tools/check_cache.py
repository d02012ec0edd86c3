"""What ``invoke check`` learnt about each file, kept between runs.

Reading an article (header, Markdown, sanitiser) is nearly all the time of a
check; at tens of thousands of articles that is over a minute, far too slow
for a hook that runs on every commit. So each file's reading is saved with the
file's stamp (size, modification and change times, inode) and the digest of
its bytes, each article's resolution with the registries' digest and every
question it asked the file system (``probes``), and each photo's check with its
stamp. A later run takes a saved result only when all of that is unchanged,
and the whole cache is keyed by a digest of the plugins' code, the pinned
dependencies and Python, so it never outlives them. The rules across files
(slug and alias collisions, unread files, downloads) run again on every check,
so a check from the cache reports exactly what a check from scratch reports.

The cache lives in shards (one pickle each, with a checksum), written
atomically and only when they changed; a damaged or foreign shard is ignored
and rewritten.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from plugins.contract.articles import ArticleInfo, ReadItem, read_item, resolve_article
from plugins.contract.markup import Rendered
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry
from plugins.images import markup as photo_markup
from plugins.images.core import ImageProblem

from . import probes as fs

PLUGINS = Path(__file__).resolve().parents[1]
PYPROJECT = PLUGINS.parent / "pyproject.toml"
# The code a check runs: imports only go down the floors (tests/test_architecture.py), so the
# tools, the photos and the contract with the shared modules beneath them are all of it.
CODE_PACKAGES = ("contract", "images", "tools")
# The channel item files (kenh/) are not here: they are read afresh on every check.
REGISTRY_FILES = ("units.yml", "campaigns.yml", "sections.yml", "channels.yml")
FORMAT = b"portal-check-cache-1\n"
SHARDS = 32
# A stamp is trusted only for a file left alone this long before it was read: a file
# written twice within one tick of the file system's clock keeps its stamp.
SETTLED_NS = 3_000_000_000
# Content folders whose caches are kept (the most recently used).
KEEP_FOLDERS = 8


def code_digest() -> str:
    """The check's source, the pinned dependencies and Python: what a saved result was computed by."""
    digest = hashlib.sha256(FORMAT + sys.version.encode())
    digest.update(PYPROJECT.read_bytes() if PYPROJECT.is_file() else b"")
    sources = [*PLUGINS.glob("*.py"), *(p for package in CODE_PACKAGES for p in (PLUGINS / package).rglob("*.py"))]
    for path in sorted(sources):
        digest.update(path.relative_to(PLUGINS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def registry_digest(root: Path) -> bytes:
    """The bytes of the registries (or why they could not be read)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in REGISTRY_FILES:
        try:
            data = (root / name).read_bytes()
        except OSError as exc:
            data = f"\0{type(exc).__name__}".encode()
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.digest()


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def settled(st: os.stat_result, seen_ns: int) -> bool:
    return seen_ns - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS


@dataclass
class Resolution:
    """An article's header resolved, with the registry objects as keys into the registry."""

    registry: bytes
    probes: tuple
    info: ArticleInfo
    unit: str | None
    campaigns: tuple[str, ...]
    section: int | None
    problems: list[Problem]


@dataclass
class FileEntry:
    """One article or page as read: everything the check needs, without the body and its HTML."""

    stamp: tuple[int, int, int, int]
    digest: bytes
    trusted: bool
    page: bool
    read: ReadItem
    # (photo, line) of each photo the body shows or links to.
    photos: list[tuple[str, int]]
    resolved: Resolution | None = None


@dataclass
class PhotoEntry:
    stamp: tuple[int, int, int, int]
    trusted: bool
    max_pixels: int
    problem: ImageProblem | None


def _slim(read: ReadItem) -> ReadItem:
    rendered = read.rendered
    return ReadItem(replace(read.source, body=""), read.header,
                    Rendered("", rendered.references, rendered.problems), read.problems)


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


class Shards:
    """The saved entries of one content folder: ``files`` by source path, ``photos`` by content path."""

    def __init__(self, folder: Path, code: str):
        self.folder = folder
        self.code = code
        self.loaded: list[dict] = [self._load(i) for i in range(SHARDS)]
        self.dirty = [False] * SHARDS

    def _path(self, index: int) -> Path:
        return self.folder / f"shard-{index:02d}.pickle"

    def _load(self, index: int) -> dict:
        empty = {"files": {}, "photos": {}}
        try:
            data = self._path(index).read_bytes()
        except OSError:
            return empty
        head, check, payload = data[:len(FORMAT)], data[len(FORMAT):len(FORMAT) + 16], data[len(FORMAT) + 16:]
        if head != FORMAT or hashlib.blake2b(payload, digest_size=16).digest() != check:
            return empty
        try:
            shard = pickle.loads(payload)
        except Exception:  # a damaged cache is rebuilt, never trusted
            return empty
        if not (isinstance(shard, dict) and shard.get("code") == self.code
                and isinstance(shard.get("files"), dict) and isinstance(shard.get("photos"), dict)):
            return empty
        return {"files": shard["files"], "photos": shard["photos"]}

    def save(self, used: list[dict]) -> None:
        """Write the shards whose entries changed (``used``: this run's entries, shard by shard)."""
        for index, entries in enumerate(used):
            loaded = self.loaded[index]
            unchanged = all(entries[kind].keys() == loaded[kind].keys() for kind in ("files", "photos"))
            if unchanged and not self.dirty[index]:
                continue
            _share_fields(entries["files"].values())
            payload = pickle.dumps({"code": self.code, **entries}, protocol=pickle.HIGHEST_PROTOCOL)
            self._write(self._path(index), FORMAT + hashlib.blake2b(payload, digest_size=16).digest() + payload)

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        except OSError:
            return  # no cache this time (read-only or full disk): the check itself is unaffected
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def _share_fields(entries) -> None:
    """One object for equal header lines (``Category: tin-hoat-dong`` on line 5 of thousands of
    articles), so a shard holds and loads each once; header lines are frozen, so nothing sees it."""
    shared: dict = {}
    for entry in entries:
        fields = entry.read.source.fields
        for key, found in fields.items():
            fields[key] = shared.setdefault(found, found)


def folder_for(cache_dir: Path, root: Path) -> Path:
    return cache_dir / hashlib.sha256(os.fsencode(root)).hexdigest()[:16]


def prune(cache_dir: Path, keep: int = KEEP_FOLDERS) -> None:
    """Forget the caches of content folders not checked for a while (tests' temporary folders)."""
    try:
        folders = sorted((p for p in cache_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for folder in folders[keep:]:
            for path in folder.iterdir():
                path.unlink(missing_ok=True)
            folder.rmdir()
    except OSError:
        return


@contextmanager
def opened(cache_dir: Path, root: Path):
    """The cache of ``root`` in ``cache_dir``, saved when the check is done.

    Its entries live until the end of the check: they are loaded without the garbage
    collector (they hold no cycles) and kept out of its walks while the check runs.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        cache = CheckCache(cache_dir, root)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    try:
        yield cache
        cache.save()
    finally:
        gc.unfreeze()


class CheckCache:
    """The check's readers, answering from the saved entries when they still hold.

    ``read`` and ``resolve`` are what ``plugins.contract.pipeline.check_folder``
    calls for each file and each article; ``uses`` and ``photo`` what the photos'
    check calls. ``save`` writes what changed.
    """

    def __init__(self, cache_dir: Path, root: Path):
        self.cache_dir = cache_dir
        self.root = root
        self.folder = folder_for(cache_dir, root)
        self.shards = Shards(self.folder, code_digest())
        self.used: list[dict] = [{"files": {}, "photos": {}} for _ in range(SHARDS)]
        self.registry = registry_digest(root)
        self.probes = fs.Probes()
        # This run's entry of each file read, by source path.
        self.current: dict[str, FileEntry] = {}
        self._links: tuple[Registry, dict, dict, dict] | None = None

    # Files

    def _entry(self, kind: str, key: str):
        return self.shards.loaded[shard_of(key)][kind].get(key)

    def _keep(self, kind: str, key: str, entry, changed: bool, index: int | None = None) -> None:
        index = shard_of(key) if index is None else index
        self.used[index][kind][key] = entry
        self.shards.dirty[index] |= changed
        if kind == "files":
            self.current[key] = entry

    def read(self, root: Path, rel: str, page: bool) -> ReadItem | None:
        """The file ``rel`` as the build's reader reads it (``None`` if it cannot be read)."""
        path = f"{root}{os.sep}{rel}"
        index = shard_of(rel)
        entry = self.shards.loaded[index]["files"].get(rel)
        if not isinstance(entry, FileEntry) or entry.page != page:
            entry = None
        try:
            st = os.stat(path)
            if entry is not None and entry.trusted and entry.stamp == stamp(st):
                self._keep("files", rel, entry, False, index)
                return entry.read
            seen = time.time_ns()
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None  # reported as unread, as the build does
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        if entry is not None and entry.digest == digest:
            entry = replace(entry, stamp=stamp(st), trusted=settled(st, seen))
        else:
            full = read_item(raw, rel, page=page)
            photos = photo_markup.uses(None, 1, full.rendered.html, full.rendered.references, rel)
            entry = FileEntry(stamp(st), digest, settled(st, seen), page, _slim(full), photos)
        self._keep("files", rel, entry, True, index)
        return entry.read

    # Articles' headers resolved against the registries and the files

    def resolve(self, source, title, date, references, registry: Registry, content_root: Path):
        """``resolve_article``, from the saved resolution while its registries and file answers hold."""
        entry = self.current.get(source.path)
        if entry is None or entry.read.source is not source:
            return resolve_article(source, title, date, references, registry, content_root)
        saved = entry.resolved
        if isinstance(saved, Resolution) and saved.registry == self.registry and self.probes.same(saved.probes):
            return self._linked(saved, registry), saved.problems
        recorded, log = fs.record(content_root)
        info, problems = resolve_article(source, title, date, references, registry, recorded)
        resolution = self._unlinked(info, problems, registry, log.probes())
        if resolution is not None:
            entry.resolved = resolution
            self.shards.dirty[shard_of(source.path)] = True
        return info, problems

    def _maps(self, registry: Registry) -> tuple[dict, dict, dict]:
        if self._links is None or self._links[0] is not registry:
            self._links = (registry, {id(u): k for k, u in registry.units.items()},
                           {id(c): k for k, c in registry.campaigns.items()},
                           {id(s): i for i, s in enumerate(registry.sections)})
        return self._links[1:]

    def _unlinked(self, info: ArticleInfo, problems, registry: Registry, probes) -> Resolution | None:
        units, campaigns, sections = self._maps(registry)
        keys = [campaigns.get(id(c)) for c in info.campaigns]
        unit = units.get(id(info.unit)) if info.unit is not None else None
        section = sections.get(id(info.section)) if info.section is not None else None
        if probes is None or None in keys or (info.unit is not None and unit is None) \
                or (info.section is not None and section is None):
            return None
        bare = replace(info, unit=None, campaigns=[], section=None)
        return Resolution(self.registry, probes, bare, unit, tuple(keys), section, problems)

    @staticmethod
    def _linked(saved: Resolution, registry: Registry) -> ArticleInfo:
        info = ArticleInfo.__new__(ArticleInfo)  # a shallow copy, twenty thousand times: without copy's detours
        info.__dict__.update(saved.info.__dict__)
        info.unit = registry.units[saved.unit] if saved.unit is not None else None
        info.campaigns = [registry.campaigns[k] for k in saved.campaigns]
        info.section = registry.sections[saved.section] if saved.section is not None else None
        info.attachments, info.aliases = list(info.attachments), list(info.aliases)
        return info

    # Photos

    def uses(self, item, cover: str | None, cover_line: int) -> list[tuple[str, int]]:
        """(photo, line) of every photo the item uses, as ``plugins.images.markup.uses`` gives them."""
        entry = self.current.get(item.relative_source_path)
        if entry is None or entry.read is not item.read:
            return photo_markup.uses(cover, cover_line, item.read.rendered.html, item.portal_references,
                                     item.relative_source_path)
        return ([(cover, cover_line)] if cover is not None else []) + entry.photos

    def photo(self, full: Path, rel: str, max_pixels: int, check) -> ImageProblem | None:
        """``check(full, max_pixels)``, from the saved answer while the photo's stamp holds."""
        entry = self._entry("photos", rel)
        try:
            seen = time.time_ns()
            st = os.stat(full)
        except OSError:
            return check(full, max_pixels)
        if isinstance(entry, PhotoEntry) and entry.trusted and entry.stamp == stamp(st) \
                and entry.max_pixels == max_pixels:
            self._keep("photos", rel, entry, False)
            return entry.problem
        problem = check(full, max_pixels)
        self._keep("photos", rel, PhotoEntry(stamp(st), settled(st, seen), max_pixels, problem), True)
        return problem

    def save(self) -> None:
        self.shards.save(self.used)
        try:
            os.utime(self.folder)  # used now: kept by ``prune`` before folders checked less recently
        except OSError:
            pass
        prune(self.cache_dir)
