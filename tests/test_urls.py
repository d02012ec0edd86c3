"""The URL model: every page kind, the one absolute-URL rule, Pelican's settings
generated from it, and no URL of the site's sections written anywhere else."""

from __future__ import annotations

import ast
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from support import ROOT, SETTINGS, Site
from plugins import urls


# --- Every page kind


@pytest.mark.parametrize("url, expected", [
    (urls.HOME, ""),
    (urls.unit("cdcs-truong-a"), "don-vi/cdcs-truong-a/"),
    (urls.campaign("thang-cong-nhan"), "chien-dich/thang-cong-nhan/"),
    (urls.section("tin-tuc"), "chuyen-muc/tin-tuc/"),
    (urls.tag("an-toan"), "the/an-toan/"),
    (urls.TAGS_URL, "the/"),
    (urls.archive_year(2024), "luu-tru/2024/"),
    (urls.archive_month(2024, 5), "luu-tru/2024/05/"),
    (urls.archive_month(2024, 12), "luu-tru/2024/12/"),
    (urls.UNITS_URL, "don-vi/"),
    (urls.CAMPAIGNS_URL, "chien-dich/"),
    (urls.SECTIONS_URL, "chuyen-muc/"),
    (urls.ARCHIVES_URL, "luu-tru/"),
    (urls.STATS_URL, "thong-ke/"),
    (urls.stats_year(2026), "thong-ke/2026/"),
    (urls.stats_data(2026, "json"), "thong-ke/2026.json"),
    (urls.stats_data(2026, "csv"), "thong-ke/2026.csv"),
    (urls.SEARCH_URL, "tim-kiem/"),
    (urls.search_index(), "pagefind/"),
    (urls.search_index("chi-muc"), "chi-muc/"),
    (urls.FEEDS_URL, "rss/"),
    (urls.rss(), "rss.xml"),
    (urls.atom(), "atom.xml"),
    (urls.rss(urls.unit("ldld-tinh")), "don-vi/ldld-tinh/rss.xml"),
    (urls.atom(urls.section("tin-tuc")), "chuyen-muc/tin-tuc/atom.xml"),
    (urls.rss(urls.campaign("c")), "chien-dich/c/rss.xml"),
    (urls.card("2024/05/le-phat-dong/", "0123456789"), "anh-chia-se/2024/05/le-phat-dong.0123456789.jpg"),
    (urls.card(urls.unit("x"), "abc"), "anh-chia-se/don-vi/x.abc.jpg"),
    (urls.card(urls.HOME, "abc"), "anh-chia-se/trang-chu.abc.jpg"),
    (urls.card(urls.HOME, "abc", "the-chia-se"), "the-chia-se/trang-chu.abc.jpg"),
    (urls.photo("images/2024", "cover", 800, "0123456789", "webp"), "images/2024/cover-800.0123456789.webp"),
    (urls.page_number(urls.unit("x"), 2), "don-vi/x/trang/2/"),
])
def test_every_page_kind(url, expected):
    assert url == expected


@pytest.mark.parametrize("url, expected", [
    ("", "index.html"),
    ("don-vi/x/", "don-vi/x/index.html"),
    ("thong-ke/2026.csv", "thong-ke/2026.csv"),
    ("rss.xml", "rss.xml"),
])
def test_save_as_is_a_folders_index_or_the_file_itself(url, expected):
    assert urls.save_as(url) == expected


def test_overview_pages_are_the_top_level_lists():
    assert urls.OVERVIEW_URLS == ("don-vi/", "chien-dich/", "chuyen-muc/", "luu-tru/", "the/")


def test_reserved_names_cover_every_top_level_folder_and_file():
    folders = {urls.UNITS, urls.CAMPAIGNS, urls.SECTIONS, urls.TAGS, urls.ARCHIVES, urls.STATS, urls.SEARCH,
               urls.FEEDS, urls.CARDS, urls.PHOTOS, urls.DOWNLOADS, urls.THEME, urls.SEARCH_INDEX, urls.PAGE_NUMBER,
               urls.CMS}
    assert urls.RESERVED_PAGE_SLUGS == folders
    assert {"index.html", "404.html", "rss.xml", "atom.xml", "sitemap.xml", "robots.txt"} <= urls.RESERVED_FILES
    tops = {u.split("/")[0] for u in (*urls.OVERVIEW_URLS, urls.STATS_URL, urls.SEARCH_URL, urls.FEEDS_URL,
                                        urls.card("", "k"), urls.search_index(), urls.page_number("", 2))}
    assert tops <= urls.RESERVED_PAGE_SLUGS
    assert isinstance(urls.RESERVED_PAGE_SLUGS, frozenset) and isinstance(urls.RESERVED_FILES, frozenset)


