"""Pelican's writer, keyed: each page gets its key before it is rendered; an
unchanged page is carried from the previous output, a changed one is queued
and rendered with every other at the end of the build (plugins.incremental.render).

The pagination and the local context are Pelican's (``Writer.write_file``),
so the bytes are those Pelican would write; Pelican's rule against writing
one file twice is kept too.
"""

from __future__ import annotations

import logging
import os

from pelican.paginator import Paginator
from pelican.utils import path_to_url, sanitised_join, get_relative_path
from pelican.writers import Writer

from plugins.contract.build import portal_build

logger = logging.getLogger(__name__)


class KeyedWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.build = portal_build(self.settings)
        self.state = self.build.incremental
        self.state.keys.fingerprints.share(self.settings)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._page(template, context, name, kwargs, relative_urls, override_output)
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
        for number in range(next(iter(paginators.values())).num_pages):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number + 1)
                page_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                    f"{key}_next_page": paginator.page(number + 2) if number + 1 < paginator.num_pages else None,
                })
            self._page(template, context, page.save_as, page_kwargs, relative_urls, override_output)

    def _page(self, template, context, name, kwargs, relative_urls, override) -> None:
        path = sanitised_join(self.output_path, name)
        if not self._claim(path, override):
            return
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if relative_urls:
            relative = path_to_url(get_relative_path(name))
            local["SITEURL"] = relative
            local["localsiteurl"] = relative
        local["output_file"] = name
        local.update(kwargs)
        if local["localsiteurl"]:
            context["localsiteurl"] = local["localsiteurl"]
        relative_name = os.path.relpath(path, self.output_path).replace(os.sep, "/")
        own = frozenset(kwargs) | {"output_file", "localsiteurl", "SITEURL"}
        if relative_urls:
            # Its body's links follow the shared context's local SITEURL, set just above for this
            # page: rendered now, as Pelican would, not with the queue.
            failure = self.state.render_now(relative_name, template, local, own)
            if failure:
                logger.error("không dựng được trang %s: %s", *failure)
            return
        self.state.queue(relative_name, template, local, own)

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's rule: a file is written once, unless exactly one write overrides the others."""
        if path in self._overridden_files:
            if override:
                raise RuntimeError(f"File {path} is set to be overridden twice")
            logger.info("Skipping %s", path)
            return False
        if path in self._written_files and not override:
            raise RuntimeError(f"File {path} is to be overwritten")
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True
