"""The files already in the content folder: the slugs and addresses they hold, and which of them an
earlier import wrote for an old item (so a re-run finds them instead of adding a copy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plugins.contract import dates, schema
from plugins.contract.header import parse_source, split_list
from plugins.contract.slugs import slugify

from . import core


@dataclass(frozen=True)
class Existing:
    rel: str
    is_page: bool
    slug: str
    title: str
    date: str
    aliases: frozenset[str]
    data: bytes

    @property
    def addresses(self) -> set[str]:
        """The paths this file answers: its own URL (an article's needs a readable date) and its aliases."""
        own = set(self.aliases)
        if self.is_page:
            own.add(f"/{self.slug}/")
            return own
        try:
            day = dates.parse_date(self.date)
        except ValueError:
            return own
        own.add(f"/{day:%Y}/{day:%m}/{self.slug}/")
        return own


def existing_files(content: Path, folders: core.Folders) -> list[Existing]:
    found = []
    for folder, keys, is_page in ((folders.articles, schema.ARTICLE, False), (folders.pages, schema.PAGE, True)):
        for path in sorted((content / folder).rglob("*.md")) if (content / folder).is_dir() else ():
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            rel = path.relative_to(content).as_posix()
            source = parse_source(data, rel, schema.names(keys))
            title = source.get("Title")
            found.append(Existing(rel, is_page, source.get("Slug") or slugify(title), title, source.get("Date"),
                                  frozenset(a.strip() for a in split_list(source.get("Aliases"))), data))
    return found


class Earlier:
    """Finds the file an earlier import wrote for an old item: by its old address, else by its
    title (and date, for a post) among the files of its kind."""

    def __init__(self, existing: list[Existing]):
        self.by_alias = {alias: e for e in existing for alias in sorted(e.aliases)}
        self.by_title = {(e.is_page, e.title, "" if e.is_page else e.date): e for e in reversed(existing)}

    def file_of(self, item: core.OldItem) -> Existing | None:
        is_page = item.kind == "page"
        alias = core.old_address(item.link).alias
        found = self.by_alias.get(alias) if alias else None
        if found is not None and found.is_page == is_page:
            return found
        date = dates.header_date(item.date) if item.date and not is_page else ""
        return self.by_title.get((is_page, core.one_line(item.title), date))
