"""Which files in ``files/`` the site may publish.

A file there is served from the portal's own address, so a page or an SVG
among them would run its script with the site's cookies and trust. Only
documents, archives, audio, video and plain photos are published, each
recognised by its extension and confirmed by its first bytes: a page
renamed ``.pdf`` is refused as firmly as one named ``.html``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import filetype

from .problems import Problem

OLE = "ole"  # Word, Excel and PowerPoint before 2007 (a compound file)
RTF = "rtf"
TEXT = "text"

# Written extension -> what the first bytes may show (filetype's names or the above).
KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "pdf": ("pdf",),
    "doc": (OLE, "doc"), "xls": (OLE, "xls"), "ppt": (OLE, "ppt"),
    "docx": ("docx", "zip"), "xlsx": ("xlsx", "zip"), "pptx": ("pptx", "zip"),
    "odt": ("odt", "zip"), "ods": ("ods", "zip"), "odp": ("odp", "zip"),
    "rtf": (RTF,), "txt": (TEXT,), "csv": (TEXT,),
    "zip": ("zip",), "rar": ("rar",), "7z": ("7z",),
    "mp3": ("mp3",), "m4a": ("m4a", "mp4"), "wav": ("wav",), "ogg": ("ogg",),
    "mp4": ("mp4", "m4v", "mov"), "webm": ("webm", "mkv"),
    "jpg": ("jpg",), "jpeg": ("jpg",), "png": ("png",), "webp": ("webp",),
})
# Types a browser runs or renders as part of the site: refused with their own explanation.
ACTIVE = frozenset({
    "html", "htm", "xhtml", "shtml", "xht", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs", "cjs",
    "css", "swf", "wasm", "php", "phtml", "asp", "aspx", "jsp", "cgi", "pl", "py", "sh", "exe", "bat",
    "cmd", "com", "msi", "jar", "hta", "vbs", "ps1", "appcache", "manifest", "webmanifest", "json", "map",
})
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_SNIFF_BYTES = 8192
_MARKUP_START = (b"<", b"\xef\xbb\xbf<")


DOWNLOAD_FOLDER = "files"


def problems(root: Path, downloads: set[str], allowed: tuple[str, ...]) -> list[Problem]:
    """Every file of ``files/`` (content-relative ``downloads``) that may not be published."""
    found = (problem(root, rel, allowed) for rel in sorted(downloads))
    return [p for p in found if p is not None]


def unreferenced(downloads: set[str], referenced: set[str]) -> list[str]:
    """Downloads no published item links to (still published: shared links must keep working)."""
    return sorted(downloads - referenced)


def problem(root: Path, rel: str, allowed: tuple[str, ...]) -> Problem | None:
    """Why ``rel`` (content-relative, in files/) may not be published, or ``None``."""
    ext = posixpath.splitext(rel)[1].lstrip(".").lower()
    listed = ", ".join(allowed)
    if ext in ACTIVE:
        return Problem(rel, 1, f"tệp .{ext} không được đăng trong files/: trình duyệt sẽ chạy nó như một phần của website. "
                               f"Hãy chuyển thành PDF hoặc nén thành .zip. Các loại được đăng: {listed}", code="E511")
    if ext not in allowed:
        return Problem(rel, 1, f"loại tệp '.{ext or '(không có đuôi)'}' không được đăng trong files/. "
                               f"Các loại được đăng: {listed}", code="E512")
    try:
        with open(root / rel, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return Problem(rel, 1, "không đọc được tệp; hãy kiểm tra quyền đọc tệp", code="E513")
    if detected(head) not in KINDS[ext]:
        return Problem(rel, 1, f"tệp có đuôi .{ext} nhưng nội dung không phải tệp .{ext} (có thể là tệp đổi tên); "
                               "hãy lưu lại đúng định dạng từ chương trình tạo ra nó", code="E514")
    return None


def detected(head: bytes) -> str | None:
    """What the first bytes of a file show it to be."""
    if head.startswith(_OLE_MAGIC):
        return OLE
    if head.startswith(b"{\\rtf"):
        return RTF
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return kind.extension
    return TEXT if _plain_text(head) else None


def _plain_text(head: bytes) -> bool:
    """Text a browser shows as text: no NUL bytes and no markup at the start."""
    return b"\x00" not in head and not head.lstrip(b" \t\r\n").startswith(_MARKUP_START)


def check_types(allowed: tuple[str, ...]) -> None:
    """A settings check: every allowed extension must be one whose bytes we can recognise."""
    unknown = sorted(set(allowed) - set(KINDS))
    if unknown:
        raise ValueError(f"PORTAL_CONTRACT download_types: {unknown} are not known; known: {sorted(KINDS)}")
