"""The search index in shards by half-year: each shard's key, the shards a
ledger carries over instead of indexing them again, and, in Chromium, the
search page over the merged shards finding exactly what one index of the same
records finds (accent-free words, đ, every filter, "Xem thêm kết quả")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import logging
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest

from support import BrowserTab, Site, files_of, serving
from plugins.search import core, generator, shards
from plugins.search.indexer import Written, write_bundle, write_shards

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_browser fixture skips (or, in CI, fails) the browser tests
    expect = None

OPTIONS = (("language", "vi"), ("pagefind", "1.5.2"))


def facts(i: int, date: dt.datetime, unit: str = "u1") -> core.ArticleFacts:
    return core.ArticleFacts(url=f"/{date.year}/{i}/", title=f"Đoàn viên số {i}", date=date,
                             body_html="<p>Công đoàn cơ sở thăm hỏi người lao động.</p>", unit_ids=(unit,))


def dated(items: list[core.ArticleFacts]) -> list[tuple[dt.date, core.Record]]:
    return [(f.date.date(), core.record(f)) for f in items]


ARTICLES = [facts(1, dt.datetime(2024, 3, 1)), facts(2, dt.datetime(2024, 6, 30, 23, 59)),
            facts(3, dt.datetime(2024, 7, 1)), facts(4, dt.datetime(2025, 12, 31))]


# ---------- periods and keys ----------

def test_periods():
    assert shards.period(dt.date(2026, 6, 30), "half") == "2026-h1"
    assert shards.period(dt.date(2026, 7, 1), "half") == "2026-h2"
    assert shards.period(dt.date(2026, 7, 1), "year") == "2026"
    with pytest.raises(ValueError):
        shards.period(dt.date(2026, 7, 1), "month")


def test_records_are_split_by_half_year_newest_first():
    split = shards.split(dated(ARTICLES), "half", OPTIONS)
    assert [(s.name, [r.url for r in s.records]) for s in split] == [
        ("2025-h2", ["/2025/4/"]), ("2024-h2", ["/2024/3/"]), ("2024-h1", ["/2024/1/", "/2024/2/"])]
    by_year = shards.split(dated(ARTICLES), "year", OPTIONS)
    assert [(s.name, len(s.records)) for s in by_year] == [("2025", 1), ("2024", 3)]


def test_a_shard_key_changes_exactly_when_its_records_change():
    keys = {s.name: s.key for s in shards.split(dated(ARTICLES), "half", OPTIONS)}
    # The order the articles come in does not matter.
    assert {s.name: s.key for s in shards.split(dated(ARTICLES[::-1]), "half", OPTIONS)} == keys
    # One record edited: only its shard.
    edited = [ARTICLES[0], dataclasses.replace(ARTICLES[1], title="Đoàn viên số hai"), *ARTICLES[2:]]
    changed = {s.name: s.key for s in shards.split(dated(edited), "half", OPTIONS)}
    assert {n for n in keys if changed[n] != keys[n]} == {"2024-h1"}
    # A filter value is part of the record too.
    moved = [dataclasses.replace(ARTICLES[0], unit_ids=("u2",)), *ARTICLES[1:]]
    assert {n for n, k in ((s.name, s.key) for s in shards.split(dated(moved), "half", OPTIONS)) if k != keys[n]} \
        == {"2024-h1"}
    # An article moved to another half-year: both shards.
    later = [*ARTICLES[:1], dataclasses.replace(ARTICLES[1], date=dt.datetime(2024, 7, 1)), *ARTICLES[2:]]
    after = {s.name: s.key for s in shards.split(dated(later), "half", OPTIONS)}
    assert {n for n in keys if after[n] != keys[n]} == {"2024-h1", "2024-h2"}
    # Another Pagefind version or language: every shard.
    for options in ((("language", "vi"), ("pagefind", "1.5.3")), (("language", "en"), ("pagefind", "1.5.2"))):
        other = {s.name: s.key for s in shards.split(dated(ARTICLES), "half", options)}
        assert all(other[n] != keys[n] for n in keys)


def test_the_vocabulary_holds_every_word_of_each_shard():
    items = [*ARTICLES, dataclasses.replace(ARTICLES[3], url="/2025/5/", title="Hội nghị", unit_name="Ban Nữ công",
                                           image_url="/images/anh-480.jpg")]
    split = shards.split(dated(items), "half", OPTIONS)
    vocabulary = {r.filters["shard"][0]: r for r in shards.vocabulary(split)}
    assert list(vocabulary) == ["2025-h2", "2024-h2", "2024-h1"]
    words = vocabulary["2025-h2"].content.split(" ")
    assert words == sorted(set(words))
    assert {"Hội", "nghị.", "Nữ", "/images/anh-480.jpg", "2025-12-31", core.fold("Đoàn")} <= set(words)
    assert vocabulary["2025-h2"].meta == {} and vocabulary["2025-h2"].url == "/2025-h2/"
    # Its key follows the shards' keys.
    key = shards.vocabulary_key(split)
    assert shards.vocabulary_key(split[::-1]) == key
    assert shards.vocabulary_key(shards.split(dated(items[:-1]), "half", OPTIONS)) != key


# ---------- carried over by the ledger ----------

class FakeLedger:
    """The output ledger's two folder methods: carries a folder from ``previous`` when its key is the same."""

    def __init__(self, output: Path, previous: Path | None = None, keys: dict[str, str] | None = None):
        self.output, self.previous, self.keys = output, previous, dict(keys or {})
        self.trees: dict[str, str] = {}
        self.asked: list[str] = []

    def carry_tree(self, relpath: str, key: str) -> bool:
        self.asked.append(relpath)
        if self.previous is None or self.keys.get(relpath) != key:
            return False
        shutil.copytree(self.previous / relpath, self.output / relpath, copy_function=_link)
        self.trees[relpath] = key
        return True

    def record_tree(self, relpath: str, key: str) -> None:
        assert (self.output / relpath / "pagefind-entry.json").is_file(), relpath
        self.trees[relpath] = key


