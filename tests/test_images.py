"""Photos and social cards through real Pelican builds: published sizes,
metadata removal, bad files, the cache, and the link-preview tags."""

import datetime as dt
import io
import random
import struct
import zlib

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageDraw

from support import photo_url

SITE = "https://congdoan.example.vn"
LE_PHAT_DONG = "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"
CHINH_SACH = "/2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/"
GOOD = {"Title": "Tin có ảnh", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


def photo(size=(1600, 1000), fmt="JPEG", exif=None, seed=1) -> bytes:
    """A noisy photo-like image, so truncating it really cuts image data."""
    rng = random.Random(seed)
    image = Image.effect_noise(size, 60).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(20):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse((x, y, x + 200, y + 150), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def meta(page, prop: str) -> str:
    tag = page.find("meta", attrs={"property": prop}) or page.find("meta", attrs={"name": prop})
    assert tag is not None, prop
    return tag["content"]


def test_photos_are_published_in_several_widths_never_upscaled(site):
    site.write("images/nho.jpg", photo((300, 200)))
    site.article("2024/anh.md", {**GOOD, "Slug": "anh"}, "Mở đầu.\n\n![Ảnh nhỏ](images/nho.jpg)\n")
    site.build()
    assert not site.exists("/images/cover.jpg") and not site.exists("/images/nho.jpg")
    for width, height in ((480, 320), (800, 533), (1200, 800)):
        for ext, fmt in (("jpg", "JPEG"), ("webp", "WEBP")):
            with Image.open(site.output / photo_url(site, "cover", width, ext).lstrip("/")) as published:
                assert (published.format, published.size) == (fmt, (width, height))
    assert sorted(p.name.split(".")[0] for p in (site.output / "images").glob("nho-*")) == ["nho-300", "nho-300"]

    page = site.html(LE_PHAT_DONG)
    cover = page.select_one(".article-cover picture")
    assert cover.source["type"] == "image/webp"
    assert [s.split()[1] for s in cover.source["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    img = cover.img
    assert (img["width"], img["height"], img["src"]) == ("1200", "800", photo_url(site, "cover", 800))
    assert img["alt"] == "Quang cảnh lễ phát động" and img["sizes"] and not img.has_attr("loading")
    body = page.select_one(".article-content figure picture img")
    assert body["loading"] == "lazy" and body["alt"] == "Đoàn viên tham dự lễ"
    assert body["srcset"].split(", ")[-1] == f"{photo_url(site, 'cover', 1200)} 1200w"
    small = site.html("/2024/03/anh/").select_one(".article-content picture img")
    assert (small["width"], small["height"], small["srcset"]) == ("300", "200", f"{photo_url(site, 'nho', 300)} 300w")
    # The lead story is a Featured item for a week after its date: build on the day after it.
    site.build(now=dt.datetime(2024, 5, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    lead = site.html("/").select_one(".lead-story")
    assert lead.select_one(".lead-title a")["href"].endswith(LE_PHAT_DONG)
    card = lead.select_one(".lead-media picture img")
    assert card["src"] == photo_url(site, "cover", 800) and card["width"] == "1200"


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (21.0, 1.0, 30.0),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (105.0, 51.0, 2.0)}
    return exif


def test_exif_orientation_is_applied_and_gps_removed(site):
    raw = Image.new("RGB", (600, 400), (220, 20, 20))
    ImageDraw.Draw(raw).rectangle((300, 0, 599, 399), fill=(20, 20, 220))
    out = io.BytesIO()
    raw.save(out, "JPEG", exif=phone_exif(6), quality=95)
    with Image.open(out) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    site.write("images/dien-thoai.jpg", out.getvalue())
    site.article("2024/dt.md", {**GOOD, "Slug": "dt", "Image": "images/dien-thoai.jpg"})
    site.build()
    for ext in ("jpg", "webp"):
        with Image.open(site.output / photo_url(site, "dien-thoai", 400, ext).lstrip("/")) as published:
            # Orientation 6 turns the photo a quarter clockwise: its left half is now on top.
            assert published.size == (400, 600)
            rgb = published.convert("RGB")
            assert rgb.getpixel((200, 100))[0] > 180 and rgb.getpixel((200, 500))[2] > 180
            assert len(published.getexif()) == 0
            assert not published.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert not {"exif", "icc_profile", "xmp"} & set(published.info)
    data = (site.output / photo_url(site, "dien-thoai", 400).lstrip("/")).read_bytes()
    assert b"Exif" not in data and b"Apple" not in data


def test_iphone_heic_photos_are_accepted(site):
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(photo((900, 600)))).save(out, "HEIF", quality=80)
    site.write("images/iphone.heic", out.getvalue())
    site.article("2024/heic.md", {**GOOD, "Slug": "heic", "Image": "images/iphone.heic"})
    site.build()
    with Image.open(site.output / photo_url(site, "iphone", 800).lstrip("/")) as published:
        assert (published.format, published.size) == ("JPEG", (800, 533))
    assert not list(site.output.glob("**/*.heic"))


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 40)).save(out, "GIF")
    return out.getvalue()


BAD_IMAGES = {
    "truncated": (lambda: photo()[:20000], ".jpg", "bị hỏng hoặc chưa tải về đầy đủ"),
    "bomb": (lambda: png_claiming(20000, 20000), ".png", "ảnh quá lớn"),
    "large": (lambda: png_claiming(12000, 10000), ".png", "ảnh quá lớn"),
    "gif": (gif, ".jpg", "không phải ảnh JPEG, PNG, WebP hay HEIC"),
    "text": (lambda: b"not an image at all", ".png", "không phải ảnh JPEG, PNG, WebP hay HEIC"),
}
# The codes each case may be told with: a header too large or one the decoder cannot finish.
CODES = {"truncated": ("E553", "E555"), "bomb": ("E554",), "large": ("E554",), "gif": ("E552",), "text": ("E552",)}


@pytest.mark.parametrize("case", sorted(BAD_IMAGES))
@pytest.mark.parametrize("where", ["cover", "body"])
def test_a_bad_image_fails_the_build_naming_article_and_image(site, case, where):
    make, ext, needle = BAD_IMAGES[case]
    name = f"images/hong{ext}"
    site.write(name, make())
    header = {**GOOD, "Slug": "hong"}
    if where == "cover":
        site.article("2024/hong.md", {**header, "Image": name})
        line = 5
    else:
        site.article("2024/hong.md", header, "Đoạn một.\n\nĐoạn hai.\n\n![Ảnh]({})\n".format(name))
        line = 10
    (site.output / "cu.txt").parent.mkdir(parents=True)
    (site.output / "cu.txt").write_text("trang cũ")
    failure = site.fail()
    lines = [str(p) for p in failure.problems]
    code = failure.problems[0].code
    assert code in CODES[case]
    assert lines == [f"articles/2024/hong.md:{line}: lỗi {code}: ảnh '{name}': " + lines[0].split(f"'{name}': ", 1)[1]]
    assert needle in lines[0]
    assert (site.output / "cu.txt").read_text() == "trang cũ"


@pytest.mark.parametrize("value, code, needle", [
    ("images/khong-co.jpg", "E505", "không tìm thấy tệp 'images/khong-co.jpg'"),
    ("../ngoai.jpg", "E502", "đi ra ngoài thư mục nội dung"),
])
def test_a_missing_or_outside_image_is_reported(site, value, code, needle):
    site.article("2024/thieu.md", {**GOOD, "Image": value})
    lines = [str(p) for p in site.fail().problems]
    assert any(line.startswith(f"articles/2024/thieu.md:4: lỗi {code}:") and needle in line for line in lines), lines


def card_urls(site) -> dict[str, str]:
    return {p.relative_to(site.output).as_posix().split(".")[0]: p.name
            for p in (site.output / "anh-chia-se").glob("**/*.jpg")}


def test_the_cache_redraws_only_what_changed(site):
    site.image_cache = None
    first = site.build().images
    assert (first.photos_made, first.cards_drawn) == (1, first.cards) and first.decoded >= 2
    before = card_urls(site)

    stats = site.build(PORTAL_INCREMENTAL={"skip_unchanged": False}).images  # nothing changed: built all the same
    assert (stats.photos_made, stats.cards_drawn, stats.decoded) == (0, 0, 0)
    assert card_urls(site) == before

    source = site.content / "articles/2024/chinh-sach.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Chính sách mới", "Chính sách mới nhất"), encoding="utf-8")
    stats = site.build().images
    assert (stats.photos_made, stats.cards_drawn, stats.decoded) == (0, 1, 0)
    after = card_urls(site)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"anh-chia-se/2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi",
                       "anh-chia-se/2024/07/chinh-sach-moi-nhat-ve-bao-hiem-xa-hoi"}

    cover = site.content / "images/cover.jpg"
    cover.write_bytes(photo((1400, 900)))
    stats = site.build().images
    # The new cover is decoded twice: once for its widths, once for the one card that shows it.
    assert (stats.photos_made, stats.cards_drawn, stats.decoded) == (1, 1, 2)


