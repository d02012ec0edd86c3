from plugins.contract.header import ARTICLE_KEYS, parse_source
from plugins.contract.markup import render
from plugins.contract.slugs import slugify


def test_header_keys_lines_and_body():
    raw = "Title: Tin A\nDate: 1/2/2024\nTags: a,\n    b\n\nThân bài\n".encode()
    source = parse_source(raw, "articles/a.md", ARTICLE_KEYS)
    assert source.get("Title") == "Tin A"
    assert source.line_of("Date") == 2
    assert source.get("Tags") == "a, b"
    assert source.body.strip() == "Thân bài"
    assert source.body_line == 5


def test_bom_crlf_and_decomposed_accents_are_normalised():
    decomposed = "Công đoàn".replace("ô", "o\u0302")
    raw = b"\xef\xbb\xbf" + f"Title: {decomposed}\r\nDate: 1/2/2024\r\n\r\nBody\r\n".encode()
    source = parse_source(raw, "a.md", ARTICLE_KEYS)
    assert source.get("Title") == "Công đoàn" and len(source.get("Title")) == 9
    assert source.line_of("Date") == 2 and "\r" not in source.body


def test_unknown_and_repeated_keys_are_errors_with_suggestions():
    raw = "Title: A\nUnti: x\nTitle: B\n\nbody".encode()
    source = parse_source(raw, "a.md", ARTICLE_KEYS)
    text = [str(p) for p in source.problems]
    assert any(t.startswith("a.md:2:") and "'Unti'" in t and "'Unit'" in t for t in text)
    assert any(t.startswith("a.md:3:") and "hai lần" in t for t in text)


def test_not_utf8_is_an_error():
    source = parse_source("Title: Tín\n".encode("latin-1"), "a.md", ARTICLE_KEYS)
    assert "UTF-8" in source.problems[0].message


def test_hostile_markup_is_sanitised():
    html = render(
        '<script>alert(1)</script>\n\n<p onclick="x()">a</p> [b](javascript:alert(1)) '
        '<iframe src="https://evil.example"></iframe> <img src="images/a.jpg" onerror="x()" alt="a">'
        '\n\n<a href="JaVaScRiPt:alert(1)">c</a> <style>body{}</style>',
        "articles/a.md", 5).html
    lowered = html.lower()
    for needle in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style"):
        assert needle not in lowered
    assert 'src="{static}/images/a.jpg"' in html


def test_titled_image_becomes_a_figure_and_paths_are_checked():
    rendered = render('Đoạn\n\n![Mô tả](images/a.jpg "Ảnh: A")\n\n![x](../../etc/passwd)\n', "articles/2024/a.md", 10)
    assert '<figure><img alt="Mô tả" src="{static}/images/a.jpg"><figcaption>Ảnh: A</figcaption></figure>' in rendered.html
    assert [r.value for r in rendered.references] == ["images/a.jpg"]
    assert rendered.problems[0].line == 14 and "ra ngoài" in rendered.problems[0].message
    assert rendered.problems[0].code == "E108"


def test_vietnamese_slugs():
    assert slugify("Công đoàn Đổi mới") == "cong-doan-doi-moi"
    assert slugify("  Tết Sum vầy 2025: “Xuân ấm”! ") == "tet-sum-vay-2025-xuan-am"


def test_lead_is_plain_text_of_the_first_paragraphs():
    from plugins.contract.markup import lead

    html = render('Đoạn **một** có [liên kết](https://a.vn).\n\n![Ảnh](images/a.jpg "Chú thích")\n\nĐoạn hai.', "a.md", 1).html
    assert lead(html, 40) == "<p>Đoạn một có liên kết. Đoạn hai.</p>"
    assert lead(html, 3) == "<p>Đoạn một có…</p>"
