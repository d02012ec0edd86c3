"""Pelican generator for unit, campaign, section and archive pages and the
links between articles (newer/older, related); it hands on the build's
taxonomy (``portal``) and the home page's blocks (``home``)."""

from __future__ import annotations

from pelican.generators import Generator

from plugins import urls
from plugins.contract.build import portal_build

from . import core, specs
from .home import home_page
from .settings import load, load_home
from .taxonomy import KEY, build_taxonomy


class TaxonomyGenerator(Generator):
    def generate_context(self):
        st = portal_build(self)
        options = load(self.settings)
        articles = self.context["articles"]
        self.taxonomy = build_taxonomy(articles, st.registry, self.context.get("tags", []))
        _link_articles(articles, options.related_count)
        self.context.update({
            KEY: self.taxonomy,
            "tags": self.taxonomy.tags,
            "home": home_page(articles, self.taxonomy, load_home(self.settings), st.now),
            "now": st.now,
        })

    def generate_output(self, writer):
        write, t = writer.write_file, self.taxonomy
        for unit, items in t.by_unit.items():
            self._write_list(write, unit.url, "unit", items, unit=unit, unit_node=t.nodes[unit.id])
        for campaign, items in t.by_campaign.items():
            self._write_list(write, campaign.url, "campaign", items, campaign=campaign)
        for section, items in t.by_section.items():
            self._write_list(write, section.url, "category", items, section=section, category=section)
        for year in t.archive_years:
            self._write_list(write, year.url, "period_archives", t.by_year[year.year], archive=year)
            for month in year.months:
                self._write_list(write, month.url, "period_archives", t.by_month[(month.year, month.month)], archive=month)
        self._write_latest_blocks(write)
        for url, template in ((urls.UNITS_URL, "units"), (urls.CAMPAIGNS_URL, "campaigns"),
                              (urls.SECTIONS_URL, "categories"), (urls.ARCHIVES_URL, "archives")):
            write(urls.save_as(url), self.get_template(template), self.context, url=url,
                  sections=[(s, len(t.by_section[s])) for s in t.sections])

    def _write_latest_blocks(self, write) -> None:
        """The side column's lists, written once for all articles (an article page only links to them)."""
        count, template = load(self.settings).side_items, self.get_template("latest_block")
        write(urls.latest_block(), template, self.context, url=urls.latest_block(), unit=None,
              side_articles=self.context["articles"][:count])
        for unit, items in self.taxonomy.by_unit.items():
            url = urls.latest_block(unit.id)
            write(url, template, self.context, url=url, unit=unit, side_articles=items[:count])

    def _write_list(self, write, url: str, template: str, items: list, **kwargs) -> None:
        write(urls.save_as(url), self.get_template(template), self.context,
              paginated={"articles": items}, template_name=template, url=url, **kwargs)


def _link_articles(articles: list, limit: int) -> None:
    """Each article's newer and older neighbours, and its related articles (see ``specs.RELATED``)."""
    for article, newer, older in core.neighbours(articles):
        article.newer, article.older = newer, older
    for article, related in core.related(articles, specs.RELATED, limit):
        article.related = related
