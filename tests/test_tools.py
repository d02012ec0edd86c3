"""Editors' tools: `invoke new`, `invoke check` (the build's checks without the
build), the preview's rebuild, publishing (pre-compression, rsync, a gh-pages
branch) and the pre-commit hook."""

from __future__ import annotations

import brotli
import gzip
import io
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from PIL import Image

from support import NOW, ROOT, epoch
from plugins.tools.check import check
from plugins.tools.new import NewArticleError, create, plan
from plugins.publishing import deploy
from plugins.publishing.preview import Preview, changes, ignored, snapshot

GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}
TITLE = "Công đoàn ngành Giáo dục trao quà cho giáo viên vùng cao"
SLUG = "cong-doan-nganh-giao-duc-trao-qua-cho-giao-vien-vung-cao"


def invoke(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), **(env or {})})


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "GIF")
    return out.getvalue()


# invoke new


def test_new_writes_a_named_draft_that_checks_and_builds_clean(site):
    made = create(site.content, "cd-giao-duc", f"  {TITLE} ", NOW, campaigns="", content_type="phong-su")
    assert made.rel == f"articles/2026/2026-11-22-{SLUG}.md"
    text = made.path.read_text(encoding="utf-8")
    assert text.splitlines()[:16] == [
        f"Title: {TITLE}", "Date: 22/11/2026 09:00", "Unit: cd-giao-duc", f"Slug: {SLUG}",
        "Category: tin-hoat-dong", "Campaigns:", "Tags:", "Type: phong-su", "Author:", "Image:", "ImageAlt:",
        "ImageCaption:", "ImageCredit:", "Summary:", "Status: draft", ""]
    assert check(site.content, NOW).problems == []

    built = site.build()
    assert built.drafts and built.drafts[0].relative_source_path == made.rel
    assert not site.exists(f"/2026/11/{SLUG}/")
    site.build(PORTAL_CONTRACT={"preview_drafts": True})  # what `serve --drafts` shows
    assert site.exists(f"/2026/11/{SLUG}/")

    made.path.write_text(text.replace("Status: draft", "Status: published")
                         .replace("<!--", "Giáo viên vùng cao nhận quà.\n\n<!--"), encoding="utf-8")
    assert check(site.content, NOW).problems == []
    site.build()
    page = site.html(f"/2026/11/{SLUG}/")
    assert page.find("h1").get_text(strip=True) == TITLE
    assert "Viết nội dung" not in page.get_text()  # the hint is an HTML comment, never shown


def test_new_slug_is_cut_between_words():
    made = plan(ROOT / "tests/fixtures/basic", "cd-giao-duc",
                "Công đoàn ngành Giáo dục tổ chức hội thi giáo viên dạy giỏi cấp tỉnh năm học 2025–2026 tại Hà Sơn", NOW)
    slug = made.rel.rsplit("/", 1)[1][len("2026-11-22-"):-3]
    assert slug == "cong-doan-nganh-giao-duc-to-chuc-hoi-thi-giao-vien-day-gioi-cap-tinh"
    assert len(slug) <= 70


@pytest.mark.parametrize("options, needle", [
    ({"unit": "cd-giao-duk"}, "đơn vị 'cd-giao-duk' không có trong units.yml. Có phải ý bạn là 'cd-giao-duc'?"),
    ({"campaigns": "thang-cong-nhan-2042"}, "chiến dịch 'thang-cong-nhan-2042' không có trong campaigns.yml. Có phải ý bạn là 'thang-cong-nhan-2024'?"),
    ({"content_type": "phongsu"}, "loại tin 'phongsu' không hợp lệ. Có phải ý bạn là 'phong-su'?"),
    ({"unit": "ldld-huyen-cu"}, "nằm ngoài thời gian hoạt động của đơn vị 'ldld-huyen-cu'"),
    ({"title": "  "}, "thiếu tiêu đề"),
])
def test_new_refuses_what_the_contract_refuses(site, options, needle):
    options = {"unit": "cd-giao-duc", "title": TITLE, **options}
    with pytest.raises(NewArticleError) as info:
        create(site.content, options.pop("unit"), options.pop("title"), NOW, **options)
    assert needle in str(info.value)
    assert not (site.content / "articles/2026").exists()


