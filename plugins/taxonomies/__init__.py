"""Unit, campaign, section and archive pages from one taxonomy engine."""

from pelican import signals

from plugins.requires import check_order

from .generator import TaxonomyGenerator


def get_generators(pelican):
    return TaxonomyGenerator


def check_plugin_order(pelican):
    """``initialized``: every plugin that reads another's data (the taxonomy among them) comes after it.

    Pelican has by then replaced ``PLUGINS`` with the names of the plugins it registered."""
    check_order(pelican.settings["PLUGINS"])


def register():
    signals.initialized.connect(check_plugin_order)
    signals.get_generators.connect(get_generators)
