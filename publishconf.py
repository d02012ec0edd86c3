"""Settings of the public site: absolute URLs under the real address."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://congdoanhason.example.vn")
RELATIVE_URLS = False

# The statistics section goes to a separate folder for the editorial board,
# not to the public site; set "board_output" to "" to publish it.
PORTAL_TARGETS = {"board_output": os.path.join(ROOT, "output-board")}
