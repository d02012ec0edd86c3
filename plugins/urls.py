"""The site's URL scheme, in one place.

Every kind of page has one function or constant here giving its URL relative
to the site root (a folder ends in "/", the home page is ""); :func:`save_as`
turns such a URL into the file the build writes. The plugins, the templates
(the Jinja global ``urls``, see :func:`template_globals`) and Pelican's own
``*_URL``/``*_SAVE_AS`` settings (:func:`pelican_settings`) all ask this module,
so changing an address is one edit here. The reserved top-level names that no
page may take are derived from the same scheme.

Ground floor: this module imports nothing from the plugin packages.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Mapping

# Top-level folders of the site.
UNITS = "don-vi"
CAMPAIGNS = "chien-dich"
SECTIONS = "chuyen-muc"
TAGS = "the"
ARCHIVES = "luu-tru"
STATS = "thong-ke"
SEARCH = "tim-kiem"
FEEDS = "rss"
CARDS = "anh-chia-se"
PHOTOS = "images"
DOWNLOADS = "files"
THEME = "theme"
SEARCH_INDEX = "pagefind"
# Shared lists fetched into every article's side column, so a new item rewrites them, not the articles.
BLOCKS = "khoi"
LATEST_BLOCK = "moi-nhat"
# The web editor (plugins.cms), for the units' editors.
CMS = "quan-tri"
# Page N of a paginated list: <list>/trang/N/.
PAGE_NUMBER = "trang"

# Files of the site.
INDEX_FILE = "index.html"
NOT_FOUND = "404.html"
RSS_FILE = "rss.xml"
ATOM_FILE = "atom.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FAVICON = "favicon.ico"
APPLE_TOUCH_ICON = "apple-touch-icon.png"
# The theme's icons browsers ask for at the top of the site, copied there from this theme folder.
ROOT_ICONS_DIR = "static/icons"
# Pre-compressed copies written beside each text file when publishing.
COMPRESSED_SUFFIXES = (".gz", ".br")

# Articles and pages; Pelican fills in the fields.
ARTICLE_PATTERN = "{date:%Y}/{date:%m}/{slug}/"
PAGE_PATTERN = "{slug}/"
# Name of the home page's social card (the other cards are named after their page).
HOME_CARD = "trang-chu"

# Feeds, cards and other absolute URLs in a local build, where SITEURL is empty or a path.
LOCAL_SITEURL = "http://localhost:8000"


def folder(*parts: object) -> str:
    """``folder("don-vi", "x")`` is ``"don-vi/x/"``; no parts is the home page ``""``."""
    return "".join(f"{part}/" for part in parts)


def save_as(url: str) -> str:
    """The output file of a site-relative URL: a folder's ``index.html``, a file as it is."""
    return url + INDEX_FILE if url == "" or url.endswith("/") else url


HOME = folder()
UNITS_URL = folder(UNITS)
CAMPAIGNS_URL = folder(CAMPAIGNS)
SECTIONS_URL = folder(SECTIONS)
TAGS_URL = folder(TAGS)
ARCHIVES_URL = folder(ARCHIVES)
STATS_URL = folder(STATS)
SEARCH_URL = folder(SEARCH)
FEEDS_URL = folder(FEEDS)
# Overview pages listing every unit, campaign, section, archive period and tag.
OVERVIEW_URLS = (UNITS_URL, CAMPAIGNS_URL, SECTIONS_URL, ARCHIVES_URL, TAGS_URL)


def latest_block(unit_id: str = "") -> str:
    """The newest items of the site (or of one unit) as a small page the article's side column fetches."""
    return f"{BLOCKS}/{LATEST_BLOCK}/{unit_id}.html" if unit_id else f"{BLOCKS}/{LATEST_BLOCK}.html"


def unit(unit_id: str) -> str:
    return folder(UNITS, unit_id)


def campaign(campaign_id: str) -> str:
    return folder(CAMPAIGNS, campaign_id)


def section(section_id: str) -> str:
    return folder(SECTIONS, section_id)


def tag(slug: str) -> str:
    return folder(TAGS, slug)


def archive_year(year: int) -> str:
    return folder(ARCHIVES, year)


def archive_month(year: int, month: int) -> str:
    return folder(ARCHIVES, year, f"{month:02d}")


def stats_year(year: int) -> str:
    return folder(STATS, year)


def stats_data(year: int, ext: str) -> str:
    """A year's figures as a download: ``ext`` is ``"json"`` or ``"csv"``."""
    return f"{STATS}/{year}.{ext}"


def rss(page_url: str = HOME) -> str:
    """The RSS feed of a page (a unit, section, campaign; the home page is the site's feed)."""
    return page_url + RSS_FILE


def atom(page_url: str = HOME) -> str:
    return page_url + ATOM_FILE


