"""What merging another province's portal into this one changes, worked out on data.

Pure: no Pelican and no file system. ``cli`` reads both folders through the
contract and hands the registries, the items and the record here; what comes
back is text and bytes to write, and the old domain's redirects.

The model of the merger (DOMAIN.md, 1/7/2025): every unit of the other
portal keeps its own entry and history, under a new id (the prefix, or the
mapping file's id). Its top unit ``merged_into`` this portal's top unit (or
``--under``) from the merger date, so it ends the day before; the units that
were right under it on that date move under the same unit from that date with
a ``history`` entry. A unit the mapping names as one of this portal's units is
the same body: its entry here stands, and the other's articles are written
with this portal's id.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

import yaml

from plugins import urls
from plugins.contract.dates import FIRST_YEAR, DateError, parse_day
from plugins.contract.registry import ID_PATTERN, MAX_ID_LENGTH, WEBSITE, Registry, TargetRule, TargetStep, Unit
from plugins.contract.slugs import MAX_SLUG_LENGTH, shorten

# Header keys whose values the merge rewrites (the rest of a file stays byte for byte).
UNIT_KEY, CAMPAIGNS_KEY, CATEGORY_KEY, SLUG_KEY, ALIASES_KEY = "Unit", "Campaigns", "Category", "Slug", "Aliases"
# What no quoted nginx string may hold: a variable's '$' (read as one even in quotes), control characters.
_NGINX_UNSAFE = re.compile(r"[$\x00-\x1f\x7f]")


@dataclass(frozen=True)
class IdMaps:
    """The other portal's ids, old -> new; ``same`` are units that are one of this portal's units."""

    units: Mapping[str, str]
    campaigns: Mapping[str, str]
    sections: Mapping[str, str]
    same_units: frozenset[str] = frozenset()
    same_campaigns: frozenset[str] = frozenset()
    same_sections: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refusal:
    """Why the merge cannot run; ``where`` names the file (and line) at fault."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def id_maps(other: Registry, own: Registry, prefix: str,
            mapping: Mapping[str, Mapping[str, str]]) -> tuple[IdMaps, list[Refusal]]:
    """Every id of ``other`` renamed: the mapping's id, else the prefixed one; a new id that is
    taken here (and not meant to be the same) refuses the merge."""
    refusals: list[Refusal] = []
    maps, same = {}, {}
    for kind, ids, taken in (("units", list(other.units), set(own.units)),
                             ("campaigns", list(other.campaigns), set(own.campaigns)),
                             ("sections", [s.id for s in other.sections], {s.id for s in own.sections})):
        given = mapping.get(kind, {})
        renamed, alike = {}, set()
        for old in ids:
            new = given.get(old) or f"{prefix}{old}"
            if not ID_PATTERN.match(new) or len(new) > MAX_ID_LENGTH:
                refusals.append(Refusal(f"{kind}.yml", f"mã mới '{new}' của '{old}' không hợp lệ (chữ thường không "
                                                       f"dấu, số và '-', tối đa {MAX_ID_LENGTH} ký tự)"))
            elif old in given and new in taken:
                alike.add(old)
            elif new in taken:
                refusals.append(Refusal(f"{kind}.yml", f"mã '{new}' (của '{old}' bên kia) đã có ở đây; hãy chọn tiền tố "
                                                       "khác, hoặc ghi trong tệp --mapping nếu đúng là cùng một mục"))
            renamed[old] = new
        for old in given:
            if old not in renamed:
                refusals.append(Refusal("--mapping", f"'{old}' không có trong {kind}.yml của cổng thông tin kia"))
        news = list(renamed.values())
        for new in sorted({n for n in news if news.count(n) > 1}):
            refusals.append(Refusal("--mapping", f"nhiều mục của {kind}.yml bên kia cùng được đổi thành '{new}'"))
        maps[kind], same[kind] = renamed, frozenset(alike)
    return IdMaps(maps["units"], maps["campaigns"], maps["sections"], same["units"], same["campaigns"],
                  same["sections"]), refusals


def top_units(registry: Registry, day: dt.date) -> list[Unit]:
    """The units at the top of the tree on ``day``: a federation's own unit, usually one."""
    return [u for u in registry.units.values() if u.exists_on(day) and registry.parent_on(u, day) is None]


