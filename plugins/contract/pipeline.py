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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from plugins import urls

from . import dates, downloads, urlrecord
from .authors import load_authors, people_problems
from .articles import PLACEHOLDER_DATE, ArticleInfo, ReadItem, read_item, resolve_article
from .build import PortalBuild
from .channels import load_channels, rule_problems
from .header import SourceFile
from .lastgood import LastGood, Repository, Unavailable
from .paths import read_source
from .problems import ERROR, WARNING, Problem
from .registry import Registry, load_registry
from .royalty_rates import grade_of, load_rates
from .rules import (PREVIEW_DRAFT, PREVIEW_SCHEDULED, PUBLISHED_STATUS, Outcome, alias_problems, has_errors,
                    linked_downloads, page_problems, preview_kind, separate_collisions, settle, slug_moves,
                    unread_problems)
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
    their problems are then the caller's), the channel items read, the folder scanned, the downloads checked."""
    contract = load(settings)
    root = Path(settings["PATH"])
    problems = []
    if registry is None:
        registry, problems = load_registry(root)
    channels, found = load_channels(root, registry, now.astimezone(dates.SITE_TZ).date())
    problems += found + rule_problems(registry, channels)
    authors, found = load_authors(root, registry)
    rates, more = load_rates(root)
    problems += found + more
    for unit in registry.units.values():
        unit.active = unit.exists_on(now.date())
    inventory = scan(root, settings["ARTICLE_PATHS"][0], settings["PAGE_PATHS"][0])
    record = urlrecord.read(root)
    repository = Repository(root)
    build = PortalBuild(contract, root, registry, now, inventory, channels=channels, authors=authors, rates=rates,
                        logo=settings.get("SITE_LOGO") or "", last_good=LastGood(record.last_good(), repository), urls=urlrecord.UrlPlan(record))
    build.report(problems + inventory.problems + record.problems
                 + downloads.problems(root, inventory.downloads, contract.download_types))
    return build


def settle_articles(build: PortalBuild, articles, apply: Callable, resolve: Callable = resolve_article,
                    remake: Callable | None = None) -> list:
    """Resolve and settle each article (``apply`` puts what the header resolved to on it;
    ``resolve`` is ``resolve_article`` or a stand-in giving the same answers);
    the articles on the site, each at its URL, in a total order: (date, source path), newest first.

    With ``keep_going``, an article with errors is replaced by its last good version when there
    is one that still passes: ``remake(article, raw)`` makes an item of the same kind from its bytes."""
    published = []
    for article in articles:
        rel = article.relative_source_path
        build.seen.add(rel)
        outcome, reported = _judge(build, article, apply, resolve)
        build.report(reported)
        if outcome is Outcome.REJECTED and build.settings.keep_going and remake is not None:
            article, outcome = _last_good(build, article, remake, lambda item: _judge(build, item, apply, resolve),
                                          "bài")
        build.outcomes[rel] = outcome
        article.portal_preview = preview_kind(outcome, article.status)
        _file(build, article, outcome)
        if outcome.on_site:
            article.status = PUBLISHED_STATUS
            published.append(article)
    place_articles(build, published)
    return sorted(published, key=lambda a: (a.date, a.relative_source_path), reverse=True)


def _judge(build: PortalBuild, article, apply: Callable, resolve: Callable) -> tuple[Outcome, list[Problem]]:
    info, problems = resolve(article.portal_source, article.title, article.date,
                             article.portal_references, build.registry, build.root)
    apply(article, info)
    problems = problems + paperwork_problems(build, article.portal_source, article.date, info)
    return settle(article.portal_problems + problems, article.status,
                  article.portal_source.get("Status"), article.date, build.now, build.settings, article.portal_source)


def paperwork_problems(build: PortalBuild, source: SourceFile, date: dt.datetime, info: ArticleInfo) -> list[Problem]:
    """Warnings about what the royalties read (who wrote, who photographed, the grade): never errors,
    since the article is the unit's news whatever its royalty."""
    if not source.readable or date is None or date == PLACEHOLDER_DATE:
        return []
    day = date.astimezone(dates.SITE_TZ).date()
    grade = grade_of(build.rates, source.get("Royalty"), day, info.content_type, source.path,
                     source.line_of("Royalty"))
    found = [grade.problem] if grade.problem is not None else []
    decision = grade.decision
    reprint_paid = decision is not None and decision.reprint > 0
    if info.source is None or reprint_paid:
        found += people_problems(build.authors, source.path, source.line_of("Author"), "Author", source.get("Author"))
    found += people_problems(build.authors, source.path, source.line_of("Photographer"), "Photographer",
                             source.get("Photographer"))
    if source.get("Royalty") and not source.get("Author"):
        found.append(Problem(source.path, source.line_of("Royalty"), "có 'Royalty' nhưng thiếu 'Author' nên không "
                                                                     "biết trả nhuận bút cho ai; hãy thêm dòng "
                                                                     "'Author: <họ tên>'", WARNING, "W603"))
    return found


