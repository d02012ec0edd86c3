"""Make a Pagefind 1.5 bundle byte-for-byte reproducible.

Pagefind writes the values of each filter, and the list of filters in the
index metadata, in the order of a Rust ``HashMap``, which changes from run
to run; the file names are digests of the contents, so two builds of the same
site differ. :func:`make_reproducible` rewrites those files with the values
and filters sorted, names them by the digest of their new contents and points
``pagefind-entry.json`` at the new metadata. Search results are unchanged:
the browser reads both lists into maps.

The files are gzip of ``pagefind_dcd`` followed by CBOR; the small codec below
covers what Pagefind writes (unsigned integers, text, arrays) and refuses
anything else, so a format change is noticed rather than garbled.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class FormatChanged(ValueError):
    """The bundle is not laid out as Pagefind 1.5 writes it."""


def make_reproducible(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            raise FormatChanged(f"{meta_path.name}: no list of filters")
        filters = []
        for name, digest in meta[3]:
            filters.append([name, _rewrite_filter(bundle / "filter", digest, language)])
        meta[3] = sorted(filters)
        info["hash"] = _replace(meta_path, encode(meta), bundle, lambda d: f"pagefind.{language}_{d[:10]}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rewrite_filter(folder: Path, digest: str, language: str) -> str:
    path = folder / f"{digest}.pf_filter"
    data = read(path)
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], list)):
        raise FormatChanged(f"{path.name}: not [name, values]")
    data[1] = sorted(data[1], key=lambda item: item[0])
    return _replace(path, encode(data), folder, lambda d: f"{language}_{d[:7]}.pf_filter")


def _replace(old: Path, payload: bytes, folder: Path, name_of) -> str:
    """Write ``payload`` under the name its digest gives, instead of ``old``; returns the hash in that name."""
    new = folder / name_of(hashlib.sha256(payload).hexdigest())
    if new != old:
        old.unlink()
    new.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))
    return new.name.rsplit(".", 1)[0].removeprefix("pagefind.")


def read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise FormatChanged(f"{path.name}: no {SIGNATURE.decode()} signature")
    payload = raw[len(SIGNATURE):]
    value, end = decode(payload)
    if end != len(payload) or encode(value) != payload:
        raise FormatChanged(f"{path.name}: CBOR the codec does not reproduce")
    return value


def decode(data: bytes, at: int = 0):
    """One CBOR item (unsigned integers, text, arrays) at ``at``; returns (item, end)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        length = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise FormatChanged(f"CBOR item {head:#x} not supported")
    if major == 0:
        return length, at
    if major == 3:
        return data[at:at + length].decode("utf-8"), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise FormatChanged(f"CBOR major type {major} not supported")


def encode(value) -> bytes:
    """CBOR in its shortest form, as Pagefind writes it."""
    if isinstance(value, bool) or value is None:
        raise FormatChanged(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise FormatChanged(f"cannot encode {type(value).__name__}")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if length < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, length)
    raise FormatChanged(f"length {length} too large")