def test_new_never_overwrites_and_the_command_line_says_so(site):
    made = create(site.content, "cd-giao-duc", TITLE, NOW)
    made.path.write_text(made.path.read_text(encoding="utf-8") + "Bài đang viết dở.\n", encoding="utf-8")
    before = made.path.read_bytes()
    result = invoke("new", "--unit", "cd-giao-duc", "--title", TITLE, "--content", str(site.content))
    assert result.returncode == 1
    assert "đã có; không ghi đè" in result.stderr
    assert made.path.read_bytes() == before

    result = invoke("new", "--unit", "cd-giao-duk", "--title", "Tin khác", "--content", str(site.content))
    assert result.returncode == 1 and "Có phải ý bạn là 'cd-giao-duc'?" in result.stderr
    assert "Traceback" not in result.stderr

    result = invoke("new", "--unit", "cd-giao-duc", "--title", "Tin khác", "--campaign", "thang-cong-nhan-2024",
                    "--content", str(site.content))
    assert result.returncode == 0, result.stderr
    assert "Đã tạo bản nháp:" in result.stdout and "articles/2026/2026-11-22-tin-khac.md" in result.stdout
    assert "Status: draft" in result.stdout and "Status: published" in result.stdout
    assert "cảnh báo: bài gắn chiến dịch 'thang-cong-nhan-2024'" in result.stdout  # outside the campaign: a warning only


# invoke check


