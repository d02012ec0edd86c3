"""Every editor's mistake is reported as path:line, all at once, and the old site stays."""

import os

import pytest

from plugins.tools.check import check
from support import NOW

GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


def report(site) -> list[str]:
    failure = site.fail()
    return [str(p) for p in failure.problems]


def one(lines: list[str], prefix: str, *needles: str) -> str:
    found = [line for line in lines if line.startswith(prefix) and all(n in line for n in needles)]
    assert found, f"no line starting {prefix!r} with {needles!r} in:\n" + "\n".join(lines)
    return found[0]


@pytest.mark.parametrize("header, line, needles", [
    ({**GOOD, "Unit": "cd-giao-duk"}, 3, (" E031:", "'cd-giao-duk'", "units.yml", "'cd-giao-duc'")),
    ({**GOOD, "Campaigns": "thang-cong-nhan-2042"}, 4, (" E034:", "'thang-cong-nhan-2042'", "'thang-cong-nhan-2024'")),
    # A missing key is told where the header ends: its blank line.
    ({"Title": "Không đơn vị", "Date": "1/3/2024"}, 3, (" E030:", "thiếu 'Unit'",)),
    ({"Date": "1/3/2024", "Unit": "ban-tuyen-giao"}, 3, (" E010:", "thiếu 'Title'",)),
    ({"Title": "Không ngày", "Unit": "ban-tuyen-giao"}, 3, (" E011:", "thiếu 'Date'",)),
    ({**GOOD, "Date": "mùng 3 tháng 7"}, 2, (" E020:", "không hiểu ngày",)),
    ({**GOOD, "Date": "31/02/2024"}, 2, (" E021:", "'31/02/2024' không tồn tại",)),
    ({**GOOD, "Catgory": "tin-hoat-dong"}, 4, (" E003:", "khóa 'Catgory'", "'Category'")),
    ({**GOOD, "Category": "Tin hoat dong"}, 4, (" E035:", "chuyên mục 'Tin hoat dong'", "'tin-hoat-dong'")),
    ({**GOOD, "Type": "phongsu"}, 4, (" E036:", "loại tin 'phongsu'", "'phong-su'")),
    ({**GOOD, "Image": "images/cover.jpeg"}, 4, ("không tìm thấy tệp 'images/cover.jpeg'", "'cover.jpg'")),
    ({**GOOD, "Image": "../../secret.jpg"}, 4, ("ra ngoài thư mục nội dung",)),
    ({**GOOD, "Attachments": "files/khong-co.pdf"}, 4, ("không tìm thấy tệp 'files/khong-co.pdf'",)),
    ({**GOOD, "Status": "publish"}, 4, (" E013:", "'Status' 'publish'", "'published'")),
    ({**GOOD, "Featured": "maybe"}, 4, (" E037:", "'Featured'",)),
    ({**GOOD, "Source": "laodong.vn/bai"}, 4, (" E039:", "'Source'", "https://")),
    ({**GOOD, "Unit": "ldld-huyen-cu", "Date": "1/7/2025"}, 3, (" E032:", "ngoài thời gian hoạt động", "'ldld-huyen-cu'")),
])
def test_each_bad_header_is_reported_with_file_and_line(site, header, line, needles):
    site.article("2024/loi.md", header)
    one(report(site), f"articles/2024/loi.md:{line}: lỗi", *needles)  # "lỗi:" or "lỗi E505:"
    assert not site.output.exists()


def test_bad_body_image_paths(site):
    site.article("2024/anh.md", GOOD, "Đoạn một.\n\n![Ảnh](images/thieu.jpg)\n\n![Ảnh](../ngoai.jpg)\n")
    lines = report(site)
    one(lines, "articles/2024/anh.md:7:", "không tìm thấy tệp 'images/thieu.jpg'")
    one(lines, "articles/2024/anh.md:9:", "ra ngoài thư mục nội dung")


def test_symlinks_are_refused(site, tmp_path):
    outside = tmp_path / "ngoai.md"
    outside.write_text("Title: X\nDate: 1/1/2024\nUnit: ban-tuyen-giao\n\nx\n", encoding="utf-8")
    os.symlink(outside, site.content / "articles/2024/lien-ket.md")
    os.symlink(site.content / "images/cover.jpg", site.content / "images/lien-ket.jpg")
    site.article("2024/dung-symlink.md", {**GOOD, "Image": "images/lien-ket.jpg"})
    lines = report(site)
    one(lines, "articles/2024/lien-ket.md:1:", "symlink")
    one(lines, "images/lien-ket.jpg:1:", "symlink")
    one(lines, "articles/2024/dung-symlink.md:4:", "symlink")


