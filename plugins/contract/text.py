"""Invisible characters that editors paste without seeing them.

Text copied from word processors, PDFs and web pages can carry control
characters (vertical tab, form feed, NUL, the C1 block, U+FFFE/U+FFFF). They
break YAML parsers, XML feeds and search indexes, yet nobody can see them in an
editor. The articles reader and the registries clean them with the same rule,
and report each one by the line it was found on so the editor can fix the file.
"""

from __future__ import annotations

import re

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
