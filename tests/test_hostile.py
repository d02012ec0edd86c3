"""A careless or hostile editor's files: nothing outside the content folder
reaches the site, nothing is written outside the output folder, no script runs
for a reader, and every refusal is told as path:line, in `check` and the build.

Two corpora, each built once: ``tests/fixtures/hostile`` over ``basic`` builds
(its dangerous links sit in a draft, whose problems are only warnings, so the
build goes through and its output can be searched), and ``REFUSED`` below, in
which every case is an error that both `check` and the build must report.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import feedparser
import pytest
from bs4 import BeautifulSoup

from playwright.sync_api import expect

from support import FIXTURES, NOW, BrowserTab, ServedSite, Site
from plugins.tools.check import check
from plugins.contract.plugin import guard_static_files
from plugins.publishing.preview import make_server

CANARY_TEXT = "canary-file-7f3a9c-do-not-publish"
CANARY_ENV = "canary-env-51d0e2-do-not-publish"
PASSWD_MARK = "root:x:0:0"

OK = "Title: Tin lỗi\nDate: 1/3/2024\nUnit: ban-tuyen-giao\n"


def article(extra_header: str = "", body: str = "Nội dung.") -> str:
    return OK + extra_header + "\n" + body + "\n"


ALIASES = ("/rss.xml", "/index.html", "/404.html", "/tim-kiem/", "/rss/", "/don-vi/ban-tuyen-giao/",
           "/sitemap.xml", "/robots.txt", "/theme/css/site.css", "/files/ke-hoach.pdf", "/pagefind/pagefind.js",
           "/anh-chia-se/trang-chu.jpg", "/images/cover-480.jpg", "/thong-ke/", "/index.html.gz",
           "/2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/index.html/cu/")
DEEP_LIST = "\n".join("    " * i + "- mục" for i in range(300))

# (file, content, line, words the problem must contain): each must be an error.
REFUSED = [
    ("articles/loi/passwd.md", article(body="[tải]({attach}../../../../../../etc/passwd)"), 5,
     ("'{attach}../../../../../../etc/passwd'", "ra ngoài thư mục nội dung")),
    ("articles/loi/environ.md", article(body="<abbr title=\"src='{attach}../../../../../proc/self/environ'\">x</abbr>"), 5,
     ("{attach}../../../../../proc/self/environ", "cú pháp liên kết nội bộ")),
    ("articles/loi/ghi-ra-ngoai.md", article(body="[x](|static|../../../X)"), 5, ("|static|../../../X", "ra ngoài")),
    ("articles/loi/so-dang-ky.md", article(body="[x]({static}/units.yml)"), 5, ("{static}/units.yml", "images/ hoặc files/")),
    ("articles/loi/the.md", article(body="[x]({tag}abc) và [y]({index})"), 5, ("{tag}abc", "cú pháp liên kết nội bộ")),
    ("articles/loi/sapo.md", article("Summary: <abbr title=\"src='{attach}../../etc/passwd'\">x</abbr>\n"), 4,
     ("{attach}../../etc/passwd", "cú pháp liên kết nội bộ")),
    ("articles/loi/anh-ngoai.md", article(body="Ảnh:\n\n![x]({static}../../../canary.txt)"), 7, ("ra ngoài",)),
    ("pages/loi-trang.md", "Title: Trang lỗi\n\n[x]({attach}../../canary.txt)\n", 3, ("ra ngoài",)),
    ("files/trang.html", "<script>alert(1)</script>", 1, ("tệp .html", "PDF")),
    ("files/hinh.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 1, ("tệp .svg",)),
    ("files/gia-mao.pdf", "<html><script>alert(1)</script></html>", 1, ("đuôi .pdf", "không phải tệp .pdf")),
    ("files/tai-lieu.docx", "<html><body>x</body></html>", 1, ("không phải tệp .docx",)),
    ("files/khong-duoi", "dữ liệu", 1, ("loại tệp",)),
    ("articles/loi/aliases.md", article("Aliases: " + ", ".join(ALIASES) + "\n"), 4, ()),
    ("articles/loi/gio-24.md", "Title: X\nDate: 2024-03-01T08:00+24:00\nUnit: ban-tuyen-giao\n\nx\n", 2, ("'Date'",)),
    ("articles/loi/gio-99.md", "Title: X\nDate: 2024-03-01T08:00+99:99\nUnit: ban-tuyen-giao\n\nx\n", 2, ("'Date'",)),
    ("articles/loi/nam-9999.md", "Title: X\nDate: 9999-12-31 23:59+00:00\nUnit: ban-tuyen-giao\n\nx\n", 2, ("1900–2200",)),
    ("articles/loi/nam-1.md", "Title: X\nDate: 0001-01-01\nUnit: ban-tuyen-giao\n\nx\n", 2, ("1900–2200",)),
    ("articles/loi/danh-sach-sau.md", article(body=DEEP_LIST), 25, ("lồng nhau 21 tầng",)),
    ("articles/loi/danh-sach-mot-dong.md", article(body="- " * 10000 + "x"), 5, ("lồng nhau",)),
    ("articles/loi/in-dam.md", article(body="*" * 10000 + "x" + "*" * 10000), 5, ("ký tự định dạng",)),
    ("articles/loi/qua-dai.md", article(body="chữ " * 300_000), 5, ("quá dài",)),
]


# A billion-laughs bomb in a unit's name: refused before it is expanded.
BOMB = "".join(f"  - id: bom-{i}\n    kind: co-so\n    parent: ldld-tinh\n    name: &l{i} [" +
               ", ".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(9))
BOMB_LINE = 25 + 4  # after the 25 lines of basic/units.yml: the first anchor, on the first unit's name


def lines_for(problems, path: str, line: int, needles: tuple[str, ...]) -> list[str]:
    prefix = re.compile(rf"^{re.escape(path)}:{line}: lỗi(?: E\d{{3}})?: ")
    return [str(p) for p in problems if prefix.match(str(p)) and all(n in str(p) for n in needles)]


@contextmanager
def canary_site(tmp_path_factory, name: str, image_cache):
    """A copy of ``basic`` beside a canary file, with a canary in the environment."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "canary.txt").write_text(CANARY_TEXT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PORTAL_CANARY", CANARY_ENV)
        yield Site(folder, mp, image_cache=image_cache)


