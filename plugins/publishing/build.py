"""Run one Pelican build into a fresh folder and swap it in only on success,
so a failed build never leaves a half-written site behind."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pelican import Pelican, __version__ as pelican_version
from pelican.settings import read_settings

from plugins.contract.problems import ContentError, Problem

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "plugins",)


class BuildFailed(Exception):
    """The build stopped; ``problems`` says why, in editors' terms."""

    def __init__(self, problems: list[Problem], message: str):
        self.problems = problems
        super().__init__(message)


class _ErrorLog(logging.Handler):
    """Collects errors that Pelican only logs, so none is lost."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build(content: Path, output: Path, settings_file: Path, overrides: dict | None = None) -> Path:
    content, output = Path(content).resolve(), Path(output).resolve()
    if not content.is_dir():
        raise BuildFailed([], f"không tìm thấy thư mục nội dung {content}")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    settings = read_settings(str(settings_file), override={
        "PATH": str(content), "OUTPUT_PATH": str(staging),
        "CACHE_PATH": str(ROOT / ".cache" / f"pelican-{code_version()}"), **(overrides or {}),
    })
    errors = _ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        Pelican(settings).run()
    except ContentError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(exc.problems, str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger().removeHandler(errors)
    if errors.messages:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed([], "Pelican báo lỗi:\n" + "\n".join(errors.messages))
    _swap(staging, output)
    return output


def _swap(staging: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}-old-{os.getpid()}")
        output.rename(old)
    staging.chmod(0o755)
    staging.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def code_version() -> str:
    """A digest of the plugins' source, so cached reads never outlive the code."""
    digest = hashlib.sha256(pelican_version.encode())
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