def _link(source, target):
    Path(target).hardlink_to(source)


def test_unchanged_shards_are_carried_and_changed_ones_indexed_again(tmp_path):
    split = shards.split(dated(ARTICLES), "half", OPTIONS)
    first = FakeLedger(tmp_path / "a")
    assert write_shards(split, tmp_path / "a", "pagefind", first) == Written(4, 3, 0)
    assert first.trees == {**{f"pagefind/{s.name}": s.key for s in split},
                           "pagefind/tu-vung": shards.vocabulary_key(split)}

    # Nothing changed: nothing is indexed, and the output is the same, byte for byte.
    second = FakeLedger(tmp_path / "b", tmp_path / "a", first.trees)
    assert write_shards(split, tmp_path / "b", "pagefind", second) == Written(4, 0, 3)
    assert files_of(tmp_path / "b") == files_of(tmp_path / "a")
    assert second.trees == first.trees

    # One article edited: its shard alone is indexed, and matches a build from nothing.
    edited = [dataclasses.replace(ARTICLES[0], body_html="<p>Đường lên công trường.</p>"), *ARTICLES[1:]]
    changed = shards.split(dated(edited), "half", OPTIONS)
    third = FakeLedger(tmp_path / "c", tmp_path / "b", second.trees)
    assert write_shards(changed, tmp_path / "c", "pagefind", third) == Written(4, 1, 2)
    assert set(third.asked) == set(first.trees) and third.trees["pagefind/tu-vung"] != second.trees["pagefind/tu-vung"]
    write_shards(changed, tmp_path / "d", "pagefind", None)
    assert files_of(tmp_path / "c") == files_of(tmp_path / "d")
    assert files_of(tmp_path / "c") != files_of(tmp_path / "a")
    carried = tmp_path / "c" / "pagefind" / "2025-h2" / "pagefind-entry.json"
    assert carried.stat().st_ino == (tmp_path / "a" / "pagefind" / "2025-h2" / "pagefind-entry.json").stat().st_ino


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_incremental_builds_index_only_the_shards_whose_records_changed(site, caplog):
    caplog.set_level(logging.INFO, logger="plugins.search.generator")
    site.build()
    assert "Chỉ mục tìm kiếm: 3 tin bài trong" in caplog.text and "(lập lại 2/2 phần, giữ nguyên 0)." in caplog.text
    first = inodes(site.output / "pagefind")

    # A new article in July–December: that half-year alone is indexed again.
    caplog.clear()
    site.article("2024/hien-mau.md", {"Title": "Đoàn viên hiến máu", "Date": "12/8/2024 07:00",
                                      "Unit": "cdcs-truong-a", "Slug": "hien-mau"}, "Buổi hiến máu tình nguyện.")
    site.build()
    assert "Chỉ mục tìm kiếm: 4 tin bài trong" in caplog.text and "(lập lại 1/2 phần, giữ nguyên 1)." in caplog.text
    second = inodes(site.output / "pagefind")
    assert all(second[p] == first[p] for p in first if p.startswith("2024-h1/"))  # carried: the same files
    assert not any(second[p] == first.get(p) for p in second if p.startswith("2024-h2/"))
    assert second["pagefind.js"] != first["pagefind.js"]  # the top of the bundle folder is written each build
    assert "/2024/08/hien-mau/" in fragments_of(site.output)

    # A page edited, no article: every shard is carried.
    caplog.clear()
    page = next((site.content / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    site.build()
    assert "(lập lại 0/2 phần, giữ nguyên 2)." in caplog.text
    third = inodes(site.output / "pagefind")
    assert {p: i for p, i in third.items() if p != "pagefind.js"} == {p: i for p, i in second.items() if p != "pagefind.js"}

    # The same site built from nothing: the same bundle, byte for byte.
    carried = files_of(site.output / "pagefind")
    shutil.rmtree(site.output.resolve())
    site.build(PORTAL_INCREMENTAL={"carry": False})
    assert files_of(site.output / "pagefind") == carried


def fragments_of(output: Path) -> set[str]:
    return {json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])["url"]
            for p in (output / "pagefind").glob("20*/fragment/*.pf_fragment")}


