"""Invisible characters that editors paste without seeing them.

Text copied from word processors, PDFs and web pages can carry control
characters (vertical tab, form feed, NUL, the C1 block, U+FFFE/U+FFFF). They
break YAML parsers, XML feeds and search indexes, yet nobody can see them in an
editor. The articles reader and the registries clean them with the same rule,
and report each one by the line it was found on so the editor can fix the file.
"""

from __future__ import annotations

import re
import unicodedata

# Every C0 control except tab (\x09) and line feed (\x0a), DEL, the C1 block,
# the non-characters U+FFFE/U+FFFF and surrogate code points (which cannot be
# written as UTF-8).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean_controls(text: str, *, vertical_tab: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without control characters, and where each one was.

    Every removed character is listed once, as (1-based line in the ORIGINAL
    text, ``"U+000B"``), in order. A vertical tab (\\x0b) becomes
    ``vertical_tab`` (``"\\n"`` where it was meant as a line break, ``""`` where
    a new line would change the structure, as in YAML); all others are removed.
    Tab and line feed are kept. Runs in time linear in the length of ``text``.
    """
    found: list[tuple[int, str]] = []
    pieces: list[str] = []
    line, last = 1, 0
    for match in _CONTROLS.finditer(text):
        start = match.start()
        line += text.count("\n", last, start)
        pieces.append(text[last:start])
        char = match.group()
        if char == "\x0b":
            pieces.append(vertical_tab)
        found.append((line, f"U+{ord(char):04X}"))
        last = start + 1
    if not found:
        return text, found
    pieces.append(text[last:])
    return "".join(pieces), found


# Characters that take no room on screen (zero-width space and joiners, direction
# marks, word joiner, byte-order mark, soft hyphen): pasted from web pages and Word,
# they make two equal-looking ids different.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


# Spaces other than the plain one, tab and line feed (no-break, thin, ideographic…).
_ODD_SPACE = re.compile(r"[^\S\n\t ]")


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """``text`` without invisible characters and with odd spaces (NBSP…) as plain spaces,
    and the code points removed (``"U+200B"``), each once."""
    if text.isascii():
        return text, []
    found = list(dict.fromkeys(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)))
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text)), found


def visible(text: str) -> str:
    """``text`` as it may be quoted to an editor: invisible characters written as ``U+200B``."""
    return _INVISIBLE.sub(lambda m: f"U+{ord(m.group()):04X}", text)


def fold(text: str) -> str:
    """Text compared the way editors read it: without accents (đ as d), case or extra spaces."""
    text = str(text)
    if text.isascii():
        return " ".join(text.casefold().split())
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def fold_key(text: str) -> str:
    """A header key compared whatever its accents, case, spaces, '-' or '_': ``Tiêu đề`` is ``tieude``."""
    return re.sub(r"[\W_]+", "", fold(text))


def looks_utf16(raw: bytes) -> bool:
    """A UTF-16 BOM, or text of which many bytes are NUL (UTF-16 without a BOM decodes as UTF-8)."""
    head = raw[:512]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) * 4 > len(head) > 0


# Letters a Vietnamese text saved in Windows-1258 shows and a Western one (Windows-1252) never does.
_VIETNAMESE_1258 = frozenset("ăđơưĂĐƠƯ\u0300\u0301\u0303\u0309\u0323")


def encoding_of(raw: bytes) -> str:
    """What a file that is not UTF-8 looks like it was saved as."""
    if looks_utf16(raw):
        return "UTF-16 (Unicode của Notepad)"
    if _VIETNAMESE_1258 & set(raw.decode("cp1258", errors="replace")):
        return "Windows-1258 (bảng mã tiếng Việt cũ của Windows)"
    return "Windows-1252 hoặc một bảng mã cũ khác"
