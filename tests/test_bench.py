"""The build benchmark's machinery on a tiny corpus: the generated content is the same on every
run, valid for the portal, left unchanged by the edit/add rebuilds, and the report is written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import bench_build

ROOT = Path(__file__).resolve().parents[1]
TINY = 12


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    docs = folder / "benchmarks.md"
    lines: list[str] = []
    sizes, text = bench_build.main([TINY], runs=1, others=False, profile=True, docs=docs, log=lines.append,
                                   bench_dir=folder, warmup=False)
    return folder, docs, sizes, text, lines


def test_the_corpus_is_the_same_on_every_run(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    bench_build.write_portal(bench_build.make_corpus(30), first)
    bench_build.write_portal(bench_build.make_corpus(30), second)
    assert bench_build.fingerprint(first) == bench_build.fingerprint(second)
    bench_build.write_portal(bench_build.make_corpus(31), second)
    assert bench_build.fingerprint(first) != bench_build.fingerprint(second)


def test_the_corpus_has_the_promised_shape():
    corpus = bench_build.make_corpus(400)
    assert len(corpus.units) == 40 and len(corpus.campaigns) == 10
    assert {article.section for article in corpus.articles} == set(bench_build.SECTIONS)
    parents = {unit.id for unit in corpus.units}
    assert all(unit.parent in parents for unit in corpus.units if unit.parent)
    with_photo = sum(1 for article in corpus.articles if article.photo) / len(corpus.articles)
    assert 0.2 < with_photo < 0.4
    assert len({article.campaign for article in corpus.articles if article.campaign}) == 10
    for article in corpus.articles:
        if article.campaign:
            assert article.campaign.start <= article.date.date() <= article.campaign.end
    body = "\n".join(corpus.articles[0].paragraphs)
    assert re.search("[ăâđêôơư]", body) and re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", body)


def test_stock_pelican_and_hugo_get_the_same_articles(tmp_path):
    corpus = bench_build.make_corpus(5)
    bench_build.write_pelican(corpus, tmp_path / "pelican")
    bench_build.write_hugo(corpus, tmp_path / "hugo")
    article = corpus.articles[3]
    pelican = (tmp_path / "pelican" / "content" / f"{article.date:%Y}" / f"{article.slug}.md").read_text("utf-8")
    hugo = (tmp_path / "hugo" / "content" / "bai" / f"{article.date:%Y}" / f"{article.slug}.md").read_text("utf-8")
    assert f"Title: {article.title}" in pelican and article.unit.name in pelican.splitlines()[3]
    assert article.paragraphs[0] in pelican and article.paragraphs[0] in hugo
    assert f'"units": ' not in hugo and f'units: ["{article.unit.name}"]' in hugo


def test_every_portal_build_was_measured(tiny_run):
    _, _, sizes, _, _ = tiny_run
    (size,) = sizes
    assert set(size.results) == set(bench_build.PORTAL_KINDS)
    for runs in size.results.values():
        assert len(runs) == 1 and runs[0].seconds > 0 and runs[0].peak_kb > 20_000


def test_the_rebuilds_leave_the_corpus_as_generated(tiny_run, tmp_path):
    folder, *_ = tiny_run
    bench_build.write_portal(bench_build.make_corpus(TINY), tmp_path / "fresh")
    assert bench_build.fingerprint(folder / f"n{TINY}" / "portal") == bench_build.fingerprint(tmp_path / "fresh")


def test_the_build_output_is_the_portal(tiny_run):
    folder, *_ = tiny_run
    output = folder / f"n{TINY}" / "output"
    articles = list(output.glob("20*/**/*.html"))
    assert len(articles) >= TINY
    assert (output / "index.html").is_file() and (output / "don-vi").is_dir()


def test_the_report_is_written(tiny_run):
    _, docs, _, text, lines = tiny_run
    assert docs.read_text(encoding="utf-8") == text
    assert re.search(r"^\| 12 \| 1 run \| [\d.]+ s, [\d.]+ ms/article \|", text, re.M)
    assert "Commit: " in text and "CPUs" in text
    profile = text.split("## Profile", 1)[1]
    shares = dict(re.findall(r"^\| ([\w ]+) \| [\d.]+ \| (\d+)% \|$", profile, re.M))
    assert set(shares) == set(bench_build.PHASE_ORDER)
    assert int(shares["rendering"]) > 0 and int(shares["contract checks"]) > 0
    assert any("portal cold" in line for line in lines)


def test_the_task_is_declared():
    done = subprocess.run([sys.executable, "-m", "invoke", "--help", "bench"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert "--articles" in done.stdout and "--runs" in done.stdout
