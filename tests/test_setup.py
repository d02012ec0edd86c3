"""Setting up where editors are: the Python versions tasks.py accepts, a `.venv`
that cannot be made (cleaned up, with a message), Windows paths and relaunch,
and the worker pools where a process cannot fork."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

import tasks
from support import ROOT
from plugins.images import work
from plugins.incremental import render
from plugins.publishing import deploy


def run_tasks(folder: Path, *args: str, env: dict | None = None, python: str = sys.executable,
              code: str = "") -> subprocess.CompletedProcess:
    """``python tasks.py args`` in ``folder``, optionally after ``code`` (run first, as a prelude);
    a variable set to None in ``env`` is left out."""
    command = [python, str(folder / "tasks.py"), *args] if not code else [
        python, "-c", f"{code}\nimport runpy, sys\nsys.argv = {['tasks.py', *args]!r}\n"
                      f"runpy.run_path({str(folder / 'tasks.py')!r}, run_name='__main__')"]
    merged = {**os.environ, **(env or {})}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=240,
                          env={name: value for name, value in merged.items() if value is not None})


# ---------- Python versions ----------

def test_the_versions_tasks_py_accepts_are_those_of_pyproject():
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    (low, low_minor), (high, high_minor) = tasks.PYTHONS
    assert wanted == f">={low}.{low_minor},<{high}.{high_minor + 1}"


@pytest.mark.parametrize("version", [(3, 11, 2), (3, 12, 0), (3, 13, 7)])
def test_supported_versions_pass(version):
    assert tasks.version_problem(version, "/usr/bin/python3") is None


@pytest.mark.parametrize("version", [(3, 10, 12), (3, 14, 0), (2, 7, 18)])
def test_an_unsupported_version_is_named_with_what_to_install(version, monkeypatch):
    monkeypatch.setattr(os, "name", "posix")
    shown = ".".join(map(str, version))
    assert tasks.version_problem(version, "/usr/bin/python3") == (
        f"Cần Python 3.11 đến 3.13, nhưng lệnh đang chạy bằng Python {shown} (/usr/bin/python3). "
        "Hãy cài một trong các bản 3.11, 3.12, 3.13 rồi chạy lại bằng bản đó, ví dụ: python3.11 tasks.py build")


@pytest.mark.parametrize("version", ["(3, 10, 12, 'final', 0)", "(3, 14, 0, 'final', 0)"])
def test_tasks_py_on_an_unsupported_python_stops_with_the_message_and_no_traceback(tmp_path, version):
    copy = copied_repository(tmp_path)
    result = run_tasks(copy, "build", python=sys._base_executable, code=f"import sys\nsys.version_info = {version}")
    assert result.returncode == 1
    assert result.stderr.startswith("Cần Python 3.11 đến 3.13, nhưng lệnh đang chạy bằng Python 3.1")
    assert "Traceback" not in result.stderr
    assert not (copy / ".venv").exists()


# ---------- .venv that cannot be made ----------

def copied_repository(tmp_path: Path) -> Path:
    """tasks.py and pyproject.toml: all the bootstrap reads, in a folder of their own."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("tasks.py", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    return copy


# A Python whose venv module fails after making the folder, as Debian's does without python3-venv
# (ensurepip missing): a half-made .venv with bin/python and no pip.
NO_ENSUREPIP = '''
import venv
def _setup_pip(self, context):
    raise SystemExit("The virtual environment was not created successfully because ensurepip is not available.")
venv.EnvBuilder._setup_pip = _setup_pip
'''


