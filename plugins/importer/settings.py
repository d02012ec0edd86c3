"""The importer's limits and file names, in one frozen record."""

from __future__ import annotations

from dataclasses import dataclass

# The mapping file written beside the export when categories or authors have no unit yet.
MAP_FILE = "import-map.yml"
# The report of everything the import could not carry.
REPORT_FILE = "bao-cao-nhap.txt"
# An export or feed larger than this is refused before it is parsed.
MAX_EXPORT_BYTES = 256 * 1024 * 1024
# One uploaded photo or document larger than this is not copied.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
# The original text quoted in a note is cut to this many characters.
NOTE_QUOTE_CHARS = 240
# A summary taken from the first paragraph is cut to about this many characters.
SUMMARY_CHARS = 300
# Photos carried into images/, documents into files/ (the portal's downloads decide the rest).
PHOTO_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif"})


@dataclass(frozen=True)
class ImportSettings:
    max_export_bytes: int = MAX_EXPORT_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    note_quote_chars: int = NOTE_QUOTE_CHARS
    summary_chars: int = SUMMARY_CHARS


DEFAULTS = ImportSettings()
