"""`invoke print-stats`: one year's statistics page of a built site, printed to PDF by Chromium.

The page is served from the built folder on 127.0.0.1 by the preview's server, so its
absolute /theme/ addresses and its Content-Security-Policy are those of the website, and
the print styles of site.css lay it out (A4 landscape, content only). Every request to
anything but that server is refused: a page that tries one is not printed.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from plugins import urls
from plugins.publishing.preview import HOST, make_server

# Debian's Chromium, or the browser this variable names (the browser tests read it too).
CHROMIUM_VARIABLE = "PORTAL_CHROMIUM"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage")
PDF_OPTIONS = MappingProxyType({"format": "A4", "landscape": True, "print_background": True,
                                "prefer_css_page_size": True})
# Milliseconds the page may take to load and to print.
TIMEOUT = 60_000
BUILD_HINT = "chạy python3 tasks.py build trước"


class PrintError(Exception):
    """The page cannot be printed; the message is for the editor."""


def chromium() -> str:
    """The browser's executable, or a PrintError saying how to install it."""
    executable = os.environ.get(CHROMIUM_VARIABLE) or CHROMIUM
    if os.path.isfile(executable) and os.access(executable, os.X_OK):
        return executable
    raise PrintError(f"không tìm thấy trình duyệt Chromium ở {executable}. Trên Debian/Ubuntu hãy cài gói chromium "
                     f"(sudo apt install chromium), hoặc đặt biến {CHROMIUM_VARIABLE} là đường dẫn tới Chromium đã cài")


def stats_page(site: Path, year: int) -> str:
    """The root-relative URL of ``year``'s statistics page in the built ``site``."""
    if not (site / urls.save_as(urls.HOME)).is_file():
        raise PrintError(f"không có website đã dựng trong {site}; {BUILD_HINT}")
    url = urls.stats_year(year)
    if not (site / urls.save_as(url)).is_file():
        raise PrintError(f"website trong {site} không có trang thống kê năm {year} ({url}); năm đó chưa có tin bài, "
                         f"hoặc website được dựng bằng publishconf.py (bản công khai không có mục thống kê): "
                         f"{BUILD_HINT}")
    return url


def writable(output: Path) -> None:
    """Refuse an output the PDF cannot be written to, before Chromium starts."""
    if output.is_dir():
        raise PrintError(f"{output} là một thư mục; hãy ghi tên tệp, ví dụ --output thong-ke.pdf")
    folder = output.parent
    if not folder.is_dir():
        raise PrintError(f"không có thư mục {folder} để ghi {output.name}; hãy tạo thư mục hoặc chọn nơi khác với --output")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise PrintError(f"không được phép ghi {output}; hãy chọn nơi khác với --output")


def print_stats(site: Path, year: int, output: Path) -> Path:
    """Print ``year``'s statistics page of the built ``site`` to the PDF ``output``."""
    url = stats_page(site, year)
    writable(output)
    executable = chromium()
    with serving(site) as base_url:
        pdf = page_pdf(executable, base_url, url)
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise PrintError(f"không ghi được {output} ({exc.strerror}); hãy chọn nơi khác với --output") from None
    return output


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """``site`` on 127.0.0.1 (a free port) for as long as the block runs; its base URL."""
    server = make_server(site, HOST, 0)
    thread = threading.Thread(target=server.serve_forever, name="print-stats", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_pdf(executable: str, base_url: str, url: str) -> bytes:
    """The page at ``base_url/url`` printed by headless Chromium; nothing leaves the machine.

    Playwright runs in a thread of its own: its sync API refuses a thread that already runs
    an event loop (the caller's, or another Playwright's)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-stats") as pool:
        return pool.submit(_page_pdf, executable, base_url, url).result()


def _page_pdf(executable: str, base_url: str, url: str) -> bytes:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PrintError("thiếu thư viện playwright; chạy lại python3 tasks.py để cài các thư viện trong pyproject.toml") from None
    refused: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
                context.route("**/*", lambda route: _local_only(route, base_url, refused))
                page = context.new_page()
                page.set_default_timeout(TIMEOUT)
                response = page.goto(f"{base_url}/{url}", wait_until="load")
                if response is None or not response.ok:
                    raise PrintError(f"không mở được trang {url} (HTTP {response.status if response else '—'}); {BUILD_HINT}")
                page.evaluate("() => document.fonts.ready")
                pdf = page.pdf(**PDF_OPTIONS)
            finally:
                browser.close()
    except Error as exc:
        raise PrintError(f"Chromium ({executable}) không in được trang: {str(exc).splitlines()[0]}") from None
    if refused:
        raise PrintError(f"trang {url} tìm cách tải từ máy khác, nên không in: " + ", ".join(sorted(set(refused))))
    return pdf


def _local_only(route, base_url: str, refused: list[str]) -> None:
    request_url = route.request.url
    if urlsplit(request_url)[:2] == urlsplit(base_url)[:2]:
        route.continue_()
    else:
        refused.append(request_url)
        route.abort("blockedbyclient")
