"""What the search index holds for each article: pure functions, no Pelican.

Pagefind (≥ 1.5) matches words without their accents (``cong`` finds
``công``), but ``đ`` has no Unicode decomposition, so ``doan`` never finds
``đoàn``. :func:`fold` writes every ``đ`` as ``d`` followed by the combining
short stroke U+0335: Pagefind strips combining marks when it indexes and
searches, so the word is indexed as ``doan``, while the text it stores and
returns still says where each ``đ`` was, and :func:`unfold` (mirrored in
``theme/static/js/search.js``) gives the original text back exactly. Words
and their positions are unchanged, so Pagefind's match locations point into
the original text. Titles and unit names in the metadata are folded too:
Pagefind 1.5 searches metadata as well, and boosts title matches.

Tags and campaign names go into the metadata (``tags``, ``campaigns``), not
the content: they are searched (the search page weighs them with Pagefind's
``metaWeights``, as it does the unit), so "tet sum vay" finds every article
tagged or campaigned "Tết Sum vầy", while excerpts stay the article's text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType

STROKE = "\u0335"
_UNFOLD = re.compile("([dD])" + STROKE)
# A stroke after d/D already is a đ (it looks like one); any other would be lost by Pagefind anyway.
_STRAY = re.compile(f"(?<![dD]){STROKE}")

# Dropped: control characters, soft hyphens, zero-width joiners and marks, BOM
# (the browser treats U+FEFF as a space, Python does not), stray strokes. A
# zero-width space separates words, and Pagefind's excerpts would split on it alone.
_INVISIBLE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\xad\\u200b-\\u200d\\u2060\\ufeff]|{_STRAY.pattern}")
_INVISIBLE_AS = MappingProxyType({"\u200b": " "})

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
# Tags that separate words; every other tag (strong, a, em…) joins its text to its neighbours.
_BREAK = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|figure|figcaption|blockquote|pre|table|caption|thead|tbody"
    r"|tfoot|tr|td|th|section|article|aside|header|footer|nav|picture|img|video|audio|source|iframe)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_END_MARK = (".", "!", "?", "…", ":", ";")


def fold(text: str) -> str:
    """The searchable form of ``text``: NFC, with ``đ``/``Đ`` written ``d``/``D`` + U+0335.

    Idempotent; no word is split or joined, so word positions do not change.
    """
    text = unicodedata.normalize("NFC", text)
    if STROKE in text:
        text = _STRAY.sub("", text)
    return text.replace("đ", "d" + STROKE).replace("Đ", "D" + STROKE)


def unfold(text: str) -> str:
    """The original text of a folded one."""
    return _UNFOLD.sub(lambda m: "đ" if m.group(1) == "d" else "Đ", text)


def plain_text(markup: str) -> str:
    """Readable text of an HTML fragment, words separated by single spaces.

    Runs in linear time with regular expressions (no parser): the input is the
    portal's own sanitised HTML. Only U+0020 separates words in the result, so
    Python, Pagefind and the browser split it into the same words.
    """
    text = _HIDDEN.sub(" ", markup)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    return clean(html.unescape(text))


def clean(text: str) -> str:
    """``text`` without invisible characters, its words separated by single spaces.

    :func:`fold` keeps a clean text's words and spaces as they are.
    """
    text = _INVISIBLE.sub(lambda m: _INVISIBLE_AS.get(m.group(), ""), text)
    return " ".join(text.split())


def join_sentences(*parts: str) -> str:
    """Clean, non-empty parts as one text; a part not ending in punctuation gets a full stop."""
    kept = [p for p in parts if p]
    return " ".join(p if p.endswith(_END_MARK) or i == len(kept) - 1 else p + "."
                    for i, p in enumerate(kept))


def join_names(names) -> str:
    """Clean, distinct, non-empty names as one text: ``"Tết Sum vầy; An toàn lao động"``.

    A semicolon keeps one name's last word and the next one's first apart in
    the excerpt, yet both stay words of their own for Pagefind.
    """
    kept = dict.fromkeys(c for c in (clean(n) for n in names) if c)
    return "; ".join(kept)


@dataclass(frozen=True)
class Record:
    """One search result as Pagefind stores it (``add_custom_record``)."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleFacts:
    """What the index needs from an article, in plain values."""

    url: str
    title: str
    date: dt.datetime
    body_html: str
    summary_html: str = ""
    unit_name: str = ""
    unit_ids: tuple[str, ...] = ()   # the unit first, then its parents: the filter finds sub-units' articles too
    campaign_ids: tuple[str, ...] = ()
    type_id: str = ""
    type_label: str = ""
    date_label: str = ""
    image_url: str = ""
    tags: tuple[str, ...] = ()
    campaign_names: tuple[str, ...] = ()


def record(facts: ArticleFacts) -> Record:
    """The index record of one article.

    ``content`` is the folded "title. summary. body" (the summary only when an
    editor wrote one; otherwise it is the start of the body). ``meta`` is what a
    result shows; ``filters`` hold ids, which the search page labels.
    """
    title = clean(facts.title)
    content = join_sentences(title, plain_text(facts.summary_html), plain_text(facts.body_html))
    meta = {"title": fold(title), "date": facts.date_label,
            "datetime": facts.date.date().isoformat()}
    if facts.unit_name:
        meta["unit"] = fold(clean(facts.unit_name))
    if facts.type_label:
        meta["type"] = fold(facts.type_label)
    if facts.image_url:
        meta["image"] = facts.image_url
    for name, values in (("tags", facts.tags), ("campaigns", facts.campaign_names)):
        text = join_names(values)
        if text:
            meta[name] = fold(text)
    filters = {
        "unit": list(dict.fromkeys(facts.unit_ids)),
        "campaign": list(dict.fromkeys(facts.campaign_ids)),
        "type": [facts.type_id] if facts.type_id else [],
        "year": [str(facts.date.year)],
    }
    return Record(
        url=facts.url,
        content=fold(content),
        meta=meta,
        filters={name: values for name, values in filters.items() if values},
        sort={"date": facts.date.strftime("%Y-%m-%dT%H:%M")},
    )
