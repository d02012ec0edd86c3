"""The content contract: what editors write, read strictly and reported in full."""

from pelican import signals

from .plugin import check_articles, check_pages, finish_reading, start_build, use_portal_reader


def register():
    signals.get_generators.connect(start_build)
    signals.readers_init.connect(use_portal_reader)
    signals.article_generator_pretaxonomy.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)
    signals.all_generators_finalized.connect(finish_reading)
