"""Signal handlers that hold Pelican to the content contract.

Every article file ends up on the site, in the drafts, scheduled, or in the
problem report: nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import chain
from pathlib import Path

from pelican.urlwrappers import Category

# The top-level names no page and no old address may take come from the URL scheme.
from plugins.urls import COMPRESSED_SUFFIXES, RESERVED_FILES, RESERVED_PAGE_SLUGS

from . import dates, downloads
from .articles import resolve_article, resolve_page
from .markup import PELICAN_LINK_REGEX
from .problems import ERROR, WARNING, ContentError, Problem
from .paths import PathProblem, normalise
from .reader import PortalMarkdownReader
from .build import BUILD_KEY, PortalBuild, portal_build
from .registry import load_registry
from .scan import scan
from .settings import ContractSettings, load

logger = logging.getLogger(__name__)


def start_build(pelican) -> None:
    """Load the registries and scan the folder once per run; the build object starts here."""
    settings = load(pelican.settings)
    root = Path(pelican.settings["PATH"])
    registry, problems = load_registry(root)
    now = dates.now()
    for unit in registry.units.values():
        unit.active = unit.exists_on(now.date())
    if pelican.settings.get("INTRASITE_LINK_REGEX") != PELICAN_LINK_REGEX:
        raise ValueError("INTRASITE_LINK_REGEX must stay Pelican's default: the reader seals links in that syntax")
    inventory = scan(root, pelican.settings["ARTICLE_PATHS"][0], pelican.settings["PAGE_PATHS"][0])
    build = PortalBuild(settings, root, registry, now, inventory, logo=pelican.settings.get("SITE_LOGO") or "")
    build.report(problems + inventory.problems + downloads.problems(root, inventory.downloads, settings.download_types))
    pelican.settings[BUILD_KEY] = build


def use_portal_reader(readers) -> None:
    for ext in list(readers.reader_classes):
        if ext != "static":
            readers.reader_classes[ext] = None
    readers.reader_classes["md"] = PortalMarkdownReader


def check_articles(generator) -> None:
    st = portal_build(generator)
    published = []
    for article in chain(generator.articles, generator.drafts, generator.hidden_articles):
        st.seen.add(article.relative_source_path)
        info, problems = resolve_article(article.portal_source, article.title, article.date,
                                         article.portal_references, st.registry, st.root)
        _apply(article, info, generator.settings)
        outcome, reported = settle(article.portal_problems + problems, article.status,
                                   article.portal_source.get("Status"), article.date, st.now, st.settings)
        st.report(reported)
        if outcome in (DRAFT, PREVIEW):
            st.drafts.append(article)
        if outcome == SCHEDULED:
            st.scheduled.append(article)
        elif outcome == REJECTED:
            st.rejected.append(article.relative_source_path)
        elif outcome in (PUBLISHED, PREVIEW):
            article.status = "published"
            published.append(article)
    st.report(separate_collisions(published))
    # A total order (date, then source path), newest first: items that share a
    # time come out in the same order in every build, whatever the file order.
    generator.articles = sorted(published, key=lambda a: (a.date, a.relative_source_path), reverse=True)
    generator.drafts = []
    generator.hidden_articles = []


# Where an article goes once read and resolved (``settle``).
PUBLISHED, SCHEDULED, DRAFT, REJECTED, PREVIEW = "published", "scheduled", "draft", "rejected", "preview"


def settle(problems: list[Problem], status: str, written_status: str, date: dt.datetime, now: dt.datetime,
           settings: ContractSettings) -> tuple[str, list[Problem]]:
    """An article's fate and the problems to report for it.

    A draft's problems are warnings (unless ``strict_drafts``), so a half-written
    draft never blocks the site; with ``preview_drafts`` a draft without errors
    is shown like a published article (local previews only).
    """
    if status == "draft":
        lenient = written_status.lower() == "draft" and not settings.strict_drafts
        reported = [_as_draft_warning(p) for p in problems] if lenient else problems
        clean = not any(p.severity == ERROR for p in problems)
        return (PREVIEW if settings.preview_drafts and clean else DRAFT), reported
    if any(p.severity == ERROR for p in problems):
        return REJECTED, problems
    return (SCHEDULED if date > now else PUBLISHED), problems


def _apply(article, info, settings) -> None:
    for name in ("unit", "campaigns", "section", "content_type", "type_label", "author_name",
                 "cover", "source", "featured", "attachments", "video", "aliases"):
        setattr(article, name, getattr(info, name))
    if info.section is not None:
        category = Category(info.section.name, settings)
        category.slug = info.section.id
        article.category = category


def _as_draft_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, f"(bản nháp) {problem.message}", WARNING)


def separate_collisions(articles: list) -> list[Problem]:
    """Two items with one URL are both published: the later one gets ``-2``.

    Works on anything with ``slug``, ``url`` (following ``slug``), ``date``,
    ``relative_source_path`` and ``portal_source``; returns the warnings.
    """
    problems = []
    by_url: dict[str, list] = {}
    for article in articles:
        by_url.setdefault(article.url, []).append(article)
    taken = set(by_url)
    for url, group in by_url.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda a: (a.date, a.relative_source_path))
        first = group[0]
        for article in group[1:]:
            base, number = article.slug, 2
            while True:
                article.slug = f"{base}-{number}"
                if article.url not in taken:
                    break
                number += 1
            taken.add(article.url)
            source = article.portal_source
            problems.append(Problem(
                source.path, source.line_of("Slug") if source.get("Slug") else source.line_of("Title"),
                f"địa chỉ /{url} trùng với bài {first.relative_source_path}; bài này được đăng tại /{article.url}. "
                "Hãy đặt 'Slug' riêng cho bài để địa chỉ không đổi", WARNING))
    return problems


def _under_a_file(path: str, owners: dict[str, str]) -> str:
    """The output file that ``path`` would need as a folder, or ``""``."""
    parts = path.split("/")
    return next(("/".join(parts[:i]) for i in range(1, len(parts)) if "/".join(parts[:i]) in owners), "")


def reserved_by_site(path: str) -> str:
    """What of the site's own output ``path`` (an output file name) would replace, or ``""``."""
    top = path.split("/")[0]
    if path in RESERVED_FILES:
        return f"tệp /{path}"
    if top in RESERVED_PAGE_SLUGS:
        return f"mục /{top}/"
    if path.endswith(COMPRESSED_SUFFIXES):
        return "bản nén (.gz, .br) của một trang"
    return ""