def _last_good(build: PortalBuild, item, remake: Callable, judge: Callable, noun: str):
    """The item's last good version and ``KEPT``, or the item and ``REJECTED``, told either way.
    ``judge(item)`` gives the outcome and problems of an item of the kind (``noun``: "bài", "trang")."""
    rel = item.relative_source_path
    try:
        raw = build.last_good.read(rel)
    except Unavailable as exc:
        build.report([Problem(rel, 1, f"{noun} có lỗi nên không được đăng ({exc}); các bài khác vẫn được đăng. "
                                      "Hãy sửa các lỗi của tệp này rồi gửi lại", WARNING, "W301")])
        return item, Outcome.REJECTED
    blob = build.last_good.blob(rel)
    kept = remake(item, raw)
    outcome, problems = judge(kept)
    if outcome is not Outcome.PUBLISHED:
        errors = [p for p in problems if p.severity == ERROR]
        why = (f"dòng {errors[0].line}: {errors[0].message}" if errors
               else "bản đó không còn ở trạng thái đã đăng (bản nháp hoặc hẹn giờ)")
        build.report([Problem(rel, 1, f"{noun} có lỗi, và bản đã đăng trước ({blob[:10]}) cũng không còn hợp lệ "
                                      f"({why}), nên {noun} tạm bỏ khỏi website; hãy sửa các lỗi của tệp này rồi gửi lại",
                              WARNING, "W302")])
        return item, Outcome.REJECTED
    build.report([Problem(rel, 1, f"{noun} có lỗi nên website vẫn giữ bản đã đăng trước ({blob[:10]}) cho đến khi "
                                  "các lỗi của tệp này được sửa", WARNING, "W303")])
    build.kept.append(rel)
    return kept, Outcome.KEPT
def pin(article, url: str) -> None:
    """Keep ``article`` at ``url`` whatever its slug and date say (Pelican's ``override_url``)."""
    article.override_url = url
    article.override_save_as = urls.save_as(url)


def blob_of(root: Path, rel: str) -> str:
    return urlrecord.blob_hash(read_source(root / rel))


def _similar(build: PortalBuild) -> Callable[[str, str], bool]:
    """Git's rename rule between a recorded version and a file, each version asked of git once."""

    def similar(blob: str, rel: str) -> bool:
        try:
            old = build.last_good.repository.blob(blob)
        except Unavailable:
            return False
        return urlrecord.similar_text(old, read_source(build.root / rel))
    return similar


def place_articles(build: PortalBuild, articles: list) -> None:
    """Each article on the site at its URL: the record's URL while its 'Slug' is the one
    recorded (a title or date edit moves nothing), a file renamed with its content
    taking its old name's URLs; the others by the slug rule, never on a recorded URL."""
    plan, present = build.urls, build.inventory.articles | build.inventory.pages
    owners = plan.record.owners()
    newcomers = [a.relative_source_path for a in articles if a.relative_source_path not in owners]
    if newcomers and not owners <= present:
        plan.renamed = urlrecord.renames(plan.record, present, {rel: blob_of(build.root, rel) for rel in newcomers},
                                         _similar(build))
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
    plan.on_site.update({a.relative_source_path: a.url for a in articles})
    for article in articles:
        rel = article.relative_source_path
        if build.outcomes[rel] is Outcome.PUBLISHED:
            old = was.get(rel, ("", ""))[0]
            plan.placed[rel] = urlrecord.Placed(rel, article.url, urlrecord.written_slug(article.portal_source),
                                                old if old != article.url else "")


def _file(build: PortalBuild, article, outcome: Outcome) -> None:
    if outcome is Outcome.DRAFT or article.portal_preview == PREVIEW_DRAFT:
        build.drafts.append(article)
    elif outcome is Outcome.SCHEDULED or article.portal_preview == PREVIEW_SCHEDULED:
        build.scheduled.append(article)
    elif outcome is Outcome.REJECTED:
        build.rejected.append(article.relative_source_path)


