"""Related items: scored by shared tags, campaigns and the same unit, never the
newer/older neighbours, never filler; pure scoring and one fixture build."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from plugins.taxonomies import core, specs

LE_PHAT_DONG = "/2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"
START = dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@dataclass(eq=False)
class Item:
    name: str
    date: dt.datetime
    unit: str
    tags: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)

    @property
    def relative_source_path(self) -> str:
        return f"articles/{self.name}.md"


def item(name: str, day: int, unit: str = "cd-giao-duc", tags=(), campaigns=(), hour: int = 0) -> Item:
    return Item(name, START + dt.timedelta(days=day, hours=hour), unit, list(tags), list(campaigns))


def filler(day: int) -> Item:
    """An item that shares nothing with any other (its own unit, no tags)."""
    return item(f"filler-{day}", day, unit=f"unit-{day}")


def related_names(items: list[Item], name: str, limit: int = 4) -> list[str]:
    found = {article.name: related for article, related in core.related(items, specs.RELATED, limit)}
    return [article.name for article in found[name]]


def test_a_shared_tag_beats_the_same_unit_nearer_in_time():
    items = [filler(9), item("x", 10, tags=["an toàn"]), filler(11),
             item("same-unit", 12), item("same-tag", 40, unit="cdcs-truong-a", tags=["an toàn"])]
    assert related_names(items, "x") == ["same-tag", "same-unit"]
    assert related_names(items, "x", limit=1) == ["same-tag"]


def test_a_rare_shared_tag_beats_a_common_one():
    common = [item(f"common-{day}", day, unit=f"unit-{day}", tags=["công đoàn"]) for day in range(50, 60)]
    items = [filler(9), item("x", 10, tags=["công đoàn", "nhà giáo"]), filler(11),
             item("shares-common", 12, unit="ldld-tinh", tags=["công đoàn"]),
             item("shares-rare", 30, unit="ldld-tinh", tags=["nhà giáo"]), *common]
    assert related_names(items, "x", limit=2) == ["shares-rare", "shares-common"]


def test_a_shared_campaign_counts_like_a_tag():
    items = [filler(9), item("x", 10, campaigns=["tet-2025"]), filler(11),
             item("same-unit", 12), item("same-campaign", 30, unit="ldld-tinh", campaigns=["tet-2025"])]
    assert related_names(items, "x") == ["same-campaign", "same-unit"]


def test_the_newer_and_older_neighbours_are_left_out():
    items = [item("older", 9, tags=["an toàn"]), item("x", 10, tags=["an toàn"]),
             item("newer", 11, tags=["an toàn"]), item("further", 20, tags=["an toàn"])]
    (_, newer, older), = [n for n in core.neighbours(sorted(items, key=core.item_key, reverse=True))
                          if n[0].name == "x"]
    assert (newer.name, older.name) == ("newer", "older")
    assert related_names(items, "x") == ["further"]


def test_equal_scores_go_nearest_in_time_then_newer_whatever_the_input_order():
    items = [filler(9), item("x", 10, tags=["an toàn"]), filler(11),
             item("c", 13, tags=["an toàn"]), item("a", 13, tags=["an toàn"]), item("b", 13, tags=["an toàn"]),
             item("seven-before", 3, tags=["an toàn"]), item("seven-after", 17, tags=["an toàn"]),
             item("far", 40, tags=["an toàn"])]
    expected = ["c", "b", "a", "seven-after", "seven-before"]
    shuffler = random.Random(7)
    for _ in range(30):
        shuffler.shuffle(items)
        assert related_names(items, "x", limit=5) == expected


def test_an_item_that_shares_nothing_has_no_related_items():
    items = [item("x", 10, unit="cdcs-truong-a", tags=["hội thao"]), *(filler(day) for day in range(20))]
    assert related_names(items, "x") == []


def test_the_same_unit_is_its_own_id_not_the_units_above():
    # The province's own item with no tags: its children's news (all rolled up to it) is not related.
    items = [item("province", 10, unit="ldld-tinh"),
             *(item(f"child-{day}", day, unit="cd-giao-duc", tags=["an toàn"]) for day in range(11, 20)),
             item("province-later", 30, unit="ldld-tinh")]
    assert related_names(items, "province") == ["province-later"]


def test_reach_bounds_the_candidates_of_a_large_group():
    items = [item(f"t-{day}", day, unit=f"unit-{day}", tags=["an toàn"]) for day in range(200)]
    found = {article.name: related for article, related in core.related(items, specs.RELATED, 200, reach=5)}
    # Five on each side in the tag's list, less the two neighbours.
    assert len(found["t-100"]) == 8


def test_article_pages_list_related_items(site):
    site.article("2024/tap-huan.md", {"Title": "Tập huấn an toàn lao động cho giáo viên",
                                      "Date": "20/5/2024 08:00", "Unit": "cdcs-truong-a", "Slug": "tap-huan",
                                      "Campaigns": "thang-cong-nhan-2024", "Tags": "an toàn lao động"})
    site.article("2024/tinh.md", {"Title": "Tin của Liên đoàn Lao động tỉnh", "Date": "1/8/2024 08:00",
                                  "Unit": "ldld-tinh", "Slug": "tin-tinh"})
    site.article("2024/hoi-nghi.md", {"Title": "Hội nghị Ban Tuyên giáo", "Date": "1/9/2024 08:00",
                                      "Unit": "ban-tuyen-giao", "Slug": "hoi-nghi"})
    site.article("2024/kiem-tra.md", {"Title": "Kiểm tra an toàn lao động tại trường",
                                      "Date": "1/10/2024 08:00", "Unit": "cd-giao-duc", "Slug": "kiem-tra",
                                      "Tags": "an toàn lao động"})
    site.build()

    def related(url: str) -> list[str]:
        return [a.get_text(strip=True) for a in site.html(url).select(".block-related .card-title a")]

    launch = site.html(LE_PHAT_DONG)
    # Tập huấn shares the campaign and the tag but is the next item, linked as "Bài sau".
    assert "Tập huấn an toàn lao động cho giáo viên" in launch.select_one("a[rel=next]").get_text()
    assert related(LE_PHAT_DONG) == ["Kiểm tra an toàn lao động tại trường"]
    assert related("/2024/07/chinh-sach-moi-ve-bao-hiem-xa-hoi/") == ["Hội nghị Ban Tuyên giáo"]
    # The province's own item: no other item of its own, so no block rather than the latest news.
    assert site.html("/2024/08/tin-tinh/").select_one(".block-related") is None
    assert related("/2024/09/hoi-nghi/") == ["Chính sách mới về bảo hiểm xã hội"]
