"""Read both portals, plan the merge (``core``), write it.

The other folder is not trusted: it is walked without following links, every
file is checked (no link anywhere on its path, a size cap) before anything
reads it, and it must pass the contract's own checks, so a link out of it, a
``..`` or a YAML bomb is told, never read. Everything is written under this
content folder, except the nginx map beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from plugins import urls
from plugins.contract import dates
from plugins.contract.pipeline import Folder, check_folder, load_settings
from plugins.contract.header import split_list
from plugins.contract.problems import ERROR, WARNING, Problem
from plugins.contract.registry import Registry
from plugins.contract.registry_yaml import YamlMap, read_yaml
from plugins.contract.text import visible
from plugins.contract.urlrecord import RECORD_FILE, REMOVED, Entry, blob_hash, format_record
from plugins.documents.letterhead import place_of

from . import core
from .settings import MAX_FILE_BYTES, MAX_FILES, MergeOptions

# What of a portal's folder the merge carries: the registries, then folders of files.
REGISTRIES = ("units.yml", "campaigns.yml", "sections.yml", "channels.yml")
ITEM_FOLDERS = ("articles", "pages")
FILE_FOLDERS = ("images", "files")
CHANNEL_FOLDER = "kenh"
CARRIED = (*REGISTRIES, RECORD_FILE, *ITEM_FOLDERS, *FILE_FOLDERS, CHANNEL_FOLDER)
# A channel file's ``unit:`` line (the file's own, or an item's ``- unit:``): the value is the id.
_UNIT_LINE = re.compile(rb"^(\s*(?:-\s+)?unit:\s*)[^\s#]+")


class MergeRefused(Exception):
    """The merge cannot run; the message lists every reason, for the editor."""


@dataclass
class Plan:
    """Everything the merge would do, written or not."""

    options: MergeOptions
    maps: core.IdMaps
    under: str
    # Files of this folder to write (path -> bytes), new or changed.
    writes: dict[str, bytes] = field(default_factory=dict)
    placements: list[core.Placement] = field(default_factory=list)
    # Each article's and page's path there -> here.
    paths: dict[str, str] = field(default_factory=dict)
    # Photos and downloads that went to the label's folder (old path -> new path).
    moved_files: dict[str, str] = field(default_factory=dict)
    map_text: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def new_files(self) -> int:
        return sum(1 for rel in self.writes if rel not in CARRIED)


def plan(options: MergeOptions, now: dt.datetime | None = None) -> Plan:
    now = now or dates.now()
    _refuse_dirty(options.content)
    files, problems = other_files(options.other)
    if any(p.severity == ERROR for p in problems):
        raise MergeRefused(_listed([p for p in problems if p.severity == ERROR],
                                   f"Không gộp được: thư mục {options.other} có tệp không được đọc")
                           + "\nHãy sửa các tệp trên (đường dẫn tính từ thư mục đó) rồi chạy lại.")
    other, own = _checked(options.other, now, "thư mục kia"), _checked(options.content, now, None)
    mapping = _mapping(options.mapping)
    maps, refusals = core.id_maps(other.build.registry, own.build.registry, options.prefix, mapping)
    under = _under(options, own, refusals)
    if refusals:
        raise MergeRefused("Không gộp được:\n" + "\n".join(f"  {r}" for r in refusals))
    result = Plan(options, maps, under, problems=problems)
    _registries(result, other, own)
    _files(result, files)
    _items(result, other, own)
    _channel_files(result, files)
    _record(result, other, own)
    return result


# --- Reading the other folder ---

def other_files(root: Path) -> tuple[list[str], list[Problem]]:
    """The other folder's files the merge carries, found without following a link, each a regular
    file under the size cap; what it leaves (or refuses) is told."""
    carried, problems = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(os.path.relpath(dirpath, root)).as_posix()
        for name in sorted(dirnames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if name.startswith("."):
                dirnames.remove(name)
            elif os.path.islink(os.path.join(dirpath, name)):
                problems.append(Problem(rel, 1, "thư mục là liên kết tượng trưng (symlink) nên không được đọc; hãy "
                                                "thay bằng thư mục thật rồi chạy lại", code="E901"))
                dirnames.remove(name)
            elif rel_dir == "." and name not in CARRIED:
                problems.append(_not_carried(rel))
                dirnames.remove(name)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if name.startswith("."):
                continue
            if rel_dir == "." and name not in CARRIED:
                problems.append(_not_carried(rel))
                continue
            info = os.lstat(os.path.join(dirpath, name))
            if stat.S_ISLNK(info.st_mode):
                problems.append(Problem(rel, 1, "tệp là liên kết tượng trưng (symlink) nên không được đọc; hãy chép "
                                                "tệp thật vào thư mục rồi chạy lại", code="E902"))
            elif not stat.S_ISREG(info.st_mode):
                problems.append(Problem(rel, 1, "đây không phải một tệp thường nên không được đọc; hãy xóa nó khỏi "
                                                "thư mục rồi chạy lại", code="E903"))
            elif info.st_size > MAX_FILE_BYTES:
                problems.append(Problem(rel, 1, f"tệp quá lớn (hơn {MAX_FILE_BYTES // (1024 * 1024)} MB) nên không "
                                                "được gộp; hãy thu nhỏ hoặc bỏ tệp này rồi chạy lại", code="E904"))
            else:
                carried.append(rel)
        if len(carried) > MAX_FILES:
            problems.append(Problem(".", 1, f"thư mục có hơn {MAX_FILES} tệp; đây không giống thư mục nội dung của "
                                            "một cổng thông tin, hãy kiểm tra đường dẫn --from", code="E905"))
            break
    return sorted(carried), problems


def _not_carried(rel: str) -> Problem:
    return Problem(rel, 1, "không được gộp (chỉ gộp units.yml, campaigns.yml, sections.yml, channels.yml, urls.lock "
                           "và các thư mục articles/, pages/, images/, files/, kenh/); nếu cần giữ, Ban Biên tập hãy "
                           "chép phần cần thiết bằng tay", WARNING, "W901")


def read_other(root: Path, rel: str) -> bytes:
    """A file of the other folder, refused if any part of its path is a link (it may have
    changed since the walk) or it outgrew the cap."""
    path = _under_root(root, rel, "(symlink); không đọc")
    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | getattr(os, "O_NOFOLLOW", 0))) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise MergeRefused(f"{rel}: tệp quá lớn")
    return data


def _checked(root: Path, now: dt.datetime, label: str | None) -> Folder:
    """The folder as ``check`` reads it; errors of the other folder (any) or of this folder's
    registries and URL record (the merge rewrites them) refuse the merge."""
    folder = check_folder({**load_settings(root), "PATH": str(root)}, now)
    problems = folder.build.problems
    errors = [p for p in problems if p.severity == ERROR and (label or p.path in (*REGISTRIES, RECORD_FILE))]
    if errors:
        where = f"{label} ({root})" if label else f"thư mục nội dung này ({root})"
        raise MergeRefused(_listed(errors, f"Không gộp được: {where} còn lỗi")
                           + f"\nHãy sửa rồi chạy lại; kiểm tra bằng python3 tasks.py check --content {root}")
    return folder


def _listed(problems: list[Problem], heading: str) -> str:
    return heading + ":\n" + "\n".join(f"  {p}" for p in sorted(problems))


def _mapping(path: Path | None) -> dict[str, dict[str, str]]:
    """The mapping file: ``units:``, ``campaigns:``, ``sections:``, each ``old-id: new-id``."""
    if path is None:
        return {}
    data, problems, readable = read_yaml(path, path.name)
    wrong = [str(p) for p in problems if p.severity == ERROR]
    if readable and data is not None and not isinstance(data, YamlMap):
        wrong.append(f"{path.name}:1: tệp phải có các nhóm units:, campaigns:, sections:, mỗi dòng 'mã cũ: mã mới'")
    found: dict[str, dict[str, str]] = {}
    for kind, value in (data or {}).items() if isinstance(data, YamlMap) else ():
        if kind not in ("units", "campaigns", "sections"):
            wrong.append(f"{path.name}:{data.line_of(kind)}: nhóm '{kind}' không dùng được; chỉ có units, campaigns, "
                         "sections")
        elif value is not None and not (isinstance(value, YamlMap) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
            wrong.append(f"{path.name}:{data.line_of(kind)}: '{kind}:' phải gồm các dòng 'mã cũ: mã mới'")
        else:
            found[kind] = dict(value or {})
    if wrong or not readable:
        raise MergeRefused("Tệp --mapping có lỗi:\n" + "\n".join(f"  {w}" for w in wrong))
    return found


def _channel_ids(root: Path) -> list[str]:
    data, _, _ = read_yaml(root / "channels.yml", "channels.yml") if (root / "channels.yml").is_file() else (None, [], False)
    items = data.get("channels") if isinstance(data, YamlMap) else None
    return [i["id"] for i in items or [] if isinstance(i, YamlMap) and isinstance(i.get("id"), str)]


def _under(options: MergeOptions, own: Folder, refusals: list) -> str:
    registry = own.build.registry
    if options.under:
        unit = registry.units.get(options.under)
        if unit is None or not unit.exists_on(options.day):
            refusals.append(core.Refusal("--under", f"không có đơn vị '{options.under}' hoạt động vào ngày "
                                                    f"{core.vi_day(options.day)} trong units.yml của thư mục này"))
        return options.under
    tops = core.top_units(registry, options.day)
    if len(tops) != 1:
        names = ", ".join(u.id for u in tops) or "không có"
        refusals.append(core.Refusal("--under", f"units.yml ở đây có {len(tops)} đơn vị cấp cao nhất vào ngày "
                                                f"{core.vi_day(options.day)} ({names}); hãy ghi --under MÃ_ĐƠN_VỊ tiếp nhận"))
        return ""
    return tops[0].id


def _refuse_dirty(content: Path) -> None:
    """A merge is one commit of its own: files not committed here would be mixed into it."""
    try:
        found = subprocess.run(["git", "-C", str(content), "status", "--porcelain", "--untracked-files=all", "--", "."],
                               capture_output=True, text=True, check=False)
    except OSError:
        return
    if found.returncode != 0:
        return  # not a git working tree: nothing to compare with
    dirty = [line[3:] for line in found.stdout.splitlines() if line.strip()]
    if dirty:
        shown = "\n".join(f"  {name}" for name in dirty[:20]) + ("\n  …" if len(dirty) > 20 else "")
        raise MergeRefused(f"Thư mục nội dung có {len(dirty)} tệp chưa commit hoặc git chưa biết:\n{shown}\n"
                           "Hãy commit (hoặc bỏ) các thay đổi đó trước, để bản gộp là một commit riêng.")


# --- Planning ---

def _registries(result: Plan, other: Folder, own: Folder) -> None:
    options, maps = result.options, result.maps
    theirs, ours = other.build.registry, own.build.registry
    top = next(iter(core.top_units(theirs, options.day - dt.timedelta(days=1))), None)
    label = (place_of(top.name) or top.short_name) if top else options.label
    heading = f"--- Gộp từ cổng thông tin {top.name if top else options.other.name} (tiền tố {options.prefix}) " \
              f"từ ngày {core.vi_day(options.day)} ---"
    units = core.unit_entries(_items_of(options.other, "units.yml", "units"), theirs, ours, maps, options.day,
                              result.under)
    campaigns = core.renamed_entries(_items_of(options.other, "campaigns.yml", "campaigns"), maps.campaigns,
                                     maps.same_campaigns, [c.name for c in ours.campaigns.values()], label)
    sections = core.renamed_entries(_items_of(options.other, "sections.yml", "sections"), maps.sections,
                                    maps.same_sections, [s.name for s in ours.sections], label)
    known = set(_channel_ids(options.content))
    channels = [core.plain(i) for i in _items_of(options.other, "channels.yml", "channels")
                if isinstance(i.get("id"), str) and i["id"] not in known and i["id"] != "website"]
    for name, key, entries in (("units.yml", "units", units), ("campaigns.yml", "campaigns", campaigns),
                               ("sections.yml", "sections", sections), ("channels.yml", "channels", channels)):
        if not entries:
            continue
        path = options.content / name
        text = path.read_text(encoding="utf-8") if path.is_file() and not path.is_symlink() else ""
        try:
            result.writes[name] = core.insert_entries(text, key, core.dump_entries(entries, "  "), heading).encode()
        except ValueError:
            raise MergeRefused(f"{name} ở đây viết danh sách '{key}:' trên một dòng ([…]); hãy viết mỗi mục một "
                               "dòng '- id: …' như tệp mẫu rồi chạy lại") from None


def _items_of(root: Path, name: str, key: str) -> list[dict]:
    path = root / name
    if not path.is_file() or path.is_symlink():
        return []
    data, _, readable = read_yaml(path, name)
    items = data.get(key) if readable and isinstance(data, YamlMap) else None
    return [i for i in items or [] if isinstance(i, YamlMap)]


def _files(result: Plan, files: list[str]) -> None:
    """Photos and downloads: the same name with other bytes goes to the label's folder."""
    options = result.options
    carried = set(files)
    for rel in files:
        if rel.split("/")[0] not in FILE_FOLDERS:
            continue
        data = read_other(options.other, rel)
        here = options.content / rel
        target = rel
        if here.exists() or here.is_symlink():
            if here.is_file() and not here.is_symlink() and here.read_bytes() == data:
                continue
            target = core.moved_file(rel, options.label)
            result.moved_files[rel] = target
            if (options.content / target).exists() or target in carried:
                result.problems.append(Problem(rel, 1, f"tên tệp đã có ở đây, cả ở {target}; hãy đổi tên tệp bên "
                                                       "thư mục kia rồi chạy lại", code="E906"))
                continue
        result.writes[target] = data


