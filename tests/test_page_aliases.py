"""A page's old addresses (``Aliases``) redirect to it and are checked as an article's are."""

from __future__ import annotations

import pytest

from plugins.tools.check import check
from support import NOW, Site

GOOD = {"Title": "Tin tốt", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}


def page(site: Site, name: str, header: dict[str, str], body: str = "Nội dung trang.") -> None:
    site.write(f"pages/{name}", "\n".join(f"{k}: {v}" for k, v in header.items()) + "\n\n" + body + "\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    return Site(tmp_path, monkeypatch)


def test_a_pages_old_addresses_redirect_to_it(site):
    page(site, "lich-su.md", {"Title": "Lịch sử", "Slug": "lich-su",
                              "Địa chỉ cũ": "/gioi-thieu/lich-su/, /web-cu/lich-su.html"})
    site.build()
    assert "Lịch sử" in site.html("/lich-su/").h1.get_text()
    for old in ("/gioi-thieu/lich-su/", "/web-cu/lich-su.html"):
        shown = site.html(old)
        assert shown.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/lich-su/"
        assert shown.find("link", rel="canonical")["href"].endswith("/lich-su/")


BROKEN_PAGES = {
    "khong-hop-le.md": "/trang cũ/lịch sử.html",                # E211
    "trung-muc.md": "/don-vi/cu/",                             # E207: a section of the site
    "trung-trang.md": "/gioi-thieu/",                           # E208: another page's URL
    "trung-bai.md": "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/",   # E208: an article's URL
    "chinh-no.md": "/chinh-no/",                                # E208: its own URL
    "a-truoc.md": "/tin-tuc/cu-chung.html",
    "b-sau.md": "/tin-tuc/cu-chung.html",                       # E208: a page took it first
}
EXPECTED = [
    "articles/2024/cu.md:4: lỗi E208: địa chỉ cũ '/web-cu/trang.html' đã được dùng bởi pages/a-truoc.md",
    "pages/b-sau.md:3: lỗi E208: địa chỉ cũ '/tin-tuc/cu-chung.html' đã được dùng bởi pages/a-truoc.md",
    "pages/chinh-no.md:3: lỗi E208: địa chỉ cũ '/chinh-no/index.html' đã được dùng bởi pages/chinh-no.md",
    "pages/khong-hop-le.md:3: lỗi E211: địa chỉ cũ '/trang cũ/lịch sử.html' không hợp lệ",
    "pages/trung-bai.md:3: lỗi E208: địa chỉ cũ '/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/index.html' đã được dùng "
    "bởi articles/2024/le-phat-dong.md",
    "pages/trung-muc.md:3: lỗi E207: địa chỉ cũ '/don-vi/cu/index.html' trùng với",
    "pages/trung-trang.md:3: lỗi E208: địa chỉ cũ '/gioi-thieu/index.html' đã được dùng bởi pages/gioi-thieu.md",
]


def test_each_alias_problem_of_a_page_is_told_at_its_line_by_build_and_check(site):
    for name, alias in BROKEN_PAGES.items():
        page(site, name, {"Title": name, "Slug": name.removesuffix(".md"), "Aliases": alias})
    page(site, "a-truoc.md", {"Title": "Trang trước", "Slug": "a-truoc", "Aliases": "/tin-tuc/cu-chung.html, /web-cu/trang.html"})
    # A page is taken before every article, so the article claiming its old address is the one told.
    site.article("2024/cu.md", {**GOOD, "Aliases": "/web-cu/trang.html"})
    for lines in ([str(p) for p in site.fail().problems], [str(p) for p in check(site.content, NOW).problems]):
        aliases = sorted(line for line in lines if " E207:" in line or " E208:" in line or " E211:" in line)
        assert len(aliases) == len(EXPECTED), "\n".join(aliases)
        for line, start in zip(aliases, EXPECTED):
            assert line.startswith(start), (line, start)


def test_a_page_whose_old_address_is_taken_stays_without_redirects_when_keeping_going(site):
    page(site, "lich-su.md", {"Title": "Lịch sử", "Slug": "lich-su", "Aliases": "/gioi-thieu/, /web-cu/lich-su.html"})
    result = site.build(PORTAL_CONTRACT={"keep_going": True})
    lines = [str(p) for p in result.problems if p.path == "pages/lich-su.md"]
    assert "pages/lich-su.md:3: cảnh báo W304: trang vẫn được đăng nhưng không có địa chỉ cũ nào của trang được " \
           "chuyển hướng cho đến khi lỗi ở 'Aliases' được sửa" in lines
    assert site.exists("/lich-su/") and not site.exists("/web-cu/lich-su.html")
    assert "Trang giới thiệu." in site.html("/gioi-thieu/").get_text()
