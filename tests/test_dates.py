import datetime as dt

import pytest

from plugins.contract.dates import DateError, format_vi_date, format_vi_datetime, now, parse_date, parse_day

HCM = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("text, expected", [
    ("03/07/2024", dt.datetime(2024, 7, 3, tzinfo=HCM)),
    ("3/7/2024", dt.datetime(2024, 7, 3, tzinfo=HCM)),
    ("3/7/2024 8:30", dt.datetime(2024, 7, 3, 8, 30, tzinfo=HCM)),
    ("03/12/2023 14:05", dt.datetime(2023, 12, 3, 14, 5, tzinfo=HCM)),
    ("2024-07-03", dt.datetime(2024, 7, 3, tzinfo=HCM)),
    ("2024-07-03 08:30", dt.datetime(2024, 7, 3, 8, 30, tzinfo=HCM)),
    ("2024-07-03T08:30:15", dt.datetime(2024, 7, 3, 8, 30, 15, tzinfo=HCM)),
    ("2023-12-31T18:30:00+00:00", dt.datetime(2024, 1, 1, 1, 30, tzinfo=HCM)),
    ("2024-03-08T08:00:00+07:00", dt.datetime(2024, 3, 8, 8, 0, tzinfo=HCM)),
    ("2024-03-08T08:00:00Z", dt.datetime(2024, 3, 8, 15, 0, tzinfo=HCM)),
])
def test_accepted_forms_are_local_time(text, expected):
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.utcoffset() == dt.timedelta(hours=7)
    assert (parsed.year, parsed.month, parsed.day) == (expected.year, expected.month, expected.day)


def test_day_first_is_never_month_first():
    assert parse_date("03/07/2024").month == 7
    assert parse_date("12/03/2024").day == 12


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "2024-13-01", "32/1/2024", "1/1/2024 25:00"])
def test_impossible_dates_are_errors(text):
    with pytest.raises(DateError, match="không tồn tại"):
        parse_date(text)


@pytest.mark.parametrize("text", ["hôm qua", "2024/07/03", "July 3, 2024", "", "3-7-2024"])
def test_unreadable_dates_are_errors_with_an_example(text):
    with pytest.raises(DateError, match="ví dụ 3/7/2024"):
        parse_date(text)


def test_yaml_days_accept_dates_and_strings():
    assert parse_day(dt.date(2025, 6, 30)) == dt.date(2025, 6, 30)
    assert parse_day("30/6/2025") == dt.date(2025, 6, 30)


def test_vietnamese_display_format():
    assert format_vi_datetime(parse_date("11/4/2023 08:30")) == "Thứ Ba, 11/4/2023, 08:30 (GMT+7)"
    assert format_vi_datetime(parse_date("2023-12-31T18:30:00+00:00")) == "Thứ Hai, 1/1/2024, 01:30 (GMT+7)"
    assert format_vi_datetime(parse_date("5/5/2024")) == "Chủ Nhật, 5/5/2024, 00:00 (GMT+7)"
    assert format_vi_date(dt.date(2025, 6, 30)) == "30/6/2025"


def test_now_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert now() == dt.datetime(2023, 11, 15, 5, 13, 20, tzinfo=HCM)