def _items(result: Plan, other: Folder, own: Folder) -> None:
    """Articles and pages under their new ids, at a URL nobody here has."""
    options, maps = result.options, result.maps
    taken = _taken_urls(own)
    ours = own.build.registry
    default_here = ours.sections[0].id if ours.sections else ""
    theirs = {i.url for i in [*other.articles, *other.pages]} | set(other.build.urls.record.entries)
    record_by_owner: dict[str, list[Entry]] = {}
    for entry in other.build.urls.record.entries.values():
        record_by_owner.setdefault(entry.owner, []).append(entry)
    taken_paths = _files_here(options.content)
    pending = []
    for item in sorted([*other.articles, *other.pages], key=lambda i: i.relative_source_path):
        source = item.portal_source
        edit = core.HeaderEdit(paths=dict(result.moved_files))
        if not item.page:
            _ids(edit, source, other.build.registry, maps, default_here)
        url, slug = item.url, ""
        if url in taken:
            slug = core.free_slug(item.slug, lambda s: _url_with(item, s), taken | theirs, options.label)
            url = _url_with(item, slug)
            edit.values[core.SLUG_KEY] = slug
        written, aliases = _kept_aliases(result, item, edit, taken)
        target = core.free_path(item.relative_source_path, taken_paths, options.label)
        if target in taken_paths:
            result.problems.append(Problem(item.relative_source_path, 1, f"đã có tệp {target} ở đây; hãy đổi tên tệp "
                                                                         "bên thư mục kia rồi chạy lại", code="E907"))
            continue
        taken_paths.add(target)
        taken |= {url, *aliases}
        result.paths[item.relative_source_path] = target
        pending.append((item, target, edit))
        old_urls = [item.url, *written,
                    *(e.url for e in record_by_owner.get(item.relative_source_path, ()) if e.state != REMOVED)]
        if item.page or item.status == "published":
            result.placements.append(core.Placement(item.relative_source_path, target, item.url, url, slug,
                                                    tuple(dict.fromkeys(old_urls)), aliases))
    links = dict(_moves(result))
    for item, target, edit in pending:
        edit.links, edit.domain = {old: new for old, new in links.items() if old != new}, options.domain
        lines = {key: f.line for key, f in item.portal_source.fields.items()}
        result.writes[target] = core.rewrite(read_other(options.other, item.relative_source_path), lines, edit)
    _map(result)


