"""The key of a page: the build's salt (code, library versions, settings),
the sources of its template closure, its path, and the values at the end of
every name chain the closure reads from the page's context. Pure code over
Jinja and the fingerprints; Pelican's own types are described by the caller.
"""

from __future__ import annotations

import hashlib
from typing import Any, Mapping

from jinja2 import Environment, Undefined

from .fingerprint import Fingerprints
from .templates import EVERYTHING, Closure, closure

_MISSING = b"\x00missing"


class PageKeys:
    def __init__(self, salt: bytes, fingerprints: Fingerprints, known_templates: dict | None = None):
        self.salt = salt
        # What each template source reads, by its SHA-256 (plugins.incremental.templates.analyse).
        self.known_templates = {} if known_templates is None else known_templates
        self.fingerprints = fingerprints
        self._closures: dict[tuple[int, str], Closure] = {}
        # Values read from the context every page shares, by chain and by the identity of its root.
        self._shared: dict[tuple, bytes] = {}
        self._roots: list = []

    def closure(self, env: Environment, name: str) -> Closure:
        found = self._closures.get((id(env), name))
        if found is None:
            found = self._closures[(id(env), name)] = closure(env, name, self.known_templates)
        return found

    def key(self, template, context: Mapping[str, Any], name: str, own: frozenset = frozenset()) -> str:
        """``own``: the names given for this page alone (its article, its page of a list…); every
        other name is the build's shared context, whose values are read once per build."""
        env = template.environment
        found = self.closure(env, template.name)
        digest = hashlib.sha256(self.salt)
        digest.update(found.digest)
        digest.update(name.encode("utf-8") + b"\0")
        chains = found.chains
        if EVERYTHING in chains:
            chains = tuple((k,) for k in sorted(context))
        for chain in chains:
            digest.update(repr(chain).encode("utf-8"))
            root = chain[0]
            if root in own or root not in context:
                digest.update(self._own_value(env, context, chain))
                continue
            memo = (chain, id(context[root]))
            value = self._shared.get(memo)
            if value is None:
                value = self._shared[memo] = self._value(env, context, chain)
                self._roots.append(context[root])  # kept alive, so its identity is never reused
            digest.update(value)
        return digest.hexdigest()

    def _own_value(self, env: Environment, context: Mapping[str, Any], chain: tuple) -> bytes:
        """A chain from the page's own content item: its digest covers every attribute it holds,
        so only a step into another item (``article.older.title``) is followed."""
        subject = context.get(chain[0])
        if len(chain) < 2 or not self.fingerprints.is_content(subject) or not isinstance(chain[1], str):
            return self._value(env, context, chain)
        step = env.getattr(subject, chain[1])
        if self.fingerprints.is_content(step) or (isinstance(step, (list, tuple)) and any(map(self.fingerprints.is_content, step))):
            return self._value(env, context, chain)
        return b"own" + self.fingerprints.encode(subject)

    def _value(self, env: Environment, context: Mapping[str, Any], chain: tuple) -> bytes:
        if chain[0] not in context:
            return _MISSING
        value = context[chain[0]]
        for step in chain[1:]:
            value = env.getattr(value, step) if isinstance(step, str) else env.getitem(value, step)
            if isinstance(value, Undefined):
                return _MISSING
        return self.fingerprints.encode(value)
