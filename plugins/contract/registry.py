"""Units, campaigns and sections: the vocabulary articles refer to.

Loaded from ``units.yml``, ``campaigns.yml`` and ``sections.yml`` in the
content folder. Every problem carries the YAML file and line so editors can
fix it; loading never stops at the first one. Every value's type is checked
before it is used (a careless or hostile file is reported, never raised), and
the unit tree is linked in linear time and kept at most ``MAX_UNIT_DEPTH``
levels deep, so code walking it never goes deep.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator

from plugins import urls

from .dates import FIRST_YEAR, LAST_YEAR, DateError, format_vi_date, parse_day
from .problems import WARNING, Problem, suggest
from .registry_yaml import YamlMap, kind_of, read_yaml, shown
from .text import visible

UNIT_KINDS = MappingProxyType({
    "tinh": "Liên đoàn Lao động tỉnh",
    "ban": "Ban, Văn phòng của Liên đoàn Lao động tỉnh",
    "cap-tren": "Công đoàn cấp trên trực tiếp cơ sở",
    "co-so": "Công đoàn cơ sở",
})
# Ids become folder and file names (pages, feeds, cards): kept well below file-name limits.
MAX_ID_LENGTH = 64
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_KEYS = ("id", "name", "short_name", "kind", "parent", "active_from", "active_until", "target", "history",
             "merged_into")
# What a unit's history entry may change from its date on.
HISTORY_KEYS = ("from", "parent", "name", "short_name", "kind")
MERGE_KEYS = ("unit", "from")
CAMPAIGN_KEYS = ("id", "name", "start", "end", "slogans", "description")
SECTION_KEYS = ("id", "name", "description")
# Levels of the unit tree: the Vietnamese trade-union hierarchy has four or five.
MAX_UNIT_DEPTH = 8
# Articles a year one unit may be asked for.
MAX_TARGET = 100_000


# The channel every target counts unless it names others: the portal itself.
WEBSITE = "website"
# ``60 (website + fanpage)``: a number of items, then the channels they may be on.
_COUNTED_ON = re.compile(r"^\s*(\d+)\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class TargetStep:
    """From ``first_year`` on: ``count`` items a year on ``channels``."""

    first_year: int
    count: int
    channels: tuple[str, ...] = (WEBSITE,)
    line: int = 0


@dataclass(frozen=True)
class TargetRule:
    """A yearly target that may change from a given year on."""

    steps: tuple[TargetStep, ...]  # sorted by first year

    def step(self, year: int) -> TargetStep | None:
        current = None
        for step in self.steps:
            if year >= step.first_year:
                current = step
        return current

    def for_year(self, year: int) -> int | None:
        step = self.step(year)
        return None if step is None else step.count

    def channels_for(self, year: int) -> tuple[str, ...]:
        step = self.step(year)
        return (WEBSITE,) if step is None else step.channels


@dataclass(frozen=True)
class Stretch:
    """Days of a unit's life with one parent, name, short name and kind (both ends included;
    ``None`` is open: since always, or still so)."""

    start: dt.date | None
    end: dt.date | None
    parent_id: str | None
    name: str
    short_name: str
    kind: str
    # Where the stretch's values were written: the unit's entry, or its history entry.
    line: int
    parent_line: int

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return (self.start is None or self.start <= end) and (self.end is None or start <= self.end)


@dataclass(frozen=True)
class Event:
    """One line of a unit's history: on ``day``, ``text``, about ``unit`` (named as it was then)."""

    day: dt.date
    text: str
    unit: Unit | None = None
    unit_name: str = ""


