"""The NewsArticle JSON-LD of a built page and the JSON Schema committed with the tests."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "newsarticle.schema.json"


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_ld(soup: BeautifulSoup) -> list[dict]:
    """Every ``application/ld+json`` block of the page, parsed."""
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def schema_errors(check: Draft202012Validator, data: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(gốc)'}: {e.message}" for e in check.iter_errors(data)]
