"""Files of the old site's uploads folder copied into images/ and files/, never from or to outside.

An address in the export (``…/wp-content/uploads/2023/05/a.jpg``) is written by whoever made the
export: it is decoded, refused when it climbs out (``..``, an absolute path, a symlink leading
out of the uploads), checked as the portal's own `check` would check the file, and copied under
a name of the portal's slug rules. The same file under one name is copied once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from plugins.contract import downloads
from plugins.contract.downloads import KINDS
from plugins.contract.slugs import slugify
from plugins.images.core import ImageProblem, open_image
from plugins.images.settings import ImageSettings

from . import body
from .settings import PHOTO_EXTENSIONS, ImportSettings

# WordPress's resized copies: a-1024x683.jpg beside a.jpg.
_SIZED = re.compile(r"^(?P<stem>.+)-\d{2,5}x\d{2,5}(?P<ext>\.[A-Za-z0-9]+)$")


class Uploads:
    """Copies files of the old site's uploads folder into images/ and files/, never from or to outside."""

    def __init__(self, uploads: Path | None, content: Path, settings: ImportSettings, site: str = ""):
        # The old site's address: an upload of another site is never taken from this folder.
        self.site = site
        self.root = uploads.resolve() if uploads else None
        self.content = content.resolve()
        self.settings = settings
        self.done: dict[tuple[str, str], body.Located] = {}
        # The digest of each file copied (or found already there) by its path in the content folder.
        self.digests: dict[str, str] = {}

    def locate(self, url: str, kind: str) -> body.Located:
        key = (url, kind)
        if key not in self.done:
            self.done[key] = self._locate(url, kind)
        return self.done[key]

    def _locate(self, url: str, kind: str) -> body.Located:
        written = url.strip()
        rel = body.uploads_path(written, self.site)
        if rel is None:
            return body.Located(note=body.Note("W810", f"ảnh '{_short(written)}' không nằm trong thư mục tải lên của "
                                                       "website cũ nên không được chép (lệnh nhập không tải gì từ "
                                                       "Internet); hãy chép ảnh vào images/ rồi chèn lại", written))
        rel = unicodedata.normalize("NFC", unquote(rel))
        parts = PurePosixPath(rel).parts
        if not parts or rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("..", ".") for p in parts):
            return body.Located(note=_outside(written))
        extension = PurePosixPath(rel).suffix.lower().lstrip(".")
        allowed = PHOTO_EXTENSIONS if kind == "photo" else frozenset(KINDS)
        if extension not in allowed:
            return body.Located(note=body.Note("W812", f"tệp '{_short(written)}' thuộc loại .{extension or '?'} "
                                                       "mà website không đăng; hãy đổi sang PDF, Word, Excel hoặc "
                                                       "ảnh JPEG, PNG rồi đính kèm lại", written))
        candidates = [rel]
        sized = _SIZED.match(rel)
        if kind == "photo" and sized:
            candidates.append(sized.group("stem") + sized.group("ext"))
        for candidate in candidates:
            found = self._source(candidate, written)
            if isinstance(found, body.Note):
                return body.Located(note=found)
            if found is not None:
                return self._copy(found, candidate, "images" if kind == "photo" else "files")
        if kind == "photo":
            return body.Located(note=body.Note("W809", f"ảnh '{rel}' không có trong thư mục tải lên (--uploads); "
                                                       "hãy tìm ảnh, chép vào images/ rồi chèn lại vào bài", written))
        return body.Located(note=body.Note("W811", f"tệp '{rel}' không có trong thư mục tải lên (--uploads); hãy "
                                                   "tìm tệp, chép vào files/ rồi thêm liên kết lại", written))

    def _source(self, rel: str, written: str) -> Path | body.Note | None:
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
            return body.Note("W814", f"tệp '{rel}' lớn hơn {self.settings.max_upload_bytes // (1024 * 1024)} MB nên "
                                     "không được chép; hãy thu nhỏ (ảnh) hoặc chia nhỏ tệp rồi chèn lại", written)
        refused = self._refused(real)
        if refused:
            return body.Note("W819", f"tệp '{rel}' không được chép vì website sẽ không đăng nó: {refused}", written)
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

    def _copy(self, real: Path, rel: str, folder: str) -> body.Located:
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
            return body.Located(note=_outside(rel))
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not destination.is_file():
            destination.write_bytes(data)
        self.digests[target] = digest
        return body.Located(path=target)


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` (which may not exist yet) stays in ``root`` through every symlink on its way."""
    if path.is_symlink():
        return False
    ancestor = path
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    return ancestor.resolve().is_relative_to(root.resolve())


def _outside(written: str) -> body.Note:
    return body.Note("W813", f"đường dẫn '{_short(written)}' trỏ ra ngoài thư mục tải lên (--uploads) nên không được "
                             "đọc; hãy chép đúng tệp vào images/ hoặc files/ rồi chèn lại", written)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
