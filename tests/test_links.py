"""No broken internal link, anchor or image anywhere in the built sample portal.

Every internal ``href``, ``src``, ``srcset`` entry, ``poster``, form ``action``
and ``url()`` in a stylesheet must name a file of the output (``/x/`` means
``/x/index.html``), and every ``#anchor`` must be an ``id`` of its target page.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.filter import ElementFilter

# Attributes holding one URL, by element; srcset is handled apart.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "source": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
    "input": ("src",), "blockquote": ("cite",), "q": ("cite",),
}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)


class _LinksAndIds(ElementFilter):
    """Builds only the elements that carry URLs or ids, and no text: 2x faster parsing."""

    KEEP = set(URL_ATTRIBUTES) | {"base"}

    def allow_tag_creation(self, nsprefix, name, attrs):
        return name in self.KEEP or bool(attrs and "id" in attrs)

    def allow_string_creation(self, string):
        return False


def parse(path: Path) -> tuple[BeautifulSoup, str]:
    text = path.read_text(encoding="utf-8")
    return BeautifulSoup(text, "lxml", parse_only=_LinksAndIds()), text


class Output:
    """The built site with each page's ids parsed at most once."""

    def __init__(self, root: Path):
        self.root = root
        self._ids: dict[Path, set[str]] = {}

    def page_url(self, path: Path) -> str:
        return "/" + path.relative_to(self.root).as_posix()

    def target(self, url_path: str) -> Path | None:
        """The file a root-relative URL path is served from, or None."""
        rel = PurePosixPath(unquote(url_path).lstrip("/"))
        if ".." in rel.parts:
            return None
        path = self.root / rel
        if url_path.endswith("/") or path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def ids(self, path: Path, soup: BeautifulSoup | None = None) -> set[str]:
        if path not in self._ids:
            soup = soup or parse(path)[0]
            found = {tag["id"] for tag in soup.find_all(id=True)}
            found |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
            self._ids[path] = found
        return self._ids[path]


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def page_references(soup: BeautifulSoup, text: str) -> list[tuple[str, str]]:
    """(where, url) for every URL the page refers to."""
    refs = []
    for tag in soup.find_all(list(URL_ATTRIBUTES)):
        for attr in URL_ATTRIBUTES.get(tag.name, ()):
            if tag.has_attr(attr):
                refs.append((f"<{tag.name} {attr}>", tag[attr].strip()))
        if tag.has_attr("srcset"):
            refs += [(f"<{tag.name} srcset>", u) for u in srcset_urls(tag["srcset"])]
    for style in STYLE_BLOCK.findall(text):
        refs += [("<style> url()", m.group(2).strip()) for m in CSS_URL.finditer(style)]
    return refs


def check(output: Output, base_url: str, where: str, url: str, ids_here) -> str | None:
    """Why ``url``, found in the file at ``base_url``, is broken, or None."""
    if not url:
        return f"{where}: empty URL"
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return None if parts.scheme in EXTERNAL_SCHEMES or url.startswith("//") else f"{where} {url}: unexpected scheme"
    fragment = unquote(parts.fragment)
    if not parts.path:  # "#anchor" or "?query" on the same page
        if fragment and fragment != "top" and fragment not in ids_here():
            return f"{where} {url}: no id “{fragment}” on this page"
        return None
    absolute = urlsplit(urljoin(base_url, parts.path))
    target = output.target(absolute.path)
    if target is None:
        return f"{where} {url}: no such file"
    if fragment and fragment != "top" and target.suffix == ".html" and fragment not in output.ids(target):
        return f"{where} {url}: no id “{fragment}” in {output.page_url(target)}"
    return None


def test_no_broken_internal_link_anchor_or_image(served_site):
    output = Output(served_site.output)
    pages = served_site.html_files()
    assert len(pages) > 100, "the sample site should have hundreds of pages"
    broken: list[str] = []
    checked = 0
    for page in pages:
        soup, text = parse(page)
        page_url = output.page_url(page)
        base = soup.find("base", href=True)
        base_url = urljoin(page_url, base["href"]) if base else page_url
        for where, url in page_references(soup, text):
            checked += 1
            why = check(output, base_url, where, url, lambda p=page, s=soup: output.ids(p, s))
            if why:
                broken.append(f"{page_url}: {why}")
    for sheet in sorted(served_site.output.rglob("*.css")):
        sheet_url = output.page_url(sheet)
        for m in CSS_URL.finditer(sheet.read_text(encoding="utf-8")):
            url = m.group(2).strip()
            checked += 1
            if not url.startswith("#"):
                why = check(output, sheet_url, "url()", url, set)
                if why:
                    broken.append(f"{sheet_url}: {why}")
    print(f"{checked} references in {len(pages)} pages checked")
    assert checked > len(pages), f"only {checked} references found in {len(pages)} pages"
    assert not broken, f"{len(broken)} broken internal references:\n" + "\n".join(broken)
