"""The web editor in Chromium, in local mode: an editor creates an article through the form
(title with diacritics, a unit from the list, a date, a campaign, a cover photo), Decap's own
serializer runs with the portal's header format, and the file it writes passes `check`
unchanged and is on the rebuilt site. No request leaves 127.0.0.1; axe finds nothing serious
in the labels and hints the configuration gives."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from plugins.cms.local import SERVER, running_proxy
from plugins.publishing import security
from plugins.publishing.preview import SiteHandler, make_server
from plugins.tools.check import check
from support import BrowserTab, ServedSite, Site
from support.served import missing_tool
from support.site import NOW, ROOT

TITLE = "Công đoàn ngành Giáo dục thăm hỏi đoàn viên khó khăn"
SLUG = "cong-doan-nganh-giao-duc-tham-hoi-doan-vien-kho-khan"
CAMPAIGN = ("campaigns:\n  - id: thang-cham-lo-2026\n    name: Tháng chăm lo đoàn viên 2026\n"
            "    start: 2026-11-01\n    end: 2026-11-30\n")
# The rules of the labels and names our configuration gives the form's fields. Decap's own
# controls are left out: the Markdown widget (its mode switch and editing area have no name,
# whatever the field's label) and the icon buttons of a list's items (fold, remove).
AXE_CONTEXT = {"include": [["body"]], "exclude": [['[aria-label="markdown field"]'], ['[class*="TopBarButton"]']]}
AXE_RULES = ["label", "aria-input-field-name", "form-field-multiple-labels", "select-name", "button-name",
             "aria-toggle-field-name", "duplicate-id-aria"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving_editor(output: Path, proxy: str):
    """The built site with the preview's server, the editor's folder under its own policy."""
    policy = security.load({})
    site_headers = tuple(security.response_headers(policy))
    hosts = security.editor_hosts({"PORTAL_CMS": {"local_proxy": proxy}})
    editor_headers = tuple(security.response_headers(security.editor_policy(policy, hosts)))

    class Handler(SiteHandler):
        def end_headers(self):
            self.security_headers = editor_headers if self.path.startswith(security.EDITOR_FOLDER) else site_headers
            super().end_headers()

    server = make_server(output, "127.0.0.1", 0, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield ServedSite(output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def decap_server_root() -> Path:
    """Where decap-server is installed (``PORTAL_NODE_ROOT`` or this clone); the test is skipped without it."""
    node_root = Path(os.environ.get("PORTAL_NODE_ROOT", ROOT))
    if not (node_root / SERVER).is_file():
        missing_tool(f"decap-server is not installed ({node_root / SERVER}): npm ci --ignore-scripts")
    return node_root


@contextlib.contextmanager
def logged_in(site, tmp_path: Path, chromium_browser, proxy: str, node_root: Path):
    """The built site served, the local proxy running, and the editor open and logged in in a
    Chromium tab (closed afterwards)."""
    with serving_editor(site.output, proxy) as served, \
            running_proxy(tmp_path, int(proxy.rsplit(":", 1)[1].split("/")[0]), served.base_url, node_root):
        tab = BrowserTab(chromium_browser, served, "desktop")
        try:
            page = tab.goto("/quan-tri/")
            page.get_by_role("button", name="Đăng nhập").click()
            yield tab, page
        finally:
            tab.context.close()


def choose(page, field: str, typed: str) -> None:
    page.click(f'[id^="{field}-field-"]')
    page.keyboard.type(typed)
    page.keyboard.press("Enter")


def new_file(page, folder: Path, timeout: float = 20.0) -> Path:
    """The file the editor saved. The wait runs inside Playwright, whose routing of requests
    (tests/support/browser.py) only happens while it has control."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob("*.md")) if folder.is_dir() else []
        if found:
            return found[0]
        page.wait_for_timeout(200)
    raise AssertionError(f"the editor wrote nothing into {folder}")


