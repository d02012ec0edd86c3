"""The one path resolver for files an article refers to (cover, body images,
attachments, video): relative to the content folder, never outside it."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from .problems import suggest

STATIC_PREFIX = "{static}"
# Pelican's ways of writing a link to a file of the content folder.
_MARKER = re.compile(r"^[{|](?:static|attach|filename)[|}]")


class PathProblem(ValueError):
    """A reference an editor must fix; the message is for them, ``code`` keys it in the guide."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code

    def __reduce__(self):
        return type(self), (str(self), self.code)


def is_local(value: str) -> bool:
    """True for a path into the content folder, False for a web address."""
    lowered = value.strip().lower()
    return not (lowered.startswith(("http://", "https://", "//", "mailto:", "tel:", "#", "data:"))
                or ":" in lowered.split("/")[0] and not _MARKER.match(lowered))


def normalise(value: str, source_path: str) -> str:
    """Content-relative POSIX path for ``value`` written in ``source_path``.

    ``images/x.jpg`` and ``{static}/images/x.jpg`` are relative to the content
    folder; ``{static}x.jpg`` keeps Pelican's meaning (beside the article), as
    do ``{attach}``, ``{filename}`` and their ``|static|`` spellings.
    """
    written = value.strip()
    value = unquote(written.split("#")[0].split("?")[0])
    marker = _MARKER.match(value)
    if marker:
        rest = value[marker.end():]
        value = rest if rest.startswith("/") else posixpath.join(posixpath.dirname(source_path), rest)
    if "\x00" in value or "\\" in value:
        raise PathProblem(f"đường dẫn '{written}' có ký tự không hợp lệ; hãy viết ví dụ images/ten-anh.jpg", "E501")
    joined = posixpath.normpath(value.lstrip("/"))
    if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
        raise PathProblem(f"đường dẫn '{written}' đi ra ngoài thư mục nội dung; hãy đặt tệp trong thư mục nội dung và viết ví dụ images/ten-anh.jpg", "E502")
    return joined


def resolve(value: str, source_path: str, content_root: Path, folders: tuple[str, ...]) -> str:
    """Check that the file exists inside one of ``folders``; return its content path."""
    rel = normalise(value, source_path)
    if rel.split("/")[0] not in folders:
        where = " hoặc ".join(f"{f}/" for f in folders)
        raise PathProblem(f"tệp '{value}' phải nằm trong thư mục {where} của thư mục nội dung", "E503")
    full = content_root / rel
    for parent in [full, *full.parents]:
        if parent == content_root:
            break
        if parent.is_symlink():
            raise PathProblem(f"'{value}' là liên kết tượng trưng (symlink); hãy chép tệp thật vào thư mục nội dung", "E504")
    if not full.is_file():
        siblings = [p.name for p in full.parent.iterdir()] if full.parent.is_dir() else []
        hint = suggest(full.name, siblings)
        raise PathProblem(f"không tìm thấy tệp '{value}'.{hint}", "E505")
    return rel


def read_source(path: Path) -> bytes:
    """An editor's file as the readers take it: a symlink is never followed (the scan reports it),
    so nothing outside the content folder is read, not even into a message."""
    path = Path(path)
    return b"" if path.is_symlink() else path.read_bytes()


# A path on the editor's own computer: a drive letter, file://, a network share, a home folder.
_MACHINE_PATH = re.compile(r"^(?:[A-Za-z]:|file:|\\\\|~[\\/]|/(?:home|Users|mnt|media|tmp|var|root|Volumes|"
                           r"private|opt|srv|run|Documents and Settings)/)", re.I)


def on_computer(value: str) -> bool:
    """A path on the editor's computer (``C:\\…``, ``file:///…``, ``/home/…``, ``..\\…``), not in the content folder."""
    value = value.strip()
    return bool(_MACHINE_PATH.match(value)) or "\\" in value and "://" not in value


def on_computer_message(value: str, folder: str, key: str = "") -> str:
    """What to tell an editor who wrote a path on their computer (``key``: the header key it was written in)."""
    name = posixpath.basename(value.replace("\\", "/").rstrip("/")) or "ten-tep"
    told = f"'{key}': " if key else ""
    return (f"{told}đường dẫn '{value}' trỏ tới một tệp trên máy tính của bạn, website không đọc được; "
            f"hãy chép tệp vào thư mục {folder}/ của thư mục nội dung và viết {folder}/{name}")