def card(page_url: str, digest: str, card_folder: str = CARDS) -> str:
    """The social card of a page, named after the page and the digest of its picture."""
    name = page_url.rstrip("/") or HOME_CARD
    return f"{card_folder}/{name}.{digest}.jpg"


def photo(source_folder: str, stem: str, width: int, digest: str, ext: str) -> str:
    """One published width of a photo, in the (slugified) folder of its source under images/."""
    return f"{source_folder}/{stem}-{width}.{digest}.{ext}"


def search_index(bundle_dir: str = SEARCH_INDEX) -> str:
    return folder(bundle_dir)


def page_number(base: str, number: int) -> str:
    """Page ``number`` (2 and up) of the list at ``base``."""
    return f"{base}{PAGE_NUMBER}/{number}/"


# Top-level folders the build writes (sections of the site, photos, cards,
# downloads, theme, search index): no page and no old address may take them.
RESERVED_PAGE_SLUGS = frozenset({UNITS, CAMPAIGNS, SECTIONS, TAGS, ARCHIVES, PAGE_NUMBER, PHOTOS, DOWNLOADS,
                                 THEME, SEARCH, STATS, FEEDS, CARDS, SEARCH_INDEX, CMS})
# Files the build writes at the top of the site.
RESERVED_FILES = frozenset({INDEX_FILE, NOT_FOUND, RSS_FILE, ATOM_FILE, SITEMAP, ROBOTS, FAVICON,
                            APPLE_TOUCH_ICON})


def href(siteurl: str, url: str) -> str:
    """How pages link to a site-relative URL: ``SITEURL/url`` (``/url`` when SITEURL is empty)."""
    return f"{siteurl.rstrip('/')}/{url.lstrip('/')}"


def site_base(siteurl: str, local_siteurl: str = LOCAL_SITEURL) -> str:
    """The absolute address of the site root, ending in "/": the one rule for absolute URLs.

    SITEURL when it is absolute; otherwise (a local build) the local address,
    followed by SITEURL's path if it has one.
    """
    site = (siteurl or "").rstrip("/")
    if "://" in site:
        return site + "/"
    return (local_siteurl or LOCAL_SITEURL).rstrip("/") + site + "/"


def absolute(url: str, siteurl: str, local_siteurl: str = LOCAL_SITEURL) -> str:
    """A site-relative URL as an absolute one (feeds, social cards, tag URIs)."""
    return site_base(siteurl, local_siteurl) + url.lstrip("/")


def base_of(settings: Mapping) -> str:
    """:func:`site_base` of a build's Pelican settings (``SITEURL``, ``LOCAL_SITEURL``)."""
    return site_base(settings.get("SITEURL") or "", settings.get("LOCAL_SITEURL") or LOCAL_SITEURL)


def pelican_settings() -> dict:
    """Pelican's URL settings from the scheme; ``pelicanconf.py`` takes them as they are."""
    pattern_url = f"{{base_name}}/{PAGE_NUMBER}/{{number}}/"
    return {
        "ARTICLE_URL": ARTICLE_PATTERN,
        "ARTICLE_SAVE_AS": save_as(ARTICLE_PATTERN),
        "PAGE_URL": PAGE_PATTERN,
        "PAGE_SAVE_AS": save_as(PAGE_PATTERN),
        # Section pages are written by the taxonomies plugin, at the same URL.
        "CATEGORY_URL": section("{slug}"),
        "CATEGORY_SAVE_AS": "",
        "CATEGORIES_SAVE_AS": "",
        "TAG_URL": tag("{slug}"),
        "TAG_SAVE_AS": save_as(tag("{slug}")),
        "TAGS_URL": TAGS_URL,
        "TAGS_SAVE_AS": save_as(TAGS_URL),
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "",
        "DRAFT_SAVE_AS": "",
        "DRAFT_PAGE_SAVE_AS": "",
        "INDEX_URL": HOME,
        "PAGINATION_PATTERNS": (
            (1, "{url}", "{save_as}"),
            (2, pattern_url, save_as(pattern_url)),
        ),
        "THEME_STATIC_DIR": THEME,
        "LOCAL_SITEURL": LOCAL_SITEURL,
    }


_TEMPLATE_NAMES = (
    "HOME", "UNITS_URL", "CAMPAIGNS_URL", "SECTIONS_URL", "TAGS_URL", "ARCHIVES_URL", "STATS_URL", "SEARCH_URL",
    "FEEDS_URL", "unit", "campaign", "section", "tag", "archive_year", "archive_month", "stats_year",
    "stats_data", "rss", "atom", "search_index", "page_number", "latest_block",
)


def template_globals() -> dict:
    """Jinja globals: ``urls`` with the scheme's URLs, e.g. ``{{ SITEURL }}/{{ urls.UNITS_URL }}``."""
    scheme = globals()
    return {"urls": SimpleNamespace(**{name: scheme[name] for name in _TEMPLATE_NAMES})}
