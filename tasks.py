"""Tasks of the portal: `python3 tasks.py <task>` bootstraps `.venv` first,
then runs the task inside it (`python3 tasks.py --list` shows them all).

The part above the invoke import runs on whatever Python the editor has, so it
keeps to the standard library and to syntax every Python 3 reads: a Python that
is too old or too new gets a message, not a traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".portal-deps"
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
PORT = 8000
# Where `build --keep-going` and `publish` list every problem (outside the output; .gitignore has it).
REPORT = ROOT / "bao-cao-loi.txt"
# The oldest and newest Python pyproject.toml's requires-python allows (tests/test_setup.py keeps them equal).
PYTHONS = ((3, 11), (3, 13))
# The preview's port, handed to the builds it runs (plugins.publishing.preview.PORT_VARIABLE).
PREVIEW_PORT = "PORTAL_PREVIEW_PORT"


class SetupError(Exception):
    """`.venv` cannot be made; the message is for the editor."""


def venv_python(venv: Path = VENV, windows: bool | None = None) -> Path:
    """The interpreter of a virtual environment: Scripts\\python.exe on Windows, bin/python elsewhere."""
    windows = os.name == "nt" if windows is None else windows
    return venv / "Scripts" / "python.exe" if windows else venv / "bin" / "python"


def version_problem(version: tuple = tuple(sys.version_info), executable: str = sys.executable) -> str | None:
    """Why this Python cannot run the portal, or None."""
    (low_major, low_minor), (high_major, high_minor) = PYTHONS
    if (low_major, low_minor) <= tuple(version[:2]) <= (high_major, high_minor):
        return None
    names = ", ".join(f"{low_major}.{minor}" for minor in range(low_minor, high_minor + 1))
    example = f"py -{low_major}.{high_minor} tasks.py" if os.name == "nt" else f"python{low_major}.{low_minor} tasks.py"
    return (f"Cần Python {low_major}.{low_minor} đến {high_major}.{high_minor}, nhưng lệnh đang chạy bằng Python "
            f"{'.'.join(str(part) for part in version[:3])} ({executable}). Hãy cài một trong các bản {names} "
            f"rồi chạy lại bằng bản đó, ví dụ: {example} build")


def in_venv() -> bool:
    """True when this process is `.venv`'s own Python (no bootstrap then)."""
    try:
        return Path(sys.prefix).resolve() == VENV.resolve()
    except OSError:
        return False


def bootstrap() -> None:
    """Create `.venv` with the pinned dependencies when pyproject.toml changed.

    A `.venv` this run could not finish (no venv module, pip failing) is removed,
    so the next run starts clean instead of tripping over it."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    finished_before = STAMP.exists()
    try:
        if not venv_python().exists():
            _run([sys.executable, "-m", "venv", str(VENV)], venv_failed())
        pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        _run([*pip, "--editable", f"{ROOT}[test]"], pip_failed())
        STAMP.write_text(wanted)
    except SetupError as exc:
        raise SetupError(f"{exc}\n{_clean_up(finished_before)}") from None


def _run(command: list[str], failure: str) -> None:
    try:
        result = subprocess.run(command)
    except OSError as exc:
        raise SetupError(f"{failure} ({exc})") from None
    if result.returncode != 0:
        raise SetupError(failure)


def venv_failed() -> str:
    hint = (f"Trên Debian/Ubuntu hãy cài gói python3-venv (sudo apt install python3.{sys.version_info[1]}-venv)"
            if os.name != "nt" else "Hãy cài lại Python từ python.org (đánh dấu “pip” khi cài)")
    return f"Không tạo được môi trường Python trong {VENV} (xem thông báo ở trên). {hint}, rồi chạy lại lệnh."


def pip_failed() -> str:
    return ("Không cài được các thư viện ghim trong pyproject.toml (pip báo lỗi ở trên). Hãy kiểm tra kết nối "
            "Internet (hoặc máy chủ PyPI nội bộ), rồi chạy lại lệnh.")


def _clean_up(finished_before: bool) -> str:
    """Remove a `.venv` no run ever finished; keep one a run finished before (only its update failed)."""
    if finished_before:
        return f"Thư mục {VENV} cũ được giữ nguyên; lần chạy sau sẽ cài lại."
    if VENV.is_symlink() or not VENV.exists():
        return ""
    shutil.rmtree(VENV, ignore_errors=True)
    return f"Đã xóa thư mục {VENV} còn dở; lần chạy sau sẽ tạo lại từ đầu."


# What git hands a hook to find the repository and the index being committed (`git commit -a`
# commits a temporary index), relative to the folder the hook started in.
GIT_PATHS = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")


def enter_root() -> None:
    """Work from the repository's folder, as the tasks' defaults and relative paths expect;
    git's paths are made absolute first so they still point where git meant."""
    for name in GIT_PATHS:
        if os.environ.get(name):
            os.environ[name] = os.path.abspath(os.environ[name])
    os.chdir(ROOT)


