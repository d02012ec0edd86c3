"""Benchmark of the image pipeline: social cards and photo derivatives per
second from an empty store, in one process and over all cores, the wall time
per card of drawing every card of a national-scale site, and the time of a
rebuild in which nothing changed.

Run it with ``python3 tasks.py bench-images``, or only the national card run with
``.venv/bin/python tests/bench_images.py --cards 20000 --cards-only``. The
generated photos are kept in ``.cache/bench-images/photos-<n>/`` and reused; the
numbers are also written to ``.cache/bench-images/result.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
for _folder in (ROOT, ROOT / "tests"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import PIL  # noqa: E402
import yaml  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFilter  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

import bench_build  # noqa: E402
from plugins.contract.dates import format_vi_date  # noqa: E402
from plugins.images import cards as card_drawing  # noqa: E402
from plugins.images import work  # noqa: E402
from plugins.images.cards import CardStyle, CardText  # noqa: E402
from plugins.images.settings import ImageSettings  # noqa: E402
from plugins.images.store import make_key  # noqa: E402
from plugins.images.work import CardJob, DeriveJob, Outcome, Runner  # noqa: E402
from plugins.publishing.build import BuildFailed, build  # noqa: E402

BENCH_DIR = ROOT / ".cache" / "bench-images"
RESULT_FILE = BENCH_DIR / "result.json"
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
SETTINGS_FILE = ROOT / "pelicanconf.py"
LOGO = ROOT / "content" / "images" / "logo.png"
LOGO_IN_CONTENT = "images/logo.png"
SITE_NAME = "Cổng thông tin Công đoàn tỉnh Hà Sơn"

PHOTO_SIZE = (3000, 2000)
PHOTO_QUALITY = 90
MIN_PHOTOS = 300
# Article cards of the national card run: the build benchmark's corpus at this size.
NATIONAL_CARDS = 20_000
TARGET_SPEEDUP = 1.6
# 22/11/2026 09:00 in Hà Nội: the "now" of every benchmark build.
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
FIRST_DAY = dt.datetime(2024, 1, 2, 8, 0, tzinfo=NOW.tzinfo)
CATEGORIES = ("tin-hoat-dong", "chinh-sach-phap-luat")

SUBJECTS = (
    "Công đoàn ngành Giáo dục", "LĐLĐ tỉnh", "Công đoàn cơ sở Trường Tiểu học A", "Ban Tuyên giáo",
    "Công đoàn các khu công nghiệp", "Nữ công nhân may", "Đoàn viên công đoàn", "Công đoàn ngành Y tế",
)
ACTIONS = (
    "tổ chức đối thoại với người lao động",
    "trao Mái ấm công đoàn cho đoàn viên khó khăn",
    "phát động Tháng Công nhân",
    "tập huấn an toàn, vệ sinh lao động",
    "khám sức khỏe miễn phí cho 600 công nhân",
    "ký thỏa ước lao động tập thể với doanh nghiệp",
    "đưa công nhân về quê đón Tết trên Chuyến xe mùa xuân",
    "tuyên dương điển hình tiên tiến",
    "phổ biến Luật Công đoàn sửa đổi",
    "tặng quà y, bác sĩ trực Tết",
)
TAILS = (
    "",
    " năm 2026",
    " tại khu công nghiệp phía Bắc",
    ": chăm lo đời sống, việc làm cho đoàn viên",
    ": nhiều sáng kiến giúp tăng năng suất và bảo đảm an toàn cho người lao động trong mùa cao điểm cuối năm",
)
SHORT_TITLES = ("Tết sum vầy", "Hỏi đáp: quyền lợi đoàn viên", "Ngày hội văn nghệ công nhân")


@dataclass(frozen=True)
class Article:
    """One generated article, with its photo as cover."""

    index: int
    title: str
    slug: str
    unit_id: str
    unit_name: str
    category: str
    date: dt.datetime
    photo: Path


@dataclass
class Throughput:
    """Cold runs of one kind of job, alternately in one process and over all cores."""

    name: str
    jobs: int
    workers: int
    outputs: int = 0
    single: list[float] = field(default_factory=list)
    pool: list[float] = field(default_factory=list)

    def median(self, pool: bool) -> float:
        return statistics.median(self.pool if pool else self.single)

    def rate(self, pool: bool, per_job: bool = False) -> float:
        """Outputs (or jobs) per second, from the median run."""
        return (self.jobs if per_job else self.outputs) / self.median(pool)

    @property
    def speedup(self) -> float:
        return self.median(pool=False) / self.median(pool=True)

    def as_dict(self) -> dict:
        return {
            "jobs": self.jobs, "outputs_per_run": self.outputs, "workers": self.workers,
            "single_seconds": self.single, "pool_seconds": self.pool,
            "single_median_seconds": self.median(False), "pool_median_seconds": self.median(True),
            "single_per_second": self.rate(False), "pool_per_second": self.rate(True),
            "single_jobs_per_second": self.rate(False, per_job=True),
            "pool_jobs_per_second": self.rate(True, per_job=True),
            "speedup": self.speedup,
        }


@dataclass
class Rebuild:
    """A real cold build of the generated site, then builds with nothing changed."""

    articles: int
    cold_seconds: float = 0.0
    cold: dict = field(default_factory=dict)
    noop_seconds: list[float] = field(default_factory=list)
    noop: list[dict] = field(default_factory=list)

    @property
    def noop_median(self) -> float:
        return statistics.median(self.noop_seconds)

    @property
    def noop_decoded(self) -> int:
        return max(stats["decoded"] for stats in self.noop)

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "cold_seconds": self.cold_seconds, "cold_stats": self.cold,
            "noop_seconds": self.noop_seconds, "noop_median_seconds": self.noop_median,
            "noop_stats": self.noop, "noop_decoded": self.noop_decoded,
        }


@dataclass
class Scaling:
    """The same fixed work alone and in one process per core at once: the ceiling of any pool speed-up here."""

    workers: int
    alone: list[float] = field(default_factory=list)
    together: list[float] = field(default_factory=list)

    @property
    def speedup(self) -> float:
        return self.workers * statistics.median(self.alone) / statistics.median(self.together)

    def as_dict(self) -> dict:
        return {"workers": self.workers, "alone_seconds": self.alone, "together_seconds": self.together,
                "speedup": self.speedup}


@dataclass
class NationalCards:
    """Every article card of the build benchmark's corpus, drawn from an empty store over all cores."""

    cards: int
    covers: int
    workers: int
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # of the worker processes, user and system

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def ms_per_card(self) -> float:
        return 1000 * self.median / self.cards

    @property
    def cpu_ms_per_card(self) -> float:
        return 1000 * statistics.median(self.cpu_seconds) / self.cards

    def as_dict(self) -> dict:
        return {"cards": self.cards, "with_cover": self.covers, "workers": self.workers, "seconds": self.seconds,
                "median_seconds": self.median, "ms_per_card": self.ms_per_card,
                "cpu_seconds": self.cpu_seconds, "cpu_ms_per_card": self.cpu_ms_per_card,
                "cards_per_second": self.cards / self.median}


