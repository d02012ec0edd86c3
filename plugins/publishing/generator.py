"""Pelican generator for redirects of old URLs, the sitemap and robots.txt."""

from __future__ import annotations

from itertools import chain

from pelican.generators import Generator

from plugins import urls
from plugins.output import write_output
from plugins.taxonomies.taxonomy import taxonomy

from .core import SitemapEntry, robots_txt, sitemap_xml


class PublishingGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        redirect = self.get_template("redirect")
        for article in self.context["articles"]:
            for alias in article.aliases:
                writer.write_file(alias, redirect, self.context, target_url=urls.href(self.settings["SITEURL"], article.url))
        site = self.settings["SITEURL"]
        write_output(self.output_path, urls.SITEMAP, sitemap_xml(site, self._entries()))
        write_output(self.output_path, urls.ROBOTS, robots_txt(site))

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
