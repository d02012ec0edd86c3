"""Units, campaigns and sections: the vocabulary articles refer to.

Loaded from ``units.yml``, ``campaigns.yml`` and ``sections.yml`` in the
content folder. Every problem carries the YAML file and line so editors can
fix it; loading never stops at the first one. Every value's type is checked
before it is used (a careless or hostile file is reported, never raised), and
the unit tree is linked in linear time and kept at most ``MAX_UNIT_DEPTH``
levels deep, so code walking it never goes deep.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator

from plugins import urls

from .dates import FIRST_YEAR, LAST_YEAR, DateError, parse_day
from .problems import Problem, suggest
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
UNIT_KEYS = ("id", "name", "short_name", "kind", "parent", "active_from", "active_until", "target")
CAMPAIGN_KEYS = ("id", "name", "start", "end", "slogans", "description")
SECTION_KEYS = ("id", "name", "description")
# Levels of the unit tree: the Vietnamese trade-union hierarchy has four or five.
MAX_UNIT_DEPTH = 8
# Articles a year one unit may be asked for.
MAX_TARGET = 100_000


@dataclass(frozen=True)
class TargetRule:
    """A yearly target that may change from a given year on."""

    steps: tuple[tuple[int, int], ...]  # (first_year, target), sorted

    def for_year(self, year: int) -> int | None:
        current = None
        for first_year, target in self.steps:
            if year >= first_year:
                current = target
        return current


@dataclass(eq=False)
class Unit:
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

    def __post_init__(self) -> None:
        self.short_name = self.short_name or self.name

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
        """The units whose name or short name is ``value`` (whatever the case and spaces)."""
        key = _fold(value)
        return [u for u in self.units.values() if key in (_fold(u.name), _fold(u.short_name))]

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

    def ancestors(self, unit: Unit, day: dt.date) -> list[Unit]:
        """The units above ``unit`` on ``day``, nearest first.

        The tree has no history yet, so every day gives the same chain; every
        roll-up asks here, so a unit that moves can be handled in this one place.
        """
        chain = []
        while unit.parent is not None:
            unit = unit.parent
            chain.append(unit)
        return chain

    def counted_for(self, unit: Unit, day: dt.date) -> list[Unit]:
        """The units an item of ``unit`` dated ``day`` counts for: the unit, then each unit above it."""
        return [unit, *self.ancestors(unit, day)]

    def target_rule(self, unit: Unit) -> TargetRule | None:
        return unit.target or self.kind_targets.get(unit.kind)

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
        """A yearly number of articles, or {first year: number} when it changes over time."""
        if not isinstance(value, YamlMap):
            count = self.count(value, line)
            return None if count is None else TargetRule(((0, count),))
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
            number = self.count(count, year_line)
            good = good and number is not None
            steps.append((year, number))
        return TargetRule(tuple(sorted(steps))) if good else None

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


TARGET_HINT = "hãy viết số bài mỗi năm (ví dụ 12) hoặc {năm: số bài} (ví dụ {2024: 12, 2026: 24})"


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
    parent_lines: dict[str, int] = {}
    for item in items:
        unit = _unit(f, item, seen)
        if unit is not None:
            registry.units[unit.id] = unit
            parent_lines[unit.id] = item.line_of("parent")
    _link_tree(f, registry, parent_lines)
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


def _unit(f: _YamlFile, item: YamlMap, seen: set[str]) -> Unit | None:
    f.check_keys(item, UNIT_KEYS)
    unit_id = f.ident(item, seen)
    name = f.text(item, "name")
    kind = f.text(item, "kind")
    if kind and kind not in UNIT_KINDS:
        f.error(item.line_of("kind"), f"loại đơn vị '{shown(kind)}' không tồn tại.{suggest(kind, UNIT_KINDS)} "
                                      f"Các loại: {', '.join(UNIT_KINDS)}", "E451")
        kind = ""
    start, end = f.day(item, "active_from"), f.day(item, "active_until")
    if start and end and start > end:
        f.error(item.line_of("active_until"), "'active_until' đứng trước 'active_from'; hãy kiểm tra lại", "E452")
    target = None
    if item.get("target") is not None:
        target = f.target(item["target"], item.line_of("target"))
    short_name = f.text(item, "short_name", required=False)
    parent_id = f.text(item, "parent", required=False) or None
    if not (unit_id and name and kind):
        if unit_id:
            f.refused[unit_id] = item.line_of("id")
        return None
    return Unit(id=unit_id, name=name, kind=kind, line=item.line, short_name=short_name, parent_id=parent_id,
                active_from=start, active_until=end, target=target)


def _link_tree(f: _YamlFile, registry: Registry, parent_lines: dict[str, int]) -> None:
    """Attach each unit to its parent; cycles and too deep chains are reported and cut."""
    units = registry.units
    for unit in units.values():
        if unit.parent_id is None:
            continue
        parent = units.get(unit.parent_id)
        if parent is None:
            f.error(parent_lines[unit.id], f"đơn vị '{unit.id}': đơn vị cấp trên '{shown(unit.parent_id)}' "
                                           f"không tồn tại.{suggest(unit.parent_id, units)}", "E453")
            continue
        unit.parent = parent
    _break_cycles(f, units, parent_lines)
    _limit_depth(f, units, parent_lines)
    for unit in units.values():
        if unit.parent is not None:
            unit.parent.children.append(unit)


def _break_cycles(f: _YamlFile, units: dict[str, Unit], parent_lines: dict[str, int]) -> None:
    """Linear: each unit is walked over once (on the current path, then done)."""
    on_path, done = 1, 2
    state: dict[str, int] = {}
    for unit in units.values():
        path, node = [], unit
        while node is not None and node.id not in state:
            state[node.id] = on_path
            path.append(node)
            node = node.parent
        if node is not None and state[node.id] == on_path:
            cycle = path[path.index(node):]
            first = min(cycle, key=lambda u: u.line)
            f.error(parent_lines[first.id], f"đơn vị '{first.id}': quan hệ cấp trên tạo thành vòng lặp "
                                            f"({_cycle_text(first, len(cycle))}); hãy sửa 'parent'", "E454")
            first.parent = None
        for member in path:
            state[member.id] = done


def _cycle_text(first: Unit, length: int) -> str:
    ids, node = [first.id], first.parent
    while node is not None and node is not first and len(ids) < 4:
        ids.append(node.id)
        node = node.parent
    if length > len(ids):
        ids.append("…")
    return " → ".join([*ids, first.id])


def _limit_depth(f: _YamlFile, units: dict[str, Unit], parent_lines: dict[str, int]) -> None:
    """Levels counted once per unit; units below MAX_UNIT_DEPTH are cut off the tree."""
    level: dict[str, int] = {}
    for unit in units.values():
        path, node = [], unit
        while node is not None and node.id not in level:
            path.append(node)
            node = node.parent
        current = level[node.id] if node is not None else 0
        for member in reversed(path):
            current += 1
            level[member.id] = current
    too_deep = [u for u in units.values() if level[u.id] > MAX_UNIT_DEPTH]
    has_deeper = {u.parent.id for u in too_deep if level[u.id] > MAX_UNIT_DEPTH + 1}
    for unit in too_deep:
        if level[unit.id] == MAX_UNIT_DEPTH + 1:
            below = "; các đơn vị trực thuộc nó cũng bị bỏ khỏi cây đơn vị" if unit.id in has_deeper else ""
            f.error(parent_lines[unit.id], f"đơn vị '{unit.id}' nằm ở cấp thứ {level[unit.id]}, quá sâu "
                                           f"(tối đa {MAX_UNIT_DEPTH} cấp); hãy kiểm tra 'parent'{below}", "E455")
    for unit in too_deep:
        unit.parent = None


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
