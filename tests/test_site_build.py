"""Whole builds of small content folders: URLs, pages and what readers see."""

import datetime as dt

from support import NOW, card_titles, links, photo_url

LE_PHAT_DONG = "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"


def test_url_scheme(site):
    site.build()
    for url in (
        "/", LE_PHAT_DONG, "/2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/",
        "/don-vi/", "/don-vi/cd-giao-duc/", "/don-vi/ldld-huyen-cu/",
        "/chien-dich/", "/chien-dich/thang-cong-nhan-2024/",
        "/chuyen-muc/", "/chuyen-muc/tin-hoat-dong/", "/chuyen-muc/chinh-sach-phap-luat/",
        "/the/", "/the/thang-cong-nhan/", "/the/an-toan-lao-dong/",
        "/luu-tru/", "/luu-tru/2024/", "/luu-tru/2024/05/", "/gioi-thieu/",
        "/404.html", "/sitemap.xml", "/robots.txt", photo_url(site, "cover", 800), "/files/ke-hoach.pdf",
    ):
        assert site.exists(url), url
    assert not site.exists("/images/cover.jpg")
    assert not list(site.output.glob("**/misc*")) and not list(site.output.glob("drafts"))
    assert not (site.output / "category").exists() and not (site.output / "author").exists()


def test_article_page(site):
    site.build()
    page = site.html(LE_PHAT_DONG)
    assert page.html["lang"] == "vi"
    assert page.h1.get_text(strip=True) == "Lễ phát động Tháng Công nhân năm 2024"
    time = page.select_one("article time")
    assert time["datetime"] == "2024-05-03T08:30:00+07:00"
    assert time.get_text(strip=True) == "Thứ Sáu, 3/5/2024, 08:30 (GMT+7)"
    hrefs = links(page)
    for href in ("/don-vi/cd-giao-duc/", "/chien-dich/thang-cong-nhan-2024/", "/chuyen-muc/tin-hoat-dong/",
                 "/the/an-toan-lao-dong/", "/files/ke-hoach.pdf"):
        assert href in hrefs
    assert any(h.startswith("https://www.facebook.com/sharer/sharer.php?u=") for h in hrefs)
    assert page.select_one("[data-url]") is not None
    captions = [f.get_text(strip=True) for f in page.select("figcaption")]
    assert "Ảnh: Nguyễn Văn An" in captions and "Ảnh: Trần Thị Bình" in captions
    body_image = page.select_one(".article-content figure img") or page.select("figure img")[-1]
    assert body_image["src"] == photo_url(site, "cover", 800)
    attachment = page.find("a", href="/files/ke-hoach.pdf").parent.get_text(" ", strip=True)
    assert "PDF" in attachment and "1,7 KB" in attachment
    assert "Nguyễn Văn An" in page.get_text()
    breadcrumbs = page.select_one('nav[aria-label="Đường dẫn"]') or page.select_one(".breadcrumbs")
    assert "Tin hoạt động" in breadcrumbs.get_text()
    assert page.find("link", rel="canonical")["href"] == LE_PHAT_DONG


def test_republished_item_links_its_source_and_external_video_is_a_link(site):
    site.build()
    page = site.html("/2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/")
    source = page.find("a", href="https://laodong.example.vn/bai-goc.html")
    assert source is not None and "Báo Lao Động" in source.get_text()
    video_page = site.html("/2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/")
    assert video_page.find("a", href="https://www.youtube.com/watch?v=abc123") is not None
    assert video_page.find("iframe") is None and video_page.find("video") is None


