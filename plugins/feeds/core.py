"""The one feed writer: RSS 2.0 and Atom from plain records, with feedgen.

Dates come only from the items, never from the clock, so the same content
always gives the same bytes. Every text a record holds is XML-safe by
construction (:func:`xml_safe`): a stray control character in an article or a
registry drops out silently instead of stopping the build in lxml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from urllib.parse import quote, urljoin, urlsplit

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

ATOM_NS = "{http://www.w3.org/2005/Atom}"

# What XML 1.0 does not allow and lxml refuses: C0 controls but tab, newline
# and carriage return; surrogates (only lone ones can be in a str); U+FFFE, U+FFFF.
# Also DEL and the C1 controls, which XML 1.0 discourages: feed readers take
# them for Windows-1252 (U+0085 shows as "…"), and they never belong in text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot (or should not) hold."""
    return _NOT_XML.sub("", text)


class _XmlSafe:
    """A frozen record whose text fields (and tuples of texts) are made XML-safe when it is built."""

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, xml_safe(value))
            elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                object.__setattr__(self, f.name, tuple(xml_safe(v) for v in value))


@dataclass(frozen=True)
class Enclosure(_XmlSafe):
    url: str
    length: int
    mime: str


@dataclass(frozen=True)
class FeedItem(_XmlSafe):
    guid: str
    title: str
    link: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    categories: tuple[str, ...]
    summary_html: str
    content_html: str
    image: Enclosure | None = None


@dataclass(frozen=True)
class Channel(_XmlSafe):
    title: str
    description: str
    page_url: str
    rss_url: str
    atom_url: str
    fallback_updated: dt.datetime
    language: str = "vi"


class _AtomEntry(FeedEntry):
    """feedgen 1.0.0 drops ``rel``, ``type`` and ``length`` of Atom entry links
    (it reads them from the new XML element instead of the link data); put them back."""

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions)
        elements = [e for e in entry if e.tag in ("link", f"{ATOM_NS}link")]
        for element, data in zip(elements, self.link() or [], strict=True):
            for key in ("rel", "type", "length", "title", "hreflang"):
                if data.get(key):
                    element.set(key, str(data[key]))
        return entry


def render_rss(channel: Channel, items: list[FeedItem]) -> bytes:
    fg = _channel(channel, items, channel.rss_url)
    fg.load_extension("dc")
    for item in reversed(items):
        entry = _entry(fg.add_entry(), item)
        entry.guid(item.guid, permalink=False)
        entry.description(item.summary_html)
        entry.content(item.content_html)
        if item.author:
            entry.dc.dc_creator(item.author)
    return fg.rss_str(pretty=True)


def render_atom(channel: Channel, items: list[FeedItem]) -> bytes:
    fg = _channel(channel, items, channel.atom_url)
    for item in reversed(items):
        entry = _entry(fg.add_entry(_AtomEntry()), item)
        entry.summary(item.summary_html, type="html")
        entry.content(item.content_html, type="html")
        if item.author:
            entry.author(name=item.author)
    return fg.atom_str(pretty=True)


def _channel(channel: Channel, items: list[FeedItem], self_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    updated = max((i.updated for i in items), default=channel.fallback_updated)
    fg.id(channel.page_url)
    fg.title(channel.title)
    fg.subtitle(channel.description)
    fg.language(channel.language)
    fg.link(href=self_url, rel="self")
    fg.link(href=channel.page_url, rel="alternate")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return fg


def _entry(entry: FeedEntry, item: FeedItem) -> FeedEntry:
    entry.id(item.guid)
    entry.title(item.title)
    entry.link(href=item.link, rel="alternate", type="text/html")
    entry.published(item.published)
    entry.updated(item.updated)
    for category in item.categories:
        entry.category(term=category)
    if item.image:
        image = item.image
        entry.enclosure(image.url, str(image.length), image.mime)
        entry.media.content(url=image.url, fileSize=str(image.length), type=image.mime, medium="image")
    return entry


_LINK_ATTR = re.compile(r'(\s(?:src|href|poster)=")([^"]*)(")')
_PICTURE = re.compile(r"<picture>.*?(<img\b[^>]*>)</picture>", re.S)
_RESPONSIVE_ATTR = re.compile(r'\s(?:srcset|sizes|loading|decoding|fetchpriority)="[^"]*"')


def plain_images(html: str) -> str:
    """Each ``<picture>`` as its plain ``<img>``: feed readers show one file and drop the rest."""
    return _PICTURE.sub(lambda m: _RESPONSIVE_ATTR.sub("", m.group(1)), html)


def absolutize(html: str, base: str) -> str:
    """Every relative or root-relative ``src``/``href`` made absolute against ``base``."""
    return _LINK_ATTR.sub(lambda m: f"{m.group(1)}{urljoin(base, m.group(2))}{m.group(3)}", html)


def tag_uri(siteurl: str, day: dt.date, source_path: str) -> str:
    """A ``tag:`` URI (RFC 4151) that survives edits to an item's title and URL."""
    host = urlsplit(siteurl).hostname or "localhost"
    return f"tag:{host},{day:%Y-%m-%d}:{quote(source_path)}"
