"""`invoke import`: read the export, check the mapping, copy the uploads, write the files and the report.

One behaviour for units: every post needs a unit, from the mapping or ``--default-unit``. While
one has none, the import writes the mapping file, names what is unmapped and writes no article.
A re-run writes the same bytes: a file is the item's when its ``Aliases`` hold the item's old
address (or, without one, its title and date match); such a file keeps its slug, is left as it
is when the import would write the same bytes, and is never overwritten once an editor changed it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from urllib.parse import unquote

from plugins.contract import dates, schema, urlrecord
from plugins.contract import downloads
from plugins.contract.downloads import KINDS
from plugins.contract.header import parse_source, split_list
from plugins.contract.problems import WARNING, Problem
from plugins.contract.registry import load_registry
from plugins.contract.slugs import slugify
from plugins.images.core import ImageProblem, open_image
from plugins.images.settings import ImageSettings

from . import core
from .mapping import Mapping, mapping_text, read_mapping
from .settings import DEFAULTS, PHOTO_EXTENSIONS, ImportSettings
from .sources import OldItem, SourceError, read_rss, read_wordpress

READERS = MappingProxyType({"wordpress": read_wordpress, "rss": read_rss})
_SIZED = re.compile(r"^(?P<stem>.+)-\d{2,5}x\d{2,5}(?P<ext>\.[A-Za-z0-9]+)$")
ARTICLE_DIR = "articles"
PAGE_DIR = "pages"


class ImportError_(Exception):
    """The import cannot run as asked; the message is for the editor."""


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)      # changed by an editor since: left alone
    unmapped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the report: what could not be carried
    map_written: bool = False

    @property
    def failed(self) -> bool:
        """The export or the mapping has an error: nothing was written."""
        return any(p.severity != WARNING for p in self.problems)


class Uploads:
    """Copies files of the old site's uploads folder into images/ and files/, never from or to outside."""

    def __init__(self, uploads: Path | None, content: Path, settings: ImportSettings):
        self.root = uploads.resolve() if uploads else None
        self.content = content.resolve()
        self.settings = settings
        self.done: dict[tuple[str, str], core.Located] = {}
        # The digest of each file copied (or found already there) by its path in the content folder.
        self.digests: dict[str, str] = {}

    def locate(self, url: str, kind: str) -> core.Located:
        key = (url, kind)
        if key not in self.done:
            self.done[key] = self._locate(url, kind)
        return self.done[key]

    def _locate(self, url: str, kind: str) -> core.Located:
        written = url.strip()
        rel = core.uploads_path(written)
        if rel is None:
            return core.Located(note=core.Note("W810", f"ảnh '{_short(written)}' không nằm trong thư mục tải lên của "
                                                       "website cũ nên không được chép (lệnh nhập không tải gì từ "
                                                       "Internet); hãy chép ảnh vào images/ rồi chèn lại", written))
        rel = unicodedata.normalize("NFC", unquote(rel))
        parts = PurePosixPath(rel).parts
        if not parts or rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("..", ".") for p in parts):
            return core.Located(note=_outside(written))
        extension = PurePosixPath(rel).suffix.lower().lstrip(".")
        allowed = PHOTO_EXTENSIONS if kind == "photo" else frozenset(KINDS)
        if extension not in allowed:
            return core.Located(note=core.Note("W812", f"tệp '{_short(written)}' thuộc loại .{extension or '?'} "
                                                       "mà website không đăng; hãy đổi sang PDF, Word, Excel hoặc "
                                                       "ảnh JPEG, PNG rồi đính kèm lại", written))
        candidates = [rel]
        sized = _SIZED.match(rel)
        if kind == "photo" and sized:
            candidates.append(sized.group("stem") + sized.group("ext"))
        for candidate in candidates:
            found = self._source(candidate, written)
            if isinstance(found, core.Note):
                return core.Located(note=found)
            if found is not None:
                return self._copy(found, candidate, "images" if kind == "photo" else "files")
        if kind == "photo":
            return core.Located(note=core.Note("W809", f"ảnh '{rel}' không có trong thư mục tải lên (--uploads); "
                                                       "hãy tìm ảnh, chép vào images/ rồi chèn lại vào bài", written))
        return core.Located(note=core.Note("W811", f"tệp '{rel}' không có trong thư mục tải lên (--uploads); hãy "
                                                   "tìm tệp, chép vào files/ rồi thêm liên kết lại", written))

    def _source(self, rel: str, written: str) -> Path | core.Note | None:
        if self.root is None:
            return None
        full = self.root / rel
        try:
            real = full.resolve()
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(self.root):
            return _outside(written)
        if not real.is_file():
            return None
        if real.stat().st_size > self.settings.max_upload_bytes:
            return core.Note("W814", f"tệp '{rel}' lớn hơn {self.settings.max_upload_bytes // (1024 * 1024)} MB nên "
                                     "không được chép; hãy thu nhỏ (ảnh) hoặc chia nhỏ tệp rồi chèn lại", written)
        refused = self._refused(real)
        if refused:
            return core.Note("W819", f"tệp '{rel}' không được chép vì website sẽ không đăng nó: {refused}", written)
        return real

    def _refused(self, real: Path) -> str:
        """Why the portal's own checks would refuse this photo or document (checked as `check` does)."""
        if real.suffix.lower().lstrip(".") in PHOTO_EXTENSIONS:
            try:
                with open_image(real, ImageSettings().max_pixels):
                    return ""
            except ImageProblem as exc:
                return str(exc)
        found = downloads.problem(real.parent, real.name, tuple(KINDS))
        return found.message if found else "" 

    def _copy(self, real: Path, rel: str, folder: str) -> core.Located:
        data = real.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        path = PurePosixPath(rel)
        stem = "/".join(slugify(p) or "tep" for p in path.parent.parts)
        name = slugify(path.stem) or "tep"
        base = f"{folder}/{stem + '/' if stem else ''}{name}"
        target, number = f"{base}{path.suffix.lower()}", 1
        while True:
            held = self.digests.get(target)
            on_disk = self.content / target
            if held is None and on_disk.is_file() and not on_disk.is_symlink():
                held = hashlib.sha256(on_disk.read_bytes()).hexdigest()
            if held is None or held == digest:
                break
            number += 1
            target = f"{base}-{number}{path.suffix.lower()}"
        destination = self.content / target
        if not inside(destination, self.content):
            return core.Located(note=_outside(rel))
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not destination.is_file():
            destination.write_bytes(data)
        self.digests[target] = digest
        return core.Located(path=target)


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` (which may not exist yet) stays in ``root`` through every symlink on its way."""
    if path.is_symlink():
        return False
    ancestor = path
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    return ancestor.resolve().is_relative_to(root.resolve())


def _outside(written: str) -> core.Note:
    return core.Note("W813", f"đường dẫn '{_short(written)}' trỏ ra ngoài thư mục tải lên (--uploads) nên không được "
                             "đọc; hãy chép đúng tệp vào images/ hoặc files/ rồi chèn lại", written)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Existing:
    rel: str
    slug: str
    title: str
    date: str
    aliases: frozenset[str]
    data: bytes

    @property
    def addresses(self) -> set[str]:
        """The paths this file answers: its own URL (articles with a readable date) and its aliases."""
        own = set(self.aliases)
        if self.rel.startswith(PAGE_DIR + "/"):
            own.add(f"/{self.slug}/")
        else:
            try:
                day = dates.parse_date(self.date)
            except (dates.DateError, ValueError):
                return own
            own.add(f"/{day:%Y}/{day:%m}/{self.slug}/")
        return own


def existing_files(content: Path) -> list[Existing]:
    found = []
    for folder, keys in ((ARTICLE_DIR, schema.ARTICLE), (PAGE_DIR, schema.PAGE)):
        for path in sorted((content / folder).rglob("*.md")) if (content / folder).is_dir() else ():
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            source = parse_source(data, path.relative_to(content).as_posix(), schema.names(keys))
            title = source.get("Title")
            found.append(Existing(path.relative_to(content).as_posix(), source.get("Slug") or slugify(title), title,
                                  source.get("Date"), frozenset(a.strip() for a in split_list(source.get("Aliases"))),
                                  data))
    return found


def run(kind: str, export: Path, content: Path, uploads: Path | None, map_file: Path, report: Path,
        default_unit: str = "", settings: ImportSettings = DEFAULTS) -> Outcome:
    """Import ``export`` into ``content``; ImportError_ for what stops it before anything is written."""
    if kind not in READERS:
        raise ImportError_(f"--from phải là wordpress hoặc rss (đã ghi: {kind})")
    if not export.is_file():
        raise ImportError_(f"không tìm thấy tệp xuất {export}")
    if export.stat().st_size > settings.max_export_bytes:
        raise ImportError_(f"tệp {export} lớn hơn {settings.max_export_bytes // (1024 * 1024)} MB; hãy xuất từng "
                           "phần (WordPress: Công cụ → Xuất, chọn khoảng ngày)")
    if not (content / "units.yml").is_file():
        raise ImportError_(f"{content} không phải thư mục nội dung của cổng thông tin (không có units.yml)")
    if uploads is not None and not uploads.is_dir():
        raise ImportError_(f"không tìm thấy thư mục tải lên {uploads} (bản chép của wp-content/uploads)")
    for written in (map_file, report):
        if written.resolve().is_relative_to(content.resolve()):
            raise ImportError_(f"{written} nằm trong thư mục nội dung; hãy ghi tệp này ra ngoài {content}")
    registry, registry_problems = load_registry(content)
    if any(p.severity != WARNING for p in registry_problems):
        raise ImportError_("danh mục đơn vị, chiến dịch hoặc chuyên mục đang có lỗi; hãy chạy python3 tasks.py check "
                           "và sửa trước khi nhập bài")
    if default_unit and default_unit not in registry.units:
        raise ImportError_(f"--default-unit '{default_unit}' không có trong units.yml")
    try:
        site = READERS[kind](export.read_bytes(), export.name)
    except SourceError as exc:
        return Outcome(problems=[exc.problem])
    mapping, problems = read_mapping(map_file, map_file.name, registry)
    outcome = Outcome()
    if problems:
        outcome.problems = problems
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
    _write_items(site.items, content, uploads, merged, default_unit, settings, outcome, export.name)
    write_report(report, outcome.problems)
    return outcome


def _write_items(items, content: Path, uploads: Path | None, mapping: Mapping, default_unit: str,
                 settings: ImportSettings, outcome: Outcome, label: str) -> None:
    existing = existing_files(content)
    by_alias = {alias: e for e in existing for alias in sorted(e.aliases)}
    by_title = {(e.rel.split("/", 1)[0], e.title, e.date if e.rel.startswith(ARTICLE_DIR + "/") else ""): e
                for e in reversed(existing)}
    owners = {item.id: _owned(item, by_alias, by_title) for item in items}
    owned = {e.rel for e in owners.values() if e is not None}
    taken = {e.slug for e in existing if e.rel not in owned}
    taken |= {url.rstrip("/").rsplit("/", 1)[-1] for url in urlrecord.read(content).entries}
    slugs = {}
    for item in items:
        if owners[item.id] is not None:
            slugs[item.id] = owners[item.id].slug
            taken.add(owners[item.id].slug)
    addresses = {a for e in existing if e.rel not in owned for a in e.addresses}
    addresses |= {"/" + url for url in urlrecord.read(content).entries}
    copier = Uploads(uploads, content, settings)
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
        slug = slugs.get(item.id) or core.unique_slug(item.slug or item.title, taken, item.title)
        rel, text, notes = _item_file(item, slug, copier, mapping, default_unit, settings, addresses)
        owner = owners[item.id]
        target = content / (owner.rel if owner else rel)
        data = text.encode("utf-8")
        shown = owner.rel if owner else rel
        if owner is not None and owner.data != data:
            outcome.kept.append(shown)
        elif owner is not None:
            outcome.unchanged.append(shown)
        else:
            if not inside(target, content):
                raise ImportError_(f"{target} trỏ ra ngoài thư mục nội dung (một lối tắt); không ghi gì vào đó")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            outcome.written.append(shown)
        outcome.problems += [Problem(shown, line, note.message, WARNING, note.code)
                             for line, note in zip(core.note_lines(text), notes)]


def _owned(item: OldItem, by_alias: dict[str, Existing], by_title: dict[tuple, Existing]) -> Existing | None:
    """The file an earlier import wrote for ``item``: by its old address, else by title (and date for a post)."""
    folder = ARTICLE_DIR if item.kind == "post" else PAGE_DIR
    alias = core.old_address(item.link).alias
    found = by_alias.get(alias) if alias else None
    if found is not None and found.rel.startswith(folder + "/"):
        return found
    date = core.local_date(item.date) if item.date and item.kind == "post" else ""
    return by_title.get((folder, core.one_line(item.title), date))


def _item_file(item: OldItem, slug: str, copier: Uploads, mapping: Mapping, default_unit: str,
               settings: ImportSettings, addresses: set[str]) -> tuple[str, str, list[core.Note]]:
    title = core.one_line(item.title) or slug
    body = core.convert_body(item.html, copier.locate, title, settings.note_quote_chars)
    notes = list(body.notes)
    extra: list[core.Note] = []
    address = core.old_address(item.link)
    if address.alias and address.alias in addresses:
        address = core.OldAddress(note=core.Note("W817", f"địa chỉ cũ '{address.alias}' đã là địa chỉ của một bài "
                                                         "hoặc trang có sẵn trên website nên không chuyển hướng sang "
                                                         "bài này; nếu cần, đặt một địa chỉ cũ khác trong 'Aliases'"))
    if address.note is not None:
        extra.append(address.note)
    summary = core.summary_of(item.excerpt, body.first_paragraph, settings.summary_chars)
    status = "published" if item.status in ("publish", "future") else "draft"
    if item.kind == "page":
        if address.alias and address.alias.strip("/") != slug:
            extra.append(core.Note("W815", f"địa chỉ cũ '{address.alias}' của trang này khác địa chỉ mới '/{slug}/' "
                                           "và trang (không phải tin bài) không có địa chỉ cũ để chuyển hướng; nếu "
                                           "cần, cấu hình máy chủ web chuyển hướng địa chỉ đó"))
        header = [(schema.TITLE, title), (schema.SLUG, slug), (schema.SUMMARY, summary), (schema.STATUS, status)]
        rel = f"{PAGE_DIR}/{slug}.md"
    else:
        image = copier.locate(item.thumbnail, "photo") if item.thumbnail else core.Located()
        if image.note is not None:
            extra.append(image.note)
        date = item.date
        day = core.local_day(date)
        aliases = [address.alias] if address.alias and address.alias.strip("/") != f"{day:%Y/%m}/{slug}" else []
        header = [
            (schema.TITLE, title), (schema.DATE, core.local_date(date)),
            (schema.UNIT, mapping.unit_of(item) or default_unit), (schema.SLUG, slug),
            (schema.CATEGORY, mapping.section_of(item)),
            (schema.TAGS, ", ".join(core.one_line(t).replace(",", " ") for t in item.tags if t.strip())),
            (schema.TYPE, "tin"), (schema.AUTHOR, core.one_line(item.author_name)),
            (schema.IMAGE, image.path),
            (schema.IMAGE_ALT, core.one_line(item.thumbnail_alt or title) if image.path else ""),
            (schema.SUMMARY, summary), (schema.ALIASES, ", ".join(aliases)), (schema.STATUS, status)]
        rel = f"{ARTICLE_DIR}/{day:%Y}/{day:%Y-%m-%d}-{slug}.md"
    markdown = body.markdown
    if extra:
        markdown += "\n" + "\n\n".join(core.note_block(n, settings.note_quote_chars) for n in extra) + "\n"
    notes += extra
    return rel, core.file_text(header, markdown), notes


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
    if outcome.kept:
        lines.append(f"{len(outcome.kept)} tệp đã được sửa sau lần nhập trước nên được giữ nguyên (xóa tệp nếu muốn "
                     "nhập lại):")
        lines += [f"  - {rel}" for rel in outcome.kept]
    lines.append(f"{len(outcome.problems)} điều không mang sang được, ghi trong {shown(report)} và trong bài "
                 "(đoạn “Ghi chú khi nhập”). Việc tiếp theo: sửa các ghi chú đó, chạy python3 tasks.py check, "
                 "rồi python3 tasks.py build.")
    return "\n".join(lines)
