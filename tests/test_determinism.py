"""The same content gives the same site, byte for byte, whatever order its files
were written in, whatever the hash seed, and however many items share a date.

A corpus full of ties (articles with the same minute, unit, campaign, section,
tags and title; pages with the same title and file name) is built three times,
each time in a fresh process with another PYTHONHASHSEED, from a fresh copy
whose files were written in another order with other modification times.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import FIXTURES, build_in_subprocess, files_of

HASH_SEEDS = (0, 1, 12345)

# Groups of articles sharing everything that orders a list: date to the minute,
# unit, section, campaign, tags; several share a title too, so their slugs collide.
GROUPS = (
    ("10/05/2024 08:00", "cd-giao-duc", "tin-hoat-dong", "thang-cong-nhan-2024", "Tháng Công nhân, an toàn lao động",
     ("Hội nghị người lao động",) * 3 + ("Tọa đàm an toàn lao động",)),
    # The same tags written otherwise: one tag per slug, whose name comes from the first article.
    ("10/05/2024 08:00", "cdcs-truong-a", "tin-hoat-dong", "thang-cong-nhan-2024", "An toàn lao động, tháng công nhân",
     ("Hội nghị người lao động", "Thăm hỏi giáo viên", "Thăm hỏi giáo viên", "Ngày hội gia đình")),
    ("20/05/2024 14:30", "ban-tuyen-giao", "chinh-sach-phap-luat", "thang-cong-nhan-2024", "chính sách",
     ("Phổ biến pháp luật lao động",) * 4),
    ("15/06/2024 09:00", "cdcs-truong-a", "tin-hoat-dong", "", "an toàn lao động",
     ("Trao quà cho đoàn viên", "Trao quà cho đoàn viên", "Khen thưởng giáo viên giỏi")),
    ("15/06/2024 09:00", "ldld-huyen-cu", "chinh-sach-phap-luat", "", "chính sách, tiền lương",
     ("Tập huấn tiền lương", "Tập huấn tiền lương", "Đối thoại với doanh nghiệp", "Hỏi đáp chính sách")),
    ("28/06/2024 16:00", "ldld-tinh", "tin-hoat-dong", "", "thông báo",
     ("Thông báo",) * 3 + ("Thông báo lịch làm việc",)),
    ("28/06/2024 16:00", "ldld-tinh", "tin-hoat-dong", "", "thông báo",
     ("Thông báo",) * 2),
)

PAGES = {
    "pages/a/lien-he.md": ("Liên hệ", "lien-he-a"),
    "pages/b/lien-he.md": ("Liên hệ", "lien-he-b"),
    "pages/khac/gioi-thieu.md": ("Giới thiệu", "gioi-thieu-khac"),
}

def corpus() -> dict[str, str]:
    """Relative path -> text of every file added to the basic fixture."""
    files = {}
    for g, (date, unit, section, campaign, tags, titles) in enumerate(GROUPS):
        month = date[3:5]
        for i, title in enumerate(titles):
            header = {"Title": title, "Date": date, "Unit": unit, "Category": section, "Tags": tags,
                      "Author": "Phạm Thị Hoa", "Summary": f"Tóm tắt: {title.lower()}."}
            if campaign:
                header["Campaigns"] = campaign
            if g == 3:
                header["Featured"] = "yes"
            text = "\n".join(f"{k}: {v}" for k, v in header.items())
            files[f"articles/2024/{month}/nhom-{g}-bai-{i}.md"] = f"{text}\n\n{title} – nội dung bài số {i} của nhóm {g}.\n"
    for path, (title, slug) in PAGES.items():
        files[path] = f"Title: {title}\nSlug: {slug}\n\nTrang {slug}.\n"
    return files


def write_content(folder: Path, run: int) -> None:
    """A fresh copy of the corpus, its files written in the order of ``run`` and dated differently."""
    shutil.copytree(FIXTURES / "basic", folder)
    files = list(corpus().items())
    random.Random(run).shuffle(files)
    if run % 2:
        files.reverse()
    moment = 1_700_000_000 + run * 86_400
    for index, (rel, text) in enumerate(files):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (moment - index * 60, moment - index * 60))


def build_in_process(folder: Path, run: int, seed: int, image_cache: Path) -> Path:
    content, output = folder / f"content-{run}", folder / f"output-{run}"
    write_content(content, run)
    overrides = {"CACHE_PATH": str(folder / f"cache-{run}"), "PORTAL_IMAGES": {"cache_dir": str(image_cache)}}
    done = build_in_subprocess(content, output, overrides, PYTHONHASHSEED=str(seed))
    assert done.returncode == 0, f"build {run} (PYTHONHASHSEED={seed}) failed:\n{done.stderr[-3000:]}"
    return output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, image_cache) -> list[dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("determinism")
    return [files_of(build_in_process(folder, run, seed, image_cache)) for run, seed in enumerate(HASH_SEEDS)]


def test_the_corpus_is_full_of_ties(outputs):
    site = outputs[0]
    for slug in ("hoi-nghi-nguoi-lao-dong-3", "pho-bien-phap-luat-lao-dong-4", "thong-bao-5"):
        assert any(path.startswith("2024/0") and path.endswith(f"/{slug}/index.html") for path in site), slug
    assert "lien-he-a/index.html" in site and "lien-he-b/index.html" in site


def links(page: bytes, selector: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(page, "html.parser").select(selector)]


def test_ties_are_ordered_by_file_and_tags_by_slug(outputs):
    site = outputs[0]
    # Newest first; at the same minute the later file path first (it got the higher slug number).
    assert links(site["don-vi/ban-tuyen-giao/index.html"], ".card-title a")[1:5] == [
        f"/2024/05/pho-bien-phap-luat-lao-dong{n}/" for n in ("-4", "-3", "-2", "")]
    assert links(site["the/index.html"], ".tag-cloud a") == [
        f"/the/{slug}/" for slug in ("an-toan-lao-dong", "chinh-sach", "thang-cong-nhan", "thong-bao", "tien-luong")]


@pytest.mark.parametrize("run", range(1, len(HASH_SEEDS)))
def test_every_output_byte_is_the_same(outputs, run):
    first, other = outputs[0], outputs[run]
    differ = sorted(path for path in set(first) | set(other) if first.get(path) != other.get(path))
    assert not differ, (f"build {run} (PYTHONHASHSEED={HASH_SEEDS[run]}) differs from build 0 in "
                        f"{len(differ)} of {len(first)} files, first: {differ[:15]}")
