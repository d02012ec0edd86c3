"""`--keep-going`: one unit's mistake never blocks the others.

A git repository holds the basic fixture and a URL record naming the last good
version (blob) of each published article; then one published article gets a
broken edit and one broken new article arrives among good ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from invoke import Context, Exit

from plugins.contract.registry import load_registry
from plugins.publishing.build import PUBLISHED_WITH_PROBLEMS
from plugins.targets.cli import ReportError, run
from plugins.targets.collect import collect
from plugins.tools.check import check
from support import NOW, ROOT, Site, epoch, files_of

KEEP_GOING = {"PORTAL_CONTRACT": {"keep_going": True}}
EDITED = "articles/2024/chinh-sach.md"
OLD_TEXT = "Luật Bảo hiểm xã hội sửa đổi có hiệu lực."
NEW_BROKEN = "articles/2024/moi-loi.md"
NEW_GOOD = "articles/2024/moi-tot.md"
# Where the articles of the fixture are published (the URL record's first field; not read here).
URLS = {"articles/2024/chinh-sach.md": "2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/",
        "articles/2024/le-phat-dong.md": "2024/05/le-phat-dong-thang-cong-nhan-nam-2024/",
        "articles/2024/truong-a.md": "2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/"}
PAGE = "pages/gioi-thieu.md"
PROBLEM_LINE = re.compile(r"^(articles|pages)/[^:]+:\d+: (lỗi|cảnh báo)( [EW]\d{3})?: .+")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ban Biên tập", "GIT_AUTHOR_EMAIL": "bbt@example.vn",
           "GIT_COMMITTER_NAME": "Ban Biên tập", "GIT_COMMITTER_EMAIL": "bbt@example.vn"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def record(site: Site) -> None:
    """The URL record of the published articles, as `publish` would write it, committed."""
    lines = ["# URL đã đăng: địa chỉ, tệp nguồn, bản đã đăng (git blob)"]
    for rel, url in sorted({**URLS, PAGE: "gioi-thieu/"}.items()):
        blob = git(site.content, "hash-object", "-w", str(site.content / rel)).strip()
        lines.append(f"{url}\t{rel}\t{blob}")
    site.write("urls.lock", "\n".join(lines) + "\n")


@pytest.fixture
def repo(site) -> Site:
    """The basic fixture committed in a git repository, its URL record written, then the day's edits."""
    git(site.content.parent, "init", "-q")
    record(site)
    git(site.content.parent, "add", "content")
    git(site.content.parent, "commit", "-q", "-m", "Nội dung đã đăng")
    edited = (site.content / EDITED).read_text(encoding="utf-8")
    site.write(EDITED, edited.replace("Unit: ban-tuyen-giao", "Unit: ban-tuyen-giao-moi")
                             .replace(OLD_TEXT, "Bản sửa có lỗi đơn vị."))
    site.article("2024/moi-loi.md", {"Title": "Tin mới có lỗi", "Date": "31/02/2024", "Unit": "cd-giao-duc"})
    site.article("2024/moi-tot.md", {"Title": "Tin mới không lỗi", "Date": "2/3/2024", "Unit": "cd-giao-duc"},
                 "Nội dung tin mới không lỗi.")
    return site


def page_text(site: Site, url: str) -> str:
    return site.html(url).get_text(" ", strip=True)


