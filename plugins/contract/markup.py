"""Markdown to safe HTML: figures from image titles, content paths made
Pelican ``{static}`` links, and an allowlist sanitiser (nh3) so an
article cannot carry scripts, event handlers or ``javascript:`` links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from html import unescape

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .paths import STATIC_PREFIX, PathProblem, is_local, normalise

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class Reference:
    """A content file the body refers to, found at ``line`` of the source."""

    value: str
    line: int


@dataclass
class Rendered:
    html: str
    references: list[Reference]
    bad_paths: list[tuple[int, str]]
    remote_images: list[tuple[int, str]]


class _Figures(Treeprocessor):
    """A paragraph holding only a titled image becomes a figure with caption."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("p"):
            image = _lone_image(element)
            title = image.attrib.pop("title", "") if image is not None else ""
            if title:
                element.tag = "figure"
                etree.SubElement(element, "figcaption").text = title


def _lone_image(paragraph: etree.Element) -> etree.Element | None:
    children = list(paragraph)
    if len(children) == 1 and children[0].tag == "img" and not (paragraph.text or "").strip() \
            and not (children[0].tail or "").strip():
        return children[0]
    return None


_LINK_ATTR = re.compile(r'(<(?:img|a)\b[^>]*?\s(?:src|href)=")([^"]*)(")')


def render(body: str, source_path: str, first_line: int) -> Rendered:
    md = markdown.Markdown(extensions=["extra", "sane_lists", "toc"], output_format="html")
    md.treeprocessors.register(_Figures(md), "portal_figures", 1)
    html = sanitise(md.convert(body))
    lines = body.split("\n")
    rendered = Rendered("", [], [], [])

    def relink(match: re.Match) -> str:
        value = unescape(match.group(2))
        line = first_line + _line_index(lines, value)
        if not is_local(value):
            if match.group(1).startswith("<img"):
                rendered.remote_images.append((line, value))
            return match.group(0)
        if not (value.startswith(STATIC_PREFIX) or value.lstrip("/").split("/")[0] in ("images", "files")
                or match.group(1).startswith("<img")):
            return match.group(0)
        try:
            path = normalise(value, source_path)
        except PathProblem as exc:
            rendered.bad_paths.append((line, str(exc)))
            return f"{match.group(1)}{match.group(3)}"
        rendered.references.append(Reference(value, line))
        return f"{match.group(1)}{STATIC_PREFIX}/{path}{match.group(3)}"

    rendered.html = _LINK_ATTR.sub(relink, html)
    return rendered


def _line_index(lines: list[str], needle: str) -> int:
    for index, line in enumerate(lines):
        if needle in line:
            return index
    return 0


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def lead(html: str, words: int) -> str:
    """A text-only lead from the first paragraphs, for lists and link previews."""
    text = " ".join(_TAG.sub("", p) for p in _PARAGRAPH.findall(html))
    parts = text.split()
    if not parts:
        return ""
    short = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return f"<p>{short}</p>"


def inline(text: str) -> str:
    """A one-line Markdown field (Summary) as safe HTML."""
    md = markdown.Markdown(extensions=["extra"], output_format="html")
    return sanitise(md.convert(text))
