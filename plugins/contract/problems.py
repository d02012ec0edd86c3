"""Problems found in the content, reported to editors as ``path:line: message``."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from .text import fold


class Severity(str, Enum):
    """How bad a problem is: an error keeps the item (or the build) off the site."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """The word editors read before the message."""
        return "lỗi" if self is Severity.ERROR else "cảnh báo"


ERROR = Severity.ERROR
WARNING = Severity.WARNING
# A message's code: E for an error, W for a warning, then three digits.
CODE_PATTERN = re.compile(r"^[EW]\d{3}$")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = ERROR
    # The message's stable code (``E012``, ``W004``), keyed in the editors' guide's catalogue of messages.
    code: str = ""

    def __post_init__(self) -> None:
        if self.code and not CODE_PATTERN.match(self.code):
            raise ValueError(f"message code {self.code!r} is not of the form E012 or W012")

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"{self.path}:{self.line}: {Severity(self.severity).label}{code}: {self.message}"


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


def suggest(value: str, choices: Iterable[str], shown_as: Mapping[str, str] | None = None) -> str:
    """`` Có phải ý bạn là 'x'?`` for the closest known value, or nothing.

    Compared without accents or case (editors paste text without accents);
    ``shown_as`` names what to suggest for a choice (a unit's name suggests its id)."""
    shown_as = shown_as or {}
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(fold(choice), shown_as.get(choice, choice))
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.5)
    if close:
        return f" Có phải ý bạn là '{folded[close[0]]}'?"
    return ""