def check_pages(generator) -> None:
    st = portal_build(generator)
    pages = []
    for page in chain(generator.pages, generator.hidden_pages, generator.draft_pages):
        st.seen.add(page.relative_source_path)
        problems = page_problems(page.portal_problems, page.portal_source, page.portal_references, page.slug, st.root)
        st.report(problems)
        if page.status == "published" and not any(p.severity == ERROR for p in problems):
            pages.append(page)
    pages.sort(key=lambda p: p.relative_source_path)
    generator.pages = pages
    generator.hidden_pages = []
    generator.draft_pages = []
    generator.context["pages"] = pages


def page_problems(read: list[Problem], source, references, slug: str, root: Path) -> list[Problem]:
    """Everything wrong with a page: what reading found, its files, a slug the site needs."""
    problems = read + resolve_page(source, references, root)
    if slug in RESERVED_PAGE_SLUGS:
        problems.append(Problem(source.path, source.line_of("Slug"),
                                f"'Slug' '{slug}' trùng với một mục của website; hãy chọn tên khác"))
    return problems


def finish_reading(generators) -> None:
    """Stop before writing anything if any file is at fault, listing all problems."""
    st = portal_build(generators[0])
    st.report(unread_problems(st.inventory.articles | st.inventory.pages, st.seen))
    owners = {item.save_as: item.relative_source_path
              for g in generators for item in chain(getattr(g, "articles", []), getattr(g, "pages", []))}
    st.report(alias_problems(owners, _articles(generators)))
    st.report(guard_static_files(generators, st))
    st.unlinked = downloads.unreferenced(st.inventory.downloads, linked_downloads(_articles(generators), _pages(generators)))
    if st.refused:
        raise ContentError(st.problems)
    for problem in st.problems:
        logger.warning("%s", problem)
    st.published = len(_articles(generators))


def _articles(generators) -> list:
    return next(g.articles for g in generators if hasattr(g, "articles"))


def _pages(generators) -> list:
    return next((g.pages for g in generators if hasattr(g, "pages") and not hasattr(g, "articles")), [])


def guard_static_files(generators, st: PortalBuild) -> list[Problem]:
    """The last gate before Pelican copies files: only the downloads of files/
    that passed their check and the logo. Photos are published by the images
    plugin in their own sizes, never as they are (with their metadata)."""
    refused = st.refused
    allowed = (st.inventory.downloads - refused) | {st.logo}
    problems = []
    for generator in generators:
        files = getattr(generator, "staticfiles", None)
        if files is None:
            continue
        kept = []
        for static in files:
            rel = static.relative_source_path
            if rel in allowed:
                kept.append(static)
            elif not rel.startswith("images/") and rel not in refused:
                problems.append(Problem(rel, 1, "tệp này không được đăng: chỉ các tệp trong files/ mà bài viết dẫn "
                                                "tới mới được đăng; hãy chuyển tệp vào files/"))
        files[:] = kept
    return problems


def linked_downloads(articles: list, pages: list) -> set[str]:
    """Content paths in files/ that published items link to (attachments, videos, body links)."""
    linked = set()
    for item in chain(articles, pages):
        linked |= {a.url for a in getattr(item, "attachments", [])}
        video = getattr(item, "video", None)
        if video is not None and video.is_local:
            linked.add(video.url)
        for ref in item.portal_references:
            try:
                linked.add(normalise(ref.value, item.relative_source_path))
            except PathProblem:
                continue
    return linked


def unread_problems(expected: set[str], seen: set[str]) -> list[Problem]:
    """Files the scan found that no reader took: nothing is dropped silently."""
    return [Problem(missing, 1, "không đọc được tệp này; hãy kiểm tra phần đầu tệp (Title, Date, Unit)")
            for missing in sorted(expected - seen)]


def alias_problems(owners: dict[str, str], articles: list) -> list[Problem]:
    """Old addresses (``Aliases``) already taken by a page, an article or an earlier alias.

    ``owners`` maps each output file of the site to its source; articles are
    taken oldest first (then by file name), so the later article is the one told.
    """
    owners = dict(owners)
    problems = []
    for article in sorted(articles, key=lambda a: (a.date, a.relative_source_path)):
        for alias in article.aliases:
            taken = reserved_by_site(alias)
            if taken:
                source = article.portal_source
                problems.append(Problem(source.path, source.line_of("Aliases"),
                                        f"địa chỉ cũ '/{alias}' trùng với {taken} của website; hãy bỏ địa chỉ này khỏi 'Aliases'"))
            elif alias in owners or _under_a_file(alias, owners):
                source = article.portal_source
                owner = owners.get(alias) or owners[_under_a_file(alias, owners)]
                problems.append(Problem(source.path, source.line_of("Aliases"),
                                        f"địa chỉ cũ '/{alias}' đã được dùng bởi {owner}; hãy bỏ địa chỉ này khỏi 'Aliases'"))
            owners[alias] = article.relative_source_path
    return problems
