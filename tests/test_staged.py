"""The pre-commit hook's `check --staged`: what is committed is checked, not the
working folder. A real git repository holding a fixture's content folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES, NOW, ROOT, epoch
from plugins.tools.staged import StagedError, folder_for, materialise

PHOTO_ARTICLE = """Title: Bài có ảnh mới
Date: 1/3/2024 08:00
Unit: ban-tuyen-giao
Image: images/moi.jpg
ImageAlt: Quang cảnh buổi lễ

Nội dung bài viết.
"""


def printed(where: str, message: str, output: str) -> bool:
    """``where`` (``path:line: lỗi``), the message's code if it has one, then ``message``, on one line."""
    return re.search(rf"^{re.escape(where)}(?: [EW]\d{{3}})?: {re.escape(message)}", output, re.MULTILINE) is not None


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Biên tập", "-c", "user.email=bt@example.vn", *args],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose last commit holds the basic fixture as content/."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "basic", repo / "content")
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "Nội dung đầu")
    return repo


def hook(repo: Path) -> subprocess.CompletedProcess:
    """The pre-commit hook's command, as .pre-commit-config.yaml runs it, on ``repo``'s content."""
    return subprocess.run([sys.executable, str(ROOT / "tasks.py"), "check", "--staged", "--content",
                           str(repo / "content")], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}, timeout=120)


def test_an_article_whose_photo_was_not_added_fails_with_the_photos_message(repo):
    (repo / "content/articles/2024/anh-moi.md").write_text(PHOTO_ARTICLE, encoding="utf-8")
    shutil.copy(repo / "content/images/cover.jpg", repo / "content/images/moi.jpg")
    git(repo, "add", "content/articles/2024/anh-moi.md")  # the photo is left out

    result = hook(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert printed("articles/2024/anh-moi.md:4: lỗi", "'Image': không tìm thấy tệp 'images/moi.jpg'", result.stdout)
    assert "chưa được `git add` nên không có trong commit và không được kiểm tra: images/moi.jpg" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

    git(repo, "add", "content/images/moi.jpg")
    result = hook(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Không có lỗi" in result.stdout


def test_an_untracked_half_written_file_does_not_block_an_unrelated_commit(repo):
    (repo / "content/articles/2024/dang-viet.md").write_text("Title: Đang viết dở\nDate: 31/2\n", encoding="utf-8")
    (repo / "content/articles/2024/chinh-sach.md").write_text(
        (repo / "content/articles/2024/chinh-sach.md").read_text(encoding="utf-8") + "\nThêm một đoạn.\n",
        encoding="utf-8")
    git(repo, "add", "content/articles/2024/chinh-sach.md")

    result = hook(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dang-viet.md" not in result.stdout
    # The same folder checked as it stands in the working folder does fail.
    whole = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "check", "--content", str(repo / "content")],
                           cwd=repo, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)})
    assert whole.returncode == 1 and printed("articles/2024/dang-viet.md:2: lỗi", "'Date'", whole.stdout)


def test_an_unstaged_broken_edit_is_not_seen_until_it_is_added(repo):
    article = repo / "content/articles/2024/chinh-sach.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Unit: ban-tuyen-giao", "Unit: ban-tuyen-giao-x"),
                       encoding="utf-8")
    result = hook(repo)
    assert result.returncode == 0, result.stdout + result.stderr

    git(repo, "add", "content/articles/2024/chinh-sach.md")
    result = hook(repo)
    assert result.returncode == 1
    assert printed("articles/2024/chinh-sach.md:3: lỗi", "đơn vị 'ban-tuyen-giao-x'", result.stdout)


