"""The shared document foundation (plugins.documents): numbers in words, the page, the
blocks of an administrative document, deterministic bytes, and board-editable texts
with hostile wording refused at a file and line."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from plugins.documents import core
from plugins.documents.metrics import widest_line_mm, width_mm
from plugins.documents.templates import load_texts, render

MADE = dt.datetime(2026, 12, 5, 1, 30, tzinfo=dt.timezone.utc)  # 08:30 in Hà Nội
HEAD = core.Letterhead("TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ SƠN", "Số:      /BC-LĐLĐ", "Hà Sơn")


@pytest.mark.parametrize("amount, words", [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (55, "Năm mươi lăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (2_005_000, "Hai triệu không trăm linh năm nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (2_000_021_014, "Hai tỷ không trăm hai mươi mốt nghìn không trăm mười bốn đồng"),
    (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
])
def test_amount_in_words(amount, words):
    assert core.amount_in_words(amount) == words


def test_negative_amounts_have_no_words():
    with pytest.raises(ValueError):
        core.amount_in_words(-1)


@pytest.mark.parametrize("n, text", [(0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567"), (-4500, "-4.500")])
def test_number_vi(n, text):
    assert core.number_vi(n) == text


def test_cells_write_numbers_the_vietnamese_way():
    assert [core.cell_text(v) for v in (1234, 85.25, 100.0, None, "Đạt")] == ["1.234", "85,2", "100,0", "", "Đạt"]


@pytest.mark.parametrize("day, text", [(dt.date(2026, 12, 5), "Hà Sơn, ngày 05 tháng 12 năm 2026"),
                                       (dt.date(2026, 2, 15), "Hà Sơn, ngày 15 tháng 02 năm 2026"),
                                       (dt.date(2026, 3, 1), "Hà Sơn, ngày 01 tháng 3 năm 2026")])
def test_the_date_line_follows_the_decree(day, text):
    assert core.date_line("Hà Sơn", day) == text


def sample_document() -> docx.document.Document:
    doc = core.new_document()
    core.add_letterhead(doc, HEAD, dt.date(2026, 12, 5))
    core.add_title(doc, "BÁO CÁO", "Kết quả thực hiện chỉ tiêu tin bài\ntrên Cổng thông tin điện tử năm 2025")
    core.add_heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    core.add_paragraph(doc, "Trong năm 2025, các đơn vị đã gửi tin bài đều đặn.")
    core.add_table(doc, ["Đơn vị", "Số tin bài", "Tỷ lệ (%)"], [["Ban Tuyên giáo", 1234, 85.5], ["CĐ Y tế", 5, None]],
                   total=["Tổng cộng", 1239, None], widths_mm=[95, 35, 35], numeric={1, 2})
    core.add_landscape_section(doc)
    core.add_table(doc, ["Đơn vị", "Website", "Fanpage"], [["Ban Tuyên giáo", 1, 2]], numeric={1, 2})
    core.add_portrait_section(doc)
    core.add_closing(doc, ["Ban Tuyên giáo TLĐ", "Thường trực LĐLĐ tỉnh", "Lưu: VT"], "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
                     "Nguyễn Văn An")
    return doc


def reopened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_the_page_is_a4_with_the_decree_margins_and_the_landscape_section():
    doc = reopened(core.to_bytes(sample_document(), MADE, "Báo cáo"))
    first, wide, back = doc.sections
    for section, landscape in ((first, False), (wide, True), (back, False)):
        size = (round(section.page_width / Mm(1)), round(section.page_height / Mm(1)))
        assert size == ((297, 210) if landscape else (210, 297))
        assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
        margins = [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                              section.right_margin)]
        assert margins == [20, 20, 30, 15]
        assert 20 <= margins[0] <= 25 and 20 <= margins[1] <= 25 and 30 <= margins[2] <= 35 and 15 <= margins[3] <= 20
    # the page number at the top from page 2: the first page's header is empty
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml and not first.first_page_header.paragraphs[0].text


def test_times_new_roman_for_every_script_in_the_styles_and_the_runs():
    doc = reopened(core.to_bytes(sample_document(), MADE, "Báo cáo"))
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(14) and normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert not any(k.endswith("Theme") for k in fonts.attrib)
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    assert all(r._r.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman" for r in runs)
    body = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert all((r.font.size or normal.font.size) >= Pt(13) for r in body)


def test_the_letterhead_title_table_and_closing():
    doc = reopened(core.to_bytes(sample_document(), MADE, "Báo cáo"))
    head, figures, wide, closing = doc.tables
    left, right = head.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ SƠN", ""]
    assert left.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None  # the short line under the issuer
    assert [p.text for p in right.paragraphs] == [core.NATION, core.MOTTO, ""]
    assert not right.paragraphs[1].runs[0].underline and left.paragraphs[1].runs[0].bold  # a line below, not underlined
    assert head.rows[1].cells[0].text == "Số:      /BC-LĐLĐ"
    when = head.rows[1].cells[1].paragraphs[0]
    assert when.text == "Hà Sơn, ngày 05 tháng 12 năm 2026" and when.runs[0].italic
    assert "w:tblBorders" not in head._tbl.xml
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:4] == ["BÁO CÁO", "Kết quả thực hiện chỉ tiêu tin bài", "trên Cổng thông tin điện tử năm 2025",
                         "I. KẾT QUẢ THỰC HIỆN"]
    title = doc.paragraphs[[p.text for p in doc.paragraphs].index("BÁO CÁO")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    body = doc.paragraphs[[p.text for p in doc.paragraphs].index(texts[4])]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and body.paragraph_format.first_line_indent > 0
    cells = [[c.text for c in row.cells] for row in figures.rows]
    assert cells == [["Đơn vị", "Số tin bài", "Tỷ lệ (%)"], ["Ban Tuyên giáo", "1.234", "85,5"], ["CĐ Y tế", "5", ""],
                     ["Tổng cộng", "1.239", ""]]
    assert figures.style.name == "Table Grid"
    assert figures.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert figures.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert all(r.bold for c in figures.rows[-1].cells for r in c.paragraphs[0].runs)
    assert [round(c.width / Mm(1)) for c in figures.rows[0].cells] == [95, 35, 35]
    recipients, signature = closing.rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- Ban Tuyên giáo TLĐ;", "- Thường trực LĐLĐ tỉnh;",
                                                      "- Lưu: VT."]
    assert all(r.font.size <= Pt(12) for p in recipients.paragraphs for r in p.runs)
    lines = [p.text for p in signature.paragraphs]
    assert lines[:2] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"] and lines[-1] == "Nguyễn Văn An" and "" in lines[2:-1]


def test_the_same_content_gives_the_same_bytes_and_the_properties_come_from_now():
    first = core.to_bytes(sample_document(), MADE, "Báo cáo", "Chỉ tiêu tin bài", "LĐLĐ tỉnh Hà Sơn")
    second = core.to_bytes(sample_document(), MADE, "Báo cáo", "Chỉ tiêu tin bài", "LĐLĐ tỉnh Hà Sơn")
    assert first == second
    other = core.to_bytes(sample_document(), MADE + dt.timedelta(days=1), "Báo cáo")
    assert other != first
    props = reopened(first).core_properties
    assert (props.created, props.modified, props.last_printed) == (MADE, MADE, MADE)
    assert (props.revision, props.language, props.title, props.author) == (1, "vi-VN", "Báo cáo", "LĐLĐ tỉnh Hà Sơn")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert not [i.filename for i in infos if "thumbnail" in i.filename]  # not python-docx's picture of a blank page
    assert {i.date_time for i in infos} == {(2026, 12, 5, 8, 30, 0)}


def test_signatures_side_by_side():
    doc = core.new_document(page_numbers=False)
    core.add_signatures(doc, [core.Signature("NGƯỜI LẬP BIỂU"), core.Signature("KẾ TOÁN"),
                              core.Signature("THỦ TRƯỞNG ĐƠN VỊ", "Trần Thị Bình")])
    row = reopened(core.to_bytes(doc, MADE, "Danh sách")).tables[0].rows[0]
    assert [c.paragraphs[0].text for c in row.cells] == ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert row.cells[2].paragraphs[-1].text == "Trần Thị Bình"


# --- Board-editable texts ---------------------------------------------------------------------------

NAMES = {"mo_dau": "Trong {{ ky }}, các đơn vị đăng {{ tong_tin_bai }} tin bài.", "noi_nhan": "Lưu: VT"}
ALLOWED = {"mo_dau": {"ky", "nam", "tong_tin_bai"}}
VALUES = {"ky": "6 tháng đầu năm 2025", "nam": "2025", "tong_tin_bai": 1234}
LABEL = "mau-van-ban/bao-cao.yml"


def texts_of(tmp_path: Path, text: str | bytes):
    path = tmp_path / "bao-cao.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_texts(path, NAMES, ALLOWED, label=LABEL, root=tmp_path)


def test_a_missing_file_gives_the_bundled_texts(tmp_path):
    texts, problems = load_texts(tmp_path / "khong-co.yml", NAMES, ALLOWED)
    assert problems == [] and texts["mo_dau"].is_default
    assert render(texts["mo_dau"], VALUES) == "Trong 6 tháng đầu năm 2025, các đơn vị đăng 1.234 tin bài."


def test_the_board_wording_with_allowed_blanks_if_and_filters(tmp_path):
    texts, problems = texts_of(tmp_path, 'mo_dau: |\n  Năm {{ nam }}: {{ tong_tin_bai }} tin bài\n'
                                         '  {% if tong_tin_bai > 1000 %}vượt{% else %}chưa đạt{% endif %} ({{ ky|upper }})\n'
                                         'noi_nhan:\n  - Ban Tuyên giáo TLĐ\n  - "Lưu: VT"\n')
    assert problems == []
    assert render(texts["mo_dau"], VALUES) == "Năm 2025: 1.234 tin bài\nvượt (6 THÁNG ĐẦU NĂM 2025)"
    assert render(texts["noi_nhan"], {}) == "Ban Tuyên giáo TLĐ\nLưu: VT"
    assert texts["mo_dau"].line == 2 and not texts["mo_dau"].is_default


@pytest.mark.parametrize("text, line, code, words", [
    ('mo_dau: "Trong {{ kyy }}"', 1, "E705", "'kyy' không có sẵn; các chỗ trống dùng được: ky, nam, tong_tin_bai"),
    ('noi_nhan: "{{ ky }}"', 1, "E705", "văn bản này không có chỗ trống nào"),
    ("mo_dau: |\n  dòng một\n  dòng hai {{ ky }\n", 3, "E704", "lỗi cú pháp trong văn bản 'mo_dau'"),
    ('mo_dau: "{% if ky %}chưa đóng"', 1, "E704", "mỗi {% if %} cần một {% endif %}"),
    ("mo_dau: \"{{ ''.__class__.__mro__ }}\"", 1, "E707", "dấu chấm sau tên"),
    ("mo_dau: \"{{ ky['__class__'] }}\"", 1, "E707", "dấu [ ] sau tên"),
    ("mo_dau: \"{% include '/etc/passwd' %}\"", 1, "E706", "{% include %}"),
    ("mo_dau: \"{% import 'x.html' as x %}\"", 1, "E706", "{% import %}"),
    ("mo_dau: \"{% from 'x.html' import y %}\"", 1, "E706", "{% from … import %}"),
    ("mo_dau: \"{% extends '/etc/passwd' %}\"", 1, "E706", "{% extends %}"),
    ("mo_dau: \"{{ range(10**9)|list }}\"", 1, "E708", "'|list'"),
    ("mo_dau: |\n  x\n  {% for i in ky %}{% for j in ky %}{{ i }}{% endfor %}{% endfor %}\n", 3, "E706", "{% for %}"),
    ("mo_dau: \"{% set a = ky ~ ky %}{{ a }}\"", 1, "E706", "{% set %}"),
    ("mo_dau: \"{{ 'x' * 10**9 }}\"", 1, "E707", "phép nhân"),
    ("mo_dau: \"{{ ky|center(1000000000) }}\"", 1, "E708", "'|center'"),
    ("mo_dau: \"{{ lipsum() }}\"", 1, "E707", "lời gọi hàm"),
    ("mo_dau: \"{{ ky|default(ky.__class__) }}\"", 1, "E708", "'|default'"),
    ("mo_daux: Chào", 1, "E702", "không có văn bản nào tên 'mo_daux'; các tên dùng được: mo_dau, noi_nhan."),
    ("noi_nhan: Chào\nmo_dau: [1, {a: 2}]", 2, "E703", "'mo_dau' phải là một đoạn chữ"),
    ("mo_dau: 2025-01-01", 1, "E703", "không phải một ngày"),
    ("- mo_dau\n- noi_nhan\n", 1, "E701", "không phải một danh sách"),
    ("Đây không phải YAML", 1, "E701", "không phải một đoạn chữ"),
    ("mo_dau: [\n", 2, "E417", "lỗi cú pháp YAML"),
    (b"\xff\xfem\x00o\x00", 1, "E409", "không ở mã UTF-8"),
    ("mo_dau: " + "x" * 10_001, 1, "E709", "quá dài"),
    ('mo_dau: "{{ ' + "(" * 3000 + "ky" + ")" * 3000 + ' }}"', 1, "E713", "ngoặc lồng nhau quá sâu"),
    ('mo_dau: "{{ ' + "not " * 2000 + 'ky }}"', 1, "E713", "ngoặc lồng nhau quá sâu"),
    ('mo_dau: "{{ ' + "9" * 5000 + ' }}"', 1, "E713", "một số quá dài"),
])
def test_wrong_and_hostile_wording_is_refused_at_its_line(tmp_path, text, line, code, words):
    texts, problems = texts_of(tmp_path, text)
    assert [(p.path, p.line, p.code) for p in problems] == [(LABEL, line, code)], problems
    assert words in problems[0].message
    # the bundled text is used instead, and nothing leaks into it
    assert render(texts["mo_dau"], VALUES) == "Trong 6 tháng đầu năm 2025, các đơn vị đăng 1.234 tin bài."


def test_a_render_failure_falls_back_to_the_default_with_a_problem(tmp_path):
    texts, problems = texts_of(tmp_path, 'mo_dau: "{{ ky - 1 }}"')
    assert problems == []
    found = []
    assert render(texts["mo_dau"], VALUES, found) == "Trong 6 tháng đầu năm 2025, các đơn vị đăng 1.234 tin bài."
    assert [(p.path, p.line, p.code) for p in found] == [(LABEL, 1, "E710")]
    texts, problems = texts_of(tmp_path, 'noi_nhan: Ban Tuyên giáo\nmo_dau: "{{ -ky }}"')
    assert problems == [] and render(texts["mo_dau"], VALUES, found).startswith("Trong 6 tháng")
    assert [(p.line, p.code) for p in found] == [(1, "E710"), (2, "E710")]


def test_a_folder_linked_outside_the_content_is_not_read(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bao-cao.yml").write_text('mo_dau: "bí mật"', encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "mau-van-ban").symlink_to(outside, target_is_directory=True)
    texts, problems = load_texts(content / "mau-van-ban" / "bao-cao.yml", NAMES, ALLOWED, label=LABEL, root=content)
    assert [(p.line, p.code) for p in problems] == [(1, "E712")] and texts["mo_dau"].is_default


def test_a_linked_file_is_not_read(tmp_path):
    secret = tmp_path / "bi-mat.yml"
    secret.write_text('mo_dau: "bí mật"', encoding="utf-8")
    (tmp_path / "bao-cao.yml").symlink_to(secret)
    texts, problems = load_texts(tmp_path / "bao-cao.yml", NAMES, ALLOWED, label=LABEL, root=tmp_path)
    assert [p.code for p in problems] == ["E405"] and texts["mo_dau"].is_default


# --- The short lines, the signature, the tables' room ----------------------------------------------

def rule_mm(paragraph, room_mm: float) -> float:
    """The length of the solid line a paragraph's bottom border draws, centred in ``room_mm``."""
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    bottom = borders.find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single" and int(bottom.get(qn("w:sz"))) > 0
    fmt = paragraph.paragraph_format
    assert fmt.left_indent == fmt.right_indent  # centred
    assert not paragraph.text
    return room_mm - 2 * fmt.left_indent / Mm(1)


