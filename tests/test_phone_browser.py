"""The header on a phone (390×844) and a desktop (1366×900) in Debian's Chromium: the
"Danh mục" button reaches every section, the unit and campaign indexes and the archive,
with JavaScript (a toggle: aria-expanded, Escape) and without it (a link to #danh-muc);
the sample notice can be hidden; an article's cover photo starts on the phone's first
screen; card thumbnails download the smallest file that is sharp at their size; the logo
is the theme's SVG and the site root answers for favicon.ico and apple-touch-icon.png.
"""

from __future__ import annotations

import io
from urllib.request import urlopen

import pytest
from PIL import Image

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) these tests
    expect = None

from support import soup
from test_accessibility import AXE_OPTIONS, RUN_AXE, describe

TOOLS = ["/don-vi/", "/chien-dich/", "/luu-tru/"]
MENU = "nav#danh-muc"


def menu_targets(site) -> list[str]:
    """Every entry the menu must reach: the home page, each built section, units, campaigns, archive."""
    sections = sorted("/" + p.parent.relative_to(site.output).as_posix() + "/"
                      for p in site.output.glob("chuyen-muc/*/index.html"))
    assert len(sections) >= 3, sections
    return ["/", *sections, *TOOLS]


def visible_menu_links(page) -> list[str]:
    return page.locator(f"{MENU} a:visible").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_button_reaches_every_entry_on_a_phone(open_tab, served_site, javascript):
    targets = menu_targets(served_site)
    tab = open_tab("phone", java_script_enabled=javascript)
    for target in targets:
        page = tab.goto(TOOLS[0] if target == "/" else "/")
        toggle = page.locator(".site-header .menu-toggle")
        expect(toggle).to_be_visible()
        expect(page.locator(MENU)).to_be_hidden()
        toggle.click()
        expect(page.locator(MENU)).to_be_visible()
        assert sorted(visible_menu_links(page)) == sorted(targets)
        if javascript:
            expect(toggle).to_have_attribute("aria-expanded", "true")
        else:
            assert page.url.endswith("#danh-muc")
        link = page.locator(f"{MENU} a[href='{target}']")
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, f"{target} is below the first screen: {box}"
        link.click()
        page.wait_for_url(f"**{target}")
    tab.screenshot("menu-open-js" if javascript else "menu-open-no-js")
    tab.assert_clean()