@pytest.fixture(scope="module")
def refused(tmp_path_factory, image_cache):
    """The REFUSED corpus over ``basic``: (check's findings, the failed build, the folder)."""
    with canary_site(tmp_path_factory, "refused", image_cache) as site:
        for rel, text, _, _ in REFUSED:
            site.write(rel, text)

        findings = check(site.content, NOW)
        failure = site.fail()
    return findings, failure, site


@pytest.mark.parametrize("rel, text, line, needles", REFUSED, ids=[r[0] for r in REFUSED])
def test_each_hostile_case_is_refused_with_file_and_line(refused, rel, text, line, needles):
    findings, failure, _ = refused
    for where, problems in (("check", findings.problems), ("build", failure.problems)):
        assert lines_for(problems, rel, line, needles), (
            f"{where}: no error at {rel}:{line} with {needles}:\n" + "\n".join(str(p) for p in problems))


def test_every_alias_onto_the_sites_own_files_is_refused(refused):
    findings, failure, _ = refused
    for problems in (findings.problems, failure.problems):
        told = lines_for(problems, "articles/loi/aliases.md", 4, ("Aliases",))
        for alias in ALIASES:
            assert any(f"'{alias.rstrip('/') if alias.endswith('.html/cu/') else alias}" in t or
                       f"'/{_output_name(alias)}'" in t for t in told), (alias, told)


def _output_name(alias: str) -> str:
    path = alias.strip("/")
    return path if "." in path.rsplit("/", 1)[-1] else f"{path}/index.html"


def test_a_yaml_bomb_is_refused_before_it_is_expanded(site):
    with open(site.content / "units.yml", "a", encoding="utf-8") as units:
        units.write(BOMB)
    for problems in (check(site.content, NOW).problems, site.fail().problems):
        assert lines_for(problems, "units.yml", BOMB_LINE, ("neo/bí danh YAML",)), [str(p) for p in problems[:5]]


def test_a_refused_build_writes_nothing_and_says_no_traceback(refused):
    _, failure, site = refused
    assert not site.output.exists()
    assert "Traceback" not in str(failure)
    assert not (site.content.parent / "X").exists() and not (site.content.parent.parent / "X").exists()


# --- The corpus that builds: hostile markup, control characters, long titles, and a
# --- draft full of links to files outside the content folder.

@pytest.fixture(scope="module")
def hostile(tmp_path_factory, image_cache):
    with canary_site(tmp_path_factory, "hostile", image_cache) as site:
        folder = site.content.parent
        shutil.copytree(FIXTURES / "hostile", site.content, dirs_exist_ok=True)
        site.write("articles/hostile/slug-dai.md", article("Slug: " + "-".join(["cong-doan"] * 20) + "\n"))
        before = sorted(p.name for p in folder.iterdir())
        findings = check(site.content, NOW)
        built = site.build()
        after = sorted(p.name for p in folder.iterdir())
    return SimpleNamespace(site=site, findings=findings, state=built, before=before, after=after)


