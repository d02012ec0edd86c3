"""An old item's HTML as this portal's Markdown, with a note wherever something could not come.

Pure: the file system is reached only through the ``locate`` callable the caller gives (it copies
an uploaded photo or document and says where it now is). Whatever cannot be carried (a frame, a
shortcode, a script, a missing photo) is replaced by a placeholder word while markdownify runs, then
by a visible note at that place; ``Body.notes`` lists them in the order of their lines.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable
from urllib.parse import SplitResult, urlsplit

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from plugins.contract import embeds

from .settings import PHOTO_EXTENSIONS

NOTE_LABEL = "**Ghi chú khi nhập:**"


NOTE_START = f"> {NOTE_LABEL}"


# WordPress shortcodes: an enclosing one ([x]…[/x]) first, then a lone one.
_ENCLOSING = re.compile(r"\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>\s[^\]]*)?\](?P<inner>.*?)\[/(?P=name)\]", re.S)


_SHORTCODE = re.compile(r"\[(?P<name>[a-z][a-z0-9_-]*)(?:\s[^\]\[]*)?/?\]")


_UNCARRIED_TAGS = ("script", "style", "form", "iframe", "object", "embed", "applet")


UPLOADS_MARK = "wp-content/uploads/"


_LINE_MARKS = re.compile(r"(^|\s)(#|>)")


# Markdown's link, image and code marks, escaped in text so the old text cannot make a link or an image.
_TEXT_MARKS = re.compile(r"([\[\]`])")


_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]()#!])")


@dataclass(frozen=True)
class Note:
    """Something the import could not carry: its code, what and why, and the original text."""

    code: str
    message: str
    original: str = ""


@dataclass(frozen=True)
class Located:
    """Where an uploaded file is now (``images/…``, ``files/…``), or the note saying why it is not."""

    path: str = ""
    note: Note | None = None


# (url as written, "photo" or "file") -> Located
Locate = Callable[[str, str], Located]


@dataclass(frozen=True)
class Body:
    markdown: str
    notes: tuple[Note, ...]
    first_paragraph: str


def uploads_path(url: str, site: str = "") -> str | None:
    """The path under the uploads folder an address of the old site ``site`` points to (``2023/05/a.jpg``),
    or None (another site's address, or not an upload)."""
    parts = split_url(url)
    if parts.netloc and site and _host(parts.netloc) != _host(split_url(site).netloc or site):
        return None
    path = parts.path
    marker = path.find(UPLOADS_MARK)
    if marker < 0:
        return None
    return path[marker + len(UPLOADS_MARK):]


def split_url(url: str) -> SplitResult:
    """``urlsplit`` that takes any text: an address it cannot read (``http://[::1``) is a bare path."""
    try:
        return urlsplit(url.strip())
    except ValueError:
        return SplitResult("", "", url.strip(), "", "")


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


class Converter(MarkdownConverter):
    """markdownify with ATX headings and '-' bullets, as the editors' guide writes them.

    Text stays text: markdownify turns ``&lt;script&gt;`` back into ``<script>``, which Markdown
    would take as HTML, so '&' and '<' are written as entities; '[', ']' and '`' (a link, an image,
    code) and a '#' or '>' that could start a heading or a quote are escaped."""

    def __init__(self, **options):
        super().__init__(heading_style="ATX", bullets="-", strip=["span", "font", "u"], **options)

    def convert_h1(self, el, text, parent_tags):
        # The article's title is the page's only first-level heading.
        return self.convert_hN(2, el, text, parent_tags)

    def convert_br(self, el, text, parent_tags):
        # The portal's own line break inside a paragraph (a bare new line would be told as W115).
        return "<br>" if "pre" not in parent_tags else "\n"

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags).replace("&", "&amp;").replace("<", "&lt;")
        return _LINE_MARKS.sub(r"\1\\\2", _TEXT_MARKS.sub(r"\\\1", text))


