"""What an article's header means, checked against units, campaigns and sections.

Two stages, both pure: ``read_header`` runs once per file and its result is
cached with the file (Pelican's reader cache); ``resolve`` runs on every build
because it depends on the YAML registries and on which files exist.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from plugins import urls

from . import schema
from .dates import DateError, parse_date
from .header import ARTICLE_KEYS, PAGE_KEYS, SourceFile, parse_source, split_list
from .embeds import Embed, recognise
from .markup import LINKABLE_FOLDERS, PAGE_FOLDERS, Reference, Rendered, inline, render
from .paths import PathProblem, is_local, on_computer, on_computer_message, resolve
from .problems import ERROR, WARNING, Problem, Severity, suggest
from .registry import ID_PATTERN, Campaign, Registry, Section, Unit
from .slugs import MAX_SLUG_LENGTH, shorten, slugify
from .text import visible
from .typography import curly_quotes

CONTENT_TYPES = MappingProxyType({
    "tin": "Tin",
    "bai": "Bài viết",
    "phong-su": "Phóng sự",
    "anh": "Ảnh",
    "video": "Video",
    "infographic": "Infographic",
})
# What an editor writes in Status: on the site when its date comes, or kept off it.
PUBLISHED_STATUS, DRAFT_STATUS = "published", "draft"
STATUSES = tuple(choice.value for choice in schema.STATUS.choices)
YES = ("yes", "có", "co", "true", "1")
NO = ("no", "không", "khong", "false", "0", "")
IMAGE_FOLDERS = ("images",)
# Photos in images/ are published only as resized copies, so downloads live in files/.
DOWNLOAD_FOLDERS = ("files",)
PLACEHOLDER_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_SIZE_UNITS = ("B", "KB", "MB", "GB")
# "Ảnh: Phạm Văn Hải" at the end of a caption is the photographer: what captions held before ImageCredit.
_CREDIT_IN_CAPTION = re.compile(r"(?:^|(?<=[.!?…;,–-])\s*|\s+)[(\[]?(?:Ảnh|Photo)\s*[:：]\s*(?P<credit>[^()\[\]]+?)[)\]]?\s*$",
                                re.IGNORECASE)
# What editors call a file's kind; other extensions are shown in capitals.
FILE_KINDS = MappingProxyType({
    "pdf": "PDF", "doc": "Word", "docx": "Word", "odt": "Word", "xls": "Excel", "xlsx": "Excel", "ods": "Excel",
    "ppt": "PowerPoint", "pptx": "PowerPoint", "odp": "PowerPoint", "zip": "ZIP", "rar": "RAR", "mp3": "MP3",
    "mp4": "MP4", "jpg": "JPG", "png": "PNG", "txt": "Văn bản", "csv": "CSV",
})


@dataclass
class HeaderData:
    """The parts of a header that do not depend on anything but the file."""

    title: str
    date: dt.datetime
    slug: str
    status: str
    tags: list[str]
    summary_html: str | None
    modified: dt.datetime | None
    problems: list[Problem]


def read_header(source: SourceFile, *, page: bool = False) -> HeaderData:
    problems = list(source.problems)

    def error(key: str, message: str, code: str) -> None:
        problems.append(Problem(source.path, source.line_of(key), message, code=code))

    title = source.get("Title")
    fallback_title = posixpath.splitext(posixpath.basename(source.path))[0]
    if not source.readable:
        # Only the encoding error: nothing else of the file could be read.
        return HeaderData(fallback_title, PLACEHOLDER_DATE, slugify(fallback_title) or "bai-viet", PUBLISHED_STATUS,
                          [], None, None, problems)
    if not title:
        error("Title", "thiếu 'Title' (tiêu đề); hãy thêm dòng 'Title: …' vào phần đầu tệp", "E010")
        title = fallback_title
    date = PLACEHOLDER_DATE
    if source.get("Date"):
        try:
            date = parse_date(source.get("Date"))
        except DateError as exc:
            error("Date", f"'Date': {exc}", exc.code)
    elif not page:
        error("Date", "thiếu 'Date' (ngày đăng); hãy thêm dòng 'Date: 3/7/2024 08:30' vào phần đầu tệp", "E011")
    modified = None
    if source.get("Modified"):
        try:
            modified = parse_date(source.get("Modified"))
        except DateError as exc:
            error("Modified", f"'Modified': {exc}", exc.code)
    slug = source.get("Slug")
    if slug and not ID_PATTERN.match(slug):
        error("Slug", f"'Slug' '{visible(slug)}' chỉ được gồm chữ thường không dấu, số và dấu '-' "
                      f"(ví dụ {slugify(slug) or 'le-phat-dong'})", "E012")
        slug = slugify(slug)
    if len(slug) > MAX_SLUG_LENGTH:
        slug = shorten(slug)
        problems.append(Problem(source.path, source.line_of("Slug"),
                                f"'Slug' dài hơn {MAX_SLUG_LENGTH} ký tự nên được rút gọn thành '{slug}'; "
                                "hãy viết 'Slug' ngắn hơn", WARNING, "W012"))
    slug = slug or slugify(title) or "bai-viet"
    status = source.get("Status").lower() or PUBLISHED_STATUS
    if status not in STATUSES:
        words = schema.choice_words(schema.STATUS)
        error("Status", f"'Status' '{visible(source.get('Status'))}' không hợp lệ;{suggest(status, words, words)} "
                        "chỉ dùng 'published' (đăng) hoặc 'draft' (bản nháp)", "E013")
        status = DRAFT_STATUS
    summary = None
    if source.get("Summary"):
        summary, found = inline(source.get("Summary"), source.path, source.line_of("Summary"))
        problems += found
    return HeaderData(curly_quotes(title), date, slug, status, split_list(source.get("Tags")), summary, modified,
                      problems)


@dataclass
class ReadItem:
    """One article or page read from its bytes: everything that depends only on the file."""

    source: SourceFile
    header: HeaderData
    rendered: Rendered
    problems: list[Problem]


def read_item(raw: bytes, path: str, *, page: bool = False) -> ReadItem:
    """Parse, read the header and render the body of one file, as the build's reader does."""
    source = parse_source(raw, path, PAGE_KEYS if page else ARTICLE_KEYS)
    header = read_header(source, page=page)
    rendered = render(source.body, path, source.body_line, source.get("Image"))
    problems = header.problems + rendered.problems
    return ReadItem(source, header, rendered, problems)


