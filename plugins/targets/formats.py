"""The report in the forms the board uses: JSON, CSV and XLSX for Excel, a terminal table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from plugins.contract.articles import CONTENT_TYPES

from .core import Report

COLUMNS = ("Mã đơn vị", "Tên đơn vị", "Loại", "Đơn vị cấp trên", "Tự đăng", "Tổng (gồm trực thuộc)", "Chỉ tiêu", "Đạt")
FIXED_TIME = dt.datetime(2000, 1, 1)


def to_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"


def _rows(report: Report) -> list[list]:
    rows = []
    for u in report.units:
        met = "" if u.met is None else ("Đạt" if u.met else "Chưa đạt")
        rows.append([u.id, u.name, u.kind, u.parent or "", u.own, u.total,
                     "" if u.target is None else u.target, met, *(u.by_type[t] for t in CONTENT_TYPES)])
    return rows


def header() -> list[str]:
    return [*COLUMNS, *CONTENT_TYPES.values()]


def _csv(rows: list[list]) -> bytes:
    """UTF-8 with BOM so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv(report: Report) -> bytes:
    return _csv([header(), *_rows(report)])


def to_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = f"Kỳ {report.period.label}"
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    behind = PatternFill("solid", fgColor="FDE2E1")
    for unit, row in zip(report.units, _rows(report), strict=True):
        row[1] = "    " * unit.depth + row[1]
        sheet.append(row)
        if unit.met is False:
            for cell in sheet[sheet.max_row]:
                cell.fill = behind
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 60
    book.properties.created = book.properties.modified = FIXED_TIME
    book.save(path)


def to_table(report: Report):
    """A rich Table; rows behind target in red."""
    from rich.table import Table

    table = Table(title=f"Tin bài theo đơn vị – kỳ {report.period.label}")
    for name in ("Đơn vị", "Tự đăng", "Tổng", "Chỉ tiêu", "Tiến độ"):
        table.add_column(name, justify="left" if name == "Đơn vị" else "right")
    for u in report.units:
        progress = "—" if u.target is None else f"{u.total}/{u.target}"
        style = "bold red" if u.met is False else ("green" if u.met else "")
        table.add_row("  " * u.depth + u.name, str(u.own), str(u.total),
                      "—" if u.target is None else str(u.target), progress, style=style)
    return table


def year_csv(reports: list[Report]) -> bytes:
    """The year and its halves in one sheet, the period in the first column."""
    return _csv([["Kỳ", *header()], *([r.period.label, *row] for r in reports for row in _rows(r))])
