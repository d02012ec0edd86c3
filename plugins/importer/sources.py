"""The old website's items, read from a WordPress export (WXR) or an RSS 2.0 feed.

The file comes from outside and may be made to hurt: it is parsed by lxml with
entities left unresolved, no DTD loaded and no network, and a file that declares
entities at all (an entity bomb, an external entity) is refused outright.
WordPress keeps paragraphs as blank lines, so a post's HTML goes through
Pelican's own ``decode_wp_content`` (WordPress's autop) first.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import unquote

from lxml import etree
from pelican.tools.pelican_import import decode_wp_content

from plugins.contract.problems import Problem
from plugins.contract.slugs import slugify

from .core import OldItem, OldSite, Skipped, Term, split_url

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# WXR 1.0 and 1.1 use their own namespace for the same elements.
WP_NAMESPACES = ("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/",
                 "http://wordpress.org/export/1.0/")
IMPORTED_TYPES = ("post", "page")
# WordPress's own records, not content anyone wrote as an item: skipped without a word.
INTERNAL_TYPES = frozenset({"attachment", "nav_menu_item", "revision", "customize_changeset", "custom_css",
                            "oembed_cache", "user_request", "wp_global_styles", "wp_navigation", "wp_template",
                            "wp_template_part", "wp_font_family", "wp_font_face"})


class SourceError(Exception):
    """The export cannot be read; carries the problem at its file and line."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def parse_xml(data: bytes, label: str) -> etree._Element:
    """The document's root, or SourceError; entities are never expanded and nothing is fetched.

    WordPress and feeds never write a DOCTYPE, so any document type is refused: that is where an
    entity bomb or an external entity would be declared."""
    doctype = data[:65536].upper().find(b"<!DOCTYPE")
    if doctype >= 0:
        raise SourceError(_declared(label, data.count(b"\n", 0, doctype) + 1))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        where = f"cột {exc.position[1]}" if exc.position and exc.position[1] else "cuối tệp"
        raise SourceError(Problem(label, exc.lineno or 1, f"tệp xuất không đọc được như XML (sai ở {where}); hãy "
                                                          "xuất lại tệp từ website cũ và không sửa tay",
                                  code="E801")) from None
    if root.getroottree().docinfo.doctype:
        raise SourceError(_declared(label, 1))
    return root


def _declared(label: str, line: int) -> Problem:
    return Problem(label, line, "tệp xuất có khai báo <!DOCTYPE> (nơi khai báo thực thể XML), điều mà WordPress và RSS "
                             "không bao giờ ghi; tệp không được đọc. Hãy xuất lại tệp từ website cũ", code="E802")


def _text(element, path: str, namespaces: dict | None = None) -> str:
    found = element.find(path, namespaces)
    return nfc("".join(found.itertext())) if found is not None else ""


