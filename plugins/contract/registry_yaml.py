"""Reading the hand-written registry files (units.yml, campaigns.yml, sections.yml).

Editors write these files by hand, copy parts of them from elsewhere, and may
send a file made to hurt the build. So the YAML is read with limits: a size
cap, no anchors or aliases (an alias bomb grows a few lines into gigabytes),
a bounded nesting depth, control characters removed before parsing, and every
error of the parser or of a value's constructor turned into a Vietnamese
problem at a file and line. Mappings and lists remember their lines, so the
registry can point at the exact key or item that is wrong.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .dates import shown as _shown_text
from .problems import WARNING, Problem
from .text import clean_controls, encoding_of, looks_utf16

MAX_BYTES = 5 * 1024 * 1024
# Nesting of YAML collections; the registries need four (file, list, item, target by year).
MAX_NESTING = 10
# Control-character warnings per file; more are summed up in one last warning.
MAX_CONTROL_WARNINGS = 20
# Characters PyYAML treats as line breaks although editors' tools do not.
_SEPARATORS = MappingProxyType({"\u2028": "U+2028", "\u2029": "U+2029"})


class YamlMap(dict):
    """A YAML mapping with its line and the line of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 1
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A YAML list with its line and the line of each item."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 1
        self.item_lines: list[int] = []


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that registries do not accept; ``problem`` is the message for editors, ``code`` its code."""

    def __init__(self, code: str, problem: str, problem_mark: Any):
        super().__init__(problem=problem, problem_mark=problem_mark)
        self.code = code


def _alias_message(label: str) -> str:
    return f"không dùng neo/bí danh YAML (&, *) trong {label}; hãy viết đầy đủ giá trị"


_NESTING_MESSAGE = (f"dữ liệu lồng nhau quá sâu (quá {MAX_NESTING} cấp); "
                    "hãy kiểm tra thụt lề và các dấu ngoặc [ ] { }")
_VALUE_MESSAGE = ("giá trị không đọc được (ví dụ một số quá dài hoặc thẻ '!!' không hợp với giá trị); "
                  "hãy viết lại giá trị hoặc đặt nó trong dấu ngoặc kép")


# libyaml's parser when PyYAML has it (several times faster), else PyYAML's own.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _refuse_aliases_and_nesting(text: str, label: str) -> None:
    """One streaming pass over the parser's events, before any node is built."""
    nesting = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("E401", _alias_message(label), event.start_mark)
        if isinstance(event, _OPENING):
            nesting += 1
            if nesting > MAX_NESTING:
                raise _Refused("E402", _NESTING_MESSAGE, event.start_mark)
        elif isinstance(event, _CLOSING):
            nesting -= 1


class _Loader(_BASE):
    """Safe YAML with line-aware collections; a constructor's failure is a marked YAML error."""

    def __init__(self, text: str):
        super().__init__(text)
        self.duplicates: list[tuple[int, Any]] = []
        self.escaped: list[tuple[int, str]] = []

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception:  # noqa: BLE001 - any constructor failure is the value's fault
            raise _Refused("E403", _VALUE_MESSAGE, node.start_mark) from None


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = YamlMap()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        key, line = loader.construct_object(key_node), key_node.start_mark.line + 1
        if key in data.key_lines:
            loader.duplicates.append((line, key))
        data.key_lines[key] = line


def _construct_list(loader: _Loader, node: yaml.SequenceNode):
    data = YamlList()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """Text, without control characters written as escapes ("\\x0b")."""
    text, found = clean_controls(loader.construct_scalar(node), vertical_tab="")
    loader.escaped += [(node.start_mark.line + 1, code) for _, code in found]
    return text


