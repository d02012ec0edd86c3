"""Tasks of the portal: `python3 tasks.py <task>` bootstraps `.venv` first,
then runs the task with invoke (`invoke --list` shows them all)."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".portal-deps"
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
PORT = 8000
# Where `build --keep-going` and `publish` list every problem (outside the output; .gitignore has it).
REPORT = ROOT / "bao-cao-loi.txt"


def bootstrap() -> None:
    """Create `.venv` with the pinned dependencies when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not VENV_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


if __name__ == "__main__":
    bootstrap()
    os.chdir(ROOT)
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), "-m", "invoke", *sys.argv[1:]])

from invoke import Exit, task  # noqa: E402


# Seconds a build waits for another one using the same output or cache (plugins.publishing.lock.WAIT).
BUILD_WAIT = 600
# Exit code of a build that published the site with some files at fault (plugins.publishing.build.PUBLISHED_WITH_PROBLEMS).
PUBLISHED_WITH_PROBLEMS = 3


KEEP_GOING_HELP = ("publish every item without errors: a broken edit of a published article keeps its last good "
                   "version, a new broken item is left out; only errors in units.yml, campaigns.yml, sections.yml "
                   "stop it; exit with code 3 when anything has errors")
REPORT_HELP = f"file listing every problem (default with --keep-going: {REPORT.name}; never inside the output)"


@task(help={"content": "content folder", "output": "output folder", "publish": "use publishconf.py",
            "drafts": "show drafts without errors as if published (local previews only)",
            "wait": f"seconds to wait while another build uses the same output or cache (default {BUILD_WAIT}); "
                    "then exit with code 75",
            "keep_going": KEEP_GOING_HELP, "report": REPORT_HELP})
def build(c, content=str(CONTENT), output=str(OUTPUT), publish=False, drafts=False, wait=BUILD_WAIT, keep_going=False,
          report=""):
    """Build the portal from a content folder; a failed build keeps the old output."""
    errors = _build(content, output, publish, drafts, wait, keep_going, report)
    if errors:
        raise Exit(f"Đã đăng, còn lỗi: {errors} lỗi; các bài có lỗi không được đăng hoặc giữ bản đã đăng trước.",
                   code=PUBLISHED_WITH_PROBLEMS)


def _build(content, output, publish, drafts, wait, keep_going, report) -> int:
    """Run one build and say what it found; the errors it published with (only with keep_going)."""
    sys.path.insert(0, str(ROOT))
    from pelican.log import init as init_logging

    from plugins.publishing.build import (EXIT_CODE, BuildFailed, BuildLocked, build as run_build, errors_of,
                                          report_refused, write_report)

    report = Path(report) if report else (REPORT if keep_going else None)
    refused = report_refused(report, Path(content), Path(output)) if report else ""
    if refused:
        raise Exit(refused, code=1)
    init_logging(level=30)
    contract = {**({"preview_drafts": True} if drafts and not publish else {}), **({"keep_going": True} if keep_going else {})}
    try:
        result = run_build(Path(content), Path(output), PUBLISH_SETTINGS if publish else SETTINGS,
                           {"PORTAL_CONTRACT": contract} if contract else None, float(wait))
    except BuildFailed as exc:
        if report:
            write_report(report, exc.problems, "" if exc.problems else str(exc))
        raise Exit(f"{exc}\nBuild thất bại: website cũ trong {output} được giữ nguyên.", code=1) from None
    except BuildLocked as exc:
        raise Exit(f"{exc}\nWebsite cũ trong {output} được giữ nguyên.", code=EXIT_CODE) from None
    if keep_going or getattr(getattr(result, "settings", None), "keep_going", False):
        for problem in result.problems:
            print(problem)
    print(result.summary())
    if result.images is not None:
        print(result.images.summary())
    print(f"Đã dựng website vào {output}. Xem thử: python3 tasks.py serve (http://localhost:{PORT}/)")
    if report:
        write_report(report, result.problems, result.summary())
        print(f"Danh sách lỗi và cảnh báo: {report}")
    return errors_of(result.problems)


@task(help={"content": "content folder", "year": "year to count", "half": "1 or 2 for a half year",
            "format": "table, csv, json or xlsx", "output": "file to write (default: terminal)",
            "fail_under": "exit non-zero when a unit with a target is behind",
            "keep_going": "count as build --keep-going publishes (a kept last good version counts as published); "
                          "exit with code 3 when the content has errors"})
def report(c, year, content=str(CONTENT), half=None, format="table", output=None, fail_under=False, keep_going=False):
    """Count each unit's published articles for a year or half year against its target."""
    sys.path.insert(0, str(ROOT))
    from plugins.targets.cli import ReportError, run

    try:
        behind, errors = run(Path(content), int(year), int(half) if half else None, format,
                             Path(output) if output else None, keep_going)
    except ReportError as exc:
        raise Exit(str(exc), code=1) from None
    if errors:
        raise Exit(f"Báo cáo đã lập, nhưng nội dung còn {errors} lỗi.", code=PUBLISHED_WITH_PROBLEMS)
    if fail_under and behind:
        raise Exit(f"{behind} đơn vị chưa đạt chỉ tiêu.", code=2)


