"""A YouTube video in the sample, in Chromium: nothing is asked of YouTube until the reader
clicks the poster's play button, which then frames the youtube-nocookie player."""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) these tests
    expect = None

VIDEO_ARTICLE = "video-cong-nhan-may-thanh-cong-goi-banh-chung-don-tet"


def test_the_poster_loads_nothing_from_youtube_until_clicked(open_tab, served_site):
    found = sorted(served_site.output.rglob(f"{VIDEO_ARTICLE}.html")) + \
        sorted(served_site.output.rglob(f"{VIDEO_ARTICLE}/index.html"))
    url = "/" + found[0].relative_to(served_site.output).as_posix().removesuffix("index.html")
    tab = open_tab("phone")
    page = tab.goto(url)
    poster = page.locator(".article-video .video-embed")
    expect(poster.locator("a.video-embed-link")).to_have_attribute("href", "https://www.youtube.com/watch?v=Lp3vN8sTq0w")
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0 and tab.external == []

    button = poster.get_by_role("button", name="Phát video trên YouTube ngay trên trang")
    expect(button).to_be_visible()
    button.click()
    frame = page.locator(".article-video iframe.video-embed-frame")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/Lp3vN8sTq0w?autoplay=1")
    expect(frame).to_have_attribute("title", "Xem video trên YouTube")
    # The tab blocks every other server: the player's own request is the one expected here.
    assert tab.external and all("https://www.youtube-nocookie.com/" in r for r in tab.external), tab.external
    tab.external.clear()
    tab.errors[:] = [e for e in tab.errors if "youtube-nocookie" not in e and "ERR_BLOCKED_BY_CLIENT" not in e]
    tab.assert_clean()
