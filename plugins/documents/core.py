"""Word documents in the layout of Vietnamese administrative documents.

Decree 30/2020/NĐ-CP sets the form: A4 paper, margins top and bottom 20–25 mm,
left 30–35 mm, right 15–20 mm, Times New Roman 13–14 pt, the issuer's name
block on the left and the national motto on the right, the page number at the
top from the second page, "Nơi nhận" and the signature at the end. The reader's
Word has Times New Roman; the name is written for every script (ascii, hAnsi,
eastAsia, cs) so that no theme font takes over Vietnamese letters.

``to_bytes`` makes the file deterministic: the core properties come from the
build's "now", and the zip entries are re-dated and written in a fixed order,
so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Sequence

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from plugins.contract.dates import SITE_TZ

from .metrics import widest_line_mm, width_mm

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
SMALL_PT = 12
RECIPIENTS_PT = 11
# A4 and the margins of Decree 30/2020/NĐ-CP (each within the decree's range).
PAGE_MM = (210, 297)
MARGINS_MM = MappingProxyType({"top": 20, "bottom": 20, "left": 30, "right": 15})
HEADER_MM = 10
LINE_SPACING = 1.15
PARAGRAPH_AFTER_PT = 6
FIRST_LINE_INDENT_MM = 10
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# The short rules under the issuer's name and the subject: 1/3–1/2 of the text's width by the decree.
RULE_SHARE = 0.4
# The room inside a cell, left and right; python-docx's table style has 1.9 mm.
CELL_MARGIN_MM = 1.0
DEFAULT_CELL_MARGIN_MM = 1.9
# Room for the signature and the seal, in empty lines (the custom is 3–4).
SIGNATURE_LINES = 4
# When the board's texts name no signer: a hint under the role and a dotted line the office writes the name on.
SIGN_HINT = "(Ký tên, đóng dấu)"
# Under a signer who signs without the seal (the maker of a list, the accountant).
SIGN_ONLY_HINT = "(Ký, ghi rõ họ tên)"
# Short enough for a third of the text width at 14 pt (a payment list's three signers).
NAME_BLANK = "…" * 9
# A cell with nothing to show (a unit with no target has no rate): centred, as the website shows it.
NO_VALUE = "—"
# The schema's order of the run properties this module adds, and of those that may follow them.
_RUN_ORDER = ("w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
              "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
# The paragraph properties that come after the borders in the schema's order.
_PARAGRAPH_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                           "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                           "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                           "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                           "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
# Zip timestamps cannot be earlier than 1980.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Letterhead:
    """The two blocks at the top of an administrative document."""

    superior: str  # the body above the issuer, "TỔNG LĐLĐ VIỆT NAM" (may be "")
    issuer: str  # "LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ SƠN"
    number: str  # "Số:      /BC-LĐLĐ": the number is left blank for the office
    place: str  # "Hà Sơn", before the date


@dataclass(frozen=True)
class Signature:
    """One signer's block: the lines of the role (bold), room to sign, then the name."""

    role: str  # "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"; one line each
    name: str = ""
    hint: str = SIGN_HINT  # printed under the role when there is no name


# --- The document and its page --------------------------------------------------------------

def new_document(landscape: bool = False, page_numbers: bool = True) -> docx.document.Document:
    """An empty A4 document with the decree's margins and Times New Roman in every style used."""
    doc = docx.Document()
    _set_style_fonts(doc)
    section = doc.sections[0]
    _set_page(section, landscape)
    if page_numbers:
        section.different_first_page_header_footer = True
        _page_number_header(section)
    return doc


def add_landscape_section(doc) -> None:
    """A new page in landscape, for a table too wide for portrait."""
    _new_section(doc, landscape=True)


def add_portrait_section(doc) -> None:
    """A new page back in portrait."""
    _new_section(doc, landscape=False)


def _new_section(doc, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section, landscape)
    section.different_first_page_header_footer = False  # only the document's first page goes unnumbered


def _set_page(section, landscape: bool) -> None:
    short, long = (Mm(v) for v in PAGE_MM)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(HEADER_MM)
    section.footer_distance = Mm(HEADER_MM)


