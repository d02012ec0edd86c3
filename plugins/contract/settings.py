"""Settings of the content contract: defaults merged with ``PORTAL_CONTRACT``."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ContractSettings:
    article_dir: str = "articles"
    page_dir: str = "pages"
    static_dirs: tuple[str, ...] = ("images", "files")
    # Problems in drafts are reported as warnings so a half-written draft
    # never blocks the other articles.
    strict_drafts: bool = False


def load(settings: dict) -> ContractSettings:
    given = dict(settings.get("PORTAL_CONTRACT") or {})
    known = {f.name for f in fields(ContractSettings)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"PORTAL_CONTRACT: unknown keys {unknown}; known keys: {sorted(known)}")
    if "static_dirs" in given:
        given["static_dirs"] = tuple(given["static_dirs"])
    return ContractSettings(**given)
