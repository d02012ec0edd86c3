"""The contract's rules, pure: where each item goes and what is reported for it.

The build's signal handlers, ``invoke check`` and the report's collector run
the same rules through ``plugins.contract.pipeline``; nothing here knows
Pelican. Items are anything with the attributes each rule names (Pelican's
content objects, or the tools' light stand-ins).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from collections.abc import Mapping
from itertools import chain
from pathlib import Path

from plugins.urls import COMPRESSED_SUFFIXES, RESERVED_FILES, RESERVED_PAGE_SLUGS

from .articles import DRAFT_STATUS, PUBLISHED_STATUS, resolve_page
from .dates import format_vi_date
from .header import SourceFile
from .paths import PathProblem, normalise
from .problems import ERROR, WARNING, Problem, Severity
from .settings import ContractSettings

__all__ = ("DRAFT_STATUS", "PREVIEW_DRAFT", "PREVIEW_SCHEDULED", "PUBLISHED_STATUS", "Outcome", "Severity",
           "alias_problems", "as_draft_warning", "far_ahead", "has_errors", "lenient_draft", "linked_downloads",
           "page_problems", "preview_kind", "reserved_by_site", "separate_collisions", "settle", "slug_moves",
           "unread_problems")


class Outcome(str, Enum):
    """Where an article goes once read and resolved (``settle``)."""

    PUBLISHED = "published"
    SCHEDULED = "scheduled"
    DRAFT = "draft"
    REJECTED = "rejected"
    # A draft without errors, or a scheduled item, shown like a published article (local previews only).
    PREVIEW = "preview"
    # A published article whose edit has errors, shown in its last good version (``keep_going``).
    KEPT = "kept"

    @property
    def on_site(self) -> bool:
        return self in (Outcome.PUBLISHED, Outcome.PREVIEW, Outcome.KEPT)

    @property
    def counted(self) -> bool:
        """Counted as published in the reports: a kept version is what readers see."""
        return self in (Outcome.PUBLISHED, Outcome.KEPT)


# What a preview page says it is (``article.portal_preview``, a banner in the theme); "" on the public site.
PREVIEW_DRAFT, PREVIEW_SCHEDULED = "draft", "scheduled"


def preview_kind(outcome: Outcome, status: str) -> str:
    """Why an item on a local preview is not public yet: a draft, or a date still to come."""
    if outcome is not Outcome.PREVIEW:
        return ""
    return PREVIEW_DRAFT if status == DRAFT_STATUS else PREVIEW_SCHEDULED


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)


def lenient_draft(status: str, written_status: str, settings: ContractSettings) -> bool:
    """A draft whose problems are told as warnings: written ``Status: draft``, drafts not strict."""
    return status == DRAFT_STATUS and written_status.lower() == DRAFT_STATUS and not settings.strict_drafts


def settle(problems: list[Problem], status: str, written_status: str, date: dt.datetime, now: dt.datetime,
           settings: ContractSettings, source: SourceFile) -> tuple[Outcome, list[Problem]]:
    """An article's fate and the problems to report for it.

    A draft's problems are warnings (unless ``strict_drafts``), so a half-written
    draft never blocks the site; with ``preview_drafts`` a draft without errors,
    and a scheduled item, is shown like a published article (local previews only).
    ``source`` (the item's ``SourceFile``) places the warning on a date years ahead.
    """
    if status == DRAFT_STATUS:
        reported = [as_draft_warning(p) for p in problems] if lenient_draft(status, written_status, settings) else problems
        return (Outcome.PREVIEW if settings.preview_drafts and not has_errors(problems) else Outcome.DRAFT), reported
    if has_errors(problems):
        return Outcome.REJECTED, problems
    if date > now:
        return (Outcome.PREVIEW if settings.preview_drafts else Outcome.SCHEDULED), problems + far_ahead(source, date, now)
    return Outcome.PUBLISHED, problems


def far_ahead(source: SourceFile, date: dt.datetime, now: dt.datetime) -> list[Problem]:
    """A date more than a year ahead is most likely a mistyped year (2052 for 2025)."""
    if date <= _a_year_after(now):
        return []
    return [Problem(source.path, source.line_of("Date"),
                    f"ngày đăng {format_vi_date(date)} còn hơn một năm nữa; có gõ nhầm năm không "
                    f"({date.year} thay vì {_meant_year(date.year, now.year)})? Nếu đúng là hẹn giờ xa như vậy, "
                    "hãy giữ nguyên; nếu không, hãy sửa năm ở dòng 'Date'", WARNING, "W501")]


def _a_year_after(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


def _meant_year(written: int, this_year: int) -> int:
    """This year or the next written with the same digits (2052 -> 2025), else this year."""
    digits = sorted(str(written))
    return next((year for year in (this_year, this_year + 1) if year != written and sorted(str(year)) == digits), this_year)


def as_draft_warning(problem: Problem) -> Problem:
    """A problem of a lenient draft, told as a warning."""
    return Problem(problem.path, problem.line, f"(bản nháp) {problem.message}", WARNING, problem.code)


def separate_collisions(articles: list, owned: Mapping[str, str] | None = None) -> list[Problem]:
    """Articles whose URL is taken get ``-2`` (``-3``…), and the warning is theirs.

    ``articles`` are those the record does not hold at a URL (new files, and those
    whose 'Slug' was edited); ``owned`` maps each URL of the record to its owner. A
    URL of the record stays its owner's, even against a back-dated newcomer; among
    newcomers the earliest (date, then source path) keeps it. Works on anything with
    ``slug``, ``url`` (following ``slug``), ``date``, ``relative_source_path`` and
    ``portal_source``.
    """
    owned = dict(owned or {})
    problems = []
    by_url: dict[str, list] = {}
    for article in articles:
        by_url.setdefault(article.url, []).append(article)
    taken = set(by_url) | set(owned)
    for url, group in sorted(by_url.items()):
        group.sort(key=lambda a: (a.date, a.relative_source_path))
        owner = owned.get(url)
        keeper = next((a for a in group if a.relative_source_path == owner), None) if owner else group[0]
        first = owner or keeper.relative_source_path
        for article in group:
            if article is keeper:
                continue
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
                f"địa chỉ /{url} trùng với bài {first} (đăng trước); bài này được đăng tại /{article.url}. "
                "Muốn có địa chỉ riêng, hãy đặt 'Slug' khác cho bài", WARNING, "W204"))
    return problems


def slug_moves(articles: list, old: Mapping[str, tuple[str, str]]) -> list[Problem]:
    """Articles a 'Slug' edit moved: the old URL redirects, and the editor is told.

    ``old`` maps a source to the URL and 'Slug' the record had for it."""
    problems = []
    for article in articles:
        was = old.get(article.relative_source_path)
        if was is None or was[0] == article.url:
            continue
        url, slug = was
        source = article.portal_source
        undo = f"ghi lại 'Slug: {slug}'" if slug else "xóa dòng 'Slug'"
        problems.append(Problem(source.path, source.line_of("Slug") if source.get("Slug") else source.line_of("Title"),
                                f"'Slug' đã đổi nên bài chuyển từ /{url} sang /{article.url}; địa chỉ cũ tự chuyển tới "
                                f"địa chỉ mới. Nếu không định đổi địa chỉ, hãy {undo}", WARNING, "W203"))
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


def page_problems(read: list[Problem], source, references, slug: str, root: Path) -> tuple[list[str], list[Problem]]:
    """A page's old addresses (``Aliases``) and everything wrong with it: what reading found, its files,
    a slug the site needs."""
    aliases, found = resolve_page(source, references, root)
    problems = read + found
    if slug in RESERVED_PAGE_SLUGS:
        problems.append(Problem(source.path, source.line_of("Slug"),
                                f"'Slug' '{slug}' trùng với một mục của website; hãy chọn tên khác", code="E210"))
    return aliases, problems


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
    return [Problem(missing, 1, "không đọc được tệp này; hãy kiểm tra phần đầu tệp (Title, Date, Unit)", code="E531")
            for missing in sorted(expected - seen)]


def alias_problems(owners: dict[str, str], articles: list, recorded: Mapping[str, str] | None = None,
                   pages: list = ()) -> list[Problem]:
    """Old addresses (``Aliases``) already taken by a page, an article, an earlier alias or the URL record.

    ``owners`` maps each output file of the site to its source, ``recorded`` each output
    file of the URL record to its owner (an item may name its own old URLs); pages (which
    have no date) are taken first by file name, then articles oldest first (then by file
    name), so the later item is the one told.
    """
    owners = dict(owners)
    recorded = recorded or {}
    problems = []
    in_order = [*sorted(pages, key=lambda p: p.relative_source_path),
                *sorted(articles, key=lambda a: (a.date, a.relative_source_path))]
    for item in in_order:
        source, own = item.portal_source, {item.save_as}
        for alias in item.aliases:
            taken = reserved_by_site(alias)
            above = _under_a_file(alias, owners)
            owner = owners.get(above) or owners.get(alias) or recorded.get(alias)
            if taken:
                problems.append(Problem(source.path, source.line_of("Aliases"),
                                        f"địa chỉ cũ '/{alias}' trùng với {taken} của website; hãy bỏ địa chỉ này khỏi 'Aliases'",
                                        code="E207"))
            elif above or alias in own or owner and owner != item.relative_source_path:
                problems.append(Problem(source.path, source.line_of("Aliases"),
                                        f"địa chỉ cũ '/{alias}' đã được dùng bởi {owner}; hãy bỏ địa chỉ này khỏi 'Aliases'",
                                        code="E208"))
            owners[alias] = item.relative_source_path
            own.add(alias)
    return problems
