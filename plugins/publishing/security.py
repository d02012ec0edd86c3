"""The portal's HTTP security policy, defined once.

The Content-Security-Policy and the other security headers are rendered here
from the ``PORTAL_SECURITY`` settings: the preview and test servers send them,
``base.html`` carries the part a ``<meta>`` element can hold, and the nginx
snippet of README.md is printed by ``python -m plugins.publishing.security``,
so the three cannot drift apart.
"""

from __future__ import annotations

import runpy
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from plugins import urls
from plugins.contract.embeds import PLAYERS
from plugins.settings import load_section

SECTION = "PORTAL_SECURITY"
# A <meta> policy cannot carry these; browsers ignore them there.
META_UNSUPPORTED = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})
NGINX_SNIPPET = "/etc/nginx/snippets/portal-headers.conf"
# The web editor (plugins.cms): Decap CMS compiles its configuration's schema with eval (ajv),
# writes its styles inline (emotion) and shows picked photos as blob: addresses. Only its folder
# gets these sources, and may talk to the git host's API and the local proxy PORTAL_CMS names.
EDITOR_FOLDER = f"/{urls.CMS}/"
EDITOR_SOURCES = (("script_src", "'unsafe-eval'"), ("style_src", "'unsafe-inline'"), ("img_src", "blob:"),
                  ("media_src", "blob:"), ("connect_src", "blob:"))


@dataclass(frozen=True)
class SecuritySettings:
    """CSP directives (each a tuple of sources, in header order) and the other security headers."""

    default_src: tuple[str, ...] = ("'self'",)
    script_src: tuple[str, ...] = ("'self'", "'wasm-unsafe-eval'")  # Pagefind runs WebAssembly
    style_src: tuple[str, ...] = ("'self'",)
    img_src: tuple[str, ...] = ("'self'", "data:")
    font_src: tuple[str, ...] = ("'self'",)
    connect_src: tuple[str, ...] = ("'self'",)  # Pagefind fetches its index files
    media_src: tuple[str, ...] = ("'self'",)
    manifest_src: tuple[str, ...] = ("'self'",)
    worker_src: tuple[str, ...] = ("'self'",)
    # Video players that pages may frame (frame-src) once the reader clicks a video's poster
    # (contract/embeds.py makes those of YouTube and Facebook); none: no frames at all.
    video_hosts: tuple[str, ...] = PLAYERS
    object_src: tuple[str, ...] = ("'none'",)
    base_uri: tuple[str, ...] = ("'none'",)
    form_action: tuple[str, ...] = ("'self'",)
    frame_ancestors: tuple[str, ...] = ("'none'",)
    referrer_policy: str = "strict-origin-when-cross-origin"
    permissions_policy: tuple[str, ...] = ("camera=()", "microphone=()", "geolocation=()")
    cross_origin_opener_policy: str = "same-origin"
    # Sent by the public web server only (browsers ignore it over plain HTTP).
    strict_transport_security: str = "max-age=31536000; includeSubDomains"

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(f.default, tuple) and not isinstance(value, tuple):
                raise ValueError(f"{SECTION}[{f.name!r}]: cần một danh sách, ví dụ {list(f.default)!r}")
            if isinstance(value, str):
                _check(f.name, value, '"\r\n')
            else:
                for source in value:
                    _check(f.name, source, '";, \t\r\n')
        for host in self.video_hosts:
            if not host.startswith("https://"):
                raise ValueError(f"{SECTION}['video_hosts']: {host!r} phải là địa chỉ https của máy chủ video, "
                                 "ví dụ https://www.youtube-nocookie.com")


def _check(name: str, value: str, forbidden: str) -> None:
    if not value or any(c in value for c in forbidden):
        shown = " ".join(repr(c) for c in forbidden)
        raise ValueError(f"{SECTION}[{name!r}]: giá trị {value!r} không dùng được trong tiêu đề HTTP "
                         f"(không được rỗng, không được chứa các ký tự {shown})")


def load(settings: Mapping) -> SecuritySettings:
    """The ``PORTAL_SECURITY`` section of Pelican-style ``settings`` over the defaults."""
    return load_section(dict(settings), SECTION, SecuritySettings)


