"""Incremental and parallel builds give exactly the bytes of a clean build.

One site is built again after each change an editor, a designer or a
developer makes, incrementally and with every page rendered by two forked
workers; after each change the same content is built from nothing, in one
process, with nothing carried. Every file of the two outputs must be equal.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule
from PIL import Image

from plugins.publishing.build import build
from support import NOW, ROOT, SETTINGS, Site, build_in_subprocess, files_of

# The portal's plugins, all of them (a plugin an earlier build in this process registered stays connected
# to Pelican's signals, so a shorter list would differ between in-process and fresh-process builds).
PLUGINS = [
    "plugins.contract", "plugins.incremental", "plugins.images", "plugins.taxonomies", "plugins.feeds",
    "plugins.targets", "plugins.publishing", "plugins.search", "plugins.cms",
]
PROBE = '''"""A site's own plugin: a template filter."""
from pelican import signals

MARK = "{mark}"


def add_filter(generator):
    generator.env.filters["probe"] = lambda text: f"{{text}} {{MARK}}"


def register():
    signals.generator_init.connect(add_filter)
'''


def _article(index: int, date: dt.datetime, unit: str, campaign: str = "") -> str:
    header = [f"Title: Tin hoạt động số {index} của công đoàn", f"Date: {date:%Y-%m-%d %H:%M}", f"Unit: {unit}",
              "Category: tin-hoat-dong", f"Tags: đoàn viên, tin số {index % 3}"]
    if campaign:
        header.append(f"Campaigns: {campaign}")
    return "\n".join(header) + f"\n\nNội dung tin số {index}: công đoàn thăm hỏi đoàn viên, người lao động.\n"


def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


class Pair:
    """The site built incrementally, and clean builds of the same content to compare it with."""

    def __init__(self, root: Path, monkeypatch, image_cache: Path):
        self.root = root
        self.site = Site(root / "site", monkeypatch, image_cache=image_cache)
        self.theme = root / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        footer = self.theme / "templates" / "base.html"
        footer.write_text(footer.read_text(encoding="utf-8").replace("{{ SITENAME }}. Ghi rõ", "{{ SITENAME|probe }}. Ghi rõ"),
                          encoding="utf-8")
        self.probe = root / "probe"
        self.probe.mkdir()
        self.write_probe("v1")
        self.settings: dict = {}
        self.clean_builds = 0
        start = dt.datetime(2024, 3, 4, 8, 0)
        units = ["cdcs-truong-a", "cd-giao-duc", "ban-tuyen-giao"]
        for i in range(26):
            self.site.write(f"articles/2024/tin-{i:02d}.md",
                            _article(i, start + dt.timedelta(days=9 * i), units[i % 3], "thang-cong-nhan-2024" if i % 4 == 0 else ""))

    def write_probe(self, mark: str) -> None:
        (self.probe / "probe_plugin.py").write_text(PROBE.format(mark=mark), encoding="utf-8")

    def overrides(self, **extra) -> dict:
        return {"THEME": str(self.theme), "PLUGIN_PATHS": [str(ROOT), str(self.probe)], "PLUGINS": [*PLUGINS, "probe_plugin"],
                "PORTAL_IMAGES": {"cache_dir": str(self.site.image_cache)}, **self.settings, **extra}

    def incremental(self, now: dt.datetime = NOW, fresh_process: bool = False):
        options = {"PORTAL_INCREMENTAL": {"workers": 2, "min_pages": 1}}
        if fresh_process:
            done = build_in_subprocess(self.site.content, self.site.output,
                                       self.overrides(CACHE_PATH=str(self.site.cache), **options), SOURCE_DATE_EPOCH=_epoch(now))
            assert done.returncode == 0, done.stderr
            return None
        return self.site.build(now=now, **self.overrides(**options))

    def clean(self, now: dt.datetime = NOW, fresh_process: bool = False) -> Path:
        self.clean_builds += 1
        folder = self.root / f"clean-{self.clean_builds}"
        options = self.overrides(CACHE_PATH=str(folder / "cache"), PORTAL_INCREMENTAL={"workers": 1, "carry": False})
        if fresh_process:
            done = build_in_subprocess(self.site.content, folder / "output", options, SOURCE_DATE_EPOCH=_epoch(now))
            assert done.returncode == 0, done.stderr
        else:
            build(self.site.content, folder / "output", SETTINGS, options)
        return folder / "output"

    def compare(self, now: dt.datetime = NOW, fresh_process: bool = False):
        result = self.incremental(now, fresh_process)
        expected = files_of(self.clean(now, fresh_process))
        got = files_of(self.site.output)
        assert sorted(got) == sorted(expected), (sorted(set(got) ^ set(expected)))[:20]
        differing = [name for name in expected if got[name] != expected[name]]
        assert not differing, differing[:20]
        shutil.rmtree(self.root / f"clean-{self.clean_builds}")
        return result


def _epoch(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


def _edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def pair(tmp_path_factory, image_cache):
    monkeypatch = pytest.MonkeyPatch()
    made = Pair(tmp_path_factory.mktemp("incremental"), monkeypatch, image_cache)
    made.compare()
    yield made
    monkeypatch.undo()


def edit_body(pair):
    _edit(pair.site, "articles/2024/tin-05.md", "Nội dung tin số 5", "Nội dung đã sửa của tin số 5")


def edit_title(pair):
    _edit(pair.site, "articles/2024/tin-07.md", "Title: Tin hoạt động số 7", "Title: Tin đã đổi tên số 7")


def edit_date_across_months(pair):
    _edit(pair.site, "articles/2024/tin-10.md", "Date: 2024-06-02", "Date: 2024-09-21")


def add_article(pair):
    pair.site.write("articles/2024/tin-moi.md", _article(99, dt.datetime(2024, 7, 15, 10, 0), "cd-giao-duc", "thang-cong-nhan-2024"))


def delete_article(pair):
    (pair.site.content / "articles/2024/tin-03.md").unlink()


def rename_file(pair):
    (pair.site.content / "articles/2024/tin-04.md").rename(pair.site.content / "articles/2024/tin-bon.md")


def rename_unit(pair):
    _edit(pair.site, "units.yml", "name: Công đoàn ngành Giáo dục", "name: Công đoàn Giáo dục tỉnh")


def move_unit(pair):
    _edit(pair.site, "units.yml", "    kind: co-so\n    parent: cd-giao-duc", "    kind: co-so\n    parent: ban-tuyen-giao")


def move_and_rename_unit_from_a_date(pair):
    _edit(pair.site, "units.yml", "    kind: co-so\n    parent: ban-tuyen-giao",
          "    kind: co-so\n    parent: ban-tuyen-giao\n    history:\n      - from: 1/7/2024\n        parent: cd-giao-duc\n"
          "        name: CĐCS Trường A (tên mới)")


def add_items_off_the_portal(pair):
    pair.site.write("channels.yml", "channels:\n  - {id: website, name: Cổng thông tin điện tử}\n"
                                    "  - {id: fanpage, name: Fanpage}\n")
    pair.site.write("kenh/cd-giao-duc/2024.yml", "unit: cd-giao-duc\nitems:\n"
                                                 "  - {date: 3/8/2024, channel: fanpage, type: video, title: Video}\n")


def change_campaign_window(pair):
    _edit(pair.site, "campaigns.yml", 'end: "31/5/2024"', 'end: "30/6/2024"')


def change_template(pair):
    _edit(pair.site, "../../theme/templates/article.html", '<h2 class="side-block-title" id="tin-moi-nhat">Tin mới nhất</h2>',
          '<h2 class="side-block-title" id="tin-moi-nhat">Tin mới đăng</h2>')


def change_setting(pair):
    pair.settings["SITESUBTITLE"] = "Liên đoàn Lao động tỉnh Thử Nghiệm (bản mới)"


def change_a_setting_no_template_prints(pair):
    # How Jinja lays out every template: no page's values change, every page's bytes do.
    pair.settings["JINJA_ENVIRONMENT"] = {"autoescape": True, "trim_blocks": False, "lstrip_blocks": True, "extensions": []}


def replace_photo(pair):
    pair.site.write("images/cover.jpg", _photo((30, 90, 160)))


def flip_featured(pair):
    _edit(pair.site, "articles/2024/le-phat-dong.md", "Featured: yes", "Featured: no")
    _edit(pair.site, "articles/2024/tin-12.md", "Category: tin-hoat-dong", "Category: tin-hoat-dong\nFeatured: yes")


def flip_status(pair):
    _edit(pair.site, "articles/2024/tin-14.md", "Category: tin-hoat-dong", "Category: tin-hoat-dong\nStatus: draft")


CHANGES = [edit_body, edit_title, edit_date_across_months, add_article, delete_article, rename_file, rename_unit,
           move_unit, move_and_rename_unit_from_a_date, add_items_off_the_portal, change_campaign_window, change_template, change_setting, change_a_setting_no_template_prints, replace_photo, flip_featured, flip_status]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_incremental_build_equals_clean_build(pair, change):
    change(pair)
    result = pair.compare()
    assert result.incremental.ledger.carried > 0, "nothing was carried: the build was not incremental"


def test_a_scheduled_item_goes_live_when_its_time_passes(pair):
    pair.site.write("articles/2024/hen-gio.md", _article(50, dt.datetime(2026, 11, 23, 8, 0), "cd-giao-duc"))
    before = pair.compare()
    assert [a.relative_source_path for a in before.scheduled] == ["articles/2024/hen-gio.md"]
    after = pair.compare(now=NOW + dt.timedelta(days=2))
    assert not after.scheduled
    assert (pair.site.output / "2026/11").is_dir()


def test_the_home_page_lead_changes_when_a_featured_item_ages_out(pair):
    day = NOW - dt.timedelta(days=1)
    text = _article(60, day.replace(tzinfo=None), "cd-giao-duc").replace("Category: tin-hoat-dong",
                                                                        "Category: tin-hoat-dong\nFeatured: yes")
    pair.site.write("articles/2026/noi-bat.md", text)
    # Scheduled at the first build, the newest item at the second (newer than any other test's).
    later = NOW + dt.timedelta(days=3)
    pair.site.write("articles/2026/moi-hon.md", _article(61, later.replace(tzinfo=None), "cd-giao-duc"))

    def lead() -> str:
        return pair.site.html("/").select_one(".home-lead .lead-title a").get_text(strip=True)

    pair.compare()
    assert lead() == "Tin hoạt động số 60 của công đoàn"
    pair.compare(now=NOW + dt.timedelta(days=7))  # nothing else changed: only its age
    assert lead() == "Tin hoạt động số 61 của công đoàn"


def test_a_build_with_nothing_changed_stops_at_once(pair):
    pair.compare()
    again = pair.incremental()
    assert getattr(again, "unchanged", False)
    assert again.summary().startswith("Không có gì thay đổi kể từ lần dựng trước")


def test_pages_rendered_by_workers_equal_pages_rendered_in_one_process(pair, tmp_path):
    one = tmp_path / "one"
    build(pair.site.content, one / "output", SETTINGS,
          pair.overrides(CACHE_PATH=str(one / "cache"), PORTAL_INCREMENTAL={"workers": 1, "carry": False}))
    many = tmp_path / "many"
    result = build(pair.site.content, many / "output", SETTINGS,
                   pair.overrides(CACHE_PATH=str(many / "cache"), PORTAL_INCREMENTAL={"workers": 2, "min_pages": 1, "carry": False}))
    assert result.incremental.pool.workers_for(100) == 2
    assert files_of(one / "output") == files_of(many / "output")


def test_the_pairs_plugins_are_the_portals():
    from pelican.settings import read_settings

    assert PLUGINS == read_settings(str(SETTINGS))["PLUGINS"]


def test_a_change_to_a_plugins_code_renders_what_it_changes(pair):
    # Last: a fresh Python imports the new code; this process keeps the code it imported first.
    pair.compare(fresh_process=True)
    pair.write_probe("v2")
    pair.compare(fresh_process=True)
    assert " v2. Ghi rõ nguồn" in (pair.site.output / "index.html").read_text(encoding="utf-8")


# Random sequences of the same changes: each incremental build equals a clean one.
STATEFUL_EXAMPLES = int(os.environ.get("PORTAL_INCREMENTAL_EXAMPLES", "2"))


class IncrementalEdits(RuleBasedStateMachine):
    """A small site edited at random, rebuilt incrementally after every edit and compared."""

    def __init__(self):
        super().__init__()
        self.monkeypatch = pytest.MonkeyPatch()
        self.folder = Path(tempfile.mkdtemp(prefix="incremental-edits-"))
        self.pair = Pair(self.folder, self.monkeypatch, self.folder / "images")
        self.names = sorted(p.name for p in (self.pair.site.content / "articles/2024").glob("tin-*.md"))
        self.now = NOW
        self.added = 0
        self.pair.compare(self.now)

    def _pick(self, index: int) -> str:
        return f"articles/2024/{self.names[index % len(self.names)]}"

    def _rebuild(self) -> None:
        self.pair.compare(self.now)

    @precondition(lambda self: self.names)
    @rule(index=st.integers(0, 99), words=st.sampled_from(["đoàn viên", "người lao động", "Công đoàn cơ sở"]))
    def edit_body(self, index, words):
        path = self.pair.site.content / self._pick(index)
        path.write_text(path.read_text(encoding="utf-8") + f"\n{words} được thăm hỏi.\n", encoding="utf-8")
        self._rebuild()

    @precondition(lambda self: self.names)
    @rule(index=st.integers(0, 99), title=st.sampled_from(["Đoàn viên nhận quà", "Hội nghị người lao động", "Đối thoại"]))
    def edit_title(self, index, title):
        path = self.pair.site.content / self._pick(index)
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[0] = f"Title: {title} {index}"
        path.write_text("\n".join(lines), encoding="utf-8")
        self._rebuild()

    @precondition(lambda self: self.names)
    @rule(index=st.integers(0, 99), day=st.integers(0, 700))
    def move_date(self, index, day):
        path = self.pair.site.content / self._pick(index)
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[1] = f"Date: {dt.datetime(2024, 1, 2, 8, 0) + dt.timedelta(days=day):%Y-%m-%d %H:%M}"
        path.write_text("\n".join(lines), encoding="utf-8")
        self._rebuild()

    @rule(day=st.integers(0, 1100), unit=st.sampled_from(["cdcs-truong-a", "cd-giao-duc", "ban-tuyen-giao"]))
    def add(self, day, unit):
        self.added += 1
        name = f"them-{self.added}.md"
        date = dt.datetime(2024, 1, 2, 8, 0) + dt.timedelta(days=day)  # some land after now: scheduled
        self.pair.site.write(f"articles/2024/{name}", _article(100 + self.added, date, unit, "thang-cong-nhan-2024"))
        self.names.append(name)
        self._rebuild()

    @precondition(lambda self: len(self.names) > 3)
    @rule(index=st.integers(0, 99))
    def delete(self, index):
        rel = self._pick(index)
        (self.pair.site.content / rel).unlink()
        self.names.remove(Path(rel).name)
        self._rebuild()

    @precondition(lambda self: self.names)
    @rule(index=st.integers(0, 99))
    def rename(self, index):
        rel = self._pick(index)
        new = f"doi-ten-{Path(rel).name}"
        (self.pair.site.content / rel).rename(self.pair.site.content / "articles/2024" / new)
        self.names[self.names.index(Path(rel).name)] = new
        self._rebuild()

    @rule(name=st.sampled_from(["Công đoàn ngành Giáo dục", "Công đoàn Giáo dục tỉnh", "CĐ ngành Giáo dục – Đào tạo"]))
    def rename_unit(self, name):
        units = self.pair.site.content / "units.yml"
        text = units.read_text(encoding="utf-8").split("\n")
        at = text.index("  - id: cd-giao-duc") + 1
        text[at] = f"    name: {name}"
        units.write_text("\n".join(text), encoding="utf-8")
        self._rebuild()

    @rule(parent=st.sampled_from(["cd-giao-duc", "ban-tuyen-giao", "ldld-tinh"]))
    def move_unit(self, parent):
        units = self.pair.site.content / "units.yml"
        text = units.read_text(encoding="utf-8").split("\n")
        at = text.index("  - id: cdcs-truong-a") + 3
        assert text[at].startswith("    parent: ")
        text[at] = f"    parent: {parent}"
        units.write_text("\n".join(text), encoding="utf-8")
        self._rebuild()

    @rule(end=st.sampled_from(["31/5/2024", "15/6/2024", "30/9/2024"]))
    def campaign_window(self, end):
        campaigns = self.pair.site.content / "campaigns.yml"
        text = campaigns.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(text) if line.startswith("    end: "))
        text[at] = f'    end: "{end}"'
        campaigns.write_text("\n".join(text), encoding="utf-8")
        self._rebuild()

    @rule(colour=st.sampled_from([(200, 40, 40), (40, 160, 60), (30, 90, 160)]))
    def replace_photo(self, colour):
        self.pair.site.write("images/cover.jpg", _photo(colour))
        self._rebuild()

    @precondition(lambda self: self.names)
    @rule(index=st.integers(0, 99), flag=st.sampled_from(["Featured: yes", "Status: draft", "Status: published"]))
    def flip(self, index, flag):
        path = self.pair.site.content / self._pick(index)
        lines = [line for line in path.read_text(encoding="utf-8").split("\n")
                 if not line.startswith(flag.split(":")[0] + ":")]
        lines.insert(2, flag)
        path.write_text("\n".join(lines), encoding="utf-8")
        self._rebuild()

    @rule(subtitle=st.sampled_from(["Liên đoàn Lao động tỉnh Thử Nghiệm", "Cổng tin công đoàn"]))
    def change_setting(self, subtitle):
        self.pair.settings["SITESUBTITLE"] = subtitle
        self._rebuild()

    @rule(days=st.integers(1, 400))
    def pass_time(self, days):
        self.now = self.now + dt.timedelta(days=days)
        self._rebuild()

    def teardown(self):
        self.monkeypatch.undo()
        shutil.rmtree(self.folder, ignore_errors=True)


IncrementalEdits.TestCase.settings = settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=5, deadline=None,
                                              derandomize=True, database=None,
                                              suppress_health_check=list(HealthCheck))
test_random_edits_build_like_clean_builds = IncrementalEdits.TestCase


def test_relative_urls_render_each_page_against_its_own_context(pair, tmp_path):
    outputs = {}
    for workers in (1, 2):
        folder = tmp_path / str(workers)
        build(pair.site.content, folder / "output", SETTINGS,
              pair.overrides(CACHE_PATH=str(folder / "cache"), RELATIVE_URLS=True,
                             PORTAL_INCREMENTAL={"workers": workers, "min_pages": 1, "carry": False}))
        outputs[workers] = files_of(folder / "output")
    assert outputs[1] == outputs[2]
    page = outputs[1]["2024/03/tin-hoat-dong-so-0-cua-cong-doan/index.html"].decode("utf-8")
    assert 'href="../../../theme/css/site.css"' in page