def test_keep_going_publishes_the_good_keeps_the_last_good_and_leaves_out_the_new_broken(repo):
    result = repo.build(**KEEP_GOING)
    assert result.kept == [EDITED]
    assert result.rejected == [NEW_BROKEN]
    assert OLD_TEXT in page_text(repo, URLS[EDITED])
    assert "Bản sửa có lỗi" not in page_text(repo, URLS[EDITED])
    assert repo.exists("/2024/03/tin-moi-khong-loi/")
    assert not list(repo.output.rglob("tin-moi-co-loi*"))
    lines = [str(p) for p in result.problems]
    assert f"{EDITED}:3: lỗi" in "\n".join(lines)
    assert f"{NEW_BROKEN}:2: lỗi" in "\n".join(lines)
    assert any(line.startswith(f"{EDITED}:1: cảnh báo W303: bài có lỗi nên website vẫn giữ bản đã đăng trước")
               for line in lines)
    assert any(line.startswith(f"{NEW_BROKEN}:1: cảnh báo W301: bài có lỗi nên không được đăng (chưa có trong "
                               "urls.lock") for line in lines)
    summary = result.summary()
    assert f"giữ bản đã đăng trước (bản mới có lỗi): {EDITED}" in summary
    assert f"không đăng (có lỗi): {NEW_BROKEN}" in summary
    # The unit page counts the kept version, under its old unit.
    assert "Chính sách mới về bảo hiểm xã hội" in page_text(repo, "/don-vi/ban-tuyen-giao/")


def test_the_kept_version_survives_the_reader_cache_and_the_fix_shows_at_once(repo, tmp_path, monkeypatch):
    repo.build(**KEEP_GOING)
    repo.article("2024/moi-tot.md", {"Title": "Tin mới không lỗi", "Date": "2/3/2024", "Unit": "cd-giao-duc"},
                 "Nội dung tin mới, sửa lại.")
    again = repo.build(**KEEP_GOING)  # Pelican's reader cache and the incremental ledger are warm now
    assert again.kept == [EDITED]
    assert OLD_TEXT in page_text(repo, URLS[EDITED])
    fresh = Site(tmp_path / "fresh", monkeypatch)
    fresh.content = repo.content
    fresh.build(**KEEP_GOING)
    assert files_of(fresh.output) == files_of(repo.output)

    fixed = (repo.content / EDITED).read_text(encoding="utf-8").replace("ban-tuyen-giao-moi", "ban-tuyen-giao")
    repo.write(EDITED, fixed)
    done = repo.build(**KEEP_GOING)
    assert done.kept == []
    assert "Bản sửa có lỗi đơn vị." in page_text(repo, URLS[EDITED])


