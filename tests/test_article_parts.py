"""Article parts readers asked for: a caption then the photographer, share buttons above the article,
titled attachments, typographic quotes, and a side column that a new item does not rewrite."""

from __future__ import annotations

import io
import zipfile

import pytest

from plugins.contract.articles import attachment_entries, size_label, split_credit
from plugins.contract.typography import curly_quotes
from support import files_of

GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


@pytest.mark.parametrize("caption, expected", [
    ("Ảnh: Phạm Văn Hải", ("", "Phạm Văn Hải")),
    ("Lễ trao quà cho công nhân. Ảnh: Minh Anh", ("Lễ trao quà cho công nhân.", "Minh Anh")),
    ("Lễ trao quà (Ảnh: Minh Anh)", ("Lễ trao quà", "Minh Anh")),
    ("Trao quà – Ảnh: Lê Thu", ("Trao quà", "Lê Thu")),
    ("Ảnh chụp tại lễ phát động", ("Ảnh chụp tại lễ phát động", "")),
    ("Anh Tuấn nhận quà", ("Anh Tuấn nhận quà", "")),
])
def test_a_caption_ending_in_anh_is_read_as_the_credit(caption, expected):
    assert split_credit(caption) == expected


def test_attachments_one_per_line_keep_commas_in_titles_and_the_old_list_still_works():
    lines = attachment_entries("\n- files/a.pdf | Kế hoạch số 12, năm 2025\n* files/b.docx\n\n- | Không có tệp")
    assert [(e.path, e.title) for e in lines] == [
        ("files/a.pdf", "Kế hoạch số 12, năm 2025"), ("files/b.docx", ""), ("", "Không có tệp")]
    assert [(e.path, e.title) for e in attachment_entries("files/a.pdf | Một, hai")] == [("files/a.pdf", "Một, hai")]
    assert [(e.path, e.title) for e in attachment_entries("files/a.pdf, files/b.pdf; files/a.pdf")] == [
        ("files/a.pdf", ""), ("files/b.pdf", "")]


@pytest.mark.parametrize("text, expected", [
    ('Phát động "Tháng Công nhân" năm 2026', "Phát động “Tháng Công nhân” năm 2026"),
    ('"Mái ấm công đoàn" cho chị Lan', "“Mái ấm công đoàn” cho chị Lan"),
    ("Công đoàn's 'Tết Sum vầy'", "Công đoàn’s ‘Tết Sum vầy’"),
    ('Chương trình ("Tết") mới', "Chương trình (“Tết”) mới"),
    ("Không có ngoặc", "Không có ngoặc"),
])
def test_curly_quotes_in_one_line_texts(text, expected):
    assert curly_quotes(text) == expected


def _caption(site, url: str) -> tuple[str, str]:
    figure = site.html(url).select_one(".article-cover figcaption")
    text, credit = figure.select_one(".caption-text"), figure.select_one(".caption-credit")
    return (text.get_text() if text else "", credit.get_text() if credit else "")


