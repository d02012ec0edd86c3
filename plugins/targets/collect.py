"""Read a content folder into counting records without rendering the site,
each article read, resolved and settled by the build's own sequence
(``plugins.contract.pipeline.check_folder``), with the site's settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from plugins.contract.pipeline import check_folder, load_settings
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry
from plugins.contract.settings import keeping_going

from .core import Record


def collect(root: Path, registry: Registry, now: dt.datetime, settings: dict | None = None,
            keep_going: bool = False) -> tuple[list[Record], dict[str, str], dict[str, str], list[Problem]]:
    """Records of the articles the build would publish at ``now`` (with ``keep_going``, a last good
    version kept on the site counts as published) and of the items recorded on other channels, the
    channels' names and short names, and every problem it would report but those of ``registry`` (the caller loaded
    it and has them)."""
    root = Path(root).resolve()
    settings = settings if settings is not None else load_settings(root)
    settings = keeping_going(settings) if keep_going else settings
    folder = check_folder({**settings, "PATH": str(root)}, now, registry)
    outcomes = folder.build.outcomes
    records = [Record(a.info.unit.id, a.date.date(), a.info.content_type, tuple(c.id for c in a.info.campaigns))
               for a in folder.published if outcomes[a.relative_source_path].counted]
    book = folder.build.channels
    return records + from_channels(book.items), channel_names(book), channel_labels(book), folder.build.problems


def from_articles(articles) -> list[Record]:
    """Records from the published articles of a Pelican build."""
    return [Record(a.unit.id, a.date.date(), a.content_type, tuple(c.id for c in a.campaigns)) for a in articles]


def from_channels(items) -> list[Record]:
    """Records from the items a unit published off the portal (``plugins.contract.channels``)."""
    return [Record(i.unit_id, i.day, i.content_type, (), i.channel_id) for i in items]


def channel_names(book) -> dict[str, str]:
    return {c.id: c.name for c in book.channels.values()}


def channel_labels(book) -> dict[str, str]:
    """Each channel's short name, for narrow column headings."""
    return {c.id: c.label for c in book.channels.values()}
