"""What the board's statistics page shows for one year, computed once per build."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from plugins import urls
from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.registry import Campaign, Registry

from .core import Period, Record, Report, count, existed_in

MONTHS = range(1, 13)


@dataclass
class HeatRow:
    unit_id: str
    name: str
    depth: int
    months: list[int]


@dataclass
class TypeShare:
    type_id: str
    label: str
    count: int
    percent: float
    multimedia: bool

    @property
    def bar_width(self) -> int:
        """The bar's width in whole per cent, one of the stylesheet's ``.pct-0`` … ``.pct-100`` classes."""
        return max(0, min(100, math.floor(self.percent + 0.5)))


@dataclass
class Coverage:
    campaign: Campaign
    published: list[str]
    missing: list[str]


@dataclass
class Pace:
    unit_id: str
    name: str
    total: int
    expected: int
    target: int

    @property
    def on_pace(self) -> bool:
        return self.total >= self.expected


@dataclass
class YearStats:
    year: int
    reports: list[Report]  # the year, then H1 and H2
    heat: list[HeatRow]
    heat_max: int
    types: list[TypeShare]
    multimedia_percent: float
    multimedia_goal: int
    coverage: list[Coverage]
    pace: list[Pace] = field(default_factory=list)

    @property
    def url(self) -> str:
        return urls.stats_year(self.year)

    def as_json(self) -> dict:
        return {"year": self.year, "periods": [r.as_json() for r in self.reports]}


def year_stats(registry: Registry, records: list[Record], year: int, now: dt.datetime,
               multimedia_types: tuple[str, ...], goal: int) -> YearStats:
    in_year = [r for r in records if r.day.year == year]
    reports = [count(registry, in_year, Period(year, h)) for h in (None, 1, 2)]
    heat = _heat(registry, in_year, reports[0])
    types, percent = _types(in_year, multimedia_types)
    stats = YearStats(year, reports, heat, max((max(h.months) for h in heat), default=0),
                      types, percent, goal, _coverage(registry, in_year, year))
    if now.year == year:
        stats.pace = _pace(reports[0], now.date())
    return stats


def _heat(registry: Registry, records: list[Record], report: Report) -> list[HeatRow]:
    per_unit: dict[str, list[int]] = {}
    for record in records:
        unit = registry.units.get(record.unit_id)
        for above in registry.counted_for(unit, record.day) if unit else ():
            per_unit.setdefault(above.id, [0] * 12)[record.day.month - 1] += 1
    return [HeatRow(r.id, r.name, r.depth, per_unit.get(r.id, [0] * 12)) for r in report.units]


def _types(records: list[Record], multimedia_types: tuple[str, ...]) -> tuple[list[TypeShare], float]:
    total = len(records) or 1
    counts = {t: 0 for t in CONTENT_TYPES}
    for record in records:
        counts[record.content_type] = counts.get(record.content_type, 0) + 1
    shares = [TypeShare(t, CONTENT_TYPES[t], n, round(100 * n / total, 1), t in multimedia_types) for t, n in counts.items()]
    multimedia = sum(s.count for s in shares if s.multimedia)
    return shares, round(100 * multimedia / total, 1) if records else 0.0


def _coverage(registry: Registry, records: list[Record], year: int) -> list[Coverage]:
    """For each campaign of the year: which upper-level units and departments took part."""
    credited: dict[str, set[str]] = {}
    for record in records:
        unit = registry.units.get(record.unit_id)
        above = [u.id for u in registry.counted_for(unit, record.day)] if unit else []
        for campaign_id in record.campaign_ids:
            credited.setdefault(campaign_id, set()).update(above)
    result = []
    for campaign in sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id)):
        if campaign.start.year != year and campaign.end.year != year:
            continue
        expected = [u for u, _ in registry.walk() if u.kind in ("cap-tren", "ban")
                    and existed_in(u, campaign.start, campaign.end)]
        took_part = credited.get(campaign.id, set())
        result.append(Coverage(campaign, [u.name for u in expected if u.id in took_part],
                               [u.name for u in expected if u.id not in took_part]))
    return result


def _pace(report: Report, today: dt.date) -> list[Pace]:
    """Where each unit should be by today if it spread its target evenly over the year."""
    start = dt.date(today.year, 1, 1)
    fraction = ((today - start).days + 1) / ((dt.date(today.year, 12, 31) - start).days + 1)
    return [Pace(r.id, r.name, r.total, math.ceil(r.target * fraction), r.target)
            for r in report.units if r.target]
