"""The security policy, from settings to every place it must appear.

One definition (plugins/publishing/security.py, PORTAL_SECURITY) gives the
headers the preview and test servers send, the ``<meta>`` copy in every page and
the nginx snippet of README.md. The built site has nothing the policy would
block (inline styles, inline scripts, event handlers, ``javascript:`` links).
The preview server refuses odd paths with 400, lists no folder, closes silent
connections and keeps its threads bounded.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import ROOT
from plugins.publishing import security
from plugins.publishing.preview import SiteHandler, SiteServer, make_server, path_problem, portal_headers

REQUIRED = [
    "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    "frame-src https://www.youtube-nocookie.com https://www.facebook.com", "connect-src 'self'",
    "font-src 'self'", "media-src 'self'", "manifest-src 'self'", "worker-src 'self'",
]
HEADER_NAMES = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                "Cross-Origin-Opener-Policy"]


@pytest.fixture(scope="module")
def portal() -> security.SecuritySettings:
    return security.load(security.settings_file(ROOT / "publishconf.py"))


# --- The policy itself


def test_the_policy_has_every_required_directive(portal):
    directives = security.content_security_policy(portal).split("; ")
    assert [d for d in REQUIRED if d not in directives] == []
    assert len({d.split()[0] for d in directives}) == len(directives), "a directive is written twice"
    headers = dict(security.response_headers(portal, https=True))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in dict(security.response_headers(portal))


def test_the_meta_copy_leaves_out_what_meta_cannot_carry(portal):
    meta = security.content_security_policy(portal, meta=True)
    assert "frame-ancestors" not in meta and "report-uri" not in meta and "sandbox" not in meta
    assert meta == security.content_security_policy(portal).replace("; frame-ancestors 'none'", "")
    assert security.csp_meta(None) == security.content_security_policy(security.SecuritySettings(), meta=True)


def test_video_hosts_are_the_frames_allowed():
    some = security.load({"PORTAL_SECURITY": {"video_hosts": ["https://player.vimeo.com"]}})
    assert "frame-src https://player.vimeo.com;" in security.content_security_policy(some)
    none = security.load({"PORTAL_SECURITY": {"video_hosts": []}})
    assert "frame-src 'none';" in security.content_security_policy(none)


@pytest.mark.parametrize("section, key", [
    ({"video_hosts": ["http://www.youtube.com"]}, "video_hosts"),
    ({"video_hosts": "https://player.vimeo.com"}, "video_hosts"),
    ({"img_src": ["'self'; script-src *"]}, "img_src"),
    ({"referrer_policy": 'no-referrer"'}, "referrer_policy"),
    ({"script_src": [""]}, "script_src"),
])
def test_a_value_that_would_break_the_header_is_refused(section, key):
    with pytest.raises(ValueError, match=re.escape(f"PORTAL_SECURITY[{key!r}]")):
        security.load({"PORTAL_SECURITY": section})


def test_readme_nginx_example_carries_the_settings_headers(portal):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = security.nginx_headers(portal)
    assert f"```nginx\n{snippet}```" in readme, "README.md: regenerate with python3 -m plugins.publishing.security"
    csp = security.content_security_policy(portal)
    assert readme.count(f'add_header Content-Security-Policy "{csp}" always;') == 1
    server = re.search(r"```nginx\n(server \{.*?listen 443.*?)```", readme, re.S)
    assert server, "README.md: no nginx server block for HTTPS"
    # nginx drops the inherited add_header lines in a block that has its own: each must include them again.
    blocks = _nginx_blocks(server.group(1))
    with_headers = [b for b in blocks if re.search(r"^\s*add_header\b", b, re.M)]
    assert with_headers, blocks
    missing = [b.splitlines()[0] for b in with_headers
               if not re.search(r"^\s*include snippets/portal-headers\.conf;", b, re.M)]
    assert missing == [], f"blocks with add_header but without the security headers: {missing}"
    assert re.search(r"^    include snippets/portal-headers\.conf;", server.group(1), re.M), "no server-level include"


def _nginx_blocks(text: str) -> list[str]:
    """The body of every ``location`` block, each without its nested blocks."""
    blocks, stack = [], []
    for line in text.splitlines():
        if line.rstrip().endswith("{"):
            stack.append([line.strip()])
        elif line.strip() == "}":
            body = stack.pop()
            if body[0].startswith("location"):
                blocks.append("\n".join(body))
        elif stack:
            stack[-1].append(line)
    return blocks


def test_the_nginx_snippet_is_printed_from_the_settings(capsys):
    assert security.main([str(ROOT / "pelicanconf.py")]) == 0
    printed = capsys.readouterr().out
    assert "add_header Content-Security-Policy " in printed, printed
    assert printed == security.nginx_headers(security.load(security.settings_file(ROOT / "pelicanconf.py")))
    assert all(line.startswith(("#", "add_header ")) and (line.startswith("#") or line.endswith('" always;'))
               for line in printed.splitlines())


# --- The built site: nothing for the policy to block


def test_every_page_carries_the_meta_policy_and_nothing_inline(served_site, portal):
    site_policy = security.content_security_policy(portal, meta=True)
    hosts = security.editor_hosts(security.settings_file(ROOT / "pelicanconf.py"))
    editor_policy = security.content_security_policy(security.editor_policy(portal, hosts), meta=True)
    problems = []
    pages = served_site.html_files()
    assert len(pages) > 100
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        where = "/" + path.relative_to(served_site.output).as_posix()
        expected = editor_policy if where.startswith(security.EDITOR_FOLDER) else site_policy
        metas = soup.select('meta[http-equiv="Content-Security-Policy"]')
        if [m["content"] for m in metas] != [expected]:
            problems.append(f"{where}: meta CSP {[m.get('content') for m in metas]}")
        elif metas[0].find_all_previous(["link", "script", "style"]):
            problems.append(f"{where}: a stylesheet or script comes before the meta CSP")
        problems += [f"{where}: {p}" for p in _inline(soup)]
    assert problems == [], "\n".join(problems[:20])


def _inline(soup: BeautifulSoup) -> list[str]:
    found = [f"style attribute on <{t.name}>" for t in soup.find_all(style=True)]
    found += ["<style> element" for _ in soup.find_all("style")]
    found += [f"inline script {s.get('type', '')}" for s in soup.find_all("script")
              if not s.get("src") and s.get("type") != "application/ld+json"]
    found += [f"{a} on <{t.name}>" for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")]
    found += [f"javascript: URL in <{t.name}>" for t in soup.find_all(True)
              for a in ("href", "src", "action", "formaction") if str(t.get(a, "")).strip().lower().startswith("javascript:")]
    return found


def test_the_stats_pages_draw_their_bars_with_classes(served_site):
    page = BeautifulSoup((served_site.output / "thong-ke" / "2025" / "index.html").read_text(encoding="utf-8"), "lxml")
    bars = page.select(".progress-bar, .type-bar > span")
    assert len(bars) > 10
    widths = [c for bar in bars for c in bar["class"] if re.fullmatch(r"pct-\d+", c)]
    assert len(widths) == len(bars) and all(0 <= int(w[4:]) <= 100 for w in widths)
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert all(f".pct-{n} {{ width: {n}%; }}" in css for n in range(1, 101)) and ".pct-0 { width: 0; }" in css


def test_scripts_do_not_write_style_attributes_or_markup():
    forbidden = re.compile(r"setAttribute\(\s*['\"]style|\.cssText|innerHTML|outerHTML|insertAdjacentHTML"
                           r"|document\.write|\beval\(|new Function|javascript:")
    scripts = sorted((ROOT / "theme" / "static" / "js").glob("*.js"))
    assert scripts, "no scripts found in theme/static/js"
    found = [f"{p.name}:{n}: {line.strip()}" for p in scripts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if forbidden.search(line)]
    assert found == []


# --- The preview and test server


def raw_request(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as it is; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    return raw_request(port, f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())


@pytest.fixture(scope="module")
def port(served_site) -> int:
    return int(served_site.base_url.rsplit(":", 1)[1])


def test_the_editors_folder_alone_gets_the_editors_policy(port, portal):
    hosts = security.editor_hosts(security.settings_file(ROOT / "pelicanconf.py"))
    assert hosts == ("http://127.0.0.1:8081",)
    got, headers, _ = get(port, "/quan-tri/")
    assert got == 200
    assert headers["Content-Security-Policy"] == security.content_security_policy(security.editor_policy(portal, hosts))
    assert "'unsafe-eval'" in headers["Content-Security-Policy"]
    _, site_headers, _ = get(port, "/")
    assert "'unsafe-eval'" not in site_headers["Content-Security-Policy"]


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/theme/css/site.css", 200), ("/pagefind/pagefind.js", 200), ("/thong-ke", 301),
    ("/khong-co-trang-nay/", 404), ("/%00", 400),
])
def test_every_answer_carries_the_security_headers(port, portal, path, status):
    got, headers, _ = get(port, path)
    assert got == status
    expected = dict(security.response_headers(portal))
    assert {name: headers.get(name) for name in HEADER_NAMES} == expected
    assert "Strict-Transport-Security" not in headers  # plain HTTP: the public server sends it
    assert dict(portal_headers()) == expected


@pytest.mark.parametrize("path", ["/files/", "/theme/", "/pagefind/", "/files", "/theme/css/", "/images/"])
def test_folders_are_not_listed(port, served_site, path):
    status, headers, body = get(port, path)
    assert status == 404
    assert body == (served_site.output / "404.html").read_bytes()
    assert b"Directory listing" not in body and headers["Content-Security-Policy"]


ODD_PATHS = ["/%00", "/..%2f", "/..%2F..%2Fetc%2Fpasswd", "/%2e%2e/", "/a/../../x", "/" + "a" * 3000, "/%zz",
             "/%4", "/%ff", "/%c4", "/theme\\css\\site.css", "/theme%5Ccss", "*", "http://127.0.0.1/"]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_paths_are_refused_without_a_traceback(port, capfd, path):
    status, headers, body = get(port, path)
    assert status == 400, (path[:40], status)
    assert "Content-Security-Policy" in headers and headers["Content-Type"].startswith("text/html")
    assert "Địa chỉ yêu cầu không hợp lệ" in body.decode("utf-8")
    assert get(port, "/")[0] == 200  # the server is still there
    assert "Traceback" not in capfd.readouterr().err


def test_raw_control_bytes_are_refused(port, capfd):
    for path in (b"/\x00", b"/a\x01b", b"/\xc4\x91"):
        status, _, _ = raw_request(port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status == 400, path
    assert "Traceback" not in capfd.readouterr().err


def test_plain_paths_are_accepted():
    assert [p for p in ("/", "/tim-kiem/?q=c%C3%B4ng+%C4%91o%C3%A0n", "/2025/03/bai-viet/", "/%C4%91/",
                        "/tim-kiem/?q=%zz", "/a.b/c-d_e~f/") if path_problem(p)] == []


def test_the_server_defaults_are_bounded():
    assert 1 <= SiteHandler.timeout <= 30
    assert SiteServer.request_queue_size >= 128 and SiteServer.daemon_threads
    assert 8 <= SiteServer.max_threads <= 256


class QuickHandler(SiteHandler):
    timeout = 1


def test_idle_connections_neither_pile_up_threads_nor_stay_open(served_site):
    server = make_server(served_site.output, "127.0.0.1", 0, QuickHandler, max_threads=32)
    threading.Thread(target=server.serve_forever, name="flooded", daemon=True).start()
    port = server.server_address[1]
    before = threading.active_count()
    idle = []
    try:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(200)]
        # Accepted after all 200: answered at once, a page or "busy", and never more than 32 handler threads.
        status, headers, _ = get(port, "/")
        assert status in (200, 503), status
        assert threading.active_count() <= before + 32 + 1
        # Each silent connection is closed by the server: after the handler timeout, or at once when busy.
        answers = [_until_closed(sock) for sock in idle]
        assert all(a == b"" or a.startswith(b"HTTP/1.0 503 ") for a in answers), {a[:20] for a in answers}
        assert any(a == b"" for a in answers) and any(a for a in answers)
        assert get(port, "/")[0] == 200
        deadline = time.monotonic() + 10
        while threading.active_count() > before + 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # handler threads end once their connection is closed
        assert threading.active_count() <= before + 1
    finally:
        for sock in idle:
            sock.close()
        server.shutdown()
        server.server_close()


def _until_closed(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(4096):  # a socket.timeout here: the server left the connection open
        data += chunk
    return data


def test_livereload_loads_its_script_by_address_and_sends_the_headers(served_site):
    """`invoke livereload`: livereload's own loader is an inline script the CSP would block."""
    from tornado.ioloop import IOLoop

    from plugins.publishing.preview import LIVERELOAD_SCRIPT, _livereload_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started, loops = threading.Event(), []

    def run():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = _livereload_server()
        server.root = str(served_site.output)
        server.default_filename = "index.html"
        server.application(port, "127.0.0.1")
        loops.append(IOLoop.current())
        started.set()
        loops[0].start()

    threading.Thread(target=run, name="livereload", daemon=True).start()
    assert started.wait(10)
    try:
        status, headers, body = get(port, "/")
        assert status == 200 and LIVERELOAD_SCRIPT in body
        soup = BeautifulSoup(body, "lxml")
        assert [s for s in soup.find_all("script") if not s.get("src")] == []
        assert headers["Content-Security-Policy"] == security.content_security_policy(
            security.load(security.settings_file(ROOT / "pelicanconf.py")))
        assert get(port, "/livereload.js")[0] == 200
        status, headers, body = get(port, "/khong-co/")
        assert status == 404 and body.replace(LIVERELOAD_SCRIPT, b"") == (served_site.output / "404.html").read_bytes()
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        loops[0].add_callback(loops[0].stop)


def test_settings_file_reads_upper_case_names(tmp_path: Path):
    conf = tmp_path / "conf.py"
    conf.write_text("PORTAL_SECURITY = {'video_hosts': []}\nlower = 1\n", encoding="utf-8")
    assert security.settings_file(conf) == {"PORTAL_SECURITY": {"video_hosts": []}}
