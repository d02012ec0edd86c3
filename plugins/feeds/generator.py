"""Pelican generator writing every feed (site, units, sections, campaigns)
through the one feed writer, and the /rss/ page that lists them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pelican.generators import Generator

from plugins import urls
from plugins.contract.dates import format_vi_date
from plugins.output import write_output
from plugins.requires import attribute
from plugins.taxonomies.taxonomy import taxonomy

from . import core
from .settings import load

EMPTY_SITE_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class FeedLink:
    """One feed as the /rss/ page and <head> show it; URLs are site-relative."""

    title: str
    page_url: str
    description: str
    items: list = field(repr=False, default_factory=list)
    children: list[FeedLink] = field(default_factory=list)

    @property
    def rss_url(self) -> str:
        return urls.rss(self.page_url)

    @property
    def atom_url(self) -> str:
        return urls.atom(self.page_url)


@dataclass
class FeedDirectory:
    site: FeedLink
    sections: list[FeedLink]
    units: list[FeedLink]
    campaigns: list[FeedLink]
    max_items: int

    def all(self):
        stack = [self.site, *self.sections, *self.units, *self.campaigns]
        while stack:
            feed = stack.pop(0)
            yield feed
            stack[:0] = feed.children


class FeedsGenerator(Generator):
    def generate_context(self):
        self.options = load(self.settings)
        self.site = urls.base_of(self.settings)
        self._items: dict[int, core.FeedItem] = {}
        self.context["feed_directory"] = self._directory()

    def _directory(self) -> FeedDirectory:
        portal, name = taxonomy(self.context, __name__), self.settings["SITENAME"]

        def unit_feed(node) -> FeedLink:
            unit = node.unit
            return FeedLink(unit.name, unit.url, f"Tin bài của {unit.name} và các đơn vị trực thuộc.",
                            portal.by_unit[unit], [unit_feed(c) for c in node.children])

        return FeedDirectory(
            site=FeedLink(name, urls.HOME, self.settings.get("SITE_DESCRIPTION") or name, self.context["articles"]),
            sections=[FeedLink(s.name, s.url, f"Chuyên mục {s.name}.", portal.by_section[s]) for s in portal.sections],
            units=[unit_feed(n) for n in portal.unit_tree],
            campaigns=[FeedLink(c.name, c.url, f"Tin bài chiến dịch {c.name} ({format_vi_date(c.start)} – {format_vi_date(c.end)}).",
                                portal.by_campaign[c]) for c in portal.campaigns],
            max_items=self.options.max_items,
        )

    def generate_output(self, writer):
        directory = self.context["feed_directory"]
        newest = self._item(directory.site.items[0]).updated if directory.site.items else EMPTY_SITE_DATE
        name = self.settings["SITENAME"]
        for feed in directory.all():
            title = feed.title if feed is directory.site else f"{feed.title} – {name}"
            channel = core.Channel(title, feed.description, self.site + feed.page_url,
                                   self.site + feed.rss_url, self.site + feed.atom_url, newest)
            items = [self._item(a) for a in feed.items[: self.options.max_items]]
            write_output(self.output_path, feed.rss_url, core.render_rss(channel, items))
            write_output(self.output_path, feed.atom_url, core.render_atom(channel, items))
        writer.write_file(urls.save_as(urls.FEEDS_URL), self.get_template("rss"), self.context, url=urls.FEEDS_URL)

    def _item(self, article) -> core.FeedItem:
        """Each article becomes a feed item once, however many feeds list it."""
        item = self._items.get(id(article))
        if item is None:
            item = self._items[id(article)] = self._make_item(article)
        return item

    def _make_item(self, article) -> core.FeedItem:
        categories = (article.unit_name, *(c.name for c in article.campaigns), article.section.name)
        return core.FeedItem(
            guid=core.tag_uri(self.site, article.date.date(), article.relative_source_path),
            title=article.title,
            link=self.site + article.url,
            published=article.date,
            updated=getattr(article, "modified", None) or article.date,
            author=article.author_name,
            categories=tuple(dict.fromkeys(categories)),
            summary_html=core.absolutize(article.summary or "", self.site),
            content_html=core.absolutize(core.plain_images(article.content), self.site),
            image=self._enclosure(attribute(article, "cover_picture", __name__)),
        )

    def _enclosure(self, picture) -> core.Enclosure | None:
        if picture is None:
            return None
        largest = picture.largest
        return core.Enclosure(self.site + largest.url, largest.size, largest.mime)
