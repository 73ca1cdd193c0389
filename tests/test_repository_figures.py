"""The repository's own site: the figures a reader sees, as the sourced facts give them.

Each expected value is derived from the facts file the content was corrected against
(belarus-releases.yaml, kept outside the repository), so a content edit that moves a
headline figure fails here until the figure is checked again.
"""
from functools import cache
from pathlib import Path

from sitegen.build import load_site
from sitegen.content.config import load_config
from sitegen.site.data import ledger_json
from sitegen.content.ledger import build_ledger

ROOT = Path(__file__).parent.parent


@cache
def ledger() -> dict:
    site, problems = load_site(load_config(ROOT))
    assert problems == []
    return ledger_json(build_ledger(site))


def test_headline_totals():
    # 26 waves; their headcounts add up to 867. July 2024 is 5-18 (AFP's five pardoned in
    # July, AP's 18), so the lower end is 867 - 13 = 854. No release is only "reported".
    totals = ledger()["totals"]
    assert totals == {"confirmed": {"min": 854, "max": 867},
                      "with_reported": {"min": 854, "max": 867}}


def test_destinations():
    # LT: 3 (Feb 2025) + 1 (Ziankovich) + 14 (June 2025) + 51 (the 52 but Statkevich)
    #     + 9 (of the 123) + 15 (of the 250) = 93.
    # Stayed in Belarus: July 5-18, the 2024 decrees 30+30+37+31+32+29+20 = 209, the 2025
    # decrees 23+15+42+16+25 = 121, Statkevich 1, Levaya 1, 18 (March 2026), 235 (of the 250).
    # Not reported: Nuhfer 1 and the New Year pardon 22.
    confirmed = {code: t["confirmed"] for code, t in ledger()["by_destination"].items()}
    assert confirmed == {"BY": {"min": 590, "max": 603}, "DE": {"min": 1, "max": 1},
                         "LT": {"min": 93, "max": 93}, "UA": {"min": 145, "max": 145},
                         "VA": {"min": 2, "max": 2}, "unknown": {"min": 23, "max": 23}}


def test_belarusian_citizens_are_only_those_a_source_names():
    # 38 of the 52, 104 sent to Ukraine, 2 of the 3 of February 2025, 4-5 of the 14.
    by_citizenship = ledger()["by_citizenship"]
    assert by_citizenship["BY"]["confirmed"] == {"min": 148, "max": 149}
    assert by_citizenship["unknown"]["confirmed"] == {"min": 631, "max": 650}
