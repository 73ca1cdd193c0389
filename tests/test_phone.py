"""Phone first (issue 18): at 375 px every number of the ledger, countries and chart tables is
on the screen without scrolling sideways, and the header is at most 120 px tall; the same
pages at 1280 px, light and dark, in both languages. Screenshots go to
test-artifacts/screenshots/ (look at them)."""
from __future__ import annotations

import pytest

from .browser import ARTIFACTS

pytestmark = pytest.mark.slow     # Chromium

SHOTS = ARTIFACTS / "screenshots"
HEADER_MAX = 120

# page, its screenshot's name, the table whose numbers must all be on screen
PAGES = [("", "home", "details.chart-data table"), ("ledger/", "ledger", "table.ledger"),
         ("countries/", "countries", "table.countries"), ("countries/lt/", "country", None)]

# every cell of `main` holding a digit: where it lies, and whether it is shown at all
CELLS = """() => {
  for (const d of document.querySelectorAll('main details')) d.open = true;
  return [...document.querySelectorAll('main td, main tbody th')]
    .filter(c => /\\d/.test(c.textContent))
    .map(c => { const r = c.getBoundingClientRect();
                return {text: c.textContent.trim().slice(0, 40), left: r.left, right: r.right,
                        width: r.width, table: c.closest('table').className}; });
}"""


@pytest.fixture(scope="module")
def site(repo_site_url):
    """The repository's own site, served under /repo/ (conftest)."""
    return repo_site_url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang, prefix", [("ru", ""), ("en", "en/")])
def test_every_number_is_on_screen(browser, site, lang, prefix, width, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 850})
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for path, name, table in PAGES:
        page.goto(site + prefix + path)
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}-{scheme}.png"))
        header = page.locator(".site-header").bounding_box()["height"]
        if width == 375 and header > HEADER_MAX:
            problems.append(f"{path}: the header is {header:.0f} px tall")
        cells = page.evaluate(CELLS)
        if table:
            wanted = page.locator(f"main {table} td.num").count()
            assert wanted > 10, (path, table)       # the table is there, with its numbers
            if width == 375:    # the table as a phone shows it
                page.locator(f"main {table}").scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"{name}-table-{lang}-{width}-{scheme}.png"))
        for c in cells:
            if c["width"] == 0 or c["left"] < -0.5 or c["right"] > width + 0.5:
                problems.append(f"{path}: {c['table']}: {c['text']!r} at {c['left']:.0f}–"
                                f"{c['right']:.0f} px")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width:
            problems.append(f"{path}: the page is {overflow} px wide")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang, prefix", [("ru", ""), ("en", "en/")])
def test_the_chart_marks_are_reached_with_tab_and_open_their_event(browser, site, lang, prefix):
    context = browser.new_context(viewport={"width": 1280, "height": 850})
    page = context.new_page()
    page.goto(site + prefix)
    marks = page.locator("svg.chart a")
    first = marks.first.get_attribute("href")
    assert first == f"/repo/{prefix}events/2024-07-03-amnesty-releases/"
    assert marks.count() == page.locator("details.chart-data tbody tr").count() > 20
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.chart')"):
            break
    else:
        pytest.fail("Tab never reached a mark of the chart")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url("**" + first)
    assert page.url.endswith(first)
    assert page.locator("h1").count() == 1
    context.close()
