"""One old item as this portal's file: its records, header, slug and old address (pure).

The body's conversion is ``body.py``; what could not be carried comes back as notes, which the
caller reports at their lines.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bs4 import BeautifulSoup

from plugins.contract import dates, schema
from plugins.contract.header import file_text
from plugins.contract.articles import alias_path
from plugins.contract.rules import reserved_by_site
from plugins.urls import RESERVED_PAGE_SLUGS
from plugins.contract.slugs import slugify

from .body import Converter, Locate, Located, Note, convert_body, note_block, split_url

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


def local_day(date: dt.datetime) -> dt.datetime:
    return date.astimezone(dates.SITE_TZ) if date.tzinfo else date


def unique_slug(wanted: str, taken: set[str], fallback: str, page: bool = False) -> str:
    """The portal's slug for ``wanted``, with -2, -3… when another item has it (or, for a page, when the
    site has a section there: /the/, /tim-kiem/…); added to ``taken``."""
    base = slugify(wanted) or slugify(fallback) or "bai-viet"
    slug, number = base, 1
    while slug in taken or page and slug in RESERVED_PAGE_SLUGS:
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
    return Converter().escape(_cut(" ".join(text.split()), limit), set())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def one_line(value: str) -> str:
    """A header value on one line, as the reader takes it."""
    return " ".join(unicodedata.normalize("NFC", value).split())


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
    if address.alias and (address.alias in addresses or reserved_by_site(alias_path(address.alias) or "")):
        address = OldAddress(note=Note("W817", f"địa chỉ cũ '{address.alias}' đã là địa chỉ của một bài, một trang hay "
                                               "một mục có sẵn trên website nên không chuyển hướng sang "
                                               f"{'trang' if item.kind == 'page' else 'bài'} này; nếu cần, đặt một địa "
                                               "chỉ cũ khác trong 'Aliases'"))
    if address.note is not None:
        extra.append(address.note)
    summary = summary_of(item.excerpt, body.first_paragraph, summary_chars)
    status = "published" if item.status in ("publish", "future") and not item.password else "draft"
    if item.password:
        extra.append(Note("W822", "bài này có mật khẩu trên website cũ nên được nhập thành bản nháp; hãy xem lại "
                                  "nội dung có được công khai không trước khi sửa Status thành published"))
    if item.kind == "page":
        alias = address.alias if address.alias and address.alias.strip("/") != slug else ""
        header = [(schema.TITLE, title), (schema.SLUG, slug), (schema.SUMMARY, summary), (schema.ALIASES, alias),
                  (schema.STATUS, status)]
        rel = f"{folders.pages}/{slug}.md"
    else:
        image = locate(item.thumbnail, "photo") if item.thumbnail else Located()
        if image.note is not None:
            extra.append(image.note)
        day = local_day(item.date)
        aliases = [address.alias] if address.alias and address.alias.strip("/") != f"{day:%Y/%m}/{slug}" else []
        header = [
            (schema.TITLE, title), (schema.DATE, dates.header_date(item.date)), (schema.UNIT, unit), (schema.SLUG, slug),
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
