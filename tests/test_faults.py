"""Faults a build must survive: damaged caches, builds killed at any moment, two
builds at once. In every case the next build succeeds and its output equals a
clean build's, byte for byte, and ``output`` never stops being a complete site."""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import NOW, ROOT, SETTINGS, Site, epoch
from plugins.publishing import deploy, outputs, pelican_cache
from plugins.publishing.lock import EXIT_CODE, hold, output_lock
from plugins.publishing.preview import Preview, SiteHandler

READERS = ("ArticlesGenerator-Readers", "PagesGenerator-Readers")
GOOD = {"Title": "Tin mới trong lúc dựng", "Date": "1/3/2024", "Unit": "ban-tuyen-giao", "Slug": "tin-moi"}
NEW_ARTICLE = "2024/03/tin-moi/index.html"


# Nothing in the content changed, and these builds must run all the same and make every file
# (a build with nothing changed stops at once, and an incremental one carries the published photos
# from the last output, leaving a damaged cache to the next full build).
REAL_BUILD = {"PORTAL_INCREMENTAL": {"skip_unchanged": False, "carry": False}}


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file of a site (through the output symlink), by path."""
    files = {}
    for folder, _, names in os.walk(output):
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(output).as_posix()] = path.read_bytes()
    return files


def assert_same_site(output: Path, expected: dict[str, bytes]) -> None:
    found = snapshot(output)
    assert sorted(found) == sorted(expected)
    assert [name for name in sorted(found) if found[name] != expected[name]] == []


def assert_tidy(site: Site) -> None:
    """Only the current build is kept (with the one it replaced, which the next build removes), and
    killed builds left nothing behind."""
    output = site.output
    assert output.is_symlink() and (output / "index.html").is_file()
    kept = sorted(p.name for p in outputs.builds_folder(output).iterdir() if p.name != outputs.MANIFEST)
    assert kept[-1] == output.resolve().name and len(kept) <= 2, kept
    assert not outputs.temporary_link(output).exists()
    assert not [p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}-")
                and p != outputs.builds_folder(output)]
    assert not list(site.cache.glob(".tmp-*"))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, bytes]:
    """The fixture built once with caches of its own: what every build below must equal."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("clean")
        site = Site(folder, patch, image_cache=folder / "images")
        site.build()
        return snapshot(site.output)


@pytest.fixture(scope="module")
def warm(tmp_path_factory, clean) -> tuple[Site, Path]:
    """A site built once, and a copy of its folder (content, caches, output) to start each test from."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("faults")
        site = Site(folder / "site", patch, image_cache=folder / "site" / "images")
        site.build()
        pristine = folder / "pristine"
        shutil.copytree(site.content.parent, pristine, symlinks=True)
        yield site, pristine


@pytest.fixture
def site(warm, monkeypatch) -> Site:
    """The warm site as it was right after its build (same paths, so its caches are used)."""
    site, pristine = warm
    shutil.rmtree(site.content.parent)
    shutil.copytree(pristine, site.content.parent, symlinks=True)
    site.monkeypatch = monkeypatch
    return site


def store_files(site: Site, pattern: str) -> list[Path]:
    return sorted((site.image_cache / "objects").glob(f"*/{pattern}"))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip(path: Path) -> None:
    """Change one byte in the middle, keeping the size."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


FAULTS = {"truncate": truncate, "flip": flip, "delete": Path.unlink}


def heal_warnings(caplog) -> list[str]:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and "bộ nhớ đệm" in r.getMessage().lower()]


# Damaged caches


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_damaged_pelican_cache_is_dropped_and_rebuilt(site, clean, fault, caplog):
    for name in READERS:
        FAULTS[fault](site.cache / name)
    site.build()
    assert_same_site(site.output, clean)
    warned = heal_warnings(caplog)
    assert len(warned) == (0 if fault == "delete" else 2), warned
    for name in READERS:  # saved whole again
        assert pelican_cache.decode(gzip.decompress((site.cache / name).read_bytes()), stamped=True)


