"""Markdown to safe HTML: figures from image titles, content paths made
Pelican ``{static}`` links, text pasted from Word read as the editor sees it,
videos shown as players or click-to-load posters, and an allowlist sanitiser
(nh3) so an article cannot carry scripts, event handlers or ``javascript:``
links. nh3 says nothing about what it removes, so everything it would drop
from what the editor wrote is found first (``removed``) and reported."""

from __future__ import annotations

import posixpath
import re
import uuid
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import escape, unescape
from types import MappingProxyType
from typing import Callable

import markdown
import nh3
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from . import paste
from .embeds import Embed, recognise
from .paths import STATIC_PREFIX, PathProblem, is_local, normalise, on_computer, on_computer_message
from .problems import ERROR, WARNING, Problem, Severity
from .removed import RawTag, Removal, removals

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
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "time": frozenset({"datetime"}),
    "h2": frozenset({"id"}), "h3": frozenset({"id"}), "h4": frozenset({"id"}),
    "abbr": frozenset({"title"}),
})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Python-Markdown's "extra" without attr_list: ``{: style=…}`` would only write attributes nh3 drops.
# "smarty" prints “…” and ’ for straight quotes in text (never in code, addresses or attributes); dashes and
# "..." are left as the editor wrote them.
EXTENSIONS = ("abbr", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "sane_lists", "toc", "smarty")
EXTENSION_CONFIGS = MappingProxyType({
    "tables": MappingProxyType({"use_align_attribute": True}),
    "smarty": MappingProxyType({"smart_dashes": False, "smart_ellipses": False, "smart_angled_quotes": False}),
})
# Videos a browser plays; other video files are refused with a way to convert them.
PLAYABLE_VIDEOS = MappingProxyType({".mp4": "video/mp4", ".webm": "video/webm"})
OTHER_VIDEOS = frozenset({".mov", ".m4v", ".avi", ".mkv", ".wmv", ".flv", ".3gp", ".mpg", ".mpeg"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


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
    problems: list[Problem] = field(default_factory=list)


class _Figures(Treeprocessor):
    """A paragraph holding only a titled image becomes a figure with caption."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("p"):
            image = _lone_image(element)
            title = image.attrib.pop("title", "") if image is not None else ""
            if title:
                element.tag = "figure"
                etree.SubElement(element, "figcaption").text = title


class _Subheadings(Treeprocessor):
    """``# …`` in a body is a subheading: the article's one ``<h1>`` is its Title."""

    def __init__(self, md):
        super().__init__(md)
        self.found: list[str] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"
            self.found.append("".join(element.itertext()))


class _RawHtml(Postprocessor):
    """Reads the HTML the editor wrote (Python-Markdown's stash) before it is put back:
    what the sanitiser would remove is listed, recognised video embeds become posters."""

    def __init__(self, md, embed_html: Callable[[Embed], str] | None):
        super().__init__(md)
        self.embed_html = embed_html
        self.found: list[Removal] = []
        self.seen = 0

    def run(self, text: str) -> str:
        # Python-Markdown may run postprocessors more than once (footnotes, toc); read each block once.
        blocks = self.md.htmlStash.rawHtmlBlocks
        for index in range(self.seen, len(blocks)):
            block = blocks[index]
            if isinstance(block, str):
                block = _IFRAME.sub(self._embed, block)
                blocks[index] = block
                self.found += removals(block, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
        self.seen = len(blocks)
        return text

    def _embed(self, match: re.Match) -> str:
        if self.embed_html is None:
            return match.group(0)
        src = RawTag.parse(match.group(0)).attributes.get("src", "")
        embed = recognise(unescape(src)) if src else None
        return self.embed_html(embed) if embed is not None else match.group(0)


# A link whose address was dropped (reported) keeps its words: an <a> without href is only noise.
_HREFLESS = re.compile(r"<a(?: rel=\"[^\"]*\")?>(.*?)</a>", re.S)
_IFRAME = re.compile(r"<iframe\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>(?:.*?</iframe\s*>)?", re.I | re.S)


def _lone_image(paragraph: etree.Element) -> etree.Element | None:
    children = list(paragraph)
    if len(children) == 1 and children[0].tag == "img" and not (paragraph.text or "").strip() \
            and not (children[0].tail or "").strip():
        return children[0]
    return None


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
# The img and a tags of the Markdown's output, whoever wrote them, quoted either way.
_LINK_TAG = re.compile(r"<(?:img|a)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
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
TOO_DEEP = "nội dung lồng nhau quá sâu (danh sách, trích dẫn, in đậm/nghiêng); hãy viết đơn giản hơn"


class _Body:
    """One body being rendered: its lines (to find where things were written) and what it found."""

    def __init__(self, body: str, source_path: str, first_line: int, cover: str | None):
        self.lines = body.split("\n")
        self.path = source_path
        self.first_line = first_line
        self.rendered = Rendered("", [])
        self.token = f"portal-{uuid.uuid4().hex}-"
        self.inserted: dict[str, str] = {}
        self.cursors: dict[str, int] = {}
        self.cover = _cover_path(cover, source_path)

    def report(self, line: int, message: str, code: str, severity: Severity = ERROR) -> None:
        self.rendered.problems.append(Problem(self.path, line, message, severity, code))

    def line_of(self, *needles: str) -> int:
        """The source line of the next place ``needles[0]`` (else the next needle) was written."""
        for needle in needles:
            needle = needle.strip()
            if not needle:
                continue
            start = self.cursors.get(needle, 0)
            for index in range(start, len(self.lines)):
                if needle.lower() in self.lines[index].lower():
                    self.cursors[needle] = index + 1
                    return self.first_line + index
            for index in range(0, start):
                if needle.lower() in self.lines[index].lower():
                    return self.first_line + index
        return self.first_line

    def insert(self, html: str) -> str:
        """A placeholder the sanitiser keeps, for markup the renderer makes itself."""
        key = f"{self.token}{len(self.inserted)}"
        self.inserted[key] = html
        return key

    def embed(self, embed: Embed) -> str:
        """The poster of ``embed``, with the cover photo (made responsive by the images plugin) if there is one."""
        poster = f'<img src="{STATIC_PREFIX}/{escape(self.cover)}" alt="{escape(embed.label)}">' if self.cover else ""
        return self.insert(embed.html(poster))


def _cover_path(cover: str | None, source_path: str) -> str:
    """The content path of the cover photo the header names, if it is one in images/."""
    if not cover or not is_local(cover):
        return ""
    try:
        path = normalise(cover, source_path)
    except PathProblem:
        return ""
    return path if path.startswith("images/") else ""


def render(body: str, source_path: str, first_line: int, cover: str | None = None) -> Rendered:
    """``body`` as safe HTML, the files it refers to and every problem, by source line.

    ``cover`` (the Image the header names) is the poster of the body's videos.
    """
    state = _Body(body, source_path, first_line, cover)
    refused = too_complex(body)
    if refused is not None:
        index, message, code = refused
        state.report(first_line + index, message, code)
        return state.rendered
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html",
                           extension_configs={k: dict(v) for k, v in EXTENSION_CONFIGS.items()})
    pasted = paste.PastedText(md)
    md.preprocessors.register(pasted, "portal_pasted", 27)
    md.treeprocessors.register(_Figures(md), "portal_figures", 1)
    subheadings = _Subheadings(md)
    md.treeprocessors.register(subheadings, "portal_subheadings", 2)
    raw = _RawHtml(md, state.embed)
    md.postprocessors.register(raw, "portal_raw_html", 35)
    try:
        html = md.convert(body)
    except RecursionError:
        state.report(first_line, TOO_DEEP, "E105")
        return state.rendered
    _report_pasted(state, pasted.notes)
    _report_subheadings(state, subheadings.found)
    _report_removals(state, raw.found)
    html = _LINK_TAG.sub(lambda m: _link_tag(state, m.group(0)), html)
    html = _HREFLESS.sub(r"\1", sanitise(html))
    html = seal(html, lambda value: state.report(state.line_of(value), foreign_link_message(value), "E107"))
    if state.inserted:
        html = re.sub(re.escape(state.token) + r"\d+", lambda m: state.inserted[m.group(0)], html)
    state.rendered.html = html
    return state.rendered


def _link_tag(state: _Body, written: str) -> str:
    """An ``<img>`` or ``<a>`` with its address checked: made an intra-site link, a link to
    another website, a video player, or left out visibly with the problem recorded."""
    tag = RawTag.parse(written)
    attribute = "src" if tag.name == "img" else "href"
    value = unescape(tag.attributes.get(attribute, ""))
    if tag.name == "img":
        return _image(state, tag, value)
    if attribute not in tag.attributes:
        return written
    kept = _address(state, value, False)
    if kept is None:
        return written
    return tag.html(**{attribute: kept or None})


def _image(state: _Body, tag: RawTag, value: str) -> str:
    alt = unescape(tag.attributes.get("alt", ""))
    if not value.strip():
        state.report(state.line_of("<img", "![]"), "thẻ ảnh <img> không có địa chỉ ảnh (src) nên đã bị bỏ; "
                     "hãy chèn ảnh theo mẫu ![Mô tả ảnh](images/ten-anh.jpg)", "W120", WARNING)
        return ""
    line = state.line_of(f"({value}", f'"{value}"', value, posixpath.basename(value.replace("\\", "/")))
    if is_local(value) and not on_computer(value):
        extension = posixpath.splitext(value.split("?")[0].split("#")[0])[1].lower()
        if extension in PLAYABLE_VIDEOS or extension in OTHER_VIDEOS:
            return _video(state, value, extension, alt, line)
    if not is_local(value) and value.lower().startswith(("http://", "https://", "//")):
        state.report(line, f"ảnh '{value}' lấy từ website khác nên chỉ hiện thành liên kết (website không tải gì từ "
                     "máy chủ ngoài); hãy tải ảnh về thư mục images/ rồi chèn lại", "W110", WARNING)
        label = alt if alt.strip() else "Ảnh"
        return (f'<a href="{escape(value)}" rel="noopener noreferrer">{escape(label)} (ảnh ở website khác)</a>')
    kept = _address(state, value, True, line)
    if not kept:
        return state.insert(_missing(alt))
    if not alt.strip() and state.inserted.get(kept, "").startswith(f"{STATIC_PREFIX}/images/"):
        state.report(line, f"ảnh '{value}' chưa có mô tả; hãy viết mô tả nội dung ảnh trong ngoặc vuông cho người "
                     f"khiếm thị, ví dụ ![Công nhân nhận quà Tết]({value})", "W111", WARNING)
    return tag.html(src=kept)


def _address(state: _Body, value: str, is_image: bool, line: int | None = None) -> str | None:
    """What an ``href``/``src`` becomes: ``None`` kept as written, ``""`` dropped
    (the problem recorded), otherwise the checked intra-site link (as a placeholder)."""
    line = line or state.line_of(f"({value}", f'"{value}"', value, posixpath.basename(value.replace("\\", "/")))
    if on_computer(value):
        state.report(line, on_computer_message(value, "images" if is_image else "files"), "E110")
        return ""
    scheme = _SCHEME.match(value.strip())
    if scheme and scheme.group(1).lower() == "data" and is_image:
        state.report(line, "ảnh được dán thẳng vào bài (địa chỉ data:…) không đăng được; hãy lưu ảnh thành tệp "
                     "trong thư mục images/ rồi chèn theo mẫu ![Mô tả ảnh](images/ten-anh.jpg)", "E112")
        return ""
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        state.report(line, f"liên kết '{_shown(value)}' dùng giao thức '{scheme.group(1)}:' không được phép nên đã "
                     "bị bỏ; chỉ dùng địa chỉ https://, mailto: hoặc tel:", "W109", WARNING)
        return ""
    if not is_local(value):
        return None
    marker = _MARKER.match(value.strip())
    what = marker.group("what") if marker else None
    if marker and what not in FILE_MARKERS + PAGE_MARKERS:
        state.report(line, foreign_link_message(value), "E107")
        return ""
    if what is None and not (value.lstrip("/").split("/")[0] in LINKABLE_FOLDERS or is_image):
        return None
    if "\x00" in value:
        state.report(line, f"đường dẫn '{_shown(value)}' có ký tự không hợp lệ; hãy viết ví dụ images/ten-anh.jpg", "E109")
        return ""
    try:
        path = normalise(value, state.path)
    except PathProblem as exc:
        state.report(line, str(exc), "E108")
        return ""
    folders = PAGE_FOLDERS if what in PAGE_MARKERS else LINKABLE_FOLDERS
    if path.split("/")[0] not in folders or (what in PAGE_MARKERS and not path.endswith(".md")):
        state.report(line, outside_folders_message(value, folders), "E111")
        return ""
    state.rendered.references.append(Reference(value, line, what in PAGE_MARKERS))
    link = f"{{filename}}/{path}" if what in PAGE_MARKERS else f"{STATIC_PREFIX}/{path}"
    return state.insert(escape(link, quote=True))


def _video(state: _Body, value: str, extension: str, alt: str, line: int) -> str:
    """A video written as a photo: played like the one a ``Video:`` names, or refused if browsers cannot."""
    if extension not in PLAYABLE_VIDEOS:
        state.report(line, f"video '{value}' (tệp {extension}) không phát được trên trình duyệt; hãy chuyển sang "
                     "MP4 (ví dụ bằng ứng dụng Photos, HandBrake hoặc trang chuyển đổi trực tuyến), đặt trong files/ "
                     "rồi khai báo 'Video: files/ten-video.mp4'", "E113")
        return state.insert(_missing(alt or "video"))
    kept = _address(state, value, False, line)
    if not kept:
        return state.insert(_missing(alt or "video"))
    state.report(line, f"video '{value}' được chèn như một ảnh nên đã được hiện thành trình phát video; "
                 "video chính của bài nên khai báo ở phần đầu tệp: 'Video: files/ten-video.mp4'", "W112", WARNING)
    link = state.inserted.pop(kept)
    label = f' aria-label="{escape(alt)}"' if alt.strip() else ""
    return state.insert(f'<video controls preload="metadata" playsinline{label}>'
                        f'<source src="{link}" type="{PLAYABLE_VIDEOS[extension]}">'
                        f'Trình duyệt của bạn không phát được video này. <a href="{link}">Tải video về máy</a>.'
                        "</video>")


def _missing(alt: str) -> str:
    """What readers see where a photo could not be published: nothing silently blank."""
    shown = f": {escape(alt)}" if alt.strip() else ""
    return f'<span class="body-missing">[Ảnh chưa đăng được{shown}]</span>'


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "…"


_PASTED = MappingProxyType({
    paste.PARAGRAPHS: ("W114", "các dòng liền nhau được tách thành {count} đoạn văn (dòng kết thúc bằng dấu câu, "
                               "dòng sau viết hoa được hiểu là đoạn mới); nên để một dòng trống giữa hai đoạn"),
    paste.BREAKS: ("W115", "xuống dòng giữa đoạn văn được giữ thành ngắt dòng; nếu là đoạn mới, hãy để một dòng "
                           "trống giữa hai đoạn"),
    paste.BULLETS: ("W116", "các dòng bắt đầu bằng '{marker}' được hiện thành danh sách; nên viết '- ' ở đầu mỗi "
                            "dòng và để một dòng trống trước danh sách"),
    paste.NUMBERS: ("W117", "các dòng bắt đầu bằng '{marker}' được hiện thành danh sách đánh số; nên viết '1. ', "
                            "'2. ' ở đầu mỗi dòng và để một dòng trống trước danh sách"),
    paste.LIST_AFTER_TEXT: ("W118", "danh sách viết ngay dưới đoạn văn đã được tách khỏi đoạn văn; nên để một dòng "
                                    "trống trước danh sách"),
})


def _report_pasted(state: _Body, notes: list[paste.Note]) -> None:
    for note in notes:
        code, message = _PASTED[note.kind]
        state.report(state.first_line + note.index, message.format(count=note.count, marker=note.marker),
                     code, WARNING)


def _report_subheadings(state: _Body, found: list[str]) -> None:
    for text in found:
        state.report(state.line_of(f"# {text}", text), f"tiêu đề '# {_shown(text)}' trong nội dung đã được hiện thành "
                     "tiêu đề phụ: tiêu đề bài là dòng 'Title'; hãy viết '## ' cho tiêu đề phụ", "W113", WARNING)


def _report_removals(state: _Body, found: list[Removal]) -> None:
    """One warning per element or group of attributes the sanitiser removes from the editor's HTML."""
    for removal in found:
        line = state.line_of(removal.needle, f"<{removal.tag}")
        if removal.attributes:
            _report_attributes(state, line, removal)
        elif removal.tag == "script":
            state.report(line, "thẻ <script> (mã chạy trên trình duyệt) đã bị bỏ cùng nội dung: website không chạy "
                         "mã do bài viết mang theo; hãy xóa đoạn mã này", "W101", WARNING)
        elif removal.tag == "style":
            state.report(line, "thẻ <style> (định dạng CSS) đã bị bỏ cùng nội dung: website tự định dạng bài; "
                         "hãy xóa đoạn này", "W102", WARNING)
        elif removal.tag == "iframe":
            host = removal.host or "không rõ địa chỉ"
            state.report(line, f"khung nhúng <iframe> từ '{host}' đã bị bỏ: website chỉ nhúng video YouTube và "
                         "Facebook; hãy thay bằng liên kết, ví dụ [Xem trên trang gốc](https://…)", "W103", WARNING)
        elif removal.tag in ("object", "embed", "applet", "video", "audio", "source", "track", "param"):
            state.report(line, f"nội dung nhúng <{removal.tag}> đã bị bỏ; tệp MP4 hãy đặt trong files/ và khai báo "
                         "'Video: files/ten-video.mp4', tệp khác hãy viết thành liên kết [Tải về](files/ten-tep.pdf)",
                         "W104", WARNING)
        else:
            state.report(line, f"thẻ <{removal.tag}> không dùng được trong bài nên đã bị bỏ (chữ bên trong vẫn giữ); "
                         "hãy định dạng bằng Markdown (## tiêu đề phụ, **chữ đậm**, - danh sách) hoặc xóa thẻ",
                         "W105", WARNING)


def _report_attributes(state: _Body, line: int, removal: Removal) -> None:
    names = ", ".join(removal.attributes)
    handlers = [a for a in removal.attributes if a.startswith("on")]
    if handlers:
        state.report(line, f"thẻ <{removal.tag}> có thuộc tính {names} (mã chạy khi bấm, khi tải…) đã bị bỏ: website "
                     "không chạy mã do bài viết mang theo; hãy xóa các thuộc tính này", "W106", WARNING)
    elif "style" in removal.attributes:
        state.report(line, f"thẻ <{removal.tag}> có thuộc tính {names} (định dạng riêng) đã bị bỏ: website tự định "
                     "dạng bài; muốn nhấn mạnh hãy dùng **chữ đậm**", "W107", WARNING)
    else:
        state.report(line, f"thẻ <{removal.tag}> có thuộc tính {names} không dùng được nên đã bị bỏ; thường do dán "
                     "từ Word hay trang web, hãy xóa các thuộc tính này", "W108", WARNING)


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


def too_complex(body: str) -> tuple[int, str, str] | None:
    """(line index, message, code) when the body is too large or nested too deep to render safely."""
    if len(body) > MAX_BODY_CHARS:
        first = next((i for i, line in enumerate(body.split("\n", 50)) if line.strip()), 0)
        return (first, f"nội dung bài quá dài (hơn {MAX_BODY_CHARS:,} ký tự); hãy chia thành nhiều bài".replace(",", "."),
                "E101")
    for index, line in enumerate(body.split("\n")):
        depth = _container_depth(line)
        if depth > MAX_NESTING:
            return index, (f"danh sách hoặc trích dẫn lồng nhau {depth} tầng (tối đa {MAX_NESTING}); "
                           "hãy viết đơn giản hơn"), "E102"
        run = _longest_run(line)
        if run > MAX_RUN:
            return index, f"dòng có {run} ký tự định dạng (*, _, [, ], ~, `) liên tiếp; hãy bỏ bớt", "E103"
        if line.count("[") > MAX_BRACKETS_PER_LINE:
            return index, f"dòng có hơn {MAX_BRACKETS_PER_LINE} dấu '['; hãy chia thành nhiều dòng", "E104"
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


def inline(text: str, path: str, line: int) -> tuple[str, list[Problem]]:
    """A one-line Markdown field (Summary, at ``line`` of ``path``) as safe HTML, and the problems in it.

    No intra-site link syntax survives in it (``seal``): a Summary links to
    nothing Pelican would copy.
    """
    refused = too_complex(text)
    if refused is not None:
        _, message, code = refused
        return f"<p>{escape(text)}</p>", [Problem(path, line, message, ERROR, code)]
    state = _Body(text, path, line, None)
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html",
                           extension_configs={k: dict(v) for k, v in EXTENSION_CONFIGS.items()})
    raw = _RawHtml(md, None)
    md.postprocessors.register(raw, "portal_raw_html", 35)
    try:
        html = sanitise(md.convert(text))
    except RecursionError:
        return f"<p>{escape(text)}</p>", [Problem(path, line, TOO_DEEP, ERROR, "E105")]
    _report_removals(state, raw.found)
    html = seal(html, lambda value: state.report(line, foreign_link_message(value), "E107"))
    return html, state.rendered.problems