# ---------- in the browser: the merged shards find what one index finds ----------

EXTRA = [
    ("2023/hoi-nghi.md", {"Title": "Hội nghị người lao động năm 2023", "Date": "2023-11-20 08:00",
                          "Unit": "cd-giao-duc", "Type": "tin", "Slug": "hoi-nghi"},
     "Công đoàn ngành Giáo dục tổ chức hội nghị đại biểu người lao động tại đường Trần Phú."),
    ("2024/hien-mau.md", {"Title": "Đoàn viên Công đoàn ngành Giáo dục hiến máu", "Date": "12/8/2024 07:00",
                          "Unit": "cdcs-truong-a", "Type": "anh", "Slug": "hien-mau"},
     "Buổi hiến máu diễn ra trên đường Lê Lợi. Đồng chí Bí thư Đảng ủy tới dự."),
    ("2025/tap-huan.md", {"Title": "Tập huấn an toàn lao động cho đoàn viên", "Date": "2025-03-15 09:00",
                          "Unit": "cdcs-truong-a", "Type": "bai", "Slug": "tap-huan"},
     "Công đoàn cơ sở Trường Tiểu học A tập huấn cho đoàn viên về an toàn, vệ sinh lao động."),
    ("2025/dai-hoi.md", {"Title": "Đại hội Công đoàn tỉnh lần thứ XVIII", "Date": "2025-10-02 08:00",
                         "Unit": "ldld-tinh", "Type": "tin", "Slug": "dai-hoi"},
     "Đại hội đánh giá kết quả hoạt động công đoàn nhiệm kỳ qua. Đồng chí Chủ tịch phát biểu."),
    ("2025/cuoc-thi.md", {"Title": "Ban Tuyên giáo phát động cuộc thi viết về người lao động",
                          "Date": "2025-11-05 10:00", "Unit": "ban-tuyen-giao", "Type": "tin", "Slug": "cuoc-thi"},
     "Cuộc thi viết về gương người lao động giỏi, đoàn viên tiêu biểu."),
]

# (query, filters): accent-free and accented words, đ, prefixes, each filter alone and with words.
QUERIES = [
    ("cong doan", {}), ("công đoàn", {}), ("doan vien", {}), ("Đoàn viên", {}), ("dai hoi", {}), ("duong", {}),
    ("lao dong", {}), ("lao dong", {"unit": "cd-giao-duc"}), ("lao dong", {"year": "2025"}),
    ("", {"unit": "cdcs-truong-a"}), ("", {"unit": "ldld-tinh"}), ("", {"type": "tin"}), ("", {"year": "2025"}),
    ("", {"year": "2024"}), ("", {"campaign": "thang-cong-nhan-2024"}), ("cong", {"campaign": "thang-cong-nhan-2024"}),
    ("an toan", {"type": "bai"}), ("qwxzv", {}),
    # Words no page has: Pagefind takes the longest indexed word they start with, or drops them.
    ("hienxyz", {}), ("cong tapxyz", {}), ("doan qwxzv", {}), ("giao vienxyz", {"year": "2024"}),
    # Words only in the metadata: unit names, the cover's file name, dates.
    ("tuyen giao", {}), ("cover", {}), ("cover doan", {}), ("2025-10-02", {}), ("truong tieu hoc", {"type": "tin"}),
]

