"""`report --format docx` on a fixture content folder, read back with python-docx: the page,
the fonts, the letterhead, the figures equal to the XLSX of the same period, the channels'
landscape page, the closing; the same bytes twice; the board's texts from the content folder."""

from __future__ import annotations

import json
import subprocess
import sys

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from plugins.documents.core import CELL_MARGIN_MM, MOTTO, NAME_BLANK, NATION, NO_VALUE, SIGN_HINT, SMALL_PT, cell_text
from plugins.documents.metrics import width_mm
from plugins.targets.cli import ReportError, run
from plugins.targets.document import load_report_texts
from plugins.tools.check import check
from support import NOW, ROOT, epoch

CHANNELS = """\
channels:
  - id: website
    name: Cổng thông tin điện tử
    short_name: Website
  - id: fanpage
    name: Trang Facebook (fanpage) của đơn vị
"""
FANPAGE = """\
unit: cd-giao-duc
items:
  - date: 3/7/2024
    channel: fanpage
    type: tin
    title: Công đoàn ngành Giáo dục thăm hỏi giáo viên
  - date: 5/8/2024
    channel: fanpage
    type: tin
    title: Giáo viên vùng cao đón năm học mới
"""
# The columns of table I that the XLSX has too, by the XLSX's heading.
SHARED = {0: "Cấp", 1: "Tên đơn vị", 3: "Tổng các kênh", 4: "Số tin bài tính chỉ tiêu", 5: "Chỉ tiêu",
          6: "Tỷ lệ đạt (%)", 7: "Đánh giá"}
# The columns a unit with no target leaves empty in the XLSX and shows as a dash in the document.
AIMS = (5, 6, 7)


def prepare(site, channels: bool = True):
    # The basic fixture: cd-giao-duc 1 own item (3/5/2024) + 1 of cdcs-truong-a (10/6/2024); ban-tuyen-giao 1 (1/7/2024).
    site.article("2024/anh.md", {"Title": "Phóng sự ảnh", "Date": "2024-12-31T18:30:00+00:00", "Unit": "cdcs-truong-a",
                                 "Type": "anh"})
    if channels:
        site.write("channels.yml", CHANNELS)
        site.write("kenh/cd-giao-duc/2024.yml", FANPAGE)
    site.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))


def figures_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Cấp")


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def xlsx_rows(path) -> tuple[list[str], list[list[object]]]:
    values = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    header = next(n for n, row in enumerate(values) if row[:2] == ["Cấp", "Mã đơn vị"])
    return values[header], values[header + 1:]


@pytest.fixture
def made(site, tmp_path):
    prepare(site)
    run(site.content, 2024, None, "docx", tmp_path / "bao-cao.docx")
    return docx.Document(tmp_path / "bao-cao.docx")


def test_page_margins_and_fonts(made):
    first = made.sections[0]
    assert (round(first.page_width / Mm(1)), round(first.page_height / Mm(1))) == (210, 297)
    assert [round(m / Mm(1)) for m in (first.top_margin, first.bottom_margin, first.left_margin,
                                       first.right_margin)] == [20, 20, 30, 15]
    normal = made.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert Pt(13) <= normal.font.size <= Pt(14)
    body = [r for p in made.paragraphs for r in p.runs if r.text]
    assert body and all(r.font.name == "Times New Roman" for r in body)
    assert all(Pt(13) <= (r.font.size or normal.font.size) <= Pt(14) for r in body)