def test_the_process_pool_publishes_the_same_files(site, tmp_path):
    site.image_cache = None
    for index in range(3):
        site.write(f"images/anh-{index}.jpg", photo(seed=index))
        site.article(f"2024/anh-{index}.md", {**GOOD, "Slug": f"anh-{index}", "Image": f"images/anh-{index}.jpg"})
    site.build(PORTAL_IMAGES={"workers": 1})
    single = {p.relative_to(site.output): p.read_bytes() for p in site.output.glob("**/*") if p.suffix in (".jpg", ".webp")}
    site.cache = tmp_path / "pool" / "cache"
    stats = site.build(PORTAL_IMAGES={"workers": 2, "pool_min_jobs": 1}).images
    assert stats.photos_made == 4 and stats.cards_drawn == stats.cards
    pooled = {p.relative_to(site.output): p.read_bytes() for p in site.output.glob("**/*") if p.suffix in (".jpg", ".webp")}
    assert pooled == single and len(single) > 20


def test_article_page_carries_link_preview_tags(site):
    site.build(SITEURL=SITE)
    page = site.html(LE_PHAT_DONG)
    assert meta(page, "og:title") == "Lễ phát động Tháng Công nhân năm 2024"
    assert meta(page, "og:description") == "Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động."
    assert (meta(page, "og:type"), meta(page, "og:locale")) == ("article", "vi_VN")
    assert meta(page, "og:url") == SITE + LE_PHAT_DONG
    assert page.find("link", rel="canonical")["href"] == SITE + LE_PHAT_DONG
    assert meta(page, "article:published_time") == "2024-05-03T08:30:00+07:00"
    assert meta(page, "twitter:card") == "summary_large_image"
    image = meta(page, "og:image")
    assert image.startswith(f"{SITE}/anh-chia-se/2024/05/le-phat-dong-thang-cong-nhan-nam-2024.") and image.endswith(".jpg")
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    with Image.open(site.output / image[len(SITE) + 1:]) as card:
        assert (card.format, card.size) == ("JPEG", (1200, 630))


@pytest.mark.parametrize("url, card", [
    ("/", "anh-chia-se/trang-chu."),
    ("/don-vi/cd-giao-duc/", "anh-chia-se/don-vi/cd-giao-duc."),
    ("/chien-dich/thang-cong-nhan-2024/", "anh-chia-se/chien-dich/thang-cong-nhan-2024."),
    ("/chuyen-muc/tin-hoat-dong/", "anh-chia-se/trang-chu."),
])
def test_home_unit_and_campaign_pages_have_their_own_cards(site, url, card):
    site.build(SITEURL=SITE)
    page = site.html(url)
    image = meta(page, "og:image")
    assert image.startswith(f"{SITE}/{card}") and meta(page, "og:type") == "website"
    assert (site.output / image[len(SITE) + 1:]).is_file()
