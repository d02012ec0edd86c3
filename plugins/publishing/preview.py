"""`invoke serve` and `invoke livereload`: the site on localhost, rebuilt when
a file under content/, theme/, plugins/ or the settings changes.

Each rebuild is `invoke build` in a fresh process, so changed plugin code and
settings are picked up, and a failed build keeps the last good site served
(the build only swaps its output in on success).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable
from urllib.parse import unquote

from plugins import urls
from plugins.contract.urlrecord import RECORD_FILE

from . import security

ROOT = Path(__file__).resolve().parents[2]
CODE = (ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py", ROOT / "publishconf.py")
IGNORED_DIRS = frozenset({"__pycache__", "node_modules"})
IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", ".tmp", "~")
HOST = "127.0.0.1"
# Set for the builds the preview runs: the build then leaves announcing the address to the preview,
# which knows the port (tasks.py's PREVIEW_PORT).
PORT_VARIABLE = "PORTAL_PREVIEW_PORT"


def watched_paths(content: Path) -> list[Path]:
    return [Path(content).resolve(), *CODE]


def ignored(path: str) -> bool:
    """Editor backups, hidden and compiled files never trigger a rebuild, nor does the URL
    record (only ``publish`` writes it; the next build reads it anyway)."""
    name = os.path.basename(path)
    return name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES) or name == RECORD_FILE


def snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every watched file."""
    seen: dict[str, tuple[int, int]] = {}

    def add(file: str) -> None:
        try:
            stat = os.stat(file)
        except OSError:
            return
        seen[file] = (stat.st_mtime_ns, stat.st_size)

    for path in paths:
        if path.is_file():
            add(str(path))
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS and not d.startswith(".")]
            for name in filenames:
                if not ignored(name):
                    add(os.path.join(dirpath, name))
    return seen


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Files added, removed or modified between two snapshots."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class Preview:
    """Builds ``content`` into ``output`` with the local settings, and again on every change."""

    def __init__(self, content: Path, output: Path, drafts: bool = False, port: int = 8000,
                 log: Callable[[str], None] = print):
        self.content = Path(content).resolve()
        # Not resolved: output is a symlink each build switches, and the server must follow it.
        self.output = Path(output).parent.resolve() / Path(output).name
        self.drafts = drafts
        self.port = port
        self.log = log
        self.paths = watched_paths(self.content)
        self.state = snapshot(self.paths)
        self.builds = 0
        self.failures = 0

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "invoke", "build", "--content", str(self.content), "--output", str(self.output)]
        return command + (["--drafts"] if self.drafts else [])

    def build(self) -> bool:
        """One build; on failure the problems are printed and the last good site stays."""
        self.builds += 1
        started = time.monotonic()
        result = subprocess.run(self.command(), cwd=ROOT, env={**os.environ, PORT_VARIABLE: str(self.port)})
        if result.returncode == 0:
            done = "Đã dựng" if self.builds == 1 else "Đã dựng lại"
            self.log(f"{done} sau {time.monotonic() - started:.1f} giây. Xem tại http://localhost:{self.port}/")
            return True
        self.failures += 1
        served = "bản dựng tốt gần nhất" if (self.output / urls.INDEX_FILE).is_file() else "chưa có bản dựng nào"
        self.log(f"Dựng lại không thành công (xem các lỗi ở trên); vẫn đang phục vụ {served}. Sửa tệp rồi lưu lại để dựng lại.")
        return False

    def poll(self, settle: float = 0.3) -> bool | None:
        """Rebuild if anything watched changed since the last look; ``None`` if nothing did.

        Waits until the files stop changing (an editor saving several files at once
        gives one rebuild).
        """
        current = snapshot(self.paths)
        changed = changes(self.state, current)
        if not changed:
            return None
        while settle:
            time.sleep(settle)
            again = snapshot(self.paths)
            if again == current:
                break
            current = again
        self.state = current
        shown = ", ".join(_shown(p) for p in changed[:3]) + (" …" if len(changed) > 3 else "")
        self.log(f"Có thay đổi: {shown}. Đang dựng lại…")
        return self.build()

    def rebuild(self) -> None:
        """For livereload's watcher, which has already seen a change."""
        self.state = snapshot(self.paths)
        self.log("Có thay đổi. Đang dựng lại…")
        self.build()


