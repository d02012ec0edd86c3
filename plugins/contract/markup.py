"""Markdown to safe HTML: figures from image titles, content paths made
Pelican ``{static}`` links, and an allowlist sanitiser (nh3) so an
article cannot carry scripts, event handlers or ``javascript:`` links."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from html import escape, unescape
from types import MappingProxyType

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .paths import STATIC_PREFIX, PathProblem, is_local, normalise

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = MappingProxyType({
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "time": frozenset({"datetime"}),
    "h2": frozenset({"id"}), "h3": frozenset({"id"}), "h4": frozenset({"id"}),
    "abbr": frozenset({"title"}),
})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class Reference:
    """A content file the body refers to, found at ``line`` of the source."""

    value: str
    line: int
    # ``{filename}``: an article or page, not a file in images/ or files/.
    page: bool = False


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
# Pelican's intra-site link syntax (``{static}``, ``|attach|``…): the reader
# writes it only for files it has checked, and only in this form.
_MARKER = re.compile(r"^[{|](?P<what>[^{}|]*)[|}](?P<rest>.*)$", re.S)
# Pelican's own pattern for it (``Content._get_intrasite_link_regex`` with the
# default INTRASITE_LINK_REGEX), over any attribute value, quoted either way.
INTRASITE = re.compile(
    r"""(?P<markup><[^\>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"""
    r"""(?P<quote>["\'])(?P<path>[{|](?P<what>.*?)[|}](?P<value>.*?))(?P=quote)""")
PELICAN_LINK_REGEX = "[{|](?P<what>.*?)[|}]"
_TAG_RUN = re.compile(r"<[^>]*")
FILE_MARKERS = ("static", "attach")
PAGE_MARKERS = ("filename",)
LINKABLE_FOLDERS = ("images", "files")
PAGE_FOLDERS = ("articles", "pages")
# Deeper than this, Python-Markdown's parser recurses out of the stack or
# slows to minutes; no news item needs it.
MAX_NESTING = 20
MAX_RUN = 64
MAX_BRACKETS_PER_LINE = 256
MAX_BODY_CHARS = 1_000_000


def render(body: str, source_path: str, first_line: int) -> Rendered:
    rendered = Rendered("", [], [], [])
    lines = body.split("\n")
    refused = too_complex(body)
    if refused is not None:
        index, message = refused
        rendered.bad_paths.append((first_line + index, message))
        return rendered
    md = markdown.Markdown(extensions=["extra", "sane_lists", "toc"], output_format="html")
    md.treeprocessors.register(_Figures(md), "portal_figures", 1)
    try:
        html = sanitise(md.convert(body))
    except RecursionError:
        rendered.bad_paths.append((first_line, "nội dung lồng nhau quá sâu (danh sách, trích dẫn, in đậm/nghiêng); "
                                               "hãy viết đơn giản hơn"))
        return rendered
    html = _IMG_TAG.sub(lambda m: _unload_remote(m.group(0), lines, first_line, rendered), html)
    token = f"portal-link-{uuid.uuid4().hex}:"
    links: dict[str, str] = {}

    def relink(match: re.Match) -> str:
        value = unescape(match.group(2))
        line = first_line + _line_index(lines, value)
        kept = _relink(value, match.group(1).startswith("<img"), source_path, line, rendered)
        if kept is None:
            return match.group(0)
        if kept == "":
            return f"{match.group(1)}{match.group(3)}"
        key = f"{token}{len(links)}"
        links[key] = escape(kept, quote=True)
        return f"{match.group(1)}{key}{match.group(3)}"

    html = _LINK_ATTR.sub(relink, html)
    html = seal(html, lambda value: rendered.bad_paths.append(
        (first_line + _line_index(lines, value), foreign_link_message(value))))
    rendered.html = re.sub(re.escape(token) + r"\d+", lambda m: links[m.group(0)], html) if links else html
    return rendered


_IMG_TAG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')


def _unload_remote(tag: str, lines: list[str], first_line: int, rendered: Rendered) -> str:
    """A photo from another website becomes a link to it: pages load nothing from other servers."""
    src = _SRC.search(tag)
    if src is None or is_local(unescape(src.group(1))):
        return tag
    value = unescape(src.group(1))
    rendered.remote_images.append((first_line + _line_index(lines, value), value))
    alt = _ALT.search(tag)
    label = alt.group(1) if alt and alt.group(1).strip() else "Ảnh"
    return f'<a href="{src.group(1)}" rel="noopener noreferrer">{label} (ảnh ở website khác)</a>'


def _relink(value: str, is_image: bool, source_path: str, line: int, rendered: Rendered) -> str | None:
    """What an ``href``/``src`` becomes: ``None`` kept as written, ``""`` dropped
    (the problem recorded), otherwise the checked intra-site link."""
    if not is_local(value):
        if is_image:
            rendered.remote_images.append((line, value))
        return None
    marker = _MARKER.match(value.strip())
    what = marker.group("what") if marker else None
    if marker and what not in FILE_MARKERS + PAGE_MARKERS:
        rendered.bad_paths.append((line, foreign_link_message(value)))
        return ""
    if what is None and not (value.lstrip("/").split("/")[0] in LINKABLE_FOLDERS or is_image):
        return None
    try:
        path = normalise(value, source_path)
    except PathProblem as exc:
        rendered.bad_paths.append((line, str(exc)))
        return ""
    folders = PAGE_FOLDERS if what in PAGE_MARKERS else LINKABLE_FOLDERS
    if path.split("/")[0] not in folders or (what in PAGE_MARKERS and not path.endswith(".md")):
        rendered.bad_paths.append((line, outside_folders_message(value, folders)))
        return ""
    rendered.references.append(Reference(value, line, what in PAGE_MARKERS))
    return f"{{filename}}/{path}" if what in PAGE_MARKERS else f"{STATIC_PREFIX}/{path}"


def seal(html: str, report) -> str:
    """``html`` with no intra-site link syntax left in any tag: ``{`` and ``|``
    inside tags become character references, which Pelican cannot read as links
    but browsers show as written. Each link Pelican would have followed is
    passed to ``report`` first."""
    for match in INTRASITE.finditer(html):
        report(unescape(match.group("path")))
    return _TAG_RUN.sub(lambda m: m.group(0).replace("{", "&#123;").replace("|", "&#124;"), html)


def foreign_link_message(value: str) -> str:
    shown = value if len(value) <= 80 else value[:77] + "…"
    return (f"liên kết '{shown}' dùng cú pháp liên kết nội bộ của Pelican không được phép ở đây; "
            "hãy viết đường dẫn tới tệp trong images/ hoặc files/ (ví dụ files/ke-hoach.pdf), "
            "hoặc địa chỉ của bài trên website")


def outside_folders_message(value: str, folders: tuple[str, ...]) -> str:
    where = " hoặc ".join(f"{f}/" for f in folders)
    return f"liên kết '{value}' phải trỏ tới tệp trong thư mục {where} của thư mục nội dung"


def too_complex(body: str) -> tuple[int, str] | None:
    """(line index, message) when the body is too large or nested too deep to render safely."""
    if len(body) > MAX_BODY_CHARS:
        first = next((i for i, line in enumerate(body.split("\n", 50)) if line.strip()), 0)
        return first, f"nội dung bài quá dài (hơn {MAX_BODY_CHARS:,} ký tự); hãy chia thành nhiều bài".replace(",", ".")
    for index, line in enumerate(body.split("\n")):
        depth = _container_depth(line)
        if depth > MAX_NESTING:
            return index, (f"danh sách hoặc trích dẫn lồng nhau {depth} tầng (tối đa {MAX_NESTING}); "
                           "hãy viết đơn giản hơn")
        run = _longest_run(line)
        if run > MAX_RUN:
            return index, f"dòng có {run} ký tự định dạng (*, _, [, ], ~, `) liên tiếp; hãy bỏ bớt"
        if line.count("[") > MAX_BRACKETS_PER_LINE:
            return index, f"dòng có hơn {MAX_BRACKETS_PER_LINE} dấu '['; hãy chia thành nhiều dòng"
    return None


_CONTAINER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$|>)[ \t]?")
_RUN = re.compile(r"([*_\[\]~`])\1*")


def _container_depth(line: str) -> int:
    """Nesting a line opens: its indentation in list steps plus the list and quote markers it starts with."""
    expanded = line.expandtabs(4)
    depth = (len(expanded) - len(expanded.lstrip(" "))) // 4
    at = 0
    while True:
        match = _CONTAINER.match(expanded, at)
        if match is None or match.end() == at:
            return depth
        depth += 1
        at = match.end()


def _longest_run(line: str) -> int:
    return max((len(m.group(0)) for m in _RUN.finditer(line)), default=0)


def _line_index(lines: list[str], needle: str) -> int:
    for index, line in enumerate(lines):
        if needle in line:
            return index
    return 0


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=dict(ALLOWED_ATTRIBUTES),
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


def inline(text: str) -> tuple[str, list[str]]:
    """A one-line Markdown field (Summary) as safe HTML, and the problems in it.

    No intra-site link syntax survives in it (``seal``): a Summary links to
    nothing Pelican would copy.
    """
    refused = too_complex(text)
    if refused is not None:
        return f"<p>{escape(text)}</p>", [refused[1]]
    md = markdown.Markdown(extensions=["extra"], output_format="html")
    try:
        html = sanitise(md.convert(text))
    except RecursionError:
        return f"<p>{escape(text)}</p>", ["nội dung lồng nhau quá sâu; hãy viết đơn giản hơn"]
    problems: list[str] = []
    html = seal(html, lambda value: problems.append(foreign_link_message(value)))
    return html, problems
