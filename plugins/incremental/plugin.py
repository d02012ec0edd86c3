"""Signal handlers of incremental, parallel builds: the ledger starts with the
build, the keyed writer replaces Pelican's, and the queued pages are rendered
over all cores when the generators are done."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from jinja2 import Environment, Undefined
from pelican.contents import Content
from pelican.generators import Generator
from pelican.paginator import Paginator

from plugins.contract.build import portal_build
from plugins.contract.registry import Unit

from .fingerprint import Fingerprints
from .inputs import code_version
from .keys import PageKeys
from .ledger import Manifest
from .settings import load
from .state import IncrementalState
from .templates import load_known, save_known
from .writer import KeyedWriter

logger = logging.getLogger(__name__)

# Settings that name this build's own folders, not what its pages show.
VOLATILE_SETTINGS = frozenset({"PORTAL_BUILD", "OUTPUT_PATH", "CACHE_PATH", "PORTAL_LEDGER"})
LEDGER_KEY = "PORTAL_LEDGER"


def _special(value):
    """Pelican's and Jinja's objects, by what a page can print of them."""
    if isinstance(value, Paginator):
        return (value.name, value.url, value.per_page, value.orphans, value.count, value.num_pages)
    if isinstance(value, (Generator, Environment)):
        return type(value).__qualname__  # the build's machinery; its settings are in the salt
    if isinstance(value, Undefined):
        return "undefined"
    if isinstance(value, Unit):
        return _unit(value)
    return None


def _unit(unit: Unit) -> tuple:
    """A unit with the names and histories of its ancestors and of the units it links to, not the
    whole tree it is linked into (its line in units.yml is not shown anywhere)."""
    def brief(other: Unit) -> tuple:
        return (other.id, other.name, other.short_name, other.kind, other.active, other.active_from,
                other.active_until, other.stretches)

    ancestors, parent = [], unit.parent
    while parent is not None and len(ancestors) < 64:
        ancestors.append(brief(parent))
        parent = parent.parent
    linked = {"parent", "children", "line", "successor", "predecessors", "former_children", "former_parents", "_starts"}
    own = {k: v for k, v in vars(unit).items() if k not in linked}
    return (own, ancestors, [brief(p) for p in unit.former_parents], [brief(c) for c in unit.children],
            [brief(c) for c in unit.former_children], [brief(p) for p in unit.predecessors],
            brief(unit.successor) if unit.successor else None)


def _is_content(value) -> bool:
    return isinstance(value, Content)


def start(pelican) -> None:
    build = portal_build(pelican)
    options = load(pelican.settings)
    fingerprints = Fingerprints(_is_content, _special)
    # Setting by setting: the mapping as a whole is what digests leave out wherever it is met.
    settings = b"".join(fingerprints.encode(k) + fingerprints.encode(v)
                        for k, v in sorted(pelican.settings.items()) if k not in VOLATILE_SETTINGS)
    salt = code_version(pelican.settings).encode() + hashlib.sha256(settings).digest()
    previous = None
    manifest = (pelican.settings.get(LEDGER_KEY) or {}).get("manifest")
    if options.carry and manifest:
        previous = Manifest.load(Path(manifest))
    workers = options.workers or os.cpu_count() or 1
    known = load_known(_templates_file(pelican.settings))
    build.incremental = IncrementalState(Path(pelican.output_path), previous, PageKeys(salt, fingerprints, known),
                                         workers, options.min_pages)


def _templates_file(settings) -> Path:
    return Path(settings["CACHE_PATH"]) / "incremental-templates.json"


def writer_class(pelican):
    return KeyedWriter


def render_pages(pelican) -> None:
    state = portal_build(pelican).incremental
    for name, error in state.render():
        logger.error("không dựng được trang %s: %s", name or "(nhiều trang)", error)
    try:
        save_known(_templates_file(pelican.settings), state.keys.known_templates)
    except OSError as exc:
        logger.warning("Không lưu được bộ nhớ đệm mẫu trang: %s", exc)
    logger.info(state.ledger.summary())
