"""The keys editors write at the top of a file, declared once.

Each key has its name, what kind of value it takes, how a list is separated,
whether it is required, the other names editors may write for it and a help
text in Vietnamese. The reader (``header.ARTICLE_KEYS``, ``PAGE_KEYS``),
``invoke new`` (``NEW_ARTICLE``) and the editors'-guide test read it, so adding
or renaming a key is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class KeyType(str, Enum):
    TEXT = "text"
    DATE = "date"
    ID = "id"              # an id from units.yml, campaigns.yml or sections.yml
    SLUG = "slug"
    CHOICE = "choice"      # one of a fixed list of words
    YES_NO = "yes-no"
    FILE = "file"          # a file of the content folder
    URL = "url"
    FILE_OR_URL = "file-or-url"
    PATH = "path"          # an address on the site


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType
    help: str
    required: bool = False
    # The separator of a list value ("" for one value).
    separator: str = ""
    # Other names an editor may write for the key (matched like the name, whatever the case).
    aliases: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.separator)


TITLE = Key("Title", KeyType.TEXT, "tiêu đề tin, bài", required=True)
DATE = Key("Date", KeyType.DATE, "ngày, giờ đăng, giờ Việt Nam (3/7/2024 08:30); ngày trong tương lai là bài hẹn giờ",
           required=True)
UNIT = Key("Unit", KeyType.ID, "mã đơn vị gửi bài, lấy trong units.yml", required=True)
SLUG = Key("Slug", KeyType.SLUG, "phần cuối địa chỉ của bài (chữ thường không dấu, số, '-'); bỏ trống thì lấy từ tiêu đề")
CAMPAIGNS = Key("Campaigns", KeyType.ID, "mã các chiến dịch trong campaigns.yml", separator=",")
CATEGORY = Key("Category", KeyType.ID, "chuyên mục (mã hoặc tên trong sections.yml); mặc định là chuyên mục đầu tiên")
TAGS = Key("Tags", KeyType.TEXT, "từ khóa", separator=",")
TYPE = Key("Type", KeyType.CHOICE, "thể loại: tin (mặc định), bai, phong-su, anh, video, infographic")
AUTHOR = Key("Author", KeyType.TEXT, "tác giả hoặc đơn vị viết bài")
IMAGE = Key("Image", KeyType.FILE, "ảnh đại diện, trong thư mục images/")
IMAGE_ALT = Key("ImageAlt", KeyType.TEXT, "mô tả nội dung ảnh cho người khiếm thị; luôn ghi khi có Image")
IMAGE_CAPTION = Key("ImageCaption", KeyType.TEXT, "chú thích ảnh, ghi tên người chụp (“Ảnh: …”)")
SUMMARY = Key("Summary", KeyType.TEXT, "sa-pô, tóm tắt một, hai câu; bỏ trống thì lấy những câu đầu bài")
SOURCE = Key("Source", KeyType.URL, "địa chỉ bài gốc khi đăng lại bài của báo khác")
SOURCE_NAME = Key("SourceName", KeyType.TEXT, "tên báo gốc khi đăng lại bài")
FEATURED = Key("Featured", KeyType.YES_NO, "yes để đưa bài lên khu vực tin nổi bật")
ATTACHMENTS = Key("Attachments", KeyType.FILE, "tệp đính kèm trong files/", separator=",")
VIDEO = Key("Video", KeyType.FILE_OR_URL, "tệp .mp4 trong files/ hoặc địa chỉ video https://…")
ALIASES = Key("Aliases", KeyType.PATH, "địa chỉ cũ của bài trên trang web trước đây, được chuyển hướng sang địa chỉ mới",
              separator=",")
STATUS = Key("Status", KeyType.CHOICE, "published (đăng; mặc định) hoặc draft (bản nháp, chưa đăng)")
MODIFIED = Key("Modified", KeyType.DATE, "ngày, giờ cập nhật bài, cùng cách viết như Date")

# The keys of an article, in the order the reader lists them to an editor.
ARTICLE = (TITLE, DATE, UNIT, SLUG, CAMPAIGNS, CATEGORY, TAGS, TYPE, AUTHOR, IMAGE, IMAGE_ALT, IMAGE_CAPTION,
           SUMMARY, SOURCE, SOURCE_NAME, FEATURED, ATTACHMENTS, VIDEO, ALIASES, STATUS, MODIFIED)
# The keys of a page (a page has no date, unit or campaigns).
PAGE = (TITLE, SLUG, SUMMARY, STATUS, MODIFIED, IMAGE, IMAGE_ALT)
# The header ``invoke new`` writes, in its order: the keys an editor usually fills.
NEW_ARTICLE = (TITLE, DATE, UNIT, SLUG, CATEGORY, CAMPAIGNS, TAGS, TYPE, AUTHOR, IMAGE, IMAGE_ALT, IMAGE_CAPTION,
               SUMMARY, STATUS)


def names(keys: tuple[Key, ...]) -> tuple[str, ...]:
    return tuple(key.name for key in keys)


def by_written_name(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each name or alias an editor may write, lower-cased, to the key's name."""
    return {written.lower(): key.name for key in keys for written in (key.name, *key.aliases)}


def _check() -> None:
    """A name or alias means one key, and ``invoke new`` writes only keys of an article."""
    for keys in (ARTICLE, PAGE):
        written = [w.lower() for key in keys for w in (key.name, *key.aliases)]
        if len(written) != len(set(written)):
            raise ValueError(f"two keys share a name or an alias: {sorted(written)}")
    if not set(NEW_ARTICLE) <= set(ARTICLE):
        raise ValueError("NEW_ARTICLE names a key that is not an article's")


_check()