def _kept_aliases(result: Plan, item, edit: core.HeaderEdit, taken: set[str]) -> tuple[list[str], tuple[str, ...]]:
    """The item's aliases (as URLs) and those free here; the others leave its 'Aliases' line, told."""
    written = [core.url_path(a).lstrip("/") for a in item.aliases]
    aliases = tuple(a for a in written if a not in taken)
    if len(aliases) != len(written):
        edit.values[core.ALIASES_KEY] = ", ".join(f"/{a}" for a in aliases) or None
        line = item.portal_source.line_of(core.ALIASES_KEY)
        for alias in sorted(set(written) - set(aliases)):
            result.problems.append(Problem(item.relative_source_path, line,
                                           f"địa chỉ cũ /{alias} đã được dùng ở đây nên được bỏ khỏi 'Aliases'; "
                                           f"tên miền cũ vẫn chuyển địa chỉ này tới {'trang' if item.page else 'bài'} "
                                           "(tệp bản đồ nginx)",
                                           WARNING, "W902"))
    return written, aliases


def _url_with(item, slug: str) -> str:
    return replace(item, slug=slug, override_url="").url


def _ids(edit: core.HeaderEdit, source, registry: Registry, maps: core.IdMaps, default_here: str) -> None:
    """The new ids of the header's unit, campaigns and section, read against the other registry as
    the reader reads them (an id or a name), so drafts and scheduled items are renamed too."""
    written = source.get(core.UNIT_KEY)
    named = registry.units_named(written) if written and written not in registry.units else []
    unit = registry.units.get(written) or (named[0] if len(named) == 1 else None)
    if unit is not None:
        edit.values[core.UNIT_KEY] = maps.units[unit.id]
    campaigns = [registry.campaigns.get(c) or next(iter(registry.campaigns_named(c)), None)
                 for c in split_list(source.get(core.CAMPAIGNS_KEY))]
    if campaigns and None not in campaigns:
        edit.values[core.CAMPAIGNS_KEY] = ", ".join(maps.campaigns[c.id] for c in campaigns)
    written = source.get(core.CATEGORY_KEY)
    section = registry.find_section(written) if written else (registry.sections[0] if registry.sections else None)
    if section is not None and (written or maps.sections[section.id] != default_here):
        edit.values[core.CATEGORY_KEY] = maps.sections[section.id]
    for key in (core.UNIT_KEY, core.CAMPAIGNS_KEY, core.CATEGORY_KEY):
        if key in edit.values and source.get(key) == edit.values[key]:
            del edit.values[key]  # already so: the line stays as written


