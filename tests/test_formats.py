"""The board's exports read back (CSV with csv, XLSX with openpyxl), against hand-computed figures."""

import csv
import datetime as dt
import io
import json
import time
import zipfile

import pytest
from openpyxl import load_workbook
from rich.console import Console

from support import registry_of
from plugins.targets import formats
from plugins.targets.core import Period, Record, count

UNITS = """\
targets:
  cap-tren: {2025: "12 (website + fanpage)"}
  ban: 6
units:
  - {id: tinh, name: LĐLĐ tỉnh, kind: tinh}
  - {id: ban, name: Ban Tuyên giáo, kind: ban, parent: tinh}
  - {id: gd, name: CĐ Giáo dục, kind: cap-tren, parent: tinh}
  - {id: cs-gd, name: CĐCS Trường A, kind: co-so, parent: gd}
  - {id: yt, name: CĐ Y tế, kind: cap-tren, parent: tinh}
  - {id: cs-bv, name: CĐCS Bệnh viện, kind: co-so, parent: gd, history: [{from: 2025-04-01, parent: yt}]}
"""
CHANNELS = {"website": "Cổng thông tin điện tử", "fanpage": "Fanpage"}
SITE = "Cổng thông tin Công đoàn tỉnh Hà Sơn"
MADE = dt.datetime(2025, 7, 2, 1, 5, tzinfo=dt.timezone.utc)  # 08:05 in Hà Nội
HEADINGS = ["Cấp", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Trực thuộc", "Từ ngày", "Đến ngày",
            "Cổng thông tin điện tử", "Fanpage", "Tổng các kênh", "Kênh tính chỉ tiêu", "Số tin bài tính chỉ tiêu",
            "Chỉ tiêu", "Tỷ lệ đạt (%)", "Đánh giá", "Cùng kỳ năm trước",
            "Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Ghi chú"]
# H1 2025 (181 of 365 days): ban's target round(6 × 181/365) = 3 on the website; a cap-tren's
# round(12 × 181/365) = 6 on website + fanpage.
RECORDS = [
    ("ban", "2025-02-01", "website"), ("ban", "2025-03-15", "website"), ("ban", "2025-03-20", "fanpage"),
    ("gd", "2025-01-03", "website"), ("gd", "2025-02-04", "fanpage"), ("gd", "2025-05-05", "fanpage"),
    ("cs-gd", "2025-06-06", "website"), ("cs-gd", "2025-06-07", "fanpage"), ("cs-gd", "2025-06-08", "website"),
    ("ban", "2025-07-01", "website"),  # the second half
    ("ban", "2024-02-10", "website"), ("gd", "2024-03-01", "fanpage"),  # the same half a year earlier
]


@pytest.fixture
def registry(tmp_path):
    registry, problems = registry_of(tmp_path, UNITS)
    assert problems == []
    return registry


def report_for(registry, period):
    records = [Record(unit, dt.date.fromisoformat(day), "tin", (), channel) for unit, day, channel in RECORDS]
    return count(registry, records, period, channels=CHANNELS)


@pytest.fixture
def half(registry):
    return report_for(registry, Period(2025, 1))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_columns_rows_and_totals(half):
    rows = read_csv(formats.to_csv(half))
    assert rows[0] == HEADINGS
    by_id = {r[1]: r for r in rows[1:] if r[1]}
    assert [r[1] for r in rows[1:]] == ["tinh", "ban", "gd", "cs-gd", "cs-bv", "yt", "cs-bv", ""]
    assert by_id["ban"] == ["2", "ban", "Ban Tuyên giáo", "Ban, Văn phòng của Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh",
                            "1/1/2025", "30/6/2025", "2", "1", "3", "Cổng thông tin điện tử", "2", "3", "66.7",
                            "Chưa đạt", "1", "0", "1", "1", "0", "0", "0", ""]
    assert by_id["gd"][7:22] == ["3", "3", "6", "Cổng thông tin điện tử + Fanpage", "6", "6", "100.0", "Đạt", "1",
                                 "1", "1", "0", "0", "1", "3"]
    # no target: no percentage, no verdict
    assert by_id["cs-gd"][:5] == ["3", "cs-gd", "CĐCS Trường A", "Công đoàn cơ sở", "CĐ Giáo dục"]
    assert by_id["cs-gd"][11:15] == ["2", "", "", ""]
    assert by_id["yt"][11:15] == ["0", "6", "0.0", "Chưa đạt"]
    moved = [r for r in rows if r[1] == "cs-bv"]
    assert [(r[4], r[5], r[6]) for r in moved] == [("CĐ Giáo dục", "1/1/2025", "31/3/2025"),
                                                   ("CĐ Y tế", "1/4/2025", "30/6/2025")]
    assert all("CĐ Y tế" in r[-1] for r in moved)
    # the totals: the top row's figures (tỉnh holds everything), counted on the website
    assert rows[-1] == ["", "", "Tổng cộng", "", "", "1/1/2025", "30/6/2025", "5", "4", "9", "", "5", "", "", "", "1",
                        "1", "1", "1", "0", "0", "2", formats.TOTAL_NOTE]


