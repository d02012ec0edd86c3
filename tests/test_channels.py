"""Items published off the portal (fan page, newspapers, radio and TV, the national union page):
the channels of channels.yml, the item files of kenh/, every mistake told at its file and line,
and the build, check and its cache seeing them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plugins.contract.channels import WEBSITE, WEBSITE_NAME, Channel, ChannelItem, load_channels
from plugins.contract.problems import ERROR, WARNING
from plugins.contract.registry import load_registry
from plugins.contract.registry_yaml import MAX_BYTES
from plugins.tools.check import check
from support import FIXTURES, NOW, ROOT, epoch

TODAY = NOW.date()
CHANNELS = """\
    channels:
      - id: website
        name: Cổng thông tin điện tử
      - id: fanpage
        name: Trang Facebook (fanpage) của đơn vị
      - id: bao-in
        name: Báo in
      - id: phat-thanh-truyen-hinh
        name: Phát thanh, truyền hình
      - id: trang-cdvn
        name: Trang Công đoàn Việt Nam (Báo Lao động điện tử)
    """
GOOD_FILE = """\
    # Tin bài của CĐN Giáo dục đăng ngoài cổng thông tin, năm 2025
    unit: cd-giao-duc
    items:
      - date: 3/7/2025
        channel: fanpage
        type: tin
        title: Công đoàn ngành Giáo dục thăm hỏi giáo viên
        url: https://www.facebook.com/cdgd/posts/1
      - date: 2025-07-01
        channel: Báo In
        type: Phóng sự
        title: Phóng sự về nhà giáo vùng cao
      - date: 1/6/2025
        unit: cdcs-truong-a
        channel: TRANG CONG DOAN VIET NAM (BAO LAO DONG DIEN TU)
        type: bai viet
        title: Trường Tiểu học A chăm lo cho giáo viên
        url: http://laodong.vn/cong-doan/truong-a.ldo
    """


def folder(tmp_path: Path, files: dict[str, str | bytes], channels: str | None = CHANNELS) -> Path:
    """The basic fixture's registries, ``channels`` as channels.yml (None: no file) and ``files``."""
    root = tmp_path / "content"
    root.mkdir(parents=True)
    for name in ("units.yml", "campaigns.yml", "sections.yml"):
        shutil.copy(FIXTURES / "basic" / name, root / name)
    if channels is not None:
        (root / "channels.yml").write_text(textwrap.dedent(channels), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8"))
    return root


def load(tmp_path: Path, files: dict[str, str | bytes], channels: str | None = CHANNELS, today: dt.date = TODAY):
    root = folder(tmp_path, files, channels)
    registry, problems = load_registry(root)
    assert problems == []
    return load_channels(root, registry, today)


def told(problems) -> dict[str, str]:
    """``path:line`` → code of each problem (one problem per place in these tests)."""
    found = {f"{p.path}:{p.line}": p.code for p in problems}
    assert len(found) == len(problems), [str(p) for p in problems]
    return found


def test_a_good_file_gives_its_items_sorted_by_day_with_ids_for_names_and_labels(tmp_path):
    book, problems = load(tmp_path, {"kenh/cd-giao-duc/2025.yml": GOOD_FILE})
    assert problems == []
    assert list(book.channels) == [WEBSITE, "fanpage", "bao-in", "phat-thanh-truyen-hinh", "trang-cdvn"]
    assert book.channels["bao-in"] == Channel("bao-in", "Báo in", 6)
    assert book.files == ("kenh/cd-giao-duc/2025.yml",)
    path = "kenh/cd-giao-duc/2025.yml"
    assert book.items == [
        ChannelItem(path, 13, "cdcs-truong-a", dt.date(2025, 6, 1), "trang-cdvn", "bai",
                    "Trường Tiểu học A chăm lo cho giáo viên", "http://laodong.vn/cong-doan/truong-a.ldo"),
        ChannelItem(path, 9, "cd-giao-duc", dt.date(2025, 7, 1), "bao-in", "phong-su", "Phóng sự về nhà giáo vùng cao"),
        ChannelItem(path, 4, "cd-giao-duc", dt.date(2025, 7, 3), "fanpage", "tin",
                    "Công đoàn ngành Giáo dục thăm hỏi giáo viên", "https://www.facebook.com/cdgd/posts/1"),
    ]


def test_files_at_any_depth_and_both_suffixes_are_read_in_path_order(tmp_path):
    item = "unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: T}\n"
    book, problems = load(tmp_path, {"kenh/b.yaml": item, "kenh/a/2025/quy-1.yml": item, "kenh/.nhap.yml": "x: [",
                                     "kenh/C.YML": item})
    assert book.files == ("kenh/C.YML", "kenh/a/2025/quy-1.yml", "kenh/b.yaml")
    # Same unit, day, channel and title without an address: the later ones are warned of, and still count.
    assert told(problems) == {"kenh/a/2025/quy-1.yml:3": "W414", "kenh/b.yaml:3": "W414"}
    assert len(book.items) == 3


def test_website_is_always_a_channel(tmp_path):
    book, problems = load(tmp_path, {}, channels=None)
    assert problems == [] and book.files == () and book.items == []
    assert book.channels == {WEBSITE: Channel(WEBSITE, WEBSITE_NAME, 0)}
    book, problems = load(tmp_path / "b", {}, channels="channels:\n  - {id: fanpage, name: Fanpage}\n")
    assert problems == [] and list(book.channels) == [WEBSITE, "fanpage"]
    book, problems = load(tmp_path / "c", {}, channels="channels:\n  - {id: fanpage, name: Fanpage}\n"
                                                      "  - {id: website, name: Cổng thông tin Công đoàn tỉnh}\n")
    assert problems == [] and list(book.channels) == [WEBSITE, "fanpage"]
    assert book.channels[WEBSITE].name == "Cổng thông tin Công đoàn tỉnh"


MISTAKES = """\
    unit: cd-giao-duc
    items:
      - date: 3/7/2025
        channel: website
        title: Đã là bài viết
      - date: 31/2/2025
        channel: fanpage
        title: Ngày sai
      - date: 1/12/2026
        channel: fanpage
        title: Ngày chưa tới
      - date: 1/8/2025
        unit: ldld-huyen-cu
        channel: fanpage
        title: Đơn vị đã giải thể
      - date: 1/3/2025
        unit: cd-giao-duk
        channel: fanpag
        type: tinn
        titel: Gõ nhầm
      - date: 1/3/2025
        channel: fanpage
        title: "{long}"
      - date: 1/3/2025
        channel: fanpage
        title: Địa chỉ javascript
        url: "javascript:alert(1)"
      - date: 1/3/2025
        channel: fanpage
        title: Địa chỉ có mật khẩu
        url: https://ban:matkhau@www.facebook.com/cdgd
      - date: 1/3/2025
        channel: fanpage
        title: Địa chỉ không có tên miền
        url: https:///posts/1
      - date: 1/3/2025
        channel: fanpage
        title: Địa chỉ có dấu cách
        url: https://www.facebook.com/cd gd
      - date: 1/3/2025
        channel: fanpage
        title: Địa chỉ quá dài
        url: https://www.facebook.com/{path}
      - date: 1/3/2025
        channel: bao-in
        title: Tin trùng
      - date: 1/3/2025
        channel: bao-in
        title: tin  TRÙNG
      - date: 1/3/2025
        channel: fanpage
        type: 5
    """


def test_every_mistake_in_an_item_file_is_told_at_its_line_with_its_code(tmp_path):
    text = textwrap.dedent(MISTAKES).replace("{long}", "Dài " * 120).replace("{path}", "a" * 2000)
    first = "unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: T, url: 'https://www.facebook.com/cdgd/posts/1'}\n"
    book, problems = load(tmp_path, {
        "kenh/a.yml": first,
        "kenh/b.yml": text + "  - {date: 1/3/2025, channel: fanpage, title: Lần hai, url: 'HTTPS://WWW.facebook.com/cdgd/posts/1/'}\n",
        "kenh/ghi-chu.txt": "ghi chú",
        "kenh/khong-unit.yml": "items:\n  - {date: 1/3/2025, channel: fanpage, title: T}\n",
    })
    assert told(problems) == {
        "kenh/b.yml:4": "E485", "kenh/b.yml:6": "E021", "kenh/b.yml:9": "E481", "kenh/b.yml:12": "E482",
        "kenh/b.yml:16": "E437", "kenh/b.yml:17": "E484", "kenh/b.yml:18": "E486", "kenh/b.yml:19": "E487",
        "kenh/b.yml:20": "E436", "kenh/b.yml:23": "E483", "kenh/b.yml:27": "E491", "kenh/b.yml:31": "E492",
        "kenh/b.yml:35": "E493", "kenh/b.yml:39": "E488", "kenh/b.yml:43": "E490", "kenh/b.yml:47": "W414",
        "kenh/b.yml:50": "E437", "kenh/b.yml:52": "E438", "kenh/b.yml:53": "E489", "kenh/ghi-chu.txt:1": "E479",
        "kenh/khong-unit.yml:1": "E480",
    }
    assert book.files == ("kenh/a.yml", "kenh/b.yml", "kenh/khong-unit.yml")
    # Only the first address and the two equal items count; the warned one is not an error.
    assert [(i.path, i.line) for i in book.items] == [("kenh/a.yml", 3), ("kenh/b.yml", 44), ("kenh/b.yml", 47)]
    lines = {f"{p.path}:{p.line}": str(p) for p in problems}
    assert lines["kenh/b.yml:53"].endswith("đã được ghi ở kenh/a.yml:3; mỗi tin bài chỉ ghi một lần, hãy xóa mục thừa")
    assert "(… – 30/06/2025)" in lines["kenh/b.yml:12"]
    assert "Có phải ý bạn là 'cd-giao-duc'?" in lines["kenh/b.yml:17"]
    assert "Có phải ý bạn là 'fanpage'?" in lines["kenh/b.yml:18"]
    assert "Có phải ý bạn là 'tin'?" in lines["kenh/b.yml:19"]
    assert lines["kenh/b.yml:4"].startswith("kenh/b.yml:4: lỗi E485: tin bài trên cổng thông tin là các bài viết")
    assert lines["kenh/b.yml:47"].startswith("kenh/b.yml:47: cảnh báo W414: tin bài trùng với mục ở kenh/b.yml:44")
    assert all(p.severity == (WARNING if p.code.startswith("W") else ERROR) for p in problems)


def test_mistakes_in_channels_yml_and_items_that_wait_for_it(tmp_path):
    channels = """\
        channels:
          - id: fanpage
            name: Fanpage
          - id: fanpage-2
            name: FANPAGE
          - id: Bao_In
            name: Báo in
          - id: tv
          - id: radio
            name: Đài
            color: red
        """
    items = """\
        unit: cd-giao-duc
        items:
          - {date: 1/3/2025, channel: fanpage-2, title: A}
          - {date: 1/3/2025, channel: fanpage-2, title: B}
          - {date: 1/3/2025, channel: tv, title: C}
          - {date: 1/3/2025, channel: radio, title: D}
        """
    book, problems = load(tmp_path, {"kenh/a.yml": items}, channels=channels)
    assert sorted((p.line, p.code) for p in problems) == [(4, "E477"), (5, "E475"), (6, "E439"), (8, "E437"),
                                                          (8, "E477"), (11, "E436")]
    # An item naming a refused channel waits for it (told once for the channel, not per item) …
    assert [str(p) for p in problems if p.line == 4] == [
        "channels.yml:4: lỗi E477: vì kênh 'fanpage-2' có lỗi ở trên, các tin bài ghi kênh này chưa được tính; "
        "hãy sửa mục này rồi chạy lại"]
    # … and a channel with only an unknown key still counts, its mistake told.
    assert list(book.channels) == [WEBSITE, "fanpage", "radio"] and [i.title for i in book.items] == ["D"]


def test_a_broken_channels_yml_is_told_once_not_per_item(tmp_path):
    items = "unit: cd-giao-duc\nitems:\n" + "  - {date: 1/3/2025, channel: fanpage, title: A}\n" * 5
    book, problems = load(tmp_path, {"kenh/a.yml": items}, channels="channels:\n  - id: fanpage\n   name: x\n")
    assert [(p.path, p.line, p.code) for p in problems] == [("channels.yml", 3, "E416"), ("channels.yml", 3, "E476")]
    assert book.items == [] and list(book.channels) == [WEBSITE]


def test_a_broken_units_yml_is_told_once_not_per_item(tmp_path):
    root = folder(tmp_path, {"kenh/a.yml": "unit: cd-giao-duc\nitems:\n" + "  - {date: 1/3/2025, channel: fanpage, title: A}\n" * 5})
    (root / "units.yml").write_text("units:\n  - id: a\n   name: x\n", encoding="utf-8")
    registry, _ = load_registry(root)
    book, problems = load_channels(root, registry, TODAY)
    assert [(p.path, p.code) for p in problems] == [("units.yml", "E461")] and book.items == []


HOSTILE = {
    "alias": "unit: &u cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: *u}\n",
    "nesting": "unit: cd-giao-duc\nitems: " + "[" * 50 + "]" * 50 + "\n",
    "huge": "unit: cd-giao-duc\nitems:\n" + "  - {date: 1/3/2025, channel: fanpage, title: A}\n" * (MAX_BYTES // 40),
    "list": "- date: 1/3/2025\n  channel: fanpage\n",
    "empty": "",
    "scalar": "xin chào\n",
    "utf16": "unit: cd-giao-duc\n".encode("utf-16"),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "items not a list": "unit: cd-giao-duc\nitems: fanpage\n",
    "item not a mapping": "unit: cd-giao-duc\nitems:\n  - fanpage\n  - [1, 2]\n",
    "values of every kind": "unit: [cd-giao-duc]\nitems:\n  - {date: [1], channel: {a: 1}, type: true, title: 2025, url: 12}\n"
                            "  - {date: 1/3/2025, unit: 12, channel: null, title: ~}\n  - {null: 1, 3: x}\n",
    "a list as a key": "unit: cd-giao-duc\nitems:\n  - {? [a, b] : 1}\n",
    "invisible": "unit: cd-giao-duc\u200b\nitems:\n  - {date: 1/3/2025, channel: \"fan\u200bpage\", title: A, url: "
                 "\"https://www.facebook.com/\u200bx\"}\n",
    "huge numbers": "unit: cd-giao-duc\nitems:\n  - {date: " + "9" * 5000 + ", channel: fanpage, title: " + "1" * 5000 + "}\n",
    "odd dates": "unit: cd-giao-duc\nitems:\n  - {date: 2025-02-30, channel: fanpage, title: A}\n"
                 "  - {date: 0001-01-01, channel: fanpage, title: B}\n  - {date: '2025-03-01T10:00:00+99:00', channel: fanpage, title: C}\n",
    "odd addresses": "unit: cd-giao-duc\nitems:\n" + "".join(
        f"  - {{date: 1/3/2025, channel: fanpage, title: A{n}, url: '{url}'}}\n" for n, url in enumerate(
            ["https://[::1/x", "https://www.facebook.com:99999/x", "https://www.facebook.com\\@evil.com/x", "//evil.com/x",
             "data:text/html,<script>alert(1)</script>", "https://.com/x", "https://-.vn/", "ftp://laodong.vn/x"])),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_are_told_at_a_line_and_never_raise(tmp_path, case):
    book, problems = load(tmp_path, {"kenh/a.yml": HOSTILE[case]})
    errors = [p for p in problems if p.severity == ERROR]
    assert errors and all(p.path in ("kenh/a.yml", "units.yml") and p.line >= 1 and p.code for p in errors)
    assert book.items == []


def test_control_characters_are_removed_with_a_warning_and_the_item_counts(tmp_path):
    book, problems = load(tmp_path, {"kenh/a.yml": 'unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, '
                                                   'title: "A\\x0b\\x00", url: "https://www.facebook.com/x\\x07"}\n'
                                                   "  - {date: 1/3/2025, channel: fanpage, title: B\x0c}\n"})
    assert sorted((p.line, p.code) for p in problems) == [(3, "W410"), (3, "W410"), (3, "W410"), (4, "W411")]
    assert [(i.title, i.url) for i in book.items] == [("A", "https://www.facebook.com/x"), ("B", "")]


def test_the_build_reads_the_channels_and_stops_on_a_channel_error_but_keep_going_counts_the_rest(site):
    site.write("channels.yml", textwrap.dedent(CHANNELS))
    site.write("kenh/cd-giao-duc/2025.yml", textwrap.dedent(GOOD_FILE) + "  - {date: 1/8/2025, channel: tivi, title: X}\n")
    failure = site.fail()
    assert [str(p) for p in failure.problems if p.path.startswith("kenh/")] == [
        "kenh/cd-giao-duc/2025.yml:19: lỗi E486: kênh 'tivi' không có trong channels.yml. Các kênh: fanpage, bao-in, "
        "phat-thanh-truyen-hinh, trang-cdvn"]
    result = site.build(PORTAL_CONTRACT={"keep_going": True})
    assert [i.line for i in result.channels.items] == [13, 9, 4]
    assert list(result.channels.channels)[:2] == [WEBSITE, "fanpage"]
    assert site.exists("/thong-ke/") and not list(site.output.rglob("kenh")) and not list(site.output.rglob("2025.yml"))
    assert any(p.code == "E486" for p in result.problems)
    assert ("Tin bài ngoài cổng thông tin: 3 mục được tính, từ 1 tệp.\n"
            "  có mục không được tính (có lỗi): kenh/cd-giao-duc/2025.yml") in result.summary()


def test_keep_going_still_stops_on_an_error_in_channels_yml(site):
    site.write("channels.yml", "channels:\n  - id: fanpage\n")
    failure = site.fail(PORTAL_CONTRACT={"keep_going": True})
    assert [str(p) for p in failure.problems] == ["channels.yml:2: lỗi E437: thiếu 'name'; hãy bổ sung"]


def test_check_prints_the_line_of_a_channel_item(site):
    site.write("channels.yml", textwrap.dedent(CHANNELS))
    site.write("kenh/cd-giao-duc/2025.yml", "unit: cd-giao-duc\nitems:\n  - date: 1/3/2025\n    channel: fanpage\n"
                                             "    title: Tin\n    url: htps://www.facebook.com/x\n")
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(site.content), "--fresh"],
                            cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("kenh/cd-giao-duc/2025.yml:6: lỗi E491: địa chỉ 'htps://www.facebook.com/x' không hợp lệ")
    assert lines[-1].startswith("Có 1 lỗi, 0 cảnh báo")


def test_the_check_cache_never_serves_a_stale_channel_result(site, tmp_path):
    cache = tmp_path / "check-cache"
    site.write("kenh/a.yml", "unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: A}\n")
    assert [p.code for p in check(site.content, NOW, cache=cache).problems] == ["E486"]
    site.write("channels.yml", "channels:\n  - {id: fanpage, name: Fanpage}\n")
    assert check(site.content, NOW, cache=cache).problems == []
    site.write("kenh/a.yml", "unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: A, type: x}\n")
    assert [p.code for p in check(site.content, NOW, cache=cache).problems] == ["E487"]


def test_a_changed_channel_file_is_a_changed_input_of_the_next_build(site):
    site.write("channels.yml", textwrap.dedent(CHANNELS))
    site.build()
    assert getattr(site.build(), "unchanged", False)  # nothing changed: the last build stands
    site.write("kenh/cd-giao-duc/2025.yml", textwrap.dedent(GOOD_FILE))
    again = site.build()
    assert not getattr(again, "unchanged", False) and len(again.channels.items) == 3


def test_links_out_of_the_content_folder_are_never_read(tmp_path, site):
    secret = tmp_path / "bi-mat.yml"
    secret.write_text("unit: cd-giao-duc\nitems:\n  - {date: 1/3/2025, channel: fanpage, title: Bí mật}\n", encoding="utf-8")
    (site.content / "kenh" / "thu-muc").mkdir(parents=True)
    os.symlink(secret, site.content / "kenh" / "lien-ket.yml")
    os.symlink(tmp_path, site.content / "kenh" / "thu-muc" / "ngoai")
    registry, _ = load_registry(site.content)
    book, problems = load_channels(site.content, registry, TODAY)
    assert book.files == () and book.items == [] and problems == []
    # The content scan tells each link, as for any file of the content folder.
    assert sorted((p.path, p.code) for p in check(site.content, NOW).problems) == [
        ("kenh/lien-ket.yml", "E522"), ("kenh/thu-muc/ngoai", "E521")]
