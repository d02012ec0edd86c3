"""Full-text search: the records Pagefind indexes, the bundle a build writes,
the search page and the header search box. What the browser does with them
(typing "cong doan" finds "Công đoàn") is tested with Playwright separately."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import time
import unicodedata
from pathlib import Path

import pytest

from support import Site
from plugins.search import bundle, core
from plugins.search.indexer import SearchIndexError, write_bundle

FILTER_NAMES = {"unit": "Đơn vị", "campaign": "Chiến dịch", "type": "Loại tin", "year": "Năm"}


def searchable(text: str) -> str:
    """What Pagefind matches: no combining marks (the stroke of a folded đ included), lower case."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def fragments(output: Path) -> dict[str, dict]:
    """The records as Pagefind stored them, by URL."""
    found = {}
    for path in (output / "pagefind").glob("20*/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        record = json.loads(raw[len(b"pagefind_dcd"):])
        found[record["url"]] = record
    return found


# ---------- fold ----------

@pytest.mark.parametrize("text, folded", [
    ("Công đoàn", "Công d\u0335oàn"),
    ("ĐOÀN VIÊN Đông", "D\u0335OÀN VIÊN D\u0335ông"),
    (unicodedata.normalize("NFD", "Công đoàn"), "Công d\u0335oàn"),  # decomposed in, NFC out
    ("không có chữ đê", "không có chữ d\u0335ê"),
    ("", ""),
])
def test_fold(text, folded):
    assert core.fold(text) == folded
    assert core.fold(folded) == folded  # idempotent
    assert core.unfold(folded) == unicodedata.normalize("NFC", text)
    assert len(folded.split()) == len(text.split())  # no word split or joined: positions unchanged


def test_fold_matches_what_readers_type():
    title = "Công đoàn ngành Giáo dục trao quà cho đoàn viên"
    for query in ("cong doan", "Cong Doan", "công đoàn", "cong đoan", "CÔNG ĐOÀN"):
        assert searchable(core.fold(query)) in searchable(core.fold(title))
    assert "doan" not in searchable(title)  # without the fold, đ keeps its stroke


def test_stray_strokes_are_dropped_and_a_stroked_d_is_a_d_with_stroke():
    assert core.fold("a\u0335b") == "ab"
    assert core.unfold(core.fold("d\u0335ồng")) == "đồng"
    assert core.clean("x \u0335 y") == "x y"


# ---------- plain text and records ----------

def test_plain_text_separates_blocks_and_keeps_words_whole():
    html = ('<p>Sáng 3/5, <strong>Công</strong> đoàn&nbsp;tổ chức</p><p>lễ phát&#160;động.</p>'
            '<figure><picture><img src="a.jpg" alt="Ảnh"></picture><figcaption>Ảnh: Bình</figcaption></figure>'
            '<script>var x = 1;</script><!-- ghi chú --><ul><li>Một</li><li>Hai\u200bba\u00ad</li></ul>'
            'ngày<br>mai\ufeff<em>nay</em>')
    assert core.plain_text(html) == "Sáng 3/5, Công đoàn tổ chức lễ phát động. Ảnh: Bình Một Hai ba ngày mainay"


def test_join_sentences():
    assert core.join_sentences("Tiêu đề", "", "Sa-pô?", "Nội dung") == "Tiêu đề. Sa-pô? Nội dung"


def test_record_of_an_article():
    record = core.record(core.ArticleFacts(
        url="/2024/05/le-phat-dong/", title="Lễ  phát động Tháng Công nhân",
        date=dt.datetime(2024, 5, 3, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        body_html="<p>Công đoàn ngành Giáo dục đã tổ chức <strong>lễ phát động</strong>.</p>",
        summary_html="Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động.",
        unit_name="Công đoàn ngành Giáo dục", unit_ids=("cd-giao-duc", "ldld-tinh"),
        campaign_ids=("thang-cong-nhan-2024",), type_id="bai", type_label="Bài viết",
        date_label="3/5/2024", image_url="/images/cover-480.abc.jpg",
        tags=("Tháng Công nhân", " An toàn  lao động ", "Tháng Công nhân", ""),
        campaign_names=("Tháng Công nhân năm 2024",),
    ))
    assert record.url == "/2024/05/le-phat-dong/"
    assert core.unfold(record.content) == (
        "Lễ phát động Tháng Công nhân. Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động. "
        "Công đoàn ngành Giáo dục đã tổ chức lễ phát động.")
    assert "đ" not in record.content and "cong doan nganh giao duc da to chuc" in searchable(record.content)
    assert {k: core.unfold(v) for k, v in record.meta.items()} == {
        "title": "Lễ phát động Tháng Công nhân", "unit": "Công đoàn ngành Giáo dục", "type": "Bài viết",
        "date": "3/5/2024", "datetime": "2024-05-03", "image": "/images/cover-480.abc.jpg",
        "tags": "Tháng Công nhân; An toàn lao động", "campaigns": "Tháng Công nhân năm 2024"}
    # Tags and campaign names are searched (metadata), not shown in the excerpt: the content is the article's.
    assert "An toàn" not in core.unfold(record.content)
    assert record.filters == {"unit": ["cd-giao-duc", "ldld-tinh"], "campaign": ["thang-cong-nhan-2024"],
                              "type": ["bai"], "year": ["2024"]}
    assert record.sort == {"date": "2024-05-03T08:30"}


def test_record_without_optional_parts():
    record = core.record(core.ArticleFacts(url="/a/", title="Tin", date=dt.datetime(2025, 1, 2), body_html=""))
    assert record.content == "Tin"
    assert record.filters == {"year": ["2025"]}
    assert set(record.meta) == {"title", "date", "datetime"}


# ---------- Pagefind ----------

def facts(i: int) -> core.ArticleFacts:
    return core.ArticleFacts(url=f"/{i}/", title=f"Đoàn viên số {i}", date=dt.datetime(2020 + i % 5, 1, 1),
                             body_html="<p>Công đoàn cơ sở thăm hỏi người lao động.</p>",
                             unit_ids=(f"u{i % 7}", "goc"), campaign_ids=(f"c{i % 3}",), type_id=("tin", "bai")[i % 2])


def test_bundle_is_reproducible_and_not_slow(tmp_path):
    records = [core.record(facts(i)) for i in range(300)]
    started = time.perf_counter()
    assert write_bundle(records, tmp_path / "a" / "pagefind") == 300
    # pagefind 1.5.2's own client waits 0.1 s per reply: 30 s here.
    assert time.perf_counter() - started < 15
    write_bundle(records, tmp_path / "b" / "pagefind")

    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/wasm.unknown.pagefind"} <= set(first)
    entry = json.loads(first["pagefind/pagefind-entry.json"])
    assert entry["languages"]["vi"]["page_count"] == 300
    meta = bundle.read(tmp_path / "a" / "pagefind" / f"pagefind.{entry['languages']['vi']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["campaign", "type", "unit", "year"]
    year = bundle.read(tmp_path / "a" / "pagefind" / "filter" / f"{dict(meta[3])['year']}.pf_filter")
    assert [value for value, _ in year[1]] == ["2020", "2021", "2022", "2023", "2024"]


def test_cbor_codec_round_trips():
    value = ["1.5.2", [["vi_abc", 7]], [], [["unit", "vi_1"]], [[0, 23, 24, 255, 256, 65535, 65536, 2**32]], ["đ"]]
    assert bundle.decode(bundle.encode(value)) == (value, len(bundle.encode(value)))


def fake_binary(tmp_path: Path, script: str) -> str:
    path = tmp_path / "pagefind"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return str(path)


def test_a_missing_binary_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "khong-co"))
    with pytest.raises(SearchIndexError, match="không chạy được pagefind"):
        write_bundle([core.record(facts(1))], tmp_path / "out")


def test_a_binary_that_dies_is_a_clear_error_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_binary(tmp_path, 'echo "lỗi: thiếu thư viện" >&2; exit 3'))
    started = time.perf_counter()
    with pytest.raises(SearchIndexError) as info:
        write_bundle([core.record(facts(i)) for i in range(50)], tmp_path / "out")
    assert time.perf_counter() - started < 20
    assert "mã thoát 3" in str(info.value) and "lỗi: thiếu thư viện" in str(info.value)


