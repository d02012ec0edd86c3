"""The CI workflow files for a self-hosted Forgejo/Gitea and GitLab: they parse,
run tasks that exist, check every submission and publish on the main branch;
.ci/publish deploys, commits the address book back and passes "published with
problems" (exit 3) on after doing so."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from invoke import Collection

import tasks
from support import ROOT

FORGEJO = ROOT / ".forgejo" / "workflows" / "portal.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
PUBLISH = ROOT / ".ci" / "publish"
TASK_COMMAND = re.compile(r"python3 tasks\.py ([a-z][a-z-]*)((?: --?[a-z][a-z-]*)*)")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def commands(node) -> list[str]:
    """Every shell line a workflow runs (Forgejo's run:, GitLab's script:/before_script:)."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key in ("run", "script", "before_script"):
                found += [value] if isinstance(value, str) else list(value)
            else:
                found += commands(value)
        return found
    if isinstance(node, list):
        return [line for item in node for line in commands(item)]
    return []


def test_both_workflows_parse_and_run_only_tasks_that_exist():
    collection = Collection.from_module(tasks)
    lines = commands(load(FORGEJO)) + commands(load(GITLAB)) + PUBLISH.read_text(encoding="utf-8").splitlines()
    used = [match for line in lines for match in TASK_COMMAND.finditer(line)]
    assert {m[1] for m in used} == {"check", "publish"}
    for match in used:
        task = collection[match[1]]
        options = {option.lstrip("-") for option in match[2].split()}
        assert options <= {argument.name.replace("_", "-") for argument in task.get_arguments()}, match[0]
    assert "--target" in PUBLISH.read_text(encoding="utf-8") and "--branch" in PUBLISH.read_text(encoding="utf-8")
    assert {"target", "branch"} <= {a.name for a in collection["publish"].get_arguments()}
    for workflow in (commands(load(FORGEJO)), commands(load(GITLAB))):
        assert "python3 tasks.py check" in workflow
        assert any(line.startswith("bash .ci/publish ") for line in workflow)


def test_forgejo_checks_every_push_and_pull_request_and_publishes_on_the_default_branch():
    workflow = load(FORGEJO)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"push", "pull_request", "schedule"}
    # Daily at 00:05 in Vietnam (cron is UTC): scheduled items go live, the home page's lead ages.
    assert triggers["schedule"] == [{"cron": "5 17 * * *"}]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert "if" not in check and "needs" not in publish  # publishing never waits for the check
    assert publish["if"] == ("(github.event_name == 'push' || github.event_name == 'schedule') "
                             "&& github.ref_name == github.event.repository.default_branch")
    step = next(s for s in publish["steps"] if "bash .ci/publish" in s.get("run", ""))
    assert {"PORTAL_SITEURL", "PORTAL_TARGET"} <= set(step["env"])


def test_gitlab_checks_every_pipeline_and_publishes_on_the_default_branch():
    workflow = load(GITLAB)
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in workflow["workflow"]["rules"]
    assert "rules" not in workflow["check"]
    assert workflow["publish"]["needs"] == []
    assert workflow["publish"]["rules"] == [
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"'},
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "schedule"'}]


# .ci/publish, with a stand-in for `python3 tasks.py publish` that writes the address book
# and exits with $FAKE_EXIT.

FAKE_PYTHON = """#!/bin/sh
echo "$@" >> "$FAKE_LOG"
mkdir -p content
printf '%s\\n' "$FAKE_LOCK" > content/urls.lock
exit "$FAKE_EXIT"
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Biên tập", "-c", "user.email=bt@example.vn", *args],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone of a bare 'server' repository whose main branch has .ci/publish."""
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(server), str(work))
    (work / ".ci").mkdir()
    shutil.copy(PUBLISH, work / ".ci" / "publish")
    (work / "content").mkdir()
    (work / "content" / "urls.lock").write_text("/tin-tuc/a/ articles/a.md 1111\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "Nội dung đầu")
    git(work, "push", "-q", "origin", "HEAD:main")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(FAKE_PYTHON, encoding="utf-8")
    (bin_dir / "python3").chmod(0o755)
    return work


def publish(clone: Path, exit_code: int, lock: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{clone.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PORTAL_SITEURL": "https://congdoan.example.vn", "PORTAL_TARGET": str(clone.parent / "www"),
           "FAKE_EXIT": str(exit_code), "FAKE_LOCK": lock, "FAKE_LOG": str(clone.parent / "calls.log")}
    return subprocess.run(["bash", str(clone / ".ci" / "publish"), "main"], cwd=clone, capture_output=True,
                          text=True, env=env, timeout=60)


NEW_LOCK = "/tin-tuc/a/ articles/a.md 1111\n/tin-tuc/b/ articles/b.md 2222"


def test_published_with_problems_commits_the_address_book_then_fails(clone):
    result = publish(clone, 3, NEW_LOCK)
    assert result.returncode == 3, result.stdout + result.stderr
    calls = (clone.parent / "calls.log").read_text(encoding="utf-8").split("\n")
    assert calls[0] == f"tasks.py publish --target {clone.parent / 'www'}"
    assert git(clone.parent / "server.git", "log", "-1", "--format=%s", "main") == "Cập nhật sổ địa chỉ [skip ci]"
    assert git(clone.parent / "server.git", "show", "main:content/urls.lock") == NEW_LOCK
    assert "Đã xuất bản nhưng có lỗi ở một số tệp" in result.stderr


def test_an_unchanged_address_book_is_not_committed(clone):
    before = git(clone.parent / "server.git", "rev-parse", "main")
    result = publish(clone, 0, "/tin-tuc/a/ articles/a.md 1111")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(clone.parent / "server.git", "rev-parse", "main") == before


def test_a_failed_publish_commits_nothing(clone):
    before = git(clone.parent / "server.git", "rev-parse", "main")
    result = publish(clone, 1, NEW_LOCK)
    assert result.returncode == 1
    assert "Không xuất bản (mã thoát 1)." in result.stderr
    assert git(clone.parent / "server.git", "rev-parse", "main") == before


def test_a_push_that_lost_the_race_is_rebased_and_pushed(clone, tmp_path):
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "server.git"), str(other))
    (other / "content" / "tin.md").write_text("Title: Tin khác\n", encoding="utf-8")
    git(other, "add", ".")
    git(other, "commit", "-q", "-m", "Tin của đơn vị khác")
    git(other, "push", "-q", "origin", "HEAD:main")
    result = publish(clone, 0, NEW_LOCK)
    assert result.returncode == 0, result.stdout + result.stderr
    log = git(tmp_path / "server.git", "log", "--format=%s", "main").splitlines()
    assert log[:2] == ["Cập nhật sổ địa chỉ [skip ci]", "Tin của đơn vị khác"]
