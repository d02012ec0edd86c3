"""An article of the sample in Chromium: share buttons above the text, the side column of the newest
items (fetched from the shared lists, a plain link without scripts), the caption then the credit."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) these tests
    expect = None

ARTICLE = "/2026/02/video-cong-nhan-may-thanh-cong-goi-banh-chung-don-tet/"


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_desktop_article_has_the_newest_items_beside_it(open_tab):
    tab = open_tab("desktop")
    page = tab.goto(ARTICLE)
    unit_list = page.locator(".article-aside .side-block").nth(0).locator(".side-list .side-link")
    site_list = page.locator(".article-aside .side-block").nth(1).locator(".side-list .side-link")
    expect(site_list.first).to_be_visible()
    expect(unit_list.first).to_be_visible()
    assert 1 <= unit_list.count() <= 6 and 1 <= site_list.count() <= 6
    # Never the article being read; links stay on the site.
    hrefs = unit_list.evaluate_all("links => links.map(a => new URL(a.href).pathname)") + \
        site_list.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert ARTICLE not in hrefs and all(h.startswith("/") for h in hrefs), hrefs
    article, aside = _box(page, "article.article"), _box(page, ".article-aside")
    assert aside["x"] >= article["x"] + article["width"], (article, aside)
    assert aside["y"] < article["y"] + 400, "the side column starts beside the top of the article"
    # The share buttons are above the text as well as after it.
    top, text = _box(page, ".article-header .share--top .share-facebook"), _box(page, ".article-content")
    assert top["y"] < text["y"]
    expect(page.locator(".share--end .share-facebook")).to_be_visible()
    tab.screenshot("article-side-column")
    tab.assert_clean()


def test_phone_article_shares_from_the_top_and_credits_the_photo(open_tab):
    tab = open_tab("phone")
    page = tab.goto(ARTICLE)
    share = page.locator(".article-header .share--top")
    expect(share.get_by_role("link", name="Facebook (mở trong thẻ mới)")).to_be_visible()
    expect(share.get_by_role("button", name="Zalo")).to_be_visible()
    # The video poster stays at the top of the article, under the credit of the cover photo.
    video, text = _box(page, ".article-video"), _box(page, ".article-content")
    assert video["y"] < text["y"]
    expect(page.locator(".article-video figcaption .caption-credit")).to_have_text("Ảnh: Lê Thu Trang")
    # On a phone the side column follows the article.
    expect(page.locator(".article-aside .side-list").first).to_be_attached()
    assert _box(page, ".article-aside")["y"] > _box(page, "article.article")["y"]
    tab.assert_clean()


def test_without_scripts_the_side_column_is_a_plain_link(open_tab):
    tab = open_tab("desktop", java_script_enabled=False)
    page = tab.goto(ARTICLE)
    fallback = page.locator(".article-aside .side-fallback a")
    expect(fallback).to_have_text(["Xem tin mới nhất của đơn vị", "Xem tin mới nhất"])
    assert page.locator(".article-aside .side-list").count() == 0
    fallback.nth(1).click()
    expect(page).to_have_url(tab.site.base_url + "/luu-tru/")
    tab.assert_clean()
