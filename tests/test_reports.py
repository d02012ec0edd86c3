"""The board's reports from a fixture content folder, checked against hand-computed figures."""

import csv
import io
import json
import subprocess
import sys

from openpyxl import load_workbook

from support import NOW, ROOT, epoch
from plugins.contract.registry import load_registry
from plugins.targets.cli import run
from plugins.targets.collect import collect


def prepare(site):
    # fixture: cd-giao-duc has 1 own item (3/5/2024) + 1 of cdcs-truong-a (10/6/2024); ban-tuyen-giao 1 (1/7/2024)
    site.article("2024/anh.md", {"Title": "Phóng sự ảnh", "Date": "2024-12-31T18:30:00+00:00", "Unit": "cdcs-truong-a", "Type": "anh"})
    site.article("2024/nhap.md", {"Title": "Nháp", "Date": "1/8/2024", "Unit": "cd-giao-duc", "Status": "draft"})
    site.article("2026/hen.md", {"Title": "Hẹn giờ", "Date": "1/12/2026", "Unit": "cd-giao-duc"})
    site.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))


def test_drafts_and_scheduled_are_not_counted(site):
    prepare(site)
    registry, _ = load_registry(site.content)
    records, channels, _, problems = collect(site.content, registry, NOW)
    assert channels == {"website": "Cổng thông tin điện tử"}
    assert problems == []
    assert sorted((r.unit_id, r.day.isoformat()) for r in records) == [
        ("ban-tuyen-giao", "2024-07-01"), ("cd-giao-duc", "2024-05-03"),
        ("cdcs-truong-a", "2024-06-10"), ("cdcs-truong-a", "2025-01-01")]


def test_json_report(site, tmp_path, capsysbinary):
    prepare(site)
    behind, errors = run(site.content, 2024, None, "json", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["period"] == "2024"
    by_id = {u["id"]: u for u in data["units"]}
    assert [u["id"] for u in data["units"]] == ["ldld-tinh", "ban-tuyen-giao", "cd-giao-duc", "cdcs-truong-a", "ldld-huyen-cu"]
    assert (data["start"], data["end"], data["title"]) == ("2024-01-01", "2024-12-31", "Năm 2024")
    assert by_id["cd-giao-duc"] == {
        "id": "cd-giao-duc", "name": "Công đoàn ngành Giáo dục", "kind": "cap-tren", "parent": "ldld-tinh",
        "parent_name": "Liên đoàn Lao động tỉnh Thử Nghiệm", "level": 2, "start": "2024-01-01", "end": "2024-12-31",
        "note": "", "channels": ["website"], "own": 1, "total": 2, "counted": 2, "target": 12, "met": False,
        "percent": 16.7, "by_channel": {"website": 2},
        "by_type": {"tin": 1, "bai": 1, "phong-su": 0, "anh": 0, "video": 0, "infographic": 0},
        "months": [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0], "previous": 0, "digital": 2}
    assert (by_id["ldld-tinh"]["total"], by_id["ldld-tinh"]["target"], by_id["ldld-tinh"]["met"]) == (3, None, None)
    assert (by_id["ban-tuyen-giao"]["own"], by_id["ban-tuyen-giao"]["target"]) == (1, 6)
    assert (behind, errors) == (3, 0)  # ban-tuyen-giao, cd-giao-duc, ldld-huyen-cu; no content errors
    run(site.content, 2025, 1, "json", tmp_path / "h1.json")
    h1 = json.loads((tmp_path / "h1.json").read_text(encoding="utf-8"))
    assert h1["period"] == "2025-H1"
    h1_units = {u["id"]: u for u in h1["units"]}
    assert h1_units["cdcs-truong-a"]["by_type"]["anh"] == 1 and h1_units["cd-giao-duc"]["total"] == 1
    assert h1_units["cd-giao-duc"]["target"] == 6 and h1_units["ldld-huyen-cu"]["target"] == 6
    run(site.content, 2024, None, "json", tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "r.json").read_bytes()


def test_csv_and_xlsx_reports(site, tmp_path):
    prepare(site)
    run(site.content, 2024, None, "csv", tmp_path / "r.csv")
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == ["Cấp", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Trực thuộc", "Từ ngày", "Đến ngày"]
    column = {heading: number for number, heading in enumerate(rows[0])}
    counted = ("Tổng các kênh", "Số tin bài tính chỉ tiêu", "Chỉ tiêu", "Tỷ lệ đạt (%)", "Đánh giá")
    giao_duc = next(r for r in rows if r[1] == "cd-giao-duc")
    assert giao_duc[:7] == ["2", "cd-giao-duc", "Công đoàn ngành Giáo dục", "Công đoàn cấp trên trực tiếp cơ sở",
                            "Liên đoàn Lao động tỉnh Thử Nghiệm", "1/1/2024", "31/12/2024"]
    assert [giao_duc[column[h]] for h in counted] == ["2", "2", "12", "16.7", "Chưa đạt"]
    assert rows[-1][2] == "Tổng cộng" and rows[-1][column["Tổng các kênh"]] == "3"
    run(site.content, 2024, None, "xlsx", tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][0] == "Kỳ báo cáo: Năm 2024 (từ 1/1/2024 đến 31/12/2024)"
    assert values[5][:3] == ["Cấp", "Mã đơn vị", "Tên đơn vị"]
    column = {heading: number for number, heading in enumerate(values[5])}
    xl = next(r for r in values if r[1] == "cd-giao-duc")
    assert xl[2] == "Công đoàn ngành Giáo dục" and [xl[column[h]] for h in counted] == [2, 2, 12, 16.7, "Chưa đạt"]
    tinh = next(r for r in values if r[1] == "ldld-tinh")
    assert tinh[column["Tổng các kênh"]] == 3 and tinh[column["Chỉ tiêu"]] is None


def test_command_line_table_and_fail_under(site):
    prepare(site)
    env = {"SOURCE_DATE_EPOCH": epoch(NOW), "PATH": "/usr/bin:/bin", "COLUMNS": "160"}
    base = [sys.executable, "-m", "invoke", "report", "--content", str(site.content), "--year", "2024"]
    table = subprocess.run(base, cwd=ROOT, env=env, capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert "Công đoàn ngành Giáo dục" in table.stdout and "2/12" in table.stdout
    failing = subprocess.run([*base, "--fail-under"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert failing.returncode != 0 and "3 đơn vị chưa đạt chỉ tiêu" in failing.stderr + failing.stdout
    site.article("2024/loi.md", {"Title": "Lỗi", "Date": "1/1/2024", "Unit": "khong-co"})
    broken = subprocess.run(base, cwd=ROOT, env=env, capture_output=True, text=True)
    assert broken.returncode != 0 and "articles/2024/loi.md:3: lỗi" in broken.stderr + broken.stdout
    assert "Traceback" not in broken.stderr
