"""Run one Pelican build into a fresh folder and switch the output to it only
on success, so a failed or killed build never leaves a half-written site.

Builds sharing an output folder or a cache take turns (plugins.publishing.lock);
the output is a symlink to the current build (plugins.publishing.outputs); a
damaged Pelican cache is dropped and rebuilt (plugins.publishing.pelican_cache).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from pelican import Pelican, __version__ as pelican_version
from pelican.settings import read_settings

from plugins.contract.build import PortalBuild, portal_build
from plugins.contract.problems import ContentError, Problem

from . import outputs, pelican_cache
from .lock import EXIT_CODE, WAIT, BuildLocked, cache_lock, hold, output_lock

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "plugins",)

__all__ = ("EXIT_CODE", "WAIT", "BuildFailed", "BuildLocked", "build", "code_version", "holding_output")


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


def build(content: Path, output: Path, settings_file: Path, overrides: dict | None = None,
          wait: float = WAIT) -> PortalBuild:
    """Build ``content`` into ``output`` and return what the build found; waits up to
    ``wait`` seconds for another build of the same output or cache, then raises ``BuildLocked``."""
    content, output = Path(content).resolve(), _absolute(output)
    if not content.is_dir():
        raise BuildFailed([], f"không tìm thấy thư mục nội dung {content}")
    overrides = {"CACHE_PATH": str(ROOT / ".cache" / f"pelican-{code_version()}"), **(overrides or {})}
    cache = Path(overrides["CACHE_PATH"]).absolute()
    with hold([output_lock(output), cache_lock(cache)], wait):
        pelican_cache.remove_temporaries(cache)
        folder = outputs.new_build(output)
        try:
            result = _run(read_settings(str(settings_file), override={
                **overrides, "PATH": str(content), "OUTPUT_PATH": str(folder), "CACHE_PATH": str(cache)}))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        outputs.switch(output, folder)
        outputs.clean(output)
    return result


def holding_output(output: Path, wait: float = WAIT):
    """The output's lock, for a task that builds and then reads the output (publish)."""
    return hold([output_lock(_absolute(output))], wait)


def _absolute(output: Path) -> Path:
    """``output`` made absolute without following it: it is the symlink the build switches."""
    output = Path(output)
    return output.parent.resolve() / output.name


def _run(settings: dict) -> PortalBuild:
    errors = _ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        with pelican_cache.healing():
            Pelican(settings).run()
    except ContentError as exc:
        raise BuildFailed(exc.problems, str(exc)) from None
    finally:
        logging.getLogger().removeHandler(errors)
    if errors.messages:
        raise BuildFailed([], "Pelican báo lỗi:\n" + "\n".join(errors.messages))
    return portal_build(settings)


def code_version() -> str:
    """A digest of the plugins' source, so cached reads never outlive the code."""
    digest = hashlib.sha256(pelican_version.encode())
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