def test_year_csv_puts_each_month_in_its_own_column(registry):
    reports = [report_for(registry, p) for p in (Period(2025), Period(2025, 1), Period(2025, 2))]
    rows = read_csv(formats.year_csv(reports))
    months = [f"Tháng {m}" for m in range(1, 13)]
    assert rows[0] == ["Kỳ", *HEADINGS[:16], *months, "Ghi chú"]
    assert [r[0] for r in rows[1:]].count("Năm 2025") == 8  # seven rows (cs-bv moved) and the totals
    first, columns = rows[0].index("Tháng 1"), slice(rows[0].index("Tháng 1"), rows[0].index("Ghi chú"))
    ban = {r[0]: r for r in rows if r[2] == "ban"}
    assert ban["Năm 2025"][columns] == ["0", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]
    assert ban["6 tháng đầu năm 2025"][columns] == ["0", "1", "1", "0", "0", "0", *[""] * 6]
    assert ban["6 tháng cuối năm 2025"][columns] == [*[""] * 6, "1", "0", "0", "0", "0", "0"]
    assert ban["6 tháng cuối năm 2025"][6:8] == ["1/7/2025", "31/12/2025"]
    totals = [r for r in rows if r[3] == "Tổng cộng"]
    assert [t[0] for t in totals] == ["Năm 2025", "6 tháng đầu năm 2025", "6 tháng cuối năm 2025"]
    assert totals[2][first + 6] == "1" and totals[2][first] == ""


def test_json_carries_the_period(half):
    data = json.loads(formats.to_json(half))
    assert (data["period"], data["title"], data["start"], data["end"]) == (
        "2025-H1", "6 tháng đầu năm 2025", "2025-01-01", "2025-06-30")


def test_xlsx_title_block_columns_and_figures(half, tmp_path):
    formats.to_xlsx(half, tmp_path / "r.xlsx", MADE, SITE)
    book = load_workbook(tmp_path / "r.xlsx")
    ws = book.active
    assert ws.title == "6 tháng đầu năm 2025"
    assert [ws.cell(r, 1).value for r in range(1, 6)] == [
        SITE, "BÁO CÁO SỐ LƯỢNG TIN BÀI THEO ĐƠN VỊ", "Kỳ báo cáo: 6 tháng đầu năm 2025 (từ 1/1/2025 đến 30/6/2025)",
        "Lập ngày: 2/7/2025 08:05", None]
    assert [c.value for c in ws[6]] == HEADINGS
    assert all(c.font.b and c.alignment.wrap_text and c.fill.fgColor.rgb == "00DDE7F3" for c in ws[6])
    values = {row[1]: row for row in ws.iter_rows(min_row=7, values_only=True) if row[1]}
    assert values["ban"][:16] == (2, "ban", "Ban Tuyên giáo", "Ban, Văn phòng của Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh",
                                  dt.datetime(2025, 1, 1), dt.datetime(2025, 6, 30), 2, 1, 3,
                                  "Cổng thông tin điện tử", 2, 3, 66.7, "Chưa đạt", 1)
    assert values["gd"][12:15] == (6, 100.0, "Đạt") and values["cs-gd"][12:15] == (None, None, None)
    last = ws.max_row
    assert last == 6 + 7 + 1
    assert [c.value for c in ws[last]][2:12] == ["Tổng cộng", None, None, dt.datetime(2025, 1, 1),
                                                dt.datetime(2025, 6, 30), 5, 4, 9, None, 5]
    assert all(c.font.b for c in ws[last]) and not ws.cell(7, 3).font.b
    # behind target: a light fill besides the words
    assert ws.cell(8, 15).value == "Chưa đạt" and ws.cell(8, 3).fill.fgColor.rgb == "00FDE2E1"
    assert ws.cell(9, 15).value == "Đạt" and ws.cell(9, 3).fill.fill_type is None


