"""The repository's own site: where the sourced facts and a source disagree, the event page says so
in both languages.

Each entry is one disagreement the facts file (belarus-releases.yaml and viasna-counts.yaml, kept
outside the repository) records, with the exact sentence the event's page must show in Russian
(at the root) and in English (under /en/). The page text is compared with its tags removed and its
white space collapsed, so the check reads what a reader reads.
"""
import re
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.build import build

ROOT = Path(__file__).parent.parent

DISAGREEMENTS = {
    # AP's 18 for July against AFP's five pardoned in July; first-day counts are partial.
    "2024-07-03-amnesty-releases": (
        "Интервал — две оценки за весь июль: пятеро помилованных (AFP) и 18 (AP).",
        "The range is the two accounts of the whole of July: five pardoned (AFP) and 18 (AP).",
    ),
    # Viacorka (Reuters): 19 had already left prison in July; a decree date of 16 July.
    "2024-08-16-pardon-30": (
        "По словам Вячорки (Reuters), 19 из них вышли из колоний ещё в июле.",
        "Viacorka told Reuters that 19 of them had already left prison in July.",
    ),
    # Ukrainska Pravda dates the pardon 21 November.
    "2024-11-20-pardon-32": (
        "«Украинская правда» датирует помилование 21 ноября",
        "Ukrainska Pravda dates the pardon 21 November",
    ),
    # AP's "over 1,250" against Viasna's 1,253 (zachod.pl).
    "2024-12-28-viasna-1253": (
        "«Вясна» через zachod.pl; AP пишет «более 1250».",
        'Viasna via zachod.pl; AP gave "over 1,250".',
    ),
    # Ukrainska Pravda: "first round of pardons in 2025", wrongly.
    "2025-05-07-victory-day-pardon-42": (
        "«Украинская правда» ошибочно называет это первым помилованием 2025 года.",
        "Ukrainska Pravda wrongly calls it the first pardon of 2025.",
    ),
    # Eismont's breakdown against the Lithuanian government's.
    "2025-06-21-kellogg-14": (
        "Источники расходятся в гражданстве.",
        "The sources disagree on citizenship.",
    ),
    # 1,150 is Tsikhanouskaya's figure, not Viasna's.
    "2025-06-21-tsikhanouskaya-1150": (
        "Цифра Светланы Тихановской, а не подсчёт «Вясны».",
        "Figure given by Sviatlana Tsikhanouskaya, not a Viasna count.",
    ),
    # Nauseda's "52 crossed" against 51 (Statkevich stayed); babel.ua's four who refused.
    "2025-09-11-release-52": (
        "одна ранняя публикация писала, что отказались уехать четверо, другие источники называют только Статкевича.",
        "one early report said four refused to leave, other sources name only Statkevich.",
    ),
    # BelTA's two Poles against the Polish MFA's three.
    "2025-09-11-foreigners-14": (
        "МИД Польши сообщил о трёх польских гражданах; источники расходятся.",
        "The Polish MFA said three Poles were freed; the sources disagree.",
    ),
    # 24.kg: handed to Ukraine, wrongly.
    "2025-11-20-catholic-priests-vatican": (
        "Одно издание (24.kg) ошибочно писало, что их передали Украине.",
        "One outlet (24.kg) wrongly said they were handed to Ukraine.",
    ),
    # Kyiv Independent's "at least 1,184" and AP's 1,246 three days later.
    "2025-11-22-viasna-at-least-1184": (
        "Через три дня AP со ссылкой на «Вясну» назвало 1246; расхождение не объяснено.",
        "Three days later AP, citing Viasna, gave 1,246; the gap is not explained.",
    ),
    "2025-11-25-viasna-1246": (
        "Тремя днями ранее Kyiv Independent приводил «не менее 1184»; расхождение не объяснено.",
        'Three days earlier the Kyiv Independent gave "at least 1,184"; the gap is not explained.',
    ),
    # 114 to Ukraine, but 104 Belarusians + 5 Ukrainians = 109.
    "2025-12-13-to-ukraine-114": (
        "«Вясна» и «Хочу жить»: 104 белоруса и 5 украинцев; ещё пятеро в этих подсчётах не объяснены.",
        "Viasna and Khochu Zhit: 104 Belarusians and 5 Ukrainians; the other 5 are not explained.",
    ),
    # 1,227 before the 123 were freed, HRW's "more than 1,100" two days later.
    "2025-12-13-rights-groups-1227": (
        "Через два дня Human Rights Watch писала о «более чем 1100» оставшихся за решёткой.",
        'Two days later Human Rights Watch spoke of "more than 1,100" still behind bars.',
    ),
    # Pozirk's "at least 1,140" against Viasna's 1,140.
    "2026-03-05-viasna-1140": (
        "«Вясна» через RMF24; Pozirk пишет «не менее 1140».",
        'Viasna via RMF24; Pozirk says "at least 1,140".',
    ),
    # Pozirk's ~350 pardoned against Viasna's 569.
    "2026-03-05-pozirk-about-350": (
        "Она ниже 569 помилованных по подсчёту «Вясны» на конец 2025 года; источники считают разное.",
        "It is below Viasna's 569 pardoned by the end of 2025; the sources count different things.",
    ),
    # "On Thursday" (Reuters) against "today (20/03)" (Pronews).
    "2026-03-19-coale-deal-250": (
        "Дата выведена из источников: Reuters пишет «в четверг», греческий Pronews — «сегодня, 20 марта»;",
        'The date is inferred: Reuters says "on Thursday", the Greek outlet Pronews "today (20 March)";',
    ),
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


@cache
def built() -> dict[str, bytes]:
    return build(ROOT, write=False, workers=1).files


def page_text(path: str) -> str:
    parser = _Text()
    parser.feed(built()[path].decode("utf-8"))
    return re.sub(r"\s+", " ", unescape("".join(parser.parts)))


@pytest.mark.parametrize("event_id", sorted(DISAGREEMENTS))
def test_the_event_page_says_where_sources_disagree_in_both_languages(event_id):
    ru, en = DISAGREEMENTS[event_id]
    assert ru in page_text(f"events/{event_id}/index.html")
    assert en in page_text(f"en/events/{event_id}/index.html")


def test_july_2024_is_never_shown_from_the_first_day_count():
    """4 was one outlet's count on the first day (no source here gives it), not a July figure:
    no page states 4 as the low end of July (the summary said "от 4 до 18"), and the ledger's
    explanation of ranges does not use 4–18 as its example."""
    pages = {name: data.decode("utf-8") for name, data in built().items() if name.endswith(".html")}
    assert [name for name, html in pages.items() if "4–18" in html or "от 4 до 18" in html] == []
    assert "от 5 до 18 человек" in page_text("articles/2024-07-04-amnesty-first-releases/index.html")