@dataclass
class Report:
    photos: int
    runs: int
    machine: Scaling | None
    cards: Throughput | None
    derivatives: Throughput | None
    rebuild: Rebuild | None
    national: NationalCards
    generate_seconds: float
    total_seconds: float = 0.0

    @property
    def meets_target(self) -> bool:
        return self.cards is not None and self.cards.speedup >= TARGET_SPEEDUP

    def as_dict(self) -> dict:
        def part(value):
            return value.as_dict() if value is not None else None

        return {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "pillow": PIL.__version__,
                        "platform": platform.platform()},
            "photos": self.photos, "photo_size": list(PHOTO_SIZE), "runs": self.runs,
            "machine_scaling": part(self.machine),
            "cards": part(self.cards),
            "derivatives": part(self.derivatives),
            "rebuild": part(self.rebuild),
            "national_cards": self.national.as_dict(),
            "target_speedup": TARGET_SPEEDUP, "meets_target": self.meets_target,
            "generate_seconds": self.generate_seconds, "total_seconds": self.total_seconds,
        }


# Photos


def photo_set(count: int, console: Console) -> tuple[list[Path], float]:
    """``count`` generated photos, made once and kept under ``.cache/bench-images``."""
    folder = BENCH_DIR / f"photos-{count}"
    paths = [folder / f"photo-{index:04d}.jpg" for index in range(count)]
    if all(path.is_file() for path in paths):
        return paths, 0.0
    console.print(f"Generating {count} photos of {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} in {folder} (once) …")
    start = time.perf_counter()
    partial = folder.with_name(f"{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    tasks = [(index, partial / path.name) for index, path in enumerate(paths)]
    with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_write_photo, tasks, chunksize=4))
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return paths, time.perf_counter() - start


