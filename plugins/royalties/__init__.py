"""Royalties (nhuận bút): the payment list per author for a month, quarter or year.

Not a Pelican plugin: the board runs it from the command line (``tasks.py royalties``),
reading the content through the build's own sequence like the quota report.
"""
