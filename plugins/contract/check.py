"""`invoke check`: everything the build checks in a content folder, without
rendering the site, so it can run on every commit.

Each step is the build's own function: the registries (``load_registry``), the
scan for stray files and symlinks (``scan``), each file read as the reader
reads it (``read_item``), resolved (``resolve_article``, ``page_problems``),
settled like the build (``settle``: drafts lenient, errors keep an article off
the site), slug and alias collisions (``separate_collisions``,
``alias_problems``) and the photos each item uses (``plugins.images.markup.uses``)
opened at header level (``open_image``: format, decompression bomb).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from plugins import urls
from plugins.images import core as images
from plugins.images import markup as photo_markup

from . import downloads
from .articles import ArticleInfo, ReadItem, read_item, resolve_article
from .header import SourceFile
from .plugin import (DRAFT, PREVIEW, PUBLISHED, REJECTED, _as_draft_warning, alias_problems,
                     page_problems, separate_collisions, settle, unread_problems)
from .problems import ERROR, Problem
from .registry import Registry, load_registry
from .scan import scan
from .settings import ContractSettings, load as load_contract

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "pelicanconf.py"
REGISTRY_FILES = ("units.yml", "campaigns.yml", "sections.yml")


@dataclass
class Item:
    """An article or page as the contract's rules see it: a light stand-in for
    Pelican's content object (``url`` and ``save_as`` follow ``slug``)."""

    relative_source_path: str
    read: ReadItem
    slug: str
    date: dt.datetime | None
    url_pattern: str = urls.PAGE_PATTERN
    save_as_pattern: str = urls.save_as(urls.PAGE_PATTERN)
    lang: str = "vi"
    info: ArticleInfo = field(default_factory=ArticleInfo)
    outcome: str = PUBLISHED
    # A draft whose problems are told as warnings (``Status: draft``, not strict).
    lenient: bool = False

    @property
    def portal_source(self) -> SourceFile:
        return self.read.source

    @property
    def aliases(self) -> list[str]:
        return self.info.aliases

    def _format(self, pattern: str) -> str:
        section = self.info.section
        return pattern.format(slug=self.slug, date=self.date, lang=self.lang, path=self.relative_source_path,
                              category=section.id if section else "", author="")

    @property
    def url(self) -> str:
        return self._format(self.url_pattern)

    @property
    def save_as(self) -> str:
        return self._format(self.save_as_pattern)


@dataclass
class Findings:
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def summary(self) -> str:
        checked = f"{self.files} tệp đã kiểm tra"
        if self.errors:
            return f"Có {self.errors} lỗi, {self.warnings} cảnh báo ({checked}). Hãy sửa các lỗi rồi chạy lại."
        if self.warnings:
            return f"Không có lỗi, {self.warnings} cảnh báo: {checked}."
        return f"Không có lỗi: {checked}."


def load_settings(root: Path, settings_file: Path = SETTINGS) -> dict:
    """The build's settings for ``root`` (reading them renders nothing)."""
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override={"PATH": str(Path(root).resolve())})