@dataclass(eq=False)
class Unit:
    """A unit of the union. ``name``, ``short_name``, ``kind``, ``parent`` and ``children`` are as
    they are now (the last stretch of its history); ``stretches`` say what they were on any day."""

    id: str
    name: str
    kind: str
    line: int
    short_name: str = ""
    parent_id: str | None = None
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    target: TargetRule | None = None
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    active: bool = True
    stretches: tuple[Stretch, ...] = ()
    # The unit it merged into, from the day after its last day (``merged_into`` in units.yml).
    successor: Unit | None = None
    successor_id: str | None = None
    # Units that merged into this one, and units that were under it once but are no longer.
    predecessors: list[Unit] = field(default_factory=list)
    former_children: list[Unit] = field(default_factory=list)
    former_parents: list[Unit] = field(default_factory=list)
    # The stretches the start days below were taken from, and those days (``stretch_on``).
    _starts: tuple = field(default=((), []), repr=False, compare=False)

    def __post_init__(self) -> None:
        self.short_name = self.short_name or self.name
        if not self.stretches:
            self.stretches = (Stretch(self.active_from, self.active_until, self.parent_id, self.name,
                                      self.short_name, self.kind, self.line, self.line),)

    @property
    def url(self) -> str:
        return urls.unit(self.id)

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS[self.kind]

    def exists_on(self, day: dt.date) -> bool:
        if self.active_from and day < self.active_from:
            return False
        return not (self.active_until and day > self.active_until)

    def existed_in(self, start: dt.date, end: dt.date) -> bool:
        """True if the unit existed on at least one day from ``start`` to ``end``."""
        return (self.active_from is None or self.active_from <= end) and \
            (self.active_until is None or self.active_until >= start)

    def stretch_on(self, day: dt.date) -> Stretch:
        """The stretch holding ``day``; before the unit began its first, after it ended its last."""
        stretches = self.stretches
        if len(stretches) == 1:
            return stretches[0]
        if self._starts[0] is not stretches:  # stretches are replaced, never changed in place
            self._starts = (stretches, [s.start for s in stretches[1:]])
        return stretches[bisect.bisect_right(self._starts[1], day)]

    def stretches_in(self, start: dt.date, end: dt.date) -> list[Stretch]:
        return [s for s in self.stretches if s.overlaps(start, end)]

    def name_on(self, day: dt.date) -> str:
        return self.stretch_on(day).name

    def short_name_on(self, day: dt.date) -> str:
        return self.stretch_on(day).short_name

    def kind_on(self, day: dt.date) -> str:
        return self.stretch_on(day).kind

    @property
    def names(self) -> list[str]:
        """Every name and short name the unit has had, the current ones first."""
        return list(dict.fromkeys(n for s in reversed(self.stretches) for n in (s.name, s.short_name)))

    @property
    def names_folded(self) -> set[str]:
        return {_fold(n) for n in self.names}

    @property
    def merged_on(self) -> dt.date | None:
        """The first day under its successor."""
        return self.active_until + dt.timedelta(days=1) if self.successor and self.active_until else None

    @property
    def renamed(self) -> bool:
        return len({(s.name, s.short_name) for s in self.stretches}) > 1

    def timeline(self) -> list[Event]:
        """The unit's life for its page, oldest first: created, moved, renamed, merged, ended."""
        linked = {u.id: u for u in (self.parent, *self.former_parents) if u is not None}
        events = []
        if self.active_from:
            events.append(Event(self.active_from, "Thành lập"))
        for before, after in zip(self.stretches, self.stretches[1:]):
            day = after.start
            if after.parent_id != before.parent_id:
                parent = linked.get(after.parent_id or "")
                events.append(Event(day, "Chuyển về trực thuộc" if parent else "Không còn trực thuộc đơn vị nào",
                                    parent, parent.name_on(day) if parent else ""))
            if after.name != before.name:
                events.append(Event(day, f"Đổi tên từ “{before.name}” thành “{after.name}”"))
            elif after.short_name != before.short_name:
                events.append(Event(day, f"Đổi tên viết tắt thành “{after.short_name}”"))
            if after.kind != before.kind:
                events.append(Event(day, f"Chuyển thành {UNIT_KINDS[after.kind].lower()}"))
        for predecessor in self.predecessors:
            day = predecessor.active_until + dt.timedelta(days=1)
            events.append(Event(day, "Tiếp nhận đơn vị sáp nhập", predecessor,
                                predecessor.name_on(predecessor.active_until)))
        if self.active_until:
            day = self.active_until + dt.timedelta(days=1)
            if self.successor:
                events.append(Event(day, "Sáp nhập vào", self.successor, self.successor.name_on(day)))
            else:
                events.append(Event(self.active_until, "Kết thúc hoạt động"))
        return sorted(events, key=lambda e: e.day)

    def __repr__(self) -> str:
        return f"Unit({self.id!r})"


@dataclass(eq=False)
class Campaign:
    id: str
    name: str
    start: dt.date
    end: dt.date
    line: int
    slogans: tuple[str, ...] = ()
    description: str = ""
    article_count: int = 0

    @property
    def url(self) -> str:
        return urls.campaign(self.id)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __repr__(self) -> str:
        return f"Campaign({self.id!r})"


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    line: int
    description: str = ""

    @property
    def url(self) -> str:
        return urls.section(self.id)


@dataclass
class Registry:
    units: dict[str, Unit] = field(default_factory=dict)
    kind_targets: dict[str, TargetRule] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    # Registry files that could not be read as a whole (with the line of their last error), and ids
    # whose entry was refused (with its line), by file: the registry's own error says why.
    unreadable: dict[str, int] = field(default_factory=dict)
    refused: dict[str, dict[str, int]] = field(default_factory=dict)

    def unchecked(self, label: str, value: str) -> Problem | None:
        """Why ``value`` cannot be checked against the registry file ``label``, or ``None``.

        The problem is the same for every article (the build tells it once): a
        broken units.yml gives one line, not one per article.
        """
        if label in self.unreadable:
            return Problem(label, self.unreadable[label], f"vì {label} có lỗi ở trên, các bài viết ghi mã trong tệp "
                                                          "này chưa được kiểm tra và chưa được đăng; hãy sửa lỗi "
                                                          "rồi chạy lại", code="E461")
        line = self.refused.get(label, {}).get(value)
        if line is not None:
            return Problem(label, line, f"vì mục '{value}' có lỗi ở trên, các bài viết ghi mã '{value}' chưa được "
                                        "đăng; hãy sửa mục này rồi chạy lại", code="E462")
        return None

    def units_named(self, value: str) -> list[Unit]:
        """The units whose name or short name, now or once, is ``value`` (whatever the case and spaces)."""
        key = _fold(value)
        return [u for u in self.units.values() if key in u.names_folded]

    def campaigns_named(self, value: str) -> list[Campaign]:
        key = _fold(value)
        return [c for c in self.campaigns.values() if key == _fold(c.name)]

    def roots(self) -> list[Unit]:
        return [u for u in self.units.values() if u.parent is None]

    def walk(self) -> Iterator[tuple[Unit, int]]:
        """Units in tree order (parent first, siblings in file order) with depth."""
        stack = [(u, 0) for u in reversed(self.roots())]
        while stack:
            unit, depth = stack.pop()
            yield unit, depth
            stack.extend((c, depth + 1) for c in reversed(unit.children))

    def parent_on(self, unit: Unit, day: dt.date) -> Unit | None:
        """The unit ``unit`` was under on ``day``."""
        parent_id = unit.stretch_on(day).parent_id
        return self.units.get(parent_id) if parent_id else None

    def ancestors(self, unit: Unit, day: dt.date) -> list[Unit]:
        """The units above ``unit`` on ``day``, nearest first: every roll-up asks here, so an item
        counts for the parents its unit had on the item's day. Loading cut every cycle and every too
        deep chain on every day, so the bound only guards."""
        chain = []
        node = self.parent_on(unit, day)
        while node is not None and len(chain) < MAX_UNIT_DEPTH:
            chain.append(node)
            node = self.parent_on(node, day)
        return chain

    def counted_for(self, unit: Unit, day: dt.date) -> list[Unit]:
        """The units an item of ``unit`` dated ``day`` counts for: the unit, then each unit above it."""
        return [unit, *self.ancestors(unit, day)]

    def target_rule(self, unit: Unit, kind: str | None = None) -> TargetRule | None:
        """The unit's own target, or that of its kind (now, or ``kind``)."""
        return unit.target or self.kind_targets.get(kind or unit.kind)

    def find_section(self, value: str) -> Section | None:
        key = _fold(value)
        for section in self.sections:
            if key in (_fold(section.id), _fold(section.name)):
                return section
        return None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _item_lines(items: list, line: int) -> list[int]:
    return getattr(items, "item_lines", None) or [line] * len(items)


