"""`invoke check` from its cache: the same findings as a check from scratch, whatever changed
(a file edited, added, deleted or renamed, a registry, a photo, the code), and a damaged cache
is rebuilt without a word."""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import NOW, ROOT, epoch
from plugins.tools import check_cache, probes
from plugins.tools.check import check
from plugins.tools.check_cache import folder_for

GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


class Counted:
    """How many files the cache read and how many articles it resolved anew."""

    def __init__(self, monkeypatch):
        self.reads = self.resolves = 0
        real_read, real_resolve = check_cache.read_item, check_cache.resolve_article

        def read(*args, **kwargs):
            self.reads += 1
            return real_read(*args, **kwargs)

        def resolve(*args, **kwargs):
            self.resolves += 1
            return real_resolve(*args, **kwargs)

        monkeypatch.setattr(check_cache, "read_item", read)
        monkeypatch.setattr(check_cache, "resolve_article", resolve)

    def reset(self) -> tuple[int, int]:
        counts = (self.reads, self.resolves)
        self.reads = self.resolves = 0
        return counts


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "check-cache"


@pytest.fixture
def counted(monkeypatch) -> Counted:
    return Counted(monkeypatch)


@pytest.fixture
def settled_at_once(monkeypatch):
    """Stamps trusted as soon as a file is read (edits below give each file a new modification time)."""
    monkeypatch.setattr(check_cache, "SETTLED_NS", -10**18)


def findings(content: Path, cache: Path | None, now=NOW) -> tuple[list[str], str]:
    found = check(content, now, cache=cache)
    return [str(p) for p in found.problems], found.summary()


def same_as_fresh(site, cache: Path, now=NOW) -> list[str]:
    """The cached check's lines, asserted equal to a check without cache; returned for more asserts."""
    cached = findings(site.content, cache, now)
    assert cached == findings(site.content, None, now)
    return cached[0]


# Modification times handed out by ``touched``: an hour ago, one second apart.
_SECONDS = itertools.count(time.time_ns() - 3600 * 10**9, 10**9)


def touched(path: Path) -> Path:
    """A new modification time, as an editor's save gives (tests write faster than the clock ticks)."""
    moment = next(_SECONDS)
    os.utime(path, ns=(moment, moment))
    return path


def write(site, rel: str, text: str | bytes) -> Path:
    return touched(site.write(rel, text))


def article(site, name: str, header: dict[str, str], body: str = "Nội dung bài viết.") -> Path:
    return touched(site.article(name, header, body))


def test_cached_check_reports_what_a_fresh_check_reports_through_every_kind_of_change(site, cache, counted,
                                                                                      settled_at_once):
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (4, 3)  # three articles and a page read; the articles resolved

    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (0, 0)  # nothing changed: nothing read, nothing resolved again

    article(site, "2024/don-vi.md", {**GOOD, "Unit": "ban-tuyen-giao-tinh"})
    lines = same_as_fresh(site, cache)
    assert len(lines) == 1 and lines[0].startswith("articles/2024/don-vi.md:3: lỗi E031: đơn vị 'ban-tuyen-giao-tinh'")
    assert counted.reset() == (1, 1)

    article(site, "2024/don-vi.md", GOOD)  # fixed
    article(site, "2024/trung.md", {**GOOD, "Date": "2/3/2024"})  # same address: a warning on the later one
    lines = same_as_fresh(site, cache)
    assert [line.split(": ")[0] for line in lines] == ["articles/2024/trung.md:1"]
    assert counted.reset() == (2, 2)

    (site.content / "articles/2024/don-vi.md").unlink()  # deleted: the other keeps the address
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (0, 0)

    os.rename(site.content / "articles/2024/trung.md", site.content / "articles/2024/trung-moi.md")
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (1, 1)  # a renamed file is a new source path

    article(site, "2024/cu.md", {**GOOD, "Title": "Bài cũ", "Date": "1/6/2024", "Aliases": "/tin-tuc/le-phat-dong.html"})
    lines = same_as_fresh(site, cache)
    assert lines == ["articles/2024/cu.md:4: lỗi E208: địa chỉ cũ '/tin-tuc/le-phat-dong.html' đã được dùng bởi "
                     "articles/2024/le-phat-dong.md; hãy bỏ địa chỉ này khỏi 'Aliases'"]
    counted.reset()

    units = site.content / "units.yml"
    write(site, "units.yml", units.read_text(encoding="utf-8").replace("id: ban-tuyen-giao", "id: ban-tuyen-giao-moi"))
    lines = same_as_fresh(site, cache)
    assert any("đơn vị 'ban-tuyen-giao' không có trong units.yml" in line for line in lines)
    assert counted.reset() == (0, 5)  # the registries changed: every article resolved again, none read again

    write(site, "units.yml", units.read_text(encoding="utf-8").replace("id: ban-tuyen-giao-moi", "id: ban-tuyen-giao"))
    article(site, "2024/cu.md", {**GOOD, "Title": "Bài cũ", "Status": "draft", "Unit": "khong-co"})
    lines = same_as_fresh(site, cache)
    assert len(lines) == 1 and ": cảnh báo E031: (bản nháp) đơn vị 'khong-co'" in lines[0]
    counted.reset()