def check(root: Path, now: dt.datetime, settings: dict | None = None) -> Findings:
    """Every problem the build would report for the content folder ``root`` at ``now``.

    One difference, on purpose: photos of scheduled articles are checked too (the
    build checks them only once the article is live, and would fail then), and
    photos of drafts give draft warnings.
    """
    root = Path(root).resolve()
    settings = settings if settings is not None else load_settings(root)
    contract = load_contract(settings)
    article_dir, page_dir = settings["ARTICLE_PATHS"][0], settings["PAGE_PATHS"][0]
    registry, problems = load_registry(root)
    inventory = scan(root, article_dir, page_dir)
    problems += inventory.problems + downloads.problems(root, inventory.downloads, contract.download_types)
    lang = settings.get("DEFAULT_LANG", "vi")
    articles, found = read_articles(root, registry, now, contract, sorted(inventory.articles),
                                    settings["ARTICLE_URL"], settings["ARTICLE_SAVE_AS"], lang)
    problems += found
    published = [a for a in articles if a.outcome in (PUBLISHED, PREVIEW)]
    problems += separate_collisions(published)
    pages, found = read_pages(root, sorted(inventory.pages), settings["PAGE_URL"], settings["PAGE_SAVE_AS"], lang)
    problems += found
    read = {item.relative_source_path for item in articles + pages}
    problems += unread_problems(inventory.articles | inventory.pages, read)
    live_pages = [p for p in pages if p.outcome == PUBLISHED]
    owners = {item.save_as: item.relative_source_path for item in published + live_pages}
    problems += alias_problems(owners, published)
    max_pixels = images_max_pixels(settings)
    photos, photo_problems = check_photos(root, [a for a in articles if a.outcome != REJECTED] + live_pages, max_pixels)
    problems += photo_problems
    files = len(articles) + len(pages) + len(REGISTRY_FILES) + photos
    return Findings(sorted(problems), files)


def read_articles(root: Path, registry: Registry, now: dt.datetime, contract: ContractSettings, paths: list[str],
                  url_pattern: str = urls.ARTICLE_PATTERN, save_as_pattern: str = urls.save_as(urls.ARTICLE_PATTERN),
                  lang: str = "vi") -> tuple[list[Item], list[Problem]]:
    """Read, resolve and settle each article file (content-relative ``paths``) as the build does."""
    articles, problems = [], []
    for rel in paths:
        try:
            raw = (root / rel).read_bytes()
        except OSError:
            continue  # reported as unread, as the build does
        read = read_item(raw, rel)
        header = read.header
        info, found = resolve_article(read.source, header.title, header.date, read.rendered.references, registry, root)
        written = read.source.get("Status")
        outcome, reported = settle(read.problems + found, header.status, written, header.date, now, contract)
        problems += reported
        lenient = outcome == DRAFT and written.lower() == "draft" and not contract.strict_drafts
        articles.append(Item(rel, read, header.slug, header.date, url_pattern, save_as_pattern, lang, info, outcome, lenient))
    return articles, problems


def read_pages(root: Path, paths: list[str], url_pattern: str, save_as_pattern: str, lang: str) -> tuple[list[Item], list[Problem]]:
    pages, problems = [], []
    for rel in paths:
        try:
            raw = (root / rel).read_bytes()
        except OSError:
            continue
        read = read_item(raw, rel, page=True)
        found = page_problems(read.problems, read.source, read.rendered.references, read.header.slug, root)
        problems += found
        clean = not any(p.severity == ERROR for p in found)
        outcome = PUBLISHED if read.header.status == "published" and clean else REJECTED
        pages.append(Item(rel, read, read.header.slug, None, url_pattern, save_as_pattern, lang, outcome=outcome))
    return pages, problems


def images_max_pixels(settings: dict) -> int:
    from plugins.images.settings import load as load_images

    return load_images(settings).max_pixels


def check_photos(root: Path, items: list[Item], max_pixels: int) -> tuple[int, list[Problem]]:
    """Open the header of every photo the items use; (photos checked, problems at each use)."""
    uses: dict[str, list[tuple[Item, int]]] = {}
    for item in items:
        cover = item.info.cover.url if item.info.cover is not None else None
        for path, line in photo_markup.uses(cover, item.portal_source.line_of("Image"), item.read.rendered.html,
                                            item.read.rendered.references, item.relative_source_path):
            uses.setdefault(path, []).append((item, line))
    problems, checked = [], 0
    for path, where in uses.items():
        full = root / path
        if not full.is_file():
            continue  # reported by the content checks
        checked += 1
        try:
            with images.open_image(full, max_pixels):
                continue
        except images.ImageProblem as exc:
            message = photo_markup.problem_message(path, str(exc))
        for item, line in where:
            problem = Problem(item.relative_source_path, line, message)
            problems.append(_as_draft_warning(problem) if item.lenient else problem)
    return checked, problems
