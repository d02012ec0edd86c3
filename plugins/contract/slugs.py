"""ASCII URL slugs from Vietnamese text: "Công đoàn Đổi mới" -> "cong-doan-doi-moi"."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Every output name built from a slug (an article's folder, its card
# "<slug>.<hash>.jpg", a photo's "<name>-<width>.<hash>.webp") stays far below
# the 255 bytes a file name may have, with room for "-N" on a collision.
MAX_SLUG_LENGTH = 80


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    # unidecode maps đ/Đ to d/D, which NFKD decomposition alone would drop.
    ascii_text = unidecode(unicodedata.normalize("NFC", text)).lower()
    return shorten(_NOT_WORD.sub("-", ascii_text).strip("-"), max_length)


def shorten(slug: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """``slug`` cut to ``max_length``, at a word boundary when one is near the end."""
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length + 1]
    boundary = cut.rfind("-")
    return (cut[:boundary] if boundary > max_length // 2 else slug[:max_length]).strip("-")