def test_the_staged_copy_is_kept_and_only_changed_blobs_are_written_again(repo, tmp_path):
    cache = tmp_path / "staged"
    first = materialise(repo / "content", cache)
    assert first.folder == folder_for(cache, repo / "content")
    committed = sorted(p.relative_to(repo / "content").as_posix() for p in (repo / "content").rglob("*") if p.is_file())
    copied = sorted(p.relative_to(first.folder).as_posix() for p in first.folder.rglob("*") if p.is_file())
    assert copied == committed and first.written == len(committed)
    stamp = (first.folder / "units.yml").stat().st_ino, (first.folder / "units.yml").stat().st_mtime_ns

    assert materialise(repo / "content", cache).written == 0
    (repo / "content/articles/2024/chinh-sach.md").write_text("Title: Sửa\n", encoding="utf-8")
    git(repo, "add", "content/articles/2024/chinh-sach.md")
    git(repo, "rm", "-q", "--cached", "content/files/ke-hoach.pdf")
    again = materialise(repo / "content", cache)
    assert again.written == 1
    assert (again.folder / "articles/2024/chinh-sach.md").read_text(encoding="utf-8") == "Title: Sửa\n"
    assert not (again.folder / "files").exists()  # removed from the index: gone from the copy, folder too
    assert again.not_added == ["files/ke-hoach.pdf"]
    assert ((again.folder / "units.yml").stat().st_ino, (again.folder / "units.yml").stat().st_mtime_ns) == stamp


def test_staged_outside_a_repository_says_so(tmp_path):
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    with pytest.raises(StagedError, match="không nằm trong một kho git"):
        materialise(tmp_path / "content", tmp_path / "staged")


def test_a_clean_index_gives_the_working_folders_findings_symlinks_and_line_endings_included(repo, tmp_path):
    from plugins.tools.check import check

    content = repo / "content"
    (content / "articles/2024/loi.md").write_text("Title: Lỗi\r\nDate: 1/3/2024\r\nUnit: khong-co\r\n\r\nNội dung.\r\n",
                                                  encoding="utf-8")
    (content / "articles/2024/lien-ket.md").symlink_to(content / "articles/2024/chinh-sach.md")
    (content / ".gitattributes").write_text("*.md text eol=crlf\n", encoding="utf-8")
    git(repo, "add", "content")
    copy = materialise(content, tmp_path / "staged")
    assert (copy.folder / "articles/2024/lien-ket.md").is_symlink()
    assert b"\r\n" in (copy.folder / "articles/2024/chinh-sach.md").read_bytes()  # as a checkout writes it
    shutil.rmtree(content)
    git(repo, "checkout", "--", "content")  # the working folder as a fresh checkout has it
    staged, working = check(copy.folder, NOW), check(content, NOW)
    assert [str(p) for p in staged.problems] == [str(p) for p in working.problems]
    assert printed("articles/2024/loi.md:3: lỗi", "đơn vị 'khong-co'", "\n".join(map(str, staged.problems)))
    assert any(p.path == "articles/2024/lien-ket.md" for p in staged.problems)


HOOK = """#!/bin/sh
exec {python} {tasks} check --staged --content {content}
"""


def test_git_commit_runs_the_hook_on_what_it_commits_even_with_commit_a(repo):
    hook_file = repo / ".git" / "hooks" / "pre-commit"
    hook_file.write_text(HOOK.format(python=sys.executable, tasks=ROOT / "tasks.py", content=repo / "content"),
                         encoding="utf-8")
    hook_file.chmod(0o755)
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}

    def commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-c", "user.name=Biên tập", "-c", "user.email=bt@example.vn", "commit", "-q",
                               "-m", "Sửa bài", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=120)

    article = repo / "content/articles/2024/chinh-sach.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Unit: ban-tuyen-giao", "Unit: ban-tuyen-giao-x"),
                       encoding="utf-8")
    (repo / "content/articles/2024/dang-viet.md").write_text("Title: Đang viết dở\n", encoding="utf-8")
    assert commit("--allow-empty").returncode == 0  # nothing broken is staged: the untracked draft is not seen
    refused = commit("-a")  # -a stages the broken edit into the index being committed
    assert refused.returncode != 0
    assert printed("articles/2024/chinh-sach.md:3: lỗi", "đơn vị 'ban-tuyen-giao-x'", refused.stdout + refused.stderr)
    assert git(repo, "log", "-1", "--format=%s") == "Sửa bài\n"  # the empty commit only
    assert git(repo, "rev-list", "--count", "HEAD") == "2\n"
