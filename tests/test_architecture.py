"""The shape of the code: no build state in module globals, imports only downward.

A module global that can change carries one build into the next (tests, a
long-lived preview) and is lost in a worker process; everything a build learns
lives in its build object (``plugins.contract.build.PortalBuild``).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import enum
import importlib
import logging
import pkgutil
import re
import types
import typing
from pathlib import Path, PurePath

import pytest

import plugins

PLUGINS = Path(plugins.__file__).parent
MODULES = sorted(info.name for info in pkgutil.walk_packages(plugins.__path__, "plugins."))

# Globals that may change, each with the reason it is not build state.
ALLOWED = {
    ("plugins.images.work", "_fonts"): "fonts loaded once per worker process; the same files every build",
    ("plugins.images.work", "_logos"): "the logo loaded once per worker process, keyed by its path",
    ("plugins.images.core", "SRGB"): "the sRGB colour profile, built once and only read",
}

_IMMUTABLE = (type(None), bool, int, float, complex, str, bytes, range, frozenset, re.Pattern, enum.Enum,
              dt.date, dt.time, dt.timedelta, dt.tzinfo, PurePath, typing.TypeVar)
_DEFINITIONS = (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType, types.GenericAlias,
                types.UnionType, logging.Logger, typing.TypeVar)
_ALL_CAPS = re.compile(r"_?[A-Z][A-Z0-9_]*$")


def immutable(value) -> bool:
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        return True  # code; as a field of a frozen object or an item of a tuple, it does not change
    if isinstance(value, tuple):
        return all(immutable(v) for v in value)
    if isinstance(value, types.MappingProxyType):
        return all(immutable(k) and immutable(v) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value.__dataclass_params__.frozen and all(immutable(getattr(value, f.name))
                                                         for f in dataclasses.fields(value))
    return isinstance(value, _IMMUTABLE)


def definition(value) -> bool:
    """Functions, classes, modules, type aliases and loggers: code, not state."""
    return isinstance(value, _DEFINITIONS) or typing.get_origin(value) is not None


def assigned_names(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return names


@pytest.mark.parametrize("name", MODULES)
def test_no_module_holds_build_state(name):
    module = importlib.import_module(name)
    wrong = []
    for global_name in assigned_names(Path(module.__file__)):
        value = getattr(module, global_name)
        if (name, global_name) in ALLOWED or definition(value) or global_name == "__all__" and immutable(value):
            continue
        if not (_ALL_CAPS.match(global_name) and immutable(value)):
            wrong.append(f"{global_name} ({type(value).__name__})")
    assert not wrong, (f"{name}: module globals that can change or are not constants: {wrong}; "
                       "keep build state in the build object, constants immutable (tuple, frozenset, MappingProxyType)")


def test_the_checks_see_every_plugin_module():
    packages = {"contract", "images", "taxonomies", "feeds", "targets", "search", "publishing", "tools"}
    assert packages <= {name.split(".")[1] for name in MODULES}, MODULES
    assert len(SOURCES) >= len(MODULES) > 20, (len(SOURCES), len(MODULES))


def test_the_check_sees_mutable_globals():
    assert not immutable({"a": 1}) and not immutable([1]) and not immutable({1}) and not immutable((1, [2]))
    assert immutable(types.MappingProxyType({"a": (1,)})) and immutable(frozenset({1})) and immutable(re.compile("x"))


# --- Imports run downward. Each package's floor, lowest first: a module may import
# --- its own package and any lower floor, never a package on its own floor or above.
LAYERS = {
    # Ground floor: shared by every plugin, importing none of them.
    "__init__": 0, "settings": 0, "urls": 0, "output": 0, "requires": 0, "processes": 0,
    # The content contract: the build object, the rules, the reader, the registries.
    "contract": 1,
    # Plugins that work on the contract's items: photos and cards, the taxonomy, the keyed output.
    "images": 2, "taxonomies": 2, "incremental": 2,
    # The Word documents the board sends (the report, the payment list): pure, on the contract's dates and problems.
    "documents": 2,
    # Plugins that use what those hand on: feeds, statistics, search, the published site.
    "feeds": 3, "targets": 3, "search": 3, "publishing": 3, "royalties": 3,
    # The editors' tools, which run the contract and the photos' checks without a build, and the
    # web editor, whose folder gets its own security policy (publishing.security).
    "tools": 4, "cms": 4,
    # Bringing an old website in (`invoke import`): a tool beside the editors' tools.
    "importer": 4,
    # Merging another province's portal into this one (`invoke merge`), through the contract's checks.
    "merger": 4,
}


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path = PLUGINS.parent) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = PLUGINS.parent) -> list[tuple[int, str]]:
    """(line, module) of every plugins.* import in ``path``, relative ones resolved, in functions too."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "plugins"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base == "plugins":
                found += [(node.lineno, f"plugins.{a.name}") for a in node.names]
            elif base.startswith("plugins."):
                found.append((node.lineno, base))
    return found


SOURCES = sorted(PLUGINS.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PLUGINS).as_posix())
def test_imports_run_downward(path):
    own = package_of(module_name(path))
    assert own in LAYERS, f"{own}: a new package needs its floor in LAYERS"
    upward = [f"line {line}: {target}" for line, target in imported(path)
              if package_of(target) != own and LAYERS.get(package_of(target), 99) >= LAYERS[own]]
    assert not upward, f"{path.relative_to(PLUGINS)} (floor {LAYERS[own]}) imports its own floor or above: {upward}"


def test_the_import_check_sees_relative_and_late_imports(tmp_path):
    sample = tmp_path / "plugins" / "contract" / "sample.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("from . import rules\nfrom ..images import core\nfrom plugins import urls\n"
                      "def late():\n    import plugins.search.core\n", encoding="utf-8")
    assert imported(sample, tmp_path) == [(1, "plugins.contract"), (2, "plugins.images"), (3, "plugins.urls"),
                                          (5, "plugins.search.core")]
