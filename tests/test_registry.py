"""The registries: what they hold, and every careless or hostile file reported at a file and line."""

import datetime as dt
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from support import NOW
from plugins.tools.check import check
from plugins.contract.problems import ERROR, WARNING
from plugins.contract.registry import MAX_UNIT_DEPTH, Registry, Unit, load_registry
from plugins.contract.registry_yaml import MAX_BYTES
from plugins.publishing.build import BuildFailed
from plugins.taxonomies.core import index_nodes, unit_tree

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
          - {id: a1, name: CĐCS A1, kind: co-so, parent: a, target: 3, active_until: "30/6/2025"}
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


# --- Careless or hostile registries: a problem at a file and line, never an exception.


def raw(tmp_path, name, text):
    """Write one registry file as given (no dedent), the two others good, and load."""
    files = {"units.yml": "units: []\n", "campaigns.yml": CAMPAIGNS, "sections.yml": SECTIONS, name: text}
    for file_name, content in files.items():
        path = tmp_path / file_name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return load_registry(tmp_path)


def at(problems, where, *needles, severity=ERROR):
    """The one problem at ``where`` (``units.yml:3``) whose message has every needle."""
    path, line = where.split(":")
    found = [p for p in problems if (p.path, p.line, p.severity) == (path, int(line), severity)
             and all(n in p.message for n in needles)]
    assert found, f"no {severity} at {where} with {needles} in:\n" + "\n".join(map(str, problems))
    return found[0]


ITEM = "units:\n  - {id: a, name: A, kind: tinh"  # a unit, completed by each case


