"""Files that make the site publishable: sitemap, robots.txt, redirects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable
from xml.sax.saxutils import escape

from plugins import urls


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: dt.datetime | None = None


def sitemap_xml(siteurl: str, entries: Iterable[SitemapEntry]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    seen = set()
    for entry in entries:
        if entry.url in seen:
            continue
        seen.add(entry.url)
        lastmod = f"<lastmod>{entry.lastmod.isoformat(timespec='seconds')}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <url><loc>{escape(urls.href(siteurl, entry.url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.href(siteurl, urls.SITEMAP)}\n"

