"""`invoke import`: a federation's old website (a WordPress export, or an RSS feed) brought into
the content folder as articles and pages of this portal, with every old address kept as an alias.

Not a Pelican plugin: it runs before any build, so it has no ``register()``. ``sources`` reads the
export (safe XML), ``body`` turns an item's HTML into Markdown with notes on what could not come,
``core`` makes the item's file (both pure), ``mapping`` reads and writes the categories/authors →
units file, ``uploads`` copies photos and documents, ``existing`` finds what an earlier import wrote,
and ``cli`` runs it all and writes the report.
"""
