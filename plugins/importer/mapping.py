"""The mapping file: each old category and author to a unit of units.yml and a section.

The federation fills it once; the import writes it with every category and author of the
export (keeping what is filled in), so a second export or a new category only adds lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from plugins.contract.problems import Problem, suggest
from plugins.contract.registry import Registry
from plugins.contract.registry_yaml import YamlMap, read_yaml

from .sources import OldItem, OldSite

HEAD = ("# Bảng chuyển chuyên mục và tác giả của website cũ sang đơn vị (mã trong units.yml) và chuyên mục\n"
        "# (mã trong sections.yml). Điền unit: và section: rồi chạy lại lệnh nhập bài.\n"
        "# Một bài lấy đơn vị của chuyên mục đầu tiên có unit:, nếu không có thì đơn vị của tác giả;\n"
        "# chuyên mục của bài là section: của chuyên mục cũ đầu tiên có điền (bỏ trống: chuyên mục mặc định).\n")


@dataclass(frozen=True)
class Entry:
    name: str
    unit: str = ""
    section: str = ""


@dataclass
class Mapping:
    categories: dict[str, Entry] = field(default_factory=dict)
    authors: dict[str, Entry] = field(default_factory=dict)

    def unit_of(self, item: OldItem) -> str:
        for term in item.categories:
            unit = self.categories.get(term.slug, Entry("")).unit
            if unit:
                return unit
        return self.authors.get(item.author, Entry("")).unit

    def section_of(self, item: OldItem) -> str:
        return next((self.categories[t.slug].section for t in item.categories
                     if self.categories.get(t.slug, Entry("")).section), "")

    def merged(self, site: OldSite) -> Mapping:
        """This mapping with a line for every category and author of ``site`` (filled ones kept)."""
        categories = dict(self.categories)
        for term in (*site.categories, *(t for item in site.items for t in item.categories)):
            categories.setdefault(term.slug, Entry(term.name))
        authors = dict(self.authors)
        for term in site.authors:
            authors.setdefault(term.slug, Entry(term.name))
        for item in site.items:
            if item.author:
                authors.setdefault(item.author, Entry(item.author_name))
        return Mapping(categories, authors)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def mapping_text(mapping: Mapping) -> str:
    lines = [HEAD, "categories:"]
    for slug in sorted(mapping.categories):
        entry = mapping.categories[slug]
        lines += [f"  {json.dumps(slug, ensure_ascii=False)}:", f"    name: {_q(entry.name)}".rstrip(), f"    unit: {_q(entry.unit)}".rstrip(),
                  f"    section: {_q(entry.section)}".rstrip()]
    lines.append("authors:")
    for login in sorted(mapping.authors):
        entry = mapping.authors[login]
        lines += [f"  {json.dumps(login, ensure_ascii=False)}:", f"    name: {_q(entry.name)}".rstrip(), f"    unit: {_q(entry.unit)}".rstrip()]
    return "\n".join(lines) + "\n"


def read_mapping(path: Path, label: str, registry: Registry) -> tuple[Mapping, list[Problem]]:
    """The mapping at ``path`` (empty when there is none), each unit and section checked against the registry."""
    if not path.exists():
        return Mapping(), []
    data, problems, readable = read_yaml(path, label)
    if not readable:
        return Mapping(), problems
    if data is None:
        return Mapping(), problems
    if not isinstance(data, YamlMap) or not set(data) <= {"categories", "authors"}:
        return Mapping(), problems + [Problem(label, getattr(data, "line", 1), "tệp chuyển đổi phải có hai mục "
                                              "'categories:' và 'authors:' như lệnh nhập bài đã ghi; hãy xóa tệp để "
                                              "lệnh ghi lại", code="E805")]
    mapping = Mapping()
    for group, target in (("categories", mapping.categories), ("authors", mapping.authors)):
        entries = data.get(group) or {}
        if not isinstance(entries, dict):
            problems.append(Problem(label, data.line_of(group), "tệp chuyển đổi phải có hai mục 'categories:' và "
                                    "'authors:' như lệnh nhập bài đã ghi; hãy xóa tệp để lệnh ghi lại", code="E805"))
            continue
        for key, value in entries.items():
            value = value if isinstance(value, YamlMap) else YamlMap() if not isinstance(value, dict) else _lined(value)
            unit = str(value.get("unit") or "").strip()
            section = str(value.get("section") or "").strip()
            if unit and unit not in registry.units:
                problems.append(Problem(label, value.line_of("unit"), f"đơn vị '{unit}' không có trong units.yml; "
                                        "hãy ghi mã đơn vị (id) đúng như trong units.yml."
                                        f"{suggest(unit, registry.units)}", code="E806"))
                unit = ""
            if section:
                found = registry.find_section(section)
                if found is None:
                    problems.append(Problem(label, value.line_of("section"), f"chuyên mục '{section}' không có "
                                            "trong sections.yml; hãy ghi mã hoặc tên chuyên mục như trong sections.yml",
                                            code="E807"))
                section = found.id if found else ""
            target[str(key)] = Entry(str(value.get("name") or ""), unit, section)
    return mapping, problems


def _lined(value: dict) -> YamlMap:
    lined = YamlMap()
    lined.update(value)
    return lined