def _write_photo(task: tuple[int, Path]) -> None:
    index, path = task
    make_photo(index).save(path, "JPEG", quality=PHOTO_QUALITY)


def make_photo(index: int) -> Image.Image:
    """A photo-like picture: soft shapes over a gradient, sharp strokes and sensor noise, different per index."""
    rng = random.Random(index)

    def colour() -> tuple[int, int, int]:
        return rng.randint(20, 235), rng.randint(20, 235), rng.randint(20, 235)

    small = (PHOTO_SIZE[0] // 4, PHOTO_SIZE[1] // 4)
    gradient = Image.linear_gradient("L").resize(small)
    base = Image.composite(Image.new("RGB", small, colour()), Image.new("RGB", small, colour()), gradient)
    draw = ImageDraw.Draw(base, "RGBA")
    for _ in range(rng.randint(15, 35)):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        w, h = rng.randint(20, small[0] // 3), rng.randint(20, small[1] // 3)
        fill = (*colour(), rng.randint(90, 230))
        shape = rng.choice(("ellipse", "rectangle", "polygon"))
        if shape == "ellipse":
            draw.ellipse((x, y, x + w, y + h), fill=fill)
        elif shape == "rectangle":
            draw.rectangle((x, y, x + w, y + h), fill=fill)
        else:
            corners = [(x + rng.randint(-w, w), y + rng.randint(-h, h)) for _ in range(rng.randint(3, 6))]
            draw.polygon(corners, fill=fill)
    photo = base.filter(ImageFilter.GaussianBlur(2)).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(photo)
    for _ in range(rng.randint(20, 60)):
        x, y = rng.randrange(PHOTO_SIZE[0]), rng.randrange(PHOTO_SIZE[1])
        end = (x + rng.randint(-300, 300), y + rng.randint(-300, 300))
        draw.line((x, y, *end), fill=colour(), width=rng.randint(1, 6))
    noise = Image.effect_noise(PHOTO_SIZE, rng.uniform(6, 12)).convert("RGB")
    return ImageChops.add(photo, noise, offset=-128)


# Machine


def machine_scaling(runs: int, console: Console) -> Scaling:
    """How much more fixed work all cores do than one, with nothing of the pipeline involved."""
    result = Scaling(ImageSettings().worker_count())
    for run in range(runs):
        result.alone.append(_in_processes(1))
        result.together.append(_in_processes(result.workers))
        console.print(f"  machine, run {run + 1}/{runs}: 1 process {result.alone[-1]:.2f} s, "
                      f"{result.workers} at once {result.together[-1]:.2f} s")
    return result


def _in_processes(count: int) -> float:
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_fixed_work) for _ in range(count)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return time.perf_counter() - start


def _fixed_work() -> None:
    """About a second of the kind of work a card is: resampling and JPEG encoding."""
    image = make_photo(0).resize((1500, 1000))
    for _ in range(8):
        image.resize((1200, 800), Image.Resampling.LANCZOS).save(io.BytesIO(), "JPEG", quality=86, optimize=True)


# Articles and jobs


def active_units() -> dict[str, str]:
    """Ids and names of the fixture's units that are still active."""
    units = yaml.safe_load((FIXTURE / "units.yml").read_text(encoding="utf-8"))["units"]
    return {unit["id"]: unit["name"] for unit in units if not unit.get("active_until")}


def plan_articles(photos: list[Path]) -> list[Article]:
    """One article per photo, spread over the fixture's units and three years."""
    units = list(active_units().items())
    span = NOW - FIRST_DAY - dt.timedelta(days=1)
    articles = []
    for index, photo in enumerate(photos):
        rng = random.Random(f"article-{index}")
        title = _title(rng)
        unit_id, unit_name = units[index % len(units)]
        date = FIRST_DAY + span * index / max(1, len(photos))
        slug = f"bai-{index:04d}"
        articles.append(Article(index, title, slug, unit_id, unit_name, CATEGORIES[index % len(CATEGORIES)],
                                date.replace(second=0, microsecond=0), photo))
    return articles


def _title(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(SHORT_TITLES)
    return f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}{rng.choice(TAILS)}"


def card_jobs(articles: list[Article], store: Path) -> list[CardJob]:
    """The card of every article, as the build would ask for it on an empty store."""
    options = ImageSettings()
    style = CardStyle(**options.card)
    fonts = (options.font_bold, options.font_semibold, options.font_regular)
    logo = str(LOGO) if LOGO.is_file() else None
    jobs = []
    for article in articles:
        text = CardText(article.title, article.unit_name, format_vi_date(article.date), SITE_NAME)
        key = make_key("bench-card", article.index, asdict(text))
        jobs.append(CardJob(key, text, style, fonts, str(article.photo), logo, options.max_pixels, str(store)))
    return jobs


def derive_jobs(articles: list[Article], store: Path) -> list[DeriveJob]:
    """Every width and format of every photo, as the build would ask for them on an empty store."""
    o = ImageSettings()
    return [
        DeriveJob(make_key("bench-photo", article.index), str(article.photo), o.widths, o.jpeg_quality,
                  o.webp_quality, o.max_pixels, str(store))
        for article in articles
    ]


def cards_written(outcomes: list[Outcome]) -> int:
    return sum(1 for outcome in outcomes if outcome.meta)


def derivatives_written(outcomes: list[Outcome]) -> int:
    return sum(2 * len(outcome.meta["variants"]) for outcome in outcomes if outcome.meta)


# Throughput


def measure(name: str, make_jobs: Callable[[Path], list], count: Callable[[list[Outcome]], int],
            jobs: int, runs: int, scratch: Path, console: Console) -> Throughput:
    """``runs`` cold runs in one process and over all cores, interleaved so both see the same machine."""
    workers = ImageSettings().worker_count()
    result = Throughput(name, jobs, workers)
    for run in range(runs):
        order = [(1, result.single), (workers, result.pool)]
        if run % 2:
            order.reverse()
        for processes, times in order:
            seconds, outputs = timed_run(make_jobs, count, processes, scratch)
            times.append(seconds)
            result.outputs = outputs
            console.print(f"  {name}, run {run + 1}/{runs}, {processes} process{'es' if processes > 1 else ''}: "
                          f"{seconds:.2f} s, {outputs / seconds:.1f}/s")
    return result


def timed_run(make_jobs: Callable[[Path], list], count: Callable[[list[Outcome]], int], processes: int,
              scratch: Path) -> tuple[float, int]:
    """Seconds to run every job on a fresh store, pool start and shutdown included, and the files written."""
    store = Path(tempfile.mkdtemp(prefix="store-", dir=scratch))
    jobs = make_jobs(store)
    _forget_loaded_resources()
    start = time.perf_counter()
    with Runner(processes, 1) as runner:
        outcomes = runner(jobs)
    seconds = time.perf_counter() - start
    shutil.rmtree(store)
    problems = [outcome.problem for outcome in outcomes if outcome.problem]
    if problems:
        raise RuntimeError(f"{len(problems)} jobs failed, first: {problems[0]}")
    return seconds, count(outcomes)


def _forget_loaded_resources() -> None:
    """Start every run as a fresh build process does: no font faces, logo, covers or card layers made yet."""
    work._fonts.clear()
    work._logos.clear()
    work.forget()
    card_drawing.forget()


# Every card of a national site


def national_card_jobs(count: int, store: Path) -> list[CardJob]:
    """The article cards of the build benchmark's corpus of ``count`` articles, as its build asks for them
    on an empty store: the same titles, units, dates and share of covers (its small bundled photos)."""
    options = ImageSettings()
    style = CardStyle(**options.card)
    fonts = (options.font_bold, options.font_semibold, options.font_regular)
    logo = str(LOGO) if LOGO.is_file() else None
    jobs = []
    for article in bench_build.make_corpus(count).articles:
        text = CardText(article.title, article.unit.name, format_vi_date(article.date), SITE_NAME)
        cover = str(bench_build.SOURCE_IMAGES / article.photo) if article.photo else None
        key = make_key("bench-national-card", article.index, asdict(text), cover)
        jobs.append(CardJob(key, text, style, fonts, cover, logo, options.max_pixels, str(store)))
    return jobs


def measure_national(count: int, runs: int, scratch: Path, console: Console) -> NationalCards:
    """Wall time of drawing every card over all cores from an empty store (one run at 20,000 and above)."""
    workers = ImageSettings().worker_count()
    covers = sum(1 for job in national_card_jobs(count, scratch / "unused") if job.cover)
    result = NationalCards(count, covers, workers)
    for run in range(1 if count >= NATIONAL_CARDS else runs):
        before = _children_cpu()
        seconds, drawn = timed_run(lambda store: national_card_jobs(count, store), cards_written, workers, scratch)
        if drawn != count:
            raise RuntimeError(f"{count - drawn} of {count} cards were not drawn")
        result.seconds.append(seconds)
        result.cpu_seconds.append(_children_cpu() - before)
        console.print(f"  {count} cards ({covers} with a cover), {workers} processes, run {run + 1}: "
                      f"{seconds:.1f} s, {1000 * seconds / count:.2f} ms per card "
                      f"(CPU of the workers {1000 * result.cpu_seconds[-1] / count:.2f} ms per card)")
    return result


def _children_cpu() -> float:
    """User and system seconds of the finished worker processes so far (a pool's workers end with it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Rebuild


def write_content(articles: list[Article], folder: Path) -> None:
    """A content folder: the fixture's registries, one Markdown article per photo, photos linked in."""
    images = folder / "images"
    images.mkdir(parents=True)
    for name in ("units.yml", "campaigns.yml", "sections.yml"):
        shutil.copyfile(FIXTURE / name, folder / name)
    if LOGO.is_file():
        shutil.copyfile(LOGO, folder / LOGO_IN_CONTENT)
    for article in articles:
        image = images / article.photo.name
        _link(article.photo, image)
        path = folder / "articles" / f"{article.date:%Y}" / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_markdown(article, image.relative_to(folder).as_posix()), encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _markdown(article: Article, image: str) -> str:
    header = {
        "Title": article.title,
        "Date": f"{article.date:%Y-%m-%d %H:%M}",
        "Unit": article.unit_id,
        "Slug": article.slug,
        "Category": article.category,
        "Image": image,
        "ImageAlt": f"Ảnh minh họa bài {article.index + 1}",
        "Summary": f"{article.unit_name}: {article.title}.",
    }
    body = (f"{article.unit_name} thông tin về hoạt động: {article.title.lower()}.\n\n"
            "Các cấp công đoàn tiếp tục chăm lo đời sống, bảo vệ quyền lợi hợp pháp của đoàn viên và người lao động.")
    return "\n".join(f"{key}: {value}" for key, value in header.items()) + "\n\n" + body + "\n"


@contextlib.contextmanager
def fixed_now() -> Iterator[None]:
    """Builds see the same "now" as the fixture builds of the test suite."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(NOW.timestamp()))
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def timed_build(content: Path, output: Path, cache: Path) -> tuple[float, dict]:
    """Seconds of one real build and what the image pipeline did in it (nothing, when the build
    found its inputs unchanged and stopped before the pipeline)."""
    start = time.perf_counter()
    try:
        built = build(content, output, SETTINGS_FILE, {"CACHE_PATH": str(cache / "pelican")})
    except BuildFailed as exc:
        details = "\n".join(str(problem) for problem in exc.problems[:10])
        raise RuntimeError(f"benchmark build failed: {exc}\n{details}") from None
    seconds = time.perf_counter() - start
    if getattr(built, "unchanged", False):
        return seconds, {"unchanged": True, "photos_made": 0, "cards_drawn": 0, "decoded": 0}
    return seconds, asdict(built.images)


def measure_rebuild(articles: list[Article], runs: int, scratch: Path, console: Console) -> Rebuild:
    content, output, cache = scratch / "content", scratch / "output", scratch / "cache"
    write_content(articles, content)
    result = Rebuild(len(articles))
    with fixed_now():
        result.cold_seconds, result.cold = timed_build(content, output, cache)
        console.print(f"  cold build: {result.cold_seconds:.2f} s, {result.cold}")
        for run in range(runs):
            seconds, stats = timed_build(content, output, cache)
            result.noop_seconds.append(seconds)
            result.noop.append(stats)
            console.print(f"  no-op rebuild {run + 1}/{runs}: {seconds:.2f} s, decoded {stats['decoded']}")
    return result


# Report


def show(report: Report, console: Console) -> None:
    national = report.national
    console.print(f"Every card of a site of {national.cards} articles ({national.covers} with a cover photo), "
                  f"empty store, {national.workers} processes: [bold]{national.ms_per_card:.2f} ms per card[/] "
                  f"({national.cards / national.median:.0f} cards/s, {national.median:.1f} s, "
                  f"median of {len(national.seconds)}; CPU {national.cpu_ms_per_card:.2f} ms per card)")
    if report.cards is None:
        console.print(f"Numbers written to {RESULT_FILE}.")
        return
    cards, derivatives, rebuild = report.cards, report.derivatives, report.rebuild
    table = Table(title=f"Image pipeline, cold store: {report.photos} photos of {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]}, "
                        f"median of {report.runs} runs")
    table.add_column("Measurement")
    table.add_column("1 process", justify="right")
    table.add_column(f"{cards.workers} processes (all cores)", justify="right")
    table.add_column("all cores / 1 process", justify="right")
    table.add_row("Cards per second", f"{cards.rate(False):.1f}", f"{cards.rate(True):.1f}", f"{cards.speedup:.2f}×")
    table.add_row("  ms per card", f"{1000 * cards.median(False) / cards.jobs:.2f}",
                  f"{1000 * cards.median(True) / cards.jobs:.2f}", "")
    table.add_row("  run time (s)", f"{cards.median(False):.2f}", f"{cards.median(True):.2f}", "")
    table.add_row("Derivatives per second", f"{derivatives.rate(False):.1f}", f"{derivatives.rate(True):.1f}",
                  f"{derivatives.speedup:.2f}×")
    table.add_row("  photos per second", f"{derivatives.rate(False, per_job=True):.2f}",
                  f"{derivatives.rate(True, per_job=True):.2f}", "")
    table.add_row("  run time (s)", f"{derivatives.median(False):.2f}", f"{derivatives.median(True):.2f}", "")
    table.add_row("Machine ceiling (fixed CPU work)", "", "", f"{report.machine.speedup:.2f}×")
    console.print(table)

    builds = Table(title=f"Real builds of {rebuild.articles} articles (default settings, all cores)")
    builds.add_column("Measurement")
    builds.add_column("Value", justify="right")
    builds.add_row("Cold build (s)", f"{rebuild.cold_seconds:.2f}")
    builds.add_row(f"No-op rebuild (s, median of {len(rebuild.noop_seconds)})", f"{rebuild.noop_median:.2f}")
    decoded = rebuild.noop_decoded
    builds.add_row("Photos decoded in the no-op rebuild", f"[{'green' if decoded == 0 else 'red'}]{decoded}[/]")
    builds.add_row("Cold build: photos made / cards drawn / files",
                   f"{rebuild.cold['photos_made']} / {rebuild.cold['cards_drawn']} / {rebuild.cold['files']}")
    console.print(builds)

    verdict = "[green]PASS[/]" if report.meets_target else "[red]BELOW TARGET[/]"
    console.print(f"Card throughput over {cards.workers} cores: {cards.speedup:.2f}× one process "
                  f"(target ≥ {TARGET_SPEEDUP}×): {verdict}")
    if not report.meets_target:
        ceiling = report.machine.speedup
        cause = ("the machine itself is the limit" if ceiling < TARGET_SPEEDUP
                 else "the machine is not the limit, the pipeline loses the rest")
        console.print(f"[yellow]The same fixed work runs {ceiling:.2f}× faster on {cards.workers} cores "
                      f"than on one: {cause}.[/]")
    if decoded:
        console.print(f"[red]The no-op rebuild decoded {decoded} photos; it must decode none.[/]")
    console.print(f"Photo generation: {report.generate_seconds:.1f} s (not measured); "
                  f"total: {report.total_seconds:.1f} s. Numbers written to {RESULT_FILE}.")


def main(photos: int = MIN_PHOTOS, runs: int = 3, workdir: str | Path | None = None,
         national: int = NATIONAL_CARDS, cards_only: bool = False) -> Report:
    """Run every measurement (only the national card run with ``cards_only``), print the tables and
    write ``result.json``."""
    if photos < 1 or runs < 1 or national < 1:
        raise ValueError("photos, runs and cards must be at least 1")
    console = Console()
    start = time.perf_counter()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if cards_only:
        with _scratch(workdir) as scratch:
            console.print("Every card of a national site, cold:")
            result = measure_national(national, runs, scratch, console)
        report = Report(photos, runs, None, None, None, None, result, 0.0, time.perf_counter() - start)
        RESULT_FILE.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        show(report, console)
        return report
    if photos < MIN_PHOTOS:
        console.print(f"[yellow]{photos} photos: fewer than the {MIN_PHOTOS} the benchmark is defined for.[/]")
    paths, generate_seconds = photo_set(photos, console)
    articles = plan_articles(paths)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    console.print("Machine:")
    machine = machine_scaling(runs, console)
    with _scratch(workdir) as scratch:
        console.print("Cards, cold:")
        cards = measure("cards", lambda store: card_jobs(articles, store), cards_written, photos, runs, scratch, console)
        console.print("Derivatives, cold:")
        derivatives = measure("derivatives", lambda store: derive_jobs(articles, store), derivatives_written,
                              photos, runs, scratch, console)
        console.print("Every card of a national site, cold:")
        every = measure_national(national, runs, scratch, console)
        console.print("Builds:")
        rebuild = measure_rebuild(articles, runs, scratch, console)
    report = Report(photos, runs, machine, cards, derivatives, rebuild, every, generate_seconds)
    report.total_seconds = time.perf_counter() - start
    RESULT_FILE.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    show(report, console)
    return report


@contextlib.contextmanager
def _scratch(workdir: str | Path | None) -> Iterator[Path]:
    """A folder for stores, content and output, removed afterwards."""
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-images-", dir=workdir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the image pipeline: cards/s and derivatives/s cold "
                                                 "(one process vs all cores), and a no-op rebuild.")
    parser.add_argument("--photos", type=int, default=MIN_PHOTOS, help="number of generated 3000×2000 photos")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--workdir", help="folder for temporary stores, content and output")
    parser.add_argument("--cards", type=int, default=NATIONAL_CARDS,
                        help="articles of the national card run (the build benchmark's corpus)")
    parser.add_argument("--cards-only", action="store_true", help="run only the national card run")
    return parser.parse_args()


if __name__ == "__main__":
    args = _arguments()
    main(args.photos, args.runs, args.workdir, args.cards, args.cards_only)
