"""Every generated HTML file passes the Nu Html Checker (vnu.jar from the npm package vnu-jar), and
the structured data of every article page the JSON Schema committed with the tests."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from support import SUMMARY, VNU_JAR, missing_tool
from support.structured import json_ld, schema_errors, validator


def run_vnu(folder) -> list[dict]:
    """All messages of one vnu.jar run (one JVM) over every HTML file under ``folder``."""
    java = shutil.which("java")
    if java is None:
        missing_tool("Java not found (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR} not found (run npm ci in the repository root)")
    done = subprocess.run(
        # Read from disk, the pages' meta CSP matches no origin ('self' is the served site), so the
        # checker would flag every stylesheet and script; the browser tests check the policy for real.
        [java, "-Xss1m", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html",
         "--filterpattern", r".*Resource violates Content Security Policy \(meta tag\).*", str(folder)],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    try:
        messages = json.loads(done.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu.jar gave no JSON report (exit {done.returncode}):\n{done.stderr[-3000:]}") from None
    return [m for m in messages if not is_data_block_warning(m)]


def is_data_block_warning(message: dict) -> bool:
    """The checker's CSP warning on a JSON-LD block: a data block is never run, so browsers apply
    no script-src to it (the browser tests watch every page for CSP reports). Any other inline
    script is still reported."""
    return (message.get("message", "").startswith("Inline script violates Content Security Policy")
            and '<script type="application/ld+json">' in message.get("extract", ""))


def where(message: dict, root) -> str:
    path = unquote(urlsplit(message.get("url", "")).path)
    rel = path[len(str(root)):].lstrip("/") if path.startswith(str(root)) else path
    return f"{rel}:{message.get('lastLine', '?')}"


def test_every_page_passes_the_nu_html_checker(served_site):
    assert len(served_site.html_files()) > 100, "the sample site should have hundreds of pages"
    messages = run_vnu(served_site.output)
    errors = [m for m in messages if m.get("type") != "info"]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    SUMMARY["vnu"] = line = (f"Nu Html Checker: {len(served_site.html_files())} pages, "
                             f"{len(errors)} errors, {len(warnings)} warnings")
    print(line)
    for text, count in Counter(m.get("message") for m in warnings).most_common():
        print(f"  warning ×{count}: {text}")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(
        f"{where(m, served_site.output)}: {m.get('message')}" for m in errors
    )


def test_every_article_page_has_news_article_data_the_schema_accepts(served_site):
    check = validator()
    sitemap = (served_site.output / "sitemap.xml").read_text(encoding="utf-8")
    articles = {url.strip("/") + "/index.html" for url in re.findall(r"<loc>(/\d{4}/\d{2}/[^<]+/)</loc>", sitemap)}
    problems = []
    for path in served_site.html_files():
        rel = path.relative_to(served_site.output).as_posix()
        blocks = json_ld(BeautifulSoup(path.read_text(encoding="utf-8"), "lxml"))
        if rel not in articles:
            problems += [f"{rel}: structured data on a page that is not an article"] if blocks else []
            continue
        if len(blocks) != 1:
            problems.append(f"{rel}: {len(blocks)} JSON-LD blocks")
            continue
        problems += [f"{rel}: {e}" for e in schema_errors(check, blocks[0])]
    assert len(articles) >= 80
    assert problems == [], "\n".join(problems[:20])


def test_only_the_checkers_warning_on_a_data_block_is_left_out():
    warning = {"type": "info", "subType": "warning",
               "message": "Inline script violates Content Security Policy (meta tag): blocked by “script-src” directive"}
    assert is_data_block_warning({**warning, "extract": 'm.xml">\n  <script type="application/ld+json">{"@con'})
    assert not is_data_block_warning({**warning, "extract": '\n  <script>alert(1)</script>'})
    assert not is_data_block_warning({"type": "error", "message": "Stray end tag “div”.",
                                      "extract": '<script type="application/ld+json">'})
