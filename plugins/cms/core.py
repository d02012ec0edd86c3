"""The web editor's configuration, made from the content contract and the registries at every
build, so the form never drifts from what `check` accepts. Pure code: no Pelican import.

Every key of ``schema.ARTICLE`` becomes one field, named as the header writes it; the header
format the CMS writes and reads (theme/cms/portal-cms.js) learns the keys, their order, lists
and aliases from ``header_script``, written beside the configuration."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from types import MappingProxyType

import yaml

from plugins import urls
from plugins.contract import schema
from plugins.contract.articles import CONTENT_TYPES, DRAFT_STATUS, PUBLISHED_STATUS
from plugins.contract.downloads import DOWNLOAD_FOLDER
from plugins.contract.registry import Registry

from .settings import CmsSettings

# The custom format portal-cms.js registers: the `Key: value` header, a blank line, the body.
FORMAT = "portal-header"
# How the date widget writes a date (dayjs tokens): day first, 24-hour time, as `check` reads it.
DATE_FORMAT = "D/M/YYYY HH:mm"
DATE_SHOWN, TIME_SHOWN = "DD/MM/YYYY", "HH:mm"
# Photos the image plugin reads (Pillow with pillow-heif).
PHOTO_TYPES = ("jpg", "jpeg", "png", "webp", "heic")
BODY_FIELD = "body"
# The longest slug the header format makes from a title, as plugins.tools.new.SLUG_MAX (a test keeps them equal).
SLUG_MAX = 70
# Files the site serves at /quan-tri/ besides the bundle: made at build time, and the site's own script.
CONFIG_FILE, HEADER_FILE, SCRIPT_FILE = "config.yml", "portal-header.js", "portal-cms.js"
# The articles the URL record holds, for the Slug widget: made at build time from content/urls.lock.
RECORDED_FILE = "portal-recorded.js"
SLUG_WIDGET = "portal-slug"
BUNDLE_FOLDER = "decap-cms"
# Labels that are not the key's first Vietnamese alias.
LABELS = MappingProxyType({"Video": "Video", "Slug": "Đường dẫn (slug)"})


@dataclass(frozen=True)
class Option:
    label: str
    value: str


def label(key: schema.Key) -> str:
    return LABELS.get(key.name) or (key.aliases[0] if key.aliases else key.name)


def unit_options(registry: Registry, today: dt.date) -> list[Option]:
    """Units that exist today, in the order of the tree, shown by name and stored by id."""
    return [Option(unit.name, unit.id) for unit, _ in registry.walk() if unit.exists_on(today)]


def campaign_options(registry: Registry) -> list[Option]:
    """Campaigns, the latest first."""
    ordered = sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id), reverse=True)
    return [Option(f"{c.name} ({c.start.day}/{c.start.month}–{c.end.day}/{c.end.month}/{c.end.year})", c.id)
            for c in ordered]


def section_options(registry: Registry) -> list[Option]:
    return [Option(section.name, section.id) for section in registry.sections]


def choice_options(key: schema.Key) -> list[Option]:
    if key is schema.TYPE:
        return [Option(name, value) for value, name in CONTENT_TYPES.items()]
    if key is schema.STATUS:
        return [Option("Đăng (published)", PUBLISHED_STATUS), Option("Bản nháp, chưa đăng (draft)", DRAFT_STATUS)]
    raise ValueError(f"no options for the choice key {key.name}")


def _select(options: list[Option], multiple: bool = False) -> dict:
    field = {"widget": "select", "options": [{"label": o.label, "value": o.value} for o in options]}
    return {**field, "multiple": True} if multiple else field


def widget(key: schema.Key, registry: Registry, today: dt.date, settings: CmsSettings) -> dict:
    """The widget of one header key, by its type (a key of a new type fails here, loudly)."""
    if key.type is schema.KeyType.ID:
        options = {schema.UNIT.name: unit_options(registry, today), schema.CAMPAIGNS.name: campaign_options(registry),
                   schema.CATEGORY.name: section_options(registry)}[key.name]
        return _select(options, multiple=key.is_list)
    if key.type is schema.KeyType.DATE:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_SHOWN, "time_format": TIME_SHOWN}
    if key.type is schema.KeyType.CHOICE:
        return _select(choice_options(key))
    if key.type is schema.KeyType.YES_NO:
        return {"widget": "boolean", "default": False}
    if key.type is schema.KeyType.FILE and key is schema.IMAGE:
        return {"widget": "image", "choose_url": False}
    if key.type is schema.KeyType.FILE:
        folder = f"/{settings.content_folder}/{DOWNLOAD_FOLDER}"
        return {"widget": "list", "field": {"name": "file", "label": "Tệp", "widget": "file", "choose_url": False,
                                            "media_folder": folder, "public_folder": DOWNLOAD_FOLDER}}
    if key.type is schema.KeyType.SLUG:
        return {"widget": SLUG_WIDGET, "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", "chỉ chữ thường không dấu, số và dấu '-'"]}
    if key.type is schema.KeyType.URL:
        return {"widget": "string", "pattern": ["^https?://", "địa chỉ phải bắt đầu bằng https:// hoặc http://"]}
    if key.is_list:
        return {"widget": "list"}
    if key is schema.SUMMARY:
        return {"widget": "text"}
    if key.type in (schema.KeyType.TEXT, schema.KeyType.FILE_OR_URL):
        return {"widget": "string"}
    raise ValueError(f"no widget for the header key {key.name} ({key.type.value})")


def hint(key: schema.Key, settings: CmsSettings) -> str:
    extra = {
        schema.IMAGE.name: f"Ảnh {', '.join(t.upper() for t in PHOTO_TYPES)}, tối đa {settings.max_upload // 1_000_000} MB.",
        schema.ATTACHMENTS.name: f"Văn bản, bảng tính, tệp nén, âm thanh, video; tối đa "
                                 f"{settings.max_upload // 1_000_000} MB mỗi tệp. Không nhận HTML, SVG, JS.",
        schema.DATE.name: "Giờ theo đồng hồ máy tính của bạn; hãy để máy ở giờ Việt Nam (GMT+7).",
        schema.SLUG.name: "Không sửa sau khi bài đã đăng: địa chỉ đã chia sẻ sẽ hỏng.",
    }.get(key.name, "")
    text = key.help[:1].upper() + key.help[1:]
    return f"{text}. {extra}".strip() if extra else f"{text}."


def field(key: schema.Key, registry: Registry, today: dt.date, settings: CmsSettings) -> dict:
    made = {"name": key.name, "label": label(key), "hint": hint(key, settings), "required": key.required,
            **widget(key, registry, today, settings)}
    if key is schema.STATUS:
        made["default"] = PUBLISHED_STATUS if settings.editorial_workflow else DRAFT_STATUS
    if key is schema.CATEGORY and registry.sections:
        made["default"] = registry.sections[0].id
    if key is schema.TYPE:
        made["default"] = "tin"
    return made


def article_fields(registry: Registry, today: dt.date, settings: CmsSettings) -> list[dict]:
    body = {"name": BODY_FIELD, "label": "Nội dung", "widget": "markdown", "required": False,
            "hint": "Nội dung bài viết. Chèn ảnh bằng nút “+” → Ảnh; ghi mô tả ảnh và chú thích “Ảnh: …”."}
    return [field(key, registry, today, settings) for key in schema.ARTICLE] + [body]


def collections(registry: Registry, today: dt.date, years: list[int], settings: CmsSettings,
                article_dir: str) -> list[dict]:
    """One collection per year, the latest first, so that a decade of items keeps the lists short;
    new items go into the current year's folder, named as `invoke new` names them."""
    fields = article_fields(registry, today, settings)
    made = []
    for year in sorted(set(years) | {today.year}, reverse=True):
        made.append({
            "name": f"tin-bai-{year}", "label": f"Tin bài năm {year}", "label_singular": "tin bài",
            "description": f"Cách điền từng ô, ảnh, bản nháp và thông báo lỗi: Hướng dẫn gửi tin bài, {settings.guide_url}",
            "folder": f"{settings.content_folder}/{article_dir}/{year}", "create": year == today.year,
            "format": FORMAT, "extension": "md", "identifier_field": schema.TITLE.name,
            "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
            "summary": "{{%s}} · {{%s}}" % (schema.TITLE.name, schema.DATE.name),
            "fields": fields,
        })
    return made


