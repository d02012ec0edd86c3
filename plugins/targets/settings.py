"""Settings of the statistics section: defaults merged with ``PORTAL_TARGETS``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class TargetSettings:
    # Content types counted as multimedia for the plan's 50% goal.
    multimedia_types: tuple[str, ...] = ("anh", "video", "infographic")
    multimedia_goal: int = 50
    # "" puts /thong-ke/ into the site; a folder keeps it out of the public site,
    # for the editorial board only.
    board_output: str = ""


def load(settings: dict) -> TargetSettings:
    return load_section(settings, "PORTAL_TARGETS", TargetSettings)
