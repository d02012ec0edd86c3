"""Writing the URL record (``content/urls.lock``) and the nginx include of removed articles.

Only ``publish`` (after a good build) and ``invoke urls`` (run by CI on the main
branch) write the record; builds and previews only read it. The record is
worked out by the contract's own sequence (``check_folder``), so it is the one
the build applied, with each live article's blob hash brought up to date.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from plugins import urls
from plugins.contract.pipeline import SETTINGS, blob_of, check_folder, load_settings
from plugins.contract.problems import ERROR
from plugins.contract.urlrecord import RECORD_FILE, Entry, format_record

NGINX_SNIPPET = "/etc/nginx/snippets/portal-removed.conf"


class RecordError(Exception):
    """The record cannot be written as things are; the message is for editors."""


@dataclass(frozen=True)
class Update:
    path: Path
    changed: bool
    entries: list[Entry]
    # URLs answering with the removal page.
    removed: list[str]

    def summary(self) -> str:
        if not self.changed:
            return f"Sổ địa chỉ {RECORD_FILE} không đổi ({len(self.entries)} địa chỉ)."
        return (f"Đã cập nhật sổ địa chỉ {self.path} ({len(self.entries)} địa chỉ, {len(self.removed)} bài đã gỡ); "
                "hãy commit tệp này.")


def update(content: Path, now: dt.datetime, settings_file: Path = SETTINGS, write: bool = True) -> Update:
    """The record of ``content`` after its current articles, written to ``content/urls.lock``
    when it changed (and ``write``); a record with errors is never rewritten (its bad lines would be lost)."""
    content = Path(content).resolve()
    path = content / RECORD_FILE
    if os.path.islink(path):
        raise RecordError(f"{RECORD_FILE} là liên kết tượng trưng (symlink); hãy thay bằng tệp thật lấy từ git")
    folder = check_folder(load_settings(content, settings_file), now)
    build = folder.build
    broken = [p for p in build.by_file.get(RECORD_FILE, []) if p.severity == ERROR]
    if broken:
        raise RecordError("\n".join(str(p) for p in broken) + "\nSổ địa chỉ có lỗi nên chưa được cập nhật; hãy sửa các dòng trên.")
    entries = build.urls.next_record(lambda rel: blob_of(content, rel), build.inventory.articles | build.inventory.pages)
    text = format_record(entries).encode("utf-8")
    changed = not path.is_file() or path.read_bytes() != text
    if changed and write:
        temporary = path.with_name(f".{RECORD_FILE}.tmp")
        temporary.write_bytes(text)
        os.replace(temporary, path)
    written = {i.save_as for i in chain(folder.published, folder.live_pages)}
    written |= {alias for item in chain(folder.published, folder.live_pages) for alias in item.aliases}
    return Update(path, changed, entries, build.urls.removed(written))


def nginx_removed(removed: list[str]) -> str:
    """The nginx include answering HTTP 410 (with the removal page) at each removed article's URL."""
    lines = [f"# {NGINX_SNIPPET}: tạo bằng lệnh python3 tasks.py urls --nginx",
             "# Địa chỉ của các bài đã gỡ: trả mã 410 (đã gỡ hẳn) kèm trang \"Bài viết này đã được gỡ\"."]
    lines += [f"location = /{url} {{ error_page 410 /{urls.save_as(url)}; return 410; }}" for url in removed]
    return "\n".join(lines) + "\n"