def test_the_menu_toggle_is_a_button_that_escape_closes(open_tab):
    tab = open_tab("phone")
    page = tab.goto("/")
    toggle = page.locator(".site-header .menu-toggle")
    expect(toggle).to_have_attribute("role", "button")
    expect(toggle).to_have_attribute("aria-controls", "danh-muc")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Space")
    expect(page.locator(MENU)).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(page.locator(f"{MENU} a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(MENU)).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(MENU)).to_be_visible()
    toggle.click()
    expect(page.locator(MENU)).to_be_hidden()
    tab.assert_clean()


def test_the_open_menu_has_no_accessibility_findings(open_tab):
    tab = open_tab("phone")
    page = tab.goto("/")
    page.locator(".site-header .menu-toggle").click()
    tab.add_axe()
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, "\n".join(describe(v) for v in violations)
    tab.assert_clean()


def test_on_a_desktop_every_entry_shows_without_a_button(open_tab, served_site):
    tab = open_tab("desktop")
    page = tab.goto("/")
    expect(page.locator(".site-header .menu-toggle")).to_be_hidden()
    assert sorted(visible_menu_links(page)) == sorted(menu_targets(served_site))
    # One row of sections under a header no taller than it was before the phone layout.
    assert page.locator(".site-header").bounding_box()["height"] <= 130
    tab.assert_clean()


def test_the_phone_header_is_compact_and_the_notice_can_be_hidden(open_tab):
    tab = open_tab("phone")
    page = tab.goto("/")
    header = page.locator(".site-header").bounding_box()
    notice = page.locator(".site-notice")
    assert header["height"] <= 130, header
    assert notice.bounding_box()["height"] <= 64, notice.bounding_box()
    notice.locator("button.site-notice-close").click()
    expect(notice).to_be_hidden()
    expect(page.locator("main#noi-dung")).to_be_focused()
    # Remembered for this notice's text, on every page.
    page = tab.goto(TOOLS[0])
    expect(page.locator(".site-notice")).to_be_hidden()
    page.evaluate("localStorage.setItem('portal-notice-hidden', 'một lưu ý cũ')")
    page = tab.goto(TOOLS[0])
    expect(page.locator(".site-notice")).to_be_visible()
    tab.assert_clean()


def test_the_notice_stays_without_javascript(open_tab):
    tab = open_tab("phone", java_script_enabled=False)
    page = tab.goto("/")
    expect(page.locator(".site-notice p")).to_be_visible()
    expect(page.locator(".site-notice button")).to_be_hidden()
    tab.assert_clean()


def articles_with_a_cover(site) -> list[str]:
    urls = sorted("/" + p.parent.relative_to(site.output).as_posix() + "/"
                  for p in site.output.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))
    return [url for url in urls if soup(site, url).select_one(".article-cover img, .article-video img")]


def test_an_article_cover_starts_on_the_first_phone_screen(open_tab, served_site):
    articles = articles_with_a_cover(served_site)
    assert len(articles) >= 5, articles
    tab = open_tab("phone")
    late = []
    for url in articles:
        page = tab.goto(url)
        top = page.locator(".article-cover img, .article-video img").first.bounding_box()["y"]
        if top >= 844 - 80:  # at least a strip of the photo shows
            late.append(f"{url}: the cover starts at {top:.0f}px")
    assert not late, "covers below the first screen of a 390×844 phone:\n" + "\n".join(late)
    tab.assert_clean()


CHOSEN_FILES = """() => [...document.querySelectorAll('.card-media img')].map(img => {
  const source = img.closest('picture').querySelector('source');
  const widths = source.getAttribute('srcset').split(',').map(s => parseInt(s.trim().split(/\\s+/)[1], 10));
  const src = img.currentSrc;
  const chosen = source.getAttribute('srcset').split(',').map(s => s.trim().split(/\\s+/))
    .concat(img.getAttribute('srcset').split(',').map(s => s.trim().split(/\\s+/)))
    .find(([url]) => src.endsWith(url));
  return {src, shown: img.getBoundingClientRect().width * devicePixelRatio, widths,
          chosen: chosen ? parseInt(chosen[1], 10) : null};
})"""


@pytest.mark.parametrize("page_type", ["home", "section"])
def test_card_thumbnails_download_the_smallest_sharp_file(open_tab, main_pages, viewport, page_type):
    url = main_pages[page_type]
    tab = open_tab(viewport)
    page = tab.goto(url)
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.currentSrc)")
    cards = page.evaluate(CHOSEN_FILES)
    assert cards, f"no card thumbnails on {url}"
    wrong = []
    for card in cards:
        sharp = [w for w in card["widths"] if w >= card["shown"]]
        best = min(sharp) if sharp else max(card["widths"])
        if card["chosen"] != best:
            wrong.append(f"{card['src']}: {card['chosen']}w for {card['shown']:.0f} device pixels (best {best}w)")
    assert not wrong, "\n".join(wrong)
    tab.assert_clean()


def test_the_logo_is_the_theme_svg_and_the_root_has_the_icons(served_site):
    home = soup(served_site, "/")
    logo = home.select_one(".site-header img.brand-logo")["src"]
    assert logo.endswith(".svg"), logo
    svg = served_site.output / logo.lstrip("/")
    assert svg.stat().st_size < 4000
    links = {link["rel"][0] + " " + link.get("type", ""): link["href"] for link in home.select("link[rel~=icon], link[rel=apple-touch-icon]")}
    assert links == {"icon ": "/favicon.ico", "icon image/svg+xml": "/theme/icons/favicon.svg",
                     "apple-touch-icon ": "/apple-touch-icon.png"}, links
    for href in links.values():
        with urlopen(served_site.url(href)) as response:
            assert response.status == 200, href
            data = response.read()
        if href.endswith(".ico"):
            assert {(32, 32), (16, 16)} <= Image.open(io.BytesIO(data)).ico.sizes()
        elif href.endswith(".png"):
            assert Image.open(io.BytesIO(data)).size == (180, 180)
    # Social cards still draw the PNG logo (Pillow cannot read SVG).
    assert (served_site.output / "images" / "logo.png").is_file()
