"""Pelican generator for redirects of old URLs, the removal pages, the sitemap, robots.txt, the
theme's icons at the top of the site (favicon.ico, apple-touch-icon.png), the articles'
structured data and the footer's details.

Old URLs are an article's ``Aliases`` and the URLs the URL record keeps for it
(``plugins.contract.urlrecord``: a 'Slug' edit moved it); a URL of the record
whose article is no longer on the site answers with the removal page.
"""

from __future__ import annotations

import logging
from itertools import chain
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from plugins import requires, urls
from plugins.contract.build import portal_build
from plugins.output import write_output
from plugins.taxonomies.taxonomy import taxonomy

from . import footer, structured
from .core import SitemapEntry, robots_txt, sitemap_xml

logger = logging.getLogger(__name__)


class PublishingGenerator(Generator):
    def generate_context(self):
        self.context["portal_footer"] = footer.load(self.settings)
        base = urls.base_of(self.settings)
        # images has emptied SITE_LOGO in the context when its file is missing.
        logo = self.context.get("SITE_LOGO") or ""
        for article in self.context["articles"]:
            facts = self._facts(article, base, base + logo.lstrip("/") if logo else "")
            article.structured_data = Markup(structured.script_text(structured.news_article(facts)))

    def _facts(self, article, base: str, logo: str) -> structured.ArticleFacts:
        cover = requires.attribute(article, "cover_picture", __name__)
        author = article.author_name or ""
        return structured.ArticleFacts(
            url=base + article.url,
            title=article.title,
            description=Markup(article.summary or "").striptags(),
            published=article.date,
            modified=getattr(article, "modified", None),
            images=tuple(base + v.url for v in reversed(cover.jpeg)) if cover else (),
            author=author or article.unit_name,
            author_is_person=bool(author),
            section=article.section.name if article.section else "",
            keywords=tuple(t.name for t in getattr(article, "tags", ()) or ()),
            publisher=self.settings["SITENAME"],
            logo=logo,
        )

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
