"""Benchmark of units through time at a national confederation's scale: loading a units.yml of
thousands of units with histories (every change day checked for cycles and too deep chains), and
counting a year of items with the tree as it was on each item's day.

Run with ``python3 tasks.py bench-units``; the figures go to ``docs/benchmarks-units.md``.
The registry is synthetic and seeded: 63 provinces, 10 district federations each (dissolved on
30/6/2025, their grassroots unions moved to a regional union), grassroots unions that move on
days spread over two years, renames, mergers.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugins.contract.registry import load_registry  # noqa: E402
from plugins.targets.core import Period, Record, count  # noqa: E402
from plugins.targets.dashboard import year_stats  # noqa: E402
from plugins.targets.settings import TargetSettings  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks-units.md"
REFORM = dt.date(2025, 7, 1)


def units_yml(provinces: int, districts: int, grassroots: int, seed: int = 15) -> tuple[str, int]:
    """The registry's text and how many history entries it has."""
    rng = random.Random(seed)
    lines = ["targets:", "  cap-tren: {2024: 12, 2026: 60 (website + fanpage)}", "  ban: 6", "units:",
             "  - {id: tw, name: Tổng Liên đoàn, kind: tinh}"]
    changes = 0
    for p in range(provinces):
        lines.append(f"  - {{id: p{p}, name: LĐLĐ tỉnh {p}, kind: cap-tren, parent: tw}}")
        lines.append(f"  - {{id: p{p}-kv, name: CĐ Khu vực {p}, kind: cap-tren, parent: p{p}, active_from: 2025-07-01}}")
        for d in range(districts):
            district = f"p{p}d{d}"
            if d % 3 == 0:
                lines.append(f"  - {{id: {district}, name: LĐLĐ huyện {p}-{d}, kind: cap-tren, parent: p{p}, "
                             f"merged_into: {{unit: p{p}-kv, from: 2025-07-01}}}}")
            else:
                lines.append(f"  - {{id: {district}, name: LĐLĐ huyện {p}-{d}, kind: cap-tren, parent: p{p}, "
                             "active_until: 2025-06-30}")
            for g in range(grassroots):
                unit = f"{district}g{g}"
                history = []
                if rng.random() < 0.5:  # moved to a neighbouring district on some day of 2024
                    moved = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(365))
                    history.append(f"{{from: {moved.isoformat()}, parent: p{p}d{(d + 1) % districts}}}")
                history.append(f"{{from: {REFORM.isoformat()}, parent: p{p}-kv}}")
                if rng.random() < 0.2:
                    renamed = REFORM + dt.timedelta(days=rng.randint(1, 400))
                    history.append(f"{{from: {renamed.isoformat()}, name: CĐCS {unit} mới}}")
                changes += len(history)
                lines.append(f"  - {{id: {unit}, name: CĐCS {unit}, kind: co-so, parent: {district}, "
                             f"history: [{', '.join(history)}]}}")
    return "\n".join(lines) + "\n", changes


def records(registry, items: int, year: int, seed: int = 16) -> list[Record]:
    rng = random.Random(seed)
    ids = list(registry.units)
    found = []
    while len(found) < items:
        unit = registry.units[rng.choice(ids)]
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if unit.exists_on(day):
            found.append(Record(unit.id, day, rng.choice(("tin", "bai", "anh", "video")), (),
                                rng.choice(("website", "website", "fanpage", "bao-in"))))
    return found


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(sizes: list[int], items: int, runs: int) -> None:
    rows = []
    for grassroots in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            text, changes = units_yml(63, 10, grassroots)
            (root / "units.yml").write_text(text, encoding="utf-8")
            (root / "campaigns.yml").write_text("campaigns: []\n", encoding="utf-8")
            (root / "sections.yml").write_text("sections:\n  - {id: tin, name: Tin}\n", encoding="utf-8")
            registry, problems = load_registry(root)
            assert not [p for p in problems if p.severity == "error"], problems[:3]
            days = len({s.start for u in registry.units.values() for s in u.stretches if s.start})
            load = timed(lambda: load_registry(root), runs)
            year = records(registry, items, 2025)
            year_count = timed(lambda: count(registry, year, Period(2025)), runs)
            now = dt.datetime(2025, 12, 31, 12)
            stats = timed(lambda: year_stats(registry, year, 2025, now, TargetSettings(), {}), runs)
            rows.append((len(registry.units), changes, days, load, year_count, stats))
            print(f"{len(registry.units):,} đơn vị, {changes:,} thay đổi trên {days} ngày: đọc units.yml {load:.2f} s, "
                  f"báo cáo năm {year_count:.2f} s, trang thống kê một năm {stats:.2f} s")
    write_docs(rows, items, runs)


def write_docs(rows, items: int, runs: int) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        "# Units through time: benchmarks", "",
        "Made by `python3 tasks.py bench-units` (module `tests/bench_units.py`); the file is rewritten by each run.", "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- Commit: {commit}", "",
        "## What is measured", "",
        "A synthetic, seeded units.yml: a confederation, 63 provinces, 10 district federations each (a third merged "
        "into the province's new regional union on 1/7/2025, the others dissolved on 30/6/2025), and grassroots "
        "unions under every district, each moved to the regional union on 1/7/2025; "
        "half of them first moved to a neighbouring district on a day of 2024, one in five renamed after the reform. Every history entry starts a change day on which the tree is checked.", "",
        f"- **load**: `load_registry` of the folder (YAML, checks, the tree on every change day); median of {runs}.",
        f"- **year report**: `count` of {items:,} items of 2025 (website, fanpage, newspaper) for the year; median of {runs}.",
        f"- **statistics page**: `year_stats` of the same items: the year and its halves, pace, national page, "
        f"digital share; median of {runs}.", "",
        "| units | history entries | change days | load (s) | year report (s) | statistics page (s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for units, changes, days, load, year_count, stats in rows:
        lines.append(f"| {units:,} | {changes:,} | {days:,} | {load:.2f} | {year_count:.2f} | {stats:.2f} |")
    DOCS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Đã ghi {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main([4, 16], 20_000, 3)
