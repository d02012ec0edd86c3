"""A fixture site through the 2025 reform, built for real: a district federation dissolved with its
grassroots union moved, a merger into a successor, a rename, and items published off the portal.
The dashboard, its JSON and CSV, the report's CSV and XLSX, the unit pages and feeds are checked
against figures worked out by hand below."""

import csv
import io
import json

import feedparser
import pytest
from openpyxl import load_workbook

from support import NOW
from plugins.targets.cli import run

UNITS = """\
targets:
  cap-tren: {2024: 12, 2025: 12 (website + fanpage)}
  ban: 6
units:
  - id: ldld-tinh
    name: Liên đoàn Lao động tỉnh Thử Nghiệm
    short_name: LĐLĐ tỉnh
    kind: tinh
  - id: ban-tuyen-giao
    name: Ban Tuyên giáo
    kind: ban
    parent: ldld-tinh
  - id: cd-giao-duc
    name: Công đoàn ngành Giáo dục
    kind: cap-tren
    parent: ldld-tinh
    history:
      - from: 1/7/2025
        name: Công đoàn Giáo dục tỉnh Thử Nghiệm
        short_name: CĐ Giáo dục
  - id: cdcs-truong-a
    name: Công đoàn cơ sở Trường Tiểu học A
    kind: co-so
    parent: cd-giao-duc
  - id: ldld-huyen-cu
    name: Liên đoàn Lao động huyện Cũ
    short_name: LĐLĐ huyện Cũ
    kind: cap-tren
    parent: ldld-tinh
    active_until: 2025-06-30
  - id: ldld-huyen-hai
    name: Liên đoàn Lao động huyện Hải
    short_name: LĐLĐ huyện Hải
    kind: cap-tren
    parent: ldld-tinh
    merged_into: {unit: cd-khu-vuc, from: 1/7/2025}
  - id: cd-khu-vuc
    name: Công đoàn Khu vực số 1
    short_name: CĐ Khu vực số 1
    kind: cap-tren
    parent: ldld-tinh
    active_from: 1/7/2025
  - id: cdcs-nha-may
    name: Công đoàn cơ sở Nhà máy Gạch
    short_name: CĐCS Nhà máy Gạch
    kind: co-so
    parent: ldld-huyen-cu
    history:
      - from: 1/7/2025
        parent: cd-khu-vuc
"""

CHANNELS = """\
channels:
  - {id: website, name: Cổng thông tin điện tử}
  - {id: fanpage, name: Fanpage}
  - {id: bao-in, name: Báo in}
  - {id: trang-cdvn, name: Trang Công đoàn Việt Nam}
"""

KENH = """\
unit: cd-khu-vuc
items:
  - {date: 1/9/2025, channel: fanpage, type: video, title: Video ngày hội công nhân,
     url: "https://www.facebook.com/cdkhuvuc/videos/1"}
  - {date: 2/9/2025, unit: cdcs-nha-may, channel: trang-cdvn, type: bai, title: Nhà máy Gạch chăm lo công nhân,
     url: "https://laodong.example.vn/nha-may-gach.ldo"}
  - {date: 3/9/2025, channel: bao-in, type: phong-su, title: Phóng sự mái ấm công đoàn}
"""


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    from support import Site

    monkeypatch = pytest.MonkeyPatch()
    site = Site(tmp_path_factory.mktemp("reform"), monkeypatch)
    site.write("units.yml", UNITS)
    site.write("channels.yml", CHANNELS)
    site.write("kenh/cd-khu-vuc/2025.yml", KENH)
    site.article("2025/nha-may-truoc.md", {"Title": "Nhà máy Gạch trước khi chuyển", "Date": "10/3/2025 08:00",
                                           "Unit": "cdcs-nha-may", "Category": "tin-hoat-dong"})
    site.article("2025/nha-may-sau.md", {"Title": "Nhà máy Gạch sau khi chuyển", "Date": "5/8/2025 08:00",
                                         "Unit": "cdcs-nha-may", "Category": "tin-hoat-dong"})
    site.article("2025/huyen-hai.md", {"Title": "Huyện Hải tổng kết", "Date": "2/2/2025 08:00",
                                       "Unit": "ldld-huyen-hai", "Category": "tin-hoat-dong"})
    site.article("2025/giao-duc.md", {"Title": "Giáo dục khai giảng", "Date": "2/9/2025 08:00",
                                      "Unit": "cd-giao-duc", "Category": "tin-hoat-dong"})
    site.build()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    yield site
    monkeypatch.undo()