def output_files(site: Site) -> list[Path]:
    return sorted(p for p in site.output.rglob("*") if p.is_file())


def test_nothing_outside_the_content_folder_reaches_the_site(hostile):
    site = hostile.site
    cover = hashlib.sha256((site.content / "images" / "cover.jpg").read_bytes()).hexdigest()
    published = output_files(site)
    assert len(published) > 20, published
    for path in published:
        data = path.read_bytes()
        for secret in (CANARY_TEXT, CANARY_ENV, PASSWD_MARK):
            assert secret.encode() not in data, f"{secret} published in {path}"
        assert hashlib.sha256(data).hexdigest() != cover, f"the original photo was published as {path}"
        assert path.name not in ("units.yml", "canary.txt", "environ", "passwd"), path


def test_nothing_is_written_outside_the_output_folder(hostile):
    site = hostile.site
    made = set(hostile.after) - set(hostile.before)
    assert made <= {"output", ".output-builds", ".output.lock", ".output.lock.info", "cache"}, made
    for folder in (site.content.parent, site.content.parent.parent, site.output.resolve().parent):
        assert not (folder / "X").exists()


def test_the_drafts_links_out_of_the_content_folder_are_told_as_warnings(hostile):
    site, findings = hostile.site, hostile.findings
    told = [str(p) for p in findings.problems if p.path == "articles/hostile/nhap-lien-ket.md"]
    for line in (9, 11, 13, 15, 17, 19, 21, 31):
        assert any(re.match(rf"articles/hostile/nhap-lien-ket.md:{line}: cảnh báo E1\d\d: \(bản nháp\)", t)
                   for t in told), (line, told)
    assert any(":5: cảnh báo E107: (bản nháp)" in t and "cú pháp liên kết nội bộ" in t for t in told), told


ACTIVE_TAGS = ("script", "iframe", "object", "embed", "base", "form", "style", "svg", "math", "frame", "applet")


def test_no_page_carries_script_handlers_or_active_elements(hostile):
    site = hostile.site
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, f"{path}: <{tag.name} {handlers}>"
            assert "style" not in tag.attrs, f"{path}: <{tag.name} style=…>"
            for attr in ("href", "src", "action", "formaction", "data", "poster"):
                value = "".join(str(tag.get(attr, "")).split()).lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:text")), f"{path}: {attr}={value}"
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith("/") or script.get("type") == "application/ld+json", (path, script)
        for content in soup.select(".article-content, .article-summary, .card-summary"):
            for name in ACTIVE_TAGS:
                assert not content.find_all(name), f"{path}: <{name}> in an editor's text"
        for refresh in soup.select("meta[http-equiv=refresh]"):  # redirects of old addresses: to the site only
            assert refresh["content"].split("url=", 1)[1].startswith("/"), (path, refresh)


def test_hostile_text_is_shown_as_text(hostile):
    site = hostile.site
    url = next(p for p in site.output.glob("2024/06/script-alert*/index.html"))
    page = BeautifulSoup(url.read_text(encoding="utf-8"), "lxml")
    # Shown as text, with the straight quotes of a title printed typographically.
    assert "<script>alert(“tiêu đề”)</script>" in page.h1.get_text()
    assert "`{attach}" not in page.get_text() and "[tải]({attach}../../../canary.txt)" in page.get_text()
    link = page.find("a", string=lambda s: s and "ảnh ở website khác" in s)
    assert link is not None and link["href"] == "https://example.invalid/a.png"
    assert not page.find("img", src=lambda s: s and "example.invalid" in s)