def _shown(path: str) -> str:
    try:
        return Path(path).relative_to(ROOT).as_posix()
    except ValueError:
        return path


ERROR_EXPLANATIONS = MappingProxyType({
    400: "Địa chỉ yêu cầu không hợp lệ.",
    404: "Không có trang nào ở địa chỉ này.",
    405: "Máy chủ xem thử không nhận kiểu yêu cầu này.",
    414: "Địa chỉ yêu cầu quá dài.",
    501: "Máy chủ xem thử chỉ trả lời yêu cầu GET và HEAD.",
    503: "Máy chủ xem thử đang bận, hãy tải lại trang sau giây lát.",
})
ERROR_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Lỗi %(code)d</title></head>
<body><h1>Lỗi %(code)d</h1><p>%(explain)s</p></body>
</html>
"""
MAX_PATH = 2048
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def path_problem(target: str, limit: int = MAX_PATH) -> str | None:
    """Why a request target is refused (in Vietnamese), or None when it is a plain site path."""
    if len(target) > limit:
        return f"địa chỉ dài quá {limit} ký tự"
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return "địa chỉ phải bắt đầu bằng “/”"
    if any(not "!" <= c <= "~" for c in path):
        return "địa chỉ có ký tự không được phép (dấu cách, ký tự điều khiển hoặc chữ chưa mã hóa)"
    if _PERCENT.search(path):
        return "địa chỉ có mã “%” không hợp lệ"
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return "địa chỉ có mã “%” không phải chữ UTF-8"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return "địa chỉ có ký tự điều khiển"
    if "\\" in decoded:
        return "địa chỉ có dấu “\\”"
    if ".." in decoded.split("/"):
        return "địa chỉ có đoạn “..”"
    return None


@functools.cache
def portal_headers(editor: bool = False) -> tuple[tuple[str, str], ...]:
    """The security headers of the portal's settings, as the preview sends them; ``editor``: those
    of the web editor's folder (security.EDITOR_FOLDER)."""
    settings = security.settings_file(ROOT / "pelicanconf.py")
    policy = security.load(settings)
    if editor:
        policy = security.editor_policy(policy, security.editor_hosts(settings))
    return tuple(security.response_headers(policy))


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The output folder as the web server shows it: quiet, with the portal's 404 page and
    security headers, no folder listings, and odd request paths refused."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".json": "application/json", ".webp": "image/webp", ".svg": "image/svg+xml",
        ".xml": "application/xml", ".webmanifest": "application/manifest+json", ".mp4": "video/mp4",
        ".csv": "text/csv; charset=utf-8", ".woff2": "font/woff2", ".yml": "text/yaml; charset=utf-8",
    }
    timeout = 10  # seconds a connection may stay silent before the server closes it
    server_version = "portal-preview"
    sys_version = ""
    error_message_format = ERROR_PAGE
    error_content_type = "text/html; charset=utf-8"
    # None: the headers of pelicanconf.py's PORTAL_SECURITY.
    security_headers: tuple[tuple[str, str], ...] | None = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        editor = self.path.startswith(security.EDITOR_FOLDER)
        for name, value in portal_headers(editor) if self.security_headers is None else self.security_headers:
            self.send_header(name, value)
        super().end_headers()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        problem = path_problem(self.path)
        if problem:
            self.send_error(400, None, f"Địa chỉ yêu cầu không hợp lệ: {problem}.")
            return False
        return True

    def send_head(self):
        folder = self.translate_path(self.path)
        if os.path.isdir(folder) and not os.path.isfile(os.path.join(folder, urls.INDEX_FILE)):
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / urls.NOT_FOUND
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain or ERROR_EXPLANATIONS.get(code))
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer(http.server.ThreadingHTTPServer):
    """A thread per connection, at most ``max_threads`` at once: past that, 503 at once.

    Handler threads are daemons, the listen backlog is long enough for a page's burst
    of requests, and a client that goes away is not an error worth a traceback.
    """

    daemon_threads = True
    request_queue_size = 128
    max_threads = 64
    BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
            + ERROR_EXPLANATIONS[503].encode() + b"\n")

    def __init__(self, address, handler, max_threads: int | None = None):
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_threads or self.max_threads)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request) -> None:
        try:
            request.settimeout(1)
            request.sendall(self.BUSY)
            request.setblocking(False)
            request.recv(65536)  # a request already received, read: closing on unread data resets the connection
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return  # the client went away or was too slow
        print(f"Máy chủ xem thử: lỗi khi trả lời {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


def make_server(output: Path, host: str = HOST, port: int = 0, handler: type[SiteHandler] = SiteHandler,
                max_threads: int | None = None) -> SiteServer:
    """A SiteServer of ``output`` on ``host:port`` (0: a free port)."""
    return SiteServer((host, port), functools.partial(handler, directory=str(output)), max_threads)


def _server(output: Path, port: int) -> SiteServer:
    try:
        return make_server(output, HOST, port)
    except OSError as exc:
        raise PreviewError(f"không mở được cổng {port} ({exc.strerror}); có thể một bản xem thử khác đang chạy. "
                           f"Hãy dừng nó hoặc chọn cổng khác: --port {port + 1}") from None


class PreviewError(Exception):
    """The preview cannot start; the message is for the editor."""


def serve(content: Path, output: Path, port: int = 8000, drafts: bool = False, interval: float = 1.0) -> None:
    """Build, serve ``output`` on http://localhost:PORT/ and rebuild on every change until Ctrl+C."""
    preview = Preview(content, output, drafts, port)
    server = _server(preview.output, port)
    preview.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Xem website tại http://localhost:{port}/ — tự dựng lại khi lưu tệp trong content/, theme/, plugins/ "
          "hoặc tệp thiết lập. Dừng: Ctrl+C")
    try:
        while True:
            time.sleep(interval)
            preview.poll()
    except KeyboardInterrupt:
        print("\nĐã dừng xem thử.")
    finally:
        server.shutdown()
        server.server_close()