def text_width_mm(doc) -> float:
    """The width between the margins of the last section, in millimetres."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def _set_style_fonts(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _name_fonts(rpr)
    for name in ("Normal", "Table Grid", "Header", "Footer"):
        style = doc.styles[name]
        style.font.name = FONT
        _name_fonts(style.element.get_or_add_rPr())
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _complex_size(normal.element.get_or_add_rPr(), BODY_PT)
    _set_language(normal.element.get_or_add_rPr())
    spacing = normal.paragraph_format
    spacing.space_before = Pt(0)
    spacing.space_after = Pt(PARAGRAPH_AFTER_PT)
    spacing.line_spacing = LINE_SPACING


def _name_fonts(rpr) -> None:
    """Times New Roman for every script, with no theme font left to override it."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _child(rpr, tag: str):
    """The run property ``tag`` of ``rpr``, added in the place the schema orders it."""
    found = rpr.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        rpr.insert_element_before(found, *_RUN_ORDER[_RUN_ORDER.index(tag) + 1:])
    return found


def _complex_size(rpr, points: float) -> None:
    _child(rpr, "w:szCs").set(qn("w:val"), str(int(points * 2)))


def _set_language(rpr) -> None:
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _page_number_header(section) -> None:
    """The page number centred at the top, from the second page (the first page's header is empty)."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain(paragraph)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        run = _run(paragraph, "2" if kind is None and text is None else "", size=BODY_PT)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)


# --- Runs and paragraphs ------------------------------------------------------------------------

def _run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float | None = None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    _name_fonts(rpr)
    if size is not None:
        run.font.size = Pt(size)
        _complex_size(rpr, size)
    return run


def _plain(paragraph, after: float = 0, indent: bool = False):
    """A paragraph of a block (letterhead, table cell): single spacing, no space after."""
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM) if indent else Mm(0)
    return paragraph


def _centred(container, text: str, bold: bool = False, italic: bool = False, size: float = BODY_PT,
             after: float = 0):
    paragraph = _plain(container.add_paragraph(), after)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _run(paragraph, text, bold, italic, size)
    return paragraph


def add_title(doc, title: str, subject: str) -> None:
    """The kind of document ("BÁO CÁO") and its subject, bold and centred; one line of the subject each."""
    _centred(doc, title, bold=True, size=BODY_PT, after=0).paragraph_format.space_before = Pt(18)
    lines = [line.strip() for line in subject.splitlines() if line.strip()] or [""]
    for line in lines:
        _centred(doc, line, bold=True, size=BODY_PT)
    width = text_width_mm(doc)
    longest = widest_line_mm("\n".join(lines), BODY_PT, True, width)
    _rule(doc, longest * RULE_SHARE, width).paragraph_format.space_after = Pt(12)


def add_heading(doc, text: str) -> None:
    """A section heading ("I. KẾT QUẢ …"), bold, kept with what follows."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    fmt.space_before = Pt(PARAGRAPH_AFTER_PT)
    fmt.keep_with_next = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, text, bold=True)


def add_paragraph(doc, text: str) -> None:
    """Body text, justified, first line indented; each line of ``text`` is a paragraph."""
    for line in text.splitlines() or [""]:
        if not line.strip():
            continue
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
        _run(paragraph, line.strip())


# --- Letterhead and closing ---------------------------------------------------------------------

def date_line(place: str, day: dt.date) -> str:
    """"Hà Sơn, ngày 05 tháng 12 năm 2026": days below 10 and months below 3 written with a zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def add_letterhead(doc, head: Letterhead, day: dt.date) -> None:
    """The issuer's block on the left, the national motto on the right, the number and the date under them."""
    width = text_width_mm(doc)
    table = _borderless(doc, 2, 2, [width * 0.4, width * 0.6])
    left, right = table.rows[0].cells
    if head.superior:
        _first(left, head.superior, size=TABLE_PT)
        _centred(left, head.issuer, bold=True, size=TABLE_PT)
    else:
        _first(left, head.issuer, bold=True, size=TABLE_PT)
    room = width * 0.4 - 2 * DEFAULT_CELL_MARGIN_MM
    _rule(left, widest_line_mm(head.issuer, TABLE_PT, True, room) * RULE_SHARE, room)
    _first(right, NATION, bold=True, size=SMALL_PT)
    _centred(right, MOTTO, bold=True, size=BODY_PT)
    room = width * 0.6 - 2 * DEFAULT_CELL_MARGIN_MM
    _rule(right, min(room, width_mm(MOTTO, BODY_PT, bold=True)), room)  # as wide as the motto
    number, when = table.rows[1].cells
    _first(number, head.number, size=TABLE_PT).paragraph_format.space_before = Pt(6)
    _first(when, date_line(head.place, day), italic=True, size=BODY_PT).paragraph_format.space_before = Pt(6)


