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

# The web editor (/quan-tri/) is left out of the public site until the federation's git host is
# set here, for example {"backend": {"name": "forgejo", "repo": "ldld/cong-thong-tin", "branch": "main",
# "base_url": "https://git.ldld.vn", "api_root": "https://git.ldld.vn/api/v1", "app_id": "…"},
# "local_proxy": "", "editorial_workflow": True} (README: "Soạn tin bài trên trình duyệt").
PORTAL_CMS = {"enabled": False}
