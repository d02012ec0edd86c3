"""The portal's taxonomies, declared once each."""

from __future__ import annotations

from plugins.contract.registry import Registry

from .core import Facet, TaxonomySpec, rarity, same_unit


def units(registry: Registry) -> TaxonomySpec:
    """Articles per unit, each also counted for the units above its own on its day."""
    return TaxonomySpec("unit", "unit", lambda a: (a.unit,),
                        counted_for=lambda unit, a: registry.counted_for(unit, a.date.date()))


CAMPAIGNS = TaxonomySpec("campaign", "campaign", lambda a: a.campaigns)
SECTIONS = TaxonomySpec("section", "category", lambda a: (a.section,))
YEARS = TaxonomySpec("year", "period_archives", lambda a: (a.date.year,))
MONTHS = TaxonomySpec("month", "period_archives", lambda a: ((a.date.year, a.date.month),))

# What makes two articles related, strongest first: a tag or campaign both have (the
# rarer, the more it says: a campaign is a topic the federation names, so it counts like
# a tag), then the same unit, by its own id only: with the roll-up to the units above,
# every article of the province would be related to the federation's own.
RELATED = (
    Facet("tag", lambda a: getattr(a, "tags", ()), rarity),
    Facet("campaign", lambda a: a.campaigns, rarity),
    Facet("unit", lambda a: (a.unit,), same_unit),
)
