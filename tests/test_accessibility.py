"""axe-core (the npm package, injected into the page) finds no serious or critical
accessibility problem on the main page types, at a phone and a desktop viewport, with the
site's Content-Security-Policy in force (the shared BrowserTab fails on any violation)."""

from __future__ import annotations

import pytest

from support import AXE_SCRIPT, SUMMARY, missing_tool

PAGE_TYPES = ["home", "article", "unit", "campaign", "section", "archive", "archive-year", "tag", "tags",
              "units", "campaigns", "statistics", "statistics-year", "search", "page", "404"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)}))
  }));
}"""
BLOCKING = {"serious", "critical"}
_minor: list[str] = []


def describe(violation: dict, limit: int = 5) -> str:
    lines = [f"[{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])} elements)"]
    for node in violation["nodes"][:limit]:
        lines.append(f"    {node['target']}  {node['html']}\n      {node['summary']}")
    return "\n".join(lines)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_serious_accessibility_violations(open_tab, served_site, main_pages, viewport, page_type):
    if not AXE_SCRIPT.is_file():
        missing_tool(f"{AXE_SCRIPT} not found (run npm ci in the repository root)")
    if page_type == "search" and not (served_site.output / "tim-kiem" / "index.html").is_file():
        pytest.fail("the search page /tim-kiem/ is not built (plugins/search not integrated yet)", pytrace=False)
    tab = open_tab(viewport)
    page = tab.goto(main_pages[page_type])
    if page_type == "search":
        page.locator("ol.search-results > li.search-result").first.wait_for()
    tab.add_axe()  # a same-origin script: the page runs under its Content-Security-Policy
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    for v in violations:
        if v["impact"] not in BLOCKING:
            _minor.append(f"{viewport} {page_type}: {v['id']}")
            print(f"\ninfo ({viewport} {page_type} {main_pages[page_type]}): {describe(v, limit=2)}")
    SUMMARY["axe"] = (f"axe-core: {len(_minor)} minor/moderate findings (pytest -s shows them)"
                      + (f": {', '.join(_minor[:6])}{' …' if len(_minor) > 6 else ''}" if _minor else ""))
    assert not blocking, f"{main_pages[page_type]} ({viewport}):\n" + "\n".join(describe(v) for v in blocking)
    tab.assert_clean()