def test_the_lines_under_the_issuer_the_motto_and_the_subject():
    doc = reopened(core.to_bytes(sample_document(), MADE, "Báo cáo"))
    left, right = doc.tables[0].rows[0].cells
    margins = 2 * core.DEFAULT_CELL_MARGIN_MM
    issuer = width_mm(HEAD.issuer, core.TABLE_PT, bold=True)
    room = left.width / Mm(1) - margins
    wrapped = width_mm("LIÊN ĐOÀN LAO ĐỘNG", core.TABLE_PT, bold=True)  # the name's first, wider line in the block
    assert wrapped / 3 <= rule_mm(left.paragraphs[2], room) <= wrapped / 2
    room = right.width / Mm(1) - margins
    assert rule_mm(right.paragraphs[2], room) == pytest.approx(width_mm(core.MOTTO, core.BODY_PT, bold=True), abs=0.1)
    assert 55 < width_mm(core.MOTTO, core.BODY_PT, bold=True) < 65 and issuer > room / 2
    paragraphs = doc.paragraphs
    subject = [p.text for p in paragraphs].index("trên Cổng thông tin điện tử năm 2025")
    line = width_mm(paragraphs[subject].text, core.BODY_PT, bold=True)
    assert line / 3 <= rule_mm(paragraphs[subject + 1], core.text_width_mm(doc)) <= line / 2
    assert paragraphs[subject + 1].paragraph_format.space_after == Pt(12)