class _YamlFile:
    """One registry file being read, with its problems."""

    def __init__(self, path: Path, label: str):
        self.path = path
        self.label = label
        self.problems: list[Problem] = []
        # The file could not be read as a whole: nothing in it is usable.
        self.broken = False
        # Ids written in the file whose entry was refused, with their line.
        self.refused: dict[str, int] = {}

    def error(self, line: int, message: str, code: str) -> None:
        self.problems.append(Problem(self.label, line, message, code=code))

    def give_up(self, line: int, message: str, code: str) -> tuple[YamlMap, list[YamlMap]]:
        self.error(line, message, code)
        self.broken = True
        return YamlMap(), []

    def load(self, top_key: str, allowed: tuple[str, ...]) -> tuple[YamlMap, list[YamlMap]]:
        """The top-level mapping and the items of the list under ``top_key``."""
        data, problems, readable = read_yaml(self.path, self.label)
        self.problems += problems
        if not readable:
            self.broken = True
            return YamlMap(), []
        if data is None:
            return self.give_up(1, f"tệp đang trống; hãy bắt đầu bằng khóa '{top_key}:' rồi liệt kê các mục "
                                   "bên dưới", "E430")
        if not isinstance(data, YamlMap):
            return self.give_up(getattr(data, "line", 1), f"tệp phải bắt đầu bằng khóa '{top_key}:' (nội dung hiện "
                                                          f"là {kind_of(data)})", "E431")
        self.check_keys(data, allowed)
        if top_key not in data:
            self.give_up(1, f"thiếu khóa '{top_key}:'; hãy thêm '{top_key}:' rồi liệt kê các mục bên dưới", "E432")
            return data, []
        return data, self.items(data, top_key)

    def items(self, data: YamlMap, top_key: str) -> list[YamlMap]:
        """The mappings listed under ``top_key``; anything else in the list is reported."""
        items = data[top_key]
        if not isinstance(items, list):
            self.give_up(data.line_of(top_key), f"'{top_key}:' phải là một danh sách, mỗi mục bắt đầu bằng '- ' "
                                                f"(đang là {kind_of(items)})", "E433")
            return []
        good = []
        for item, line in zip(items, _item_lines(items, data.line_of(top_key))):
            if isinstance(item, YamlMap):
                good.append(item)
            else:
                self.error(line, f"mỗi mục trong '{top_key}' phải có dạng 'khóa: giá trị' (mục này là "
                                 f"{kind_of(item)})", "E434")
        return good

    def check_keys(self, item: YamlMap, allowed: tuple[str, ...]) -> None:
        for key in item:
            if key is None:
                self.error(item.line_of(key), "có một khóa trống; hãy viết tên khóa trước dấu ':'", "E435")
            elif key not in allowed:
                hint = suggest(shown(key), allowed)
                self.error(item.line_of(key), f"khóa '{shown(key)}' không hợp lệ.{hint} Các khóa được dùng: "
                                              f"{', '.join(allowed)}", "E436")

    def text(self, item: YamlMap, key: str, required: bool = True, one_line: bool = True) -> str:
        """A text value; a number, list or mapping is reported, never turned into text."""
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(item.line, f"thiếu '{key}'; hãy bổ sung", "E437")
            return ""
        if not isinstance(value, str):
            quote = "; nếu đúng là giá trị này, hãy đặt nó trong dấu ngoặc kép" \
                if isinstance(value, (bool, int, float, dt.date)) else ""
            self.error(item.line_of(key), f"'{key}' phải là một đoạn chữ (đang là {kind_of(value)}){quote}", "E438")
            return ""
        return " ".join(value.split()) if one_line else value.strip()

    def ident(self, item: YamlMap, seen: set[str]) -> str:
        value = self.text(item, "id")
        line = item.line_of("id")
        if value and not ID_PATTERN.match(value):
            self.error(line, f"id '{visible(shown(value))}' chỉ được gồm chữ thường không dấu, số và dấu '-'", "E439")
            self.refused[value] = line
            return ""
        if len(value) > MAX_ID_LENGTH:
            self.error(line, f"id '{shown(value)}' dài hơn {MAX_ID_LENGTH} ký tự; hãy đặt id ngắn hơn (id là một "
                             "phần địa chỉ trang)", "E440")
            self.refused[value] = line
            return ""
        if value in seen:
            self.error(line, f"id '{value}' bị trùng; mỗi id phải là duy nhất", "E441")
            return ""
        seen.add(value)
        return value

    def day(self, item: YamlMap, key: str, required: bool = False) -> dt.date | None:
        value = item.get(key)
        if value is None:
            if required:
                self.error(item.line, f"thiếu '{key}'; hãy bổ sung ngày (ví dụ 2024-05-01)", "E442")
            return None
        if not isinstance(value, (str, dt.date)):
            self.error(item.line_of(key), f"'{key}' phải là một ngày, ví dụ 2024-05-01 (đang là {kind_of(value)})",
                       "E443")
            return None
        try:
            return parse_day(value)
        except DateError as exc:
            self.error(item.line_of(key), f"'{key}': {exc}", exc.code)
            return None

    def target(self, value: Any, line: int) -> TargetRule | None:
        """A yearly number of items, or {first year: number} when it changes over time; a number
        may name the channels it counts, ``60 (website + fanpage)`` (the website alone if not)."""
        if not isinstance(value, YamlMap):
            step = self.step(0, value, line)
            return None if step is None else TargetRule((step,))
        steps, good = [], bool(value)
        if not value:
            self.error(line, f"chỉ tiêu đang để trống; {TARGET_HINT}", "E444")
        for year, count in value.items():
            year_line = value.line_of(year)
            if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
                quoted = " không đặt trong dấu ngoặc kép" if isinstance(year, str) else ""
                self.error(year_line, f"năm '{shown(year)}' trong chỉ tiêu không hợp lệ; năm phải là một số "
                                      f"từ {FIRST_YEAR} đến {LAST_YEAR}{quoted} (ví dụ 2024: 12)", "E445")
                good = False
                continue
            step = self.step(year, count, year_line)
            good = good and step is not None
            steps.append(step)
        return TargetRule(tuple(sorted(steps, key=lambda s: s.first_year))) if good else None

    def step(self, year: int, value: Any, line: int) -> TargetStep | None:
        channels = (WEBSITE,)
        match = _COUNTED_ON.match(value) if isinstance(value, str) else None
        if match:
            value = int(match[1])
            channels = tuple(dict.fromkeys(" ".join(c.split()) for c in match[2].split("+")))
            if not all(channels):
                self.error(line, f"danh sách kênh trong '{shown(match[0])}' có chỗ trống; hãy viết mã các kênh "
                                 "cách nhau bằng dấu '+', ví dụ 60 (website + fanpage)", "E495")
                return None
        count = self.count(value, line)
        return None if count is None else TargetStep(year, count, channels, line)

    def count(self, value: Any, line: int) -> int | None:
        """A number of articles: a whole number from 0 to MAX_TARGET."""
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                self.error(line, f"chỉ tiêu {value} không hợp lệ: số bài không được âm", "E446")
            elif value > MAX_TARGET:
                self.error(line, f"chỉ tiêu quá lớn: tối đa {MAX_TARGET:,} bài một năm".replace(",", "."), "E447")
            else:
                return value
            return None
        if isinstance(value, (str, float, dt.date)) and not isinstance(value, bool):
            why = ""
            if isinstance(value, float):
                why = " (phải là số nguyên)"
            elif isinstance(value, str) and value.strip().isdigit():
                why = " (số phải viết không có dấu ngoặc kép)"
            self.error(line, f"chỉ tiêu '{shown(value)}' không hợp lệ{why}; {TARGET_HINT}", "E448")
        else:
            self.error(line, f"chỉ tiêu không hợp lệ (đang là {kind_of(value)}); {TARGET_HINT}", "E449")
        return None


