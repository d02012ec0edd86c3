"""Full-text search with Pagefind: the search page and an index written at the end of every build."""

from pelican import signals

from .generator import SearchGenerator, write_index


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_index)
