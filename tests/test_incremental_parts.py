"""The parts of incremental builds on their own: template chains, digests, the ledger, the render pool."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from jinja2 import DictLoader, Environment

from plugins.incremental.fingerprint import Fingerprints
from plugins.incremental.ledger import Ledger, Manifest, replace_file
from plugins.incremental.render import Page, RenderPool, can_fork
from plugins.incremental.templates import EVERYTHING, closure


def _env(**templates: str) -> Environment:
    return Environment(loader=DictLoader(templates))


def test_a_template_reads_the_chains_it_names_and_what_it_includes():
    env = _env(page="{% extends 'base' %}{% block body %}{{ article.older.title }}"
                    "{% for s in portal.sections %}{{ s.name }}{% endfor %}"
                    "{{ portal.by_unit[unit] }}{% include 'card' %}{% endblock %}",
               base="<title>{{ SITENAME }}</title>{% block body %}{% endblock %}",
               card="{{ now.year }}")
    found = closure(env, "page")
    assert set(found.chains) == {("article", "older", "title"), ("portal", "sections"), ("portal", "by_unit"),
                                 ("unit",), ("SITENAME",), ("now", "year")}
    assert closure(env, "card").digest != found.digest


def test_a_template_named_at_render_time_makes_the_whole_context_count():
    env = _env(page="{% include which %}", other="x")
    assert EVERYTHING in closure(env, "page").chains


def test_the_digest_of_a_changed_source_changes():
    before = closure(_env(page="{{ a }}", base=""), "page").digest
    assert closure(_env(page="{{ a }} ", base=""), "page").digest != before


@dataclass(eq=False)
class Item:
    title: str
    source_path: str
    older: "Item | None" = None
    tags: set = field(default_factory=set)

    @property
    def url(self) -> str:
        return self.title.lower().replace(" ", "-")


def _fingerprints() -> Fingerprints:
    return Fingerprints(lambda value: isinstance(value, Item))


def test_an_items_digest_covers_what_it_holds_not_its_neighbours():
    one, two = Item("Tin một", "a.md"), Item("Tin hai", "b.md")
    one.older = two
    first = _fingerprints().digest(one)
    two.title = "Tin hai đã sửa"
    assert _fingerprints().digest(one) == first
    one.title = "Tin một đã sửa"
    assert _fingerprints().digest(one) != first


def test_a_sets_digest_does_not_depend_on_its_order():
    a = Item("Tin", "a.md", tags={"đoàn viên", "công đoàn", "lao động"})
    b = Item("Tin", "a.md", tags={"lao động", "công đoàn", "đoàn viên"})
    assert _fingerprints().digest(a) == _fingerprints().digest(b)


def test_cycles_are_digested():
    ring: list = []
    ring.append(ring)
    assert _fingerprints().digest(ring) == _fingerprints().digest(ring)


def test_the_ledger_carries_only_a_file_made_from_the_same_key(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    replace_file(old / "a/index.html", b"trang a")
    replace_file(old / "b/index.html", b"trang b")
    ledger = Ledger(new, Manifest(str(old), {"a/index.html": "k1", "b/index.html": "k2"}))
    assert ledger.carry("a/index.html", "k1")
    assert not ledger.carry("b/index.html", "k2-changed")
    assert not ledger.carry("c/index.html", "k3")
    assert (new / "a/index.html").read_bytes() == b"trang a"
    assert os.stat(new / "a/index.html").st_ino == os.stat(old / "a/index.html").st_ino
    assert not (new / "b/index.html").exists()
    assert ledger.current.files == {"a/index.html": "k1"}


def test_a_carried_file_is_replaced_never_written_through(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    replace_file(old / "index.html", b"trang cu")
    Ledger(new, Manifest(str(old), {"index.html": "k"})).carry("index.html", "k")
    replace_file(new / "index.html", b"trang moi")
    assert (old / "index.html").read_bytes() == b"trang cu"
    assert (new / "index.html").read_bytes() == b"trang moi"


def test_a_damaged_manifest_means_everything_is_made_again(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"version": 1, "folder": 3, "files": [1]}', encoding="utf-8")
    assert Manifest.load(path) == Manifest()
    path.write_bytes(b"\xff\x00")
    assert Manifest.load(path) == Manifest()


class _Template:
    def __init__(self, fail: bool = False):
        self.fail = fail

    def render(self, context: dict) -> str:
        if self.fail:
            raise ValueError("hỏng")
        return f"<p>{context['n']} – {os.getpid() > 0}</p>"


def _pages(count: int) -> list[Page]:
    return [Page(f"p/{n}/index.html", _Template(fail=n == 7), {"n": n}) for n in range(count)]


def test_forked_workers_write_what_one_process_writes(tmp_path):
    failures = {}
    for workers in (1, 2):
        pool = RenderPool(tmp_path / str(workers), workers=workers, min_pages=1)
        for page in _pages(30):
            pool.add(page)
        assert pool.workers_for(30) == (workers if can_fork() else 1)
        failures[workers] = pool.run()
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*.html")}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*.html")}
    assert one == two and len(one) == 29
    assert [name for name, _ in failures[1]] == [name for name, _ in failures[2]] == ["p/7/index.html"]
