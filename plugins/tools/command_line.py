"""`python3 tasks.py …` in Vietnamese: invoke's program with its help pages,
task list and command-line mistakes worded for editors.

invoke answers a mistyped task with "No idea what 'buidl' is!" and a bad number
with a traceback; editors get the closest task or option suggested instead, and
a non-zero exit code as before.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import sys
import textwrap
from types import MappingProxyType

from invoke import Collection, ParseError, Program

from plugins.contract.problems import suggest

COMMAND = "python3 tasks.py"
LIST_HINT = f"Xem mọi lệnh: {COMMAND} --list"
# invoke's value placeholders in the option column, as editors read them.
PLACEHOLDERS = (("=STRING", "=GIÁ-TRỊ"), ("=INT", "=SỐ"), ("=FLOAT", "=SỐ"), (" STRING", " GIÁ-TRỊ"),
                (" INT", " SỐ"), (" FLOAT", " SỐ"))
_UNKNOWN = re.compile(r"No idea what '(?P<token>.*)' is!$")
_POSITIONAL = re.compile(r"'(?P<task>[^']+)' did not receive required positional arguments: (?P<names>.*)$")
_NEEDS_VALUE = re.compile(r"Flag <Argument: (?P<name>[\w-]+)")
_NO_VALUE = re.compile(r"Flag '(?P<flag>[^']+)' doesn't take any value!$")
_NOT_A_NUMBER = re.compile(r"invalid literal for (?:int|float)\(\)(?: with base 10)?: '(?P<value>.*)'$")


def option(name: str) -> str:
    return "--" + name.replace("_", "-")


class PortalProgram(Program):
    """invoke's ``Program`` for the portal's own tasks, speaking Vietnamese."""

    def normalize_argv(self, argv) -> None:
        """``new --help`` as ``--help new``: invoke would take "--help" as the value of new's first argument."""
        super().normalize_argv(argv)
        words = self.argv[1:]
        if words and words[0] in self.namespace.task_names and {"--help", "-h"} & set(words[1:]):
            self.argv = [self.argv[0], "--help", words[0]]

    def parse_tasks(self) -> None:
        try:
            super().parse_tasks()
        except ParseError as exc:
            raise ParseError(self.explain(exc)) from None
        except ValueError as exc:
            raise ParseError(self.explain_value(exc)) from None

    def parse_cleanup(self) -> None:
        try:
            super().parse_cleanup()
        except ParseError as exc:
            raise ParseError(self.explain(exc)) from None

    def task_names(self) -> list[str]:
        return sorted(self.collection.task_names)

    def explain(self, error: ParseError) -> str:
        """The parser's complaint, in Vietnamese, with what to type instead."""
        text = str(error)
        context = getattr(error, "context", None)
        task = context.name if context is not None and context.name else None
        if found := _UNKNOWN.match(text):
            token = found["token"]
            if token.startswith("-"):
                return self._unknown_option(token, task)
            return f"Không có lệnh '{token}'.{suggest(token, self.task_names())} {LIST_HINT}"
        if found := _POSITIONAL.match(text):
            names = re.findall(r"'([^']+)'", found["names"])
            wanted = " ".join(f"{option(n)} …" for n in names)
            return (f"Lệnh {found['task']} cần thêm {', '.join(option(n) for n in names)}: "
                    f"{COMMAND} {found['task']} {wanted} (xem: {COMMAND} {found['task']} --help)")
        if found := _NEEDS_VALUE.match(text):
            return f"Tùy chọn {option(found['name'])} cần một giá trị, ví dụ {option(found['name'])} 2025."
        if found := _NO_VALUE.match(text):
            return f"Tùy chọn {found['flag']} không nhận giá trị; chỉ cần viết {found['flag']} (bỏ phần “=…”)."
        return f"Không hiểu lệnh: {text}. {LIST_HINT}"

    def _unknown_option(self, token: str, task: str | None) -> str:
        if task is None:
            return f"Không có tùy chọn '{token}'.{suggest(token, ['--list', '--help'])} {LIST_HINT}"
        flags = [f for f in self.parser.contexts[task].flags if f.startswith("--")]
        return (f"Lệnh {task} không có tùy chọn '{token}'.{suggest(token.split('=')[0], flags)} "
                f"Xem các tùy chọn: {COMMAND} {task} --help")

    @staticmethod
    def explain_value(error: ValueError) -> str:
        found = _NOT_A_NUMBER.search(str(error))
        shown = f"'{found['value']}' " if found else ""
        return f"Giá trị {shown}phải là một số (ví dụ --port 8123 hoặc --year 2025)."

    # Help pages

    def print_help(self) -> None:
        print(f"Cách dùng: {COMMAND} <lệnh> [--tùy-chọn …]")
        print(f"Trợ giúp cho một lệnh: {COMMAND} <lệnh> --help\n")
        self.list_tasks()

    def task_list_opener(self, extra: str = "") -> str:
        return "Các lệnh"

    def display_with_columns(self, pairs, extra: str = "") -> None:
        print(f"{self.task_list_opener(extra)}:\n")
        self.print_columns(pairs)

    def print_task_help(self, name: str) -> None:
        context = self.parser.contexts[name]
        tuples = [(self._placeholders(spec), text) for spec, text in context.help_tuples()]
        print(f"Cách dùng: {COMMAND} {name}{' [--tùy-chọn …]' if tuples else ''}\n")
        print("Việc làm:")
        for line in (inspect.getdoc(self.collection[name]) or "").splitlines():
            print(self.leading_indent + line if line.strip() else "")
        print("")
        print("Tùy chọn:")
        if tuples:
            self.print_columns(tuples)
        else:
            print(self.leading_indent + "không có\n")

    def print_columns(self, tuples) -> None:
        """Names and help texts in two columns; help wrapped between words only (never inside
        ``cd-giao-duc``), at the terminal's width."""
        from invoke.terminals import pty_size

        width = max(len(name) for name, _ in tuples)
        wrapper = textwrap.TextWrapper(width=max(30, pty_size()[0] - width - self.leading_indent_width
                                                 - self.col_padding - 1),
                                       break_on_hyphens=False, break_long_words=False)
        for name, text in tuples:
            spec = f"{self.leading_indent}{name.ljust(width)}{' ' * self.col_padding}"
            chunks = wrapper.wrap(text or "")
            print((spec + chunks[0]) if chunks else spec.rstrip())
            for chunk in chunks[1:]:
                print(" " * len(spec) + chunk)
        print("")

    @staticmethod
    def _placeholders(spec: str) -> str:
        for english, vietnamese in PLACEHOLDERS:
            spec = spec.replace(english, vietnamese)
        return spec


