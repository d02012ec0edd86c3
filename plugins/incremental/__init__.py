"""Incremental and parallel builds: every output file keyed by what decides
its bytes, unchanged files carried from the previous build, changed pages
rendered over all cores."""

from pelican import signals

from .plugin import render_pages, start, writer_class


def register():
    signals.get_generators.connect(start)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(render_pages)
