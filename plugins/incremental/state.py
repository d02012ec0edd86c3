"""What the incremental plugin keeps in the build object: the ledger, the
page keys and the queue of pages to render. Pure code."""

from __future__ import annotations

from pathlib import Path

from .keys import PageKeys
from .ledger import Ledger, Manifest
from .render import Page, RenderPool


class IncrementalState:
    def __init__(self, output: Path, previous: Manifest | None, keys: PageKeys, workers: int, min_pages: int):
        self.ledger = Ledger(output, previous)
        self.keys = keys
        self.pool = RenderPool(output, workers, min_pages)

    def queue(self, name: str, template, context: dict, own: frozenset = frozenset()) -> None:
        """Carry page ``name`` if its key is unchanged, else queue it for rendering; ``own`` names
        the values given for this page alone."""
        key = self.keys.key(template, context, name, own)
        self.pool.discard(name)
        if self.ledger.carry(name, key):
            return
        self.ledger.record(name, key)
        self.pool.add(Page(name, template, context))

    def render_now(self, name: str, template, context: dict, own: frozenset = frozenset()) -> tuple[str, str] | None:
        """Carry or render page ``name`` at once; (name, error) if it failed."""
        key = self.keys.key(template, context, name, own)
        self.pool.discard(name)
        if self.ledger.carry(name, key):
            return None
        failure = self.pool.render_one(Page(name, template, context))
        if failure is None:
            self.ledger.record(name, key)
        else:
            self.ledger.forget(name)
        return failure

    def render(self) -> list[tuple[str, str]]:
        """Render every queued page; (name, error) of those that failed, which are not recorded."""
        failures = self.pool.run()
        for name, _ in failures:
            self.ledger.forget(name)
        return failures
