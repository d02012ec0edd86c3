"""Pelican generator for unit, campaign, section and archive pages, the home
page blocks, and the links between articles (newer/older, related)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pelican.generators import Generator

from plugins import urls
from plugins.contract.build import portal_build
from plugins.contract.registry import Campaign, Section

from . import core, specs
from .settings import load

logger = logging.getLogger(__name__)


@dataclass
class Portal:
    """What every template may use to draw navigation."""

    sections: list[Section]
    unit_tree: list[core.UnitNode]
    campaigns: list[Campaign]
    # Articles per term, newest first, for other plugins (feeds, reports).
    by_unit: dict = field(default_factory=dict)
    by_campaign: dict = field(default_factory=dict)
    by_section: dict = field(default_factory=dict)


@dataclass
class SectionBlock:
    section: Section
    articles: list = field(default_factory=list)


class TaxonomyGenerator(Generator):
    def generate_context(self):
        st = portal_build(self)
        options = load(self.settings)
        articles = self.context["articles"]
        registry = st.registry
        self.by_unit = core.group(articles, specs.UNITS, registry.units.values())
        self.by_campaign = core.group(articles, specs.CAMPAIGNS, registry.campaigns.values())
        self.by_section = core.group(articles, specs.SECTIONS, registry.sections)
        self.by_year = core.group(articles, specs.YEARS)
        self.by_month = core.group(articles, specs.MONTHS)
        for campaign, items in self.by_campaign.items():
            campaign.article_count = len(items)
        self.tree = core.unit_tree(registry, self.by_unit)
        self.nodes = core.index_nodes(self.tree)
        campaigns = sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id), reverse=True)
        self._link_articles(articles, options.related_count)
        self._order_tags()
        featured = next((a for a in articles if a.featured), articles[0] if articles else None)
        blocks = [SectionBlock(s, self.by_section[s][: options.home_section_items]) for s in registry.sections]
        logo = self.settings.get("SITE_LOGO")
        if logo and not (st.root / logo).is_file():
            logger.warning("SITE_LOGO '%s' không có trong thư mục nội dung; trang sẽ hiện không có logo", logo)
            logo = ""
        self.context.update(
            SITE_LOGO=logo,
            portal=Portal(registry.sections, self.tree, campaigns,
                          self.by_unit, self.by_campaign, self.by_section),
            featured_article=featured,
            section_blocks=[b for b in blocks if b.articles],
            archive_years=core.archives(self.by_year, self.by_month),
            now=st.now,
        )

    def _link_articles(self, articles, limit: int) -> None:
        by_campaign = core.positions(self.by_campaign)
        by_unit = core.positions(self.by_unit)
        for article, newer, older in core.neighbours(articles):
            article.newer, article.older = newer, older
            lists = [(self.by_campaign[c], by_campaign[(c, id(article))]) for c in article.campaigns]
            lists.append((self.by_unit[article.unit], by_unit[(article.unit, id(article))]))
            article.related = core.nearest(article, lists, limit)

    def _order_tags(self) -> None:
        """Pelican's tags in a total order, and each tag's articles newest first in the
        articles' order (in place: Pelican writes the tag pages from the same lists)."""
        tags = sorted(self.context.get("tags", []), key=lambda pair: core.term_key(pair[0]))
        for _, items in tags:
            items.sort(key=core.item_key, reverse=True)
        self.context["tags"] = tags

    def generate_output(self, writer):
        write = writer.write_file
        for unit, items in self.by_unit.items():
            self._write_list(write, unit.url, "unit", items, unit=unit, unit_node=self.nodes[unit.id])
        for campaign, items in self.by_campaign.items():
            self._write_list(write, campaign.url, "campaign", items, campaign=campaign)
        for section, items in self.by_section.items():
            self._write_list(write, section.url, "category", items, section=section, category=section)
        archive_years = self.context["archive_years"]
        for year in archive_years:
            self._write_list(write, year.url, "period_archives", self.by_year[year.year], archive=year)
            for month in year.months:
                self._write_list(write, month.url, "period_archives", self.by_month[(month.year, month.month)], archive=month)
        for url, template in ((urls.UNITS_URL, "units"), (urls.CAMPAIGNS_URL, "campaigns"),
                              (urls.SECTIONS_URL, "categories"), (urls.ARCHIVES_URL, "archives")):
            write(urls.save_as(url), self.get_template(template), self.context, url=url,
                  sections=[(s, len(self.by_section[s])) for s in self.context["portal"].sections])

    def _write_list(self, write, url: str, template: str, items: list, **kwargs) -> None:
        write(urls.save_as(url), self.get_template(template), self.context,
              paginated={"articles": items}, template_name=template, url=url, **kwargs)
