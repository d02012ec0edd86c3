"""Pelican generator for redirects of old URLs, the sitemap and robots.txt."""

from __future__ import annotations

import os
from itertools import chain

from pelican.generators import Generator

from .core import SitemapEntry, robots_txt, sitemap_xml


class PublishingGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        redirect = self.get_template("redirect")
        for article in self.context["articles"]:
            for alias in article.aliases:
                writer.write_file(alias, redirect, self.context, target_url=f"{self.settings['SITEURL']}/{article.url}")
        site = self.settings["SITEURL"]
        self._write("sitemap.xml", sitemap_xml(site, self._entries()))
        self._write("robots.txt", robots_txt(site))

    def _entries(self):
        ctx = self.context
        yield SitemapEntry("")
        for article in ctx["articles"]:
            yield SitemapEntry(article.url, getattr(article, "modified", None) or article.date)
        for page in ctx["pages"]:
            yield SitemapEntry(page.url, getattr(page, "modified", None))
        portal = ctx["portal"]
        for item in chain(portal.sections, (n.unit for n in _walk(portal.unit_tree)), portal.campaigns):
            yield SitemapEntry(item.url)
        for tag, _ in ctx["tags"]:
            yield SitemapEntry(tag.url)
        for year in ctx["archive_years"]:
            yield SitemapEntry(year.url)
            yield from (SitemapEntry(m.url) for m in year.months)
        for url in ("don-vi/", "chien-dich/", "chuyen-muc/", "luu-tru/", "the/"):
            yield SitemapEntry(url)

    def _write(self, name: str, text: str) -> None:
        path = os.path.join(self.output_path, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)
