"""Settings of the taxonomy pages: defaults merged with ``PORTAL_TAXONOMIES``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class TaxonomySettings:
    related_count: int = 4
    home_section_items: int = 4
    # Items in each list of an article's side column (newest of the site, newest of the unit).
    side_items: int = 6


def load(settings: dict) -> TaxonomySettings:
    return load_section(settings, "PORTAL_TAXONOMIES", TaxonomySettings)