def test_the_contract_refuses_the_reserved_names_of_the_model():
    from plugins.contract import rules

    assert rules.RESERVED_PAGE_SLUGS is urls.RESERVED_PAGE_SLUGS
    assert rules.reserved_by_site("thong-ke/index.html") == "mục /thong-ke/"
    assert rules.reserved_by_site("atom.xml") == "tệp /atom.xml"
    assert rules.reserved_by_site("gioi-thieu/index.html") == ""


# --- The one rule for absolute URLs


@pytest.mark.parametrize("siteurl, expected", [
    ("", "http://localhost:8000/"),
    ("https://congdoan.example.vn", "https://congdoan.example.vn/"),
    ("https://congdoan.example.vn/", "https://congdoan.example.vn/"),
    ("https://example.vn/cong-doan", "https://example.vn/cong-doan/"),
    ("/cong-doan", "http://localhost:8000/cong-doan/"),
])
def test_site_base(siteurl, expected):
    assert urls.site_base(siteurl) == expected


def test_absolute_urls_with_and_without_siteurl():
    assert urls.absolute("don-vi/x/", "") == "http://localhost:8000/don-vi/x/"
    assert urls.absolute("don-vi/x/", "https://a.vn") == "https://a.vn/don-vi/x/"
    assert urls.absolute("/rss.xml", "https://a.vn/") == "https://a.vn/rss.xml"
    assert urls.absolute("", "", "http://127.0.0.1:9000/") == "http://127.0.0.1:9000/"


def test_base_of_reads_siteurl_and_the_local_address_from_the_settings():
    assert urls.base_of({"SITEURL": ""}) == "http://localhost:8000/"
    assert urls.base_of({"SITEURL": "", "LOCAL_SITEURL": "http://127.0.0.1:9000"}) == "http://127.0.0.1:9000/"
    assert urls.base_of({"SITEURL": "https://a.vn", "LOCAL_SITEURL": "http://127.0.0.1:9000"}) == "https://a.vn/"


def test_href_is_how_pages_link():
    assert urls.href("", "don-vi/x/") == "/don-vi/x/"
    assert urls.href("", urls.HOME) == "/"
    assert urls.href("https://a.vn/", "rss.xml") == "https://a.vn/rss.xml"


# --- Pelican's settings


@pytest.fixture(scope="module")
def pelican_settings() -> dict:
    return read_settings(str(SETTINGS))


def test_pelicanconf_takes_every_url_setting_from_the_model(pelican_settings):
    generated = urls.pelican_settings()
    read = {key: pelican_settings[key] for key in generated}
    read["PAGINATION_PATTERNS"] = tuple(tuple(rule) for rule in read["PAGINATION_PATTERNS"])
    assert read == generated
    assert generated["ARTICLE_URL"] == "{date:%Y}/{date:%m}/{slug}/"
    assert generated["ARTICLE_SAVE_AS"] == "{date:%Y}/{date:%m}/{slug}/index.html"
    assert generated["PAGE_SAVE_AS"] == "{slug}/index.html"
    assert generated["CATEGORY_URL"] == "chuyen-muc/{slug}/"
    assert generated["TAG_URL"] == "the/{slug}/" and generated["TAG_SAVE_AS"] == "the/{slug}/index.html"
    assert generated["TAGS_URL"] == "the/" and generated["TAGS_SAVE_AS"] == "the/index.html"
    assert generated["PAGINATION_PATTERNS"] == (
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
    )
    assert generated["THEME_STATIC_DIR"] == "theme"


