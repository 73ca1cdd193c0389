"""Quality gates on the built sample site, as CI runs them (issue 8):

- valid HTML, CSS and SVG: the Nu Html Checker over every file, in one Java call;
- accessibility: axe-core (WCAG 2.0/2.1 A and AA) in Chromium, light and dark, both languages;
- keyboard use: skip link, visible focus, the chart's data table;
- working links: every page, link, resource and #anchor fetched over HTTP under a sub-path;
- feeds against the Atom RELAX NG schema (RFC 4287), sitemap.xml against the sitemaps.org XSD.

Each checker is also shown a small broken sample ("canary", in the same call where the
checker is a separate program), so a checker that silently checks nothing fails the test.
"""
from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest


from .browser import serve
from .conftest import TESTS
from .crawl import parse
from .tools import (AXE_JS, JING_MAIN, SITEMAP_XSD, VNU_JAR, require_file, require_module,
                    require_tool)

ATOM_RNC = TESTS / "data" / "atom.rnc"
SITEMAP_XHTML_XSD = TESTS / "data" / "sitemap-xhtml-link.xsd"
SUB_PATH = "https://user.github.io/repo/"
ATOM = "{http://www.w3.org/2005/Atom}"

NU_FALSE_POSITIVES: set[str] = set()   # none: a message here needs a reason beside it


def _write(files: dict[str, bytes], out: Path) -> Path:
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


@pytest.fixture(scope="module")
def root_site(sample_files, tmp_path_factory):
    """The sample site as `sitegen build` makes it (site at the domain root), on disk."""
    return _write(sample_files, tmp_path_factory.mktemp("root"))


@pytest.fixture(scope="module")
def sub_site(sample_site, sample_site_url):
    """The sample site built for a sub-path, with its search index, and served there
    (conftest): (directory, base URL)."""
    assert sample_site_url.endswith(urlsplit(SUB_PATH).path)
    return sample_site, sample_site_url


# -- a. the Nu Html Checker ---------------------------------------------------------------

CANARY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><main><p><div>block in a paragraph</div></p><span id="x"></span><span id="x"></span>
</main></body></html>
"""


@pytest.mark.slow
def test_nu_html_checker(root_site, tmp_path):
    """Every HTML page (both languages, and 404.html), the CSS and the SVG: no errors."""
    java = require_tool("java")
    require_file(VNU_JAR)
    pages = sorted(p.relative_to(root_site).as_posix() for p in root_site.rglob("*.html"))
    assert "404.html" in pages and "index.html" in pages and "en/index.html" in pages
    others = sorted(p.relative_to(root_site).as_posix() for p in root_site.rglob("*")
                    if p.suffix in (".css", ".svg"))
    assert others == ["static/favicon.svg", "static/style.css"]
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY_HTML, encoding="utf-8")
    # one JVM for everything: --also-check-css/-svg check *.css and *.svg as CSS and SVG
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                          "--stdout", "--also-check-css", "--also-check-svg",
                          *pages, *others, str(canary)],
                         cwd=root_site, capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu checker gave no JSON report (exit {run.returncode}):\n"
                    f"{run.stdout[:2000]}\n{run.stderr[:2000]}")
    errors = [m for m in messages if m.get("type") != "info"]
    found = {_nu_file(m["url"], root_site, canary) for m in errors if "url" in m}
    assert "CANARY" in found, "the Nu checker did not report the broken canary page"
    problems = [f"{_nu_file(m.get('url', ''), root_site, canary)}:{m.get('lastLine', '?')}: "
                f"{m['message']}" for m in errors
                if _nu_file(m.get("url", ""), root_site, canary) != "CANARY"
                and m["message"] not in NU_FALSE_POSITIVES]
    assert not problems, "the Nu Html Checker found errors:\n" + "\n".join(problems)


def _nu_file(url: str, root: Path, canary: Path) -> str:
    path = unquote(url.removeprefix("file:"))
    if path == str(canary):
        return "CANARY"
    return path.removeprefix(str(root) + "/").removeprefix("./")


# -- b. axe-core in Chromium --------------------------------------------------------------

# home, timeline, a year, an event, an article, a country, the countries, the ledger, a free
# page, a missing page (served with 404.html, in every language), a timeline of one kind or
# status, the timeline filtered in place by its script, and newest first
AXE_PAGES = {
    "ru": ["", "timeline/", "timeline/2025/", "events/2025-12-13-release-123/",
           "articles/2025-12-13-release-123/", "countries/lt/", "countries/", "ledger/",
           "about/", "search/?q=Statkevich", "no/such/page/", "timeline/kind/release/",
           "timeline/newest/?kind=release&country=LT", "timeline/newest/"],
    "en": ["en/", "en/timeline/", "en/timeline/2025/", "en/events/2025-12-13-release-123/",
           "en/articles/2025-09-12-foreigners/", "en/countries/lt/", "en/countries/",
           "en/ledger/", "en/about/", "en/search/?q=freed", "en/no/such/page/", "en/timeline/status/reported/",
           "en/timeline/?status=confirmed&year=2025"],
}
AXE_WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"
# axe leaves text over a background gradient unchecked ("incomplete"), and every table sits
# in a .table-scroll whose gradients draw the scroll shadows. Where nothing overflows (this
# 1280 px viewport) the shadows are covered and the text is on the page background, so the
# gradients are turned off before axe runs, and every node whose contrast axe still could not
# check is a problem, but for the chart's (its data in the table below it).
NO_SCROLL_SHADOWS = ".table-scroll { background-image: none !important; }"
IN_CHART = "(selector) => !!document.querySelector(selector)?.closest('svg.chart')"
CANARY_A11Y = """<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><main>
<h1>Canary</h1><p style="color:#aaa;background:#fff">low contrast</p>
<form><input type="text"></form></main></body></html>"""


@pytest.fixture(scope="module")
def browser(browser):
    """The session's Chromium (conftest), once axe-core is known to be there."""
    require_file(AXE_JS)
    return browser


