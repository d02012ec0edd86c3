"""The payment list in the forms the board and the accountant use: a terminal table, CSV, XLSX, DOCX.

CSV and XLSX share one list of columns and one list of lines (each work a person has a part in,
then the person's totals, then the list's), so the two always agree. The DOCX is the list to sign
(``document.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Callable

from plugins.contract.articles import CONTENT_TYPES
from plugins.contract.dates import SITE_TZ, format_vi_date
from plugins.contract.registry import Registry
from plugins.documents.sheets import csv_bytes, print_setup, restamped

from .core import PHOTO_ROLE, UNKNOWN_NOTE, Entry, PayeeTotal, RoyaltyList, share_text

SHEET_TITLE = "DANH SÁCH CHI TRẢ NHUẬN BÚT"
PAYEE_TOTAL, LIST_TOTAL = "Cộng", "Tổng cộng"
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Line:
    """One line of the sheet: a person's part of a work, a person's totals, or the list's."""

    number: int | None  # the person's number in the list, on their first line
    name: str
    person_id: str
    unit: str
    entry: Entry | None
    gross: int | None = None
    tax: int | None = None
    net: int | None = None
    note: str = ""
    total: bool = False


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    value: Callable[[Line], object]
    money: bool = False


def _entry(get: Callable[[Entry], object]) -> Callable[[Line], object]:
    return lambda line: get(line.entry) if line.entry is not None else None


COLUMNS = (
    Column("STT", 5, lambda line: line.number),
    Column("Họ và tên", 24, lambda line: line.name),
    Column("Mã tác giả", 18, lambda line: line.person_id),
    Column("Đơn vị", 30, lambda line: line.unit),
    Column("Ngày đăng", 11, _entry(lambda e: e.day)),
    Column("Tác phẩm", 48, _entry(lambda e: e.title)),
    Column("Thể loại", 11, _entry(lambda e: CONTENT_TYPES.get(e.content_type, e.content_type))),
    Column("Nhuận bút cho", 10, _entry(lambda e: e.role)),
    Column("Mức", 6, _entry(lambda e: e.grade)),
    Column("Nhuận bút tác phẩm (đồng)", 14, _entry(lambda e: e.full), money=True),
    Column("Tỷ lệ hưởng", 9, _entry(lambda e: share_text(e.share))),
    Column("Số tiền (đồng)", 14, lambda line: line.entry.amount if line.entry else line.gross, money=True),
    Column("Thuế TNCN khấu trừ (đồng)", 14, lambda line: line.tax, money=True),
    Column("Thực nhận (đồng)", 14, lambda line: line.net, money=True),
    Column("Quyết định áp dụng", 26, _entry(lambda e: e.decision)),
    Column("Tệp nguồn", 40, _entry(lambda e: e.path)),
    Column("Ghi chú", 24, lambda line: line.note),
)


def unit_name(registry: Registry, unit_id: str, day: dt.date) -> str:
    """The unit's name on ``day`` (a list of a past month shows the name it had then)."""
    unit = registry.units.get(unit_id)
    return unit.name_on(day) if unit is not None else unit_id


def payee_lines(number: int, payee: PayeeTotal, registry: Registry, day: dt.date) -> list[Line]:
    p = payee.payee
    unit = unit_name(registry, p.unit_id, day)
    note = "" if p.known else UNKNOWN_NOTE
    person_id = p.key if p.known else ""
    lines = [Line(number if i == 0 else None, p.name, person_id, unit, e, note=note)
             for i, e in enumerate(payee.entries)]
    lines.append(Line(None, f"{PAYEE_TOTAL}: {p.name}", person_id, "", None, payee.gross, payee.tax, payee.net,
                      f"{len(payee.entries)} khoản", total=True))
    return lines


def lines(result: RoyaltyList, registry: Registry) -> list[Line]:
    end = result.period.end
    found = [line for number, payee in enumerate(result.payees, 1)
             for line in payee_lines(number, payee, registry, end)]
    found.append(Line(None, LIST_TOTAL, "", "", None, result.gross, result.tax, result.net,
                      f"{len(result.payees)} người", total=True))
    return found


def kind_text(entry: Entry) -> str:
    """``Bài viết``, or ``Tin – ảnh`` for the photos of a news item."""
    label = CONTENT_TYPES.get(entry.content_type, entry.content_type)
    return f"{label} – ảnh" if entry.role == PHOTO_ROLE else label


def period_text(result: RoyaltyList) -> str:
    period = result.period
    return f"{period.title} (từ {format_vi_date(period.start)} đến {format_vi_date(period.end)})"


