"""Pelican generator for redirects of old URLs, the removal pages, the sitemap, robots.txt and
the theme's icons at the top of the site (favicon.ico, apple-touch-icon.png).

Old URLs are an article's ``Aliases`` and the URLs the URL record keeps for it
(``plugins.contract.urlrecord``: a 'Slug' edit moved it); a URL of the record
whose article is no longer on the site answers with the removal page.
"""

from __future__ import annotations

import logging
from itertools import chain
from pathlib import Path

from pelican.generators import Generator

from plugins import urls
from plugins.contract.build import portal_build
from plugins.output import write_output
from plugins.taxonomies.taxonomy import taxonomy

from .core import SitemapEntry, robots_txt, sitemap_xml

logger = logging.getLogger(__name__)


class PublishingGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        plan = portal_build(self).urls
        site = self.settings["SITEURL"]
        redirect = self.get_template("redirect")
        moved: dict[str, list[str]] = {}
        for url, source in plan.redirects().items():
            moved.setdefault(source, []).append(urls.save_as(url))
        written = set()
        for item in chain(self.context["articles"], self.context["pages"]):
            for old in sorted(set(getattr(item, "aliases", ())) | set(moved.get(item.relative_source_path, ()))):
                writer.write_file(old, redirect, self.context, target_url=urls.href(site, item.url))
                written.add(old)
        written |= {item.save_as for item in chain(self.context["articles"], self.context["pages"])}
        removed = self.get_template("removed")
        for url in plan.removed(written):
            writer.write_file(urls.save_as(url), removed, self.context)
        write_output(self.output_path, urls.SITEMAP, sitemap_xml(site, self._entries()))
        write_output(self.output_path, urls.ROBOTS, robots_txt(site))
        self._write_root_icons()

    def _write_root_icons(self):
        """Browsers ask every site for /favicon.ico (and phones for /apple-touch-icon.png)
        whatever the page links to, so the theme's copies are served there."""
        folder = Path(self.settings["THEME"]) / urls.ROOT_ICONS_DIR
        for name in (urls.FAVICON, urls.APPLE_TOUCH_ICON):
            path = folder / name
            if path.is_file():
                write_output(self.output_path, name, path.read_bytes())
            else:
                logger.warning("Giao diện thiếu %s; trình duyệt sẽ không có biểu tượng trang", path)

    def _entries(self):
        ctx = self.context
        yield SitemapEntry(urls.HOME)
        for article in ctx["articles"]:
            yield SitemapEntry(article.url, getattr(article, "modified", None) or article.date)
        for page in ctx["pages"]:
            yield SitemapEntry(page.url, getattr(page, "modified", None))
        portal = taxonomy(ctx, __name__)
        for item in chain(portal.sections, portal.by_unit, portal.campaigns):
            yield SitemapEntry(item.url)
        for tag, _ in portal.tags:
            yield SitemapEntry(tag.url)
        for year in portal.archive_years:
            yield SitemapEntry(year.url)
            yield from (SitemapEntry(m.url) for m in year.months)
        for url in urls.OVERVIEW_URLS:
            yield SitemapEntry(url)
