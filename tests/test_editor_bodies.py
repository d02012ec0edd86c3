"""Nothing in a body is dropped without a message: removed HTML, local paths, videos
written as photos, text pasted from Word, and YouTube/Facebook embeds made posters.

Each case goes through `check` and a real build, which must report the same
`path:line: cảnh báo|lỗi CODE:` lines; the built pages are then read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from plugins.contract.embeds import PLAYERS, recognise
from plugins.contract.markup import render
from plugins.publishing import security
from plugins.tools.check import check
from support import NOW, ROOT, epoch
from test_html_valid import run_vnu, where

HEADER = {"Title": "Tin thử", "Date": "1/3/2024", "Unit": "ban-tuyen-giao"}
# The body of a file written with HEADER starts on this line; with Slug, Image and ImageAlt, three later.
BODY = 5
COVER_LINES = 3
YOUTUBE = ('<iframe width="560" height="315" src="https://www.youtube.com/embed/Lp3vN8sTq0w?si=x" '
           'title="YouTube video player" frameborder="0" allowfullscreen></iframe>')
FACEBOOK = ('<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fcdhs%2F'
            'videos%2F123456%2F&show_text=0" width="560" height="314"></iframe>')

# name: (body, [(line, label and code, words of the message)])
WARNED = {
    "script": ("Mở đầu.\n\n<script>alert('x')</script>\n",
               [(BODY + 2, "cảnh báo W101", "<script>")]),
    "style": ("Mở đầu.\n\n<style>p { color: red }</style>\n",
              [(BODY + 2, "cảnh báo W102", "<style>")]),
    "attributes": ('Mở đầu.\n\n<p style="color:red">Đỏ</p>\n\n<p onclick="steal()">Bấm</p>\n\nChữ <font color="red">đỏ</font>.\n',
                   [(BODY + 2, "cảnh báo W107", "style"), (BODY + 4, "cảnh báo W106", "onclick"),
                    (BODY + 6, "cảnh báo W105", "<font>")]),
    "other-iframe": ('Mở đầu.\n\n<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>\n',
                     [(BODY + 2, "cảnh báo W103", "'www.google.com'")]),
    "object": ('Mở đầu.\n\n<object data="files/ke-hoach.pdf"></object>\n',
               [(BODY + 2, "cảnh báo W104", "<object>")]),
    "embeds": (f"Mở đầu.\n\n{YOUTUBE}\n\n{FACEBOOK}\n", []),
    "mp4-as-image": ("Mở đầu.\n\n![Lễ phát động](files/le.mp4)\n",
                     [(BODY + 2, "cảnh báo W112", "'files/le.mp4'")]),
    "no-alt": ("Mở đầu.\n\n![](images/cover.jpg)\n",
               [(BODY + 2, "cảnh báo W111", "'images/cover.jpg' chưa có mô tả")]),
    "word": ("Ngày 1/3, Ban Tuyên giáo tổ chức hội nghị.\nHội nghị có ba nội dung:\n• Tổng kết năm\n• Khen thưởng\n"
             "Kết thúc hội nghị lúc 11 giờ\nvà các đại biểu chụp ảnh.\n1) Một\n2) Hai\n",
             [(BODY, "cảnh báo W114", "tách thành"), (BODY + 2, "cảnh báo W116", "'•'"),
              (BODY + 4, "cảnh báo W115", "ngắt dòng"), (BODY + 6, "cảnh báo W117", "'1)'")]),
    "javascript-link": ("Mở đầu [bấm vào đây](javascript:alert(1)).\n",
                        [(BODY, "cảnh báo W109", "'javascript:'")]),
}

FAILED = {
    "windows": ("Mở đầu.\n\n![Lễ](C:\\Users\\Lan\\Pictures\\anh le.jpg)\n", BODY + 2, "C:\\Users"),
    "file-url": ("Mở đầu.\n\n![Lễ](file:///home/lan/anh.jpg)\n", BODY + 2, "file:///home/lan/anh.jpg"),
    "home": ("Mở đầu.\n\n![Lễ](/home/lan/anh.jpg)\n", BODY + 2, "'/home/lan/anh.jpg'"),
    "drive": ("Mở đầu.\n\n![Lễ](D:/Anh/le.jpg)\n", BODY + 2, "'D:/Anh/le.jpg'"),
    "backslash": ("Mở đầu.\n\n[Kế hoạch](..\\\\tai-lieu\\\\ke-hoach.pdf)\n", BODY + 2, "ke-hoach.pdf"),
}


def lines_of(problems) -> list[str]:
    return [str(p) for p in problems]


def found(lines: list[str], prefix: str, needle: str) -> bool:
    return any(line.startswith(prefix) and needle in line for line in lines)


def page_path(site, slug: str) -> Path:
    paths = sorted(site.output.rglob(f"{slug}.html")) + sorted(site.output.rglob(f"{slug}/index.html"))
    assert paths, f"no page for {slug}"
    return paths[0]


def page(site, slug: str) -> BeautifulSoup:
    return BeautifulSoup(page_path(site, slug).read_text(encoding="utf-8"), "html.parser")


def test_every_removal_and_change_is_reported_by_check_and_build_and_the_pages_show_it(site):
    site.write("files/le.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    for name, (body, _) in WARNED.items():
        site.article(f"2024/{name}.md", {**HEADER, "Title": f"Tin {name}", "Slug": f"tin-{name}",
                                         "Image": "images/cover.jpg", "ImageAlt": "Ảnh bìa"}, body)
    built = lines_of(site.build().problems)
    checked = lines_of(check(site.content, NOW).problems)
    for name, (_, expected) in WARNED.items():
        for line, label, needle in expected:
            prefix = f"articles/2024/{name}.md:{line + COVER_LINES}: {label}: "
            assert found(built, prefix, needle), f"{prefix}{needle} not in build:\n" + "\n".join(built)
            assert found(checked, prefix, needle), f"{prefix}{needle} not in check:\n" + "\n".join(checked)
    assert not any("lỗi" in line.split(": ")[1] for line in built if "articles/2024/" in line)

    for name in WARNED:
        html = page(site, f"tin-{name}")
        content = html.select_one(".article-content")
        assert content is not None
        assert all(img.get("src") for img in html.find_all("img")), name
        assert not content.find_all(["script", "style", "iframe", "object", "font"]), name
        for element in html.find_all(src=True):
            assert not element["src"].startswith(("http://", "https://", "//")), (name, element["src"])
        assert not content.find_all(attrs={"onclick": True}) and not content.find_all(attrs={"style": True})

    embeds = page(site, "tin-embeds").select(".article-content .video-embed")
    assert [e["data-player"].split("/")[2] for e in embeds] == ["www.youtube-nocookie.com", "www.facebook.com"]
    assert embeds[0].select_one("a.video-embed-link")["href"] == "https://www.youtube.com/watch?v=Lp3vN8sTq0w"
    assert embeds[1].select_one("a.video-embed-link")["href"] == "https://www.facebook.com/cdhs/videos/123456/"
    assert [e.select_one(".video-embed-label").get_text() for e in embeds] == \
        ["Xem video trên YouTube", "Xem video trên Facebook"]
    assert embeds[0].select_one("button.video-embed-play")["aria-label"].startswith("Phát video trên YouTube")
    assert embeds[0].select_one("picture img")["src"].startswith("/images/cover-")  # the cover as poster

    video = page(site, "tin-mp4-as-image").select_one(".article-content video source")
    assert video["src"].endswith("files/le.mp4") and video["type"] == "video/mp4"

    word = page(site, "tin-word").select_one(".article-content")
    assert [p.get_text(" ", strip=True) for p in word.find_all("p")][:2] == \
        ["Ngày 1/3, Ban Tuyên giáo tổ chức hội nghị.", "Hội nghị có ba nội dung:"]
    assert [li.get_text() for li in word.select("ul li")] == ["Tổng kết năm", "Khen thưởng"]
    assert [li.get_text() for li in word.select("ol li")] == ["Một", "Hai"]
    assert word.find("br") is not None

    # A YouTube address in Video: is the same poster, with no request to YouTube before the click.
    header_video = page(site, "truong-tieu-hoc-a-cham-lo-cho-giao-vien").select_one(".article-video .video-embed")
    assert header_video["data-player"].startswith("https://www.youtube-nocookie.com/embed/abc123")
    assert header_video.select_one(".video-embed-drawn") is not None

    # The pages stay valid HTML with posters, players and placeholders in them.
    checked_pages = site.output.parent / "vnu"
    checked_pages.mkdir()
    for name in WARNED:
        shutil.copy(page_path(site, f"tin-{name}"), checked_pages / f"{name}.html")
    errors = [m for m in run_vnu(checked_pages) if m.get("type") != "info"]
    assert not errors, "\n".join(f"{where(m, checked_pages)}: {m.get('message')}" for m in errors)


def test_local_paths_are_errors_with_file_and_line_and_never_an_image_without_source(site):
    for name, (body, _, _) in FAILED.items():
        site.article(f"2024/{name}.md", {**HEADER, "Title": f"Tin {name}"}, body)
    built = lines_of(site.fail().problems)
    checked = lines_of(check(site.content, NOW).problems)
    assert built == checked
    for name, (body, line, needle) in FAILED.items():
        prefix = f"articles/2024/{name}.md:{line}: lỗi E110: "
        assert found(built, prefix, needle), f"{prefix}{needle} not in:\n" + "\n".join(built)
        assert found(built, prefix, "images/" if "![" in body else "files/")
        html = BeautifulSoup(render(body, f"articles/2024/{name}.md", BODY).html, "html.parser")
        assert all(img.get("src") for img in html.find_all("img"))
        assert not html.find_all("a", href=lambda h: h and ("\\" in h or h.startswith(("file:", "C:"))))
        if "![" in body:
            assert "Ảnh chưa đăng được: Lễ" in html.get_text()

    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(NOW)}
    result = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(site.content)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "articles/2024/windows.md:7: lỗi E110: đường dẫn 'C:\\Users\\Lan\\Pictures\\anh le.jpg'" in output


def test_other_unplayable_or_pasted_media_are_errors():
    rendered = render("![Lễ](files/le.mov)\n\n![Sơ đồ](data:image/png;base64,iVBORw0KGgo=)\n", "articles/a.md", 5)
    assert [(p.line, p.code) for p in rendered.problems] == [(5, "E113"), (7, "E112")]
    html = BeautifulSoup(rendered.html, "html.parser")
    assert not html.find_all("img") and html.get_text().count("Ảnh chưa đăng được") == 2


def test_video_addresses_are_recognised_and_others_are_not():
    assert recognise("https://youtu.be/Lp3vN8sTq0w?t=30").player == \
        "https://www.youtube-nocookie.com/embed/Lp3vN8sTq0w?autoplay=1&start=30"
    assert recognise("https://www.youtube-nocookie.com/embed/Lp3vN8sTq0w").watch == \
        "https://www.youtube.com/watch?v=Lp3vN8sTq0w"
    assert recognise("https://fb.watch/abcDEF/").provider == "Facebook"
    assert recognise("https://fb.watch/abcDEF/").player.startswith("https://www.facebook.com/plugins/video.php?href=")
    for other in ("https://vimeo.com/1", "https://www.youtube.com/", "https://www.facebook.com/cdhs",
                  "javascript:alert(1)", "https://evil.example/youtube.com/embed/x"):
        assert recognise(other) is None, other


def test_the_policy_frames_exactly_the_players_the_posters_load():
    policy = security.load({})
    assert policy.video_hosts == PLAYERS
    assert "frame-src https://www.youtube-nocookie.com https://www.facebook.com;" in \
        security.content_security_policy(policy)
    script = (Path(ROOT) / "theme/static/js/video.js").read_text(encoding="utf-8")
    assert "data-player" in script and "iframe" in script


def test_a_path_on_the_editors_computer_in_a_header_key_says_what_to_copy_where(site):
    site.article("2024/anh-may.md", {**HEADER, "Title": "Tin ảnh trên máy", "Image": "C:\\Users\\Lan\\Pictures\\bia.jpg",
                                     "Attachments": "file:///home/lan/ke-hoach.pdf"})
    built = lines_of(site.fail().problems)
    checked = lines_of(check(site.content, NOW).problems)
    assert built == checked
    assert [line for line in built if line.startswith("articles/2024/anh-may.md")] == [
        "articles/2024/anh-may.md:4: lỗi E110: 'Image': đường dẫn 'C:\\Users\\Lan\\Pictures\\bia.jpg' trỏ tới một tệp "
        "trên máy tính của bạn, website không đọc được; hãy chép tệp vào thư mục images/ của thư mục nội dung và viết "
        "images/bia.jpg",
        "articles/2024/anh-may.md:5: lỗi E110: 'Attachments': đường dẫn 'file:///home/lan/ke-hoach.pdf' trỏ tới một tệp "
        "trên máy tính của bạn, website không đọc được; hãy chép tệp vào thư mục files/ của thư mục nội dung và viết "
        "files/ke-hoach.pdf"]