def test_a_cached_resolution_sees_the_files_it_looked_at(site, cache, counted, settled_at_once):
    cover = site.content / "images/cover.jpg"
    photo = cover.read_bytes()
    assert same_as_fresh(site, cache) == []
    counted.reset()

    cover.unlink()
    lines = same_as_fresh(site, cache)
    assert any(line.startswith("articles/2024/le-phat-dong.md:9: lỗi E505: 'Image': không tìm thấy tệp") for line in lines)
    assert counted.reset() == (0, 1)  # only the article that uses the photo is resolved again

    write(site, "images/cover.jpg", photo)
    assert same_as_fresh(site, cache) == []
    counted.reset()

    write(site, "images/cover.jpg", b"GIF89a" + bytes(200))  # not a photo any more
    lines = same_as_fresh(site, cache)
    assert lines and all("ảnh 'images/cover.jpg': không phải ảnh JPEG" in line for line in lines)

    write(site, "images/other.jpg", photo)  # a new file beside it changes nothing for anyone
    write(site, "images/cover.jpg", photo)
    counted.reset()
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (0, 0)

    write(site, "files/ke-hoach.pdf", (site.content / "files/ke-hoach.pdf").read_bytes() + b"\n% more")
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (0, 1)  # the attachment's size is part of what the article resolved to


def test_a_scheduled_article_is_settled_at_each_checks_own_time(site, cache, settled_at_once):
    article(site, "2026/hen-gio.md", {**GOOD, "Title": "Hẹn giờ", "Date": "1/12/2026", "Unit": "khong-co"})
    assert len(same_as_fresh(site, cache)) == 1
    later = NOW.replace(year=2027)
    assert same_as_fresh(site, cache, later) == same_as_fresh(site, cache)


def test_an_edit_within_a_tick_of_the_last_check_is_still_seen(site, cache, monkeypatch):
    """On a coarse clock a file saved again at once keeps its size and times: its bytes decide
    until it has been left alone a while."""
    monkeypatch.setattr(check_cache, "stamp", lambda st: (st.st_size,))  # such a clock: only the size tells
    path = site.article("2024/nhanh.md", {**GOOD, "Unit": "ban-tuyen-giao"})
    assert same_as_fresh(site, cache) == []
    path.write_text(path.read_text(encoding="utf-8").replace("ban-tuyen-giao", "ban-tuyen-giaa"), encoding="utf-8")
    lines = same_as_fresh(site, cache)
    assert len(lines) == 1 and "đơn vị 'ban-tuyen-giaa'" in lines[0]


def test_other_code_means_nothing_saved_is_used(site, cache, counted, monkeypatch):
    assert same_as_fresh(site, cache) == []
    counted.reset()
    monkeypatch.setattr(check_cache, "code_digest", lambda: "other code")
    assert same_as_fresh(site, cache) == []
    assert counted.reset() == (4, 3)


