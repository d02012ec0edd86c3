"""Helpers shared by the test files: builds of fixture folders (``site``), the served sample
portal (``served``) and the browser tab that watches it (``browser``). ``conftest.py`` turns
them into pytest fixtures; test files import what they need from here."""

from .browser import (AXE_URL, CSP_WATCH, SCREENSHOTS, SUMMARY, VIEWPORTS, BrowserTab, csp_text, launch_chromium,
                      show_every_result)
from .served import (AXE_SCRIPT, NODE_MODULES, VNU_JAR, ServedSite, build_sample, main_pages_of, missing_tool,
                     serving, soup)
from .site import (FIXTURES, NOW, ROOT, SETTINGS, Site, build_in_subprocess, card_titles, epoch, files_of, links,
                   photo_url, registry_of)

__all__ = [
    "AXE_SCRIPT", "AXE_URL", "CSP_WATCH", "FIXTURES", "NODE_MODULES", "NOW", "ROOT", "SCREENSHOTS", "SETTINGS",
    "SUMMARY", "VIEWPORTS", "VNU_JAR", "BrowserTab", "ServedSite", "Site", "build_in_subprocess", "build_sample",
    "card_titles",
    "csp_text", "epoch", "files_of", "launch_chromium", "links", "main_pages_of", "missing_tool", "photo_url",
    "registry_of", "serving", "show_every_result", "soup",
]
