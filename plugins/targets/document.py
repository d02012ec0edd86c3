"""The half-year or yearly report as the Word document the board sends upward.

The layout is that of an administrative report (Decree 30/2020/NĐ-CP, as in the
provincial federations' own reports): the letterhead, "BÁO CÁO" and its subject,
then I. the figures per unit (the same lines as the XLSX, ``formats.lines``),
II. the units behind target, III. the campaigns and which units wrote for them,
IV. the share of digital products, V.–VI. the board's assessment and the tasks
ahead, "Nơi nhận" and the signature. Every text that is not a figure is the
board's to word: bundled defaults here, overridden by ``mau-van-ban/bao-cao.yml``
of the content folder (``plugins.documents.templates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from plugins.contract.dates import SITE_TZ, format_vi_date
from plugins.contract.problems import Problem
from plugins.contract.registry import WEBSITE, Registry
from plugins.documents import core as doc
from plugins.documents import letterhead
from plugins.documents.templates import Template, load_texts, render

from . import formats
from .core import Report, UnitRow
from .dashboard import Coverage, DigitalShare

TEMPLATE_FILE = "mau-van-ban/bao-cao.yml"
# The blanks every text may use; the README lists them with an example each.
BLANKS = frozenset({
    "ky", "nam", "tu_ngay", "den_ngay", "ngay_lap", "ten_don_vi", "tinh",
    "so_don_vi", "so_don_vi_dat", "so_don_vi_chua_dat", "tong_tin_bai", "tin_bai_tinh_chi_tieu",
    "so_chien_dich", "san_pham_so", "tong_san_pham", "ty_le_so", "muc_tieu_so", "nam_muc_tieu",
})
DEFAULTS = MappingProxyType({
    # The letterhead, the title and the signature.
    **letterhead.DEFAULTS,
    "so_ky_hieu": "Số:      /BC-LĐLĐ",
    "ten_loai": "BÁO CÁO",
    "trich_yeu": "Kết quả thực hiện chỉ tiêu tin bài trên Cổng thông tin điện tử\n{{ ky }}",
    "noi_nhan": "Ban Tuyên giáo Tổng LĐLĐ Việt Nam (để báo cáo)\nThường trực LĐLĐ tỉnh\n"
                "Các ban, đơn vị trực thuộc LĐLĐ tỉnh\nLưu: VT, Ban Tuyên giáo",
    "chuc_vu_ky": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
    "nguoi_ky": "",
    # The body.
    "mo_dau": "Thực hiện chỉ tiêu tin bài trên Cổng thông tin điện tử năm {{ nam }}, Ban Thường vụ "
              "{{ ten_don_vi }} báo cáo kết quả {{ ky }} (từ ngày {{ tu_ngay }} đến ngày {{ den_ngay }}) như sau:",
    "muc_1": "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU CỦA CÁC ĐƠN VỊ",
    "muc_1_loi_dan": "Trong {{ ky }}, các đơn vị đã đăng {{ tong_tin_bai }} tin bài, trong đó "
                     "{{ tin_bai_tinh_chi_tieu }} tin bài tính chỉ tiêu; {{ so_don_vi_dat }}/{{ so_don_vi }} đơn vị "
                     "có chỉ tiêu đạt chỉ tiêu được giao. Số liệu từng đơn vị (cột Tự đăng là tin bài của chính "
                     "đơn vị; Tổng số và Tính chỉ tiêu của đơn vị cấp trên đã gồm các đơn vị trực thuộc):",
    "muc_1_kenh": "Số tin bài của các đơn vị trên từng kênh {{ ky }}:",
    "muc_2": "II. CÁC ĐƠN VỊ CHƯA ĐẠT CHỈ TIÊU",
    "muc_2_loi_dan": "Có {{ so_don_vi_chua_dat }} đơn vị chưa đạt chỉ tiêu {{ ky }}:",
    "muc_2_khong_co": "Trong {{ ky }}, tất cả {{ so_don_vi }} đơn vị có chỉ tiêu đều đạt chỉ tiêu được giao, "
                      "không có đơn vị nào chưa đạt.",
    "muc_3": "III. TIN BÀI VỀ CÁC CHIẾN DỊCH TRUYỀN THÔNG",
    "muc_3_loi_dan": "Trong {{ ky }} có {{ so_chien_dich }} chiến dịch truyền thông; số công đoàn cấp trên trực "
                     "tiếp cơ sở và ban, văn phòng đã có tin bài về từng chiến dịch:",
    "muc_3_khong_co": "Trong {{ ky }} không có chiến dịch truyền thông nào.",
    "muc_3_tat_ca": "Tất cả đều có tin bài",
    "muc_4": "IV. SẢN PHẨM TRUYỀN THÔNG TRÊN NỀN TẢNG SỐ",
    "muc_4_noi_dung": "Từ đầu năm {{ nam }} đến ngày {{ den_ngay }}, có {{ san_pham_so }}/{{ tong_san_pham }} sản "
                      "phẩm truyền thông trên nền tảng số, đạt {{ ty_le_so }}%; mục tiêu đến năm {{ nam_muc_tieu }} "
                      "là {{ muc_tieu_so }}% sản phẩm truyền thông trên nền tảng số.",
    "muc_5": "V. ĐÁNH GIÁ CHUNG",
    "danh_gia": "Các cấp công đoàn trong tỉnh đã quan tâm cung cấp tin bài cho Cổng thông tin điện tử, phản ánh "
                "kịp thời hoạt động công đoàn và phong trào công nhân, viên chức, lao động.\n"
                "{% if so_don_vi_chua_dat > 0 %}Tuy vậy, còn {{ so_don_vi_chua_dat }} đơn vị chưa đạt chỉ tiêu; "
                "một số đơn vị gửi tin bài chưa đều, tập trung vào cuối kỳ.{% else %}Các đơn vị có chỉ tiêu đều "
                "hoàn thành chỉ tiêu được giao.{% endif %}",
    "muc_6": "VI. NHIỆM VỤ TRONG THỜI GIAN TỚI",
    "nhiem_vu": "Tiếp tục chỉ đạo các cấp công đoàn cung cấp tin bài đều đặn, đúng chỉ tiêu được giao; nâng cao "
                "chất lượng tin bài, ảnh và video trên Cổng thông tin điện tử và các nền tảng số.\n"
                "Các đơn vị chưa đạt chỉ tiêu rà soát, phân công người viết tin bài và báo cáo kết quả về "
                "Ban Tuyên giáo LĐLĐ tỉnh.",
    "ket_thuc": "Trên đây là báo cáo kết quả thực hiện chỉ tiêu tin bài {{ ky }} của Ban Thường vụ "
                "{{ ten_don_vi }}./.",
})
# Column widths (mm) of the tables on a portrait page (165 mm between the margins): the names get
# the room, the figures (at most "1.234" or "150,0" in 12 pt) as much as they need.
FIGURE_WIDTHS = (10, 74, 12, 13, 13, 12, 13, 18)
BEHIND_WIDTHS = (12, 89, 16, 16, 16, 16)
CAMPAIGN_WIDTHS = (10, 40, 27, 18, 70)
DIGITAL_WIDTHS = (20, 35, 35, 35, 40)
# The landscape table of the channels: level, name, total and the counted channels; the channels share the rest.
CHANNEL_WIDTHS = MappingProxyType({"level": 10, "name": 95, "total": 16, "counted": 28})


@dataclass(frozen=True)
class Paperwork:
    """What the document shows besides the figures of the period: the campaigns and the digital share."""

    coverage: list[Coverage]
    digital: DigitalShare
    # Each channel's short name (``Channel.label``), for the column of the channels a target counts.
    labels: Mapping[str, str] = field(default_factory=dict)


def load_report_texts(root: Path) -> tuple[dict[str, Template], list[Problem]]:
    """The report's texts: the bundled ones, with the board's from ``mau-van-ban/bao-cao.yml``."""
    return load_texts(Path(root) / TEMPLATE_FILE, DEFAULTS, {name: BLANKS for name in DEFAULTS},
                      label=TEMPLATE_FILE, root=Path(root))


def values(report: Report, work: Paperwork, issuer: str, now: dt.datetime) -> dict[str, object]:
    """The blanks' values; whole numbers are printed "1.234", the year as it is."""
    period = report.period
    ids = {row.id for row in report.units if row.target is not None}
    behind = {row.id for row in report.behind}
    digital = work.digital
    return {
        "ky": period.title[:1].lower() + period.title[1:], "nam": str(period.year),
        "tu_ngay": format_vi_date(period.start), "den_ngay": format_vi_date(period.end),
        "ngay_lap": doc.date_line("", now.astimezone(SITE_TZ).date()), **letterhead.blanks(issuer),
        "so_don_vi": len(ids), "so_don_vi_dat": len(ids - behind), "so_don_vi_chua_dat": len(behind),
        "tong_tin_bai": report.totals.total, "tin_bai_tinh_chi_tieu": report.totals.counted,
        "so_chien_dich": len(work.coverage), "san_pham_so": digital.year.digital,
        "tong_san_pham": digital.year.total, "ty_le_so": digital.year.percent, "muc_tieu_so": digital.goal,
        "nam_muc_tieu": str(digital.goal_year),
    }