def directives(policy: SecuritySettings) -> list[tuple[str, tuple[str, ...]]]:
    """(name, sources) of every CSP directive, in the order they are written."""
    named = [(f.name.replace("_", "-"), getattr(policy, f.name)) for f in fields(policy)
             if f.name.endswith(("_src", "_uri", "_action", "_ancestors"))]
    frame = ("frame-src", policy.video_hosts or ("'none'",))
    at = [name for name, _ in named].index("object-src")
    return named[:at] + [frame] + named[at:]


def content_security_policy(policy: SecuritySettings, meta: bool = False) -> str:
    """The Content-Security-Policy value; ``meta``: only what a ``<meta http-equiv>`` can carry."""
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives(policy)
                     if not (meta and name in META_UNSUPPORTED))


def response_headers(policy: SecuritySettings, https: bool = False) -> list[tuple[str, str]]:
    """Every security header of a response; HSTS only for a site served over HTTPS."""
    headers = [
        ("Content-Security-Policy", content_security_policy(policy)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", policy.referrer_policy),
        ("Permissions-Policy", ", ".join(policy.permissions_policy)),
        ("Cross-Origin-Opener-Policy", policy.cross_origin_opener_policy),
    ]
    if https:
        headers.append(("Strict-Transport-Security", policy.strict_transport_security))
    return headers


def editor_hosts(settings: Mapping) -> tuple[str, ...]:
    """The origins the editor talks to: the local proxy and the git host of ``PORTAL_CMS``."""
    section = settings.get("PORTAL_CMS") or {}
    backend = section.get("backend") or {}
    found = [section.get("local_proxy", "http://127.0.0.1:8081/api/v1"), backend.get("api_root"), backend.get("base_url")]
    origins = []
    for address in found:
        parts = urlsplit(address or "")
        if parts.scheme in ("http", "https") and parts.netloc and f"{parts.scheme}://{parts.netloc}" not in origins:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def editor_policy(policy: SecuritySettings, hosts: tuple[str, ...]) -> SecuritySettings:
    """The policy of the editor's folder: the site's, with ``EDITOR_SOURCES`` and ``hosts`` to connect to."""
    added: dict[str, tuple[str, ...]] = {"connect_src": getattr(policy, "connect_src") + hosts}
    for name, source in EDITOR_SOURCES:
        added[name] = added.get(name, getattr(policy, name)) + (source,)
    return replace(policy, **added)


def nginx_headers(policy: SecuritySettings) -> str:
    """The nginx snippet (``add_header … always;`` lines) of the public site's headers."""
    lines = [f"# {NGINX_SNIPPET}: tạo bằng lệnh python3 -m plugins.publishing.security",
             "# Muốn đổi thì sửa PORTAL_SECURITY trong pelicanconf.py rồi tạo lại tệp này."]
    lines += [f'add_header {name} "{value}" always;' for name, value in response_headers(policy, https=True)]
    return "\n".join(lines) + "\n"


def csp_meta(section: object) -> str:
    """Jinja filter: ``{{ PORTAL_SECURITY|csp_meta }}`` is the policy for ``<meta http-equiv>``."""
    given = section if isinstance(section, Mapping) else {}
    return content_security_policy(load({SECTION: given}), meta=True)


def settings_file(path: Path) -> dict:
    """The upper-case names a Pelican settings file defines (the file is run, as Pelican does)."""
    return {k: v for k, v in runpy.run_path(str(path)).items() if k.isupper()}


def main(argv: list[str]) -> int:
    """Print the nginx snippet of the settings file given (publishconf.py by default); with
    ``--editor``, the one of the web editor's folder (a ``location /quan-tri/`` block includes it)."""
    editor = "--editor" in argv
    files = [a for a in argv if a != "--editor"]
    path = Path(files[0]) if files else Path(__file__).resolve().parents[2] / "publishconf.py"
    settings = settings_file(path)
    policy = load(settings)
    sys.stdout.write(nginx_headers(editor_policy(policy, editor_hosts(settings)) if editor else policy))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
