"""An imported article in Debian's Chromium, at a phone and a desktop viewport: the notes on what
the import could not carry are readable without scrolling sideways, axe-core finds nothing, and an
old address lands on the new page."""

from __future__ import annotations

import os
import shutil

import pytest

from plugins.importer.cli import run
from plugins.publishing.build import build
from support import AXE_SCRIPT, FIXTURES, NOW, SETTINGS, BrowserTab, epoch, missing_tool, serving

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) these tests
    expect = None

from test_accessibility import AXE_OPTIONS, RUN_AXE
from test_import import IMPORT, WXR, fill

ARTICLE = "/2023/05/hoi-nghi-nguoi-lao-dong-2023/"


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory):
    """The basic fixture with wordpress.xml imported (mapping filled), built at NOW and served."""
    folder = tmp_path_factory.mktemp("imported")
    content, mapping, report = folder / "content", folder / "import-map.yml", folder / "bao-cao-nhap.txt"
    shutil.copytree(FIXTURES / "basic", content)
    run("wordpress", WXR, content, IMPORT / "uploads", mapping, report)
    fill(mapping)
    run("wordpress", WXR, content, IMPORT / "uploads", mapping, report)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch(NOW)
    try:
        build(content, folder / "output", SETTINGS, {"CACHE_PATH": str(folder / "cache")})
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    with serving(folder / "output") as served:
        yield served


@pytest.fixture
def tab_on(chromium_browser, imported_site, viewport):
    tab = BrowserTab(chromium_browser, imported_site, viewport)
    yield tab
    tab.context.close()


def test_the_notes_are_readable_and_the_page_has_no_accessibility_finding(tab_on):
    if not AXE_SCRIPT.is_file():
        missing_tool(f"{AXE_SCRIPT} not found (run npm ci in the repository root)")
    page = tab_on.goto(ARTICLE)
    # Notes next to each other share one quote block: one paragraph each.
    notes = page.locator(".article-content blockquote p", has_text="Ghi chú khi nhập")
    expect(notes).to_have_count(3)
    for index in range(3):
        expect(notes.nth(index)).to_be_visible()
        box = notes.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    # A long quoted <iframe> or address wraps: the page never scrolls sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    tab_on.add_axe()
    assert page.evaluate(RUN_AXE, AXE_OPTIONS) == []
    tab_on.assert_clean()


def test_an_old_address_lands_on_the_new_page(tab_on):
    tab_on.goto("/2023/06/quy-dinh-moi-bhxh/")
    tab_on.page.wait_for_url("**/2023/07/quy-dinh-moi-bhxh/")
    expect(tab_on.page.locator("h1.article-title")).to_have_text("Quy định mới về bảo hiểm xã hội từ 1/7")
    tab_on.assert_clean()
