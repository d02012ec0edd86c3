"""`invoke check`: everything the build checks in a content folder, without
rendering the site, so it can run on every commit.

The contract's checks are the build's own sequence (``plugins.contract.pipeline
.check_folder``: registries, scan, each file read as the reader reads it,
resolved, settled, slug and alias collisions, unread files, downloads); on top,
the board's document texts (``mau-van-ban/bao-cao.yml`` and ``nhuan-but.yml``, read as
``report --format docx`` and ``royalties --format docx`` read them) and the photos each item uses (``plugins.images.markup.uses``) are opened at header
level (``open_image``: format, decompression bomb).

With a cache folder, what each file, article and photo gave is taken from the
last run while it still holds (``plugins.tools.check_cache``), so a check of a
national portal takes seconds; the answers are the same as without it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from plugins.contract.articles import resolve_article
from plugins.contract.pipeline import Item, check_folder, load_settings, read_file
from plugins.contract.problems import ERROR, Problem
from plugins.contract.rules import Outcome, as_draft_warning, lenient_draft
from plugins.contract.settings import keeping_going
from plugins.images import core as images
from plugins.images import markup as photo_markup
from plugins.images.settings import load as load_images
from plugins.royalties.document import TEMPLATE_FILE as LIST_TEMPLATE_FILE
from plugins.royalties.document import load_list_texts
from plugins.targets.document import TEMPLATE_FILE, load_report_texts

from .check_cache import REGISTRY_FILES, CheckCache, opened


@dataclass
class Findings:
    problems: list[Problem]
    files: int
    # Files whose errors stop the build in every mode (the registries); with keep_going, the others do not.
    blocking: int = 0
    keep_going: bool = False
    # With keep_going: the articles the build would show in their last good version, and leave out.
    kept: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def summary(self) -> str:
        checked = f"{self.files} tệp đã kiểm tra"
        if self.keep_going and self.errors and not self.blocking:
            lines = [f"Có {self.errors} lỗi, {self.warnings} cảnh báo ({checked}). Bản dựng --keep-going vẫn đăng "
                     "website: mọi bài không có lỗi được đăng."]
            lines += [f"  giữ bản đã đăng trước: {path}" for path in self.kept]
            lines += [f"  không đăng: {path}" for path in self.left_out]
            return "\n".join(lines)
        if self.errors:
            return f"Có {self.errors} lỗi, {self.warnings} cảnh báo ({checked}). Hãy sửa các lỗi rồi chạy lại."
        if self.warnings:
            return f"Không có lỗi, {self.warnings} cảnh báo: {checked}."
        return f"Không có lỗi: {checked}."


class Direct:
    """Every file read, every article resolved and every photo opened again (no cache)."""

    read = staticmethod(read_file)
    resolve = staticmethod(resolve_article)

    @staticmethod
    def uses(item: Item, cover: str | None, cover_line: int) -> list[tuple[str, int]]:
        return photo_markup.uses(cover, cover_line, item.read.rendered.html, item.portal_references,
                                 item.relative_source_path)

    @staticmethod
    def photo(full: Path, rel: str, max_pixels: int, check) -> images.ImageProblem | None:
        return check(full, max_pixels)


def check(root: Path, now: dt.datetime, settings: dict | None = None, cache: Path | None = None,
          keep_going: bool = False) -> Findings:
    """Every problem the build would report for the content folder ``root`` at ``now``.

    One difference, on purpose: photos of scheduled articles are checked too (the
    build checks them only once the article is live, and would fail then), and
    photos of drafts give draft warnings. With ``cache`` (a folder), the results
    of the last check there are used wherever they still hold, and saved again. With
    ``keep_going``, as ``build --keep-going`` would: what it keeps or leaves out is told too.
    """
    root = Path(root).resolve()
    settings = settings if settings is not None else load_settings(root)
    settings = keeping_going(settings) if keep_going else settings
    with opened(Path(cache), root) if cache is not None else nullcontext(Direct()) as reader:
        folder = check_folder({**settings, "PATH": str(root)}, now, read=reader.read, resolve=reader.resolve)
        build = folder.build
        kept = [a for a in folder.articles if build.outcomes.get(a.relative_source_path) not in (Outcome.REJECTED, Outcome.KEPT)]
        kept += [a for a in folder.published if build.outcomes.get(a.relative_source_path) is Outcome.KEPT]
        photos, problems = check_photos(root, kept + folder.live_pages, load_images(settings).max_pixels,
                                        lambda item: lenient_draft(item.status, item.portal_source.get("Status"),
                                                                   build.settings), reader)
        build.report(problems)
        build.report(load_report_texts(root)[1])  # the board's report texts, as `report --format docx` reads them
        build.report(load_list_texts(root)[1])  # and the payment list's, as `royalties --format docx` reads them
    files = len(folder.articles) + len(folder.pages) + len(REGISTRY_FILES) + len(build.channels.files) + photos
    files += (root / TEMPLATE_FILE).is_file() + (root / LIST_TEMPLATE_FILE).is_file()
    return Findings(build.problems, files, len(build.blocking), build.settings.keep_going,
                    tuple(sorted(build.kept)), tuple(sorted(build.rejected)))


def photo_problem(full: Path, max_pixels: int) -> images.ImageProblem | None:
    """What is wrong with the photo ``full`` (its header opened), or ``None``."""
    try:
        with images.open_image(full, max_pixels):
            return None
    except images.ImageProblem as exc:
        return exc


def check_photos(root: Path, items: list[Item], max_pixels: int, lenient,
                 reader: Direct | CheckCache | None = None) -> tuple[int, list[Problem]]:
    """Open the header of every photo the items use; (photos checked, problems at each use).
    ``lenient(item)`` tells the items whose problems are draft warnings; ``reader`` gives each
    item's photos and each photo's problem (``Direct`` or a ``CheckCache``)."""
    reader = reader if reader is not None else Direct()
    uses: dict[str, list[tuple[Item, int]]] = {}
    for item in items:
        cover = item.info.cover.url if item.info.cover is not None else None
        for path, line in reader.uses(item, cover, item.portal_source.line_of("Image")):
            uses.setdefault(path, []).append((item, line))
    problems, checked = [], 0
    for path, where in uses.items():
        full = root / path
        if not full.is_file():
            continue  # reported by the content checks
        checked += 1
        found = reader.photo(full, path, max_pixels, photo_problem)
        if found is None:
            continue
        message = photo_markup.problem_message(path, str(found))
        for item, line in where:
            problem = Problem(item.relative_source_path, line, message, code=found.code)
            problems.append(as_draft_warning(problem) if lenient(item) else problem)
    return checked, problems
