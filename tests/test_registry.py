import datetime as dt
import textwrap

from plugins.contract.registry import load_registry

SECTIONS = "sections:\n  - id: tin\n    name: Tin hoạt động\n"
CAMPAIGNS = "campaigns:\n  - id: c\n    name: C\n    start: 2024-05-01\n    end: 2024-05-31\n"


def write(tmp_path, units, campaigns=CAMPAIGNS, sections=SECTIONS):
    (tmp_path / "units.yml").write_text(textwrap.dedent(units), encoding="utf-8")
    (tmp_path / "campaigns.yml").write_text(textwrap.dedent(campaigns), encoding="utf-8")
    (tmp_path / "sections.yml").write_text(textwrap.dedent(sections), encoding="utf-8")
    return load_registry(tmp_path)


def messages(problems):
    return [str(p) for p in problems]


def test_tree_order_targets_and_periods(tmp_path):
    registry, problems = write(tmp_path, """\
        targets:
          cap-tren: {2024: 12, 2026: 60}
          ban: 6
        units:
          - {id: tinh, name: LĐLĐ tỉnh, kind: tinh}
          - {id: b, name: Ban B, kind: ban, parent: tinh}
          - {id: a, name: CĐ A, kind: cap-tren, parent: tinh, active_until: "30/6/2025"}
          - {id: a1, name: CĐCS A1, kind: co-so, parent: a, target: 3}
        """)
    assert problems == []
    assert [(u.id, d) for u, d in registry.walk()] == [("tinh", 0), ("b", 1), ("a", 1), ("a1", 2)]
    a = registry.units["a"]
    assert a.active_until == dt.date(2025, 6, 30)
    assert a.exists_on(dt.date(2025, 6, 30)) and not a.exists_on(dt.date(2025, 7, 1))
    rule = registry.target_rule(a)
    assert [rule.for_year(y) for y in (2023, 2024, 2025, 2026)] == [None, 12, 12, 60]
    assert registry.target_rule(registry.units["a1"]).for_year(2030) == 3
    assert registry.units["a1"].short_name == "CĐCS A1"


def test_unknown_parent_and_cycle_are_reported_with_lines(tmp_path):
    _, problems = write(tmp_path, """\
        targets: {}
        units:
          - {id: tinh, name: T, kind: tinh}
          - {id: x, name: X, kind: cap-tren, parent: y}
          - {id: y, name: Y, kind: cap-tren, parent: x}
          - {id: z, name: Z, kind: cap-tren, parent: tinhh}
        """)
    text = "\n".join(messages(problems))
    assert "units.yml:4:" in text and "vòng lặp" in text
    assert "units.yml:6:" in text and "'tinhh' không tồn tại" in text and "'tinh'" in text


def test_bad_units_file_reports_everything(tmp_path):
    _, problems = write(tmp_path, """\
        targets:
          cap-tren: nhiều
          huyen: 5
        units:
          - {id: Tinh Ha, name: T, kind: tinh}
          - {id: a, kind: cap-tren}
          - {id: b, name: B, kind: capt-ren}
          - {id: b, name: B2, kind: ban, color: red}
          - {id: c, name: C, kind: ban, active_from: 2025-02-30}
        """)
    text = "\n".join(messages(problems))
    assert "units.yml:2:" in text and "chỉ tiêu 'nhiều'" in text
    assert "units.yml:3:" in text and "'huyen'" in text
    assert "units.yml:5:" in text and "chữ thường không dấu" in text
    assert "units.yml:6:" in text and "thiếu 'name'" in text
    assert "units.yml:7:" in text and "'capt-ren'" in text and "'cap-tren'" in text
    assert "units.yml:8:" in text and "'b' bị trùng" in text and "khóa 'color'" in text
    assert "units.yml:9:" in text


def test_yaml_syntax_error_has_a_line(tmp_path):
    _, problems = write(tmp_path, "units:\n  - id: a\n    name: [unclosed\n")
    assert problems and problems[0].path == "units.yml" and problems[0].line >= 3
    assert "YAML" in problems[0].message


def test_campaign_and_section_problems(tmp_path):
    _, problems = write(tmp_path, "units: []\n", campaigns="""\
        campaigns:
          - {id: a, name: A, start: 2024-05-31, end: 2024-05-01}
          - {id: b, name: B, start: "hôm nay", end: 2024-05-01}
          - {id: c, name: C, end: 2024-05-01}
        """, sections="""\
        sections:
          - {id: tin, name: Tin}
          - {id: tin2, name: tin}
          - {name: Không id}
        """)
    text = "\n".join(messages(problems))
    assert "campaigns.yml:2:" in text and "'end' đứng trước 'start'" in text
    assert "campaigns.yml:3:" in text and "không hiểu ngày" in text
    assert "campaigns.yml:4:" in text and "thiếu 'start'" in text
    assert "sections.yml:3:" in text and "bị trùng" in text
    assert "sections.yml:4:" in text and "thiếu 'id'" in text


def test_missing_files_are_reported(tmp_path):
    _, problems = load_registry(tmp_path)
    assert {p.path for p in problems} == {"units.yml", "campaigns.yml", "sections.yml"}