@pytest.mark.parametrize("text, where, needles", [
    ("targets: 12\nunits: []\n", "units.yml:1", ("'targets:' phải là một nhóm", "đang là một số")),
    ("targets: [ban, 6]\nunits: []\n", "units.yml:1", ("'targets:'", "một danh sách")),
    ("- units\n- targets\n", "units.yml:1", ("phải bắt đầu bằng khóa 'units:'", "một danh sách")),
    ("chỉ một dòng chữ\n", "units.yml:1", ("phải bắt đầu bằng khóa 'units:'",)),
    ("", "units.yml:1", ("tệp đang trống",)),
    ("# chỉ có chú thích\n", "units.yml:1", ("tệp đang trống",)),
    ("targets: {}\n", "units.yml:1", ("thiếu khóa 'units:'",)),
    ("unit: []\n", "units.yml:1", ("khóa 'unit' không hợp lệ", "'units'")),
    ("units: {id: a}\n", "units.yml:1", ("'units:' phải là một danh sách",)),
    ("units: 5\n", "units.yml:1", ("'units:' phải là một danh sách",)),
    ("units:\n  - {id: a, name: A, kind: tinh}\n  - [b, B]\n", "units.yml:3", ("'khóa: giá trị'", "một danh sách")),
    ("units:\n  - 7\n", "units.yml:2", ("'khóa: giá trị'", "một số")),
    ("units:\n  -\n", "units.yml:2", ("'khóa: giá trị'", "giá trị trống")),
    ("units:\n  - {id: [a], name: A, kind: tinh}\n", "units.yml:2", ("'id' phải là một đoạn chữ", "một danh sách")),
    ("units:\n  - {id: 12, name: A, kind: tinh}\n", "units.yml:2", ("'id' phải là một đoạn chữ", "ngoặc kép")),
    ("units:\n  - {id: a, name: {x: 1}, kind: tinh}\n", "units.yml:2", ("'name' phải là một đoạn chữ",)),
    ("units:\n  - id: a\n    name: yes\n    kind: tinh\n", "units.yml:3", ("'name'", "đúng/sai", "ngoặc kép")),
    ("units:\n  - {id: a, name: A, kind: 3}\n", "units.yml:2", ("'kind' phải là một đoạn chữ",)),
    ("units:\n  - {id: a, name: A, kind: [tinh]}\n", "units.yml:2", ("'kind' phải là một đoạn chữ",)),
    ("units:\n  - id: a\n    name: A\n    kind: tinh\n    parent: {id: b}\n", "units.yml:5", ("'parent' phải là một đoạn chữ",)),
    ("units:\n  - {id: a, name: A, kind: tinh, parent: 1.5}\n", "units.yml:2", ("'parent' phải là một đoạn chữ",)),
    ("units:\n  - {id: a, name: A, kind: tinh, short_name: [A]}\n", "units.yml:2", ("'short_name'",)),
    (ITEM + ", target: 'mười'}\n", "units.yml:2", ("chỉ tiêu 'mười' không hợp lệ", "ví dụ 12")),
    (ITEM + ", target: '12'}\n", "units.yml:2", ("chỉ tiêu '12'", "không có dấu ngoặc kép")),
    (ITEM + ", target: 12.5}\n", "units.yml:2", ("chỉ tiêu '12.5'", "số nguyên")),
    (ITEM + ", target: -4}\n", "units.yml:2", ("chỉ tiêu -4", "không được âm")),
    (ITEM + ", target: true}\n", "units.yml:2", ("chỉ tiêu không hợp lệ", "đúng/sai")),
    (ITEM + ", target: [12]}\n", "units.yml:2", ("chỉ tiêu không hợp lệ", "một danh sách")),
    (ITEM + ", target: 1000000000}\n", "units.yml:2", ("chỉ tiêu quá lớn", "100.000")),
    (ITEM + ", target: 0x" + "f" * 3000 + "}\n", "units.yml:2", ("chỉ tiêu quá lớn",)),
    (ITEM + ", target: {}}\n", "units.yml:2", ("chỉ tiêu đang để trống",)),
    ("targets:\n  ban:\n    2024: {a: 1}\nunits: []\n", "units.yml:3", ("chỉ tiêu không hợp lệ", "nhóm")),
    ("targets:\n  ban:\n    '2024': 6\nunits: []\n", "units.yml:3", ("năm '2024'", "không đặt trong dấu ngoặc kép")),
    ("targets:\n  ban: {24: 6}\nunits: []\n", "units.yml:2", ("năm '24'", "từ 1900 đến 2200")),
    ("targets:\n  ban: {true: 6}\nunits: []\n", "units.yml:2", ("năm 'True'",)),
    ("targets:\n  ban: {2024: -1}\nunits: []\n", "units.yml:2", ("không được âm",)),
    ("targets:\n  ban:\nunits: []\n", "units.yml:2", ("chỉ tiêu không hợp lệ", "giá trị trống")),
    ("targets:\n  5: 6\nunits: []\n", "units.yml:2", ("loại đơn vị '5' không tồn tại",)),
    (ITEM + ", active_from: [2024, 1, 1]}\n", "units.yml:2", ("'active_from' phải là một ngày", "một danh sách")),
    (ITEM + ", active_from: 20240101}\n", "units.yml:2", ("'active_from' phải là một ngày", "một số")),
    (ITEM + ", active_until: {ngay: 1}}\n", "units.yml:2", ("'active_until' phải là một ngày",)),
    (ITEM + ", active_from: 0001-01-01}\n", "units.yml:2", ("năm phải nằm trong khoảng 1900–2200",)),
    (ITEM + ", active_from: 0000-01-01}\n", "units.yml:2", ("năm phải nằm trong khoảng 1900–2200",)),
    (ITEM + ", active_from: 9999-12-31 23:59:00+00:00}\n", "units.yml:2", ("năm phải nằm trong khoảng 1900–2200",)),
    (ITEM + ", active_from: 2024-01-01T00:00:00+99:99}\n", "units.yml:2", ("múi giờ '+99:99'", "-14:00 đến +14:00")),
    (ITEM + ", active_from: 2024-01-01T00:00:00-23:59}\n", "units.yml:2", ("múi giờ", "-14:00 đến +14:00")),
    (ITEM + ", active_from: '2024-01-01 00:00+24:00'}\n", "units.yml:2", ("múi giờ '+24:00'",)),
    ("units:\n  - id: a\n    name: A\n    name: B\n    kind: tinh\n", "units.yml:4", ("khóa 'name' bị lặp lại",)),
    ("units:\n  - {id: a, name: A, kind: tinh, ~: x}\n", "units.yml:2", ("khóa trống",)),
])
def test_units_of_the_wrong_type_are_problems_at_their_line(tmp_path, text, where, needles):
    _, problems = raw(tmp_path, "units.yml", text)
    at(problems, where, *needles)


