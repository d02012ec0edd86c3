"""The royalty rate table, ``nhuan-but.yml``: the federation's decisions on what a work earns.

Each decision applies from its date until the next one, so a new decision never
changes a past month. A decision gives, per grade (a letter the board sets on an
article with ``Royalty:``) and per content type, an amount in đồng; the photo
rate per item; what a reprint earns; how co-authors share; which grade an
ungraded article gets (or none: no royalty); and the income-tax rule. The board
writes it by hand, so every value is checked and told at its line; the sums
themselves are ``plugins.royalties.core``'s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .articles import CONTENT_TYPES
from .problems import WARNING, Problem, suggest
from .registry import _YamlFile
from .registry_yaml import YamlMap, kind_of, shown
from .text import fold, visible

RATES_FILE = "nhuan-but.yml"
DECISION_KEYS = ("from", "decision", "rates", "default_grade", "photo", "reprint", "co_authors", "tax")
TAX_KEYS = ("rate", "from_amount")
# What ``default_grade`` says for "an article without a grade earns nothing".
NO_GRADE = ("none", "không", "khong")
GRADE = re.compile(r"^[A-Z]$")
MAX_AMOUNT = 10**12
# 1200000, "1.200.000", "1 200 000" (a no-break space too).
_AMOUNT = re.compile(r"^\d{1,3}(?:([. \u00a0])\d{3})(?:\1\d{3})*$|^\d+$")
_PERCENT = re.compile(r"^(\d{1,3}(?:[.,]\d{1,4})?)\s*%$")


@dataclass(frozen=True)
class Decision:
    """One decision of the rate table, in force from ``start`` until the next decision."""

    start: dt.date
    name: str
    line: int
    # grade -> content type -> amount (đồng)
    rates: Mapping[str, Mapping[str, int]]
    # The grade of an article without ``Royalty:`` ("" = it earns nothing).
    default_grade: str = ""
    photo: int = 0
    # The part of its amount a reprint (``Source:``) earns; 0 = nothing.
    reprint: Fraction = Fraction(0)
    # The first author's part when co-authors do not share equally (``None`` = equally).
    first_share: Fraction | None = None
    tax_rate: Fraction = Fraction(0)
    # The payment to one person from which the tax is withheld (inclusive).
    tax_from: int = 0


@dataclass
class RateTable:
    # Sorted by start day.
    decisions: tuple[Decision, ...] = ()
    # Whether ``nhuan-but.yml`` exists.
    present: bool = False
    # Whether it had errors (then no royalty list is made from it).
    broken: bool = False

    def decision_on(self, day: dt.date) -> Decision | None:
        """The decision in force on ``day``."""
        found = None
        for decision in self.decisions:
            if decision.start <= day:
                found = decision
        return found


def load_rates(root: Path) -> tuple[RateTable, list[Problem]]:
    """The rate table of ``root/nhuan-but.yml`` (empty when there is none) and its problems."""
    path = Path(root) / RATES_FILE
    if not (path.exists() or path.is_symlink()):
        return RateTable(), []
    f = _YamlFile(path, RATES_FILE)
    _, items = f.load("decisions", ("decisions",))
    if not f.broken and not items:
        f.error(1, "chưa có quyết định nào trong 'decisions:'; hãy thêm ít nhất một mục '- from: 1/1/2024' với "
                   "'decision:' và 'rates:'", "E619")
    reader = _Reader(f)
    decisions = [d for d in (reader.decision(item) for item in items) if d is not None]
    table = RateTable(tuple(sorted(decisions, key=lambda d: d.start)), True, bool(f.problems))
    return table, f.problems


class _Reader:
    def __init__(self, f: _YamlFile):
        self.f = f
        # The line of each decision's 'from', by day.
        self.starts: dict[dt.date, int] = {}

    def decision(self, item: YamlMap) -> Decision | None:
        f = self.f
        before = len(f.problems)
        f.check_keys(item, DECISION_KEYS)
        start = f.day(item, "from", required=True)
        if start is not None and start in self.starts:
            f.error(item.line_of("from"), f"đã có quyết định áp dụng từ {start:%d/%m/%Y} ở dòng "
                                          f"{self.starts[start]}; mỗi ngày chỉ một quyết định, hãy sửa 'from' "
                                          "hoặc gộp hai mục", "E615")
        elif start is not None:
            self.starts[start] = item.line_of("from")
        name = f.text(item, "decision")
        rates = self.rates(item)
        default = self.default_grade(item, rates)
        photo = self.amount(item.get("photo", 0), item.line_of("photo"))
        reprint = self.percent(item.get("reprint", "0%"), item.line_of("reprint"), "reprint")
        first = self.co_authors(item)
        tax_rate, tax_from = self.tax(item)
        if len(f.problems) > before or start is None or rates is None:
            return None
        return Decision(start, name, item.line, rates, default, photo or 0, reprint or Fraction(0), first,
                        tax_rate, tax_from)

    def rates(self, item: YamlMap) -> Mapping[str, Mapping[str, int]] | None:
        f, value = self.f, item.get("rates")
        if not isinstance(value, YamlMap) or not value:
            written = "để trống" if value == {} else f"đang là {kind_of(value)}"
            f.error(item.line_of("rates"), "'rates:' phải liệt kê các mức nhuận bút, mỗi mức một chữ cái với số tiền "
                                           f"cho từng loại tin, ví dụ A: {{tin: 300000, bai: 800000}} ({written})",
                    "E617")
            return None
        grades = {}
        for grade, amounts in value.items():
            line = value.line_of(grade)
            if not isinstance(grade, str) or not GRADE.match(grade.strip().upper()):
                f.error(line, f"mức '{shown(grade)}' không hợp lệ; mỗi mức là một chữ cái in hoa (A, B, C…)", "E612")
                continue
            letter = grade.strip().upper()
            if letter in grades:
                f.error(line, f"mức '{letter}' được ghi hai lần trong cùng một quyết định (chữ hoa và chữ thường là "
                              "một mức); hãy xóa hoặc gộp một dòng", "E621")
                continue
            grades[letter] = self.amounts(amounts, line, grade)
        return MappingProxyType({g: a for g, a in grades.items() if a is not None})

    def amounts(self, value: Any, line: int, grade: str) -> Mapping[str, int] | None:
        f = self.f
        if not isinstance(value, YamlMap) or not value:
            f.error(line, f"mức '{grade}' phải ghi số tiền cho từng loại tin, ví dụ {grade}: {{tin: 300000, bai: "
                          f"800000}} (đang là {kind_of(value)})", "E620")
            return None
        found = {}
        for written, amount in value.items():
            type_line = value.line_of(written)
            content_type = _content_type(str(written))
            if content_type is None:
                labels = {label: type_id for type_id, label in CONTENT_TYPES.items()}
                hint = suggest(str(written), CONTENT_TYPES) or suggest(str(written), labels, labels)
                f.error(type_line, f"loại tin '{visible(shown(written))}' không có.{hint} Các loại: "
                                   f"{', '.join(CONTENT_TYPES)}", "E613")
                continue
            number = self.amount(amount, type_line)
            if number is not None:
                found[content_type] = number
        return MappingProxyType(found)

    def amount(self, value: Any, line: int) -> int | None:
        """A sum of đồng: a whole number from 0, written 1200000, "1.200.000" or "1 200 000"."""
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _AMOUNT.match(value.strip()):
            number = int(re.sub(r"\D", "", value))
        if number is not None and 0 <= number <= MAX_AMOUNT:
            return number
        why = _amount_problem(value, number)
        self.f.error(line, f"số tiền không hợp lệ ({why}); hãy viết số đồng là số nguyên không âm, ví dụ 1200000, "
                           "\"1.200.000\" hoặc \"1 200 000\"", "E610")
        return None

    def percent(self, value: Any, line: int, key: str) -> Fraction | None:
        match = _PERCENT.match(value.strip()) if isinstance(value, str) else None
        if match:
            share = Fraction(match[1].replace(",", ".")) / 100
            if share <= 1:
                return share
        self.f.error(line, f"'{key}' phải là một tỷ lệ từ 0% đến 100%, ví dụ 10% hoặc 12,5% (đang là "
                           f"'{shown(value)}')", "E611")
        return None

    def default_grade(self, item: YamlMap, rates: Mapping[str, Mapping[str, int]] | None) -> str:
        f, value = self.f, item.get("default_grade")
        if isinstance(value, str) and fold(value) in NO_GRADE:
            return ""
        grade = value.strip().upper() if isinstance(value, str) else ""
        if rates is not None and grade in rates:
            return grade
        if rates is None and GRADE.match(grade):
            return grade  # the rates' own errors are told already
        defined = ", ".join(rates or ()) or "(chưa có)"
        what = "thiếu 'default_grade'" if value is None else f"'default_grade' '{shown(value)}' không phải một mức " \
                                                             "trong 'rates'"
        f.error(item.line_of("default_grade"), f"{what}; hãy ghi mức của bài không ghi 'Royalty' (một trong {defined}) "
                                               "hoặc 'none' nếu bài không có mức thì không được nhuận bút", "E614")
        return ""

    def co_authors(self, item: YamlMap) -> Fraction | None:
        value = item.get("co_authors", "equal")
        if value == "equal":
            return None
        if isinstance(value, YamlMap) and set(value) == {"first"}:
            return self.percent(value["first"], value.line_of("first"), "first")
        self.f.error(item.line_of("co_authors"), "'co_authors' phải là 'equal' (các đồng tác giả chia đều) hoặc "
                                                 "{first: 60%} (tác giả đầu được 60%, những người còn lại chia đều "
                                                 f"phần còn lại) (đang là '{shown(value)}')", "E616")
        return None

    def tax(self, item: YamlMap) -> tuple[Fraction, int]:
        f, value = self.f, item.get("tax")
        if value is None:
            return Fraction(0), 0
        if not isinstance(value, YamlMap) or set(value) != set(TAX_KEYS):
            f.error(item.line_of("tax"), "'tax' (thuế thu nhập cá nhân) phải có đúng hai khóa 'rate' và "
                                         "'from_amount', ví dụ tax: {rate: 10%, from_amount: 2000000} (khấu trừ 10% "
                                         "khi một lần chi cho một người từ 2.000.000 đồng)", "E618")
            return Fraction(0), 0
        rate = self.percent(value["rate"], value.line_of("rate"), "rate")
        start = self.amount(value["from_amount"], value.line_of("from_amount"))
        return rate or Fraction(0), start or 0


def _amount_problem(value: Any, number: int | None) -> str:
    """Why ``value`` is not a sum of đồng, in words."""
    if number is not None:
        return "số tiền không được âm" if number < 0 else "số tiền quá lớn"
    if isinstance(value, float):
        return "số có phần thập phân (YAML đọc 1.200 là 1,2): hãy viết 1200 hoặc \"1.200\" trong ngoặc kép"
    return f"đang là {kind_of(value)} '{shown(value)}'"


def _content_type(written: str) -> str | None:
    key = fold(written)
    return next((t for t, label in CONTENT_TYPES.items() if key in (fold(t), fold(label))), None)


@dataclass(frozen=True)
class Grade:
    """What an article's ``Royalty:`` and date resolve to: its grade under the decision in force."""

    grade: str
    decision: Decision | None
    problem: Problem | None = None


