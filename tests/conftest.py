"""Real Pelican builds of small content folders, as editors would write them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plugins.contract.build import PortalBuild
from plugins.publishing.build import BuildFailed, build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SETTINGS = ROOT / "pelicanconf.py"
# 22/11/2026 09:00 in Hà Nội: the "now" of every fixture build.
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def epoch(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


class Site:
    """A content folder copied from a fixture, built into ``output``."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture: str = "basic",
                 image_cache: Path | None = None):
        self.content = tmp_path / "content"
        self.output = tmp_path / "output"
        self.cache = tmp_path / "cache"
        # Photos and cards are content-addressed, so tests may share them; None gives this site its own.
        self.image_cache = image_cache
        self.monkeypatch = monkeypatch
        shutil.copytree(FIXTURES / fixture, self.content)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, name: str, header: dict[str, str], body: str = "Nội dung bài viết.") -> Path:
        lines = [f"{k}: {v}" for k, v in header.items()]
        return self.write(f"articles/{name}", "\n".join(lines) + "\n\n" + body + "\n")

    def build(self, now: dt.datetime = NOW, settings: Path = SETTINGS, **overrides) -> PortalBuild:
        self.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(now))
        overrides.setdefault("CACHE_PATH", str(self.cache))
        if self.image_cache is not None:
            overrides.setdefault("PORTAL_IMAGES", {"cache_dir": str(self.image_cache)})
        return build(self.content, self.output, settings, overrides)

    def fail(self, **kwargs) -> BuildFailed:
        with pytest.raises(BuildFailed) as info:
            self.build(**kwargs)
        return info.value

    def html(self, url: str) -> BeautifulSoup:
        path = self.output / url.strip("/")
        if not url.endswith(".html"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, url: str) -> bool:
        path = self.output / url.strip("/")
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


@pytest.fixture(scope="session")
def image_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("images")


@pytest.fixture
def site(tmp_path, monkeypatch, image_cache) -> Site:
    return Site(tmp_path, monkeypatch, image_cache=image_cache)


def links(soup: BeautifulSoup, selector: str = "a") -> list[str]:
    return [a.get("href") for a in soup.select(selector)]


def photo_url(site: Site, stem: str, width: int, ext: str = "jpg") -> str:
    """Root-relative URL of the one published copy of ``images/<stem>.*`` at ``width``."""
    found = sorted(site.output.glob(f"images/{stem}-{width}.*.{ext}"))
    assert len(found) == 1, found
    return "/" + found[0].relative_to(site.output).as_posix()


def card_titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".card-title a")]


# --- The built sample portal, served on localhost: shared by the browser,
# --- accessibility, HTML-validity and link tests.

import os  # noqa: E402
import threading  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from plugins.publishing.preview import make_server  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing_tool(reason: str) -> None:
    """Skip a test whose tool is absent; in CI (PORTAL_REQUIRE_BROWSER=1) fail it instead."""
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1: this test must run here)", pytrace=False)
    pytest.skip(reason)


class ServedSite:
    """The sample ``content/`` built with the real settings into ``output``, served at ``base_url``."""

    def __init__(self, output: Path, base_url: str):
        self.output = output
        self.base_url = base_url

    def url(self, path: str = "/") -> str:
        return self.base_url + "/" + path.lstrip("/")

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


@pytest.fixture(scope="session")
def served_site(tmp_path_factory) -> ServedSite:
    """Build the bundled sample once per test session and serve it on 127.0.0.1 (a free port)."""
    folder = tmp_path_factory.mktemp("served")
    output = folder / "output"
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch(NOW)
    try:
        build(ROOT / "content", output, SETTINGS, {"CACHE_PATH": str(folder / "cache")})
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    # The preview's server: the same security headers (CSP included), timeouts and refusals.
    server = make_server(output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, name="served-site", daemon=True)
    thread.start()
    try:
        yield ServedSite(output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium (or $PORTAL_CHROMIUM) driven by Playwright, headless, one per session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright is not installed in .venv (pip install -e '.[test]')")
    executable = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        missing_tool(f"Chromium not found at {executable} (apt-get install chromium, or set PORTAL_CHROMIUM)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"],
        )
    except Exception as exc:
        playwright.stop()
        missing_tool(f"Chromium at {executable} did not start: {exc}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


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


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("portal: browser and HTML checks")
        for line in SUMMARY.values():
            terminalreporter.write_line(line)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


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


def _csp_text(v: dict) -> str:
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
        self.context.expose_binding("__portalCspViolation", lambda source, v: self.violations.append(_csp_text(v)))
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
            if _csp_text(v) not in self.violations:
                self.violations.append(_csp_text(v))
        assert not self.violations, "the Content-Security-Policy blocked something:\n" + "\n".join(self.violations)
        assert not self.dialogs, "the site opened dialogs:\n" + "\n".join(self.dialogs)
        assert not self.external, "the site tried to load from other servers:\n" + "\n".join(self.external)
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.portal_call_passed = report.passed
    return report


@pytest.fixture
def open_tab(request, chromium_browser, served_site):
    """``open_tab(viewport, **context_options)`` gives a BrowserTab; all are closed afterwards.

    A test that passed without calling ``assert_clean`` on a tab gets it checked here, so no
    browser test can miss a CSP violation, a dialog or a console error."""
    tabs: list[BrowserTab] = []

    def open_(viewport: str, **options) -> BrowserTab:
        tabs.append(BrowserTab(chromium_browser, served_site, viewport, **options))
        return tabs[-1]

    yield open_
    try:
        if getattr(request.node, "portal_call_passed", False):
            for tab in tabs:
                if not tab.checked:
                    tab.assert_clean()
    finally:
        for tab in tabs:
            tab.context.close()


def _soup(site: ServedSite, url: str) -> BeautifulSoup:
    path = site.output / url.strip("/")
    if not url.endswith(".html"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="session")
def main_pages(served_site) -> dict[str, str]:
    """One URL of each main page type of the sample site, chosen from the built output."""
    site = served_site
    articles = sorted("/" + p.parent.relative_to(site.output).as_posix() + "/"
                      for p in site.output.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))

    def richness(url: str) -> tuple:
        page = _soup(site, url)
        return (bool(page.select("figure.article-cover img")), len(page.select(".article-content img")) > 0,
                bool(page.select(".article-campaigns a.chip")), bool(page.select(".article-tags a")), url)

    # The newest article with a cover photo, photos in the body, a campaign and tags.
    article = max(articles, key=richness)
    page = _soup(site, article)
    home = _soup(site, "/")
    section = home.select_one(".nav-sections a:not(.nav-home)")["href"]
    archive_year = _soup(site, "/luu-tru/").select_one(".archive-year-title a")["href"]
    stats_year = _soup(site, "/thong-ke/").select_one("a.stats-year-link")["href"]
    return {
        "home": "/",
        "article": article,
        "unit": page.select_one(".article-meta a[href^='/don-vi/']")["href"],
        "campaign": page.select_one(".article-campaigns a.chip")["href"],
        "section": section,
        "archive": "/luu-tru/",
        "archive-year": archive_year,
        "tag": page.select_one(".article-tags a")["href"],
        "tags": "/the/",
        "units": "/don-vi/",
        "campaigns": "/chien-dich/",
        "statistics": "/thong-ke/",
        "statistics-year": stats_year,
        "search": "/tim-kiem/?q=cong+doan",
        "page": "/gioi-thieu/",
        "404": "/404.html",
    }
