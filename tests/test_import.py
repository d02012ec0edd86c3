"""`invoke import`: a WordPress export and an RSS feed written for the tests, imported into a copy of
the basic fixture, checked by `check` and built by Pelican."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from plugins.importer import body, core
from plugins.importer.cli import ImportRefused, run
from plugins.importer.sources import SourceError, read_wordpress
from plugins.tools.check import check
from support import FIXTURES, NOW, Site

IMPORT = FIXTURES / "import"
WXR = IMPORT / "wordpress.xml"
# Every item of wordpress.xml the import cannot carry: (file, code).
UNCARRIED = [
    ("articles/2023/2023-04-20-ban-nhap-ke-hoach-thang-cong-nhan.md", "W807"),
    ("articles/2023/2023-05-10-hoi-nghi-nguoi-lao-dong-2023.md", "W802"),
    ("articles/2023/2023-05-10-hoi-nghi-nguoi-lao-dong-2023.md", "W801"),
    ("articles/2023/2023-05-10-hoi-nghi-nguoi-lao-dong-2023.md", "W809"),
    ("articles/2023/2023-07-01-quy-dinh-moi-bhxh.md", "W803"),
    ("articles/2023/2023-07-01-quy-dinh-moi-bhxh.md", "W804"),
    ("articles/2023/2023-07-01-quy-dinh-moi-bhxh.md", "W810"),
    ("articles/2024/2024-05-02-le-phat-dong-thang-cong-nhan-nam-2024-2.md", "W817"),
    ("articles/2023/2023-08-01-tai-lieu-noi-bo.md", "W822"),
    ("wordpress.xml", "W816"),
    ("wordpress.xml", "W821"),
]
FILLED = {"chinh-sach": ("ban-tuyen-giao", "chinh-sach-phap-luat"), "tin-hoat-dong": ("cd-giao-duc", "")}


def fill(mapping: Path) -> None:
    """Fill the mapping as a federation would: a unit for each category, one author left to the categories."""
    text, category = [], ""
    for line in mapping.read_text(encoding="utf-8").splitlines():
        if line.startswith('  "'):
            category = line.strip().strip(':"')
        if line == "    unit:":
            line += " " + FILLED.get(category, ("cd-giao-duc", ""))[0]
        if line == "    section:" and FILLED.get(category, ("", ""))[1]:
            line += " " + FILLED[category][1]
        text.append(line)
    mapping.write_text("\n".join(text) + "\n", encoding="utf-8")


def imported(tmp_path, monkeypatch, uploads: Path | None = IMPORT / "uploads") -> tuple[Site, Path, Path]:
    site = Site(tmp_path, monkeypatch)
    mapping, report = tmp_path / "import-map.yml", tmp_path / "bao-cao-nhap.txt"
    first = run("wordpress", WXR, site.content, uploads, mapping, report)
    assert first.unmapped and not first.written and first.map_written
    fill(mapping)
    second = run("wordpress", WXR, site.content, uploads, mapping, report)
    assert second.written and not second.unmapped and not second.map_written
    return site, mapping, report


def reported(report: Path) -> list[tuple[str, str]]:
    return [(line.split(":", 1)[0], line.split("cảnh báo ", 1)[1][:4]) for line in
            report.read_text(encoding="utf-8").splitlines()]


def test_an_unmapped_export_writes_only_the_mapping(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    before = sorted(p for p in site.content.rglob("*"))
    outcome = run("wordpress", WXR, site.content, IMPORT / "uploads", tmp_path / "map.yml", tmp_path / "r.txt")
    assert sorted(p for p in site.content.rglob("*")) == before
    text = (tmp_path / "map.yml").read_text(encoding="utf-8")
    for key in ('"tin-hoat-dong":', '"chinh-sach":', '"bientap":', '"giaoduc":', 'name: "Nguyễn Thị Hoà"'):
        assert key in text
    assert len(outcome.unmapped) == 6 and any("Bài chờ duyệt" in line for line in outcome.unmapped)


def test_the_import_passes_check_and_the_report_lists_exactly_what_was_not_carried(tmp_path, monkeypatch):
    site, mapping, report = imported(tmp_path, monkeypatch)
    assert sorted(reported(report)) == sorted(UNCARRIED)
    findings = check(site.content, NOW)
    assert [str(p) for p in findings.problems if p.severity == "error"] == []
    meeting = (site.content / UNCARRIED[1][0]).read_text(encoding="utf-8")
    # NFC from the NFD export, the local date from the GMT one, the unit and section from the mapping.
    assert "Title: Hội nghị người lao động năm 2023 tại Công ty May Đồng Tiến\n" in meeting
    assert meeting == unicodedata.normalize("NFC", meeting)
    assert "Date: 10/5/2023 07:30\n" in meeting and "Unit: cd-giao-duc\n" in meeting
    assert "Author: Nguyễn Thị Hoà\n" in meeting and "Tags: hội nghị người lao động, may mặc\n" in meeting
    assert "Summary: Hơn 300 đoàn viên dự hội nghị người lao động năm 2023.\n" in meeting
    assert "Featured: yes\n" in meeting  # sticky on the old home page
    assert "Image: images/2023/06/anh-dai-dien.jpg\nImageAlt: Đoàn viên dự hội nghị\n" in meeting
    # The 1024x683 size is not in the uploads: the original is copied; the PDF goes to files/.
    assert "![Quang cảnh hội nghị](images/2023/05/hoi-nghi.jpg)" in meeting
    assert "[tải về](files/2023/05/ke-hoach-2023.pdf)" in meeting
    assert (site.content / "images/2023/05/hoi-nghi.jpg").read_bytes() == (IMPORT / "uploads/2023/05/hoi-nghi.jpg").read_bytes()
    assert (site.content / "files/2023/05/ke-hoach-2023.pdf").is_file()
    assert '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>' in meeting
    # A [caption] keeps its photo, the caption as the photo's title (the portal's caption).
    assert '![Đoàn viên biểu quyết](images/2023/06/anh-dai-dien.jpg "Đoàn viên biểu quyết")' in meeting
    assert '> **Ghi chú khi nhập:** thư viện ảnh \\[gallery\\]' in meeting and '` [gallery ids="21,22,23"] `' in meeting
    policy = (site.content / UNCARRIED[4][0]).read_text(encoding="utf-8")
    # 18:30 GMT on 30 June is 01:30 on 1 July in Hà Nội; the old /2023/06/ address becomes an alias.
    assert "Date: 1/7/2023 01:30\n" in policy and "Aliases: /2023/06/quy-dinh-moi-bhxh/\n" in policy
    assert "Unit: ban-tuyen-giao\n" in policy and "Category: chinh-sach-phap-luat\n" in policy
    assert "<script>alert" not in policy.replace('` <script>alert("x")</script> `', "")


def test_drafts_stay_drafts_trash_is_skipped_and_clashes_get_a_suffix(tmp_path, monkeypatch):
    site, _, _ = imported(tmp_path, monkeypatch)
    articles = site.content / "articles"
    assert "Status: draft\n" in (articles / "2023/2023-04-20-ban-nhap-ke-hoach-thang-cong-nhan.md").read_text(encoding="utf-8")
    assert "Status: draft\n" in (articles / "2023/2023-04-21-bai-cho-duyet.md").read_text(encoding="utf-8")
    assert not list(articles.rglob("*bai-da-xoa*")) and not list(site.content.rglob("*bong-da*"))
    # A post behind a password is not made public by the import.
    assert "Status: draft\n" in (articles / "2023/2023-08-01-tai-lieu-noi-bo.md").read_text(encoding="utf-8")
    # The basic fixture has this URL already: the import takes -2 and leaves the old address to its owner.
    clash = (articles / "2024/2024-05-02-le-phat-dong-thang-cong-nhan-nam-2024-2.md").read_text(encoding="utf-8")
    assert "Slug: le-phat-dong-thang-cong-nhan-nam-2024-2\n" in clash and "Aliases:" not in clash
    page = (site.content / "pages/lien-he-ban-bien-tap.md").read_text(encoding="utf-8")
    assert page.startswith("Title: Liên hệ Ban Biên tập\nSlug: lien-he-ban-bien-tap\n")


def test_a_second_run_changes_nothing_and_keeps_an_editors_changes(tmp_path, monkeypatch):
    site, mapping, report = imported(tmp_path, monkeypatch)
    files = {p: p.read_bytes() for p in sorted(site.content.rglob("*")) if p.is_file()}
    again = run("wordpress", WXR, site.content, IMPORT / "uploads", mapping, report)
    assert again.written == [] and len(again.unchanged) == 8 and not again.map_written
    assert {p: p.read_bytes() for p in sorted(site.content.rglob("*")) if p.is_file()} == files
    # Once the site is published, the URL record holds the imported addresses: still nothing changes.
    from plugins.publishing.record import update

    update(site.content, NOW, write=True)
    assert (site.content / "urls.lock").is_file()
    recorded = run("wordpress", WXR, site.content, IMPORT / "uploads", mapping, report)
    assert recorded.written == [] and recorded.kept == [] and len(recorded.unchanged) == 8
    edited = site.content / UNCARRIED[4][0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("Đoàn viên cần biết", "Người lao động cần biết"),
                      encoding="utf-8")
    third = run("wordpress", WXR, site.content, IMPORT / "uploads", mapping, report)
    assert third.kept == [UNCARRIED[4][0]] and third.written == []
    assert "Người lao động cần biết" in edited.read_text(encoding="utf-8")


def test_the_built_site_redirects_every_old_address(tmp_path, monkeypatch):
    site, _, _ = imported(tmp_path, monkeypatch)
    site.build()
    assert site.exists("/2023/05/hoi-nghi-nguoi-lao-dong-2023/") and site.exists("/lien-he-ban-bien-tap/")
    assert site.exists("/lich-su/")
    # The WordPress child page's old address leads to the page's new one.
    assert "Aliases: /gioi-thieu/lich-su/\n" in (site.content / "pages/lich-su.md").read_text(encoding="utf-8")
    old_page = site.html("/gioi-thieu/lich-su/")
    assert old_page.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("/lich-su/")
    assert old_page.find("link", rel="canonical")["href"].endswith("/lich-su/")
    page = site.html("/2023/06/quy-dinh-moi-bhxh/")
    assert page.find("link", rel="canonical")["href"].endswith("/2023/07/quy-dinh-moi-bhxh/")
    # Every alias the import wrote answers with a redirect to its article's new address.
    redirected = 0
    for path in sorted((site.content / "articles/2023").glob("*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        if "Aliases" not in fields or fields.get("Status") == "draft":
            continue
        day, month, year = fields["Date"].split(" ")[0].split("/")
        for alias in fields["Aliases"].split(", "):
            refresh = site.html(alias).find("meta", attrs={"http-equiv": "refresh"})["content"]
            assert refresh.endswith(f"/{year}/{int(month):02d}/{fields['Slug']}/"), (alias, refresh)
            redirected += 1
    assert redirected == 1
    shown = site.html("/2023/05/hoi-nghi-nguoi-lao-dong-2023/").select_one(".article-content")
    main = str(shown)
    assert "Ghi chú khi nhập" in shown.blockquote.get_text() and "<script" not in main and "<iframe" not in main
    # The YouTube video is the portal's click-to-load poster, linking to the video.
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in main


def test_an_rss_feed_is_imported_with_its_old_addresses(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    outcome = run("rss", IMPORT / "rss.xml", site.content, None, tmp_path / "map.yml", tmp_path / "r.txt",
                  default_unit="cd-giao-duc")
    assert sorted(outcome.written) == ["articles/2024/2024-01-15-trao-qua-giao-vien.md",
                                       "articles/2024/2024-02-20-hoi-thi-giao-vien-gioi.md"]
    gift = (site.content / "articles/2024/2024-01-15-trao-qua-giao-vien.md").read_text(encoding="utf-8")
    assert "Date: 15/1/2024 09:15\n" in gift and "Aliases: /tin-tuc/trao-qua-giao-vien.html\n" in gift
    assert "Author: Lê Thị Mai\n" in gift and "Summary: Sáu mươi suất quà cho giáo viên vùng cao.\n" in gift
    assert sorted(code for _, code in reported(tmp_path / "r.txt")) == ["W807", "W810"]
    files = {p: p.read_bytes() for p in sorted(site.content.rglob("*")) if p.is_file()}
    again = run("rss", IMPORT / "rss.xml", site.content, None, tmp_path / "map.yml", tmp_path / "r.txt",
                default_unit="cd-giao-duc")
    assert again.written == [] and len(again.unchanged) == 2
    assert {p: p.read_bytes() for p in sorted(site.content.rglob("*")) if p.is_file()} == files
    assert [str(p) for p in check(site.content, NOW).problems if p.severity == "error"] == []
    site.build()
    assert site.html("/tin-tuc/trao-qua-giao-vien.html").find("link", rel="canonical")["href"].endswith(
        "/2024/01/trao-qua-giao-vien/")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss><channel><item><title>&c;</title></item></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL, b"<rss><channel><item>", b"\x00\xff not xml"])
def test_hostile_exports_are_refused_with_a_message(data):
    with pytest.raises(SourceError) as info:
        read_wordpress(data, "export.xml")
    assert info.value.problem.code in ("E801", "E802") and info.value.problem.path == "export.xml"


def test_paths_out_of_the_uploads_are_never_read(tmp_path, monkeypatch):
    uploads = tmp_path / "uploads"
    shutil.copytree(IMPORT / "uploads", uploads)
    secret = tmp_path / "secret.jpg"
    secret.write_bytes((IMPORT / "uploads/2023/05/hoi-nghi.jpg").read_bytes())
    (uploads / "2023/05/thieu-anh.jpg").symlink_to(secret)
    from plugins.importer.uploads import Uploads
    from plugins.importer.settings import DEFAULTS

    content = tmp_path / "content"
    content.mkdir()
    copier = Uploads(uploads, content, DEFAULTS)
    for url in ("https://x.vn/wp-content/uploads/../../secret.jpg", "https://x.vn/wp-content/uploads//etc/passwd.jpg",
                "https://x.vn/wp-content/uploads/2023/05/thieu-anh.jpg", "https://x.vn/wp-content/uploads/%2e%2e/secret.jpg"):
        assert copier.locate(url, "photo").note.code == "W813", url
    assert copier.locate("https://x.vn/wp-content/uploads/2023/05/a.exe", "file").note.code == "W812"
    assert not list(content.rglob("*"))


def test_refusals_before_anything_is_written(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    with pytest.raises(ImportRefused, match="--default-unit"):
        run("wordpress", WXR, site.content, None, tmp_path / "m.yml", tmp_path / "r.txt", default_unit="khong-co")
    with pytest.raises(ImportRefused, match="trong thư mục nội dung"):
        run("wordpress", WXR, site.content, None, site.content / "m.yml", tmp_path / "r.txt")
    with pytest.raises(ImportRefused, match="wordpress hoặc rss"):
        run("joomla", WXR, site.content, None, tmp_path / "m.yml", tmp_path / "r.txt")


def test_a_wrong_unit_in_the_mapping_is_told_at_its_line(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    mapping = tmp_path / "m.yml"
    mapping.write_text('categories:\n  "tin-hoat-dong":\n    unit: cd-giao-duk\n    section: khong-co\nauthors: {}\n',
                       encoding="utf-8")
    outcome = run("wordpress", WXR, site.content, None, mapping, tmp_path / "r.txt")
    assert outcome.failed and not outcome.written
    assert [(p.line, p.code) for p in outcome.problems] == [(3, "E806"), (4, "E807")]
    assert outcome.problems[0].message.endswith("Có phải ý bạn là 'cd-giao-duc'?")


def test_notes_quote_the_original_as_code():
    block = body.note_block(body.Note("W803", "mã ngắn"), 240)
    assert block == "> **Ghi chú khi nhập:** mã ngắn."
    quoted = body.note_block(body.Note("W803", "mã ngắn", "[x a=`b`]\n<b>"), 240)
    assert quoted == "> **Ghi chú khi nhập:** mã ngắn. Nội dung gốc: `` [x a=`b`] <b> ``"
    assert body.note_block(body.Note("W801", "khung <iframe> [x](y)"), 9) == "> **Ghi chú khi nhập:** khung &lt;iframe&gt; \\[x\\]\\(y\\)."


def test_a_photo_that_is_not_one_and_a_symlinked_images_folder_are_not_carried(tmp_path, monkeypatch):
    from plugins.importer.uploads import Uploads
    from plugins.importer.settings import DEFAULTS

    uploads, content, elsewhere = tmp_path / "uploads", tmp_path / "content", tmp_path / "elsewhere"
    (uploads / "2023").mkdir(parents=True)
    (uploads / "2023/trang.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    shutil.copy(IMPORT / "uploads/2023/05/hoi-nghi.jpg", uploads / "2023/that.jpg")
    content.mkdir()
    elsewhere.mkdir()
    copier = Uploads(uploads, content, DEFAULTS)
    assert copier.locate("https://x.vn/wp-content/uploads/2023/trang.jpg", "photo").note.code == "W819"
    (content / "images").symlink_to(elsewhere)
    assert copier.locate("https://x.vn/wp-content/uploads/2023/that.jpg", "photo").note.code == "W813"
    assert not list(elsewhere.rglob("*"))


def test_a_huge_export_is_refused_unread(tmp_path, monkeypatch):
    from plugins.importer.settings import ImportSettings

    site = Site(tmp_path, monkeypatch)
    with pytest.raises(ImportRefused, match="lớn hơn"):
        run("wordpress", WXR, site.content, None, tmp_path / "m.yml", tmp_path / "r.txt",
            settings=ImportSettings(max_export_bytes=1024))


def test_the_import_task_prints_the_unmapped_items_and_stops(tmp_path, monkeypatch):
    import subprocess
    import sys

    from support import ROOT

    site = Site(tmp_path, monkeypatch)
    command = [sys.executable, str(ROOT / "tasks.py"), "import", str(WXR), "--from", "wordpress", "--uploads",
               str(IMPORT / "uploads"), "--content", str(site.content), "--mapping", str(tmp_path / "m.yml"),
               "--report", str(tmp_path / "r.txt")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert "6 bài chưa có đơn vị:" in result.stdout and "Traceback" not in result.stderr
    fill(tmp_path / "m.yml")
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 bình luận của bạn đọc không được nhập" in result.stdout
    assert "Đã ghi 8 tệp" in result.stdout and "11 điều không mang sang được" in result.stdout


def test_an_item_whose_file_would_fail_check_is_not_written_and_is_reported(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    # ldld-huyen-cu exists until 30/6/2025 only: a post dated 2026 cannot be its article.
    feed = (IMPORT / "rss.xml").read_text(encoding="utf-8").replace("Mon, 15 Jan 2024", "Thu, 15 Jan 2026")
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    outcome = run("rss", tmp_path / "feed.xml", site.content, None, tmp_path / "m.yml", tmp_path / "r.txt",
                  default_unit="ldld-huyen-cu")
    assert len(outcome.written) == 1 and not list((site.content / "articles").rglob("2026-*"))
    assert "W820" in [code for _, code in reported(tmp_path / "r.txt")]
    assert [str(p) for p in check(site.content, NOW).problems if p.severity == "error"] == []


def test_text_stays_text_and_the_old_text_cannot_fake_a_placeholder():
    def nowhere(url, kind):
        return body.Located(note=body.Note("W809", "thiếu ảnh", url))

    converted = body.convert_body("<p>Gõ &lt;script&gt;alert(1)&lt;/script&gt; &amp; IMPORTMARK7END</p><p># 5 giải</p>"
                             "<p>&gt; trích</p><p>[gallery]</p>", nowhere, "ảnh", 240)
    lines = converted.markdown.splitlines()
    assert lines[0] == "Gõ &lt;script>alert(1)&lt;/script> &amp; IMPORTMARK7END"
    assert r"\# 5 giải" in lines and r"\> trích" in lines
    assert [n.code for n in converted.notes] == ["W802"] and body.note_lines(converted.markdown) == [7]


def test_tags_nested_thousands_deep_keep_their_words():
    def found(url, kind):
        return body.Located(path="images/x.jpg")

    converted = body.convert_body("<div>" * 3000 + "Chữ <b>còn</b> lại [gallery]" + "</div>" * 3000, found, "ảnh", 240)
    assert [n.code for n in converted.notes] == ["W823", "W802"] and "Chữ" in converted.markdown
    assert len(body.note_lines(converted.markdown)) == 2


def test_a_placeholder_the_parser_swallows_still_leaves_its_note_and_odd_addresses_do_not_stop_it():
    def nowhere(url, kind):
        return body.Located(note=body.Note("W809", "thiếu ảnh", url))

    converted = body.convert_body('<p title="[gallery ids=1]">Chữ</p><img src="http://[::1/wp-content/uploads/a.jpg">',
                             nowhere, "ảnh", 240)
    assert [n.code for n in converted.notes] == ["W809", "W802"]
    assert len(body.note_lines(converted.markdown)) == 2 and converted.markdown.startswith("Chữ")
    assert core.old_address("http://[::1/a/").note.code == "W808"


def test_html_lines_breaks_and_headings_come_out_as_the_portal_reads_them():
    def found(url, kind):
        return body.Located(path="images/x.jpg")

    converted = body.convert_body("<h1>Mục một</h1><p>câu một\ncâu hai<br />\ndòng sau</p><p>[Xem](javascript:a) ![](y) `m`</p>"
                             "<pre>giữ\nnguyên</pre>", found, "ảnh", 240)
    assert converted.markdown.splitlines()[:5] == ["## Mục một", "", "câu một câu hai<br> dòng sau", "",
                                              r"\[Xem\](javascript:a) !\[\](y) \`m\`"]
    assert "giữ\nnguyên" in converted.markdown


def test_the_sites_own_sections_are_never_taken_by_a_page_or_an_old_address(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    export = WXR.read_text(encoding="utf-8").replace("lien-he-ban-bien-tap", "tim-kiem").replace(
        "https://ldld-cu.example.vn/2023/06/quy-dinh-moi-bhxh/", "https://ldld-cu.example.vn/the/bhxh/").replace(
        "https://ldld-cu.example.vn/gioi-thieu/lich-su/", "https://ldld-cu.example.vn/don-vi/lich-su/")
    (tmp_path / "export.xml").write_text(export, encoding="utf-8")
    outcome = run("wordpress", tmp_path / "export.xml", site.content, IMPORT / "uploads", tmp_path / "m.yml",
                  tmp_path / "r.txt", default_unit="cd-giao-duc")
    assert "pages/tim-kiem-2.md" in outcome.written
    assert ("articles/2023/2023-07-01-quy-dinh-moi-bhxh.md", "W817") in reported(tmp_path / "r.txt")
    # A page's old address in one of the site's sections is told, not written as its alias.
    history = (site.content / "pages/lich-su.md").read_text(encoding="utf-8")
    assert "Aliases:" not in history and "không chuyển hướng sang trang này" in history
    assert ("pages/lich-su.md", "W817") in reported(tmp_path / "r.txt")
    assert [str(p) for p in check(site.content, NOW).problems if p.severity == "error"] == []


def test_a_file_already_at_the_new_name_is_never_written_over(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch)
    mine = site.write("articles/2024/2024-01-15-trao-qua-giao-vien.md",
                      "Title: Bài khác\nDate: 15/1/2024 08:00\nUnit: cd-giao-duc\nSlug: bai-khac\n\nNội dung.\n")
    before = mine.read_bytes()
    outcome = run("rss", IMPORT / "rss.xml", site.content, None, tmp_path / "m.yml", tmp_path / "r.txt",
                  default_unit="cd-giao-duc")
    assert mine.read_bytes() == before
    assert "articles/2024/2024-01-15-trao-qua-giao-vien-2.md" in outcome.written
