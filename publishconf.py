"""Settings of the public site: absolute URLs under the real address."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://congdoanhason.example.vn")
RELATIVE_URLS = False
