"""Pelican reader for editors' Markdown: header with line numbers, safe HTML."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.readers import BaseReader
from pelican.urlwrappers import Tag

from .articles import read_item
from .markup import lead
from .paths import read_source
from .slugs import slugify


SUMMARY_WORDS = 40


class PortalMarkdownReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def read(self, source_path):
        return self.read_bytes(read_source(Path(source_path)), source_path)

    def read_bytes(self, raw: bytes, source_path):
        """The file ``source_path`` read from ``raw`` (its bytes on disk, or a version of them kept in git)."""
        root = Path(self.settings["PATH"])
        rel = Path(os.path.relpath(source_path, root)).as_posix()
        is_page = rel.split("/")[0] == self.settings.get("PAGE_PATHS", ["pages"])[0]
        item = read_item(raw, rel, page=is_page)
        source, header, rendered, problems = item.source, item.header, item.rendered, item.problems
        source.body = ""
        metadata = {
            "title": header.title,
            "slug": header.slug,
            "status": header.status,
            "portal_source": source,
            "portal_references": rendered.references,
            "portal_problems": problems,
        }
        if not is_page or source.get("Date"):
            metadata["date"] = header.date
        if header.modified:
            metadata["modified"] = header.modified
        summary = header.summary_html if header.summary_html is not None else lead(rendered.html, SUMMARY_WORDS)
        if summary:
            metadata["summary"] = summary
        if header.tags:
            metadata["tags"] = [_tag(name, self.settings) for name in header.tags]
        return rendered.html, metadata


def _tag(name: str, settings: dict) -> Tag:
    tag = Tag(name, settings)
    tag.slug = slugify(name)
    return tag
