"""Every counting rule the editorial board relies on, as pure functions."""

import datetime as dt
import textwrap

import pytest

from plugins.contract.dates import parse_date
from support import registry_of
from plugins.targets.core import Period, Record, count, days_active

UNITS = """\
targets:
  cap-tren: {2024: 12, 2026: 60}
  ban: 6
units:
  - {id: tinh, name: LĐLĐ tỉnh, kind: tinh}
  - {id: ban, name: Ban Tuyên giáo, kind: ban, parent: tinh}
  - {id: huyen, name: LĐLĐ huyện, kind: cap-tren, parent: tinh, active_until: 2025-06-30}
  - {id: cs-huyen, name: CĐCS huyện, kind: co-so, parent: huyen, active_until: 2025-06-30}
  - {id: moi, name: CĐ khu vực mới, kind: cap-tren, parent: tinh, active_from: 2025-07-15}
  - {id: gd, name: CĐ Giáo dục, kind: cap-tren, parent: tinh, target: {2025: 20}}
  - {id: cs-gd, name: CĐCS Trường A, kind: co-so, parent: gd}
  - {id: cu, name: CĐ đã giải thể, kind: cap-tren, parent: tinh, active_until: 2023-12-31}
"""


@pytest.fixture
def registry(tmp_path):
    registry, problems = registry_of(tmp_path, UNITS)
    assert problems == []
    return registry


def rec(unit, when, kind="tin"):
    return Record(unit, parse_date(when).date(), kind)


def rows(report):
    return {r.id: r for r in report.units}


def test_roll_up_and_zero_rows(registry):
    records = [rec("cs-gd", "3/3/2025"), rec("cs-gd", "4/3/2025", "anh"), rec("gd", "5/3/2025"), rec("ban", "1/2/2025", "video")]
    report = count(registry, records, Period(2025))
    r = rows(report)
    assert (r["gd"].own, r["gd"].total) == (1, 3)
    assert (r["cs-gd"].own, r["cs-gd"].total) == (2, 2)
    assert (r["tinh"].own, r["tinh"].total) == (0, 4)
    assert r["huyen"].total == 0 and r["cs-huyen"].total == 0
    assert r["gd"].by_type == {"tin": 2, "bai": 0, "phong-su": 0, "anh": 1, "video": 0, "infographic": 0}
    assert r["tinh"].by_type["video"] == 1


def test_tree_order_and_only_units_that_existed(registry):
    assert [r.id for r in count(registry, [], Period(2025)).units] == ["tinh", "ban", "huyen", "cs-huyen", "moi", "gd", "cs-gd"]
    assert [r.id for r in count(registry, [], Period(2025, 1)).units] == ["tinh", "ban", "huyen", "cs-huyen", "gd", "cs-gd"]
    assert [r.id for r in count(registry, [], Period(2025, 2)).units] == ["tinh", "ban", "moi", "gd", "cs-gd"]
    assert "cu" in rows(count(registry, [], Period(2023)))


def test_time_zone_boundaries(registry):
    new_year = Record("ban", parse_date("2023-12-31T18:30:00+00:00").date(), "tin")
    assert rows(count(registry, [new_year], Period(2024)))["ban"].own == 1
    assert rows(count(registry, [new_year], Period(2023)))["ban"].own == 0
    half_edge = Record("ban", parse_date("2024-06-30T17:00:00+00:00").date(), "tin")  # 1/7 00:00 local
    assert rows(count(registry, [half_edge], Period(2024, 2)))["ban"].own == 1
    assert rows(count(registry, [half_edge], Period(2024, 1)))["ban"].own == 0


def test_day_first_dates(registry):
    report = count(registry, [rec("ban", "03/07/2024"), rec("ban", "07/03/2024")], Period(2024, 1))
    assert rows(report)["ban"].own == 1


def test_targets_by_kind_year_and_override(registry):
    assert rows(count(registry, [], Period(2024)))["huyen"].target == 12
    assert rows(count(registry, [], Period(2026)))["gd"].target == 20
    r2026 = rows(count(registry, [], Period(2026)))
    assert r2026["moi"].target == 60 and r2026["ban"].target == 6
    assert r2026["tinh"].target is None and r2026["tinh"].met is None and r2026["cs-gd"].target is None
    assert rows(count(registry, [], Period(2023)))["cu"].target is None  # before the first key


def test_pro_rating_for_units_created_or_dissolved_mid_year(registry):
    r = rows(count(registry, [], Period(2025)))
    assert r["huyen"].target == 6  # 1/1–30/6: round(12 × 181 / 365) = round(5.95)
    assert r["moi"].target == 6    # from 15/7: round(12 × 170 / 365) = round(5.59)
    assert days_active(registry.units["moi"], Period(2025).start, Period(2025).end) == 170
    assert rows(count(registry, [], Period(2025, 1)))["huyen"].target == 6
    assert rows(count(registry, [], Period(2025, 2)))["moi"].target == 6
    assert rows(count(registry, [], Period(2024, 1)))["ban"].target == 3
    assert rows(count(registry, [], Period(2025, 1)))["gd"].target == 10


def test_part_months_count_by_days(tmp_path):
    registry, _ = registry_of(tmp_path, textwrap.dedent("""\
        targets: {cap-tren: 10}
        units:
          - {id: a, name: A, kind: cap-tren, active_from: 2024-11-20}
        """))
    assert rows(count(registry, [], Period(2024)))["a"].target == 1  # round(10 × 42 / 366) = round(1.15)


def test_met_and_behind(registry):
    records = [rec("ban", f"{d}/1/2025") for d in range(1, 7)] + [rec("gd", "1/1/2025")]
    report = count(registry, records, Period(2025))
    r = rows(report)
    assert r["ban"].met is True and r["gd"].met is False
    assert "gd" in [u.id for u in report.behind] and "ban" not in [u.id for u in report.behind]


def test_period_labels_and_bounds():
    assert Period(2024).label == "2024" and Period(2024, 1).label == "2024-H1"
    assert (Period(2024, 2).start, Period(2024, 2).end) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31))
    assert Period(2024, 1).end == dt.date(2024, 6, 30)
