"""Settings of the content contract: defaults merged with ``PORTAL_CONTRACT``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class ContractSettings:
    # Problems in drafts are reported as warnings so a half-written draft
    # never blocks the other articles.
    strict_drafts: bool = False
    # Local previews only (`invoke serve --drafts`): drafts without errors are
    # shown as if published so an editor can see the item before publishing it.
    preview_drafts: bool = False


def load(settings: dict) -> ContractSettings:
    return load_section(settings, "PORTAL_CONTRACT", ContractSettings)