@dataclass
class _Writer:
    """Renders the texts into one document, collecting the problems of the board's wording."""

    texts: dict[str, Template]
    blanks: dict[str, object]
    problems: list[Problem]

    def text(self, name: str) -> str:
        return render(self.texts[name], self.blanks, self.problems).strip()

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.text(name).splitlines() if line.strip()]


def report_document(report: Report, work: Paperwork, texts: dict[str, Template], issuer: str,
                    now: dt.datetime) -> tuple[bytes, list[Problem]]:
    """The .docx file of the report, and the problems met while filling in the board's texts."""
    out = _Writer(texts, values(report, work, issuer, now), [])
    page = doc.new_document()
    head = doc.Letterhead(out.text("co_quan_cap_tren"), out.text("co_quan_ban_hanh"), out.text("so_ky_hieu"),
                          out.text("dia_danh"))
    doc.add_letterhead(page, head, now.astimezone(SITE_TZ).date())
    title, subject = out.text("ten_loai"), out.text("trich_yeu")
    doc.add_title(page, title, subject)
    doc.add_paragraph(page, out.text("mo_dau"))
    _figures(page, report, work.labels, out)
    _behind(page, report, out)
    _campaigns(page, work.coverage, out)
    _digital(page, work.digital, report, out)
    for heading, body in (("muc_5", "danh_gia"), ("muc_6", "nhiem_vu")):
        doc.add_heading(page, out.text(heading))
        doc.add_paragraph(page, out.text(body))
    doc.add_paragraph(page, out.text("ket_thuc"))
    doc.add_closing(page, out.lines("noi_nhan"), out.text("chuc_vu_ky"), out.text("nguoi_ky"))
    data = doc.to_bytes(page, now, f"{title.capitalize()} {' '.join(subject.split())}", " ".join(subject.split()),
                        issuer)
    return data, out.problems


