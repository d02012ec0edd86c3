"""The search index in shards, one per period of the article dates: pure functions, no Pelican.

Pagefind holds a whole index in memory while it writes it, so one index of a
national archive would not fit; a shard per half-year (or year) is indexed by
one Pagefind process at a time, and the browser merges the shards
(``mergeIndex``). Each shard has a key, a digest of everything that decides
its bytes: its records, the options of the indexer and the Pagefind version.
A shard whose key did not change since the last build is carried over, not
indexed again.

Pagefind drops a search word that no page of an index starts with (or
matches the longest indexed word it starts with), so a shard lacking a word
of the query would answer as if the word were not asked. The vocabulary
index holds one record per shard, the distinct words of its records; the
search page asks it, word by word, which shards one index would take results
from, and searches only those (theme/static/js/search.js).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .core import Record

PERIODS = ("half", "year")
# Folder of the vocabulary index, beside the shards (whose names are years).
VOCABULARY = "tu-vung"
# The filter of the vocabulary index that names a shard.
SHARD_FILTER = "shard"
# Bumped when the indexer's post-processing (bundle.py) changes what a shard holds.
FORMAT = "1"


def period(date: dt.date, by: str) -> str:
    """The shard of an article dated ``date``: ``2026`` by year, ``2026-h1``/``2026-h2`` by half-year."""
    if by == "year":
        return f"{date.year:04d}"
    if by == "half":
        return f"{date.year:04d}-h{1 if date.month <= 6 else 2}"
    raise ValueError(f"unknown period {by!r}; one of {PERIODS}")


def canonical(record: Record) -> bytes:
    """The bytes that identify ``record``: sorted-key JSON, the same in every run."""
    return json.dumps(asdict(record), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Shard:
    """The records of one period, in the order Pagefind gets them, and their key."""

    name: str
    records: tuple[Record, ...]
    key: str


def shard_key(name: str, records: Iterable[Record], options: Iterable[tuple[str, str]]) -> str:
    """sha256 over the shard's name, the indexer's ``options`` (name, value) and its records' canonical bytes."""
    digest = hashlib.sha256(f"portal-search-shard\0{FORMAT}\0{name}\0".encode())
    for option, value in sorted(options):
        digest.update(f"{option}={value}\0".encode())
    for data in sorted(canonical(r) for r in records):
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def split(dated: Iterable[tuple[dt.date, Record]], by: str, options: Iterable[tuple[str, str]]) -> list[Shard]:
    """The shards of ``dated`` records, newest period first; records sorted by URL, then by their bytes."""
    options = tuple(options)
    groups: dict[str, list[Record]] = {}
    for date, record in dated:
        groups.setdefault(period(date, by), []).append(record)
    shards = []
    for name in sorted(groups, reverse=True):
        records = tuple(sorted(groups[name], key=lambda r: (r.url, canonical(r))))
        shards.append(Shard(name, records, shard_key(name, records, options)))
    return shards


def vocabulary_key(shards: Iterable[Shard]) -> str:
    """The key of the vocabulary index: its records follow from the shards' records, so from their keys."""
    digest = hashlib.sha256(f"portal-search-vocabulary\0{FORMAT}\0".encode())
    for shard in sorted(shards, key=lambda s: s.name):
        digest.update(f"{shard.name}={shard.key}\0".encode())
    return digest.hexdigest()


def vocabulary(shards: Iterable[Shard]) -> list[Record]:
    """One record per shard whose words are every word Pagefind indexes for the shard's records.

    Pagefind reads words from the content and from every metadata value,
    each word on its own, so the distinct space-separated tokens of those
    texts give the same indexed words.
    """
    records = []
    for shard in shards:
        tokens: set[str] = set()
        for record in shard.records:
            tokens.update(record.content.split())
            for value in record.meta.values():
                tokens.update(value.split())
        records.append(Record(url=f"/{shard.name}/", content=" ".join(sorted(tokens)), meta={},
                              filters={SHARD_FILTER: [shard.name]}))
    return records