def vi_day(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def plain(value: Any) -> Any:
    """A value read from YAML (line-aware mappings and lists) as plain data to write back."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def target_value(rule: TargetRule) -> Any:
    """A target rule written as units.yml writes it."""
    def one(step: TargetStep) -> Any:
        return step.count if step.channels == (WEBSITE,) else f"{step.count} ({' + '.join(step.channels)})"

    if len(rule.steps) == 1 and rule.steps[0].first_year == 0:
        return one(rule.steps[0])
    return {max(step.first_year, FIRST_YEAR): one(step) for step in rule.steps}


def _same_rule(a: TargetRule | None, b: TargetRule | None) -> bool:
    def key(rule):
        return None if rule is None else [(s.first_year, s.count, s.channels) for s in rule.steps]
    return key(a) == key(b)


def carried_target(theirs: TargetRule | None, ours: TargetRule | None, year: int) -> TargetRule | None:
    """The other portal's kind target through the merger's year (none if it had none), this
    portal's from the year after; ``None`` when that is no target at all."""
    steps = [s for s in theirs.steps if s.first_year <= year] if theirs else []
    if ours is not None and ours.step(year + 1) is not None:
        first = ours.step(year + 1)
        steps.append(TargetStep(year + 1, first.count, first.channels))
        steps += [s for s in ours.steps if s.first_year > year + 1]
    return TargetRule(tuple(steps)) if steps else None


def unit_entries(items: list[dict], other: Registry, own: Registry, maps: IdMaps, day: dt.date,
                 under: str) -> list[dict]:
    """The other portal's unit entries as this portal's units.yml will hold them."""
    tops = {u.id for u in top_units(other, day)}
    entries = []
    for item in items:
        old = item.get("id")
        unit = other.units.get(old) if isinstance(old, str) else None
        if unit is None or old in maps.same_units:
            continue
        entry = plain(item)
        entry["id"] = maps.units[old]
        if isinstance(entry.get("parent"), str):
            entry["parent"] = maps.units.get(entry["parent"], entry["parent"])
        for change in entry.get("history") or []:
            if isinstance(change, dict) and isinstance(change.get("parent"), str):
                change["parent"] = maps.units.get(change["parent"], change["parent"])
        merged = entry.get("merged_into")
        if isinstance(merged, dict) and isinstance(merged.get("unit"), str):
            merged["unit"] = maps.units.get(merged["unit"], merged["unit"])
        if "target" not in entry:
            theirs, ours = other.kind_targets.get(unit.kind), own.kind_targets.get(unit.kind)
            carried = None if _same_rule(theirs, ours) else carried_target(theirs, ours, day.year)
            if carried is not None:
                entry["target"] = target_value(carried)
        if old in tops:
            entry.pop("active_until", None)
            entry["merged_into"] = {"unit": under, "from": vi_day(day)}
        elif unit.exists_on(day) and (unit.stretch_on(day).parent_id in tops):
            history = entry.setdefault("history", [])
            history.append({"from": vi_day(day), "parent": under})
            history.sort(key=_history_day)
        entries.append(entry)
    return entries


def _history_day(change: Any) -> dt.date:
    """The day a history entry starts (the registry read them all, so each has one)."""
    try:
        return parse_day(change.get("from"))
    except (DateError, AttributeError):
        return dt.date.min


def renamed_entries(items: list[dict], renamed: Mapping[str, str], same: frozenset[str],
                    taken_names: Iterable[str] = (), suffix: str = "") -> list[dict]:
    """Campaign or section entries under their new ids; a name already used here gets ``suffix``."""
    taken = {" ".join(str(n).casefold().split()) for n in taken_names}
    entries = []
    for item in items:
        old = item.get("id")
        if not isinstance(old, str) or old not in renamed or old in same:
            continue
        entry = plain(item)
        entry["id"] = renamed[old]
        name = entry.get("name")
        if suffix and isinstance(name, str) and " ".join(name.casefold().split()) in taken:
            entry["name"] = f"{name} ({suffix})"
        entries.append(entry)
    return entries


def dump_entries(entries: list[dict], indent: str) -> str:
    """YAML list items indented as the file's own items."""
    if not entries:
        return ""
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)
    return "".join(f"{indent}{line}\n" if line else "\n" for line in text.splitlines())


_TOP_KEY = "^{key}:[ \\t]*(?:#.*)?$"


