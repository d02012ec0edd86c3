"""Settings of the image pipeline: defaults merged with ``PORTAL_IMAGES``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from plugins import urls
from plugins.settings import load_section

from .cards import CardStyle

ROOT = Path(__file__).resolve().parents[2]
THEME_FONTS = ROOT / "theme" / "fonts"
FONT_KEYS = ("font_bold", "font_semibold", "font_regular")


@dataclass(frozen=True)
class ImageSettings:
    # Widths published for every photo an article uses (never upscaled).
    widths: tuple[int, ...] = (480, 800, 1200)
    jpeg_quality: int = 82
    webp_quality: int = 78
    # Larger sources are refused as possible decompression bombs.
    max_pixels: int = 100_000_000
    # Worker processes; 0 means one per CPU core.
    workers: int = 0
    # Below this many pending jobs the work is done in the build process.
    pool_min_jobs: int = 4
    # Where social cards are published, under the output folder.
    card_folder: str = urls.CARDS
    # Social card look: keys of plugins.images.cards.CardStyle.
    card: dict = field(default_factory=dict)
    font_bold: str = str(THEME_FONTS / "BeVietnamPro-Bold.ttf")
    font_semibold: str = str(THEME_FONTS / "BeVietnamPro-SemiBold.ttf")
    font_regular: str = str(THEME_FONTS / "BeVietnamPro-Regular.ttf")
    # Content-addressed store of derivatives and cards; "" means next to CACHE_PATH.
    cache_dir: str = ""

    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


def load(settings: dict) -> ImageSettings:
    """The settings, with font paths taken relative to the repository."""
    options = load_section(settings, "PORTAL_IMAGES", ImageSettings)
    fonts = {key: ROOT / getattr(options, key) for key in FONT_KEYS}
    for key, path in fonts.items():
        if not path.is_file():
            raise ValueError(f"PORTAL_IMAGES['{key}']: không tìm thấy tệp phông chữ {path}")
    return replace(options, **{key: str(path) for key, path in fonts.items()})


def card_style(options: ImageSettings) -> CardStyle:
    key = "PORTAL_IMAGES['card']"
    return load_section({key: options.card}, key, CardStyle)


def cache_root(options: ImageSettings, settings: dict) -> Path:
    if options.cache_dir:
        return Path(options.cache_dir)
    return Path(settings["CACHE_PATH"]).parent / "images"
