"""The statistics section of a built fixture site, against hand-computed figures."""

import csv
import io
import json

import pytest

from support import NOW


@pytest.fixture
def stats(site):
    site.article("2024/anh.md", {"Title": "Ảnh Tháng Công nhân", "Date": "20/5/2024", "Unit": "cdcs-truong-a",
                                 "Type": "anh", "Campaigns": "thang-cong-nhan-2024"})
    site.build()
    return site


def cells(row):
    return [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]


def row_for(table, name):
    return next(tr for tr in table.select("tbody tr") if tr.th.get_text(" ", strip=True).startswith(name))


def columns(table, row, *headings):
    """The row's cells under the given column headings."""
    names = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    values = cells(row)
    return [values[names.index(h)] for h in headings]


def test_year_table_heat_map_types_and_campaigns(stats):
    page = stats.html("/thong-ke/2024/")
    year_table = page.select("table.stats-table")[0]
    giao_duc = row_for(year_table, "Công đoàn ngành Giáo dục")
    wanted = ("Tự đăng", "Cổng thông tin điện tử", "Tổng", "Tính chỉ tiêu", "Chỉ tiêu", "Đánh giá")
    assert columns(year_table, giao_duc, *wanted) == ["1", "3", "3", "3", "12", "Chưa đạt"]
    assert "is-behind" in giao_duc["class"]
    assert "pct-25" in giao_duc.select_one(".progress-bar")["class"]  # width class: no style attribute under the CSP
    assert columns(year_table, row_for(year_table, "Liên đoàn Lao động tỉnh"), *wanted) == ["0", "4", "4", "4", "—", "—"]
    assert columns(year_table, row_for(year_table, "Tổng cộng"), "Tổng", "Tính chỉ tiêu") == ["4", "4"]
    h2_table = page.select("table.stats-table")[2]
    assert columns(h2_table, row_for(h2_table, "Ban Tuyên giáo"), "Tự đăng", "Tổng", "Chỉ tiêu", "Đánh giá") == \
        ["1", "1", "3", "Chưa đạt"]  # round(6 × 184 / 366) = 3 of the year's 6
    heat = page.select_one("table.heatmap")
    assert cells(row_for(heat, "Công đoàn ngành Giáo dục"))[1:] == ["0", "0", "0", "0", "2", "1", "0", "0", "0", "0", "0", "0"]
    text = page.get_text(" ", strip=True)
    assert "Năm 2024: 4/4 sản phẩm trên nền tảng số, chiếm 100,0% tổng số sản phẩm truyền thông của mọi kênh; " \
        "mục tiêu đến năm 2028 là 50% (đã đạt)" in text
    types = page.select_one(".type-bars").get_text(" ", strip=True)
    assert "Ảnh 1 (25,0%)" in types
    coverage = page.select_one(".coverage").get_text(" ", strip=True)
    assert "Tháng Công nhân năm 2024" in coverage
    assert "Đã có tin bài (1): Công đoàn ngành Giáo dục" in coverage
    assert "Chưa có tin bài (2): Ban Tuyên giáo, Liên đoàn Lao động huyện Cũ" in coverage


def test_current_year_shows_pace(stats):
    page = stats.html("/thong-ke/2026/")
    assert NOW.year == 2026
    pace = page.select_one("#tien-do").find_parent("section").select_one("table")
    # 22/11/2026 is day 326 of 365: round(6 × 326 / 365) = round(5.36) = 5
    assert cells(row_for(pace, "Ban Tuyên giáo")) == ["Ban Tuyên giáo", "0", "5", "6", "Chậm tiến độ", ""]
    assert "Liên đoàn Lao động huyện Cũ" not in page.get_text()


def test_json_and_csv_publish_the_same_figures(stats):
    data = json.loads((stats.output / "thong-ke/2024.json").read_text(encoding="utf-8"))
    assert [p["period"] for p in data["periods"]] == ["2024", "2024-H1", "2024-H2"]
    year = {u["id"]: u for u in data["periods"][0]["units"]}
    assert (year["cd-giao-duc"]["own"], year["cd-giao-duc"]["total"], year["cd-giao-duc"]["met"]) == (1, 3, False)
    assert year["cdcs-truong-a"]["by_type"]["anh"] == 1
    rows = list(csv.reader(io.StringIO((stats.output / "thong-ke/2024.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Kỳ", "Cấp", "Mã đơn vị", "Tên đơn vị"]
    column = {heading: number for number, heading in enumerate(rows[0])}
    h1 = next(r for r in rows if r[0] == "6 tháng đầu năm 2024" and r[2] == "cd-giao-duc")
    assert [h1[column[h]] for h in ("Tổng các kênh", "Chỉ tiêu", "Đánh giá", "Tháng 5", "Tháng 7")] == ["3", "6", "Chưa đạt", "2", ""]
    assert len(rows) == 1 + 3 * (5 + 1)  # five units existed in the year and in both halves, and each period's totals


def test_statistics_can_stay_out_of_the_public_site(site, tmp_path):
    board = tmp_path / "board"
    site.build(PORTAL_TARGETS={"board_output": str(board)})
    assert not (site.output / "thong-ke").exists()
    assert (board / "thong-ke/2024/index.html").is_file() and (board / "thong-ke/2024.json").is_file()
    assert "/thong-ke/" not in [a.get("href") for a in site.html("/").select("footer a")]
