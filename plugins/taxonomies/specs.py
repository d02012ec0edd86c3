"""The portal's taxonomies, declared once each."""

from __future__ import annotations

from .core import TaxonomySpec

UNITS = TaxonomySpec("unit", "unit", lambda a: (a.unit,), parent_of=lambda u: u.parent)
CAMPAIGNS = TaxonomySpec("campaign", "campaign", lambda a: a.campaigns)
SECTIONS = TaxonomySpec("section", "category", lambda a: (a.section,))
YEARS = TaxonomySpec("year", "period_archives", lambda a: (a.date.year,))
MONTHS = TaxonomySpec("month", "period_archives", lambda a: ((a.date.year, a.date.month),))
