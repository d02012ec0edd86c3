"""`tasks.py merge`: the portal of Bình Duyên (tests/fixtures/merge/b) merged into that of Thái Sơn
(merge/a) from 1/7/2025, then checked, built for real and reported on as each former portal was."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import NOW, Site
from support.site import FIXTURES, ROOT
from plugins.contract.pipeline import load_settings
from plugins.contract.registry import load_registry
from plugins.contract.urlrecord import REMOVED, read as read_record
from plugins.merger import core
from plugins.merger.cli import run, summary
from plugins.merger.merge import MergeRefused, plan, write
from plugins.merger.settings import OptionsError, load
from plugins.targets import formats
from plugins.targets.collect import collect
from plugins.targets.core import Period, count
from plugins.targets.settings import load as target_settings
from plugins.tools.check import check

A, B = FIXTURES / "merge" / "a", FIXTURES / "merge" / "b"
MERGER = dt.date(2025, 7, 1)
MAP_LINE = re.compile(r'^\s*"(?P<old>[^"]+)" "(?P<new>[^"]+)";$')


def merge_into(folder: Path, other: Path = B, **options):
    """Merge ``other`` into the content folder ``folder``; the plan and what it wrote."""
    result = plan(load(str(other), str(folder), options.pop("prefix", "bd-"), "1/7/2025", **options), NOW)
    if not result.options.dry_run:
        write(result)
    return result


@pytest.fixture(scope="module")
def merged(tmp_path_factory, image_cache):
    """The merged folder, built once for the module."""
    monkeypatch = pytest.MonkeyPatch()
    site = Site(tmp_path_factory.mktemp("merged"), monkeypatch, "merge/a", image_cache=image_cache)
    site.plan = merge_into(site.content, domain="congdoanbinhduyen.example.vn")
    site.build()
    yield site
    monkeypatch.undo()


def copy_of(tmp_path: Path, fixture: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(fixture, folder)
    return folder


def nginx_map(site) -> dict[str, str]:
    text = site.plan.options.map_file.read_text(encoding="utf-8")
    assert text.count("map $uri $gop_bd_moi {") == 1 and text.rstrip().endswith("}")
    return {m["old"]: m["new"] for m in map(MAP_LINE.match, text.splitlines()) if m}


def test_ids_are_namespaced_and_only_the_id_lines_change(merged):
    registry, problems = load_registry(merged.content)
    assert not [p for p in problems if p.severity == "error"], problems
    theirs, _ = load_registry(B)
    ours, _ = load_registry(A)
    assert set(registry.units) == set(ours.units) | {f"bd-{i}" for i in theirs.units}
    assert set(registry.campaigns) == {"thang-cong-nhan-2024", "bd-thang-cong-nhan-2024"}
    assert [s.id for s in registry.sections] == ["tin-hoat-dong", "chinh-sach-phap-luat", "bd-tin-hoat-dong",
                                                 "bd-guong-dien-hinh"]
    # A section named as one here keeps its name with the other federation's short name after it.
    assert registry.find_section("bd-tin-hoat-dong").name == "Tin hoạt động (Bình Duyên)"
    assert registry.campaigns["bd-thang-cong-nhan-2024"].name == "Tháng Công nhân năm 2024 (Bình Duyên)"
    before = (B / "articles/2024/2024-11-05-ban-tuyen-giao.md").read_bytes().split(b"\n")
    after = (merged.content / "articles/2024/2024-11-05-ban-tuyen-giao.md").read_bytes().split(b"\n")
    assert [a for a, b in zip(before, after) if a != b] == ["Đơn vị: ban-tuyen-giao".encode(), b"Category: tin-hoat-dong"]
    assert [b for a, b in zip(before, after) if a != b] == ["Đơn vị: bd-ban-tuyen-giao".encode(),
                                                            b"Category: bd-tin-hoat-dong"]
    # The other portal's default section is named where the article had none.
    an_phu = (merged.content / "articles/2024/2024-03-01-an-phu.md").read_text(encoding="utf-8")
    assert "Unit: bd-ldld-huyen-an-phu\nType: tin\nCategory: bd-tin-hoat-dong\n\n" in an_phu
    kenh = (merged.content / "kenh/bd-cd-y-te/2024.yml").read_text(encoding="utf-8")
    assert kenh == (B / "kenh/cd-y-te/2024.yml").read_text(encoding="utf-8").replace(
        "unit: cd-y-te", "unit: bd-cd-y-te").replace("unit: cdcs-benh-vien", "unit: bd-cdcs-benh-vien")
    # This portal's files stay byte for byte, its registries only grow at the end of their lists.
    for rel in ("articles/2024/2024-05-03-le-phat-dong.md", "pages/gioi-thieu.md", "images/anh-chung.jpg"):
        assert (merged.content / rel).read_bytes() == (A / rel).read_bytes()
    units = (merged.content / "units.yml").read_text(encoding="utf-8")
    assert units.startswith((A / "units.yml").read_text(encoding="utf-8").removesuffix("# Cuối tệp.\n"))
    assert units.endswith("# Cuối tệp.\n")


def test_drafts_are_renamed_too(tmp_path):
    other = copy_of(tmp_path, B, "b")
    (other / "articles/2025/nhap.md").write_text("Title: Bản nháp\nDate: 3/9/2025 08:00\nUnit: CĐN Y tế\n"
                                                 "Campaigns: Tháng Công nhân năm 2024\nStatus: draft\n\nNháp.\n",
                                                 encoding="utf-8")
    folder = copy_of(tmp_path, A, "content")
    merge_into(folder, other)
    assert (folder / "articles/2025/nhap.md").read_text(encoding="utf-8") == (
        "Title: Bản nháp\nDate: 3/9/2025 08:00\nUnit: bd-cd-y-te\nCampaigns: bd-thang-cong-nhan-2024\nStatus: draft\n"
        "Category: bd-tin-hoat-dong\n\nNháp.\n")


def test_a_link_to_a_moved_article_of_the_other_site_follows_it(merged):
    page = merged.html("/2024/06/kham-benh-mien-phi-cho-nguoi-lao-dong/")
    (link,) = [a for a in page.select("article a") if a.get_text() == "lễ phát động Tháng Công nhân"]
    assert link["href"].endswith("/2024/05/le-phat-dong-thang-cong-nhan-bd/")


def test_the_same_photo_name_goes_to_the_other_federations_folder(merged):
    assert (merged.content / "images/bd/anh-chung.jpg").read_bytes() == (B / "images/anh-chung.jpg").read_bytes()
    assert (merged.content / "images/anh-rieng.jpg").read_bytes() == (B / "images/anh-rieng.jpg").read_bytes()
    text = (merged.content / "articles/2024/bd-2024-05-03-le-phat-dong.md").read_text(encoding="utf-8")
    assert "Image: images/bd/anh-chung.jpg\n" in text and "![Quang cảnh lễ phát động](images/bd/anh-chung.jpg)" in text
    assert "images/anh-chung.jpg" not in text
    attached = (merged.content / "articles/2024/2024-06-12-kham-benh.md").read_text(encoding="utf-8")
    assert "Attachments: files/bd/ke-hoach.pdf\n" in attached
    assert (merged.content / "files/ke-hoach.pdf").read_bytes() == (A / "files/ke-hoach.pdf").read_bytes()


def test_no_url_is_taken_over(merged):
    ours = read_record(A)
    record = read_record(merged.content)
    for url, entry in ours.entries.items():
        assert record.entries[url].owner == entry.owner
    assert "Thái Sơn" in merged.html("/2024/05/le-phat-dong-thang-cong-nhan/").h1.get_text()
    assert "Thái Sơn" in merged.html("/gioi-thieu/").get_text()
    # The newcomer got the other federation's label after its slug; its own alias was free here and stays.
    moved = merged.html("/2024/05/le-phat-dong-thang-cong-nhan-bd/")
    assert "Bình Duyên" in moved.h1.get_text()
    assert "Bình Duyên" in merged.html("/gioi-thieu-bd/").get_text()
    assert "2024/05/le-phat-dong-thang-cong-nhan-bd/" in (merged.output / "tin-tuc/le-phat-dong.html").read_text()
    # The other record's URLs came along (an old slug still redirects here), owned by the files' new paths.
    assert record.entries["2024/06/kham-benh-cu/"].owner == "articles/2024/2024-06-12-kham-benh.md"
    # An article taken off the other site, whose file name is one of this portal's files, keeps a name of its own.
    assert record.entries["2024/01/bai-da-go/"].owner == "articles/2024/bd-2024-09-10-tap-huan.md"
    assert merged.exists("/2024/01/bai-da-go/") and merged.exists("/2024/09/tap-huan-nghiep-vu-tuyen-giao/")
    assert "2024/06/kham-benh-mien-phi-cho-nguoi-lao-dong/" in (merged.output / "2024/06/kham-benh-cu/index.html").read_text()
    assert {p.target for p in merged.plan.placements if p.slug} == {"articles/2024/bd-2024-05-03-le-phat-dong.md",
                                                                    "pages/bd-gioi-thieu.md"}


def test_the_other_federation_merges_from_the_merger_date(merged):
    registry, _ = load_registry(merged.content)
    top, health = registry.units["bd-ldld-tinh"], registry.units["bd-cd-y-te"]
    assert top.successor is registry.units["ldld-tinh"] and top.merged_on == MERGER
    assert top.active_until == MERGER - dt.timedelta(days=1)
    assert registry.parent_on(health, MERGER - dt.timedelta(days=1)) is top
    assert registry.parent_on(health, MERGER) is registry.units["ldld-tinh"]
    # A move the other portal wrote itself is kept, under the new ids.
    works = registry.units["bd-cdcs-xi-nghiep-an-phu"]
    assert registry.parent_on(works, MERGER).id == "bd-cd-y-te"
    assert registry.units["bd-ldld-huyen-an-phu"].active_until == MERGER - dt.timedelta(days=1)
    # Targets kept: the other portal's own (8), and its kind's (10 for cap-tren) through 2025, this portal's after.
    assert health.target.for_year(2024) == 8
    district = registry.units["bd-ldld-huyen-an-phu"]
    assert district.target.for_year(2024) == 10 and district.target.for_year(2026) == 12


def test_a_kind_without_a_target_there_gets_none_before_the_merger(tmp_path):
    other = copy_of(tmp_path, B, "b")
    units = other / "units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace("  ban: 4\n", ""), encoding="utf-8")
    folder = copy_of(tmp_path, A, "content")
    merge_into(folder, other)
    registry, _ = load_registry(folder)
    department = registry.units["bd-ban-tuyen-giao"]
    assert registry.target_rule(department).for_year(2024) is None
    assert registry.target_rule(department).for_year(2026) == 6


def test_the_nginx_map_sends_every_old_url_to_a_page_of_the_merged_site(merged):
    moves = nginx_map(merged)
    theirs = read_record(B)
    old = {f"/{url}" for url, entry in theirs.entries.items() if entry.state != REMOVED}
    old |= {"/tin-tuc/le-phat-dong.html", "/gioi-thieu/", "/2025/09/cong-doan-nganh-y-te-binh-duyen-sau-sap-nhap/",
            "/don-vi/cd-y-te/", "/chuyen-muc/guong-dien-hinh/", "/chien-dich/thang-cong-nhan-2024/"}
    assert old <= set(moves)
    assert moves["/2024/05/le-phat-dong-thang-cong-nhan/"] == "/2024/05/le-phat-dong-thang-cong-nhan-bd/"
    assert moves["/don-vi/cd-y-te/"] == "/don-vi/bd-cd-y-te/"
    assert moves["/files/ke-hoach.pdf"] == "/files/bd/ke-hoach.pdf"
    for new in moves.values():
        assert merged.exists(new), new
    lines = [line for line in merged.plan.map_text.splitlines() if MAP_LINE.match(line)]
    assert lines == sorted(lines)
    server = core.nginx_server("gop_bd_moi", "congdoanbinhduyen.example.vn", "gop-bd-nginx-map.conf")
    assert "server_name congdoanbinhduyen.example.vn;" in server and "$gop_bd_moi$is_args$args" in server


def test_the_map_is_escaped_for_nginx():
    text, left_out = core.nginx_map([("/tin%20cu/a%22b\\c.html", "/2024/05/x/"), ("/a/", "/b/"), ("/c/", "/d/"),
                                     ("/$host/", "/e/"), ("/f%0a/", "/g/")], "gop_bd_moi", "", "lệnh\ngộp")
    assert '    "/tin cu/a\\"b\\\\c.html" "/2024/05/x/";' in text.splitlines()
    assert [line for line in text.splitlines() if line.startswith("    \"")] == [
        '    "/a/" "/b/";', '    "/c/" "/d/";', '    "/tin cu/a\\"b\\\\c.html" "/2024/05/x/";']
    assert left_out == ["/$host/", "/f%0a/"]
    assert "# Tạo bằng lệnh: lệnh gộp\n" in text


def test_the_merged_folder_passes_check(merged):
    findings = check(merged.content, NOW)
    assert findings.errors == 0, [str(p) for p in findings.problems]


def report_lines(folder: Path, year: int) -> list[formats.Line]:
    registry, _ = load_registry(folder)
    settings = load_settings(folder)
    records, channels, _, _ = collect(folder, registry, NOW, settings)
    report = count(registry, records, Period(year), target_settings(settings).is_digital, channels)
    return [line for line in formats.lines(report) if not line.is_total]


def comparable(line: formats.Line, prefix: str = "") -> tuple:
    """A report line as the board reads it, the channels the line has nothing on left out."""
    by_channel = {c: n for c, n in line.by_channel.items() if n}
    return (line.id.removeprefix(prefix), line.level, line.name, line.parent, line.start, line.end, by_channel,
            line.total, line.counted, line.target, line.verdict, line.months, line.note, line.own)


def test_the_report_of_the_year_before_the_merger_is_each_former_portals_own(merged):
    rows = report_lines(merged.content, 2024)
    ours, theirs = report_lines(A, 2024), report_lines(B, 2024)
    assert [comparable(r) for r in rows if not r.id.startswith("bd-")] == [comparable(r) for r in ours]
    assert [comparable(r, "bd-") for r in rows if r.id.startswith("bd-")] == [comparable(r) for r in theirs]
    assert len(rows) == len(ours) + len(theirs)


def test_the_dashboard_of_the_merger_year_shows_both_histories(merged):
    page = merged.html("/thong-ke/2025/")
    text = " ".join(page.get_text().split())
    assert "tiếp nhận LĐLĐ Bình Duyên (sáp nhập từ 1/7/2025)" in text
    assert "chuyển về LĐLĐ Thái Sơn từ 1/7/2025 (trước đó: LĐLĐ Bình Duyên)" in text
    timeline = " ".join(merged.html("/don-vi/bd-ldld-tinh/").get_text().split())
    assert "Sáp nhập vào" in timeline and "Liên đoàn Lao động tỉnh Thái Sơn" in timeline


def test_an_alias_taken_here_leaves_the_newcomers_header_and_stays_on_the_old_domain(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    ours = folder / "articles/2024/2024-05-03-le-phat-dong.md"
    ours.write_text(ours.read_text(encoding="utf-8").replace("Type: bai\n", "Type: bai\nAliases: /tin-tuc/le-phat-dong.html\n"),
                    encoding="utf-8")
    result = merge_into(folder)
    (told,) = [p for p in result.problems if p.code == "W902"]
    assert str(told) == ("articles/2024/2024-05-03-le-phat-dong.md:11: cảnh báo W902: địa chỉ cũ /tin-tuc/le-phat-dong.html "
                         "đã được dùng ở đây nên được bỏ khỏi 'Aliases'; tên miền cũ vẫn chuyển địa chỉ này tới bài "
                         "(tệp bản đồ nginx)")
    theirs = (folder / "articles/2024/bd-2024-05-03-le-phat-dong.md").read_text(encoding="utf-8")
    assert "Aliases" not in theirs and "Slug: le-phat-dong-thang-cong-nhan-bd\n" in theirs
    assert '"/tin-tuc/le-phat-dong.html" "/2024/05/le-phat-dong-thang-cong-nhan-bd/";' in result.map_text
    assert check(folder, NOW).errors == 0


def test_a_pages_old_addresses_free_here_come_along_and_redirect_on_the_merged_site(tmp_path, monkeypatch):
    site = Site(tmp_path, monkeypatch, "merge/a")
    other = copy_of(tmp_path, B, "b")
    (other / "pages/gioi-thieu.md").write_text("Title: Giới thiệu\nSlug: gioi-thieu\nAliases: /ve-chung-toi/, "
                                               "/gioi-thieu.html\n\nLiên đoàn Lao động tỉnh Bình Duyên.\n", encoding="utf-8")
    ours = site.content / "pages/gioi-thieu.md"
    ours.write_text(ours.read_text(encoding="utf-8").replace("Slug: gioi-thieu\n", "Slug: gioi-thieu\nAliases: /gioi-thieu.html\n"),
                    encoding="utf-8")
    result = merge_into(site.content, other)
    (told,) = [p for p in result.problems if p.code == "W902"]
    assert str(told).startswith("pages/gioi-thieu.md:3: cảnh báo W902: địa chỉ cũ /gioi-thieu.html đã được dùng ở đây")
    assert str(told).endswith("tên miền cũ vẫn chuyển địa chỉ này tới trang (tệp bản đồ nginx)")
    theirs = (site.content / "pages/bd-gioi-thieu.md").read_text(encoding="utf-8")
    assert "Slug: gioi-thieu-bd\n" in theirs and "Aliases: /ve-chung-toi/\n" in theirs
    assert '"/gioi-thieu.html" "/gioi-thieu-bd/";' in result.map_text
    site.build()
    for old, new in (("/ve-chung-toi/", "/gioi-thieu-bd/"), ("/gioi-thieu.html", "/gioi-thieu/")):
        shown = site.html(old)
        assert shown.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={new}"
        assert shown.find("link", rel="canonical")["href"].endswith(new)


def test_a_mapping_makes_two_units_one_body(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    mapping = tmp_path / "gop.yml"
    mapping.write_text("units:\n  ban-tuyen-giao: ban-tuyen-giao\nsections:\n  tin-hoat-dong: tin-hoat-dong\n",
                       encoding="utf-8")
    result = merge_into(folder, mapping=str(mapping))
    registry, _ = load_registry(folder)
    assert "bd-ban-tuyen-giao" not in registry.units and "bd-tin-hoat-dong" not in {s.id for s in registry.sections}
    assert result.maps.same_units == {"ban-tuyen-giao"}
    text = (folder / "articles/2024/2024-11-05-ban-tuyen-giao.md").read_text(encoding="utf-8")
    assert "Đơn vị: ban-tuyen-giao\nCategory: tin-hoat-dong\n" in text
    assert check(folder, NOW).errors == 0


def test_under_names_the_unit_that_takes_the_other_federation_in(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    with pytest.raises(MergeRefused, match="--under: không có đơn vị 'khong-co' hoạt động vào ngày 1/7/2025"):
        merge_into(folder, under="khong-co")
    merge_into(folder, under="cd-giao-duc")
    registry, problems = load_registry(folder)
    assert not [p for p in problems if p.severity == "error"], problems
    assert registry.units["bd-ldld-tinh"].successor.id == "cd-giao-duc"
    assert registry.parent_on(registry.units["bd-cd-y-te"], MERGER).id == "cd-giao-duc"


def test_links_to_the_old_sites_moved_pages_follow_them_and_the_header_stays_byte_for_byte():
    raw = ("Title: T\r\nUnit: cd-y-te\r\nAliases: /tin-tuc/x.html\r\n\r\n[bài](/2024/05/x/) "
           "[đơn vị](https://cu.example.vn/don-vi/cd-y-te/) [khác](/2024/05/x/trang/2/) "
           "<a href=\"/tin-tuc/x.html\">cũ</a> ![ảnh](images/a.jpg)\r\n").encode()
    edit = core.HeaderEdit({"Unit": "bd-cd-y-te", "Slug": "x-bd"}, {"images/a.jpg": "images/bd/a.jpg"},
                           {"/2024/05/x/": "/2024/05/x-bd/", "/don-vi/cd-y-te/": "/don-vi/bd-cd-y-te/",
                            "/tin-tuc/x.html": "/2024/05/x-bd/"}, "cu.example.vn")
    assert core.rewrite(raw, {"Title": 1, "Unit": 2, "Aliases": 3}, edit).decode() == (
        "Title: T\r\nUnit: bd-cd-y-te\r\nAliases: /tin-tuc/x.html\r\nSlug: x-bd\r\n\r\n[bài](/2024/05/x-bd/) "
        "[đơn vị](/don-vi/bd-cd-y-te/) [khác](/2024/05/x/trang/2/) <a href=\"/2024/05/x-bd/\">cũ</a> "
        "![ảnh](images/bd/a.jpg)\r\n")
    assert core.rewrite(b"Title: T\nUnit: a", {"Unit": 2}, core.HeaderEdit({"Unit": "b"})) == b"Title: T\nUnit: b"


def test_the_other_lists_are_added_at_the_end_of_this_files_lists():
    block = core.dump_entries([{"id": "bd-x", "name": "X: Y"}], "  ")
    assert block == "  - id: bd-x\n    name: 'X: Y'\n"
    assert core.insert_entries("sections: []  # trống\n", "sections", block, "gộp") == \
        "sections:  # trống\n  # gộp\n  - id: bd-x\n    name: 'X: Y'\n"
    assert core.insert_entries("# kênh\n", "channels", block, "gộp") == "# kênh\nchannels:\n  # gộp\n" + block
    assert core.insert_entries("units:\n    - id: a\n      name: A\ntargets: {}\n", "units", block, "gộp") == \
        "units:\n    - id: a\n      name: A\n    # gộp\n    - id: bd-x\n      name: 'X: Y'\ntargets: {}\n"
    with pytest.raises(ValueError):
        core.insert_entries("units: [{id: a, name: A}]\n", "units", block, "gộp")


def test_ids_that_clash_after_prefixing_refuse_the_merge_and_nothing_is_written(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    merge_into(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(MergeRefused, match="mã 'bd-ldld-tinh' \\(của 'ldld-tinh' bên kia\\) đã có ở đây"):
        merge_into(folder)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_dry_run_tells_and_writes_nothing(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    result = merge_into(folder, dry_run=True)
    assert not result.options.map_file.exists()
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == \
        {p.relative_to(A).as_posix() for p in A.rglob("*") if p.is_file()}
    told = summary(result)
    assert "/2024/05/le-phat-dong-thang-cong-nhan/ → /2024/05/le-phat-dong-thang-cong-nhan-bd/" in told
    assert "images/anh-chung.jpg → images/bd/anh-chung.jpg" in told


def test_the_command_tells_what_it_did_and_what_to_do_next(tmp_path, capsys):
    folder = copy_of(tmp_path, A, "content")
    run(load(str(B), str(folder), "bd-", "1/7/2025", domain="congdoanbinhduyen.example.vn"))
    said = capsys.readouterr().out
    assert "Bản gộp còn lỗi" not in said
    assert f"Đã ghi 15 tệp vào {folder} và bản đồ chuyển hướng {tmp_path / 'gop-bd-nginx-map.conf'}." in said
    assert "     include /etc/nginx/snippets/gop-bd-nginx-map.conf;\n" in said
    assert "         server_name congdoanbinhduyen.example.vn;\n" in said


def test_a_dirty_folder_is_refused(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.vn"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    (folder / "articles/2025/nhap.md").write_text("Title: Nháp\n", encoding="utf-8")
    with pytest.raises(MergeRefused, match=r"1 tệp chưa commit[^\n]*\n  articles/2025/nhap.md"):
        merge_into(folder)


@pytest.mark.parametrize("prefix, day, wrong", [("BD", "1/7/2025", "--prefix 'BD' không hợp lệ"),
                                                 ("bd-", "31/2/2025", "--date"),
                                                 ("bd-", "1/7/2025 ../x", "--date")])
def test_bad_options_are_told(tmp_path, prefix, day, wrong):
    with pytest.raises(OptionsError, match=re.escape(wrong)):
        load(str(B), str(tmp_path), prefix, day)


def test_the_task_refuses_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "tasks.py", "merge", "--from", str(tmp_path / "khong-co"), "--prefix", "bd-",
                           "--date", "1/7/2025", "--content", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"--from: không tìm thấy thư mục {tmp_path / 'khong-co'}" in done.stderr


# --- The other folder is not trusted ---

def test_links_out_of_the_other_folder_are_never_followed(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT KHẨU MÁY CHỦ", encoding="utf-8")
    other = copy_of(tmp_path, B, "b")
    (other / "images/lien-ket.jpg").symlink_to(secret)
    (other / "images/album").symlink_to(tmp_path, target_is_directory=True)
    folder = copy_of(tmp_path, A, "content")
    with pytest.raises(MergeRefused) as refused:
        merge_into(folder, other)
    told = str(refused.value)
    assert "images/lien-ket.jpg:1: lỗi E902: tệp là liên kết tượng trưng (symlink)" in told
    assert "images/album:1: lỗi E901: thư mục là liên kết tượng trưng (symlink)" in told
    assert "MẬT KHẨU" not in told
    assert not any("MẬT KHẨU".encode() in p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("rel, text, told", [
    ("units.yml", "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nunits: [*b, *b]\n", "units.yml:1: lỗi E401"),
    ("articles/2024/ra-ngoai.md", "Title: Ra ngoài\nDate: 1/3/2024 10:00\nUnit: cd-y-te\nImage: ../../../etc/passwd\n"
                                  "ImageAlt: x\n\nNội dung.\n", "lỗi E502"),
    ("urls.lock", "2024/01/x/\t../../etc/passwd\t" + "0" * 40 + "\n", "urls.lock:1: lỗi E204"),
])
def test_hostile_files_of_the_other_folder_refuse_the_merge(tmp_path, rel, text, told):
    other = copy_of(tmp_path, B, "b")
    (other / rel).write_text(text, encoding="utf-8")
    folder = copy_of(tmp_path, A, "content")
    with pytest.raises(MergeRefused, match=re.escape(told)):
        merge_into(folder, other)
    assert not (tmp_path / "gop-bd-nginx-map.conf").exists()


def test_nothing_is_written_through_a_link_of_this_folder(tmp_path):
    folder = copy_of(tmp_path, A, "content")
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (folder / "kenh").symlink_to(outside, target_is_directory=True)
    with pytest.raises(MergeRefused, match="kenh/bd-cd-y-te/2024.yml: là liên kết tượng trưng ở thư mục này"):
        merge_into(folder)
    assert list(outside.iterdir()) == []
    assert (folder / "units.yml").read_bytes() == (A / "units.yml").read_bytes()


def test_a_huge_file_is_told_not_read(tmp_path):
    other = copy_of(tmp_path, B, "b")
    with open(other / "files/lon.pdf", "wb") as handle:
        handle.truncate(201 * 1024 * 1024)  # sparse: no disk used
    with pytest.raises(MergeRefused, match=re.escape("files/lon.pdf:1: lỗi E904: tệp quá lớn")):
        merge_into(copy_of(tmp_path, A, "content"), other)


def test_files_outside_what_a_portal_holds_are_named_not_carried(tmp_path):
    other = copy_of(tmp_path, B, "b")
    (other / "ghi-chu.txt").write_text("ghi chú", encoding="utf-8")
    (other / "authors.yml").write_text("authors: []\n", encoding="utf-8")
    folder = copy_of(tmp_path, A, "content")
    result = merge_into(folder, other)
    assert sorted(str(p) for p in result.problems if p.code == "W901") == [
        str(p) for p in result.problems if p.path in ("authors.yml", "ghi-chu.txt")]
    assert {p.path for p in result.problems if p.code == "W901"} == {"authors.yml", "ghi-chu.txt"}
    assert not (folder / "ghi-chu.txt").exists()
