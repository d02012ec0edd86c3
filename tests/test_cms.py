"""The web editor at /quan-tri/: its configuration covers the whole content contract, and what
its header format (theme/cms/portal-cms.js, run in Node) writes passes `check` unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap

import pytest
import yaml

from plugins.cms import bundle, core
from plugins.cms.settings import CmsSettings
from plugins.contract import schema
from plugins.contract.registry import load_registry
from plugins.tools.check import check
from tests.support.site import FIXTURES, NOW

SCRIPT = bundle.CMS_DIR / core.SCRIPT_FILE


def config_fields(config: dict) -> list[list[str]]:
    return [[f["name"] for f in collection["fields"]] for collection in config["collections"]]


def test_every_key_of_the_contract_is_a_field_of_every_collection():
    registry, _ = load_registry(FIXTURES / "basic")
    config = core.configuration(registry, NOW.date(), [2024], CmsSettings())
    wanted = [*schema.names(schema.ARTICLE), core.BODY_FIELD]
    assert config_fields(config) == [wanted, wanted]
    assert [c["folder"] for c in config["collections"]] == ["content/articles/2026", "content/articles/2024"]
    assert [c["create"] for c in config["collections"]] == [True, False]
    assert all("/huong-dan-gui-tin-bai/" in c["description"] for c in config["collections"])


def test_the_lists_come_from_the_registries_active_units_by_name_stored_by_id():
    registry, _ = load_registry(FIXTURES / "basic")
    fields = {f["name"]: f for f in core.configuration(registry, NOW.date(), [], CmsSettings())["collections"][0]["fields"]}
    units = {o["value"]: o["label"] for o in fields["Unit"]["options"]}
    assert units["cd-giao-duc"] == "Công đoàn ngành Giáo dục"
    assert "ldld-huyen-cu" not in units  # dissolved on 30/6/2025
    assert [o["value"] for o in fields["Campaigns"]["options"]] == list(registry.campaigns)
    assert fields["Campaigns"]["multiple"] is True
    assert [o["value"] for o in fields["Category"]["options"]] == ["tin-hoat-dong", "chinh-sach-phap-luat"]
    assert fields["Status"]["default"] == "draft"
    assert fields["Date"]["format"] == core.DATE_FORMAT
    review = core.configuration(registry, NOW.date(), [], CmsSettings(backend={"name": "forgejo"}, editorial_workflow=True))
    assert review["publish_mode"] == "editorial_workflow"
    assert {f["name"]: f for f in review["collections"][0]["fields"]}["Status"]["default"] == "published"


def test_a_backend_without_review_refuses_the_editorial_workflow():
    with pytest.raises(ValueError, match="gitea"):
        CmsSettings(editorial_workflow=True)


def test_the_build_writes_the_editor_and_a_setting_keeps_it_out(site):
    site.build()
    folder = site.output / "quan-tri"
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert config_fields(config)[0] == [*schema.names(schema.ARTICLE), core.BODY_FIELD]
    assert (folder / "decap-cms" / "decap-cms.js").is_file() and (folder / "decap-cms" / "LICENSE").is_file()
    policy = dict(part.strip().split(" ", 1) for part in site.html("/quan-tri/").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"})["content"].split(";"))
    assert policy["connect-src"] == "'self' http://127.0.0.1:8081 blob:"
    assert "'unsafe-eval'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"]
    assert policy["default-src"] == "'self'"
    header = (folder / "portal-header.js").read_text(encoding="utf-8")
    assert json.loads(header.split("=", 1)[1].rstrip(";\n")) == core.header_description()
    shutil.rmtree(site.output.resolve())
    site.build(PORTAL_CMS={"enabled": False})
    assert not (site.output / "quan-tri").exists()


def run_format(entries: dict[str, dict]) -> dict[str, str]:
    """Each entry written by portal-cms.js's toFile, then read back by fromFile and written again."""
    if not shutil.which("node"):
        pytest.skip("Node.js is needed to run the editor's header format")
    program = textwrap.dedent(f"""
        const format = require({json.dumps(str(SCRIPT))});
        const header = {json.dumps(core.header_description(), ensure_ascii=False)};
        const entries = {json.dumps(entries, ensure_ascii=False)};
        const out = {{}};
        for (const [name, data] of Object.entries(entries)) {{
          const text = format.toFile(data, header);
          const again = format.toFile(format.fromFile(text, header), header);
          if (again !== text) throw new Error(name + ': read back differently:\\n' + text + '\\n---\\n' + again);
          out[name] = text;
        }}
        process.stdout.write(JSON.stringify(out));
    """)
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# What the form hands the format for each widget (select, multiple select, datetime, list,
# boolean, image, file list, text, string), as Decap's widgets store it.
FULL = {
    "Title": "Công đoàn ngành Giáo dục trao 50 suất quà Tết cho giáo viên", "Date": "12/5/2024 09:30",
    "Unit": "cd-giao-duc", "Slug": "", "Campaigns": ["thang-cong-nhan-2024"], "Category": "chinh-sach-phap-luat",
    "Tags": ["Tết Sum vầy", "giáo viên"], "Type": "phong-su", "Author": "Trần Thị Hoa",
    "Image": "/images/cover.jpg", "ImageAlt": "Cán bộ công đoàn trao quà", "ImageCaption": "Giáo viên nhận quà Tết",
    "ImageCredit": "Trần Thị Hoa", "Summary": "Ngày 12/1, Công đoàn ngành Giáo dục\ntrao 50 suất quà.", "Source": "https://baolaodong.vn/bai-goc",
    "SourceName": "Báo Lao động", "Featured": True, "Attachments": ["files/ke-hoach.pdf"],
    "Video": "https://www.youtube.com/watch?v=abc", "Aliases": ["/tin-tuc/qua-tet.html"], "Status": "published",
    "Modified": "13/5/2024 10:00", "Royalty": "B", "Photographer": ["Trần Thị Hoa", "Lê Văn Minh"],
    "body": "Nội dung bài viết.\n\n![Giáo viên nhận quà](images/cover.jpg \"Ảnh: Trần Thị Hoa\")",
}
SMALL = {"Title": "Đoàn viên đón Tết", "Date": "5/2/2024 08:00", "Unit": "ldld-tinh", "Slug": "",
         "Campaigns": [], "Tags": [], "Featured": False, "Attachments": [], "Aliases": [], "Status": "draft",
         "body": "Một dòng."}


