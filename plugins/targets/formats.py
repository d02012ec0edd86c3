"""The report in the forms the board hands on: JSON, CSV and XLSX for Excel, a terminal table.

CSV and XLSX share one list of columns (``columns``); a sheet is the units' rows and a
"Tổng cộng" line, each turned into a ``Line`` first so every column reads one kind of object.
Whether a unit met its target is said in words ("Đạt"/"Chưa đạt"); a colour only repeats it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Sequence

from plugins.contract.dates import SITE_TZ, format_vi_date
from plugins.contract.registry import UNIT_KINDS
from plugins.documents.sheets import csv_bytes, print_setup, restamped

from .core import Period, Report, UnitRow

SHEET_TITLE = "BÁO CÁO SỐ LƯỢNG TIN BÀI THEO ĐƠN VỊ"
NAME_HEADING = "Tên đơn vị"
TOTAL_NAME = "Tổng cộng"
TOTAL_NOTE = "cộng các đơn vị cấp 1 (đã gồm các đơn vị trực thuộc)"

# What a column holds: its width in the XLSX (characters) and its number format.
LEVEL, CODE, NAME, KIND, DATE, COUNT, CHANNELS, PERCENT, VERDICT, MONTH, NOTE = (
    "level", "code", "name", "kind", "date", "count", "channels", "percent", "verdict", "month", "note")
WIDTHS = MappingProxyType({LEVEL: 6, CODE: 20, NAME: 42, KIND: 32, DATE: 11, COUNT: 11, CHANNELS: 26,
                           PERCENT: 9, VERDICT: 10, MONTH: 8, NOTE: 50})
NUMBER_FORMATS = MappingProxyType({LEVEL: "0", DATE: "d/m/yyyy", COUNT: "0", PERCENT: "0.0", MONTH: "0"})
WRAPPED = frozenset({NAME, KIND, CHANNELS, NOTE})


@dataclass(frozen=True)
class Line:
    """One line of a sheet: a unit over one stretch of the period, or the totals."""

    level: int | None
    id: str
    name: str
    kind: str
    parent: str
    start: dt.date
    end: dt.date
    by_channel: dict[str, int]
    total: int
    counted_on: str
    counted: int
    target: int | None
    percent: float | None
    verdict: str
    previous: int
    months: dict[int, int]  # calendar month -> counted items
    note: str
    behind: bool = False
    is_total: bool = False
    short_name: str = ""
    own: int = 0  # the unit's own items, without those of the units under it


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str
    value: Callable[[Line], object]


@dataclass(frozen=True)
class Sheet:
    """The columns and lines of one or more periods' reports."""

    columns: list[Column]
    lines: list[tuple[Period, Line]]


def columns(channels: Sequence[tuple[str, str]], months: Iterable[int]) -> list[Column]:
    """The board's columns: ``channels`` as (id, name) in column order, ``months`` by number."""
    return [
        Column("Cấp", LEVEL, lambda line: line.level),
        Column("Mã đơn vị", CODE, lambda line: line.id),
        Column(NAME_HEADING, NAME, lambda line: line.name),
        Column("Loại đơn vị", KIND, lambda line: line.kind),
        Column("Trực thuộc", NAME, lambda line: line.parent),
        Column("Từ ngày", DATE, lambda line: line.start),
        Column("Đến ngày", DATE, lambda line: line.end),
        *(Column(name, COUNT, lambda line, c=channel: line.by_channel.get(c, 0)) for channel, name in channels),
        Column("Tổng các kênh", COUNT, lambda line: line.total),
        Column("Kênh tính chỉ tiêu", CHANNELS, lambda line: line.counted_on),
        Column("Số tin bài tính chỉ tiêu", COUNT, lambda line: line.counted),
        Column("Chỉ tiêu", COUNT, lambda line: line.target),
        Column("Tỷ lệ đạt (%)", PERCENT, lambda line: line.percent),
        Column("Đánh giá", VERDICT, lambda line: line.verdict),
        Column("Cùng kỳ năm trước", COUNT, lambda line: line.previous),
        *(Column(f"Tháng {m}", MONTH, lambda line, m=m: line.months.get(m)) for m in months),
        Column("Ghi chú", NOTE, lambda line: line.note),
    ]


def unit_line(report: Report, row: UnitRow) -> Line:
    return Line(row.level, row.id, row.name, UNIT_KINDS.get(row.kind, row.kind), row.parent_name, row.start,
                row.end, row.by_channel, row.total, " + ".join(report.channel_name(c) for c in row.channels),
                row.counted, row.target, row.percent, row.verdict, row.previous,
                dict(zip(report.period.months, row.months)), row.note, behind=row.met is False,
                short_name=row.short_name or row.name, own=row.own)


def total_line(report: Report) -> Line:
    totals, period = report.totals, report.period
    return Line(None, "", TOTAL_NAME, "", "", period.start, period.end, totals.by_channel, totals.total, "",
                totals.counted, None, None, "", totals.previous, dict(zip(period.months, totals.months)),
                TOTAL_NOTE, is_total=True, short_name=TOTAL_NAME,
                own=sum(row.own for row in report.units))  # each item is one row's own


def lines(report: Report) -> list[Line]:
    return [*(unit_line(report, row) for row in report.units), total_line(report)]


def sheet(reports: Sequence[Report]) -> Sheet:
    """One sheet for the reports: every channel any of them has, a column per calendar month any of
    them covers; a period's lines leave the months outside it empty."""
    channels = {c: r.channel_name(c) for r in reports for c in r.channels}
    months = sorted({m for r in reports for m in r.period.months})
    return Sheet(columns(list(channels.items()), months),
                 [(r.period, line) for r in reports for line in lines(r)])


