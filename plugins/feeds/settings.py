"""Settings of the feeds: defaults merged with ``PORTAL_FEEDS``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class FeedSettings:
    max_items: int = 50
    # Feeds need absolute URLs even in a local build, where SITEURL is empty.
    local_siteurl: str = "http://localhost:8000"


def load(settings: dict) -> FeedSettings:
    return load_section(settings, "PORTAL_FEEDS", FeedSettings)