def insert_entries(text: str, key: str, block: str, heading: str) -> str:
    """``text`` (a registry file) with ``block`` added at the end of the list under ``key:``;
    nothing else of the file changes. A missing or empty (``[]``) list is started; a list
    written on one line (``[{…}, …]``) raises ``ValueError``."""
    if not block:
        return text
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(_TOP_KEY.format(key=key), line)), None)
    if start is None:
        empty = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*\[\s*\]\s*(#.*)?$", line)), None)
        comment = re.search(r"\s+#.*$", lines[empty]).group(0) if empty is not None and "#" in lines[empty] else ""
        if empty is None:
            if re.search(rf"^{key}:", text, re.M):
                raise ValueError(key)  # a list written on one line ([…]): not added to by hand
            ending = "" if text.endswith("\n") or not text else "\n"
            return f"{text}{ending}{key}:\n  # {heading}\n{block}"
        lines[empty] = f"{key}:{comment}"
        start = empty
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line[:1] in (" ", "\t", "-") and line.strip():
            end = i + 1
        elif line.strip() and not line.lstrip().startswith("#"):
            break
    indent = next((re.match(r"^(\s*)-", lines[i]).group(1) for i in range(start + 1, end)
                   if re.match(r"^\s*-", lines[i])), "  ")
    if indent != "  ":
        block = "".join(f"{indent}{line[2:]}\n" for line in block.splitlines())
    added = [f"{indent}# {heading}", *block.rstrip("\n").split("\n")]
    return "\n".join(lines[:end] + added + lines[end:])


# --- Articles and pages ---

@dataclass(frozen=True)
class Placement:
    """One article or page of the other portal on the merged site."""

    source: str          # its path in the other folder
    target: str          # its path in this folder
    old_url: str         # its URL on the old site
    url: str             # its URL here
    slug: str            # the slug written when it changed, else ""
    old_urls: tuple[str, ...] = ()   # every URL the old site answered for it (current, aliases, record)
    aliases: tuple[str, ...] = ()    # its aliases that stay (free here)


def free_slug(slug: str, url_of, taken: set[str], label: str) -> str:
    """``slug`` with the other portal's label, then a number, until its URL is free here."""
    for n in range(1, 1000):
        tail = f"-{label}" if n == 1 else f"-{label}-{n}"
        candidate = shorten(slug, MAX_SLUG_LENGTH - len(tail)) + tail
        if url_of(candidate) not in taken:
            return candidate
    raise ValueError(slug)  # a thousand clashes of one slug: never on a real site


def free_path(rel: str, taken: set[str], label: str) -> str:
    """A file path of the other folder, with the label before its name when the name is taken here."""
    if rel not in taken:
        return rel
    folder, name = posixpath.split(rel)
    return posixpath.join(folder, f"{label}-{name}")


def moved_file(rel: str, label: str) -> str:
    """A photo or download whose name is taken here: the same name in the label's folder."""
    top, _, rest = rel.partition("/")
    return f"{top}/{label}/{rest}"


def url_path(url: str) -> str:
    """A site-relative URL or an alias's output file as the browser asks for it: ``/2024/05/x/``."""
    if url.endswith("/" + urls.INDEX_FILE) or url == urls.INDEX_FILE:
        url = url[: -len(urls.INDEX_FILE)]
    return "/" + url.lstrip("/")


# --- Rewriting one file's header and links, byte for byte elsewhere ---

@dataclass
class HeaderEdit:
    """New values for some header keys (``None`` removes the line); keys not there are added."""

    values: dict[str, str | None] = field(default_factory=dict)
    # Content paths renamed (old -> new), rewritten wherever a link names them.
    paths: dict[str, str] = field(default_factory=dict)
    # Pages of the old site now at another URL here (``/old/`` -> ``/new/``), and the old site's domain:
    # a link to one (``/old/`` or ``https://domain/old/``) is rewritten, so it never opens another page here.
    links: Mapping[str, str] = field(default_factory=dict)
    domain: str = ""


def rewrite(raw: bytes, lines_of: Mapping[str, int], edit: HeaderEdit) -> bytes:
    """The file ``raw`` with the header lines of ``edit`` replaced (``lines_of``: each key's line
    as the reader found it) and the links of ``edit.paths`` renamed; nothing else changes."""
    lines = raw.split(b"\n")
    blank = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    eol = b"\r" if lines and lines[0].endswith(b"\r") else b""
    drop: set[int] = set()
    added: list[bytes] = []
    for key, value in edit.values.items():
        line = lines_of.get(key)
        if line is None or not 0 < line <= blank:
            if value is not None:
                added.append(f"{key}: {value}".encode("utf-8") + eol)
            continue
        index = line - 1
        for follow in range(index + 1, blank):
            if lines[follow][:1] in (b" ", b"\t"):
                drop.add(follow)
            else:
                break
        if value is None:
            drop.add(index)
            continue
        written = lines[index]
        colon = min((p for p in (written.find(b":"), written.find("：".encode())) if p >= 0), default=-1)
        head = written[:colon + (1 if written[colon:colon + 1] == b":" else 3)] if colon >= 0 else key.encode()
        lines[index] = head + b" " + value.encode("utf-8") + (b"\r" if written.endswith(b"\r") else b"")
    head_lines = [line for i, line in enumerate(lines[:blank]) if i not in drop] + added
    header, body = b"\n".join(head_lines), b"\n".join(lines[blank:])
    for old, new in sorted(edit.paths.items()):
        header, body = (_link(old).sub(lambda m: m.group(1) + new.encode("utf-8"), part) for part in (header, body))
    for old, new in sorted(edit.links.items()):
        body = _site_link(old, edit.domain).sub(new.encode("utf-8"), body)  # the header's Aliases stay old URLs
    if not head_lines or blank == len(lines):
        return header if head_lines else body
    return header + b"\n" + body


def _site_link(path: str, domain: str) -> re.Pattern:
    """``/path`` (or ``https://domain/path``) where a link or an ``href`` names it, whole."""
    site = rb"(?:https?://" + re.escape(domain.encode()) + rb")?" if domain else b""
    return re.compile(rb"(?<=[(\"'<\s=])" + site + re.escape(path.encode("utf-8")) + rb"(?=[)\"'>\s#?]|$)")


def _link(rel: str) -> re.Pattern:
    """``rel`` where a link or header names it: ``images/x.jpg``, ``/images/x.jpg``, ``{static}/images/x.jpg``."""
    return re.compile(rb"(?<![A-Za-z0-9_.%/-])((?:\{static\}|\{attach\}|\|static\||\|attach\|)?/?)"
                      + re.escape(rel.encode("utf-8")) + rb"(?![A-Za-z0-9_.%/-])")


# --- The old domain's redirects ---

def nginx_variable(label: str) -> str:
    """The nginx variable of one merger's map (one per old domain)."""
    return f"gop_{label.replace('-', '_')}_moi"


def nginx_map(moves: Iterable[tuple[str, str]], variable: str, domain: str, command: str) -> tuple[str, list[str]]:
    """The nginx ``map`` of the old domain's paths to their paths on this site (sorted, one line
    each), and the paths left out because nginx could not take them as written. Keys are
    matched against ``$uri``, which nginx has decoded (``%20`` is a space), so they are decoded too."""
    pairs, left_out = {}, []
    command = " ".join("".join(ch if ch.isprintable() else " " for ch in command).split())  # one comment line
    for old, new in moves:
        key = unquote(old)
        if _NGINX_UNSAFE.search(key) or _NGINX_UNSAFE.search(new) or not key.startswith("/"):
            left_out.append(old)
        else:
            pairs.setdefault(key, new)
    lines = [f"# Chuyển hướng tên miền cũ {domain or '(tên miền cũ)'} sang cổng thông tin sau khi gộp.",
             f"# Tạo bằng lệnh: {command}",
             "# Dùng $uri (đường dẫn, không có phần ?…) để liên kết chia sẻ kèm ?fbclid=… vẫn khớp.",
             f"map $uri ${variable} {{",
             "    default \"\";"]
    lines += [f"    {nginx_quoted(old)} {nginx_quoted(new)};" for old, new in sorted(pairs.items())]
    lines.append("}")
    return "\n".join(lines) + "\n", sorted(set(left_out))


def nginx_quoted(text: str) -> str:
    """``text`` as an nginx double-quoted string (``\\`` and ``\"`` escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_server(variable: str, domain: str, map_name: str) -> str:
    """The ``server {}`` block to paste on the old domain's server, beside the map file. What the map
    does not name keeps its path: the two sites share one URL scheme (tags, archives, downloads)."""
    name = domain or "ten-mien-cu.example.vn"
    return (f"include /etc/nginx/snippets/{map_name};\n"
            "server {\n"
            "    listen 443 ssl;\n"
            f"    server_name {name};\n"
            f"    if (${variable}) {{ return 301 https://TEN-MIEN-MOI${variable}$is_args$args; }}\n"
            "    return 301 https://TEN-MIEN-MOI$request_uri;\n"
            "}\n")
