"""The repository's own site: the figures a reader sees, as the sourced facts give them.

Each expected value is derived from the facts file the content was corrected against
(belarus-releases.yaml, kept outside the repository), so a content edit that moves a
headline figure fails here until the figure is checked again.
"""
import json
from functools import cache
from pathlib import Path

from sitegen.loading import load_site
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



def test_by_year():
    # 2024: July 5-18, Krieger 1 and the decrees 30+30+37+31+32+29+20 = 215-228. 2025: 23, 15,
    # Nuhfer 1, 3, Ziankovich 1, 42, 14, 16, 52, 25, the priests 2, 31, 123, 22 = 370. 2026:
    # Levaya 1, 18, 250 = 269 (Statkevich's release home is inside the 52).
    assert {year: t["confirmed"] for year, t in ledger()["by_year"].items()} == {
        "2024": {"min": 215, "max": 228}, "2025": {"min": 370, "max": 370},
        "2026": {"min": 269, "max": 269}}


def test_every_citizenship_as_the_sources_give_it():
    # DE: Krieger and 2 of the 52. JP: 2 in June 2025, Nakanishi. LT: 6 of the 52, 1-2 of the 123.
    # LV: 2 + 2 + 1-2. PL: 3 in June, 2-3 of the 52 (BelTA 2, Polish MFA 3), Galuza. UA: 31 + 5.
    # GB: 1 of the 52, 1-2 of the 123. US: Nuhfer, February 2025, Ziankovich, 0-1 in June, 1 of
    # the 123. AU 1-2 and the UK, LT, LV ranges of the 123 follow from "six citizens of US allies".
    confirmed = {code: (t["confirmed"]["min"], t["confirmed"]["max"])
                 for code, t in ledger()["by_citizenship"].items()}
    assert confirmed == {"AU": (1, 2), "BY": (148, 149), "DE": (3, 3), "EE": (0, 1),
                         "FR": (1, 1), "GB": (2, 3), "JP": (3, 3), "LT": (7, 8), "LV": (5, 6),
                         "PL": (6, 7), "SE": (1, 1), "UA": (36, 36), "US": (4, 5),
                         "unknown": (631, 650)}

# Every release of content/ as the facts file gives it: (released, destination, part_of). A range
# is (min, max); the destination None means the facts file says it was not reported (or the
# release is split into parts that carry it).
RELEASES = {
    "2024-07-03-amnesty-releases": ((5, 18), "BY", None),
    "2024-08-01-krieger-ankara-exchange": (1, "DE", None),
    "2024-08-16-pardon-30": (30, "BY", None),
    "2024-09-04-pardon-30": (30, "BY", None),
    "2024-09-16-pardon-37": (37, "BY", None),
    "2024-11-07-pardon-31": (31, "BY", None),
    "2024-11-20-pardon-32": (32, "BY", None),
    "2024-12-09-pardon-29": (29, "BY", None),
    "2024-12-28-pardon-20": (20, "BY", None),
    "2025-01-18-pardon-23": (23, "BY", None),
    "2025-01-24-pre-election-pardon-15": (15, "BY", None),
    "2025-01-26-nuhfer-release": (1, None, None),
    "2025-02-12-three-to-vilnius": (3, "LT", None),
    "2025-04-30-ziankovich-release": (1, "LT", None),
    "2025-05-07-victory-day-pardon-42": (42, "BY", None),
    "2025-06-21-kellogg-14": (14, "LT", None),
    "2025-07-02-independence-day-pardon-16": (16, "BY", None),
    "2025-09-11-foreigners-14": (14, "LT", "2025-09-11-to-lithuania-51"),
    "2025-09-11-release-52": (52, None, None),
    "2025-09-11-to-lithuania-51": (51, "LT", "2025-09-11-release-52"),
    "2025-09-16-unity-day-pardon-25": (25, "BY", None),
    "2025-11-20-catholic-priests-vatican": (2, "VA", None),
    "2025-11-22-ukrainians-31": (31, "UA", None),
    "2025-12-13-release-123": (123, None, None),
    "2025-12-13-to-lithuania-9": (9, "LT", "2025-12-13-release-123"),
    "2025-12-13-to-ukraine-114": (114, "UA", "2025-12-13-release-123"),
    "2025-12-30-new-year-pardon-22": (22, None, None),
    "2026-02-19-levaya-pardon": (1, "BY", None),
    "2026-02-19-statkevich-home": (1, "BY", "2025-09-11-release-52"),
    "2026-03-05-pardon-18": (18, "BY", None),
    "2026-03-19-coale-deal-250": (250, None, None),
    "2026-03-19-in-belarus-235": (235, "BY", "2026-03-19-coale-deal-250"),
    "2026-03-19-to-lithuania-15": (15, "LT", "2026-03-19-coale-deal-250"),
}

