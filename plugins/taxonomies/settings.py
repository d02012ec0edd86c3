"""Settings of the taxonomy pages: defaults merged with ``PORTAL_TAXONOMIES``."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class TaxonomySettings:
    related_count: int = 4
    home_section_items: int = 4


def load(settings: dict) -> TaxonomySettings:
    given = dict(settings.get("PORTAL_TAXONOMIES") or {})
    known = {f.name for f in fields(TaxonomySettings)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"PORTAL_TAXONOMIES: unknown keys {unknown}; known keys: {sorted(known)}")
    return TaxonomySettings(**given)
