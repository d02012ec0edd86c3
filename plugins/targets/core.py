"""Counting published articles per unit against yearly targets.

Pure code, so every rule the editorial board relies on is tested cheaply:
local dates decide the period, grassroots items count for every unit above
them, targets are pro-rated by the months a unit existed, rounded up.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Iterable

from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.registry import Registry, Unit


@dataclass(frozen=True)
class Period:
    year: int
    half: int | None = None  # 1 = Jan–Jun, 2 = Jul–Dec

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def months(self) -> range:
        if self.half == 1:
            return range(1, 7)
        if self.half == 2:
            return range(7, 13)
        return range(1, 13)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        return _month_end(self.year, self.months[-1])

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Record:
    """One published article as the counting sees it: its unit, local day and type."""

    unit_id: str
    day: dt.date
    content_type: str
    campaign_ids: tuple[str, ...] = ()


@dataclass
class UnitRow:
    id: str
    name: str
    kind: str
    parent: str | None
    depth: int
    own: int = 0
    total: int = 0
    target: int | None = None
    met: bool | None = None
    by_type: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
                "own": self.own, "total": self.total, "target": self.target, "met": self.met,
                "by_type": dict(self.by_type)}


@dataclass
class Report:
    period: Period
    units: list[UnitRow]

    def as_json(self) -> dict:
        return {"period": self.period.label, "units": [u.as_json() for u in self.units]}

    @property
    def behind(self) -> list[UnitRow]:
        return [u for u in self.units if u.met is False]


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def existed_in(unit: Unit, start: dt.date, end: dt.date) -> bool:
    """True if the unit existed on at least one day between start and end (inclusive)."""
    return (unit.active_from is None or unit.active_from <= end) and \
        (unit.active_until is None or unit.active_until >= start)


def months_existing(unit: Unit, period: Period) -> int:
    return sum(1 for m in period.months
               if existed_in(unit, dt.date(period.year, m, 1), _month_end(period.year, m)))


def target_for(registry: Registry, unit: Unit, period: Period) -> int | None:
    rule = registry.target_rule(unit)
    yearly = rule.for_year(period.year) if rule else None
    if yearly is None:
        return None
    return math.ceil(yearly * months_existing(unit, period) / 12)


def count(registry: Registry, records: Iterable[Record], period: Period) -> Report:
    """Rows in tree order for every unit that existed during the period."""
    in_period = [r for r in records if period.contains(r.day)]
    own: dict[str, dict[str, int]] = {}
    for record in in_period:
        types = own.setdefault(record.unit_id, {})
        types[record.content_type] = types.get(record.content_type, 0) + 1
    totals = _roll_up(registry, in_period)
    rows = []
    for unit, depth in registry.walk():
        if not existed_in(unit, period.start, period.end):
            continue
        by_type = totals.get(unit.id, {})
        row = UnitRow(unit.id, unit.name, unit.kind, unit.parent.id if unit.parent else None, depth,
                      own=sum(own.get(unit.id, {}).values()), total=sum(by_type.values()),
                      target=target_for(registry, unit, period),
                      by_type={t: by_type.get(t, 0) for t in CONTENT_TYPES})
        row.met = None if row.target is None else row.total >= row.target
        rows.append(row)
    return Report(period, rows)


def _roll_up(registry: Registry, records: list[Record]) -> dict[str, dict[str, int]]:
    """Each unit's counts by type, its own plus every unit below it on each item's day."""
    totals: dict[str, dict[str, int]] = {}
    for record in records:
        unit = registry.units.get(record.unit_id)
        for above in registry.counted_for(unit, record.day) if unit else ():
            bucket = totals.setdefault(above.id, {})
            bucket[record.content_type] = bucket.get(record.content_type, 0) + 1
    return totals