def test_a_changed_byte_anywhere_in_a_pelican_cache_file_is_noticed():
    data = pelican_cache.encode({"a.md": (1.0, ("<p>Nội dung</p>", {"title": "Tiêu đề"}))})
    assert pelican_cache.decode(data, stamped=True)
    for at in range(0, len(data), 7):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        with pytest.raises(pelican_cache.Damaged):
            pelican_cache.decode(bytes(damaged), stamped=True)
    with pytest.raises(pelican_cache.Damaged):
        pelican_cache.decode(data[:-1], stamped=True)


def test_the_pelican_cache_is_used_on_a_rebuild(site, clean, monkeypatch):
    from pelican import readers

    reads = []
    monkeypatch.setattr(readers.Readers, "cache_data", lambda self, path, data: reads.append(path))
    rebuild = REAL_BUILD
    site.build(**rebuild)
    assert [path for path in reads if path.endswith(".md")] == []  # every article and page came from the cache
    assert_same_site(site.output, clean)
    (site.cache / READERS[0]).unlink()
    site.build(**rebuild)
    assert len([path for path in reads if path.endswith(".md")]) == 3  # the articles, read again


def victim(site: Site, kind: str) -> Path:
    """One file of the store: a published width of the photo, a card, or the photo's record."""
    photo = store_files(site, "*-800.jpg")
    if kind == "photo":
        return photo[0]
    if kind == "card":
        return [p for p in store_files(site, "*.jpg") if "-" not in p.stem][0]
    return photo[0].with_name(photo[0].name.split("-")[0] + ".json")


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("kind", ["photo", "card", "record"])
def test_a_damaged_image_store_entry_is_made_again(site, clean, fault, kind, caplog):
    FAULTS[fault](victim(site, kind))
    site.build(**REAL_BUILD)
    assert_same_site(site.output, clean)
    assert len(heal_warnings(caplog)) == (0 if (kind, fault) == ("record", "delete") else 1)
    # The store holds the right bytes again: the next build makes nothing and warns of nothing.
    caplog.clear()
    stats = site.build(**REAL_BUILD).images
    assert (stats.photos_made, stats.cards_drawn) == (0, 0)
    assert heal_warnings(caplog) == []
    assert_same_site(site.output, clean)


@pytest.mark.parametrize("fault", ["truncate", "flip"])
def test_a_damaged_digest_record_only_costs_rereading_the_photos(site, clean, fault, caplog):
    FAULTS[fault](site.image_cache / "digests.json")
    stats = site.build(**REAL_BUILD).images
    assert_same_site(site.output, clean)
    assert (stats.photos_made, stats.cards_drawn) == (0, 0)
    assert len(heal_warnings(caplog)) == 1


def test_published_images_are_copies_not_links(site):
    site.build(**REAL_BUILD)
    published = [p for p in site.output.rglob("*") if p.suffix in (".jpg", ".webp")]
    assert len(published) > 5
    assert all(p.stat().st_nlink == 1 for p in published)
    store = {p.stat().st_ino for p in (site.image_cache / "objects").rglob("*")}
    assert not store & {p.stat().st_ino for p in published}
    # An incremental build carries them from the last output (linked between builds), never from the store.
    site.build(PORTAL_INCREMENTAL={"skip_unchanged": False})
    carried = [p for p in site.output.rglob("*") if p.suffix in (".jpg", ".webp")]
    assert len(carried) == len(published) and any(p.stat().st_nlink == 2 for p in carried)
    assert not store & {p.stat().st_ino for p in carried}


# Killed builds


