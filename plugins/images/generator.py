"""Pelican generator: publishes every photo articles and pages use in several
widths, draws a social card for each article, unit, campaign and the home
page, and rewrites the HTML to use them."""

from __future__ import annotations

import logging
import posixpath
from dataclasses import asdict, dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from pelican.generators import Generator

from plugins import urls
from plugins.contract.body import body_html, replace_body
from plugins.contract.build import portal_build
from plugins.contract.dates import format_vi_date
from plugins.contract.problems import Problem
from plugins.contract.slugs import slugify

from . import cards, core, markup
from .settings import ImageSettings, cache_root, card_style, load
from .store import Digests, Store, make_key
from .work import CardJob, DeriveJob, Runner, run

logger = logging.getLogger(__name__)

BODY_SIZES = "(min-width: 760px) 720px, 100vw"


@dataclass(frozen=True)
class Card:
    """A published social card; ``url`` is relative to the site root."""

    url: str
    absolute_url: str
    width: int
    height: int
    alt: str


@dataclass
class Use:
    """Where a photo is used: the item and the line of its source file."""

    item: object
    line: int


@dataclass
class RunStats:
    """What one build did, so a rebuild can be seen to redo nothing."""

    photos: int = 0
    photos_made: int = 0
    cards: int = 0
    cards_drawn: int = 0
    decoded: int = 0
    files: int = 0

    def summary(self) -> str:
        return (f"Ảnh: {self.photos} ảnh ({self.photos_made} xử lý mới), {self.cards} thẻ chia sẻ "
                f"({self.cards_drawn} vẽ mới), {self.files} tệp xuất bản.")



@dataclass
class _Photo:
    path: str
    uses: list[Use] = field(default_factory=list)
    key: str = ""
    meta: dict | None = None
    image: core.Responsive | None = None


