"""Walk the content folder once so no file is skipped silently."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .downloads import DOWNLOAD_FOLDER
from .problems import Problem


@dataclass
class Inventory:
    articles: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)
    # Files in files/, published as downloads.
    downloads: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def scan(root: Path, article_dir: str, page_dir: str) -> Inventory:
    inventory = Inventory()
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(os.path.relpath(dirpath, root)).as_posix()
        for name in list(dirnames):
            rel = _join(rel_dir, name)
            if name.startswith("."):
                dirnames.remove(name)
            elif os.path.islink(os.path.join(dirpath, name)):
                inventory.problems.append(Problem(rel, 1, "thư mục là liên kết tượng trưng (symlink); hãy thay bằng thư mục thật", code="E521"))
                dirnames.remove(name)
        for name in filenames:
            if not name.startswith("."):
                _classify(inventory, root, _join(rel_dir, name), article_dir, page_dir)
    return inventory


def _classify(inventory: Inventory, root: Path, rel: str, article_dir: str, page_dir: str) -> None:
    top = rel.split("/")[0]
    if os.path.islink(root / rel):
        inventory.problems.append(Problem(rel, 1, "tệp là liên kết tượng trưng (symlink); hãy chép tệp thật vào thư mục nội dung", code="E522"))
    elif top in (article_dir, page_dir) and not rel.endswith(".md"):
        inventory.problems.append(Problem(rel, 1, f"tệp không có đuôi .md nên sẽ không được đăng; hãy đổi tên thành ….md hoặc chuyển ra khỏi {top}/", code="E523"))
    elif top == article_dir:
        inventory.articles.add(rel)
    elif top == page_dir:
        inventory.pages.add(rel)
    elif top == DOWNLOAD_FOLDER and "/" in rel:
        inventory.downloads.add(rel)
    elif rel.endswith((".md", ".markdown")):
        inventory.problems.append(Problem(rel, 1, f"bài viết phải nằm trong thư mục {article_dir}/ (trang tĩnh trong {page_dir}/); tệp này sẽ không được đăng", code="E524"))


def _join(base: str, name: str) -> str:
    return name if base == "." else f"{base}/{name}"