def backend(settings: CmsSettings) -> dict:
    """The git host; without a repository named, the local proxy alone (`invoke cms`)."""
    given = {key: value for key, value in settings.backend.items() if value not in ("", None)}
    if "repo" not in given and settings.local_proxy:
        return {"name": "proxy", "proxy_url": settings.local_proxy, "branch": given.get("branch", "main")}
    return given


def configuration(registry: Registry, today: dt.date, years: list[int], settings: CmsSettings,
                  article_dir: str = "articles", site_url: str = "") -> dict:
    """The CMS's config.yml, as a mapping."""
    config = {
        "locale": "vi",
        "backend": backend(settings),
        "media_folder": f"{settings.content_folder}/{urls.PHOTOS}",
        "public_folder": urls.PHOTOS,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(registry, today, years, settings, article_dir),
    }
    if settings.local_proxy and config["backend"]["name"] != "proxy":
        config["local_backend"] = {"url": settings.local_proxy}
    if settings.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    if site_url:
        config["site_url"] = site_url
    return config


def dump(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)


def header_description() -> dict:
    """What the header format needs: each key in the order written, its list separator and
    type, and every name an editor may write for it (folded as the reader folds them)."""
    return {
        "keys": [{"name": key.name, "separator": key.separator, "type": key.type.value} for key in schema.ARTICLE],
        "aliases": schema.by_written_name(schema.ARTICLE),
        "body": BODY_FIELD,
        "slugMax": SLUG_MAX,
        "slugWidget": SLUG_WIDGET,
    }