def livereload(content: Path, output: Path, port: int = 8000, drafts: bool = False) -> None:
    """As ``serve``, and the browser reloads the page itself after each rebuild.

    The `livereload` package serves its own livereload.js from this machine and
    talks to the page over a WebSocket on the same port; nothing comes from the internet.
    """
    preview = Preview(content, output, drafts, port)
    _server(preview.output, port).server_close()  # a clear message if the port is taken
    preview.build()
    server = _livereload_server()
    for path in preview.paths:
        server.watch(str(path), preview.rebuild, ignore=ignored)
    print(f"Xem website tại http://localhost:{port}/ — trình duyệt tự tải lại sau mỗi lần dựng. Dừng: Ctrl+C")
    server.serve(root=str(preview.output), port=port, host=HOST, restart_delay=0)


def _livereload_server():
    """livereload's Server with the portal's 404 page and security headers.

    livereload's own loader is an inline script, which the pages' Content-Security-Policy
    blocks; this one loads livereload.js by address, from the same port.
    """
    from livereload import Server
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
    from livereload.server import LiveScriptInjector
    from tornado import web

    class Handler(StaticFileHandler):
        """Shows the portal's 404 page for a missing address, as the web server will."""

        def set_default_headers(self):
            for name, value in portal_headers(self.request.path.startswith(security.EDITOR_FOLDER)):
                self.set_header(name, value)

        def write_error(self, status_code, **kwargs):
            page = Path(self.root) / urls.NOT_FOUND
            if status_code != 404 or not page.is_file():
                return super().write_error(status_code, **kwargs)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())

    class Loader(LiveScriptInjector):
        script = LIVERELOAD_SCRIPT

    class CspServer(Server):
        def application(self, port, host, liveport=None, debug=None, live_css=True):
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            handlers = [(r"/livereload", LiveReloadHandler), (r"/forcereload", ForceReloadHandler),
                        (r"/livereload.js", LiveReloadJSHandler), *self.get_web_handlers(Loader.script)]
            web.Application(handlers=handlers, debug=False, transforms=[Loader]).listen(port, address=host)

    server = CspServer()
    server.SFH = Handler
    return server


# livereload.js reads the port to connect to from its own address.
LIVERELOAD_SCRIPT = b'<script src="/livereload.js" defer></script>'
