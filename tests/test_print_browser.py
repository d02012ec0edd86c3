"""The yearly statistics page printed to PDF by Debian's Chromium, as `python3 tasks.py
print-stats` prints it: A4 landscape, the tables and verdicts, none of the site's header,
menu or footer; and the page on screen keeps them. The PDF is read back with pypdfium2."""

from __future__ import annotations

import http.server
import functools
import re
import subprocess
import sys
import threading

import pytest

from plugins.contract.dates import format_vi_date
from plugins.tools.pictures import WIDTH, PictureError, first_page_png, soffice
from plugins.tools.print_stats import CHROMIUM_VARIABLE, PrintError, chromium, page_pdf, print_stats
from support import NOW, ROOT, missing_tool, soup

A4_LANDSCAPE = (842, 595)


def browser_or_skip() -> str:
    try:
        return chromium()
    except PrintError as exc:
        missing_tool(str(exc))


def squeezed(text: str) -> str:
    """Text without any white space: PDF text comes back with line breaks where the layout wrapped."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path) -> list[tuple[tuple[float, float], str]]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [(page.get_size(), page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def stats_year(served_site) -> tuple[int, str]:
    """A year of the served sample's statistics and its page's URL (the newest with a behind unit and a met one)."""
    for link in soup(served_site, "/thong-ke/").select("a.stats-year-link"):
        page = soup(served_site, link["href"])
        verdicts = {td.get_text(strip=True) for td in page.select("table.stats-table tbody td")}
        if {"Đạt", "Chưa đạt"} <= verdicts:
            return int(link["href"].strip("/").split("/")[-1]), link["href"]
    raise AssertionError("no statistics year of the sample has both Đạt and Chưa đạt")


@pytest.fixture(scope="module")
def printed_file(served_site, stats_year, tmp_path_factory):
    browser_or_skip()
    year, _ = stats_year
    target = tmp_path_factory.mktemp("print") / "thong-ke.pdf"
    assert print_stats(served_site.output, year, target) == target
    return target


@pytest.fixture(scope="module")
def printed(printed_file):
    return pdf_pages(printed_file)


def test_the_dashboard_prints_on_a4_landscape(printed):
    assert printed, "the PDF has no page"
    for number, ((width, height), _) in enumerate(printed, 1):
        assert abs(width - A4_LANDSCAPE[0]) <= 1 and abs(height - A4_LANDSCAPE[1]) <= 1, (number, width, height)


def test_the_print_holds_the_title_the_units_and_the_verdicts(printed, served_site, stats_year):
    _, url = stats_year
    page = soup(served_site, url)
    text = squeezed("".join(t for _, t in printed))
    title = page.select_one("h1.page-title").get_text(strip=True)
    first_unit = page.select_one("table.stats-table tbody th[scope=row]").get_text(strip=True)
    behind = page.select("table.stats-table tbody tr.is-behind th[scope=row]")[-1].get_text(strip=True)
    for wanted in (title, first_unit, behind, "Đạt", "Chưa đạt", "Cùng kỳ năm trước"):
        assert squeezed(wanted) in text, wanted
    # The print-only line on top of the first page: the site, the title and the build's day.
    site_name = page.select_one(".brand-name").get_text(strip=True)
    head = f"{site_name} · {title} · Lập ngày {format_vi_date(NOW)}"
    assert squeezed(printed[0][1]).startswith(squeezed(head + title)), printed[0][1][:200]


def test_the_print_leaves_out_the_header_menu_and_footer(printed, served_site, stats_year):
    _, url = stats_year
    page = soup(served_site, url)
    text = squeezed("".join(t for _, t in printed))
    chrome = [a.get_text(" ", strip=True) for a in page.select(".main-nav a, nav.breadcrumbs a, .site-footer a")]
    chrome += [p.get_text(" ", strip=True) for p in page.select(".site-footer p")]
    chrome += [page.select_one(".skip-link").get_text(strip=True), "Tìm kiếm trên trang", "Danh mục"]
    page.select_one("nav.breadcrumbs").decompose()
    content = squeezed(page.select_one("main").get_text(" "))
    # Not the texts the content itself has (the site's name on the print-only line, a unit named as the footer's tagline).
    checked = [t for t in chrome if t and squeezed(t) not in content]
    assert len(checked) >= 8, checked
    printed_chrome = [t for t in checked if squeezed(t) in text]
    assert not printed_chrome, printed_chrome
    # Link targets are not printed.
    assert "http" not in text and "/thong-ke/" not in text


def test_the_screen_keeps_the_header_and_hides_the_print_line(open_tab, viewport, stats_year):
    from playwright.sync_api import expect

    _, url = stats_year
    tab = open_tab(viewport)
    page = tab.goto(url)
    for shown in (".site-header", ".site-footer", "nav.breadcrumbs", "h1.page-title"):
        expect(page.locator(shown)).to_be_visible()
    expect(page.locator(".print-head")).to_be_hidden()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "nav.breadcrumbs"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".print-head")).to_be_visible()
    # The landscape page and the hidden header are the statistics page's alone.
    page.goto("/gioi-thieu/")
    expect(page.locator(".site-header")).to_be_visible()
    tab.assert_clean()


# ---------- what the command refuses, with a message and no traceback ----------

def test_no_built_site_says_to_build_first(tmp_path):
    with pytest.raises(PrintError, match=r"không có website đã dựng trong .*; chạy python3 tasks\.py build trước"):
        print_stats(tmp_path, 2025, tmp_path / "a.pdf")


def test_a_year_without_a_page_is_named(served_site, tmp_path):
    with pytest.raises(PrintError, match=r"không có trang thống kê năm 1999 \(thong-ke/1999/\)"):
        print_stats(served_site.output, 1999, tmp_path / "a.pdf")


def test_no_chromium_says_how_to_install_it(served_site, stats_year, tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "khong-co-chromium"))
    with pytest.raises(PrintError, match=r"không tìm thấy trình duyệt Chromium ở .*sudo apt install chromium"):
        print_stats(served_site.output, stats_year[0], tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize("name, said", [("thu-muc-khong-co/a.pdf", "không có thư mục"), ("", "là một thư mục")])
def test_an_output_that_cannot_be_written_is_refused(served_site, stats_year, tmp_path, name, said):
    with pytest.raises(PrintError, match=said):
        print_stats(served_site.output, stats_year[0], tmp_path / name)


def test_the_command_explains_without_traceback(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "print-stats", "--year", "2025",
                             "--site", str(tmp_path / "chua-dung")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == (f"Không in được trang thống kê: không có website đã dựng trong {tmp_path / 'chua-dung'}; "
                                     "chạy python3 tasks.py build trước.")


def test_a_page_that_asks_another_server_is_not_printed(tmp_path):
    """The route refuses what the site's CSP would block anyway: here a page served without it."""
    executable = browser_or_skip()
    (tmp_path / "index.html").write_text('<!DOCTYPE html><html lang="vi"><title>x</title>'
                                         '<img src="http://192.0.2.1/anh.png" alt="">', encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(PrintError, match=r"tìm cách tải từ máy khác, nên không in: http://192\.0\.2\.1/anh\.png"):
            page_pdf(executable, f"http://127.0.0.1:{server.server_address[1]}", "index.html")
    finally:
        server.shutdown()
        server.server_close()


# ---------- the README's pictures ----------

def test_the_first_page_becomes_a_small_picture_of_the_readme_width(printed_file, tmp_path):
    from PIL import Image

    png = first_page_png(printed_file, tmp_path / "docs" / "trang-1.png")
    with Image.open(png) as image:
        assert image.size == (WIDTH, round(WIDTH * A4_LANDSCAPE[1] / A4_LANDSCAPE[0])), image.size
        assert image.mode == "P"
    assert png.stat().st_size < 300_000


def test_no_libreoffice_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PictureError, match="không tìm thấy LibreOffice .*sudo apt install libreoffice-writer-nogui"):
        soffice()
