"""Items a unit published off the portal: on its fan page, in newspapers, on
radio and TV, on the national union page.

The plans count these beside the portal's own articles, so the board needs
them recorded. The channels are listed in ``channels.yml``; the items in
YAML files under ``kenh/``, one list per unit and year. Editors write them by
hand, so each file is read with the registries' limits and every item is
checked as an article is, each mistake told at its file and line; an item
with an error is left out of the counts, the others count. ``website`` is the
portal itself: its items are the site's articles, never written here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .articles import CONTENT_TYPES, _period
from .problems import WARNING, Problem, suggest
from .registry import Registry, Unit, _YamlFile
from .registry_yaml import YamlMap, shown
from .text import fold, visible

WEBSITE = "website"
WEBSITE_NAME = "Cổng thông tin điện tử"
CHANNELS_FILE = "channels.yml"
# The folder of channel item files, in the content folder.
ITEMS_FOLDER = "kenh"
ITEM_SUFFIXES = (".yml", ".yaml")
# Files the content scan already tells are misplaced articles (plugins.contract.scan).
ARTICLE_SUFFIXES = (".md", ".markdown")
CHANNEL_KEYS = ("id", "name", "short_name", "description")
FILE_KEYS = ("unit", "items")
ITEM_KEYS = ("date", "channel", "type", "title", "url", "unit")
MAX_TITLE = 300
MAX_URL = 2000
# A host name: labels of letters, digits, '-' and '_' (any script), at least two, dot-separated.
_HOST = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")
# Spaces, control and invisible characters: nothing of them belongs in an address.
_UNSEEN = re.compile("[\\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    line: int
    description: str = ""
    # What a narrow column heading shows (the name if not given).
    short_name: str = ""

    @property
    def label(self) -> str:
        return self.short_name or self.name


def _website() -> dict[str, Channel]:
    return {WEBSITE: Channel(WEBSITE, WEBSITE_NAME, 0)}


@dataclass(frozen=True)
class ChannelItem:
    path: str
    line: int
    unit_id: str
    day: dt.date
    channel_id: str
    content_type: str
    title: str
    url: str = ""


@dataclass
class ChannelBook:
    # File order, website first.
    channels: dict[str, Channel] = field(default_factory=_website)
    # Only valid items, sorted by (day, path, line).
    items: list[ChannelItem] = field(default_factory=list)
    # Every channel item file read, relative to the content folder (posix).
    files: tuple[str, ...] = ()

    def find(self, value: str) -> Channel | None:
        return find_channel(self.channels, value)


def find_channel(channels: dict[str, Channel], value: str) -> Channel | None:
    """The channel whose id or name is ``value``, whatever its case and accents."""
    if value in channels:
        return channels[value]
    key = fold(value)
    return next((c for c in channels.values() if key in (fold(c.id), fold(c.name), fold(c.label))), None)


def load_channels(root: Path, registry: Registry, today: dt.date) -> tuple[ChannelBook, list[Problem]]:
    """The channels and every valid item of the content folder ``root``, and the problems of both."""
    root = Path(root)
    channels = _ChannelList(root / CHANNELS_FILE)
    files, problems = _item_files(root)
    reader = _Items(root, registry, channels, today)
    for rel in files:
        reader.read(rel)
    problems = channels.file.problems + problems + reader.problems
    items = sorted(reader.items, key=lambda i: (i.day, i.path, i.line))
    return ChannelBook(channels.book, items, tuple(files)), problems


class _ChannelList:
    """``channels.yml`` read: the channels, and what of it items cannot be checked against."""

    def __init__(self, path: Path):
        self.file = _YamlFile(path, CHANNELS_FILE)
        self.book = _website()
        if path.exists() or path.is_symlink():
            self._load()

    def _load(self) -> None:
        f = self.file
        _, items = f.load("channels", ("channels",))
        seen: set[str] = set()
        names: dict[str, int] = {}
        found: dict[str, Channel] = {}
        for item in items:
            f.check_keys(item, CHANNEL_KEYS)
            channel_id = f.ident(item, seen)
            name = f.text(item, "name")
            description = f.text(item, "description", required=False, one_line=False)
            short_name = f.text(item, "short_name", required=False)
            if name and fold(name) in names:
                f.error(item.line_of("name"), f"tên kênh '{name}' bị trùng với kênh ở dòng {names[fold(name)]}; "
                                              "hãy đặt tên khác cho một kênh", "E475")
                name = ""
            elif name:
                names[fold(name)] = item.line_of("name")
            if channel_id and name:
                found[channel_id] = Channel(channel_id, name, item.line, description, short_name)
            elif channel_id:
                f.refused[channel_id] = item.line_of("id")
        self.book = {WEBSITE: found.pop(WEBSITE, self.book[WEBSITE]), **found}

    def unchecked(self, value: str) -> Problem | None:
        """Why an item's ``channel`` cannot be checked (the same problem for every item: told once), or ``None``."""
        f = self.file
        if f.broken:
            line = max((p.line for p in f.problems), default=1)
            return Problem(CHANNELS_FILE, line, "vì channels.yml có lỗi ở trên, các tin bài ngoài cổng thông tin "
                                                "ghi kênh trong tệp này chưa được kiểm tra và chưa được tính; hãy "
                                                "sửa lỗi rồi chạy lại", code="E476")
        line = f.refused.get(value)
        if line is not None:
            return Problem(CHANNELS_FILE, line, f"vì kênh '{value}' có lỗi ở trên, các tin bài ghi kênh này chưa "
                                                "được tính; hãy sửa mục này rồi chạy lại", code="E477")
        return None


