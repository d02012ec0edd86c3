"""The one object the taxonomies plugin hands on: the unit tree, campaigns,
sections, archives and tags of a build, with the articles of each.

Templates read it as ``portal``; feeds, publishing and search ask for it with
:func:`taxonomy`, which names this plugin if it has not run before them.
Pure code: built from the contract's articles and registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from plugins.contract.registry import Campaign, Registry, Section
from plugins.requires import require

from . import core, specs

# The context key, as templates and plugins/requires.py know it.
KEY = "portal"


@dataclass(frozen=True)
class Taxonomy:
    """Navigation for every template, and articles per term (newest first) for other plugins."""

    sections: list[Section]
    unit_tree: list[core.UnitNode]
    campaigns: list[Campaign]  # newest first
    archive_years: list[core.YearArchive]
    tags: list[tuple[Any, list]]  # Pelican's (tag, articles) in a total order
    nodes: dict[str, core.UnitNode]
    by_unit: dict
    by_campaign: dict
    by_section: dict
    by_year: dict
    by_month: dict


def build_taxonomy(articles: list, registry: Registry, tags: list[tuple[Any, list]]) -> Taxonomy:
    """Group the articles (newest first) by every taxonomy; counts each campaign's articles."""
    by_unit = core.group(articles, specs.units(registry), registry.units.values())
    by_campaign = core.group(articles, specs.CAMPAIGNS, registry.campaigns.values())
    by_year, by_month = core.group(articles, specs.YEARS), core.group(articles, specs.MONTHS)
    for campaign, items in by_campaign.items():
        campaign.article_count = len(items)
    tree = core.unit_tree(registry, by_unit)
    return Taxonomy(
        sections=registry.sections,
        unit_tree=tree,
        campaigns=sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id), reverse=True),
        archive_years=core.archives(by_year, by_month),
        tags=order_tags(tags),
        nodes=core.index_nodes(tree),
        by_unit=by_unit,
        by_campaign=by_campaign,
        by_section=core.group(articles, specs.SECTIONS, registry.sections),
        by_year=by_year,
        by_month=by_month,
    )


def order_tags(tags: list[tuple[Any, list]]) -> list[tuple[Any, list]]:
    """Pelican's tags in a total order, and each tag's articles newest first in the
    articles' order (in place: Pelican writes the tag pages from the same lists)."""
    ordered = sorted(tags, key=lambda pair: core.term_key(pair[0]))
    for _, items in ordered:
        items.sort(key=core.item_key, reverse=True)
    return ordered


def taxonomy(context: Mapping, reader: str) -> Taxonomy:
    """The build's taxonomy; ``reader`` (the asking module) is named if taxonomies has not run."""
    return require(context, KEY, reader, Taxonomy)