def relaunch(arguments: list[str]) -> int:
    """Run `tasks.py` again with `.venv`'s Python. os.execv replaces this process on POSIX;
    on Windows it would start a new one and return at once, so the task runs as a child there."""
    command = [str(venv_python()), str(ROOT / "tasks.py"), *arguments]
    enter_root()
    if os.name == "nt":
        try:
            # UTF-8 mode: Vietnamese messages survive a console or a pipe in a legacy code page.
            return subprocess.run(command, env={**os.environ, "PYTHONUTF8": "1"}).returncode
        except KeyboardInterrupt:
            return 130
    os.execv(command[0], command)
    return 1  # not reached


if __name__ == "__main__" and not in_venv():
    problem = version_problem()
    if problem:
        sys.exit(problem)
    try:
        bootstrap()
    except SetupError as exc:
        sys.exit(str(exc))
    sys.exit(relaunch(sys.argv[1:]))

from invoke import Exit, task  # noqa: E402


# Seconds a build waits for another one using the same output or cache (plugins.publishing.lock.WAIT).
BUILD_WAIT = 600
# Exit code of a build that published the site with some files at fault (plugins.publishing.build.PUBLISHED_WITH_PROBLEMS).
PUBLISHED_WITH_PROBLEMS = 3


KEEP_GOING_HELP = ("đăng mọi tin bài không có lỗi: bài đã đăng mà bản sửa có lỗi thì giữ bản đã đăng trước, bài mới có "
                   "lỗi thì chưa đăng; chỉ lỗi trong units.yml, campaigns.yml, sections.yml mới dừng bản dựng; còn lỗi "
                   "thì kết thúc với mã thoát 3")
REPORT_HELP = f"tệp ghi mọi lỗi và cảnh báo (mặc định khi có --keep-going: {REPORT.name}; không bao giờ trong thư mục đầu ra)"


@task(help={"content": "thư mục nội dung (mặc định content/)", "output": "thư mục đầu ra (mặc định output/)",
            "publish": "dựng bản công khai với publishconf.py",
            "drafts": "hiện bản nháp không có lỗi như bài đã đăng (chỉ để xem thử trên máy mình)",
            "wait": f"số giây chờ khi một lần dựng khác đang dùng cùng thư mục đầu ra hay bộ nhớ đệm "
                    f"(mặc định {BUILD_WAIT}); hết giờ thì dừng với mã thoát 75",
            "keep_going": KEEP_GOING_HELP, "report": REPORT_HELP})
def build(c, content=str(CONTENT), output=str(OUTPUT), publish=False, drafts=False, wait=BUILD_WAIT, keep_going=False,
          report=""):
    """Dựng website từ thư mục nội dung; dựng không thành công thì website cũ được giữ nguyên."""
    errors = _build(content, output, publish, drafts, wait, keep_going, report)
    if errors:
        raise Exit(f"Đã đăng, còn lỗi: {errors} lỗi; các bài có lỗi không được đăng hoặc giữ bản đã đăng trước.",
                   code=PUBLISHED_WITH_PROBLEMS)