def test_templates_get_the_model_and_the_settings_stay_picklable(pelican_settings):
    """Pelican's content cache pickles the settings with every item."""
    scheme = pelican_settings["JINJA_GLOBALS"]["urls"]
    assert scheme.UNITS_URL == "don-vi/" and scheme.unit("x") == "don-vi/x/"
    assert pickle.loads(pickle.dumps(pelican_settings["JINJA_GLOBALS"]))["urls"].rss("don-vi/x/") == "don-vi/x/rss.xml"


# --- A build writes what the model names


_BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from plugins.publishing.build import build
build(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[1]) / "pelicanconf.py",
      {"CACHE_PATH": sys.argv[4], "PORTAL_IMAGES": {"cache_dir": sys.argv[5]}})
"""


def test_moving_a_section_of_the_site_is_one_edit(tmp_path, image_cache):
    """One line of urls.py changed: pages, links, feeds, cards and the sitemap all move with it."""
    tree = tmp_path / "repo"
    for folder in ("plugins", "theme"):
        shutil.copytree(ROOT / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(SETTINGS, tree / "pelicanconf.py")
    model = tree / "plugins" / "urls.py"
    text = model.read_text(encoding="utf-8")
    assert text.count('UNITS = "don-vi"\n') == 1
    model.write_text(text.replace('UNITS = "don-vi"\n', 'UNITS = "co-so"\n'), encoding="utf-8")
    shutil.copytree(ROOT / "tests" / "fixtures" / "basic", tmp_path / "content")
    output = tmp_path / "output"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795392000"}
    subprocess.run([sys.executable, "-c", _BUILD, str(tree), str(tmp_path / "content"), str(output),
                    str(tmp_path / "cache"), str(image_cache)], check=True, cwd=tree, env=env, capture_output=True)
    assert (output / "co-so" / "index.html").is_file() and not (output / "don-vi").exists()
    assert list(output.glob("co-so/*/rss.xml")) and list(output.glob("anh-chia-se/co-so/*.jpg"))
    assert "/co-so/" in (output / "sitemap.xml").read_text(encoding="utf-8")
    written = [p for p in output.rglob("*") if p.suffix in (".html", ".xml", ".json", ".csv")]
    assert written and [p.relative_to(output).as_posix() for p in written if "don-vi/" in p.read_text(encoding="utf-8")] == []


@pytest.fixture(scope="module")
def built(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        site = Site(tmp_path_factory.mktemp("urls"), mp, image_cache=image_cache)
        site.build()
        yield site


def test_the_build_writes_every_fixed_page_of_the_model(built):
    fixed = [*urls.OVERVIEW_URLS, urls.HOME, urls.STATS_URL, urls.SEARCH_URL, urls.FEEDS_URL, urls.rss(),
             urls.atom(), urls.SITEMAP, urls.ROBOTS, urls.NOT_FOUND, urls.search_index() + "pagefind.js"]
    missing = [url for url in fixed if not (built.output / urls.save_as(url)).is_file()]
    assert missing == []


def test_the_build_writes_the_pages_of_every_unit_campaign_and_section(built):
    sitemap = (built.output / urls.SITEMAP).read_text(encoding="utf-8")
    listed = re.findall(r"<loc>/([^<]*)</loc>", sitemap)
    kinds = {prefix: [u for u in listed if u.startswith(prefix) and u != prefix]
             for prefix in (urls.UNITS_URL, urls.CAMPAIGNS_URL, urls.SECTIONS_URL)}
    assert all(kinds.values()), kinds
    for url in [u for found in kinds.values() for u in found]:
        assert (built.output / urls.save_as(url)).is_file(), url
        assert (built.output / urls.rss(url)).is_file() and (built.output / urls.atom(url)).is_file(), url
    cards = sorted(p.relative_to(built.output).as_posix() for p in (built.output / urls.CARDS).rglob("*.jpg"))
    assert any(c.startswith(urls.card(urls.HOME, "")[:-5]) for c in cards), cards
    assert any(c.startswith(urls.card(kinds[urls.UNITS_URL][0], "")[:-5]) for c in cards), cards


# --- No URL of the site's sections outside the model

SECTION_NAMES = ("don-vi", "chien-dich", "chuyen-muc", "the", "luu-tru", "thong-ke", "tim-kiem", "anh-chia-se",
                 "trang", "pagefind", "rss")
FILE_NAMES = ("rss.xml", "atom.xml", "sitemap.xml", "robots.txt", "index.html", "404.html", "trang-chu")
_NAMES = "|".join(SECTION_NAMES)
_FILES = "|".join(map(re.escape, FILE_NAMES))
# A URL pattern ("{slug}/"), a section's folder in a URL ("don-vi/", ".../thong-ke"), or a file name of the site.
_URLISH = re.compile(rf"\{{slug\}}/|(?<![\w.-])(?:{_NAMES})/|/(?:{_NAMES})(?![\w+-])|(?<![\w.-])(?:{_FILES})(?![\w-])")
# Names no Python string has but as an address: a bare "rss" or "the" may be a template or a word.
SLUGS = tuple(name for name in SECTION_NAMES if "-" in name)
MODEL = ROOT / "plugins" / "urls.py"
# An XML namespace (``{http://purl.org/rss/1.0/modules/content/}`` in lxml's notation, or the bare URI)
# names a vocabulary on another host, never an address of this site.
_XML_NAMESPACE = re.compile(r"^\{?https?://[^/\s{}]+/[^\s{}]*\}?$")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            found.add(id(body[0].value))
    return found


def python_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant of a module that is or holds a URL of the site; docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and not _XML_NAMESPACE.match(node.value) and (node.value in SLUGS or _URLISH.search(node.value))]


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
# Where a template writes an address: an attribute value or a Jinja string.
_TEMPLATE_STRING = re.compile(r"""=\s*"([^"]*)"|'([^']*)'""")


