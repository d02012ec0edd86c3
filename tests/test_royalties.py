"""Royalties without a build: the rate table (effective dates, grades, types, reprints, photo
credits, co-authors, tax), the author registry and its matching, and the sums, against figures
worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from fractions import Fraction

import pytest

from plugins.contract.authors import load_authors, split_people
from plugins.contract.problems import WARNING
from plugins.contract.registry import load_registry
from plugins.contract.royalty_rates import grade_of, load_rates
from plugins.royalties.cli import RoyaltyError, period_of
from plugins.royalties.core import Period, Work, royalty_list, share_text, split, tax_on
from support import FIXTURES

TABLE = """\
    decisions:
      - from: 2025-07-01
        decision: Quyết định 2/QĐ
        default_grade: B
        rates:
          A: {tin: 350000, bai: 1000000}
          B: {tin: 250000, bai: 600000, anh: 400000}
        photo: 120000
        reprint: 50%
        co_authors: {first: 60%}
        tax: {rate: 10%, from_amount: 2000000}
      - from: 1/1/2025
        decision: Quyết định 1/QĐ
        default_grade: none
        rates:
          A: {tin: 300000, bai: "1.000.000"}
          b: {tin: "200 000", bai: 500000, "Ảnh": 400000}
        photo: 100000
        co_authors: equal
        tax: {rate: 10%, from_amount: "2.000.000"}
    """
AUTHORS = """\
    authors:
      - id: nguyen-van-an
        name: Nguyễn Văn An
        unit: cd-giao-duc
        pen_names: [Văn An, Hà An]
      - id: tran-thi-binh
        name: Trần Thị Bình
        unit: ban-tuyen-giao
      - id: le-hoa
        name: Lê Hòa
        unit: ldld-tinh
        notes: Phóng viên ảnh.
    """


def write(folder, name: str, text: str):
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def with_registries(folder):
    """``folder`` with the basic fixture's units, campaigns and sections."""
    for name in ("units.yml", "campaigns.yml", "sections.yml"):
        (folder / name).write_bytes((FIXTURES / "basic" / name).read_bytes())
    return folder


@pytest.fixture
def content(tmp_path):
    with_registries(tmp_path)
    write(tmp_path, "nhuan-but.yml", TABLE)
    return write(tmp_path, "authors.yml", AUTHORS)


@pytest.fixture
def table(content):
    found, problems = load_rates(content)
    assert problems == []
    return found


@pytest.fixture
def book(content):
    registry, _ = load_registry(content)
    found, problems = load_authors(content, registry)
    assert problems == []
    return found


def work(day: str, grade: str = "A", content_type: str = "tin", authors=("Nguyễn Văn An",), photographers=(),
         reprint=False, path="articles/a.md") -> Work:
    return Work(path, dt.date.fromisoformat(day), f"Tin {day}", content_type, grade, tuple(authors),
                tuple(photographers), reprint)


# --- the rate table


def test_each_decision_applies_from_its_day_to_the_next(table):
    assert [d.name for d in table.decisions] == ["Quyết định 1/QĐ", "Quyết định 2/QĐ"]  # sorted by date
    assert table.decision_on(dt.date(2024, 12, 31)) is None
    assert table.decision_on(dt.date(2025, 6, 30)).name == "Quyết định 1/QĐ"
    assert table.decision_on(dt.date(2025, 7, 1)).name == "Quyết định 2/QĐ"  # the change day is the new one's
    first = table.decisions[0]
    assert first.rates["B"] == {"tin": 200000, "bai": 500000, "anh": 400000}  # "b", "200 000", "Ảnh" read
    assert first.rates["A"]["bai"] == 1000000 and first.tax_from == 2000000
    assert first.default_grade == "" and table.decisions[1].default_grade == "B"
    assert first.reprint == 0 and table.decisions[1].reprint == Fraction(1, 2)
    assert first.first_share is None and table.decisions[1].first_share == Fraction(3, 5)


