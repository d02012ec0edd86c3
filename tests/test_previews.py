"""Local previews: a draft and a scheduled item are shown with a banner saying so
(`serve --drafts`, `build --drafts`), never on the public site; a date years ahead
is told as a likely typo by `check` and by the build."""

from __future__ import annotations

import datetime as dt

from invoke import Context

import tasks
from plugins.contract import rules
from plugins.contract.settings import ContractSettings
from plugins.tools.check import check
from support import NOW, ROOT, epoch

GOOD = {"Title": "Tin đã đăng", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}
DRAFT = {"Title": "Tin còn nháp", "Date": "1/3/2024", "Unit": "ban-tuyen-giao", "Status": "draft"}
SOON = {"Title": "Tin hẹn giờ", "Date": "1/12/2026 08:30", "Unit": "ban-tuyen-giao"}
TYPO = {"Title": "Tin gõ nhầm năm", "Date": "1/3/2052", "Unit": "ban-tuyen-giao"}
PREVIEW = {"PORTAL_CONTRACT": {"preview_drafts": True}}
TYPO_LINE = ("articles/2026/nham-nam.md:2: cảnh báo W501: ngày đăng 1/3/2052 còn hơn một năm nữa; "
             "có gõ nhầm năm không (2052 thay vì 2026)?")


def write_items(site) -> None:
    site.article("2024/da-dang.md", GOOD)
    site.article("2024/nhap.md", DRAFT)
    site.article("2026/hen-gio.md", SOON)


def banner(site, url: str) -> str:
    found = site.html(url).select(".preview-banner")
    assert len(found) <= 1
    return " ".join(found[0].get_text().split()) if found else ""


def html_text(site) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(site.output.rglob("*.html")))


def test_preview_shows_drafts_and_scheduled_items_with_a_banner(site):
    write_items(site)
    built = site.build(**PREVIEW)
    assert banner(site, "/2024/03/tin-con-nhap/").startswith("Bản nháp: đây là bản xem thử trên máy")
    assert banner(site, "/2026/12/tin-hen-gio/").startswith("Hẹn giờ đăng lúc Thứ Ba, 1/12/2026, 08:30 (GMT+7):")
    assert banner(site, "/2024/03/tin-da-dang/") == ""
    note = site.html("/2024/03/tin-con-nhap/").select_one("article > p.preview-banner")
    assert note is not None and note.get("role") == "note"
    # Counted where they belong: one draft, one scheduled, shown only on this machine.
    assert [a.relative_source_path for a in built.drafts] == ["articles/2024/nhap.md"]
    assert [a.relative_source_path for a in built.scheduled] == ["articles/2026/hen-gio.md"]


def test_without_drafts_nothing_is_previewed_and_no_banner_is_written(site):
    write_items(site)
    built = site.build()
    assert site.exists("/2024/03/tin-da-dang/")
    assert not site.exists("/2024/03/tin-con-nhap/") and not site.exists("/2026/12/tin-hen-gio/")
    assert "preview-banner" not in html_text(site) and "Hẹn giờ đăng lúc" not in html_text(site)
    assert [a.relative_source_path for a in built.scheduled] == ["articles/2026/hen-gio.md"]


def test_the_public_site_never_previews(site, tmp_path, monkeypatch):
    write_items(site)
    settings = tmp_path / "publishconf_test.py"
    settings.write_text(f"from publishconf import *\nPORTAL_TARGETS = {{'board_output': {str(tmp_path / 'board')!r}}}\n",
                        encoding="utf-8")
    monkeypatch.syspath_prepend(str(ROOT))
    site.build(settings=settings)
    assert site.exists("/2024/03/tin-da-dang/") and not site.exists("/2024/03/tin-con-nhap/")
    assert "preview-banner" not in html_text(site)

    # `build --publish --drafts`: the drafts option is not handed to a public build.
    handed = []

    class Built:
        images = None
        problems = ()

        def summary(self) -> str:
            return "xong"

    def fake_build(content, output, settings_file, overrides, wait):
        handed.append((settings_file, overrides))
        return Built()

    monkeypatch.setattr("plugins.publishing.build.build", fake_build)
    monkeypatch.setattr("pelican.log.init", lambda **kwargs: None)  # the test run keeps its own logging
    tasks.build.body(Context(), content=str(site.content), output=str(tmp_path / "out"), publish=True, drafts=True)
    tasks.build.body(Context(), content=str(site.content), output=str(tmp_path / "out"), publish=False, drafts=True)
    assert handed == [(tasks.PUBLISH_SETTINGS, None), (tasks.SETTINGS, PREVIEW)]


def test_a_date_years_ahead_is_a_warning_in_check_and_build(site, monkeypatch):
    site.article("2026/nham-nam.md", TYPO)
    checked = [str(p) for p in check(site.content, NOW).problems]
    assert len(checked) == 1 and checked[0].startswith(TYPO_LINE)
    built = site.build()
    assert [str(p) for p in built.problems] == checked
    assert [a.relative_source_path for a in built.scheduled] == ["articles/2026/nham-nam.md"]
    again = site.build()  # nothing changed: the last build's findings, codes included
    assert getattr(again, "unchanged", False) and [str(p) for p in again.problems] == checked

    # The editors' command prints it the same way and does not fail for a warning.
    import subprocess
    import sys

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(site.content), "--fresh"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert TYPO_LINE in result.stdout and "Traceback" not in result.stdout + result.stderr


class Source:
    path = "articles/x.md"

    @staticmethod
    def line_of(key: str) -> int:
        return {"Date": 2}[key]


def test_only_dates_more_than_a_year_ahead_are_told():
    settings = ContractSettings()
    within = NOW.replace(year=NOW.year + 1) - dt.timedelta(minutes=1)
    beyond = NOW.replace(year=NOW.year + 1) + dt.timedelta(minutes=1)
    assert rules.settle([], "published", "", within, NOW, settings, Source()) == (rules.Outcome.SCHEDULED, [])
    outcome, told = rules.settle([], "published", "", beyond, NOW, settings, Source())
    assert outcome is rules.Outcome.SCHEDULED and [(p.line, p.code) for p in told] == [(2, "W501")]
    assert "(2027 thay vì 2026)" in told[0].message
    assert "(2062 thay vì 2026)" in rules.far_ahead(Source(), NOW.replace(year=2062), NOW)[0].message
    assert "(2052 thay vì 2025)" in rules.far_ahead(Source(), NOW.replace(year=2052), NOW.replace(year=2025))[0].message
    previewed = rules.settle([], "published", "", beyond, NOW, ContractSettings(preview_drafts=True), Source())
    assert previewed[0] is rules.Outcome.PREVIEW and [p.code for p in previewed[1]] == ["W501"]
