"""The one schema of header keys: the reader, `invoke check` and `invoke new` follow it."""

from __future__ import annotations

from support import NOW
from plugins.contract import header, schema
from plugins.tools.check import check
from plugins.tools.new import plan


def test_the_reader_takes_exactly_the_schema_keys():
    assert header.ARTICLE_KEYS == schema.names(schema.ARTICLE)
    assert header.PAGE_KEYS == schema.names(schema.PAGE)
    source = header.parse_source(b"Titel: x\n\nbody\n", "articles/a.md", header.ARTICLE_KEYS)
    assert ", ".join(schema.names(schema.ARTICLE)) in source.problems[0].message


def test_every_required_key_is_asked_for_by_check(site):
    site.article("2024/thieu.md", {"Author": "Nguyễn Văn A"})
    found = [p for p in check(site.content, NOW).problems if p.path == "articles/2024/thieu.md"]
    required = [key.name for key in schema.ARTICLE if key.required]
    assert required == ["Title", "Date", "Unit"]
    for name in required:
        assert any(f"thiếu '{name}'" in p.message for p in found), (name, found)


def test_new_writes_the_template_keys_in_order(site):
    made = plan(site.content, "cd-giao-duc", "Tin mới", NOW)
    written = [line.split(":")[0] for line in made.text.split("\n\n")[0].splitlines()]
    assert written == list(schema.names(schema.NEW_ARTICLE))


def test_aliases_are_read_as_their_key():
    keys = (schema.Key("Title", schema.KeyType.TEXT, "tiêu đề", aliases=("TieuDe",)),)
    assert schema.by_written_name(keys) == {"title": "Title", "tieude": "Title"}


def test_every_key_has_a_vietnamese_help_text():
    keys = set(schema.ARTICLE) | set(schema.PAGE)
    assert len(keys) >= 10, keys
    for key in keys:
        assert key.help and key.help[0].islower(), key.name
        assert key.is_list == (key.separator == ",")
