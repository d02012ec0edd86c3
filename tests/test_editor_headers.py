"""Headers as editors really write them: Vietnamese key names, odd colons and spaces, a
missing blank line, files saved in old encodings, ids pasted with invisible characters or
written as a unit's name, and a broken units.yml. Every case goes through `check` and a real
build, with its code, its file:line and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from plugins.contract import schema
from plugins.tools.check import check
from support import NOW, ROOT, Site, epoch

GUIDE = ROOT / "content" / "pages" / "huong-dan-gui-tin-bai.md"

# Files that publish: their keys are read whatever the editor's habits (some with a warning).
GOOD = {
    "articles/2024/tieng-viet.md": (
        "Tiêu đề: Tin có khóa tiếng Việt\n"
        "Ngay dang: 1/3/2024 08:00\n"          # an alias written without accents
        "Đơn vị: ban-tuyen-giao\n"
        "Tác giả: Nguyễn Văn An\n"
        "Tóm tắt: Sa-pô viết bằng khóa tiếng Việt.\n"
        "Từ khóa: công nhân; an toàn lao động\n"
        "Trạng thái: đăng\n"
        "\n"
        "Theo Ban Tuyên giáo: đây là nội dung bài.\n"),
    "articles/2024/dau-hai-cham.md": (
        "Title: Tin có dấu hai chấm lạ\n"
        "Date：2/3/2024 08:00\n"               # full-width colon
        "Unit\u00a0: ban-tuyen-giao\n"          # non-breaking space before the colon
        "AUTHOR\t: Trần Thị Bình\n"
        "image alt: Ảnh đại diện của bài\n"
        "Ảnh : images/cover.jpg\n"
        "\n"
        "Nội dung bài.\n"),
    "articles/2024/ten-don-vi.md": "Title: Tin ghi tên đơn vị\nDate: 3/3/2024\nUnit: Ban Tuyên giáo\n\nNội dung.\n",
    "articles/2024/ky-tu-an.md": "Title: Tin có ký tự ẩn\nDate: 4/3/2024\nUnit: ban-tuyen\u200b-giao\n\nNội dung.\n",
    "articles/2024/nhap.md": "Title: Tin còn nháp\nDate: 5/3/2024\nUnit: ban-tuyen-giao\nStatus: bản nháp\n\nNội dung.\n",
    "articles/2024/thieu-dong-trong.md": (
        "Title: Tin thiếu dòng trống\nDate: 6/3/2024\nUnit: ban-tuyen-giao\n"
        "Sáng 6/3, công đoàn tổ chức hội nghị tổng kết với sự tham dự của hai trăm đại biểu.\n"),
}
GOOD_TOLD = [
    ("articles/2024/ten-don-vi.md", 3, "cảnh báo W031", ("tên 'Ban Tuyên giáo'", "'Unit: ban-tuyen-giao'")),
    ("articles/2024/ky-tu-an.md", 3, "cảnh báo W004", ("'Unit'", "U+200B", "đã được bỏ")),
    ("articles/2024/thieu-dong-trong.md", 4, "cảnh báo W003", ("thiếu dòng trống", "thêm một dòng trống")),
]

# Files with errors: each is told once, where it is, and nothing else is.
BAD = {
    "articles/2024/khoa-sai.md": "Title: Tin\nDate: 1/3/2024\nUnit: ban-tuyen-giao\nTac gai: An\n\nx\n",
    "articles/2024/nuot.md": (
        "Title: Tin nuốt phần đầu\nDate: 1/3/2024\nUnit: ban-tuyen-giao\n"
        "Đây là một dòng ghi chú khá dài mà không có dấu hai chấm\n"
        "Summary: Tóm tắt\nImage: images/cover.jpg\n\nNội dung.\n"),
    "articles/2024/dong-mot-sai.md": "Tin gửi Ban Biên tập\nTác giả: An\nSummary: Tóm tắt\n\nNội dung.\n",
    "articles/2024/trang-thai.md": "Title: Tin\nDate: 1/3/2024\nUnit: ban-tuyen-giao\nStatus: nhapp\n\nx\n",
    "articles/2024/windows-1258.md": "Title: Công đoàn\nDate: 1/3/2024\nUnit: ban-tuyen-giao\n\nx\n".encode("cp1258"),
    "articles/2024/utf-16.md": "Title: Tin\nDate: 1/3/2024\nUnit: ban-tuyen-giao\n\nx\n".encode("utf-16"),
    "articles/2024/ten-sai.md": "Title: Tin\nDate: 1/3/2024\nUnit: Ban Tuyen giao tinh\u200b\n\nx\n",
}
BAD_TOLD = [
    ("articles/2024/khoa-sai.md", 4, "lỗi E003", ("khóa 'Tac gai'", "Có phải ý bạn là 'Author'?")),
    ("articles/2024/nuot.md", 4, "lỗi E005", ("không có dạng 'Khóa: giá trị'", "dòng 5", "thêm một dòng trống")),
    ("articles/2024/dong-mot-sai.md", 1, "lỗi E005", ("dòng 2",)),
    ("articles/2024/dong-mot-sai.md", 4, "lỗi E010", ("thiếu 'Title'",)),
    ("articles/2024/dong-mot-sai.md", 4, "lỗi E011", ("thiếu 'Date'",)),
    ("articles/2024/dong-mot-sai.md", 4, "lỗi E030", ("thiếu 'Unit'",)),
    ("articles/2024/trang-thai.md", 4, "lỗi E013", ("'nhapp'", "Có phải ý bạn là 'draft'?")),
    ("articles/2024/windows-1258.md", 1, "lỗi E001", ("Windows-1258", "Lưu dưới dạng", "UTF-8")),
    ("articles/2024/utf-16.md", 1, "lỗi E001", ("UTF-16", "Lưu dưới dạng", "UTF-8")),
    ("articles/2024/ten-sai.md", 3, "cảnh báo W004", ("U+200B",)),
    ("articles/2024/ten-sai.md", 3, "lỗi E031", ("'Ban Tuyen giao tinh'", "Có phải ý bạn là 'ban-tuyen-giao'?")),
]

BROKEN_UNITS = "units:\n  - id: ldld-tinh\n    name: LĐLĐ tỉnh\n   kind: tinh\n  - id: ban-tuyen-giao\n"


def written(site: Site, files: dict) -> Site:
    for rel, text in files.items():
        site.write(rel, text)
    return site


def told(problems, path: str) -> list[str]:
    return [str(p) for p in problems if p.path == path]


def find(lines: list[str], path: str, line: int, label: str, needles: tuple[str, ...]) -> str:
    prefix = f"{path}:{line}: {label}: "
    found = [t for t in lines if t.startswith(prefix) and all(n in t for n in needles)]
    assert len(found) == 1, (prefix, needles, lines)
    return found[0]


def run(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)})
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def good(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        site = written(Site(tmp_path_factory.mktemp("good"), mp, image_cache=image_cache), GOOD)
        found = check(site.content, NOW).problems
        built = site.build()
        yield SimpleNamespace(site=site, check=[str(p) for p in found], build=[str(p) for p in built.problems])


@pytest.fixture(scope="module")
def bad(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        site = written(Site(tmp_path_factory.mktemp("bad"), mp, image_cache=image_cache), BAD)
        found = check(site.content, NOW).problems
        failed = site.fail()
        yield SimpleNamespace(site=site, check=found, build=failed.problems,
                              cli=run("check", "--content", str(site.content)) +
                              run("build", "--content", str(site.content), "--output", str(site.output)))


@pytest.mark.parametrize("where", ["check", "build"])
@pytest.mark.parametrize("path, line, label, needles", GOOD_TOLD)
def test_habits_that_still_publish_are_told_as_warnings(good, where, path, line, label, needles):
    find(getattr(good, where), path, line, label, needles)


@pytest.mark.parametrize("where", ["check", "build"])
def test_only_the_expected_warnings(good, where):
    lines = getattr(good, where)
    assert not [t for t in lines if ": lỗi" in t], lines
    expected = {(path, line) for path, line, _, _ in GOOD_TOLD}
    assert {(t.split(":")[0], int(t.split(":")[1])) for t in lines if t.startswith("articles/")} == expected, lines


def test_vietnamese_keys_odd_colons_and_spaces_are_read(good):
    site = good.site
    page = site.html("/2024/03/tin-co-khoa-tieng-viet/")
    assert page.select_one(".article-author").get_text(strip=True).endswith("Nguyễn Văn An")
    assert "Tóm tắt:" not in page.get_text() and "Từ khóa: công nhân" not in page.get_text()
    assert [a.get_text(strip=True) for a in page.select(".chip-tag")] == ["công nhân", "an toàn lao động"]
    assert "Theo Ban Tuyên giáo: đây là nội dung bài." in page.select_one(".article-content").get_text()
    odd = site.html("/2024/03/tin-co-dau-hai-cham-la/")
    assert odd.select_one(".article-author").get_text(strip=True).endswith("Trần Thị Bình")
    assert "Date" not in odd.select_one(".article-content").get_text()
    for slug in ("tin-ghi-ten-don-vi", "tin-co-ky-tu-an"):
        assert site.exists(f"/2024/03/{slug}/")
        assert f"/2024/03/{slug}/" in str(site.html("/don-vi/ban-tuyen-giao/"))
    assert not site.exists("/2024/03/tin-con-nhap/")  # "bản nháp" is draft
    body = site.html("/2024/03/tin-thieu-dong-trong/").select_one(".article-content").get_text()
    assert "hai trăm đại biểu" in body


@pytest.mark.parametrize("where", ["check", "build"])
@pytest.mark.parametrize("path, line, label, needles", BAD_TOLD)
def test_each_mistake_is_told_once_where_it_is(bad, where, path, line, label, needles):
    lines = [str(p) for p in getattr(bad, where)]
    find(lines, path, line, label, needles)


@pytest.mark.parametrize("where", ["check", "build"])
def test_nothing_else_is_told(bad, where):
    problems = getattr(bad, where)
    for path in BAD:
        expected = sorted((line, label) for p, line, label, _ in BAD_TOLD if p == path)
        found = sorted((p.line, f"{p.severity.label} {p.code}") for p in problems if p.path == path)
        assert found == expected, (path, told(problems, path))
    assert not bad.site.output.exists()


def test_the_suggestion_for_an_id_with_an_invisible_character_is_never_what_was_typed(bad):
    line = find([str(p) for p in bad.check], "articles/2024/ten-sai.md", 3, "lỗi E031", ())
    assert "\u200b" not in line


def test_the_command_line_prints_the_same_lines_and_no_traceback(bad):
    for path, line, label, needles in BAD_TOLD:
        assert sum(t.startswith(f"{path}:{line}: {label}: ") for t in bad.cli.splitlines()) == 2, (path, label)
    assert "Traceback" not in bad.cli


def test_a_broken_units_file_is_told_first_and_once(site):
    site.write("units.yml", BROKEN_UNITS)
    site.article("2024/mot.md", {"Title": "Một", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"})
    site.article("2024/hai.md", {"Title": "Hai", "Date": "1/3/2024", "Unit": "cd-giao-duc"})
    for problems in (check(site.content, NOW).problems, site.fail().problems):
        lines = [str(p) for p in problems]
        # The cause, then one line for all the articles it holds back: nothing else.
        assert len(lines) == 2, lines
        assert lines[0].startswith("units.yml:4: lỗi E416: lỗi cú pháp YAML: thiếu dấu '- '"), lines
        assert lines[1].startswith("units.yml:4: lỗi E461: vì units.yml có lỗi ở trên"), lines
    output = run("check", "--content", str(site.content))
    assert "units.yml:4: lỗi E416:" in output and output.count("E461") == 1 and "Traceback" not in output


def test_a_refused_unit_entry_is_not_blamed_on_its_articles(site):
    units = (site.content / "units.yml").read_text(encoding="utf-8")
    site.write("units.yml", units.replace("    name: Ban Tuyên giáo\n", ""))
    site.article("2024/mot.md", {"Title": "Một", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"})
    for problems in (check(site.content, NOW).problems, site.fail().problems):
        lines = [str(p) for p in problems]
        assert any(t.startswith("units.yml:") and "E437" in t and "thiếu 'name'" in t for t in lines), lines
        assert any(t.startswith("units.yml:") and "E462" in t and "'ban-tuyen-giao'" in t for t in lines), lines
        assert not [t for t in lines if t.startswith("articles/2024/mot.md")], lines


def test_the_guide_lists_every_alias():
    text = GUIDE.read_text(encoding="utf-8")
    for key in (*schema.ARTICLE, *schema.PAGE):
        if key.aliases:
            row = f"| `{key.name}` | " + ", ".join(f"`{alias}`" for alias in key.aliases) + " |"
            assert row in text, row
    for choice in schema.STATUS.choices:
        assert f"| `{choice.value}` | " + ", ".join(f"`{w}`" for w in choice.aliases) + " |" in text, choice


def test_every_header_and_registry_code_has_one_row_in_the_catalogue():
    import re

    rows = re.findall(r"^\| ([EW][04]\d\d) \|", GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(rows) == len(set(rows)), rows
    for area in "04":  # one table per area, sorted by code
        table = [row for row in rows if row[1] == area]
        assert table == sorted(table), table
    code = set()
    for path in (ROOT / "plugins").rglob("*.py"):
        code |= set(re.findall(r"\"([EW][04]\d\d)\"", path.read_text(encoding="utf-8")))
    assert code == set(rows), (sorted(code - set(rows)), sorted(set(rows) - code))


@pytest.mark.parametrize("text, line", [
    ("Date: 1/3/2024\nUnit: x\n\nNội dung.\n", 3),   # the blank line
    ("Date: 1/3/2024\nUnit: x\n", 2),                 # no body: the header's last line
    ("Nội dung không có phần đầu.\n", 1),
])
def test_a_missing_title_is_told_where_the_header_ends(text, line):
    from plugins.contract.articles import read_item

    problems = read_item(text.encode(), "articles/a.md").problems
    assert [(p.line, p.code) for p in problems if "thiếu 'Title'" in p.message] == [(line, "E010")]
