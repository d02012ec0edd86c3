"""The people who write and photograph for the portal: ``authors.yml``.

Royalties are paid to people, while ``Author:`` is free text that editors type
each time ("Nguyễn Văn An", "Nguyễn văn An", a pen name…). The registry gives
each person an id, a full name, a unit and pen names, so every spelling of one
person is one payee. It holds no bank or identity data: the file is in a
repository every editor reads and writes, so such keys are refused.

A name matches whatever its Unicode form (NFC), case and spacing; accents do
count ("Hà" and "Hạ" are two people), they only help to suggest a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .problems import WARNING, Problem, suggest
from .registry import Registry, _YamlFile
from .registry_yaml import YamlMap, kind_of, shown
from .text import fold, visible

AUTHORS_FILE = "authors.yml"
AUTHOR_KEYS = ("id", "name", "unit", "pen_names", "notes")
# Words in a key that mean bank or identity data (compared folded, '_' and '-' as spaces).
PRIVATE_WORDS = ("tai khoan", "so tk", "stk", "account", "bank", "ngan hang", "iban", "swift", "cccd", "cmnd",
                 "can cuoc", "chung minh", "ma so thue", "mst", "tax", "passport", "ho chieu")
# Several people in one ``Author:`` or ``Photographer:``.
_SEPARATORS = re.compile("[,;]")


def name_key(text: str) -> str:
    """A name as compared: NFC, case-folded, spaces collapsed (accents kept)."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def split_people(value: str) -> list[str]:
    """The people of an ``Author:`` or ``Photographer:`` value, in order, each once."""
    people = [" ".join(unicodedata.normalize("NFC", v).split()) for v in _SEPARATORS.split(value or "")]
    return list(dict.fromkeys(p for p in people if p))


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    unit_id: str
    line: int
    pen_names: tuple[str, ...] = ()
    notes: str = ""


@dataclass
class AuthorBook:
    """The registry as read: the people by id, and every written name (``name_key``) to its person."""

    people: dict[str, Person] = field(default_factory=dict)
    names: dict[str, Person] = field(default_factory=dict)
    # Whether ``authors.yml`` exists: without it nothing is checked.
    present: bool = False

    def find(self, written: str) -> Person | None:
        """The person written as ``written``: by id, full name or pen name."""
        key = name_key(written)
        return self.people.get(key) or self.names.get(key)

    def hint(self, written: str) -> str:
        """`` Có phải ý bạn là 'x'?`` for the closest name or pen name, or nothing."""
        shown_as = {n: n for p in self.people.values() for n in (p.name, *p.pen_names)}
        return suggest(written, shown_as, shown_as)


def load_authors(root: Path, registry: Registry) -> tuple[AuthorBook, list[Problem]]:
    """The people of ``root/authors.yml`` (an empty book when there is none) and its problems."""
    path = Path(root) / AUTHORS_FILE
    if not (path.exists() or path.is_symlink()):
        return AuthorBook(), []
    f = _YamlFile(path, AUTHORS_FILE)
    _, items = f.load("authors", ("authors",))
    book = AuthorBook(present=True)
    seen: set[str] = set()
    written: dict[str, tuple[str, int]] = {}
    for item in items:
        person = _person(f, item, seen, registry)
        if person is not None:
            kept = _index(f, person, item, written)
            person = replace(person, pen_names=tuple(n for n in person.pen_names if n in kept))
            book.people[person.id] = person
            book.names.update({name_key(n): person for n in kept})
    return book, f.problems


def _person(f: _YamlFile, item: YamlMap, seen: set[str], registry: Registry) -> Person | None:
    _refuse_private(f, item)
    f.check_keys(item, AUTHOR_KEYS + tuple(k for k in item if _private(k)))
    person_id = f.ident(item, seen)
    name = f.text(item, "name")
    unit = _unit(f, item, registry)
    pen_names = _pen_names(f, item)
    notes = f.text(item, "notes", required=False, one_line=False)
    if not person_id or not name:
        return None  # a person is kept with a wrong unit or pen names (told), so their articles still match
    return Person(person_id, unicodedata.normalize("NFC", name), unit, item.line, pen_names, notes)


def _private(key: object) -> bool:
    folded = f" {fold(str(key)).replace('_', ' ').replace('-', ' ')} "
    return any(f" {word} " in folded for word in PRIVATE_WORDS)


def _refuse_private(f: _YamlFile, item: YamlMap) -> None:
    for key in item:
        if key is not None and _private(key):
            f.error(item.line_of(key), f"khóa '{shown(key)}' là thông tin tài khoản ngân hàng hoặc giấy tờ tùy thân; "
                                       "không ghi thông tin này vào authors.yml vì mọi người gửi bài đều đọc được "
                                       "kho nội dung. Hãy xóa dòng này (kế toán giữ thông tin đó riêng)", "E601")


def _unit(f: _YamlFile, item: YamlMap, registry: Registry) -> str:
    value = f.text(item, "unit", required=False)  # a contributor from outside the union has none
    if not value:
        return ""
    unchecked = registry.unchecked("units.yml", value)
    if unchecked is not None:
        f.problems.append(unchecked)
        return ""
    if value not in registry.units:
        names = {n: u.id for u in registry.units.values() for n in u.names}
        hint = suggest(value, registry.units) or suggest(value, names, names)
        f.error(item.line_of("unit"), f"đơn vị '{visible(shown(value))}' không có trong units.yml.{hint} Hãy ghi mã "
                                      "đơn vị (dòng 'id:' trong units.yml)", "E603")
        return ""
    return value


def _pen_names(f: _YamlFile, item: YamlMap) -> tuple[str, ...]:
    value = item.get("pen_names")
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        f.error(item.line_of("pen_names"), f"'pen_names' phải là một danh sách bút danh, ví dụ "
                                           f"pen_names: [Văn An, Hà An] (đang là {kind_of(value)})", "E604")
        return ()
    return tuple(dict.fromkeys(" ".join(unicodedata.normalize("NFC", v).split()) for v in values))


def _index(f: _YamlFile, person: Person, item: YamlMap, written: dict[str, tuple[str, int]]) -> list[str]:
    """The names of ``person`` no one else has; a name another person has is an error at its line."""
    lines = {person.name: item.line_of("name"), **{n: item.line_of("pen_names") for n in person.pen_names}}
    kept = []
    for name, line in lines.items():
        other = written.setdefault(name_key(name), (person.id, line))
        if other[0] != person.id:
            f.error(line, f"tên '{name}' đã là tên hoặc bút danh của người có id '{other[0]}' (dòng {other[1]}); "
                          "hai người không được trùng tên: hãy thêm tên đệm hay đơn vị vào bút danh để phân biệt",
                    "E602")
            continue
        kept.append(name)
    return kept


def people_problems(book: AuthorBook, path: str, line: int, key: str, value: str) -> list[Problem]:
    """A warning for each person of ``value`` (an article's ``Author`` or ``Photographer``) not in the registry."""
    if not book.present:
        return []
    found = []
    for written in split_people(value):
        if book.find(written) is not None:
            continue
        if key == "Author":
            found.append(Problem(path, line, unknown_message(book, key, written), WARNING, "W601"))
        else:
            found.append(Problem(path, line, unknown_message(book, key, written), WARNING, "W602"))
    return found


def unknown_message(book: AuthorBook, key: str, written: str) -> str:
    return (f"'{key}': '{visible(written)}' không có trong {AUTHORS_FILE}.{book.hint(written)} Hãy ghi đúng họ tên, "
            f"bút danh hoặc id trong {AUTHORS_FILE}, hoặc nhờ Ban Biên tập thêm người này vào đó")
