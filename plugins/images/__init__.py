"""Responsive photos and social-sharing cards (Pillow)."""

from pelican import signals

from .generator import ImagesGenerator


def get_generators(pelican):
    return ImagesGenerator


def register():
    signals.get_generators.connect(get_generators)