def template_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every attribute value or Jinja string of a template holding a URL of the site."""
    text = _JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
    hits = []
    for match in _TEMPLATE_STRING.finditer(text):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        if _URLISH.search(value):
            hits.append((text.count("\n", 0, match.start()) + 1, value))
    return hits


def url_literals() -> list[str]:
    found = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path != MODEL:
            found += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in python_literals(path)]
    for path in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        found += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in template_literals(path)]
    return found


def test_no_url_literal_outside_the_model():
    assert url_literals() == [], "ask plugins/urls.py (the Jinja global `urls` in templates) instead"


@pytest.mark.parametrize("source, found", [
    ('x = "don-vi/"', True),
    ('x = f"thong-ke/{year}.json"', True),
    ('x = f"{base}trang/{n}/"', True),
    ('x = "rss.xml"', True),
    ('x = "{date:%Y}/{slug}/"', True),
    ('x = "tim-kiem"', True),
    ('x = "/luu-tru"', True),
    ('x = "anh-chia-se"', True),
    ('x = "Nhóm các đơn vị"', False),
    ('x = "hãy chuyển tệp vào files/"', False),
    ('x = "tin-bai-don-vi"', False),
    ('x = "pagefind dừng đột ngột"', False),
    ('x = "breathe/"', False),
    ('get_template("rss")', False),
    ('x = "application/rss+xml"', False),
    ('x = "{http://purl.org/rss/1.0/modules/content/}"', False),
    ('x = "http://purl.org/rss/1.0/modules/content/"', False),
    ('x = "{base}rss/"', True),
    ('"""The /tim-kiem/ page."""', False),
])
def test_the_literal_scan_finds_section_urls_in_python(tmp_path, source, found):
    module = tmp_path / "m.py"
    module.write_text(source + "\n", encoding="utf-8")
    assert bool(python_literals(module)) is found


@pytest.mark.parametrize("source, found", [
    ('<a href="{{ SITEURL }}/don-vi/">', True),
    ("{% set nav_current = 'luu-tru/' %}", True),
    ('<link href="{{ SITEURL }}/rss.xml">', True),
    ('<a href="{{ SITEURL }}/thong-ke/{{ stats.year }}.csv">', True),
    ('<a href="{{ SITEURL }}/{{ urls.UNITS_URL }}">', False),
    ('<section aria-labelledby="chien-dich">', False),
    ('<h2 id="tin-bai-don-vi">', False),
    ("{# <a href='/don-vi/'> #}", False),
])
def test_the_literal_scan_finds_section_urls_in_templates(tmp_path, source, found):
    template = tmp_path / "t.html"
    template.write_text(source + "\n", encoding="utf-8")
    assert bool(template_literals(template)) is found