def _axe_problems(result: dict, where: str) -> list[str]:
    problems = []
    for v in result["violations"]:
        node = v["nodes"][0]
        why = "".join(f"; {c['message']}" for c in (node["any"] + node["all"] + node["none"])[:1])
        html = " ".join(node["html"].split())[:200]
        problems.append(f"{where}: {v['id']} ({v.get('impact')}): {v['help']}; "
                        f"{len(v['nodes'])} node(s), first {node['target']}: {html}{why}")
    return problems


@pytest.mark.slow
def test_axe_catches_a_broken_page(browser):
    """axe-core, put in each page as test_axe_wcag_aa puts it, runs and reports: a
    low-contrast text and an unlabelled input (the page answered by the context itself)."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(AXE_JS))
    context.route("http://canary.test/", lambda route: route.fulfill(
        body=CANARY_A11Y, content_type="text/html; charset=utf-8"))
    page = context.new_page()
    page.goto("http://canary.test/")
    result = page.evaluate(f"axe.run(document, {AXE_WCAG})")
    context.close()
    assert {"color-contrast", "label"} <= {v["id"] for v in result["violations"]}


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_axe_wcag_aa(browser, sub_site, lang, scheme):
    """Zero WCAG 2.1 A/AA violations on every kind of page, in light and dark colours."""
    _, url = sub_site
    # bypass_csp: the pages' CSP (script-src 'self') would refuse the injected axe script
    context = browser.new_context(color_scheme=scheme, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    # axe-core in every page the context opens, from its start: sent to the browser once,
    # not with each page
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    problems = []
    for path in AXE_PAGES[lang]:
        where = f"/repo/{path} [{scheme}]"
        response = page.goto(url + path)
        assert response.status == (404 if "no/such" in path else 200), where
        if "search/" in path:   # its results, made by its script, are checked too
            page.wait_for_selector("#search_app[data-state=done] #search_results li")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == \
            (scheme == "dark")
        page.add_style_tag(content=NO_SCROLL_SHADOWS)
        result = page.evaluate(f"axe.run(document, {AXE_WCAG})")
        problems += _axe_problems(result, where)
        for v in result["incomplete"]:
            if v["id"] != "color-contrast":
                continue
            for node in v["nodes"]:
                checks = node["any"] + node["all"] + node["none"]
                key = checks[0].get("data", {}).get("messageKey") if checks else None
                # one character: axe cannot tell text from icon
                if key != "shortTextContent" and not page.evaluate(IN_CHART, node["target"][0]):
                    problems.append(f"{where}: color-contrast could not be checked ({key}): "
                                    f"{node['target']}: {node['html'][:200]}")
    context.close()
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)


# -- c. keyboard --------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className,
          text: e.textContent.trim().slice(0, 60),
          inMain: !!e.closest('main'), inChartData: !!e.closest('.chart-data'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none',
          box: [r.x, r.y, r.width, r.height]};
}"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_keyboard(browser, sub_site, lang):
    """Skip link first and visible, Enter lands in main, every focus visible, chart table open."""
    _, url = sub_site
    width, height = 1280, 900
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url + ("en/" if lang == "en" else ""))
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0 or box["x"] + box["width"] <= 0 or \
        (box["width"] <= 1 and box["height"] <= 1), f"the skip link shows before focus: {box}"

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first and "skip-link" in first["cls"], \
        f"the first Tab focuses {first}, not the skip link"
    x, y, w, h = first["box"]
    assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= width and y + h <= height, \
        f"the focused skip link is not inside the viewport: {first['box']}"
    assert first["outline"] or first["shadow"], "the focused skip link has no visible outline"

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'site_main'")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    assert after and after["inMain"], f"Tab after the skip link focuses {after}, not main content"

    # walk every Tab stop of the page: each one visibly focused; the chart's summary among them
    page.goto(url + ("en/" if lang == "en" else ""))
    seen, no_outline, summary_at = [], [], None
    for i in range(300):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED)
        if f is None or (seen and f == seen[0]):
            break
        seen.append(f)
        if f["tag"] in ("a", "summary") and not (f["outline"] or f["shadow"]):
            no_outline.append(f"<{f['tag']}> {f['text']!r}")
        if f["tag"] == "summary" and f["inChartData"] and summary_at is None:
            summary_at = i
    assert len(seen) > 10, f"only {len(seen)} Tab stops on the home page"
    assert not no_outline, "focused without a visible outline:\n" + "\n".join(no_outline)
    assert summary_at is not None, "the chart's data table <summary> is not reachable with Tab"

    page.goto(url + ("en/" if lang == "en" else ""))
    table = page.locator(".chart-data table")
    assert not table.is_visible()
    for _ in range(summary_at + 1):
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["tag"] == "summary"
    page.keyboard.press("Enter")
    assert page.locator(".chart-data").evaluate("d => d.open")
    assert table.is_visible() and table.locator("tbody tr").count() > 0
    context.close()


# -- d. links over HTTP -------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with _OPENER.open(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), b""


def check_links(base: str, site_url: str, pages: list[str]) -> list[str]:
    """Problems with `pages` (paths under the base) as a reader's browser would meet them.

    Every page is fetched; so is every link and resource on it that stays on this origin, and
    every link to the site's public URL (`site_url`: canonical, alternates, feeds), mapped to
    the server; an #anchor must be an id of the page it points into. Redirects count as broken.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    fetched: dict[str, tuple[int, str, object]] = {}

    def fetch(url):
        if url not in fetched:
            status, ctype, body = _get(url)
            html = parse(body.decode("utf-8")) if "html" in ctype and status == 200 else None
            fetched[url] = (status, ctype, html)
        return fetched[url]

    problems = []
    for path in pages:
        page_url = base + path
        status, ctype, html = fetch(page_url)
        if html is None:
            problems.append(f"{urlsplit(page_url).path}: HTTP {status} ({ctype}) for the page")
            continue
        for tag, attr, link, _ in html.links:
            if attr == "srcset":
                targets = [c.strip().split()[0] for c in link.split(",") if c.strip()]
            else:
                targets = [link]
            for target in targets:
                absolute = urljoin(page_url, target)
                if absolute.startswith(site_url):
                    absolute = base + absolute[len(site_url):]
                if not absolute.startswith(origin + "/"):
                    continue          # another origin: never loaded (tests/crawl.py checks)
                where = f"{urlsplit(page_url).path}: <{tag} {attr}={target!r}>"
                if not absolute.startswith(base):
                    problems.append(f"{where} leaves the base path {urlsplit(base).path}")
                    continue
                document, fragment = urldefrag(absolute)
                status, ctype, target_html = fetch(document)
                if status != 200:
                    redirect = " (a redirect: link to where it leads)" \
                        if 300 <= status < 400 else ""
                    problems.append(f"{where}: HTTP {status}{redirect}")
                elif fragment and target_html is None:
                    problems.append(f"{where}: #{fragment} into a {ctype or 'non-HTML'} file")
                elif fragment and unquote(fragment) not in target_html.ids:
                    problems.append(f"{where}: no id {unquote(fragment)!r} in that page")
    return problems