def test_letterhead_title_and_closing(made):
    head = made.tables[0]
    assert [p.text for p in head.rows[0].cells[0].paragraphs] == ["TỔNG LĐLĐ VIỆT NAM",
                                                                 "LIÊN ĐOÀN LAO ĐỘNG TỈNH THỬ NGHIỆM", ""]
    assert [p.text for p in head.rows[0].cells[1].paragraphs] == [NATION, MOTTO, ""]
    for cell, line in ((head.rows[0].cells[0], 2), (head.rows[0].cells[1], 2)):
        assert cell.paragraphs[line]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert head.rows[1].cells[0].text == "Số:      /BC-LĐLĐ"
    assert head.rows[1].cells[1].text == "Thử Nghiệm, ngày 22 tháng 11 năm 2026"  # the build's now
    texts = [p.text for p in made.paragraphs if p.text]
    assert texts[:3] == ["BÁO CÁO", "Kết quả thực hiện chỉ tiêu tin bài trên Cổng thông tin điện tử", "năm 2024"]
    for heading in ("I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU CỦA CÁC ĐƠN VỊ", "II. CÁC ĐƠN VỊ CHƯA ĐẠT CHỈ TIÊU",
                    "III. TIN BÀI VỀ CÁC CHIẾN DỊCH TRUYỀN THÔNG", "IV. SẢN PHẨM TRUYỀN THÔNG TRÊN NỀN TẢNG SỐ",
                    "V. ĐÁNH GIÁ CHUNG", "VI. NHIỆM VỤ TRONG THỜI GIAN TỚI"):
        assert heading in texts
    assert texts[-1].endswith("của Ban Thường vụ Liên đoàn Lao động tỉnh Thử Nghiệm./.")
    recipients, signature = made.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:" and recipients.paragraphs[-1].text.startswith("- Lưu: VT")
    # no signer named in the board's texts: the office writes the name on the dotted line
    assert [p.text for p in signature.paragraphs] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", SIGN_HINT, "", "", "", "",
                                                      NAME_BLANK]
    subject = [p.text for p in made.paragraphs].index("năm 2024")
    assert made.paragraphs[subject + 1]._p.pPr.find(qn("w:pBdr")) is not None  # the line under the subject
    assert made.core_properties.created == NOW and made.core_properties.language == "vi-VN"


def test_figures_equal_the_xlsx_of_the_same_period(site, made, tmp_path):
    run(site.content, 2024, None, "xlsx", tmp_path / "bao-cao.xlsx")
    run(site.content, 2024, None, "json", tmp_path / "bao-cao.json")
    headings, lines = xlsx_rows(tmp_path / "bao-cao.xlsx")
    column = {heading: number for number, heading in enumerate(headings)}
    table = rows_of(figures_table(made))
    assert table[0] == ["Cấp", "Tên đơn vị", "Tự đăng", "Tổng số", "Tính chỉ tiêu", "Chỉ tiêu", "Tỷ lệ đạt (%)",
                        "Đánh giá"]
    assert len(table) - 1 == len(lines)
    for document_row, line in zip(table[1:], lines):
        expected = {n: cell_text(line[column[h]]) for n, h in SHARED.items()}
        percent = line[column["Tỷ lệ đạt (%)"]]
        expected[6] = "" if percent is None else cell_text(float(percent))  # the XLSX shows it as 0.0
        # the XLSX leaves a cell empty where the unit has no target; the document writes a dash
        expected.update({n: NO_VALUE for n in AIMS if line[column[SHARED[n]]] is None})
        assert {n: document_row[n] for n in SHARED} == expected
    without = [row for row in table[1:-1] if row[5] == NO_VALUE]
    assert without and all(row[5:] == [NO_VALUE] * 3 for row in without) and table[-1][5:] == [NO_VALUE] * 3
    assert "" not in {cell for row in table[1:] for cell in row[1:]}  # only the totals' level is blank
    units = json.loads((tmp_path / "bao-cao.json").read_text(encoding="utf-8"))["units"]
    assert [row[2] for row in table[1:-1]] == [cell_text(u["own"]) for u in units]
    # cd-giao-duc: 2 on the website (its own and cdcs-truong-a's) + 2 on its fanpage; the target counts the website
    assert table[3] == ["2", "Công đoàn ngành Giáo dục", "3", "4", "2", "12", "16,7", "Chưa đạt"]
    assert table[-1][:5] == ["", "Tổng cộng", "5", "5", "3"]
    assert all(r.bold for c in figures_table(made).rows[-1].cells for p in c.paragraphs for r in p.runs)
    assert {"Đạt", "Chưa đạt", NO_VALUE} >= {row[7] for row in table[1:]} and "Chưa đạt" in {r[7] for r in table}