def text(node):
    return node.get_text(" ", strip=True)


def flat(node):
    """The node's text as a reader sees it, one space between words."""
    return " ".join(node.get_text().split())


def table_rows(table):
    """Each body row as {heading: text}, with the row's unit name under "Đơn vị"."""
    headings = [text(th) for th in table.select("thead th")]
    return [dict(zip(headings, (text(c) for c in tr.find_all(["th", "td"])))) for tr in table.select("tbody tr")]


def rows_named(rows, name):
    return [r for r in rows if r["Đơn vị"] == name]


def test_the_dashboard_year_table(reform):
    page = reform.html("/thong-ke/2025/")
    rows = table_rows(page.select_one("#ky-2025").find_parent("section").select_one("table"))
    (khu_vuc,) = rows_named(rows, "Công đoàn Khu vực số 1")
    # Items of its stretch: the moved grassroots union's website item (5/8) and trang-cdvn item (2/9),
    # its own fanpage and newspaper items; the rule counts website + fanpage: 2 of round(12 × 184 / 365) = 6.
    assert {k: khu_vuc[k] for k in ("Tự đăng", "Cổng thông tin điện tử", "Fanpage", "Báo in",
                                    "Trang Công đoàn Việt Nam", "Tổng", "Chỉ tiêu", "Đánh giá", "Cùng kỳ năm trước")} \
        == {"Tự đăng": "2", "Cổng thông tin điện tử": "1", "Fanpage": "1", "Báo in": "1",
            "Trang Công đoàn Việt Nam": "1", "Tổng": "4", "Chỉ tiêu": "6", "Đánh giá": "Chưa đạt",
            "Cùng kỳ năm trước": "0"}
    assert khu_vuc["Tính chỉ tiêu"] == "2 (Cổng thông tin điện tử + Fanpage)"
    assert khu_vuc["Tỷ lệ"].endswith("33,3%")
    assert khu_vuc["Ghi chú"] == "thành lập từ 1/7/2025; tiếp nhận LĐLĐ huyện Hải (sáp nhập từ 1/7/2025)"
    (cu,) = rows_named(rows, "Liên đoàn Lao động huyện Cũ")
    assert (cu["Tổng"], cu["Chỉ tiêu"], cu["Ghi chú"]) == ("1", "6", "kết thúc hoạt động ngày 30/6/2025")
    (hai,) = rows_named(rows, "Liên đoàn Lao động huyện Hải")
    assert (hai["Tổng"], hai["Chỉ tiêu"], hai["Ghi chú"]) == ("1", "6", "sáp nhập vào CĐ Khu vực số 1 từ 1/7/2025")
    before, after = rows_named(rows, "Công đoàn cơ sở Nhà máy Gạch")
    assert (before["Tổng"], before["Ghi chú"]) == ("1", "chuyển về CĐ Khu vực số 1 từ 1/7/2025")
    assert (after["Tổng"], after["Ghi chú"]) == ("2", "chuyển về CĐ Khu vực số 1 từ 1/7/2025 (trước đó: LĐLĐ huyện Cũ)")
    # Each moved row sits right under the parent it had then.
    names = [r["Đơn vị"] for r in rows]
    assert names[names.index("Liên đoàn Lao động huyện Cũ") + 1] == "Công đoàn cơ sở Nhà máy Gạch"
    assert names[names.index("Công đoàn Khu vực số 1") + 1] == "Công đoàn cơ sở Nhà máy Gạch"
    (giao_duc,) = rows_named(rows, "Công đoàn Giáo dục tỉnh Thử Nghiệm")
    assert giao_duc["Ghi chú"] == "đổi tên từ 1/7/2025 (tên cũ: Công đoàn ngành Giáo dục)"
    assert (giao_duc["Tổng"], giao_duc["Cùng kỳ năm trước"]) == ("1", "2")
    (province,) = rows_named(rows, "Liên đoàn Lao động tỉnh Thử Nghiệm")
    assert (province["Tổng"], province["Cổng thông tin điện tử"]) == ("7", "4")
    (total,) = rows_named(rows, "Tổng cộng")
    assert (total["Tổng"], total["Fanpage"], total["Cùng kỳ năm trước"]) == ("7", "1", "3")


