"""Search in Chromium: the repository's own site built by `sitegen build` (Pagefind's index
included) and served under a sub-path, as GitHub Pages serves a project site."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from .browser import ARTIFACTS, Watch, serve

pytestmark = pytest.mark.slow     # Chromium

SHOTS = ARTIFACTS / "screenshots"



@pytest.fixture(scope="module")
def built(repo_site):
    """The repository's own site as `sitegen build` makes it (conftest): its output."""
    return repo_site


@pytest.fixture(scope="module")
def site(repo_site_url):
    """That site served under /repo/."""
    return repo_site_url


def indexed_pages_with(out: Path, prefix: str, word: str) -> set[str]:
    """The URLs of the pages of one language tree that Pagefind indexes (event and article
    pages: their <article data-pagefind-body>) and whose indexed text (not the parts marked
    data-pagefind-ignore) holds `word`."""
    found = set()
    top = out / prefix if prefix else out
    for page in sorted(top.glob("*/*/index.html")):
        rel = page.relative_to(out).as_posix()
        if prefix == "" and rel.startswith("en/"):
            continue
        html = page.read_text()
        at = html.find("data-pagefind-body")
        if at < 0:
            continue
        text = indexed_text(html[html.rindex("<", 0, at):html.index("</article>", at)])
        if word.lower() in text.lower():
            found.add("/repo/" + rel[:-len("index.html")])
    return found


class _Indexed(HTMLParser):
    """The text of a page's markup outside the elements marked data-pagefind-ignore."""
    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[bool] = []      # for each open element: is it (within) an ignored one
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append((bool(self.open) and self.open[-1])
                             or "data-pagefind-ignore" in dict(attrs))

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if not (self.open and self.open[-1]):
            self.parts.append(data)


def indexed_text(html: str) -> str:
    parser = _Indexed()
    parser.feed(html)
    return " ".join(parser.parts)


def search(page, url: str, query: str) -> list[dict]:
    page.goto(url + "?q=" + quote(query))
    page.wait_for_selector("#search_app[data-state=done]")
    return page.eval_on_selector_all("#search_results li", """items => items.map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        kind: li.querySelector('.kind').textContent,
        kicker: li.querySelector('.kicker').textContent}))""")


def open_page(browser, site, **options):
    context = browser.new_context(**options)
    watch = Watch(context, "{0.scheme}://{0.netloc}".format(urlsplit(site)))
    return context, watch.attach(context.new_page()), watch


@pytest.mark.parametrize("lang, prefix", [("ru", ""), ("en", "en/")])
@pytest.mark.parametrize("query", ["Статкевич", "Statkevich"])
def test_a_name_finds_the_pages_that_name_him(browser, built, site, lang, prefix, query):
    context, page, watch = open_page(browser, site)
    results = search(page, site + prefix + "search/", query)
    context.close()
    expected = indexed_pages_with(built, prefix.rstrip("/"), query)
    assert {r["href"] for r in results} == expected
    # his own event is among them, in this language's tree
    assert f"/repo/{prefix}events/2026-02-19-statkevich-home/" in expected
    for r in results:       # each result says what it is and when
        assert re.search(r"\d{4}", r["kicker"]), r
        assert r["kind"] in {"ru": {"Освобождение", "Переговоры", "Заявление",
                                    "Число заключённых", "Статья"},
                             "en": {"Release", "Negotiation", "Statement", "Prisoners held",
                                    "Article"}}[lang]
    assert watch.errors == [] and watch.foreign == []