def test_channels_get_a_landscape_page(site, made, tmp_path):
    run(site.content, 2024, None, "xlsx", tmp_path / "bao-cao.xlsx")
    headings, lines = xlsx_rows(tmp_path / "bao-cao.xlsx")
    portrait, landscape, back = made.sections
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and round(landscape.page_width / Mm(1)) == 297
    assert back.orientation == WD_ORIENT.PORTRAIT
    wide = rows_of(next(t for t in made.tables if "Tổng các kênh" in rows_of(t)[0]))
    assert wide[0] == ["Cấp", "Tên đơn vị", "Cổng thông tin điện tử", "Trang Facebook (fanpage) của đơn vị",
                       "Tổng các kênh", "Kênh tính chỉ tiêu"]
    column = {heading: number for number, heading in enumerate(headings)}
    labels = {"Cổng thông tin điện tử": "Website"}  # the channels' short names, from channels.yml
    for document_row, line in zip(wide[1:], lines):
        assert document_row[:-1] == [cell_text(line[column[h]]) for h in wide[0][:-1]]
        counted = line[column["Kênh tính chỉ tiêu"]] or ""
        assert document_row[-1] == " + ".join(labels.get(n, n) for n in counted.split(" + ") if n)
    assert {row[-1] for row in wide[1:-1]} == {"Website"} and wide[-1][-1] == ""
    table = next(t for t in made.tables if "Tổng các kênh" in rows_of(t)[0])
    widths = [cell.width / Mm(1) for cell in table.rows[0].cells]
    assert sum(widths) == pytest.approx(297 - 45, abs=0.5) and widths[1] == max(widths) >= 90


def test_the_names_get_the_room_and_the_figures_fit_their_columns(made):
    table = figures_table(made)
    widths = [cell.width / Mm(1) for cell in table.rows[0].cells]
    assert sum(widths) == pytest.approx(165, abs=0.5) and widths[1] >= 0.44 * 165
    assert max(widths[2:7]) <= 13  # the figures' columns
    for row in table.rows:
        for number, (cell, width) in enumerate(zip(row.cells, widths)):
            if number in (0, 2, 3, 4, 5, 6):  # a figure stays on one line
                for paragraph in cell.paragraphs:
                    bold = any(r.bold for r in paragraph.runs)
                    for word in paragraph.text.split():
                        assert width_mm(word, SMALL_PT, bold) + 2 * CELL_MARGIN_MM <= width, (word, width)
    assert all(r.font.size == Pt(SMALL_PT) for row in table.rows for c in row.cells for p in c.paragraphs
               for r in p.runs)


def test_units_behind_with_their_shortfall(made):
    behind = rows_of(next(t for t in made.tables if rows_of(t)[0][-2:] == ["Còn thiếu", "Tỷ lệ đạt (%)"]))
    assert behind[1:] == [["1", "Ban Tuyên giáo", "1", "6", "5", "16,7"],
                          ["2", "Công đoàn ngành Giáo dục", "2", "12", "10", "16,7"],
                          ["3", "Liên đoàn Lao động huyện Cũ", "0", "12", "12", "0,0"]]
    texts = [p.text for p in made.paragraphs]
    assert "Có 3 đơn vị chưa đạt chỉ tiêu năm 2024:" in texts


