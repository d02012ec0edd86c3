"""ASCII URL slugs from Vietnamese text: "Công đoàn Đổi mới" -> "cong-doan-doi-moi"."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    # unidecode maps đ/Đ to d/D, which NFKD decomposition alone would drop.
    ascii_text = unidecode(unicodedata.normalize("NFC", text)).lower()
    return _NOT_WORD.sub("-", ascii_text).strip("-")
