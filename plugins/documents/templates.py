"""Texts of a document the board edits: a YAML file of the content folder mapping each text's
name to its wording, with blanks (``{{ ky }}``) the program fills in.

Every editor can commit that file, so it is treated as hostile. The wording is a Jinja
template rendered in a sandbox (``SandboxedEnvironment``: no attribute access to Python's
internals), with no loader (nothing is included or imported, no file is read), no globals
(no ``range``), no extensions, and undefined blanks raising. On top, only the grammar of a
fill-in sentence is accepted: blanks, ``{% if %}``/``{% elif %}``/``{% else %}``,
comparisons, ``and``/``or``/``not``, ``+``/``-``/``~`` and a few text filters. Every blank
is a single value (a name, a number), so loops, ``set``, macros and blocks have no use here,
and they are the only ways to make a short text grow without bound (``{% for %}`` over a
huge range, a ``set`` doubled thirty times, ``'x' * 10**9``); refusing them at parse time,
with the line, tells the editor what to write instead, where a limit would only cut the
text. The rendered text is still capped in length.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from plugins.contract.problems import Problem, suggest
from plugins.contract.registry_yaml import YamlList, YamlMap, kind_of, read_yaml, shown

from .core import cell_text

logger = logging.getLogger(__name__)

MAX_SOURCE = 10_000
MAX_OUTPUT = 20_000
FILTERS = ("capitalize", "default", "lower", "title", "trim", "upper")
_EXPRESSIONS = (nodes.TemplateData, nodes.Name, nodes.Const, nodes.CondExpr, nodes.Compare, nodes.Operand, nodes.And, nodes.Or,
                nodes.Not, nodes.Neg, nodes.Pos, nodes.Add, nodes.Sub, nodes.Concat, nodes.Filter)
_STATEMENTS = (nodes.Template, nodes.Output, nodes.If)
# The words editors know a refused statement by.
_STATEMENT_WORDS = MappingProxyType({
    nodes.For: "for", nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
    nodes.Extends: "extends", nodes.Macro: "macro", nodes.CallBlock: "call", nodes.FilterBlock: "filter",
    nodes.Block: "block", nodes.Assign: "set", nodes.AssignBlock: "set", nodes.With: "with",
})
_EXPRESSION_WORDS = MappingProxyType({
    nodes.Getattr: "dấu chấm sau tên (thuộc tính)", nodes.Getitem: "dấu [ ] sau tên", nodes.Call: "lời gọi hàm ( )",
    nodes.Mul: "phép nhân", nodes.Pow: "phép lũy thừa", nodes.Div: "phép chia", nodes.FloorDiv: "phép chia",
    nodes.Mod: "phép chia lấy dư", nodes.List: "danh sách [ ]", nodes.Tuple: "nhóm ( , )", nodes.Dict: "nhóm { }",
    nodes.Test: "phép thử 'is'", nodes.Slice: "dấu [ : ]",
})
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")


@dataclass(frozen=True)
class Template:
    """One text, ready to render: the board's (with the bundled default as ``fallback``) or the default."""

    name: str
    source: str
    label: str  # the file the text came from, as editors see it; "" for a bundled default
    line: int
    compiled: jinja2.Template = field(compare=False, repr=False)
    fallback: Template | None = field(default=None, compare=False, repr=False)

    @property
    def is_default(self) -> bool:
        return self.fallback is None


class _Refusing(jinja2.BaseLoader):
    """A loader with no templates: ``include``, ``import`` and ``extends`` find nothing."""

    def get_source(self, environment, template):
        raise jinja2.TemplateNotFound(template)


def _shown_value(value: Any) -> Any:
    """What ``{{ … }}`` prints: whole numbers "1.234", decimals "85,5", texts as they are."""
    return cell_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, loader=_Refusing(), extensions=(),
                               finalize=_shown_value, trim_blocks=True, lstrip_blocks=True)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {}
    return env


