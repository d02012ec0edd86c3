"""The portal's taxonomies, declared once each."""

from __future__ import annotations

from plugins.contract.registry import Registry

from .core import TaxonomySpec


def units(registry: Registry) -> TaxonomySpec:
    """Articles per unit, each also counted for the units above its own on its day."""
    return TaxonomySpec("unit", "unit", lambda a: (a.unit,),
                        counted_for=lambda unit, a: registry.counted_for(unit, a.date.date()))


CAMPAIGNS = TaxonomySpec("campaign", "campaign", lambda a: a.campaigns)
SECTIONS = TaxonomySpec("section", "category", lambda a: (a.section,))
YEARS = TaxonomySpec("year", "period_archives", lambda a: (a.date.year,))
MONTHS = TaxonomySpec("month", "period_archives", lambda a: ((a.date.year, a.date.month),))
