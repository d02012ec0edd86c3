"""Pelican generator for the search page and the records of the
search index, in shards by period; the shards are written when the build is
finalized, those the output ledger carries from the last build excepted."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pelican.generators import Generator

from plugins import urls
from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.build import portal_build
from plugins.contract.dates import format_vi_date
from plugins.contract.registry import Registry
from plugins.requires import attribute
from plugins.taxonomies.taxonomy import taxonomy

from . import core
from .indexer import SearchIndexError, pagefind_version, write_shards
from .settings import SearchSettings, load
from .shards import Shard, split

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class Choice:
    """One option of a filter on the search page."""

    value: str
    label: str
    count: int
    depth: int = 0

    @property
    def text(self) -> str:
        """The label as the option shows it: indented by depth, without the count."""
        return "\u00a0\u00a0\u00a0" * self.depth + self.label

    @property
    def count_label(self) -> str:
        """``1.234``: Vietnamese thousands separator."""
        return f"{self.count:,}".replace(",", ".")


@dataclass
class SearchPage:
    """What search.html needs: the filters' options and the script's settings."""

    units: list[Choice] = field(default_factory=list)
    campaigns: list[Choice] = field(default_factory=list)
    types: list[Choice] = field(default_factory=list)
    years: list[Choice] = field(default_factory=list)
    page_url: str = ""
    bundle_url: str = ""
    # Folders of the shards under bundle_url, newest first: the first is the primary index.
    shards: list[str] = field(default_factory=list)
    excerpt_words: int = 30
    page_size: int = 10


@dataclass
class _Job:
    """The shards of a build, waiting in the build object for its end."""

    shards: list[Shard]
    options: SearchSettings


class SearchGenerator(Generator):
    def generate_context(self):
        self.options = load(self.settings)

    def generate_output(self, writer):
        build = portal_build(self)
        dated = [(a.date.date(), core.record(self._facts(a, build.registry))) for a in self.context["articles"]]
        indexer_options = (("language", self.options.language), ("pagefind", pagefind_version()))
        job = _Job(split(dated, self.options.shard_by, indexer_options), self.options)
        writer.write_file(urls.save_as(urls.SEARCH_URL), self.get_template("search"), self.context, url=urls.SEARCH_URL,
                          search=self._page([s.name for s in job.shards]))
        build.search = job

    def _page(self, shard_names: list[str]) -> SearchPage:
        portal, articles = taxonomy(self.context, __name__), self.context["articles"]
        units = []
        stack = [(node, 0) for node in reversed(portal.unit_tree)]
        while stack:
            node, depth = stack.pop()
            if node.article_count:
                units.append(Choice(node.unit.id, node.unit.name, node.article_count, depth))
            stack.extend((child, depth + 1) for child in reversed(node.children))
        by_type: dict[str, int] = {}
        for article in articles:
            by_type[article.content_type] = by_type.get(article.content_type, 0) + 1
        site = self.settings["SITEURL"]
        return SearchPage(
            units=units,
            campaigns=[Choice(c.id, c.name, len(portal.by_campaign[c])) for c in portal.campaigns if portal.by_campaign.get(c)],
            types=[Choice(t, label, by_type[t]) for t, label in CONTENT_TYPES.items() if by_type.get(t)],
            years=[Choice(str(y.year), str(y.year), y.count) for y in portal.archive_years],
            page_url=urls.SEARCH_URL,
            bundle_url=urls.href(site, urls.search_index(self.options.bundle_dir)),
            shards=shard_names,
            excerpt_words=self.options.excerpt_words,
            page_size=self.options.page_size,
        )

    def _facts(self, article, registry: Registry) -> core.ArticleFacts:
        site = self.settings["SITEURL"]
        unit = article.unit
        unit_ids = [u.id for u in registry.counted_for(unit, article.date.date())] if unit else []
        picture = attribute(article, "cover_picture", __name__)
        explicit_summary = bool(article.portal_source.get("Summary"))
        return core.ArticleFacts(
            url=urls.href(site, article.url),
            title=article.title,
            date=article.date,
            body_html=article.content,
            summary_html=article.summary if explicit_summary else "",
            unit_name=article.unit_name,
            unit_ids=tuple(unit_ids),
            campaign_ids=tuple(c.id for c in article.campaigns),
            type_id=article.content_type,
            type_label=article.type_label,
            date_label=format_vi_date(article.date),
            image_url=urls.href(site, picture.src(self.options.image_width).url) if picture else "",
            tags=tuple(tag.name for tag in getattr(article, "tags", ())),
            campaign_names=tuple(c.name for c in article.campaigns),
        )


def write_index(pelican) -> None:
    """``finalized``: index the shards of the build that just wrote its pages, except those carried over."""
    build = portal_build(pelican)
    job, build.search = build.search, None
    if not isinstance(job, _Job):
        return
    started = time.perf_counter()
    try:
        done = write_shards(job.shards, Path(pelican.output_path), job.options.bundle_dir, _ledger(build),
                            language=job.options.language, in_flight=job.options.in_flight)
    except SearchIndexError as exc:
        logger.error("không tạo được chỉ mục tìm kiếm: %s", exc)
        return
    logger.info("Chỉ mục tìm kiếm: %d tin bài trong %.1f giây (lập lại %d/%d phần, giữ nguyên %d).", done.records,
                time.perf_counter() - started, done.indexed, done.indexed + done.carried, done.carried)


def _ledger(build):
    """The build's output ledger (plugins.incremental), or None when builds are not incremental."""
    ledger = getattr(build, "ledger", None)
    if ledger is None:
        ledger = getattr(getattr(build, "incremental", None), "ledger", None)
    return ledger
