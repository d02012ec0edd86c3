"""`royalties` end to end on a small content folder: the list for a month in every format, read
back (openpyxl, python-docx) and compared with figures worked out by hand; what never counts
(drafts, scheduled and refused items, reprints, the next month); `--keep-going`; the same
bytes twice; and `check`'s warnings for people not in authors.yml."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import textwrap

import pytest

from plugins.royalties.cli import RoyaltyError, period_of, run
from plugins.tools.check import check
from support import NOW, ROOT, Site, epoch

RATES = """\
    decisions:
      - from: 1/1/2025
        decision: Quyết định 319/QĐ-LĐLĐ
        default_grade: none
        rates:
          A: {tin: 300000, bai: "1.200.000", anh: 500000}
          B: {tin: 200000, bai: "700 000"}
        photo: "150 000"
        reprint: 0%
        co_authors: equal
        tax: {rate: 10%, from_amount: 2000000}
    """
AUTHORS = """\
    authors:
      - id: nguyen-van-an
        name: Nguyễn Văn An
        unit: cd-giao-duc
        pen_names: [Văn An]
      - id: tran-thi-binh
        name: Trần Thị Bình
        unit: ban-tuyen-giao
      - id: le-hoa
        name: Lê Hòa
        unit: ldld-tinh
    """
BASE = {"Unit": "cd-giao-duc", "Category": "tin-hoat-dong"}
# Hand-computed, May 2025 (local days):
#   mot.md   bai A 1.200.000 to An (written "Nguyễn văn An"); photos 150.000 to Lê Hòa
#   hai.md   tin B 200.000 shared by An and Bình: 100.000 each
#   ba.md    bai A 1.200.000 to An (pen name "Văn An"), 31/5 23:30 local
#   An: 2.500.000, tax 10% = 250.000, net 2.250.000; Bình 100.000; Lê Hòa 150.000
#   Total 2.750.000, tax 250.000, net 2.500.000
AN, BINH, HOA = (2500000, 250000, 2250000), (100000, 0, 100000), (150000, 0, 150000)
TOTAL = (2750000, 250000, 2500000)
IN_WORDS = "Hai triệu năm trăm nghìn đồng"


@pytest.fixture
def folder(site: Site, monkeypatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    site.write("nhuan-but.yml", textwrap.dedent(RATES))
    site.write("authors.yml", textwrap.dedent(AUTHORS))
    article = lambda name, header: site.article(f"2025/{name}", {**BASE, **header})  # noqa: E731
    article("mot.md", {"Title": "Bài một", "Date": "5/5/2025 08:00", "Type": "bai", "Author": "Nguyễn văn An",
                       "Royalty": "A", "Photographer": "Lê Hòa"})
    article("hai.md", {"Title": "Tin hai", "Date": "12/5/2025 09:00", "Author": "Nguyễn Văn An, Trần Thị Bình",
                       "Nhuận bút": "b"})
    article("ba.md", {"Title": "Bài ba", "Date": "31/5/2025 23:30", "Type": "bai", "Author": "Văn An",
                      "Royalty": "A"})
    article("thang-sau.md", {"Title": "Tin tháng sau", "Date": "1/6/2025 00:30", "Author": "Văn An", "Royalty": "A"})
    article("nhap.md", {"Title": "Bản nháp", "Date": "6/5/2025", "Author": "Văn An", "Royalty": "A",
                        "Status": "draft"})
    article("dang-lai.md", {"Title": "Đăng lại", "Date": "7/5/2025", "Author": "Văn An", "Royalty": "A",
                            "Source": "https://laodong.vn/bai-goc.html"})
    article("khong-muc.md", {"Title": "Không mức", "Date": "8/5/2025", "Author": "Trần Thị Bình"})
    article("hen-gio.md", {"Title": "Hẹn giờ", "Date": "1/12/2026 08:00", "Author": "Văn An", "Royalty": "A"})
    return site


def made(folder: Site, tmp_path, fmt: str, month: str = "2025-05", **kwargs):
    out = tmp_path / f"list.{fmt}"
    run(folder.content, period_of(month, None, None), fmt, out, **kwargs)
    return out


def test_the_csv_has_every_amount_worked_out_by_hand(folder, tmp_path):
    rows = list(csv.reader(io.StringIO(made(folder, tmp_path, "csv").read_bytes().decode("utf-8-sig"))))
    heading = rows[0]
    col = {name: heading.index(name) for name in ("Họ và tên", "Tác phẩm", "Số tiền (đồng)", "Thực nhận (đồng)",
                                                   "Thuế TNCN khấu trừ (đồng)", "Tỷ lệ hưởng", "Mức", "Ngày đăng")}
    works = [(r[col["Họ và tên"]], r[col["Tác phẩm"]], r[col["Mức"]], r[col["Tỷ lệ hưởng"]],
              int(r[col["Số tiền (đồng)"]])) for r in rows[1:] if r[col["Tác phẩm"]]]
    assert works == [("Lê Hòa", "Bài một", "", "100%", 150000),
                     ("Nguyễn Văn An", "Bài một", "A", "100%", 1200000),
                     ("Nguyễn Văn An", "Tin hai", "B", "50%", 100000),
                     ("Nguyễn Văn An", "Bài ba", "A", "100%", 1200000),
                     ("Trần Thị Bình", "Tin hai", "B", "50%", 100000)]
    totals = {r[col["Họ và tên"]]: tuple(int(r[col[k]]) for k in ("Số tiền (đồng)", "Thuế TNCN khấu trừ (đồng)",
                                                                   "Thực nhận (đồng)"))
              for r in rows[1:] if not r[col["Tác phẩm"]]}
    assert totals == {"Cộng: Lê Hòa": HOA, "Cộng: Nguyễn Văn An": AN, "Cộng: Trần Thị Bình": BINH,
                      "Tổng cộng": TOTAL}
    assert rows[5][col["Tác phẩm"]] == "Bài ba" and rows[5][col["Ngày đăng"]] == "31/5/2025"


def test_the_xlsx_reads_back_the_same_figures_and_is_the_same_twice(folder, tmp_path):
    from openpyxl import load_workbook

    path = made(folder, tmp_path, "xlsx")
    first = path.read_bytes()
    assert made(folder, tmp_path, "xlsx").read_bytes() == first
    sheet = load_workbook(path).active
    assert sheet["A2"].value == "DANH SÁCH CHI TRẢ NHUẬN BÚT THÁNG 5/2025"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    names = rows[header]
    amount, tax, net = (names.index(h) for h in ("Số tiền (đồng)", "Thuế TNCN khấu trừ (đồng)", "Thực nhận (đồng)"))
    totals = {r[1]: (r[amount], r[tax], r[net]) for r in rows[header + 1:]
              if r[1] and r[1].startswith(("Cộng", "Tổng"))}
    assert totals["Cộng: Nguyễn Văn An"] == AN and totals["Tổng cộng"] == TOTAL
    assert sheet.cell(header + 2, amount + 1).number_format == "#,##0"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4


def test_the_docx_is_a_payment_list_to_sign_with_the_figures_by_hand(folder, tmp_path):
    import docx

    path = made(folder, tmp_path, "docx")
    first = path.read_bytes()
    assert made(folder, tmp_path, "docx").read_bytes() == first
    doc = docx.Document(str(path))
    page = doc.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)] == \
        [20, 20, 30, 15]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)
    runs = {r.font.name for p in doc.paragraphs for r in p.runs}
    assert runs == {"Times New Roman"}
    text = [p.text for p in doc.paragraphs if p.text.strip()]
    assert text[0] == "DANH SÁCH CHI TRẢ NHUẬN BÚT THÁNG 5/2025"
    assert "(theo Quyết định 319/QĐ-LĐLĐ)" in text
    assert f"Tổng số tiền thực nhận: 2.500.000 đồng. Bằng chữ: {IN_WORDS}." in text
    # No texts of the board's: the letterhead is the top unit's, as the quota report's is.
    head = [[c.text.strip() for c in row.cells] for row in doc.tables[0].rows]
    assert head == [["TỔNG LĐLĐ VIỆT NAM\nLIÊN ĐOÀN LAO ĐỘNG TỈNH THỬ NGHIỆM",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
                    ["Số:      /DS-LĐLĐ", "Thử Nghiệm, ngày 22 tháng 11 năm 2026"]]
    summary = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert summary[0] == ["STT", "Họ và tên", "Đơn vị", "Số tác phẩm", "Nhuận bút (đồng)", "Thuế TNCN (đồng)",
                          "Thực nhận (đồng)", "Ký nhận"]
    assert summary[1:] == [
        ["1", "Lê Hòa", "Liên đoàn Lao động tỉnh Thử Nghiệm", "1", "150.000", "0", "150.000", ""],
        ["2", "Nguyễn Văn An", "Công đoàn ngành Giáo dục", "3", "2.500.000", "250.000", "2.250.000", ""],
        ["3", "Trần Thị Bình", "Ban Tuyên giáo", "1", "100.000", "0", "100.000", ""],
        ["", "Tổng cộng", "", "5", "2.750.000", "250.000", "2.500.000", ""]]
    details = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert [row[3:] for row in details[1:]] == [
        ["Bài một", "Bài viết – ảnh", "", "100%", "150.000"],
        ["Bài một", "Bài viết", "A", "100%", "1.200.000"],
        ["Tin hai", "Tin", "B", "50%", "100.000"],
        ["Bài ba", "Bài viết", "A", "100%", "1.200.000"],
        ["Tin hai", "Tin", "B", "50%", "100.000"],
        ["", "", "", "", "2.750.000"]]
    signatures = [c.text.split("\n")[0] for c in doc.tables[3].rows[0].cells]
    assert signatures == ["Người lập biểu", "Kế toán", "Thủ trưởng đơn vị"]
    # The maker and the accountant sign; the head signs and seals.
    hints = [c.text.split("\n")[1] for c in doc.tables[3].rows[0].cells]
    assert hints == ["(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"]
    assert len(doc.paragraphs[-1].text) == 0 and doc.paragraphs[-1].runs[0].font.size.pt == 1
    assert doc.core_properties.language == "vi-VN"


def test_the_boards_texts_word_the_payment_list(folder, tmp_path):
    import docx

    folder.write("mau-van-ban/nhuan-but.yml", textwrap.dedent("""\
        co_quan_cap_tren: TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM
        dia_danh: Pleiku
        ten_loai: BẢNG KÊ CHI NHUẬN BÚT {{ ky|upper }}
        nguoi_ky: |
          Người lập biểu | Lê Hòa
          KT. CHỦ TỊCH / PHÓ CHỦ TỊCH | Trần Văn Cường
        """))
    doc = docx.Document(str(made(folder, tmp_path, "docx")))
    head = [[c.text.strip() for c in row.cells] for row in doc.tables[0].rows]
    assert head[0][0] == "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM\nLIÊN ĐOÀN LAO ĐỘNG TỈNH THỬ NGHIỆM"
    assert head[1][1] == "Pleiku, ngày 22 tháng 11 năm 2026"
    assert [p.text for p in doc.paragraphs if p.text.strip()][0] == "BẢNG KÊ CHI NHUẬN BÚT THÁNG 5/2025"
    signers = [[line for line in c.text.split("\n") if line.strip()] for c in doc.tables[-1].rows[0].cells]
    assert signers == [["Người lập biểu", "Lê Hòa"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Cường"]]


def test_a_hostile_text_stops_the_list_and_check_names_it(folder, tmp_path):
    folder.write("mau-van-ban/nhuan-but.yml", "ten_loai: \"{{ ''.__class__.__mro__ }}\"\n")
    out = tmp_path / "list.docx"
    with pytest.raises(RoyaltyError) as refused:
        run(folder.content, period_of("2025-05", None, None), "docx", out)
    assert "mau-van-ban/nhuan-but.yml:1: lỗi E7" in str(refused.value)
    assert not out.exists()
    found = check(folder.content, NOW)
    assert any(p.path == "mau-van-ban/nhuan-but.yml" and p.line == 1 for p in found.problems)


def test_the_table_lists_the_people_and_the_totals(folder, tmp_path):
    text = made(folder, tmp_path, "table").read_text(encoding="utf-8")
    assert "Nhuận bút – tháng 5/2025 (từ 1/5/2025 đến 31/5/2025)" in text
    assert "2.500.000" in text and "250.000" in text and "2.250.000" in text
    assert "Tin tháng sau" not in text and "Bản nháp" not in text and "Đăng lại" not in text


def test_scheduled_items_never_count(folder, tmp_path):
    rows = list(csv.reader(io.StringIO(made(folder, tmp_path, "csv", "2026-12").read_bytes().decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["Tổng cộng"]


def test_an_item_with_errors_stops_the_list_unless_keep_going(folder, tmp_path, capsys):
    folder.article("2025/loi.md", {**BASE, "Title": "Tin lỗi", "Date": "9/5/2025", "Unit": "khong-co",
                                   "Author": "Văn An", "Royalty": "A"})
    with pytest.raises(RoyaltyError) as failure:
        made(folder, tmp_path, "csv")
    assert "articles/2025/loi.md:1: lỗi E031:" in str(failure.value)
    made(folder, tmp_path, "csv", keep_going=True)
    rows = list(csv.reader(io.StringIO((tmp_path / "list.csv").read_bytes().decode("utf-8-sig"))))
    assert "Tin lỗi" not in {r[5] for r in rows}
    assert rows[-1][11:14] == [str(v) for v in TOTAL]
    assert "bài có lỗi không được tính" in capsys.readouterr().err


def test_keep_going_counts_the_last_good_version(folder, tmp_path):
    content = folder.content
    kept = folder.article("2025/giu.md", {**BASE, "Title": "Tin giữ bản cũ", "Date": "20/5/2025 10:00",
                                          "Author": "Trần Thị Bình", "Royalty": "B"})
    git = lambda *a: subprocess.run(["git", "-C", str(content), *a], check=True, capture_output=True,  # noqa: E731
                                    text=True, env={**os.environ, "GIT_AUTHOR_NAME": "BBT",
                                                    "GIT_AUTHOR_EMAIL": "b@example.vn", "GIT_COMMITTER_NAME": "BBT",
                                                    "GIT_COMMITTER_EMAIL": "b@example.vn"}).stdout
    git("init", "-q")
    blob = git("hash-object", "-w", str(kept)).strip()
    folder.write("urls.lock", f"# URL đã đăng\n2025/05/tin-giu-ban-cu/\tarticles/2025/giu.md\t{blob}\n")
    git("add", ".")
    git("commit", "-q", "-m", "Nội dung đã đăng")
    kept.write_text(kept.read_text(encoding="utf-8").replace("Unit: cd-giao-duc", "Unit: sai-ma"), encoding="utf-8")
    with pytest.raises(RoyaltyError):
        made(folder, tmp_path, "csv")
    made(folder, tmp_path, "csv", keep_going=True)
    rows = list(csv.reader(io.StringIO((tmp_path / "list.csv").read_bytes().decode("utf-8-sig"))))
    binh = next(r for r in rows if r[1] == "Cộng: Trần Thị Bình")
    assert binh[11:14] == ["300000", "0", "300000"]  # 100.000 + the kept version's B tin, 200.000


def test_check_warns_of_people_not_in_the_registry_with_a_suggestion(folder):
    folder.article("2025/la.md", {**BASE, "Title": "Tên không dấu", "Date": "3/4/2025", "Author": "Nguyen Van An",
                                  "Photographer": "Le Hoa, Người Mới", "Royalty": "Z"})
    folder.article("2025/khong-tac-gia.md", {**BASE, "Title": "Không tác giả", "Date": "4/4/2025", "Royalty": "A"})
    found = check(folder.content, NOW)
    lines = [str(p) for p in found.problems if p.path.startswith("articles/2025/")]
    assert lines == [
        "articles/2025/khong-tac-gia.md:5: cảnh báo W603: có 'Royalty' nhưng thiếu 'Author' nên không biết trả "
        "nhuận bút cho ai; hãy thêm dòng 'Author: <họ tên>'",
        "articles/2025/la.md:5: cảnh báo W601: 'Author': 'Nguyen Van An' không có trong authors.yml. Có phải ý "
        "bạn là 'Nguyễn Văn An'? Hãy ghi đúng họ tên, bút danh hoặc id trong authors.yml, hoặc nhờ Ban Biên tập "
        "thêm người này vào đó",
        "articles/2025/la.md:6: cảnh báo W602: 'Photographer': 'Le Hoa' không có trong authors.yml. Có phải ý "
        "bạn là 'Lê Hòa'? Hãy ghi đúng họ tên, bút danh hoặc id trong authors.yml, hoặc nhờ Ban Biên tập thêm "
        "người này vào đó",
        "articles/2025/la.md:6: cảnh báo W602: 'Photographer': 'Người Mới' không có trong authors.yml. Hãy ghi "
        "đúng họ tên, bút danh hoặc id trong authors.yml, hoặc nhờ Ban Biên tập thêm người này vào đó",
        "articles/2025/la.md:7: cảnh báo W610: mức nhuận bút 'Z' không có trong Quyết định 319/QĐ-LĐLĐ. Các mức: "
        "A, B; bài vẫn được đăng nhưng chưa được tính nhuận bút",
    ]
    assert found.errors == 0
    (folder.content / "authors.yml").unlink()
    assert not any(p.code in ("W601", "W602") for p in check(folder.content, NOW).problems)


def test_the_task_makes_the_list_and_explains_a_wrong_request(folder, tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    base = [sys.executable, "-m", "invoke", "royalties", "--content", str(folder.content)]
    done = subprocess.run([*base, "--month", "2025-05", "--format", "csv"], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert "\r\n,Tổng cộng,,,,,,,,,,2750000,250000,2500000," in done.stdout.decode("utf-8-sig")
    wrong = subprocess.run([*base, "--month", "2025-13"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert wrong.returncode == 1 and "tháng '2025-13' không hợp lệ" in wrong.stderr
    assert "Traceback" not in wrong.stdout + wrong.stderr
    no_file = subprocess.run([*base, "--year", "2025", "--format", "xlsx"], cwd=ROOT, env=env, capture_output=True,
                             text=True)
    assert no_file.returncode == 1 and "cần --output" in no_file.stderr


def test_without_a_rate_table_the_list_says_what_to_do(folder, tmp_path):
    (folder.content / "nhuan-but.yml").unlink()
    with pytest.raises(RoyaltyError, match="chưa có nhuan-but.yml"):
        made(folder, tmp_path, "csv")
    folder.write("nhuan-but.yml", "decisions:\n  - from: 1/1/2025\n    rates: {A: {tin: -1}}\n")
    with pytest.raises(RoyaltyError) as failure:
        made(folder, tmp_path, "csv", keep_going=True)
    assert "nhuan-but.yml:3: lỗi E610:" in str(failure.value)
