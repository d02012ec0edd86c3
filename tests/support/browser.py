"""Headless Chromium on the served sample: a tab that records everything a page must not do
(load from other servers, break the Content-Security-Policy, log errors, open dialogs)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from plugins.tools.print_stats import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_VARIABLE

from .served import AXE_SCRIPT, ServedSite, missing_tool
from .site import ROOT

# Phone and desktop viewports of the browser and accessibility tests.
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}

SCREENSHOTS = ROOT / ".cache" / "screenshots"
# Lines for the end of the test report (screenshots saved, checker warnings, …), by topic.
SUMMARY: dict[str, str] = {}
_SHOTS: set[Path] = set()

# Served to the browser tests at this address from node_modules, so axe-core loads as a
# same-origin script (an inline copy would be blocked by the site's Content-Security-Policy).
AXE_URL = "/__tests__/axe.min.js"
# Runs before any script of every page: records Content-Security-Policy violations.
CSP_WATCH = """(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = {directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI,
               source: (e.sourceFile || '') + ':' + e.lineNumber, sample: e.sample, page: document.URL};
    window.__cspViolations.push(v);
    if (window.__portalCspViolation) window.__portalCspViolation(v);
  });
})();"""


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """Debian's Chromium (or $PORTAL_CHROMIUM) driven by Playwright, headless."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright is not installed in .venv (pip install -e '.[test]')")
    executable = os.environ.get(CHROMIUM_VARIABLE) or CHROMIUM
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        missing_tool(f"Chromium not found at {executable} (apt-get install chromium, or set {CHROMIUM_VARIABLE})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS),
        )
    except Exception as exc:
        playwright.stop()
        missing_tool(f"Chromium at {executable} did not start: {exc}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


def show_every_result(page, results: str) -> None:
    """Press the search page's “Xem thêm” until every result matching ``results`` is listed."""
    from playwright.sync_api import expect

    more = page.locator(".search-more")
    while more.is_visible():
        shown = page.locator(results).count()
        more.click()
        expect(page.locator(results)).not_to_have_count(shown)


def csp_text(v: dict) -> str:
    return f"CSP violation on {v['page']}: {v['directive']} blocked {v['blocked'] or '—'} ({v['source']}) {v['sample'] or ''}"


class BrowserTab:
    """A fresh browser context and page on the served site that records what must not happen:
    requests to anything but 127.0.0.1 (blocked), console errors, page errors, failed responses,
    Content-Security-Policy violations and dialogs (alert, confirm, prompt: dismissed)."""

    def __init__(self, browser, site: ServedSite, viewport: str, **options):
        self.site = site
        self.viewport = viewport
        self.external: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []
        self.dialogs: list[str] = []
        self.checked = False
        self.context = browser.new_context(**VIEWPORTS[viewport], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                           base_url=site.base_url, **options)
        self.context.set_default_timeout(10_000)
        self.context.route("**/*", self._route)
        # Every violation reaches Python at once, even on a page the test has already left.
        self.context.expose_binding("__portalCspViolation", lambda source, v: self.violations.append(csp_text(v)))
        self.context.add_init_script(CSP_WATCH)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"JavaScript error: {exc}"))
        self.page.on("response", self._response)
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.hostname == "127.0.0.1" and parts.path == AXE_URL:
            route.fulfill(path=str(AXE_SCRIPT), content_type="text/javascript")
        elif parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.external.append(f"{route.request.resource_type} {url}")
            route.abort("blockedbyclient")

    def _console(self, message):
        text = message.text
        if "Content-Security-Policy" in text or "Content Security Policy" in text:
            self.violations.append(f"console on {self.page.url}: {text}")
        elif message.type == "error":
            self.errors.append(f"console error on {self.page.url}: {text}")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status} for {response.url}")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type} dialog on {self.page.url}: {dialog.message}")
        dialog.dismiss()

    def goto(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '—'}"
        return self.page

    def add_axe(self) -> None:
        """Load axe-core into the page, as a same-origin script the CSP allows."""
        self.page.add_script_tag(url=AXE_URL)

    def page_violations(self) -> list[dict]:
        """The violations the current page recorded itself (``window.__cspViolations``)."""
        return self.page.evaluate("window.__cspViolations || []")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.viewport}-{name}.png"
        # Lazy photos below the fold would stay blank in a full-page shot: load them all first.
        self.page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        # A function, not an expression: Playwright would eval() an expression, which the CSP forbids.
        self.page.wait_for_function("() => [...document.images].every(i => i.complete)")
        self.page.evaluate("document.fonts.ready")
        self.page.screenshot(path=str(path), full_page=True)
        _SHOTS.add(path)
        SUMMARY["screenshots"] = f"Screenshots: {len(_SHOTS)} full-page PNG files in {SCREENSHOTS}/"
        return path

    def assert_clean(self) -> None:
        self.checked = True
        for v in self.page_violations():
            if csp_text(v) not in self.violations:
                self.violations.append(csp_text(v))
        assert not self.violations, "the Content-Security-Policy blocked something:\n" + "\n".join(self.violations)
        assert not self.dialogs, "the site opened dialogs:\n" + "\n".join(self.dialogs)
        assert not self.external, "the site tried to load from other servers:\n" + "\n".join(self.external)
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)
