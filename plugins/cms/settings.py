"""Settings of the web editor: defaults merged with ``PORTAL_CMS``."""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.settings import load_section

SECTION = "PORTAL_CMS"
# Git hosts the editor can work with, and those whose backend has Decap's editorial workflow
# (drafts, review, publish as branches and merge/pull requests). Gitea's backend has none;
# Forgejo's has it.
BACKENDS = ("gitea", "forgejo", "gitlab", "github", "proxy")
WORKFLOW_BACKENDS = ("forgejo", "gitlab", "github", "proxy")
BACKEND_KEYS = ("repo", "branch", "base_url", "api_root", "app_id", "auth_type", "auth_endpoint", "proxy_url")


@dataclass(frozen=True)
class CmsSettings:
    # False keeps /quan-tri/ out of the build (publishconf.py sets it for the public site).
    enabled: bool = True
    # The git host: {"name": "gitea", "repo": "ldld/cong-thong-tin", "branch": "main",
    # "base_url": "https://git.ldld.vn", "api_root": "https://git.ldld.vn/api/v1", "app_id": "…"}.
    backend: dict = field(default_factory=lambda: {"name": "gitea", "repo": "", "branch": "main"})
    # The local proxy (`invoke cms`, decap-server) the editor uses when opened on 127.0.0.1; "" for none.
    local_proxy: str = "http://127.0.0.1:8081/api/v1"
    # Drafts → ready → published as branches and merge requests, approved by the board.
    editorial_workflow: bool = False
    # The content folder's path inside the repository (what the git host sees).
    content_folder: str = "content"
    # The editors' guide, linked from the editor.
    guide_url: str = "/huong-dan-gui-tin-bai/"
    # Largest upload the editor accepts (bytes).
    max_upload: int = 20_000_000

    def __post_init__(self):
        name = self.backend.get("name", "")
        if name not in BACKENDS:
            raise ValueError(f"{SECTION}['backend']['name']: {name!r} không dùng được; hãy chọn một trong {list(BACKENDS)}")
        unknown = sorted(set(self.backend) - {"name", *BACKEND_KEYS})
        if unknown:
            raise ValueError(f"{SECTION}['backend']: khóa lạ {unknown}; các khóa dùng được: {list(BACKEND_KEYS)}")
        if self.editorial_workflow and name not in WORKFLOW_BACKENDS:
            raise ValueError(f"{SECTION}: backend {name!r} không có quy trình duyệt bài (editorial_workflow) của "
                             f"Decap CMS; hãy dùng {list(WORKFLOW_BACKENDS)} hoặc duyệt bằng merge request")
        if self.local_proxy and not self.local_proxy.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError(f"{SECTION}['local_proxy']: {self.local_proxy!r} phải là địa chỉ trên máy này, "
                             "ví dụ http://127.0.0.1:8081/api/v1")


def load(settings: dict) -> CmsSettings:
    return load_section(settings, SECTION, CmsSettings)
