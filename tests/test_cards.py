"""Social-sharing cards: size and encoding, Vietnamese glyphs, title layout, contrast,
and what a worker reuses from one card to the next."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageStat, JpegImagePlugin

from plugins.images import work
from plugins.images.cards import (
    ELLIPSIS,
    LOGO_HEIGHT,
    CardStyle,
    CardText,
    Fonts,
    draw_card,
    encode_jpeg,
    fit_cover,
    fit_title,
    forget,
    title_box,
    wrap,
)
from plugins.images.store import Store

FONTS_DIR = Path(__file__).resolve().parents[1] / "theme" / "fonts"
BOLD = FONTS_DIR / "BeVietnamPro-Bold.ttf"
SEMIBOLD = FONTS_DIR / "BeVietnamPro-SemiBold.ttf"
REGULAR = FONTS_DIR / "BeVietnamPro-Regular.ttf"

TITLE = "Công đoàn tỉnh Hà Sơn tổ chức Tháng Công nhân năm 2026: chăm lo đời sống đoàn viên"
SITE = "Liên đoàn Lao động tỉnh Hà Sơn"
FULL = CardText(TITLE, "Công đoàn ngành Giáo dục", "22/11/2026", SITE)
STYLE = CardStyle()
LINE_WIDTH = STYLE.width - 2 * STYLE.margin

TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
TONED_VOWELS = "aăâeêioôơuưy"


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts(BOLD, REGULAR, SEMIBOLD)


def vietnamese_letters() -> list[str]:
    base = "abcdefghijklmnopqrstuvwxyz" + "ăâđêôơư"
    toned = [unicodedata.normalize("NFC", vowel + tone) for vowel in TONED_VOWELS for tone in TONES]
    lower = list(base) + toned
    return lower + [letter.upper() for letter in lower]


def near_colour(image: Image.Image, colour: str, tolerance: int = 24) -> Image.Image:
    """Mask (255/0) of the pixels within ``tolerance`` of ``colour`` on every channel."""
    target = ImageColor.getrgb(colour)
    masks = [
        band.point(lambda v, t=t: 255 if abs(v - t) <= tolerance else 0)
        for band, t in zip(image.split(), target, strict=True)
    ]
    return ImageChops.multiply(ImageChops.multiply(masks[0], masks[1]), masks[2])


def count(mask: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    return (mask.crop(box) if box else mask).histogram()[255]


def luminance(rgb: tuple[int, ...]) -> float:
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def bright_cover() -> Image.Image:
    cover = Image.new("RGB", (1600, 1000), (246, 242, 230))
    draw = ImageDraw.Draw(cover)
    for i in range(0, 1600, 200):
        draw.rectangle((i, 0, i + 90, 1000), fill=(255, 250, 210))
    return cover


def long_title(length: int) -> str:
    words = (TITLE + " ") * (length // len(TITLE) + 2)
    return words[:length].rstrip()


def test_card_size_mode_and_clean_jpeg(fonts):
    card = draw_card(FULL, fonts, STYLE)
    assert card.size == (1200, 630)
    assert card.mode == "RGB"

    card.info["icc_profile"] = b"not a real profile"
    card.info["exif"] = Image.Exif().tobytes()
    card.info["comment"] = b"draft"
    reopened = Image.open(io.BytesIO(encode_jpeg(card, STYLE)))
    assert reopened.format == "JPEG"
    assert reopened.size == (1200, 630)
    assert not reopened.info.get("progressive")  # cards are fetched whole by crawlers; baseline encodes faster
    assert JpegImagePlugin.get_sampling(reopened) == 2  # 4:2:0
    assert "exif" not in reopened.info
    assert not reopened.getexif()
    assert "icc_profile" not in reopened.info
    assert "comment" not in reopened.info


@pytest.mark.parametrize("path", [BOLD, SEMIBOLD, REGULAR], ids=lambda p: p.stem)
def test_bundled_fonts_cover_every_vietnamese_letter(path):
    letters = vietnamese_letters()
    assert len(letters) == 2 * (26 + 7 + len(TONED_VOWELS) * 5)
    assert all(len(letter) == 1 for letter in letters)
    cmap = TTFont(path).getBestCmap()
    missing = [letter for letter in letters if ord(letter) not in cmap]
    assert missing == []


def test_title_pixels_are_inside_title_box_and_nowhere_else(fonts):
    text = CardText(TITLE)
    card = draw_card(text, fonts, STYLE)
    box = title_box(text, fonts, STYLE)
    left, top, right, bottom = box
    assert 0 <= left < right <= STYLE.width and 0 <= top < bottom <= STYLE.height

    white = near_colour(card, STYLE.text)
    inside = count(white, box)
    assert inside > 5000
    assert count(white) == inside

    blank = near_colour(draw_card(CardText(""), fonts, STYLE), STYLE.text)
    assert count(blank) == 0


def test_title_box_holds_the_title_with_all_other_parts_present(fonts):
    box = title_box(FULL, fonts, STYLE)
    with_title = count(near_colour(draw_card(FULL, fonts, STYLE), STYLE.text), box)
    untitled = CardText("", FULL.kicker, FULL.date, FULL.site_name)
    without = count(near_colour(draw_card(untitled, fonts, STYLE), STYLE.text), box)
    assert with_title > 5000
    assert without < with_title / 20


def test_decomposed_title_draws_the_same_card(fonts):
    nfc = CardText(TITLE, "Công đoàn Khu công nghiệp", "22/11/2026", SITE)
    nfd = CardText(*(unicodedata.normalize("NFD", value) for value in (nfc.title, nfc.kicker, nfc.date, nfc.site_name)))
    assert nfd.title != nfc.title

    assert fit_title(nfd.title, fonts, STYLE) == fit_title(nfc.title, fonts, STYLE)
    assert title_box(nfd, fonts, STYLE) == title_box(nfc, fonts, STYLE)
    difference = ImageChops.difference(draw_card(nfd, fonts, STYLE), draw_card(nfc, fonts, STYLE))
    assert difference.getbbox() is None


def assert_fits(lines: list[str], size: int, fonts: Fonts) -> None:
    assert 1 <= len(lines) <= STYLE.title_max_lines
    assert STYLE.title_min_size <= size <= STYLE.title_size
    font = fonts.title(size)
    assert all(font.getlength(line) <= LINE_WIDTH for line in lines)


def test_title_too_long_for_the_card_is_cut_with_an_ellipsis(fonts):
    title = long_title(200)
    assert len(title) >= 199
    assert len(wrap(title, fonts.title(STYLE.title_min_size), LINE_WIDTH)) > STYLE.title_max_lines

    lines, size = fit_title(title, fonts, STYLE)
    assert_fits(lines, size, fonts)
    assert size == STYLE.title_min_size
    assert lines[-1].endswith(ELLIPSIS)
    assert title.startswith(" ".join(lines[:-1]))
    assert len(" ".join(lines)) < len(title)


def test_title_that_fits_after_shrinking_keeps_every_word(fonts):
    title = long_title(130)
    assert len(wrap(title, fonts.title(STYLE.title_size), LINE_WIDTH)) > STYLE.title_max_lines

    lines, size = fit_title(title, fonts, STYLE)
    assert_fits(lines, size, fonts)
    assert size < STYLE.title_size
    assert " ".join(lines) == title
    assert not lines[-1].endswith(ELLIPSIS)


def test_short_title_keeps_the_largest_size(fonts):
    assert fit_title("  Tin   ngắn \n", fonts, STYLE) == (["Tin ngắn"], STYLE.title_size)


def test_long_word_is_broken_by_characters(fonts):
    word = "Côngđoànviên" * 4
    font = fonts.title(STYLE.title_size)
    lines = wrap(word, font, 300)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(font.getlength(line) <= 300 for line in lines)

    lines, size = fit_title("Đoànviên" * 40, fonts, STYLE)
    assert_fits(lines, size, fonts)
    assert lines[-1].endswith(ELLIPSIS)


@pytest.mark.parametrize("length", [1, 40, 90, 150, 220, 400])
def test_layout_stays_inside_the_card_for_any_length(fonts, length):
    kicker = "Công đoàn cơ sở Công ty TNHH Điện tử Sơn Hà " * 3
    text = CardText(long_title(length), kicker, "22/11/2026", f"{SITE} " * 3)
    left, top, right, bottom = title_box(text, fonts, STYLE)
    assert STYLE.margin + LOGO_HEIGHT < top < bottom <= STYLE.height - STYLE.margin // 2
    assert 0 <= left and right <= STYLE.width - STYLE.margin

    card = draw_card(text, fonts, STYLE)
    right_margin = card.crop((STYLE.width - STYLE.margin + 4, 0, STYLE.width, STYLE.height))
    assert count(near_colour(right_margin, STYLE.text)) == 0


def test_cover_is_darkened_behind_the_text(fonts):
    cover = bright_cover()
    text = CardText(TITLE, "Công đoàn ngành Y tế", "22/11/2026", SITE)
    card = draw_card(text, fonts, STYLE, cover=cover)
    assert card.size == (STYLE.width, STYLE.height)

    cover_mean = ImageStat.Stat(cover.convert("L")).mean[0]
    bottom_strip = card.crop((0, STYLE.height - STYLE.margin + 8, STYLE.width, STYLE.height))
    assert ImageStat.Stat(bottom_strip.convert("L")).mean[0] < cover_mean * 0.5

    white = ImageColor.getrgb(STYLE.text)
    _, top, _, bottom = title_box(text, fonts, STYLE)
    for y in (top, (top + bottom) // 2, bottom - 1):
        for x in (STYLE.width - 8, STYLE.width - STYLE.margin // 2):
            assert contrast(white, card.getpixel((x, y))) >= 4.5


def test_cover_with_transparency_and_odd_mode_is_accepted(fonts):
    cover = Image.new("LA", (300, 900), (250, 0))
    card = draw_card(CardText(TITLE), fonts, STYLE, cover=cover)
    assert card.mode == "RGB" and card.size == (STYLE.width, STYLE.height)


def test_brand_background_without_cover(fonts):
    card = draw_card(CardText(TITLE), fonts, STYLE)
    assert card.getpixel((0, 0)) == ImageColor.getrgb(STYLE.background)
    end = ImageColor.getrgb(STYLE.background_end)
    assert all(abs(a - b) <= 12 for a, b in zip(card.getpixel((STYLE.width - 1, STYLE.height - 1)), end, strict=True))

    red = CardStyle(background="#c8102e")
    assert draw_card(CardText(TITLE), fonts, red).getpixel((0, 0)) == (200, 16, 46)


def test_logo_is_drawn_with_its_transparency(fonts):
    logo = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((64, 64, 192, 192), fill=(200, 16, 46, 255))
    text = CardText(TITLE, site_name=SITE)
    card = draw_card(text, fonts, STYLE, logo=logo)
    plain = draw_card(text, fonts, STYLE)
    m = STYLE.margin
    assert card.getpixel((m + 32, m + 32)) == (200, 16, 46)
    assert card.getpixel((m + 2, m + 2)) == plain.getpixel((m + 2, m + 2))
    assert title_box(text, fonts, STYLE) == title_box(CardText(TITLE), fonts, STYLE)


# What a worker reuses between cards: fitted covers, backgrounds, shading layers, text masks.


def card_job(tmp_path: Path, name: str, title: str, cover: Path | None) -> work.CardJob:
    text = CardText(title, "Công đoàn ngành Y tế", "22/11/2026", SITE)
    return work.CardJob(f"{name:0>64}", text, STYLE, (str(BOLD), str(SEMIBOLD), str(REGULAR)),
                        str(cover) if cover else None, None, 100_000_000, str(tmp_path / "store"))


def card_bytes(tmp_path: Path, outcome: work.Outcome) -> bytes:
    return Store(tmp_path / "store").path(outcome.key, ".jpg").read_bytes()


def test_a_fitted_cover_draws_the_same_card(fonts):
    cover = bright_cover()
    fitted = fit_cover(cover, STYLE)
    assert fitted.size == (STYLE.width, STYLE.height) and fit_cover(fitted, STYLE) is fitted
    difference = ImageChops.difference(draw_card(FULL, fonts, STYLE, cover=cover),
                                       draw_card(FULL, fonts, STYLE, cover=fitted))
    assert difference.getbbox() is None


def test_cards_are_the_same_bytes_with_fresh_or_reused_layers(fonts):
    logo = Image.new("RGBA", (300, 120), (200, 16, 46, 255))
    kinds = [(FULL, None), (FULL, bright_cover()), (CardText("Tin ngắn", "", "", SITE), None)]
    forget()
    fresh = [encode_jpeg(draw_card(text, fonts, STYLE, cover, logo), STYLE) for text, cover in kinds]
    reused = [encode_jpeg(draw_card(text, fonts, STYLE, cover, logo), STYLE) for text, cover in kinds]
    assert fresh == reused and len(set(fresh)) == len(kinds)


def test_styles_do_not_share_backgrounds_or_shading(fonts):
    red = CardStyle(background="#c8102e", background_end="#5a0010", shade=0.8)
    first = draw_card(FULL, fonts, STYLE, cover=bright_cover())
    other = draw_card(FULL, fonts, red, cover=bright_cover())
    assert ImageChops.difference(first, other).getbbox() is not None
    assert draw_card(CardText(TITLE), fonts, red).getpixel((0, 0)) == (200, 16, 46)
    assert draw_card(CardText(TITLE), fonts, STYLE).getpixel((0, 0)) == ImageColor.getrgb(STYLE.background)
    again = draw_card(FULL, fonts, STYLE, cover=bright_cover())
    assert ImageChops.difference(first, again).getbbox() is None


def test_a_cover_on_several_cards_is_decoded_once_until_it_changes(tmp_path):
    cover = tmp_path / "anh.jpg"
    bright_cover().save(cover, "JPEG", quality=90)
    work.forget()
    first, second = (work.card(card_job(tmp_path, str(i), f"{TITLE} {i}", cover)) for i in (1, 2))
    assert (first.decoded, second.decoded) == (1, 0) and first.meta and second.meta

    alone = card_bytes(tmp_path, work.card(card_job(tmp_path, "3", f"{TITLE} 2", cover)))
    work.forget()
    assert card_bytes(tmp_path, work.card(card_job(tmp_path, "4", f"{TITLE} 2", cover))) == alone

    Image.new("RGB", (1600, 1000), (20, 120, 40)).save(cover, "JPEG", quality=90)
    changed = work.card(card_job(tmp_path, "5", f"{TITLE} 2", cover))
    assert changed.decoded == 1 and card_bytes(tmp_path, changed) != alone


def test_a_broken_cover_is_reported_on_every_card_that_shows_it(tmp_path):
    cover = tmp_path / "hong.jpg"
    cover.write_bytes(b"not a photo")
    work.forget()
    outcomes = [work.card(card_job(tmp_path, str(i), TITLE, cover)) for i in (1, 2)]
    assert all(o.problem and o.meta is None and o.decoded == 1 for o in outcomes)
    assert "JPEG" in str(outcomes[0].problem) and outcomes[0].problem.code == "E552"
    missing = work.card(card_job(tmp_path, "3", TITLE, tmp_path / "khong-co.jpg"))
    assert (str(missing.problem), missing.problem.code) == ("không tìm thấy tệp ảnh", "E551")