@dataclass(frozen=True)
class Cover:
    url: str
    alt: str
    # What the photo shows, then who took it (shown after "Ảnh:").
    caption: str
    credit: str = ""


@dataclass(frozen=True)
class SourceLink:
    url: str
    name: str


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str
    size: int
    ext_label: str
    # The title the editor gave, else the file name.
    title: str = ""
    kind: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass(frozen=True)
class Video:
    url: str
    is_local: bool
    # A YouTube or Facebook video: shown as the same click-to-load poster as an embed in a body.
    embed: Embed | None = None


@dataclass
class ArticleInfo:
    """An article's header resolved against the registries and the files."""

    unit: Unit | None = None
    campaigns: list[Campaign] = field(default_factory=list)
    section: Section | None = None
    content_type: str = "tin"
    author_name: str = ""
    cover: Cover | None = None
    source: SourceLink | None = None
    featured: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    video: Video | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return CONTENT_TYPES[self.content_type]


class _Resolver:
    def __init__(self, source: SourceFile, registry: Registry, content_root: Path):
        self.source = source
        self.registry = registry
        self.root = content_root
        self.problems: list[Problem] = []

    def error(self, key: str, message: str, severity: Severity = ERROR, line: int | None = None,
              code: str = "") -> None:
        self.problems.append(Problem(self.source.path, line or self.source.line_of(key), message, severity, code))

    def unchecked(self, label: str, value: str) -> bool:
        """Whether ``value`` cannot be checked against the registry ``label``: the article then
        waits for the registry to be fixed (told once for all articles)."""
        found = self.registry.unchecked(label, value)
        if found is not None:
            self.problems.append(found)
        return found is not None

    def file(self, key: str, value: str, folders: tuple[str, ...]) -> str | None:
        if on_computer(value):
            self.error(key, on_computer_message(value, folders[0], key), code="E110")
            return None
        try:
            return resolve(value, self.source.path, self.root, folders)
        except PathProblem as exc:
            self.error(key, f"'{key}': {exc}", code=exc.code)
            return None

    def unit(self, day: dt.date | None) -> Unit | None:
        value = self.source.get("Unit")
        if not value:
            self.error("Unit", "thiếu 'Unit' (đơn vị gửi tin); hãy thêm dòng 'Unit: <mã>' với mã đơn vị trong "
                               "units.yml vào phần đầu tệp", code="E030")
            return None
        if self.unchecked("units.yml", value):
            return None
        unit = self.registry.units.get(value)
        if unit is None:
            named = self.registry.units_named(value)
            unit = self._by_name(value, named, "Unit", "đơn vị")
            if unit is None:
                if not named:
                    names = {n: u.id for u in self.registry.units.values() for n in u.names}
                    hint = suggest(value, self.registry.units) or suggest(value, names, names)
                    self.error("Unit", f"đơn vị '{visible(value)}' không có trong units.yml.{hint}", code="E031")
                return None
        if day and not unit.exists_on(day):
            period = _period(unit)
            self.error("Unit", f"ngày đăng {day:%d/%m/%Y} nằm ngoài thời gian hoạt động của đơn vị '{unit.id}' "
                               f"({period}); hãy kiểm tra 'Date' hoặc 'Unit'", code="E032")
        return unit

    def _by_name(self, value: str, named: list, key: str, what: str):
        """The one unit or campaign whose name is ``value`` (a warning asks for its id), or ``None``."""
        if len(named) == 1:
            self.error(key, f"{what} được ghi bằng tên '{value}'; đã hiểu là '{named[0].id}', nhưng hãy ghi mã: "
                            f"'{key}: {named[0].id}'", WARNING, code="W031")
            return named[0]
        if named:
            ids = ", ".join(f"'{found.id}'" for found in named)
            self.error(key, f"tên '{value}' là của nhiều {what} ({ids}); hãy ghi mã của {what} cần dùng",
                       code="E033")
        return None

    def campaigns(self, day: dt.date | None) -> list[Campaign]:
        found = []
        for campaign_id in split_list(self.source.get("Campaigns")):
            if self.unchecked("campaigns.yml", campaign_id):
                continue
            campaign = self.registry.campaigns.get(campaign_id)
            named = self.registry.campaigns_named(campaign_id) if campaign is None else []
            campaign = campaign or self._by_name(campaign_id, named, "Campaigns", "chiến dịch")
            if campaign is None:
                if not named:
                    hint = suggest(campaign_id, self.registry.campaigns)
                    self.error("Campaigns", f"chiến dịch '{visible(campaign_id)}' không có trong campaigns.yml.{hint}",
                               code="E034")
                continue
            if day and not campaign.contains(day):
                self.error("Campaigns", f"bài gắn chiến dịch '{campaign.id}' nhưng ngày đăng {day:%d/%m/%Y} nằm ngoài "
                           f"thời gian chiến dịch ({campaign.start:%d/%m/%Y}–{campaign.end:%d/%m/%Y})", WARNING,
                           code="W034")
            found.append(campaign)
        return found

    def section(self) -> Section | None:
        value = self.source.get("Category")
        if not value:
            return self.registry.sections[0] if self.registry.sections else None
        section = self.registry.find_section(value)
        if section is None and not self.unchecked("sections.yml", value):
            names = [s.id for s in self.registry.sections]
            titles = {s.name: s.id for s in self.registry.sections}
            hint = suggest(value, names) or suggest(value, titles, titles)
            self.error("Category", f"chuyên mục '{visible(value)}' không có trong sections.yml.{hint} "
                                   f"Các chuyên mục: {', '.join(names)}", code="E035")
        return section

    def content_type(self) -> str:
        value = self.source.get("Type").lower() or "tin"
        if value not in CONTENT_TYPES:
            self.error("Type", f"loại tin '{visible(value)}' không hợp lệ.{suggest(value, CONTENT_TYPES)} "
                               f"Các loại: {', '.join(CONTENT_TYPES)}", code="E036")
            return "tin"
        return value

    def featured(self) -> bool:
        value = self.source.get("Featured").lower()
        if value not in YES + NO:
            self.error("Featured", f"'Featured' chỉ nhận 'yes' hoặc 'no', không phải '{self.source.get('Featured')}'",
                       code="E037")
        return value in YES

    def cover(self, title: str) -> Cover | None:
        value = self.source.get("Image")
        if not value:
            for key in ("ImageAlt", "ImageCaption", "ImageCredit"):
                if self.source.get(key):
                    self.error(key, f"có '{key}' nhưng thiếu 'Image' (ảnh đại diện) nên '{key}' không được dùng; "
                               f"hãy thêm dòng 'Image: images/ten-anh.jpg' hoặc xóa dòng '{key}'", WARNING, code="W502")
            return None
        path = self.file("Image", value, IMAGE_FOLDERS)
        if path is None:
            return None
        caption, credit = split_credit(self.source.get("ImageCaption"))
        if credit and self.source.get("ImageCredit"):
            self.error("ImageCaption", f"'ImageCaption' có “Ảnh: {credit}” trong khi đã có 'ImageCredit' nên phần "
                                       "“Ảnh: …” của chú thích bị bỏ; hãy xóa phần “Ảnh: …” khỏi 'ImageCaption'",
                       WARNING, code="W040")
        return Cover(path, self.source.get("ImageAlt") or title, curly_quotes(caption),
                     curly_quotes(self.source.get("ImageCredit") or credit))


    def source_link(self) -> SourceLink | None:
        url, name = self.source.get("Source"), self.source.get("SourceName")
        if not url:
            if name:
                self.error("SourceName", "có 'SourceName' nhưng thiếu 'Source' (địa chỉ bài gốc); hãy thêm "
                                         "'Source: https://…'", code="E038")
            return None
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            self.error("Source", f"'Source' phải là địa chỉ web đầy đủ bắt đầu bằng https://, không phải '{url}'",
                       code="E039")
            return None
        return SourceLink(url, name or url.split("/")[2])

    def attachments(self) -> list[Attachment]:
        found = []
        for entry in attachment_entries(self.source.get("Attachments")):
            if not entry.path:
                self.error("Attachments", f"tệp đính kèm “{visible(entry.written)}” thiếu đường dẫn tệp trước tiêu "
                                          "đề; hãy viết '- files/ten-tep.pdf | Tiêu đề tệp'", code="E040")
                continue
            path = self.file("Attachments", entry.path, DOWNLOAD_FOLDERS)
            if path:
                ext = posixpath.splitext(path)[1].lstrip(".").lower()
                found.append(Attachment(posixpath.basename(path), path, (self.root / path).stat().st_size,
                                        ext.upper() or "TỆP", entry.title, FILE_KINDS.get(ext, ext.upper() or "Tệp")))
        return found

    def video(self) -> Video | None:
        value = self.source.get("Video")
        if not value:
            return None
        if not is_local(value):
            if not value.startswith(("https://", "http://")):
                self.error("Video", f"'Video' phải là tệp .mp4 trong files/ hoặc địa chỉ web https://, không phải '{value}'", code="E543")
                return None
            return Video(value, False, recognise(value))
        path = self.file("Video", value, DOWNLOAD_FOLDERS)
        if path and not path.lower().endswith(".mp4"):
            self.error("Video", f"video '{value}' phải là tệp .mp4", code="E544")
            return None
        return Video(path, True) if path else None

    def aliases(self) -> list[str]:
        found = []
        for value in split_list(self.source.get("Aliases")):
            alias = alias_path(value)
            if alias is None:
                self.error("Aliases", f"địa chỉ cũ '{value}' không hợp lệ; hãy viết đường dẫn trong website, "
                                      "ví dụ /tin-tuc/bai-cu.html", code="E211")
            else:
                found.append(alias)
        return found

    def references(self, references: list[Reference]) -> None:
        for ref in references:
            try:
                resolve(ref.value, self.source.path, self.root, PAGE_FOLDERS if ref.page else LINKABLE_FOLDERS)
            except PathProblem as exc:
                self.error("", str(exc), line=ref.line, code=exc.code)


