"""Real Pelican builds of small content folders, as editors would write them, and the
helpers that read what such a build wrote."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plugins.contract.build import PortalBuild
from plugins.publishing.build import BuildFailed, build

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SETTINGS = ROOT / "pelicanconf.py"
# 22/11/2026 09:00 in Hà Nội: the "now" of every fixture build.
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def registry_of(folder: Path, units: str):
    """(registry, problems) of a content folder with this ``units.yml`` and the smallest campaigns and sections."""
    from plugins.contract.registry import load_registry

    (folder / "units.yml").write_text(units, encoding="utf-8")
    (folder / "campaigns.yml").write_text("campaigns: []\n", encoding="utf-8")
    (folder / "sections.yml").write_text("sections:\n  - {id: tin, name: Tin}\n", encoding="utf-8")
    return load_registry(folder)


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


def links(soup: BeautifulSoup, selector: str = "a") -> list[str]:
    return [a.get("href") for a in soup.select(selector)]


def photo_url(site: Site, stem: str, width: int, ext: str = "jpg") -> str:
    """Root-relative URL of the one published copy of ``images/<stem>.*`` at ``width``."""
    found = sorted(site.output.glob(f"images/{stem}-{width}.*.{ext}"))
    assert len(found) == 1, found
    return "/" + found[0].relative_to(site.output).as_posix()


def card_titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".card-title a")]


# Run by a fresh Python: nothing this process imported, connected or cached reaches that build.
_BUILD_SCRIPT = ("import json, sys\n"
                 "from plugins.publishing.build import build\n"
                 "build(*sys.argv[1:4], json.loads(sys.argv[4]))\n")


def build_in_subprocess(content: Path, output: Path, overrides: dict, **env: str) -> subprocess.CompletedProcess:
    """Build ``content`` into ``output`` with the real settings in a new process, at NOW."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), **env}
    command = [sys.executable, "-c", _BUILD_SCRIPT, str(content), str(output), str(SETTINGS), json.dumps(overrides)]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)


def files_of(output: Path) -> dict[str, bytes]:
    """Every file a build wrote, by its path under ``output``: two builds compare byte for byte."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}
