"""Read a content folder into counting records without rendering anything,
checking each article exactly as the build does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from plugins.contract.articles import read_header, resolve_article
from plugins.contract.header import ARTICLE_KEYS, parse_source
from plugins.contract.problems import ERROR, Problem
from plugins.contract.registry import Registry

from .core import Record


def collect(root: Path, registry: Registry, now: dt.datetime, article_dir: str = "articles") -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for path in sorted((root / article_dir).rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        source = parse_source(path.read_bytes(), rel, ARTICLE_KEYS)
        header = read_header(source)
        info, found = resolve_article(source, header.title, header.date, [], registry, root)
        if header.status == "draft":
            continue
        found = header.problems + found
        problems += found
        if any(p.severity == ERROR for p in found) or header.date > now:
            continue
        records.append(Record(info.unit.id, header.date.date(), info.content_type, tuple(c.id for c in info.campaigns)))
    return records, problems


def from_articles(articles) -> list[Record]:
    """Records from the published articles of a Pelican build."""
    return [Record(a.unit.id, a.date.date(), a.content_type, tuple(c.id for c in a.campaigns)) for a in articles]
