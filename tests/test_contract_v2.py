"""Contract version 2 on the pages: "stayed" destinations, notes and names per language,
countries by their name in the page's language, the headline, the ledger's order, and what
"citizenship not reported" hides. The site is test_counts_shown's."""
from __future__ import annotations

import json
import re

import pytest

from sitegen.site.i18n import _ru_prepositional, sort_key

from .conftest import strings
from .test_counts_shown import files  # noqa: F401  (the built site, a fixture)


# a fact's term ends with a colon the screen does not show (for the search index)
COLON = '<span class="visually-hidden">:</span>'


def page(files, name: str) -> str:  # noqa: F811
    return files[name].decode("utf-8")


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_a_destination_equal_to_from_is_stayed(files):  # noqa: F811
    assert (f'<dt>Место назначения{COLON}</dt> <dd>остались в '
            '<a href="/site/countries/by/">Беларуси</a></dd>') in page(
                files, "events/2026-03-19-stayed/index.html")
    assert (f'<dt>Destination{COLON}</dt> <dd>stayed in '
            '<a href="/site/en/countries/by/">Belarus</a></dd>') in page(
                files, "en/events/2026-03-19-stayed/index.html")
    root = main_of(page(files, "events/2026-03-19-release-250/index.html"))
    assert ('<tr><th scope="row">Остались в <a href="/site/countries/by/">Беларуси</a>'
            f'{COLON}</th><td class="num">235</td></tr>') in root
    assert "Место назначения не сообщается" not in root
    ledger = main_of(page(files, "en/ledger/index.html"))
    assert ('<tr><th scope="row">Stayed in Belarus</th>'
            '<td class="num">235</td><td class="num">235</td></tr>') in ledger
    by = main_of(page(files, "countries/by/index.html"))
    assert ('<tr><th scope="row">Остались в <a href="/site/countries/by/">Беларуси</a></th>'
            '<td class="num">235</td><td class="num">235</td></tr>') in by
    assert "Принято людей" not in by
    # open data keeps the code
    ledger_json = json.loads(files["data/ledger.json"])
    assert ledger_json["by_destination"]["BY"]["confirmed"] == {"min": 235, "max": 235}
    events = {e["id"]: e for e in json.loads(files["data/events.json"])["events"]}
    assert events["2026-03-19-stayed"]["destination"] == "BY"


def test_note_and_names_in_the_page_language_else_marked(files):  # noqa: F811
    assert f"<dt>Примечание{COLON}</dt> <dd>235 человек освобождены в Беларуси.</dd>" in \
        page(files, "events/2026-03-19-release-250/index.html")
    assert f"<dt>Note{COLON}</dt> <dd>235 were freed inside Belarus.</dd>" in \
        page(files, "en/events/2026-03-19-release-250/index.html")
    assert (f'<dt>Names{COLON}</dt> <dd><span lang="ru">Игорь Лосик, Мария Колесникова'
            '</span></dd>') in page(files, "en/events/2026-03-19-newsroom/index.html")
    # a plain note and title are in their article's language (English here)
    assert (f'<dt>Примечание{COLON}</dt> <dd><span lang="en">Said to concern more people.'
            '</span></dd>') in page(files, "events/2026-03-22-talks/index.html")
    assert f"<dt>Note{COLON}</dt> <dd>Said to concern more people.</dd>" in \
        page(files, "en/events/2026-03-22-talks/index.html")
    assert '<h1><span lang="en">Talks resume</span></h1>' in \
        page(files, "events/2026-03-22-talks/index.html")
    events = {e["id"]: e for e in json.loads(files["data/events.json"])["events"]}
    assert events["2026-03-22-talks"]["note"] == {"en": "Said to concern more people."}
    assert events["2026-03-19-newsroom"]["names"] == {"ru": ["Игорь Лосик", "Мария Колесникова"]}


def countries_in(html: str) -> list[str]:
    return re.findall(r'countries/([a-z]{2})/">[^<]*</a></th>', html)


def test_countries_by_their_name_in_the_page_language(files):  # noqa: F811
    assert countries_in(page(files, "countries/index.html")) == \
        ["by", "de", "lv", "lt", "pl", "us", "ee"]     # Беларусь ... Германия ... Эстония
    assert countries_in(page(files, "en/countries/index.html")) == \
        ["by", "ee", "de", "lv", "lt", "pl", "us"]     # Belarus, Estonia, Germany ...
    statement = page(files, "index.html").split('id="2026-03-statement"')[1].split("</li>")[0]
    assert re.findall(r'countries/([a-z]{2})/', statement) == ["de", "us", "ee"]


def test_ledger_says_how_it_counts_before_its_tables(files):  # noqa: F811
    for name in ("ledger/index.html", "en/ledger/index.html"):
        html = main_of(page(files, name))
        assert html.index('id="how_counted"') < html.index("<table")


def test_one_headline_figure_when_no_release_is_only_reported(files):  # noqa: F811
    home = main_of(page(files, "en/index.html"))
    headline = home[home.index('class="headline"'):home.index("</section>")]
    assert headline.count('class="big"') == 1
    assert '<span class="big">303</span>' in headline
    assert "No release is counted on reports alone" in headline


def test_a_citizens_figure_says_what_not_reported_hides(files):  # noqa: F811
    assert ("Of the 303 people freed from prison in this country (confirmed releases), 98 have "
            "no reported citizenship.") in page(files, "en/countries/by/index.html")
    assert ("Из 303 человек во всех подтверждённых освобождениях гражданство не сообщается "
            "у 98.") in page(files, "countries/pl/index.html")
    # no citizens figure, no sentence
    assert 'class="unreported"' not in page(files, "countries/lt/index.html")


def test_sort_key_orders_cyrillic_and_latin():
    assert sorted(["Эстония", "Германия", "Ёлкино", "Ежово", "Йемен", "Иран"], key=sort_key) \
        == ["Германия", "Ежово", "Ёлкино", "Иран", "Йемен", "Эстония"]
    assert sorted(["Cuba", "Côte d’Ivoire", "Colombia", "Åland Islands", "Austria"],
                  key=sort_key) == ["Åland Islands", "Austria", "Colombia", "Côte d’Ivoire", "Cuba"]


@pytest.mark.parametrize("name, form", [
    ("Беларусь", "Беларуси"), ("Литва", "Литве"), ("Германия", "Германии"),
    ("Казахстан", "Казахстане"), ("Китай", "Китае"), ("Перу", "Перу"),
    ("Соединенные Штаты", None), ("Мальдивы", None)])
def test_russian_country_in(name, form):
    assert _ru_prepositional(name) == form


def test_country_in_with_the_strings_file_forms():
    ru, en = strings("ru"), strings("en")
    assert [ru.country_in(c) for c in ("BY", "FR", "HU", "IL", "US", "CY")] == [
        ("в", "Беларуси"), ("во", "Франции"), ("в", "Венгрии"), ("в", "Израиле"),
        ("в", "Соединённых Штатах"), ("на", "Кипре")]
    assert [en.country_in(c) for c in ("BY", "US")] == [("in", "Belarus"),
                                                        ("in", "the United States")]
