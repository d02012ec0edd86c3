"""Tasks of the portal: `python3 tasks.py <task>` bootstraps `.venv` first,
then runs the task with invoke (`invoke --list` shows them all)."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".portal-deps"
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
PORT = 8000


def bootstrap() -> None:
    """Create `.venv` with the pinned dependencies when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not VENV_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


if __name__ == "__main__":
    bootstrap()
    os.chdir(ROOT)
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), "-m", "invoke", *sys.argv[1:]])

from invoke import Exit, task  # noqa: E402


@task(help={"content": "content folder", "output": "output folder", "publish": "use publishconf.py"})
def build(c, content=str(CONTENT), output=str(OUTPUT), publish=False):
    """Build the portal from a content folder; a failed build keeps the old output."""
    sys.path.insert(0, str(ROOT))
    from pelican.log import init as init_logging

    from plugins.contract.plugin import state
    from plugins.images import generator as images
    from plugins.publishing.build import BuildFailed, build as run_build

    init_logging(level=30)
    try:
        run_build(Path(content), Path(output), PUBLISH_SETTINGS if publish else SETTINGS)
    except BuildFailed as exc:
        raise Exit(f"{exc}\nBuild thất bại: website cũ trong {output} được giữ nguyên.", code=1) from None
    print(state().summary())
    print(images.last_run.summary())
    print(f"Đã dựng website vào {output}. Xem thử: python3 tasks.py serve (http://localhost:{PORT}/)")


@task(help={"content": "content folder", "year": "year to count", "half": "1 or 2 for a half year",
            "format": "table, csv, json or xlsx", "output": "file to write (default: terminal)",
            "fail_under": "exit non-zero when a unit with a target is behind"})
def report(c, year, content=str(CONTENT), half=None, format="table", output=None, fail_under=False):
    """Count each unit's published articles for a year or half year against its target."""
    sys.path.insert(0, str(ROOT))
    from plugins.targets.cli import ReportError, run

    try:
        behind = run(Path(content), int(year), int(half) if half else None, format, Path(output) if output else None)
    except ReportError as exc:
        raise Exit(str(exc), code=1) from None
    if fail_under and behind:
        raise Exit(f"{behind} đơn vị chưa đạt chỉ tiêu.", code=2)


@task(help={"output": "output folder", "port": "port on localhost"})
def serve(c, output=str(OUTPUT), port=PORT):
    """Serve the built site on http://localhost:PORT/ for a preview."""
    print(f"Xem website tại http://localhost:{port}/ (Ctrl+C để dừng)")
    c.run(f"{VENV_PYTHON} -m http.server {port} --bind 127.0.0.1 --directory {output}", pty=False)


@task(help={"k": "only tests matching this expression"})
def test(c, k=""):
    """Run the whole test suite."""
    selector = f" -k {k!r}" if k else ""
    c.run(f"{VENV_PYTHON} -m pytest{selector}", pty=False)


@task(help={"photos": "number of generated 3000×2000 photos (at least 300)", "runs": "runs per measurement (median)"})
def bench_images(c, photos=300, runs=3):
    """Benchmark the image pipeline: cards/s and derivatives/s cold (one process vs all cores), and a no-op rebuild."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_images", ROOT / "tests" / "bench_images.py")
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(int(photos), int(runs))