def test_what_the_editor_writes_for_every_widget_passes_check(site):
    assert set(FULL) == {*schema.names(schema.ARTICLE), core.BODY_FIELD}
    written = run_format({"full": FULL, "small": SMALL})
    assert written["full"].startswith("Title: Công đoàn ngành Giáo dục trao 50 suất quà Tết cho giáo viên\n"
                                      "Date: 12/5/2024 09:30\nUnit: cd-giao-duc\n"
                                      "Slug: cong-doan-nganh-giao-duc-trao-50-suat-qua-tet-cho-giao-vien\n")
    assert "\nImage: images/cover.jpg\n" in written["full"] and "\nFeatured: yes\n" in written["full"]
    assert "\nSummary: Ngày 12/1, Công đoàn ngành Giáo dục trao 50 suất quà.\n" in written["full"]
    assert written["small"] == ("Title: Đoàn viên đón Tết\nDate: 5/2/2024 08:00\nUnit: ldld-tinh\n"
                                "Slug: doan-vien-don-tet\nStatus: draft\n\nMột dòng.\n")
    assert "\nRoyalty: B\nPhotographer: Trần Thị Hoa, Lê Văn Minh\n" in written["full"]
    site.write("nhuan-but.yml", "decisions:\n  - {from: 1/1/2024, decision: QĐ 1, default_grade: none, "
                                "rates: {B: {phong-su: 1000000}}}\n")
    for name, text in written.items():
        site.write(f"articles/2024/2024-01-12-{name}.md", text)
    assert [str(p) for p in check(site.content, NOW).problems] == []


def test_the_format_reads_what_editors_wrote_by_hand():
    hand = ("\ufeffTiêu đề: Hội nghị\r\nNgày: 2024-07-03T08:30:00+07:00\r\nĐơn vị: ldld-tinh\r\n"
            "Chiến dịch: a, b\r\nNổi bật: yes\r\n\r\nThân bài\r\n")
    if not shutil.which("node"):
        pytest.skip("Node.js is needed to run the editor's header format")
    program = (f"const f = require({json.dumps(str(SCRIPT))}); const h = {json.dumps(core.header_description())};"
               f"process.stdout.write(JSON.stringify(f.fromFile({json.dumps(hand)}, h)));")
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"Title": "Hội nghị", "Date": "3/7/2024 08:30", "Unit": "ldld-tinh",
                                       "Campaigns": ["a", "b"], "Featured": True, "body": "Thân bài\n"}


def test_the_editors_nginx_snippet_carries_its_own_policy(capsys):
    from plugins.publishing import security

    security.main([str(bundle.ROOT / "pelicanconf.py"), "--editor"])
    editor = capsys.readouterr().out
    security.main([str(bundle.ROOT / "pelicanconf.py")])
    site = capsys.readouterr().out
    assert "'unsafe-eval'" in editor and "connect-src 'self' http://127.0.0.1:8081 blob:" in editor
    assert "'unsafe-eval'" not in site


def test_the_format_cuts_slugs_where_new_does():
    from plugins.tools.new import SLUG_MAX, short_slug

    assert core.SLUG_MAX == SLUG_MAX
    title = "Liên đoàn Lao động tỉnh tổ chức hội nghị tổng kết công tác chăm lo đời sống đoàn viên năm 2026 tại Đà Lạt"
    written = run_format({"long": {"Title": title, "Date": "1/11/2026 08:00", "Unit": "ldld-tinh", "body": ""}})
    assert f"\nSlug: {short_slug(title)}\n" in written["long"]


