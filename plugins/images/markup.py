"""Body images as responsive ``<picture>`` elements, and links to photos
pointed at their largest published copy."""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from plugins import urls
from plugins.contract.paths import STATIC_PREFIX, PathProblem, normalise

from .core import Responsive

# Photos live in images/ of the content folder and are published under the same folder.
IMAGE_FOLDER = urls.folder(urls.PHOTOS)
_STATIC = re.escape(f"{STATIC_PREFIX}/{IMAGE_FOLDER}")
_IMG = re.compile(rf'<img\b(?=[^>]*\ssrc="{_STATIC})[^>]*>')
_HREF = re.compile(rf'(<a\b[^>]*\shref="){_STATIC}([^"]*)(")')
_ATTR = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
_KEPT = ("alt", "title")


def referenced(html: str) -> list[str]:
    """Content paths of the photos a body shows or links to, in order."""
    found = [IMAGE_FOLDER + m.group(2) for m in _HREF.finditer(html)]
    found += [_attributes(m.group(0))["src"][len(STATIC_PREFIX) + 1:] for m in _IMG.finditer(html)]
    return list(dict.fromkeys(found))


def uses(cover: str | None, cover_line: int, html: str, references, source_path: str) -> list[tuple[str, int]]:
    """(content path, source line) of every photo an item uses: its cover, then its body's photos.

    ``references`` are the body's references found by the contract's reader (with lines).
    """
    found = [(cover, cover_line)] if cover is not None else []
    lines: dict[str, int] = {}
    for ref in references:
        try:
            lines.setdefault(normalise(ref.value, source_path), ref.line)
        except PathProblem:
            continue
    return found + [(path, lines.get(path, 1)) for path in referenced(html)]


def problem_message(path: str, message: str) -> str:
    """How a photo's problem is told at each place that uses it."""
    return f"ảnh '{path}': {message}"


def rewrite(html: str, lookup: Callable[[str], Responsive | None], prefix: str, sizes: str) -> str:
    """Replace photos found by ``lookup`` (content path to published sizes)."""
    def picture(match: re.Match) -> str:
        attrs = _attributes(match.group(0))
        image = lookup(attrs["src"][len(STATIC_PREFIX) + 1:])
        if image is None:
            return match.group(0)
        kept = {k: v for k, v in attrs.items() if k in _KEPT}
        return picture_html(image, prefix, sizes, kept, lazy=True)

    def link(match: re.Match) -> str:
        image = lookup(IMAGE_FOLDER + match.group(2))
        if image is None:
            return match.group(0)
        return f"{match.group(1)}{prefix}{image.largest.url}{match.group(3)}"

    return _HREF.sub(link, _IMG.sub(picture, html))


def picture_html(image: Responsive, prefix: str, sizes: str, attrs: dict[str, str], lazy: bool) -> str:
    """``<picture>`` with WebP and JPEG in every width; ``attrs`` values are already escaped.

    Below the fold (``lazy``) the browser loads it when needed; above, it asks for it first.
    """
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
    return (f'<picture><source type="image/webp" srcset="{escape(image.srcset("webp", prefix))}" sizes="{sizes}">'
            f'<img src="{prefix}{image.src().url}" srcset="{escape(image.srcset("jpeg", prefix))}" sizes="{sizes}" '
            f'width="{image.width}" height="{image.height}"{extra}{loading} decoding="async"></picture>')


def _attributes(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for m in _ATTR.finditer(tag)}
