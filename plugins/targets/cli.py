"""`invoke report`: the board's report from a content folder, no build needed."""

from __future__ import annotations

import sys
from pathlib import Path

from plugins.contract import dates
from plugins.contract.build import REGISTRY_FILES
from plugins.contract.pipeline import load_settings
from plugins.contract.problems import ERROR, format_report
from plugins.contract.registry import load_registry
from plugins.documents.letterhead import issuer_name

from . import formats
from .collect import collect
from .core import Period, Record, Report, count
from .dashboard import period_coverage, year_stats
from .document import TEMPLATE_FILE, Paperwork, load_report_texts, report_document
from .settings import TargetSettings, load

FORMATS = ("table", "csv", "json", "xlsx", "docx")
# Formats written to a file only, never to the terminal.
FILE_FORMATS = ("xlsx", "docx")


class ReportError(Exception):
    """The report cannot be made; the message says why, for the editor."""


def run(content: Path, year: int, half: int | None, fmt: str, output: Path | None,
        keep_going: bool = False) -> tuple[int, int]:
    """Write the report; return how many units with a target are behind, and the content's errors.

    With ``keep_going`` the report counts what ``build --keep-going`` would publish (a last good
    version kept on the site counts as published); only errors in the registries stop it, the
    others are told on stderr."""
    if fmt not in FORMATS:
        raise ReportError(f"định dạng '{fmt}' không hỗ trợ; chọn một trong {', '.join(FORMATS)}")
    if half not in (None, 1, 2):
        raise ReportError("--half chỉ nhận 1 (tháng 1–6) hoặc 2 (tháng 7–12)")
    if fmt in FILE_FORMATS and output is None:
        raise ReportError(f"định dạng {fmt} cần --output TỆP.{fmt}")
    registry, problems = load_registry(content)
    texts, found = load_report_texts(content) if fmt == "docx" else ({}, [])
    problems += found
    now = dates.now()
    settings = load_settings(content.resolve())
    records, channels, labels, more = collect(content, registry, now, settings, keep_going=keep_going)
    problems += more
    errors = [p for p in problems if p.severity == ERROR]
    if any(not keep_going or p.path in REGISTRY_FILES or p.path == TEMPLATE_FILE for p in errors):
        raise ReportError(format_report(problems) + "\nHãy sửa các lỗi trên rồi chạy lại báo cáo.")
    if errors:
        print(format_report(problems) + "\nBáo cáo tính như bản dựng --keep-going: bài có lỗi không được tính, "
              "bài giữ bản đã đăng trước được tính là đã đăng.", file=sys.stderr)
    options = load(settings)
    report = count(registry, records, Period(year, half), options.is_digital, channels)
    if fmt == "xlsx":
        formats.to_xlsx(report, output, now, settings.get("SITENAME", ""))
    elif fmt == "docx":
        _write_document(report, registry, records, texts, options, channels, labels, now, settings, output)
    elif fmt == "table":
        from rich.console import Console

        Console(file=output.open("w", encoding="utf-8") if output else sys.stdout).print(formats.to_table(report))
    else:
        data = formats.to_json(report).encode("utf-8") if fmt == "json" else formats.to_csv(report)
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    return len({row.id for row in report.behind}), len(errors)


def _write_document(report: Report, registry, records: list[Record], texts, options: TargetSettings,
                    channels: dict[str, str], labels: dict[str, str], now, settings: dict, output: Path) -> None:
    """The report as a Word document; the board's texts must all render, or nothing is written."""
    period = report.period
    until = [r for r in records if r.day <= period.end]
    digital = year_stats(registry, until, period.year, now, options, channels).digital
    work = Paperwork(period_coverage(registry, records, period), digital, labels)
    data, problems = report_document(report, work, texts, issuer_name(registry, settings.get("SITENAME", "")), now)
    if problems:
        raise ReportError(format_report(problems) + "\nHãy sửa tệp mẫu văn bản rồi chạy lại báo cáo.")
    output.write_bytes(data)
