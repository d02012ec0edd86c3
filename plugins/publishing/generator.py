"""Pelican generator for redirects of old URLs, the removal pages, the sitemap and robots.txt.

Old URLs are an article's ``Aliases`` and the URLs the URL record keeps for it
(``plugins.contract.urlrecord``: a 'Slug' edit moved it); a URL of the record
whose article is no longer on the site answers with the removal page.
"""

from __future__ import annotations

from itertools import chain

from pelican.generators import Generator

from plugins import urls
from plugins.contract.build import portal_build
from plugins.output import write_output
from plugins.taxonomies.taxonomy import taxonomy

from .core import SitemapEntry, robots_txt, sitemap_xml


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
