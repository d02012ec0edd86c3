"""One object per build: everything the plugins learn about one run of Pelican.

Plugins hand data to each other through this object instead of module
globals, so two builds in one process (tests, a long-lived preview) never see
each other's state. It is created when the build starts (``start``), kept in
the build's settings mapping (the one dict Pelican, every generator and every
content object share; the context is a copy taken before plugins start) and
returned by ``plugins.publishing.build.build``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import dates
from .authors import AuthorBook
from .channels import CHANNELS_FILE, ChannelBook
from .lastgood import LastGood
from .problems import ERROR, Problem
from .registry import Registry
from .royalty_rates import RateTable
from .rules import Outcome
from .scan import Inventory
from .settings import ContractSettings
from .urlrecord import UrlPlan

# Where the build object lives in Pelican's settings.
BUILD_KEY = "PORTAL_BUILD"
# Errors here stop the build in every mode: every article depends on them.
REGISTRY_FILES = ("units.yml", "campaigns.yml", "sections.yml", CHANNELS_FILE)


class RunSummary(Protocol):
    """What a plugin that fills a slot of the build reports to the editor (e.g. the images' run stats)."""

    def summary(self) -> str: ...


class MissingBuild(RuntimeError):
    """A plugin asked for the build before the contract plugin started it."""


def _not_cached() -> None:
    return None


@dataclass(eq=False)
class PortalBuild:
    settings: ContractSettings
    root: Path
    registry: Registry
    now: dt.datetime
    inventory: Inventory
    # Items the units published off the portal (fan page, newspapers, radio and TV…), for the counts.
    channels: ChannelBook = field(default_factory=ChannelBook)
    # The people who write and photograph (authors.yml) and the royalty rate table (nhuan-but.yml).
    authors: AuthorBook = field(default_factory=AuthorBook)
    rates: RateTable = field(default_factory=RateTable)
    logo: str = ""
    # The URL record as read, and what this build decided with it (plugins.contract.urlrecord).
    urls: UrlPlan = field(default_factory=UrlPlan)
    # Problems by source file, in the order they were found.
    by_file: dict[str, list[Problem]] = field(default_factory=dict)
    told: set[Problem] = field(default_factory=set, repr=False)
    # Source files the readers took.
    seen: set[str] = field(default_factory=set)
    # Where each article went, by source file.
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    scheduled: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    # Source files kept off the site for their errors.
    rejected: list[str] = field(default_factory=list)
    # Source files whose last good version is on the site instead (``keep_going``), and where it is read from.
    kept: list[str] = field(default_factory=list)
    last_good: LastGood | None = None
    published: int = 0
    # Downloads in files/ that no published item links to.
    unlinked: list[str] = field(default_factory=list)
    # Filled by the images plugin (its run stats), the search plugin (records waiting for the end) and
    # the incremental plugin.
    images: RunSummary | None = None
    search: object | None = None
    # The incremental plugin's ledger, page keys and render queue (plugins.incremental.state).
    incremental: object | None = None

    def __reduce__(self):
        # Pelican pickles content objects with their settings into its cache; a
        # build must never come back from there, stale, in a later build.
        return (_not_cached, ())

    def report(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if problem in self.told:
                continue  # one registry's problem, met by many articles, is told once
            self.told.add(problem)
            self.by_file.setdefault(problem.path, []).append(problem)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the build, sorted by file, line and message."""
        return sorted(p for found in self.by_file.values() for p in found)

    @property
    def refused(self) -> set[str]:
        """Source files with at least one error."""
        return {path for path, found in self.by_file.items() if any(p.severity == ERROR for p in found)}

    @property
    def blocking(self) -> set[str]:
        """Source files whose errors stop the build: any, unless ``keep_going`` (then the registries only)."""
        refused = self.refused
        return refused & set(REGISTRY_FILES) if self.settings.keep_going else refused

    def summary(self) -> str:
        """What an editor needs after a build: counts, and what is held back."""
        articles = sum(1 for path in self.kept if self.outcomes.get(path) is Outcome.KEPT)
        kept = f" (trong đó {articles} bài giữ bản đã đăng trước)" if articles else ""
        lines = [f"Bài viết: {self.published} đã đăng{kept}, {len(self.drafts)} bản nháp, {len(self.scheduled)} hẹn giờ."]
        for article in sorted(self.scheduled, key=lambda a: (a.date, a.relative_source_path)):
            lines.append(f"  hẹn giờ {dates.format_vi_datetime(article.date)}: {article.relative_source_path}")
        for article in sorted(self.drafts, key=lambda a: a.relative_source_path):
            lines.append(f"  bản nháp: {article.relative_source_path}")
        lines += [f"  giữ bản đã đăng trước (bản mới có lỗi): {path}" for path in sorted(self.kept)]
        if self.settings.keep_going:
            lines += [f"  không đăng (có lỗi): {path}" for path in sorted(self.rejected)]
        if self.channels.files:
            lines.append(f"Tin bài ngoài cổng thông tin: {len(self.channels.items)} mục được tính, từ "
                         f"{len(self.channels.files)} tệp.")
            if self.settings.keep_going:
                lines += [f"  có mục không được tính (có lỗi): {path}" for path in sorted(self.refused)
                          if path in self.channels.files]
        if self.unlinked:
            lines.append(f"Cảnh báo: {len(self.unlinked)} tệp trong files/ không có bài nào dẫn tới "
                         "(vẫn được đăng để các liên kết đã chia sẻ không hỏng; xóa tệp nếu không cần nữa):")
            lines += [f"  {path}" for path in self.unlinked]
        return "\n".join(lines)


def portal_build(holder) -> PortalBuild:
    """The current build, from a Pelican object, a generator or the settings mapping."""
    settings = getattr(holder, "settings", holder)
    found = settings.get(BUILD_KEY) if isinstance(settings, Mapping) else None
    if not isinstance(found, PortalBuild):
        raise MissingBuild("lần dựng chưa được bắt đầu: hãy đặt \"plugins.contract\" đầu tiên trong PLUGINS của pelicanconf.py")
    return found