def test_the_local_editor_says_what_to_install_and_sets_every_variable_of_the_proxy(tmp_path):
    from plugins.cms.local import LocalError, proxy_environment, proxy_port, running_proxy

    with pytest.raises(LocalError, match="npm ci --ignore-scripts"):
        with running_proxy(tmp_path, 18081, "http://localhost:8000", node_root=tmp_path):
            pass
    with pytest.raises(LocalError, match="không có cổng"):
        proxy_port("http://127.0.0.1/api/v1")
    env = proxy_environment(tmp_path, 18081, "http://localhost:8000")
    assert {k: env[k] for k in ("PORT", "BIND_HOST", "MODE", "ORIGIN")} == {
        "PORT": "18081", "BIND_HOST": "127.0.0.1", "MODE": "fs", "ORIGIN": "http://localhost:8000"}
    assert env["GIT_REPO_DIRECTORY"] == str(tmp_path.resolve())


RECORDED = "articles/2024/le-phat-dong.md"
RECORDED_URL = "2024/05/le-phat-dong-thang-cong-nhan-nam-2024/"


def test_the_editor_is_given_the_articles_the_url_record_holds(site):
    from plugins.contract.urlrecord import blob_hash

    blob = blob_hash((site.content / RECORDED).read_bytes())
    site.write("urls.lock", f"{RECORDED_URL}\t{RECORDED}\t{blob}\n2024/05/cu/\t{RECORDED}\t{blob}\tchuyen-huong\n")
    site.build()
    folder = site.output / "quan-tri"
    script = (folder / core.RECORDED_FILE).read_text(encoding="utf-8")
    assert json.loads(script.split("=", 1)[1].rstrip(";\n")) == {"folder": "content", "urls": {RECORDED: RECORDED_URL}}
    assert site.html("/quan-tri/").find("script", src=f"/quan-tri/{core.RECORDED_FILE}") is not None
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    slug = {f["name"]: f for f in config["collections"][0]["fields"]}["Slug"]
    assert slug["widget"] == core.SLUG_WIDGET == core.header_description()["slugWidget"]


def test_the_slug_widget_pins_only_the_files_the_record_holds():
    if not shutil.which("node"):
        pytest.skip("Node.js is needed to run the editor's script")
    recorded = {"folder": "content", "urls": {RECORDED: RECORDED_URL}}
    paths = [f"content/{RECORDED}", RECORDED, "content/articles/2024/moi.md", "", None, "content/constructor"]
    program = textwrap.dedent(f"""
        const f = require({json.dumps(str(SCRIPT))});
        const r = {json.dumps(recorded)};
        globalThis.PORTAL_HEADER = {json.dumps(core.header_description(), ensure_ascii=False)};
        const title = {{Title: 'Tiêu đề mới', Date: '3/5/2024 08:30', Unit: 'ldld-tinh', Slug: '', body: ''}};
        const saved = [f.toFile(f.pinned(title, 'content/{RECORDED}', r)), f.toFile(f.pinned({{...title, Slug: 'x'}},
                       'content/{RECORDED}', r)), f.toFile(f.pinned(title, 'content/articles/2024/moi.md', r))];
        process.stdout.write(JSON.stringify({json.dumps(paths)}.map(p => f.recordedUrl(p, r))) + '\\n' +
                             f.pinnedNote(r.urls[{json.dumps(RECORDED)}]) + '\\n' + JSON.stringify(saved));
    """)
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    urls, note, saved = done.stdout.split("\n")
    assert json.loads(urls) == [RECORDED_URL, "", "", "", "", ""]
    assert note == f"Bài đã đăng tại /{RECORDED_URL}: địa chỉ không đổi được ở đây; muốn đổi, hỏi Ban Biên tập."
    # A recorded file without 'Slug' is saved without one (the record keeps its URL); a new one gets the title's.
    head = "Title: Tiêu đề mới\nDate: 3/5/2024 08:30\nUnit: ldld-tinh\n"
    assert json.loads(saved) == [head + "\n", head + "Slug: x\n\n", head + "Slug: tieu-de-moi\n\n"]


def test_the_large_script_is_committed_compressed_and_served_whole(tmp_path):
    from plugins.cms import bundle

    names = [bundle.served_name(p) for p in bundle.served_files()]
    assert "decap-cms.js" in names and not (bundle.BUNDLE_DIR / "decap-cms.js").exists()
    assert all(p.stat().st_size < 2_000_000 for p in bundle.served_files())  # no committed file of 2 MB or more
    main = bundle.BUNDLE_DIR / "decap-cms.js.gz"
    assert bundle.served_bytes(main).startswith(b"/*! For license information please see decap-cms.js.LICENSE.txt */")
    # Vendoring the same bytes twice gives the same committed file (no time stamp in the gzip header).
    data = bundle.served_bytes(main)
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        bundle._vendor(folder, "decap-cms.js", data)
    assert (tmp_path / "a" / "decap-cms.js.gz").read_bytes() == (tmp_path / "b" / "decap-cms.js.gz").read_bytes()
    assert bundle.served_bytes(tmp_path / "a" / "decap-cms.js.gz") == data
