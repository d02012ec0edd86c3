"""Pages queued during a build and rendered at its end over all cores.

Pelican's generators hand every page to the writer one after another; the
writer queues those whose key changed, and :meth:`RenderPool.run` renders
them in forked worker processes, which share the finished context of the
build with the parent instead of receiving a pickled copy of it. Each worker
renders every n-th page and writes it as a new file. Without fork (or with
few pages) the same code runs in this process and writes the same bytes.
Pure code: a page is a name and something with ``render(context)``.
"""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ledger import replace_file


@dataclass
class Page:
    name: str  # path under the output folder
    template: Any
    context: dict


def can_fork() -> bool:
    return hasattr(os, "fork")


class RenderPool:
    def __init__(self, output: Path, workers: int = 1, min_pages: int = 1):
        self.output = Path(output)
        self.workers = max(1, workers)
        self.min_pages = max(1, min_pages)
        self._pages: dict[str, Page] = {}

    def add(self, page: Page) -> None:
        """Queue ``page``; a later page of the same name takes its place (Pelican's override)."""
        self._pages.pop(page.name, None)
        self._pages[page.name] = page

    def discard(self, name: str) -> None:
        self._pages.pop(name, None)

    def __len__(self) -> int:
        return len(self._pages)

    def workers_for(self, count: int) -> int:
        if not can_fork() or count < 2 * self.min_pages:
            return 1
        return max(1, min(self.workers, count // self.min_pages))

    def run(self) -> list[tuple[str, str]]:
        """Render and write every queued page; (name, error) of each that failed."""
        pages, self._pages = list(self._pages.values()), {}
        workers = self.workers_for(len(pages))
        if workers == 1:
            return [failure for page in pages if (failure := self._render(page))]
        return self._fork(pages, workers)

    def render_one(self, page: Page) -> tuple[str, str] | None:
        """Render ``page`` in this process, now."""
        return self._render(page)

    def _render(self, page: Page) -> tuple[str, str] | None:
        try:
            text = page.template.render(page.context)
            replace_file(self.output / page.name, text.encode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - reported for this page; the build then fails with its name
            return page.name, "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return None

    def _fork(self, pages: list[Page], workers: int) -> list[tuple[str, str]]:
        children = []
        for index in range(workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: render its share, report failures, leave without running the parent's exit code
                os.close(read)
                status = 1
                try:
                    failures = [f for page in pages[index::workers] if (f := self._render(page))]
                    with os.fdopen(write, "wb") as out:
                        out.write(json.dumps(failures).encode("utf-8"))
                    status = 0
                finally:
                    os._exit(status)
            os.close(write)
            children.append((pid, read))
        failures: list[tuple[str, str]] = []
        for pid, read in children:
            with os.fdopen(read, "rb") as handle:
                data = handle.read()
            _, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                failures.append(("", f"tiến trình dựng trang {pid} dừng giữa chừng (mã {status})"))
            else:
                failures += [tuple(f) for f in json.loads(data)]
        return failures