def test_two_runs_give_the_same_bytes(site, tmp_path):
    prepare(site)
    run(site.content, 2024, 1, "docx", tmp_path / "a.docx")
    run(site.content, 2024, 1, "docx", tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_halves_and_no_unit_behind(site, tmp_path):
    prepare(site, channels=False)
    site.write("units.yml", (site.content / "units.yml").read_text(encoding="utf-8")
               .replace("cap-tren: {2024: 12, 2026: 60}", "cap-tren: {2024: 2}").replace("ban: 6", "ban: 1"))
    site.article("2024/huyen.md", {"Title": "Tin huyện", "Date": "2/3/2024", "Unit": "ldld-huyen-cu"})
    site.article("2024/huyen-2.md", {"Title": "Tin huyện 2", "Date": "2/9/2024", "Unit": "ldld-huyen-cu"})
    site.article("2024/ban.md", {"Title": "Tin ban", "Date": "2/3/2024", "Unit": "ban-tuyen-giao"})
    run(site.content, 2024, 1, "docx", tmp_path / "h1.docx")
    first = docx.Document(tmp_path / "h1.docx")
    texts = [p.text for p in first.paragraphs if p.text]
    assert texts[2] == "6 tháng đầu năm 2024"
    assert ("Trong 6 tháng đầu năm 2024, tất cả 3 đơn vị có chỉ tiêu đều đạt chỉ tiêu được giao, không có đơn vị "
            "nào chưa đạt.") in texts
    assert len(first.sections) == 1  # the website only: no landscape page
    run(site.content, 2024, 2, "docx", tmp_path / "h2.docx")
    second = [p.text for p in docx.Document(tmp_path / "h2.docx").paragraphs if p.text]
    assert second[2] == "6 tháng cuối năm 2024" and "Có 1 đơn vị chưa đạt chỉ tiêu 6 tháng cuối năm 2024:" in second


def test_the_board_texts_from_the_content_folder(site, tmp_path):
    prepare(site, channels=False)
    site.write("mau-van-ban/bao-cao.yml", (
        "co_quan_ban_hanh: CÔNG ĐOÀN NGÀNH THỬ NGHIỆM\n"
        "so_ky_hieu: \"Số:      /BC-CĐN\"\n"
        "trich_yeu: |\n  Kết quả gửi tin bài\n  {{ ky }} của {{ ten_don_vi }}\n"
        "danh_gia: \"{% if so_don_vi_chua_dat > 2 %}Còn {{ so_don_vi_chua_dat }} đơn vị chưa đạt.{% else %}Tốt.{% endif %}\"\n"
        "noi_nhan:\n  - Thường trực LĐLĐ tỉnh\n  - \"Lưu: VT\"\n"
        "nguoi_ky: Nguyễn Văn An\n"))
    run(site.content, 2024, None, "docx", tmp_path / "r.docx")
    made = docx.Document(tmp_path / "r.docx")
    assert made.tables[0].rows[0].cells[0].paragraphs[1].text == "CÔNG ĐOÀN NGÀNH THỬ NGHIỆM"
    assert made.tables[0].rows[1].cells[0].text == "Số:      /BC-CĐN"
    texts = [p.text for p in made.paragraphs if p.text]
    assert texts[1:3] == ["Kết quả gửi tin bài", "năm 2024 của Liên đoàn Lao động tỉnh Thử Nghiệm"]
    assert "Còn 3 đơn vị chưa đạt." in texts
    recipients, signature = made.tables[-1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- Thường trực LĐLĐ tỉnh;", "- Lưu: VT."]
    assert signature.paragraphs[-1].text == "Nguyễn Văn An" and signature.paragraphs[-1].runs[0].bold
    assert SIGN_HINT not in [p.text for p in signature.paragraphs]


HOSTILE = "mo_dau: \"{{ ''.__class__.__mro__ }}\"\nket_thuc: \"{% include '/etc/passwd' %}\"\n"


def test_hostile_texts_stop_the_report_and_check_tells_them(site, tmp_path):
    prepare(site, channels=False)
    site.write("mau-van-ban/bao-cao.yml", HOSTILE)
    env = {"SOURCE_DATE_EPOCH": epoch(NOW), "PATH": "/usr/bin:/bin"}
    out = tmp_path / "r.docx"
    result = subprocess.run([sys.executable, "-m", "invoke", "report", "--content", str(site.content), "--year", "2024",
                             "--format", "docx", "--output", str(out)], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    printed = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in printed and not out.exists()
    assert "mau-van-ban/bao-cao.yml:1: lỗi E707:" in printed and "mau-van-ban/bao-cao.yml:2: lỗi E706:" in printed
    assert "root:" not in printed
    found = [(p.path, p.line, p.code) for p in check(site.content, NOW).problems]
    assert found == [("mau-van-ban/bao-cao.yml", 1, "E707"), ("mau-van-ban/bao-cao.yml", 2, "E706")]


def test_a_text_that_fails_to_render_stops_the_report(site, tmp_path):
    prepare(site, channels=False)
    site.write("mau-van-ban/bao-cao.yml", "mo_dau: \"{{ ky - 1 }}\"\n")
    with pytest.raises(ReportError, match="mau-van-ban/bao-cao.yml:1: lỗi E710"):
        run(site.content, 2024, None, "docx", tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()


def test_docx_needs_an_output_file(site):
    prepare(site, channels=False)
    with pytest.raises(ReportError, match="docx cần --output"):
        run(site.content, 2024, None, "docx", None)


def test_the_sample_texts_load_without_problems():
    texts, problems = load_report_texts(ROOT / "content")
    assert problems == [] and not texts["mo_dau"].is_default and not texts["noi_nhan"].is_default
