"""The payment list as a Word document the accountant can sign (``plugins.documents``).

First the list itself, one line per person (works, royalty, tax withheld, net, and room to
sign on receipt), the totals and the total in words; then each person's works; then the
three signatures. The same list and "now" give the same bytes.
"""

from __future__ import annotations

import datetime as dt

from plugins.contract.dates import SITE_TZ, format_vi_date
from plugins.contract.registry import Registry
from plugins.documents.core import (Letterhead, Signature, add_heading, add_letterhead, add_paragraph,
                                    add_signatures, add_table, add_title, amount_in_words, new_document,
                                    number_vi, text_width_mm, to_bytes)

from .core import RoyaltyList, share_text
from .formats import SHEET_TITLE, kind_text, period_text, tax_text, unit_name
from .settings import issuer_of, load

SUMMARY_HEADINGS = ("STT", "Họ và tên", "Đơn vị", "Số tác phẩm", "Nhuận bút (đồng)", "Thuế TNCN (đồng)",
                    "Thực nhận (đồng)", "Ký nhận")
SUMMARY_WIDTHS = (0.06, 0.19, 0.21, 0.08, 0.12, 0.11, 0.12, 0.11)
DETAIL_HEADINGS = ("STT", "Họ và tên", "Ngày đăng", "Tác phẩm", "Thể loại", "Mức", "Tỷ lệ", "Số tiền (đồng)")
DETAIL_WIDTHS = (0.06, 0.17, 0.11, 0.32, 0.1, 0.06, 0.07, 0.11)


def title_of(result: RoyaltyList) -> str:
    """``DANH SÁCH CHI TRẢ NHUẬN BÚT THÁNG 5/2025``."""
    return f"{SHEET_TITLE} {result.period.title.upper()}"


def decisions_of(result: RoyaltyList) -> list[str]:
    return list(dict.fromkeys(e.decision for p in result.payees for e in p.entries if e.decision))


def docx_bytes(result: RoyaltyList, registry: Registry, made: dt.datetime, settings: dict) -> bytes:
    options = load(settings)
    site = settings.get("SITENAME", "")
    doc = new_document()
    head = Letterhead(options.superior, issuer_of(options, settings), options.number, options.place)
    add_letterhead(doc, head, made.astimezone(SITE_TZ).date())
    decisions = decisions_of(result)
    subject = f"Tác phẩm đăng trên {site}, {period_text(result)}"
    if decisions:
        subject += f"\n(theo {', '.join(decisions)})"
    add_title(doc, title_of(result), subject)
    add_paragraph(doc, tax_text(result))
    width = text_width_mm(doc)
    end = result.period.end
    rows = [[number, p.payee.name, unit_name(registry, p.payee.unit_id, end), len(p.entries), p.gross, p.tax, p.net,
             ""] for number, p in enumerate(result.payees, 1)]
    add_table(doc, SUMMARY_HEADINGS, rows, ["", "Tổng cộng", "", sum(len(p.entries) for p in result.payees),
                                            result.gross, result.tax, result.net, ""],
              [width * w for w in SUMMARY_WIDTHS], numeric={3, 4, 5, 6})
    add_paragraph(doc, f"Tổng số tiền thực nhận: {number_vi(result.net)} đồng. Bằng chữ: "
                       f"{amount_in_words(result.net)}.")
    if result.payees:
        add_heading(doc, "Chi tiết tác phẩm")
        details = [[number if i == 0 else "", p.payee.name if i == 0 else "", format_vi_date(e.day), e.title,
                    kind_text(e), e.grade, share_text(e.share), e.amount]
                   for number, p in enumerate(result.payees, 1) for i, e in enumerate(p.entries)]
        add_table(doc, DETAIL_HEADINGS, details, ["", "Tổng cộng", "", "", "", "", "", result.gross],
                  [width * w for w in DETAIL_WIDTHS], numeric={7})
    add_signatures(doc, [Signature(role) for role in options.signers])
    return to_bytes(doc, made, title_of(result).capitalize(), subject.replace("\n", " "), site)
