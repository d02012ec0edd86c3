"""`invoke import`: check what was asked, read the export and the mapping, write the files and the report.

One behaviour for units: every post needs a unit, from the mapping or ``--default-unit``. While
one has none, the import writes the mapping file, names what is unmapped and writes no article.
A re-run writes the same bytes: a file an earlier import wrote for an item (``existing.Earlier``)
keeps its slug, is left as it is when the import would write the same bytes, and is never
overwritten once an editor changed it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from plugins.contract import urlrecord
from plugins.contract.pipeline import load_settings
from plugins.contract.articles import read_item, resolve_article
from plugins.contract.problems import ERROR, WARNING, Problem
from plugins.contract.registry import Registry, load_registry
from plugins.contract.rules import page_problems

from . import body, core
from .existing import Earlier, existing_files
from .mapping import Mapping, mapping_text, read_mapping
from .settings import DEFAULTS, ImportSettings
from .sources import SourceError, read_rss, read_wordpress
from .uploads import Uploads, inside

READERS = MappingProxyType({"wordpress": read_wordpress, "rss": read_rss})


class ImportRefused(Exception):
    """The import cannot run as asked; the message is for the editor."""


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)      # changed by an editor since: left alone
    unmapped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the report: what could not be carried
    map_written: bool = False
    comments: int = 0

    @property
    def failed(self) -> bool:
        """The export or the mapping has an error: nothing was written."""
        return any(p.severity != WARNING for p in self.problems)


def run(kind: str, export: Path, content: Path, uploads: Path | None, map_file: Path, report: Path,
        default_unit: str = "", settings: ImportSettings = DEFAULTS) -> Outcome:
    """Import ``export`` into ``content``; ImportRefused for what stops it before anything is written."""
    registry = _checked_request(kind, export, content, uploads, (map_file, report), default_unit, settings)
    try:
        site = READERS[kind](export.read_bytes(), export.name)
    except SourceError as exc:
        return Outcome(problems=[exc.problem])
    mapping, problems = read_mapping(map_file, map_file.name, registry)
    outcome = Outcome(problems=problems)
    if outcome.failed:
        return outcome
    merged = mapping.merged(site)
    # Written when it is new or gains a line; a filled file is otherwise left as the federation wrote it.
    if not map_file.is_file() or merged != mapping:
        map_file.write_text(mapping_text(merged), encoding="utf-8", newline="\n")
        outcome.map_written = True
    live = [item for item in site.items if item.status != "trash"]
    outcome.unmapped = [f"{item.title} (chuyên mục: {', '.join(t.name for t in item.categories) or 'không có'}; "
                        f"tác giả: {item.author_name or 'không rõ'})"
                        for item in live if item.kind == "post" and not merged.unit_of(item)]
    if outcome.unmapped and not default_unit:
        return outcome
    _write_items(site, content, uploads, merged, default_unit, settings, outcome, export.name, registry)
    write_report(report, outcome.problems)
    return outcome


def _checked_request(kind: str, export: Path, content: Path, uploads: Path | None, written: tuple[Path, ...],
                     default_unit: str, settings: ImportSettings) -> Registry:
    """The content folder's registry, once everything asked for is there and allowed; else ImportRefused."""
    if kind not in READERS:
        raise ImportRefused(f"--from phải là wordpress hoặc rss (đã ghi: {kind})")
    if not export.is_file():
        raise ImportRefused(f"không tìm thấy tệp xuất {export}")
    if export.stat().st_size > settings.max_export_bytes:
        raise ImportRefused(f"tệp {export} lớn hơn {settings.max_export_bytes // (1024 * 1024)} MB; hãy xuất từng "
                           "phần (WordPress: Công cụ → Xuất, chọn khoảng ngày)")
    if not (content / "units.yml").is_file():
        raise ImportRefused(f"{content} không phải thư mục nội dung của cổng thông tin (không có units.yml)")
    if uploads is not None and not uploads.is_dir():
        raise ImportRefused(f"không tìm thấy thư mục tải lên {uploads} (bản chép của wp-content/uploads)")
    for path in written:
        if path.resolve().is_relative_to(content.resolve()):
            raise ImportRefused(f"{path} nằm trong thư mục nội dung; hãy ghi tệp này ra ngoài {content}")
    registry, registry_problems = load_registry(content)
    if any(p.severity != WARNING for p in registry_problems):
        raise ImportRefused("danh mục đơn vị, chiến dịch hoặc chuyên mục đang có lỗi; hãy chạy python3 tasks.py check "
                           "và sửa trước khi nhập bài")
    if default_unit and default_unit not in registry.units:
        raise ImportRefused(f"--default-unit '{default_unit}' không có trong units.yml")
    return registry


