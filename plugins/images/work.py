"""The jobs that decode photos, run in worker processes: one job per photo
(every width and format from one decode) and one per social card.

A worker keeps what its cards share: the font faces, the logo at card size and
the last few covers it fitted, so a photo shown on several cards in a row is
decoded once."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from plugins.processes import process_context

from . import cards, core
from .store import Store


@dataclass(frozen=True)
class DeriveJob:
    key: str
    source: str
    widths: tuple[int, ...]
    jpeg_quality: int
    webp_quality: int
    max_pixels: int
    store: str


@dataclass(frozen=True)
class CardJob:
    key: str
    text: cards.CardText
    style: cards.CardStyle
    fonts: tuple[str, str, str]
    cover: str | None
    logo: str | None
    max_pixels: int
    store: str


@dataclass(frozen=True)
class Outcome:
    key: str
    meta: dict | None = None
    problem: core.ImageProblem | None = None
    decoded: int = 0


# One set of faces per process: FreeType faces must not be shared between threads.
_fonts: dict[tuple[str, str, str], cards.Fonts] = {}
_logos: dict[str, Image.Image] = {}
# Fitted covers a worker keeps (3 MB each at the default card size): enough for the few photos
# that many cards share, such as a campaign's or a section's stock photo.
COVERS_KEPT = 8
# Most cards sent to a worker process at a time.
CARD_BATCH = 16


def derive(job: DeriveJob) -> Outcome:
    try:
        image = core.load(Path(job.source), job.max_pixels, core.derivative_need(job.widths))
    except core.ImageProblem as exc:
        return Outcome(job.key, problem=exc, decoded=1)
    store = Store(Path(job.store))
    variants, files = [], {}
    for width in core.plan_widths(image.width, job.widths):
        resized = core.resize(image, width)
        jpeg = core.encode(resized, "jpeg", job.jpeg_quality)
        webp = core.encode(resized, "webp", job.webp_quality)
        files[f"-{width}.jpg"] = store.write(job.key, f"-{width}.jpg", jpeg)
        files[f"-{width}.webp"] = store.write(job.key, f"-{width}.webp", webp)
        variants.append([resized.width, resized.height, len(jpeg), len(webp)])
    meta = store.write_meta(job.key, {"variants": variants}, files)
    return Outcome(job.key, meta=meta, decoded=1)


def card(job: CardJob) -> Outcome:
    fonts = _fonts.get(job.fonts)
    if fonts is None:
        bold, semibold, regular = job.fonts
        fonts = _fonts[job.fonts] = cards.Fonts(bold, regular, semibold)
    cover, decoded = None, 0
    if job.cover:
        try:
            cover, decoded = _cover(job)
        except core.ImageProblem as exc:
            return Outcome(job.key, problem=exc, decoded=1)
    data = cards.encode_jpeg(cards.draw_card(job.text, fonts, job.style, cover, _logo(job.logo)), job.style)
    store = Store(Path(job.store))
    meta = store.write_meta(job.key, {"size": len(data)}, {".jpg": store.write(job.key, ".jpg", data)})
    return Outcome(job.key, meta=meta, decoded=decoded)


def _cover(job: CardJob) -> tuple[Image.Image, int]:
    """The job's cover fitted to the card, and 1 if the photo had to be decoded for it."""
    try:
        stat = Path(job.cover).stat()
    except OSError:
        return _fit(job.cover, job.max_pixels, job.style), 1  # load() says what is wrong with the file
    hits = _fitted_cover.cache_info().hits
    fitted = _fitted_cover(job.cover, stat.st_size, stat.st_mtime_ns, job.max_pixels, job.style)
    return fitted, 0 if _fitted_cover.cache_info().hits > hits else 1


@lru_cache(maxsize=COVERS_KEPT)
def _fitted_cover(path: str, size: int, mtime_ns: int, max_pixels: int, style: cards.CardStyle) -> Image.Image:
    """A fitted cover, known by the file's size and modification time as the build's digests know it."""
    return _fit(path, max_pixels, style)


def _fit(path: str, max_pixels: int, style: cards.CardStyle) -> Image.Image:
    need = core.cover_need((style.width, style.height))
    return cards.fit_cover(core.load(Path(path), max_pixels, need), style)


def _logo(path: str | None) -> Image.Image | None:
    """The logo at the size cards show it."""
    if not path:
        return None
    if path not in _logos:
        with Image.open(path, formats=core.FORMATS) as image:
            _logos[path] = cards.scaled_logo(image)
    return _logos[path]


def forget() -> None:
    """Drop the covers earlier jobs of this process fitted (their files may have changed since)."""
    _fitted_cover.cache_clear()


def run(job: DeriveJob | CardJob) -> Outcome:
    return derive(job) if isinstance(job, DeriveJob) else card(job)


def _chunksize(jobs: list, workers: int) -> int:
    """Jobs sent to a worker at a time: photos one by one (each takes long, so the cores end
    together), cards in small batches (each takes a few milliseconds, about what sending it costs)."""
    if any(isinstance(job, DeriveJob) for job in jobs):
        return 1
    return max(1, min(CARD_BATCH, len(jobs) // (8 * workers)))


class Runner:
    """Runs jobs in a process pool over all cores, or in this process when
    there are too few jobs to pay for starting workers (forked workers; spawned
    where the system cannot fork, see ``plugins.processes``)."""

    def __init__(self, workers: int, min_jobs: int):
        self.workers = workers
        self.min_jobs = min_jobs
        self.pool: ProcessPoolExecutor | None = None

    def __call__(self, jobs: list) -> list[Outcome]:
        forget()
        if self.workers <= 1 or len(jobs) < self.min_jobs:
            return [run(job) for job in jobs]
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=process_context())
        return list(self.pool.map(run, jobs, chunksize=_chunksize(jobs, self.workers)))

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()
