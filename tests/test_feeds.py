"""Feeds parsed the way readers' software parses them (feedparser), plus raw XML checks."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from support import photo_url
from plugins.feeds import core

SITE = "https://congdoan.example.vn"
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_DIRS = ("", "don-vi/ldld-tinh/", "don-vi/cd-giao-duc/", "don-vi/cdcs-truong-a/", "don-vi/ban-tuyen-giao/",
             "don-vi/ldld-huyen-cu/", "chien-dich/thang-cong-nhan-2024/", "chuyen-muc/tin-hoat-dong/",
             "chuyen-muc/chinh-sach-phap-luat/")


@pytest.fixture
def built(site):
    site.article("2024/ky-tu.md", {"Title": 'Hội nghị "Người lao động" & <Doanh nghiệp>', "Slug": "ky-tu-dac-biet",
                                   "Date": "20/8/2024 15:45", "Unit": "cdcs-truong-a",
                                   "Summary": "Đối thoại **thẳng thắn**."},
                 "Xem [trang đơn vị](/don-vi/cdcs-truong-a/) và ![Ảnh](images/cover.jpg)")
    site.build(SITEURL=SITE)
    return site


def parse(site, path):
    feed = feedparser.parse((site.output / path).read_bytes())
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    return feed


def test_every_feed_parses_cleanly(built):
    written = sorted(p.relative_to(built.output).as_posix() for p in built.output.rglob("*.xml") if p.name != "sitemap.xml")
    expected = sorted(f"{d}{name}" for d in FEED_DIRS for name in ("rss.xml", "atom.xml"))
    assert written == expected
    for path in written:
        feed = parse(built, path)
        assert feed.feed.title and feed.feed.language == "vi"


def test_unit_feed_holds_the_unit_and_its_sub_units(built):
    titles = lambda path: [e.title for e in parse(built, path).entries]  # noqa: E731
    assert titles("don-vi/cd-giao-duc/rss.xml") == [
        "Hội nghị “Người lao động” & <Doanh nghiệp>",  # typographic quotes, as on the page
        "Trường Tiểu học A chăm lo cho giáo viên",
        "Lễ phát động Tháng Công nhân năm 2024",
    ]
    assert titles("don-vi/cdcs-truong-a/atom.xml") == titles("don-vi/cd-giao-duc/atom.xml")[:2]
    assert len(titles("don-vi/ldld-tinh/rss.xml")) == 4 == len(titles("rss.xml"))
    assert titles("chien-dich/thang-cong-nhan-2024/rss.xml") == ["Lễ phát động Tháng Công nhân năm 2024"]
    assert titles("chuyen-muc/chinh-sach-phap-luat/atom.xml") == ["Chính sách mới về bảo hiểm xã hội"]


def test_rss_items_carry_everything(built):
    feed = parse(built, "don-vi/cd-giao-duc/rss.xml")
    item = feed.entries[2]
    assert item.link == f"{SITE}/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"
    assert item.id.startswith("tag:congdoan.example.vn,2024-05-03:") and item.guidislink is False
    assert item.author == "Nguyễn Văn An"
    assert {t.term for t in item.tags} == {"Công đoàn ngành Giáo dục", "Tháng Công nhân năm 2024", "Tin hoạt động"}
    assert item.published == "Fri, 03 May 2024 08:30:00 +0700"
    assert item.summary == "<p>Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động.</p>"
    body = BeautifulSoup(item.content[0].value, "html.parser")
    assert [(i["src"], i.get("srcset")) for i in body.select("figure img")] == [(f"{SITE}{photo_url(built, 'cover', 800)}", None)]
    assert not body.select("picture, source")
    enclosure = item.enclosures[0]
    largest = photo_url(built, "cover", 1200).lstrip("/")
    size = (built.output / largest).stat().st_size
    assert (enclosure.href, int(enclosure.length), enclosure.type) == (f"{SITE}/{largest}", size, "image/jpeg")
    assert item.media_content[0]["url"] == f"{SITE}/{largest}"
    raw = ET.parse(built.output / "don-vi/cd-giao-duc/rss.xml").getroot()
    guid = raw.find("channel/item/guid")
    assert guid.get("isPermaLink") == "false"
    self_link = raw.find(f"channel/{ATOM}link")
    assert (self_link.get("rel"), self_link.get("href")) == ("self", f"{SITE}/don-vi/cd-giao-duc/rss.xml")


def test_atom_carries_the_image_and_offsets(built):
    feed = parse(built, "don-vi/cd-giao-duc/atom.xml")
    entry = feed.entries[2]
    image = [link for link in entry.links if link.rel == "enclosure"]
    largest = photo_url(built, "cover", 1200).lstrip("/")
    size = (built.output / largest).stat().st_size
    assert [(i.href, i.type, int(i.length)) for i in image] == [(f"{SITE}/{largest}", "image/jpeg", size)]
    assert [link.href for link in entry.links if link.rel == "alternate"] == [f"{SITE}/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"]
    raw = ET.parse(built.output / "don-vi/cd-giao-duc/atom.xml").getroot()
    published = [e.find(f"{ATOM}published").text for e in raw.findall(f"{ATOM}entry")]
    assert published == ["2024-08-20T15:45:00+07:00", "2024-06-10T09:00:00+07:00", "2024-05-03T08:30:00+07:00"]
    assert raw.find(f"{ATOM}updated").text == "2024-08-20T15:45:00+07:00"
    assert entry.author == "Nguyễn Văn An"


def test_titles_are_escaped_and_links_absolute(built):
    raw = (built.output / "rss.xml").read_text(encoding="utf-8")
    assert "<title>Hội nghị “Người lao động” &amp; &lt;Doanh nghiệp&gt;</title>" in raw
    for path in ("rss.xml", "atom.xml"):
        entry = parse(built, path).entries[0]
        assert entry.title == "Hội nghị “Người lao động” & <Doanh nghiệp>"
        assert f'href="{SITE}/don-vi/cdcs-truong-a/"' in entry.content[0].value
        assert entry.links and all(link.href.startswith(SITE + "/") for link in entry.links)


def test_channel_dates_come_from_items_not_the_clock(built):
    empty = parse(built, "don-vi/ldld-huyen-cu/rss.xml")
    assert empty.entries == []
    assert empty.feed.updated == "Tue, 20 Aug 2024 15:45:00 +0700"
    section = parse(built, "chuyen-muc/chinh-sach-phap-luat/rss.xml")
    assert section.feed.updated == "Mon, 01 Jul 2024 10:00:00 +0700"


def test_two_builds_give_byte_identical_feeds(built):
    first = {p: p.read_bytes() for p in built.output.rglob("*.xml")}
    built.build(SITEURL=SITE)
    assert {p: p.read_bytes() for p in built.output.rglob("*.xml")} == first


def test_guid_survives_title_and_url_edits(built):
    before = parse(built, "rss.xml").entries[0]
    path = built.content / "articles/2024/ky-tu.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Slug: ky-tu-dac-biet", "Slug: doi-thoai-2024")
                    .replace("Hội nghị", "Hội nghị đối thoại"), encoding="utf-8")
    built.build(SITEURL=SITE)
    after = parse(built, "rss.xml").entries[0]
    assert after.link.endswith("/2024/08/doi-thoai-2024/") and after.title.startswith("Hội nghị đối thoại")
    assert after.id == before.id


def test_item_limit_is_a_setting(site):
    for day in range(1, 8):
        site.article(f"2024/t{day}.md", {"Title": f"Tin {day}", "Date": f"{day}/10/2024", "Unit": "ban-tuyen-giao"})
    site.build(SITEURL=SITE, PORTAL_FEEDS={"max_items": 5})
    titles = [e.title for e in parse(site, "rss.xml").entries]
    assert titles == ["Tin 7", "Tin 6", "Tin 5", "Tin 4", "Tin 3"]


def test_pages_declare_their_feeds_and_the_rss_page_lists_them(built):
    def alternates(url):
        return {(link["type"], link["href"]) for link in built.html(url).find_all("link", rel="alternate")}

    assert ("application/rss+xml", f"{SITE}/rss.xml") in alternates("/")
    assert ("application/atom+xml", f"{SITE}/atom.xml") in alternates("/")
    for page in ("don-vi/cd-giao-duc/", "chien-dich/thang-cong-nhan-2024/", "chuyen-muc/tin-hoat-dong/"):
        found = alternates(f"/{page}")
        assert ("application/rss+xml", f"{SITE}/{page}rss.xml") in found
        assert ("application/atom+xml", f"{SITE}/{page}atom.xml") in found
    rss_page = built.html("/rss/")
    hrefs = {a["href"] for a in rss_page.select("main a")}
    for d in FEED_DIRS:
        assert f"{SITE}/{d}rss.xml" in hrefs and f"{SITE}/{d}atom.xml" in hrefs
    nested = rss_page.find("a", href=f"{SITE}/don-vi/cdcs-truong-a/rss.xml").find_parent("ul").find_parent("li")
    assert nested.find("a")["href"] == f"{SITE}/don-vi/cd-giao-duc/"
    assert "RSS" in rss_page.get_text() and "phần mềm đọc tin" in rss_page.get_text()
    assert f"{SITE}/rss/" in {a["href"] for a in built.html("/").select("footer a")}


# Characters that have no place in a feed: controls XML 1.0 forbids (\x0b, \x01, \x0c),
# DEL and a C1 control it discourages (readers show U+0085 as "…"), a non-character.
STRAY = "\x0b\x01\x0c\x7f\x85\ufffe"


def no_stray(text: str) -> bool:
    return not any(ch in text for ch in STRAY + "\x00\uffff\ud800")


def test_stray_control_characters_never_stop_the_feeds(site):
    site.article("2024/ky-tu-la.md", {"Title": f"Tin{STRAY} lạ", "Date": "20/8/2024 15:45", "Unit": "cdcs-truong-a",
                                      "Author": f"Lê{STRAY} Văn", "Summary": f"Tóm{STRAY} tắt"},
                 f"Nội{STRAY} dung.")
    site.build(SITEURL=SITE)
    feeds = sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.xml") if p.name != "sitemap.xml")
    assert len(feeds) == 2 * len(FEED_DIRS), feeds
    for path in feeds:
        parse(site, path)
    for path in ("rss.xml", "atom.xml", "don-vi/cdcs-truong-a/rss.xml"):
        entry = parse(site, path).entries[0]
        texts = (entry.title, entry.author, entry.summary, entry.content[0].value)
        assert all(no_stray(t) for t in texts), (path, texts)
        # The reader turns Word's line break (\x0b) into a line break in the body, a space in one-line fields.
        assert tuple(" ".join(t.split()) for t in texts) == ("Tin lạ", "Lê Văn", "<p>Tóm tắt</p>", "<p>Nội<br /> dung.</p>")


def test_the_feed_writer_drops_what_xml_cannot_hold():
    bad = STRAY + "\x00\uffff\ud800"
    day = dt.datetime(2024, 8, 20, 15, 45, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    channel = core.Channel(f"Kênh{bad} đơn vị", f"Mô tả{bad}.", f"{SITE}/don-vi/a{bad}/", f"{SITE}/rss.xml{bad}",
                           f"{SITE}/atom.xml{bad}", day, language=f"vi{bad}")
    item = core.FeedItem(
        guid=f"tag:congdoan.example.vn,2024-08-20:a{bad}.md", title=f"Tin{bad} lạ", link=f"{SITE}/tin{bad}/",
        published=day, updated=day, author=f"Lê{bad} Văn", categories=(f"Công đoàn{bad} ngành", f"Chiến dịch{bad}"),
        summary_html=f"<p>Tóm{bad} tắt\tngắn\r\n</p>", content_html=f"<p>Nội{bad} dung.</p>",
        image=core.Enclosure(f"{SITE}/images/a{bad}.jpg", 1000, f"image/jpeg{bad}"))
    assert item.summary_html == "<p>Tóm tắt\tngắn\r\n</p>"  # tab, CR and newline are XML
    for render in (core.render_rss, core.render_atom):
        feed = feedparser.parse(render(channel, [item]))
        assert feed.bozo == 0, (render.__name__, feed.get("bozo_exception"))
        assert (feed.feed.title, feed.feed.language) == ("Kênh đơn vị", "vi")
        entry = feed.entries[0]
        assert (entry.title, entry.author, entry.link, entry.id) == (
            "Tin lạ", "Lê Văn", f"{SITE}/tin/", "tag:congdoan.example.vn,2024-08-20:a.md")
        assert [t.term for t in entry.tags] == ["Công đoàn ngành", "Chiến dịch"]
        assert entry.content[0].value == "<p>Nội dung.</p>"
        assert [(e.href, e.type) for e in entry.enclosures] == [(f"{SITE}/images/a.jpg", "image/jpeg")]