def _build(content, output, publish, drafts, wait, keep_going, report) -> int:
    """Run one build and say what it found; the errors it published with (only with keep_going)."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.build import (EXIT_CODE, BuildFailed, BuildLocked, build as run_build, errors_of,
                                          report_refused, write_report)
    from plugins.tools.command_line import init_logging

    report = Path(report) if report else (REPORT if keep_going else None)
    refused = report_refused(report, Path(content), Path(output)) if report else ""
    if refused:
        raise Exit(refused, code=1)
    init_logging()
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
    if os.environ.get(PREVIEW_PORT):
        print(f"Đã dựng website vào {output}.")  # the preview announces its own address
    else:
        print(f"Đã dựng website vào {output}. Xem thử: python3 tasks.py serve (http://localhost:{PORT}/)")
    if report:
        write_report(report, result.problems, result.summary())
        print(f"Danh sách lỗi và cảnh báo: {report}")
    return errors_of(result.problems)


@task(help={"content": "thư mục nội dung (mặc định content/)", "year": "năm cần đếm, ví dụ 2025",
            "half": "1 hoặc 2: chỉ đếm 6 tháng đầu hoặc cuối năm", "format": "table, csv, json, xlsx hoặc docx (báo cáo gửi cấp trên, lời văn theo content/mau-van-ban/bao-cao.yml)",
            "output": "tệp để ghi báo cáo (mặc định: in ra màn hình)",
            "fail_under": "dừng với mã thoát khác 0 khi có đơn vị chưa đạt chỉ tiêu",
            "keep_going": "đếm như bản dựng --keep-going đăng (bản đã đăng trước được giữ tính là đã đăng); "
                          "nội dung còn lỗi thì dừng với mã thoát 3"})
def report(c, year, content=str(CONTENT), half=None, format="table", output=None, fail_under=False, keep_going=False):
    """Đếm tin bài đã đăng của từng đơn vị trong một năm hoặc 6 tháng, so với chỉ tiêu."""
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


# --- Royalties (nhuận bút): the payment list per author (plugins/royalties) ---
@task(help={"content": "thư mục nội dung (mặc định content/)", "month": "tháng, ví dụ 2025-05",
            "quarter": "quý, ví dụ 2025-2", "year": "năm, ví dụ 2025",
            "format": "table, csv, xlsx hoặc docx (danh sách ký nhận)",
            "output": "tệp để ghi danh sách (mặc định: in ra màn hình; xlsx và docx cần tệp)",
            "keep_going": "tính như bản dựng --keep-going đăng (bản đã đăng trước được giữ tính là đã đăng); "
                          "nội dung còn lỗi thì dừng với mã thoát 3"})
def royalties(c, content=str(CONTENT), month=None, quarter=None, year=None, format="table", output=None,
              keep_going=False):
    """Lập danh sách chi trả nhuận bút theo tác giả cho một tháng, quý hoặc năm."""
    sys.path.insert(0, str(ROOT))
    from plugins.royalties.cli import RoyaltyError, period_of, run

    try:
        errors = run(Path(content), period_of(month, quarter, year), format, Path(output) if output else None,
                     keep_going)
    except RoyaltyError as exc:
        raise Exit(str(exc), code=1) from None
    if errors:
        raise Exit(f"Danh sách đã lập, nhưng nội dung còn {errors} lỗi.", code=PUBLISHED_WITH_PROBLEMS)
# --- end of royalties ---


# --- Import: a federation's old website (WordPress export or RSS) into the content folder (plugins/importer) ---
# The mapping of old categories and authors to units, and the report of what could not be carried.
IMPORT_MAP = ROOT / "import-map.yml"
IMPORT_REPORT = ROOT / "bao-cao-nhap.txt"


IMPORT_HELP = {"file": "tệp xuất của website cũ (export.xml) hoặc tệp RSS",
               "from": "wordpress (tệp xuất WXR: Công cụ → Xuất) hoặc rss (tệp nguồn tin RSS 2.0)",
               "uploads": "bản chép thư mục wp-content/uploads của website cũ (ảnh, tệp đính kèm)",
               "content": "thư mục nội dung (mặc định content/)",
               "mapping": f"tệp chuyển chuyên mục, tác giả sang đơn vị (mặc định {IMPORT_MAP.name})",
               "default_unit": "mã đơn vị cho các bài mà tệp chuyển đổi chưa gán đơn vị",
               "report": f"tệp ghi những gì không mang sang được (mặc định {IMPORT_REPORT.name})"}


@task(name="import", positional=["file"], help=IMPORT_HELP)
def import_(c, file, from_="wordpress", uploads="", content=str(CONTENT), mapping=str(IMPORT_MAP), default_unit="",
            report=str(IMPORT_REPORT)):
    """Nhập tin bài từ website cũ (tệp xuất WordPress hoặc RSS): bài, trang, ảnh, tệp và địa chỉ cũ."""
    sys.path.insert(0, str(ROOT))
    from plugins.importer.cli import ImportRefused, run, summary

    try:
        outcome = run(from_, Path(file), Path(content), Path(uploads) if uploads else None, Path(mapping),
                      Path(report), default_unit)
    except ImportRefused as exc:
        raise Exit(f"Không nhập bài: {exc}.", code=1) from None
    except OSError as exc:
        raise Exit(f"Không nhập bài: không đọc hoặc ghi được {exc.filename or file} ({exc.strerror}).", code=1) from None
    print(summary(outcome, Path(mapping), Path(report)))
    if outcome.failed:
        raise Exit(code=1)
    if outcome.unmapped and not default_unit:
        raise Exit(code=2)
# --- end of import ---


# --- The statistics page printed to PDF, and the README's pictures of the printed pages. ---

@task(help={"year": "năm của trang thống kê, ví dụ 2025",
            "output": "tệp PDF để ghi (mặc định thong-ke-NĂM.pdf trong thư mục này)",
            "site": "thư mục website đã dựng bằng python3 tasks.py build (mặc định output/)"})
def print_stats(c, year, output="", site=str(OUTPUT)):
    """In trang thống kê một năm của website đã dựng ra tệp PDF khổ A4 ngang (cần trình duyệt Chromium)."""
    sys.path.insert(0, str(ROOT))
    from plugins.tools.print_stats import PrintError, print_stats as run_print

    if not str(year).isdigit():
        raise Exit(f"Năm phải là một số, ví dụ --year 2025 (đã ghi: {year}).", code=1)
    target = Path(output or f"thong-ke-{year}.pdf")
    try:
        run_print(Path(site), int(year), target)
    except PrintError as exc:
        raise Exit(f"Không in được trang thống kê: {exc}.", code=1) from None
    print(f"Đã in trang thống kê năm {year} ra {target}.")


# The README's pictures (docs/images/), made by `report-picture`.
PICTURES = ROOT / "docs" / "images"
REPORT_PICTURE = PICTURES / "bao-cao-trang-1.png"
STATS_PICTURE = PICTURES / "thong-ke-trang-1.png"


@task(help={"year": "năm của báo cáo và trang thống kê trong ảnh (mặc định 2025)",
            "content": "thư mục nội dung (mặc định content/)"})
def report_picture(c, year=2025, content=str(CONTENT)):
    """Vẽ lại ảnh trang đầu của báo cáo năm (DOCX sang PDF bằng LibreOffice) và của trang thống kê in ra, cho README."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from plugins.tools.pictures import PictureError, docx_to_pdf, first_page_png
    from plugins.tools.print_stats import PrintError, print_stats as run_print

    with tempfile.TemporaryDirectory(prefix="report-picture-") as folder:
        work = Path(folder)
        report(c, year, content=content, format="docx", output=str(work / "bao-cao.docx"))
        _build(content, str(work / "site"), False, False, BUILD_WAIT, False, "")
        try:
            first_page_png(docx_to_pdf(work / "bao-cao.docx", work), REPORT_PICTURE)
            first_page_png(run_print(work / "site", int(year), work / "thong-ke.pdf"), STATS_PICTURE)
        except (PictureError, PrintError) as exc:
            raise Exit(f"Không vẽ được ảnh cho README: {exc}.", code=1) from None
    print(f"Đã vẽ {REPORT_PICTURE.relative_to(ROOT)} và {STATS_PICTURE.relative_to(ROOT)}; xem lại rồi commit.")


