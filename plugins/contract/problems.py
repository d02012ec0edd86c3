"""Problems found in the content, reported to editors as ``path:line: message``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        label = "lỗi" if self.severity == ERROR else "cảnh báo"
        return f"{self.path}:{self.line}: {label}: {self.message}"


class ContentError(Exception):
    """The content cannot be published as it is; carries every problem at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_report(self.problems))


def format_report(problems: Iterable[Problem]) -> str:
    problems = sorted(problems)
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    lines = [str(p) for p in problems]
    lines.append(f"{errors} lỗi, {warnings} cảnh báo.")
    return "\n".join(lines)


def suggest(value: str, choices: Iterable[str]) -> str:
    """`` Có phải ý bạn là 'x'?`` for the closest known value, or nothing."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.5)
    if close:
        return f" Có phải ý bạn là '{lowered[close[0]]}'?"
    return ""
