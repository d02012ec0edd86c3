"""Generated input for every reader an editor's text goes through: the header,
the date parser, the YAML registries and the Markdown body. Each input either
passes or yields problems at a line of the file; none raises.

The default run is bounded and seeded, so CI sees the same examples every
time; `python3 tasks.py fuzz` runs many more (profile "deep", new examples).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from support import FIXTURES
from plugins.contract.articles import ARTICLE_KEYS, read_item, resolve_article
from plugins.contract.channels import ChannelBook, load_channels
from plugins.contract.dates import FIRST_YEAR, LAST_YEAR, DateError, parse_date
from plugins.contract.markup import INTRASITE, render
from plugins.contract.problems import Problem
from plugins.contract.registry import Registry, load_registry

settings.register_profile("ci", max_examples=120, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "5000")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("PORTAL_FUZZ_PROFILE", "ci")

# Pieces editors (and attackers) paste: accents, controls, markup, link syntax, paths.
TRICKY = ["Công đoàn", "Đ", "ệ", "\x0b", "\x01", "\x0c", "\x00", "\x7f", "\x85", "\ufffe", "\u2028", "\ud800",
          "\t", " ", "\n", "\r\n", "\ufeff", "<script>", "</p>", "<img src=x onerror=alert(1)>", "\"", "'", "&",
          "&quot;", "{attach}", "{static}", "|static|", "{filename}", "{tag}", "../", "/etc/passwd", "images/",
          "files/", "%00", "%2e%2e/", "\\", "[", "]", "(", ")", "!", "*", "_", "`", "~", "#", ">", "-", "1.",
          "    ", "```", "|", ":", ",", "http://", "javascript:", "data:", "2024-02-30", "31/12/9999", "+24:00",
          "Z", "08:30"]
fragment = st.one_of(st.sampled_from(TRICKY), st.text(max_size=6))
text = st.lists(fragment, max_size=30).map("".join)
value = st.lists(fragment, max_size=8).map("".join)


@st.composite
def article_file(draw) -> bytes:
    keys = draw(st.lists(st.one_of(st.sampled_from(ARTICLE_KEYS), st.text(min_size=1, max_size=8)), max_size=10))
    lines = [f"{k}: {draw(value)}" for k in keys]
    body = draw(text)
    raw = ("\n".join(lines) + "\n\n" + body).encode("utf-8", "surrogatepass")
    return draw(st.sampled_from([raw, raw.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + raw, raw[: len(raw) // 2],
                                 raw + b"\xff\xfe"]))


def _good(problems: list[Problem], path: str) -> None:
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == path and problem.line >= 1, problem
        assert problem.message and "Traceback" not in problem.message, problem


REGISTRY = load_registry(FIXTURES / "basic")[0]


@settings(settings.get_profile(PROFILE))
@given(article_file(), st.booleans())
def test_any_article_file_is_read_or_reported(tmp_path_factory, raw, page):
    path = "pages/x.md" if page else "articles/2024/x.md"
    item = read_item(raw, path, page=page)
    _good(item.problems, path)
    if not page:
        root = tmp_path_factory.getbasetemp() / "fuzz-root"
        info, problems = resolve_article(item.source, item.header.title, item.header.date,
                                         item.rendered.references, REGISTRY, root)
        _good(problems, path)
    assert "\x00" not in item.rendered.html
    for html in (item.rendered.html, item.header.summary_html or ""):
        for link in INTRASITE.finditer(html):  # only links the reader checked, inside their folders
            what, target = link.group("what"), link.group("value")
            assert (what, target.split("/")[1]) in {("static", "images"), ("static", "files"),
                                                   ("filename", "articles"), ("filename", "pages")}, link.group(0)
            assert target.startswith("/") and ".." not in target.split("/"), link.group(0)


# The body as the reader hands it over: decoded UTF-8, which cannot hold a lone surrogate.
body_text = text.map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))


@settings(settings.get_profile(PROFILE))
@given(body_text, st.integers(min_value=1, max_value=10_000))
def test_any_body_renders_or_is_reported(body, first_line):
    rendered = render(body, "articles/x.md", first_line)
    for problem in rendered.problems:
        assert first_line <= problem.line <= first_line + body.count("\n") and problem.message and problem.code


date_text = st.one_of(
    st.lists(st.sampled_from(["1", "12", "31", "2024", "9999", "0000", "/", "-", ":", " ", "T", "Z", "+", "07", "24",
                              "99", "60", "h", "g", ".5", "\u0661", "２"]), max_size=12).map("".join),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(str),
    st.text(max_size=20),
)


@settings(settings.get_profile(PROFILE))
@given(date_text)
def test_any_date_parses_in_range_or_is_a_date_error(written):
    try:
        moment = parse_date(written)
    except DateError as exc:
        assert str(exc)
        return
    assert moment.tzinfo is not None and FIRST_YEAR <= moment.year <= LAST_YEAR


YAML_PIECES = ["units:\n", "campaigns:\n", "sections:\n", "targets:\n", "  - ", "    ", "id: ", "name: ", "kind: ",
               "parent: ", "target: ", "active_from: ", "active_until: ", "start: ", "end: ", "slogans: ",
               "cap-tren", "ldld-tinh", "x", "2024-01-01", "2024-02-30", "12", "-1", "1e9", "{2024: 5}", "[a, b]",
               "&a ", "*a", "!!python/object:os.system", "\x0b", "\x01", "\t", ": ", "\n", "'", '"', "{", "}",
               "---\n", "? ", "!!binary", "~", "null", "yes", "Công đoàn", "\ufeff"]
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=4)), max_size=40).map("".join)


@settings(settings.get_profile(PROFILE))
@given(yaml_text, st.sampled_from(["units.yml", "campaigns.yml", "sections.yml"]))
def test_any_registry_loads_or_is_reported(written, name):
    root = Path(tempfile.mkdtemp(prefix="fuzz-registry-"))
    try:
        for other in ("units.yml", "campaigns.yml", "sections.yml"):
            shutil.copyfile(FIXTURES / "basic" / other, root / other)
        (root / name).write_bytes(written.encode("utf-8", "surrogatepass"))
        registry, problems = load_registry(root)
    finally:
        shutil.rmtree(root)
    assert isinstance(registry, Registry)
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path in ("units.yml", "campaigns.yml", "sections.yml")
        assert problem.line >= 1 and problem.message


CHANNEL_PIECES = ["unit: ", "items:\n", "channels:\n", "date: ", "channel: ", "type: ", "title: ", "url: ", "cd-giao-duc",
                  "fanpage", "website", "Báo in", "3/7/2025", "2025-07-03", "1/1/2099", "https://www.facebook.com/x",
                  "https://a:b@c.vn/", "javascript:alert(1)", "http://[::1", "tin", "Bài viết", "\u200b"]
channel_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES + CHANNEL_PIECES), st.text(max_size=4)),
                        max_size=40).map("".join)


@settings(settings.get_profile(PROFILE))
@given(channel_text, channel_text)
def test_any_channel_file_loads_or_is_reported(items, channels):
    root = Path(tempfile.mkdtemp(prefix="fuzz-channels-"))
    try:
        (root / "kenh").mkdir()
        (root / "kenh" / "a.yml").write_bytes(items.encode("utf-8", "surrogatepass"))
        (root / "channels.yml").write_bytes(channels.encode("utf-8", "surrogatepass"))
        book, problems = load_channels(root, REGISTRY, dt.date(2026, 11, 22))
    finally:
        shutil.rmtree(root)
    assert isinstance(book, ChannelBook) and "website" in book.channels
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path in ("kenh/a.yml", "channels.yml", "units.yml")
        assert problem.line >= 1 and problem.message and problem.code
    assert all(item.url.startswith(("http://", "https://")) or not item.url for item in book.items)