def _rule(container, length_mm: float, room_mm: float):
    """A solid line ``length_mm`` long, centred in ``room_mm``: an empty paragraph's bottom border, which
    Word and LibreOffice draw between the paragraph's indents."""
    paragraph = _plain(container.add_paragraph())
    indent = Mm(max(0.0, (room_mm - length_mm) / 2))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_PARAGRAPH_AFTER_BORDER)
    return paragraph


def add_closing(doc, recipients: Sequence[str], signer_role: str, signer_name: str = "") -> None:
    """"Nơi nhận:" and its list on the left (small type), the signature block on the right."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the closing sentence goes with the signature
    width = text_width_mm(doc)
    table = _borderless(doc, 1, 2, [width * 0.45, width * 0.55])
    left, right = table.rows[0].cells
    heading = _plain(left.paragraphs[0])
    _run(heading, "Nơi nhận:", bold=True, italic=True, size=SMALL_PT)
    for line in recipient_lines(recipients):
        _run(_plain(left.add_paragraph()), line, size=RECIPIENTS_PT)
    _signature(right, Signature(signer_role, signer_name), first=True)
    table.rows[0].cells[0].paragraphs[0].paragraph_format.space_before = Pt(12)
    _plain(doc.add_paragraph())  # a document's body ends with a paragraph, not a table


def add_signatures(doc, signers: Sequence[Signature]) -> None:
    """Several signature blocks side by side (a payment list: the maker, the accountant, the head)."""
    if not signers:
        return
    width = text_width_mm(doc)
    table = _borderless(doc, 1, len(signers), [width / len(signers)] * len(signers))
    for cell, signer in zip(table.rows[0].cells, signers):
        _signature(cell, signer, first=True)
    # A document cannot end with a table; the paragraph after it is kept tiny so that it never
    # starts a page of its own.
    tail = _plain(doc.add_paragraph())
    tail.paragraph_format.line_spacing = Pt(1)
    _run(tail, "", size=1)


def recipient_lines(recipients: Iterable[str]) -> list[str]:
    """"- Ban Tuyên giáo TLĐ;" … "- Lưu: VT.": a dash before each, ";" after all but the last, "." after it."""
    names = [" ".join(r.split()).lstrip("-–• ").strip() for r in recipients]
    names = [n for n in names if n]
    lines = []
    for index, name in enumerate(names):
        end = "." if index == len(names) - 1 else ";"
        lines.append(f"- {name}" if name[-1] in ";.,:" else f"- {name}{end}")
    return lines


def _signature(cell, signer: Signature, first: bool) -> None:
    """The role in bold, room to sign, the name in bold; with no name, a hint and a dotted line for it."""
    lines = [line.strip() for line in signer.role.splitlines() if line.strip()] or [""]
    for index, line in enumerate(lines):
        if index == 0 and first:
            paragraph = _plain(cell.paragraphs[0])
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = Pt(12)
            _run(paragraph, line, bold=True, size=BODY_PT)
        else:
            _centred(cell, line, bold=True, size=BODY_PT)
    name = signer.name.strip()
    if not name:
        _centred(cell, signer.hint, italic=True, size=BODY_PT)
    for _ in range(SIGNATURE_LINES):
        _centred(cell, "", size=BODY_PT)
    _centred(cell, name or NAME_BLANK, bold=bool(name), size=BODY_PT)


def _first(cell, text: str, bold: bool = False, italic: bool = False, size: float = BODY_PT):
    paragraph = _plain(cell.paragraphs[0])
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _borderless(doc, rows: int, cols: int, widths_mm: Sequence[float]):
    table = doc.add_table(rows=rows, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths_mm)
    return table


def _fix_widths(table, widths_mm: Sequence[float]) -> None:
    table.autofit = False  # a fixed layout: Word keeps the widths given
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


# --- Tables ---------------------------------------------------------------------------------------

def add_table(doc, headings: Sequence[str], rows: Sequence[Sequence[object]], total: Sequence[object] | None = None,
              widths_mm: Sequence[float] | None = None, numeric: Iterable[int] = frozenset(),
              size: float = TABLE_PT) -> None:
    """A bordered table: the heading row repeated on each page, numbers right-aligned and written
    the Vietnamese way ("1.234"), the totals row in bold. ``numeric`` holds the indexes of the
    columns of figures."""
    numeric = frozenset(numeric)
    count = len(headings)
    widths = list(widths_mm) if widths_mm else [text_width_mm(doc) / count] * count
    table = doc.add_table(rows=1, cols=count)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_heading(head)
    for cell, heading in zip(head.cells, headings):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = _plain(cell.paragraphs[0])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, heading, bold=True, size=size)
    for values in rows:
        _table_row(table, values, numeric, size, bold=False)
    if total is not None:
        _table_row(table, total, numeric, size, bold=True)
    _fix_widths(table, widths)
    _cell_margins(table, CELL_MARGIN_MM)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _cell_margins(table, mm: float) -> None:
    """Less room left and right in each cell than the style's, so that figures fit narrow columns."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        edge = OxmlElement(side)
        edge.set(qn("w:w"), str(round(Mm(mm).twips)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _table_row(table, values: Sequence[object], numeric: frozenset[int], size: float, bold: bool) -> None:
    row = table.add_row()
    _keep_row_together(row)
    for index, (cell, value) in enumerate(zip(row.cells, values)):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = _plain(cell.paragraphs[0])
        text = cell_text(value)
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if text == NO_VALUE else
                               WD_ALIGN_PARAGRAPH.RIGHT if index in numeric else WD_ALIGN_PARAGRAPH.LEFT)
        _run(paragraph, text, bold=bold, size=size)


def cell_text(value: object) -> str:
    """A value as a table shows it: whole numbers "1.234", decimals "85,5", nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return number_vi(value)
    if isinstance(value, float):
        return decimal_vi(value)
    return str(value)


def _repeat_heading(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    _keep_row_together(row)


def _keep_row_together(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# --- Numbers in words -----------------------------------------------------------------------------

def number_vi(n: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{n:,}".replace(",", ".")


def decimal_vi(value: float, places: int = 1) -> str:
    """85.25 → "85,3": a comma before the decimals, dots between thousands."""
    whole, _, decimals = f"{abs(value):,.{places}f}".partition(".")
    sign = "-" if value < 0 and float(f"{abs(value):.{places}f}") else ""
    text = sign + whole.replace(",", ".")
    return f"{text},{decimals}" if decimals else text


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")


def amount_in_words(n: int) -> str:
    """An amount of đồng in words, as payment lists write it: 1250000 → "Một triệu hai trăm năm mươi
    nghìn đồng". "linh" for an empty ten (105 "một trăm linh năm"), "mốt", "tư", "lăm" after a ten."""
    if n < 0:
        raise ValueError("an amount in words cannot be negative")
    words = _number_words(n) if n else "không"
    return words[:1].upper() + words[1:] + " đồng"


def _number_words(n: int) -> str:
    """The words of n > 0; above a billion, the billions are read as a number of their own."""
    billions, rest = divmod(n, 1_000_000_000)
    parts = [f"{_number_words(billions)} tỷ"] if billions else []
    groups = [(rest // 1000 ** scale) % 1000 for scale in (2, 1, 0)]
    for position, group in enumerate(groups):
        if group:
            leading = not parts
            scale = _SCALES[2 - position]
            parts.append(" ".join(w for w in (_hundreds_words(group, leading), scale) if w))
    return " ".join(parts)


def _hundreds_words(group: int, leading: bool) -> str:
    """Three digits; after a higher group, the hundreds are said even when zero ("không trăm linh năm")."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words = []
    if hundreds or not leading:
        words.append(f"{_DIGITS[hundreds]} trăm")
    if tens == 0:
        if units:
            words.append(f"linh {_DIGITS[units]}" if words else _DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words.append(f"{_DIGITS[tens]} mươi")
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return " ".join(words)


# --- Saving -----------------------------------------------------------------------------------------

def to_bytes(doc, made: dt.datetime, title: str, subject: str = "", author: str = "") -> bytes:
    """The .docx file: core properties from ``made``, zip entries re-dated to it and in a fixed order."""
    utc = made.astimezone(dt.timezone.utc).replace(tzinfo=None) if made.tzinfo else made
    props = doc.core_properties
    props.created = props.modified = props.last_printed = utc
    props.revision = 1
    props.language = "vi-VN"
    props.title, props.subject = title, subject
    props.author = props.last_modified_by = author
    props.comments = props.keywords = props.category = ""
    _drop_thumbnail(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _rezip(buffer.getvalue(), made.astimezone(SITE_TZ) if made.tzinfo else made)


def _drop_thumbnail(doc) -> None:
    """python-docx's template carries a picture of its own blank page; a viewer would show it for ours."""
    rels = doc.part.package.rels
    for key in [key for key, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[key]


def _rezip(data: bytes, when: dt.datetime) -> bytes:
    stamp = max(_ZIP_EPOCH, (when.year, when.month, when.day, when.hour, when.minute, when.second))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()