FIGURE_HEADINGS = ("Cấp", "Tên đơn vị", "Tự đăng", "Tổng số", "Tính chỉ tiêu", "Chỉ tiêu", "Tỷ lệ đạt (%)",
                   "Đánh giá")


def figure_cells(line: formats.Line) -> list[object]:
    """One line of table I: the XLSX's line (``formats.lines``) in the document's columns."""
    # a unit with no target has no target, rate or verdict: a dash, as on the website
    aims = [doc.NO_VALUE if value in (None, "") else value for value in (line.target, line.percent, line.verdict)]
    return [line.level, line.name, line.own, line.total, line.counted, *aims]


def channel_headings(report: Report) -> list[str]:
    return ["Cấp", "Tên đơn vị", *(report.channel_name(c) for c in report.channels), "Tổng các kênh",
            "Kênh tính chỉ tiêu"]


def channel_cells(report: Report, line: formats.Line, counted: tuple[str, ...], labels: Mapping[str, str]) -> list[object]:
    """One line of the channels' table; the channels its target counts by their short names."""
    names = " + ".join(labels.get(c) or report.channel_name(c) for c in counted)
    return [line.level, line.name, *(line.by_channel.get(c, 0) for c in report.channels), line.total, names]


def channel_widths(report: Report, width_mm: float) -> list[float]:
    fixed = CHANNEL_WIDTHS
    each = (width_mm - sum(fixed.values())) / len(report.channels)
    return [fixed["level"], fixed["name"], *([each] * len(report.channels)), fixed["total"], fixed["counted"]]