# Every statement, snapshot and negotiation figure: (kind, min, max); max None is "at least"
# (over 200, more than 1,100, at least 1,184, at least 100).
OTHER_FIGURES = {
    "2024-07-03-viasna-1409": ("snapshot", 1409, 1409),
    "2024-09-04-viasna-1371": ("snapshot", 1371, 1371),
    "2024-09-16-rferl-115-since-july": ("statement", 115, 115),
    "2024-11-07-viasna-1287": ("snapshot", 1287, 1287),
    "2024-12-28-viasna-1253": ("snapshot", 1253, 1253),
    "2024-12-28-viasna-207-freed": ("statement", 207, 207),
    "2025-01-18-pozirk-250-since-july": ("statement", 250, 250),
    "2025-01-18-rights-groups-1244": ("snapshot", 1244, 1244),
    "2025-06-21-kellogg-visit-minsk": ("negotiation", None, None),
    "2025-06-21-tsikhanouskaya-1150": ("snapshot", 1150, 1150),
    "2025-07-02-viasna-1164": ("snapshot", 1164, 1164),
    "2025-09-11-coale-visit-minsk": ("negotiation", None, None),
    "2025-09-16-viasna-1168": ("snapshot", 1168, 1168),
    "2025-09-16-viasna-436-in-a-year": ("statement", 436, 436),
    "2025-11-22-eismont-talks-active": ("statement", None, None),
    "2025-11-22-viasna-at-least-1184": ("snapshot", 1184, None),
    "2025-11-25-viasna-1246": ("snapshot", 1246, 1246),
    "2025-11-26-us-talks-100-more": ("negotiation", 100, None),
    "2025-12-13-coale-talks-potash": ("negotiation", None, None),
    "2025-12-13-pul-pervogo-156": ("statement", 156, 156),
    "2025-12-13-rights-groups-1227": ("snapshot", 1227, 1227),
    "2025-12-13-us-official-over-200": ("statement", 200, None),
    "2025-12-15-hrw-over-1100": ("snapshot", 1100, None),
    "2025-12-30-viasna-189-expelled-2025": ("statement", 189, 189),
    "2025-12-30-viasna-569-since-july-2024": ("statement", 569, 569),
    "2026-03-05-pozirk-about-350": ("statement", 350, 350),
    "2026-03-05-viasna-1140": ("snapshot", 1140, 1140),
    "2026-03-06-coale-thanks-for-18": ("statement", 18, 18),
    "2026-03-19-coale-talks-sanctions": ("negotiation", None, None),
}


@cache
def events() -> dict[str, dict]:
    from sitegen.build import build
    files = build(ROOT, write=False, workers=1).files
    return {e["id"]: e for e in json.loads(files["data/events.json"])["events"]}


def test_every_release_has_the_facts_files_count_destination_and_root():
    def count(interval):
        return interval["min"] if interval["min"] == interval["max"] else (interval["min"], interval["max"])
    shown = {eid: (count(e["released"]), e["destination"], e["part_of"])
             for eid, e in events().items() if e["kind"] == "release"}
    assert shown == RELEASES


def test_every_statement_and_snapshot_has_its_sourced_figure():
    def figure(e):
        value = e["held"] or e["people"]
        return (e["kind"], value["min"], value["max"]) if value else (e["kind"], None, None)
    shown = {eid: figure(e) for eid, e in events().items() if e["kind"] != "release"}
    assert shown == OTHER_FIGURES
