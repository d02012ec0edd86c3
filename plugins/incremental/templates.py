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
from dataclasses import dataclass

from jinja2 import Environment, meta, nodes

_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
# A chain that reads the whole context: used when a template is chosen at render time.
EVERYTHING = ("*",)


@dataclass(frozen=True)
class Closure:
    """A template with everything it pulls in: one digest of all their sources, and the chains they read."""

    digest: bytes
    chains: tuple[tuple, ...]


def closure(env: Environment, name: str) -> Closure:
    digest, chains, seen, stack = hashlib.sha256(), set(), set(), [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        digest.update(current.encode() + b"\0" + source.encode() + b"\0")
        tree = env.parse(source)
        for node in tree.find_all(_REFERENCES):
            names = _constant_names(node.template)
            if names is None:
                chains.add(EVERYTHING)
            stack.extend(names or ())
        chains |= read_chains(tree)
    return Closure(digest.digest(), tuple(sorted(chains, key=repr)))


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