def _write_items(old: core.OldSite, content: Path, uploads: Path | None, mapping: Mapping, default_unit: str,
                 settings: ImportSettings, outcome: Outcome, label: str, registry: Registry) -> None:
    items = old.items
    site = load_settings(content)
    folders = core.Folders(site["ARTICLE_PATHS"][0], site["PAGE_PATHS"][0])
    existing = existing_files(content, folders)
    earlier = Earlier(existing)
    owners = {item.id: earlier.file_of(item) for item in items}
    owned = {e.rel for e in owners.values() if e is not None}
    # The URL record's addresses, but for the files this import wrote before (their own addresses stay theirs).
    recorded = [url for url, entry in urlrecord.read(content).entries.items() if entry.owner not in owned]
    taken = {e.slug for e in existing if e.rel not in owned} | {url.rstrip("/").rsplit("/", 1)[-1] for url in recorded}
    taken |= {owner.slug for owner in owners.values() if owner is not None}
    addresses = {a for e in existing if e.rel not in owned for a in e.addresses} | {"/" + url for url in recorded}
    copier = Uploads(uploads, content, settings, old.link)
    outcome.problems += [Problem(label, s.line, f"'{s.title}' thuộc loại nội dung '{s.kind}' của WordPress (không "
                                 "phải bài hay trang) nên không được nhập; nếu cần, hãy tạo bài bằng python3 tasks.py "
                                 "new rồi chép nội dung sang", WARNING, "W821") for s in old.skipped]
    outcome.comments = old.comments
    for item in items:
        if item.status == "trash":
            outcome.problems.append(Problem(label, item.line, f"'{item.title}' nằm trong thùng rác của WordPress nên "
                                            "không được nhập; nếu cần bài này, hãy khôi phục trên WordPress rồi xuất "
                                            "lại", WARNING, "W816"))
            continue
        if item.kind == "post" and item.date is None:
            outcome.problems.append(Problem(label, item.line, f"'{item.title}' không có ngày đăng trong tệp xuất nên "
                                            "không được nhập; nếu cần bài này, hãy tạo bằng python3 tasks.py new rồi "
                                            "chép nội dung sang", WARNING, "W818"))
            continue
        owner = owners[item.id]
        slug = owner.slug if owner else core.unique_slug(item.slug or item.title, taken, item.title, item.kind == "page")
        while True:
            made = core.item_file(item, slug, mapping.unit_of(item) or default_unit, mapping.section_of(item),
                                  copier.locate, addresses, folders, settings.note_quote_chars, settings.summary_chars,
                                  old.link)
            if owner is not None or not os.path.lexists(content / made.rel):
                break
            # Another file already has this name (under another slug): never written over.
            slug = core.unique_slug(item.slug or item.title, taken, item.title, item.kind == "page")
        rel, data = owner.rel if owner else made.rel, made.text.encode("utf-8")
        wrong = _first_error(made, content, registry, page=item.kind == "page")
        if wrong is not None:
            outcome.problems.append(Problem(label, item.line, f"'{item.title}' không được nhập vì tệp sẽ có lỗi khi "
                                            f"kiểm tra ({wrong}); hãy sửa tệp chuyển đổi hoặc units.yml rồi chạy lại",
                                            WARNING, "W820"))
            continue
        if owner is not None:
            (outcome.unchanged if owner.data == data else outcome.kept).append(rel)
        else:
            target = content / rel
            if not inside(target, content):
                raise ImportRefused(f"{target} trỏ ra ngoài thư mục nội dung (một lối tắt); không ghi gì vào đó")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            outcome.written.append(rel)
        outcome.problems += [Problem(rel, line, note.message, WARNING, note.code)
                             for line, note in zip(body.note_lines(made.text), made.notes)]


def _first_error(made: core.ItemFile, content: Path, registry: Registry, page: bool) -> str | None:
    """The first error `check` would find in the file the import is about to write, or None.

    Asked of the contract itself (the reader, then an article's unit, section and files as ``invoke
    new`` does, or a page's files and slug), so an imported file never fails `check`."""
    read = read_item(made.text.encode("utf-8"), made.rel, page=page)
    if page:
        problems = page_problems(read.problems, read.source, read.rendered.references, read.source.get("Slug"), content)[1]
    else:
        problems = read.problems + resolve_article(read.source, read.header.title, read.header.date,
                                                   read.rendered.references, registry, content)[1]
    errors = sorted(p for p in problems if p.severity == ERROR)
    return f"dòng {errors[0].line}: {errors[0].message}" if errors else None


def report_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in sorted(problems))


def write_report(path: Path, problems: list[Problem]) -> None:
    path.write_text(report_text(problems), encoding="utf-8", newline="\n")


def shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)




def summary(outcome: Outcome, map_file: Path, report: Path) -> str:
    """What the import did, for the terminal: problems first, then what to do next."""
    if outcome.failed:
        return "\n".join(str(p) for p in sorted(outcome.problems)) + "\nKhông nhập bài nào; hãy sửa lỗi trên rồi chạy lại."
    lines = []
    if outcome.map_written:
        lines.append(f"Đã ghi tệp chuyển đổi {shown(map_file)}.")
    if outcome.unmapped and not (outcome.written or outcome.unchanged or outcome.kept):
        lines.append(f"{len(outcome.unmapped)} bài chưa có đơn vị:")
        lines += [f"  - {name}" for name in outcome.unmapped]
        lines.append(f"Chưa nhập bài nào. Hãy điền unit: (mã trong units.yml) cho các chuyên mục hoặc tác giả trong "
                     f"{shown(map_file)}, rồi chạy lại lệnh; hoặc thêm --default-unit MÃ-ĐƠN-VỊ cho các bài còn lại.")
        return "\n".join(lines)
    lines.append(f"Đã ghi {len(outcome.written)} tệp; {len(outcome.unchanged)} tệp đã nhập trước đây không đổi.")
    if outcome.comments:
        lines.append(f"{outcome.comments} bình luận của bạn đọc không được nhập (cổng thông tin không có bình luận).")
    if outcome.kept:
        lines.append(f"{len(outcome.kept)} tệp đã được sửa sau lần nhập trước nên được giữ nguyên (xóa tệp nếu muốn "
                     "nhập lại):")
        lines += [f"  - {rel}" for rel in outcome.kept]
    lines.append(f"{len(outcome.problems)} điều không mang sang được, ghi trong {shown(report)} và trong bài "
                 "(đoạn “Ghi chú khi nhập”). Việc tiếp theo: sửa các ghi chú đó, chạy python3 tasks.py check, "
                 "rồi python3 tasks.py build.")
    return "\n".join(lines)
