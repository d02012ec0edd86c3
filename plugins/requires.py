"""What each plugin hands on to the plugins after it, and the one way to ask for it.

Pelican runs the plugins' generators in the order of ``PLUGINS`` in
pelicanconf.py, all sharing one context: a plugin can read only what an
earlier one wrote. ``HANDOVERS`` states who writes what and who reads it;
:func:`check_order` holds ``PLUGINS`` to it when Pelican starts, and a plugin
reads another's data through :func:`require` or :func:`attribute`, so a wrong
order (or a plugin left out) stops the build with the plugin to move, never
with a ``KeyError`` or an ``AttributeError`` in the middle of a generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Sequence, TypeVar

T = TypeVar("T")

SETTINGS_FILE = "pelicanconf.py"


@dataclass(frozen=True)
class Handover:
    """One piece of data a plugin writes for later ones: a context key, an attribute of articles
    or the build object; ``readers`` are the plugins that must come after ``plugin``."""

    name: str
    plugin: str
    what: str
    readers: tuple[str, ...]


HANDOVERS = MappingProxyType({h.name: h for h in (
    Handover("build", "plugins.contract", "sổ đăng ký, thời điểm dựng, các tệp nội dung và lỗi của lần dựng",
             ("plugins.images", "plugins.taxonomies", "plugins.targets", "plugins.search", "plugins.cms")),
    Handover("cover_picture", "plugins.images", "ảnh đại diện của bài viết",
             ("plugins.feeds", "plugins.publishing", "plugins.search")),
    Handover("portal", "plugins.taxonomies", "cây đơn vị, chiến dịch, chuyên mục, lưu trữ, thẻ",
             ("plugins.feeds", "plugins.publishing", "plugins.search")),
)})


class PluginOrderError(RuntimeError):
    """A plugin read data that an earlier plugin should have written."""


def plugin_name(module: str) -> str:
    """``plugins.feeds.generator`` -> ``plugins.feeds``: the name PLUGINS lists."""
    return ".".join(module.split(".")[:2])


def _needs(handover: Handover, reader: str, why: str) -> str:
    return f"{reader} cần '{handover.name}' ({handover.what}) do {handover.plugin} tạo ra, nhưng {why}"


def _put_before(handover: Handover, reader: str) -> str:
    return f"hãy đặt \"{handover.plugin}\" trước \"{reader}\""


def order_problems(plugins: Sequence[str]) -> list[str]:
    """What is wrong with the order of ``plugins`` (PLUGINS' names), one message per reader."""
    place = {name: i for i, name in enumerate(plugins)}
    problems = []
    for handover in HANDOVERS.values():
        for reader in (r for r in handover.readers if r in place):
            if handover.plugin not in place:
                problems.append(_needs(handover, reader, f"PLUGINS của {SETTINGS_FILE} không có {handover.plugin}; "
                                       f"hãy thêm \"{handover.plugin}\" vào trước \"{reader}\""))
            elif place[handover.plugin] > place[reader]:
                problems.append(_needs(handover, reader, f"{handover.plugin} đứng sau {reader} trong PLUGINS của "
                                       f"{SETTINGS_FILE}; {_put_before(handover, reader)}"))
    return problems


def check_order(plugins: Sequence[str]) -> None:
    """Stop before anything is read if ``plugins`` breaks ``HANDOVERS``."""
    problems = order_problems(plugins)
    if problems:
        raise PluginOrderError("\n".join(problems))


def missing(name: str, reader: str) -> PluginOrderError:
    """The error for a reader (module name) that found no ``name``: its plugin has not run."""
    handover, reader = HANDOVERS[name], plugin_name(reader)
    return PluginOrderError(_needs(handover, reader, f"{handover.plugin} chưa chạy; trong PLUGINS của "
                                   f"{SETTINGS_FILE}, {_put_before(handover, reader)}"))


def require(context: Mapping, name: str, reader: str, kind: type[T]) -> T:
    """``context[name]``, written by the plugin ``HANDOVERS`` names; ``reader`` is the asking module."""
    found = context.get(name)
    if not isinstance(found, kind):
        raise missing(name, reader)
    return found


def attribute(item: Any, name: str, reader: str) -> Any:
    """``item.<name>``, set by the plugin ``HANDOVERS`` names (e.g. ``cover_picture`` by images)."""
    try:
        return getattr(item, name)
    except AttributeError:
        raise missing(name, reader) from None
