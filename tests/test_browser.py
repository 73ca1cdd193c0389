"""Browser tests in Debian's Chromium: the sample site served under a sub-path."""
from urllib.parse import urlsplit

import pytest

from .browser import ARTIFACTS, Watch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(sample_site_url):
    """The sample site served under /repo/ (conftest)."""
    return sample_site_url


def open_page(browser, site, **options):
    context = browser.new_context(**options)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site))
    watch = Watch(context, origin)
    return context, watch.attach(context.new_page()), watch


CLICKS = {
    "ru": [("/repo/", None),
           ("/repo/timeline/", "nav[aria-label='Основное'] >> text=Хронология"),
           ("/repo/events/2025-09-11-foreigners-14/", "main >> text=14 иностранцев"),
           ("/repo/articles/2025-09-11-belarus-frees-52/", "main >> text=Беларусь освободила 52 человека"),
           ("/repo/events/2025-09-11-release-52/", "main .events >> text=Освобождение 52 человек"),
           ("/repo/countries/lt/", "main .facts >> text=Литва"),
           ("/repo/ledger/", "nav[aria-label='Основное'] >> text=Подсчёт")],
    "en": [("/repo/en/", None),
           ("/repo/en/timeline/", "nav[aria-label='Main'] >> text=Timeline"),
           ("/repo/en/events/2025-09-11-foreigners-14/", "main >> text=Fourteen foreigners"),
           ("/repo/en/articles/2025-09-12-foreigners/", "main >> text=Who the fourteen foreigners were"),
           ("/repo/en/events/2025-09-11-foreigners-14/", "main .events >> text=Fourteen foreigners"),
           ("/repo/en/countries/gb/", "main table >> text=United Kingdom"),
           ("/repo/en/ledger/", "nav[aria-label='Main'] >> text=Ledger")],
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_click_through(browser, site, lang):
    context, page, watch = open_page(browser, site)
    origin = site[:-len("/repo/")]
    for path, selector in CLICKS[lang]:
        if selector is None:
            page.goto(origin + path)
        else:
            page.locator(selector).first.click()
            page.wait_for_load_state()
        assert urlsplit(page.url).path == path
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1
    context.close()
    assert watch.errors == []
    assert watch.foreign == []


def test_language_switch_leads_to_the_same_page(browser, site):
    context, page, watch = open_page(browser, site)
    page.goto(site + "events/2025-12-13-to-ukraine/")
    page.locator(".lang-switch a").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/en/events/2025-12-13-to-ukraine/"
    assert page.locator("h1").inner_text() == "114 to Ukraine"
    page.goto(site + "en/articles/2024-08-16-thirty-pardoned/")
    page.locator(".lang-switch a").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/articles/2024-08-16-pardon-30/"
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_works_without_javascript(browser, site):
    context, page, watch = open_page(browser, site, java_script_enabled=False)
    page.goto(site + "en/ledger/")
    assert page.locator("table.ledger tbody tr").count() == 10
    page.goto(site + "en/")
    assert page.locator(".figure-main .big").inner_text() == "205"
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_external_image_is_never_loaded(browser, site):
    context, page, watch = open_page(browser, site)
    page.goto(site + "en/articles/2024-08-16-thirty-pardoned/")
    assert page.locator("main img").count() == 0
    assert page.locator("a.external-image").get_attribute("href") == \
        "https://images.example.net/photo.jpg"
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_not_found_page_links_work_at_any_depth(browser, site):
    context, page, watch = open_page(browser, site)
    response = page.goto(site + "no/such/deep/page/")
    assert response.status == 404
    assert watch.errors == ["Failed to load resource: the server responded with a status of "
                            "404 (Not Found)"]
    watch.errors.clear()
    page.locator("main a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/"
    context.close()
    assert watch.errors == [] and watch.foreign == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["", "ledger/", "en/", "en/ledger/"])
def test_screenshots(browser, site, width, path):
    """Kept in test-artifacts/screenshots/ for a person to look at."""
    context, page, watch = open_page(browser, site, viewport={"width": width, "height": 900})
    page.goto(site + path)
    name = (path.strip("/").replace("/", "-") or "home") + f"-{width}.png"
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / name), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll_width <= width, f"{path} scrolls sideways at {width}px"
    assert watch.errors == [] and watch.foreign == []