def test_last_years_dashboard_keeps_the_old_tree_and_names(reform):
    page = reform.html("/thong-ke/2024/")
    rows = table_rows(page.select_one("#ky-2024").find_parent("section").select_one("table"))
    names = [r["Đơn vị"] for r in rows]
    assert "Công đoàn ngành Giáo dục" in names and "Công đoàn Giáo dục tỉnh Thử Nghiệm" not in names
    assert "Công đoàn Khu vực số 1" not in names
    (nha_may,) = rows_named(rows, "Công đoàn cơ sở Nhà máy Gạch")
    assert names[names.index("Công đoàn cơ sở Nhà máy Gạch") - 1] == "Liên đoàn Lao động huyện Cũ"
    assert nha_may["Ghi chú"] == ""


def test_the_national_page_and_the_digital_share(reform):
    page = reform.html("/thong-ke/2025/")
    national = table_rows(page.select_one("#trang-quoc-gia").find_parent("section").select_one("table"))
    assert [(r["Kỳ"], r["Số tin bài"], r["Ngày có tin bài"], r["Ngày không có"]) for r in national] == [
        ("Năm 2025", "1", "1/365", "364"), ("6 tháng đầu năm 2025", "0", "0/181", "181"),
        ("6 tháng cuối năm 2025", "1", "1/184", "183")]
    summary = text(page.select_one("#chuyen-doi-so").find_parent("section").select_one(".stats-summary"))
    # Website (4), fanpage and trang-cdvn items are digital; the newspaper's is not: 6 of 7.
    assert summary.startswith("Năm 2025: 6/7 sản phẩm trên nền tảng số, chiếm 85,7% tổng số sản phẩm")
    data = json.loads((reform.output / "thong-ke/2025.json").read_text(encoding="utf-8"))
    assert data["national_page"][0]["count"] == 1 and len(data["national_page"][0]["days_without"]) == 364
    assert (data["digital"]["digital"], data["digital"]["total"], data["digital"]["percent"]) == (6, 7, 85.7)
    year = data["periods"][0]
    assert (year["start"], year["end"]) == ("2025-01-01", "2025-12-31")
    khu_vuc = next(u for u in year["units"] if u["id"] == "cd-khu-vuc")
    assert khu_vuc["by_channel"] == {"website": 1, "fanpage": 1, "bao-in": 1, "trang-cdvn": 1}
    assert (khu_vuc["counted"], khu_vuc["target"], khu_vuc["met"]) == (2, 6, False)
    h1, h2 = ({u["id"]: u for u in p["units"]} for p in data["periods"][1:])
    assert h1["ldld-huyen-cu"]["target"] + h2.get("ldld-huyen-cu", {"target": 0})["target"] == 6
    assert "cd-khu-vuc" not in h1 and h2["cd-khu-vuc"]["target"] == 6


