"""One taxonomy engine for units, campaigns, sections and archives.

Pure code: articles arrive newest first in a total order (:func:`item_key`,
the contract's order) and every grouping keeps that order, so items that
share a time are listed alike in every build. All work is linear in the
number of articles (times the depth of the unit tree; for related items,
times the bounded reach), so a national portal with 20,000 items a year stays fast.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Iterator, Sequence

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


# How far along each shared group (on each side, in the group's newest-first order)
# related items are looked for: bounds the work per article, however large a tag grows.
RELATED_REACH = 50
# What the same unit alone is worth: less than any shared tag or campaign (at least 1),
# because where an item comes from says less about it than what it is about.
SAME_UNIT_WEIGHT = 0.5


@dataclass(frozen=True)
class Facet:
    """One way two articles can be related: a term both have, worth ``weight(group size, articles)``."""

    name: str
    terms_of: Callable[[Any], Iterable[Hashable]]
    weight: Callable[[int, int], float]


def rarity(size: int, total: int) -> float:
    """A shared term that few articles have says more (idf): 1 for a term every article has."""
    return 1.0 + math.log(total / size)


def same_unit(size: int, total: int) -> float:
    return SAME_UNIT_WEIGHT


def related(articles: Sequence[Any], facets: Sequence[Facet], limit: int,
            reach: int = RELATED_REACH) -> Iterator[tuple[Any, list]]:
    """(article, up to ``limit`` related articles) for every article, newest first.

    A candidate shares a term with the article and sits within ``reach`` of it in
    that term's group; its score is the sum of the weights of the groups it was
    found in. Best score first, then nearest in time, then newer (the total order
    :func:`item_key`), so the result does not depend on the input order. The
    article's newer and older neighbours (as :func:`neighbours` gives them) are
    left out: the page links to them already. Articles that share nothing are
    never listed, so a list may be short or empty. Work is at most
    ``2 * reach`` candidates per group an article is in.
    """
    ordered = sorted(articles, key=item_key, reverse=True)
    times = [article.date.timestamp() for article in ordered]
    memberships = _memberships(ordered, facets)
    for index, article in enumerate(ordered):
        scores: dict[int, float] = {}
        for place in memberships[index]:
            weight = place.weight
            for other in place.members[max(0, place.position - reach):place.position + reach + 1]:
                scores[other] = scores.get(other, 0.0) + weight
        for excluded in (index - 1, index, index + 1):
            scores.pop(excluded, None)
        moment = times[index]
        best = heapq.nsmallest(limit, scores, key=lambda other: (-scores[other], abs(times[other] - moment), other))
        yield article, [ordered[other] for other in best]


@dataclass(frozen=True, slots=True)
class _Membership:
    """An article's place in one group: the members (indexes, newest first), where it
    sits among them, and what sharing the group weighs."""

    members: list[int]
    position: int
    weight: float


def _memberships(ordered: Sequence[Any], facets: Sequence[Facet]) -> list[list[_Membership]]:
    """Every group each article (by index in ``ordered``) is in, the article's facets in order."""
    found: list[list[tuple[Facet, list[int], int]]] = [[] for _ in ordered]
    for facet in facets:
        groups: dict[Hashable, list[int]] = {}
        for index, article in enumerate(ordered):
            for term in dict.fromkeys(facet.terms_of(article)):
                if term is None:
                    continue
                members = groups.setdefault(term, [])
                found[index].append((facet, members, len(members)))
                members.append(index)
    total = len(ordered)
    return [[_Membership(members, position, facet.weight(len(members), total)) for facet, members, position in places]
            for places in found]