def test_an_article_made_in_the_editor_passes_check_and_is_on_the_rebuilt_site(
        tmp_path, monkeypatch, chromium_browser, image_cache):
    node_root = decap_server_root()
    site = Site(tmp_path, monkeypatch, image_cache=image_cache)
    site.write("campaigns.yml", (site.content / "campaigns.yml").read_text(encoding="utf-8").replace("campaigns:\n", CAMPAIGN, 1))
    proxy = f"http://127.0.0.1:{free_port()}/api/v1"
    site.build(PORTAL_CMS={"local_proxy": proxy})
    photo = tmp_path / "tham-hoi.jpg"
    shutil.copyfile(site.content / "images" / "cover.jpg", photo)
    plan = tmp_path / "ke-hoach-tham-hoi.pdf"
    shutil.copyfile(site.content / "files" / "ke-hoach.pdf", plan)
    year = NOW.year  # the year whose collection takes new items, as the build saw it
    with logged_in(site, tmp_path, chromium_browser, proxy, node_root) as (tab, page):
        page.goto(f"/quan-tri/#/collections/tin-bai-{year}/new")
        page.fill('[id^="Title-field-"]', TITLE)
        page.fill('[id^="Date-field-"]', "2026-11-20T09:30")
        choose(page, "Unit", "Công đoàn ngành Giáo dục")
        choose(page, "Campaigns", "Tháng chăm lo")
        choose(page, "Status", "Đăng")
        page.get_by_role("button", name="Chọn một hình").click()
        page.set_input_files('input[type="file"]', str(photo))
        page.get_by_role("button", name="Lấy những cái đã chọn").click()
        page.fill('[id^="ImageAlt-field-"]', "Cán bộ công đoàn thăm hỏi đoàn viên")
        page.fill('[id^="ImageCaption-field-"]', "Ảnh: Trần Thị Hoa")
        page.locator('[id^="Attachments-field-"] button', has_text="tệp đính kèm").click()
        page.get_by_role("button", name="Chọn một tập tin").click()
        page.set_input_files('input[type="file"]', str(plan))
        page.get_by_role("button", name="Lấy những cái đã chọn").click()
        page.fill('[id^="Tags-field-"]', "thăm hỏi, đoàn viên")
        page.fill('[id^="Summary-field-"]', "Ngày 20/11, Công đoàn ngành Giáo dục\nthăm hỏi đoàn viên.")
        page.fill('[id^="Source-field-"]', "https://baolaodong.vn/bai-goc")
        page.fill('[id^="Aliases-field-"]', "/tin-tuc/tham-hoi.html")
        page.click('[id^="Featured-field-"]')
        page.click('[data-slate-editor="true"]')
        page.keyboard.type("Sáng 20/11, đoàn công tác đã đến thăm.")
        tab.add_axe()
        found = page.evaluate("([context, rules]) => axe.run(context, {runOnly: {type: 'rule', values: rules}})"
                              ".then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                              ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))", [AXE_CONTEXT, AXE_RULES])
        assert found == [], found
        page.get_by_role("button", name="Công bố").first.click()
        page.get_by_text("Công bố ngay").click()
        try:
            written = new_file(page, tmp_path / "content" / "articles" / str(year))
        except AssertionError as exc:
            page.screenshot(path=str(tmp_path / "editor.png"))
            raise AssertionError(f"{exc} (screenshot {tmp_path / 'editor.png'}); the browser said: "
                                 f"{tab.errors + tab.violations + tab.external + tab.dialogs}") from None
        tab.assert_clean()
    text = written.read_text(encoding="utf-8")
    assert written.name.endswith(f"-{SLUG}.md"), written.name
    assert text.startswith(f"Title: {TITLE}\nDate: 20/11/2026 09:30\nUnit: cd-giao-duc\nSlug: {SLUG}\n"
                           "Campaigns: thang-cham-lo-2026\n"), text
    assert "\nAttachments: files/ke-hoach-tham-hoi.pdf\n" in text and (site.content / "files" / plan.name).is_file()
    assert ("\nTags: thăm hỏi, đoàn viên\n" in text and "\nFeatured: yes\n" in text
            and "\nSummary: Ngày 20/11, Công đoàn ngành Giáo dục thăm hỏi đoàn viên.\n" in text
            and "\nSource: https://baolaodong.vn/bai-goc\n" in text and "\nAliases: /tin-tuc/tham-hoi.html\n" in text
            and text.endswith("\n\nSáng 20/11, đoàn công tác đã đến thăm.\n")), text
    assert "\nImage: images/tham-hoi.jpg\n" in text and (site.content / "images" / "tham-hoi.jpg").is_file()
    assert [str(p) for p in check(site.content, NOW).problems] == []
    site.build()
    article = site.html(f"/2026/11/{SLUG}/")
    assert article.find("h1").get_text(strip=True) == TITLE
    assert article.select_one(f'a[href$="/don-vi/cd-giao-duc/"]').get_text(strip=True) == "Công đoàn ngành Giáo dục"
    assert "20/11/2026, 09:30" in article.find("time").get_text()
    assert any("tham-hoi" in img.get("src", "") for img in article.select("img"))


