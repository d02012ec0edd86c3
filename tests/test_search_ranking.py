"""What the search page finds and in what order, in Chromium: tags, campaign
names and unit names are searched like the text; a query typed with its
accents puts the articles that have every word with those accents first, and
marks only those words; on a phone the first result is on the first screen."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlencode

import pytest

from support import BrowserTab, Site, serving, show_every_result, soup

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) the browser tests
    expect = None

RESULT_LINKS = "ol.search-results > li.search-result h2.search-title a"
ACCENTED = "bảo hiểm xã hội"

# Decoys first: the same words without their accents ("báo", "hiếm", "xa", "hỏi", "xây"), many times.
EXTRA = [
    ("2024/bao-hiem.md", {"Title": "Đóng bảo hiểm xã hội cho người lao động", "Date": "2024-09-03 08:00",
                          "Unit": "cd-giao-duc", "Slug": "bao-hiem"},
     "Công đoàn ngành Giáo dục hướng dẫn đoàn viên tra cứu quá trình đóng bảo hiểm xã hội."),
    ("2024/bao-chi.md", {"Title": "Báo chí hỏi về chuyện hiếm: xây nhà xa", "Date": "2024-09-04 08:00",
                         "Unit": "cd-giao-duc", "Slug": "bao-chi"},
     "Báo hỏi, báo hỏi mãi: nhà hiếm, xây xa, thị xã xa. Báo hỏi hiếm xây xa hội."),
    ("2024/tet.md", {"Title": "Chuyến xe đưa công nhân về quê", "Date": "2024-02-01 08:00",
                     "Unit": "ldld-tinh", "Tags": "Tết Sum vầy, xe đưa đón", "Slug": "chuyen-xe"},
     "Công đoàn tỉnh tổ chức chuyến xe miễn phí cho công nhân."),
    ("2024/tang-qua.md", {"Title": "Trao quà cho đoàn viên khó khăn", "Date": "2024-05-20 08:00",
                          "Unit": "cd-giao-duc", "Campaigns": "thang-cong-nhan-2024", "Slug": "tang-qua"},
     "Những phần quà được trao tận tay đoàn viên."),
    ("2024/gap-mat.md", {"Title": "Gặp mặt cán bộ hưu trí", "Date": "2024-10-10 08:00",
                         "Unit": "ban-tuyen-giao", "Slug": "gap-mat"},
     "Buổi gặp mặt ấm cúng."),
]


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[\w\u0300-\u036f]+", unicodedata.normalize("NFC", text).casefold()))


def plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).replace("đ", "d")


def has_all(text: str, query: str) -> bool:
    """Every word of ``query`` is a word of ``text`` with its accents."""
    return set(query.split()) <= words_of(text)


def search(tab: BrowserTab, query: str):
    page = tab.goto("/tim-kiem/?" + urlencode({"q": query}))
    expect(page.locator("#search-status")).to_contain_text("kết quả")
    expect(page.locator("ol.search-results")).not_to_have_attribute("aria-busy", "true")
    return page


def result_paths(page) -> list[str]:
    return page.locator(RESULT_LINKS).evaluate_all("as => as.map(a => new URL(a.href).pathname)")


def all_result_paths(page) -> list[str]:
    show_every_result(page, RESULT_LINKS)
    return result_paths(page)


def article_pages(served) -> dict[str, object]:
    """Every article page of a served build, by path: its ``<article class="article">``."""
    pages = {}
    for path in served.output.glob("20*/**/index.html"):
        url = "/" + path.relative_to(served.output).parent.as_posix() + "/"
        page = soup(served, url)
        kind = page.select_one('meta[property="og:type"]')
        article = page.select_one("article.article")
        if kind is not None and kind["content"] == "article" and article is not None:
            pages[url] = article
    return pages


def labelled(articles: dict[str, object], name: str) -> set[str]:
    """Articles with a tag or campaign chip naming ``name``, accents aside."""
    wanted = plain(name.casefold())
    return {url for url, article in articles.items()
            if any(wanted in plain(chip.get_text(" ", strip=True).casefold()) for chip in article.select("a.chip"))}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, image_cache):
    folder = tmp_path_factory.mktemp("ranking")
    with pytest.MonkeyPatch.context() as mp:
        site = Site(folder, mp, image_cache=image_cache)
        for name, header, body in EXTRA:
            site.article(name, header, body)
        site.build()
        with serving(site.output) as served:
            yield site, served


# ---------- the sample ----------

def test_tet_sum_vay_finds_every_article_tagged_or_campaigned_so(served_site, chromium_browser):
    expected = labelled(article_pages(served_site), "Tết Sum vầy")
    assert len(expected) >= 13, sorted(expected)  # the tag page alone lists 13
    tab = BrowserTab(chromium_browser, served_site, "desktop")
    try:
        found = set(all_result_paths(search(tab, "tet sum vay")))
        assert expected <= found, sorted(expected - found)
        tab.assert_clean()
    finally:
        tab.context.close()


def test_a_query_with_accents_ranks_articles_with_every_word_so_first(served_site, chromium_browser):
    articles = article_pages(served_site)
    exact = {url for url, article in articles.items() if has_all(article.get_text(" "), ACCENTED)}
    assert exact
    tab = BrowserTab(chromium_browser, served_site, "desktop")
    try:
        page = search(tab, ACCENTED)
        found = all_result_paths(page)
        top = found[:min(10, len(exact))]
        assert set(top) <= exact, [u for u in top if u not in exact]
        # Without accents the same query still finds them all, and more.
        assert exact <= set(all_result_paths(search(tab, "bao hiem xa hoi")))
        tab.assert_clean()
    finally:
        tab.context.close()


def test_on_a_phone_the_first_result_is_on_the_first_screen(served_site, chromium_browser):
    for viewport in ("phone", "desktop"):
        tab = BrowserTab(chromium_browser, served_site, viewport)
        try:
            page = search(tab, "cong doan")
            first = page.locator("ol.search-results > li.search-result").first
            box = first.bounding_box()
            height = page.viewport_size["height"]
            assert page.evaluate("() => window.scrollY") == 0
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (viewport, box)
            filters = page.locator("details.search-filters-box")
            if viewport == "phone":
                expect(filters).not_to_have_attribute("open", "")
                expect(page.locator("#search-unit")).to_be_hidden()
                filters.locator("summary").click()
                expect(page.locator("#search-unit")).to_be_visible()
                page.locator("#search-year").select_option(index=1)
                expect(filters.locator(".search-filters-chosen")).to_have_text(" (đang chọn 1)")
            else:
                expect(filters).to_have_attribute("open", "")
            tab.screenshot(f"search-first-screen-{viewport}")
            tab.assert_clean()
        finally:
            tab.context.close()


# ---------- a fixture ----------

def test_tags_campaigns_and_units_are_searched(fixture_site, chromium_browser):
    site, served = fixture_site
    tab = BrowserTab(chromium_browser, served, "desktop")
    try:
        # Only in a tag, only in a campaign's name, only in a unit's name.
        for query, path in (("tet sum vay", "/2024/02/chuyen-xe/"), ("xe dua don", "/2024/02/chuyen-xe/"),
                            ("thang cong nhan", "/2024/05/tang-qua/"), ("Tuyên giáo", "/2024/10/gap-mat/")):
            assert path in all_result_paths(search(tab, query)), query
        tab.assert_clean()
    finally:
        tab.context.close()


def test_accents_put_the_exact_article_first_and_mark_only_its_words(fixture_site, chromium_browser):
    site, served = fixture_site
    tab = BrowserTab(chromium_browser, served, "desktop")
    try:
        page = search(tab, ACCENTED)
        found = all_result_paths(page)
        articles = article_pages(served)
        exact = [u for u in found if has_all(articles[u].get_text(" "), ACCENTED)]
        assert "/2024/09/bao-chi/" in found  # the decoy is still found: accents rank, they do not filter
        assert found[:len(exact)] == exact and len(exact) >= 2, found
        # In an article with every word so, only those words are marked ("hỏi", "xây" are not).
        for index in range(len(exact)):
            item = page.locator("ol.search-results > li.search-result").nth(index)
            marks = {m.casefold() for m in item.locator("mark").all_inner_texts()}
            assert marks and marks <= set(ACCENTED.split()), (exact[index], marks)
        # Typed without accents: every form is marked.
        page = search(tab, "bao hiem xa hoi")
        marks = {m.casefold() for m in page.locator("ol.search-results mark").all_inner_texts()}
        assert {"báo", "hỏi", "bảo", "hội"} <= marks, marks
        tab.assert_clean()
    finally:
        tab.context.close()