@pytest.mark.parametrize("text, where, needles", [
    ("campaigns:\n  - {id: c, name: C, start: 2024-05-01, end: 2024-05-31, slogans: {a: b}}\n",
     "campaigns.yml:2", ("'slogans' phải là danh sách", "nhóm")),
    ("campaigns:\n  - id: c\n    name: C\n    start: 2024-05-01\n    end: 2024-05-31\n    slogans:\n      - Một\n      - 2024\n",
     "campaigns.yml:8", ("câu thông điệp", "một số")),
    ("campaigns:\n  - {id: c, name: C, start: [2024], end: 2024-05-31}\n", "campaigns.yml:2", ("'start' phải là một ngày",)),
    ("campaigns:\n  - {id: c, name: C, start: 2024-05-01, end: yes}\n", "campaigns.yml:2", ("'end' phải là một ngày", "đúng/sai")),
    ("campaigns:\n  - {id: c, name: 2024, start: 2024-05-01, end: 2024-05-31}\n", "campaigns.yml:2", ("'name' phải là một đoạn chữ",)),
    ("campaigns:\n  - {id: c, name: C, start: 1899-12-31, end: 2024-05-31}\n", "campaigns.yml:2", ("1900–2200",)),
    ("campaigns:\n  - {id: c, name: C, start: '1/5/2201', end: 2024-05-31}\n", "campaigns.yml:2", ("năm 2201", "1900–2200")),
    ("campaigns:\n  - {id: c, name: C, start: 2024-05-01, end: 2024-05-31, description: [x]}\n",
     "campaigns.yml:2", ("'description' phải là một đoạn chữ",)),
    ("campaigns: {c: 1}\n", "campaigns.yml:1", ("'campaigns:' phải là một danh sách",)),
    ("sections:\n  - {id: 5, name: T}\n", "sections.yml:2", ("'id' phải là một đoạn chữ",)),
    ("sections:\n  - {id: t, name: [T]}\n", "sections.yml:2", ("'name' phải là một đoạn chữ",)),
    ("sections: tin\n", "sections.yml:1", ("'sections:' phải là một danh sách",)),
])
def test_campaigns_and_sections_of_the_wrong_type(tmp_path, text, where, needles):
    name = where.split(":")[0]
    _, problems = raw(tmp_path, name, text)
    at(problems, where, *needles)


def test_good_values_still_load_after_the_checks(tmp_path):
    registry, problems = raw(tmp_path, "campaigns.yml", textwrap.dedent("""\
        campaigns:
          - id: c
            name: "  Chiến   dịch  "
            start: 2024-05-01T20:00:00+00:00
            end: 31/5/2024
            slogans: Một câu
            description: |
              Dòng một.
              Dòng hai.
        """))
    assert problems == []
    campaign = registry.campaigns["c"]
    assert campaign.name == "Chiến dịch" and campaign.slogans == ("Một câu",)
    assert campaign.start == dt.date(2024, 5, 2)  # 20:00 UTC is already the next day in Hà Nội
    assert campaign.description == "Dòng một.\nDòng hai."


def test_control_characters_are_removed_with_a_warning_at_their_line(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", "units:\n  - id: a\n    name: \"A\x01B\x0bC\"\n    kind: tinh\n"
                                                    "  - {id: b, name: \"D\\x0bE\", kind: ban, parent: a}\n")
    assert [p.severity for p in problems] == [WARNING] * 3
    at(problems, "units.yml:3", "U+0001", "đã được bỏ", severity=WARNING)
    at(problems, "units.yml:3", "U+000B", "đã được bỏ", severity=WARNING)
    at(problems, "units.yml:5", "U+000B", "mã thoát", severity=WARNING)
    assert registry.units["a"].name == "ABC" and registry.units["b"].name == "DE"


