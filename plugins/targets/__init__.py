"""Article targets: counting per unit and period, the board's statistics section."""

from pelican import signals

from .generator import StatsGenerator


def get_generators(pelican):
    return StatsGenerator


def register():
    signals.get_generators.connect(get_generators)
