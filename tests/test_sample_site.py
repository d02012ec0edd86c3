"""The bundled sample portal builds cleanly and covers what the product is for."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import NOW, ROOT, SETTINGS, epoch
from plugins.publishing.build import build

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = tmp_path_factory.mktemp("sample") / "output"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", epoch(NOW))
        built = build(CONTENT, output, SETTINGS, {"CACHE_PATH": str(output.parent / "cache")})
    return output, built


def article_urls(output: Path) -> set[str]:
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    return set(re.findall(r"<loc>(/\d{4}/\d{2}/[^<]+/)</loc>", sitemap))


def test_sample_is_large_and_varied(sample):
    output, st = sample
    urls = article_urls(output)
    assert len(urls) >= 80
    assert len({u.split("/")[1] for u in urls}) >= 3
    kinds = [u.kind for u in st.registry.units.values()]
    assert kinds.count("cap-tren") >= 8 and kinds.count("co-so") >= 3 and "ban" in kinds
    assert len(st.registry.campaigns) >= 4
    assert any(u.active_until for u in st.registry.units.values())
    assert [p for p in st.problems if p.severity == "error"] == []


def test_every_sample_file_is_published_drafted_or_scheduled(sample):
    output, st = sample
    sources = {p.relative_to(CONTENT).as_posix() for p in (CONTENT / "articles").rglob("*.md")}
    assert len(sources) >= 80, f"no sample articles found under {CONTENT / 'articles'}"
    held = {a.relative_source_path for a in st.drafts + st.scheduled}
    published = len(sources) - len(held)
    assert published == len(article_urls(output))
    assert st.drafts and st.scheduled


def test_sample_is_marked_as_sample_and_has_the_static_pages(sample):
    output, _ = sample
    home = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Dữ liệu mẫu" in home.get_text()
    for slug in ("gioi-thieu", "lien-he", "huong-dan-gui-tin-bai"):
        assert (output / slug / "index.html").is_file()
        assert f"/{slug}/" in [a.get("href") for a in home.select("footer a")]


def test_sample_images_exist(sample):
    output, _ = sample
    pages = list(output.glob("20*/*/*/index.html"))
    assert len(pages) == len(article_urls(output)) >= 80
    missing, local = set(), 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("img"):
            if img["src"].startswith("/"):
                local += 1
            if img["src"].startswith("/") and not (output / img["src"].lstrip("/")).is_file():
                missing.add(img["src"])
    assert local >= len(pages) // 2, f"only {local} local images in {len(pages)} article pages"
    assert missing == set()


def test_sample_models_the_2025_reform_and_other_channels(sample):
    output, st = sample
    units = st.registry.units
    moved = [u for u in units.values() if len({s.parent_id for s in u.stretches}) > 1]
    assert moved and any(u.successor for u in units.values()) and any(u.renamed for u in units.values())
    assert any(u.active_until and not u.successor and u.former_children for u in units.values())
    assert len({i.unit_id for i in st.channels.items}) >= 3 and len({i.channel_id for i in st.channels.items}) >= 3
    page = BeautifulSoup((output / "thong-ke/2025/index.html").read_text(encoding="utf-8"), "html.parser")
    year = page.select_one("#ky-2025").find_parent("section")
    headings = [th.get_text(strip=True) for th in year.select("thead th")]
    titles = [abbr["title"] for abbr in year.select("thead th abbr")]
    for channel in st.channels.channels.values():
        assert channel.label in headings and (channel.label == channel.name or channel.name in titles)
    assert "Trang CĐVN" in headings
    notes = year.get_text(" ", strip=True)
    assert "chuyển về" in notes and "sáp nhập vào" in notes and "đổi tên từ" in notes
    assert page.select_one("#trang-quoc-gia") and page.select_one("#chuyen-doi-so")
