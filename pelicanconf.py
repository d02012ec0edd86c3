"""Settings of the portal for local builds and previews.

`invoke build` passes the content and output folders; everything else lives
here. `publishconf.py` adds what only the public site needs.
"""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from plugins.contract.articles import size_label  # noqa: E402
from plugins.contract.dates import format_vi_date, format_vi_datetime  # noqa: E402
from plugins import urls  # noqa: E402

SITENAME = "Cổng thông tin Công đoàn tỉnh Hà Sơn"
SITESUBTITLE = "Liên đoàn Lao động tỉnh Hà Sơn"
SITE_DESCRIPTION = "Tin tức hoạt động công đoàn, chính sách pháp luật và đời sống đoàn viên, người lao động tỉnh Hà Sơn."
SITE_LOGO = "images/logo.png"
SITE_NOTICE = "Dữ liệu mẫu: tỉnh Hà Sơn, các đơn vị, con người và sự kiện trên trang này đều là giả định, dùng để trình diễn."
# The owner's details in every page's footer (plugins/publishing/footer.py); an empty field is not shown.
# Sample data: the province, its address, phone, licence and people are fictional.
PORTAL_FOOTER = {
    "owner": "Liên đoàn Lao động tỉnh Hà Sơn",
    "address": "Số 12 đường Lê Lợi, phường Bến Thủy, tỉnh Hà Sơn",
    "phone": "0239 3855 123",
    "email": "bbt@ldldhason.vn",
    "responsible": "Trần Minh Hải, Phó Chủ tịch Liên đoàn Lao động tỉnh Hà Sơn",
    "licence": "Giấy phép số 01/GP-STTTT do Sở Thông tin và Truyền thông tỉnh Hà Sơn cấp ngày 15/3/2024 (dữ liệu mẫu).",
}
SITEURL = ""
RELATIVE_URLS = False

PATH = os.path.join(ROOT, "content")
THEME = os.path.join(ROOT, "theme")
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DELETE_OUTPUT_DIRECTORY = False

PLUGIN_PATHS = [ROOT]
PLUGINS = ["plugins.contract", "plugins.incremental", "plugins.images", "plugins.taxonomies", "plugins.feeds", "plugins.targets", "plugins.publishing", "plugins.search", "plugins.cms"]

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Photos in images/ are published by plugins.images in several widths, never as they are.
STATIC_PATHS = [urls.DOWNLOADS, SITE_LOGO]
ARTICLE_EXCLUDES = []
PAGE_EXCLUDES = []
IGNORE_FILES = [".*"]
FILENAME_METADATA = ""
USE_FOLDER_AS_CATEGORY = False
WITH_FUTURE_DATES = True
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
SLUGIFY_SOURCE = "title"

# Every *_URL / *_SAVE_AS setting and the pagination pattern come from the URL scheme.
globals().update(urls.pelican_settings())
DIRECT_TEMPLATES = ["index", "tags", "404"]

DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {
    "index": 12, "tag": None, "category": None, "unit": None,
    "campaign": None, "period_archives": 20,
}
SUMMARY_MAX_LENGTH = 40

# The home page (plugins/taxonomies/settings.py HomeSettings; README, "Trang chủ"): each article at
# most once; the lead block is the newest `Featured` items at most `featured_days` old, then the
# newest items; "Tin mới" and the section blocks skip what is already shown.
PORTAL_HOME = {"lead_count": 4, "featured_days": 7, "latest_count": 8, "per_section": 4}

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": []}
JINJA_GLOBALS = urls.template_globals()
JINJA_FILTERS = {"vi_datetime": format_vi_datetime, "vi_date": format_vi_date, "filesize": size_label}

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CACHE_PATH = os.path.join(ROOT, ".cache", "pelican")

# HTTP security headers and Content-Security-Policy (plugins/publishing/security.py has every
# directive and its default): the preview server sends them, base.html carries the <meta> copy,
# and `python -m plugins.publishing.security` prints the nginx snippet of README.md.
from plugins.publishing.security import csp_meta  # noqa: E402

PORTAL_SECURITY = {
    # Video players a page frames once the reader clicks a YouTube or Facebook poster (frame-src).
    "video_hosts": ["https://www.youtube-nocookie.com", "https://www.facebook.com"],
}
JINJA_FILTERS["csp_meta"] = csp_meta

# The web editor at /quan-tri/ (plugins/cms/settings.py has every key and its default): the git
# host it edits, and the local proxy `python3 tasks.py cms` starts for trying it on this clone.
PORTAL_CMS = {
    "backend": {"name": "gitea", "repo": "", "branch": "main"},
    "local_proxy": "http://127.0.0.1:8081/api/v1",
}