def settle_pages(build: PortalBuild, pages, remake: Callable | None = None) -> list:
    """The pages on the site (published, without errors), by source path; with ``keep_going``, a page
    with errors is replaced by its last good version as an article is (``remake`` as for articles)."""
    live = []
    for page in pages:
        build.seen.add(page.relative_source_path)
        outcome, problems = _judge_page(build, page)
        build.report(problems)
        if outcome is Outcome.REJECTED and build.settings.keep_going and remake is not None:
            page, outcome = _last_good(build, page, remake, lambda item: _judge_page(build, item), "trang")
            if outcome is Outcome.REJECTED:
                build.rejected.append(page.relative_source_path)
        if outcome.on_site:
            page.status = PUBLISHED_STATUS
            live.append(page)
            _place_page(build, page, outcome)
    return sorted(live, key=lambda p: p.relative_source_path)


def _place_page(build: PortalBuild, page, outcome: Outcome) -> None:
    """A page keeps its recorded URL while its 'Slug' is the one recorded, as an article does, and the
    record keeps each published page (its last good version is what ``keep_going`` shows)."""
    plan, rel = build.urls, page.relative_source_path
    entry = plan.record.current().get(rel)
    slug = urlrecord.written_slug(page.portal_source)
    if entry is not None and entry.slug == slug:
        pin(page, entry.url)
    plan.on_site[rel] = page.url
    if outcome is Outcome.PUBLISHED:
        moved_from = entry.url if entry is not None and entry.url != page.url else ""
        plan.placed[rel] = urlrecord.Placed(rel, page.url, slug, moved_from)


def _judge_page(build: PortalBuild, page) -> tuple[Outcome, list[Problem]]:
    page.aliases, problems = page_problems(page.portal_problems, page.portal_source, page.portal_references, page.slug,
                                           build.root)
    if page.status != PUBLISHED_STATUS:
        return Outcome.DRAFT, problems
    return (Outcome.REJECTED if has_errors(problems) else Outcome.PUBLISHED), problems


def finish(build: PortalBuild, articles: list, pages: list) -> None:
    """After everything is read: files no reader took, old addresses already taken, downloads nothing links to."""
    build.report(unread_problems(build.inventory.articles | build.inventory.pages, build.seen))
    owners = {item.save_as: item.relative_source_path for item in chain(articles, pages)}
    recorded = {urls.save_as(url): e.owner for url, e in build.urls.record.entries.items()}
    taken = alias_problems(owners, articles, recorded, pages)
    build.report(taken)
    if build.settings.keep_going:
        at_fault = {p.path for p in taken if p.severity == ERROR}
        _drop_taken_aliases(build, articles, at_fault, "bài")
        _drop_taken_aliases(build, pages, at_fault, "trang")
    build.unlinked = downloads.unreferenced(build.inventory.downloads, linked_downloads(articles, pages))
    build.published = len(articles)


def _drop_taken_aliases(build: PortalBuild, items: list, at_fault: set[str], what: str) -> None:
    """An article or page (``what``) published with an old address already taken gets no redirects,
    so nothing is overwritten."""
    for item in items:
        if item.relative_source_path in at_fault:
            item.aliases = []
            build.report([Problem(item.relative_source_path, item.portal_source.line_of("Aliases"),
                                  f"{what} vẫn được đăng nhưng không có địa chỉ cũ nào của {what} được chuyển hướng "
                                  "cho đến khi lỗi ở 'Aliases' được sửa", WARNING, "W304")])


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
    portal_preview: str = ""
    page: bool = False
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

    @aliases.setter
    def aliases(self, value: list[str]) -> None:
        self.info.aliases = value

    def remade(self, raw: bytes) -> Item:
        """The same file read from other bytes (its last good version)."""
        return _item(self.relative_source_path, read_item(raw, self.relative_source_path, page=self.page),
                     self.url_pattern, self.save_as_pattern, self.lang, self.page)

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
    published = settle_articles(build, articles, Item.accept, resolve, Item.remade)
    live = settle_pages(build, pages, Item.remade)
    finish(build, published, live)
    return Folder(build, articles, pages, published, live)


def _read(root: Path, paths: list[str], url: str, save_as: str, lang: str, read: Callable,
          page: bool = False) -> list[Item]:
    items = []
    for rel in paths:
        found = read(root, rel, page)
        if found is None:
            continue
        items.append(_item(rel, found, url, save_as, lang, page))
    return items


def _item(rel: str, found: ReadItem, url: str, save_as: str, lang: str, page: bool = False) -> Item:
    header = found.header
    return Item(rel, found, header.slug, None if page else header.date, header.status, url, save_as, lang, page=page)
