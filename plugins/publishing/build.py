"""Run one Pelican build into a fresh folder and switch the output to it only
on success, so a failed or killed build never leaves a half-written site.

Builds sharing an output folder or a cache take turns (plugins.publishing.lock);
the output is a symlink to the current build (plugins.publishing.outputs); a
damaged Pelican cache is dropped and rebuilt (plugins.publishing.pelican_cache).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from plugins.contract.build import PortalBuild, portal_build
from plugins.contract.dates import now as clock
from plugins.contract.problems import ERROR, ContentError, Problem, format_report
from plugins.incremental.inputs import code_version
from plugins.incremental.ledger import Manifest
from plugins.incremental.plugin import LEDGER_KEY
from plugins.incremental.settings import load as incremental_settings

from . import outputs, pelican_cache, unchanged
from .lock import EXIT_CODE, WAIT, BuildLocked, cache_lock, hold, output_lock

ROOT = Path(__file__).resolve().parents[2]

__all__ = ("EXIT_CODE", "PUBLISHED_WITH_PROBLEMS", "WAIT", "BuildFailed", "BuildLocked", "build", "code_version",
           "errors_of", "holding_output", "report_refused", "write_report")

# Exit code of `build --keep-going` and `publish` when the site was published but some files have errors
# ("đã đăng, còn lỗi"): CI shows red while the site still updates.
PUBLISHED_WITH_PROBLEMS = 3


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
          wait: float = WAIT) -> PortalBuild | unchanged.Unchanged:
    """Build ``content`` into ``output`` and return what the build found; waits up to
    ``wait`` seconds for another build of the same output or cache, then raises ``BuildLocked``.

    Files whose key did not change are carried from the current output (plugins.incremental);
    when no input changed at all, nothing is built and the last build's findings come back."""
    content, output = Path(content).resolve(), _absolute(output)
    if not content.is_dir():
        raise BuildFailed([], f"không tìm thấy thư mục nội dung {content}")
    overrides = {"CACHE_PATH": str(ROOT / ".cache" / f"pelican-{code_version()}"), **(overrides or {})}
    cache = Path(overrides["CACHE_PATH"]).absolute()
    with hold([output_lock(output), cache_lock(cache)], wait):
        manifest_path = outputs.manifest(output)
        settings = read_settings(str(settings_file), override={**overrides, "PATH": str(content), "CACHE_PATH": str(cache)})
        options = incremental_settings(settings)
        previous = Manifest.load(manifest_path) if options.carry else Manifest()
        if previous.folder != str(output.resolve()) or not output.is_symlink():
            previous = Manifest()
        inputs = unchanged.inputs_digest(settings, Path(settings_file), overrides)
        now = clock()
        if options.skip_unchanged and unchanged.still_valid(previous.inputs, inputs, now):
            outputs.remove_killed(output)
            return unchanged.Unchanged.of(previous.inputs)
        pelican_cache.remove_temporaries(cache)
        cleaner = outputs.clean(output)
        folder = outputs.new_build(output)
        try:
            result = _run({**settings, "OUTPUT_PATH": str(folder),
                           LEDGER_KEY: {"manifest": str(manifest_path) if previous.folder else ""}})
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            cleaner.join()
        outputs.switch(output, folder)
        _save_manifest(result, manifest_path, folder, inputs)
    return result


def _save_manifest(result: PortalBuild, path: Path, folder: Path, inputs: str) -> None:
    state = result.incremental
    if state is None:
        path.unlink(missing_ok=True)
        return
    manifest = state.ledger.current
    manifest.folder = str(folder.resolve())
    manifest.inputs = unchanged.record(result, inputs)
    manifest.save(path)


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




def errors_of(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity == ERROR)


def report_refused(report: Path, content: Path, output: Path) -> str:
    """Why the problem report may not be written at ``report``, or ``""``: never into the public
    output (nor the builds beside it), never into the content folder (it would become an input)."""
    report = Path(report).absolute().resolve()
    output = _absolute(output)
    for folder, what in ((output, "thư mục đầu ra"), (output.resolve(), "thư mục đầu ra"),
                         (outputs.builds_folder(output), "thư mục các bản dựng"),
                         (Path(content).resolve(), "thư mục nội dung")):
        if report == folder or folder in report.parents:
            return f"không ghi báo cáo lỗi vào {report}: tệp nằm trong {what} {folder}; hãy chọn chỗ khác cho --report"
    return ""


def write_report(report: Path, problems: list[Problem], summary: str = "") -> None:
    """Every problem of a build, one ``path:line: lỗi E…: …`` a line, then the counts and the summary."""
    report = Path(report)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(format_report(problems) + (f"\n{summary}" if summary else "") + "\n", encoding="utf-8")
