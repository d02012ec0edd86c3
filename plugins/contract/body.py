"""The one place that touches the body HTML of Pelican's content objects.

Pelican keeps an item's HTML, before its intra-site links are replaced, in
the private ``_content`` and offers no public way to read or change it (the
public ``content`` is the replaced copy). Plugins that rewrite a body (the
images plugin's ``<picture>`` elements) go through these two functions.
"""

from __future__ import annotations


def body_html(item) -> str:
    """The body HTML of ``item`` as the reader wrote it, with its ``{static}`` links."""
    return item._content


def replace_body(item, html: str) -> None:
    """Give ``item`` a new body HTML; Pelican replaces its links when the page is written."""
    item._content = html