def _sub_pages(directory: Path) -> list[str]:
    """Every HTML page as a URL path under the base: index.html by its folder."""
    return sorted(p.relative_to(directory).as_posix().removesuffix("index.html")
                  for p in directory.rglob("*.html"))


def test_links_over_http(sub_site):
    directory, url = sub_site
    pages = _sub_pages(directory)
    assert "" in pages and "en/" in pages and "404.html" in pages and len(pages) > 60
    problems = check_links(url, SUB_PATH, pages)
    assert not problems, "broken links over HTTP:\n" + "\n".join(problems)
    # the feeds and the sitemap name the site's public URLs: each one is served
    named = []
    for name in ("feed.xml", "en/feed.xml", "sitemap.xml"):
        root = ET.fromstring((directory / name).read_bytes())
        named += [(name, e.text) for e in root.iter() if e.tag.endswith("}loc")]
        named += [(name, e.get("href")) for e in root.iter() if e.tag.endswith("}link")]
    assert len(named) > 100
    broken = []
    for name, link in sorted(set(named)):
        status = _get(url + link[len(SUB_PATH):])[0] if link.startswith(SUB_PATH) else None
        if status != 200:
            broken.append(f"{name}: {link}: " + (f"HTTP {status}" if status else "not on the site"))
    assert not broken, "feed or sitemap URLs that are not served:\n" + "\n".join(broken)


