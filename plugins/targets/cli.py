"""`invoke report`: the board's report from a content folder, no build needed."""

from __future__ import annotations

import sys
from pathlib import Path

from plugins.contract import dates
from plugins.contract.problems import ERROR, format_report
from plugins.contract.registry import load_registry

from . import formats
from .collect import collect
from .core import Period, count

FORMATS = ("table", "csv", "json", "xlsx")


class ReportError(Exception):
    """The report cannot be made; the message says why, for the editor."""


def run(content: Path, year: int, half: int | None, fmt: str, output: Path | None) -> int:
    """Write the report; return how many units with a target are behind."""
    if fmt not in FORMATS:
        raise ReportError(f"định dạng '{fmt}' không hỗ trợ; chọn một trong {', '.join(FORMATS)}")
    if half not in (None, 1, 2):
        raise ReportError("--half chỉ nhận 1 (tháng 1–6) hoặc 2 (tháng 7–12)")
    if fmt == "xlsx" and output is None:
        raise ReportError("định dạng xlsx cần --output TỆP.xlsx")
    registry, problems = load_registry(content)
    records, more = collect(content, registry, dates.now())
    problems += more
    if any(p.severity == ERROR for p in problems):
        raise ReportError(format_report(problems) + "\nHãy sửa các lỗi trên rồi chạy lại báo cáo.")
    report = count(registry, records, Period(year, half))
    if fmt == "xlsx":
        formats.to_xlsx(report, output)
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
    return len(report.behind)
