"""The build benchmark's machinery on a tiny corpus: the generated content is the same on every
run, valid for the portal, left unchanged by the edit/add rebuilds, and the report is written;
the memory of a process tree is sampled by kind, the search step read from the build's log, and
check, the pre-commit hook and the preview server are measured."""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
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
                                   bench_dir=folder, warmup=True, serve_articles=TINY, serve_edits=1)
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
    assert re.search(r"^\| 12 \| one run \| [\d.]+ s, [\d.]+ ms/article \|", text, re.M)
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


# Memory of a process tree

FAKE_BUILD = textwrap.dedent("""
    import os, subprocess, sys, time
    kids = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]),
            subprocess.Popen([sys.argv[1], "60"]), subprocess.Popen([sys.argv[2], "60"])]
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    time.sleep(60)
""")


@pytest.fixture
def fake_tree(tmp_path):
    """A measuring process whose build has a Python child, a forked copy, a 'pagefind' and a plain sleep."""
    sleep = shutil.which("sleep")
    pagefind = tmp_path / "pagefind"
    shutil.copyfile(sleep, pagefind)
    pagefind.chmod(0o755)
    launcher = subprocess.Popen([sys.executable, "-c", "import subprocess,sys; subprocess.run(sys.argv[1:])",
                                 sys.executable, "-c", FAKE_BUILD, str(pagefind), sleep], start_new_session=True)
    yield launcher
    os.killpg(launcher.pid, signal.SIGKILL)
    launcher.wait()


def test_the_sampler_sorts_a_process_tree_by_kind(fake_tree):
    sampler = bench_build.TreeSampler(fake_tree.pid)
    wanted = {"build": 1, "workers": 2, "pagefind": 1, "other": 1}
    for _ in range(200):
        kinds = collections.Counter(sampler.sample().values())
        if kinds == wanted:
            break
        time.sleep(0.05)
    assert kinds == wanted
    assert set(sampler.memory.rss_kb) == set(wanted) and all(kb > 0 for kb in sampler.memory.rss_kb.values())
    assert sampler.memory.pss_kb >= max(sampler.memory.kind_pss_kb.values()) > 0
    assert fake_tree.pid not in {pid for pid, _ in bench_build.descendants(fake_tree.pid)}


def test_processes_are_classified_by_place_and_name():
    assert bench_build.classify(7, {7}, "/usr/bin/python3.11", "python") == "build"
    assert bench_build.classify(8, {7}, "/usr/bin/python3.11", "python") == "workers"
    assert bench_build.classify(9, {7}, "/venv/site-packages/pagefind_bin/pagefind", "pagefind") == "pagefind"
    assert bench_build.classify(9, {7}, "/opt/x", "pagefind_extended") == "pagefind"
    assert bench_build.classify(10, {7}, "/usr/bin/node", "node") == "other"


ALLOCATING = textwrap.dedent("""
    import os, time
    block = bytearray(80 * 1024 * 1024)
    if os.fork() == 0:
        more = bytearray(40 * 1024 * 1024)
        time.sleep(1.5)
        os._exit(0)
    time.sleep(1.5)
    os.wait()
""")


def test_a_measured_run_samples_the_memory_of_its_processes():
    run = bench_build.measured([sys.executable, "-c", ALLOCATING])
    assert run.samples > 0 and run.search_seconds is None and run.cards_drawn is None
    assert run.rss_kb["build"] > 80 * 1024 and run.rss_kb["workers"] > 80 * 1024
    assert run.pss_kb > 120 * 1024 and run.peak_kb > 80 * 1024
    assert run.largest_kb >= max(run.peak_kb, *run.rss_kb.values())


# The search step


def test_the_search_step_is_read_from_its_log_line():
    log = ("Done: Processed 12 articles\nChỉ mục tìm kiếm: 3 phần, 1.200 tin bài\n"
           "Chỉ mục tìm kiếm: 1200 tin bài trong 12.5 giây.\nbench-stats: {\"cards_drawn\": 3}\n")
    assert bench_build.search_seconds(log) == 12.5
    assert bench_build.search_seconds("Chỉ mục tìm kiếm: 5 tin bài trong 0,7 giây.") == 0.7
    assert bench_build.search_seconds("Đã dựng lại sau 3.0 giây.\nDone in 2 seconds") is None
    assert bench_build.build_stats(log) == {"cards_drawn": 3} and bench_build.build_stats("") == {}