class ImagesGenerator(Generator):
    def generate_context(self):
        st = portal_build(self)
        self.options: ImageSettings = load(self.settings)
        self.root = st.root
        cache = cache_root(self.options, self.settings)
        self.store = Store(cache / "objects")
        self.digests = Digests(cache / "digests.json")
        self.stats = st.images = RunStats()
        # (key, suffix, url) of every published file, and the job that makes each key again.
        self.files: list[tuple[str, str, str]] = []
        self.jobs: dict[str, DeriveJob | CardJob] = {}
        self.records: dict[str, dict] = {}
        self.prefix = urls.href(self.settings["SITEURL"], urls.HOME)
        self.absolute = urls.base_of(self.settings)
        self.style = card_style(self.options)
        self.fonts = (self.options.font_bold, self.options.font_semibold, self.options.font_regular)
        self.font_digests = [self.digests.of(Path(f)) for f in self.fonts]
        self.logo = self._logo()

        items = self.context["articles"] + self.context["pages"]
        photos = self._collect(items)
        with Runner(self.options.worker_count(), self.options.pool_min_jobs) as runner:
            self._derive(photos, runner)
            self._apply(items, photos)
            self._cards(photos, runner)
        self.digests.save()
        self.context.update(site_card=self.site_card, portal_absolute_url=self.absolute, picture=self._picture)

    def _picture(self, image: core.Responsive, alt: str, sizes: str, lazy: bool = True) -> Markup:
        """For templates: a photo as ``<picture>``, lazy unless it is above the fold."""
        return Markup(markup.picture_html(image, self.prefix, sizes, {"alt": escape(alt)}, lazy))

    # Photos

    def _collect(self, items) -> dict[str, _Photo]:
        photos: dict[str, _Photo] = {}
        for item in items:
            source = item.portal_source
            cover = getattr(item, "cover", None)
            for path, line in markup.uses(cover.url if cover is not None else None, source.line_of("Image"),
                                          body_html(item), item.portal_references, source.path):
                photos.setdefault(path, _Photo(path)).uses.append(Use(item, line))
        return photos

    def _derive(self, photos: dict[str, _Photo], runner: Runner) -> None:
        o = self.options
        jobs: dict[str, DeriveJob] = {}
        for photo in photos.values():
            full = self.root / photo.path
            if not full.is_file():
                continue  # reported by the content checks
            photo.key = make_key("photo", self.digests.of(full), o.widths, o.jpeg_quality, o.webp_quality)
            photo.meta = self.store.lookup(photo.key)
            job = self.jobs[photo.key] = DeriveJob(photo.key, str(full), o.widths, o.jpeg_quality, o.webp_quality,
                                                   o.max_pixels, str(self.store.root))
            if photo.meta is None:
                jobs[photo.key] = job
        outcomes = {out.key: out for out in runner(list(jobs.values()))}
        self.stats.photos_made = sum(1 for out in outcomes.values() if out.meta)
        self.stats.decoded += sum(out.decoded for out in outcomes.values())
        for photo in photos.values():
            if not photo.key:
                continue
            outcome = outcomes.get(photo.key)
            if outcome is not None and outcome.problem:
                self._report(photo, outcome.problem)
                continue
            photo.meta = self.records[photo.key] = photo.meta or outcome.meta
            photo.image = self._publish_photo(photo, photo.meta)
        self.stats.photos = sum(1 for p in photos.values() if p.image)

    def _publish_photo(self, photo: _Photo, meta: dict) -> core.Responsive:
        folder, name = posixpath.split(photo.path)
        stem = slugify(posixpath.splitext(name)[0]) or "anh"
        folder = "/".join(slugify(part) or "anh" for part in folder.split("/"))
        jpeg, webp = [], []
        for width, height, jpeg_size, webp_size in meta["variants"]:
            for ext, size, mime, bucket in (("jpg", jpeg_size, "image/jpeg", jpeg), ("webp", webp_size, "image/webp", webp)):
                url = urls.photo(folder, stem, width, photo.key[:10], ext)
                self.files.append((photo.key, f"-{width}.{ext}", url))
                bucket.append(core.Variant(url, width, height, size, mime))
        return core.Responsive(tuple(jpeg), tuple(webp))

    def _report(self, photo: _Photo, problem: core.ImageProblem) -> None:
        message = markup.problem_message(photo.path, str(problem))
        portal_build(self).report(Problem(use.item.relative_source_path, use.line, message, code=problem.code)
                                  for use in photo.uses)

    def _apply(self, items, photos: dict[str, _Photo]) -> None:
        def lookup(path: str) -> core.Responsive | None:
            photo = photos.get(path)
            return photo.image if photo else None

        for item in items:
            cover = getattr(item, "cover", None)
            item.cover_picture = lookup(cover.url) if cover is not None else None
            replace_body(item, markup.rewrite(body_html(item), lookup, self.prefix, BODY_SIZES))
        # Pelican would otherwise copy every photo a body links to as it is.
        self.context["static_links"] -= {path for path, photo in photos.items() if photo.image}

    # Social cards

    def _logo(self) -> Path | None:
        """The logo for the cards; the site's one check of SITE_LOGO, so a missing file
        is also left out of whatever else reads SITE_LOGO (the header shows the theme's SVG)."""
        logo = self.settings.get("SITE_LOGO")
        if not logo:
            return None
        path = self.root / logo
        if not path.is_file():
            logger.warning("SITE_LOGO '%s' không có trong thư mục nội dung; thẻ chia sẻ sẽ không có logo", logo)
            self.context["SITE_LOGO"] = ""
            return None
        try:
            core.open_image(path, self.options.max_pixels)
        except core.ImageProblem as exc:
            logger.warning("SITE_LOGO '%s': %s; thẻ chia sẻ sẽ không có logo", logo, exc)
            return None
        return path

    def _wanted_cards(self, photos: dict[str, _Photo]) -> list[tuple[object, str, cards.CardText, _Photo | None]]:
        """(owner, page URL, text, cover photo) of every card; the owner None is the home page."""
        site_name = self.settings["SITENAME"]
        registry = portal_build(self).registry
        wanted = []
        for article in self.context["articles"]:
            photo = photos.get(article.cover.url) if article.cover else None
            text = cards.CardText(article.title, article.unit_name,
                                  format_vi_date(article.date), site_name)
            wanted.append((article, article.url, text, photo if photo and photo.image else None))
        for unit in registry.units.values():
            wanted.append((unit, unit.url, cards.CardText(unit.name, unit.kind_label, "", site_name), None))
        for campaign in registry.campaigns.values():
            period = f"{format_vi_date(campaign.start)} – {format_vi_date(campaign.end)}"
            text = cards.CardText(campaign.name, "Chiến dịch", period, site_name)
            wanted.append((campaign, campaign.url, text, None))
        home = cards.CardText(self.settings.get("SITESUBTITLE") or site_name, "", "", site_name)
        wanted.append((None, urls.HOME, home, None))
        return wanted

    def _cards(self, photos: dict[str, _Photo], runner: Runner) -> None:
        logo_digest = self.digests.of(self.logo) if self.logo else ""
        logo = str(self.logo) if self.logo else None
        jobs: dict[str, CardJob] = {}
        keyed = []
        for owner, name, text, photo in self._wanted_cards(photos):
            key = make_key("card", asdict(text), asdict(self.style), self.font_digests, logo_digest,
                           photo.key if photo else "")
            keyed.append((owner, name, text, key))
            if key in self.jobs:
                continue
            cover = str(self.root / photo.path) if photo else None
            self.jobs[key] = CardJob(key, text, self.style, self.fonts, cover, logo, self.options.max_pixels,
                                     str(self.store.root))
            record = self.store.lookup(key)
            if record is None:
                jobs[key] = self.jobs[key]
            else:
                self.records[key] = record
        outcomes = runner(list(jobs.values()))
        for outcome in outcomes:
            if outcome.problem:  # the cover decoded once already, so only a changed file gets here
                logger.error("thẻ chia sẻ %s: %s", outcome.key[:10], outcome.problem)
            else:
                self.records[outcome.key] = outcome.meta
        self.stats.cards_drawn = len(outcomes)
        self.stats.decoded += sum(out.decoded for out in outcomes)
        self.stats.cards = len(keyed)
        for owner, page_url, text, key in keyed:
            url = urls.card(page_url, key[:10], self.options.card_folder)
            self.files.append((key, ".jpg", url))
            card = Card(url, self.absolute + url, self.style.width, self.style.height, text.title)
            if owner is None:
                self.site_card = card
            else:
                owner.card = card

    def generate_output(self, writer):
        """Copy every published file out of the store (never a link: the store may change or be
        damaged later), making a key again if a file of it turns out damaged."""
        output = Path(self.output_path)
        ledger = getattr(portal_build(self).incremental, "ledger", None)
        for key, suffix, url in {url: (key, suffix, url) for key, suffix, url in self.files}.values():
            record = self.records.get(key)
            if record is None:
                continue  # its card could not be drawn; reported already
            # The previous output's copy has these very bytes (checked when it was copied out).
            carried_as = f"{key}{suffix}:{record['files'][suffix][1]}"
            if ledger is not None and ledger.carry(url, carried_as):
                continue
            target = output / url
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # never written through: a carried file shares the live site's inode
            if not self.store.copy_out(key, suffix, record, target) and not self._remake(key, suffix, target):
                logger.error("bộ nhớ đệm ảnh: không tạo lại được %s cho %s", key[:10], url)
            elif ledger is not None:
                ledger.record(url, f"{key}{suffix}:{self.records[key]['files'][suffix][1]}")
        self.stats.files = len(self.files)

    def _remake(self, key: str, suffix: str, target: Path) -> bool:
        """Run the job of a damaged key again, here, and copy its fresh file."""
        outcome = run(self.jobs[key])
        old = self.records[key]
        if outcome.problem or {**outcome.meta, "files": None} != {**old, "files": None}:
            return False  # the pages already show the old sizes; only the same result will do
        self.records[key] = outcome.meta
        return self.store.copy_out(key, suffix, outcome.meta, target)
