"""What every document of the board starts with, in one place: the issuing body and its
place name (from the top unit of ``units.yml``), and the letterhead texts each document's
board-editable file may reword (``co_quan_cap_tren``, ``co_quan_ban_hanh``, ``dia_danh``).

The quota report (``mau-van-ban/bao-cao.yml``) and the royalty payment list
(``mau-van-ban/nhuan-but.yml``) both take their letterhead defaults from here, so a
federation that writes neither file still gets its own name on both.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from plugins.contract.registry import Registry

# The blanks the letterhead texts may use: the issuing body's name and its place name.
BLANKS = frozenset({"ten_don_vi", "tinh"})
DEFAULTS = MappingProxyType({
    "co_quan_cap_tren": "TỔNG LĐLĐ VIỆT NAM",
    "co_quan_ban_hanh": "{{ ten_don_vi|upper }}",
    "dia_danh": "{{ tinh }}",
})
_PLACE = re.compile(r"(?:tỉnh|thành phố|TP\.?)\s+(.+)$", re.IGNORECASE)


def issuer_name(registry: Registry, site_name: str) -> str:
    """The federation's name: the top unit of the tree, else the site's name without "Cổng thông tin"."""
    top = next((unit for unit, depth in registry.walk() if depth == 0), None)
    if top is not None:
        return top.name
    return re.sub(r"^Cổng thông tin( điện tử)?\s+", "", site_name).strip()


def place_of(issuer: str) -> str:
    """The place name in the issuer's name: "Liên đoàn Lao động tỉnh Hà Sơn" → "Hà Sơn"."""
    found = _PLACE.search(issuer)
    return found.group(1).strip() if found else ""


def blanks(issuer: str) -> dict[str, str]:
    """The letterhead blanks' values for ``issuer``."""
    return {"ten_don_vi": issuer, "tinh": place_of(issuer)}