def test_article_page_parts(site):
    """One build: caption and credit, share buttons at both ends, attachments, quotes."""
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    site.write("files/bao-cao.docx", docx.getvalue())
    site.article("2024/anh-moi.md", {
        **GOOD, "Title": 'Trao "Mái ấm công đoàn" cho chị Lan', "Slug": "anh-moi", "Image": "images/cover.jpg",
        "ImageAlt": "Ngôi nhà mới", "ImageCaption": "Ngôi nhà chị Lan nhận ngày 1/3", "ImageCredit": "Lê Văn Hùng",
        "Attachments": "\n  - files/ke-hoach.pdf | Kế hoạch số 12, năm 2024\n  - files/bao-cao.docx"},
        body='Chị Lan nói "cảm ơn công đoàn", nhà mới\'s mái. Mã `x = "1"` và [liên kết](https://a.example/it\'s).')
    site.article("2024/hai-anh.md", {
        **GOOD, "Title": "Hai tên người chụp", "Slug": "hai-anh", "Date": "2/3/2024", "Image": "images/cover.jpg",
        "ImageCaption": "Lễ trao quà. Ảnh: Minh Anh", "ImageCredit": "Minh Anh"})
    built = site.build()

    warnings = [str(p) for p in built.problems]
    assert any("hai-anh.md:" in w and " W040:" in w and "'ImageCredit'" in w for w in warnings), warnings
    # Today's "Ảnh: …" captions are credits; a caption says what the photo shows, then comes the credit.
    assert _caption(site, "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/") == ("", "Ảnh: Nguyễn Văn An")
    assert _caption(site, "/2024/03/anh-moi/") == ("Ngôi nhà chị Lan nhận ngày 1/3", "Ảnh: Lê Văn Hùng")
    assert _caption(site, "/2024/03/hai-anh/") == ("Lễ trao quà.", "Ảnh: Minh Anh")

    page = site.html("/2024/03/anh-moi/")
    shares = page.select(".article .share")
    assert [s["class"] for s in shares] == [["share", "share--top"], ["share", "share--end"]]
    assert shares[0].find_parent("header", class_="article-header") is not None
    ids = [s["aria-labelledby"] for s in shares]
    assert len(set(ids)) == 2 and all(page.find(id=i) for i in ids)
    assert {s.select_one(".share-facebook")["href"] for s in shares} == {
        "https://www.facebook.com/sharer/sharer.php?u=http%3A//localhost%3A8000/2024/03/anh-moi/"}

    files = [(li.a.get_text(), li.select_one(".file-info").get_text()) for li in page.select(".attachments li")]
    assert files == [("Kế hoạch số 12, năm 2024", f"(PDF, {files[0][1].split(', ')[1]}"),
                     ("bao-cao.docx", f"(Word, {size_label(len(docx.getvalue()))})")]
    assert page.select(".attachments a")[0]["href"].endswith("/files/ke-hoach.pdf")

    assert page.select_one(".article-title").get_text() == "Trao “Mái ấm công đoàn” cho chị Lan"
    assert "Trao “Mái ấm công đoàn” cho chị Lan" in page.title.get_text()
    body = page.select_one(".article-content")
    assert "Chị Lan nói “cảm ơn công đoàn”, nhà mới’s mái." in body.get_text()
    assert body.code.get_text() == 'x = "1"'
    assert body.select_one("a[href^='https://a.example']")["href"] == "https://a.example/it's"


def test_an_attachment_title_without_a_file_is_an_error(site):
    site.article("2024/thieu.md", {**GOOD, "Title": "Thiếu tệp", "Attachments": "\n  - | Kế hoạch năm 2024"})
    lines = [str(p) for p in site.fail().problems]
    assert any(line.startswith("articles/2024/thieu.md:4: lỗi E040: tệp đính kèm “| Kế hoạch năm 2024”")
               for line in lines), lines


def test_a_new_item_rewrites_the_side_lists_not_the_other_articles(site):
    """The side column is fetched from shared lists: adding an item leaves the article pages as they were,
    except the one whose "Bài sau" now points to it."""
    site.build()
    before = files_of(site.output)
    site.article("2024/moi-nhat.md", {**GOOD, "Title": "Tin mới nhất của Ban", "Slug": "tin-moi-nhat",
                                      "Date": "1/8/2024 08:00", "Unit": "ldld-tinh"})
    site.build()
    after = files_of(site.output)

    newest_before = "2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/index.html"
    articles = [p for p in before if p.startswith("2024/") and p.endswith("/index.html") and p.count("/") == 3]
    assert len(articles) == 3 and newest_before in articles
    changed = [p for p in articles if before[p] != after[p]]
    assert changed == [newest_before]  # its "Bài sau" link, nothing else
    for name in ("khoi/moi-nhat.html", "khoi/moi-nhat/ldld-tinh.html"):
        assert "Tin mới nhất của Ban" in after[name].decode()
    assert "Tin mới nhất của Ban" not in after["khoi/moi-nhat/cd-giao-duc.html"].decode()

    page = site.html("/2024/08/tin-moi-nhat/")
    sources = [b["data-side-src"] for b in page.select(".article-aside [data-side-src]")]
    assert sources == ["/khoi/moi-nhat/ldld-tinh.html", "/khoi/moi-nhat.html"]
    # Without scripts the column is a plain link to the latest news.
    assert [a.get_text() for a in page.select(".article-aside .side-fallback a")] == [
        "Xem tin mới nhất của đơn vị", "Xem tin mới nhất"]
