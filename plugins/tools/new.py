"""`invoke new`: a new article file, named and headed as the editors' guide
says, checked by the contract before it is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from plugins.contract import dates, schema
from plugins.contract.articles import DRAFT_STATUS, read_item, resolve_article
from plugins.contract.header import file_text, split_list
from plugins.contract.pipeline import load_settings
from plugins.contract.problems import ERROR, Problem
from plugins.contract.registry import load_registry
from plugins.contract.slugs import slugify

SLUG_MAX = 70
BODY = ('<!-- Viết nội dung bài dưới dòng này (dòng này không hiện trên trang, có thể xóa). '
        'Chèn ảnh: ![Mô tả ảnh](images/ten-anh.jpg "Chú thích. Ảnh: Tên tác giả") -->\n')


class NewArticleError(Exception):
    """The article cannot be created as asked; the message is for the editor."""


@dataclass(frozen=True)
class NewArticle:
    path: Path        # the file to write
    rel: str          # its path in the content folder
    text: str
    warnings: tuple[Problem, ...] = ()


def short_slug(title: str, limit: int = SLUG_MAX) -> str:
    """The title as a slug of at most ``limit`` characters, cut between words."""
    slug = slugify(title) or "bai-viet"
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:limit].rstrip("-")


def plan(root: Path, unit: str, title: str, now: dt.datetime | None = None, campaigns: str = "",
         content_type: str = "tin", category: str = "", slug: str = "", article_dir: str = "") -> NewArticle:
    """The file ``invoke new`` would write, refused with the contract's own messages; it goes in
    ``article_dir`` (default: the build's article folder, ``ARTICLE_PATHS``)."""
    root = Path(root)
    title = " ".join(title.split())
    if not title:
        raise NewArticleError("thiếu tiêu đề; hãy ghi --title \"Tiêu đề bài\"")
    local = (now or dates.now()).astimezone(dates.SITE_TZ)
    slug = slug.strip() or short_slug(title)
    registry, registry_problems = load_registry(root)
    if not category and registry.sections:
        category = registry.sections[0].id
    article_dir = article_dir or load_settings(root)["ARTICLE_PATHS"][0]
    rel = f"{article_dir}/{local:%Y}/{local:%Y-%m-%d}-{slug}.md"
    values = {
        schema.TITLE: title,
        schema.DATE: dates.header_date(local),
        schema.UNIT: unit.strip(),
        schema.SLUG: slug,
        schema.CATEGORY: category.strip(),
        schema.CAMPAIGNS: f"{schema.CAMPAIGNS.separator} ".join(split_list(campaigns)),
        schema.TYPE: (content_type or "tin").strip(),
        schema.STATUS: DRAFT_STATUS,
    }
    # Every key of the template, the ones left empty for the editor to fill.
    text = file_text([(key, values.get(key, "")) for key in schema.NEW_ARTICLE], BODY, keep_empty=True)
    read = read_item(text.encode("utf-8"), rel)
    _, found = resolve_article(read.source, read.header.title, read.header.date, read.rendered.references, registry, root)
    problems = read.problems + found
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        lines = [p.message for p in errors]
        lines += [str(p) for p in registry_problems if p.severity == ERROR]
        raise NewArticleError("\n".join(lines))
    return NewArticle(root / rel, rel, text, tuple(p for p in problems if p.severity != ERROR))


def create(root: Path, unit: str, title: str, now: dt.datetime | None = None, **options) -> NewArticle:
    """Write the new article; an existing file is never overwritten."""
    new = plan(root, unit, title, now, **options)
    if new.path.exists():
        raise NewArticleError(f"tệp {shown(new.path)} đã có; không ghi đè. Hãy mở tệp đó, hoặc đặt --slug khác")
    new.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(new.text)
    except FileExistsError:
        raise NewArticleError(f"tệp {shown(new.path)} đã có; không ghi đè") from None
    return new


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the current folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
