"""Settings of the taxonomy pages and the home page: defaults merged with
``PORTAL_TAXONOMIES`` and ``PORTAL_HOME``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class TaxonomySettings:
    related_count: int = 4
    # Items in each list of an article's side column (newest of the site, newest of the unit).
    side_items: int = 6


@dataclass(frozen=True)
class HomeSettings:
    """The home page's rules (README, "Trang chủ"): each article at most once on the page."""

    # Stories in the lead block: the first is the big one.
    lead_count: int = 4
    # A Featured item leads for this many days after its date, then makes way for newer news.
    featured_days: int = 7
    # Items in the "Tin mới" column beside the lead (below it on phones).
    latest_count: int = 8
    # Cards per section block, after what the blocks above show.
    per_section: int = 4

    def __post_init__(self):
        if not 3 <= self.lead_count <= 5:
            raise ValueError(f"PORTAL_HOME lead_count: from 3 to 5 stories, not {self.lead_count!r}")
        if self.featured_days < 0 or self.latest_count < 0 or self.per_section < 1:
            raise ValueError("PORTAL_HOME: featured_days ≥ 0, latest_count ≥ 0, per_section ≥ 1")


def load(settings: dict) -> TaxonomySettings:
    return load_section(settings, "PORTAL_TAXONOMIES", TaxonomySettings)


def load_home(settings: dict) -> HomeSettings:
    return load_section(settings, "PORTAL_HOME", HomeSettings)
