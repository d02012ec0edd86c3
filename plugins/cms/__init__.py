"""The web editor at /quan-tri/: Decap CMS, configured from the content contract at every build."""

from pelican import signals

from .generator import CmsGenerator


def get_generators(pelican):
    return CmsGenerator


def register():
    signals.get_generators.connect(get_generators)
