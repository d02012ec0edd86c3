"""Text pasted from Word, read as the editor sees it.

Markdown joins lines that are not separated by a blank line into one
paragraph, and knows lists only by ``-`` and ``1.``; text pasted from a word
processor has one line per paragraph and lists marked ``•``, ``▪`` or ``1)``.
Left alone, that text is published as one run-on paragraph. So, before
Markdown reads the body (outside code blocks, quotes, tables and HTML):

- a line that ends a sentence (``. ! ? : …``) followed by a line starting with
  a capital letter starts a new paragraph;
- any other single newline inside a paragraph is kept as a line break;
- lines marked ``•``, ``●``, ``▪``, ``■``, ``◦``, ``►`` (or two or more lines
  marked ``–``/``—``) become a bulleted list, ``1)`` lines a numbered list,
  and a list written right under a paragraph is separated from it;
- a line holding only a photo becomes a paragraph of its own.

``a)``, ``b)`` points keep their letters as written, one per line: in
Vietnamese documents the letter is how a point is cited.
Each change is a :class:`Note`, turned into a warning by the renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.preprocessors import Preprocessor

PARAGRAPHS, BREAKS, BULLETS, NUMBERS, LIST_AFTER_TEXT = "paragraphs", "breaks", "bullets", "numbers", "list-after-text"

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}\.)\s+\S")
_SYMBOL_BULLET = re.compile(r"^\s{0,3}([•●▪■◦►▸])\s*(?P<text>\S.*)$")
_DASH_BULLET = re.compile(r"^\s{0,3}([–—])\s+(?P<text>\S.*)$")
_NUMBER = re.compile(r"^\s{0,3}(?P<number>\d{1,3})\)\s+(?P<text>\S.*)$")
_IMAGE_ONLY = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
# Lines that are Markdown's own blocks (headings, quotes, tables, HTML, rules, code,
# reference and footnote definitions, definition lists, setext underlines).
_BLOCK = re.compile(r"^(?:\s{0,3}(?:#|>|\||<|\[[^\]]*\]:|:\s|={2,}\s*$|-{2,}\s*$|\*{3,}\s*$|_{3,}\s*$)|\s{4,}|\t)")
_SENTENCE_END = re.compile(r"[.!?:…][\"”’)»\]*_]*\s*$")
_HARD_BREAK = re.compile(r"(?: {2,}|\\|<br\s*/?>)$", re.I)
_OPENING = "\"“‘'(«[*_"


@dataclass(frozen=True)
class Note:
    """One change made to what the editor wrote, at ``index`` (0-based line of the body)."""

    index: int
    kind: str
    count: int = 1
    marker: str = ""


@dataclass
class _State:
    lines: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # Kind of the previous line: "blank", "text", "item", "pasted-item", "image", "other".
    previous: str = "blank"
    # The paragraph being read: its first line, how many paragraphs and breaks it was given.
    start: int = -1
    splits: int = 0
    breaks: int = -1


def normalise(lines: list[str]) -> tuple[list[str], list[Note]]:
    """``lines`` as Markdown should read them, and what was changed."""
    state = _State()
    pasted = _pasted_items(lines)
    fence = ""
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence or opened:
            _end_paragraph(state)
            if fence and opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            elif not fence:
                fence = opened.group(1)
            state.lines.append(line)
            state.previous = "other"
            continue
        _take(state, index, line, pasted.get(index))
    _end_paragraph(state)
    return state.lines, sorted(state.notes, key=lambda n: n.index)


def _pasted_items(lines: list[str]) -> dict[int, tuple[str, str]]:
    """Line index to (Markdown item, marker written) of every pasted list line."""
    found: dict[int, tuple[str, str]] = {}
    dashes: list[tuple[int, str]] = []
    for index, line in enumerate(lines + [""]):
        dash = _DASH_BULLET.match(line)
        if dash:
            dashes.append((index, f"- {dash.group('text')}"))
            continue
        if len(dashes) >= 2:
            found.update({i: (item, "–") for i, item in dashes})
        dashes = []
        symbol = _SYMBOL_BULLET.match(line)
        number = _NUMBER.match(line)
        if symbol:
            found[index] = (f"- {symbol.group('text')}", symbol.group(1))
        elif number:
            found[index] = (f"{number.group('number')}. {number.group('text')}", f"{number.group('number')})")
    return found


def _take(state: _State, index: int, line: str, pasted: tuple[str, str] | None) -> None:
    if not line.strip():
        _end_paragraph(state)
        state.lines.append(line)
        state.previous = "blank"
        return
    if pasted is not None:
        item, marker = pasted
        if state.previous not in ("blank", "item", "pasted-item"):
            _blank(state)
        if state.previous != "pasted-item":
            state.notes.append(Note(index, NUMBERS if marker[0].isdigit() else BULLETS, marker=marker))
        state.lines.append(item)
        state.previous = "pasted-item"
        return
    if _MD_ITEM.match(line):
        if state.previous in ("text", "image"):
            _blank(state)
            state.notes.append(Note(index, LIST_AFTER_TEXT))
        state.lines.append(line)
        state.previous = "item"
        return
    if _BLOCK.match(line):
        _end_paragraph(state)
        state.lines.append(line)
        state.previous = "other"
        return
    _text(state, index, line)


def _text(state: _State, index: int, line: str) -> None:
    if state.previous == "item" or line[:1].isspace():
        # A list item's lazy continuation, or an indented line (inside a list item): Markdown's own.
        _end_paragraph(state)
        state.lines.append(line)
        state.previous = "item" if state.previous == "item" else "other"
        return
    image = bool(_IMAGE_ONLY.match(line))
    kind = "image" if image else "text"
    continuing = state.previous in ("text", "image")
    if state.previous == "pasted-item":
        _blank(state)
    elif continuing:
        before = state.lines[-1]
        if image or state.previous == "image" or _starts_paragraph(before, line):
            _blank(state)
            state.splits += 1
        elif not _HARD_BREAK.search(before):
            state.lines[-1] = before.rstrip() + "  "
            state.breaks = index - 1 if state.breaks < 0 else state.breaks
    if not continuing:
        _end_paragraph(state)
        state.start = index
    state.lines.append(line)
    state.previous = kind


def _starts_paragraph(before: str, line: str) -> bool:
    first = line.lstrip().lstrip(_OPENING)[:1]
    return bool(_SENTENCE_END.search(before)) and first.isalpha() and first.isupper()


def _blank(state: _State) -> None:
    state.lines.append("")
    state.previous = "blank"


def _end_paragraph(state: _State) -> None:
    if state.start >= 0 and state.splits:
        state.notes.append(Note(state.start, PARAGRAPHS, state.splits + 1))
    if state.breaks >= 0:
        state.notes.append(Note(state.breaks, BREAKS))
    state.start, state.splits, state.breaks = -1, 0, -1


class PastedText(Preprocessor):
    """The Markdown stage of :func:`normalise`; its notes are read after ``convert``."""

    def __init__(self, md=None):
        super().__init__(md)
        self.notes: list[Note] = []

    def run(self, lines: list[str]) -> list[str]:
        lines, self.notes = normalise(lines)
        return lines
