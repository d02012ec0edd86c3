"""Settings of the statistics section: defaults merged with ``PORTAL_TARGETS``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.contract.articles import CONTENT_TYPES
from plugins.settings import load_section


@dataclass(frozen=True)
class TargetSettings:
    # Products on digital platforms, for the plan's goal (50 % of all communication products by
    # 2028): an item is digital when its channel is one of these and its type one of those.
    digital_channels: tuple[str, ...] = ("website", "fanpage", "trang-cdvn")
    digital_types: tuple[str, ...] = tuple(CONTENT_TYPES)
    digital_goal: int = 50
    digital_goal_year: int = 2028
    # The channel of the national union page: the plan asks the federation for an item a day there.
    national_channel: str = "trang-cdvn"
    # "" puts /thong-ke/ into the site; a folder keeps it out of the public site,
    # for the editorial board only.
    board_output: str = ""

    def is_digital(self, record) -> bool:
        return record.channel_id in self.digital_channels and record.content_type in self.digital_types


def load(settings: dict) -> TargetSettings:
    return load_section(settings, "PORTAL_TARGETS", TargetSettings)
