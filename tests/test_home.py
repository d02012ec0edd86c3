"""The home page's rules, pure: each article at most once, a lead block of the newest
Featured items still within their age then the newest items, a "Tin mới" column and
section blocks that skip what is shown and stay full; plus the settings' limits and
one fixture build."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from plugins.taxonomies.core import item_key
from plugins.taxonomies.home import home_page
from plugins.taxonomies.settings import HomeSettings, load_home

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SECTIONS = ("tin", "chinh-sach", "cham-lo")


@dataclass(eq=False)
class Item:
    name: str
    date: dt.datetime
    section: str
    featured: bool = False

    @property
    def relative_source_path(self) -> str:
        return f"articles/{self.name}.md"


def item(name: str, days_ago: float, section: str = "tin", featured: bool = False) -> Item:
    return Item(name, NOW - dt.timedelta(days=days_ago), section, featured)


def page(items: list[Item], now: dt.datetime = NOW, **options):
    ordered = sorted(items, key=item_key, reverse=True)
    taxonomy = SimpleNamespace(sections=list(SECTIONS),
                               by_section={s: [a for a in ordered if a.section == s] for s in SECTIONS})
    return home_page(ordered, taxonomy, HomeSettings(**options), now)


def names(items) -> list[str]:
    return [a.name for a in items]


def everything(home) -> list[str]:
    return names(home.lead) + names(home.latest) + [n for b in home.section_blocks for n in names(b.articles)]


def news(count: int, section: str = "tin", start: float = 0.0) -> list[Item]:
    """``count`` plain items of ``section``, one every six hours from ``start`` days ago."""
    return [item(f"{section}-{i}", start + i / 4, section) for i in range(count)]


def test_a_fresh_featured_item_leads_then_the_newest_fill_the_lead():
    items = news(10) + [item("noi-bat", 3, featured=True)]
    home = page(items)
    assert names(home.lead) == ["noi-bat", "tin-0", "tin-1", "tin-2"]


def test_fresh_featured_items_lead_newest_first_and_never_beyond_the_lead():
    items = news(10) + [item(f"noi-bat-{i}", 1 + i, featured=True) for i in range(6)]
    home = page(items)
    assert names(home.lead) == ["noi-bat-0", "noi-bat-1", "noi-bat-2", "noi-bat-3"]
    # The fresh featured items that did not fit are news like any other, shown once by date.
    assert everything(home).count("noi-bat-4") == 1


def test_a_featured_item_ages_out_after_featured_days():
    items = news(6) + [item("noi-bat", 7, featured=True)]
    assert names(page(items).lead)[0] == "noi-bat"  # exactly 7 days old: still leads
    later = NOW + dt.timedelta(minutes=1)
    assert names(page(items, now=later).lead) == ["tin-0", "tin-1", "tin-2", "tin-3"]
    assert names(page(items, featured_days=30).lead)[0] == "noi-bat"
    assert names(page(items, featured_days=0).lead)[0] == "tin-0"


def test_the_issue_s_case_a_seven_month_old_featured_story_does_not_lead():
    items = news(5) + [item("thang-cong-nhan", (NOW - dt.datetime(2026, 5, 1, 8, tzinfo=NOW.tzinfo)).days,
                            featured=True)]
    assert "thang-cong-nhan" not in names(page(items).lead)


def test_no_article_appears_twice_and_sections_stay_full():
    items = news(10) + news(6, "chinh-sach", 0.1) + news(3, "cham-lo", 0.2)
    home = page(items, lead_count=4, latest_count=8, per_section=4)
    shown = everything(home)
    assert len(shown) == len(set(shown))
    blocks = {b.section: names(b.articles) for b in home.section_blocks}
    # Every section that still has four unseen items shows four.
    for section, block in blocks.items():
        unseen = [a.name for a in items if a.section == section and a.name not in names(home.lead + home.latest)]
        assert len(block) == min(4, len(unseen)), section
        assert block == sorted(unseen, key=lambda n: next(a for a in items if a.name == n).date, reverse=True)[:4]


def test_a_section_with_nothing_left_has_no_block():
    items = news(20) + news(2, "cham-lo", 0.1)
    home = page(items, latest_count=8)
    assert "cham-lo" not in [b.section for b in home.section_blocks]
    assert set(names(home.lead + home.latest)) >= {"cham-lo-0", "cham-lo-1"}


def test_a_small_site_fills_the_lead_first():
    home = page(news(2))
    assert names(home.lead) == ["tin-0", "tin-1"]
    assert home.latest == [] and home.section_blocks == []
    assert page([]).lead == []


def test_the_choice_does_not_depend_on_the_input_order_or_equal_times():
    items = news(12) + news(9, "chinh-sach") + [item("noi-bat", 2, "cham-lo", featured=True)]
    expected = everything(page(items))
    for seed in range(5):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        assert everything(page(shuffled)) == expected


@pytest.mark.parametrize("options", [{"lead_count": 2}, {"lead_count": 6}, {"featured_days": -1},
                                     {"per_section": 0}, {"latest_count": -1}])
def test_settings_out_of_range_stop_with_the_rule(options):
    with pytest.raises(ValueError, match="PORTAL_HOME"):
        load_home({"PORTAL_HOME": options})


def test_unknown_setting_is_named():
    with pytest.raises(ValueError, match="lead_size"):
        load_home({"PORTAL_HOME": {"lead_size": 4}})


def test_fixture_home_page_shows_each_article_once(site):
    for day, name in enumerate(("mot", "hai", "ba", "bon", "nam", "sau", "bay"), start=1):
        site.article(f"2026/{name}.md", {"Title": f"Tin số {name}", "Date": f"{day}/11/2026",
                                         "Unit": "ban-tuyen-giao"})
    site.build()
    home = site.html("/")
    main = home.select_one("main")
    hrefs = [a["href"] for a in main.select(".lead-title a, .card-title a, .latest-title")]
    assert len(hrefs) == 10 and len(set(hrefs)) == 10
    assert len(main.select(".lead-title a, .lead-more .card-title a")) == 4
    assert len(main.select(".home-latest .latest-title")) == 6