def test_a_venv_that_cannot_be_made_is_removed_with_a_message(tmp_path):
    copy = copied_repository(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_ENSUREPIP, encoding="utf-8")
    result = run_tasks(copy, "check", python=sys._base_executable, env={"PYTHONPATH": str(site)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Không tạo được môi trường Python trong {copy / '.venv'} (xem thông báo ở trên)." in result.stderr
    assert "python3-venv" in result.stderr
    assert f"Đã xóa thư mục {copy / '.venv'} còn dở; lần chạy sau sẽ tạo lại từ đầu." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (copy / ".venv").exists()


def test_pip_failing_removes_the_new_venv_so_the_next_run_starts_clean(tmp_path):
    copy = copied_repository(tmp_path)
    pyproject = copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"pelican==4.12.0"', '"pelican==0.0.0"'),
                         encoding="utf-8")
    offline = {"PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": None, "PIP_EXTRA_INDEX_URL": None}
    for attempt in range(2):  # the second run meets no leftover of the first
        result = run_tasks(copy, "check", python=sys._base_executable, env=offline)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Không cài được các thư viện ghim trong pyproject.toml (pip báo lỗi ở trên)." in result.stderr
        assert "Đã xóa thư mục" in result.stderr and "Không tạo được" not in result.stderr
        assert not (copy / ".venv").exists()


def test_a_finished_venv_whose_update_fails_is_kept(tmp_path, monkeypatch):
    venv = tmp_path / ".venv"
    venv.mkdir()
    monkeypatch.setattr(tasks, "VENV", venv)
    assert tasks._clean_up(finished_before=True) == f"Thư mục {venv} cũ được giữ nguyên; lần chạy sau sẽ cài lại."
    assert venv.is_dir()
    assert tasks._clean_up(finished_before=False).startswith("Đã xóa thư mục")
    assert not venv.exists()


def test_a_symlinked_venv_is_never_removed(tmp_path, monkeypatch):
    target = tmp_path / "shared-venv"
    target.mkdir()
    (tmp_path / ".venv").symlink_to(target)
    monkeypatch.setattr(tasks, "VENV", tmp_path / ".venv")
    assert tasks._clean_up(finished_before=False) == ""
    assert target.is_dir() and (tmp_path / ".venv").is_symlink()


# ---------- Windows ----------

def test_the_venv_interpreter_follows_the_system(monkeypatch):
    venv = Path("repo") / ".venv"
    assert tasks.venv_python(venv, windows=True) == venv / "Scripts" / "python.exe"
    assert tasks.venv_python(venv, windows=False) == venv / "bin" / "python"
    monkeypatch.setattr(os, "name", "nt")
    assert tasks.venv_python(venv) == venv / "Scripts" / "python.exe"


def test_on_windows_the_task_runs_as_a_child_and_its_exit_code_is_passed_on(monkeypatch):
    ran = []
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "execv", lambda *args: pytest.fail("os.execv on Windows"))
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: ran.append((command, kw["env"]["PYTHONUTF8"]))
                        or subprocess.CompletedProcess(command, 3))
    assert tasks.relaunch(["check", "--staged"]) == 3
    assert ran == [([str(tasks.VENV / "Scripts" / "python.exe"), str(ROOT / "tasks.py"), "check", "--staged"], "1")]


def test_on_posix_tasks_py_replaces_itself_with_the_venv_python(monkeypatch):
    replaced = []
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(os, "name", "posix")
    monkeypatch.setattr(os, "execv", lambda path, args: replaced.append((path, args)))
    tasks.relaunch(["build"])
    path = str(tasks.VENV / "bin" / "python")
    assert replaced == [(path, [path, str(ROOT / "tasks.py"), "build"])]


def test_the_plugins_import_where_the_system_cannot_fork():
    code = ("import os, sys, multiprocessing\ndel os.fork\n"
            "multiprocessing.get_all_start_methods = lambda: ['spawn']\n"
            "import plugins.images.work, plugins.publishing.deploy, plugins.incremental.render, plugins.tools.check\n"
            "from plugins.processes import process_context\n"
            "assert plugins.incremental.render.can_fork() is False\n"
            "print(process_context().get_start_method())\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "spawn"


@pytest.fixture
def spawn_only(monkeypatch):
    """Pools as on Windows: no fork, workers spawned."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def test_pre_compression_with_spawned_workers_gives_the_same_files(tmp_path, spawn_only):
    for folder in ("one", "two"):
        for index in range(12):
            (tmp_path / folder / f"trang-{index}.html").parent.mkdir(exist_ok=True)
            (tmp_path / folder / f"trang-{index}.html").write_text("<p>Công đoàn</p>\n" * (50 + index), encoding="utf-8")
    spawned = deploy.compress(tmp_path / "one", workers=2)
    alone = deploy.compress(tmp_path / "two", workers=1)
    assert spawned == alone and spawned.written == 24
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(p.name for p in (tmp_path / "two").iterdir())
    for path in (tmp_path / "one").glob("*.br"):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


def test_photos_with_spawned_workers_are_those_of_one_process(tmp_path, spawn_only):
    photos = []
    for index, colour in enumerate(((200, 30, 30), (30, 120, 200))):
        path = tmp_path / f"anh-{index}.jpg"
        Image.new("RGB", (900, 600), colour).save(path, "JPEG")
        photos.append(path)

    def jobs(store: Path) -> list:
        return [work.DeriveJob(f"k{index}", str(path), (320, 640), 80, 75, 50_000_000, str(store))
                for index, path in enumerate(photos)]

    with work.Runner(workers=2, min_jobs=1) as runner:
        spawned = runner(jobs(tmp_path / "spawned"))
        assert runner.pool is not None and runner.pool._mp_context.get_start_method() == "spawn"
    alone = work.Runner(workers=1, min_jobs=1)(jobs(tmp_path / "alone"))
    assert [o.problem for o in spawned] == [None, None] and [o.meta for o in spawned] == [o.meta for o in alone]
    spawned_files = sorted(p.relative_to(tmp_path / "spawned") for p in (tmp_path / "spawned").rglob("*") if p.is_file())
    assert spawned_files and spawned_files == sorted(p.relative_to(tmp_path / "alone")
                                                     for p in (tmp_path / "alone").rglob("*") if p.is_file())


def test_the_render_pool_renders_in_this_process_without_fork(monkeypatch):
    monkeypatch.setattr(render, "can_fork", lambda: False)
    assert render.RenderPool(Path("out"), workers=8, min_pages=1).workers_for(1000) == 1