TARGET_HINT = ("hãy viết số tin bài mỗi năm (ví dụ 12), kèm các kênh được tính nếu không chỉ có website "
               "(ví dụ 60 (website + fanpage)), hoặc {năm: số tin bài} (ví dụ {2024: 12, 2026: 24})")


def load_registry(content_dir: Path) -> tuple[Registry, list[Problem]]:
    registry = Registry()
    problems: list[Problem] = []
    problems += _load_units(content_dir / "units.yml", registry)
    problems += _load_campaigns(content_dir / "campaigns.yml", registry)
    problems += _load_sections(content_dir / "sections.yml", registry)
    return registry, problems


def _load_units(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "units.yml")
    data, items = f.load("units", ("targets", "units"))
    _load_kind_targets(f, data, registry)
    seen: set[str] = set()
    merges: dict[str, tuple[str, dt.date, int]] = {}
    for item in items:
        unit = _unit(f, item, seen, merges)
        if unit is not None:
            registry.units[unit.id] = unit
    _link_tree(f, registry, merges)
    _keep_state(f, registry)
    return f.problems


def _keep_state(f: _YamlFile, registry: Registry) -> None:
    """What of ``f`` articles are not checked against: its own errors already say why."""
    registry.refused[f.label] = f.refused
    if f.broken:
        registry.unreadable[f.label] = max((p.line for p in f.problems), default=1)


