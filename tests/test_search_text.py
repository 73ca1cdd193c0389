"""What the search index reads of an event page: its facts and tables as sentences (a term,
a colon, its value, a full stop), so that a result's excerpt reads as text and not as
"Released 52 people Held by Belarus Names ..."; the lines of other events (parts, an
article's events) are left to their own pages."""
from __future__ import annotations

import gzip
import json

import pytest

from sitegen.build import build

from .test_search import sample_copy


def indexed(out) -> dict[str, str]:
    """URL -> the text Pagefind keeps of the page (its fragment files: gzip after a
    signature, then JSON)."""
    found = {}
    for path in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        found[fragment["url"]] = fragment["content"]
    return found


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    site = sample_copy(tmp_path_factory.mktemp("search-text") / "site")
    build(site)
    return indexed(site / "output")


def test_an_event_pages_facts_and_tables_read_as_sentences(texts):
    en = texts["/en/events/2025-09-11-release-52/"]
    # the kind, date and status above the title are the result's own line, not its text
    assert en.startswith("Fifty-two freed. Counted in the totals. Released: 52 people. ")
    assert texts["/en/articles/2025-09-11-fifty-two-freed/"].startswith(
        "Belarus frees 52 after US envoy's visit. Translations: ")
    assert ("Counted in the totals. Released: 52 people. How: pardon. Held by: Belarus. "
            "Destination: Lithuania. Countries involved: United States. Names: Mikalai "
            "Statkevich. Citizenship. Belarus: 38. France: 1. ") in en
    assert "CountryCount" not in en     # the table's head is left out
    # the list of its parts is left out: each part is found on its own page
    assert en.endswith("Destination. Lithuania: 52. Articles. Беларусь освободила 52 человека "
                       "September 11, 2025. Belarus frees 52 after US envoy's visit September "
                       "11, 2025. Sources. 52 prisoners released — AFP. PAP. BBC.")
    assert "Fourteen foreigners" not in en
    ru = texts["/events/2025-09-11-release-52/"]
    assert ("Освобождены: 52 человека. Как: помилование. Удерживала страна: Беларусь. "
            "Место назначения: Литва. Участвующие страны: Соединенные Штаты. Имена: Mikalai "
            "Statkevich. Гражданство. Беларусь: 38. ") in ru
    assert "Место назначения. Литва: 52. Статьи. " in ru
    # an article's list of its events too
    article = texts["/en/articles/2025-10-rumour/"]
    assert article == ("Unconfirmed reports of a release. None of these reports were confirmed "
                       "by the time of writing. Sources. https://reports.test/rumour — Telegram "
                       "channel.")