def test_grades_types_and_the_default_grade(table):
    june, july = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    assert grade_of(table, "a", june, "tin").grade == "A"
    assert grade_of(table, "", june, "tin").grade == ""  # no grade, no royalty under decision 1
    assert grade_of(table, "", july, "tin").grade == "B"  # decision 2 gives ungraded items B
    unknown = grade_of(table, "D", june, "tin", "articles/a.md", 9)
    assert unknown.grade == "" and unknown.problem.severity == WARNING and unknown.problem.code == "W610"
    assert str(unknown.problem).startswith("articles/a.md:9: cảnh báo W610: mức nhuận bút 'D' không có trong "
                                           "Quyết định 1/QĐ.")
    no_price = grade_of(table, "A", june, "anh", "articles/a.md", 9)
    assert no_price.grade == "" and no_price.problem.code == "W611"
    assert grade_of(table, "", july, "video").problem is None  # the default grade not paying a type is silent
    early = grade_of(table, "A", dt.date(2024, 5, 1), "tin", "articles/a.md", 3)
    assert early.problem.code == "W613" and "01/01/2025" in early.problem.message


def test_the_sums_of_a_month_by_hand(table, book):
    month = Period("month", 2025, 6)
    works = [
        work("2025-06-02", "A", "bai"),                                  # An 1.000.000
        work("2025-06-03", "B", "tin", authors=("nguyễn văn an", "Trần Thị Bình"), path="articles/b.md"),
        # 200.000 shared equally: An 100.000, Bình 100.000
        work("2025-06-04", "A", "bai", authors=("Văn An",), photographers=("Lê Hòa", "Trần Thị Bình", "Người Lạ"),
             path="articles/c.md"),
        # An 1.000.000 (pen name); photos 100.000 in three: Lê Hòa 33.334 (first, the remainder), Bình 33.333,
        # Người Lạ 33.333
        work("2025-06-05", "", "tin", path="articles/d.md"),              # ungraded: nothing
        work("2025-06-06", "A", "bai", reprint=True, path="articles/e.md"),  # reprint at 0%: nothing
        work("2025-07-01", "A", "tin", path="articles/f.md"),             # next month: not in the list
    ]
    result = royalty_list(works, table, book, month)
    by_name = {p.payee.name: p for p in result.payees}
    assert list(by_name) == ["Lê Hòa", "Người Lạ", "Nguyễn Văn An", "Trần Thị Bình"]  # sorted without accents
    an = by_name["Nguyễn Văn An"]
    assert [e.amount for e in an.entries] == [1000000, 100000, 1000000]
    assert an.gross == 2100000 and an.tax == 210000 and an.net == 1890000
    assert [e.amount for e in by_name["Trần Thị Bình"].entries] == [100000, 33333]
    assert by_name["Trần Thị Bình"].tax == 0
    assert by_name["Lê Hòa"].entries[0].amount == 33334 and by_name["Lê Hòa"].entries[0].role == "Ảnh"
    assert not by_name["Người Lạ"].payee.known and by_name["Người Lạ"].entries[0].amount == 33333
    assert (result.gross, result.tax, result.net) == (2300000, 210000, 2090000)
    assert share_text(an.entries[1].share) == "50%" and share_text(by_name["Lê Hòa"].entries[0].share) == "33,33%"


def test_the_new_decision_changes_amounts_split_and_reprints_from_its_day(table, book):
    works = [
        work("2025-07-01", "A", "tin", authors=("Nguyễn Văn An", "Trần Thị Bình", "Lê Hòa")),
        # 350.000: first 60% 210.000, the others 20% each, 70.000
        work("2025-07-02", "", "bai", reprint=True, path="articles/g.md"),
        # default B, 600.000, a reprint at 50%: 300.000
        work("2025-07-03", "B", "anh", authors=("Trần Thị Bình",), photographers=("Lê Hòa",), path="articles/h.md"),
        # 400.000 to Bình; photos 120.000 to Lê Hòa
    ]
    result = royalty_list(works, table, book, Period("quarter", 2025, 3))
    by_id = {p.payee.key: p for p in result.payees}
    assert [e.amount for e in by_id["nguyen-van-an"].entries] == [210000, 300000]
    assert [e.amount for e in by_id["tran-thi-binh"].entries] == [70000, 400000]
    assert [e.amount for e in by_id["le-hoa"].entries] == [70000, 120000]
    assert result.gross == 1170000 and result.tax == 0


