"""`invoke report-picture`: the README's pictures of the first page of the yearly report
(its DOCX converted to PDF by LibreOffice) and of the printed statistics page.

A documentation tool: CI and the tests do not need LibreOffice, only whoever refreshes
the pictures in docs/images/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# Width of the pictures in the README, in pixels, and the colours they are reduced to.
WIDTH = 1000
COLOURS = 64
SOFFICE = ("soffice", "libreoffice")
INSTALL_HINT = "sudo apt install libreoffice-writer-nogui fonts-liberation"
# Seconds LibreOffice may take to convert one document.
CONVERT_TIMEOUT = 180


class PictureError(Exception):
    """A picture cannot be made; the message says what to install or run."""


def soffice() -> str:
    for name in SOFFICE:
        found = shutil.which(name)
        if found:
            return found
    raise PictureError(f"không tìm thấy LibreOffice (lệnh soffice) để chuyển DOCX sang PDF; hãy cài: {INSTALL_HINT}")


def docx_to_pdf(docx: Path, folder: Path) -> Path:
    """``docx`` converted to ``folder/<name>.pdf`` by headless LibreOffice, with a profile of its own
    in ``folder`` so a LibreOffice already open on this machine is not disturbed."""
    profile = (folder / "libreoffice-profile").resolve().as_uri()
    command = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(folder), str(docx)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
                                env={**os.environ, "HOME": str(folder)})
    except subprocess.TimeoutExpired:
        raise PictureError(f"LibreOffice chưa chuyển xong {docx.name} sau {CONVERT_TIMEOUT} giây") from None
    pdf = folder / f"{docx.stem}.pdf"
    if result.returncode != 0 or not pdf.is_file():
        said = (result.stderr or result.stdout).strip().splitlines()
        raise PictureError(f"LibreOffice không chuyển được {docx.name} sang PDF" + (f": {said[-1]}" if said else ""))
    return pdf


def first_page_png(pdf: Path, png: Path, width: int = WIDTH) -> Path:
    """Page 1 of ``pdf`` as a PNG ``width`` pixels wide, reduced to a few colours to stay small."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        # Half a pixel less: the renderer rounds the page's size up.
        image = page.render(scale=(width - 0.5) / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    png.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=COLOURS).save(png, optimize=True)
    return png
