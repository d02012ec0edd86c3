"""The pytest fixtures and hooks of the suite; the helpers behind them live in ``support``."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import BrowserTab, ServedSite, Site, build_sample, launch_chromium, main_pages_of, serving
from support.browser import SUMMARY, VIEWPORTS


@pytest.fixture(scope="session")
def image_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("images")


@pytest.fixture
def site(tmp_path, monkeypatch, image_cache) -> Site:
    return Site(tmp_path, monkeypatch, image_cache=image_cache)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory) -> ServedSite:
    """Build the bundled sample once per test session and serve it on 127.0.0.1 (a free port)."""
    with serving(build_sample(tmp_path_factory.mktemp("served"))) as served:
        yield served


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium (or $PORTAL_CHROMIUM) driven by Playwright, headless, one per session."""
    with launch_chromium() as browser:
        yield browser


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("portal: browser and HTML checks")
        for line in SUMMARY.values():
            terminalreporter.write_line(line)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


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


@pytest.fixture(scope="session")
def main_pages(served_site) -> dict[str, str]:
    """One URL of each main page type of the sample site, chosen from the built output."""
    return main_pages_of(served_site)
