"""clean_controls: the one rule for invisible control characters, shared by articles and registries."""

import pytest
from hypothesis import given, settings, strategies as st

from plugins.contract.text import clean_controls


def test_text_without_controls_is_returned_as_is():
    text = "Công đoàn\tcơ sở\n“Tết Sum vầy” – 2024 ☺ 𝐀\n"
    assert clean_controls(text, vertical_tab="\n") == (text, [])


def test_vertical_tab_is_replaced_and_other_controls_removed_with_their_original_lines():
    text = "a\x0bb\nc\x01d\x7f\n\x85e\x9f\ufffe\uffff\n\x00\x1b\x1f"
    assert clean_controls(text, vertical_tab="\n") == ("a\nb\ncd\ne\n", [
        (1, "U+000B"), (2, "U+0001"), (2, "U+007F"), (3, "U+0085"), (3, "U+009F"), (3, "U+FFFE"), (3, "U+FFFF"),
        (4, "U+0000"), (4, "U+001B"), (4, "U+001F"),
    ])
    assert clean_controls("a\x0bb\x0b\nc\x0b", vertical_tab="") == ("ab\nc", [(1, "U+000B"), (1, "U+000B"), (2, "U+000B")])


def test_lines_are_counted_in_the_original_even_after_vertical_tabs_became_line_breaks():
    cleaned, found = clean_controls("\x0b\x0b\x0b\nx\x01", vertical_tab="\n")
    assert cleaned == "\n\n\n\nx" and found[-1] == (2, "U+0001")


def test_lone_surrogates_are_removed():
    assert clean_controls("a\ud800b\udfffc", vertical_tab="") == ("abc", [(1, "U+D800"), (1, "U+DFFF")])


@pytest.mark.parametrize("char", ["\t", "\n", " ", "\xa0", "\u00c0", "\u2028", "\ufeff", "\ufffd", "\U0001f600"])
def test_printable_and_kept_characters_stay(char):
    assert clean_controls(f"x{char}y", vertical_tab="") == (f"x{char}y", [])


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=60))
def test_nothing_unwanted_is_left_and_everything_else_is_kept(text):
    cleaned, found = clean_controls(text, vertical_tab="")
    unwanted = [c for c in text if _unwanted(c)]
    assert [code for _, code in found] == [f"U+{ord(c):04X}" for c in unwanted]
    assert cleaned == "".join(c for c in text if not _unwanted(c))
    assert all(1 <= line <= text.count("\n") + 1 for line, _ in found)


def _unwanted(c: str) -> bool:
    n = ord(c)
    return (n < 0x20 and c not in "\t\n") or 0x7F <= n <= 0x9F or n in (0xFFFE, 0xFFFF) or 0xD800 <= n <= 0xDFFF