def _wp_date(text: str) -> dt.datetime | None:
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def read_wordpress(data: bytes, label: str) -> OldSite:
    """Posts and pages of a WordPress export, with its authors and categories."""
    root = parse_xml(data, label)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise SourceError(Problem(label, 1, "tệp này không phải tệp xuất của WordPress (WXR); trong trang quản trị "
                                            "WordPress chọn Công cụ → Xuất → Tất cả nội dung", code="E803"))
    ns = next((n for n in WP_NAMESPACES if f"{{{n}}}" in _tags(channel)), WP_NAMESPACES[0])
    wp = f"{{{ns}}}"
    authors = tuple(Term(_text(a, f"{wp}author_login"), _text(a, f"{wp}author_display_name"))
                    for a in channel.findall(f"{wp}author"))
    categories = tuple(Term(_text(c, f"{wp}category_nicename"), _text(c, f"{wp}cat_name"))
                       for c in channel.findall(f"{wp}category"))
    names = {a.slug: a.name for a in authors}
    attachments = {}
    for item in channel.findall("item"):
        if _text(item, f"{wp}post_type") == "attachment":
            meta = _meta(item, wp)
            attachments[_text(item, f"{wp}post_id")] = (_text(item, f"{wp}attachment_url"),
                                                        meta.get("_wp_attachment_image_alt", ""))
    items, skipped, comments = [], [], 0
    for item in channel.findall("item"):
        kind = _text(item, f"{wp}post_type")
        if kind not in IMPORTED_TYPES:
            if kind not in INTERNAL_TYPES and _text(item, f"{wp}status") != "trash":
                skipped.append(Skipped(item.sourceline or 1, " ".join(_text(item, "title").split()), kind))
            continue
        comments += len(item.findall(f"{wp}comment"))
        meta = _meta(item, wp)
        gmt = _wp_date(_text(item, f"{wp}post_date_gmt"))
        date = gmt.replace(tzinfo=dt.timezone.utc) if gmt else _wp_date(_text(item, f"{wp}post_date"))
        login = _text(item, f"{DC}creator")
        thumbnail, alt = attachments.get(meta.get("_thumbnail_id", ""), ("", ""))
        items.append(OldItem(
            kind=kind, id=_text(item, f"{wp}post_id"), title=" ".join(_text(item, "title").split()),
            link=_text(item, "link"), slug=nfc(unquote(_text(item, f"{wp}post_name"))), date=date,
            author=login, author_name=names.get(login) or login,
            categories=tuple(Term(nfc(c.get("nicename")), nfc("".join(c.itertext())))
                             for c in item.findall("category") if c.get("domain") == "category"),
            tags=tuple(nfc("".join(c.itertext())) for c in item.findall("category") if c.get("domain") == "post_tag"),
            status=_text(item, f"{wp}status") or "publish",
            excerpt=_text(item, f"{EXCERPT}encoded"),
            html=nfc(decode_wp_content(_text(item, f"{CONTENT}encoded"))),
            line=item.sourceline or 1, thumbnail=thumbnail, thumbnail_alt=alt,
            password=bool(_text(item, f"{wp}post_password")), sticky=_text(item, f"{wp}is_sticky") == "1"))
    return OldSite(tuple(items), authors, categories, _text(channel, "link"), tuple(skipped), comments)


def _tags(element) -> str:
    return " ".join(str(child.tag) for child in element)


def _meta(item, wp: str) -> dict[str, str]:
    return {_text(m, f"{wp}meta_key"): _text(m, f"{wp}meta_value") for m in item.findall(f"{wp}postmeta")}


def read_rss(data: bytes, label: str) -> OldSite:
    """The items of an RSS 2.0 feed: all published posts, authors by name, categories by name."""
    root = parse_xml(data, label)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise SourceError(Problem(label, 1, "tệp này không phải nguồn tin RSS 2.0 (phải bắt đầu bằng <rss> và có "
                                            "<channel>); hãy lưu lại địa chỉ RSS của website cũ thành tệp",
                                  code="E804"))
    items, authors, categories = [], {}, {}
    for item in channel.findall("item"):
        author = _text(item, f"{DC}creator") or _text(item, "author")
        terms = tuple(Term(_name_slug(n), n) for n in (nfc("".join(c.itertext())).strip()
                                                      for c in item.findall("category")) if n)
        for term in terms:
            categories.setdefault(term.slug, term)
        if author:
            authors.setdefault(_name_slug(author), Term(_name_slug(author), author))
        link = _text(item, "link") or _text(item, "guid")
        html = _text(item, f"{CONTENT}encoded") or _text(item, "description")
        items.append(OldItem(
            kind="post", id=_text(item, "guid") or link, title=" ".join(_text(item, "title").split()), link=link,
            slug=_feed_slug(link),
            date=_rss_date(_text(item, "pubDate")), author=_name_slug(author) if author else "", author_name=author,
            categories=terms, tags=(), status="publish",
            excerpt=_text(item, "description") if _text(item, f"{CONTENT}encoded") else "",
            html=html, line=item.sourceline or 1))
    return OldSite(tuple(items), tuple(authors.values()), tuple(categories.values()), _text(channel, "link"))


def _rss_date(text: str) -> dt.datetime | None:
    try:
        date = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return date if date.tzinfo else date.replace(tzinfo=dt.timezone.utc)


def _name_slug(name: str) -> str:
    return slugify(name) or "khong-ten"


def _feed_slug(link: str) -> str:
    """The last part of an item's address (``trao-qua.html`` → ``trao-qua``); none for ``index.php?id=7``,
    whose title then gives the slug."""
    parts = split_url(link)
    name = unquote(PurePosixPath(parts.path).name).rsplit(".", 1)[0]
    return "" if parts.query or name.lower() in ("", "index", "default") else nfc(name)