def test_shares_are_rounded_half_up_and_add_up():
    assert split(100000, [Fraction(1, 3)] * 3) == [33334, 33333, 33333]
    assert split(100001, [Fraction(1, 2)] * 2) == [50000, 50001]  # 50.000,5 rounds up; the first takes what is left
    assert split(350000, [Fraction(3, 5), Fraction(1, 5), Fraction(1, 5)]) == [210000, 70000, 70000]
    for amount in (1, 2, 99999, 123457):
        assert sum(split(amount, [Fraction(1, 7)] * 7)) == amount


def test_tax_is_withheld_from_two_million_exactly(table):
    rule = table.decisions[0]
    assert tax_on(2000000, rule) == 200000
    assert tax_on(1999999, rule) == 0
    assert tax_on(2000005, rule) == 200001  # 200.000,5 rounds half up
    assert tax_on(5000000, None) == 0


def test_the_period_asked_for():
    assert period_of("2025-05", None, None) == Period("month", 2025, 5)
    assert period_of("5/2025", None, None).title == "tháng 5/2025"
    quarter = period_of(None, "2025-2", None)
    assert (quarter.start, quarter.end, quarter.title) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30), "quý 2/2025")
    assert period_of(None, None, "2024").end == dt.date(2024, 12, 31)
    assert Period("month", 2024, 2).end == dt.date(2024, 2, 29)
    for wrong in (("2025-13", None, None), (None, "2025-5", None), (None, None, "25"), ("2025-05", None, "2025"),
                  (None, None, None)):
        with pytest.raises(RoyaltyError):
            period_of(*wrong)


# --- mistakes in nhuan-but.yml


@pytest.mark.parametrize("line, value, code", [
    ("A: {tin: -5}", "", "E610"),
    ("A: {tin: 1.2}", "", "E610"),
    ("A: {tin: '1,200,000'}", "", "E610"),
    ("A: {tin: 100, podcast: 5}", "", "E613"),
    ("AB: {tin: 100}", "", "E612"),
    ("A: 300000", "", "E620"),
    ("{A: {tin: 1}, a: {tin: 2}}", "", "E621"),
])
def test_a_wrong_rate_is_told_at_its_line(tmp_path, line, value, code):
    write(tmp_path, "nhuan-but.yml", f"""\
        decisions:
          - from: 1/1/2025
            decision: Quyết định 1
            default_grade: none
            rates:
              {line}
        """)
    table, problems = load_rates(tmp_path)
    assert [(p.path, p.line, p.code) for p in problems] == [("nhuan-but.yml", 6, code)]
    assert table.broken


def test_wrong_rules_of_a_decision_are_told(tmp_path):
    write(tmp_path, "nhuan-but.yml", """\
        decisions:
          - from: 1/1/2025
            decision: Quyết định 1
            default_grade: Z
            rates:
              A: {tin: 100}
            reprint: một nửa
            co_authors: first
            tax: {rate: 10%}
          - from: 2025-01-01
            decision: Quyết định 1b
            default_grade: none
            rates:
              A: {tin: 100}
        """)
    _, problems = load_rates(tmp_path)
    assert [(p.line, p.code) for p in problems] == [(4, "E614"), (7, "E611"), (8, "E616"), (9, "E618"),
                                                    (10, "E615")]
    assert "'Z'" in problems[0].message and "dòng 2" in problems[4].message and "một trong A" in problems[0].message


def test_a_table_without_decisions_or_rates_is_told(tmp_path):
    write(tmp_path, "nhuan-but.yml", "decisions: []\n")
    assert [(p.line, p.code) for p in load_rates(tmp_path)[1]] == [(1, "E619")]
    write(tmp_path, "nhuan-but.yml", "decisions:\n  - from: 1/1/2025\n    decision: QĐ 1\n    default_grade: none\n")
    table, problems = load_rates(tmp_path)
    assert [(p.line, p.code) for p in problems] == [(2, "E617")] and table.decisions == ()


def test_no_rate_table_means_a_grade_is_a_warning(tmp_path):
    table, problems = load_rates(tmp_path)
    assert (table.present, problems) == (False, [])
    assert grade_of(table, "A", dt.date(2025, 5, 1), "tin", "articles/a.md", 4).problem.code == "W612"
    assert grade_of(table, "", dt.date(2025, 5, 1), "tin").problem is None