PREVIEW_HELP = {"content": "content folder", "output": "output folder", "port": "port on localhost",
                "drafts": "also show drafts (Status: draft) without errors"}


@task(help=PREVIEW_HELP)
def serve(c, content=str(CONTENT), output=str(OUTPUT), port=PORT, drafts=False):
    """Build, serve on http://localhost:PORT/ and rebuild when content, theme, plugins or settings change."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.preview import PreviewError, serve as run_serve

    try:
        run_serve(Path(content), Path(output), int(port), drafts)
    except PreviewError as exc:
        raise Exit(str(exc), code=1) from None


@task(help=PREVIEW_HELP)
def livereload(c, content=str(CONTENT), output=str(OUTPUT), port=PORT, drafts=False):
    """As serve, and the browser reloads the page by itself after each rebuild."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.preview import PreviewError, livereload as run_livereload

    try:
        run_livereload(Path(content), Path(output), int(port), drafts)
    except PreviewError as exc:
        raise Exit(str(exc), code=1) from None


@task(help={"unit": "unit id from units.yml", "title": "the article's title", "campaign": "campaign id(s), comma-separated",
            "type": "tin, bai, phong-su, anh, video or infographic", "category": "section id or name (default: the first)",
            "slug": "end of the address (default: from the title)", "content": "content folder"})
def new(c, unit, title, campaign="", type="tin", category="", slug="", content=str(CONTENT)):
    """Create a new article as a draft, named and headed as the editors' guide says."""
    sys.path.insert(0, str(ROOT))
    from plugins.tools.new import NewArticleError, create, shown

    try:
        made = create(Path(content), unit, title, campaigns=campaign, content_type=type, category=category, slug=slug)
    except NewArticleError as exc:
        raise Exit(f"Không tạo bài mới:\n{exc}", code=1) from None
    for warning in made.warnings:
        print(f"cảnh báo: {warning.message}")
    print(f"Đã tạo bản nháp: {shown(made.path)}\n"
          "Việc tiếp theo:\n"
          "  1. Mở tệp, viết nội dung dưới phần đầu; điền Summary (sa-pô), Author, Tags. Ảnh đại diện: chép ảnh vào\n"
          "     content/images/ rồi điền Image, ImageAlt (mô tả ảnh) và ImageCaption (chú thích, “Ảnh: …”).\n"
          "  2. Xem thử cả bản nháp: python3 tasks.py livereload --drafts → http://localhost:8000/\n"
          "  3. Kiểm tra: python3 tasks.py check\n"
          "  4. Khi bài đã xong: sửa dòng “Status: draft” thành “Status: published” (sửa cả Date nếu cần), "
          "kiểm tra lại rồi commit.")


# What `check` learnt about each file, reused while the file, the registries and the code are unchanged.
CHECK_CACHE = ROOT / ".cache" / "check"


@task(help={"content": "content folder",
            "fresh": "read and check every file again, ignoring (and then replacing) the saved results",
            "keep_going": "check as build --keep-going builds: say what it would keep or leave out; exit with code 3 "
                          "when it would publish with errors"})
def check(c, content=str(CONTENT), fresh=False, keep_going=False):
    """Check the content as the build does, without building: every problem as path:line."""
    import shutil

    sys.path.insert(0, str(ROOT))
    from plugins.contract import dates
    from plugins.tools.check import check as run_check
    from plugins.tools.check_cache import folder_for

    if not Path(content).is_dir():
        raise Exit(f"Không tìm thấy thư mục nội dung {content}.", code=1)
    if fresh:
        shutil.rmtree(folder_for(CHECK_CACHE, Path(content).resolve()), ignore_errors=True)
    findings = run_check(Path(content), dates.now(), cache=CHECK_CACHE, keep_going=keep_going)
    for problem in findings.problems:
        print(problem)
    print(findings.summary(), flush=True)
    if findings.errors:
        raise Exit(code=PUBLISHED_WITH_PROBLEMS if findings.keep_going and not findings.blocking else 1)


@task(help={"target": "rsync destination, e.g. user@host:/var/www/site", "branch": "commit the site to this branch, e.g. gh-pages",
            "content": "content folder", "output": "output folder", "repo": "git repository for --branch (default: this one)",
            "wait": f"seconds to wait while another build uses the same output or cache (default {BUILD_WAIT})",
            "keep_going": KEEP_GOING_HELP + " (on by default; --no-keep-going: publish nothing if any file has errors)",
            "report": REPORT_HELP})