def to_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report) -> bytes:
    table = sheet([report])
    return csv_bytes([[c.heading for c in table.columns],
                      *([c.value(line) for c in table.columns] for _, line in table.lines)])


def year_csv(reports: Sequence[Report]) -> bytes:
    """The year and its halves in one sheet, a first column "Kỳ" with the period's title; the
    month columns are the year's twelve and a half's lines fill only its own six."""
    table = sheet(reports)
    return csv_bytes([["Kỳ", *(c.heading for c in table.columns)],
                      *([period.title, *(c.value(line) for c in table.columns)] for period, line in table.lines)])


def period_text(period: Period) -> str:
    return f"{period.title} (từ {format_vi_date(period.start)} đến {format_vi_date(period.end)})"


def to_xlsx(report: Report, path: Path, made: dt.datetime, site_name: str) -> None:
    """The report as an Excel workbook; the same report and ``made`` give the same bytes."""
    path.write_bytes(xlsx_bytes(report, made, site_name))


def xlsx_bytes(report: Report, made: dt.datetime, site_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    _fill(book.active, report, made, site_name)
    _describe(book, report, made, site_name)
    buffer = io.BytesIO()
    # Not Workbook.save: it stamps the properties' "modified" with the clock.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return restamped(buffer.getvalue(), made)


def _fill(ws, report: Report, made: dt.datetime, site_name: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    table = sheet([report])
    local = made.astimezone(SITE_TZ)
    ws.title = report.period.title
    title = [site_name, SHEET_TITLE, f"Kỳ báo cáo: {period_text(report.period)}",
             f"Lập ngày: {format_vi_date(local)} {local:%H:%M}"]
    for number, text in enumerate(title, 1):
        ws.cell(number, 1, text)
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"].font = Font(bold=True, size=14)
    header = len(title) + 2  # after a blank row
    ws.row_dimensions[header].height = 48
    thin = Side(style="thin", color="999999")
    for number, column in enumerate(table.columns, 1):
        cell = ws.cell(header, number, column.heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        ws.column_dimensions[get_column_letter(number)].width = WIDTHS[column.kind]
    behind = PatternFill("solid", fgColor="FDE2E1")
    for row, (_, line) in enumerate(table.lines, header + 1):
        for number, column in enumerate(table.columns, 1):
            value = column.value(line)
            cell = ws.cell(row, number, None if value == "" else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
            cell.alignment = Alignment(wrap_text=column.kind in WRAPPED, vertical="top")
            if line.is_total:
                cell.font = Font(bold=True)
                cell.border = Border(top=thin)
            elif line.behind:
                cell.fill = behind
    last = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A{header}:{last}{header + len(table.lines) - 1}"  # the totals line stays out
    name_column = next(n for n, c in enumerate(table.columns, 1) if c.heading == NAME_HEADING)
    ws.freeze_panes = f"{get_column_letter(name_column + 1)}{header + 1}"  # below the header, right of the names
    print_setup(ws, header)


def _describe(book, report: Report, made: dt.datetime, site_name: str) -> None:
    """The document's properties, as Excel's File > Info shows them."""
    props = book.properties
    props.title = f"Báo cáo số lượng tin bài theo đơn vị – {report.period.title}"
    props.subject = f"Số lượng tin bài của các đơn vị so với chỉ tiêu, {period_text(report.period)}"
    props.creator = props.lastModifiedBy = site_name
    props.keywords = f"báo cáo, tin bài, chỉ tiêu, đơn vị, công đoàn, {report.period.year}"
    props.description = ("Số tin bài đã đăng của từng đơn vị theo kênh và theo tháng, số tin bài tính chỉ "
                         "tiêu, chỉ tiêu, tỷ lệ đạt, đánh giá Đạt/Chưa đạt và cùng kỳ năm trước.")
    props.category = "Báo cáo thống kê"
    props.language = "vi-VN"
    props.created = props.modified = made.astimezone(dt.timezone.utc).replace(tzinfo=None)


def to_table(report: Report):
    """A rich Table: level, name, channels, counted/target, per cent, the verdict in words and the
    same period a year earlier; rows behind target also in red."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Tin bài theo đơn vị – {period_text(report.period)}",
                  caption=Text("Kênh: " + "; ".join(f"{c} = {report.channel_name(c)}" for c in report.channels)))
    table.add_column("Cấp", justify="right")
    table.add_column("Đơn vị", min_width=18)
    for channel in report.channels:  # ids keep the columns narrow; the caption names them
        table.add_column(Text(channel), justify="right")
    for heading in ("Tính chỉ tiêu", "Tỷ lệ", "Đánh giá", "Cùng kỳ năm trước"):
        table.add_column(heading, justify="left" if heading == "Đánh giá" else "right")
    for line in lines(report):
        if line.is_total:
            table.add_section()
        progress = str(line.counted) if line.target is None else f"{line.counted}/{line.target}"
        percent = "—" if line.percent is None else f"{line.percent:.1f}%".replace(".", ",")
        style = "bold" if line.is_total else ("red" if line.behind else "")
        table.add_row("" if line.level is None else str(line.level), Text(line.short_name),  # names are not markup
                      *(str(line.by_channel.get(c, 0)) for c in report.channels),
                      progress, percent, line.verdict, str(line.previous), style=style)
    return table
