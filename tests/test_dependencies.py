"""Plugins hand data on in a declared order (plugins/requires.py), and every
roll-up to parent units asks Registry.ancestors(unit, day)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
import pytest

import pelicanconf
from support import ROOT, SETTINGS, Site, card_titles, epoch, NOW
from plugins.contract.registry import Registry, Unit
from plugins.requires import HANDOVERS, PluginOrderError, attribute, check_order, order_problems
from plugins.taxonomies.taxonomy import taxonomy

DEFAULT = list(pelicanconf.PLUGINS)


def moved(plugins: list[str], name: str, before: str) -> list[str]:
    rest = [p for p in plugins if p != name]
    rest.insert(rest.index(before), name)
    return rest


# ---------- the declared order ----------

def test_the_settings_keep_the_declared_order():
    assert order_problems(DEFAULT) == []
    for handover in HANDOVERS.values():
        assert handover.plugin in DEFAULT and set(handover.readers) <= set(DEFAULT), handover


def test_a_reader_before_its_writer_is_named_with_the_plugin_to_move():
    with pytest.raises(PluginOrderError) as info:
        check_order(moved(DEFAULT, "plugins.feeds", before="plugins.taxonomies"))
    assert str(info.value) == (
        "plugins.feeds cần 'portal' (cây đơn vị, chiến dịch, chuyên mục, lưu trữ, thẻ) do plugins.taxonomies tạo ra, "
        "nhưng plugins.taxonomies đứng sau plugins.feeds trong PLUGINS của pelicanconf.py; "
        "hãy đặt \"plugins.taxonomies\" trước \"plugins.feeds\"")


def test_a_writer_left_out_is_named_for_each_reader():
    problems = order_problems([p for p in DEFAULT if p != "plugins.images"])
    assert [p.split(" cần ")[0] for p in problems] == ["plugins.feeds", "plugins.publishing", "plugins.search"]
    assert all("PLUGINS của pelicanconf.py không có plugins.images; hãy thêm \"plugins.images\" vào trước" in p
               for p in problems)


def test_accessors_name_the_plugin_that_has_not_run():
    with pytest.raises(PluginOrderError, match="plugins.search cần 'portal' .* plugins.taxonomies chưa chạy; "
                                               "trong PLUGINS của pelicanconf.py, hãy đặt \"plugins.taxonomies\" "
                                               "trước \"plugins.search\""):
        taxonomy({"portal": "not the taxonomy"}, "plugins.search.generator")
    with pytest.raises(PluginOrderError, match="plugins.feeds cần 'cover_picture' .* plugins.images chưa chạy"):
        attribute(object(), "cover_picture", "plugins.feeds.generator")
    assert attribute(type("Article", (), {"cover_picture": None})(), "cover_picture", "plugins.feeds") is None


# Pelican connects each plugin's signal handlers once per process, in the order of
# the first build's PLUGINS: builds in another order run in a process of their own.
BUILD_SCRIPT = textwrap.dedent("""\
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from plugins.publishing.build import build
    try:
        build(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), json.loads(sys.argv[5]))
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}")
        sys.exit(3)
