"""The owner's details every page shows in its footer, as Vietnamese news and
government sites do: the owner, address, phone, e-mail, the person
responsible for the content and the licence line, from ``PORTAL_FOOTER``.
A field left empty is left off the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Mapping

from plugins.settings import load_section

SECTION = "PORTAL_FOOTER"
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]*")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


@dataclass(frozen=True)
class FooterSettings:
    """Each field is one line of the footer; the template gives the labels."""

    owner: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    responsible: str = ""
    licence: str = ""

    def __post_init__(self):
        for f in fields(self):
            if not isinstance(getattr(self, f.name), str):
                raise ValueError(f"{SECTION}[{f.name!r}]: cần một dòng chữ, ví dụ \"\" nếu không muốn hiện dòng này")
        if self.phone and not _PHONE.fullmatch(self.phone):
            raise ValueError(f"{SECTION}['phone']: số điện thoại {self.phone!r} chỉ được có chữ số, dấu cách, "
                             "dấu chấm, gạch nối, ngoặc đơn và dấu + ở đầu, ví dụ \"0239 3855 123\"")
        if self.email and not _EMAIL.fullmatch(self.email):
            raise ValueError(f"{SECTION}['email']: {self.email!r} không phải địa chỉ thư điện tử, "
                             "ví dụ \"bbt@ldldhason.vn\"")

    @property
    def phone_uri(self) -> str:
        """The ``tel:`` address: the number without its spaces and punctuation."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone)

    @property
    def email_uri(self) -> str:
        return "mailto:" + self.email

    @property
    def contact(self) -> bool:
        """Whether the address block has any line."""
        return any((self.owner, self.address, self.phone, self.email, self.responsible))


def load(settings: Mapping) -> FooterSettings:
    """The ``PORTAL_FOOTER`` section of Pelican-style ``settings`` over the defaults (all empty)."""
    return load_section(dict(settings), SECTION, FooterSettings)
