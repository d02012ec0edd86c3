"""The options of `invoke merge`, checked once into a frozen record."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from plugins.contract.dates import DateError, parse_day
from plugins.contract.registry import MAX_ID_LENGTH

# A prefix is an id's start: lower-case ASCII words joined by '-', ending in '-'.
PREFIX = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-$")
MAX_PREFIX_LENGTH = 16
# A host name as nginx's server_name takes it.
DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# What the other folder may hold before the merge refuses to read it.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 50_000
# The old domain's nginx map, written beside the content folder.
MAP_FILE = "gop-{prefix}nginx-map.conf"


@dataclass(frozen=True)
class MergeOptions:
    other: Path
    content: Path
    prefix: str
    day: dt.date
    under: str = ""
    mapping: Path | None = None
    domain: str = ""
    dry_run: bool = False

    @property
    def map_file(self) -> Path:
        """The nginx map for the old domain: beside the content folder, never in it."""
        return self.content.resolve().parent / MAP_FILE.format(prefix=self.prefix)

    @property
    def label(self) -> str:
        """The prefix without its '-': the folder of moved photos, the suffix of moved slugs."""
        return self.prefix.rstrip("-")


class OptionsError(ValueError):
    """The command line cannot be used; the message is for the editor."""


def load(other: str, content: str, prefix: str, day: str, under: str = "", mapping: str = "",
         domain: str = "", dry_run: bool = False) -> MergeOptions:
    wrong = []
    if not PREFIX.match(prefix or "") or len(prefix) > MAX_PREFIX_LENGTH:
        wrong.append(f"--prefix '{prefix}' không hợp lệ: cần chữ thường không dấu, số, kết thúc bằng '-', "
                     f"tối đa {MAX_PREFIX_LENGTH} ký tự, ví dụ bd-")
    try:
        merger_day = parse_day(day)
    except DateError as exc:
        wrong.append(f"--date: {exc}")
        merger_day = dt.date.min
    if domain and not DOMAIN.match(domain.lower()):
        wrong.append(f"--domain '{domain}' không phải tên miền, ví dụ congdoanbinhdinh.example.vn (không ghi https://)")
    if under and len(under) > MAX_ID_LENGTH:
        wrong.append(f"--under '{under[:MAX_ID_LENGTH]}…' quá dài")
    other_path, content_path = Path(other), Path(content)
    for name, path in (("--from", other_path), ("--content", content_path)):
        if not path.is_dir():
            wrong.append(f"{name}: không tìm thấy thư mục {path}")
    if not wrong and other_path.resolve() == content_path.resolve():
        wrong.append("--from và --content là cùng một thư mục")
    mapping_path = Path(mapping) if mapping else None
    if mapping_path is not None and not mapping_path.is_file():
        wrong.append(f"--mapping: không tìm thấy tệp {mapping_path}")
    if wrong:
        raise OptionsError("\n".join(wrong))
    return MergeOptions(other_path.resolve(), content_path.resolve(), prefix, merger_day, under, mapping_path,
                        domain.lower(), dry_run)