PREVIEW_HELP = {"content": "thư mục nội dung (mặc định content/)", "output": "thư mục đầu ra (mặc định output/)",
                "port": f"cổng trên localhost (mặc định {PORT})",
                "drafts": "hiện cả bản nháp (Status: draft) không có lỗi"}


@task(help=PREVIEW_HELP)
def serve(c, content=str(CONTENT), output=str(OUTPUT), port=PORT, drafts=False):
    """Dựng, xem thử tại http://localhost:CỔNG/ và tự dựng lại khi lưu tệp nội dung, giao diện, plugin hay thiết lập."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.preview import PreviewError, serve as run_serve

    try:
        run_serve(Path(content), Path(output), int(port), drafts)
    except PreviewError as exc:
        raise Exit(str(exc), code=1) from None


@task(help=PREVIEW_HELP)
def livereload(c, content=str(CONTENT), output=str(OUTPUT), port=PORT, drafts=False):
    """Như serve, thêm: trình duyệt tự tải lại trang sau mỗi lần dựng."""
    sys.path.insert(0, str(ROOT))
    from plugins.publishing.preview import PreviewError, livereload as run_livereload

    try:
        run_livereload(Path(content), Path(output), int(port), drafts)
    except PreviewError as exc:
        raise Exit(str(exc), code=1) from None


@task(help={"unit": "id của đơn vị trong units.yml, ví dụ cd-giao-duc", "title": "tiêu đề bài, trong ngoặc kép",
            "campaign": "id chiến dịch trong campaigns.yml (nhiều chiến dịch: cách nhau bằng dấu phẩy)",
            "type": "loại tin: tin, bai, phong-su, anh, video hoặc infographic (mặc định tin)",
            "category": "id hoặc tên chuyên mục (mặc định: chuyên mục đầu tiên)",
            "slug": "phần cuối của địa chỉ bài (mặc định: lấy từ tiêu đề)",
            "content": "thư mục nội dung (mặc định content/)"})
def new(c, unit, title, campaign="", type="tin", category="", slug="", content=str(CONTENT)):
    """Tạo tin bài mới dạng bản nháp, đúng tên tệp và đủ phần đầu như hướng dẫn gửi tin bài."""
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
          "     content/images/ rồi điền Image, ImageAlt (mô tả ảnh), ImageCaption (ảnh chụp gì) và ImageCredit\n"
          "     (người chụp).\n"
          "  2. Xem thử cả bản nháp: python3 tasks.py livereload --drafts → http://localhost:8000/\n"
          "  3. Kiểm tra: python3 tasks.py check\n"
          "  4. Khi bài đã xong: sửa dòng “Status: draft” thành “Status: published” (sửa cả Date nếu cần), "
          "kiểm tra lại rồi commit.")


# What `check` learnt about each file, reused while the file, the registries and the code are unchanged.
CHECK_CACHE = ROOT / ".cache" / "check"


# The staged copy of a content folder `check --staged` checks (plugins.tools.staged).
STAGED_TREE = ROOT / ".cache" / "staged"


@task(help={"content": "thư mục nội dung (mặc định content/)",
            "fresh": "đọc và kiểm tra lại mọi tệp, bỏ (rồi ghi lại) kết quả đã nhớ",
            "staged": "kiểm tra đúng những gì sẽ được commit (các tệp đã git add), như móc pre-commit",
            "keep_going": "kiểm tra như bản dựng --keep-going: cho biết bài nào sẽ giữ bản cũ hay bị bỏ; "
                          "bản dựng sẽ đăng kèm lỗi thì kết thúc với mã thoát 3"})
def check(c, content=str(CONTENT), fresh=False, staged=False, keep_going=False):
    """Kiểm tra nội dung như khi dựng nhưng không dựng: mỗi vấn đề một dòng đường-dẫn:dòng."""
    sys.path.insert(0, str(ROOT))
    from plugins.contract import dates
    from plugins.tools.check import check as run_check
    from plugins.tools.check_cache import folder_for
    from plugins.tools.staged import StagedError, materialise

    if not Path(content).is_dir():
        raise Exit(f"Không tìm thấy thư mục nội dung {content}.", code=1)
    folder, copy = Path(content), None
    if staged:
        try:
            copy = materialise(Path(content), STAGED_TREE)
        except StagedError as exc:
            raise Exit(f"Không kiểm tra được bản sẽ commit: {exc}.", code=1) from None
        folder = copy.folder
    if fresh:
        shutil.rmtree(folder_for(CHECK_CACHE, folder.resolve()), ignore_errors=True)
    findings = run_check(folder, dates.now(), cache=CHECK_CACHE, keep_going=keep_going)
    for problem in findings.problems:
        print(problem)
    if copy is not None and findings.errors and copy.note():
        print(copy.note())
    print(findings.summary(), flush=True)
    if findings.errors:
        raise Exit(code=PUBLISHED_WITH_PROBLEMS if findings.keep_going and not findings.blocking else 1)


@task(help={"target": "nơi chép website tới bằng rsync, ví dụ user@may-chu:/var/www/site",
            "branch": "commit website vào nhánh này, ví dụ gh-pages", "content": "thư mục nội dung (mặc định content/)",
            "output": "thư mục đầu ra (mặc định output/)", "repo": "kho git cho --branch (mặc định: kho này)",
            "wait": f"số giây chờ khi một lần dựng khác đang dùng cùng thư mục đầu ra hay bộ nhớ đệm (mặc định {BUILD_WAIT})",
            "keep_going": KEEP_GOING_HELP + " (mặc định bật; --no-keep-going: không xuất bản gì nếu có tệp lỗi)",
            "report": REPORT_HELP})
def publish(c, target="", branch="", content=str(CONTENT), output=str(OUTPUT), repo=str(ROOT), wait=BUILD_WAIT,
            keep_going=True, report=""):
    """Dựng bản công khai (publishconf.py), nén sẵn (.gz, .br) rồi đưa lên máy chủ bằng rsync và/hoặc vào một nhánh git."""
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


@task(help={"content": "thư mục nội dung (mặc định content/)", "output": "thư mục đầu ra (mặc định output/)",
            "port": f"cổng của bản xem thử trên localhost (mặc định {PORT})"})
def cms(c, content=str(CONTENT), output=str(OUTPUT), port=PORT):
    """Soạn tin bài trên trình duyệt với kho mã trên máy này: http://localhost:CỔNG/quan-tri/ (cần Node.js)."""
    sys.path.insert(0, str(ROOT))
    from plugins.cms.local import LocalError, proxy_port, running_proxy
    from plugins.cms.settings import load
    from plugins.publishing.preview import PreviewError, serve as run_serve
    from plugins.publishing.security import settings_file

    try:
        with running_proxy(ROOT, proxy_port(load(settings_file(SETTINGS)).local_proxy), f"http://localhost:{port}"):
            print(f"Trang soạn tin bài: http://localhost:{port}/quan-tri/ (bài lưu thẳng vào {content}; "
                  "kiểm tra bằng python3 tasks.py check rồi commit). Dừng: Ctrl+C.")
            run_serve(Path(content), Path(output), int(port), True)
    except (LocalError, PreviewError) as exc:
        raise Exit(f"Không mở được trang soạn tin bài: {exc}", code=1) from None