def _taken_urls(own: Folder) -> set[str]:
    """Every URL this site answers or has answered: its items, their aliases, its record."""
    taken = {i.url for i in [*own.articles, *own.pages]}
    for item in [*own.articles, *own.pages]:
        taken |= {core.url_path(a).lstrip("/") for a in item.aliases}
    taken |= set(own.build.urls.record.entries)
    return taken


def _files_here(content: Path) -> set[str]:
    found = set()
    for folder in ITEM_FOLDERS:
        for path in (content / folder).rglob("*") if (content / folder).is_dir() else ():
            found.add(path.relative_to(content).as_posix())
    return found


def _channel_files(result: Plan, files: list[str]) -> None:
    """kenh/<unit>/<year>.yml under the unit's new id, its ``unit:`` lines rewritten."""
    options, maps = result.options, result.maps
    for rel in files:
        parts = rel.split("/")
        if parts[0] != CHANNEL_FOLDER:
            continue
        data = read_other(options.other, rel)
        if len(parts) == 3 and parts[1] in maps.units:
            parts[1] = maps.units[parts[1]]
        target = "/".join(parts)
        if (options.content / target).exists() or target in result.writes:
            result.problems.append(Problem(rel, 1, f"đã có tệp {target} ở đây (cùng đơn vị, cùng năm); hãy chép các "
                                                   "mục của tệp này vào tệp đó bằng tay rồi xóa tệp này bên thư mục kia",
                                           code="E908"))
            continue
        result.writes[target] = _channel_units(data, options.other / rel, rel, maps)


