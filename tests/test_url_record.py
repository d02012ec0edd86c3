"""The URL record (content/urls.lock): links that never break.

Each case is a real git repository in tmp_path holding a copy of the basic
fixture, published once (the record written and committed), then edited as an
editor would; ``check`` and the build must tell the same thing and the built
site must keep every published URL answering.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import NOW, ROOT, Site, epoch
from plugins.contract.urlrecord import MOVED, REMOVED, RECORD_FILE, blob_hash, parse
from plugins.publishing import record
from plugins.tools.check import check

OWNER = "articles/2024/le-phat-dong.md"
OWNER_URL = "2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"
SCHOOL = "articles/2024/truong-a.md"
SCHOOL_URL = "2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/"
PAGE = "pages/gioi-thieu.md"
PAGE_URL = "gioi-thieu/"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


@pytest.fixture
def site(tmp_path, monkeypatch, image_cache) -> Site:
    """The basic fixture in a git repository (content/ beside the project's .gitattributes), published once."""
    site = Site(tmp_path, monkeypatch, image_cache=image_cache)
    shutil.copy(ROOT / ".gitattributes", tmp_path / ".gitattributes")
    (tmp_path / ".gitignore").write_text("output/\ncache/\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "Biên tập viên")
    git(tmp_path, "config", "user.email", "btv@example.vn")
    publish(site)
    return site


def publish(site: Site, message: str = "Xuất bản") -> record.Update:
    """What `publish` does to the record after a good build, then the commit CI makes."""
    updated = record.update(site.content, NOW)
    git(site.content.parent, "add", "-A")
    git(site.content.parent, "commit", "-q", "--allow-empty", "-m", message)
    return updated


def lines(problems) -> list[str]:
    return [str(p) for p in problems]


def told(site: Site) -> list[str]:
    """Problems of ``check`` and of the build, which must be the same."""
    checked = lines(check(site.content, NOW).problems)
    assert lines(site.build().problems) == checked
    return checked


def recorded(site: Site) -> dict:
    return parse((site.content / RECORD_FILE).read_text(encoding="utf-8")).entries


def edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def redirect_target(site: Site, url: str) -> str:
    page = site.html(url)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    return page.find("link", rel="canonical")["href"]


def test_the_first_publish_records_every_article_and_the_site_never_publishes_the_record(site):
    entries = recorded(site)
    assert sorted(entries) == [OWNER_URL, SCHOOL_URL, "2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/", PAGE_URL]
    data = (site.content / OWNER).read_bytes()
    assert entries[OWNER_URL].owner == OWNER and entries[OWNER_URL].blob == blob_hash(data)
    assert entries[OWNER_URL].blob == git(site.content.parent, "hash-object", f"content/{OWNER}")
    text = (site.content / RECORD_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Sổ địa chỉ") and f"{OWNER_URL}\t{OWNER}\t{entries[OWNER_URL].blob}\tdang-dung\n" in text
    assert told(site) == []
    assert not list(site.output.rglob(RECORD_FILE))
    assert not publish(site).changed


def test_title_and_date_edits_keep_the_recorded_url(site):
    edit(site, SCHOOL, "Title: Trường Tiểu học A chăm lo cho giáo viên", "Title: Trường Tiểu học A trao quà cho giáo viên")
    edit(site, SCHOOL, "Date: 2024-06-10 09:00", "Date: 2024-08-12 09:00")
    assert told(site) == []
    assert "trao quà" in site.html(SCHOOL_URL).h1.get_text()
    assert not site.exists("/2024/08/truong-tieu-hoc-a-trao-qua-cho-giao-vien/")
    after = publish(site)
    assert after.changed and recorded(site)[SCHOOL_URL].blob == blob_hash((site.content / SCHOOL).read_bytes())


def test_a_back_dated_newcomer_never_takes_an_owned_url(site):
    site.article("2024/nhai.md", {"Title": "Lễ phát động Tháng Công nhân năm 2024", "Date": "01/05/2024 07:00",
                                  "Unit": "ban-tuyen-giao", "Slug": "le-phat-dong-thang-cong-nhan-nam-2024"})
    assert told(site) == [
        f"articles/2024/nhai.md:4: cảnh báo W204: địa chỉ /{OWNER_URL} trùng với bài {OWNER} (đăng trước); bài này "
        "được đăng tại /2024/05/le-phat-dong-thang-cong-nhan-nam-2024-2/. Muốn có địa chỉ riêng, hãy đặt 'Slug' "
        "khác cho bài"]
    assert "Công đoàn ngành Giáo dục" in site.html(OWNER_URL).get_text()
    assert site.exists("/2024/05/le-phat-dong-thang-cong-nhan-nam-2024-2/")


def test_without_a_record_the_file_that_gets_the_suffix_is_told(site):
    (site.content / RECORD_FILE).unlink()
    site.article("2024/som.md", {"Title": "Lễ phát động Tháng Công nhân năm 2024", "Date": "01/05/2024 07:00",
                                 "Unit": "ban-tuyen-giao"})
    assert told(site) == [
        f"{OWNER}:1: cảnh báo W204: địa chỉ /{OWNER_URL} trùng với bài articles/2024/som.md (đăng trước); bài này "
        "được đăng tại /2024/05/le-phat-dong-thang-cong-nhan-nam-2024-2/. Muốn có địa chỉ riêng, hãy đặt 'Slug' "
        "khác cho bài"]


def test_a_deleted_article_answers_with_the_removal_page_and_410_in_nginx(site):
    git(site.content.parent, "rm", "-q", f"content/{SCHOOL}")
    assert told(site) == [
        f"urls.lock:8: cảnh báo W202: tệp {SCHOOL} (giữ địa chỉ /{SCHOOL_URL}) không còn nữa; địa chỉ này sẽ hiện trang "
        "\"Bài viết này đã được gỡ\". Nếu bài chỉ được chuyển chỗ, hãy đổi tên tệp bằng git mv (giữ nguyên nội dung) "
        "thay vì xóa rồi tạo tệp mới"]
    page = site.html(SCHOOL_URL)
    assert page.h1.get_text(strip=True) == "Bài viết này đã được gỡ khỏi Cổng thông tin"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert {"/", "/tim-kiem/"} <= {a["href"] for a in page.select("main a")}
    assert SCHOOL_URL not in (site.output / "sitemap.xml").read_text(encoding="utf-8")
    after = publish(site)
    assert after.removed == [SCHOOL_URL] and recorded(site)[SCHOOL_URL].state == REMOVED
    assert f"location = /{SCHOOL_URL} {{ error_page 410 /{SCHOOL_URL}index.html; return 410; }}" in \
        record.nginx_removed(after.removed)
    assert told(site) == []  # told once, when it happened
    assert site.exists(SCHOOL_URL)


def test_a_renamed_article_keeps_its_url(site):
    (site.content / "articles/2025").mkdir()
    git(site.content.parent, "mv", f"content/{SCHOOL}", "content/articles/2025/truong-tieu-hoc-a.md")
    assert told(site) == []
    assert "Trường Tiểu học A" in site.html(SCHOOL_URL).h1.get_text()
    publish(site)
    assert recorded(site)[SCHOOL_URL].owner == "articles/2025/truong-tieu-hoc-a.md"


def test_a_renamed_and_edited_article_keeps_its_url_by_gits_rename_rule(site):
    git(site.content.parent, "mv", f"content/{OWNER}", "content/articles/2024/phat-dong.md")
    edit(site, "articles/2024/phat-dong.md", "Title: Lễ phát động", "Title: Lễ ra quân")
    assert told(site) == []
    assert "Lễ ra quân" in site.html(OWNER_URL).h1.get_text()
    publish(site)
    assert recorded(site)[OWNER_URL].owner == "articles/2024/phat-dong.md"
    # A new file with other content where a file was deleted is no rename: it gets its own URL.
    git(site.content.parent, "rm", "-q", f"content/{SCHOOL}")
    site.article("2024/khac.md", {"Title": "Trường Tiểu học A chăm lo cho giáo viên", "Date": "2024-06-10 09:00",
                                  "Unit": "ban-tuyen-giao"}, "Một bài hoàn toàn khác.")
    assert [line.split(": ")[1] for line in told(site)] == ["cảnh báo W204", "cảnh báo W202"]
    assert site.exists(SCHOOL_URL[:-1] + "-2/") and site.html(SCHOOL_URL).h1.get_text(strip=True).startswith("Bài viết này")


def test_a_slug_edit_moves_the_article_and_redirects_the_old_url(site):
    edit(site, OWNER, "Unit: cd-giao-duc\n", "Unit: cd-giao-duc\nSlug: ngay-hoi-cong-nhan\n")
    new_url = "2024/05/ngay-hoi-cong-nhan/"
    assert told(site) == [
        f"{OWNER}:4: cảnh báo W203: 'Slug' đã đổi nên bài chuyển từ /{OWNER_URL} sang /{new_url}; địa chỉ cũ tự "
        "chuyển tới địa chỉ mới. Nếu không định đổi địa chỉ, hãy xóa dòng 'Slug'"]
    assert "Công đoàn ngành Giáo dục" in site.html(new_url).get_text()
    assert redirect_target(site, OWNER_URL) == f"/{new_url}"
    publish(site)
    entries = recorded(site)
    assert (entries[OWNER_URL].state, entries[new_url].state, entries[new_url].slug) == (MOVED, "dang-dung",
                                                                                          "ngay-hoi-cong-nhan")
    assert told(site) == []
    assert redirect_target(site, OWNER_URL) == f"/{new_url}"
    # A title edit after the move moves nothing.
    edit(site, OWNER, "Title: Lễ phát động", "Title: Ngày hội")
    assert told(site) == [] and site.exists(new_url)


def test_pages_are_recorded_keep_their_url_and_their_last_good_version(site):
    entries = recorded(site)
    assert (entries[PAGE_URL].owner, entries[PAGE_URL].blob) == (PAGE, blob_hash((site.content / PAGE).read_bytes()))
    # A page without 'Slug' keeps its URL when its title changes, as an article does.
    site.write("pages/lien-he.md", "Title: Liên hệ\n\nĐiện thoại đường dây nóng.\n")
    publish(site)
    edit(site, "pages/lien-he.md", "Title: Liên hệ", "Title: Liên hệ với Ban Biên tập")
    assert told(site) == [] and "Ban Biên tập" in site.html("/lien-he/").h1.get_text()
    assert not site.exists("/lien-he-voi-ban-bien-tap/")
    # A broken edit of a published page: keep-going shows the version the record keeps.
    edit(site, PAGE, "Trang giới thiệu.", "Trang giới thiệu mới. ![Ảnh](images/khong-co.jpg)")
    built = site.build(PORTAL_CONTRACT={"keep_going": True})
    assert built.kept == [PAGE]
    assert any(p.code == "W303" and p.path == PAGE for p in built.problems)
    text = site.html(PAGE_URL).get_text()
    assert "Trang giới thiệu." in text and "mới" not in text
    # A 'Slug' edit moves the page and redirects its recorded URL.
    edit(site, PAGE, "Trang giới thiệu mới. ![Ảnh](images/khong-co.jpg)", "Trang giới thiệu.")
    edit(site, PAGE, "Slug: gioi-thieu", "Slug: ve-chung-toi")
    assert told(site) == []
    assert redirect_target(site, PAGE_URL) == "/ve-chung-toi/"
    assert "Trang giới thiệu." in site.html("/ve-chung-toi/").get_text()


def test_a_fresh_clone_builds_the_same_urls(site, tmp_path, monkeypatch):
    edit(site, SCHOOL, "Date: 2024-06-10 09:00", "Date: 2024-09-01 09:00")
    git(site.content.parent, "commit", "-qam", "Sửa ngày")
    site.build()
    clone = tmp_path / "ban-sao"
    subprocess.run(["git", "clone", "-q", str(site.content.parent), str(clone)], check=True)
    copy = Site(clone / "scratch", monkeypatch)
    copy.content, copy.output, copy.cache = clone / "content", clone / "output", clone / "cache"
    assert lines(copy.build().problems) == []
    built = sorted(p.relative_to(site.output).as_posix() for p in site.output.glob("2024/*/*/index.html"))
    assert built == sorted(p.relative_to(copy.output).as_posix() for p in copy.output.glob("2024/*/*/index.html"))
    assert f"{SCHOOL_URL}index.html" in built


@pytest.mark.parametrize("union", [True, False], ids=["merge=union", "without .gitattributes"])
def test_two_branches_each_add_an_article_and_merge_without_conflict(site, union):
    repo = site.content.parent
    if not union:
        git(repo, "rm", "-q", ".gitattributes")
        git(repo, "commit", "-qm", "Bỏ .gitattributes")
    for branch, name in (("don-vi-a", "tin-a"), ("don-vi-b", "tin-b")):
        git(repo, "checkout", "-q", "-b", branch, "main")
        site.article(f"2024/{name}.md", {"Title": f"Tin {name}", "Date": "2/6/2024", "Unit": "ban-tuyen-giao"})
        publish(site, f"Thêm {name}")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "don-vi-a")
    merged = subprocess.run(["git", "-C", str(repo), "merge", "-q", "--no-edit", "don-vi-b"], capture_output=True, text=True)
    if not union:  # the two new lines sit side by side in the sorted record: without the union driver, a conflict
        assert merged.returncode != 0 and "CONFLICT" in merged.stdout + merged.stderr
        return
    assert merged.returncode == 0 and git(repo, "status", "--porcelain") == ""
    assert {"2024/06/tin-tin-a/", "2024/06/tin-tin-b/"} <= set(recorded(site))
    assert told(site) == []
    publish(site)
    text = (site.content / RECORD_FILE).read_text(encoding="utf-8")
    urls = [line.split("\t")[0] for line in text.splitlines() if not line.startswith("#")]
    assert urls == sorted(urls) and {"2024/06/tin-tin-a/", "2024/06/tin-tin-b/"} <= set(urls)


def test_the_record_reads_back_what_it_writes_and_refuses_what_nginx_would_run():
    from plugins.contract.urlrecord import Entry, format_record

    entries = [Entry("2024/05/b/", "articles/b.md", "a" * 40, MOVED, "b"), Entry("2024/05/a/", "articles/a.md", "b" * 40)]
    text = format_record(entries)
    assert text.splitlines()[-2:] == [f"2024/05/a/\tarticles/a.md\t{'b' * 40}\tdang-dung",
                                      f"2024/05/b/\tarticles/b.md\t{'a' * 40}\tchuyen-huong\tb"]
    assert sorted(parse(text).entries.values(), key=lambda e: e.url) == sorted(entries, key=lambda e: e.url)
    assert parse(text.replace("\n", "\r\n")).entries == parse(text).entries
    hostile = parse(f"2024/05/x;return 200/\tarticles/a.md\t{'b' * 40}\n2024/05/x {{/\tarticles/a.md\t{'b' * 40}\n")
    assert [p.code for p in hostile.problems] == ["E203", "E203"] and not hostile.entries


def test_a_broken_or_hostile_record_is_told_by_line_and_never_rewritten(site):
    path = site.content / RECORD_FILE
    good = path.read_text(encoding="utf-8")
    blob = "0" * 40
    path.write_text(good + f"../../etc/\t{OWNER}\t{blob}\n2024/05/x/\t/etc/passwd\t{blob}\n2024/05/y/\t{OWNER}\tabc\n"
                    f"2024/05/z/\t{OWNER}\n{SCHOOL_URL}\tarticles/2024/khac.md\t{blob}\ndon-vi/\t{OWNER}\t{blob}\n",
                    encoding="utf-8")
    first = len(good.splitlines()) + 1  # the first line added
    school = next(n for n, line in enumerate(good.splitlines(), 1) if line.startswith(SCHOOL_URL))
    assert told_failing(site) == [
        f"urls.lock:{first}: lỗi E203: địa chỉ '../../etc/' không hợp lệ: địa chỉ chỉ gồm chữ không dấu, chữ số, '-', '_', "
        "'.' và kết thúc bằng '/', không bắt đầu bằng '/'; hãy lấy lại dòng đúng từ git",
        f"urls.lock:{first + 1}: lỗi E204: tệp nguồn '/etc/passwd' không hợp lệ: phải là đường dẫn tính từ thư mục content/, ví dụ "
        "articles/2024/bai.md; hãy lấy lại dòng đúng từ git",
        f"urls.lock:{first + 2}: lỗi E205: mã băm 'abc' không hợp lệ: cần 40 chữ số hệ 16 (0-9, a-f); hãy lấy lại dòng đúng từ git",
        f"urls.lock:{first + 3}: lỗi E202: dòng này thiếu cột: cần địa chỉ, tệp nguồn và mã băm, cách nhau bằng dấu TAB; hãy lấy "
        "lại dòng đúng từ git hoặc xóa dòng này rồi chạy python3 tasks.py urls",
        f"urls.lock:{first + 4}: cảnh báo W201: địa chỉ /{SCHOOL_URL} được ghi hai lần, cho {SCHOOL} (dòng {school}) và cho "
        f"articles/2024/khac.md; địa chỉ vẫn thuộc {SCHOOL}. Đổi chủ một địa chỉ chỉ xảy ra khi đổi tên tệp bằng git mv "
        "hoặc sửa 'Slug'; hãy xóa dòng sai",
        f"urls.lock:{first + 5}: lỗi E209: địa chỉ 'don-vi/' là mục /don-vi/, không phải địa chỉ một bài viết; hãy xóa dòng này"]
    with pytest.raises(record.RecordError, match="chưa được cập nhật"):
        record.update(site.content, NOW)
    assert path.read_text(encoding="utf-8").startswith(good) and "../../etc/" in path.read_text(encoding="utf-8")


def told_failing(site: Site) -> list[str]:
    checked = lines(check(site.content, NOW).problems)
    assert lines(site.fail().problems) == checked
    return checked


def test_a_url_handed_to_another_file_by_hand_is_told(site):
    edit(site, RECORD_FILE, f"{SCHOOL_URL}\t{SCHOOL}", f"{SCHOOL_URL}\t{OWNER}")
    assert told(site) == [
        f"{SCHOOL}:1: cảnh báo W204: địa chỉ /{SCHOOL_URL} trùng với bài {OWNER} (đăng trước); bài này được đăng tại "
        f"/{SCHOOL_URL[:-1]}-2/. Muốn có địa chỉ riêng, hãy đặt 'Slug' khác cho bài",
        f"urls.lock:8: cảnh báo W205: tệp {OWNER} được ghi giữ hai địa chỉ hiện tại, /{OWNER_URL} (dòng 7) và "
        f"/{SCHOOL_URL}; bài ở lại /{OWNER_URL}, còn /{SCHOOL_URL} chuyển tới đó. Đổi chủ một địa chỉ chỉ xảy ra khi "
        "đổi tên tệp bằng git mv hoặc sửa 'Slug'; nếu dòng này bị sửa tay, hãy lấy lại bản trong git"]
    assert redirect_target(site, SCHOOL_URL) == f"/{OWNER_URL}"


def test_the_urls_task_updates_the_record_and_prints_the_nginx_include(site):
    git(site.content.parent, "rm", "-q", f"content/{SCHOOL}")
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    checked = subprocess.run([sys.executable, "-m", "invoke", "check", "--fresh", "--content", str(site.content)],
                             cwd=ROOT, capture_output=True, text=True, env=env)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    assert checked.stdout.startswith(f"urls.lock:8: cảnh báo W202: tệp {SCHOOL} (giữ địa chỉ /{SCHOOL_URL}) không còn nữa")
    run = [sys.executable, "-m", "invoke", "urls", "--content", str(site.content)]
    done = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "Đã cập nhật sổ địa chỉ" in done.stdout and "1 bài đã gỡ" in done.stdout
    assert recorded(site)[SCHOOL_URL].state == REMOVED
    shown = subprocess.run([*run, "--nginx"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert shown.stdout.splitlines()[-1] == f"location = /{SCHOOL_URL} {{ error_page 410 /{SCHOOL_URL}index.html; return 410; }}"


PUBLISH = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
import tasks
from invoke import Context, Exit
tasks.PUBLISH_SETTINGS = Path({settings!r})
try:
    tasks.publish(Context(), branch="gh-pages", content={content!r}, output={output!r}, repo={repo!r},
                  report={report!r})
except Exit as exc:
    print(exc.message, file=sys.stderr)
    sys.exit(exc.code)
"""


def test_publish_writes_the_record_after_deploying(site, tmp_path):
    repo = site.content.parent
    edit(site, OWNER, "Unit: cd-giao-duc\n", "Unit: cd-giao-duc\nSlug: ngay-hoi-cong-nhan\n")
    settings = tmp_path / "publishconf_test.py"
    settings.write_text(f"from publishconf import *\nPORTAL_TARGETS = {{'board_output': {str(tmp_path / 'board')!r}}}\n",
                        encoding="utf-8")
    script = PUBLISH.format(root=str(ROOT), settings=str(settings), content=str(site.content), output=str(site.output),
                            repo=str(repo), report=str(tmp_path / "bao-cao-loi.txt"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW), "PORTAL_SITEURL": "https://congdoan.example.vn",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert "Đã commit website vào nhánh gh-pages" in done.stdout and "Đã cập nhật sổ địa chỉ" in done.stdout
    assert recorded(site)[OWNER_URL].state == MOVED
    assert f"{OWNER_URL}index.html" in git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert RECORD_FILE not in git(repo, "ls-tree", "-r", "--name-only", "gh-pages")
    assert "W203" in (tmp_path / "bao-cao-loi.txt").read_text(encoding="utf-8")


def test_the_preview_never_rebuilds_for_the_record(site):
    from plugins.publishing.preview import ignored, snapshot

    assert ignored(str(site.content / RECORD_FILE)) and not ignored(str(site.content / OWNER))
    assert str(site.content / RECORD_FILE) not in snapshot([site.content])


def test_a_page_slug_on_a_section_of_the_site_is_refused(site):
    site.write("pages/tim.md", "Title: Tìm\nSlug: tim-kiem\n\nx\n")
    assert told_failing(site) == ["pages/tim.md:2: lỗi E210: 'Slug' 'tim-kiem' trùng với một mục của website; "
                                  "hãy chọn tên khác"]


def test_the_readme_shows_the_nginx_include_as_it_is_made():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    url = "2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/"
    made = record.nginx_removed([url]).splitlines()
    assert made[0] in readme and made[-1] in readme and "include snippets/portal-removed.conf;" in readme
