"""The home page in Chromium at a phone and a desktop viewport: no article twice on the
sample's home page, "Tin mới" beside the lead on a desktop and below it on a phone, and
a small site built at two moments (SOURCE_DATE_EPOCH) whose lead story changes when its
Featured item is more than ``featured_days`` old. Screenshots go to .cache/screenshots/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from support import BrowserTab, Site, serving
from support.site import NOW

HANOI = NOW.tzinfo
FEATURED_DAY = dt.datetime(2026, 11, 10, 8, 0, tzinfo=HANOI)
# Two days after the Featured item, and eight: within the default 7 days, then past them.
BEFORE, AFTER = FEATURED_DAY + dt.timedelta(days=2), FEATURED_DAY + dt.timedelta(days=8)
FEATURED_TITLE = "Hội nghị tổng kết phong trào thi đua năm 2026"
NEWEST_TITLE = "Tin thường ngày 12/11"  # the newest item published by BEFORE and by AFTER

# Every link to an article in the page's main part, as the reader's browser lays it out.
ARTICLE_LINKS = """() => [...document.querySelectorAll('main a[href]')]
  .filter(a => /^\\/\\d{4}\\/\\d{2}\\/[^/]+\\/$/.test(new URL(a.href).pathname))
  .filter(a => a.getClientRects().length > 0)
  .map(a => new URL(a.href).pathname)"""


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not laid out"
    return found


def assert_each_article_once(page) -> list[str]:
    hrefs = page.evaluate(ARTICLE_LINKS)
    repeated = sorted({h for h in hrefs if hrefs.count(h) > 1})
    assert hrefs and not repeated, f"shown more than once on the home page: {repeated}"
    return hrefs


def assert_latest_placed(page, viewport: str) -> None:
    """"Tin mới" is a column right of the lead on a desktop, and comes after it on a phone."""
    lead, latest = box(page, ".home-lead"), box(page, ".home-latest")
    if viewport == "desktop":
        assert latest["x"] >= lead["x"] + lead["width"] - 1
        assert abs(latest["y"] - lead["y"]) < 40
    else:
        assert latest["y"] >= lead["y"] + lead["height"] - 1
        assert latest["width"] >= lead["width"] - 1


def test_sample_home_page_shows_each_article_once(open_tab, viewport):
    tab = open_tab(viewport)
    page = tab.goto("/")
    hrefs = assert_each_article_once(page)
    # 4 in the lead, 8 in "Tin mới", 4 in each of the sample's six sections.
    assert len(hrefs) == 4 + 8 + 6 * 4
    assert_latest_placed(page, viewport)
    # The lead is the newest news: the sample's last Featured item (1/5/2026) is long past its days.
    lead_time = page.locator(".home-lead .lead-story time").get_attribute("datetime")
    times = page.locator("main time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert lead_time == max(times)
    tab.screenshot("home-each-once")
    tab.assert_clean()


def news_site(folder: Path) -> Site:
    """The basic fixture and a week of news around one Featured item."""
    monkeypatch = pytest.MonkeyPatch()
    site = Site(folder, monkeypatch)
    site.article("2026/noi-bat.md", {"Title": FEATURED_TITLE, "Date": FEATURED_DAY.strftime("%d/%m/%Y %H:%M"),
                                     "Unit": "ban-tuyen-giao", "Featured": "yes", "Image": "images/cover.jpg",
                                     "ImageAlt": "Hội trường hội nghị"})
    for day in range(11, 13):
        site.article(f"2026/tin-{day}.md", {"Title": f"Tin thường ngày {day}/11", "Date": f"{day}/11/2026 07:00",
                                            "Unit": "ban-tuyen-giao"})
    # Published only after BEFORE, so the two builds differ in the featured item's age alone.
    site.article("2026/tin-sau.md", {"Title": "Tin đăng sau", "Date": "20/11/2026 07:00", "Unit": "ban-tuyen-giao"})
    return site


@pytest.fixture(scope="module")
def aged_builds(tmp_path_factory) -> dict[str, Path]:
    """The same content built at BEFORE and at AFTER, each in its own output folder."""
    outputs = {}
    for name, moment in (("before", BEFORE), ("after", AFTER)):
        site = news_site(tmp_path_factory.mktemp(name))
        try:
            site.build(now=moment)
        finally:
            site.monkeypatch.undo()
        outputs[name] = site.output
    return outputs


@pytest.mark.parametrize("moment, lead_title", [("before", FEATURED_TITLE), ("after", NEWEST_TITLE)])
def test_lead_story_changes_when_the_featured_item_ages_out(chromium_browser, aged_builds, viewport,
                                                            moment, lead_title):
    with serving(aged_builds[moment]) as served:
        tab = BrowserTab(chromium_browser, served, viewport)
        try:
            page = tab.goto("/")
            lead = page.locator(".home-lead .lead-story .lead-title a")
            assert lead.inner_text().strip() == lead_title
            assert lead.is_visible()
            hrefs = assert_each_article_once(page)
            # Three items and the basic fixture's three: the lead takes four, "Tin mới" the rest.
            assert len(hrefs) == 6
            assert page.locator(".home-lead .lead-title a, .home-lead .card-title a").count() == 4
            assert_latest_placed(page, viewport)
            # The aged Featured item is still on the page, once, as ordinary news.
            assert page.get_by_role("link", name=FEATURED_TITLE, exact=True).count() == 1
            tab.screenshot(f"home-lead-{moment}")
            tab.assert_clean()
        finally:
            tab.context.close()