""")


def build_in_own_process(tmp_path: Path, monkeypatch, plugins: list[str]) -> str:
    """The error a build with ``plugins`` stops with, as ``Type: message``."""
    site = Site(tmp_path, monkeypatch)
    overrides = {"PLUGINS": plugins, "CACHE_PATH": str(site.cache), "PORTAL_IMAGES": {"cache_dir": str(tmp_path / "images")}}
    run = subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(ROOT), str(site.content), str(site.output),
                          str(SETTINGS), json.dumps(overrides)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}, timeout=300)
    assert run.returncode == 3, run.stdout + run.stderr
    assert not site.output.exists()
    return run.stdout.strip().splitlines()[-1]


def test_a_build_with_feeds_before_taxonomies_stops_before_reading_naming_taxonomies(tmp_path, monkeypatch):
    error = build_in_own_process(tmp_path, monkeypatch, moved(DEFAULT, "plugins.feeds", before="plugins.taxonomies"))
    assert error == (
        "PluginOrderError: plugins.feeds cần 'portal' (cây đơn vị, chiến dịch, chuyên mục, lưu trữ, thẻ) do "
        "plugins.taxonomies tạo ra, nhưng plugins.taxonomies đứng sau plugins.feeds trong PLUGINS của "
        "pelicanconf.py; hãy đặt \"plugins.taxonomies\" trước \"plugins.feeds\"")


def test_a_build_without_taxonomies_stops_at_the_first_reader(tmp_path, monkeypatch):
    """With taxonomies left out nothing checks the order at the start: the accessor
    stops feeds, naming taxonomies (not a KeyError)."""
    error = build_in_own_process(tmp_path, monkeypatch, [p for p in DEFAULT if p != "plugins.taxonomies"])
    assert error == (
        "PluginOrderError: plugins.feeds cần 'portal' (cây đơn vị, chiến dịch, chuyên mục, lưu trữ, thẻ) do "
        "plugins.taxonomies tạo ra, nhưng plugins.taxonomies chưa chạy; trong PLUGINS của pelicanconf.py, "
        "hãy đặt \"plugins.taxonomies\" trước \"plugins.feeds\"")


# ---------- Registry.ancestors ----------

def tree() -> Registry:
    registry = Registry()
    for uid, parent in (("tinh", None), ("nganh", "tinh"), ("huyen", "tinh"), ("truong", "nganh")):
        unit = Unit(id=uid, name=uid, kind="co-so", line=1, parent_id=parent)
        unit.parent = registry.units.get(parent)
        if unit.parent is not None:
            unit.parent.children.append(unit)
        registry.units[uid] = unit
    return registry


def test_ancestors_are_the_units_above_nearest_first():
    registry, day = tree(), dt.date(2026, 3, 1)
    assert [u.id for u in registry.ancestors(registry.units["truong"], day)] == ["nganh", "tinh"]
    assert registry.ancestors(registry.units["tinh"], day) == []
    assert [u.id for u in registry.counted_for(registry.units["truong"], day)] == ["truong", "nganh", "tinh"]


def test_the_tree_has_no_history_yet_so_every_day_gives_the_same_chain():
    registry = tree()
    unit = registry.units["truong"]
    assert registry.ancestors(unit, dt.date(1990, 1, 1)) == registry.ancestors(unit, dt.date(2200, 12, 31))


# ---------- every roll-up asks it ----------

# A history the registry cannot express yet: Trường A moves from the education
# union to the district union on 15/5/2024. Every page that adds up articles
# per unit must follow it, which proves they all ask Registry.ancestors.
MOVED_ON = dt.date(2024, 5, 15)
BEFORE = "Trường A trước khi chuyển"
AFTER = "Trường A hưởng ứng Tháng Công nhân"
JUNE = "Trường Tiểu học A chăm lo cho giáo viên"


def _with_history(original):
    def ancestors(self, unit, day):
        if unit.id == "cdcs-truong-a" and day >= MOVED_ON:
            district = self.units["ldld-huyen-cu"]
            return [district, *original(self, district, day)]
        return original(self, unit, day)
    return ancestors


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory, image_cache):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Registry, "ancestors", _with_history(Registry.ancestors))
        site = Site(tmp_path_factory.mktemp("history"), mp, image_cache=image_cache)
        site.article("2024/truoc.md", {"Title": BEFORE, "Date": "2024-05-05 08:00", "Unit": "cdcs-truong-a",
                                       "Category": "tin-hoat-dong", "Slug": "truoc"})
        site.article("2024/sau.md", {"Title": AFTER, "Date": "2024-05-20 08:00", "Unit": "cdcs-truong-a",
                                     "Category": "tin-hoat-dong", "Campaigns": "thang-cong-nhan-2024", "Slug": "sau"})
        site.build()
        yield site


def test_unit_pages_follow_the_history(moved_site):
    assert card_titles(moved_site.html("don-vi/ldld-huyen-cu/")) == [JUNE, AFTER]
    education = card_titles(moved_site.html("don-vi/cd-giao-duc/"))
    assert BEFORE in education and AFTER not in education and JUNE not in education


def test_unit_feeds_follow_the_history(moved_site):
    feed = feedparser.parse((moved_site.output / "don-vi/ldld-huyen-cu/rss.xml").read_bytes())
    assert [e.title for e in feed.entries] == [JUNE, AFTER]


def _search_filters(output: Path) -> dict[str, list[str]]:
    found = {}
    for path in (output / "pagefind").glob("20*/fragment/*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        found[record["url"]] = record["filters"]["unit"]
    return found


def test_search_filters_follow_the_history(moved_site):
    units = _search_filters(moved_site.output)
    assert units["/2024/05/truoc/"] == ["cdcs-truong-a", "cd-giao-duc", "ldld-tinh"]
    assert units["/2024/05/sau/"] == ["cdcs-truong-a", "ldld-huyen-cu", "ldld-tinh"]


def test_statistics_follow_the_history(moved_site):
    stats = json.loads((moved_site.output / "thong-ke/2024.json").read_text(encoding="utf-8"))
    totals = {u["id"]: u["total"] for u in stats["periods"][0]["units"]}
    assert totals["ldld-huyen-cu"] == 2 and totals["cd-giao-duc"] == 2 and totals["ldld-tinh"] == 5
    page = moved_site.html("thong-ke/2024/")
    heat = {row.th.get_text(strip=True): [int(td.get_text()) for td in row.select("td")]
            for row in page.select("table.heatmap tbody tr")}
    assert heat["Liên đoàn Lao động huyện Cũ"][4:6] == [1, 1]
    assert heat["Công đoàn ngành Giáo dục"][4:6] == [2, 0]
    coverage = page.select_one(".coverage").get_text(" ", strip=True)
    took_part = coverage.split("Chưa có tin bài")[0]
    assert "Liên đoàn Lao động huyện Cũ" in took_part and "Công đoàn ngành Giáo dục" in took_part


# ---------- the logo, checked by one plugin ----------

HEADER_LOGO = ["/theme/images/logo.svg"]


def test_a_missing_logo_is_left_off_the_cards_with_one_warning(site, caplog):
    # Pelican logs a message once per process: this logo's name is used by no other test.
    site.build(SITE_LOGO="images/logo-khong-co.png")
    for url in ("", "don-vi/"):
        assert [img["src"] for img in site.html(url).select("img.brand-logo")] == HEADER_LOGO, url
    warnings = [r.getMessage() for r in caplog.records if "SITE_LOGO" in r.getMessage()]
    assert warnings == ["SITE_LOGO 'images/logo-khong-co.png' không có trong thư mục nội dung; "
                        "thẻ chia sẻ sẽ không có logo"]


def test_a_logo_in_the_content_is_published_and_the_header_shows_the_theme_svg(site, caplog):
    from PIL import Image
    (site.content / "images").mkdir(exist_ok=True)
    Image.new("RGBA", (64, 64), (200, 16, 46, 255)).save(site.content / "images" / "logo.png")
    site.build()
    for url in ("", "don-vi/", "tim-kiem/"):
        assert [img["src"] for img in site.html(url).select("img.brand-logo")] == HEADER_LOGO, url
    assert (site.output / "theme" / "images" / "logo.svg").is_file()
    assert (site.output / "images" / "logo.png").is_file()
    assert not [r for r in caplog.records if "SITE_LOGO" in r.getMessage()]