def test_a_flood_of_control_characters_gives_a_bounded_number_of_warnings(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", "units: []\n" + "# \x0c\x7f\x85\ufffe\n" * 5000)
    assert registry.units == {} and len(problems) == 21
    assert all(p.severity == WARNING for p in problems)
    at(problems, "units.yml:7", "còn 19980 ký tự điều khiển khác", severity=WARNING)


def test_line_separators_become_spaces_so_lines_stay_right(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", "units:\n  - {id: a, name: \"A\u2028B\", kind: tinh}\n"
                                                    "  - {id: b, name: B, kind: huyen}\n")
    at(problems, "units.yml:2", "U+2028", severity=WARNING)
    at(problems, "units.yml:3", "'huyen' không tồn tại")
    assert registry.units["a"].name == "A B"


BILLION_LAUGHS = "units:\n  - id: a\n    kind: tinh\n    name: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"    l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)) + "    short_name: *l9\n"


def test_anchors_and_aliases_are_refused_before_anything_is_built(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", BILLION_LAUGHS)
    assert registry.units == {}
    at(problems, "units.yml:4", "không dùng neo/bí danh YAML (&, *) trong units.yml", "viết đầy đủ")
    assert len(problems) == 1


def test_even_a_harmless_anchor_is_refused(tmp_path):
    registry, problems = raw(tmp_path, "campaigns.yml", textwrap.dedent("""\
        campaigns:
          - {id: a, name: A, start: 2024-05-01, end: 2024-05-31, slogans: &s [Một câu]}
          - {id: b, name: B, start: 2024-06-01, end: 2024-06-30, slogans: *s}
        """))
    at(problems, "campaigns.yml:2", "neo/bí danh", "campaigns.yml")
    assert registry.campaigns == {}


def test_lines_stay_right_with_a_byte_order_mark_and_windows_or_old_mac_line_ends(tmp_path):
    _, problems = raw(tmp_path, "units.yml", "\ufeffunits:\r\n  - {id: a, name: A, kind: tinh}\r\n"
                                             "  - {id: b, name: B, kind: huyen}\r  - {id: c, name: C, kind: xa}\n")
    at(problems, "units.yml:3", "'huyen'")
    at(problems, "units.yml:4", "'xa'")


def test_deep_nesting_and_huge_files_are_refused(tmp_path):
    _, problems = raw(tmp_path, "units.yml", "units:\n  - " + "[" * 200_000 + "]" * 200_000 + "\n")
    at(problems, "units.yml:2", "lồng nhau quá sâu")
    _, problems = raw(tmp_path, "units.yml", "units: []\n" + "#" * MAX_BYTES)
    at(problems, "units.yml:1", "tệp quá lớn", "5 MB")


@pytest.mark.parametrize("text, where, needles", [
    ("units:\n\t- id: a\n", "units.yml:2", ("phím Tab",)),
    ("units: []\n---\nunits: []\n", "units.yml:2", ("một tài liệu YAML", "'---'")),
    ("units:\n  - {id: a, name: \"A\n", "units.yml:3", ("dấu ngoặc",)),
    ("units:\n  - id: a\n    name: A: B\n", "units.yml:3", ("dấu ':'",)),
    ("units:\n  - {id: a, name: A: B}\n", "units.yml:2", ("dấu ',' hoặc '}'",)),
    ("units: !!python/object:os.system x\n", "units.yml:1", ("thẻ YAML",)),
    ("units:\n  - {id: a, name: !!float abc, kind: tinh}\n", "units.yml:2", ("giá trị không đọc được",)),
    ("units:\n  - {id: a, name: A, kind: tinh, target: " + "9" * 5000 + "}\n", "units.yml:2", ("giá trị không đọc được",)),
    ("units:\n  - {[a]: 1}\n", "units.yml:2", ("khóa không được là một danh sách",)),
    (b"units:\n  - {id: a, name: \xc3\x28, kind: tinh}\n", "units.yml:2", ("UTF-8",)),
])
def test_yaml_errors_are_vietnamese_problems_with_a_line(tmp_path, text, where, needles):
    _, problems = raw(tmp_path, "units.yml", text)
    at(problems, where, "", *needles)
    assert all(p.message.split()[0] != "Traceback" for p in problems)


def chain(n: int, cycle: bool = False) -> str:
    first = f"  - {{id: u0, name: U0, kind: tinh{', parent: u%d' % (n - 1) if cycle else ''}}}\n"
    return "units:\n" + first + "".join(f"  - {{id: u{i}, name: U{i}, kind: co-so, parent: u{i - 1}}}\n"
                                        for i in range(1, n))


def test_a_parent_chain_deeper_than_the_limit_is_cut_and_reported(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", chain(3000))
    assert len(problems) == 1
    at(problems, f"units.yml:{MAX_UNIT_DEPTH + 2}", f"'u{MAX_UNIT_DEPTH}' nằm ở cấp thứ {MAX_UNIT_DEPTH + 1}",
       f"tối đa {MAX_UNIT_DEPTH} cấp", "'parent'")
    assert len(registry.units) == 3000
    assert max(depth for _, depth in registry.walk()) == MAX_UNIT_DEPTH - 1
    assert len(registry.ancestors(registry.units[f"u{MAX_UNIT_DEPTH - 1}"], dt.date(2026, 1, 1))) == MAX_UNIT_DEPTH - 1
    assert registry.units[f"u{MAX_UNIT_DEPTH}"].parent is None
    assert len(index_nodes(unit_tree(registry, {}))) == 3000


def test_eight_levels_are_fine(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", chain(MAX_UNIT_DEPTH))
    assert problems == []
    assert [d for _, d in registry.walk()] == list(range(MAX_UNIT_DEPTH))


def test_a_long_cycle_is_found_once_and_broken(tmp_path):
    registry, problems = raw(tmp_path, "units.yml", chain(3000, cycle=True))
    at(problems, "units.yml:2", "vòng lặp", "u0 → u2999 → u2998 → u2997 → … → u0")
    at(problems, f"units.yml:{MAX_UNIT_DEPTH + 2}", "quá sâu")
    assert len(problems) == 2 and registry.units["u0"].parent is None


def test_a_cycle_is_blamed_on_its_own_member_not_on_a_unit_below_it(tmp_path):
    _, problems = write(tmp_path, """\
        units:
          - {id: tinh, name: T, kind: tinh}
          - {id: z, name: Z, kind: co-so, parent: x}
          - {id: x, name: X, kind: cap-tren, parent: y}
          - {id: y, name: Y, kind: cap-tren, parent: x}
          - {id: s, name: S, kind: cap-tren, parent: s}
        """)
    assert [str(p) for p in problems] == [
        "units.yml:4: lỗi E454: đơn vị 'x': quan hệ cấp trên tạo thành vòng lặp (x → y → x); hãy sửa 'parent'",
        "units.yml:6: lỗi E454: đơn vị 's': quan hệ cấp trên tạo thành vòng lặp (s → s); hãy sửa 'parent'",
    ]


def test_unit_tree_walks_never_recurse():
    """Even a tree far deeper than the loader allows is walked without recursion, and a walk up
    stops at the deepest level the loader allows."""
    registry, parent = Registry(), None
    for i in range(5000):
        unit = Unit(id=f"u{i}", name=f"U{i}", kind="co-so", line=i + 1, parent=parent,
                    parent_id=parent.id if parent else None)
        if parent is not None:
            parent.children.append(unit)
        registry.units[unit.id] = parent = unit
    assert sum(1 for _ in registry.walk()) == 5000
    assert [u.id for u in registry.ancestors(parent, dt.date(2026, 1, 1))] == \
        [f"u{i}" for i in range(4998, 4998 - MAX_UNIT_DEPTH, -1)]
    nodes = index_nodes(unit_tree(registry, {parent: [object()]}))
    assert len(nodes) == 5000 and nodes["u4999"].article_count == 1


YAML_BITS = st.sampled_from([
    "units:", "targets:", "campaigns:", "sections:", "\n", "  ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a",
    "!!", "'", '"', "#", "id", "name", "kind", "parent", "tinh", "ban", "2024", "-1", "1.5", "yes", "~", "\t",
    "\x00", "\x0b", "\x85", "\u2028", "\ufffe", "\\x0b", "2024-01-01T00:00:00+99:99", "0000-01-01", "---", "<<",
    "đơn vị", "target", "slogans", "start", "end", "9" * 30, "?",
])


@settings(max_examples=150, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(YAML_BITS, max_size=40).map("".join), st.sampled_from(["units.yml", "campaigns.yml", "sections.yml"]))
def test_no_text_makes_loading_raise(tmp_path, text, name):
    registry, problems = raw(tmp_path, name, text)
    assert isinstance(registry, Registry)
    assert all(p.path in ("units.yml", "campaigns.yml", "sections.yml") and p.line >= 1 for p in problems)


BAD_UNITS = "targets: 12\nunits:\n  - id: ldld-tinh\n    name: \"LĐLĐ\x0b tỉnh\"\n    kind: tinh\n" + "".join(
    f"  - {{id: cap-{i}, name: Cấp {i}, kind: co-so, parent: {'ldld-tinh' if i == 1 else f'cap-{i - 1}'}}}\n"
    for i in range(1, MAX_UNIT_DEPTH + 4))


def test_a_bad_units_file_stops_the_build_and_check_says_the_same(site):
    units = (site.content / "units.yml").read_text(encoding="utf-8")
    site.write("units.yml", BAD_UNITS + units.split("units:\n", 1)[1].replace("parent: ldld-tinh", "parent: cap-1")
               .replace("  - id: ldld-tinh\n    name: Liên đoàn Lao động tỉnh Thử Nghiệm\n    short_name: LĐLĐ tỉnh\n    kind: tinh\n", ""))
    failure = site.fail()
    assert isinstance(failure, BuildFailed) and not site.output.exists()
    lines = [str(p) for p in failure.problems]
    assert "units.yml:1: lỗi E450: 'targets:' phải là một nhóm 'loại đơn vị: chỉ tiêu', ví dụ ban: 6 (đang là một số)" in lines
    assert any(line.startswith("units.yml:4: cảnh báo W411: ký tự điều khiển U+000B") for line in lines)
    assert f"units.yml:{5 + MAX_UNIT_DEPTH}: lỗi E455: đơn vị 'cap-{MAX_UNIT_DEPTH}' nằm ở cấp thứ {MAX_UNIT_DEPTH + 1}, quá sâu " \
           f"(tối đa {MAX_UNIT_DEPTH} cấp); hãy kiểm tra 'parent'; các đơn vị trực thuộc nó cũng bị bỏ khỏi cây đơn vị" in lines
    assert "Traceback" not in str(failure)
    assert check(site.content, NOW).problems == sorted(failure.problems)


def test_a_character_the_parser_refuses_is_still_a_problem_at_its_line(tmp_path, monkeypatch):
    """Should a character ever get past the cleaning, the parser's own refusal is reported, not raised."""
    import plugins.contract.registry_yaml as registry_yaml

    monkeypatch.setattr(registry_yaml, "clean_controls", lambda text, vertical_tab: (text, []))
    _, problems = raw(tmp_path, "units.yml", "units:\n  - id: a\n    name: \"A\x01\"\n")
    assert [str(p) for p in problems] == ["units.yml:3: lỗi E426: ký tự U+0001 không được dùng trong tệp YAML; hãy xóa ký tự này"]