# The Decap CMS bundle vendored in theme/cms/decap-cms/ (plugins.cms.bundle), refreshed by `cms-update`.
DECAP_VERSION = "3.16.3"


@task(help={"version": f"phiên bản decap-cms trên npm (mặc định {DECAP_VERSION}, bản đã ghim)"})
def cms_update(c, version=DECAP_VERSION):
    """Tải lại bộ mã Decap CMS của trang soạn tin bài /quan-tri/ từ npm (cần npm), vào theme/cms/decap-cms/."""
    sys.path.insert(0, str(ROOT))
    from plugins.cms.bundle import BUNDLE_DIR, BundleError, refresh

    try:
        names = refresh(str(version))
    except BundleError as exc:
        raise Exit(f"Không cập nhật được Decap CMS: {exc}", code=1) from None
    print(f"Đã chép {len(names)} tệp của decap-cms@{version} vào {BUNDLE_DIR.relative_to(ROOT)}; "
          "hãy dựng lại, thử trang /quan-tri/ rồi commit thư mục đó.")


@task(help={"content": "thư mục nội dung (mặc định content/)",
            "nginx": "in tệp cấu hình nginx trả mã 410 tại địa chỉ các bài đã gỡ, thay vì ghi sổ địa chỉ"})
def urls(c, content=str(CONTENT), nginx=False):
    """Cập nhật sổ địa chỉ content/urls.lock (mọi địa chỉ bài từng đăng); CI chạy lệnh này trên nhánh chính."""
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