HARNESS = """
import os, shutil, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path

point, output, resume = {point!r}, {output!r}, {resume!r}
AT = {{
    "pelican-cache": lambda path: path.endswith("-Readers"),      # cache written, not yet renamed into place
    "image-record": lambda path: path.endswith(".json") and "/objects/" in path,  # a key's files stored, not its record
    "switch": lambda path: path == output,                         # new build complete, link not yet switched
}}

def pause():
    print("PAUSED", flush=True)
    while not (resume and os.path.exists(resume)):
        time.sleep(0.02)

real_replace, real_rmtree = os.replace, shutil.rmtree
def replace(src, dst, *args, **kwargs):
    if point in AT and AT[point](os.fspath(dst)):
        pause()
    return real_replace(src, dst, *args, **kwargs)
def rmtree(path, *args, **kwargs):
    if point == "cleanup" and os.path.basename(os.path.dirname(os.fspath(path))).endswith("-builds"):
        pause()                                                    # switched, old build being removed
    return real_rmtree(path, *args, **kwargs)
os.replace, shutil.rmtree = replace, rmtree

from plugins.publishing.build import build
build(Path({content!r}), Path(output), Path({settings!r}),
      {{"CACHE_PATH": {cache!r}, "PORTAL_IMAGES": {{"cache_dir": {images!r}, "workers": 1}},
        "PORTAL_INCREMENTAL": {{"skip_unchanged": False}}}}, wait={wait!r})
print("BUILT", flush=True)
"""


