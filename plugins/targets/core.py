"""Counting each unit's items against its target, per period, with the tree as it was.

Pure code, so every rule the editorial board relies on is tested cheaply:

- an item counts for its unit and for every unit above it *on the item's day*
  (``Registry.ancestors``), so a move never rewrites last year's figures;
- a period's report has one row per unit and stretch of the period with one
  chain of units above it: a unit that moved is shown under each parent it had,
  each row with the items of its stretch, so every row's total is its own items
  plus the rows under it;
- a target counts the items on the channels its rule names (the website alone
  unless it names others);
- a yearly target ``T`` is spread over the days a unit exists, by the kind it
  has on each day: the target up to a day is ``round(Σ T(day) / days in the
  year)`` (halves rounded up), and the target of a stretch is the difference of
  that at its two ends, so H1 + H2 and the rows of a unit add up to the year.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterable

from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.dates import format_vi_date
from plugins.contract.registry import MAX_UNIT_DEPTH, WEBSITE, Registry, Unit

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    year: int
    half: int | None = None  # 1 = Jan–Jun, 2 = Jul–Dec

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def title(self) -> str:
        """The period as a report's heading says it."""
        if self.half == 1:
            return f"6 tháng đầu năm {self.year}"
        if self.half == 2:
            return f"6 tháng cuối năm {self.year}"
        return f"Năm {self.year}"

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
        return month_end(self.year, self.months[-1])

    @property
    def previous(self) -> Period:
        """The same period a year earlier."""
        return Period(self.year - 1, self.half)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Record:
    """One item as the counting sees it: its unit, local day, type, campaigns and channel."""

    unit_id: str
    day: dt.date
    content_type: str
    campaign_ids: tuple[str, ...] = ()
    channel_id: str = WEBSITE


@dataclass
class UnitRow:
    """One unit over one stretch of a period (the whole period unless it moved within it)."""

    id: str
    name: str
    kind: str
    parent: str | None
    depth: int
    start: dt.date
    end: dt.date
    parent_name: str = ""
    short_name: str = ""
    notes: list[str] = field(default_factory=list)
    # The channels the unit's target counts, and the items on them (its own and those below it).
    channels: tuple[str, ...] = (WEBSITE,)
    own: int = 0
    total: int = 0
    counted: int = 0
    target: int | None = None
    met: bool | None = None
    by_channel: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    # Counted items per month of the period, and in the same stretch a year earlier.
    months: list[int] = field(default_factory=list)
    previous: int = 0
    digital: int = 0
    children: list[UnitRow] = field(default_factory=list, repr=False)

    @property
    def level(self) -> int:
        """1 for the top of the tree."""
        return self.depth + 1

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    @property
    def percent(self) -> float | None:
        """The counted items as a share of the target, in per cent (one decimal)."""
        if not self.target:
            return None
        return round(100 * self.counted / self.target, 1)

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("Đạt" if self.met else "Chưa đạt")

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "parent": self.parent,
                "parent_name": self.parent_name, "level": self.level,
                "start": self.start.isoformat(), "end": self.end.isoformat(), "note": self.note,
                "channels": list(self.channels), "own": self.own, "total": self.total, "counted": self.counted,
                "target": self.target, "met": self.met, "percent": self.percent,
                "by_channel": dict(self.by_channel), "by_type": dict(self.by_type), "months": list(self.months),
                "previous": self.previous, "digital": self.digital}


@dataclass
class Totals:
    """The whole tree's figures: the sum of its top rows."""

    own: int = 0
    total: int = 0
    counted: int = 0
    previous: int = 0
    digital: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    months: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"total": self.total, "counted": self.counted, "previous": self.previous, "digital": self.digital,
                "by_channel": dict(self.by_channel), "months": list(self.months)}


@dataclass
class Report:
    period: Period
    units: list[UnitRow]
    channels: tuple[str, ...] = (WEBSITE,)
    totals: Totals = field(default_factory=Totals)
    # Each channel's name, for headings.
    channel_names: dict[str, str] = field(default_factory=dict)

    def channel_name(self, channel_id: str) -> str:
        return self.channel_names.get(channel_id, channel_id)

    def as_json(self) -> dict:
        return {"period": self.period.label, "title": self.period.title, "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(), "channels": {c: self.channel_name(c) for c in self.channels},
                "units": [u.as_json() for u in self.units], "totals": self.totals.as_json()}

    @property
    def behind(self) -> list[UnitRow]:
        return [u for u in self.units if u.met is False]


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - ONE_DAY


