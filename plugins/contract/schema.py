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

from .text import fold, fold_key


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
class Choice:
    """One value of a CHOICE key and the other words editors write for it."""

    value: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType
    help: str
    required: bool = False
    # The separator of a list value ("" for one value).
    separator: str = ""
    # Other names an editor may write for the key; a name or alias matches whatever its case,
    # spaces, '-', '_' or accents ("tieu de" is "Tiêu đề"), see ``by_written_name``.
    aliases: tuple[str, ...] = ()
    # The values of a CHOICE key that the reader turns into their canonical word.
    choices: tuple[Choice, ...] = ()
    # Indented lines under the key stay separate lines (one item each) instead of joining the value.
    by_line: bool = False

    @property
    def is_list(self) -> bool:
        return bool(self.separator)


TITLE = Key("Title", KeyType.TEXT, "tiêu đề tin, bài", required=True, aliases=("Tiêu đề", "Tựa đề", "Tên bài"))
DATE = Key("Date", KeyType.DATE, "ngày, giờ đăng, giờ Việt Nam (3/7/2024 08:30); ngày trong tương lai là bài hẹn giờ",
           required=True, aliases=("Ngày", "Ngày đăng", "Ngày giờ"))
UNIT = Key("Unit", KeyType.ID, "mã đơn vị gửi bài, lấy trong units.yml", required=True,
           aliases=("Đơn vị", "Mã đơn vị"))
SLUG = Key("Slug", KeyType.SLUG, "phần cuối địa chỉ của bài (chữ thường không dấu, số, '-'); bỏ trống thì lấy từ tiêu đề",
           aliases=("Đường dẫn",))
CAMPAIGNS = Key("Campaigns", KeyType.ID, "mã các chiến dịch trong campaigns.yml", separator=",",
                aliases=("Chiến dịch", "Campaign"))
CATEGORY = Key("Category", KeyType.ID, "chuyên mục (mã hoặc tên trong sections.yml); mặc định là chuyên mục đầu tiên",
               aliases=("Chuyên mục", "Danh mục", "Section"))
TAGS = Key("Tags", KeyType.TEXT, "từ khóa", separator=",", aliases=("Từ khóa", "Tag"))
TYPE = Key("Type", KeyType.CHOICE, "thể loại: tin (mặc định), bai, phong-su, anh, video, infographic",
           aliases=("Thể loại", "Loại tin", "Loại bài"))
AUTHOR = Key("Author", KeyType.TEXT, "tác giả hoặc đơn vị viết bài", aliases=("Tác giả", "Người viết"))
IMAGE = Key("Image", KeyType.FILE, "ảnh đại diện, trong thư mục images/",
            aliases=("Ảnh", "Ảnh đại diện", "Hình ảnh"))
IMAGE_ALT = Key("ImageAlt", KeyType.TEXT, "mô tả nội dung ảnh cho người khiếm thị; luôn ghi khi có Image",
                aliases=("Mô tả ảnh", "Alt"))
IMAGE_CAPTION = Key("ImageCaption", KeyType.TEXT, "chú thích ảnh: ảnh chụp gì, ở đâu, khi nào",
                    aliases=("Chú thích ảnh", "Chú thích", "Caption"))
IMAGE_CREDIT = Key("ImageCredit", KeyType.TEXT, "tên người chụp hoặc nguồn ảnh, hiện sau chú thích (“Ảnh: …”)",
                   aliases=("Nguồn ảnh", "Người chụp", "Tác giả ảnh", "Credit"))
SUMMARY = Key("Summary", KeyType.TEXT, "sa-pô, tóm tắt một, hai câu; bỏ trống thì lấy những câu đầu bài",
              aliases=("Tóm tắt", "Sa-pô"))
SOURCE = Key("Source", KeyType.URL, "địa chỉ bài gốc khi đăng lại bài của báo khác",
             aliases=("Nguồn", "Bài gốc"))
SOURCE_NAME = Key("SourceName", KeyType.TEXT, "tên báo gốc khi đăng lại bài",
                  aliases=("Tên nguồn", "Tên báo"))
FEATURED = Key("Featured", KeyType.YES_NO, "yes để đưa bài lên khu vực tin nổi bật",
               aliases=("Nổi bật", "Tin nổi bật"))
ATTACHMENTS = Key("Attachments", KeyType.FILE, "tệp đính kèm trong files/, mỗi tệp một dòng thụt vào: "
                  "'- files/ten-tep.pdf | Tiêu đề tệp' (hoặc nhiều tệp cách nhau bởi dấu phẩy, không tiêu đề)",
                  separator=",", by_line=True,
                  aliases=("Tệp đính kèm", "Đính kèm", "Attachment"))