def _timestamp_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """An impossible YAML date (2025-02-30, +99:99) stays text so the date parser reports it."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except Exception:  # noqa: BLE001 - PyYAML and datetime raise several kinds here
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# Words of PyYAML's or libyaml's message ('|' between alternatives), and the code and words an editor sees instead.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "E410", "không được đặt dấu ':' ở đây; giá trị có dấu ':' phải đặt trong dấu ngoặc kép"),
    ("could not find expected ':'", "E411", "thiếu dấu ':' sau khóa"),
    ("cannot start any token", "E412", "có ký tự không được đứng đầu một giá trị (như '@' hoặc '`'); hãy đặt giá trị trong dấu ngoặc kép"),
    ("found unexpected end of stream", "E413", "tệp kết thúc khi dấu ngoặc chưa được đóng; hãy kiểm tra các dấu ngoặc kép và ngoặc [ ] { }"),
    ("expected <block end>", "E414", "thụt lề không khớp với các dòng phía trên"),
    ("did not find expected key", "E415", "thụt lề không khớp hoặc thiếu dấu '- ' ở đầu mục"),
    ("did not find expected '-' indicator", "E416", "thiếu dấu '- ' ở đầu mục hoặc thụt lề không khớp"),
    ("did not find expected node content", "E417", "thiếu giá trị"),
    ("',' or ']'", "E418", "thiếu dấu ',' hoặc ']' trong danh sách"),
    ("',' or '}'", "E419", "thiếu dấu ',' hoặc '}' trong nhóm"),
    ("document start", "E420", "có nội dung thừa sau khi danh sách hay nhóm đã đóng (ví dụ một dấu ngoặc đóng thừa)"),
    ("expected a single document", "E421", "tệp chỉ được chứa một tài liệu YAML; hãy bỏ dòng '---' thừa"),
    ("could not determine a constructor|undefined tag handle", "E422",
     "không dùng thẻ YAML bắt đầu bằng '!'; hãy viết giá trị thường"),
    ("found unhashable key", "E423", "khóa không được là một danh sách hay một nhóm 'khóa: giá trị'"),
    ("found unknown escape character", "E424", "trong chuỗi ngoặc kép, sau dấu '\\' là ký tự không hợp lệ; hãy dùng ngoặc đơn hoặc bỏ dấu '\\'"),
)
_TAB = "lỗi cú pháp YAML: không được thụt lề bằng phím Tab; hãy dùng dấu cách"


def _syntax_message(exc: yaml.YAMLError, text: str) -> tuple[str, str]:
    """(code, message) for a parser's error."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return "E426", f"ký tự U+{char:04X} không được dùng trong tệp YAML; hãy xóa ký tự này"
    if _char_at(getattr(exc, "problem_mark", None), text) == "\t":
        return "E425", _TAB
    problem = str(getattr(exc, "problem", None) or exc)
    wording = f"{getattr(exc, 'context', None)} {problem}"
    for english, code, vietnamese in _YAML_PROBLEMS:
        if any(words in wording for words in english.split("|")):
            return code, f"lỗi cú pháp YAML: {vietnamese}"
    return "E427", f"lỗi cú pháp YAML ({_shown_text(problem, 120)}); hãy kiểm tra thụt lề và dấu ':'"


def _char_at(mark: Any, text: str) -> str:
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # ReaderError
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else 1


def read_yaml(path: Path, label: str) -> tuple[Any, list[Problem], bool]:
    """(data, problems, readable) for one registry file; data is None when it cannot be used."""
    problems: list[Problem] = []
    text = _read_text(path, label, problems)
    if text is None:
        return None, problems, False
    try:
        _refuse_aliases_and_nesting(text, label)
        loader = _Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as exc:
        problems.append(Problem(label, _error_line(exc, text), exc.problem, code=exc.code))
        return None, problems, False
    except yaml.YAMLError as exc:
        code, message = _syntax_message(exc, text)
        problems.append(Problem(label, _error_line(exc, text), message, code=code))
        return None, problems, False
    problems += [Problem(label, line, f"ký tự điều khiển {code} (viết bằng mã thoát trong chuỗi) đã được bỏ; "
                                      "hãy xóa mã này khỏi giá trị", WARNING, "W410")
                 for line, code in loader.escaped[:MAX_CONTROL_WARNINGS]]
    problems += [Problem(label, line, f"khóa '{shown(key)}' bị lặp lại trong cùng một mục; chỉ giá trị viết sau "
                                      "cùng được dùng, hãy xóa dòng thừa", code="E404")
                 for line, key in loader.duplicates]
    return data, problems, True


