"""One taxonomy engine for units, campaigns, sections and archives.

Pure code: articles arrive newest first in a total order (:func:`item_key`,
the contract's order) and every grouping keeps that order, so items that
share a time are listed alike in every build. All work is linear in the
number of articles (times the depth of the unit tree), so a national portal
with 20,000 items a year stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Sequence

from plugins import urls
from plugins.contract.registry import Registry, Unit


def item_key(item: Any) -> tuple:
    """The total order of articles: date, then source path (no two files share one)."""
    return (item.date, item.relative_source_path)


def term_key(term: Any) -> tuple:
    """The total order of Pelican's tags: slug (one tag per slug), then name."""
    return (term.slug, term.name)


@dataclass(frozen=True)
class TaxonomySpec:
    """A declarative taxonomy: which terms an article has, and how they roll up.

    ``counted_for(term, article)`` gives the terms an article of ``term`` counts
    for (for units: the unit and the units above it on the article's day).
    """

    name: str
    template: str
    terms_of: Callable[[Any], Iterable[Hashable]]
    counted_for: Callable[[Any, Any], Iterable[Hashable]] | None = None


def group(articles: Sequence[Any], spec: TaxonomySpec, all_terms: Iterable[Hashable] = ()) -> dict[Any, list]:
    """Articles per term; with ``counted_for`` each article also counts for the terms it rolls up to."""
    groups: dict[Any, list] = {term: [] for term in all_terms}
    for article in articles:
        terms: dict[int, Any] = {}
        for term in spec.terms_of(article):
            if term is None:
                continue
            for counted in spec.counted_for(term, article) if spec.counted_for else (term,):
                terms.setdefault(id(counted), counted)
        for term in terms.values():
            groups.setdefault(term, []).append(article)
    return groups


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode]
    article_count: int


def unit_tree(registry: Registry, by_unit: dict[Unit, list]) -> list[UnitNode]:
    """The registry's tree as nodes with article counts, built without recursion."""
    def node(unit: Unit) -> UnitNode:
        return UnitNode(unit, [], len(by_unit.get(unit, ())))

    roots = [node(root) for root in registry.roots()]
    stack = list(roots)
    while stack:
        parent = stack.pop()
        parent.children = [node(child) for child in parent.unit.children]
        stack.extend(parent.children)
    return roots


def index_nodes(roots: list[UnitNode]) -> dict[str, UnitNode]:
    found, stack = {}, list(roots)
    while stack:
        current = stack.pop()
        found[current.unit.id] = current
        stack.extend(current.children)
    return found


@dataclass
class MonthArchive:
    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        return f"Tháng {self.month}/{self.year}"

    @property
    def url(self) -> str:
        return urls.archive_month(self.year, self.month)


@dataclass
class YearArchive:
    year: int
    count: int
    months: list[MonthArchive] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Năm {self.year}"

    @property
    def url(self) -> str:
        return urls.archive_year(self.year)


def archives(by_year: dict[int, list], by_month: dict[tuple[int, int], list]) -> list[YearArchive]:
    """Years newest first, each with its months newest first."""
    years = {y: YearArchive(y, len(items)) for y, items in by_year.items()}
    for (y, m), items in sorted(by_month.items(), reverse=True):
        years[y].months.append(MonthArchive(y, m, len(items)))
    return [years[y] for y in sorted(years, reverse=True)]


def neighbours(articles: Sequence[Any]) -> Iterable[tuple[Any, Any, Any]]:
    """(article, newer, older) along the newest-first list."""
    for index, article in enumerate(articles):
        newer = articles[index - 1] if index > 0 else None
        older = articles[index + 1] if index + 1 < len(articles) else None
        yield article, newer, older


def positions(groups: dict[Any, list]) -> dict[tuple[Any, int], int]:
    """Where each article sits in each group: (term, id(article)) -> index."""
    return {(term, id(a)): i for term, items in groups.items() for i, a in enumerate(items)}


def nearest(article: Any, lists: Iterable[tuple[list, int]], limit: int) -> list:
    """Up to ``limit`` articles closest in time to ``article`` in the given lists,
    the first list first (for related items: same campaign, then same unit).

    Closeness is the distance in the list, so at an equal distance the newer
    one comes first, and equal times are ordered as the list orders them.
    """
    chosen: dict[int, Any] = {id(article): article}
    for items, index in lists:
        for step in range(1, len(items)):
            if len(chosen) > limit:
                break
            for candidate in (index - step, index + step):
                if 0 <= candidate < len(items) and len(chosen) <= limit:
                    chosen.setdefault(id(items[candidate]), items[candidate])
            if index - step < 0 and index + step >= len(items):
                break
    chosen.pop(id(article))
    return list(chosen.values())