# --- Gộp cổng thông tin của tỉnh khác (sau sáp nhập tỉnh): plugins.merger ---

@task(help={"from_": "thư mục nội dung của cổng thông tin cần gộp vào (ví dụ ../binh-dinh/content)",
            "prefix": "tiền tố thêm vào mã đơn vị, chiến dịch, chuyên mục bên kia, kết thúc bằng '-' (ví dụ bd-)",
            "date": "ngày sáp nhập, ví dụ 1/7/2025",
            "under": "mã đơn vị ở đây tiếp nhận đơn vị cấp tỉnh bên kia (mặc định: đơn vị cấp cao nhất)",
            "mapping": "tệp YAML 'mã cũ: mã mới' cho các đơn vị, chiến dịch, chuyên mục là cùng một mục",
            "domain": "tên miền cũ của cổng thông tin bên kia, cho tệp chuyển hướng nginx",
            "content": "thư mục nội dung nhận bản gộp (mặc định content/)",
            "dry_run": "chỉ cho biết sẽ làm gì, chưa ghi gì"})
def merge(c, from_, prefix, date, under="", mapping="", domain="", content=str(CONTENT), dry_run=False):
    """Gộp thư mục nội dung của cổng thông tin tỉnh khác vào đây, giữ mọi địa chỉ cũ (tệp chuyển hướng nginx)."""
    sys.path.insert(0, str(ROOT))
    from plugins.merger.cli import run
    from plugins.merger.merge import MergeRefused
    from plugins.merger.settings import OptionsError, load

    try:
        run(load(from_, content, prefix, date, under, mapping, domain, dry_run))
    except (OptionsError, MergeRefused) as exc:
        raise Exit(str(exc), code=1) from None


