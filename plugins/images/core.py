"""Photos decoded safely and published in several widths: pure functions over
files and Pillow images, with errors an editor can act on."""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Decoders allowed to touch editors' files; everything else is refused unread.
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# A JPEG is decoded at reduced size only when the saving is at least this.
DRAFT_MARGIN = 2


class ImageProblem(ValueError):
    """A photo an editor must fix; the message is for them, ``code`` keys it in the guide."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code

    def __reduce__(self):
        return type(self), (str(self), self.code)


@dataclass(frozen=True)
class Variant:
    """One published file of a photo."""

    url: str
    width: int
    height: int
    size: int
    mime: str


@dataclass(frozen=True)
class Responsive:
    """A photo in every published width, as JPEG and WebP (smallest first)."""

    jpeg: tuple[Variant, ...]
    webp: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        return self.jpeg[-1]

    @property
    def width(self) -> int:
        return self.largest.width

    @property
    def height(self) -> int:
        return self.largest.height

    def src(self, width: int = 800) -> Variant:
        """The fallback file: the widest one not wider than ``width``."""
        fitting = [v for v in self.jpeg if v.width <= width]
        return fitting[-1] if fitting else self.jpeg[0]

    def srcset(self, fmt: str, prefix: str = "") -> str:
        variants = self.webp if fmt == "webp" else self.jpeg
        return ", ".join(f"{prefix}{v.url} {v.width}w" for v in variants)


def plan_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """Published widths for a photo ``width`` pixels wide: never upscaled, the
    photo's own width standing in for any larger step."""
    planned = sorted({w for w in widths if w < width} | {min(width, max(widths))})
    return planned


def open_image(path: Path, max_pixels: int) -> Image.Image:
    """Read the header of an allowed format, refusing decompression bombs."""
    if not path.is_file():
        raise ImageProblem("không tìm thấy tệp ảnh", "E551")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path, formats=FORMATS)
    except UnidentifiedImageError:
        raise ImageProblem("không phải ảnh JPEG, PNG, WebP hay HEIC; hãy lưu lại ảnh ở dạng JPEG", "E552") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(None, max_pixels) from None
    except OSError as exc:
        raise ImageProblem(f"không đọc được ảnh ({exc}); hãy xuất lại ảnh ở dạng JPEG", "E553") from None
    if image.width * image.height > max_pixels:
        raise _too_large(image, max_pixels)
    return image


def _too_large(image: Image.Image | None, max_pixels: int) -> ImageProblem:
    size = f" ({image.width}×{image.height})" if image is not None else ""
    return ImageProblem(f"ảnh quá lớn{size}, vượt giới hạn {max_pixels / 1e6:.0f} triệu điểm ảnh; "
                        "hãy thu nhỏ ảnh (cạnh dài khoảng 3000 điểm ảnh là đủ)", "E554")


def displayed_size(image: Image.Image) -> tuple[int, int]:
    """Width and height after the EXIF orientation is applied."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def load(path: Path, max_pixels: int, need: Callable[[tuple[int, int]], tuple[int, int]]) -> Image.Image:
    """Decode a photo upright, in sRGB, without metadata.

    ``need`` maps the displayed size to the smallest size the caller will use;
    a JPEG much larger than that is decoded at reduced size (``Image.draft``).
    """
    image = open_image(path, max_pixels)
    shown = displayed_size(image)
    want = need(shown)
    if image.format == "JPEG" and shown[0] >= DRAFT_MARGIN * want[0] and shown[1] >= DRAFT_MARGIN * want[1]:
        turned = shown != image.size
        image.draft("RGB", (want[1], want[0]) if turned else want)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"ảnh bị hỏng hoặc chưa tải về đầy đủ ({exc}); hãy chép lại tệp ảnh gốc", "E555") from None
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(_flatten(image), icc)
    image.info = {}
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent areas over white; every mode made RGB or CMYK for colour management."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("RGB", "CMYK"):
        return image
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return image.convert("RGB")


def derivative_need(widths: tuple[int, ...]) -> Callable[[tuple[int, int]], tuple[int, int]]:
    """The size the widest derivative needs, for ``load``."""
    def need(size: tuple[int, int]) -> tuple[int, int]:
        width = min(size[0], max(widths))
        return width, math.ceil(size[1] * width / size[0])
    return need


def cover_need(box: tuple[int, int]) -> Callable[[tuple[int, int]], tuple[int, int]]:
    """The size a photo needs to be cropped to fill ``box``, for ``load``."""
    def need(size: tuple[int, int]) -> tuple[int, int]:
        scale = min(1.0, max(box[0] / size[0], box[1] / size[1]))
        return math.ceil(size[0] * scale), math.ceil(size[1] * scale)
    return need


def resize(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """JPEG or WebP bytes with no metadata at all (no EXIF, GPS, XMP or ICC)."""
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, subsampling="4:2:0")
    else:
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()