@dataclass
class _Reader:
    """Compiles texts of one file, collecting the problems with their lines."""

    env: SandboxedEnvironment
    label: str
    allowed: Mapping[str, set[str]]
    problems: list[Problem] = field(default_factory=list)

    def compile(self, name: str, source: str, line: int) -> jinja2.Template | None:
        if len(source) > MAX_SOURCE:
            self.problems.append(Problem(self.label, line, f"văn bản '{name}' quá dài (hơn {MAX_SOURCE} ký tự); "
                                         "hãy rút gọn, mỗi văn bản mẫu chỉ vài đoạn", code="E709"))
            return None
        try:
            return self._compile(name, source, line)
        except TemplateSyntaxError as exc:
            self.problems.append(Problem(self.label, line + (exc.lineno or 1) - 1,
                                         f"lỗi cú pháp trong văn bản '{name}' ({shown(exc.message or '', 80)}); "
                                         "hãy kiểm tra các cặp {{ }} và {% %}, mỗi {% if %} cần một {% endif %}",
                                         code="E704"))
        except (RecursionError, ValueError, OverflowError):
            # Thousands of nested brackets or a number of thousands of digits: the parser gives up.
            self.problems.append(Problem(self.label, line, f"văn bản '{name}' có ngoặc lồng nhau quá sâu hoặc một số "
                                         "quá dài; hãy viết lại cho đơn giản", code="E713"))
        return None

    def _compile(self, name: str, source: str, line: int) -> jinja2.Template | None:
        tree = self.env.parse(source)
        before = len(self.problems)
        self._walk(name, tree, line)
        if len(self.problems) == before:  # only known filters left, so jinja2.meta can read the tree
            self._blanks(name, tree, line)
        if len(self.problems) > before:
            return None
        return self.env.from_string(tree)

    def _blanks(self, name: str, tree: nodes.Template, line: int) -> None:
        """Blanks the text may not use, each at the line it is first written."""
        names = sorted(self.allowed.get(name, set()))
        listed = ", ".join(names) if names else "(văn bản này không có chỗ trống nào)"
        first = {}
        for node in tree.find_all(nodes.Name):
            first.setdefault(node.name, line + (node.lineno or 1) - 1)
        for blank in sorted(meta.find_undeclared_variables(tree) - set(names)):
            self.problems.append(Problem(self.label, first.get(blank, line), f"văn bản '{name}' có chỗ trống "
                                         f"'{shown(blank, 40)}' không có sẵn; các chỗ trống dùng được: {listed}."
                                         f"{suggest(blank, names)}", code="E705"))

    def _walk(self, name: str, node: nodes.Node, line: int) -> None:
        at = line + (getattr(node, "lineno", 1) or 1) - 1
        kind = type(node)
        if isinstance(node, nodes.Stmt) and not isinstance(node, _STATEMENTS):
            word = _STATEMENT_WORDS.get(kind, kind.__name__.lower())
            self.problems.append(Problem(self.label, at, f"văn bản '{name}' dùng lệnh {{% {word} %}}, lệnh này không "
                                         "được dùng trong văn bản mẫu; chỉ viết chỗ trống {{ tên }} và "
                                         "{% if … %} … {% else %} … {% endif %}", code="E706"))
            return
        if isinstance(node, nodes.Expr) and not isinstance(node, _EXPRESSIONS):
            what = _EXPRESSION_WORDS.get(kind, "cách viết này")
            self.problems.append(Problem(self.label, at, f"văn bản '{name}' dùng {what} trong chỗ trống, điều này "
                                         "không được phép; chỉ viết tên chỗ trống (ví dụ {{ ky }}), phép so sánh, "
                                         "dấu + - ~ và bộ lọc", code="E707"))
            return
        if isinstance(node, nodes.Filter) and (node.name not in FILTERS or node.kwargs or node.dyn_args
                                               or node.dyn_kwargs
                                               or not all(isinstance(a, nodes.Const) for a in node.args)):
            self.problems.append(Problem(self.label, at, f"văn bản '{name}' dùng bộ lọc '|{shown(node.name, 40)}' "
                                         f"không được phép (hoặc với đối số không phải chữ, số); các bộ lọc dùng "
                                         f"được: {', '.join(FILTERS)}", code="E708"))
            return
        for child in node.iter_child_nodes():
            self._walk(name, child, line)


def compile_defaults(names: Mapping[str, str], allowed: Mapping[str, set[str]]) -> dict[str, Template]:
    """The bundled texts; a problem in them is the program's, so it raises."""
    reader = _Reader(environment(), "", allowed)
    texts = {}
    for name, source in names.items():
        compiled = reader.compile(name, source, 1)
        if compiled is None:
            raise ValueError(f"the default text {name!r} is not valid: {[str(p) for p in reader.problems]}")
        texts[name] = Template(name, source, "", 1, compiled)
    return texts


