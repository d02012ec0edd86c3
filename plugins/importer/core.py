"""One old item as this portal's file: header, Markdown body, and notes on what could not come.

Pure: the file system is reached only through the ``locate`` callable the caller gives (it copies
an uploaded photo or document and says where it now is). Everything the conversion cannot carry
becomes a note in the body, at the place it was, and a ``Note`` in the order of the notes, so the
caller can report each one at its line.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable
from urllib.parse import SplitResult, urlsplit

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from plugins.contract import dates, embeds, schema
from plugins.contract.articles import alias_path
from plugins.contract.slugs import slugify

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
_ALIAS_SAFE = re.compile(r"^[A-Za-z0-9._~/-]+$")


@dataclass(frozen=True)
class Term:
    slug: str
    name: str


@dataclass(frozen=True)
class OldItem:
    """One post or page of the old site, as the export gives it."""

    kind: str                 # "post" or "page"
    id: str
    title: str
    link: str                 # its permalink, as the old site served it
    slug: str                 # WordPress's post_name, percent-decoded
    date: dt.datetime | None  # aware (from the GMT date) or naive (the site's local time)
    author: str               # the author's login (the mapping's key)
    author_name: str          # the name readers saw
    categories: tuple[Term, ...]
    tags: tuple[str, ...]
    status: str               # publish, draft, pending, private, future, trash
    excerpt: str
    html: str
    line: int                 # the item's line in the export
    thumbnail: str = ""       # the featured image's URL
    thumbnail_alt: str = ""
    password: bool = False    # readable only with a password on the old site
    sticky: bool = False      # kept at the top of the old home page


@dataclass(frozen=True)
class Skipped:
    """An item of the export that is neither a post nor a page (an event, a product…): told, not imported."""

    line: int
    title: str
    kind: str


@dataclass(frozen=True)
class OldSite:
    items: tuple[OldItem, ...]
    authors: tuple[Term, ...]     # login, display name
    categories: tuple[Term, ...]  # slug, name
    link: str = ""                # the old site's address (the channel's <link>)
    skipped: tuple[Skipped, ...] = ()
    comments: int = 0             # readers' comments, which the portal does not have


@dataclass(frozen=True)
class Folders:
    """Where articles and pages go in the content folder (the site's ARTICLE_PATHS and PAGE_PATHS)."""

    articles: str = "articles"
    pages: str = "pages"


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


class _Converter(MarkdownConverter):
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
    converter = _Converter()
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


def local_date(date: dt.datetime) -> str:
    """``dd/mm/yyyy HH:MM`` in the site's time (an aware date is converted; a naive one is local already)."""
    local = date.astimezone(dates.SITE_TZ) if date.tzinfo else date
    return f"{local:%d/%m/%Y %H:%M}"


def local_day(date: dt.datetime) -> dt.datetime:
    return date.astimezone(dates.SITE_TZ) if date.tzinfo else date


def unique_slug(wanted: str, taken: set[str], fallback: str) -> str:
    """The portal's slug for ``wanted``, with -2, -3… when another item has it; added to ``taken``."""
    base = slugify(wanted) or slugify(fallback) or "bai-viet"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


@dataclass(frozen=True)
class OldAddress:
    """An old URL: the alias to write (``/2023/05/x/``), or the note saying why it cannot redirect."""

    alias: str = ""
    note: Note | None = None


def old_address(link: str) -> OldAddress:
    parts = split_url(link)
    if parts.query:
        shown = parts.path + "?" + parts.query
        return OldAddress(note=Note("W807", f"địa chỉ cũ '{shown}' có chuỗi truy vấn (sau dấu ?), website tĩnh không "
                                            "chuyển hướng được địa chỉ này; nếu cần, cấu hình máy chủ web chuyển "
                                            "hướng nó sang địa chỉ mới"))
    if parts.path in ("", "/"):
        return OldAddress()
    if not _ALIAS_SAFE.match(parts.path) or alias_path(parts.path) is None:
        return OldAddress(note=Note("W808", f"địa chỉ cũ '{parts.path}' có ký tự ngoài chữ không dấu, số, '-', '/' "
                                            "nên không tạo được trang chuyển hướng; nếu cần, cấu hình máy chủ web "
                                            "chuyển hướng nó sang địa chỉ mới"))
    return OldAddress(alias=parts.path)


def summary_of(excerpt: str, first_paragraph: str, limit: int) -> str:
    """The summary as the header's inline Markdown: the excerpt's words, or the first paragraph's."""
    text = " ".join(BeautifulSoup(excerpt, "html.parser").get_text(" ").split()) if excerpt.strip() else first_paragraph
    return _Converter().escape(_cut(" ".join(text.split()), limit), set())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def one_line(value: str) -> str:
    """A header value on one line, as the reader takes it."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def file_text(header: list[tuple[schema.Key, str]], body: str) -> str:
    """The file: ``Key: value`` lines in the given order (empty ones left out), a blank line, the body."""
    lines = [f"{key.name}: {value}" for key, value in header if value]
    return "\n".join(lines) + "\n\n" + body


@dataclass(frozen=True)
class ItemFile:
    rel: str
    text: str
    notes: tuple[Note, ...]   # in the order of their lines in ``text``


def item_file(item: OldItem, slug: str, unit: str, section: str, locate: Locate, addresses: set[str],
              folders: Folders, quote_chars: int, summary_chars: int, site: str = "") -> ItemFile:
    """The file of one old item: where it goes, its text, and the notes written in it.

    ``addresses`` are the paths other files answer already: an old address among them is not taken."""
    title = one_line(item.title) or slug
    body = convert_body(item.html, locate, title, quote_chars, site)
    notes = list(body.notes)
    extra: list[Note] = []
    address = old_address(item.link)
    if address.alias and address.alias in addresses:
        address = OldAddress(note=Note("W817", f"địa chỉ cũ '{address.alias}' đã là địa chỉ của một bài hoặc trang "
                                               "có sẵn trên website nên không chuyển hướng sang bài này; nếu cần, "
                                               "đặt một địa chỉ cũ khác trong 'Aliases'"))
    if address.note is not None:
        extra.append(address.note)
    summary = summary_of(item.excerpt, body.first_paragraph, summary_chars)
    status = "published" if item.status in ("publish", "future") and not item.password else "draft"
    if item.password:
        extra.append(Note("W822", "bài này có mật khẩu trên website cũ nên được nhập thành bản nháp; hãy xem lại "
                                  "nội dung có được công khai không trước khi sửa Status thành published"))
    if item.kind == "page":
        if address.alias and address.alias.strip("/") != slug:
            extra.append(Note("W815", f"địa chỉ cũ '{address.alias}' của trang này khác địa chỉ mới '/{slug}/' và "
                                      "trang (không phải tin bài) không có địa chỉ cũ để chuyển hướng; nếu cần, cấu "
                                      "hình máy chủ web chuyển hướng địa chỉ đó"))
        header = [(schema.TITLE, title), (schema.SLUG, slug), (schema.SUMMARY, summary), (schema.STATUS, status)]
        rel = f"{folders.pages}/{slug}.md"
    else:
        image = locate(item.thumbnail, "photo") if item.thumbnail else Located()
        if image.note is not None:
            extra.append(image.note)
        day = local_day(item.date)
        aliases = [address.alias] if address.alias and address.alias.strip("/") != f"{day:%Y/%m}/{slug}" else []
        header = [
            (schema.TITLE, title), (schema.DATE, local_date(item.date)), (schema.UNIT, unit), (schema.SLUG, slug),
            (schema.CATEGORY, section),
            (schema.TAGS, ", ".join(one_line(t).replace(",", " ") for t in item.tags if t.strip())),
            (schema.TYPE, "tin"), (schema.AUTHOR, one_line(item.author_name)),
            (schema.IMAGE, image.path),
            (schema.IMAGE_ALT, one_line(item.thumbnail_alt or title) if image.path else ""),
            (schema.SUMMARY, summary), (schema.FEATURED, "yes" if item.sticky else ""),
            (schema.ALIASES, ", ".join(aliases)), (schema.STATUS, status)]
        rel = f"{folders.articles}/{day:%Y}/{day:%Y-%m-%d}-{slug}.md"
    markdown = body.markdown
    if extra:
        markdown += "\n" + "\n\n".join(note_block(n, quote_chars) for n in extra) + "\n"
    notes += extra
    return ItemFile(rel, file_text(header, markdown), tuple(notes))
