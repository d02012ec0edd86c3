"""What the home page shows above and beside the latest news: the lead story
and a block of recent articles per section. Pure code over the taxonomy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugins.contract.registry import Section

from .taxonomy import Taxonomy


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    articles: list = field(default_factory=list)


@dataclass(frozen=True)
class HomePage:
    """Read by index.html as ``home``."""

    featured: Any  # the newest featured article, else the newest article, else None
    section_blocks: list[SectionBlock]


def home_page(articles: list, taxonomy: Taxonomy, per_section: int) -> HomePage:
    """``articles`` newest first; sections without articles get no block."""
    featured = next((a for a in articles if a.featured), articles[0] if articles else None)
    blocks = [SectionBlock(s, taxonomy.by_section[s][:per_section]) for s in taxonomy.sections]
    return HomePage(featured, [b for b in blocks if b.articles])