def test_link_check_finds_broken_links(sub_site, tmp_path):
    """The HTTP link check itself can fail: a dead link, a dead anchor, a missing image."""
    directory, _ = sub_site
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "index.html").write_bytes(
        (directory / "ledger" / "index.html").read_bytes() +
        b'<a href="/repo/nowhere/">x</a><a href="/repo/#no-such">y</a><img src="gone.png" alt="">'
        b'<a href="/elsewhere/">z</a>')
    for name in ("index.html", "404.html"):
        (tmp_path / name).write_bytes((directory / name).read_bytes())
    with serve(tmp_path, "/repo/") as url:
        problems = check_links(url, SUB_PATH, ["ledger/"])
    expected = ["/repo/ledger/: <a href='/repo/nowhere/'>: HTTP 404",
                "/repo/ledger/: <a href='/repo/#no-such'>: no id 'no-such' in that page",
                "/repo/ledger/: <img src='gone.png'>: HTTP 404",
                "/repo/ledger/: <a href='/elsewhere/'> leaves the base path /repo/"]
    assert [p for p in expected if p not in problems] == [], problems


# -- e. feeds and sitemap against their schemas ------------------------------------------

CANARY_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2025-12-13</updated>
<author><name>a</name></author></feed>
"""


@pytest.mark.slow
def test_atom_feeds_are_valid(root_site, tmp_path):
    """Both feeds against the RELAX NG schema of RFC 4287 (jing), and its Schematron rules."""
    java = require_tool("java")
    require_file(VNU_JAR)
    feeds = ["feed.xml", "en/feed.xml"]
    canary = tmp_path / "canary.xml"
    canary.write_text(CANARY_FEED, encoding="utf-8")
    run = subprocess.run([java, "-cp", str(VNU_JAR), JING_MAIN, "-c", str(ATOM_RNC),
                          *feeds, str(canary)],
                         cwd=root_site, capture_output=True, text=True, timeout=120)
    lines = (run.stdout + run.stderr).splitlines()
    assert any(line.startswith(str(canary)) and "updated" in line for line in lines) and \
        any(line.startswith(str(canary)) and "missing required child element “id”" in line
            for line in lines), "jing did not report the broken canary feed:\n" + "\n".join(lines)
    problems = [line for line in lines if not line.startswith(str(canary))]
    assert not problems, "feeds do not match the Atom schema:\n" + "\n".join(problems)
    # the schema's two Schematron rules, which jing does not run
    for name in feeds:
        feed = ET.fromstring((root_site / name).read_bytes())
        entries = feed.findall(f"{ATOM}entry")
        assert entries, name
        assert feed.find(f"{ATOM}author") is not None or \
            all(e.find(f"{ATOM}author") is not None for e in entries), \
            f"{name}: an atom:feed must have an atom:author unless every entry has one"
        for entry in entries:
            links = entry.findall(f"{ATOM}link")
            assert entry.find(f"{ATOM}content") is not None or \
                any(link.get("rel", "alternate") == "alternate" for link in links), \
                f"{name}: entry {entry.findtext(f'{ATOM}id')} has no alternate link or content"


def test_sitemap_matches_the_sitemaps_org_schema(root_site):
    etree = require_module("lxml.etree")
    require_file(SITEMAP_XSD)
    both = (f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f'<xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'schemaLocation="{SITEMAP_XSD.resolve().as_uri()}"/>'
            f'<xsd:import namespace="http://www.w3.org/1999/xhtml" '
            f'schemaLocation="{SITEMAP_XHTML_XSD.resolve().as_uri()}"/></xsd:schema>')
    schema = etree.XMLSchema(etree.fromstring(both.encode()))
    broken = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                              b'<url><loc>/relative</loc></url></urlset>')
    assert not schema.validate(broken), "the sitemap schema accepts a broken sitemap"
    sitemap = etree.parse(str(root_site / "sitemap.xml"))
    assert schema.validate(sitemap), "sitemap.xml does not match the sitemaps.org schema:\n" + \
        "\n".join(f"sitemap.xml:{e.line}: {e.message}" for e in schema.error_log)
