"""The contract's whole sequence, written once.

read → resolve → settle → URLs (the record, then slug collisions) → pages →
unread files → old addresses → downloads. The build's signal handlers run the stages at the
moments Pelican gives them (``settle_articles``, ``settle_pages``,
``finish``); ``invoke check`` and the report's collector read the folder
themselves and run them all with ``check_folder``. Every stage writes into
the build object, so each caller reads the same problems and outcomes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from plugins import urls

from . import downloads, urlrecord
from .articles import ArticleInfo, ReadItem, read_item, resolve_article
from .build import PortalBuild
from .header import SourceFile
from .paths import read_source
from .registry import Registry, load_registry
from .rules import (PUBLISHED_STATUS, Outcome, alias_problems, has_errors, linked_downloads, page_problems,
                    separate_collisions, settle, slug_moves, unread_problems)
from .scan import scan
from .settings import load

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "pelicanconf.py"


def load_settings(root: Path, settings_file: Path = SETTINGS) -> dict:
    """The build's settings for the content folder ``root`` (reading them renders nothing)."""
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override={"PATH": str(Path(root).resolve())})


def start(settings: Mapping, now: dt.datetime, registry: Registry | None = None) -> PortalBuild:
    """A build of the content folder ``settings["PATH"]``: registries loaded (unless given:
    their problems are then the caller's), the folder scanned, the downloads checked."""
    contract = load(settings)
    root = Path(settings["PATH"])
    problems = []
    if registry is None:
        registry, problems = load_registry(root)
    for unit in registry.units.values():
        unit.active = unit.exists_on(now.date())
    inventory = scan(root, settings["ARTICLE_PATHS"][0], settings["PAGE_PATHS"][0])
    record = urlrecord.read(root)
    build = PortalBuild(contract, root, registry, now, inventory, logo=settings.get("SITE_LOGO") or "",
                        urls=urlrecord.UrlPlan(record))
    build.report(problems + inventory.problems + record.problems
                 + downloads.problems(root, inventory.downloads, contract.download_types))
    return build


def settle_articles(build: PortalBuild, articles, apply: Callable, resolve: Callable = resolve_article) -> list:
    """Resolve and settle each article (``apply`` puts what the header resolved to on it;
    ``resolve`` is ``resolve_article`` or a stand-in giving the same answers);
    the articles on the site, each at its URL, in a total order: (date, source path), newest first."""
    published = []
    for article in articles:
        rel = article.relative_source_path
        build.seen.add(rel)
        info, problems = resolve(article.portal_source, article.title, article.date,
                                 article.portal_references, build.registry, build.root)
        apply(article, info)
        outcome, reported = settle(article.portal_problems + problems, article.status,
                                   article.portal_source.get("Status"), article.date, build.now, build.settings)
        build.report(reported)
        build.outcomes[rel] = outcome
        _file(build, article, outcome)
        if outcome.on_site:
            article.status = PUBLISHED_STATUS
            published.append(article)
    place_articles(build, published)
    return sorted(published, key=lambda a: (a.date, a.relative_source_path), reverse=True)


def pin(article, url: str) -> None:
    """Keep ``article`` at ``url`` whatever its slug and date say (Pelican's ``override_url``)."""
    article.override_url = url
    article.override_save_as = urls.save_as(url)


def blob_of(root: Path, rel: str) -> str:
    return urlrecord.blob_hash((root / rel).read_bytes())


def stored_blob(root: Path, blob: str) -> bytes | None:
    """A version of a file the repository holding ``root`` keeps (``git cat-file``), or ``None``
    when there is no repository, no git or no such blob."""
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "blob", blob], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _similar(root: Path) -> Callable[[str, str], bool]:
    """Git's rename rule between a recorded version and a file, each version asked of git once."""
    stored: dict[str, bytes | None] = {}

    def similar(blob: str, rel: str) -> bool:
        if blob not in stored:
            stored[blob] = stored_blob(root, blob)
        old = stored[blob]
        return old is not None and urlrecord.similar_text(old, (root / rel).read_bytes())
    return similar


def place_articles(build: PortalBuild, articles: list) -> None:
    """Each article on the site at its URL: the record's URL while its 'Slug' is the one
    recorded (a title or date edit moves nothing), a file renamed with its content
    taking its old name's URLs; the others by the slug rule, never on a recorded URL."""
    plan, present = build.urls, build.inventory.articles
    owners = plan.record.owners()
    newcomers = [a.relative_source_path for a in articles if a.relative_source_path not in owners]
    if newcomers and not owners <= present:
        plan.renamed = urlrecord.renames(plan.record, present, {rel: blob_of(build.root, rel) for rel in newcomers},
                                         _similar(build.root))
        plan.record = urlrecord.transfer(plan.record, plan.renamed)
    free, was, current = [], {}, plan.record.current()
    for article in articles:
        entry = current.get(article.relative_source_path)
        if entry is not None and entry.slug == urlrecord.written_slug(article.portal_source):
            pin(article, entry.url)
            continue
        free.append(article)
        if entry is not None:
            was[article.relative_source_path] = (entry.url, entry.slug)
    build.report(separate_collisions(free, {url: e.owner for url, e in plan.record.entries.items()}))
    build.report(slug_moves(free, was))
    build.report(plan.gone_problems(present))
    plan.on_site = {a.relative_source_path: a.url for a in articles}
    for article in articles:
        rel = article.relative_source_path
        if build.outcomes[rel] is Outcome.PUBLISHED:
            old = was.get(rel, ("", ""))[0]
            plan.placed[rel] = urlrecord.Placed(rel, article.url, urlrecord.written_slug(article.portal_source),
                                                old if old != article.url else "")


