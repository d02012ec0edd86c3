"""The board's spreadsheets (CSV, XLSX) as they are handed on: an editor's text stays text, and
the bytes do not depend on the clock.

The quota report (``plugins.targets.formats``) and the royalty list (``plugins.royalties.formats``)
write their CSV and re-date their XLSX here, so both behave the same in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterable, Sequence

from plugins.contract.dates import SITE_TZ, format_vi_date

from .core import _rezip

# A spreadsheet takes a cell starting so as a formula; an editor's text must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_vi_date(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM so Excel shows Vietnamese correctly; numbers as plain figures (a dot before
    the decimal), dates d/m/yyyy, text that a spreadsheet would run as a formula behind a "'"."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def restamped(data: bytes, made: dt.datetime) -> bytes:
    """An XLSX (any zip) with every entry dated ``made`` (site time) and in a fixed order."""
    return _rezip(data, made.astimezone(SITE_TZ) if made.tzinfo else made)


def print_setup(ws, header: int) -> None:
    """A sheet printed as the board hands it on: A4 landscape, fit to the page's width, the
    heading row ``header`` repeated on each page, "Trang 1 / 3" at the foot."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"
    ws.oddFooter.center.text = "Trang &P / &N"