def _read_text(path: Path, label: str, problems: list[Problem]) -> str | None:
    """The file's text, ready for the parser, or None (with the reason in ``problems``)."""
    def refuse(code: str, message: str, line: int = 1) -> None:
        problems.append(Problem(label, line, message, code=code))

    if path.is_symlink():
        return refuse("E405", "tệp là liên kết tượng trưng (symlink); hãy thay bằng tệp thật")
    if not path.is_file():
        return refuse("E406", f"thiếu tệp {path.name} trong thư mục nội dung; hãy tạo tệp này")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return refuse("E407", "không đọc được tệp; hãy kiểm tra quyền đọc của tệp")
    if len(raw) > MAX_BYTES:
        return refuse("E408", f"tệp quá lớn (hơn {MAX_BYTES // (1024 * 1024)} MB); "
                      "hãy kiểm tra lại, tệp danh mục thường chỉ vài chục KB")
    text, line = None, 1
    try:
        text = None if looks_utf16(raw) else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    if text is None:
        return refuse("E409", f"tệp không ở mã UTF-8, có vẻ được lưu ở mã {encoding_of(raw)}; hãy mở tệp rồi lưu "
                              "lại với mã UTF-8: trong Notepad chọn Tệp → Lưu dưới dạng, ở ô Mã hóa chọn UTF-8", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, found = clean_controls(text, vertical_tab="")
    problems += _control_warnings(label, found)
    text, found = _replace_separators(text)
    problems += [Problem(label, line, f"ký tự ngắt dòng đặc biệt {code} đã được thay bằng dấu cách; "
                                      "hãy xóa ký tự này (thường do sao chép từ trang web)", WARNING, "W413")
                 for line, code in found[:MAX_CONTROL_WARNINGS]]
    return unicodedata.normalize("NFC", text)


def _control_warnings(label: str, found: list[tuple[int, str]]) -> list[Problem]:
    warnings = [Problem(label, line, f"ký tự điều khiển {code} đã được bỏ; hãy xóa ký tự không nhìn thấy "
                                     "này khỏi tệp (thường do sao chép từ Word hoặc trang web)", WARNING, "W411")
                for line, code in found[:MAX_CONTROL_WARNINGS]]
    if len(found) > MAX_CONTROL_WARNINGS:
        line = found[MAX_CONTROL_WARNINGS][0]
        warnings.append(Problem(label, line, f"còn {len(found) - MAX_CONTROL_WARNINGS} ký tự điều khiển khác "
                                             "từ dòng này trở đi cũng đã được bỏ", WARNING, "W412"))
    return warnings


def _replace_separators(text: str) -> tuple[str, list[tuple[int, str]]]:
    if "\u2028" not in text and "\u2029" not in text:
        return text, []
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        found += [(number, code) for char, code in _SEPARATORS.items() for _ in range(line.count(char))]
    return text.replace("\u2028", " ").replace("\u2029", " "), found


def kind_of(value: Any) -> str:
    """What an editor wrote, in words: ``một số``, ``một danh sách``…"""
    if value is None:
        return "giá trị trống"
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, (int, float)):
        return "một số"
    if isinstance(value, dt.date):
        return "một ngày"
    if isinstance(value, str):
        return "một đoạn chữ"
    if isinstance(value, dict):
        return "một nhóm 'khóa: giá trị'"
    if isinstance(value, (list, tuple)):
        return "một danh sách"
    return "một giá trị không dùng được ở đây"


def shown(value: Any, limit: int = 60) -> str:
    """A value as it may be quoted back to an editor (short, and safe for huge numbers)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "(một số quá lớn)"
    if isinstance(value, (dict, list, tuple, set)):
        return f"({kind_of(value)})"
    return _shown_text(value, limit)
