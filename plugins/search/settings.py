"""Settings of the site search: defaults merged with ``PORTAL_SEARCH``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugins import urls
from plugins.settings import load_section


@dataclass(frozen=True)
class SearchSettings:
    # Folder of the Pagefind bundle in the output.
    bundle_dir: str = urls.SEARCH_INDEX
    # Words in a result's excerpt, and results shown per "Xem thêm kết quả".
    excerpt_words: int = 30
    page_size: int = 10
    # Width of the cover photo shown next to a result (the widest published copy not wider).
    image_width: int = 480
    language: str = "vi"
    # Records sent to Pagefind before waiting for its replies.
    in_flight: int = 32
    # One index (shard) per period of the article dates, indexed one at a time: "half" (2026-h2) or "year".
    shard_by: str = "half"

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9_-]+", self.bundle_dir):
            raise ValueError(f"PORTAL_SEARCH bundle_dir: one folder name like 'pagefind', not {self.bundle_dir!r}")
        if self.excerpt_words < 5 or self.page_size < 1 or self.in_flight < 1:
            raise ValueError("PORTAL_SEARCH: excerpt_words ≥ 5, page_size ≥ 1, in_flight ≥ 1")
        if self.shard_by not in ("half", "year"):
            raise ValueError(f"PORTAL_SEARCH shard_by: 'half' or 'year', not {self.shard_by!r}")


def load(settings: dict) -> SearchSettings:
    return load_section(settings, "PORTAL_SEARCH", SearchSettings)
