"""The one date parser and formatter of the portal.

Editors write dates day-first (``3/7/2024 08:30``) or in ISO form; stock
Pelican reads ``03/07/2024`` as 7 March. Everything here is in the site's
time zone so that the local date decides archives, URLs and counting.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:[ T]+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


class DateError(ValueError):
    """A date an editor wrote that cannot be used; the message is for them."""


def parse_date(text: str, tz: dt.tzinfo = SITE_TZ) -> dt.datetime:
    """Parse an editor's date into an aware datetime in ``tz``."""
    value = " ".join(str(text).split())
    match = _DAY_FIRST.match(value) or _ISO.match(value)
    if not match:
        raise DateError(
            f"không hiểu ngày '{value}'; hãy viết theo dạng ngày/tháng/năm "
            "giờ:phút (ví dụ 3/7/2024 08:30) hoặc 2024-07-03 08:30"
        )
    parts = match.groupdict()
    try:
        moment = dt.datetime(
            int(parts["y"]), int(parts["m"]), int(parts["d"]),
            int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0),
        )
    except ValueError:
        raise DateError(
            f"ngày '{value}' không tồn tại (ngày/tháng/năm); hãy kiểm tra lại ngày và tháng"
        ) from None
    offset = parts.get("tz")
    if not offset:
        return moment.replace(tzinfo=tz)
    return moment.replace(tzinfo=_parse_offset(offset)).astimezone(tz)


def _parse_offset(text: str) -> dt.tzinfo:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(sign * delta)


def parse_day(value: object) -> dt.date:
    """A calendar day from YAML: a YAML date or a string in any accepted form."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value)).date()


def now(tz: dt.tzinfo = SITE_TZ) -> dt.datetime:
    """The build's notion of now; ``SOURCE_DATE_EPOCH`` makes builds reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz)
    return dt.datetime.now(tz)


def format_vi_datetime(moment: dt.datetime) -> str:
    """``Thứ Ba, 11/4/2023, 08:30 (GMT+7)``, as Vietnamese news sites print it."""
    local = moment.astimezone(SITE_TZ)
    return f"{WEEKDAYS[local.weekday()]}, {format_vi_date(local)}, {local:%H:%M} (GMT+7)"


def format_vi_date(day: dt.date) -> str:
    """``11/4/2023``: day first, no zero padding."""
    if isinstance(day, dt.datetime):
        day = day.astimezone(SITE_TZ).date()
    return f"{day.day}/{day.month}/{day.year}"