def _load_kind_targets(f: _YamlFile, data: YamlMap, registry: Registry) -> None:
    targets = data.get("targets")
    if targets is None:
        return
    if not isinstance(targets, YamlMap):
        f.error(data.line_of("targets"), f"'targets:' phải là một nhóm 'loại đơn vị: chỉ tiêu', ví dụ ban: 6 "
                                         f"(đang là {kind_of(targets)})", "E450")
        return
    for kind, value in targets.items():
        line = targets.line_of(kind)
        if kind not in UNIT_KINDS:
            f.error(line, f"loại đơn vị '{shown(kind)}' không tồn tại.{suggest(shown(kind), UNIT_KINDS)} "
                          f"Các loại: {', '.join(UNIT_KINDS)}", "E451")
            continue
        rule = f.target(value, line)
        if rule:
            registry.kind_targets[kind] = rule


def _kind(f: _YamlFile, item: YamlMap) -> str:
    kind = f.text(item, "kind")
    if kind and kind not in UNIT_KINDS:
        f.error(item.line_of("kind"), f"loại đơn vị '{shown(kind)}' không tồn tại.{suggest(kind, UNIT_KINDS)} "
                                      f"Các loại: {', '.join(UNIT_KINDS)}", "E451")
        return ""
    return kind


def _unit(f: _YamlFile, item: YamlMap, seen: set[str], merges: dict[str, tuple[str, dt.date, int]]) -> Unit | None:
    f.check_keys(item, UNIT_KEYS)
    unit_id = f.ident(item, seen)
    name = f.text(item, "name")
    kind = _kind(f, item)
    start, end = f.day(item, "active_from"), f.day(item, "active_until")
    merge = _merge(f, item, unit_id, end)
    if merge is not None:
        end = merge[1] - dt.timedelta(days=1)
    if start and end and start > end:
        key = "active_until" if "active_until" in item else "merged_into"
        f.error(item.line_of(key), f"'{key}' đứng trước 'active_from'; hãy kiểm tra lại", "E452")
    target = None
    if item.get("target") is not None:
        target = f.target(item["target"], item.line_of("target"))
    short_name = f.text(item, "short_name", required=False)
    parent_id = f.text(item, "parent", required=False) or None
    first = Stretch(start, end, parent_id, name, short_name or name, kind, item.line, item.line_of("parent"))
    stretches = _history(f, item, first)
    if not (unit_id and name and kind) or stretches is None:
        if unit_id:
            f.refused[unit_id] = item.line_of("id")
        return None
    if merge is not None:
        merges[unit_id] = merge
    last = stretches[-1]
    return Unit(id=unit_id, name=last.name, kind=last.kind, line=item.line, short_name=last.short_name,
                parent_id=last.parent_id, active_from=start, active_until=end, target=target,
                stretches=tuple(stretches))


def _merge(f: _YamlFile, item: YamlMap, unit_id: str, end: dt.date | None) -> tuple[str, dt.date, int] | None:
    """``merged_into: {unit: successor, from: first day under it}``: (successor id, day, line)."""
    value = item.get("merged_into")
    if value is None:
        return None
    line = item.line_of("merged_into")
    if not isinstance(value, YamlMap):
        f.error(line, f"'merged_into' phải có dạng 'unit: mã đơn vị tiếp nhận' và 'from: ngày sáp nhập' "
                      f"(ví dụ merged_into: {{unit: ldld-tinh-moi, from: 2025-07-01}}; đang là {kind_of(value)})",
                "E471")
        return None
    f.check_keys(value, MERGE_KEYS)
    successor = f.text(value, "unit")
    day = f.day(value, "from", required=True)
    if not (successor and day):
        return None
    if successor == unit_id:
        f.error(value.line_of("unit"), f"đơn vị '{unit_id}' không thể sáp nhập vào chính nó; hãy ghi mã đơn vị "
                                       "tiếp nhận", "E473")
        return None
    if end is not None and end != day - dt.timedelta(days=1):
        f.error(item.line_of("active_until"), f"'active_until' ({format_vi_date(end)}) phải là ngày liền trước ngày sáp "
                                              f"nhập ({format_vi_date(day)}); hãy xóa 'active_until' (ngày kết thúc được "
                                              "tính từ 'merged_into') hoặc sửa cho khớp", "E472")
    return successor, day, value.line_of("unit")


def _history(f: _YamlFile, item: YamlMap, first: Stretch) -> list[Stretch] | None:
    """The unit's stretches: its own entry's values, then each ``history`` entry's from its ``from``
    day (the values it does not name carry on). ``None`` if the history cannot be read."""
    entries = item.get("history")
    if entries is None:
        return [first]
    line = item.line_of("history")
    if not isinstance(entries, list):
        f.error(line, "'history' phải là danh sách các thay đổi, mỗi mục bắt đầu bằng '- from: ngày' rồi ghi "
                      f"khóa thay đổi (parent, name, short_name, kind); đang là {kind_of(entries)}", "E463")
        return None
    stretches, good = [first], True
    for entry, entry_line in zip(entries, _item_lines(entries, line)):
        if not isinstance(entry, YamlMap):
            f.error(entry_line, "'history' phải là danh sách các thay đổi, mỗi mục bắt đầu bằng '- from: ngày' rồi "
                                "ghi khóa thay đổi (parent, name, short_name, kind); đang là "
                                f"{kind_of(entry)}", "E463")
            good = False
            continue
        stretch = _change(f, entry, stretches[-1], first)
        if stretch is None:
            good = False
            continue
        stretches[-1] = replace(stretches[-1], end=stretch.start - dt.timedelta(days=1))
        stretches.append(stretch)
    if not good:
        return None
    stretches[-1] = replace(stretches[-1], end=first.end)
    return stretches


