"""The record of every article and page URL ever published: ``content/urls.lock``.

A published link must never move or change hands. The record, kept in the
repository beside the content, lists each URL with the source file that owns
it and the git blob hash of that file's last good version, one sorted line per
URL so that merges from many units rarely touch the same line (and never
conflict with ``merge=union``). Every build and ``check`` read it; only
``publish`` and the task CI runs on the main branch write it.

Pure: no Pelican, no git. The pipeline's stage that applies the record lives in
``plugins.contract.pipeline``; writing is ``plugins.publishing.record``.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from plugins import urls

from .problems import WARNING, Problem
from .rules import reserved_by_site

RECORD_FILE = "urls.lock"

# What a URL is now: the owner's address, an old address of the owner (redirects to its
# current one) or the address of an article taken off the site (answers with the removal page).
CURRENT = "dang-dung"
MOVED = "chuyen-huong"
REMOVED = "da-go"
STATES = (CURRENT, MOVED, REMOVED)

HEADER = (
    "# Sổ địa chỉ của Cổng thông tin: mọi địa chỉ bài viết đã từng đăng, mỗi dòng một địa chỉ.",
    "# Các cột cách nhau bằng dấu TAB: địa chỉ, tệp nguồn giữ địa chỉ (tính từ thư mục content/), mã băm git",
    "# của bản đăng tốt gần nhất, trạng thái (dang-dung: địa chỉ hiện tại; chuyen-huong: địa chỉ cũ, tự chuyển",
    "# tới địa chỉ hiện tại; da-go: bài đã gỡ), rồi 'Slug' bài ghi khi được đăng.",
    "# Tệp do lệnh \"python3 tasks.py publish\" (hoặc \"python3 tasks.py urls\" trên máy CI) viết lại. Đừng sửa bằng",
    "# tay, trừ khi Ban Biên tập cố ý trả một địa chỉ cho tệp khác; khi đó chỉ sửa cột tệp nguồn của dòng đó.",
)

_BLOB = re.compile(r"^[0-9a-f]{40}$")
# A URL as the site writes it: folders of safe characters, ending in "/" (it also goes into nginx's configuration).
_URL = re.compile(r"^(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)+$")
_PATH_PART = re.compile(r"^[^\x00-\x1f\\]+$")


@dataclass(frozen=True)
class Entry:
    """One line of the record."""

    url: str
    owner: str
    blob: str
    state: str = CURRENT
    # The 'Slug' the owner wrote when this URL was recorded ("" when it had none).
    slug: str = ""
    line: int = field(default=0, compare=False)

    def fields(self) -> list[str]:
        return [self.url, self.owner, self.blob, self.state, self.slug]


@dataclass
class Record:
    """The record as read: one entry per URL, and what was wrong with its lines."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def owners(self) -> set[str]:
        return {e.owner for e in self.entries.values()}

    def current(self) -> dict[str, Entry]:
        """Each owner's current URL (its line in state ``dang-dung``), by owner."""
        return {e.owner: e for e in self.entries.values() if e.state == CURRENT}

    def last_good(self) -> dict[str, str]:
        """The blob hash of each owner's last good version (its current line's, else its first line's)."""
        blobs = {}
        for entry in sorted(self.entries.values(), key=lambda e: (e.state != CURRENT, e.url)):
            blobs.setdefault(entry.owner, entry.blob)
        return blobs


