"""Pelican generator of the web editor at /quan-tri/: the vendored bundle, the site's header
format script, and the configuration made from the contract and registries of this build."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from pelican.generators import Generator

from plugins import urls
from plugins.contract import dates
from plugins.contract.build import portal_build
from plugins.output import write_output
from plugins.publishing import security

from . import bundle, core
from .settings import load

logger = logging.getLogger(__name__)
YEAR_FOLDER = re.compile(r"^\d{4}$")


class CmsGenerator(Generator):
    def generate_context(self):
        self.options = load(self.settings)

    def generate_output(self, writer):
        if not self.options.enabled:
            return
        build = portal_build(self)
        article_dir = self.settings["ARTICLE_PATHS"][0]
        today = build.now.astimezone(dates.SITE_TZ).date()
        config = core.configuration(build.registry, today, self._years(article_dir), self.options, article_dir,
                                    self.settings.get("SITEURL", ""))
        site_security = security.load(self.settings)
        policy = security.editor_policy(site_security, security.editor_hosts(self.settings))
        stylesheet = f"{self.settings.get('SITEURL', '')}/{self.settings.get('THEME_STATIC_DIR', urls.THEME)}/css/site.css"
        folder = Path(self.output_path) / urls.CMS
        write_output(folder, core.CONFIG_FILE, core.dump(config))
        write_output(folder, core.HEADER_FILE, core.header_script())
        current = {owner: entry.url for owner, entry in build.urls.record.current().items()}
        write_output(folder, core.RECORDED_FILE, core.recorded_script(current, self.options.content_folder))
        write_output(folder, urls.INDEX_FILE, core.index_html(stylesheet, self.options.guide_url,
                                                               security.content_security_policy(policy, meta=True),
                                                               f"{self.settings.get('SITEURL', '')}/{urls.CMS}"))
        shutil.copyfile(bundle.CMS_DIR / core.SCRIPT_FILE, folder / core.SCRIPT_FILE)
        for path in bundle.served_files():
            write_output(folder / core.BUNDLE_FOLDER, bundle.served_name(path), bundle.served_bytes(path))
        logger.info("Trình soạn tin bài: /%s/ (Decap CMS %s).", urls.CMS, bundle.version())

    def _years(self, article_dir: str) -> list[int]:
        """The year folders of the articles (names only; nothing outside the content folder)."""
        root = Path(self.settings["PATH"]) / article_dir
        if not root.is_dir() or root.is_symlink():
            return []
        return [int(p.name) for p in root.iterdir() if YEAR_FOLDER.match(p.name) and p.is_dir() and not p.is_symlink()]