def _channel_units(data: bytes, path: Path, rel: str, maps: core.IdMaps) -> bytes:
    """The file with each ``unit:`` value renamed, the rest byte for byte."""
    parsed, _, readable = read_yaml(path, rel)
    if not readable or not isinstance(parsed, YamlMap):
        return data
    lines = {}
    for mapping in [parsed, *[i for i in parsed.get("items") or [] if isinstance(i, YamlMap)]]:
        value = mapping.get("unit")
        if isinstance(value, str) and value in maps.units:
            lines[mapping.line_of("unit")] = maps.units[value]
    out = data.split(b"\n")
    for line, new in lines.items():
        out[line - 1] = _UNIT_LINE.sub(lambda m: m.group(1) + new.encode("utf-8"), out[line - 1], count=1)
    return b"\n".join(out)


def _record(result: Plan, other: Folder, own: Folder) -> None:
    """The other portal's URL record carried in: its URLs free here, owned by the files' new paths
    (their blob hash the bytes written, the version the merge commits)."""
    theirs = other.build.urls.record
    if not theirs.entries:
        return
    taken = _taken_urls(own)
    here = _files_here(result.options.content)
    entries = dict(own.build.urls.record.entries)
    for url, entry in sorted(theirs.entries.items()):
        if url in taken:
            continue
        # A file gone from there keeps its own name, never one of this folder's files.
        owner = result.paths.get(entry.owner) or core.free_path(entry.owner, here, result.options.label)
        data = result.writes.get(owner)
        entries[url] = Entry(url, owner, blob_hash(data) if data is not None else entry.blob, entry.state, entry.slug)
    result.writes[RECORD_FILE] = format_record(entries.values()).encode("utf-8")