def _change(f: _YamlFile, entry: YamlMap, before: Stretch, first: Stretch) -> Stretch | None:
    f.check_keys(entry, HISTORY_KEYS)
    day = f.day(entry, "from", required=True)
    if day is None:
        for key in ("name", "short_name"):
            if key in entry:
                f.text(entry, key)  # told now, not only once the date is mended
        if "kind" in entry:
            _kind(f, entry)
        if "parent" in entry:
            f.text(entry, "parent", required=False)
        return None
    line = entry.line_of("from")
    if before.start is not None and day <= before.start:
        f.error(line, f"thay đổi từ ngày {format_vi_date(day)} không đứng sau giai đoạn trước (bắt đầu "
                      f"{format_vi_date(before.start)}): các giai đoạn chồng lên nhau; hãy xếp các mục 'history' theo "
                      "ngày tăng dần, mỗi ngày một mục", "E465")
        return None
    if (first.start is not None and day <= first.start) or (first.end is not None and day > first.end):
        f.error(line, f"thay đổi từ ngày {format_vi_date(day)} nằm ngoài thời gian hoạt động của đơn vị "
                      f"({_span(first.start, first.end)}); hãy sửa ngày, hoặc sửa 'active_from'/'active_until'",
                "E466")
        return None
    values = {"name": before.name, "short_name": before.short_name, "kind": before.kind}
    for key in values:
        if key in entry:
            value = f.text(entry, key) if key != "kind" else _kind(f, entry)
            if not value:
                return None
            values[key] = value
    if "name" in entry and "short_name" not in entry:
        values["short_name"] = values["name"]  # a short name of the old name would mislead
    parent_id, parent_line = before.parent_id, before.parent_line
    if "parent" in entry:
        parent_id = f.text(entry, "parent", required=False) or None
        parent_line = entry.line_of("parent")
    stretch = Stretch(day, None, parent_id, values["name"], values["short_name"], values["kind"], entry.line,
                      parent_line)
    if (parent_id, *values.values()) == (before.parent_id, before.name, before.short_name, before.kind):
        f.problems.append(Problem(f.label, entry.line, f"thay đổi từ ngày {format_vi_date(day)} không đổi gì so với "
                                                       "trước; hãy ghi khóa thay đổi (parent, name, short_name, "
                                                       "kind) hoặc xóa mục này", WARNING, "W420"))
    return stretch


def _span(start: dt.date | None, end: dt.date | None) -> str:
    return f"{f'{format_vi_date(start)}' if start else '…'} – {f'{format_vi_date(end)}' if end else 'nay'}"


def _link_tree(f: _YamlFile, registry: Registry, merges: dict[str, tuple[str, dt.date, int]]) -> None:
    """Check every stretch's parent, the mergers, and the tree on every day it changes; link the
    tree as it is now. A wrong link is reported and cut, so every walk up stays short."""
    units = registry.units
    for unit in units.values():
        unit.stretches = tuple(_checked_parent(f, units, unit, s) for s in unit.stretches)
    for unit_id, (successor_id, day, line) in merges.items():
        _link_successor(f, units, units[unit_id], successor_id, day, line)
    _by_day(f, units)
    for unit in units.values():
        last = unit.stretches[-1]
        unit.parent_id = last.parent_id
        unit.parent = units.get(last.parent_id) if last.parent_id else None
        if unit.parent is not None:
            unit.parent.children.append(unit)
        for parent_id in dict.fromkeys(s.parent_id for s in unit.stretches[:-1]):
            if parent_id and parent_id != last.parent_id:
                units[parent_id].former_children.append(unit)
                unit.former_parents.append(units[parent_id])


def _checked_parent(f: _YamlFile, units: dict[str, Unit], unit: Unit, stretch: Stretch) -> Stretch:
    """The stretch, its parent cut if it does not exist, or not all through the stretch."""
    if stretch.parent_id is None:
        return stretch
    parent = units.get(stretch.parent_id)
    if parent is None:
        f.error(stretch.parent_line, f"đơn vị '{unit.id}': đơn vị cấp trên '{shown(stretch.parent_id)}' "
                                     f"không tồn tại.{suggest(stretch.parent_id, units)}", "E453")
        return replace(stretch, parent_id=None)
    if parent.active_until is not None and (stretch.end is None or stretch.end > parent.active_until):
        day = parent.active_until + dt.timedelta(days=1)
        f.error(stretch.parent_line, f"đơn vị '{unit.id}' còn hoạt động từ {format_vi_date(day)} nhưng đơn vị cấp trên "
                                     f"'{parent.id}' đã kết thúc ngày {format_vi_date(parent.active_until)}; hãy thêm vào "
                                     f"'history' một mục '- from: {format_vi_date(day)}' với 'parent:' mới, hoặc ghi "
                                     "'active_until'/'merged_into' cho đơn vị này", "E467")
    elif parent.active_from is not None and (stretch.start is None or stretch.start < parent.active_from):
        f.error(stretch.parent_line, f"đơn vị '{unit.id}' trực thuộc '{parent.id}' trước ngày "
                                     f"{format_vi_date(parent.active_from)}, khi đơn vị cấp trên đó chưa hoạt động; hãy "
                                     f"ghi đơn vị cấp trên cũ, rồi thêm vào 'history' một mục '- from: "
                                     f"{format_vi_date(parent.active_from)}' với 'parent: {parent.id}'", "E468")
    return stretch


