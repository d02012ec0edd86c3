"""The bundled sample portal built once and served on localhost, as the browser,
accessibility, HTML-validity and link tests see it."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plugins.publishing.build import build
from plugins.publishing.preview import make_server

from .site import NOW, ROOT, SETTINGS, epoch

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


def build_sample(folder: Path) -> Path:
    """Build the bundled ``content/`` into ``folder/output`` at NOW, leaving the environment as it was."""
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
    return output


@contextlib.contextmanager
def serving(output: Path) -> Iterator[ServedSite]:
    """Serve ``output`` on 127.0.0.1 (a free port) with the preview's server: the same security
    headers (CSP included), timeouts and refusals."""
    server = make_server(output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, name="served-site", daemon=True)
    thread.start()
    try:
        yield ServedSite(output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def soup(site: ServedSite, url: str) -> BeautifulSoup:
    """The built page at root-relative ``url``, parsed as a browser would (lxml)."""
    path = site.output / url.strip("/")
    if not url.endswith(".html"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _article_richness(site: ServedSite, url: str) -> tuple:
    page = soup(site, url)
    return (bool(page.select("figure.article-cover img")), len(page.select(".article-content img")) > 0,
            bool(page.select(".article-campaigns a.chip")), bool(page.select(".article-tags a")), url)


def main_pages_of(site: ServedSite) -> dict[str, str]:
    """One URL of each main page type of the sample site, chosen from the built output."""
    articles = sorted("/" + p.parent.relative_to(site.output).as_posix() + "/"
                      for p in site.output.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert articles, f"no article pages in {site.output}"
    # The newest article with a cover photo, photos in the body, a campaign and tags.
    article = max(articles, key=lambda url: _article_richness(site, url))
    page = soup(site, article)
    return {
        "home": "/",
        "article": article,
        "unit": page.select_one(".article-meta a[href^='/don-vi/']")["href"],
        "campaign": page.select_one(".article-campaigns a.chip")["href"],
        "section": soup(site, "/").select_one(".nav-sections a:not(.nav-home)")["href"],
        "archive": "/luu-tru/",
        "archive-year": soup(site, "/luu-tru/").select_one(".archive-year-title a")["href"],
        "tag": page.select_one(".article-tags a")["href"],
        "tags": "/the/",
        "units": "/don-vi/",
        "campaigns": "/chien-dich/",
        "statistics": "/thong-ke/",
        "statistics-year": soup(site, "/thong-ke/").select_one("a.stats-year-link")["href"],
        "search": "/tim-kiem/?q=cong+doan",
        "page": "/gioi-thieu/",
        "404": "/404.html",
    }
