"""`invoke royalties`: the royalty payment list from a content folder, no build needed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from plugins.contract import dates
from plugins.contract.authors import AUTHORS_FILE
from plugins.contract.build import REGISTRY_FILES
from plugins.contract.pipeline import load_settings
from plugins.contract.problems import ERROR, format_report
from plugins.contract.royalty_rates import RATES_FILE

from . import formats
from .collect import collect
from .core import Period, royalty_list
from .document import TEMPLATE_FILE, docx_bytes, load_list_texts

FORMATS = ("table", "csv", "xlsx", "docx")
# Errors here stop the list even with --keep-going: every sum depends on them.
STOPPING_FILES = (*REGISTRY_FILES, AUTHORS_FILE, RATES_FILE, TEMPLATE_FILE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-(?:Q|q)?([1-4])$")


class RoyaltyError(Exception):
    """The list cannot be made; the message says why, for the board."""


def period_of(month: str | None, quarter: str | None, year: str | None) -> Period:
    """The one period asked for: ``--month 2025-05`` (or 5/2025), ``--quarter 2025-2``, ``--year 2025``."""
    given = [v for v in (month, quarter, year) if v]
    if len(given) != 1:
        raise RoyaltyError("hãy chọn đúng một kỳ: --month 2025-05, --quarter 2025-2 hoặc --year 2025")
    if month:
        match = _MONTH.match(month.strip())
        number, value = (int(match[2] or match[3]), int(match[1] or match[4])) if match else (0, 0)
        if not 1 <= number <= 12:
            raise RoyaltyError(f"tháng '{month}' không hợp lệ; hãy viết năm-tháng, ví dụ --month 2025-05")
        return Period("month", value, number)
    if quarter:
        match = _QUARTER.match(quarter.strip())
        if not match:
            raise RoyaltyError(f"quý '{quarter}' không hợp lệ; hãy viết năm-quý (1 đến 4), ví dụ --quarter 2025-2")
        return Period("quarter", int(match[1]), int(match[2]))
    if not re.match(r"^\d{4}$", year.strip()):
        raise RoyaltyError(f"năm '{year}' không hợp lệ; ví dụ --year 2025")
    return Period("year", int(year))


def run(content: Path, period: Period, fmt: str, output: Path | None, keep_going: bool = False) -> int:
    """Write the list; return the content's errors (only with ``keep_going``: else they stop it).

    With ``keep_going`` the list counts what ``build --keep-going`` would publish (a last good
    version kept on the site counts as published); errors in the registries, authors.yml or
    nhuan-but.yml stop it still, the others are told on stderr."""
    if fmt not in FORMATS:
        raise RoyaltyError(f"định dạng '{fmt}' không hỗ trợ; chọn một trong {', '.join(FORMATS)}")
    if fmt in ("xlsx", "docx") and output is None:
        raise RoyaltyError(f"định dạng {fmt} cần --output TỆP.{fmt}")
    if not content.is_dir():
        raise RoyaltyError(f"không tìm thấy thư mục nội dung {content}")
    now = dates.now()
    settings = load_settings(content.resolve())
    found = collect(content, now, settings, keep_going=keep_going)
    texts, more = load_list_texts(content) if fmt == "docx" else ({}, [])
    found.problems.extend(more)
    if not found.rates.present:
        raise RoyaltyError(f"chưa có {RATES_FILE} (bảng nhuận bút) trong {content}; hãy lập bảng theo hướng dẫn "
                           "trong README rồi chạy lại")
    errors = [p for p in found.problems if p.severity == ERROR]
    if any(not keep_going or p.path in STOPPING_FILES for p in errors):
        raise RoyaltyError(format_report(found.problems) + "\nHãy sửa các lỗi trên rồi lập lại danh sách nhuận bút.")
    warnings = [p for p in found.problems if p.severity != ERROR]
    if errors or warnings:
        note = ("\nDanh sách tính như bản dựng --keep-going: bài có lỗi không được tính, bài giữ bản đã đăng trước "
                "được tính là đã đăng." if errors else "")
        print(format_report(found.problems) + note, file=sys.stderr)
    result = royalty_list(found.works, found.rates, found.authors, period)
    site = settings.get("SITENAME", "")
    if fmt == "xlsx":
        output.write_bytes(formats.xlsx_bytes(result, found.registry, now, site))
    elif fmt == "docx":
        data, problems = docx_bytes(result, found.registry, now, settings, texts)
        if problems:
            raise RoyaltyError(format_report(problems) + "\nHãy sửa tệp mẫu văn bản rồi lập lại danh sách nhuận bút.")
        output.write_bytes(data)
    elif fmt == "table":
        from rich.console import Console

        with (output.open("w", encoding="utf-8") if output else _stdout()) as stream:
            # A terminal gives its own width; a file or a pipe gets room for every column.
            wide = None if stream.isatty() else 160
            Console(file=stream, width=wide).print(formats.to_table(result, found.registry))
    else:
        data = formats.to_csv(result, found.registry)
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    return len(errors)


class _stdout:
    """``sys.stdout`` as a context that leaves it open."""

    def __enter__(self):
        return sys.stdout

    def __exit__(self, *_):
        return False