def _link_successor(f: _YamlFile, units: dict[str, Unit], unit: Unit, successor_id: str, day: dt.date,
                    line: int) -> None:
    successor = units.get(successor_id)
    if successor is None:
        f.error(line, f"đơn vị '{unit.id}': đơn vị tiếp nhận '{shown(successor_id)}' không tồn tại."
                      f"{suggest(successor_id, units)}", "E474")
        return
    if not successor.exists_on(day):
        f.error(line, f"đơn vị '{unit.id}' sáp nhập vào '{successor.id}' từ {format_vi_date(day)}, nhưng '{successor.id}' "
                      f"không hoạt động vào ngày đó ({_span(successor.active_from, successor.active_until)}); hãy "
                      "sửa ngày sáp nhập hoặc đơn vị tiếp nhận", "E470")
        return
    unit.successor, unit.successor_id = successor, successor.id
    successor.predecessors.append(unit)


def _by_day(f: _YamlFile, units: dict[str, Unit]) -> None:
    """Cycles and too deep chains on every day the tree changes, as ``Registry.ancestors`` walks it
    (each unit by the stretch nearest the day); reported and cut where found.

    The tree of the first stretches is checked whole; after that only what a day's changes can
    break: a new cycle runs through a unit that changed that day, and a chain grows too deep only
    above a changed unit or below it. So a registry of ten thousand units with hundreds of change
    days is checked in little more than one pass."""
    parents = {u.id: p for u in units.values() if (p := u.stretches[0].parent_id) in units}
    for cycle in _cycles(parents):
        first = min(cycle, key=lambda k: units[k].line)
        f.error(units[first].stretches[0].parent_line, f"đơn vị '{first}': quan hệ cấp trên tạo thành vòng lặp "
                                                       f"({_cycle_text(first, parents)}); hãy sửa 'parent'", "E454")
        _cut(units[first], units[first].stretches[0])
        parents.pop(first)
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    levels = _levels(parents)
    too_deep = [k for k, level in levels.items() if level > MAX_UNIT_DEPTH]
    for unit_id in too_deep:
        if levels[unit_id] == MAX_UNIT_DEPTH + 1:
            _deep_error(f, units[unit_id], units[unit_id].stretches[0], bool(children.get(unit_id)), None)
    for unit_id in too_deep:
        _cut(units[unit_id], units[unit_id].stretches[0])
        _relink(parents, children, unit_id, None)
    changes: dict[dt.date, list[tuple[Unit, Stretch]]] = {}
    for unit in units.values():
        for stretch in unit.stretches[1:]:
            changes.setdefault(stretch.start, []).append((unit, stretch))
    for day in sorted(changes):
        for unit, stretch in changes[day]:
            _relink(parents, children, unit.id, stretch.parent_id if stretch.parent_id in units else None)
        for unit, stretch in changes[day]:
            if parents.get(unit.id) is None:
                continue
            if _chain(unit.id, parents)[-1] == unit.id:
                f.error(stretch.parent_line, f"đơn vị '{unit.id}': quan hệ cấp trên từ ngày {format_vi_date(day)} "
                                             f"tạo thành vòng lặp ({_cycle_text(unit.id, parents)}); hãy sửa "
                                             "'parent' trong 'history'", "E469")
                _cut(unit, stretch)
                _relink(parents, children, unit.id, None)
        deep = []
        for unit, _ in changes[day]:
            level = len(_chain(unit.id, parents))
            deep += _below(unit.id, level, children)
        _too_deep(f, units, parents, children, list(dict.fromkeys(deep)), day)


def _relink(parents: dict[str, str], children: dict[str, list[str]], unit_id: str, parent_id: str | None) -> None:
    old = parents.pop(unit_id, None)
    if old is not None:
        children[old].remove(unit_id)
    if parent_id is not None:
        parents[unit_id] = parent_id
        children.setdefault(parent_id, []).append(unit_id)


def _chain(unit_id: str, parents: dict[str, str]) -> list[str]:
    """The unit and the units above it, at most ``MAX_UNIT_DEPTH + 1`` long; a chain back to the
    unit ends with it again."""
    chain, node = [unit_id], parents.get(unit_id)
    while node is not None and len(chain) <= MAX_UNIT_DEPTH:
        chain.append(node)
        if node == unit_id:
            break
        node = parents.get(node)
    return chain


def _below(unit_id: str, level: int, children: dict[str, list[str]]) -> list[str]:
    """The unit (at ``level``) and the units below it that sit deeper than ``MAX_UNIT_DEPTH``."""
    found, layer = [], [unit_id]
    while layer and level <= MAX_UNIT_DEPTH + 1:
        if level > MAX_UNIT_DEPTH:
            found += layer
            break
        layer = [c for u in layer for c in children.get(u, ())]
        level += 1
    return found


