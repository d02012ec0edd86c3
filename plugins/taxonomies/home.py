"""What the home page shows: a lead block, the "Tin mới" column and a block per
section, each article at most once. Pure code over the taxonomy.

The rules (README, "Trang chủ"): the lead is the newest Featured items no older
than ``featured_days`` at the build's "now", then the newest items, up to
``lead_count``; "Tin mới" is the newest items not in the lead; each section's
block is its newest items not shown above it, so it stays full while the section
has enough. Everything follows the articles' total order (newest first), so two
builds at the same "now" choose alike; the choice changes only with "now",
which is why the site is rebuilt every day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any, Iterable

from plugins.contract.registry import Section

from .core import item_key
from .settings import HomeSettings
from .taxonomy import Taxonomy


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    articles: list = field(default_factory=list)


@dataclass(frozen=True)
class HomePage:
    """Read by index.html as ``home``."""

    lead: list  # the lead block, the big story first
    latest: list  # the "Tin mới" column
    section_blocks: list[SectionBlock]  # only sections with something left to show


class Shown:
    """The articles a page shows already, by their place in the total order."""

    def __init__(self) -> None:
        self._keys: set[tuple] = set()

    def take(self, candidates: Iterable[Any], count: int) -> list:
        """The first ``count`` candidates not shown yet, now marked as shown."""
        taken: list = []
        for item in candidates:
            if len(taken) >= count:
                break
            key = item_key(item)
            if key not in self._keys:
                self._keys.add(key)
                taken.append(item)
        return taken


def home_page(articles: list, taxonomy: Taxonomy, options: HomeSettings, now: dt.datetime) -> HomePage:
    """``articles`` newest first, as the contract orders them."""
    shown = Shown()
    since = now - dt.timedelta(days=options.featured_days)
    fresh = (a for a in takewhile(lambda a: a.date >= since, articles) if a.featured)
    lead = shown.take(fresh, options.lead_count)
    lead += shown.take(articles, options.lead_count - len(lead))
    latest = shown.take(articles, options.latest_count)
    blocks = [SectionBlock(s, shown.take(taxonomy.by_section.get(s, ()), options.per_section))
              for s in taxonomy.sections]
    return HomePage(lead, latest, [b for b in blocks if b.articles])