def run(module) -> None:
    """Run the tasks of ``module`` (tasks.py) with the command line in ``sys.argv``."""
    program = PortalProgram(namespace=Collection.from_module(module), binary=COMMAND, name="Cổng thông tin",
                            version="")
    try:
        program.run()
    except BrokenPipeError:  # `python3 tasks.py --list | head`: the reader has gone, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None


# Logging


LEVELS = MappingProxyType({logging.DEBUG: "gỡ lỗi", logging.INFO: "thông tin", logging.WARNING: "cảnh báo",
                           logging.ERROR: "lỗi", logging.CRITICAL: "lỗi nghiêm trọng"})


class PlainFormatter(logging.Formatter):
    """Each record as it was written, never wrapped to the terminal's width.

    Pelican's rich handler wraps long lines mid-word and adds a time and a level
    column; a problem line (``path:line: cảnh báo W012: …``) must stay one line that
    editors can read and search for. The portal's own records are problem lines
    already; Pelican's and the libraries' get their level in Vietnamese in front."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not record.name.startswith("plugins."):
            message = f"{LEVELS.get(record.levelno, record.levelname)}: {message}"
        if record.exc_info and record.levelno >= logging.ERROR:
            message += "\n" + self.formatException(record.exc_info)
        return message


def init_logging(level: int = logging.WARNING, stream=None) -> logging.Handler:
    """Pelican's logging (its duplicate filter, its levels) with one plain handler on ``stream`` (stdout).

    Pelican's own console is silenced: all it prints in a build is its English summary
    ("Done: Processed 3 articles, 0 drafts…", wrapped, drafts counted as Pelican sees
    them); the build prints the portal's own."""
    from pelican.log import console, init

    console.quiet = True
    handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
    handler.setFormatter(PlainFormatter())
    init(level=level, handler=handler)
    return handler
