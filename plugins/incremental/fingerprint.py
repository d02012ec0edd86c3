"""Digests of the values a template prints, so a page whose inputs did not
change is neither rendered nor written again.

A digest covers a value's whole content: strings, numbers, dates, lists,
mappings, dataclasses and plain objects are walked field by field. Content
items (articles, pages) are the exception: their digest covers everything the
item itself holds (resolved body and summary, URL, metadata, pictures, unit,
campaigns…) but another item it points to (newer, older, related,
translations) only by its source path, so one article's digest never pulls in
the whole archive. A template that prints a neighbour's title reaches it
through its own name chain (``article.older.title``), which the page key
covers separately. Pure code: the caller says what a content item is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import io
import pickle
import types
from pathlib import PurePath
from typing import Any, Callable, Iterable

# Attributes that hold the whole build (settings, the shared context) or caches, never a page's input.
SKIPPED_ATTRIBUTES = frozenset({"settings", "_context", "_cache", "__weakref__"})
# A content item's own attributes that only repeat others (Pelican sets every metadata key as one).
REPEATED_ATTRIBUTES = frozenset({"metadata"})
# A content item's values that Pelican computes on access (links resolved, summary cut, URL from settings).
RESOLVED_PROPERTIES = ("content", "summary", "url", "save_as")

_CYCLE = b"\x00cycle"


def _number(tag: bytes, text: str) -> bytes:
    return tag + text.encode() + b";"


class Fingerprints:
    """Digests memoised by object identity for one build, whose objects live until it ends."""

    def __init__(self, is_content: Callable[[Any], bool], special: Callable[[Any], Any] | None = None):
        self._is_content = is_content
        self._special = special or (lambda value: None)
        self._memo: dict[int, bytes] = {}
        self._keep: list[Any] = []
        # Objects the whole build shares (its settings, the generators' context): named, never walked.
        self.shared: set[int] = set()

    def is_content(self, value: Any) -> bool:
        return self._is_content(value)

    def share(self, *objects: Any) -> None:
        for obj in objects:
            self.shared.add(id(obj))
            self._keep.append(obj)

    def digest(self, value: Any) -> bytes:
        """32 bytes that change whenever anything printable in ``value`` changes."""
        return hashlib.sha256(self.encode(value)).digest()

    def encode(self, value: Any) -> bytes:
        if value is None or isinstance(value, bool):
            return repr(value).encode()
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            return b"s" + str(len(data)).encode() + b":" + data
        if isinstance(value, (int, float)):
            return _number(b"n", repr(value))
        if isinstance(value, bytes):
            return b"b" + str(len(value)).encode() + b":" + value
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            zone = getattr(value, "tzinfo", None)
            return _number(b"t", value.isoformat() + (f"@{zone}" if zone is not None else ""))
        if isinstance(value, enum.Enum):
            return b"e" + self.encode(f"{type(value).__qualname__}.{value.name}") + self.encode(value.value)
        if isinstance(value, PurePath):
            return b"p" + self.encode(str(value))
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
            # Code is covered by the build's code digest; only which function it is matters here.
            return b"f" + self.encode(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', getattr(value, '__name__', ''))}")
        if isinstance(value, types.MethodType):
            return b"m" + self.encode(value.__func__) + self.encode(value.__self__)
        key = id(value)
        found = self._memo.get(key)
        if found is not None:
            return found
        self._memo[key] = _CYCLE
        self._keep.append(value)
        encoded = b"#" + hashlib.sha256(self._compound(value)).digest()
        self._memo[key] = encoded
        return encoded

    def _compound(self, value: Any) -> bytes:
        special = self._special(value)
        if special is not None:
            return b"x" + self.encode(type(value).__qualname__) + self.encode(special)
        if self._is_content(value):
            return self._content(value)
        if _is_settings(value):
            return b"S"  # the settings are in the build's salt
        if isinstance(value, (list, tuple)):
            return b"l" + b"".join(self.encode(v) for v in value)
        if isinstance(value, (set, frozenset)):
            return b"u" + b"".join(sorted(self.encode(v) for v in value))
        if isinstance(value, dict):
            return b"d" + b"".join(self.encode(k) + self.encode(v) for k, v in value.items())
        if hasattr(value, "__dict__"):
            return self._fields(value, vars(value).items())
        if dataclasses.is_dataclass(value):
            return self._fields(value, ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value)))
        if hasattr(type(value), "__slots__"):
            return self._fields(value, ((n, getattr(value, n, None)) for n in type(value).__slots__))
        return b"r" + self.encode(f"{type(value).__qualname__}:{value!r}")

    def _fields(self, value: Any, items: Iterable[tuple[str, Any]]) -> bytes:
        """Every attribute an object holds (vars() includes state set on it later, such as a counter)."""
        parts = [b"o", self.encode(type(value).__qualname__)]
        for name, item in sorted(items, key=lambda pair: pair[0]):
            if name not in SKIPPED_ATTRIBUTES:
                parts += [self.encode(name), self.encode(item)]
        return b"".join(parts)

    def _content(self, item: Any) -> bytes:
        """Pickled, with the build's shared objects and other items cut off by name (fast, in C);
        walked attribute by attribute when something in it cannot be pickled."""
        resolved = b"".join(self.encode(name) + self.encode(getattr(item, name, None)) for name in RESOLVED_PROPERTIES)
        try:
            return b"c" + _ItemPickler(self, item).dump_item() + resolved
        except Exception:  # noqa: BLE001 - anything unpicklable: the slow, complete walk below
            return self._walked_content(item) + resolved

    def _walked_content(self, item: Any) -> bytes:
        parts = [b"w", self.encode(type(item).__qualname__)]
        for name, value in sorted(vars(item).items(), key=lambda pair: pair[0]):
            if name in SKIPPED_ATTRIBUTES:
                continue
            parts += [self.encode(name), self._shallow(value)]
        return b"".join(parts)

    def _shallow(self, value: Any) -> bytes:
        """A content item's attribute: another item (or a list of them) by its source path only."""
        if self._is_content(value):
            return b"ref" + self.encode(getattr(value, "source_path", None))
        if isinstance(value, (list, tuple)) and value and all(self._is_content(v) for v in value):
            return b"refs" + b"".join(self.encode(getattr(v, "source_path", None)) for v in value)
        return self.encode(value)


