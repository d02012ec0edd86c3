"""Builds in one process do not leak into each other.

One process builds content A, then B (more articles, other units), then A with
an edit, then A as it was; each output must be, byte for byte, what a fresh
process builds from the same content.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, NOW, SETTINGS, build_in_subprocess, epoch, files_of
from plugins.contract.build import BUILD_KEY, MissingBuild, portal_build
from plugins.publishing.build import build

EXTRA_UNIT = """  - id: cdcs-nha-may-b
    name: Công đoàn cơ sở Nhà máy B
    kind: co-so
    parent: ldld-tinh
"""

EXTRA_ARTICLES = {
    "articles/2025/nha-may-b.md": "Title: Nhà máy B ký thỏa ước\nDate: 12/3/2025\nUnit: cdcs-nha-may-b\n\n"
                                  "Công đoàn Nhà máy B ký thỏa ước lao động tập thể.\n",
    "articles/2025/truong-a-2.md": "Title: Trường A thăm hỏi giáo viên\nDate: 2/4/2025 10:00\nUnit: cdcs-truong-a\n"
                                   "Tags: thăm hỏi\n\nThăm hỏi giáo viên có hoàn cảnh khó khăn.\n",
}

EDITED = "articles/2024/chinh-sach.md"


def content_b(folder: Path) -> None:
    shutil.copytree(FIXTURES / "basic", folder)
    units = folder / "units.yml"
    text = units.read_text(encoding="utf-8").replace("name: Ban Tuyên giáo\n", "name: Ban Tuyên giáo và Truyền thông\n")
    units.write_text(text + EXTRA_UNIT, encoding="utf-8")
    for rel, body in EXTRA_ARTICLES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(body, encoding="utf-8")


def edit(path: Path, old: str, new: str, stamp: int) -> None:
    """Change ``path`` and give it a modification time no earlier build has seen."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, (stamp, stamp))


def in_subprocess(content: Path, output: Path, cache: Path, image_cache: Path) -> dict[str, bytes]:
    overrides = {"CACHE_PATH": str(cache), "PORTAL_IMAGES": {"cache_dir": str(image_cache)}}
    done = build_in_subprocess(content, output, overrides)
    assert done.returncode == 0, done.stderr[-3000:]
    return files_of(output)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, image_cache):
    """(name, output of the in-process build, output of a fresh process) for each step."""
    folder = tmp_path_factory.mktemp("leaks")
    a, b = folder / "a", folder / "b"
    shutil.copytree(FIXTURES / "basic", a)
    content_b(b)
    steps = []
    overrides = {"CACHE_PATH": str(folder / "cache"), "PORTAL_IMAGES": {"cache_dir": str(image_cache)}}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", epoch(NOW))

        def step(name: str, content: Path) -> None:
            here = build(content, folder / f"out-{name}", SETTINGS, overrides)
            snapshot = folder / f"src-{name}"
            shutil.copytree(content, snapshot)
            fresh = in_subprocess(snapshot, folder / f"fresh-{name}", folder / f"cache-{name}", image_cache)
            steps.append((name, here, files_of(folder / f"out-{name}"), fresh))

        step("a", a)
        step("b", b)
        edit(a / EDITED, "Title: ", "Title: Mới: ", 1_800_000_000)
        step("a-edited", a)
        edit(a / EDITED, "Title: Mới: ", "Title: ", 1_800_000_100)
        step("a-again", a)
    return steps


def test_the_steps_differ_from_each_other(runs):
    outputs = {name: here for name, _, here, _ in runs}
    assert outputs["a"] != outputs["b"] and outputs["a"] != outputs["a-edited"]
    assert any("nha-may-b" in path for path in outputs["b"]) and not any("nha-may-b" in path for path in outputs["a"])
    assert len({id(built) for _, built, _, _ in runs}) == len(runs), "each build has its own build object"


@pytest.mark.parametrize("index", range(4))
def test_each_build_in_one_process_equals_a_fresh_process(runs, index):
    name, _, here, fresh = runs[index]
    differ = sorted(path for path in set(here) | set(fresh) if here.get(path) != fresh.get(path))
    assert here and not differ, f"step {name}: {len(differ)} of {len(fresh)} files differ, first: {differ[:15]}"


def test_a_again_is_a(runs):
    assert runs[3][2] == runs[0][2]


def test_a_build_never_comes_back_from_a_cache(runs):
    # Pelican pickles content objects with their settings into its reader cache.
    built = runs[0][1]
    assert portal_build({BUILD_KEY: built}) is built
    assert pickle.loads(pickle.dumps({BUILD_KEY: built})) == {BUILD_KEY: None}
    with pytest.raises(MissingBuild, match="plugins.contract"):
        portal_build({BUILD_KEY: None})
