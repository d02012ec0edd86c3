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
    r"(?:[ T]+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$",
    re.ASCII,
)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$",
    re.ASCII,
)


class DateError(ValueError):
    """A date an editor wrote that cannot be used; the message is for them, ``code`` its stable code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# Years a news portal can mean; anything else is a typo (and years near 1 or
# 9999 overflow when moved to another time zone).
FIRST_YEAR, LAST_YEAR = 1900, 2200
# The widest offsets in use on Earth are -12:00 and +14:00.
MAX_OFFSET = dt.timedelta(hours=14)
_YEARS = f"năm phải nằm trong khoảng {FIRST_YEAR}–{LAST_YEAR}"
_OFFSETS = "độ lệch múi giờ phải trong khoảng -14:00 đến +14:00, số phút nhỏ hơn 60 (ví dụ +07:00)"


def parse_date(text: str, tz: dt.tzinfo = SITE_TZ) -> dt.datetime:
    """Parse an editor's date into an aware datetime in ``tz``."""
    value = " ".join(str(text).split())
    match = _DAY_FIRST.match(value) or _ISO.match(value)
    if not match:
        raise DateError(
            "E020", f"không hiểu ngày '{shown(value)}'; hãy viết theo dạng ngày/tháng/năm "
            "giờ:phút (ví dụ 3/7/2024 08:30) hoặc 2024-07-03 08:30"
        )
    parts = match.groupdict()
    _check_year(int(parts["y"]), value)
    offset = _parse_offset(parts["tz"], value) if parts.get("tz") else None
    moment = dt.datetime.combine(_day(parts, value), _time(parts, value))
    if offset is None:
        return moment.replace(tzinfo=tz)
    return _local(moment.replace(tzinfo=offset), tz, value)


def _day(parts: dict[str, str], value: str) -> dt.date:
    try:
        return dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except ValueError:
        raise DateError(
            "E021", f"ngày '{shown(value)}' không tồn tại (ngày/tháng/năm); hãy kiểm tra lại ngày và tháng"
        ) from None


def _time(parts: dict[str, str], value: str) -> dt.time:
    try:
        return dt.time(int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0))
    except ValueError:
        raise DateError(
            "E022", f"giờ trong '{shown(value)}' không tồn tại; giờ từ 0 đến 23, phút và giây từ 0 đến 59"
        ) from None


def _check_year(year: int, value: object) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError("E023", f"ngày '{shown(value)}' có năm {year:04d} không hợp lệ: {_YEARS}")


def _parse_offset(text: str, value: str) -> dt.tzinfo:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    delta = dt.timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or delta > MAX_OFFSET:
        raise DateError("E024", f"múi giờ '{text}' trong ngày '{shown(value)}' không hợp lệ: {_OFFSETS}")
    return dt.timezone(sign * delta)


def _local(moment: dt.datetime, tz: dt.tzinfo, value: object) -> dt.datetime:
    """``moment`` in ``tz``, still within the accepted years."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise DateError("E025", f"múi giờ của ngày '{shown(value)}' không hợp lệ: {_OFFSETS}")
    local = moment.astimezone(tz)
    _check_year(local.year, value)
    return local


def parse_day(value: object) -> dt.date:
    """A calendar day from YAML: a YAML date or a string in any accepted form.

    A YAML timestamp with an offset counts by its local day, as the same text
    written as a string would.
    """
    if isinstance(value, dt.datetime):
        _check_year(value.year, value.isoformat(" "))
        if value.tzinfo is None:
            return value.date()
        return _local(value, SITE_TZ, value.isoformat(" ")).date()
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat())
        return value
    return parse_date(str(value)).date()


def shown(value: object, limit: int = 60) -> str:
    """``value`` as it may be quoted back to an editor: one line, not too long."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def header_date(moment: dt.datetime) -> str:
    """``11/4/2023 08:30``: how a written file's ``Date:`` says a moment, in the site's time (an
    aware moment is converted; a naive one is local already)."""
    local = moment.astimezone(SITE_TZ) if moment.tzinfo else moment
    return f"{format_vi_date(local.date())} {local:%H:%M}"
