"""How wide a line of text is in Times New Roman, to size the short rules of the letterhead.

The advance widths are those of Times New Roman (Liberation Serif has the same metrics), in
thousandths of the type size, for the printable ASCII letters. A Vietnamese letter is as wide as
its base letter (the tone and vowel marks sit above or below it, "ư" and "ơ" keep the width of
"u" and "o"), so a text is measured on its letters with the marks taken off.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

_FIRST = 32  # the space; the tables run to "~"
_REGULAR = (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
            500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722,
            333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333,
            469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333,
            389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541)
_BOLD = (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
         500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500,
         778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
         333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556,
         500, 722, 500, 500, 444, 394, 220, 394, 520)
# Letters with no decomposition, by the letter they are as wide as; anything else counts as an "n".
_LIKE = MappingProxyType({"Đ": "D", "đ": "d", "–": "n", "—": "M", "…": "M", "“": "\"", "”": "\"", "‘": "'",
                         "’": "'"})
MM_PER_POINT = 25.4 / 72


def width_mm(text: str, points: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, set in ``points`` Times New Roman, in millimetres."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            continue
        char = _LIKE.get(char, char)
        code = ord(char) - _FIRST
        units += table[code] if 0 <= code < len(table) else table[ord("n") - _FIRST]
    return units / 1000 * points * MM_PER_POINT


def widest_line_mm(text: str, points: float, bold: bool, room_mm: float) -> float:
    """The widest line of ``text`` once wrapped, word by word, into lines of at most ``room_mm``."""
    widest = 0.0
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            longer = f"{line} {word}" if line else word
            if line and width_mm(longer, points, bold) > room_mm:
                widest = max(widest, width_mm(line, points, bold))
                longer = word
            line = longer
        widest = max(widest, width_mm(line, points, bold))
    return min(widest, room_mm)