def _pytest(*arguments: str, env: dict | None = None) -> None:
    """pytest with this Python (`.venv`'s), its exit code passed on."""
    code = subprocess.run([sys.executable, "-m", "pytest", *arguments], cwd=ROOT, env={**os.environ, **(env or {})}).returncode
    if code:
        raise Exit(code=code)


@task(help={"k": "chỉ chạy các kiểm thử có tên khớp biểu thức này, ví dụ -k links"})
def test(c, k=""):
    """Chạy toàn bộ bộ kiểm thử (hoặc những kiểm thử khớp -k)."""
    _pytest(*(["-k", k] if k else []))


@task(help={"examples": "số đầu vào sinh ra cho mỗi bộ đọc"})
def fuzz(c, examples=5000):
    """Thử các bộ đọc phần đầu, ngày giờ, tệp YAML và Markdown với rất nhiều đầu vào sinh ngẫu nhiên mới."""
    _pytest("-q", "tests/test_fuzz.py", env={"PORTAL_FUZZ_PROFILE": "deep", "PORTAL_FUZZ_EXAMPLES": str(int(examples))})


@task(help={"photos": "số ảnh 3000×2000 sinh ra (ít nhất 300)", "runs": "số lần chạy mỗi phép đo (lấy trung vị)"})
def bench_images(c, photos=300, runs=3):
    """Đo tốc độ xử lý ảnh: thẻ chia sẻ/giây và ảnh cỡ nhỏ/giây (một tiến trình và mọi nhân), và lần dựng không đổi gì."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_images", ROOT / "tests" / "bench_images.py")
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(int(photos), int(runs))


@task(help={"grassroots": "số công đoàn cơ sở dưới mỗi LĐLĐ huyện, cách nhau bằng dấu phẩy (ví dụ 4,16)",
            "items": "số tin bài của năm được đếm", "runs": "số lần chạy mỗi phép đo (lấy trung vị)"})
def bench_units(c, grassroots="4,16", items=20000, runs=3):
    """Đo tốc độ đọc units.yml có lịch sử đơn vị ở quy mô toàn quốc và đếm báo cáo một năm; ghi docs/benchmarks-units.md."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_units", ROOT / "tests" / "bench_units.py")
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main([int(n) for n in str(grassroots).split(",")], int(items), int(runs))


