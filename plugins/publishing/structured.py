"""NewsArticle structured data (schema.org JSON-LD) of an article page.

News search engines and link previews read it from the page's head; the
properties are those Google's Article documentation lists. Pure code: the
generator gathers an article's values into :class:`ArticleFacts` with
absolute URLs, and :func:`script_text` gives the text of the
``<script type="application/ld+json">`` element, safe inside HTML whatever an
editor wrote in the title.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from types import MappingProxyType

from plugins.contract.dates import SITE_TZ

# Google shows at most this many characters of a headline.
HEADLINE_LIMIT = 110
ELLIPSIS = "…"
# Characters that could end the <script> element or open markup inside it, as JSON escapes.
_HTML_SAFE = MappingProxyType(str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}))


@dataclass(frozen=True)
class ArticleFacts:
    """What the structured data of one article says; every URL is absolute."""

    url: str
    title: str
    description: str
    published: dt.datetime
    modified: dt.datetime | None
    images: tuple[str, ...]
    author: str
    # The unit that wrote the article when no person is named.
    author_is_person: bool
    section: str
    keywords: tuple[str, ...]
    publisher: str
    logo: str


def headline(title: str, limit: int = HEADLINE_LIMIT) -> str:
    """``title`` cut on a word to at most ``limit`` characters, ending in "…" when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - len(ELLIPSIS) + 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]
    return words.rstrip(" ,.;:–-") + ELLIPSIS


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in the site's time zone, with its offset (+07:00)."""
    return moment.astimezone(SITE_TZ).isoformat()


def news_article(facts: ArticleFacts) -> dict:
    """The JSON-LD object; properties without a value (no cover, no tags) are left out."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline(facts.title),
    }
    if facts.description:
        data["description"] = " ".join(facts.description.split())
    data["datePublished"] = timestamp(facts.published)
    data["dateModified"] = timestamp(facts.modified or facts.published)
    if facts.images:
        data["image"] = list(facts.images)
    author_type = "Person" if facts.author_is_person else "Organization"
    data["author"] = {"@type": author_type, "name": facts.author or facts.publisher}
    publisher: dict = {"@type": "Organization", "name": facts.publisher}
    if facts.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": facts.logo}
    data["publisher"] = publisher
    data["mainEntityOfPage"] = facts.url
    if facts.section:
        data["articleSection"] = facts.section
    if facts.keywords:
        data["keywords"] = list(facts.keywords)
    data["inLanguage"] = "vi"
    return data


def script_text(data: dict) -> str:
    """``data`` as JSON that cannot end its ``<script>`` element: "<", ">" and "&" escaped."""
    return json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")).translate(_HTML_SAFE)
