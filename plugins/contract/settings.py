"""Settings of the content contract: defaults merged with ``PORTAL_CONTRACT``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from plugins.settings import load_section

from .downloads import KINDS, check_types


@dataclass(frozen=True)
class ContractSettings:
    # Problems in drafts are reported as warnings so a half-written draft
    # never blocks the other articles.
    strict_drafts: bool = False
    # Local previews only (`invoke serve --drafts`): drafts without errors are
    # shown as if published so an editor can see the item before publishing it.
    preview_drafts: bool = False
    # Extensions of the files in files/ that are published (each checked by its first bytes).
    download_types: tuple[str, ...] = tuple(KINDS)
    # `build --keep-going` (the default of `publish`): an article with errors is left out, or shown in
    # its last good version, and the others are published; only errors in the registries stop the build.
    keep_going: bool = False


def load(settings: dict) -> ContractSettings:
    loaded = load_section(settings, "PORTAL_CONTRACT", ContractSettings)
    check_types(loaded.download_types)
    return loaded


def keeping_going(settings: Mapping) -> dict:
    """``settings`` with ``keep_going`` set in ``PORTAL_CONTRACT`` (what `--keep-going` asks of check and report)."""
    return {**settings, "PORTAL_CONTRACT": {**(settings.get("PORTAL_CONTRACT") or {}), "keep_going": True}}