def test_the_sites_csv(reform):
    rows = list(csv.reader(io.StringIO((reform.output / "thong-ke/2025.csv").read_bytes().decode("utf-8-sig"))))
    column = {heading: number for number, heading in enumerate(rows[0])}
    nha_may = [r for r in rows if r[0] == "Năm 2025" and r[column["Mã đơn vị"]] == "cdcs-nha-may"]
    assert [(r[column["Trực thuộc"]], r[column["Từ ngày"]], r[column["Đến ngày"]], r[column["Tổng các kênh"]])
            for r in nha_may] == [("Liên đoàn Lao động huyện Cũ", "1/1/2025", "30/6/2025", "1"),
                                  ("Công đoàn Khu vực số 1", "1/7/2025", "31/12/2025", "2")]
    khu_vuc = next(r for r in rows if r[0] == "6 tháng cuối năm 2025" and r[column["Mã đơn vị"]] == "cd-khu-vuc")
    assert [khu_vuc[column[h]] for h in ("Fanpage", "Số tin bài tính chỉ tiêu", "Chỉ tiêu", "Đánh giá", "Tháng 8",
                                         "Tháng 9", "Tháng 1")] == ["1", "2", "6", "Chưa đạt", "1", "1", ""]


def test_the_reports_xlsx(reform, tmp_path):
    behind, errors = run(reform.content, 2025, None, "xlsx", tmp_path / "bao-cao.xlsx")
    assert errors == 0 and behind == 5  # ban, giáo dục, huyện Cũ, huyện Hải, khu vực
    book = load_workbook(tmp_path / "bao-cao.xlsx")
    sheet = book.active
    title = [sheet.cell(row=r, column=1).value for r in range(1, 5)]
    assert "Kỳ báo cáo: Năm 2025 (từ 1/1/2025 đến 31/12/2025)" in title
    assert "Lập ngày: 22/11/2026 09:00" in title
    header = next(r for r in range(1, 10) if sheet.cell(row=r, column=2).value == "Mã đơn vị")
    headings = {sheet.cell(row=header, column=c).value: c for c in range(1, sheet.max_column + 1)}
    lines = {}
    for r in range(header + 1, sheet.max_row + 1):
        lines.setdefault(sheet.cell(row=r, column=headings["Mã đơn vị"]).value, []).append(r)
    (khu_vuc,) = lines["cd-khu-vuc"]

    def value(row, heading):
        return sheet.cell(row=row, column=headings[heading]).value

    assert [value(khu_vuc, h) for h in ("Cấp", "Tên đơn vị", "Fanpage", "Tổng các kênh", "Số tin bài tính chỉ tiêu",
                                        "Chỉ tiêu", "Đánh giá", "Tháng 9")] == \
        [2, "Công đoàn Khu vực số 1", 1, 4, 2, 6, "Chưa đạt", 1]
    assert value(khu_vuc, "Tỷ lệ đạt (%)") == pytest.approx(33.3)
    assert sheet.cell(row=khu_vuc, column=headings["Tỷ lệ đạt (%)"]).number_format == "0.0"
    assert sheet.cell(row=khu_vuc, column=headings["Tổng các kênh"]).number_format == "0"
    assert [value(r, "Trực thuộc") for r in lines["cdcs-nha-may"]] == ["Liên đoàn Lao động huyện Cũ",
                                                                       "Công đoàn Khu vực số 1"]
    total = sheet.max_row
    assert value(total, "Tên đơn vị") == "Tổng cộng" and value(total, "Tổng các kênh") == 7
    name_letter = sheet.cell(row=header, column=headings["Tên đơn vị"]).column_letter
    assert sheet.column_dimensions[name_letter].width > sheet.column_dimensions["A"].width > 0
    assert sheet.auto_filter.ref.startswith(f"A{header}:")
    assert sheet.freeze_panes.endswith(str(header + 1))
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header}:${header}"
    assert book.properties.title and "2025" in book.properties.title
    run(reform.content, 2025, None, "xlsx", tmp_path / "lan-hai.xlsx")
    assert (tmp_path / "lan-hai.xlsx").read_bytes() == (tmp_path / "bao-cao.xlsx").read_bytes()


