"""Split an editor's Markdown file into its ``Key: value`` header and body.

Pelican's own Markdown reader drops line numbers and lower-cases keys
silently; editors need ``path:line`` for every mistake, so the header is
read here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType

from . import schema
from .problems import WARNING, Problem, suggest
from .text import clean_controls, encoding_of, fold_key, looks_utf16, strip_invisible, visible

# The keys the reader takes, from the one schema of keys.
ARTICLE_KEYS = schema.names(schema.ARTICLE)
PAGE_KEYS = schema.names(schema.PAGE)
_KEYS = MappingProxyType({key.name: key for key in (*schema.ARTICLE, *schema.PAGE)})
# What an editor may write for each key of an article or a page, folded once (``schema.by_written_name``).
_WRITTEN = MappingProxyType({ARTICLE_KEYS: MappingProxyType(schema.by_written_name(schema.ARTICLE)),
                             PAGE_KEYS: MappingProxyType(schema.by_written_name(schema.PAGE))})

# A header line is ``Key: value`` with an ASCII or a full-width colon; the key is
# short (so "Theo Ban Tuyên giáo: …" is never one) and starts with a letter.
_KEY_LINE = re.compile("^(?P<key>[^:\uff1a]*)[:\uff1a](?P<value>.*)$")
MAX_KEY_WORDS = 3
MAX_KEY_CHARS = 30
_KEY_PUNCTUATION = " _-.'"


@dataclass(frozen=True)
class Field:
    key: str
    value: str
    line: int


@dataclass
class SourceFile:
    """A decoded, normalised source file: header fields by canonical key, body."""

    path: str
    fields: dict[str, Field] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    # The line where the header ends (its blank line, or its last line): where a missing key is told.
    header_end: int = 1
    # False when the bytes are not UTF-8: nothing of the file could be read.
    readable: bool = True
    problems: list[Problem] = field(default_factory=list)

    def get(self, key: str) -> str:
        found = self.fields.get(key)
        return found.value if found else ""

    def line_of(self, key: str) -> int:
        found = self.fields.get(key)
        return found.line if found else self.header_end

    def error(self, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, code=code))

    def warn(self, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, WARNING, code))


def decode(raw: bytes) -> str | None:
    """UTF-8 text (BOM removed), LF line endings, NFC; ``None`` if not UTF-8."""
    if looks_utf16(raw):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _first_bad_line(raw: bytes) -> int:
    if looks_utf16(raw):
        return 1
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return raw.count(b"\n", 0, exc.start) + 1
    return 1


# Word's Shift+Enter: a line break inside a paragraph or a one-line field.
VERTICAL_TAB = "\x0b"
BODY_LINE_BREAK = "<br>"


def parse_source(raw: bytes, path: str, allowed: tuple[str, ...]) -> SourceFile:
    source = SourceFile(path)
    text = decode(raw)
    if text is None:
        source.readable = False
        source.error(_first_bad_line(raw), f"tệp không ở mã UTF-8, có vẻ được lưu ở mã {encoding_of(raw)}; "
                                           "hãy mở tệp rồi lưu lại với mã UTF-8: trong Notepad chọn Tệp → Lưu dưới "
                                           "dạng, ở ô Mã hóa chọn UTF-8", code="E001")
        return source
    text, controls = clean_controls(text, vertical_tab=VERTICAL_TAB)
    keys = tuple(_KEYS.get(name) or schema.Key(name, schema.KeyType.TEXT, "") for name in allowed)
    lines = text.split("\n")
    end = _read_header(source, keys, lines)
    source.body = "\n".join(lines[end:]).replace(VERTICAL_TAB, BODY_LINE_BREAK)
    source.body_line = end + 1
    for key, found in list(source.fields.items()):
        if VERTICAL_TAB in found.value:
            source.fields[key] = Field(key, " ".join(found.value.replace(VERTICAL_TAB, " ").split()), found.line)
    _report_controls(source, controls)
    return source


def key_of(line: str) -> tuple[str, str] | None:
    """(key, value) of a header line, or ``None`` when the line is not ``Key: value``.

    The key is the text before the first colon (``:`` or ``：``), invisible
    characters removed and spaces of any kind collapsed: at most
    ``MAX_KEY_WORDS`` words and ``MAX_KEY_CHARS`` characters, starting with a letter.
    """
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    key = " ".join(strip_invisible(match.group("key"))[0].split())
    if not key or len(key) > MAX_KEY_CHARS or len(key.split()) > MAX_KEY_WORDS or not key[0].isalpha():
        return None
    if not all(c.isalnum() or c in _KEY_PUNCTUATION or unicodedata.combining(c) for c in key):
        return None
    return key, match.group("value")


def _read_header(source: SourceFile, keys: tuple[schema.Key, ...], lines: list[str]) -> int:
    """Read the header lines into ``source``; the index of the body's first line.

    The header ends at the first blank line. A line before it that is not
    ``Key: value`` ends it early only when no key line follows it: otherwise the
    header would swallow the keys below into the body, so it is an error.
    """
    names = schema.names(keys)
    canonical = _WRITTEN[names] if names in _WRITTEN else schema.by_written_name(keys)
    blank = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    stray: list[int] = []
    current: Field | None = None
    for index in range(blank):
        line = lines[index]
        found = key_of(line)
        name = canonical.get(fold_key(found[0])) if found is not None else None
        if current is not None and line[:1] in (" ", "\t") and name is None:
            joiner = "\n" if _KEYS.get(current.key) and _KEYS[current.key].by_line else " "
            current = Field(current.key, f"{current.value}{joiner}{line.strip()}".strip(), current.line)
            source.fields[current.key] = current
        elif found is None:
            stray.append(index)
            current = None
        else:
            current = _add_field(source, keys, name, found, index + 1)
    # The blank line where the header ends; without one (or only the file's last newline), its last line.
    ends_on_blank = blank < len(lines) - 1 or (blank == len(lines) - 1 and lines[blank] != "")
    if not stray:
        source.header_end = blank + 1 if ends_on_blank else max(blank, 1)
        return blank
    return _stray_lines(source, stray, blank, ends_on_blank)


def _stray_lines(source: SourceFile, stray: list[int], blank: int, ends_on_blank: bool) -> int:
    """Where the body starts when lines before the blank one are not keys (indexes in ``stray``)."""
    first = stray[0]
    after = [i for i in range(first + 1, blank) if i not in stray]
    if not after:
        # The body starts on this line, without the blank line that should come before it.
        source.header_end = max(first, 1)
        if first > 0:
            source.warn(first + 1, "thiếu dòng trống giữa phần đầu và nội dung; nội dung bài được tính từ dòng "
                                   "này. Hãy thêm một dòng trống phía trên dòng này", code="W003")
        return first
    others = f" (các dòng {', '.join(str(i + 1) for i in stray[1:])} cũng vậy)" if len(stray) > 1 else ""
    source.error(first + 1, f"dòng này không có dạng 'Khóa: giá trị' (khóa tối đa {MAX_KEY_WORDS} từ) nhưng "
                            f"dòng {after[0] + 1} bên dưới lại là một trường{others}: phần đầu tệp chỉ kết thúc ở "
                            "dòng trống đầu tiên. Nếu dòng này là phần tiếp của trường phía trên, hãy viết liền vào "
                            "dòng đó; nếu nội dung bài bắt đầu từ đây, hãy thêm một dòng trống phía trên dòng này",
                 code="E005")
    source.header_end = blank + 1 if ends_on_blank else blank
    return blank


def _report_controls(source: SourceFile, controls: list[tuple[int, str]]) -> None:
    """One warning per line that held invisible characters, saying what became of them."""
    by_line: dict[int, list[str]] = {}
    for line, code in controls:
        by_line.setdefault(line, []).append(code)
    for line, codes in by_line.items():
        names = ", ".join(dict.fromkeys(codes))
        in_body = line >= source.body_line
        if set(codes) == {"U+000B"}:
            became = "đã được đổi thành xuống dòng" if in_body else "đã được đổi thành dấu cách"
            source.warn(line, f"ký tự ngắt dòng của Word (U+000B, Shift+Enter) {became}; hãy kiểm tra lại dòng này",
                        code="W001")
        else:
            source.warn(line, f"dòng có ký tự điều khiển không nhìn thấy ({names}), đã được bỏ hoặc đổi thành "
                              "xuống dòng; thường do dán từ Word hay PDF, hãy kiểm tra lại dòng này", code="W002")


def _add_field(source: SourceFile, keys: tuple[schema.Key, ...], name: str | None, found: tuple[str, str],
               line: int) -> Field | None:
    """The field of the line ``Key: value`` (``name`` is the key it means, or ``None``), or the problem with it."""
    written, value = found
    if name is None:
        known = [key.name for key in keys]
        written_names = {w: key.name for key in keys for w in (key.name, *key.aliases)}
        hint = suggest(written, written_names, written_names)
        source.error(line, f"khóa '{visible(written)}' không hợp lệ.{hint} Các khóa được dùng: {', '.join(known)}",
                     code="E003")
        return None
    shown = f"'{written}'" if written == name else f"'{written}' (tức '{name}')"
    if name in source.fields:
        source.error(line, f"khóa {shown} xuất hiện hai lần (lần đầu ở dòng {source.fields[name].line}); "
                           "hãy giữ một dòng", code="E004")
        return None
    value, invisible = strip_invisible(value.strip())
    if invisible:
        source.warn(line, f"giá trị của {shown} có ký tự không nhìn thấy ({', '.join(invisible)}), đã được bỏ; "
                          "hãy xóa ký tự này (thường do dán từ trang web hay Word)", code="W004")
    key = _KEYS.get(name)
    result = Field(name, schema.choice_of(key, value.strip()) if key and key.choices else value.strip(), line)
    source.fields[name] = result
    return result


def split_list(value: str) -> list[str]:
    """Values separated by ',' or ';' (both are written), trimmed, empty ones and repeats dropped."""
    items = [v.strip() for v in re.split("[,;]", value)]
    return list(dict.fromkeys(v for v in items if v))


def file_text(header: list[tuple[schema.Key, str]], body: str, keep_empty: bool = False) -> str:
    """A content file as the tools write it (``invoke new``, the import): ``Key: value`` lines in
    the given order, a blank line, the body. Empty keys are left out unless ``keep_empty`` (the new
    article's template shows every key to fill)."""
    lines = [f"{key.name}: {value}".rstrip() for key, value in header if value or keep_empty]
    return "\n".join(lines) + "\n\n" + body
