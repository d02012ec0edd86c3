"""Typographic quotes for the one-line texts an editor writes in a header.

The body gets them from Markdown's ``smarty`` extension (which leaves code,
addresses and attributes alone); a title is plain text, so it gets the same
rule here: Vietnamese prints “…” for quotations and ’ for an apostrophe.
"""

from __future__ import annotations

import re

# A quote opens at the start, after a space or after an opening bracket or dash.
_OPENS_AFTER = re.compile(r"[\s(\[{–—-]")
_QUOTE = re.compile(r"[\"']")


def curly_quotes(text: str) -> str:
    """``text`` with straight " and ' made “ ” and ‘ ’ (an apostrophe inside a word is ’)."""
    def replace(match: re.Match) -> str:
        start = match.start()
        before = text[start - 1] if start else ""
        opens = not before or bool(_OPENS_AFTER.match(before))
        if match.group() == '"':
            return "“" if opens else "”"
        return "‘" if opens else "’"

    return _QUOTE.sub(replace, text)
