"""Units, campaigns and sections: the vocabulary articles refer to.

Loaded from ``units.yml``, ``campaigns.yml`` and ``sections.yml`` in the
content folder. Every problem carries the YAML file and line so editors can
fix it; loading never stops at the first one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from .dates import DateError, parse_day
from .problems import Problem, suggest

UNIT_KINDS = {
    "tinh": "Liên đoàn Lao động tỉnh",
    "ban": "Ban, Văn phòng của Liên đoàn Lao động tỉnh",
    "cap-tren": "Công đoàn cấp trên trực tiếp cơ sở",
    "co-so": "Công đoàn cơ sở",
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_KEYS = ("id", "name", "short_name", "kind", "parent", "active_from", "active_until", "target")
CAMPAIGN_KEYS = ("id", "name", "start", "end", "slogans", "description")
SECTION_KEYS = ("id", "name", "description")


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
        return f"don-vi/{self.id}/"

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
        return f"chien-dich/{self.id}/"

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
        return f"chuyen-muc/{self.id}/"


@dataclass
class Registry:
    units: dict[str, Unit] = field(default_factory=dict)
    kind_targets: dict[str, TargetRule] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    def roots(self) -> list[Unit]:
        return [u for u in self.units.values() if u.parent is None]

    def walk(self) -> Iterator[tuple[Unit, int]]:
        """Units in tree order (parent first, siblings in file order) with depth."""
        stack = [(u, 0) for u in reversed(self.roots())]
        while stack:
            unit, depth = stack.pop()
            yield unit, depth
            stack.extend((c, depth + 1) for c in reversed(unit.children))

    def ancestors(self, unit: Unit) -> list[Unit]:
        chain = []
        while unit.parent is not None:
            unit = unit.parent
            chain.append(unit)
        return chain

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


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of every mapping and of its keys."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {
            getattr(k, "value", None): k.start_mark.line + 1 for k, _ in node.value
        }
        return mapping


def _timestamp_or_text(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """An impossible YAML date (2025-02-30) stays text so it is reported, not raised."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _YamlFile:
    """One YAML file being read, with its problems."""

    def __init__(self, path: Path, label: str):
        self.path = path
        self.label = label
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.label, line, message))

    def load(self, top_key: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The top-level mapping and the list under ``top_key``."""
        if not self.path.is_file():
            self.error(1, f"thiếu tệp {self.path.name} trong thư mục nội dung; hãy tạo tệp này")
            return {}, []
        if self.path.is_symlink():
            self.error(1, "tệp là liên kết tượng trưng (symlink); hãy thay bằng tệp thật")
            return {}, []
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error(1, "tệp không ở mã UTF-8; hãy lưu lại với bảng mã UTF-8")
            return {}, []
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
        try:
            data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            self.error(line, f"lỗi cú pháp YAML: {exc.problem}; hãy kiểm tra thụt lề và dấu ':'")
            return {}, []
        if not isinstance(data, dict):
            self.error(1, f"tệp phải bắt đầu bằng khóa '{top_key}:'")
            return {}, []
        items = data.get(top_key)
        if not isinstance(items, list):
            line = data["__lines__"].get(top_key, 1)
            self.error(line, f"'{top_key}:' phải là một danh sách (mỗi mục bắt đầu bằng '- ')")
            return data, []
        good = []
        for item in items:
            if isinstance(item, dict):
                good.append(item)
            else:
                self.error(data["__lines__"].get(top_key, 1), f"mỗi mục trong '{top_key}' phải có dạng 'khóa: giá trị'")
        return data, good

    def check_keys(self, item: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key, line in item["__lines__"].items():
            if key not in allowed:
                hint = suggest(str(key), allowed)
                self.error(line, f"khóa '{key}' không hợp lệ.{hint} Các khóa được dùng: {', '.join(allowed)}")

    def text(self, item: dict[str, Any], key: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None or str(value).strip() == "":
            if required:
                self.error(item["__line__"], f"thiếu '{key}'; hãy bổ sung")
            return ""
        return str(value).strip()

    def ident(self, item: dict[str, Any], seen: set[str]) -> str:
        value = self.text(item, "id")
        line = item["__lines__"].get("id", item["__line__"])
        if value and not ID_PATTERN.match(value):
            self.error(line, f"id '{value}' chỉ được gồm chữ thường không dấu, số và dấu '-'")
            return ""
        if value in seen:
            self.error(line, f"id '{value}' bị trùng; mỗi id phải là duy nhất")
            return ""
        seen.add(value)
        return value

    def day(self, item: dict[str, Any], key: str, required: bool = False) -> dt.date | None:
        value = item.get(key)
        if value is None:
            if required:
                self.error(item["__line__"], f"thiếu '{key}'; hãy bổ sung ngày (ví dụ 2024-05-01)")
            return None
        try:
            return parse_day(value)
        except DateError as exc:
            self.error(item["__lines__"].get(key, item["__line__"]), f"'{key}': {exc}")
            return None

    def target(self, value: Any, line: int) -> TargetRule | None:
        if isinstance(value, bool):
            value = None
        if isinstance(value, int) and value >= 0:
            return TargetRule(((0, value),))
        if isinstance(value, dict):
            steps = []
            for year, target in value.items():
                if year in ("__line__", "__lines__"):
                    continue
                if isinstance(year, int) and isinstance(target, int) and not isinstance(target, bool) and target >= 0:
                    steps.append((year, target))
                else:
                    self.error(line, f"chỉ tiêu '{year}: {target}' không hợp lệ; hãy viết năm: số bài (ví dụ 2024: 12)")
                    return None
            if steps:
                return TargetRule(tuple(sorted(steps)))
        self.error(line, f"chỉ tiêu '{value}' không hợp lệ; hãy viết một số (ví dụ 12) hoặc {{năm: số bài}}")
        return None


def load_registry(content_dir: Path) -> tuple[Registry, list[Problem]]:
    registry = Registry()
    problems: list[Problem] = []
    problems += _load_units(content_dir / "units.yml", registry)
    problems += _load_campaigns(content_dir / "campaigns.yml", registry)
    problems += _load_sections(content_dir / "sections.yml", registry)
    return registry, problems


def _load_units(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "units.yml")
    data, items = f.load("units")
    for kind, value in (data.get("targets") or {}).items():
        if kind in ("__line__", "__lines__"):
            continue
        line = data["targets"]["__lines__"].get(kind, 1)
        if kind not in UNIT_KINDS:
            f.error(line, f"loại đơn vị '{kind}' không tồn tại.{suggest(str(kind), UNIT_KINDS)}")
            continue
        rule = f.target(value, line)
        if rule:
            registry.kind_targets[kind] = rule
    seen: set[str] = set()
    for item in items:
        f.check_keys(item, UNIT_KEYS)
        unit_id = f.ident(item, seen)
        name = f.text(item, "name")
        kind = f.text(item, "kind")
        if kind and kind not in UNIT_KINDS:
            line = item["__lines__"].get("kind", item["__line__"])
            f.error(line, f"loại đơn vị '{kind}' không tồn tại.{suggest(kind, UNIT_KINDS)} Các loại: {', '.join(UNIT_KINDS)}")
            kind = ""
        start, end = f.day(item, "active_from"), f.day(item, "active_until")
        if start and end and start > end:
            f.error(item["__lines__"]["active_until"], "'active_until' đứng trước 'active_from'; hãy kiểm tra lại")
        target = None
        if item.get("target") is not None:
            target = f.target(item["target"], item["__lines__"]["target"])
        if not (unit_id and name and kind):
            continue
        registry.units[unit_id] = Unit(
            id=unit_id, name=name, kind=kind, line=item["__line__"],
            short_name=f.text(item, "short_name", required=False),
            parent_id=f.text(item, "parent", required=False) or None,
            active_from=start, active_until=end, target=target,
        )
    _link_tree(f, registry)
    return f.problems


def _link_tree(f: _YamlFile, registry: Registry) -> None:
    units = registry.units
    for unit in list(units.values()):
        if unit.parent_id is None:
            continue
        parent = units.get(unit.parent_id)
        if parent is None:
            f.error(unit.line, f"đơn vị '{unit.id}': đơn vị cấp trên '{unit.parent_id}' không tồn tại.{suggest(unit.parent_id, units)}")
            continue
        unit.parent = parent
    for unit in units.values():
        seen = {unit.id}
        node = unit.parent
        while node is not None:
            if node.id in seen:
                f.error(unit.line, f"đơn vị '{unit.id}': quan hệ cấp trên tạo thành vòng lặp ({unit.id} → … → {node.id}); hãy sửa 'parent'")
                unit.parent = None
                break
            seen.add(node.id)
            node = node.parent
    for unit in units.values():
        if unit.parent is not None:
            unit.parent.children.append(unit)


def _load_campaigns(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "campaigns.yml")
    _, items = f.load("campaigns")
    seen: set[str] = set()
    for item in items:
        f.check_keys(item, CAMPAIGN_KEYS)
        campaign_id = f.ident(item, seen)
        name = f.text(item, "name")
        start, end = f.day(item, "start", required=True), f.day(item, "end", required=True)
        if start and end and start > end:
            f.error(item["__lines__"]["end"], "'end' đứng trước 'start'; hãy kiểm tra lại thời gian chiến dịch")
            continue
        slogans = item.get("slogans") or []
        if isinstance(slogans, str):
            slogans = [slogans]
        if not isinstance(slogans, list) or not all(isinstance(s, str) for s in slogans):
            f.error(item["__lines__"].get("slogans", item["__line__"]), "'slogans' phải là danh sách các câu thông điệp")
            slogans = []
        if campaign_id and name and start and end:
            registry.campaigns[campaign_id] = Campaign(
                id=campaign_id, name=name, start=start, end=end, line=item["__line__"],
                slogans=tuple(s.strip() for s in slogans),
                description=f.text(item, "description", required=False),
            )
    return f.problems


def _load_sections(path: Path, registry: Registry) -> list[Problem]:
    f = _YamlFile(path, "sections.yml")
    _, items = f.load("sections")
    seen: set[str] = set()
    names: set[str] = set()
    for item in items:
        f.check_keys(item, SECTION_KEYS)
        section_id = f.ident(item, seen)
        name = f.text(item, "name")
        if name and _fold(name) in names:
            f.error(item["__line__"], f"tên chuyên mục '{name}' bị trùng")
            continue
        names.add(_fold(name))
        if section_id and name:
            registry.sections.append(Section(section_id, name, item["__line__"], f.text(item, "description", required=False)))
    if not registry.sections and not f.problems:
        f.error(1, "cần ít nhất một chuyên mục trong 'sections:'")
    return f.problems