def test_xlsx_formats_filter_panes_print_and_properties(half, tmp_path):
    formats.to_xlsx(half, tmp_path / "r.xlsx", MADE, SITE)
    book = load_workbook(tmp_path / "r.xlsx")
    ws = book.active
    column = {c.value: c.column_letter for c in ws[6]}
    widths = {heading: ws.column_dimensions[letter].width for heading, letter in column.items()}
    assert widths["Tên đơn vị"] == 42 and widths["Ghi chú"] == 50 and widths["Cấp"] == 6
    assert widths["Tháng 1"] < widths["Chỉ tiêu"] < widths["Mã đơn vị"] < widths["Tên đơn vị"]
    formats_of = {heading: ws[f"{letter}9"].number_format for heading, letter in column.items()}
    assert (formats_of["Cấp"], formats_of["Fanpage"], formats_of["Chỉ tiêu"], formats_of["Tháng 6"]) == ("0",) * 4
    assert (formats_of["Tỷ lệ đạt (%)"], formats_of["Từ ngày"], formats_of["Đến ngày"]) == ("0.0", "d/m/yyyy", "d/m/yyyy")
    assert formats_of["Tên đơn vị"] == "General"
    assert ws.auto_filter.ref == "A6:W13"  # header and unit rows; the totals on row 14 stay put
    assert ws.freeze_panes == "D7"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$6:$6"
    props = book.properties
    assert props.title == "Báo cáo số lượng tin bài theo đơn vị – 6 tháng đầu năm 2025"
    assert props.subject.endswith("6 tháng đầu năm 2025 (từ 1/1/2025 đến 30/6/2025)")
    assert (props.creator, props.language, props.category) == (SITE, "vi-VN", "Báo cáo thống kê")
    assert "chỉ tiêu" in props.keywords and "Đạt/Chưa đạt" in props.description
    assert props.created == props.modified == dt.datetime(2025, 7, 2, 1, 5)


def test_xlsx_is_the_same_bytes_whatever_the_clock(half, tmp_path, monkeypatch):
    formats.to_xlsx(half, tmp_path / "a.xlsx", MADE, SITE)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # zip entries would take this time stamp
    formats.to_xlsx(half, tmp_path / "b.xlsx", MADE, SITE)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 7, 2, 8, 5, 0)}
    formats.to_xlsx(half, tmp_path / "c.xlsx", MADE + dt.timedelta(days=1), SITE)
    assert (tmp_path / "c.xlsx").read_bytes() != (tmp_path / "a.xlsx").read_bytes()
    # SOURCE_DATE_EPOCH=0 is before the first day a zip can say
    formats.to_xlsx(half, tmp_path / "d.xlsx", dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc), SITE)
    with zipfile.ZipFile(tmp_path / "d.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert load_workbook(tmp_path / "d.xlsx").properties.created == dt.datetime(1970, 1, 1)


def test_terminal_table(half):
    console = Console(record=True, width=220, color_system=None)
    console.print(formats.to_table(half))
    text = console.export_text()
    assert "6 tháng đầu năm 2025 (từ 1/1/2025 đến 30/6/2025)" in text
    for heading in ("Cấp", "Đơn vị", "Cổng thông tin điện tử", "Fanpage", "Tính chỉ tiêu", "Tỷ lệ", "Đánh giá",
                    "Cùng kỳ năm trước"):
        assert heading in text
    lines = {line.split("│")[2].strip(): [cell.strip() for cell in line.split("│")[1:-1]]
             for line in text.splitlines() if line.count("│") > 3}
    assert lines["Ban Tuyên giáo"] == ["2", "Ban Tuyên giáo", "2", "1", "2/3", "66,7%", "Chưa đạt", "1"]
    assert lines["CĐ Giáo dục"] == ["2", "CĐ Giáo dục", "3", "3", "6/6", "100,0%", "Đạt", "1"]
    assert lines["CĐCS Trường A"] == ["3", "CĐCS Trường A", "2", "1", "2", "—", "", "0"]
    assert lines["Tổng cộng"] == ["", "Tổng cộng", "5", "4", "5", "—", "", "1"]


def test_an_editors_text_stays_text(half, tmp_path):
    formula = '=HYPERLINK("http://example.com","Bấm")'
    half.units[1].name = half.units[1].short_name = formula
    half.units[2].name = half.units[2].short_name = "CĐ [/bold] Giáo dục [red]"
    half.channel_names["fanpage"] = "Fanpage [/]"
    rows = read_csv(formats.to_csv(half))
    assert rows[2][2] == "'" + formula and rows[3][2] == "CĐ [/bold] Giáo dục [red]"
    formats.to_xlsx(half, tmp_path / "r.xlsx", MADE, SITE)
    cell = load_workbook(tmp_path / "r.xlsx").active.cell(8, 3)
    assert (cell.value, cell.data_type) == (formula, "s")
    console = Console(record=True, width=220, color_system=None)
    console.print(formats.to_table(half))
    text = console.export_text()
    assert formula in text and "CĐ [/bold] Giáo dục [red]" in text and "Fanpage [/]" in text