def test_check_is_clean_on_the_sample_content():
    started = time.monotonic()
    result = invoke("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("Không có lỗi: ")
    assert time.monotonic() - started < 30  # seconds; about 1 s on the development machine


def broken(site, case: str) -> None:
    if case == "unknown unit":
        site.article("2024/don-vi.md", {**GOOD, "Unit": "ban-tuyen-giao-tinh"})
    elif case == "bad date":
        site.article("2024/ngay.md", {**GOOD, "Date": "30/2/2024"})
    elif case == "missing image":
        site.article("2024/anh-thieu.md", {**GOOD, "Image": "images/cover.jpeg"}, "Mở đầu.\n\n![Ảnh](images/khong-co.jpg)\n")
    elif case == "gif named .jpg":
        site.write("images/dong.jpg", gif_bytes())
        site.article("2024/gif.md", {**GOOD, "Image": "images/dong.jpg"}, "Mở đầu.\n\n![Ảnh động](images/dong.jpg \"Ảnh: A\")\n")
    elif case == "duplicate alias":
        site.article("2024/cu-1.md", {**GOOD, "Title": "Bài cũ một", "Aliases": "/tin-tuc/bai-cu.html"})
        site.article("2024/cu-2.md", {**GOOD, "Title": "Bài cũ hai", "Date": "2/3/2024", "Aliases": "/tin-tuc/bai-cu.html"})
        site.article("2024/cu-3.md", {**GOOD, "Title": "Bài cũ ba", "Aliases": "/gioi-thieu/"})


CASES = ["unknown unit", "bad date", "missing image", "gif named .jpg", "duplicate alias"]
EXPECTED = {
    "unknown unit": ["articles/2024/don-vi.md:3: lỗi E031: đơn vị 'ban-tuyen-giao-tinh' không có trong units.yml. Có phải ý bạn là 'ban-tuyen-giao'?"],
    "bad date": ["articles/2024/ngay.md:2: lỗi E021: 'Date': ngày '30/2/2024' không tồn tại"],
    "missing image": ["articles/2024/anh-thieu.md:4: lỗi E505: 'Image': không tìm thấy tệp 'images/cover.jpeg'. Có phải ý bạn là 'cover.jpg'?",
                      "articles/2024/anh-thieu.md:8: lỗi E505: không tìm thấy tệp 'images/khong-co.jpg'."],
    "gif named .jpg": ["articles/2024/gif.md:4: lỗi E552: ảnh 'images/dong.jpg': không phải ảnh JPEG, PNG, WebP hay HEIC",
                       "articles/2024/gif.md:8: lỗi E552: ảnh 'images/dong.jpg': không phải ảnh JPEG, PNG, WebP hay HEIC"],
    "duplicate alias": ["articles/2024/cu-2.md:4: lỗi E208: địa chỉ cũ '/tin-tuc/bai-cu.html' đã được dùng bởi articles/2024/cu-1.md",
                        "articles/2024/cu-3.md:4: lỗi E208: địa chỉ cũ '/gioi-thieu/index.html' đã được dùng bởi pages/gioi-thieu.md"],
}


@pytest.mark.parametrize("case", CASES)
def test_check_reports_what_the_build_reports(site, case):
    broken(site, case)
    built = sorted(site.fail().problems)
    checked = check(site.content, NOW).problems
    assert [str(p) for p in checked] == [str(p) for p in built]
    lines = [str(p) for p in checked]
    for expected in EXPECTED[case]:
        assert any(line.startswith(expected) for line in lines), (expected, lines)


def test_check_reports_every_case_at_once_like_the_build_and_exits_non_zero(site):
    for case in CASES:
        broken(site, case)
    site.article("2024/nhap.md", {**GOOD, "Title": "Nháp", "Unit": "chua-co", "Status": "draft"})
    site.article("2024/trung.md", {**GOOD, "Title": "Tin tốt"})  # same address as another: a warning
    built = sorted(site.fail().problems)
    findings = check(site.content, NOW)
    assert findings.problems == built
    assert findings.errors == sum(len(v) for v in EXPECTED.values()) and findings.warnings == 2

    result = invoke("check", "--content", str(site.content))
    assert result.returncode == 1
    printed = result.stdout.strip().splitlines()
    assert printed == [str(p) for p in built] + [
        f"Có {findings.errors} lỗi, 2 cảnh báo ({findings.files} tệp đã kiểm tra). Hãy sửa các lỗi rồi chạy lại."]


def test_check_leaves_drafts_lenient_and_checks_scheduled_photos(site):
    site.write("images/dong.jpg", gif_bytes())
    site.article("2024/nhap.md", {**GOOD, "Title": "Nháp", "Image": "images/dong.jpg", "Status": "draft"})
    site.article("2026/hen-gio.md", {**GOOD, "Title": "Hẹn giờ", "Date": "1/12/2026", "Image": "images/dong.jpg"})
    lines = [str(p) for p in check(site.content, NOW).problems]
    assert lines == [
        "articles/2024/nhap.md:4: cảnh báo E552: (bản nháp) ảnh 'images/dong.jpg': không phải ảnh JPEG, PNG, WebP hay HEIC; hãy lưu lại ảnh ở dạng JPEG",
        "articles/2026/hen-gio.md:4: lỗi E552: ảnh 'images/dong.jpg': không phải ảnh JPEG, PNG, WebP hay HEIC; hãy lưu lại ảnh ở dạng JPEG",
    ]


def test_check_reports_stray_files_symlinks_registries_and_pages_like_the_build(site, tmp_path):
    site.write("articles/2024/quen-duoi.markdown", "Title: X\n")
    os.symlink(site.content / "images/cover.jpg", site.content / "images/lien-ket.jpg")
    site.write("campaigns.yml", "campaigns:\n  - id: a\n    name: A\n    start: 2024-05-31\n    end: 2024-05-01\n")
    site.write("pages/tim-kiem.md", "Title: Tìm\nSlug: tim-kiem\nColor: red\n\nx\n")
    site.article("2024/trung-a.md", {**GOOD, "Slug": "trung"})
    site.article("2024/trung-b.md", {**GOOD, "Slug": "trung"})
    built = sorted(site.fail().problems)
    assert check(site.content, NOW).problems == built
    assert any(str(p).startswith("articles/2024/trung-b.md:4: cảnh báo W204: địa chỉ /2024/03/trung/") for p in built)


def test_the_sample_content_broken_reports_path_line_messages(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    article = next(p for p in sorted((content / "articles").rglob("*.md")) if "Unit: cd-giao-duc\n" in p.read_text(encoding="utf-8"))
    article.write_text(article.read_text(encoding="utf-8").replace("Unit: cd-giao-duc\n", "Unit: cd-giao-duk\n"), encoding="utf-8")
    rel = article.relative_to(content).as_posix()
    line = article.read_text(encoding="utf-8").splitlines().index("Unit: cd-giao-duk") + 1
    result = invoke("check", "--content", str(content))
    assert result.returncode == 1
    assert f"{rel}:{line}: lỗi E031: đơn vị 'cd-giao-duk' không có trong units.yml. Có phải ý bạn là 'cd-giao-duc'?" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Có 1 lỗi, 0 cảnh báo")


# Documentation


def documented_keys(text: str) -> set[str]:
    """Keys named in the first column of a Markdown table: | `Image`, `ImageAlt` | …"""
    import re

    keys = set()
    for line in text.splitlines():
        if line.startswith("| `"):
            keys.update(re.findall(r"`([A-Za-z]+)`", line.split("|")[1]))
    return keys


def test_every_header_key_is_documented_for_editors():
    from plugins.contract import schema

    ARTICLE_KEYS, PAGE_KEYS = schema.names(schema.ARTICLE), schema.names(schema.PAGE)
    assert ARTICLE_KEYS and PAGE_KEYS
    guide = (ROOT / "content/pages/huong-dan-gui-tin-bai.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(ARTICLE_KEYS) <= documented_keys(guide)
    assert set(ARTICLE_KEYS) <= documented_keys(readme)
    assert all(f"`{key}`" in guide for key in PAGE_KEYS)
    for command in ("tasks.py new", "tasks.py check", "tasks.py livereload", "tasks.py serve", "pre-commit install"):
        assert command in guide and command in readme


# Pre-commit


def test_pre_commit_hook_runs_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert (hook["language"], hook["pass_filenames"]) == ("system", False)
    command = shlex.split(hook["entry"])
    assert command == ["python3", "tasks.py", "check", "--staged"]
    result = subprocess.run([sys.executable, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Không có lỗi" in result.stdout


# Preview


def test_preview_rebuilds_on_a_change_and_keeps_the_last_good_site(site):
    site.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    messages = []
    preview = Preview(site.content, site.output, log=messages.append)
    assert preview.build() and (site.output / "index.html").is_file()
    assert preview.poll(settle=0) is None  # nothing changed

    site.article("2024/moi.md", {**GOOD, "Title": "Tin mới đăng", "Slug": "tin-moi"})
    assert preview.poll(settle=0) is True
    assert site.exists("/2024/03/tin-moi/")
    assert any("articles/2024/moi.md" in m for m in messages)

    site.article("2024/loi.md", {**GOOD, "Unit": "khong-co"})
    assert preview.poll(settle=0) is False
    assert site.exists("/2024/03/tin-moi/")  # the last good site is still served
    assert "vẫn đang phục vụ bản dựng tốt gần nhất" in messages[-1]
    (site.content / "articles/2024/loi.md").unlink()
    assert preview.poll(settle=0) is True and preview.failures == 1


def test_livereload_watcher_calls_the_rebuild(site):
    from livereload.watcher import Watcher

    site.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    preview = Preview(site.content, site.output, log=lambda m: None)
    watcher = Watcher()
    watcher.watch(str(site.content), preview.rebuild, ignore=ignored)
    watcher.examine()
    assert preview.builds == 0
    time.sleep(0.05)
    site.article("2024/moi.md", {**GOOD, "Title": "Tin qua livereload", "Slug": "livereload"})
    watcher.examine()
    assert preview.builds == 1 and site.exists("/2024/03/livereload/")


def test_watching_ignores_editor_and_compiled_files(tmp_path):
    (tmp_path / "a.md").write_text("x")
    before = snapshot([tmp_path])
    for name in (".a.md.swp", "a.md~", "#a.md#", "x.pyc"):
        (tmp_path / name).write_text("x")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.cpython-311.pyc").write_text("x")
    assert changes(before, snapshot([tmp_path])) == []
    (tmp_path / "a.md").write_text("xy")
    assert changes(before, snapshot([tmp_path])) == [str(tmp_path / "a.md")]


# Publishing


def text_site(folder: Path) -> None:
    page = "<!doctype html><html lang=vi><title>Trang</title>" + "<p>Công đoàn tỉnh Hà Sơn chăm lo đời sống đoàn viên.</p>" * 200
    files = {"index.html": page, "2024/03/tin/index.html": page.replace("Trang", "Tin"), "theme/css/site.css": "body{margin:0}\n" * 100,
             "theme/js/site.js": "console.log('x');\n" * 50, "sitemap.xml": "<urlset>" + "<url>x</url>" * 100 + "</urlset>",
             "thong-ke.json": '{"a": 1}' * 100, "robots.txt": "a", "logo.svg": "<svg>" + "<g/>" * 100 + "</svg>",
             "site.webmanifest": '{"name": "Cổng thông tin"}' + " " * 300}
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 80, 160)).save(out, "JPEG")
    (folder / "images").mkdir()
    (folder / "images/anh-800.abc.jpg").write_bytes(out.getvalue())
    (folder / "files").mkdir()
    (folder / "files/ke-hoach.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2000))


def test_compression_round_trips_skips_binaries_and_is_reproducible(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    text_site(one)
    shutil.copytree(one, two)
    os.utime(two / "index.html", (1, 1))  # a different modification time must not change the .gz

    stats = deploy.compress(one)
    deploy.compress(two, workers=1)
    assert stats.files == 9
    for path in deploy.compressible(one):
        original = path.read_bytes()
        gz, br = Path(f"{path}.gz"), Path(f"{path}.br")
        if path.name == "robots.txt":  # one byte: compressing would not save anything
            assert not gz.exists() and not br.exists()
            continue
        assert gzip.decompress(gz.read_bytes()) == original
        assert brotli.decompress(br.read_bytes()) == original
        assert len(br.read_bytes()) < len(original) and len(gz.read_bytes()) < len(original)
        twin = two / path.relative_to(one)
        assert Path(f"{twin}.gz").read_bytes() == gz.read_bytes() and Path(f"{twin}.br").read_bytes() == br.read_bytes()
    assert sorted(p.name for p in (one / "images").iterdir()) == ["anh-800.abc.jpg"]
    assert sorted(p.name for p in (one / "files").iterdir()) == ["ke-hoach.pdf"]
    assert stats.written == 16 and stats.smallest < stats.original / 5
    again = {p: p.read_bytes() for p in one.rglob("*.gz")}
    deploy.compress(one)
    assert {p: p.read_bytes() for p in one.rglob("*.gz")} == again  # running twice changes nothing


def test_rsync_mirrors_the_site_to_a_folder(tmp_path):
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed on this machine (CI installs it)")
    output, target = tmp_path / "output", tmp_path / "www" / "site"
    text_site(output)
    os.chmod(output / "images/anh-800.abc.jpg", 0o600)  # as the image store writes them
    target.parent.mkdir()
    (target).mkdir()
    (target / "cu.html").write_text("trang cũ")
    deploy.compress(output)
    deploy.rsync(output, str(target))
    mirrored = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert mirrored == sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert (target / "index.html.br").read_bytes() == (output / "index.html.br").read_bytes()
    assert not (target / "cu.html").exists()  # --delete
    assert (target / "images/anh-800.abc.jpg").stat().st_mode & 0o777 == 0o644


def test_rsync_refuses_clearly_without_rsync(tmp_path, monkeypatch):
    monkeypatch.setattr(deploy.shutil, "which", lambda name: None)
    with pytest.raises(deploy.DeployError, match="chưa có rsync"):
        deploy.rsync(tmp_path, str(tmp_path / "x"))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Biên tập viên")
    git(repo, "config", "user.email", "btv@example.vn")
    (repo / "README.md").write_text("kho\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "đầu tiên")
    (repo / "dang-sua.md").write_text("chưa commit\n")
    return repo


def test_commit_to_branch_leaves_the_working_tree_alone(repo, tmp_path):
    output = tmp_path / "output"
    text_site(output)
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")

    first = deploy.commit_to_branch(repo, output, "gh-pages", "Xuất bản lần 1")
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert sorted(files) == sorted([".nojekyll", *(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())])
    assert git(repo, "show", "gh-pages:index.html") == (output / "index.html").read_text(encoding="utf-8")
    assert (git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")) == (head, status)
    assert git(repo, "symbolic-ref", "HEAD") == "refs/heads/main"

    assert deploy.commit_to_branch(repo, output, "gh-pages", "Xuất bản lần 2") is None  # nothing changed
    (output / "robots.txt").unlink()
    second = deploy.commit_to_branch(repo, output, "gh-pages", "Xuất bản lần 3")
    assert git(repo, "rev-parse", "gh-pages^") == first and git(repo, "rev-parse", "gh-pages") == second
    assert "robots.txt" not in git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert git(repo, "log", "-1", "--format=%s", "gh-pages") == "Xuất bản lần 3"

    with pytest.raises(deploy.DeployError, match="đang được mở"):
        deploy.commit_to_branch(repo, output, "main", "x")
    with pytest.raises(deploy.DeployError, match="không hợp lệ"):
        deploy.commit_to_branch(repo, output, "a..b", "x")


PUBLISH = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
import tasks
from invoke import Context, Exit
tasks.PUBLISH_SETTINGS = Path({settings!r})
try:
    tasks.publish(Context(), branch="gh-pages", content={content!r}, output={output!r}, repo={repo!r},
                  report={report!r}, keep_going={keep_going!r})
except Exit as exc:
    print(exc.message, file=sys.stderr)
    sys.exit(exc.code)
"""


def run_publish(site, repo: Path, tmp_path: Path, siteurl: str = "https://congdoan.example.vn",
                keep_going: bool = True) -> subprocess.CompletedProcess:
    settings = tmp_path / "publishconf_test.py"
    settings.write_text(f"from publishconf import *\nPORTAL_TARGETS = {{'board_output': {str(tmp_path / 'board')!r}}}\n",
                        encoding="utf-8")
    script = PUBLISH.format(root=str(ROOT), settings=str(settings), content=str(site.content), output=str(site.output),
                            repo=str(repo), report=str(tmp_path / "bao-cao-loi.txt"), keep_going=keep_going)
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), "PORTAL_SITEURL": siteurl, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env)


def test_publish_builds_compresses_and_commits_the_public_site(site, repo, tmp_path):
    result = run_publish(site, repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nén sẵn:" in result.stdout and "Đã commit website vào nhánh gh-pages" in result.stdout
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and "index.html.br" in files and "index.html.gz" in files
    assert not any(f.endswith((".jpg.gz", ".jpg.br", ".webp.br", ".pdf.gz")) for f in files)
    assert "https://congdoan.example.vn/" in git(repo, "show", "gh-pages:index.html")
    assert gzip.decompress((site.output / "index.html.gz").read_bytes()) == (site.output / "index.html").read_bytes()


def test_publish_keeps_going_by_default_deploys_and_then_exits_3(site, repo, tmp_path):
    site.article("2024/loi.md", {**GOOD, "Unit": "khong-co"})
    result = run_publish(site, repo, tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "articles/2024/loi.md:3: lỗi" in result.stdout
    assert "Đã commit website vào nhánh gh-pages" in result.stdout and "Đã xuất bản, còn lỗi: 1 lỗi" in result.stderr
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and not any("tin-tot" in f for f in files)
    assert "articles/2024/loi.md:3: lỗi" in (tmp_path / "bao-cao-loi.txt").read_text(encoding="utf-8")


def test_publish_refuses_when_the_build_fails(site, repo, tmp_path):
    site.article("2024/loi.md", {**GOOD, "Unit": "khong-co"})
    result = run_publish(site, repo, tmp_path, keep_going=False)
    assert result.returncode == 1
    assert "articles/2024/loi.md:3: lỗi E031:" in result.stdout + result.stderr
    assert "Không xuất bản" in result.stderr
    assert subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "-q", "gh-pages"]).returncode != 0


def test_publish_needs_the_site_address(site, repo, tmp_path):
    result = run_publish(site, repo, tmp_path, siteurl="")
    assert result.returncode == 1 and "PORTAL_SITEURL" in result.stderr
    assert not site.output.exists()