def test_the_build_task_exits_3_and_writes_the_report(repo, tmp_path):
    report = tmp_path / "bao-cao" / "loi.txt"
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    done = subprocess.run([sys.executable, "-m", "invoke", "build", "--content", str(repo.content), "--output",
                           str(repo.output), "--keep-going", "--report", str(report)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    said = done.stdout + done.stderr
    assert done.returncode == PUBLISHED_WITH_PROBLEMS == 3, said
    assert "Traceback" not in said
    assert "Đã đăng, còn lỗi: 2 lỗi" in said
    assert OLD_TEXT in page_text(repo, URLS[EDITED])
    written = report.read_text(encoding="utf-8").splitlines()
    problems = [line for line in written if PROBLEM_LINE.match(line)]
    assert any(line.startswith(f"{EDITED}:3: lỗi") for line in problems)
    assert any(line.startswith(f"{NEW_BROKEN}:2: lỗi") for line in problems)
    assert any(line.startswith(f"{EDITED}:1: cảnh báo W303:") for line in problems)
    assert any(line.startswith(f"{NEW_BROKEN}:1: cảnh báo W301:") for line in problems)
    assert any(re.fullmatch(r"2 lỗi, \d+ cảnh báo\.", line) for line in written)
    for line in problems:
        assert line in said  # every problem is printed too


def test_the_task_through_python_exits_3_and_refuses_a_report_in_the_output(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    sys.path.insert(0, str(ROOT))
    import tasks

    assert tasks.PUBLISHED_WITH_PROBLEMS == PUBLISHED_WITH_PROBLEMS
    with pytest.raises(Exit) as refused:
        tasks.build(Context(), content=str(repo.content), output=str(repo.output), keep_going=True,
                    report=str(repo.output / "loi.txt"))
    assert refused.value.code == 1 and "thư mục đầu ra" in refused.value.message
    with pytest.raises(Exit) as info:
        tasks.build(Context(), content=str(repo.content), output=str(repo.output), keep_going=True,
                    report=str(tmp_path / "loi.txt"))
    assert info.value.code == 3
    assert f"{NEW_BROKEN}:1: cảnh báo W301:" in (tmp_path / "loi.txt").read_text(encoding="utf-8")


def test_a_registry_error_still_stops_the_build(repo):
    units = (repo.content / "units.yml").read_text(encoding="utf-8")
    repo.write("units.yml", units + "\n  - id: [hỏng\n")
    failure = repo.fail(**KEEP_GOING)
    assert any(p.path == "units.yml" for p in failure.problems)
    assert not repo.output.exists()


def test_strict_mode_still_fails_on_any_error(repo):
    failure = repo.fail()
    paths = {p.path for p in failure.problems}
    assert {EDITED, NEW_BROKEN} <= paths
    assert not any(p.code.startswith("W30") for p in failure.problems)
    assert not repo.output.exists()


def test_check_says_what_the_build_would_keep_or_leave_out(repo):
    findings = check(repo.content, NOW, keep_going=True)
    assert (findings.kept, findings.left_out) == ((EDITED,), (NEW_BROKEN,))
    assert findings.errors == 2 and findings.blocking == 0
    assert f"giữ bản đã đăng trước: {EDITED}" in findings.summary()
    assert f"không đăng: {NEW_BROKEN}" in findings.summary()
    assert [str(p) for p in findings.problems] == [str(p) for p in repo.build(**KEEP_GOING).problems]
    strict = check(repo.content, NOW)
    assert strict.kept == () and not any(p.code.startswith("W30") for p in strict.problems)


def test_the_check_task_exits_3_with_the_flag_and_1_without(repo):
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    base = [sys.executable, "-m", "invoke", "check", "--fresh", "--content", str(repo.content)]
    kept = subprocess.run([*base, "--keep-going"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert kept.returncode == 3, kept.stdout + kept.stderr
    assert f"{EDITED}:1: cảnh báo W303:" in kept.stdout
    assert "Traceback" not in kept.stdout + kept.stderr
    strict = subprocess.run(base, cwd=ROOT, env=env, capture_output=True, text=True)
    assert strict.returncode == 1


def test_the_report_counts_the_kept_version_as_published(repo):
    registry, _ = load_registry(repo.content)
    records, _, _, problems = collect(repo.content, registry, NOW, keep_going=True)
    days = sorted((r.unit_id, r.day.isoformat()) for r in records)
    assert ("ban-tuyen-giao", "2024-07-01") in days  # the kept version, under its unit
    assert ("cd-giao-duc", "2024-03-02") in days  # the new good article
    assert len(days) == 4
    assert any(p.code == "W303" for p in problems)


def test_the_report_with_the_flag_is_made_and_tells_the_errors(repo, tmp_path, capsys):
    behind, errors = run(repo.content, 2024, None, "json", tmp_path / "r.json", keep_going=True)
    units = {u["id"]: u for u in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["units"]}
    assert (units["ban-tuyen-giao"]["own"], units["cd-giao-duc"]["own"]) == (1, 2)
    assert errors == 2
    told = capsys.readouterr().err
    assert f"{EDITED}:1: cảnh báo W303:" in told and "bài giữ bản đã đăng trước được tính là đã đăng" in told
    with pytest.raises(ReportError):
        run(repo.content, 2024, None, "json", tmp_path / "strict.json")


def assert_removal_page(site, url: str) -> None:
    """A recorded article left off the site answers with the removal page, not its content."""
    page = site.html(url)
    assert "Bài viết này đã được gỡ khỏi Cổng thông tin" in page.get_text()
    assert page.select_one(".article-content") is None


def test_without_git_or_blob_the_broken_edit_is_left_out_with_a_message(site):
    site.write("urls.lock", f"{URLS[EDITED]}\t{EDITED}\t{'0' * 40}\n")
    site.write(EDITED, (site.content / EDITED).read_text(encoding="utf-8").replace("ban-tuyen-giao", "khong-co"))
    result = site.build(**KEEP_GOING)
    assert result.rejected == [EDITED] and result.kept == []
    told = [str(p) for p in result.problems if p.code == "W301"]
    assert told == [f"{EDITED}:1: cảnh báo W301: bài có lỗi nên không được đăng (thư mục nội dung không nằm trong "
                    "một kho git); các bài khác vẫn được đăng. Hãy sửa các lỗi của tệp này rồi gửi lại"]
    assert_removal_page(site, URLS[EDITED])
    git(site.content.parent, "init", "-q")
    site.write(EDITED, (site.content / EDITED).read_text(encoding="utf-8") + "\nThêm một đoạn.\n")
    result = site.build(**KEEP_GOING)
    assert any("kho git không có bản 0000000000" in p.message for p in result.problems if p.code == "W301")


def test_a_kept_version_that_no_longer_passes_is_left_out(repo):
    units = (repo.content / "units.yml").read_text(encoding="utf-8")
    repo.write("units.yml", units.replace("id: ban-tuyen-giao\n", "id: ban-tuyen-giao-cu\n"))
    result = repo.build(**KEEP_GOING)
    assert EDITED in result.rejected and result.kept == []
    told = [p.message for p in result.problems if p.path == EDITED and p.code == "W302"]
    assert len(told) == 1 and "bản đã đăng trước" in told[0] and "dòng 3:" in told[0]
    assert_removal_page(repo, URLS[EDITED])


def test_a_broken_edit_of_a_page_keeps_its_last_good_version(repo):
    repo.write(PAGE, "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrang sửa lại.\n\n![Sơ đồ](images/khong-co.jpg)\n")
    result = repo.build(**KEEP_GOING)
    assert PAGE in result.kept
    assert "Trang giới thiệu." in page_text(repo, "/gioi-thieu/")
    assert f"{PAGE}:1: cảnh báo W303: trang có lỗi nên website vẫn giữ bản đã đăng trước" in \
        "\n".join(str(p) for p in result.problems)
    assert "trong đó 1 bài giữ bản đã đăng trước" in result.summary()  # the page is not counted as an article


def test_an_old_address_already_taken_gets_no_redirect_and_the_article_stays(repo):
    repo.article("2024/moi-tot.md", {"Title": "Tin mới không lỗi", "Date": "2/3/2024", "Unit": "cd-giao-duc",
                                     "Aliases": "/gioi-thieu/index.html, /tin-tuc/moi-tot.html"})
    result = repo.build(**KEEP_GOING)
    lines = [str(p) for p in result.problems if p.path == NEW_GOOD]
    assert any(line.startswith(f"{NEW_GOOD}:4: lỗi") and "'/gioi-thieu/index.html'" in line for line in lines)
    assert f"{NEW_GOOD}:4: cảnh báo W304: bài vẫn được đăng nhưng không có địa chỉ cũ nào của bài được chuyển " \
           "hướng cho đến khi lỗi ở 'Aliases' được sửa" in lines
    assert repo.exists("/2024/03/tin-moi-khong-loi/")
    assert "Trang giới thiệu." in page_text(repo, "/gioi-thieu/")
    assert not repo.exists("/tin-tuc/moi-tot.html")


def test_a_file_outside_files_is_never_copied_and_told_in_either_mode(site):
    site.write("tai-lieu/ke-hoach.pdf", (site.content / "files/ke-hoach.pdf").read_bytes())
    static = ["files", "images/logo.png", "tai-lieu"]
    told = "tai-lieu/ke-hoach.pdf:1: lỗi E533: tệp này không được đăng: chỉ các tệp trong files/ mà bài viết dẫn tới"
    assert any(str(p).startswith(told) for p in site.fail(STATIC_PATHS=static).problems)
    result = site.build(STATIC_PATHS=static, **KEEP_GOING)
    assert any(str(p).startswith(told) for p in result.problems)
    assert not (site.output / "tai-lieu").exists() and site.exists("/files/ke-hoach.pdf")