def tax_text(result: RoyaltyList) -> str:
    decision = result.tax_decision
    if decision is None or not decision.tax_rate:
        return "Không khấu trừ thuế thu nhập cá nhân (bảng nhuận bút không ghi quy tắc thuế)."
    rate = f"{float(decision.tax_rate * 100):g}".replace(".", ",")
    return (f"Thuế thu nhập cá nhân: khấu trừ {rate}% trên tổng nhuận bút của mỗi người trong danh sách này khi "
            f"từ {money(decision.tax_from)} đồng trở lên.")


def money(amount: int) -> str:
    """``1.234.567``."""
    return f"{amount:,}".replace(",", ".")


def to_csv(result: RoyaltyList, registry: Registry) -> bytes:
    rows = [[c.value(line) for c in COLUMNS] for line in lines(result, registry)]
    return csv_bytes([[c.heading for c in COLUMNS], *rows])


def xlsx_bytes(result: RoyaltyList, registry: Registry, made: dt.datetime, site_name: str) -> bytes:
    """The list as an Excel workbook; the same list and ``made`` give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    _fill(book.active, result, registry, made, site_name)
    props = book.properties
    props.title = f"Danh sách chi trả nhuận bút – {result.period.title}"
    props.subject = f"Nhuận bút tin bài đã đăng, {period_text(result)}"
    props.creator = props.lastModifiedBy = site_name
    props.keywords = f"nhuận bút, tác giả, công đoàn, {result.period.year}"
    props.category = "Danh sách chi trả"
    props.language = "vi-VN"
    props.created = props.modified = made.astimezone(dt.timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return restamped(buffer.getvalue(), made)


def _fill(ws, result: RoyaltyList, registry: Registry, made: dt.datetime, site_name: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    local = made.astimezone(SITE_TZ)
    ws.title = result.period.title.replace("/", "-")  # '/' is not allowed in a sheet's name
    title = [site_name, f"{SHEET_TITLE} {result.period.title.upper()}", f"Kỳ: {period_text(result)}",
             tax_text(result), f"Lập ngày: {format_vi_date(local)} {local:%H:%M}"]
    for number, text in enumerate(title, 1):
        ws.cell(number, 1, text).data_type = "s"
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"].font = Font(bold=True, size=14)
    header = len(title) + 2
    thin = Side(style="thin", color="999999")
    for number, column in enumerate(COLUMNS, 1):
        cell = ws.cell(header, number, column.heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        ws.column_dimensions[get_column_letter(number)].width = column.width
    ws.row_dimensions[header].height = 48
    for row, line in enumerate(lines(result, registry), header + 1):
        for number, column in enumerate(COLUMNS, 1):
            value = column.value(line)
            cell = ws.cell(row, number, None if value == "" else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            date = isinstance(value, dt.date)
            cell.number_format = MONEY_FORMAT if column.money else "d/m/yyyy" if date else "General"
            cell.alignment = Alignment(wrap_text=column.width >= 24, vertical="top")
            if line.total:
                cell.font = Font(bold=True)
                cell.border = Border(top=thin)
    ws.freeze_panes = f"C{header + 1}"
    print_setup(ws, header)


def to_table(result: RoyaltyList, registry: Registry):
    """A rich Table: each person's works, the person's totals, the list's totals."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Nhuận bút – {period_text(result)}", caption=Text(tax_text(result)))
    for heading, justify in (("STT", "right"), ("Họ và tên", "left"), ("Ngày", "left"), ("Tác phẩm", "left"),
                             ("Loại", "left"), ("Mức", "left"), ("Tỷ lệ", "right"), ("Số tiền", "right"),
                             ("Thuế TNCN", "right"), ("Thực nhận", "right")):
        table.add_column(heading, justify=justify, no_wrap=heading not in ("Họ và tên", "Tác phẩm", "Loại"),
                         min_width={"Họ và tên": 14, "Tác phẩm": 20, "Loại": 8}.get(heading))
    for line in lines(result, registry):
        e = line.entry
        if line.total and line.name == LIST_TOTAL:
            table.add_section()
        name = line.name + (f" ({line.note})" if e and line.note else "")
        cells = ["" if line.number is None else str(line.number), name]
        if e is not None:
            cells += [format_vi_date(e.day), e.title, kind_text(e), e.grade,
                      share_text(e.share), money(e.amount), "", ""]
        else:
            cells += ["", line.note, "", "", "", money(line.gross or 0), money(line.tax or 0), money(line.net or 0)]
        table.add_row(*(Text(c) for c in cells), style="bold" if line.total else "")  # titles are not markup
    return table
