"""Split an editor's Markdown file into its ``Key: value`` header and body.

Pelican's own Markdown reader drops line numbers and lower-cases keys
silently; editors need ``path:line`` for every mistake, so the header is
read here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import schema
from .problems import WARNING, Problem, suggest
from .text import clean_controls

# The keys the reader takes, from the one schema of keys.
ARTICLE_KEYS = schema.names(schema.ARTICLE)
PAGE_KEYS = schema.names(schema.PAGE)

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?P<value>.*)$")


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
    problems: list[Problem] = field(default_factory=list)

    def get(self, key: str) -> str:
        found = self.fields.get(key)
        return found.value if found else ""

    def line_of(self, key: str) -> int:
        found = self.fields.get(key)
        return found.line if found else 1

    def error(self, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, code=code))

    def warn(self, line: int, message: str, code: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, WARNING, code))


def decode(raw: bytes) -> str | None:
    """UTF-8 text (BOM removed), LF line endings, NFC; ``None`` if not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# Word's Shift+Enter: a line break inside a paragraph or a one-line field.
VERTICAL_TAB = "\x0b"
BODY_LINE_BREAK = "<br>"


def parse_source(raw: bytes, path: str, allowed: tuple[str, ...]) -> SourceFile:
    source = SourceFile(path)
    text = decode(raw)
    if text is None:
        source.error(1, "tệp không ở mã UTF-8; hãy mở bằng trình soạn thảo và lưu lại với bảng mã UTF-8")
        return source
    text, controls = clean_controls(text, vertical_tab=VERTICAL_TAB)
    canonical = _written_names(allowed)
    lines = text.split("\n")
    index = 0
    current: Field | None = None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            break
        match = _KEY_LINE.match(line)
        if match is None and current is not None and line[:1] in (" ", "\t"):
            current = Field(current.key, f"{current.value} {line.strip()}", current.line)
            source.fields[current.key] = current
        elif match is None:
            break
        else:
            current = _add_field(source, canonical, match, index + 1)
        index += 1
    source.body = "\n".join(lines[index:]).replace(VERTICAL_TAB, BODY_LINE_BREAK)
    source.body_line = index + 1
    for key, found in list(source.fields.items()):
        if VERTICAL_TAB in found.value:
            source.fields[key] = Field(key, " ".join(found.value.replace(VERTICAL_TAB, " ").split()), found.line)
    _report_controls(source, controls)
    return source


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
            source.warn(line, f"ký tự ngắt dòng của Word (U+000B, Shift+Enter) {became}; hãy kiểm tra lại dòng này")
        else:
            source.warn(line, f"dòng có ký tự điều khiển không nhìn thấy ({names}), đã được bỏ hoặc đổi thành "
                              "xuống dòng; thường do dán từ Word hay PDF, hãy kiểm tra lại dòng này")


def _written_names(allowed: tuple[str, ...]) -> dict[str, str]:
    """What an editor may write for each allowed key (its name or an alias), lower-cased."""
    keys = next((keys for keys in (schema.ARTICLE, schema.PAGE) if schema.names(keys) == tuple(allowed)), None)
    return schema.by_written_name(keys) if keys else {k.lower(): k for k in allowed}


def _add_field(source: SourceFile, canonical: dict[str, str], match: re.Match, line: int) -> Field | None:
    written = match.group("key")
    key = canonical.get(written.lower())
    if key is None:
        known = list(dict.fromkeys(canonical.values()))
        hint = suggest(written, known)
        source.error(line, f"khóa '{written}' không hợp lệ.{hint} Các khóa được dùng: {', '.join(known)}")
        return None
    if key in source.fields:
        source.error(line, f"khóa '{written}' xuất hiện hai lần (lần đầu ở dòng {source.fields[key].line}); hãy giữ một dòng")
        return None
    found = Field(key, match.group("value").strip(), line)
    source.fields[key] = found
    return found


def split_list(value: str) -> list[str]:
    """Comma-separated values, trimmed, empty ones and repeats dropped."""
    items = [v.strip() for v in value.split(",")]
    return list(dict.fromkeys(v for v in items if v))