def blob_hash(data: bytes) -> str:
    """Git's id of a file's bytes: ``git hash-object`` (sha1 of ``blob <size>\\0`` + bytes)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def read(root: Path) -> Record:
    """The record of the content folder ``root`` (empty when there is none: the first build)."""
    path = Path(root) / RECORD_FILE
    if os.path.islink(path) or not path.is_file():
        # A symlinked record is reported by the folder's scan and never followed.
        return Record()
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Record(problems=[Problem(RECORD_FILE, 1, "sổ địa chỉ không phải văn bản UTF-8; hãy lấy lại bản trong git "
                                        "(git checkout -- content/urls.lock)", code="E201")])
    return parse(text)


def parse(text: str) -> Record:
    record = Record()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        entry, problem = _entry(raw, number)
        if problem:
            record.problems.append(problem)
            continue
        _add(record, entry)
    _one_current_each(record)
    return record


def _one_current_each(record: Record) -> None:
    """An owner holds one current URL; a second one (a hand edit handing a URL to another file)
    is told and kept as an old URL of that owner."""
    first: dict[str, Entry] = {}
    for entry in sorted(record.entries.values(), key=lambda e: e.line):
        if entry.state != CURRENT:
            continue
        kept = first.setdefault(entry.owner, entry)
        if kept is entry:
            continue
        record.entries[entry.url] = replace(entry, state=MOVED)
        record.problems.append(Problem(
            RECORD_FILE, entry.line,
            f"tệp {entry.owner} được ghi giữ hai địa chỉ hiện tại, /{kept.url} (dòng {kept.line}) và /{entry.url}; "
            f"bài ở lại /{kept.url}, còn /{entry.url} chuyển tới đó. Đổi chủ một địa chỉ chỉ xảy ra khi đổi tên tệp "
            "bằng git mv hoặc sửa 'Slug'; nếu dòng này bị sửa tay, hãy lấy lại bản trong git", WARNING, "W205"))


def _entry(raw: str, line: int) -> tuple[Entry | None, Problem | None]:
    parts = raw.split("\t")
    if len(parts) < 3:
        return None, _bad(line, "dòng này thiếu cột: cần địa chỉ, tệp nguồn và mã băm, cách nhau bằng dấu TAB; "
                                "hãy lấy lại dòng đúng từ git hoặc xóa dòng này rồi chạy python3 tasks.py urls", "E202")
    url, owner, blob = (p.strip() for p in parts[:3])
    state = parts[3].strip() if len(parts) > 3 and parts[3].strip() else CURRENT
    slug = "".join(ch for ch in parts[4].strip() if ch.isprintable()) if len(parts) > 4 else ""
    if not _URL.match(url) or any(p in (".", "..") for p in url.split("/")):
        return None, _bad(line, f"địa chỉ '{url}' không hợp lệ: địa chỉ chỉ gồm chữ không dấu, chữ số, '-', '_', '.' "
                                "và kết thúc bằng '/', không bắt đầu bằng '/'; hãy lấy lại dòng đúng từ git", "E203")
    taken = reserved_by_site(urls.save_as(url))
    if taken:
        return None, _bad(line, f"địa chỉ '{url}' là {taken}, không phải địa chỉ một bài viết; "
                                "hãy xóa dòng này", "E209")
    if not _safe_path(owner):
        return None, _bad(line, f"tệp nguồn '{owner}' không hợp lệ: phải là đường dẫn tính từ thư mục content/, "
                                "ví dụ articles/2024/bai.md; hãy lấy lại dòng đúng từ git", "E204")
    if not _BLOB.match(blob):
        return None, _bad(line, f"mã băm '{blob}' không hợp lệ: cần 40 chữ số hệ 16 (0-9, a-f); "
                                "hãy lấy lại dòng đúng từ git", "E205")
    if state not in STATES:
        return None, _bad(line, f"trạng thái '{state}' không hợp lệ: chỉ dùng {', '.join(STATES)}; "
                                "hãy lấy lại dòng đúng từ git", "E206")
    return Entry(url, owner, blob, state, slug, line), None


def _safe_path(path: str) -> bool:
    parts = path.split("/")
    return (bool(path) and not path.startswith("/") and ":" not in parts[0]
            and all(p not in ("", ".", "..") and _PATH_PART.match(p) for p in parts))


def _bad(line: int, message: str, code: str) -> Problem:
    return Problem(RECORD_FILE, line, message, code=code)


def _add(record: Record, entry: Entry) -> None:
    """Two lines for one URL (a merge, a hand edit): the same owner keeps its newest state; a
    different owner is an ownership change nothing explains, so the first line stands."""
    known = record.entries.get(entry.url)
    if known is None:
        record.entries[entry.url] = entry
    elif known.owner != entry.owner:
        record.problems.append(Problem(
            RECORD_FILE, entry.line,
            f"địa chỉ /{entry.url} được ghi hai lần, cho {known.owner} (dòng {known.line}) và cho {entry.owner}; "
            f"địa chỉ vẫn thuộc {known.owner}. Đổi chủ một địa chỉ chỉ xảy ra khi đổi tên tệp bằng git mv hoặc "
            "sửa 'Slug'; hãy xóa dòng sai", WARNING, "W201"))
    elif STATES.index(entry.state) < STATES.index(known.state):
        record.entries[entry.url] = entry


def format_record(entries: Iterable[Entry]) -> str:
    lines = list(HEADER)
    for entry in sorted(entries, key=lambda e: e.url):
        lines.append("\t".join(entry.fields()).rstrip("\t"))
    return "\n".join(lines) + "\n"


def written_slug(source) -> str:
    """The 'Slug' an article's header gives, as the record keeps it (one line, no TAB)."""
    return " ".join(source.get("Slug").split())