# ---------- a real build ----------

@pytest.fixture(scope="module")
def built(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        site = Site(tmp_path_factory.mktemp("search"), mp, image_cache=image_cache)
        site.article("2024/hien-mau.md", {
            "Title": "Đoàn viên Công đoàn ngành Giáo dục hiến máu", "Date": "12/8/2024 07:00",
            "Unit": "cdcs-truong-a", "Type": "anh", "Slug": "hien-mau", "Tags": "Hiến máu nhân đạo, Đoàn viên",
        }, "Buổi hiến máu diễn ra trên đường Lê Lợi. Đồng chí Bí thư Đảng ủy tới dự.")
        site.build()
        yield site


def test_build_writes_a_bundle_per_half_year(built):
    top = built.output / "pagefind"
    assert sorted(p.name for p in top.iterdir()) == ["2024-h1", "2024-h2", "pagefind.js", "tu-vung"]
    counts = {}
    for shard in ("2024-h1", "2024-h2"):
        bundle_dir = top / shard
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.unknown.pagefind"):
            assert (bundle_dir / name).stat().st_size > 0, name
        assert list((bundle_dir / "index").glob("*.pf_index")) and list((bundle_dir / "filter").glob("*.pf_filter"))
        assert not (bundle_dir / "playground").exists()
        counts[shard] = json.loads((bundle_dir / "pagefind-entry.json").read_text())["languages"]["vi"]["page_count"]
    assert counts == {"2024-h1": 2, "2024-h2": 2}  # May and June; July and August
    # The search page's one entry point is the script every shard holds.
    assert (top / "pagefind.js").read_bytes() == (top / "2024-h2" / "pagefind.js").read_bytes()


def test_one_record_per_published_article(built):
    stored = fragments(built.output)
    assert sorted(stored) == [
        "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/",
        "/2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/",
        "/2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/",
        "/2024/08/hien-mau/",
    ]
    for url, record in stored.items():
        assert built.exists(url)
        words = record["content"].split(" ")
        # The browser rebuilds excerpts from these words: Pagefind kept the text as given.
        assert record["word_count"] == len(words) and "" not in words, url
        assert "đ" not in record["content"] and "Đ" not in record["content"]


def test_record_of_the_launch_article(built):
    record = fragments(built.output)["/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"]
    text = core.unfold(record["content"])
    assert text.startswith("Lễ phát động Tháng Công nhân năm 2024. Sáng 3/5, Công đoàn ngành Giáo dục tổ chức lễ phát động. "
                           "Sáng 3/5/2024, Công đoàn ngành Giáo dục đã tổ chức lễ phát động.")
    assert "cong doan nganh giao duc" in searchable(record["content"])
    meta = {k: core.unfold(v) for k, v in record["meta"].items()}
    assert meta["title"] == "Lễ phát động Tháng Công nhân năm 2024"
    assert meta["unit"] == "Công đoàn ngành Giáo dục"
    assert (meta["date"], meta["datetime"], meta["type"]) == ("3/5/2024", "2024-05-03", "Bài viết")
    assert meta["image"].startswith("/images/cover-") and meta["image"].endswith(".jpg")
    assert meta["campaigns"] == "Tháng Công nhân năm 2024"
    assert record["filters"] == {"unit": ["cd-giao-duc", "ldld-tinh"], "campaign": ["thang-cong-nhan-2024"],
                                 "type": ["bai"], "year": ["2024"]}


def test_sub_unit_articles_are_in_their_parents_filters(built):
    record = fragments(built.output)["/2024/08/hien-mau/"]
    assert record["filters"]["unit"] == ["cdcs-truong-a", "cd-giao-duc", "ldld-tinh"]
    assert "campaign" not in record["filters"]
    assert core.unfold(record["meta"]["title"]) == "Đoàn viên Công đoàn ngành Giáo dục hiến máu"
    assert core.unfold(record["meta"]["tags"]) == "Hiến máu nhân đạo; Đoàn viên" and "campaigns" not in record["meta"]
    assert "Đồng chí Bí thư Đảng ủy" in core.unfold(record["content"])


def test_the_index_holds_d_words_without_their_stroke(built):
    words = b"".join(gzip.decompress(p.read_bytes()) for p in (built.output / "pagefind").glob("20*/index/*.pf_index"))
    for word in ("duong", "dang", "dong"):  # đường, Đảng, Đồng: only in the new article
        assert word.encode() in words, word


def test_search_page(built):
    page = built.html("/tim-kiem/")
    assert page.select_one('meta[name="robots"]')["content"].startswith("noindex")
    assert page.select_one('script[src="/theme/js/search.js"]') is not None
    root = page.select_one("[data-search]")
    assert root["data-bundle"] == "/pagefind/"
    assert root["data-shards"] == "2024-h2 2024-h1"  # newest first: the primary index
    form = page.select_one('form.search-form[role="search"]')
    assert form["action"] == "/tim-kiem/" and form.get("method") == "get"
    field = form.select_one('input[type="search"][name="q"]')
    assert form.select_one(f'label[for="{field["id"]}"]').get_text(strip=True) == "Tìm kiếm"
    for name, label in FILTER_NAMES.items():
        select = form.select_one(f'select[name="{name}"]')
        assert form.select_one(f'label[for="{select["id"]}"]').get_text(strip=True) == label
        options = select.select("option")
        assert options[0]["value"] == "" and options[0].get_text().startswith("Tất cả")
    values = lambda name: {o["value"]: o.get_text().strip() for o in form.select(f'select[name="{name}"] option[value!=""]')}  # noqa: E731
    assert values("unit") == {
        "ldld-tinh": "Liên đoàn Lao động tỉnh Thử Nghiệm (4)", "ban-tuyen-giao": "Ban Tuyên giáo (1)",
        "cd-giao-duc": "Công đoàn ngành Giáo dục (3)", "cdcs-truong-a": "Công đoàn cơ sở Trường Tiểu học A (2)",
    }
    assert [o["value"] for o in form.select('select[name="unit"] option')][1:] == [
        "ldld-tinh", "ban-tuyen-giao", "cd-giao-duc", "cdcs-truong-a"]  # the unit tree, in order
    assert values("campaign") == {"thang-cong-nhan-2024": "Tháng Công nhân năm 2024 (1)"}
    assert values("type") == {"tin": "Tin (2)", "bai": "Bài viết (1)", "anh": "Ảnh (1)"}
    assert values("year") == {"2024": "2024 (4)"}
    status = page.select_one("#search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert page.select_one("ol.search-results") is not None
    assert page.select_one("button.search-more").has_attr("hidden")
    assert "JavaScript" in page.select_one("noscript").get_text()


def test_header_search_box_on_every_page(built):
    pages = [p for p in built.output.rglob("*.html") if "pagefind" not in p.parts]
    with_header = 0
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'class="site-header"' not in text:
            continue  # redirects of old addresses
        with_header += 1
        soup = built.html("/" + path.relative_to(built.output).as_posix())
        form = soup.select_one('.site-header form.site-search[role="search"]')
        assert form is not None and form["action"] == "/tim-kiem/" and form.get("method") == "get", path
        field = form.select_one('input[type="search"][name="q"]')
        assert field["placeholder"] == "Tìm tin bài…"
        assert form.select_one(f'label[for="{field["id"]}"]').get_text(strip=True) == "Tìm kiếm trên trang"
        assert form.select_one('button[type="submit"] .visually-hidden').get_text(strip=True) == "Tìm"
    assert with_header >= 10


def test_search_page_is_not_in_the_sitemap(built):
    sitemap = (built.output / "sitemap.xml").read_text()
    assert "tim-kiem" not in sitemap and "pagefind" not in sitemap
    assert "Disallow" not in (built.output / "robots.txt").read_text()


def test_a_failing_pagefind_fails_the_build(site, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "khong-co-pagefind"))
    failure = site.fail()
    assert "chỉ mục tìm kiếm" in str(failure)
    assert not site.output.exists()  # nothing half-built was published


def test_settings_are_checked():
    from plugins.search.settings import load

    assert load({}).bundle_dir == "pagefind"
    assert load({}).shard_by == "half" and load({"PORTAL_SEARCH": {"shard_by": "year"}}).shard_by == "year"
    assert load({"PORTAL_SEARCH": {"excerpt_words": 20}}).excerpt_words == 20
    for bad in ({"bundle_dir": "../x"}, {"excerpt_words": 1}, {"nope": 1}, {"shard_by": "month"}):
        with pytest.raises(ValueError):
            load({"PORTAL_SEARCH": bad})


def test_pagefind_is_not_reached_over_the_network():
    """The binary comes from the pagefind[bin] wheel: nothing is downloaded at build time."""
    from pagefind.service import get_executable

    binary = get_executable()
    assert binary is not None and binary.is_file() and os.access(binary, os.X_OK)
