"""Social-sharing cards: a 1200×630 picture with the site, the kicker, the title
and the date over a darkened cover photo or the brand background.

Everything here is pure: text, fonts and images in, an image or JPEG bytes out.
What every card of a style shares (the brand background, the shading layers, the
rendered site name, kicker and date) is made once per process and reused, since a
site draws thousands of cards with the same style in a few worker processes.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont, ImageOps, features

ELLIPSIS = "…"
LINE_HEIGHT = 1.22
ASCENT = 0.96  # baseline position inside a line, as a share of the font size
CAP_HEIGHT = 0.74
SIZE_STEP = 4

LOGO_HEIGHT = 64
LOGO_MAX_WIDTH = 4 * LOGO_HEIGHT
LOGO_GAP = 20
HEADER_GAP = 20
SITE_SIZE = 30
KICKER_SIZE = 30
DATE_SIZE = 28
BAR_SIZE = (88, 6)
BAR_GAP = 18
KICKER_GAP = 16
DATE_GAP = 18

DIM = 0.12  # overall darkening of a cover photo
HEADER_SHADE = 0.45  # darkening behind the site name at the top edge
FADE = 0.45  # share of the height over which the bottom shade fades in
# Covers are scaled by less than 2× either way to fill a card; at that ratio a
# bilinear filter is indistinguishable from Lanczos under the shade, at half the cost.
COVER_RESAMPLE = Image.Resampling.BILINEAR

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class CardStyle:
    width: int = 1200
    height: int = 630
    margin: int = 72
    background: str = "#0b4ea2"
    background_end: str = "#05264f"
    accent: str = "#f5b400"
    text: str = "#ffffff"
    shade: float = 0.62
    title_size: int = 64
    title_min_size: int = 44
    title_max_lines: int = 4
    quality: int = 86


@dataclass(frozen=True)
class CardText:
    title: str
    kicker: str = ""
    date: str = ""
    site_name: str = ""


class Fonts:
    """TrueType faces at the sizes a card uses; create one per process (FreeType faces are not thread-safe)."""

    def __init__(self, bold: str | Path, regular: str | Path, semibold: str | Path | None = None):
        self._paths = {"bold": Path(bold), "regular": Path(regular), "semibold": Path(semibold or bold)}
        self._faces: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def title(self, size: int) -> ImageFont.FreeTypeFont:
        return self._face("bold", size)

    def semibold(self, size: int) -> ImageFont.FreeTypeFont:
        return self._face("semibold", size)

    def regular(self, size: int) -> ImageFont.FreeTypeFont:
        return self._face("regular", size)

    def _face(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        key = (weight, size)
        if key not in self._faces:
            engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
            self._faces[key] = ImageFont.truetype(str(self._paths[weight]), size, layout_engine=engine)
        return self._faces[key]


@dataclass(frozen=True)
class _Line:
    text: str
    font: ImageFont.FreeTypeFont
    x: int
    baseline: int

    def ink(self) -> Box:
        left, top, right, bottom = self.font.getbbox(self.text, anchor="ls")
        return self.x + left, self.baseline + top, self.x + right, self.baseline + bottom


@dataclass(frozen=True)
class _Layout:
    site: _Line | None
    kicker: _Line | None
    title: tuple[_Line, ...]
    date: _Line | None
    bar: Box  # inclusive corners, as ImageDraw.rectangle takes them
    title_top: int


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Greedy word wrap by measured pixel width (font.getlength); a single word wider than the line is broken by characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *full, line = _break_word(word, font, max_width)
        lines.extend(full)
    if line:
        lines.append(line)
    return lines


def fit_title(title: str, fonts: Fonts, style: CardStyle) -> tuple[list[str], int]:
    """Lines and font size of the title.

    Tries title_size, then smaller sizes down to title_min_size, until the title
    fits in title_max_lines lines and in the height the card leaves for it; if it
    never does, the lines at the minimum size are cut and the last one ends with '…'.
    """
    text = _clean(title)
    width = style.width - 2 * style.margin
    lines: list[str] = []
    for size in _title_sizes(style):
        lines = wrap(text, fonts.title(size), width)
        if len(lines) <= _max_title_lines(size, style):
            return lines, size
    size = style.title_min_size  # the last size tried
    font = fonts.title(size)
    lines = lines[:_max_title_lines(size, style)]
    return [*lines[:-1], _with_ellipsis(lines[-1], font, width)], size


def draw_card(
    text: CardText,
    fonts: Fonts,
    style: CardStyle,
    cover: Image.Image | None = None,
    logo: Image.Image | None = None,
) -> Image.Image:
    """The card as an RGB image of style.width × style.height."""
    text = _clean_text(text)
    mark = scaled_logo(logo) if logo is not None else None
    layout = _layout(text, fonts, style, mark.width if mark else 0)
    if cover is None:
        card = _brand_background(style).copy()
    else:
        card = _shaded_cover(fit_cover(cover, style), style, layout.bar[1])
    if mark is not None:
        card.paste(mark, (style.margin, style.margin + (LOGO_HEIGHT - mark.height) // 2), mark)
    draw = ImageDraw.Draw(card, "RGBA")
    text_colour = _rgb(style.text)
    accent = _rgb(style.accent)
    if text.kicker or layout.title or text.date:
        draw.rectangle(layout.bar, fill=accent)
    _paste_line(card, layout.site, text_colour)
    _paste_line(card, layout.kicker, accent)
    for line in layout.title:
        _draw_line(draw, line, text_colour)
    _paste_line(card, layout.date, text_colour)
    return card


def fit_cover(cover: Image.Image, style: CardStyle) -> Image.Image:
    """The cover upright, over the background where it is transparent, and cropped to fill the card.

    A cover that already has the card's size and mode is returned as it is, so a caller
    drawing several cards from one photo can fit it once.
    """
    size = (style.width, style.height)
    if cover.size == size and cover.mode == "RGB" and not cover.getexif():
        return cover
    photo = ImageOps.exif_transpose(cover)
    if photo.mode in ("RGBA", "LA", "PA") or "transparency" in photo.info:
        base = Image.new("RGBA", photo.size, style.background_end)
        photo = Image.alpha_composite(base, photo.convert("RGBA"))
    return ImageOps.fit(photo.convert("RGB"), size, COVER_RESAMPLE, centering=(0.5, 0.5))


def title_box(text: CardText, fonts: Fonts, style: CardStyle) -> Box:
    """(left, top, right, bottom) of the area where draw_card puts the title lines."""
    layout = _layout(_clean_text(text), fonts, style, 0)
    if not layout.title:
        return style.margin, layout.title_top, style.margin, layout.title_top
    boxes = [line.ink() for line in layout.title]
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def encode_jpeg(image: Image.Image, style: CardStyle) -> bytes:
    """Baseline JPEG with 4:2:0 chroma and no metadata (no EXIF, no ICC profile).

    A card is only fetched whole by link-preview crawlers, never shown while it loads, so it
    is neither progressive nor given optimised Huffman tables: either gives the same pixels,
    a few per cent fewer bytes at two to four times the encoding time of the whole card.
    """
    clean = image if image.mode == "RGB" and not image.info else image.convert("RGB")
    clean.info = {}
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=style.quality, optimize=False, progressive=False, subsampling="4:2:0")
    return out.getvalue()


def forget() -> None:
    """Drop the backgrounds, shading layers and text masks this process made."""
    for cached in (_brand_background, _shade_layers, _text_mask):
        cached.cache_clear()


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _clean_text(text: CardText) -> CardText:
    return replace(text, **{f.name: _clean(getattr(text, f.name)) for f in fields(text)})


def _break_word(word: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > max_width:
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


def _fit_line(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> str:
    return text if font.getlength(text) <= max_width else _with_ellipsis(text, font, max_width)


def _with_ellipsis(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> str:
    while text and font.getlength(_ended(text)) > max_width:
        text = text.rpartition(" ")[0] if " " in text else text[:-1]
    return _ended(text)


def _ended(text: str) -> str:
    return text.rstrip(" ,.;:-–—") + ELLIPSIS


def _title_sizes(style: CardStyle) -> list[int]:
    return sorted({*range(style.title_size, style.title_min_size, -SIZE_STEP), style.title_min_size}, reverse=True)


def _line_height(size: int) -> int:
    return round(size * LINE_HEIGHT)


def _max_title_lines(size: int, style: CardStyle) -> int:
    """Lines of this size that fit under the header with the kicker and the date always reserved."""
    chrome = (
        LOGO_HEIGHT + HEADER_GAP + BAR_SIZE[1] + BAR_GAP
        + _line_height(KICKER_SIZE) + KICKER_GAP + DATE_GAP + _line_height(DATE_SIZE)
    )
    room = style.height - 2 * style.margin - chrome
    return max(1, min(style.title_max_lines, room // _line_height(size)))


def _layout(text: CardText, fonts: Fonts, style: CardStyle, logo_width: int) -> _Layout:
    """Positions of every line: the header from the top, the rest stacked up from the bottom margin."""
    width = style.width - 2 * style.margin
    x = style.margin
    bottom = style.height - style.margin

    date = None
    if text.date:
        bottom -= _line_height(DATE_SIZE)
        date = _text_line(text.date, fonts.regular(DATE_SIZE), x, bottom, width)
        bottom -= DATE_GAP

    lines, size = fit_title(text.title, fonts, style)
    bottom -= len(lines) * _line_height(size)
    title_top = bottom
    title = tuple(
        _Line(line, fonts.title(size), x, bottom + i * _line_height(size) + round(size * ASCENT))
        for i, line in enumerate(lines)
    )

    kicker = None
    if text.kicker:
        bottom -= KICKER_GAP + _line_height(KICKER_SIZE)
        kicker = _text_line(text.kicker.upper(), fonts.semibold(KICKER_SIZE), x, bottom, width)
    bottom -= BAR_GAP
    bar = (x, bottom - BAR_SIZE[1], x + BAR_SIZE[0] - 1, bottom - 1)

    site = None
    if text.site_name:
        site_x = x + (logo_width + LOGO_GAP if logo_width else 0)
        baseline = style.margin + LOGO_HEIGHT // 2 + round(SITE_SIZE * CAP_HEIGHT / 2)
        font = fonts.semibold(SITE_SIZE)
        site = _Line(_fit_line(text.site_name, font, style.width - style.margin - site_x), font, site_x, baseline)
    return _Layout(site=site, kicker=kicker, title=title, date=date, bar=bar, title_top=title_top)


def _text_line(text: str, font: ImageFont.FreeTypeFont, x: int, top: int, width: int) -> _Line:
    return _Line(_fit_line(text, font, width), font, x, top + round(font.size * ASCENT))


def _draw_line(draw: ImageDraw.ImageDraw, line: _Line | None, fill: tuple[int, ...]) -> None:
    if line is not None:
        draw.text((line.x, line.baseline), line.text, font=line.font, fill=fill, anchor="ls")


def _paste_line(card: Image.Image, line: _Line | None, fill: RGB) -> None:
    """A line that many cards share (site name, kicker, date), from its rendered mask."""
    if line is not None and line.text:
        (left, top), mask = _text_mask(line.font, line.text)
        card.paste(fill, (line.x + left, line.baseline + top), mask)


@lru_cache(maxsize=1024)
def _text_mask(font: ImageFont.FreeTypeFont, text: str) -> tuple[tuple[int, int], Image.Image]:
    """Coverage of ``text`` with its baseline origin at (0, 0): the offset of its top-left corner and the mask."""
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="ls")
    return (left, top), mask


def _rgb(colour: str) -> RGB:
    return ImageColor.getrgb(colour)[:3]


def scaled_logo(logo: Image.Image) -> Image.Image:
    """The logo in RGBA at the size a card shows it (a logo already that size keeps its pixels)."""
    logo = logo if logo.mode == "RGBA" else logo.convert("RGBA")
    return ImageOps.contain(logo, (LOGO_MAX_WIDTH, LOGO_HEIGHT), Image.Resampling.LANCZOS)


@lru_cache(maxsize=8)
def _brand_background(style: CardStyle) -> Image.Image:
    """Diagonal gradient from background to background_end with faint concentric rings at the top right."""
    size = (style.width, style.height)
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    diagonal = ImageChops.add(across, down, scale=2.0)
    start, end = (Image.new("RGB", size, colour) for colour in (style.background, style.background_end))
    card = Image.composite(end, start, diagonal)
    rings = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(rings)
    cx, cy = style.width - style.height // 6, style.height // 5
    draw.ellipse(_circle(cx, cy, style.height // 3), fill=(255, 255, 255, 10))
    for step, alpha in enumerate((26, 20, 14, 9), start=1):
        radius = style.height // 3 + step * style.height // 7
        draw.ellipse(_circle(cx, cy, radius), outline=(255, 255, 255, alpha), width=2)
    return Image.alpha_composite(card.convert("RGBA"), rings).convert("RGB")


def _circle(cx: int, cy: int, radius: int) -> Box:
    return cx - radius, cy - radius, cx + radius, cy + radius


def _shaded_cover(photo: Image.Image, style: CardStyle, block_top: int) -> Image.Image:
    """The fitted cover dimmed, and darkened by a gradient that is strongest behind the text."""
    shadow, mask = _shade_layers(style, block_top)
    return Image.composite(shadow, photo, mask)


@lru_cache(maxsize=8)  # 3.75 MB each; the common title heights
def _shade_layers(style: CardStyle, block_top: int) -> tuple[Image.Image, Image.Image]:
    """The shadow and its mask, per row, that darken a cover in one composite.

    A row darkened by ``shade`` over the dimmed photo, ``(1 - shade) (1 - DIM) photo + shade dark``,
    is ``(1 - a) photo + a colour`` with ``a = 1 - (1 - shade) (1 - DIM)`` and ``colour = shade dark / a``.
    """
    size = (style.width, style.height)
    dark = [c // 3 for c in _rgb(style.background_end)]
    alphas, colours = [], []
    for y in range(style.height):
        shade = _shade_at(y, style, block_top)
        alpha = 1 - (1 - shade) * (1 - DIM)
        alphas.append(round(255 * alpha))
        colours.append(tuple(round(shade * c / alpha) for c in dark) if alpha else (0, 0, 0))
    mask, shadow = Image.new("L", (1, style.height)), Image.new("RGB", (1, style.height))
    mask.putdata(alphas)
    shadow.putdata(colours)
    return shadow.resize(size, Image.Resampling.NEAREST), mask.resize(size, Image.Resampling.NEAREST)


def _shade_at(y: int, style: CardStyle, block_top: int) -> float:
    """Darkening at row y: fades in above the text block to style.shade, plus a soft band behind the header."""
    fade = style.height * FADE
    bottom = style.shade * _smoothstep((y - (block_top - fade)) / fade)
    header = HEADER_SHADE * (1 - _smoothstep(y / (2 * style.margin + LOGO_HEIGHT)))
    return max(bottom, header)


def _smoothstep(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)
