"""One way for every plugin to read its settings dict over its defaults."""

from __future__ import annotations

from dataclasses import fields
from typing import TypeVar

T = TypeVar("T")


def load_section(settings: dict, key: str, cls: type[T]) -> T:
    """``settings[key]`` merged over the defaults of dataclass ``cls``; unknown keys are an error."""
    given = dict(settings.get(key) or {})
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"{key}: unknown keys {unknown}; known keys: {sorted(known)}")
    for f in fields(cls):
        if f.name in given and isinstance(given[f.name], list):
            given[f.name] = tuple(given[f.name])
    return cls(**given)
