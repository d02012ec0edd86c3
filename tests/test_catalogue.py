"""The editors' guide lists every message code the code uses, and only those.

Codes are string literals (``"E012"``, ``"W004"``) written where a problem is
made; section 13 of the guide has one row per code in the table of its area.
A code written in two places must carry the same message in both.
"""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass

import pytest

from plugins.contract.problems import ERROR, WARNING, Problem
from plugins.tools.check import check
from support import NOW, ROOT, epoch

GUIDE = ROOT / "content" / "pages" / "huong-dan-gui-tin-bai.md"
CODE = re.compile(r"^[EW]\d{3}$")
PRINTED = re.compile(r"^(?P<path>\S[^:]*):(?P<line>\d+): (?P<label>lỗi|cảnh báo)(?: (?P<code>[EW]\d{3}))?: ")
# Calls whose message is an error unless WARNING is passed, and those that are always warnings.
ERROR_CALLS = frozenset({"Problem", "error", "PathProblem", "ImageProblem"})
WARNING_CALLS = frozenset({"warn"})
# Pieces of a catalogue message shorter than this (after quotes and brackets) are not looked up in the code.
SHORTEST_PIECE = 6


@dataclass(frozen=True)
class Use:
    """One code literal in the plugins: where it is, the message beside it, the severity if visible."""

    code: str
    where: str
    message: str | None
    severity: str | None
    # The functions called and the constants among the arguments (a message made by a function or held in a
    # constant, e.g. ``foreign_link_message``, ``TOO_DEEP``).
    calls: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Row:
    code: str
    area: str
    cells: tuple[str, ...]


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _says_warning(call: ast.Call) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    return any(_name(v) == "WARNING" for v in values if isinstance(v, (ast.Name, ast.Attribute)))


def _text(node: ast.expr) -> str | None:
    """The literal parts of a message expression, ``…`` for what is filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "…" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    return None


def _message(call: ast.Call, code_node: ast.AST) -> str | None:
    candidates = [k.value for k in call.keywords if k.arg == "message"] + [a for a in call.args if a is not code_node]
    texts = [t for t in (_text(c) for c in candidates) if t is not None and not CODE.match(t)]
    # The message is the longest text beside the code (an article's key such as 'Source' may come first).
    return unicodedata.normalize("NFC", max(texts, key=len)) if texts else None


def code_uses() -> list[Use]:
    uses = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)):
                continue
            parent = parents.get(node)
            if isinstance(parent, ast.keyword):
                parent = parents.get(parent)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if not isinstance(parent, ast.Call):
                uses.append(Use(node.value, where, None, None))
                continue
            name = _name(parent.func)
            severity = None
            if name in WARNING_CALLS:
                severity = "W"
            elif name in ERROR_CALLS:
                severity = "W" if _says_warning(parent) else "E"
            calls = frozenset(_name(a.func) if isinstance(a, ast.Call) else a.id
                              for a in (*parent.args, *(k.value for k in parent.keywords))
                              if isinstance(a, ast.Call) or (isinstance(a, ast.Name) and a.id.isupper()))
            uses.append(Use(node.value, where, _message(parent, node), severity, calls))
    return uses


def catalogue() -> list[Row]:
    """Every row of the tables in section 13 whose first cell is a code, with its table's area."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("\n## 13.", 1)[1].split("\n## ", 1)[0]
    rows, area = [], ""
    for line in section.splitlines():
        heading = re.match(r"^### .*\(E(\d)xx, W\1xx\)\s*$", line)
        if heading:
            area = heading.group(1)
        elif line.startswith("|") and re.match(r"^\|\s*[EW]\d{3}\b", line):
            cells = tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
            rows.append(Row(cells[0], area, cells))
    return rows


def pieces(message: str) -> list[str]:
    """The literal pieces of a catalogue message worth looking for in the code's message."""
    message = unicodedata.normalize("NFC", html.unescape(message.replace("`", "")))
    found = [piece.strip(" '\"():;,./") for piece in message.split("…")]
    return [piece for piece in found if len(piece) >= SHORTEST_PIECE]


