"""What the board's statistics page shows for one year, computed once per build."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from plugins import urls
from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.dates import format_vi_date
from plugins.contract.registry import Campaign, Registry

from .core import Period, Record, Report, UnitRow, count, exact_target, round_half_up, target_for
from .settings import TargetSettings

MONTHS = range(1, 13)


@dataclass
class TypeShare:
    type_id: str
    label: str
    count: int
    percent: float

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
    note: str = ""

    @property
    def on_pace(self) -> bool:
        return self.total >= self.expected


@dataclass
class NationalPage:
    """Items sent to the national union page in one period, for the federation as a whole."""

    period: Period
    count: int
    days: int  # days of the period up to today
    days_with: int
    missing: list[dt.date]

    @property
    def days_without(self) -> int:
        return len(self.missing)

    def as_json(self) -> dict:
        return {"period": self.period.label, "count": self.count, "days": self.days, "days_with": self.days_with,
                "days_without": [d.isoformat() for d in self.missing]}


@dataclass
class DigitalYear:
    year: int
    digital: int
    total: int
    # Where the share should be this year on a straight line to the goal (None after the goal year).
    path: float | None = None

    @property
    def percent(self) -> float:
        return round(100 * self.digital / self.total, 1) if self.total else 0.0


@dataclass
class DigitalShare:
    """Digital products out of all products of all channels: the year, per unit, and the years
    toward the goal."""

    goal: int
    goal_year: int
    year: DigitalYear
    units: list[UnitRow]
    trend: list[DigitalYear]

    @property
    def met(self) -> bool:
        return self.year.percent >= self.goal

    def as_json(self) -> dict:
        return {"goal": self.goal, "goal_year": self.goal_year, "digital": self.year.digital,
                "total": self.year.total, "percent": self.year.percent,
                "trend": [{"year": t.year, "digital": t.digital, "total": t.total, "percent": t.percent,
                           "path": t.path} for t in self.trend]}


@dataclass
class YearStats:
    year: int
    reports: list[Report]  # the year, then H1 and H2
    heat_max: int
    types: list[TypeShare]
    coverage: list[Coverage]
    national: list[NationalPage]
    digital: DigitalShare
    channels: dict[str, str]
    # Short names of the channels, for the tables' headings.
    labels: dict[str, str] = field(default_factory=dict)
    pace: list[Pace] = field(default_factory=list)

    @property
    def url(self) -> str:
        return urls.stats_year(self.year)

    def as_json(self) -> dict:
        return {"year": self.year, "channels": dict(self.channels), "periods": [r.as_json() for r in self.reports],
                "national_page": [n.as_json() for n in self.national], "digital": self.digital.as_json()}


def year_stats(registry: Registry, records: list[Record], year: int, now: dt.datetime,
               options: TargetSettings, channels: dict[str, str], labels: dict[str, str] | None = None) -> YearStats:
    """``records`` of every year (the previous year's are compared with); ``channels`` maps
    channel ids to their names, in the order the reports list them, ``labels`` to short names."""
    in_year = [r for r in records if r.day.year == year]
    reports = [count(registry, records, Period(year, h), options.is_digital, channels) for h in (None, 1, 2)]
    whole = reports[0]
    today = now.date()
    stats = YearStats(year, reports, max((max(r.months, default=0) for r in whole.units), default=0),
                      _types(in_year), _coverage(registry, in_year, year),
                      [_national(in_year, r.period, options.national_channel, today) for r in reports],
                      _digital(records, whole, year, options), {c: channels.get(c, c) for c in whole.channels},
                      {c: (labels or {}).get(c) or channels.get(c, c) for c in whole.channels})
    if now.year == year:
        stats.pace = _pace(registry, whole, today)
    return stats


def _types(records: list[Record]) -> list[TypeShare]:
    total = len(records) or 1
    counts = {t: 0 for t in CONTENT_TYPES}
    for record in records:
        counts[record.content_type] = counts.get(record.content_type, 0) + 1
    return [TypeShare(t, CONTENT_TYPES.get(t, t), n, round(100 * n / total, 1)) for t, n in counts.items()]


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
        expected = [u for u, _ in registry.walk() if u.existed_in(campaign.start, campaign.end)
                    and u.kind_on(max(campaign.start, u.active_from or campaign.start)) in ("cap-tren", "ban")]
        took_part = credited.get(campaign.id, set())
        day = campaign.start
        result.append(Coverage(campaign, [u.name_on(day) for u in expected if u.id in took_part],
                               [u.name_on(day) for u in expected if u.id not in took_part]))
    return result


def period_coverage(registry: Registry, records: list[Record], period: Period) -> list[Coverage]:
    """The campaigns that overlap ``period``, each with the units that wrote for it within the period."""
    inside = [r for r in records if period.contains(r.day)]
    return [c for c in _coverage(registry, inside, period.year)
            if c.campaign.start <= period.end and c.campaign.end >= period.start]


def _national(records: list[Record], period: Period, channel: str, today: dt.date) -> NationalPage:
    """Days of the period (up to today) with at least one item on the national page, and the days without."""
    last = min(period.end, today)
    sent = [r.day for r in records if r.channel_id == channel and period.contains(r.day) and r.day <= last]
    days_with = set(sent)
    missing, day = [], period.start
    while day <= last:
        if day not in days_with:
            missing.append(day)
        day += dt.timedelta(days=1)
    days = max(0, (last - period.start).days + 1)
    return NationalPage(period, len(sent), days, len(days_with), missing)


def _digital(records: list[Record], whole: Report, year: int, options: TargetSettings) -> DigitalShare:
    """The year's share, each unit's, and every year from the first with items to the goal year,
    with the straight line from the first such year's share to the goal (the goal itself when
    that share already reached it)."""
    per_year: dict[int, list[int]] = {}
    for record in records:
        tally = per_year.setdefault(record.day.year, [0, 0])
        tally[0] += options.is_digital(record)
        tally[1] += 1
    first = min([*per_year, year])
    last = max(options.digital_goal_year, year)
    trend = [DigitalYear(y, *per_year.get(y, (0, 0))) for y in range(first, last + 1)]
    start = trend[0]
    span = options.digital_goal_year - start.year
    for point in trend:
        if point.year > options.digital_goal_year:
            continue
        if span <= 0 or start.percent >= options.digital_goal:
            point.path = float(options.digital_goal)  # already there: the goal is to stay at it
        else:
            share = start.percent + (options.digital_goal - start.percent) * (point.year - start.year) / span
            point.path = round(share, 1)
    this_year = next(t for t in trend if t.year == year)
    return DigitalShare(options.digital_goal, options.digital_goal_year, this_year, whole.units, trend)


def _pace(registry: Registry, whole: Report, today: dt.date) -> list[Pace]:
    """Where each unit should be by today: its target spread over the days it exists this year."""
    counted: dict[str, int] = {}
    for row in whole.units:
        counted[row.id] = counted.get(row.id, 0) + row.counted
    result = []
    for unit_id in dict.fromkeys(r.id for r in whole.units):
        unit = registry.units[unit_id]
        target = target_for(registry, unit, whole.period)
        due = exact_target(registry, unit, today.year, today)
        if not target or due is None:
            continue
        note = ""
        if unit.active_until and unit.active_until < today:
            note = f"kết thúc hoạt động ngày {format_vi_date(unit.active_until)}"
        elif unit.active_from and unit.active_from.year == today.year:
            note = f"thành lập từ {format_vi_date(unit.active_from)}"
        result.append(Pace(unit.id, unit.name_on(min(today, unit.active_until or today)), counted[unit_id],
                           round_half_up(Fraction(due)), target, note))
    return result