def _moves(result: Plan) -> list[tuple[str, str]]:
    """Each page of the old site (``/path``) and its path here: articles, pages, units, campaigns,
    sections, and downloads whose name was taken here."""
    maps = result.maps
    moves = [(core.url_path(old), "/" + p.url) for p in result.placements for old in p.old_urls]
    for renamed, url_of in ((maps.units, urls.unit), (maps.campaigns, urls.campaign), (maps.sections, urls.section)):
        moves += [("/" + url_of(old), "/" + url_of(new)) for old, new in sorted(renamed.items())]
    # Downloads are published under their own path (photos under processed names, never linked as they are).
    moves += [("/" + old, "/" + new) for old, new in sorted(result.moved_files.items())
              if old.startswith(f"{urls.DOWNLOADS}/")]
    return moves


def _map(result: Plan) -> None:
    options = result.options
    moves = _moves(result)
    variable = core.nginx_variable(options.label)
    command = f"python3 tasks.py merge --from {options.other.name} --prefix {options.prefix} --date {core.vi_day(options.day)}"
    result.map_text, left_out = core.nginx_map(moves, variable, options.domain, command)
    for url in left_out:
        result.problems.append(Problem(RECORD_FILE, 1, f"địa chỉ cũ {visible(url)} có ký tự nginx không nhận nên không có trong "
                                                       "tệp bản đồ chuyển hướng; hãy thêm tay nếu cần", WARNING, "W903"))


# --- Writing ---

def write(result: Plan) -> list[str]:
    """Write the plan: each file under this content folder (never through a link), then the map.
    Every path is checked before the first is written, so a refusal leaves the folder as it was."""
    root, map_file = result.options.content, result.options.map_file
    paths = {rel: _under_root(root, rel) for rel in sorted(result.writes)}
    if map_file.is_symlink():
        raise MergeRefused(f"{map_file} là liên kết tượng trưng; không ghi đè")
    for rel, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.writes[rel])
    map_file.write_text(result.map_text, encoding="utf-8")
    return list(paths)


def verify(content: Path, now: dt.datetime | None = None) -> list[Problem]:
    """The merged folder's problems, as the build's sequence finds them (``check`` adds the photos')."""
    return check_folder({**load_settings(content), "PATH": str(content)}, now or dates.now()).build.problems


def _under_root(root: Path, rel: str, refusal: str = "ở thư mục này; không ghi qua liên kết") -> Path:
    """The path of ``rel`` in ``root``, refused if it leaves it or any part of it is a link."""
    path = root
    for part in rel.split("/"):
        if part in ("", ".", ".."):
            raise MergeRefused(f"đường dẫn '{rel}' không hợp lệ")
        path = path / part
        if path.is_symlink():
            raise MergeRefused(f"{rel}: là liên kết tượng trưng {refusal}")
    return path