class Build:
    """The site's build in another process (its own process group), its output read as it comes."""

    def __init__(self, site: Site, point: str = "", resume: Path | None = None, wait: float = 60):
        script = HARNESS.format(root=str(ROOT), point=point, output=str(site.output), resume=str(resume or ""),
                                content=str(site.content), settings=str(SETTINGS), cache=str(site.cache),
                                images=str(site.image_cache), wait=wait)
        env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, text=True,
                                        start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = {"stdout": [], "stderr": []}
        self.readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.lines]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str) -> None:
        for line in getattr(self.process, name):
            self.lines[name].append(line)

    def log(self) -> str:
        return "".join(self.lines["stdout"] + self.lines["stderr"])

    def printed(self, needle: str, stream: str = "stdout") -> bool:
        return any(needle in line for line in self.lines[stream])

    def wait_for(self, needle: str, stream: str = "stdout", limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while not self.printed(needle, stream):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the build never printed {needle!r}:\n{self.log()}")
            time.sleep(0.01)

    def kill(self) -> None:
        """SIGKILL the build and any worker it started."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.finish()

    def finish(self) -> int:
        self.process.wait(timeout=120)
        for reader in self.readers:
            reader.join()
        return self.process.returncode


def new_build_has_files(site: Site) -> bool:
    folder = outputs.builds_folder(site.output)
    current = site.output.resolve()
    return any(entry != current and any(entry.rglob("*.html")) for entry in folder.iterdir())


def assert_recovers(site: Site, clean: dict[str, bytes]) -> None:
    """After a kill: the old site is still whole, and the next build succeeds and tidies up."""
    assert_same_site(site.output, clean)
    site.build()
    assert_same_site(site.output, clean)
    assert_tidy(site)


@pytest.mark.parametrize("point", ["pelican-cache", "switch", "cleanup"])
def test_a_build_killed_at_a_critical_point(site, clean, point):
    if point == "cleanup":
        site.build(**REAL_BUILD)  # the build it replaces is removed by the next build, the one killed
    build = Build(site, point)
    build.wait_for("PAUSED")
    build.kill()
    assert_recovers(site, clean)


def test_a_build_killed_between_the_files_of_a_photo_and_its_record(site, clean):
    shutil.rmtree(site.image_cache)
    build = Build(site, "image-record")
    build.wait_for("PAUSED")
    build.kill()
    store = site.image_cache / "objects"
    assert list(store.rglob("*.jpg")) and not list(store.rglob("*.json"))
    assert_recovers(site, clean)


def test_a_build_killed_once_its_new_folder_has_files(site, clean):
    site.cache.joinpath(READERS[0]).unlink()  # a slower build, so the moment is easy to catch
    build = Build(site)
    while build.process.poll() is None and not new_build_has_files(site):
        time.sleep(0.005)
    build.kill()
    assert_recovers(site, clean)


@pytest.mark.parametrize("delay", [0.6, 1.2, 2.0])
def test_a_build_killed_after_a_while(site, clean, delay):
    build = Build(site)
    time.sleep(delay)
    build.kill()
    assert_recovers(site, clean)


def test_output_is_always_a_complete_site_while_a_build_runs(site, clean, tmp_path):
    site.article("2024/moi.md", GOOD)
    resume = tmp_path / "resume"
    build = Build(site, "switch", resume)
    seen: list[dict[str, bytes]] = []
    while build.process.poll() is None:
        target = os.readlink(site.output)  # raises if output is missing
        try:
            files = snapshot(site.output.parent / target)
        except FileNotFoundError:
            files = None  # removed while being read, which may only happen once it was switched away from
        if os.readlink(site.output) == target:
            assert files is not None
            seen.append(files)
        if build.printed("PAUSED") and not resume.exists():
            resume.touch()  # let it switch once the old site has been seen with the new one complete beside it
    assert build.finish() == 0, build.log()
    new = snapshot(site.output)
    assert new != clean and NEW_ARTICLE in new
    assert seen and seen[0] == clean and all(files in (clean, new) for files in seen)


# Two builds at once


def test_two_builds_at_once_take_turns(site, clean, tmp_path):
    resume = tmp_path / "resume"
    first = Build(site, "pelican-cache", resume)
    first.wait_for("PAUSED")
    second = Build(site)
    second.wait_for("Đang chờ: một bản dựng khác đang dùng thư mục website", "stderr")
    assert second.printed(f"tiến trình {first.process.pid} trên máy", "stderr")
    resume.touch()
    for build in (first, second):
        assert build.finish() == 0, build.log()
    assert second.printed("BUILT")
    assert_same_site(site.output, clean)
    assert_tidy(site)


def test_two_builds_started_together_both_succeed(site, clean):
    builds = [Build(site), Build(site)]
    for build in builds:
        assert build.finish() == 0, build.log()
    assert_same_site(site.output, clean)
    assert_tidy(site)


def test_a_build_gives_up_after_its_wait_with_its_own_exit_code(site, clean):
    with hold([output_lock(site.output)], wait=0):
        result = subprocess.run([sys.executable, "-m", "invoke", "build", "--content", str(site.content),
                                 "--output", str(site.output), "--wait", "1"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_CODE == 75
    assert f"tiến trình {os.getpid()} trên máy" in result.stderr
    assert "sẽ chờ tối đa 1 giây" in result.stderr and "Đã chờ 1 giây" in result.stderr
    assert "--wait GIÂY" in result.stderr
    assert_same_site(site.output, clean)  # untouched


# The output as a symlink


def test_an_output_folder_from_before_is_replaced_by_the_link(site, clean):
    output = site.output
    os.unlink(output)
    shutil.rmtree(outputs.builds_folder(output))
    output.mkdir()
    (output / "cu.html").write_text("trang cũ")
    for stale in (".output-abc12_yz", ".output-old-4242"):
        (output.parent / stale / "a").mkdir(parents=True)
    site.build()
    assert_same_site(output, clean)
    assert_tidy(site)


def test_the_preview_follows_the_link_to_each_new_build(site):
    preview = Preview(site.content, site.output, log=lambda message: None)
    assert preview.output == site.output
    handler = functools.partial(SiteHandler, directory=str(preview.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/2024/03/tin-moi/"
    try:
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url, timeout=10)
        site.article("2024/moi.md", {**GOOD, "Title": "Tin mới cho bản xem thử"})
        site.build()
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "Tin mới cho bản xem thử" in response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


def test_deploy_sends_the_files_of_the_build_not_the_link(site, clean, tmp_path):
    stats = deploy.compress(site.output)
    assert stats.written > 0 and (site.output / "index.html.gz").is_file()
    site_files = sorted(snapshot(site.output))
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    assert deploy.commit_to_branch(repo, site.output, "gh-pages", "Xuất bản")
    tree = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "gh-pages"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert sorted(tree) == sorted([".nojekyll", *site_files])
    if shutil.which("rsync"):
        target = tmp_path / "www"
        deploy.rsync(site.output, str(target))
        assert not target.is_symlink() and sorted(snapshot(target)) == site_files