def resolve_article(source: SourceFile, title: str, date: dt.datetime, references: list[Reference],
                    registry: Registry, content_root: Path) -> tuple[ArticleInfo, list[Problem]]:
    if not source.readable:
        return ArticleInfo(), []  # the encoding error is the file's only problem
    r = _Resolver(source, registry, content_root)
    # Without a readable date, period checks would only add noise to the report.
    day = None if date == PLACEHOLDER_DATE else date.date()
    info = ArticleInfo(
        unit=r.unit(day),
        campaigns=r.campaigns(day),
        section=r.section(),
        content_type=r.content_type(),
        author_name=source.get("Author"),
        cover=r.cover(title),
        source=r.source_link(),
        featured=r.featured(),
        attachments=r.attachments(),
        video=r.video(),
        aliases=r.aliases(),
    )
    r.references(references)
    return info, r.problems


def resolve_page(source: SourceFile, references: list[Reference], content_root: Path) -> tuple[list[str], list[Problem]]:
    """A page's old addresses (``Aliases``, read as an article's are) and its problems."""
    r = _Resolver(source, Registry(), content_root)
    if source.get("Image"):
        r.file("Image", source.get("Image"), IMAGE_FOLDERS)
    aliases = r.aliases() if source.readable else []
    r.references(references)
    return aliases, r.problems