def header_script() -> str:
    return f"window.PORTAL_HEADER = {json.dumps(header_description(), ensure_ascii=False, sort_keys=True)};\n"


def recorded_script(recorded: Mapping[str, str], content_folder: str) -> str:
    """Each file whose article the record holds (relative to the content folder, after the build's
    renames) and its URL, so that the Slug widget pins a published article's slug."""
    data = {"folder": content_folder, "urls": dict(recorded)}
    return f"window.PORTAL_RECORDED = {json.dumps(data, sort_keys=True)};\n"


def index_html(stylesheet: str, guide_url: str, csp: str, base: str) -> str:
    """The editor's page: the bundle, the header format, the site's stylesheet for the preview
    (``base``: the editor's folder on the site, e.g. ``/quan-tri``: every script is the site's own)."""
    return f"""<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
  <meta name="robots" content="noindex, nofollow">
  <title>Soạn tin bài – Quản trị nội dung</title>
  <link rel="cms-config-url" type="text/yaml" href="{escape(base)}/{CONFIG_FILE}">
  <meta name="portal-preview-style" content="{escape(stylesheet)}">
  <meta name="portal-guide" content="{escape(guide_url)}">
  <script src="{escape(base)}/{HEADER_FILE}"></script>
  <script src="{escape(base)}/{RECORDED_FILE}"></script>
  <script src="{escape(base)}/{SCRIPT_FILE}"></script>
  <script src="{escape(base)}/{BUNDLE_FOLDER}/decap-cms.js"></script>
</head>
<body>
  <noscript>Trang soạn tin bài cần bật JavaScript. Xem <a href="{escape(guide_url)}">Hướng dẫn gửi tin bài</a>.</noscript>
</body>
</html>
"""
