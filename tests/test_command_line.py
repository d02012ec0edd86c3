"""`python3 tasks.py …` as editors meet it: help pages and mistakes in Vietnamese,
build warnings one whole line each, and the preview's port announced everywhere."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest
from invoke import Collection

import tasks
from support import NOW, ROOT, epoch
from plugins.publishing.preview import Preview
from plugins.tools.command_line import COMMAND, PortalProgram

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
ENGLISH_FRAME = ("Usage:", "Docstring:", "Options:", "Available tasks", "No idea", "none")


def tasks_py(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tasks.py"), *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), **(env or {})}, timeout=240)


def fresh_tasks():
    """tasks.py loaded anew: invoke consumes a task's help texts the first time it reads its options."""
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def program() -> PortalProgram:
    return PortalProgram(namespace=Collection.from_module(fresh_tasks()), binary=COMMAND)


def test_new_help_is_in_vietnamese():
    result = tasks_py("new", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Cách dùng: python3 tasks.py new [--tùy-chọn …]\n\nViệc làm:\n"
                                    "  Tạo tin bài mới dạng bản nháp")
    assert "Tùy chọn:" in result.stdout
    assert re.search(r"-u GIÁ-TRỊ, --unit=GIÁ-TRỊ +id của đơn vị trong units.yml, ví dụ\s+cd-giao-duc\n", result.stdout)
    assert not any(word in result.stdout for word in ENGLISH_FRAME)


@pytest.mark.parametrize("name", sorted(Collection.from_module(tasks).task_names))
def test_every_tasks_help_and_docstring_is_in_vietnamese(name, capsys):
    task = Collection.from_module(fresh_tasks())[name]
    assert VIETNAMESE.search(task.__doc__ or ""), f"{name}: docstring"
    unexplained = [a.name for a in task.get_arguments() if not VIETNAMESE.search(a.help or "")]
    assert not unexplained, f"{name}: options without a Vietnamese help text: {unexplained}"
    program().run(["tasks.py", name, "--help"], exit=False)
    shown = capsys.readouterr().out
    assert shown.startswith(f"Cách dùng: python3 tasks.py {name}") and "Việc làm:" in shown
    assert not any(word in shown for word in ENGLISH_FRAME)


def test_the_task_list_is_in_vietnamese(capsys):
    program().run(["tasks.py", "--list"], exit=False)
    shown = capsys.readouterr().out
    assert shown.startswith("Các lệnh:\n") and "check" in shown and "Kiểm tra nội dung" in shown


def test_a_mistyped_task_gets_the_closest_one_and_a_non_zero_exit():
    result = tasks_py("buidl")
    assert result.returncode == 1
    assert result.stderr == ("Không có lệnh 'buidl'. Có phải ý bạn là 'build'? "
                             "Xem mọi lệnh: python3 tasks.py --list\n")


@pytest.mark.parametrize("args, said", [
    (["serve", "--prot", "8123"], "Lệnh serve không có tùy chọn '--prot'. Có phải ý bạn là '--port'? "
                                  "Xem các tùy chọn: python3 tasks.py serve --help"),
    (["new"], "Lệnh new cần thêm --unit, --title: python3 tasks.py new --unit … --title … "
              "(xem: python3 tasks.py new --help)"),
    (["report", "--year"], "Tùy chọn --year cần một giá trị, ví dụ --year 2025."),
    (["serve", "--port", "tam"], "Giá trị 'tam' phải là một số (ví dụ --port 8123 hoặc --year 2025)."),
    (["--lsit"], "Không có tùy chọn '--lsit'. Có phải ý bạn là '--list'? Xem mọi lệnh: python3 tasks.py --list"),
])
def test_command_line_mistakes_are_explained_without_traceback(args, said, capsys):
    with pytest.raises(SystemExit) as exited:
        program().run(["tasks.py", *args])
    assert exited.value.code == 1
    assert capsys.readouterr().err == said + "\n"


# Build output

LONG_UNIT = "don-vi-nay-khong-co-trong-danh-sach-units-yml-cua-tinh"


def test_build_warnings_are_whole_lines_whatever_the_terminal_width(site):
    site.article("2024/nhap.md", {"Title": "Bản nháp", "Date": "1/3/2024", "Unit": LONG_UNIT, "Status": "draft"})
    result = tasks_py("build", "--content", str(site.content), "--output", str(site.output), env={"COLUMNS": "50"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(rf"^articles/2024/nhap.md:3: cảnh báo(?: [EW]\d{{3}})?: \(bản nháp\) đơn vị '{LONG_UNIT}' "
                     r"không có trong units\.yml\.$", result.stdout, re.MULTILINE)
    assert "Done: Processed" not in result.stdout and "WARNING" not in result.stdout
    assert result.stdout.rstrip().endswith("Xem thử: python3 tasks.py serve (http://localhost:8000/)")


def test_the_preview_announces_its_own_port(site, capfd):
    site.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    messages = []
    preview = Preview(site.content, site.output, port=8123, log=messages.append)
    assert preview.build()
    printed = capfd.readouterr().out
    assert "8000" not in printed + "".join(messages)
    assert messages[-1].startswith("Đã dựng sau ") and messages[-1].endswith("Xem tại http://localhost:8123/")