def _file(build: PortalBuild, article, outcome: Outcome) -> None:
    if outcome in (Outcome.DRAFT, Outcome.PREVIEW):
        build.drafts.append(article)
    elif outcome is Outcome.SCHEDULED:
        build.scheduled.append(article)
    elif outcome is Outcome.REJECTED:
        build.rejected.append(article.relative_source_path)


def settle_pages(build: PortalBuild, pages) -> list:
    """The pages on the site (published, without errors), by source path."""
    live = []
    for page in pages:
        build.seen.add(page.relative_source_path)
        problems = page_problems(page.portal_problems, page.portal_source, page.portal_references, page.slug, build.root)
        build.report(problems)
        if page.status == PUBLISHED_STATUS and not has_errors(problems):
            live.append(page)
    return sorted(live, key=lambda p: p.relative_source_path)


def finish(build: PortalBuild, articles: list, pages: list) -> None:
    """After everything is read: files no reader took, old addresses already taken, downloads nothing links to."""
    build.report(unread_problems(build.inventory.articles | build.inventory.pages, build.seen))
    owners = {item.save_as: item.relative_source_path for item in chain(articles, pages)}
    recorded = {urls.save_as(url): e.owner for url, e in build.urls.record.entries.items()}
    build.report(alias_problems(owners, articles, recorded))
    build.unlinked = downloads.unreferenced(build.inventory.downloads, linked_downloads(articles, pages))
    build.published = len(articles)


@dataclass(eq=False)
class Item:
    """An article or page read from its file, as the rules see it: a light stand-in for
    Pelican's content object (``url`` and ``save_as`` follow ``slug``)."""

    relative_source_path: str
    read: ReadItem
    slug: str
    date: dt.datetime | None
    status: str
    url_pattern: str
    save_as_pattern: str
    lang: str = "vi"
    info: ArticleInfo = field(default_factory=ArticleInfo)
    # Set by ``pin``: the URL the record keeps the item at.
    override_url: str = ""
    override_save_as: str = ""

    @property
    def portal_source(self) -> SourceFile:
        return self.read.source

    @property
    def portal_problems(self) -> list:
        return self.read.problems

    @property
    def portal_references(self) -> list:
        return self.read.rendered.references

    @property
    def title(self) -> str:
        return self.read.header.title

    @property
    def aliases(self) -> list[str]:
        return self.info.aliases

    def accept(self, info: ArticleInfo) -> None:
        self.info = info

    def _format(self, pattern: str) -> str:
        section = self.info.section
        return pattern.format(slug=self.slug, date=self.date, lang=self.lang, path=self.relative_source_path,
                              category=section.id if section else "", author="")

    @property
    def url(self) -> str:
        return self.override_url or self._format(self.url_pattern)

    @property
    def save_as(self) -> str:
        return self.override_save_as or self._format(self.save_as_pattern)


@dataclass
class Folder:
    """A content folder read and settled without Pelican: every item read, and those on the site."""

    build: PortalBuild
    articles: list[Item]
    pages: list[Item]
    published: list[Item]
    live_pages: list[Item]


def read_file(root: Path, rel: str, page: bool) -> ReadItem | None:
    """The file ``rel`` read as the build's reader reads it; ``None`` if it cannot be read
    (reported as unread, as the build does)."""
    try:
        raw = read_source(root / rel)
    except OSError:
        return None
    return read_item(raw, rel, page=page)


def check_folder(settings: Mapping, now: dt.datetime, registry: Registry | None = None,
                 read: Callable[[Path, str, bool], ReadItem | None] = read_file,
                 resolve: Callable = resolve_article) -> Folder:
    """The whole sequence over the folder ``settings["PATH"]`` at ``now``, as the build runs it
    (``read`` and ``resolve`` may be stand-ins giving the same answers, e.g. from a cache)."""
    build = start(settings, now, registry)
    lang = settings.get("DEFAULT_LANG", "vi")
    articles = _read(build.root, sorted(build.inventory.articles), settings["ARTICLE_URL"], settings["ARTICLE_SAVE_AS"],
                     lang, read)
    pages = _read(build.root, sorted(build.inventory.pages), settings["PAGE_URL"], settings["PAGE_SAVE_AS"], lang, read,
                  page=True)
    published = settle_articles(build, articles, Item.accept, resolve)
    live = settle_pages(build, pages)
    finish(build, published, live)
    return Folder(build, articles, pages, published, live)


def _read(root: Path, paths: list[str], url: str, save_as: str, lang: str, read: Callable,
          page: bool = False) -> list[Item]:
    items = []
    for rel in paths:
        found = read(root, rel, page)
        if found is None:
            continue
        header = found.header
        items.append(Item(rel, found, header.slug, None if page else header.date, header.status, url, save_as, lang))
    return items