def load_texts(path: Path, names: Mapping[str, str], allowed: Mapping[str, set[str]], label: str | None = None,
               root: Path | None = None) -> tuple[dict[str, Template], list[Problem]]:
    """The texts ``names`` (name → bundled default) with the board's wording from ``path`` where it
    has one, and every problem of that file. Blanks of each text must be in ``allowed[name]``
    (``jinja2.meta`` finds them; the walk gives their line). A missing file means the defaults."""
    defaults = compile_defaults(names, allowed)
    label = label or path.name
    path = Path(path)
    if not (path.exists() or path.is_symlink()):
        return defaults, []
    if root is not None and not path.resolve().is_relative_to(Path(root).resolve()):
        return defaults, [Problem(label, 1, "tệp mẫu văn bản nằm ngoài thư mục nội dung (tệp hoặc thư mục chứa "
                                            "nó là một liên kết tượng trưng); hãy thay bằng thư mục và tệp thật", code="E712")]
    data, problems, readable = read_yaml(path, label)
    if not readable or data is None:
        return defaults, problems
    if not isinstance(data, YamlMap):
        problems.append(Problem(label, getattr(data, "line", 1), f"tệp mẫu văn bản phải là các dòng 'tên: nội dung', "
                                f"không phải {kind_of(data)}; hãy viết mỗi văn bản trên một dòng, ví dụ "
                                "mo_dau: Nội dung đoạn mở đầu", code="E701"))
        return defaults, problems
    reader = _Reader(environment(), label, allowed)
    lines = _source_lines(path)
    texts = dict(defaults)
    for key, value in data.items():
        key_line = data.line_of(key)
        if key not in names:
            known = sorted(names)
            reader.problems.append(Problem(label, key_line, f"không có văn bản nào tên '{shown(key, 40)}'; các tên "
                                           f"dùng được: {', '.join(known)}.{suggest(str(key), known)}",
                                           code="E702"))
            continue
        source = _text_of(key, value, key_line, label, reader.problems)
        if source is None:
            continue
        start = key_line + 1 if _BLOCK_SCALAR.search(lines[key_line - 1] if key_line <= len(lines) else "") else key_line
        compiled = reader.compile(key, source, start)
        if compiled is not None:
            texts[key] = Template(key, source, label, start, compiled, defaults[key])
    return texts, problems + reader.problems


def _text_of(key: str, value: Any, line: int, label: str, problems: list[Problem]) -> str | None:
    """A text's wording: a text, a number, nothing (an empty text) or a list of texts (one line each)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    items = list(zip(value, value.item_lines)) if isinstance(value, YamlList) else [(value, line)]
    wrong = [(item, at) for item, at in items if not isinstance(item, (str, int, float)) or isinstance(item, bool)]
    for item, at in wrong:
        problems.append(Problem(label, at, f"'{shown(key, 40)}' phải là một đoạn chữ (hoặc danh sách các dòng chữ), "
                                f"không phải {kind_of(item)}; hãy viết nội dung sau dấu ':'", code="E703"))
    if wrong:
        return None
    return "\n".join(str(item) for item, _ in items)


def _source_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n").split("\n")
    except OSError:
        return []


def render(template: Template, values: Mapping[str, object], problems: list[Problem] | None = None) -> str:
    """The text with its blanks filled. Never raises for the board's wording: when it cannot be
    rendered (a blank of the wrong kind in a comparison, a text grown too long), the bundled
    default is used and the reason goes into ``problems`` (or the log, without a list)."""
    try:
        text = template.compiled.render(dict(values))
        if len(text) <= MAX_OUTPUT:
            return text
        problem = Problem(template.label, template.line, f"văn bản '{template.name}' dài hơn {MAX_OUTPUT} ký tự khi "
                          "đã điền chỗ trống; hãy rút gọn văn bản", code="E711")
    except Exception as exc:  # noqa: BLE001 - whatever the board's wording does, the document is still made
        if template.fallback is None:
            raise
        problem = Problem(template.label, template.line, f"không điền được văn bản '{template.name}' "
                          f"({shown(str(exc), 80)}); văn bản mặc định được dùng thay; hãy sửa văn bản mẫu, "
                          "ví dụ đừng cộng, trừ hay so sánh chữ với số", code="E710")
    if template.fallback is None:
        raise ValueError(str(problem))
    if problems is None:
        logger.warning("%s", problem)
    else:
        problems.append(problem)
    return render(template.fallback, values, problems)