def convert_body(source: str, locate: Locate, fallback_alt: str, quote_chars: int, site: str = "") -> Body:
    """Markdown of an old item's HTML, with a note wherever something could not come."""
    # What each placeholder stands for: the text put back, and its note (None for a kept video).
    marks: list[tuple[str, Note | None]] = []
    # A placeholder word the old text does not hold, so its own text is never taken for one.
    prefix = "IMPORTMARK"
    while prefix in source:
        prefix += "X"
    token = re.compile(prefix + r"(\d+)END")

    def mark(replacement: str, note: Note | None = None) -> str:
        marks.append((replacement if note is None else note_block(note, quote_chars), note))
        return f" {prefix}{len(marks) - 1}END "

    def shortcode(match: re.Match) -> str:
        name = match.group("name")
        if name == "gallery":
            return mark("", Note("W802", "thư viện ảnh [gallery] của WordPress không mang sang được; hãy chèn từng "
                                         "ảnh của thư viện vào bài như một ảnh thường", match.group(0)))
        return mark("", Note("W803", f"mã ngắn [{name}] của WordPress không mang sang được; hãy viết lại phần này "
                                     "bằng chữ, ảnh hoặc liên kết", match.group(0)))

    text = _ENCLOSING.sub(shortcode, source)
    text = _SHORTCODE.sub(shortcode, text)
    soup = BeautifulSoup(text, "html.parser")
    while (tag := soup.find(_UNCARRIED_TAGS)) is not None:
        tag.replace_with(NavigableString(mark(*_uncarried(tag))))
    for link in soup.find_all("a"):
        image = link.find("img")
        if image is not None and _is_photo(link.get("href", "")) and not link.get_text(strip=True):
            link.unwrap()
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        image = figure.find("img")
        if caption is not None and image is not None:
            image["title"] = " ".join(caption.get_text(" ").split())
            caption.decompose()
    for image in soup.find_all("img"):
        found = locate(image.get("src", ""), "photo")
        if found.note is not None:
            image.replace_with(NavigableString(mark("", found.note)))
            continue
        alt = " ".join((image.get("alt") or image.get("title") or fallback_alt).split())
        title = image.get("title", "")
        image.attrs = {"src": found.path, "alt": alt, **({"title": title} if title else {})}
    for link in soup.find_all("a"):
        href = link.get("href", "")
        if uploads_path(href, site) is None:
            continue
        found = locate(href, "photo" if _is_photo(href) else "file")
        if found.note is not None:
            link.insert_after(NavigableString(mark("", found.note)))
            link.unwrap()
        else:
            link.attrs = {"href": found.path}
    _join_lines(soup)
    first = next((p.get_text(" ") for p in soup.find_all("p") if p.get_text(strip=True)), soup.get_text(" "))
    converter = Converter()
    try:
        markdown = converter.convert_soup(soup)
    except RecursionError:
        # Tags nested thousands deep (a broken editor or a hostile file): the words are kept, as paragraphs.
        deep = Note("W823", "nội dung của bài lồng quá nhiều thẻ HTML vào nhau nên chỉ giữ được chữ, không giữ được "
                            "định dạng, ảnh và liên kết; hãy xem lại bài với bài trên website cũ")
        paragraphs = (converter.escape(" ".join(line.split()), set()) for line in soup.get_text("\n").split("\n"))
        markdown = f"{prefix}{len(marks)}END\n\n" + "\n\n".join(p for p in paragraphs if p)
        marks.append((note_block(deep, quote_chars), deep))
    notes: list[Note] = []
    used: set[int] = set()

    def put_back(match: re.Match) -> str:
        index = int(match.group(1))
        text, note = marks[index]
        used.add(index)
        if note is not None:
            notes.append(note)
        return f"\n\n{text}\n\n"

    markdown = token.sub(put_back, markdown)
    # A placeholder the HTML parser swallowed (a shortcode written inside a tag): its note goes at the end.
    lost = [note for index, (_, note) in enumerate(marks) if note is not None and index not in used]
    if lost:
        markdown += "\n\n" + "\n\n".join(note_block(note, quote_chars) for note in lost)
        notes += lost
    return Body(tidy(markdown), tuple(notes), " ".join(token.sub("", first).split()))


def _join_lines(soup: BeautifulSoup) -> None:
    """A new line in HTML text is a space (outside <pre>); in Markdown it would be a line break."""
    for text in soup.find_all(string=lambda t: "\n" in t and type(t) is NavigableString):
        if text.find_parent(("pre", "code", "textarea")) is None:
            text.replace_with(NavigableString(text.replace("\n", " ")))


def _uncarried(tag) -> tuple[str, Note | None]:
    original = str(tag)
    if tag.name == "iframe":
        src = tag.get("src", "")
        if embeds.recognise(src) is not None:
            return f'<iframe src="{html.escape(src, quote=True)}"></iframe>', None
        host = embeds.host_of(src) or "không rõ"
        return "", Note("W801", f"khung nhúng <iframe> từ '{host}' không mang sang được: website chỉ nhúng video "
                                "YouTube và Facebook; hãy thay bằng một liên kết tới nội dung đó", original)
    if tag.name in ("script", "style"):
        return "", Note("W804", f"mã <{tag.name}> không mang sang được: website không chạy mã nằm trong bài; nếu "
                                "đó là một nội dung cần giữ, hãy thay bằng chữ, ảnh hoặc liên kết", original)
    if tag.name == "form":
        return "", Note("W805", "biểu mẫu <form> không mang sang được: website tĩnh không nhận dữ liệu gửi lên; hãy "
                                "thay bằng liên kết tới biểu mẫu trực tuyến hoặc số điện thoại, địa chỉ thư", original)
    return "", Note("W806", f"nội dung nhúng <{tag.name}> (Flash, trình cắm) không mang sang được; hãy thay bằng "
                            "liên kết, ảnh hoặc video YouTube", original)


def _is_photo(url: str) -> bool:
    return split_url(url).path.rsplit(".", 1)[-1].lower() in PHOTO_EXTENSIONS


def note_block(note: Note, quote_chars: int) -> str:
    """The visible note: a blockquote with the message (Markdown's characters escaped, since it names
    what the old site wrote) and the original text as inline code."""
    message = _MARKDOWN_CHARS.sub(r"\\\1", html.escape(note.message, quote=False))
    quoted = " ".join(note.original.split())
    if len(quoted) > quote_chars:
        quoted = quoted[:quote_chars].rstrip() + "…"
    if not quoted:
        return f"{NOTE_START} {message}."
    fence = "`" * (max((len(r) for r in re.findall(r"`+", quoted)), default=0) + 1)
    return f"{NOTE_START} {message}. Nội dung gốc: {fence} {quoted} {fence}"


def tidy(markdown: str) -> str:
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", markdown).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def note_lines(text: str) -> list[int]:
    """The line of each note in a written file, in order."""
    return [number for number, line in enumerate(text.split("\n"), 1) if line.startswith(NOTE_START)]
