"""The royalty sums: what each published work earns, shared between its people, per person and period.

Money is whole đồng. A share is rounded half up to the đồng and the first
author takes the remainder, so the shares of a work always add up to its
amount. Income tax is withheld per payment, and a payment is what one person
gets in one list (a month, a quarter or a year), by the tax rule of the
decision in force on the list's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from plugins.contract.authors import AuthorBook, name_key
from plugins.contract.royalty_rates import Decision, RateTable, grade_of
from plugins.contract.text import fold

AUTHOR_ROLE, PHOTO_ROLE = "Tác giả", "Ảnh"
UNKNOWN_NOTE = "chưa có trong authors.yml"


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "year"
    year: int
    number: int = 0  # the month or the quarter

    @property
    def start(self) -> dt.date:
        first = {"month": self.number, "quarter": 3 * self.number - 2}.get(self.kind, 1)
        return dt.date(self.year, first, 1)

    @property
    def end(self) -> dt.date:
        last = {"month": self.number, "quarter": 3 * self.number}.get(self.kind, 12)
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def title(self) -> str:
        """``tháng 5/2025``, ``quý 2/2025``, ``năm 2025``."""
        if self.kind == "year":
            return f"năm {self.year}"
        return f"{'tháng' if self.kind == 'month' else 'quý'} {self.number}/{self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Work:
    """A published article as the royalties read it (what the editor wrote, as written)."""

    path: str
    day: dt.date  # the local publication day
    title: str
    content_type: str
    grade: str
    authors: tuple[str, ...]
    photographers: tuple[str, ...] = ()
    reprint: bool = False


@dataclass(frozen=True)
class Payee:
    key: str  # the person's id, or "?" and the written name for someone not in the registry
    name: str
    unit_id: str = ""
    known: bool = True


@dataclass(frozen=True)
class Entry:
    """One line of a person's list: a work (or its photos) and the person's part of it."""

    day: dt.date
    title: str
    path: str
    content_type: str
    role: str
    grade: str
    full: int  # what the work (or its photos) earns in all
    share: Fraction
    amount: int  # this person's part
    decision: str


@dataclass
class PayeeTotal:
    payee: Payee
    entries: list[Entry] = field(default_factory=list)
    tax: int = 0

    @property
    def gross(self) -> int:
        return sum(e.amount for e in self.entries)

    @property
    def net(self) -> int:
        return self.gross - self.tax


@dataclass
class RoyaltyList:
    period: Period
    payees: list[PayeeTotal]
    # The decision whose tax rule applied (in force on the period's last day).
    tax_decision: Decision | None = None

    @property
    def gross(self) -> int:
        return sum(p.gross for p in self.payees)

    @property
    def tax(self) -> int:
        return sum(p.tax for p in self.payees)

    @property
    def net(self) -> int:
        return self.gross - self.tax


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def shares(people: int, first: Fraction | None) -> list[Fraction]:
    """Each person's part: equal, or ``first`` for the first and the rest equally."""
    if people <= 1:
        return [Fraction(1)] * people
    if first is None:
        return [Fraction(1, people)] * people
    return [first] + [(1 - first) / (people - 1)] * (people - 1)


def split(amount: int, parts: list[Fraction]) -> list[int]:
    """``amount`` in whole đồng by ``parts``: each rounded half up, the first taking what is left."""
    others = [round_half_up(amount * p) for p in parts[1:]]
    return [amount - sum(others), *others]


def work_amount(decision: Decision, grade: str, work: Work) -> int:
    """What the text of ``work`` earns at ``grade``; a reprint its reprint part (rounded half up)."""
    amount = decision.rates[grade][work.content_type]
    return round_half_up(amount * decision.reprint) if work.reprint else amount


def photo_amount(decision: Decision, work: Work) -> int:
    return round_half_up(decision.photo * decision.reprint) if work.reprint else decision.photo


def tax_on(gross: int, decision: Decision | None) -> int:
    """Income tax withheld from one payment of ``gross``: from ``tax_from`` (inclusive) at ``tax_rate``."""
    if decision is None or not decision.tax_rate or gross < decision.tax_from or gross <= 0:
        return 0
    return round_half_up(gross * decision.tax_rate)


def payee_of(book: AuthorBook, written: str) -> Payee:
    person = book.find(written)
    if person is None:
        return Payee("?" + name_key(written), written, "", False)
    return Payee(person.id, person.name, person.unit_id)


def entries_of(work: Work, table: RateTable, book: AuthorBook) -> list[tuple[Payee, Entry]]:
    """Every person's part of ``work``: its authors' of the text, its photographers' of the photos."""
    decision = table.decision_on(work.day)
    if decision is None:
        return []
    found = []
    grade = grade_of(table, work.grade, work.day, work.content_type)
    if grade.grade and grade.problem is None and work.authors:
        full = work_amount(decision, grade.grade, work)
        found += _parts(work, book, work.authors, full, shares(len(work.authors), decision.first_share),
                        AUTHOR_ROLE, grade.grade, decision)
    if work.photographers and decision.photo:
        full = photo_amount(decision, work)
        found += _parts(work, book, work.photographers, full, shares(len(work.photographers), None), PHOTO_ROLE,
                        "", decision)
    return found


def _parts(work: Work, book: AuthorBook, people: tuple[str, ...], full: int, parts: list[Fraction], role: str,
           grade: str, decision: Decision) -> list[tuple[Payee, Entry]]:
    if full <= 0:
        return []
    amounts = split(full, parts)
    return [(payee_of(book, person), Entry(work.day, work.title, work.path, work.content_type, role, grade, full,
                                           part, amount, decision.name))
            for person, part, amount in zip(people, parts, amounts)]


def royalty_list(works: list[Work], table: RateTable, book: AuthorBook, period: Period) -> RoyaltyList:
    """The period's list: per person each work and photo credit, sorted; the tax of each payment."""
    by_payee: dict[str, PayeeTotal] = {}
    for work in sorted(works, key=lambda w: (w.day, w.path)):
        if not period.contains(work.day):
            continue
        for payee, entry in entries_of(work, table, book):
            by_payee.setdefault(payee.key, PayeeTotal(payee)).entries.append(entry)
    tax_decision = table.decision_on(period.end)
    payees = sorted(by_payee.values(), key=lambda p: (fold(p.payee.name), p.payee.name, p.payee.key))
    for payee in payees:
        payee.entries.sort(key=lambda e: (e.day, e.path, e.role))
        payee.tax = tax_on(payee.gross, tax_decision)
    return RoyaltyList(period, payees, tax_decision)


def share_text(share: Fraction) -> str:
    """``100%``, ``50%``, ``33,33%``."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{float(percent):.2f}%".replace(".", ",")