def test_control_characters_are_removed_and_told(hostile):
    site, findings = hostile.site, hostile.findings
    rel = "articles/hostile/ky-tu-dieu-khien.md"
    told = {p.line: str(p) for p in findings.problems if p.path == rel}
    assert set(told) == {1, 5, 6, 7, 9, 11}, told
    assert all(": cảnh báo W00" in t for t in told.values()), told
    assert "U+000B" in told[9] and "xuống dòng" in told[9]
    page = site.html("/2024/06/tin-co-ky-tu-dieu-khien/")
    assert page.h1.get_text(strip=True) == "Tin có ký tự điều khiển"
    assert page.select_one(".article-content br") is not None
    for name in ("rss.xml", "atom.xml", "don-vi/ban-tuyen-giao/rss.xml"):
        feed = feedparser.parse((site.output / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert "Tin có ký tự điều khiển" in [e.title for e in feed.entries]


def test_long_titles_and_slugs_give_short_addresses_and_keep_the_title(hostile):
    site, findings = hostile.site, hostile.findings
    folders = [p.parent.name for p in site.output.glob("2024/*/*/index.html")]
    assert folders and max(len(f) for f in folders) <= 80, sorted(folders, key=len)[-1]
    long_one = next(f for f in folders if f.startswith("cong-doan-nganh-giao-duc-to-chuc"))
    assert site.html(f"/2024/06/{long_one}/").h1.get_text(strip=True).endswith("trên địa bàn toàn tỉnh")
    assert any(p.path == "articles/hostile/slug-dai.md" and p.line == 4 and "rút gọn" in p.message
               for p in findings.problems)
    cards = sorted(site.output.glob("anh-chia-se/**/*.jpg"))
    assert cards, "no share cards were drawn"
    for card in cards:
        assert len(card.name) < 120, card


def test_files_no_article_links_to_are_published_and_listed(hostile):
    site, summary = hostile.site, hostile.state.summary()
    assert (site.output / "files" / "khong-bai-nao-dan.pdf").is_file()
    assert "files/khong-bai-nao-dan.pdf" in summary and "không có bài nào dẫn tới" in summary
    assert "files/ke-hoach.pdf" not in summary


class _Static:
    def __init__(self, rel: str):
        self.relative_source_path = rel


class _StaticGenerator:
    def __init__(self, *rels: str):
        self.staticfiles = [_Static(r) for r in rels]


def test_the_last_gate_lets_only_checked_downloads_and_the_logo_through(hostile):
    site = hostile.site
    st = hostile.state
    generator = _StaticGenerator("files/ke-hoach.pdf", "../../canary.txt", "units.yml", "images/cover.jpg",
                                 st.logo, "../../../../proc/self/environ")
    problems = guard_static_files([generator], st)
    assert [s.relative_source_path for s in generator.staticfiles] == ["files/ke-hoach.pdf", st.logo]
    assert sorted(p.path for p in problems) == ["../../../../proc/self/environ", "../../canary.txt", "units.yml"]


# --- In a real browser, under the site's Content-Security-Policy: no dialog, no script
# --- error, no violation, on every page the hostile corpus produced.

@pytest.fixture(scope="module")
def hostile_served(hostile):
    server = make_server(hostile.site.output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, name="hostile-site", daemon=True)
    thread.start()
    try:
        yield ServedSite(hostile.site.output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


HOSTILE_QUERIES = ("<img src=x onerror=alert(1)>", "\"><script>alert(1)</script>", "alert", "javascript:alert(1)")


def hostile_urls(site: ServedSite) -> list[str]:
    out = site.output
    articles = sorted("/" + p.parent.relative_to(out).as_posix() + "/" for p in out.glob("2024/06/*/index.html"))
    tags = sorted("/" + p.parent.relative_to(out).as_posix() + "/" for p in out.glob("the/*/index.html"))
    return ["/", *articles, "/an-toan/", "/don-vi/ban-tuyen-giao/", "/the/", *tags, "/luu-tru/"]


def test_the_hostile_corpus_runs_no_script_under_the_policy(chromium_browser, hostile_served, viewport):
    tab = BrowserTab(chromium_browser, hostile_served, viewport)
    try:
        urls = hostile_urls(hostile_served)
        assert len(urls) > 10 and any("script-alert" in u for u in urls), urls
        for url in urls:
            page = tab.goto(url)
            page.wait_for_load_state("load")
            # Hover and click what an attacker would have wired up; nothing may answer.
            for element in page.locator("main a[href='#'], main abbr, main [title]").all()[:8]:
                element.dispatch_event("mouseover")
                element.dispatch_event("click")
        if (hostile_served.output / "tim-kiem" / "index.html").is_file():
            for query in HOSTILE_QUERIES:
                page = tab.goto(f"/tim-kiem/?q={quote(query)}")
                expect(page.locator("ol.search-results")).not_to_have_attribute("aria-busy", "true")
                expect(page.locator("#search-status")).not_to_be_empty()
                assert page.evaluate("() => document.querySelectorAll('main img[src=x], main script').length") == 0
        assert page.evaluate("() => window.__portalPwned === undefined")
        tab.assert_clean()
    finally:
        tab.context.close()
