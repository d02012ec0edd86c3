"""Stopping at once when nothing a build reads has changed since the last one.

A build records a digest of its inputs (the plugins' code and libraries, the
settings files and overrides, and every file of the content and theme by
path, size, modification and change times and inode) and the span of time in
which the clock changes nothing it shows: until the next scheduled item goes
live, and within the day (statistics count days). A build that finds the same
digest inside that span says so and returns the last build's findings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from plugins.contract.dates import SITE_TZ
from plugins.contract.problems import Problem, Severity
from plugins.incremental.inputs import ROOT, code_version

SETTINGS_FILES = (ROOT / "pelicanconf.py", ROOT / "publishconf.py")


def _tree(digest, folder: Path) -> None:
    folder = Path(folder)
    digest.update(f"tree:{folder}\0".encode())
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            relative = os.path.relpath(path, folder)
            digest.update(f"{relative}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_mode}\n".encode())


def inputs_digest(settings: dict, settings_file: Path, overrides: dict) -> str:
    digest = hashlib.sha256(code_version(settings).encode())
    for path in (Path(settings_file), *SETTINGS_FILES):
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    _tree(digest, Path(settings["PATH"]))
    _tree(digest, Path(settings["THEME"]))
    return digest.hexdigest()


def _next_midnight(moment: dt.datetime) -> dt.datetime:
    local = moment.astimezone(SITE_TZ)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), SITE_TZ)


def record(result, inputs: str) -> dict:
    """What a later build needs to know this one is still current, and to say what it found."""
    until = min([_next_midnight(result.now), *(a.date for a in result.scheduled if a.date > result.now)])
    return {
        "digest": inputs,
        "now": result.now.isoformat(),
        "until": until.isoformat(),
        "summary": result.summary(),
        "problems": [[p.path, p.line, p.message, Severity(p.severity).value, p.code] for p in result.problems],
    }


def still_valid(recorded: dict, inputs: str, now: dt.datetime) -> bool:
    try:
        return (recorded.get("digest") == inputs
                and dt.datetime.fromisoformat(recorded["now"]) <= now < dt.datetime.fromisoformat(recorded["until"]))
    except (KeyError, TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Unchanged:
    """A build that found nothing to do: the last build's findings, and the site left as it is."""

    problems: list[Problem]
    last_summary: str
    # Nothing was made: no photo or card figures to give (the last build's would read as new work).
    images: None = None
    unchanged: bool = True

    @classmethod
    def of(cls, recorded: dict) -> Unchanged:
        problems = [Problem(path, line, message, Severity(severity), *code)
                    for path, line, message, severity, *code in recorded["problems"]]
        return cls(problems, recorded.get("summary", ""))

    def summary(self) -> str:
        return "Không có gì thay đổi kể từ lần dựng trước: website được giữ nguyên.\n" + self.last_summary