def year_days(year: int) -> int:
    return (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def shift_year(day: dt.date, years: int = -1) -> dt.date:
    """The same day ``years`` later (29/2 becomes 28/2)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def existed_in(unit: Unit, start: dt.date, end: dt.date) -> bool:
    """True if the unit existed on at least one day between start and end (inclusive)."""
    return unit.existed_in(start, end)


def days_active(unit: Unit, start: dt.date, end: dt.date) -> int:
    first = max(start, unit.active_from) if unit.active_from else start
    last = min(end, unit.active_until) if unit.active_until else end
    return max(0, (last - first).days + 1)


def exact_target(registry: Registry, unit: Unit, year: int, until: dt.date) -> Fraction | None:
    """The year's target spread over the days from 1 January to ``until`` that the unit exists,
    each day by the kind the unit had that day; ``None`` if no day has a target."""
    first = dt.date(year, 1, 1)
    total, ruled = Fraction(0), False
    for stretch in unit.stretches_in(first, until):
        start = max(first, stretch.start) if stretch.start else first
        end = min(until, stretch.end) if stretch.end else until
        rule = registry.target_rule(unit, stretch.kind)
        yearly = rule.for_year(year) if rule else None
        days = days_active(unit, start, end)
        if yearly is None or days <= 0:
            continue
        ruled = True
        total += Fraction(yearly * days, year_days(year))
    return total if ruled else None


def target_between(registry: Registry, unit: Unit, start: dt.date, end: dt.date) -> int | None:
    """The target of the days ``start``–``end`` (one calendar year): what is due by ``end``
    less what was due before ``start``, each rounded, so consecutive stretches add up."""
    due = exact_target(registry, unit, end.year, end)
    if due is None:
        return None
    before = exact_target(registry, unit, end.year, start - ONE_DAY) if start.month > 1 or start.day > 1 else None
    return round_half_up(due) - (round_half_up(before) if before is not None else 0)


def target_for(registry: Registry, unit: Unit, period: Period) -> int | None:
    return target_between(registry, unit, period.start, period.end)


def counted_channels(registry: Registry, unit: Unit, year: int, day: dt.date) -> tuple[str, ...]:
    rule = registry.target_rule(unit, unit.kind_on(day))
    return rule.channels_for(year) if rule else (WEBSITE,)


@dataclass(frozen=True)
class Run:
    """Days of one unit with one chain of units above it."""

    unit: Unit
    chain: tuple[str, ...]
    start: dt.date
    end: dt.date


def runs(registry: Registry, start: dt.date, end: dt.date) -> dict[str, list[Run]]:
    """Each unit's runs within ``start``–``end``, in date order, split wherever its chain changes:
    on a day the unit or a unit it is under within the period changes parent (so a unit whose chain
    never changes is walked up once, however many other units change)."""
    changes: dict[str, set[dt.date]] = {}

    def changing(unit: Unit, seen: frozenset = frozenset()) -> set[dt.date]:
        if unit.id in changes:
            return changes[unit.id]
        days = {s.start for s in unit.stretches[1:] if start < s.start <= end}
        for stretch in unit.stretches_in(start, end):
            parent = registry.units.get(stretch.parent_id or "")
            if parent is not None and parent.id not in seen and len(seen) < MAX_UNIT_DEPTH:
                days |= changing(parent, seen | {unit.id})
        changes[unit.id] = days
        return days

    found: dict[str, list[Run]] = {}
    for unit in registry.units.values():
        if not unit.existed_in(start, end):
            continue
        first = max(start, unit.active_from) if unit.active_from else start
        last = min(end, unit.active_until) if unit.active_until else end
        bounds = [first, *sorted(d for d in changing(unit) if first < d <= last), last + ONE_DAY]
        mine: list[Run] = []
        for left, right in zip(bounds, bounds[1:]):
            chain = tuple(u.id for u in registry.ancestors(unit, left))
            if mine and mine[-1].chain == chain:
                mine[-1] = Run(unit, chain, mine[-1].start, right - ONE_DAY)
            else:
                mine.append(Run(unit, chain, left, right - ONE_DAY))
        found[unit.id] = mine
    return found


def count(registry: Registry, records: Iterable[Record], period: Period,
          digital: Callable[[Record], bool] | None = None, channels: dict[str, str] | None = None) -> Report:
    """Rows in tree order for every unit that existed during the period, a unit that moved once
    under each parent it had; ``digital(record)`` says which items count as digital products;
    ``channels`` names the channels (in the order of the columns; the website's alone if not given)."""
    channels = channels or {WEBSITE: "Website"}
    records = list(records)
    all_runs = runs(registry, period.start, period.end)
    rows = _rows(registry, all_runs, period)
    index = {unit_id: [rows[id(r)] for r in unit_runs] for unit_id, unit_runs in all_runs.items()}
    starts = {unit_id: [r.start for r in unit_rows] for unit_id, unit_rows in index.items()}
    channel_ids = list(dict.fromkeys([*channels, *(r.channel_id for r in records)]))
    for row in rows.values():
        row.by_channel = {c: 0 for c in channel_ids}
        row.by_type = {t: 0 for t in CONTENT_TYPES}
        row.months = [0] * len(period.months)
    first_month = period.months[0]
    for record in records:
        if not period.contains(record.day):
            continue
        unit = registry.units.get(record.unit_id)
        if unit is None or not unit.exists_on(record.day):
            continue  # the contract refuses such items: never counted above a unit that was not there
        is_digital = bool(digital and digital(record))
        for depth, above in enumerate(registry.counted_for(unit, record.day)):
            row = _row_on(index, starts, above.id, record.day)
            if row is None:
                continue
            row.own += depth == 0
            row.total += 1
            row.digital += is_digital
            row.by_channel[record.channel_id] = row.by_channel.get(record.channel_id, 0) + 1
            row.by_type[record.content_type] = row.by_type.get(record.content_type, 0) + 1
            if record.channel_id in row.channels:
                row.counted += 1
                row.months[record.day.month - first_month] += 1
    _previous(registry, records, period, index)
    ordered = _in_tree_order(rows.values())
    for row in ordered:
        row.met = None if row.target is None else row.counted >= row.target
    return Report(period, ordered, tuple(channel_ids), _totals(ordered, channel_ids, len(period.months)),
                  {c: channels.get(c, c) for c in channel_ids})


def _rows(registry: Registry, all_runs: dict[str, list[Run]], period: Period) -> dict[int, UnitRow]:
    """A row per run, its target and notes; keyed by the run's id."""
    rows: dict[int, UnitRow] = {}
    for unit_id, unit_runs in all_runs.items():
        unit = registry.units[unit_id]
        for number, run in enumerate(unit_runs):
            parent = run.chain[0] if run.chain else None
            row = UnitRow(unit.id, unit.name_on(run.end), unit.kind_on(run.end), parent, len(run.chain),
                          run.start, run.end, registry.units[parent].name_on(run.end) if parent else "",
                          unit.short_name_on(run.end), channels=counted_channels(registry, unit, period.year, run.end),
                          target=target_between(registry, unit, run.start, run.end))
            row.notes = _notes(registry, unit, run, unit_runs[number - 1] if number else None,
                               unit_runs[number + 1] if number + 1 < len(unit_runs) else None, period)
            rows[id(run)] = row
    return rows


def _row_on(index: dict[str, list[UnitRow]], starts: dict[str, list[dt.date]], unit_id: str,
            day: dt.date) -> UnitRow | None:
    found = index.get(unit_id)
    if not found or day < found[0].start:
        return None
    row = found[bisect.bisect_right(starts[unit_id], day) - 1]
    return row if day <= row.end else None


def _notes(registry: Registry, unit: Unit, run: Run, before: Run | None, after: Run | None,
           period: Period) -> list[str]:
    """What a reader of the row must know: the stretch it covers and why it starts or ends there."""
    notes = []
    name = _short(registry, run.chain[0], run.start) if run.chain else ""
    if before is not None:
        old = _short(registry, before.chain[0], before.end) if before.chain else "không trực thuộc đơn vị nào"
        if before.chain[:1] != run.chain[:1]:
            notes.append(f"chuyển về {name or 'cấp cao nhất'} từ {format_vi_date(run.start)} (trước đó: {old})")
        else:
            notes.append(f"từ {format_vi_date(run.start)}, khi đơn vị cấp trên chuyển về "
                         f"{_short(registry, run.chain[1], run.start) if len(run.chain) > 1 else 'cấp cao nhất'}")
    elif unit.active_from and unit.active_from == run.start and period.start < run.start:
        notes.append(f"thành lập từ {format_vi_date(run.start)}")
    if after is not None:
        if after.chain[:1] != run.chain[:1]:
            new = _short(registry, after.chain[0], after.start) if after.chain else "cấp cao nhất"
            notes.append(f"chuyển về {new} từ {format_vi_date(after.start)}")
        else:
            notes.append(f"đến {format_vi_date(run.end)}")
    elif unit.active_until and unit.active_until == run.end and run.end < period.end:
        after_day = run.end + ONE_DAY
        if unit.successor is not None:
            notes.append(f"sáp nhập vào {unit.successor.short_name_on(after_day)} từ {format_vi_date(after_day)}")
        else:
            notes.append(f"kết thúc hoạt động ngày {format_vi_date(run.end)}")
    for predecessor in unit.predecessors:
        day = predecessor.active_until + ONE_DAY
        if run.start <= day <= run.end:
            notes.append(f"tiếp nhận {predecessor.short_name_on(predecessor.active_until)} (sáp nhập từ "
                         f"{format_vi_date(day)})")
    for stretch in unit.stretches[1:]:
        previous = unit.stretch_on(stretch.start - ONE_DAY)
        if run.start < stretch.start <= run.end and stretch.name != previous.name:
            notes.append(f"đổi tên từ {format_vi_date(stretch.start)} (tên cũ: {previous.name})")
    return notes


def _short(registry: Registry, unit_id: str, day: dt.date) -> str:
    unit = registry.units[unit_id]
    return unit.short_name_on(day)


def _in_tree_order(rows: Iterable[UnitRow]) -> list[UnitRow]:
    """Parents first, each row under the row of its parent that holds its first day; siblings in
    units.yml order, then by date."""
    rows = list(rows)
    by_unit: dict[str, list[UnitRow]] = {}
    for row in rows:
        by_unit.setdefault(row.id, []).append(row)
    order = {unit_id: number for number, unit_id in enumerate(by_unit)}
    roots = []
    for row in rows:
        parent = next((p for p in by_unit.get(row.parent or "", ()) if p.start <= row.start <= p.end), None)
        (parent.children if parent is not None else roots).append(row)
    ordered = []
    stack = sorted(roots, key=lambda r: (order[r.id], r.start), reverse=True)
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(sorted(row.children, key=lambda r: (order[r.id], r.start), reverse=True))
    return ordered


def _previous(registry: Registry, records: list[Record], period: Period,
              index: dict[str, list[UnitRow]]) -> None:
    """Each row's counted items in the same stretch a year earlier (the tree as it was then)."""
    earlier = period.previous
    credits: dict[str, list[tuple[dt.date, str]]] = {}
    for record in records:
        if not earlier.contains(record.day):
            continue
        unit = registry.units.get(record.unit_id)
        for above in registry.counted_for(unit, record.day) if unit else ():
            if above.id in index:
                credits.setdefault(above.id, []).append((record.day, record.channel_id))
    for unit_id, unit_rows in index.items():
        found = credits.get(unit_id, ())
        for row in unit_rows:
            start, end = shift_year(row.start), shift_year(row.end)
            row.previous = sum(1 for day, channel in found if start <= day <= end and channel in row.channels)


def _totals(rows: list[UnitRow], channels: list[str], months: int) -> Totals:
    totals = Totals(by_channel={c: 0 for c in channels}, months=[0] * months)
    for row in rows:
        if row.depth:
            continue
        totals.own += row.own
        totals.total += row.total
        totals.counted += row.counted
        totals.previous += row.previous
        totals.digital += row.digital
        for channel, n in row.by_channel.items():
            totals.by_channel[channel] += n
        totals.months = [a + b for a, b in zip(totals.months, row.months)]
    return totals