def test_the_old_parents_page_and_feed_keep_the_items_from_before_the_move(reform):
    def titles(url):
        return [text(a) for a in reform.html(url).select("#tin-bai-don-vi ~ * h3 a, .block h3 a")]

    assert "Nhà máy Gạch trước khi chuyển" in titles("/don-vi/ldld-huyen-cu/")
    assert "Nhà máy Gạch sau khi chuyển" not in titles("/don-vi/ldld-huyen-cu/")
    assert "Nhà máy Gạch sau khi chuyển" in titles("/don-vi/cd-khu-vuc/")
    assert "Nhà máy Gạch trước khi chuyển" not in titles("/don-vi/cd-khu-vuc/")
    old_feed = feedparser.parse((reform.output / "don-vi/ldld-huyen-cu/rss.xml").read_bytes())
    new_feed = feedparser.parse((reform.output / "don-vi/cd-khu-vuc/rss.xml").read_bytes())
    assert [e.title for e in old_feed.entries] == ["Nhà máy Gạch trước khi chuyển"]
    assert [e.title for e in new_feed.entries] == ["Nhà máy Gạch sau khi chuyển"]


def test_unit_pages_link_a_merger_both_ways_and_show_the_history(reform):
    merged = reform.html("/don-vi/ldld-huyen-hai/")
    note = text(merged.select_one(".status-note"))
    assert note.startswith("Đơn vị đã sáp nhập vào Công đoàn Khu vực số 1 từ ngày 1/7/2025")
    assert merged.select_one(".status-note a")["href"].endswith("/don-vi/cd-khu-vuc/")
    assert [e.title for e in feedparser.parse((reform.output / "don-vi/ldld-huyen-hai/rss.xml").read_bytes()).entries] \
        == ["Huyện Hải tổng kết"]
    successor = reform.html("/don-vi/cd-khu-vuc/")
    assert any(a["href"].endswith("/don-vi/ldld-huyen-hai/") for a in successor.select(".status-note a"))
    history = [flat(li) for li in successor.select(".unit-timeline li")]
    assert history == ["1/7/2025: Thành lập", "1/7/2025: Tiếp nhận đơn vị sáp nhập Liên đoàn Lao động huyện Hải"]
    dissolved = reform.html("/don-vi/ldld-huyen-cu/")
    assert [flat(li) for li in dissolved.select(".unit-timeline li")] == ["30/6/2025: Kết thúc hoạt động"]
    former = text(dissolved.select_one("#don-vi-truc-thuoc-truoc-day").find_parent("section"))
    assert "Công đoàn cơ sở Nhà máy Gạch nay trực thuộc CĐ Khu vực số 1" in former
    moved = reform.html("/don-vi/cdcs-nha-may/")
    assert [flat(li) for li in moved.select(".unit-timeline li")] == [
        "1/7/2025: Chuyển về trực thuộc Công đoàn Khu vực số 1"]


def test_articles_show_their_units_name_of_their_day(reform):
    def unit_of(url):
        meta = next(m for m in reform.html(url).select(".meta-item") if text(m).startswith("Đơn vị:"))
        return text(meta), meta.a["href"]

    old_name, old_link = unit_of("/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/")
    assert old_name == "Đơn vị: Công đoàn ngành Giáo dục" and old_link.endswith("/don-vi/cd-giao-duc/")
    assert unit_of("/2025/09/giao-duc-khai-giang/")[0] == "Đơn vị: Công đoàn Giáo dục tỉnh Thử Nghiệm"
    unit_page = reform.html("/don-vi/cd-giao-duc/")
    assert text(unit_page.select_one("h1")) == "Công đoàn Giáo dục tỉnh Thử Nghiệm"
    assert "Đổi tên từ “Công đoàn ngành Giáo dục” thành “Công đoàn Giáo dục tỉnh Thử Nghiệm”" in \
        text(unit_page.select_one(".unit-timeline"))
