"""NewsArticle structured data on article pages and the owner's details in every footer."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from plugins.publishing import footer, structured
from support import NOW, ROOT, Site
from support.structured import json_ld, schema_errors, validator

HOSTILE = "Tin </script><script>alert(1)</script> & <b>đậm</b>"
LONG = " ".join(["Công đoàn ngành Giáo dục tổ chức hội nghị người lao động"] * 3)
BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def built(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        site = Site(tmp_path_factory.mktemp("structured"), mp, image_cache=image_cache)
        (site.content / "images").mkdir(exist_ok=True)
        shutil.copy(ROOT / "content" / "images" / "logo.png", site.content / "images" / "logo.png")
        site.article("2024/hostile.md", {"Title": HOSTILE, "Date": "2024-08-01 07:15", "Unit": "cd-giao-duc",
                                         "Category": "tin-hoat-dong", "Slug": "tin-hostile"})
        site.article("2024/dai.md", {"Title": LONG, "Date": "2024-08-02 07:15", "Modified": "2024-08-05T18:00:00Z",
                                     "Unit": "cdcs-truong-a", "Category": "tin-hoat-dong", "Slug": "tin-dai"})
        site.build()
        yield site


def test_every_article_page_has_one_block_that_the_schema_accepts(built):
    check = validator()
    pages = sorted(built.output.glob("20*/*/*/index.html"))
    assert len(pages) == 5
    for page in pages:
        blocks = json_ld(built.html(page.parent.relative_to(built.output).as_posix() + "/"))
        assert len(blocks) == 1, page
        assert schema_errors(check, blocks[0]) == [], page


def test_the_values_are_the_article_s(built):
    (data,) = json_ld(built.html("2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"))
    assert data["headline"] == "Lễ phát động Tháng Công nhân năm 2024"
    assert data["description"] == "Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động."
    assert data["datePublished"] == data["dateModified"] == "2024-05-03T08:30:00+07:00"
    assert data["author"] == {"@type": "Person", "name": "Nguyễn Văn An"}
    assert data["publisher"] == {"@type": "Organization", "name": "Cổng thông tin Công đoàn tỉnh Hà Sơn",
                                 "logo": {"@type": "ImageObject", "url": BASE + "images/logo.png"}}
    assert data["mainEntityOfPage"] == BASE + "2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"
    assert data["articleSection"] == "Tin hoạt động"
    assert data["keywords"] == ["Tháng Công nhân", "an toàn lao động"]
    assert data["inLanguage"] == "vi"
    assert data["image"] and all(url.startswith(BASE + "images/cover-") for url in data["image"])
    assert (built.output / data["image"][0].removeprefix(BASE)).is_file()


def test_without_author_or_cover_the_unit_writes_and_no_image_is_named(built):
    (data,) = json_ld(built.html("2024/08/tin-dai/"))
    assert data["author"] == {"@type": "Organization", "name": "Công đoàn cơ sở Trường Tiểu học A"}
    assert "image" not in data and "keywords" not in data
    assert data["dateModified"] == "2024-08-06T01:00:00+07:00"
    assert len(data["headline"]) <= 110 and data["headline"].endswith("…")
    assert LONG.startswith(data["headline"][:-1])


def test_a_hostile_title_stays_inside_the_json(built):
    page = (built.output / "2024/08/tin-hostile/index.html").read_text(encoding="utf-8")
    soup = built.html("2024/08/tin-hostile/")
    (data,) = json_ld(soup)
    assert data["headline"] == HOSTILE
    assert "alert(1)" not in "".join(s.get_text() for s in soup.find_all("script") if s.get("type") != "application/ld+json")
    scripts = [s.get("src") or s.get("type") for s in soup.find_all("script")]
    # The theme's own files and the one data block; nothing the title could have added.
    assert [s for s in scripts if not s.startswith("/theme/js/")] == ["application/ld+json"]
    theme_scripts = {path.name for path in (ROOT / "theme" / "static" / "js").glob("*.js")}
    assert all(s.removeprefix("/theme/js/") in theme_scripts for s in scripts if s.startswith("/theme/js/"))
    assert "<script>alert(1)" not in page and "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page


@pytest.mark.parametrize("url", ["", "2024/05/le-phat-dong-thang-cong-nhan-nam-2024/", "don-vi/cd-giao-duc/"])
def test_every_page_shows_the_footer_from_the_settings(built, url):
    address = built.html(url).select_one("footer address.footer-contact")
    lines = [p.get_text(" ", strip=True) for p in address.find_all("p")]
    assert lines == ["Cơ quan chủ quản: Liên đoàn Lao động tỉnh Hà Sơn",
                     "Địa chỉ: Số 12 đường Lê Lợi, phường Bến Thủy, tỉnh Hà Sơn",
                     "Điện thoại: 0239 3855 123", "Thư điện tử: bbt@ldldhason.vn",
                     "Chịu trách nhiệm nội dung: Trần Minh Hải, Phó Chủ tịch Liên đoàn Lao động tỉnh Hà Sơn"]
    assert [a["href"] for a in address.find_all("a")] == ["tel:02393855123", "mailto:bbt@ldldhason.vn"]
    licence = built.html(url).select_one("footer .footer-licence").get_text(strip=True)
    assert licence.startswith("Giấy phép số 01/GP-STTTT do Sở Thông tin và Truyền thông tỉnh Hà Sơn cấp ngày")


def test_empty_footer_fields_are_left_out(site):
    site.build(PORTAL_FOOTER={"owner": "Công đoàn Thử", "email": "", "phone": "+84 239 38 55 123"})
    soup = site.html("")
    assert [p["class"] for p in soup.select("footer address p")] == [["footer-owner"], ["footer-phone"]]
    assert soup.select_one("footer address a")["href"] == "tel:+842393855123"
    assert soup.select("footer .footer-licence") == []
    site.build(PORTAL_FOOTER={})
    assert site.html("").select("footer address, footer .footer-licence") == []


# --- Pure parts


def test_headline_is_cut_on_a_word():
    assert structured.headline("Ngắn gọn") == "Ngắn gọn"
    assert structured.headline("một hai ba bốn", limit=10) == "một hai…"
    assert structured.headline("x" * 20, limit=10) == "x" * 9 + "…"
    assert structured.headline("  hai   khoảng  ") == "hai khoảng"


def test_times_are_written_in_the_site_s_zone():
    moment = dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.timezone.utc)
    assert structured.timestamp(moment) == "2025-01-01T03:00:00+07:00"
    assert structured.timestamp(NOW) == "2026-11-22T09:00:00+07:00"


def test_the_script_text_never_holds_markup_characters():
    text = structured.script_text({"headline": "a</script><!-- & >"})
    assert not set("<>&") & set(text)
    assert text == '{"headline":"a\\u003c/script\\u003e\\u003c!-- \\u0026 \\u003e"}'


@pytest.mark.parametrize("given, needle", [
    ({"phone": "gọi 0239"}, "số điện thoại 'gọi 0239'"),
    ({"email": "bbt at ldld"}, "'bbt at ldld' không phải địa chỉ thư điện tử"),
    ({"owner": 12}, "PORTAL_FOOTER['owner']: cần một dòng chữ"),
    ({"fax": "1"}, "unknown keys ['fax']"),
])
def test_a_wrong_footer_setting_is_named(given, needle):
    with pytest.raises(ValueError, match=needle.replace("[", r"\[").replace("(", r"\(")):
        footer.load({"PORTAL_FOOTER": given})