def test_a_long_name_is_measured_on_its_widest_wrapped_line():
    one = width_mm("LIÊN ĐOÀN LAO ĐỘNG", 13, bold=True)
    assert widest_line_mm("LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ SƠN", 13, True, 60) == pytest.approx(one)
    assert widest_line_mm("CÔNG ĐOÀN", 13, True, 60) == pytest.approx(width_mm("CÔNG ĐOÀN", 13, bold=True))
    assert widest_line_mm("X" * 200, 13, True, 60) == 60 and widest_line_mm("", 13, True, 60) == 0


def test_vietnamese_letters_measure_as_their_base_letters():
    assert width_mm("Độc lập - Tự do", 14, bold=True) == width_mm("Doc lap - Tu do", 14, bold=True)
    assert width_mm("MM", 10) == pytest.approx(2 * width_mm("M", 10))
    assert width_mm("M", 10) == pytest.approx(889 / 1000 * 10 * 25.4 / 72)  # Times New Roman's "M"
    assert width_mm("abc", 12, bold=True) > width_mm("abc", 12)


def test_the_signature_leaves_room_then_the_name_or_a_placeholder():
    doc = core.new_document(page_numbers=False)
    core.add_closing(doc, ["Lưu: VT"], "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", "Nguyễn Văn An")
    core.add_closing(doc, ["Lưu: VT"], "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", "  ")
    named, blank = (reopened(core.to_bytes(doc, MADE, "Báo cáo")).tables[n].rows[0].cells[1] for n in (0, 1))
    lines = [p.text for p in named.paragraphs]
    assert lines == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "", "", "", "", "Nguyễn Văn An"]
    assert 3 <= core.SIGNATURE_LINES <= 4 and named.paragraphs[-1].runs[0].bold
    assert [p.text for p in blank.paragraphs] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", core.SIGN_HINT, "", "", "", "",
                                                  core.NAME_BLANK]
    assert blank.paragraphs[2].runs[0].italic and core.SIGN_HINT == "(Ký tên, đóng dấu)"
    assert set(core.NAME_BLANK) == {"…"}