def _figures(page, report: Report, labels: Mapping[str, str], out: _Writer) -> None:
    doc.add_heading(page, out.text("muc_1"))
    doc.add_paragraph(page, out.text("muc_1_loi_dan"))
    lines = formats.lines(report)
    doc.add_table(page, FIGURE_HEADINGS, [figure_cells(line) for line in lines[:-1]], figure_cells(lines[-1]),
                  FIGURE_WIDTHS, numeric={0, 2, 3, 4, 5, 6}, size=doc.SMALL_PT)
    if any(channel != WEBSITE for channel in report.channels):
        doc.add_landscape_section(page)
        doc.add_paragraph(page, out.text("muc_1_kenh"))
        headings = channel_headings(report)
        rows = [channel_cells(report, line, row.channels, labels) for line, row in zip(lines, report.units)]
        doc.add_table(page, headings, rows, channel_cells(report, lines[-1], (), labels),
                      channel_widths(report, doc.text_width_mm(page)), numeric={0, *range(2, len(headings) - 1)},
                      size=doc.SMALL_PT)
        doc.add_portrait_section(page)


def shortfall(row: UnitRow) -> int:
    return max(0, (row.target or 0) - row.counted)


def _behind(page, report: Report, out: _Writer) -> None:
    doc.add_heading(page, out.text("muc_2"))
    if not report.behind:
        doc.add_paragraph(page, out.text("muc_2_khong_co"))
        return
    doc.add_paragraph(page, out.text("muc_2_loi_dan"))
    rows = [[number, row.name, row.counted, row.target, shortfall(row), row.percent]
            for number, row in enumerate(report.behind, 1)]
    doc.add_table(page, ["STT", "Tên đơn vị", "Tính chỉ tiêu", "Chỉ tiêu", "Còn thiếu", "Tỷ lệ đạt (%)"], rows,
                  widths_mm=BEHIND_WIDTHS, numeric={0, 2, 3, 4, 5}, size=doc.SMALL_PT)


def _campaigns(page, coverage: list[Coverage], out: _Writer) -> None:
    doc.add_heading(page, out.text("muc_3"))
    if not coverage:
        doc.add_paragraph(page, out.text("muc_3_khong_co"))
        return
    doc.add_paragraph(page, out.text("muc_3_loi_dan"))
    rows = []
    for number, item in enumerate(coverage, 1):
        expected = len(item.published) + len(item.missing)
        when = f"{format_vi_date(item.campaign.start)} – {format_vi_date(item.campaign.end)}"
        rows.append([number, item.campaign.name, when, f"{len(item.published)}/{expected}",
                     "; ".join(item.missing) if item.missing else out.text("muc_3_tat_ca")])
    doc.add_table(page, ["STT", "Chiến dịch", "Thời gian", "Số đơn vị có tin bài", "Đơn vị chưa có tin bài"], rows,
                  widths_mm=CAMPAIGN_WIDTHS, numeric={0, 3}, size=doc.SMALL_PT)


def _digital(page, digital: DigitalShare, report: Report, out: _Writer) -> None:
    doc.add_heading(page, out.text("muc_4"))
    doc.add_paragraph(page, out.text("muc_4_noi_dung"))
    years = [t for t in digital.trend if t.year <= report.period.year and t.total]
    if not years:
        return
    rows = [[str(t.year), t.digital, t.total, t.percent, t.path] for t in years]
    doc.add_table(page, ["Năm", "Sản phẩm trên nền tảng số", "Tổng số sản phẩm", "Tỷ lệ (%)", "Lộ trình đến mục tiêu (%)"],
                  rows, widths_mm=DIGITAL_WIDTHS, numeric={1, 2, 3, 4}, size=doc.SMALL_PT)