@task(help={"articles": "số bài của các bộ nội dung thử, cách nhau bằng dấu phẩy (ví dụ 1000,5000,20000)",
            "runs": "số lần chạy mỗi phép đo (lấy trung vị; một lần khi trên 5000 bài)",
            "others": "dựng cả bằng Pelican gốc và Hugo để so sánh (--no-others: chỉ cổng thông tin)",
            "profile": "đo từng giai đoạn của một lần dựng (--no-profile để bỏ)",
            "check": "đo thời gian tasks.py check và móc pre-commit (--no-check để bỏ)",
            "serve": "đo một lần lưu tệp trên máy chủ xem thử với 1000 bài (--no-serve để bỏ)",
            "docs": "tệp báo cáo để ghi (mặc định docs/benchmarks.md)"})
def bench(c, articles="1000,5000", runs=3, others=True, profile=True, check=True, serve=True, docs=""):
    """Đo tốc độ dựng cả website so với Pelican gốc và Hugo; ghi kết quả vào docs/benchmarks.md.

    Đo: dựng từ đầu, không đổi gì, sửa một bài, thêm một bài; bộ nhớ từng loại tiến trình,
    bước tìm kiếm, check, móc pre-commit và máy chủ xem thử."""
    import importlib.util

    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "tests" / "bench_build.py")
    bench_build = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_build)
    sizes = [int(size) for size in str(articles).split(",") if size.strip()]
    bench_build.main(sizes, int(runs), others=others, profile=profile, docs=Path(docs) if docs else bench_build.DOCS_FILE,
                     check=check, serve_articles=bench_build.SERVE_ARTICLES if serve else None)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    enter_root()
    from plugins.tools.command_line import run

    run(sys.modules[__name__])