def test_local_video_plays_with_the_video_element(site):
    site.write("files/clip.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
    site.article("2024/clip.md", {"Title": "Clip", "Date": "1/8/2024", "Unit": "cd-giao-duc",
                                  "Type": "video", "Video": "files/clip.mp4", "Image": "images/cover.jpg"})
    site.build()
    video = site.html("/2024/08/clip/").find("video")
    assert video is not None and video.has_attr("controls")
    assert video.find("source")["src"] == "/files/clip.mp4" and video["poster"] == photo_url(site, "cover", 1200)


def test_unit_page_rolls_up_sub_units_and_links_the_tree(site):
    site.build()
    unit = site.html("/don-vi/cd-giao-duc/")
    assert card_titles(unit) == ["Trường Tiểu học A chăm lo cho giáo viên", "Lễ phát động Tháng Công nhân năm 2024"]
    assert "Công đoàn cơ sở Trường Tiểu học A" in unit.get_text()
    hrefs = links(unit)
    assert "/don-vi/ldld-tinh/" in hrefs and "/don-vi/cdcs-truong-a/" in hrefs
    root = site.html("/don-vi/ldld-tinh/")
    assert len(card_titles(root)) == 3
    grassroots = site.html("/don-vi/cdcs-truong-a/")
    assert card_titles(grassroots) == ["Trường Tiểu học A chăm lo cho giáo viên"]
    tree = site.html("/don-vi/")
    items = [a["href"] for a in tree.select("main a") if a["href"].startswith("/don-vi/")]
    assert items.index("/don-vi/ldld-tinh/") < items.index("/don-vi/cd-giao-duc/") < items.index("/don-vi/cdcs-truong-a/")
    nested = tree.find("a", href="/don-vi/cdcs-truong-a/").find_parent("ul").find_parent("li")
    assert nested.find("a")["href"] == "/don-vi/cd-giao-duc/"


def test_campaign_page_shows_window_slogans_and_articles(site):
    site.build()
    page = site.html("/chien-dich/thang-cong-nhan-2024/")
    text = page.get_text(" ", strip=True)
    assert "1/5/2024" in text and "31/5/2024" in text
    assert "Công nhân an toàn, doanh nghiệp phát triển" in text
    assert card_titles(page) == ["Lễ phát động Tháng Công nhân năm 2024"]
    assert "/chien-dich/thang-cong-nhan-2024/" in links(site.html("/chien-dich/"))


def test_lists_are_paginated(site):
    for day in range(1, 31):
        site.article(f"2024/nhieu/tin-{day}.md", {"Title": f"Tin số {day}", "Date": f"{day}/9/2024 07:00",
                                                  "Unit": "cdcs-truong-a"})
    site.build()
    first = site.html("/don-vi/cd-giao-duc/")
    assert len(card_titles(first)) == 12
    assert "/don-vi/cd-giao-duc/trang/2/" in links(first)
    third = site.html("/don-vi/cd-giao-duc/trang/3/")
    assert len(card_titles(third)) == 32 - 24
    assert not site.exists("/don-vi/cd-giao-duc/trang/4/")
    assert site.exists("/trang/2/") and site.exists("/chuyen-muc/tin-hoat-dong/trang/2/")
    assert card_titles(site.html("/luu-tru/2024/09/"))[0] == "Tin số 30"
    assert site.html("/trang/2/").find("a", rel="prev") is not None


def test_day_first_and_offset_dates_decide_the_url(site):
    site.article("2024/a.md", {"Title": "Ngày ba tháng bảy", "Date": "03/07/2024 10:00", "Unit": "ban-tuyen-giao"})
    site.article("2024/b.md", {"Title": "Giao thừa", "Date": "2023-12-31T18:30:00+00:00", "Unit": "ban-tuyen-giao"})
    site.build()
    assert site.exists("/2024/07/ngay-ba-thang-bay/")
    assert site.exists("/2024/01/giao-thua/") and site.exists("/luu-tru/2024/01/")
    assert not site.exists("/2023/12/giao-thua/")
    time = site.html("/2024/01/giao-thua/").select_one("article time")
    assert time["datetime"] == "2024-01-01T01:30:00+07:00"


def test_bom_crlf_and_decomposed_text(site):
    decomposed = "Công đoàn Đổi mới".replace("ô", "o\u0302").replace("ổ", "o\u0302\u0309")
    raw = "\ufeff" + f"Title: {decomposed}\r\nDate: 5/3/2024\r\nUnit: ban-tuyen-giao\r\n\r\nXin chào\r\n"
    site.write("articles/2024/bom.md", raw.encode("utf-8"))
    site.build()
    page = site.html("/2024/03/cong-doan-doi-moi/")
    assert page.h1.get_text(strip=True) == "Công đoàn Đổi mới"
    assert "\r" not in (site.output / "2024/03/cong-doan-doi-moi/index.html").read_text(encoding="utf-8")


def test_drafts_and_scheduled_items(site):
    site.article("2026/nhap.md", {"Title": "Bản nháp", "Date": "1/11/2026", "Unit": "ban-tuyen-giao", "Status": "draft"})
    site.article("2026/hen-gio.md", {"Title": "Hẹn giờ", "Date": "15/12/2026 08:00", "Unit": "ban-tuyen-giao"})
    built = site.build()
    assert not site.exists("/2026/11/ban-nhap/") and not site.exists("/2026/12/hen-gio/")
    summary = built.summary()
    assert "3 đã đăng, 1 bản nháp, 1 hẹn giờ" in summary
    assert "hẹn giờ Thứ Ba, 15/12/2026, 08:00 (GMT+7): articles/2026/hen-gio.md" in summary
    assert "bản nháp: articles/2026/nhap.md" in summary
    assert "Hẹn giờ" not in site.html("/").get_text()
    assert "hen-gio" not in (site.output / "sitemap.xml").read_text()
    site.build(now=dt.datetime(2026, 12, 15, 8, 0, tzinfo=NOW.tzinfo))
    assert site.exists("/2026/12/hen-gio/") and not site.exists("/2026/11/ban-nhap/")
    assert "Hẹn giờ" in site.html("/").get_text()


def test_slug_collisions_publish_both_and_warn(site, caplog):
    for name, day in (("sau.md", "2/6/2024"), ("truoc.md", "1/6/2024"), ("cung-ngay-b.md", "2/6/2024")):
        site.article(f"2024/{name}", {"Title": "Hội nghị", "Date": day, "Unit": "ban-tuyen-giao"})
    site.build()
    first, second, third = (site.html(f"/2024/06/{s}/") for s in ("hoi-nghi", "hoi-nghi-2", "hoi-nghi-3"))
    assert first.select_one("article time")["datetime"].startswith("2024-06-01")
    assert second.select_one("article time")["datetime"].startswith("2024-06-02")
    warnings = [r.getMessage() for r in caplog.records if "trùng" in r.getMessage()]
    # Same date: the path decides, so cung-ngay-b.md comes before sau.md.
    assert any(w.startswith("articles/2024/cung-ngay-b.md:") and "/2024/06/hoi-nghi-2/" in w and "Slug" in w for w in warnings)
    assert any(w.startswith("articles/2024/sau.md:") and "/2024/06/hoi-nghi-3/" in w for w in warnings)
    assert "Hội nghị" in third.h1.get_text()


def test_slug_fixes_the_url_and_aliases_redirect(site):
    site.article("2024/doi-ten.md", {"Title": "Tiêu đề đã sửa", "Slug": "tieu-de-ban-dau", "Date": "9/9/2024",
                                     "Unit": "ban-tuyen-giao", "Aliases": "/tin-cu/bai-9.html, /old/bai-9/"})
    site.build()
    assert site.exists("/2024/09/tieu-de-ban-dau/") and not site.exists("/2024/09/tieu-de-da-sua/")
    for old in ("/tin-cu/bai-9.html", "/old/bai-9/", "/tin-tuc/le-phat-dong.html"):
        page = site.html(old)
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh.startswith("0; url=/20") and page.find("link", rel="canonical")["href"] in refresh
    assert "/2024/09/tieu-de-ban-dau/" in site.html("/old/bai-9/").find("link", rel="canonical")["href"]


def test_titles_are_escaped_and_bodies_sanitised(site):
    site.article("2024/xau.md", {"Title": "<script>alert('x')</script> & \"trích\"", "Slug": "tieu-de-doc",
                                 "Date": "2/2/2024", "Unit": "ban-tuyen-giao"},
                 '<script>alert(1)</script>\n\n<img src="images/cover.jpg" alt="a" onerror="alert(2)">\n\n'
                 '[bấm](javascript:alert(3)) <a href="#" onmouseover="alert(4)">x</a>')
    site.build()
    raw = (site.output / "2024/02/tieu-de-doc/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "&lt;script&gt;alert(‘x’)&lt;/script&gt; &amp; “trích”" in raw
    for needle in ("onerror", "onmouseover", "javascript:"):
        assert needle not in raw
    assert "<script>alert" not in (site.output / "index.html").read_text(encoding="utf-8")


def test_home_page_has_lead_latest_and_section_blocks(site):
    site.build()
    home = site.html("/")
    text = home.get_text(" ", strip=True)
    assert "Lễ phát động Tháng Công nhân năm 2024" in text
    for section in ("/chuyen-muc/tin-hoat-dong/", "/chuyen-muc/chinh-sach-phap-luat/"):
        assert section in links(home)
    assert "Dữ liệu mẫu" in text


def test_sitemap_and_robots(site):
    site.build()
    sitemap = (site.output / "sitemap.xml").read_text()
    assert f"<loc>{LE_PHAT_DONG}</loc><lastmod>2024-05-03T08:30:00+07:00</lastmod>" in sitemap
    assert "/tin-tuc/le-phat-dong.html" not in sitemap
    assert "Sitemap: /sitemap.xml" in (site.output / "robots.txt").read_text()


def test_pelican_static_syntax_and_article_relative_paths(site):
    site.article("2024/static.md", {"Title": "Cú pháp static", "Date": "4/4/2024", "Unit": "ban-tuyen-giao",
                                    "Image": "{static}/images/cover.jpg"},
                 "![Ảnh](%7Bstatic%7D/images/cover.jpg)\n\n![Ảnh hai]({static}/images/cover.jpg)\n")
    site.build()
    page = site.html("/2024/04/cu-phap-static/")
    published = photo_url(site, "cover", 800)
    assert page.select_one("figure img")["src"] == published
    images = page.select("article img")
    assert len(images) >= 2 and all(img["src"] == published for img in images)
    assert "Ảnh" not in site.html("/don-vi/ban-tuyen-giao/").select_one(".card-summary").get_text()


def test_two_builds_are_identical_and_the_cache_is_used(site, tmp_path):
    site.build()
    first = site.output
    snapshot = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert any(site.cache.rglob("*")), "the reader cache was not written"
    site.build()
    second = site.output
    assert {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()} == snapshot
