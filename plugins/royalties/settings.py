"""Settings of the payment list: defaults merged with ``PORTAL_ROYALTIES``."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.settings import load_section


@dataclass(frozen=True)
class RoyaltySettings:
    # The letterhead of the DOCX list: the body above the issuer, the issuer ("" = the footer's
    # owner, PORTAL_FOOTER["owner"]), its number line and the place before the date.
    superior: str = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    issuer: str = ""
    number: str = "Số:      /DS-LĐLĐ"
    place: str = ""
    # The three signatures under the list, left to right.
    signers: tuple[str, ...] = ("Người lập biểu", "Kế toán", "Thủ trưởng đơn vị")


def load(settings: dict) -> RoyaltySettings:
    return load_section(settings, "PORTAL_ROYALTIES", RoyaltySettings)


def issuer_of(options: RoyaltySettings, settings: dict) -> str:
    """The issuing body, in capitals as a letterhead writes it."""
    owner = options.issuer or (settings.get("PORTAL_FOOTER") or {}).get("owner", "") or settings.get("SITENAME", "")
    return owner.upper()