def test_russian_words_are_found_in_other_forms(browser, built, site):
    """Pagefind's Russian stemmer: «гражданина» finds a page that has only «гражданин»,
    «помиловать» (on no page) finds «помиловал»; the same words as English do not."""
    context, page, watch = open_page(browser, site)
    genitive = {r["href"] for r in search(page, site + "search/", "гражданина")}
    pardoned = {r["href"] for r in search(page, site + "search/", "помиловать")}
    english = search(page, site + "en/search/", "гражданин")
    context.close()
    # the indexed pages that have the word only as «гражданин» are found by «гражданина»
    only_nominative = {page for page in indexed_pages_with(built, "", "гражданин")
                       if "гражданина" not in (built / page[6:] / "index.html").read_text()}
    assert "/repo/events/2025-04-30-ziankovich-release/" in only_nominative
    assert only_nominative <= genitive
    assert indexed_pages_with(built, "", "помиловать") == set()
    assert "/repo/articles/2025-11-22-31-ukrainians/" in pardoned
    assert "/repo/en/articles/2025-11-22-31-ukrainians/" not in {r["href"] for r in english}
    assert watch.errors == [] and watch.foreign == []


def test_filters_narrow_the_results_and_stay_in_the_address(browser, built, site):
    context, page, watch = open_page(browser, site)
    everything = search(page, site + "en/search/", "Statkevich")
    page.get_by_label("Release", exact=True).check()
    page.wait_for_selector("#search_app[data-state=done]")
    releases = page.eval_on_selector_all("#search_results li .kind", "s => s.map(e => e.textContent)")
    assert releases and set(releases) == {"Release"}
    assert len(releases) == sum(r["kind"] == "Release" for r in everything)
    assert urlsplit(page.url).query == "q=Statkevich&kind=Release"
    # the address brings the same view back
    page.goto(page.url)
    page.wait_for_selector("#search_app[data-state=done]")
    assert page.get_by_label("Release", exact=True).is_checked()
    assert page.locator("#search_results li").count() == len(releases)
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_the_header_box_leads_to_the_results(browser, site):
    context, page, watch = open_page(browser, site)
    page.goto(site + "en/ledger/")
    page.locator(".site-search input").fill("Statkevich")
    page.locator(".site-search input").press("Enter")
    page.wait_for_selector("#search_results li")
    assert urlsplit(page.url).path == "/repo/en/search/"
    assert page.locator("#search_q").input_value() == "Statkevich"
    context.close()
    assert watch.errors == [] and watch.foreign == []


@pytest.mark.parametrize("lang, prefix, text", [
    ("ru", "", "Поиск работает в браузере и требует JavaScript"),
    ("en", "en/", "Search runs in your browser and needs JavaScript")])
def test_without_javascript_the_page_says_so_and_links_the_timeline(browser, site, lang,
                                                                     prefix, text):
    context, page, watch = open_page(browser, site, java_script_enabled=False)
    page.goto(site + prefix + "search/?q=x")
    note = page.locator("main .search-note").filter(has_text=text)
    assert note.is_visible()
    assert note.locator("a").get_attribute("href") == f"/repo/{prefix}timeline/"
    assert not page.locator("#search_app").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang, prefix, query", [("ru", "", "Статкевич"),
                                                 ("en", "en/", "Statkevich")])
def test_screenshots_of_results(browser, site, lang, prefix, query, width, scheme):
    context, page, watch = open_page(browser, site, color_scheme=scheme,
                                     viewport={"width": width, "height": 900})
    assert search(page, site + prefix + "search/", query)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"search-{lang}-{width}-{scheme}.png"))
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_without_an_index_the_page_says_search_is_unavailable(browser, built, tmp_path):
    """A build made where Pagefind is missing (it warns and publishes no index): the search
    page says so and links the timeline."""
    copy = tmp_path / "site"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("pagefind"))
    with serve(copy, "/repo/") as url:
        context, page, watch = open_page(browser, url)
        page.goto(url + "en/search/?q=Statkevich")
        note = page.locator("#search_unavailable")
        note.wait_for(state="visible")
        assert note.inner_text().startswith("Search is not available on this copy of the site.")
        assert note.locator("a").get_attribute("href") == "/repo/en/timeline/"
        assert not page.locator("#search_app").is_visible()
        context.close()
    assert watch.foreign == []
