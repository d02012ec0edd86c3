"""Signal handlers that hold Pelican to the content contract.

Every article file ends up on the site, in the drafts, scheduled, or in the
problem report: nothing is dropped silently. The rules and their order are
``plugins.contract.pipeline``'s; this module runs its stages at the moments
Pelican gives them and stops the build before writing if any file is at fault
(with ``keep_going``, only if a registry is: an article at fault is left out or
shown in its last good version, read through the same reader and checks).
"""

from __future__ import annotations

import logging
from itertools import chain

from pelican.contents import Article, Page
from pelican.readers import default_metadata
from pelican.urlwrappers import Category

from . import dates, pipeline
from .build import BUILD_KEY, PortalBuild, portal_build
from .markup import PELICAN_LINK_REGEX
from .problems import ContentError, Problem
from .reader import PortalMarkdownReader

logger = logging.getLogger(__name__)


def start_build(pelican) -> None:
    """Load the registries and scan the folder once per run; the build object starts here."""
    if pelican.settings.get("INTRASITE_LINK_REGEX") != PELICAN_LINK_REGEX:
        raise ValueError("INTRASITE_LINK_REGEX must stay Pelican's default: the reader seals links in that syntax")
    pelican.settings[BUILD_KEY] = pipeline.start(pelican.settings, dates.now())


def use_portal_reader(readers) -> None:
    for ext in list(readers.reader_classes):
        if ext != "static":
            readers.reader_classes[ext] = None
    readers.reader_classes["md"] = PortalMarkdownReader


def check_articles(generator) -> None:
    """Only the articles that settle on the site stay in Pelican's lists, newest first."""
    items = chain(generator.articles, generator.drafts, generator.hidden_articles)
    generator.articles = pipeline.settle_articles(portal_build(generator), items,
                                                  lambda article, info: _apply(article, info, generator.settings),
                                                  remake=lambda article, raw: _last_good(generator, article, raw))
    generator.drafts = []
    generator.hidden_articles = []


def _last_good(generator, item, raw: bytes, kind: type = Article):
    """A Pelican article (or page) from the bytes of ``item``'s last good version. It is read here, not
    through Pelican's readers, so their cache (keyed by the file on disk) never holds it."""
    reader = PortalMarkdownReader(generator.settings)
    content, metadata = reader.read_bytes(raw, item.source_path)
    metadata = {**default_metadata(settings=generator.settings, process=reader.process_metadata),
                "reader": "portalmarkdown", **metadata}
    kept = kind(content, metadata, settings=generator.settings, source_path=item.source_path,
                context=generator.context)
    generator.add_source_path(kept)
    generator.add_static_links(kept)
    return kept


def _apply(article, info, settings) -> None:
    for name in ("unit", "campaigns", "section", "content_type", "type_label", "author_name",
                 "cover", "source", "featured", "attachments", "video", "aliases"):
        setattr(article, name, getattr(info, name))
    # The unit's name as it was on the article's day (the unit's page has its name now).
    day = article.date.date()
    article.unit_name = info.unit.name_on(day) if info.unit else ""
    article.unit_short_name = info.unit.short_name_on(day) if info.unit else ""
    if info.section is not None:
        category = Category(info.section.name, settings)
        category.slug = info.section.id
        article.category = category


def check_pages(generator) -> None:
    pages = pipeline.settle_pages(portal_build(generator),
                                  chain(generator.pages, generator.hidden_pages, generator.draft_pages),
                                  remake=lambda page, raw: _last_good(generator, page, raw, Page))
    generator.pages = pages
    generator.hidden_pages = []
    generator.draft_pages = []
    generator.context["pages"] = pages


def finish_reading(generators) -> None:
    """Stop before writing anything if any file is at fault (with ``keep_going``: any registry), listing all problems."""
    st = portal_build(generators[0])
    pipeline.finish(st, _articles(generators), _pages(generators))
    st.report(guard_static_files(generators, st))
    if st.blocking:
        raise ContentError(st.problems)
    if st.settings.keep_going:
        return  # the caller lists them all, in the terminal and in the report file
    for problem in st.problems:
        logger.warning("%s", problem)


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
                                                "tới mới được đăng; hãy chuyển tệp vào files/", code="E533"))
        files[:] = kept
    return problems