def grade_of(table: RateTable, written: str, day: dt.date, content_type: str, path: str = "",
             line: int = 1) -> Grade:
    """The grade an article earns by (``written``: its ``Royalty:``, "" for none), or why it earns nothing."""
    decision = table.decision_on(day)
    written = written.strip()

    def refused(message: str, code: str) -> Grade:
        return Grade("", decision, Problem(path, line, message, WARNING, code))

    if decision is None:
        if not written:
            return Grade("", None)
        if not table.present:
            return refused(f"có 'Royalty: {visible(written)}' nhưng chưa có tệp {RATES_FILE} (bảng nhuận bút); bài "
                           f"vẫn được đăng. Hãy nhờ Ban Biên tập lập {RATES_FILE} hoặc xóa dòng 'Royalty'", "W612")
        first = f" (quyết định đầu tiên áp dụng từ {table.decisions[0].start:%d/%m/%Y})" if table.decisions else ""
        return refused(f"ngày đăng {day:%d/%m/%Y} trước mọi quyết định trong {RATES_FILE}{first} nên bài không "
                       "được tính nhuận bút; hãy kiểm tra 'Date' hoặc thêm quyết định áp dụng cho ngày này", "W613")
    grade = written.upper() or decision.default_grade
    if not grade:
        return Grade("", decision)
    if grade not in decision.rates:
        hint = suggest(written, decision.rates)
        return refused(f"mức nhuận bút '{visible(written)}' không có trong {decision.name or RATES_FILE}.{hint} Các "
                       f"mức: {', '.join(decision.rates)}; bài vẫn được đăng nhưng chưa được tính nhuận bút", "W610")
    if content_type not in decision.rates[grade]:
        if not written:
            return Grade("", decision)  # the default grade does not pay this type: nothing to tell the editor
        return refused(f"mức '{grade}' của {decision.name or RATES_FILE} không có số tiền cho loại tin "
                       f"'{content_type}' nên bài chưa được tính nhuận bút; hãy kiểm tra 'Type', 'Royalty' hoặc "
                       f"thêm loại này vào mức '{grade}' trong {RATES_FILE}", "W611")
    return Grade(grade, decision)