def uncoded_calls() -> list[str]:
    """Calls that make a problem an editor reads but give it no code: neither a code literal nor an
    argument that carries one (``code``, ``exc.code``, a ``code=`` keyword)."""
    found = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _name(node.func) in ERROR_CALLS | WARNING_CALLS | {"DateError"}):
                continue
            if isinstance(node.func, ast.Attribute) and _name(node.func.value) == "logger":
                continue  # the build's own log (a photo cache, a page that failed to render), not an editor's problem
            values = [*node.args, *(k.value for k in node.keywords)]
            literal = any(isinstance(v, ast.Constant) and isinstance(v.value, str) and CODE.match(v.value) for v in values)
            carried = any(k.arg == "code" for k in node.keywords) or any(
                "code" in ast.unparse(v) for v in values if isinstance(v, (ast.Name, ast.Attribute, ast.Starred)))
            if not (literal or carried):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_problem_made_in_the_plugins_has_a_code():
    assert uncoded_calls() == []


def test_the_uncoded_call_finder_finds_one(tmp_path, monkeypatch):
    plugin = tmp_path / "plugins" / "x.py"
    plugin.parent.mkdir()
    plugin.write_text('source.error(3, "thiếu gì đó")\nsource.error(3, "có mã", "E999")\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert [line.split(": ", 1)[0] for line in uncoded_calls()] == ["plugins/x.py:1"]


def test_every_code_in_the_code_is_in_the_catalogue_and_the_reverse():
    used = {use.code for use in code_uses()}
    listed = {row.code for row in catalogue()}
    assert sorted(used - listed) == [], "codes without a row in section 13 of the guide"
    assert sorted(listed - used) == [], "rows of section 13 whose code the code does not use"


def test_each_row_is_complete_once_in_its_area_and_in_order():
    rows = catalogue()
    assert rows, "section 13 of the guide has no rows"
    codes = [row.code for row in rows]
    assert sorted(c for c in codes if codes.count(c) > 1) == [], "codes listed twice"
    for row in rows:
        assert len(row.cells) == 4 and all(row.cells), f"{row.code}: a row has four filled columns: {row.cells}"
        assert CODE.match(row.code), row.code
        assert row.code[1] == row.area, f"{row.code} is listed in the table of the {row.area}xx codes"
    for area in {row.area for row in rows}:
        in_area = [row.code for row in rows if row.area == area]
        assert in_area == sorted(in_area), f"rows of the {area}xx table are not sorted by code"


def test_one_code_one_message_and_its_severity():
    by_code: dict[str, list[Use]] = {}
    for use in code_uses():
        by_code.setdefault(use.code, []).append(use)
    for code, uses in by_code.items():
        if len(uses) > 1:
            messages = {use.message for use in uses}
            if messages == {None}:
                # A message made by a function or held in a constant: the same one in every place.
                messages = set.intersection(*(set(use.calls) for use in uses)) or {None}
                assert len(messages) >= 1 and None not in messages, \
                    f"{code} is written in {[u.where for u in uses]} beside different calls"
                continue
            assert None not in messages and len(messages) == 1, \
                f"{code} is written in {[u.where for u in uses]} for different messages: {messages}"
        for use in uses:
            if use.severity is not None:
                assert use.severity == code[0], f"{use.where}: {code} is given to " + \
                    ("a warning" if use.severity == "W" else "an error")


def test_the_catalogue_quotes_each_message_as_the_code_writes_it():
    messages = {use.code: use.message for use in code_uses() if use.message is not None}
    for row in catalogue():
        if row.code not in messages:
            continue
        missing = [piece for piece in pieces(row.cells[1]) if piece not in messages[row.code]]
        assert missing == [], f"{row.code}: the guide's '{row.cells[1]}' is not the code's '{messages[row.code]}'"


def test_the_collector_sees_codes_severities_and_messages(tmp_path):
    uses = {use.code: use for use in code_uses()}
    assert uses["E505"].severity == "E" and uses["E505"].message.startswith("không tìm thấy tệp '…'")
    assert uses["W501"].severity == "W" and uses["W501"].message.startswith("ngày đăng … còn hơn một năm nữa")
    assert uses["E038"].where.startswith("plugins/contract/articles.py:")
    assert pieces("ảnh '…': ảnh quá lớn (…), vượt giới hạn … triệu điểm ảnh") == [
        "ảnh quá lớn", "vượt giới hạn", "triệu điểm ảnh"]


@pytest.mark.parametrize("code", ["E12", "e012", "X012", "E0123", " E012", "W01a"])
def test_a_problem_with_a_malformed_code_is_refused(code):
    with pytest.raises(ValueError, match="not of the form"):
        Problem("articles/a.md", 1, "thông báo", ERROR, code)


def test_a_problem_prints_its_code_after_the_severity():
    assert str(Problem("a.md", 3, "thông báo", WARNING, "W501")) == "a.md:3: cảnh báo W501: thông báo"
    assert str(Problem("a.md", 3, "thông báo", code="E505")) == "a.md:3: lỗi E505: thông báo"


GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


def mistakes(site) -> dict[str, str]:
    """A content folder full of mistakes about files, photos and dates; the code expected at each place."""
    gif = ROOT / "tests" / "fixtures" / "basic" / "images" / "cover.jpg"
    site.write("articles/2024/ghi-chu.txt", "ghi chú")
    site.write("tin-lac.md", "Title: Lạc\n")
    site.write("files/bieu-mau.html", "<p>biểu mẫu</p>")
    site.write("files/so-lieu.numbers", b"PK\x03\x04")
    site.write("files/bao-cao.pdf", "<html>không phải PDF</html>")
    site.write("files/clip.avi", b"RIFF\x00\x00\x00\x00AVI LIST")
    site.write("images/dong.jpg", b"GIF89a" + gif.read_bytes()[:64])
    site.article("2024/anh.md", {**GOOD, "Title": "Ảnh sai", "Image": "images/cover.jpeg"})
    site.article("2024/ngoai.md", {**GOOD, "Title": "Ngoài", "Image": "../../bi-mat.jpg"})
    site.article("2024/sai-cho.md", {**GOOD, "Title": "Sai chỗ", "Attachments": "pages/gioi-thieu.md"})
    site.article("2024/nguon.md", {**GOOD, "Title": "Nguồn", "Source": "laodong.vn/bai", "Video": "files/clip.avi"})
    site.article("2024/ten-nguon.md", {**GOOD, "Title": "Tên nguồn", "SourceName": "Báo Lao động", "Video": "ftp://may-chu/clip.mp4"})
    site.article("2024/gif.md", {**GOOD, "Title": "GIF", "Image": "images/dong.jpg"})
    site.article("2026/nam.md", {**GOOD, "Title": "Năm", "Date": "1/3/2052"})
    site.article("2024/chu-thich.md", {**GOOD, "Title": "Chú thích", "ImageCaption": "Ảnh: Phạm Văn Hải"})
    site.write("pages/rss.md", "Title: RSS\nSlug: rss\n\nx\n")
    return {
        "articles/2024/ghi-chu.txt:1": "E523", "tin-lac.md:1": "E524", "files/bieu-mau.html:1": "E511",
        "files/so-lieu.numbers:1": "E512", "files/bao-cao.pdf:1": "E514", "articles/2024/anh.md:4": "E505",
        "articles/2024/ngoai.md:4": "E502", "articles/2024/sai-cho.md:4": "E503", "articles/2024/nguon.md:4": "E039",
        "articles/2024/nguon.md:5": "E544", "files/clip.avi:1": "E512", "articles/2024/ten-nguon.md:4": "E038",
        "articles/2024/ten-nguon.md:5": "E543", "articles/2024/gif.md:4": "E552", "articles/2026/nam.md:2": "W501",
        "articles/2024/chu-thich.md:4": "W502",
        "pages/rss.md:2": "E210",
    }


def test_every_line_check_and_the_build_print_for_files_and_photos_has_a_code(site):
    expected = mistakes(site)
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(site.content), "--fresh"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    printed = result.stdout.strip().splitlines()
    assert printed[-1].startswith("Có 15 lỗi, 2 cảnh báo"), printed[-1]
    found = {}
    for line in printed[:-1]:
        match = PRINTED.match(line)
        assert match and match["code"], f"a line without a code: {line}"
        assert (match["label"] == "lỗi") == (match["code"][0] == "E"), line
        found[f"{match['path']}:{match['line']}"] = match["code"]
    assert found == expected
    assert [str(p) for p in site.fail().problems] == [str(p) for p in check(site.content, NOW).problems]