def renames(record: Record, present: set[str], newcomers: Mapping[str, str],
            similar: Callable[[str, str], bool] | None = None) -> dict[str, str]:
    """Owners gone from the folder whose file reappears under another name (``git mv``):
    old path -> new path. ``newcomers`` maps each published file the record does not know
    to its blob hash; a file whose bytes equal an owner's last good version is its rename,
    and ``similar(blob, newcomer)`` (git's rename detection, when there is a repository)
    may match one edited as well, for owners that left since the record was written."""
    gone = sorted(owner for owner in record.owners() if owner not in present)
    fresh = {e.owner for e in record.entries.values() if e.state != REMOVED}
    last_good = record.last_good()
    left = dict(sorted(newcomers.items()))
    moved: dict[str, str] = {}
    tests = [(gone, lambda blob, new: left[new] == blob)]
    if similar is not None:
        tests.append(([owner for owner in gone if owner in fresh], similar))
    for owners, test in tests:
        for owner in owners:
            if owner in moved:
                continue
            blob = last_good[owner]
            found = next((new for new in left if test(blob, new)), None)
            if found is not None:
                moved[owner] = found
                del left[found]
    return moved


def similar_text(old: bytes, new: bytes, threshold: float = 0.5) -> bool:
    """Git's rename rule (``git diff -M``: at least half kept), on the bodies: two short articles
    share most of their header lines (the title, the date, the unit) without being one article."""
    a, b = (_body(text) for text in (old, new))
    if not a or not b:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def _body(data: bytes) -> list[str]:
    lines = data.decode("utf-8", "replace").splitlines()
    start = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    return [line for line in lines[start:] if line.strip()]


def transfer(record: Record, moved: Mapping[str, str]) -> Record:
    """The record with each renamed owner's lines handed to its new path."""
    entries = {url: replace(e, owner=moved.get(e.owner, e.owner)) for url, e in record.entries.items()}
    return Record(entries, list(record.problems))


@dataclass(frozen=True)
class Placed:
    """An article or page on the site as the record will keep it."""

    source: str
    url: str
    slug: str
    # Its current URL in the record before this build, when a 'Slug' edit moved it.
    moved_from: str = ""


@dataclass
class UrlPlan:
    """What the record decided in one build: read by the redirects, the removal pages and the writer."""

    record: Record = field(default_factory=Record)
    # Files the record knew under another name (old path -> new path).
    renamed: dict[str, str] = field(default_factory=dict)
    # Articles and pages on the site (live ones only: scheduled items and previews of drafts are never recorded).
    placed: dict[str, Placed] = field(default_factory=dict)
    # URL of every article and page on the site in any form (published, or a draft's local preview), by source.
    on_site: dict[str, str] = field(default_factory=dict)

    def redirects(self) -> dict[str, str]:
        """Old URL -> source of the article on the site that owns it (its page is at another URL)."""
        current = set(self.on_site.values())
        owned = {e.url: e.owner for e in self.record.entries.values() if e.owner in self.on_site}
        owned.update({p.moved_from: p.source for p in self.placed.values() if p.moved_from})
        return {url: owner for url, owner in sorted(owned.items()) if url not in current}

    def removed(self, written: set[str]) -> list[str]:
        """URLs of the record no article is at any more, whose file no page or redirect takes
        (``written``: the output files of the site's pages, articles and redirects)."""
        return sorted(url for url, e in self.record.entries.items()
                      if e.owner not in self.on_site and urls.save_as(url) not in written)

    def gone_problems(self, present: set[str]) -> list[Problem]:
        """Lines whose owner left the folder since the record was last written (not a rename)."""
        return [Problem(RECORD_FILE, e.line,
                        f"tệp {e.owner} (giữ địa chỉ /{e.url}) không còn nữa; địa chỉ này sẽ hiện trang \"Bài viết này đã "
                        "được gỡ\". Nếu bài chỉ được chuyển chỗ, hãy đổi tên tệp bằng git mv (giữ nguyên nội dung) "
                        "thay vì xóa rồi tạo tệp mới", WARNING, "W202")
                for e in sorted(self.record.entries.values(), key=lambda e: e.url)
                if e.owner not in present and e.state != REMOVED and e.owner not in self.renamed.values()]

    def next_record(self, blob_of: Callable[[str], str], present: set[str]) -> list[Entry]:
        """The record after this build: every URL it had (with renamed owners, moves and
        removals), each live article's URL, and each live owner's blob brought up to date."""
        entries = dict(self.record.entries)
        blobs = {source: blob_of(source) for source in sorted(self.placed)}
        for url, e in entries.items():
            if e.owner in self.placed:
                current = self.placed[e.owner]
                state = CURRENT if url == current.url else MOVED
                entries[url] = replace(e, blob=blobs[e.owner], state=state,
                                       slug=current.slug if state == CURRENT else e.slug)
            elif e.owner not in present:
                entries[url] = replace(e, state=REMOVED)
        for placed in self.placed.values():
            entries[placed.url] = Entry(placed.url, placed.source, blobs[placed.source], CURRENT, placed.slug)
        return sorted(entries.values(), key=lambda e: e.url)