def test_the_recipients_block_is_in_the_customary_type():
    doc = reopened(core.to_bytes(sample_document(), MADE, "Báo cáo"))
    recipients = doc.tables[-1].rows[0].cells[0].paragraphs
    heading = recipients[0].runs[0]
    assert (heading.text, heading.bold, heading.italic, heading.font.size) == ("Nơi nhận:", True, True, Pt(12))
    items = [p.runs[0] for p in recipients[1:]]
    assert all(r.font.size == Pt(11) and not r.bold and not r.italic for r in items)
    assert all(r.text.startswith("- ") and r.text.endswith(";") for r in items[:-1]) and items[-1].text == "- Lưu: VT."
    # the closing sentence before it is kept on the signature's page
    assert doc.paragraphs[[p._p for p in doc.paragraphs].index(doc.tables[-1]._tbl.getprevious())].paragraph_format \
        .keep_with_next


def test_tables_leave_little_room_in_cells_and_centre_a_dash():
    doc = core.new_document()
    core.add_table(doc, ["Đơn vị", "Chỉ tiêu"], [["Ban Tuyên giáo", core.NO_VALUE], ["CĐ Y tế", 12]], numeric={1})
    table = reopened(core.to_bytes(doc, MADE, "Bảng")).tables[0]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert {m.tag.split("}")[1]: int(m.get(qn("w:w"))) for m in margins} == {"left": 57, "right": 57}  # 1 mm
    dash, figure = table.rows[1].cells[1].paragraphs[0], table.rows[2].cells[1].paragraphs[0]
    assert (dash.text, dash.alignment) == ("—", WD_ALIGN_PARAGRAPH.CENTER)
    assert (figure.text, figure.alignment) == ("12", WD_ALIGN_PARAGRAPH.RIGHT)