def _item_files(root: Path) -> tuple[list[str], list[Problem]]:
    """The item files under kenh/ (posix, sorted), and the files there that are not read.
    Hidden files and symbolic links are left to the content scan, which tells the links."""
    folder = root / ITEMS_FOLDER
    if folder.is_symlink():
        return [], []
    if folder.exists() and not folder.is_dir():
        return [], [Problem(ITEMS_FOLDER, 1, "'kenh' phải là một thư mục chứa các tệp .yml; hãy đổi tên "
                                             "tệp này và tạo thư mục kenh/", code="E478")]
    files, problems = [], []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if name.startswith(".") or path.is_symlink() or name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            if name.lower().endswith(ITEM_SUFFIXES):
                files.append(rel)
            else:
                problems.append(Problem(rel, 1, "tệp trong kenh/ không có đuôi .yml nên không được đọc; "
                                                "hãy lưu danh sách tin bài thành tệp .yml (ví dụ "
                                                "kenh/<mã đơn vị>/2025.yml) hoặc chuyển tệp ra khỏi kenh/",
                                        code="E479"))
    return sorted(files), problems


class _Items:
    """Every channel item file being read, with what the items share across files."""

    def __init__(self, root: Path, registry: Registry, channels: _ChannelList, today: dt.date):
        self.root = root
        self.registry = registry
        self.channels = channels
        self.today = today
        self.items: list[ChannelItem] = []
        self.problems: list[Problem] = []
        # Where each address was first written, and each item without an address.
        self.urls: dict[str, tuple[str, int]] = {}
        self.plain: dict[tuple, tuple[str, int]] = {}

    def tell(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def read(self, rel: str) -> None:
        f = _YamlFile(self.root / rel, rel)
        data, items = f.load("items", FILE_KEYS)
        own = None
        if not f.broken:
            if data.get("unit") is None:
                f.error(1, "thiếu 'unit:' (mã đơn vị có các tin bài này); hãy thêm dòng 'unit: <mã>' với mã đơn vị "
                           "trong units.yml ở đầu tệp", "E480")
            else:
                own = self.unit(f, data)
        for item in items:
            found = self.item(f, item, own)
            if found is not None:
                self.items.append(found)
        for problem in f.problems:
            self.tell(problem)

    def item(self, f: _YamlFile, item: YamlMap, own: Unit | None) -> ChannelItem | None:
        """The item, or ``None`` when it has an error (told) or its unit's is told already."""
        before = len(f.problems)
        f.check_keys(item, ITEM_KEYS)
        day = f.day(item, "date", required=True)
        if day is not None and day > self.today:
            f.error(item.line_of("date"), f"ngày {day:%d/%m/%Y} chưa tới; tin bài chỉ được ghi sau khi đã đăng, "
                                          "hãy kiểm tra 'date'", "E481")
            day = None
        unit = self.unit(f, item) if item.get("unit") is not None else own
        if unit is not None and day is not None and not unit.exists_on(day):
            f.error(item.line_of("date"), f"ngày {day:%d/%m/%Y} nằm ngoài thời gian hoạt động của đơn vị "
                                          f"'{unit.id}' ({_period(unit)}); hãy kiểm tra 'date' hoặc 'unit'", "E482")
        channel = self.channel(f, item)
        content_type = self.content_type(f, item)
        title = f.text(item, "title")
        if len(title) > MAX_TITLE:
            f.error(item.line_of("title"), f"tiêu đề dài {len(title)} ký tự, quá {MAX_TITLE} ký tự; hãy rút gọn "
                                           "tiêu đề", "E483")
        url = self.url(f, item)
        if len(f.problems) > before or unit is None or None in (day, channel, content_type):
            return None
        found = ChannelItem(f.label, item.line, unit.id, day, channel, content_type, title, url)
        if not url:
            self.same_item(f, item, found)
        return found

    def unit(self, f: _YamlFile, where: YamlMap) -> Unit | None:
        """The unit named in ``where`` (the file or an item), or ``None`` (told)."""
        line = where.line_of("unit")
        value = f.text(where, "unit")
        if not value:
            return None
        unchecked = self.registry.unchecked("units.yml", value)
        if unchecked is not None:
            self.tell(unchecked)
            return None
        unit = self.registry.units.get(value)
        if unit is None:
            names = {n: u.id for u in self.registry.units.values() for n in u.names}
            hint = suggest(value, self.registry.units) or suggest(value, names, names)
            f.error(line, f"đơn vị '{visible(shown(value))}' không có trong units.yml.{hint} Hãy ghi mã đơn vị "
                          "(dòng 'id:' trong units.yml)", "E484")
        return unit

    def channel(self, f: _YamlFile, item: YamlMap) -> str | None:
        value = f.text(item, "channel")
        if not value:
            return None
        channel = find_channel(self.channels.book, value)
        if channel is not None and channel.id == WEBSITE:
            f.error(item.line_of("channel"), "tin bài trên cổng thông tin là các bài viết của website, không ghi "
                                             "ở đây; hãy viết một bài trong thư mục articles/", "E485")
            return None
        if channel is not None:
            return channel.id
        unchecked = self.channels.unchecked(value)
        if unchecked is not None:
            self.tell(unchecked)
            return None
        others = [c for c in self.channels.book.values() if c.id != WEBSITE]
        names = {c.name: c.id for c in others}
        hint = suggest(value, [c.id for c in others]) or suggest(value, names, names)
        f.error(item.line_of("channel"), f"kênh '{visible(shown(value))}' không có trong channels.yml.{hint} "
                                         f"Các kênh: {', '.join(c.id for c in others) or '(chưa có)'}", "E486")
        return None

    def content_type(self, f: _YamlFile, item: YamlMap) -> str | None:
        if item.get("type") is None:
            return "tin"
        value = f.text(item, "type")
        if not value:
            return None
        key = fold(value)
        for type_id, label in CONTENT_TYPES.items():
            if key in (fold(type_id), fold(label)):
                return type_id
        labels = {label: type_id for type_id, label in CONTENT_TYPES.items()}
        hint = suggest(value, CONTENT_TYPES) or suggest(value, labels, labels)
        f.error(item.line_of("type"), f"loại tin '{visible(shown(value))}' không hợp lệ.{hint} Các loại: "
                                      f"{', '.join(CONTENT_TYPES)}", "E487")
        return None

    def url(self, f: _YamlFile, item: YamlMap) -> str:
        raw = item.get("url")
        if isinstance(raw, str) and _UNSEEN.search(raw.strip()):
            f.error(item.line_of("url"), "địa chỉ 'url' có dấu cách hoặc ký tự không nhìn thấy; hãy chép lại "
                                         "địa chỉ từ thanh địa chỉ của trình duyệt", "E488")
            return ""
        value = f.text(item, "url", required=False)
        if not value:
            return ""
        line = item.line_of("url")
        why = _url_problem(value)
        if why is not None:
            code, message = why
            f.error(line, message, code)
            return ""
        first = self.urls.setdefault(_url_key(value), (f.label, line))
        if first != (f.label, line):
            f.error(line, f"địa chỉ '{shown(value)}' đã được ghi ở {first[0]}:{first[1]}; mỗi tin bài chỉ ghi một "
                          "lần, hãy xóa mục thừa", "E489")
            return ""
        return value

    def same_item(self, f: _YamlFile, item: YamlMap, found: ChannelItem) -> None:
        key = (found.unit_id, found.day, found.channel_id, fold(found.title))
        first = self.plain.setdefault(key, (found.path, found.line))
        if first != (found.path, found.line):
            f.problems.append(Problem(f.label, item.line, f"tin bài trùng với mục ở {first[0]}:{first[1]} (cùng đơn "
                                                          "vị, ngày, kênh và tiêu đề); nếu là hai tin bài khác nhau, "
                                                          "hãy ghi 'url' cho từng tin, nếu không hãy xóa mục thừa",
                                      WARNING, "W414"))


def _url_problem(value: str) -> tuple[str, str] | None:
    """(code, message) for an address that cannot be published as a link, or ``None``."""
    if len(value) > MAX_URL:
        return "E490", f"địa chỉ 'url' dài quá {MAX_URL} ký tự; hãy chép địa chỉ ngắn của tin bài"
    scheme, colon, _ = value.partition(":")
    if not colon or scheme.lower() not in ("http", "https"):
        return "E491", (f"địa chỉ '{shown(value)}' không hợp lệ: phải là địa chỉ web đầy đủ bắt đầu bằng https:// "
                        "(hoặc http://); hãy chép lại từ thanh địa chỉ của trình duyệt")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # an unclosed '[' or a port out of range
        parts, port = None, None
    if parts is not None and "@" in parts.netloc:
        return "E492", (f"địa chỉ '{shown(value)}' có tên đăng nhập hoặc mật khẩu (phần trước dấu '@'); hãy bỏ "
                        "phần đó, chỉ ghi địa chỉ công khai của tin bài")
    if parts is None or "\\" in value or not _HOST.match(parts.hostname or "") or port == 0:
        return "E493", (f"địa chỉ '{shown(value)}' không có tên miền hợp lệ (ví dụ www.facebook.com); hãy chép lại "
                        "từ thanh địa chỉ của trình duyệt")
    return None


def _url_key(value: str) -> str:
    """An address as compared for duplicates: scheme and host in any case, without a trailing '/' or '#…'."""
    parts = urlsplit(value)
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


def rule_problems(registry: Registry, book: ChannelBook) -> list[Problem]:
    """Targets in units.yml that count a channel channels.yml does not declare."""
    rules = [*registry.kind_targets.values(), *(u.target for u in registry.units.values() if u.target)]
    problems = {}
    for rule in rules:
        for step in rule.steps:
            for channel in step.channels:
                if channel not in book.channels:
                    problems[(step.line, channel)] = Problem(
                        "units.yml", step.line, f"chỉ tiêu tính kênh '{shown(channel)}' nhưng kênh này không có "
                                                f"trong channels.yml.{suggest(channel, book.channels)} Các kênh: "
                                                f"{', '.join(book.channels)}", code="E496")
    return list(problems.values())
