"""Read a content folder into works without rendering the site: each article read, resolved and
settled by the build's own sequence (``plugins.contract.pipeline.check_folder``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from plugins.contract.authors import AuthorBook, split_people
from plugins.contract.dates import SITE_TZ
from plugins.contract.pipeline import check_folder, load_settings
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry
from plugins.contract.royalty_rates import RateTable
from plugins.contract.settings import keeping_going

from .core import Work


@dataclass
class Collected:
    works: list[Work]
    rates: RateTable
    authors: AuthorBook
    registry: Registry
    problems: list[Problem]


def collect(root: Path, now: dt.datetime, settings: dict | None = None, keep_going: bool = False) -> Collected:
    """The works the build would publish at ``now`` (with ``keep_going``, a last good version kept on
    the site counts as published), the rate table, the registry and every problem of the folder."""
    root = Path(root).resolve()
    settings = settings if settings is not None else load_settings(root)
    settings = keeping_going(settings) if keep_going else settings
    folder = check_folder({**settings, "PATH": str(root)}, now)
    outcomes = folder.build.outcomes
    works = [work_of(a) for a in folder.published if outcomes[a.relative_source_path].counted]
    build = folder.build
    return Collected(works, build.rates, build.authors, build.registry, build.problems)


def work_of(article) -> Work:
    source = article.portal_source
    return Work(article.relative_source_path, article.date.astimezone(SITE_TZ).date(), article.title,
                article.info.content_type, source.get("Royalty"), tuple(split_people(source.get("Author"))),
                tuple(split_people(source.get("Photographer"))), article.info.source is not None)