def test_a_symlinked_article_is_not_read_even_into_a_message(site, tmp_path):
    outside = tmp_path / "bi-mat.md"
    outside.write_text("Title: X\nMatKhau-BiMat: 123\n\nx\n", encoding="utf-8")
    os.symlink(outside, site.content / "articles/2024/lien-ket.md")
    failed = site.fail()
    assert any("symlink" in str(p) for p in failed.problems)
    assert not any("MatKhau" in str(p) for p in failed.problems)
    found = check(site.content, NOW)
    assert not any("MatKhau" in str(p) for p in found.problems)


def test_stray_files_are_reported_not_skipped(site):
    site.write("articles/2024/quen-duoi.markdown", "Title: X\n")
    site.write("ghi-chu.md", "Title: Y\n")
    lines = report(site)
    one(lines, "articles/2024/quen-duoi.markdown:1:", ".md")
    one(lines, "ghi-chu.md:1:", "articles/")


def test_invalid_registries_are_reported(site):
    site.write("units.yml", (site.content / "units.yml").read_text(encoding="utf-8")
               .replace("parent: cd-giao-duc", "parent: cd-giao-duk"))
    site.write("campaigns.yml", "campaigns:\n  - id: a\n    name: A\n    start: 2024-05-31\n    end: 2024-05-01\n")
    site.write("sections.yml", "sections:\n  - id: Tin Hoat Dong\n    name: Tin\n")
    lines = report(site)
    one(lines, "units.yml:", "'cd-giao-duk' không tồn tại", "'cd-giao-duc'")
    one(lines, "campaigns.yml:5:", "'end' đứng trước 'start'")
    one(lines, "sections.yml:2:", "chữ thường không dấu")


def test_all_problems_at_once_and_warnings_too(site):
    site.article("2024/a.md", {**GOOD, "Unit": "khong-co"})
    site.article("2024/b.md", {**GOOD, "Date": "30/2/2024"})
    site.article("2024/c.md", {**GOOD, "Title": "Ngoài chiến dịch", "Date": "1/6/2024", "Campaigns": "thang-cong-nhan-2024"})
    site.write("pages/trang.md", "Title: Trang\nColor: red\n\nx\n")
    lines = report(site)
    one(lines, "articles/2024/a.md:3: lỗi E031:")
    one(lines, "articles/2024/b.md:2: lỗi E021:")
    one(lines, "articles/2024/c.md:4: cảnh báo W034:", "ngoài thời gian chiến dịch")
    one(lines, "pages/trang.md:2: lỗi E003:", "khóa 'Color'")


def test_campaign_outside_window_only_warns(site, caplog):
    site.article("2024/c.md", {**GOOD, "Title": "Ngoài chiến dịch", "Date": "1/6/2024", "Campaigns": "thang-cong-nhan-2024"})
    site.build()
    assert site.exists("/2024/06/ngoai-chien-dich/")
    assert any("articles/2024/c.md:4: cảnh báo W034:" in r.getMessage() for r in caplog.records)


def test_draft_problems_warn_without_blocking(site, caplog):
    site.article("2024/nhap.md", {**GOOD, "Unit": "chua-co", "Status": "draft"})
    site.build()
    assert any("articles/2024/nhap.md:3: cảnh báo E031: (bản nháp)" in r.getMessage() for r in caplog.records)


def test_failed_build_keeps_the_previous_output(site):
    site.build()
    before = sorted(p.relative_to(site.output) for p in site.output.rglob("*"))
    home = (site.output / "index.html").read_bytes()
    site.article("2024/loi.md", {**GOOD, "Unit": "khong-co"})
    site.fail()
    assert sorted(p.relative_to(site.output) for p in site.output.rglob("*")) == before
    assert (site.output / "index.html").read_bytes() == home
    # Nothing of the failed build is left: only the lock, the folder of the current build and its manifest.
    builds = site.output.parent / ".output-builds"
    assert sorted(p.name for p in builds.iterdir()) == [site.output.resolve().name, "manifest.json"]
    assert sorted(p.name for p in site.output.parent.iterdir() if p.name.startswith(".output")) == [
        ".output-builds", ".output.lock", ".output.lock.info"]


def test_alias_taken_by_another_page_is_an_error(site):
    site.article("2024/x.md", {**GOOD, "Aliases": "/gioi-thieu/"})
    one(report(site), "articles/2024/x.md:4: lỗi E208:", "'/gioi-thieu/index.html'")


def test_the_command_line_reports_without_traceback(site, monkeypatch):
    import subprocess
    import sys

    from support import ROOT, epoch

    site.article("2024/loi.md", {**GOOD, "Unit": "khong-co"})
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    result = subprocess.run([sys.executable, "-m", "invoke", "build", "--content", str(site.content),
                             "--output", str(site.output)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "articles/2024/loi.md:3: lỗi E031: đơn vị 'khong-co'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
