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
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[2]
CODE = (ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py", ROOT / "publishconf.py")
IGNORED_DIRS = {"__pycache__", "node_modules"}
IGNORED_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", ".tmp", "~")
HOST = "127.0.0.1"


def watched_paths(content: Path) -> list[Path]:
    return [Path(content).resolve(), *CODE]


def ignored(path: str) -> bool:
    """Editor backups, hidden and compiled files never trigger a rebuild."""
    name = os.path.basename(path)
    return name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES)


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
        self.output = Path(output).resolve()
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
        result = subprocess.run(self.command(), cwd=ROOT)
        if result.returncode == 0:
            done = "Đã dựng" if self.builds == 1 else "Đã dựng lại"
            self.log(f"{done} sau {time.monotonic() - started:.1f} giây. Xem tại http://localhost:{self.port}/")
            return True
        self.failures += 1
        served = "bản dựng tốt gần nhất" if (self.output / "index.html").is_file() else "chưa có bản dựng nào"
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


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The output folder as the web server shows it: quiet, with the portal's 404 page."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".json": "application/json", ".webp": "image/webp", ".svg": "image/svg+xml",
        ".xml": "application/xml", ".webmanifest": "application/manifest+json", ".mp4": "video/mp4",
        ".csv": "text/csv; charset=utf-8", ".woff2": "font/woff2",
    }

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _server(output: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(output))
    try:
        return http.server.ThreadingHTTPServer((HOST, port), handler)
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
    from livereload import Server
    from livereload.handlers import StaticFileHandler

    class Handler(StaticFileHandler):
        """Shows the portal's 404 page for a missing address, as the web server will."""

        def write_error(self, status_code, **kwargs):
            page = Path(self.root) / "404.html"
            if status_code != 404 or not page.is_file():
                return super().write_error(status_code, **kwargs)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())

    preview = Preview(content, output, drafts, port)
    _server(preview.output, port).server_close()  # a clear message if the port is taken
    preview.build()
    server = Server()
    server.SFH = Handler
    for path in preview.paths:
        server.watch(str(path), preview.rebuild, ignore=ignored)
    print(f"Xem website tại http://localhost:{port}/ — trình duyệt tự tải lại sau mỗi lần dựng. Dừng: Ctrl+C")
    server.serve(root=str(preview.output), port=port, host=HOST, restart_delay=0)
