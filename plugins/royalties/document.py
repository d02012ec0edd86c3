"""The payment list as a Word document the accountant can sign (``plugins.documents``).

First the list itself, one line per person (works, royalty, tax withheld, net, and room to
sign on receipt), the totals and the total in words; then each person's works; then the
signatures. Every text that is not a figure or a name is the board's to word: bundled
defaults here (the letterhead's from ``plugins.documents.letterhead``, as the quota report
has), overridden by ``mau-van-ban/nhuan-but.yml`` of the content folder. The same list and
"now" give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from plugins.contract.dates import SITE_TZ, format_vi_date
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry
from plugins.documents import letterhead
from plugins.documents.core import (SIGN_HINT, SIGN_ONLY_HINT, Letterhead, Signature, add_heading, add_letterhead, add_paragraph,
                                    add_signatures, add_table, add_title, amount_in_words, new_document,
                                    number_vi, text_width_mm, to_bytes)
from plugins.documents.templates import Template, load_texts, render

from .core import RoyaltyList, share_text
from .formats import kind_text, tax_text, unit_name

TEMPLATE_FILE = "mau-van-ban/nhuan-but.yml"
# The blanks of the list's texts: the letterhead's, the period and the decisions applied.
BLANKS = frozenset({*letterhead.BLANKS, "ky", "tu_ngay", "den_ngay", "ten_cong", "quyet_dinh"})
DEFAULTS = MappingProxyType({
    **letterhead.DEFAULTS,
    "so_ky_hieu": "Số:      /DS-LĐLĐ",
    "ten_loai": "DANH SÁCH CHI TRẢ NHUẬN BÚT {{ ky|upper }}",
    "trich_yeu": "Tác phẩm đăng trên {{ ten_cong }}, {{ ky }} (từ {{ tu_ngay }} đến {{ den_ngay }})\n"
                 "{% if quyet_dinh %}(theo {{ quyet_dinh }}){% endif %}",
    # One signer a line, left to right; " / " breaks a role in two lines ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
    # a name after " | " is printed under the signature.
    "nguoi_ky": "Người lập biểu\nKế toán\nThủ trưởng đơn vị",
})

SUMMARY_HEADINGS = ("STT", "Họ và tên", "Đơn vị", "Số tác phẩm", "Nhuận bút (đồng)", "Thuế TNCN (đồng)",
                    "Thực nhận (đồng)", "Ký nhận")
# Widths in millimetres of the 165 mm between the margins; the tables are in 11 pt.
SUMMARY_WIDTHS = (11, 33, 37, 14, 21, 17, 21, 11)
DETAIL_HEADINGS = ("STT", "Họ và tên", "Ngày đăng", "Tác phẩm", "Thể loại", "Mức", "Tỷ lệ", "Số tiền (đồng)")
DETAIL_WIDTHS = (10, 28, 19, 50, 16, 10, 13, 19)
TABLE_PT = 11


def load_list_texts(root: Path) -> tuple[dict[str, Template], list[Problem]]:
    """The list's texts: the bundled ones, with the board's from ``mau-van-ban/nhuan-but.yml``."""
    return load_texts(Path(root) / TEMPLATE_FILE, DEFAULTS, {name: BLANKS for name in DEFAULTS},
                      label=TEMPLATE_FILE, root=Path(root))


def _fit(widths: tuple[float, ...], room: float) -> list[float]:
    """The column widths scaled to the room between the margins."""
    return [w * room / sum(widths) for w in widths]


def decisions_of(result: RoyaltyList) -> list[str]:
    return list(dict.fromkeys(e.decision for p in result.payees for e in p.entries if e.decision))


def signatures(text: str) -> list[Signature]:
    """``KT. CHỦ TỊCH / PHÓ CHỦ TỊCH | Trần Thị Bình`` a line → the signers, with their names where given."""
    found = []
    for line in text.splitlines():
        role, _, name = line.partition("|")
        role = "\n".join(part.strip() for part in role.split(" / ") if part.strip())
        if role:
            found.append(Signature(role, name.strip(), SIGN_ONLY_HINT))
    # The head of the unit (the last signer) signs and seals; the others sign only.
    return found[:-1] + [replace(found[-1], hint=SIGN_HINT)] if found else found


def docx_bytes(result: RoyaltyList, registry: Registry, made: dt.datetime, settings: dict,
               texts: dict[str, Template]) -> tuple[bytes, list[Problem]]:
    """The .docx file of the list, and the problems met while filling in the board's texts."""
    site = settings.get("SITENAME", "")
    problems: list[Problem] = []
    issuer = letterhead.issuer_name(registry, site)
    period = result.period
    blanks = {**letterhead.blanks(issuer), "ky": period.title, "tu_ngay": format_vi_date(period.start),
              "den_ngay": format_vi_date(period.end), "ten_cong": site, "quyet_dinh": ", ".join(decisions_of(result))}

    def text(name: str) -> str:
        return render(texts[name], blanks, problems).strip()

    doc = new_document()
    head = Letterhead(text("co_quan_cap_tren"), text("co_quan_ban_hanh"), text("so_ky_hieu"), text("dia_danh"))
    add_letterhead(doc, head, made.astimezone(SITE_TZ).date())
    title, subject = text("ten_loai"), "\n".join(line.strip() for line in text("trich_yeu").splitlines() if line.strip())
    add_title(doc, title, subject)
    add_paragraph(doc, tax_text(result))
    width = text_width_mm(doc)
    end = result.period.end
    rows = [[number, p.payee.name, unit_name(registry, p.payee.unit_id, end), len(p.entries), p.gross, p.tax, p.net,
             ""] for number, p in enumerate(result.payees, 1)]
    add_table(doc, SUMMARY_HEADINGS, rows, ["", "Tổng cộng", "", sum(len(p.entries) for p in result.payees),
                                            result.gross, result.tax, result.net, ""],
              _fit(SUMMARY_WIDTHS, width), numeric={3, 4, 5, 6}, size=TABLE_PT)
    add_paragraph(doc, f"Tổng số tiền thực nhận: {number_vi(result.net)} đồng. Bằng chữ: "
                       f"{amount_in_words(result.net)}.")
    if result.payees:
        add_heading(doc, "Chi tiết tác phẩm")
        details = [[number if i == 0 else "", p.payee.name if i == 0 else "", format_vi_date(e.day), e.title,
                    kind_text(e), e.grade, share_text(e.share), e.amount]
                   for number, p in enumerate(result.payees, 1) for i, e in enumerate(p.entries)]
        add_table(doc, DETAIL_HEADINGS, details, ["", "Tổng cộng", "", "", "", "", "", result.gross],
                  _fit(DETAIL_WIDTHS, width), numeric={7}, size=TABLE_PT)
    add_signatures(doc, signatures(text("nguoi_ky")))
    return to_bytes(doc, made, title.capitalize(), subject.replace("\n", " "), issuer), problems