def split_credit(caption: str) -> tuple[str, str]:
    """(what the photo shows, who took it) from a caption that may end in "Ảnh: …"."""
    match = _CREDIT_IN_CAPTION.search(caption)
    if match is None:
        return caption, ""
    return caption[:match.start()].rstrip(" –—-"), match.group("credit").strip()


@dataclass(frozen=True)
class AttachmentEntry:
    written: str
    path: str
    title: str


def attachment_entries(value: str) -> list[AttachmentEntry]:
    """The attachments of an ``Attachments`` value.

    One per line (``- files/x.pdf | Tiêu đề, có dấu phẩy``) when the value has
    lines or a '|': the title may then hold commas. Otherwise the older list
    separated by commas, without titles.
    """
    if "\n" not in value and "|" not in value:
        return [AttachmentEntry(v, v, "") for v in split_list(value)]
    entries = []
    for line in value.split("\n"):
        written = line.strip()
        if written.startswith(("- ", "* ")) or written in ("-", "*"):
            written = written[1:].strip()
        if not written:
            continue
        path, _, title = written.partition("|")
        entries.append(AttachmentEntry(written, path.strip(), " ".join(title.split())))
    return entries


def alias_path(value: str) -> str | None:
    """Output file for an old URL: ``/a/b.html`` as is, ``/a/b/`` as ``a/b/index.html``."""
    if "://" in value:
        value = "/" + value.split("://", 1)[1].split("/", 1)[-1]
    path = posixpath.normpath("/" + value.strip().split("?")[0].split("#")[0]).lstrip("/")
    if not path or path.startswith("..") or not re.match(r"^[A-Za-z0-9._~/%-]+$", path):
        return None
    if not posixpath.splitext(path)[1]:
        path = urls.save_as(f"{path}/")
    return path


def _period(unit: Unit) -> str:
    start = f"{unit.active_from:%d/%m/%Y}" if unit.active_from else "…"
    end = f"{unit.active_until:%d/%m/%Y}" if unit.active_until else "nay"
    return f"{start} – {end}"


def size_label(size: int) -> str:
    """``1,2 MB``: Vietnamese decimal comma."""
    value = float(size)
    for unit in _SIZE_UNITS:
        if value < 1024 or unit == _SIZE_UNITS[-1]:
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024
    return f"{size} B"
