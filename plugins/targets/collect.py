"""Read a content folder into counting records without rendering the site,
each article read, resolved and settled by the same functions as the build
and `invoke check` (``plugins.contract.check.read_articles``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from plugins.contract.check import read_articles
from plugins.contract.plugin import PUBLISHED
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry
from plugins.contract.settings import ContractSettings

from .core import Record


def collect(root: Path, registry: Registry, now: dt.datetime, article_dir: str = "articles") -> tuple[list[Record], list[Problem]]:
    paths = sorted(path.relative_to(root).as_posix() for path in (root / article_dir).rglob("*.md"))
    articles, problems = read_articles(root, registry, now, ContractSettings(), paths)
    records = [Record(a.info.unit.id, a.date.date(), a.info.content_type, tuple(c.id for c in a.info.campaigns))
               for a in articles if a.outcome == PUBLISHED]
    return records, problems


def from_articles(articles) -> list[Record]:
    """Records from the published articles of a Pelican build."""
    return [Record(a.unit.id, a.date.date(), a.content_type, tuple(c.id for c in a.campaigns)) for a in articles]