def publish(c, target="", branch="", content=str(CONTENT), output=str(OUTPUT), repo=str(ROOT), wait=BUILD_WAIT,
            keep_going=True, report=""):
    """Build the public site (publishconf.py), pre-compress it (.gz, .br) and deploy it by rsync and/or to a branch."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.build import EXIT_CODE, BuildLocked, holding_output

    if not os.environ.get("PORTAL_SITEURL"):
        raise Exit("Chưa đặt địa chỉ website: hãy chạy PORTAL_SITEURL=https://ten-mien-cua-ban python3 tasks.py publish …",
                   code=1)
    # The output stays locked until it is deployed, so no other build can switch it in between.
    try:
        with holding_output(Path(output), float(wait)):
            errors = _build_and_deploy(c, target, branch, content, output, repo, wait, keep_going, report)
    except BuildLocked as exc:
        raise Exit(f"{exc}\nKhông xuất bản.", code=EXIT_CODE) from None
    if errors:
        raise Exit(f"Đã xuất bản, còn lỗi: {errors} lỗi; các bài có lỗi không được đăng hoặc giữ bản đã đăng trước.",
                   code=PUBLISHED_WITH_PROBLEMS)


def _build_and_deploy(c, target, branch, content, output, repo, wait, keep_going, report) -> int:
    from plugins.contract import dates
    from plugins.publishing import deploy

    try:
        errors = _build(content, output, True, False, wait, keep_going, report)
    except Exit as exc:
        raise Exit(f"{exc.message}\nKhông xuất bản vì dựng website không thành công.", code=exc.code) from None
    print(deploy.compress(Path(output)).summary())
    try:
        if target:
            deploy.rsync(Path(output), target)
            print(f"Đã chép website lên {target}.")
        if branch:
            commit = deploy.commit_to_branch(Path(repo), Path(output), branch, deploy.publish_message(Path(repo), dates.now()))
            if commit is None:
                print(f"Nhánh {branch} đã có đúng website này; không tạo commit mới.")
            else:
                print(f"Đã commit website vào nhánh {branch} ({commit[:7]}). Đẩy lên máy chủ: git push origin {branch}")
    except deploy.DeployError as exc:
        raise Exit(f"Không xuất bản được: {exc}", code=1) from None
    if not (target or branch):
        print(f"Website công khai đã sẵn sàng trong {output}; thêm --target hoặc --branch để đưa lên máy chủ.")
    urls(c, content=content)
    return errors


@task(help={"content": "content folder",
            "nginx": "print the nginx include answering 410 at removed articles' URLs instead of writing the record"})
def urls(c, content=str(CONTENT), nginx=False):
    """Bring content/urls.lock (every article URL ever published) up to date; CI runs it on the main branch."""
    sys.path.insert(0, str(ROOT))
    from plugins.contract import dates
    from plugins.publishing.record import RecordError, nginx_removed, update

    try:
        result = update(Path(content), dates.now(), write=not nginx)
    except RecordError as exc:
        raise Exit(str(exc), code=1) from None
    if nginx:
        sys.stdout.write(nginx_removed(result.removed))
    else:
        print(result.summary())


@task(help={"k": "only tests matching this expression"})
def test(c, k=""):
    """Run the whole test suite."""
    selector = f" -k {k!r}" if k else ""
    c.run(f"{VENV_PYTHON} -m pytest{selector}", pty=False)


@task(help={"examples": "generated inputs per reader"})
def fuzz(c, examples=5000):
    """Fuzz the header, date, registry and Markdown readers with many new generated inputs (not seeded)."""
    env = {"PORTAL_FUZZ_PROFILE": "deep", "PORTAL_FUZZ_EXAMPLES": str(int(examples))}
    c.run(f"{VENV_PYTHON} -m pytest -q tests/test_fuzz.py", pty=False, env=env)


@task(help={"photos": "number of generated 3000×2000 photos (at least 300)", "runs": "runs per measurement (median)"})
def bench_images(c, photos=300, runs=3):
    """Benchmark the image pipeline: cards/s and derivatives/s cold (one process vs all cores), and a no-op rebuild."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_images", ROOT / "tests" / "bench_images.py")
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(int(photos), int(runs))


@task(help={"articles": "corpus sizes, comma-separated (e.g. 1000,5000,20000)",
            "runs": "runs per measurement (median; one run above 5000 articles)",
            "others": "also build with stock Pelican and Hugo (--no-others: the portal only)",
            "profile": "profile one portal build by phase (--no-profile to skip)",
            "check": "time tasks.py check and the pre-commit hook (--no-check to skip)",
            "serve": "time a saved edit on the preview server at 1000 articles (--no-serve to skip)",
            "docs": "the report to write (default docs/benchmarks.md)"})
def bench(c, articles="1000,5000", runs=3, others=True, profile=True, check=True, serve=True, docs=""):
    """Benchmark whole builds (cold, no-op, edit one, add one) against stock Pelican and Hugo, with memory per
    process kind, the search step, check, the pre-commit hook and the preview server; writes docs/benchmarks.md."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "tests" / "bench_build.py")
    bench_build = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_build)
    sizes = [int(size) for size in str(articles).split(",") if size.strip()]
    bench_build.main(sizes, int(runs), others=others, profile=profile, docs=Path(docs) if docs else bench_build.DOCS_FILE,
                     check=check, serve_articles=bench_build.SERVE_ARTICLES if serve else None)
