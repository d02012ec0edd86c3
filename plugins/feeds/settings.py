"""Settings of the feeds: defaults merged with ``PORTAL_FEEDS``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class FeedSettings:
    max_items: int = 50


def load(settings: dict) -> FeedSettings:
    return load_section(settings, "PORTAL_FEEDS", FeedSettings)
