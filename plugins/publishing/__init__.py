"""Redirects for old URLs, sitemap.xml and robots.txt."""

from pelican import signals

from .generator import PublishingGenerator


def get_generators(pelican):
    return PublishingGenerator


def register():
    signals.get_generators.connect(get_generators)