class _ItemPickler(pickle.Pickler):
    """Pickles one content item's attributes; everything shared by the whole build, every other
    item and every set (whose order varies between processes) is replaced by a stable name."""

    def __init__(self, owner: Fingerprints, item: Any):
        self._out = io.BytesIO()
        super().__init__(self._out, protocol=5)
        self._owner = owner
        self._item = item
        self._shared = {id(getattr(item, name, None)) for name in SKIPPED_ATTRIBUTES} - {id(None)}

    def dump_item(self) -> bytes:
        state = {k: v for k, v in sorted(vars(self._item).items())
                 if k not in SKIPPED_ATTRIBUTES and k not in REPEATED_ATTRIBUTES}
        self.dump((type(self._item).__qualname__, state))
        return self._out.getvalue()

    def persistent_id(self, obj: Any):
        if obj is None or isinstance(obj, (str, int, float, bool, bytes)):
            return None
        if id(obj) in self._shared or id(obj) in self._owner.shared or _is_settings(obj):
            return ("shared",)
        owner = self._owner
        if obj is not self._item and owner._is_content(obj):
            return ("item", getattr(obj, "source_path", None))
        if isinstance(obj, (set, frozenset)) or owner._special(obj) is not None:
            return ("digest", owner.digest(obj))
        return None


def _is_settings(obj: Any) -> bool:
    """Pelican's settings (or a copy a tag or category keeps): in the build's salt, never walked."""
    return isinstance(obj, dict) and "PLUGINS" in obj and "THEME" in obj and "SITEURL" in obj
