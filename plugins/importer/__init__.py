"""`invoke import`: a federation's old website (a WordPress export, or an RSS feed) brought into
the content folder as articles and pages of this portal, with every old address kept as an alias.

Not a Pelican plugin: it runs before any build, so it has no ``register()``. ``sources`` reads the
export (safe XML), ``core`` turns one old item into this portal's file (pure), ``mapping`` reads and
writes the categories/authors → units file, ``cli`` copies the uploads and writes the files.
"""
