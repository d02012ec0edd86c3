"""`invoke cms`: the web editor on this clone. Decap's local proxy (decap-server, pinned in
package.json) writes the editor's saves straight into the working tree, listening on 127.0.0.1
only; the preview serves the site, /quan-tri/ included, and rebuilds on every save."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
# Seconds the proxy has to start listening before the task gives up.
START_TIMEOUT = 15.0


class LocalError(Exception):
    """The local editor cannot start; the message is for the editor."""


def proxy_port(local_proxy: str) -> int:
    parts = urlsplit(local_proxy)
    if not parts.port:
        raise LocalError(f"PORTAL_CMS['local_proxy'] = {local_proxy!r} không có cổng; hãy ghi ví dụ "
                         "http://127.0.0.1:8081/api/v1")
    return parts.port


def proxy_environment(repo: Path, port: int, origin: str) -> dict[str, str]:
    """Every variable decap-server reads, set here, so a `.env` file in the repository changes none;
    only the page at ``origin`` (the preview) may call it."""
    return {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "LOG_LEVEL": "warn",
            "GIT_REPO_DIRECTORY": str(repo.resolve()), "ORIGIN": origin}


def _listening(port: int) -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def running_proxy(repo: Path, port: int, origin: str, node_root: Path = ROOT) -> Iterator[subprocess.Popen]:
    """decap-server on 127.0.0.1:``port`` for ``repo``, answering the page at ``origin``, while the block runs."""
    node = shutil.which("node")
    server = node_root / SERVER
    if not node:
        raise LocalError("cần Node.js để chạy máy chủ cục bộ của trang soạn tin bài; hãy cài (sudo apt-get install "
                         "nodejs npm) rồi chạy: npm ci --ignore-scripts")
    if not server.is_file():
        raise LocalError(f"chưa có decap-server ({server}); hãy chạy: npm ci --ignore-scripts")
    if _listening(port):
        raise LocalError(f"cổng {port} đã có chương trình khác dùng; hãy tắt nó (có thể là một lần chạy "
                         "python3 tasks.py cms khác) rồi chạy lại")
    process = subprocess.Popen([node, str(server)], cwd=repo, env=proxy_environment(repo, port, origin))
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise LocalError(f"decap-server không khởi động được trên cổng {port} (xem thông báo ở trên)")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