RECORDED = "articles/2024/truong-a.md"
RECORDED_URL = "2024/06/truong-tieu-hoc-a-cham-lo-cho-giao-vien/"
NEW_TITLE = "Trường Tiểu học A chăm lo cho giáo viên dịp 20/11"


def test_the_slug_of_an_article_the_url_record_holds_is_read_only(tmp_path, monkeypatch, chromium_browser, image_cache):
    from plugins.contract.urlrecord import blob_hash

    node_root = decap_server_root()
    site = Site(tmp_path, monkeypatch, image_cache=image_cache)
    site.write("urls.lock", f"{RECORDED_URL}\t{RECORDED}\t{blob_hash((site.content / RECORDED).read_bytes())}\n")
    proxy = f"http://127.0.0.1:{free_port()}/api/v1"
    site.build(PORTAL_CMS={"local_proxy": proxy})
    with logged_in(site, tmp_path, chromium_browser, proxy, node_root) as (tab, page):
        slugs = {}
        for name, address in (("new", f"tin-bai-{NOW.year}/new"),
                              ("not recorded", "tin-bai-2024/entries/chinh-sach"),
                              ("recorded", "tin-bai-2024/entries/truong-a")):
            page.goto(f"/quan-tri/#/collections/{address}")
            page.reload()  # a new hash alone keeps the form of the entry before
            field = page.locator('input[id^="Slug-field-"]')
            field.wait_for()
            note = page.locator(".portal-slug-pinned")
            slugs[name] = (field.input_value(), field.is_editable(),
                           note.inner_text() if note.count() else "", field.get_attribute("aria-describedby"))
        # A new title for the recorded article: it is saved without a 'Slug', so the record keeps it where it is.
        page.fill('[id^="Title-field-"]', NEW_TITLE)
        page.get_by_role("button", name="Công bố").first.click()
        page.get_by_text("Công bố ngay").click()
        source = site.content / RECORDED
        deadline = time.monotonic() + 20
        while NEW_TITLE not in source.read_text(encoding="utf-8") and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        tab.assert_clean()
    note = f"Bài đã đăng tại /{RECORDED_URL}: địa chỉ không đổi được ở đây; muốn đổi, hỏi Ban Biên tập."
    value, editable, shown, described = slugs["recorded"]
    assert (value, editable, shown) == ("truong-tieu-hoc-a-cham-lo-cho-giao-vien", False, note), slugs
    assert described and described.endswith("-ghi-chu")
    assert slugs["not recorded"][1:] == (True, "", None), slugs
    assert slugs["new"] == ("", True, "", None), slugs
    saved = source.read_text(encoding="utf-8")
    assert saved.startswith(f"Title: {NEW_TITLE}\n") and "Slug:" not in saved, saved
    assert [str(p) for p in check(site.content, NOW).problems] == []
    site.build()
    assert site.html(f"/{RECORDED_URL}").find("h1").get_text(strip=True) == NEW_TITLE