VIDEO = Key("Video", KeyType.FILE_OR_URL, "tệp .mp4 trong files/ hoặc địa chỉ video https://…")
ALIASES = Key("Aliases", KeyType.PATH, "địa chỉ cũ của bài (hoặc trang) trên trang web trước đây, được chuyển hướng sang địa chỉ mới",
              separator=",", aliases=("Địa chỉ cũ", "Alias"))
STATUS = Key("Status", KeyType.CHOICE, "published (đăng; mặc định) hoặc draft (bản nháp, chưa đăng)",
             aliases=("Trạng thái",),
             choices=(Choice("published", ("đăng", "đã đăng", "công khai", "xuất bản")),
                      Choice("draft", ("nháp", "bản nháp", "chưa đăng"))))
MODIFIED = Key("Modified", KeyType.DATE, "ngày, giờ cập nhật bài, cùng cách viết như Date",
               aliases=("Ngày cập nhật", "Ngày sửa", "Cập nhật"))
ROYALTY = Key("Royalty", KeyType.TEXT, "mức nhuận bút do Ban Biên tập ghi: một chữ cái (A, B, C…) trong nhuan-but.yml",
              aliases=("Nhuận bút", "Mức nhuận bút"))
PHOTOGRAPHER = Key("Photographer", KeyType.TEXT, "người chụp ảnh được trả nhuận bút ảnh riêng (họ tên, bút danh hoặc "
                   "id trong authors.yml; nhiều người cách nhau bởi dấu phẩy)", separator=",",
                   aliases=("Nhiếp ảnh", "Phóng viên ảnh", "Người chụp ảnh"))

# The keys of an article, in the order the reader lists them to an editor.
ARTICLE = (TITLE, DATE, UNIT, SLUG, CAMPAIGNS, CATEGORY, TAGS, TYPE, AUTHOR, IMAGE, IMAGE_ALT, IMAGE_CAPTION,
           IMAGE_CREDIT, SUMMARY, SOURCE, SOURCE_NAME, FEATURED, ATTACHMENTS, VIDEO, ALIASES, STATUS, MODIFIED,
           ROYALTY, PHOTOGRAPHER)
# The keys of a page (a page has no date, unit or campaigns).
PAGE = (TITLE, SLUG, SUMMARY, STATUS, MODIFIED, IMAGE, IMAGE_ALT, ALIASES)
# The header ``invoke new`` writes, in its order: the keys an editor usually fills.
NEW_ARTICLE = (TITLE, DATE, UNIT, SLUG, CATEGORY, CAMPAIGNS, TAGS, TYPE, AUTHOR, IMAGE, IMAGE_ALT, IMAGE_CAPTION,
               IMAGE_CREDIT, SUMMARY, STATUS)


def names(keys: tuple[Key, ...]) -> tuple[str, ...]:
    return tuple(key.name for key in keys)


def by_written_name(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each name or alias an editor may write, folded (``fold_key``), to the key's name."""
    return {fold_key(written): key.name for key in keys for written in (key.name, *key.aliases)}


def choice_of(key: Key, value: str) -> str:
    """The canonical word for ``value`` of a CHOICE key (``nháp`` is ``draft``), or ``value`` as written."""
    for choice in key.choices:
        if fold(value) in (fold(word) for word in (choice.value, *choice.aliases)):
            return choice.value
    return value


def choice_words(key: Key) -> dict[str, str]:
    """Every word written for a value of ``key``, to its canonical word."""
    return {word: choice.value for choice in key.choices for word in (choice.value, *choice.aliases)}


def _check() -> None:
    """A name or alias means one key, and ``invoke new`` writes only keys of an article."""
    for keys in (ARTICLE, PAGE):
        written = [fold_key(w) for key in keys for w in (key.name, *key.aliases)]
        if len(written) != len(set(written)):
            raise ValueError(f"two keys share a name or an alias: {sorted(written)}")
    for key in (*ARTICLE, *PAGE):
        words = [fold(w) for w in choice_words(key)]
        if len(words) != len(set(words)):
            raise ValueError(f"two values of {key.name} share a word: {sorted(words)}")
    if not set(NEW_ARTICLE) <= set(ARTICLE):
        raise ValueError("NEW_ARTICLE names a key that is not an article's")


_check()
