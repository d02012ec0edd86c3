"""What the sanitiser will remove from the HTML an editor wrote.

nh3 cleans silently. To tell the editor, the same allowlist is compared with
the parsed input first: every element whose tag is not allowed, and every
attribute not allowed on its element, is one :class:`Removal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Mapping

from bs4 import BeautifulSoup, Tag

from .embeds import host_of

_START_TAG = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass(frozen=True)
class RawTag:
    """A start tag as written: its name and attributes (values as written, still escaped)."""

    name: str
    attributes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, written: str) -> RawTag:
        match = _START_TAG.match(written)
        if match is None:
            return cls("")
        attributes: dict[str, str] = {}
        for found in _ATTRIBUTE.finditer(match.group("attrs").rstrip("/")):
            value = next((v for v in found.groups()[1:] if v is not None), "")
            attributes.setdefault(found.group(1).lower(), value)
        return cls(match.group("name").lower(), attributes)

    def html(self, **changed: str | None) -> str:
        """The tag again, with ``changed`` attributes replaced (``None``: left out); new values are escaped."""
        values = dict(self.attributes)
        for key, value in changed.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = escape(value, quote=True)
        attrs = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in values.items())
        return f"<{self.name}{attrs}>"


@dataclass(frozen=True)
class Removal:
    """An element the sanitiser removes (``attributes`` empty), or the attributes it removes from one."""

    tag: str
    attributes: tuple[str, ...] = ()
    # What to look for in the source to find the line: ``onclick=`` or ``<font``.
    needle: str = ""
    # For a frame: the server it would have loaded.
    host: str = ""


def removals(html: str, tags: frozenset[str], attributes: Mapping[str, frozenset[str]]) -> list[Removal]:
    """Every removal the allowlist makes from ``html``, in document order."""
    found: list[Removal] = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if not isinstance(element, Tag):
            continue
        name = element.name.lower()
        if name not in tags:
            src = element.get("src")
            host = host_of(src) if name == "iframe" and isinstance(src, str) and src.strip() else ""
            found.append(Removal(name, (), f"<{name}", host))
            continue
        dropped = tuple(a.lower() for a in element.attrs if a.lower() not in attributes.get(name, frozenset()))
        if dropped:
            found.append(Removal(name, dropped, f"{dropped[0]}="))
    return found
