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


@pytest.mark.parametrize("text, offset", [
    ("2024-07-03T08:30:00+24:00", "+24:00"),
    ("2024-07-03T08:30:00+99:99", "+99:99"),
    ("2024-07-03T08:30:00-25:00", "-25:00"),
    ("2024-07-03T08:30:00+14:01", "+14:01"),
    ("2024-07-03T08:30:00+07:60", "+07:60"),
    ("2024-07-03 08:30+0790", "+0790"),
])
def test_offsets_beyond_14_hours_or_60_minutes_are_date_errors(text, offset):
    with pytest.raises(DateError, match=f"múi giờ '\\{offset}'.*-14:00 đến \\+14:00, số phút nhỏ hơn 60"):
        parse_date(text)


def test_the_widest_real_offsets_are_accepted():
    assert parse_date("2024-07-03T00:00:00+14:00") == dt.datetime(2024, 7, 2, 17, 0, tzinfo=HCM)
    assert parse_date("2024-07-03T00:00:00-12:00") == dt.datetime(2024, 7, 3, 19, 0, tzinfo=HCM)
    assert parse_date("2024-07-03T00:00:00-1400") == dt.datetime(2024, 7, 3, 21, 0, tzinfo=HCM)


@pytest.mark.parametrize("text", [
    "9999-12-31 23:59+00:00", "9999-12-31T23:59:00Z", "0001-01-01 00:00", "0000-01-01", "1/1/0000",
    "31/12/1899", "1/1/2201", "1899-12-31T23:00:00-14:00", "2200-12-31T23:00:00-14:00",
])
def test_years_outside_1900_to_2200_are_date_errors(text):
    with pytest.raises(DateError, match="năm phải nằm trong khoảng 1900–2200"):
        parse_date(text)


def test_the_ends_of_the_accepted_years_work():
    assert parse_date("1/1/1900").year == 1900
    assert parse_date("31/12/2200 23:59").year == 2200


@pytest.mark.parametrize("value", [
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone.utc),
    dt.datetime(1, 1, 1), dt.date(1899, 12, 31), dt.date(2201, 1, 1),
])
def test_yaml_days_outside_the_years_are_date_errors(value):
    with pytest.raises(DateError, match="1900–2200"):
        parse_day(value)


def test_yaml_timestamps_with_offsets_count_by_the_local_day():
    late = dt.datetime(2024, 5, 1, 20, 0, tzinfo=dt.timezone.utc)  # 03:00 on 2 May in Hà Nội
    assert parse_day(late) == parse_date("2024-05-01T20:00:00Z").date() == dt.date(2024, 5, 2)
    assert parse_day(dt.datetime(2024, 5, 1, 20, 0)) == dt.date(2024, 5, 1)
    with pytest.raises(DateError, match="múi giờ"):
        parse_day(dt.datetime(2024, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=20))))


@pytest.mark.parametrize("text", ["1/1/2024 24:00", "1/1/2024 23:60", "2024-01-01T10:00:61"])
def test_impossible_times_are_errors_about_the_time(text):
    with pytest.raises(DateError, match="giờ trong .* không tồn tại; giờ từ 0 đến 23"):
        parse_date(text)


def test_non_ascii_digits_and_long_text_are_refused_briefly():
    with pytest.raises(DateError, match="không hiểu ngày"):
        parse_date("٢٠٢٤-٠١-٠١")
    with pytest.raises(DateError) as info:
        parse_date("x" * 100_000)
    assert len(str(info.value)) < 300