def test_the_builds_log_their_search_step(tiny_run):
    _, _, sizes, text, _ = tiny_run
    (size,) = sizes
    assert size.results["portal cold"][0].search_seconds is not None
    assert size.warmup.cards_drawn > 0 and size.warmup.rss_kb["build"] > 20_000
    search = text.split("## Search step", 1)[1].split("##", 1)[0]
    assert re.search(r"^\| 12 \| [\d.]+ s \|", search, re.M)


# check, the hook, the preview server


def test_the_hook_runs_as_its_config_says(tmp_path):
    config, content = tmp_path / "hooks.yaml", tmp_path / "content"
    changed = bench_build.ROOT / "content" / "a.md"
    config.write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n        entry: python3 tasks.py check\n"
                      "        language: system\n        pass_filenames: false\n", encoding="utf-8")
    assert bench_build.hook_argv(config, content, changed) == ["python3", "tasks.py", "check", "--content",
                                                               str(content)]
    config.write_text(config.read_text(encoding="utf-8").replace("pass_filenames: false", "args: [--quick]"),
                      encoding="utf-8")
    assert bench_build.hook_argv(config, content, changed)[-3:] == ["--content", str(content), "content/a.md"]
    assert "--quick" in bench_build.hook_argv(config, content, changed)


def test_check_the_hook_and_the_preview_server_are_measured(tiny_run):
    _, _, sizes, text, lines = tiny_run
    (size,) = sizes
    assert size.check.first > 0 and size.check.second > 0 and size.check.hook > 0
    assert "--content" in size.check.hook_argv
    assert ("--fresh" in size.check.first_argv) == ("--fresh" in bench_build.task_help("check"))
    assert len(size.serve) == 1 and size.serve[0] is not None
    assert re.search(r"^\| 12 \| [\d,]+ ms \(\d+% of cold; target ≤ 10%: (met|not met)\) \|", text, re.M)
    assert re.search(r"^\| 12 \| [\d.]+ s \(median of 1; target ≤ 2 s: (met|not met)\) \|", text, re.M)
    assert any(line.startswith("  serve: ") for line in lines)


def test_the_memory_table_has_every_kind(tiny_run):
    _, _, _, text, _ = tiny_run
    memory = text.split("## Memory per process kind", 1)[1].split("##", 1)[0]
    row = next(line for line in memory.splitlines() if line.startswith("| 12 |")).split(" | ")
    assert re.fullmatch(r"[\d.]+ GB", row[1]) and "target < 1 GB" in row[6] and "target < 1.5 GB" in row[7]


# The report's figures against the targets


def _size(cold: float, noop: float, runs: int = 1) -> bench_build.Size:
    size = bench_build.Size(TINY, runs)
    for name, seconds in zip(bench_build.PORTAL_KINDS, (cold, noop, cold * 0.09, cold * 0.2)):
        size.add(name, bench_build.Run(seconds, 50_000, None, {"build": 50_000}, 60_000))
    return size


def test_the_targets_are_computed_from_the_figures():
    met, missed = bench_build.table([_size(10.0, 0.4)])[2], bench_build.table([_size(10.0, 0.6)])[2]
    assert "(4%; target ≤ 5%: met)" in met and "(6%; target ≤ 5%: not met)" in missed
    assert "(9%; target ≤ 10%: met)" in met and "(20%; target ≤ 15%: not met)" in met
    search = bench_build.search_table([_size(10.0, 0.4)])[2]
    assert search == "| 12 | – | – | – | – | – |"


def test_one_run_above_five_thousand_articles():
    assert bench_build.runs_at(5000, 3) == 3 and bench_build.runs_at(5001, 3) == 1
    assert bench_build.table([_size(1.0, 0.1, runs=3)])[2].startswith("| 12 | median of 3 |")
