"""Code text in Vietnamese, in Chromium: ``code``, ``pre``, ``kbd`` and ``samp`` are set in the
bundled JetBrains Mono (theme/static/fonts/), whose Vietnamese subset draws every letter, so
"Nguyễn" is not left to the browser's own monospace font, which may lack the marks."""

from __future__ import annotations

import re

from support import SCREENSHOTS
from support.site import ROOT

FAMILY = "JetBrains Mono"
STATIC = ROOT / "theme" / "static"
CSS = STATIC / "css" / "site.css"
GUIDE = "/huong-dan-gui-tin-bai/"
SAMPLE = "Author: Nguyễn Minh Tuấn"
VIETNAMESE_FILE = "jetbrains-mono-vietnamese-400-normal.woff2"

# The code element of the guide that shows SAMPLE, marked so CDP can find it by selector.
MARK_SAMPLE = """(sample) => {
  const code = [...document.querySelectorAll('main code')].find(c => c.textContent === sample);
  if (code) code.setAttribute('data-font-probe', '');
  return Boolean(code);
}"""
# Whether the page's FontFaceSet has loaded the bundled regular face of the Vietnamese subset.
VIETNAMESE_LOADED = """(family) => [...document.fonts].some(f => f.family.replace(/"/g, '') === family
  && f.weight === '400' && f.unicodeRange.toUpperCase().includes('U+1EA0-1EF9') && f.status === 'loaded')"""
# The font stack each element type gets in the article text.
STACKS_OF = """(tags) => Object.fromEntries(tags.map(tag => {
  const e = document.querySelector('main').appendChild(document.createElement(tag));
  const stack = getComputedStyle(e).fontFamily;
  e.remove();
  return [tag, stack];
}))"""


def platform_fonts(cdp, selector: str) -> list[dict]:
    """The fonts Chromium actually drew the element's text with (``CSS.getPlatformFontsForNode``)."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no element matches {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_every_font_the_stylesheet_names_is_bundled_small_and_licensed():
    css = CSS.read_text(encoding="utf-8")
    urls = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    fonts = [u for u in urls if u.endswith(".woff2")]
    assert fonts and all(u.startswith("../fonts/") for u in fonts), urls
    for url in fonts:
        path = (CSS.parent / url).resolve()
        assert path.is_file(), f"site.css names {url}, which is not in theme/static/fonts/"
        assert path.stat().st_size < 100_000, f"{url} is {path.stat().st_size} bytes: bundle a subset"
    assert FAMILY in (STATIC / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert re.search(r'--font-mono:\s*"JetBrains Mono",[^;]*monospace;', css)


def test_vietnamese_code_text_is_drawn_in_the_bundled_font(open_tab, served_site):
    tab = open_tab("desktop")
    fonts_served: dict[str, tuple[int, str]] = {}

    def record(response) -> None:
        if response.url.endswith(".woff2"):
            fonts_served[response.url.rsplit("/", 1)[-1]] = (response.status, response.headers.get("content-type", ""))

    tab.page.on("response", record)
    page = tab.goto(GUIDE)
    assert page.evaluate(MARK_SAMPLE, SAMPLE), f"the guide has no <code>{SAMPLE}</code>"
    # Fonts load after the first layout, which may come after the load event on a busy machine.
    page.wait_for_function(VIETNAMESE_LOADED, arg=FAMILY)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert page.evaluate("(f) => document.fonts.check(f, 'Nguyễn Tuấn')", f'14px "{FAMILY}"')
    assert fonts_served.get(VIETNAMESE_FILE) == (200, "font/woff2"), fonts_served

    code = page.locator("code[data-font-probe]")
    stack = code.evaluate("(c) => getComputedStyle(c).fontFamily")
    assert stack.startswith(f'"{FAMILY}"'), stack
    others = page.evaluate(STACKS_OF, ["pre", "kbd", "samp"])
    assert others == {tag: stack for tag in ("pre", "kbd", "samp")}, others

    cdp = tab.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    used = platform_fonts(cdp, "code[data-font-probe]")
    assert used and all(f["familyName"] == FAMILY and f["isCustomFont"] for f in used), used
    # One glyph per letter: "ễ" drawn whole, not as "e" with marks stacked on it (a space
    # where the table cell wraps the line is not drawn).
    assert len(SAMPLE.replace(" ", "")) <= sum(f["glyphCount"] for f in used) <= len(SAMPLE), used

    # The same text in the browser's generic monospace font, as before the bundled font:
    # drawn from a system font, which this check must tell apart from the bundled one.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    row = code.locator("xpath=ancestor::tr")
    row.screenshot(path=str(SCREENSHOTS / "desktop-mono-font-vietnamese.png"))
    # Reading offsetWidth lays the text out again in that font before the fonts are asked for.
    code.evaluate("(c) => { c.style.fontFamily = 'monospace'; return c.offsetWidth; }")
    assert not any(f["isCustomFont"] for f in platform_fonts(cdp, "code[data-font-probe]"))
    row.screenshot(path=str(SCREENSHOTS / "desktop-mono-font-generic-monospace.png"))
    tab.assert_clean()