# --- the author registry


def test_names_match_whatever_their_form_case_and_spaces(book):
    an = book.find("Nguyễn Văn An")
    assert an.id == "nguyen-van-an" and an.unit_id == "cd-giao-duc"
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert decomposed != "Nguyễn Văn An" and book.find(decomposed) is an
    assert book.find("nguyễn văn an") is an and book.find("  Nguyễn   văn An ") is an
    assert book.find("Hà An") is an and book.find("văn an") is an  # pen names
    assert book.find("nguyen-van-an") is an  # the id
    assert book.find("Nguyễn Văn Ân") is None  # accents count: another name
    assert split_people("Nguyễn Văn An, Trần Thị Bình; Lê Hòa,, Nguyễn Văn An") == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Hòa"]


def test_an_unknown_name_gets_a_suggestion_without_accents(book):
    assert book.hint("Nguyen Van An") == " Có phải ý bạn là 'Nguyễn Văn An'?"
    assert book.hint("Tran Thi Binh") == " Có phải ý bạn là 'Trần Thị Bình'?"
    assert book.hint("Hoàng Quốc Việt") == ""


def test_registry_mistakes_are_errors_at_their_lines(tmp_path):
    with_registries(tmp_path)
    write(tmp_path, "authors.yml", """\
        authors:
          - id: nguyen-van-an
            name: Nguyễn Văn An
            unit: cd-giao-duc
            so_tai_khoan: "0123456789"
          - id: an-khac
            name: Lê An
            unit: cd-giao-ducc
            pen_names: [nguyễn văn an]
          - id: ba
            name: Ba
            unit: ldld-tinh
            pen_names: {a: b}
            CCCD: "001"
        """)
    registry, _ = load_registry(tmp_path)
    book, problems = load_authors(tmp_path, registry)
    assert sorted((p.path, p.line, p.code) for p in problems) == [
        ("authors.yml", 5, "E601"), ("authors.yml", 8, "E603"), ("authors.yml", 9, "E602"),
        ("authors.yml", 13, "E604"), ("authors.yml", 14, "E601")]
    problems = sorted(problems)
    assert "ngân hàng" in problems[0].message and "Có phải ý bạn là 'cd-giao-duc'?" in problems[1].message
    # Each person is still known by name (their articles match), without what was wrong.
    assert [(p.id, p.unit_id, p.pen_names) for p in book.people.values()] == [
        ("nguyen-van-an", "cd-giao-duc", ()), ("an-khac", "", ()), ("ba", "ldld-tinh", ())]
    assert book.find("nguyễn văn an").id == "nguyen-van-an"


def test_two_people_cannot_share_a_name(tmp_path):
    with_registries(tmp_path)
    write(tmp_path, "authors.yml", """\
        authors:
          - id: nguyen-van-an
            name: Nguyễn Văn An
            unit: cd-giao-duc
          - id: an-khac
            name: Lê An
            unit: cd-giao-duc
            pen_names: [nguyễn  VĂN an]
        """)
    registry, _ = load_registry(tmp_path)
    book, problems = load_authors(tmp_path, registry)
    assert [(p.line, p.code) for p in problems] == [(8, "E602")]
    assert "'nguyen-van-an' (dòng 3)" in problems[0].message
    assert book.find("Nguyễn Văn An").id == "nguyen-van-an" and book.find("Lê An").id == "an-khac"


def test_text_that_looks_like_a_formula_stays_text(table, book, tmp_path):
    from openpyxl import load_workbook

    from plugins.contract.registry import Registry
    from plugins.royalties.formats import to_csv, xlsx_bytes
    from support import NOW

    hostile = Work("articles/x.md", dt.date(2025, 6, 2), "=HYPERLINK(\"http://x\",\"bấm\")", "tin", "A",
                   ("@Nguyễn Lạ",))
    result = royalty_list([hostile], table, book, Period("month", 2025, 6))
    text = to_csv(result, Registry()).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@Nguyễn Lạ" in text
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(result, Registry(), NOW, "Cổng"))
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if isinstance(c.value, str)]
    formula = next(c for c in cells if c.value.startswith("=HYPERLINK"))
    assert formula.data_type == "s"