def _too_deep(f: _YamlFile, units: dict[str, Unit], parents: dict[str, str], children: dict[str, list[str]],
              deep: list[str], day: dt.date) -> None:
    """Cut units deeper than ``MAX_UNIT_DEPTH`` on ``day`` off the tree: the unit at the first level
    too deep in each chain is reported and cut, those below it go with it."""
    for unit_id in deep:
        path = [unit_id]
        while path[-1] in parents and len(path) <= len(units):
            path.append(parents[path[-1]])
        if len(path) <= MAX_UNIT_DEPTH:
            continue  # a unit above it was cut already
        top = units[path[len(path) - MAX_UNIT_DEPTH - 1]]
        stretch = top.stretch_on(day)
        _deep_error(f, top, stretch, bool(children.get(top.id)), day)
        _cut(top, stretch)
        _relink(parents, children, top.id, None)


def _deep_error(f: _YamlFile, unit: Unit, stretch: Stretch, has_children: bool, day: dt.date | None) -> None:
    below = "; các đơn vị trực thuộc nó cũng bị bỏ khỏi cây đơn vị" if has_children else ""
    when = "" if day is None else f" từ ngày {format_vi_date(day)}"
    f.error(stretch.parent_line, f"đơn vị '{unit.id}' nằm ở cấp thứ {MAX_UNIT_DEPTH + 1}{when}, quá sâu "
                                 f"(tối đa {MAX_UNIT_DEPTH} cấp); hãy kiểm tra 'parent'{below}", "E455")


def _cut(unit: Unit, stretch: Stretch) -> None:
    unit.stretches = tuple(replace(s, parent_id=None) if s is stretch else s for s in unit.stretches)


def _cycles(parents: dict[str, str]) -> list[list[str]]:
    """The cycles of a parent mapping; linear: each unit is walked over once."""
    on_path, done = 1, 2
    state: dict[str, int] = {}
    found = []
    for start in parents:
        path, node = [], start
        while node is not None and node not in state:
            state[node] = on_path
            path.append(node)
            node = parents.get(node)
        if node is not None and state[node] == on_path:
            found.append(path[path.index(node):])
        for member in path:
            state[member] = done
    return found


def _cycle_text(first: str, parents: dict[str, str]) -> str:
    ids, node = [first], parents.get(first)
    while node is not None and node != first and len(ids) < 4:
        ids.append(node)
        node = parents.get(node)
    if node != first:
        ids.append("…")
    return " → ".join([*ids, first])


def _levels(parents: dict[str, str]) -> dict[str, int]:
    """Each unit's level (1 for a root), counted once per unit; ``parents`` has no cycle."""
    level: dict[str, int] = {}
    for start in parents:
        path, node = [], start
        while node is not None and node not in level:
            path.append(node)
            node = parents.get(node)
        current = level[node] if node is not None else 0
        for member in reversed(path):
            current += 1
            level[member] = current
    return level


def _load_campaigns(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "campaigns.yml")
    _, items = f.load("campaigns", ("campaigns",))
    seen: set[str] = set()
    for item in items:
        f.check_keys(item, CAMPAIGN_KEYS)
        campaign_id = f.ident(item, seen)
        name = f.text(item, "name")
        start, end = f.day(item, "start", required=True), f.day(item, "end", required=True)
        if start and end and start > end:
            f.error(item.line_of("end"), "'end' đứng trước 'start'; hãy kiểm tra lại thời gian chiến dịch", "E456")
            f.refused[campaign_id] = item.line_of("id")
            continue
        slogans = _slogans(f, item)
        description = f.text(item, "description", required=False, one_line=False)
        if campaign_id and name and start and end:
            registry.campaigns[campaign_id] = Campaign(
                id=campaign_id, name=name, start=start, end=end, line=item.line,
                slogans=slogans, description=description,
            )
        elif campaign_id:
            f.refused[campaign_id] = item.line_of("id")
    _keep_state(f, registry)
    return f.problems


def _slogans(f: _YamlFile, item: YamlMap) -> tuple[str, ...]:
    value = item.get("slogans")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        f.error(item.line_of("slogans"), f"'slogans' phải là danh sách các câu thông điệp, mỗi câu một dòng "
                                         f"bắt đầu bằng '- ' (đang là {kind_of(value)})", "E457")
        return ()
    slogans = []
    for slogan, line in zip(value, _item_lines(value, item.line_of("slogans"))):
        if not isinstance(slogan, str):
            f.error(line, f"mỗi câu thông điệp trong 'slogans' phải là một đoạn chữ (đang là {kind_of(slogan)}); "
                          "hãy đặt câu trong dấu ngoặc kép", "E458")
        elif slogan.strip():
            slogans.append(" ".join(slogan.split()))
    return tuple(slogans)


def _load_sections(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "sections.yml")
    _, items = f.load("sections", ("sections",))
    seen: set[str] = set()
    names: set[str] = set()
    for item in items:
        f.check_keys(item, SECTION_KEYS)
        section_id = f.ident(item, seen)
        name = f.text(item, "name")
        if name and _fold(name) in names:
            f.error(item.line_of("name"), f"tên chuyên mục '{name}' bị trùng", "E459")
            if section_id:
                f.refused[section_id] = item.line_of("id")
            continue
        names.add(_fold(name))
        description = f.text(item, "description", required=False, one_line=False)
        if section_id and name:
            registry.sections.append(Section(section_id, name, item.line, description))
        elif section_id:
            f.refused[section_id] = item.line_of("id")
    if not registry.sections and not f.problems:
        f.error(1, "cần ít nhất một chuyên mục trong 'sections:'", "E460")
    _keep_state(f, registry)
    return f.problems