def test_the_code_digest_covers_the_code_a_check_runs(monkeypatch, tmp_path):
    plugins = tmp_path / "plugins"
    for package in ("", *check_cache.CODE_PACKAGES):
        (plugins / package).mkdir(parents=True, exist_ok=True)
    (plugins / "urls.py").write_text("X = 1\n")
    (plugins / "contract" / "rules.py").write_text("Y = 1\n")
    (plugins / "search" / "core.py").parent.mkdir()
    (plugins / "search" / "core.py").write_text("Z = 1\n")
    monkeypatch.setattr(check_cache, "PLUGINS", plugins)
    before = check_cache.code_digest()
    (plugins / "search" / "core.py").write_text("Z = 2\n")  # code the check never runs
    assert check_cache.code_digest() == before
    (plugins / "contract" / "rules.py").write_text("Y = 2\n")
    assert check_cache.code_digest() != before


def damage(shard: Path, how: str) -> None:
    data = shard.read_bytes()
    if how == "truncated":
        shard.write_bytes(data[: len(data) // 2])
    elif how == "one byte changed":
        middle = len(data) // 2
        shard.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
    elif how == "garbage":
        shard.write_bytes(b"\x80\x05garbage" * 50)
    elif how == "empty":
        shard.write_bytes(b"")
    elif how == "a folder":
        shard.unlink()
        shard.mkdir()


@pytest.mark.parametrize("how", ["truncated", "one byte changed", "garbage", "empty", "a folder"])
def test_a_damaged_cache_is_ignored_and_rebuilt(site, cache, counted, settled_at_once, how):
    article(site, "2024/don-vi.md", {**GOOD, "Unit": "khong-co"})
    expected = same_as_fresh(site, cache)
    shards = sorted(folder_for(cache, site.content.resolve()).glob("shard-*.pickle"))
    assert shards
    for shard in shards:
        damage(shard, how)
    counted.reset()
    assert same_as_fresh(site, cache) == expected
    if how != "a folder":
        assert counted.reset() == (5, 4)
        assert same_as_fresh(site, cache) == expected
        assert counted.reset() == (0, 0)  # rebuilt


def test_a_cache_written_for_other_entries_is_not_trusted(site, cache, counted, settled_at_once):
    """A well-formed shard of this code whose entries are not what the check saves is skipped."""
    expected = same_as_fresh(site, cache)
    for shard in folder_for(cache, site.content.resolve()).glob("shard-*.pickle"):
        loaded = pickle.loads(shard.read_bytes()[len(check_cache.FORMAT) + 16:])
        payload = pickle.dumps({"code": loaded["code"], "files": {rel: ("x", 1) for rel in loaded["files"]},
                                "photos": {path: None for path in loaded["photos"]}})
        shard.write_bytes(check_cache.FORMAT + hashlib.blake2b(payload, digest_size=16).digest() + payload)
    counted.reset()
    assert same_as_fresh(site, cache) == expected
    assert counted.reset() == (4, 3)


def test_an_unwritable_cache_leaves_the_check_as_it_is(site, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert findings(site.content, blocker / "cache") == findings(site.content, None)


def test_the_recorded_root_notices_what_it_cannot_replay(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(b"x")
    root, log = probes.record(tmp_path)
    assert (root / "images" / "a.jpg").is_file() and not (root / "images").is_symlink()
    assert [p.name for p in (root / "images").iterdir()] == ["a.jpg"]
    assert (root / "images" / "a.jpg").stat().st_size == 1
    recorded = log.probes()
    assert recorded and probes.Probes().same(recorded)
    (tmp_path / "images" / "b.jpg").write_bytes(b"y")
    assert not probes.Probes().same(recorded)  # the listing changed

    (root / "images" / "a.jpg").read_bytes()  # asked another way: nothing can be replayed
    assert log.probes() is None


def test_invoke_check_keeps_its_cache_and_prints_the_same(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "basic", content)
    (content / "articles/2024/le-phat-dong.md").write_text(
        (content / "articles/2024/le-phat-dong.md").read_text(encoding="utf-8").replace("cd-giao-duc", "cd-giao-duk"),
        encoding="utf-8")

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content), *extra], cwd=ROOT,
                              capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)})

    first, second, fresh = run(), run(), run("--fresh")
    assert first.returncode == second.returncode == fresh.returncode == 1
    assert first.stdout == second.stdout == fresh.stdout
    assert "lỗi E031: đơn vị 'cd-giao-duk' không có trong units.yml" in first.stdout
    assert list(folder_for(ROOT / ".cache" / "check", content.resolve()).glob("shard-*.pickle"))