# The one-index search, as search.js asks it (the same fold of the words).
REFERENCE = """async ([bundle, queries]) => {
  const pf = await import(bundle + 'pagefind.js');
  await pf.init();
  const fold = (t) => t.normalize('NFC').replace(/\\u0335/g, '').toLocaleLowerCase('vi').replace(/đ/g, 'd\\u0335');
  const found = [];
  for (const [query, filters] of queries) {
    const term = fold(query.trim());
    const response = await pf.search(term || null, term ? {filters} : {filters, sort: {date: 'desc'}});
    found.push(await Promise.all(response.results.map(async (r) => (await r.data()).url)));
  }
  return found;
}"""


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, image_cache):
    """The basic fixture with articles from 2023 to 2025 (five half-years), two results per page, served;
    beside it, in /mot-chi-muc/, one Pagefind index of the same records."""
    folder = tmp_path_factory.mktemp("shards")
    with pytest.MonkeyPatch.context() as mp:
        site = Site(folder, mp, image_cache=image_cache)
        for name, header, body in EXTRA:
            site.article(name, header, body)
        jobs = []
        real = generator.write_shards

        def writing(shard_list, *args, **options):
            jobs.append(shard_list)
            return real(shard_list, *args, **options)

        mp.setattr(generator, "write_shards", writing)
        site.build(PORTAL_SEARCH={"page_size": 2})
        records = [r for shard in jobs[0] for r in shard.records]
        write_bundle(records, site.output / "mot-chi-muc")
        with serving(site.output) as served:
            yield site, served, [s.name for s in jobs[0]]


def search_page(tab: BrowserTab, query: str, filters: dict[str, str]):
    params = {"q": query, **filters} if query else dict(filters)
    page = tab.goto("/tim-kiem/?" + urlencode(params))
    results = page.locator("ol.search-results")
    expect(page.locator("#search-status")).not_to_be_empty()
    expect(results).not_to_have_attribute("aria-busy", "true")
    more = page.locator(".search-more")
    while more.is_visible():
        shown = results.locator(":scope > li").count()
        more.click()
        expect(results.locator(":scope > li")).not_to_have_count(shown)
    return page


def test_the_index_is_in_five_half_year_shards(sharded):
    site, _, names = sharded
    assert names == ["2025-h2", "2025-h1", "2024-h2", "2024-h1", "2023-h2"]
    assert site.html("/tim-kiem/").select_one("[data-search]")["data-shards"] == " ".join(names)


def test_the_merged_shards_find_what_one_index_finds(sharded, chromium_browser):
    site, served, names = sharded
    tab = BrowserTab(chromium_browser, served, "desktop")
    try:
        reference = tab.context.new_page()
        reference.goto(served.url("/"))
        expected = reference.evaluate(REFERENCE, [served.url("/mot-chi-muc/"), [list(q) for q in QUERIES]])
        reference.close()
        assert expected[0] and not expected[QUERIES.index(("qwxzv", {}))]
        spanning = 0
        for (query, filters), urls in zip(QUERIES, expected):
            page = search_page(tab, query, filters)
            links = page.locator("ol.search-results h2.search-title a").evaluate_all(
                "as => as.map(a => new URL(a.href).pathname)")
            assert sorted(links) == sorted(urls), (query, filters, sorted(links), sorted(urls))
            assert len(links) == len(set(links)), (query, filters)
            status = page.locator("#search-status").inner_text()
            assert (str(len(urls)) in status) if urls else status.startswith("Không"), (query, filters, status)
            dates = page.locator("ol.search-results time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
            halves = {shards.period(dt.date.fromisoformat(d), "half") for d in dates}
            spanning += len(halves) > 1
            if not query:  # filters alone: the newest first, across the shards
                assert dates == sorted(dates, reverse=True), (filters, dates)
        assert spanning >= 6  # most queries find articles of several half-years
        tab.assert_clean()
    finally:
        tab.context.close()


def test_results_from_two_half_years_read_as_written(sharded, chromium_browser):
    _, served, _ = sharded
    tab = BrowserTab(chromium_browser, served, "phone")
    try:
        page = search_page(tab, "doan vien", {"unit": "cdcs-truong-a"})
        titles = page.locator("ol.search-results h2.search-title a").all_inner_texts()
        assert sorted(titles) == ["Trường Tiểu học A chăm lo cho giáo viên", "Tập huấn an toàn lao động cho đoàn viên",
                                  "Đoàn viên Công đoàn ngành Giáo dục hiến máu"]
        dates = page.locator("ol.search-results time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
        assert sorted(dates) == ["2024-06-10", "2024-08-12", "2025-03-15"]  # three half-years
        marks = {m.casefold() for m in page.locator("ol.search-results mark").all_inner_texts()}
        assert {"đoàn", "viên"} <= marks, marks
        units = set(page.locator("ol.search-results .search-unit").all_inner_texts())
        assert units == {"Công đoàn cơ sở Trường Tiểu học A"}
        tab.assert_clean()
    finally:
        tab.context.close()
