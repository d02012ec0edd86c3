"""What a template can read: its source and that of every template it extends,
includes or imports, and the name chains it reads from its context
(``article.older.title``, ``portal.sections``, ``SITENAME``).

A page's key covers the values at the end of those chains and nothing else
of the context, so a page listing twelve articles does not depend on the
other twenty thousand. A chain stops at the first step that is not a plain
attribute or a constant index (``portal.by_unit[unit]`` reads all of
``portal.by_unit``); a template named by an expression makes the whole
context count. Pure code on Jinja's syntax tree.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, meta, nodes

_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
# A chain that reads the whole context: used when a template is chosen at render time.
EVERYTHING = ("*",)


@dataclass(frozen=True)
class Closure:
    """A template with everything it pulls in: one digest of all their sources, and the chains they read."""

    digest: bytes
    chains: tuple[tuple, ...]


def closure(env: Environment, name: str, known: dict | None = None) -> Closure:
    """``known``: what earlier builds found in each source, by its SHA-256 (parsing is the slow part)."""
    known = {} if known is None else known
    digest, chains, seen, stack = hashlib.sha256(), set(), set(), [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        digest.update(current.encode() + b"\0" + source.encode() + b"\0")
        source_key = hashlib.sha256(source.encode()).hexdigest()
        if source_key not in known:
            known[source_key] = analyse(env, source)
        references, found = known[source_key]
        stack.extend(references)
        chains |= found
    return Closure(digest.digest(), tuple(sorted(chains, key=repr)))


def analyse(env: Environment, source: str) -> tuple[list[str], set[tuple]]:
    """The templates one source names, and the chains it reads (the whole context if it names a template at render time)."""
    tree = env.parse(source)
    references, chains = [], read_chains(tree)
    for node in tree.find_all(_REFERENCES):
        names = _constant_names(node.template)
        if names is None:
            chains.add(EVERYTHING)
        references.extend(names or ())
    return references, chains


def _constant_names(node: nodes.Node) -> list[str] | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (nodes.Tuple, nodes.List)):
        names = [_constant_names(item) for item in node.items]
        return None if any(n is None for n in names) else [n for found in names for n in found]
    return None


def read_chains(tree: nodes.Template) -> set[tuple]:
    """The longest name chain at each place the template reads a name it does not set itself."""
    free = meta.find_undeclared_variables(tree)
    found: set[tuple] = set()
    stack: list[tuple[nodes.Node, bool]] = [(tree, False)]
    while stack:
        node, extended = stack.pop()
        chain = _chain(node)
        if chain is not None and not extended and chain[0] in free:
            found.add(chain)
        for child in node.iter_child_nodes():
            stack.append((child, chain is not None and child is getattr(node, "node", None)
                          and isinstance(node, (nodes.Getattr, nodes.Getitem))))
    return found


def _chain(node: nodes.Node) -> tuple | None:
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        inner = _chain(node.node)
        return None if inner is None else inner + (node.attr,)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
        inner = _chain(node.node)
        return None if inner is None else inner + (node.arg.value,)
    return None


def load_known(path) -> dict:
    """What earlier builds found in template sources; empty when the file is missing or damaged."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {key: ([str(n) for n in refs], {tuple(chain) for chain in chains}) for key, (refs, chains) in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_known(path, known: dict) -> None:
    path = Path(path)
    data = {key: [refs, sorted([list(c) for c in chains], key=repr)] for key, (refs, chains) in sorted(known.items())}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)
