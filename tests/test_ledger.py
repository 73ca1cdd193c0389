"""The count ledger (CONTENT_SPEC.md, "The ledger" and `data/ledger.json`), with exact figures.

Every test builds a tiny site in tmp_path from front matter written as Python dicts (turned
into plain, readable YAML by `front_matter_text` in conftest.py) and compares the open data files
with exact expected values.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.build import build

from .conftest import front_matter_text, make_site
from sitegen.content.model import ZERO, Interval

# --------------------------------------------------------------------------------------------
# Writing test sites

def new_site(tmp_path: Path, name: str = "site") -> Path:
    return make_site(tmp_path / name, {})


def write_article(root: Path, slug: str, front: dict, body: str = "Body text.\n",
                  folder: str = "2025") -> Path:
    path = root / "content" / "articles" / folder / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter_text(front)}---\n{body}", encoding="utf-8")
    return path


def article(events: list[dict], urls: tuple[str, ...] = ("https://example.net/report",),
            date: str = "2025-12-31", title: str = "A report", **more) -> dict:
    """Front matter of an article with the given events and one source per URL."""
    return {"title": title, "date": date, **more,
            "sources": [{"url": u, "publisher": "Publisher"} for u in urls],
            "events": events}


def release(id_: str, date: str | int, released, status: str | None = "confirmed", **more) -> dict:
    event = {"id": id_, "date": date, "kind": "release"}
    if status is not None:
        event["status"] = status
    return {**event, "released": released, **more}


def ledger_of(root: Path, **kwargs) -> dict:
    return json.loads(build(root, write=False, **kwargs).files["data/ledger.json"])


# --------------------------------------------------------------------------------------------
# Expected values

def iv(lo: int, hi: int | None | str = "same") -> dict:
    return {"min": lo, "max": lo if hi == "same" else hi}


def buckets(confirmed: dict, with_reported: dict | None = None) -> dict:
    return {"confirmed": confirmed, "with_reported": confirmed if with_reported is None
            else with_reported}


def exact(n: int, with_reported: int | None = None) -> dict:
    return buckets(iv(n), iv(n if with_reported is None else with_reported))


def key_orders(data: bytes) -> list[list[str]]:
    """The keys of every JSON object in the file, in the order they are written."""
    orders = []

    def hook(pairs):
        orders.append([k for k, _ in pairs])
        return dict(pairs)

    json.loads(data, object_pairs_hook=hook)
    return orders


# --------------------------------------------------------------------------------------------
# The 14 foreigners inside the 52

ROOT_52 = "2025-09-11-release-52"
CHILD_14 = "2025-09-11-foreigners-14"
SLUGS_52 = ["2025-09-11-a-second-report", "2025-09-11-belarus-frees-52",
            "2025-09-12-foreigners-among-52"]
AFP, PAP, LRT, MFA = ("https://afp.example/52", "https://pap.example/52",
                      "https://lrt.example/14", "https://mfa.example/foreigners")


def write_site_52(root: Path) -> None:
    write_article(root, "2025-09-11-belarus-frees-52", article([
        release(ROOT_52, "2025-09-11", 52, citizenship={"BY": 38}, destination="LT",
                mechanism="pardon"),
        release(CHILD_14, "2025-09-11", 14, status=None, part_of=ROOT_52,
                citizenship={"LT": 6, "LV": 2, "PL": 2, "DE": 2, "FR": 1, "GB": 1}),
    ], urls=(AFP, PAP), date="2025-09-11", title="Belarus frees 52"))
    # Sorts first by slug, though it only refers: sources follow the sorted articles.
    write_article(root, "2025-09-11-a-second-report",
                  article([{"ref": CHILD_14}, {"ref": ROOT_52}], urls=(LRT, AFP),
                          date="2025-09-11"), folder="2025/more")
    write_article(root, "2025-09-12-foreigners-among-52",
                  article([{"ref": ROOT_52}, {"ref": CHILD_14}], urls=(PAP, MFA),
                          date="2025-09-12", lang="ru"))


def test_foreigners_inside_the_52_are_counted_once(tmp_path):
    root = new_site(tmp_path)
    write_site_52(root)
    result = build(root, write=False)
    assert result.diagnostics == ()
    ledger = json.loads(result.files["data/ledger.json"])

    assert ledger["totals"] == {"confirmed": iv(52), "with_reported": iv(52)}
    assert ledger["by_citizenship"] == {
        "BY": exact(38), "DE": exact(2), "FR": exact(1), "GB": exact(1), "LT": exact(6),
        "LV": exact(2), "PL": exact(2), "unknown": exact(0)}
    assert ledger["by_destination"] == {"LT": exact(52), "unknown": exact(0)}
    assert ledger["by_year"] == {"2025": exact(52)}

    sources = [LRT, AFP, PAP, MFA]   # first appearance over the articles sorted by slug
    assert ledger["events"] == [
        {"id": CHILD_14, "date": "2025-09-11", "status": "confirmed", "released": iv(14),
         "part_of": ROOT_52, "counted": False,
         "citizenship": {"DE": iv(2), "FR": iv(1), "GB": iv(1), "LT": iv(6), "LV": iv(2),
                         "PL": iv(2)},
         "from": "BY", "destination": None, "articles": SLUGS_52, "sources": sources},
        {"id": ROOT_52, "date": "2025-09-11", "status": "confirmed", "released": iv(52),
         "part_of": None, "counted": True,
         "citizenship": {"BY": iv(38), "DE": iv(2), "FR": iv(1), "GB": iv(1), "LT": iv(6),
                         "LV": iv(2), "PL": iv(2)},
         "from": "BY", "destination": "LT", "articles": SLUGS_52, "sources": sources},
    ]


def test_foreigners_inside_the_52_csv(tmp_path):
    root = new_site(tmp_path)
    write_site_52(root)
    csv_text = build(root, write=False).files["data/ledger.csv"].decode("utf-8")
    slugs, urls = " ".join(SLUGS_52), " ".join([LRT, AFP, PAP, MFA])
    assert csv_text == (
        "id,date,status,released_min,released_max,part_of,counted,not_counted_reason,"
        "citizenship,citizenship_unknown_min,citizenship_unknown_max,from,destination,"
        "articles,sources\n"
        f"{CHILD_14},2025-09-11,confirmed,14,14,{ROOT_52},false,included in {ROOT_52},"
        f"DE:2;FR:1;GB:1;LT:6;LV:2;PL:2,0,0,BY,,{slugs},{urls}\n"
        f"{ROOT_52},2025-09-11,confirmed,52,52,,true,,"
        f"BY:38;DE:2;FR:1;GB:1;LT:6;LV:2;PL:2,0,0,BY,LT,{slugs},{urls}\n")


def test_build_writes_the_same_ledger_it_returns(tmp_path):
    root = new_site(tmp_path)
    write_site_52(root)
    result = build(root)
    for name in ("data/ledger.json", "data/ledger.csv", "data/events.json"):
        assert (root / "output" / name).read_bytes() == result.files[name]


# --------------------------------------------------------------------------------------------
# Destination as a breakdown

def test_release_split_by_destination(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-12-13-belarus-frees-123", article([
        release("2025-12-13-release-123", "2025-12-13", 123,
                citizenship={"US": 1, "UA": 5, "JP": 1}),
        release("2025-12-13-to-ukraine-114", "2025-12-13", 114, status=None,
                part_of="2025-12-13-release-123", destination="UA"),
        release("2025-12-13-to-lithuania-9", "2025-12-13", 9, status=None,
                part_of="2025-12-13-release-123", destination="LT", citizenship={"JP": 1}),
    ]))
    ledger = ledger_of(root)
    assert ledger["totals"] == exact(123)
    assert ledger["by_destination"] == {"LT": exact(9), "UA": exact(114), "unknown": exact(0)}
    # JP 1 of the nine is already inside the root's own JP 1: max, not sum.
    assert ledger["by_citizenship"] == {"JP": exact(1), "UA": exact(5), "US": exact(1),
                                        "unknown": exact(116)}
    root_entry = ledger["events"][0]
    assert root_entry["id"] == "2025-12-13-release-123"
    assert root_entry["destination"] is None          # its own field, not the breakdown
    assert [e["id"] for e in ledger["events"]] == [
        "2025-12-13-release-123", "2025-12-13-to-lithuania-9", "2025-12-13-to-ukraine-114"]
    assert [e["counted"] for e in ledger["events"]] == [True, False, False]


def test_destination_partly_known_leaves_the_rest_unknown(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-12-13-belarus-frees-123", article([
        release("2025-12-13-release-123", "2025-12-13", 123),
        release("2025-12-13-to-ukraine-114", "2025-12-13", 114, status=None,
                part_of="2025-12-13-release-123", destination="UA"),
    ]))
    ledger = ledger_of(root)
    assert ledger["by_destination"] == {"UA": exact(114), "unknown": exact(9)}
    assert ledger["by_citizenship"] == {"unknown": exact(123)}


def test_child_destination_inside_parent_destination_is_not_added(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-09-11-belarus-frees-52", article([
        release("2025-09-11-release-52", "2025-09-11", 52, destination="LT"),
        release("2025-09-11-foreigners-14", "2025-09-11", 14, status=None,
                part_of="2025-09-11-release-52", destination="LT"),
    ]))
    ledger = ledger_of(root)
    assert ledger["by_destination"] == {"LT": exact(52), "unknown": exact(0)}


# --------------------------------------------------------------------------------------------
# Unbounded counts and ranges

def test_at_least_makes_the_total_unbounded(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-06-21-release", article([
        release("2025-06-21-release-14", "2025-06-21", 14),
        release("2025-07-01-release-many", "2025-07-01", {"at_least": 20},
                citizenship={"LT": 3}),
    ]))
    result = build(root, write=False)
    ledger = json.loads(result.files["data/ledger.json"])
    assert ledger["totals"] == {"confirmed": iv(34, None), "with_reported": iv(34, None)}
    assert ledger["by_citizenship"] == {"LT": exact(3),
                                        "unknown": buckets(iv(31, None))}
    assert ledger["by_year"] == {"2025": buckets(iv(34, None))}
    assert ledger["events"][1]["released"] == {"min": 20, "max": None}
    assert b'"max": null' in result.files["data/ledger.json"]
    rows = result.files["data/ledger.csv"].decode().splitlines()
    assert rows[2] == ("2025-07-01-release-many,2025-07-01,confirmed,20,,,true,,LT:3,17,,BY,,"
                       "2025-06-21-release,https://example.net/report")


def test_ranges_add_up(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-ranges", article([
        release("2025-03-01-range", "2025-03-01", {"min": 4, "max": 18},
                citizenship={"LT": {"min": 1, "max": 3}}),
        release("2025-04-01-range", "2025-04-01", {"min": 1, "max": 2}, status="reported"),
        release("2025-05-01-exact", "2025-05-01", 10),
    ]))
    result = build(root, write=False)
    ledger = json.loads(result.files["data/ledger.json"])
    assert ledger["totals"] == {"confirmed": iv(14, 28), "with_reported": iv(15, 30)}
    # unknown is taken on each end: [4 - 1, 18 - 3] for the range, plus 10 and [1, 2].
    assert ledger["by_citizenship"] == {
        "LT": buckets(iv(1, 3)),
        "unknown": buckets(iv(13, 25), iv(14, 27))}
    assert ledger["by_year"] == {"2025": buckets(iv(14, 28), iv(15, 30))}
    rows = result.files["data/ledger.csv"].decode().splitlines()
    assert rows[1].startswith("2025-03-01-range,2025-03-01,confirmed,4,18,,true,,LT:1-3,3,15,")


# --------------------------------------------------------------------------------------------
# Statuses

def test_disputed_and_retracted_are_listed_not_counted(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-statuses", article([
        release("2025-01-10-confirmed", "2025-01-10", 10, citizenship={"LT": 1}),
        release("2025-02-10-reported", "2025-02-10", 7, status="reported",
                citizenship={"PL": 2}, destination="PL"),
        release("2025-03-10-disputed", "2025-03-10", 100, status="disputed",
                citizenship={"LT": 50}),
        release("2025-03-10-disputed-part", "2025-03-10", 40, status=None,
                part_of="2025-03-10-disputed"),
        release("2025-04-10-retracted", "2025-04-10", 200, status="retracted",
                destination="LT"),
    ]))
    result = build(root, write=False)
    ledger = json.loads(result.files["data/ledger.json"])
    assert ledger["totals"] == {"confirmed": iv(10), "with_reported": iv(17)}
    assert ledger["by_citizenship"] == {"LT": exact(1), "PL": exact(0, 2),
                                        "unknown": exact(9, 14)}
    assert ledger["by_destination"] == {"PL": exact(0, 7), "unknown": exact(10)}
    assert ledger["by_year"] == {"2025": exact(10, 17)}
    assert [(e["id"], e["status"], e["counted"]) for e in ledger["events"]] == [
        ("2025-01-10-confirmed", "confirmed", True),
        ("2025-02-10-reported", "reported", True),
        ("2025-03-10-disputed", "disputed", False),
        ("2025-03-10-disputed-part", "disputed", False),
        ("2025-04-10-retracted", "retracted", False),
    ]
    reasons = [row.split(",")[7] for row in result.files["data/ledger.csv"].decode().splitlines()]
    assert reasons == ["not_counted_reason", "", "", "disputed",
                       "included in 2025-03-10-disputed", "retracted"]


def test_only_uncounted_roots_give_zero_totals(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-disputed", article([
        release("2025-03-10-disputed", "2025-03-10", 100, status="disputed")]))
    ledger = ledger_of(root)
    assert ledger["totals"] == exact(0)
    assert ledger["by_year"] == {}
    assert ledger["events"][0]["counted"] is False


def test_unknown_is_listed_even_without_counted_roots(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-disputed", article([
        release("2025-03-10-disputed", "2025-03-10", 100, status="disputed")]))
    ledger = ledger_of(root)
    assert ledger["by_citizenship"] == {"unknown": exact(0)}
    assert ledger["by_destination"] == {"unknown": exact(0)}


def test_non_release_events_stay_out_of_the_ledger(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-talks", article([
        {"id": "2025-05-01-talks", "date": "2025-05-01", "kind": "negotiation", "people": 300},
        {"id": "2025-05-02-held", "date": "2025-05-02", "kind": "snapshot", "held": 1100},
        {"id": "2025-05-03-said", "date": "2025-05-03", "kind": "statement", "status": "reported",
         "people": {"at_least": 30}},
        release("2025-05-04-release", "2025-05-04", 3),
    ]))
    ledger = ledger_of(root)
    assert ledger["totals"] == exact(3)
    assert [e["id"] for e in ledger["events"]] == ["2025-05-04-release"]


# --------------------------------------------------------------------------------------------
# Partial dates

def test_partial_dates_are_kept_and_sorted_by_their_first_day(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-dates", article([
        release("nov-day-5", "2025-11-05", 5),
        release("nov-z-month", "2025-11", 6),       # same first day as nov-b-first-day
        release("nov-b-first-day", "2025-11-01", 7),
        release("nov-a-month", "2025-11", 8),        # same first day, sorts before by id
        release("year-int", 2025, 9),                # unquoted: a YAML number
        release("year-text", "2024", 10, status="reported"),
        release("dec-2024", "2024-12-31", 11),
    ]))
    ledger = ledger_of(root)
    assert [(e["id"], e["date"]) for e in ledger["events"]] == [
        ("year-text", "2024"),
        ("dec-2024", "2024-12-31"),
        ("year-int", "2025"),
        ("nov-a-month", "2025-11"),
        ("nov-b-first-day", "2025-11-01"),
        ("nov-z-month", "2025-11"),
        ("nov-day-5", "2025-11-05"),
    ]
    assert ledger["by_year"] == {"2024": exact(11, 21), "2025": exact(35)}
    assert ledger["totals"] == exact(46, 56)


# --------------------------------------------------------------------------------------------
# One whole file

def test_full_ledger_json(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-12-13-belarus-frees-123", article([
        release("2025-12-13-release-123", "2025-12-13", 123, citizenship={"UA": 5, "US": 1},
                mechanism="pardon", countries=["US"], names=["Ales Bialiatski"]),
        release("2025-12-13-to-ukraine-114", "2025-12-13", 114, status=None,
                part_of="2025-12-13-release-123", destination="UA", citizenship={"UA": 5}),
        release("2025-12-13-to-lithuania-9", "2025-12-13", {"min": 8, "max": 9}, status=None,
                part_of="2025-12-13-release-123", destination="LT"),
    ], urls=("https://hrw.example/123",), date="2025-12-15", title="Belarus frees 123"))
    write_article(root, "2026-01-belarus-frees-more", article([
        release("2026-01-more", "2026-01", {"at_least": 2}, status="reported", **{"from": "RU"},
                citizenship={"PL": 1}, destination="PL"),
        release("2026-02-claim", 2026, 30, status="disputed"),
        {"ref": "2025-12-13-to-lithuania-9"},
    ], urls=("https://rfe.example/more", "https://hrw.example/123"), date="2026-02-01"))

    slugs = ["2025-12-13-belarus-frees-123"]
    both = ["2025-12-13-belarus-frees-123", "2026-01-belarus-frees-more"]
    more = ["https://rfe.example/more", "https://hrw.example/123"]
    expected = {
        "totals": {"confirmed": iv(123), "with_reported": iv(125, None)},
        "by_citizenship": {"PL": exact(0, 1), "UA": exact(5), "US": exact(1),
                           "unknown": buckets(iv(117), iv(118, None))},
        # The root's destination rest is 123 - [122, 123] end by end: [1, 0], swapped to
        # [0, 1]; the reported root's is [2, inf) - [2, inf) = [0, inf).
        "by_destination": {"LT": buckets(iv(8, 9)), "PL": buckets(iv(0), iv(2, None)),
                           "UA": exact(114), "unknown": buckets(iv(0, 1), iv(0, None))},
        "by_year": {"2025": exact(123), "2026": buckets(iv(0), iv(2, None))},
        "events": [
            {"id": "2025-12-13-release-123", "date": "2025-12-13", "status": "confirmed",
             "released": iv(123), "part_of": None, "counted": True,
             "citizenship": {"UA": iv(5), "US": iv(1)}, "from": "BY", "destination": None,
             "articles": slugs, "sources": ["https://hrw.example/123"]},
            {"id": "2025-12-13-to-lithuania-9", "date": "2025-12-13", "status": "confirmed",
             "released": iv(8, 9), "part_of": "2025-12-13-release-123", "counted": False,
             "citizenship": {}, "from": "BY", "destination": "LT",
             "articles": both, "sources": ["https://hrw.example/123", "https://rfe.example/more"]},
            {"id": "2025-12-13-to-ukraine-114", "date": "2025-12-13", "status": "confirmed",
             "released": iv(114), "part_of": "2025-12-13-release-123", "counted": False,
             "citizenship": {"UA": iv(5)}, "from": "BY", "destination": "UA",
             "articles": slugs, "sources": ["https://hrw.example/123"]},
            {"id": "2026-01-more", "date": "2026-01", "status": "reported",
             "released": iv(2, None), "part_of": None, "counted": True,
             "citizenship": {"PL": iv(1)}, "from": "RU", "destination": "PL",
             "articles": ["2026-01-belarus-frees-more"], "sources": more},
            {"id": "2026-02-claim", "date": "2026", "status": "disputed",
             "released": iv(30), "part_of": None, "counted": False,
             "citizenship": {}, "from": "BY", "destination": None,
             "articles": ["2026-01-belarus-frees-more"], "sources": more},
        ],
    }
    result = build(root, write=False)
    data = result.files["data/ledger.json"]
    assert json.loads(data) == expected
    # The contract fixes sorted keys (byte stability), not the whitespace layout.
    orders = key_orders(data)
    assert sorted(map(tuple, orders)) == sorted(map(tuple, key_orders(
        json.dumps(expected, sort_keys=True).encode())))
    assert data.endswith(b"}\n") and data.decode("utf-8")


# --------------------------------------------------------------------------------------------
# Drafts

def write_site_with_drafts(root: Path) -> None:
    write_article(root, "2025-09-11-belarus-frees-52", article([
        release(ROOT_52, "2025-09-11", 52, destination="LT")], urls=(AFP,)))
    write_article(root, "2025-09-12-draft-foreigners", article([
        release(CHILD_14, "2025-09-11", 14, status=None, part_of=ROOT_52,
                citizenship={"LT": 6}),
        release("2025-09-20-release-7", "2025-09-20", 7),
        {"ref": ROOT_52},
    ], urls=(MFA,), draft=True))
    write_article(root, "2025-09-13-published-ref", article([{"ref": ROOT_52}], urls=(PAP,),
                                                            draft=False))


def test_drafts_are_left_out(tmp_path):
    root = new_site(tmp_path)
    write_site_with_drafts(root)
    ledger = ledger_of(root)
    assert ledger == {
        "totals": exact(52),
        "by_citizenship": {"unknown": exact(52)},
        "by_destination": {"LT": exact(52), "unknown": exact(0)},
        "by_year": {"2025": exact(52)},
        "events": [
            {"id": ROOT_52, "date": "2025-09-11", "status": "confirmed", "released": iv(52),
             "part_of": None, "counted": True, "citizenship": {}, "from": "BY",
             "destination": "LT",
             "articles": ["2025-09-11-belarus-frees-52", "2025-09-13-published-ref"],
             "sources": [AFP, PAP]},
        ],
    }


def test_drafts_are_counted_with_drafts(tmp_path):
    root = new_site(tmp_path)
    write_site_with_drafts(root)
    ledger = ledger_of(root, drafts=True)
    assert ledger["totals"] == exact(59)
    assert ledger["by_citizenship"] == {"LT": exact(6), "unknown": exact(53)}
    articles = ["2025-09-11-belarus-frees-52", "2025-09-12-draft-foreigners",
                "2025-09-13-published-ref"]
    assert [(e["id"], e["counted"], e["articles"], e["sources"]) for e in ledger["events"]] == [
        (CHILD_14, False, ["2025-09-12-draft-foreigners"], [MFA]),
        (ROOT_52, True, articles, [AFP, MFA, PAP]),
        ("2025-09-20-release-7", True, ["2025-09-12-draft-foreigners"], [MFA]),
    ]


# --------------------------------------------------------------------------------------------
# Byte stability

def test_two_builds_are_byte_identical(tmp_path):
    root = new_site(tmp_path)
    write_site_52(root)
    first = build(root, write=False, search=False).files
    second = build(root, write=False, search=False).files
    assert first == second
    built = build(root, search=False)     # Pagefind's index is of written pages only
    written = {name: (root / "output" / name).read_bytes() for name in built.files}
    assert written == first


def test_file_creation_order_does_not_matter(tmp_path):
    one, two = new_site(tmp_path, "one"), new_site(tmp_path, "two")
    write_site_52(one)
    # The same files, written in the opposite order.
    for path in sorted((one / "content").rglob("*.md"), reverse=True):
        target = two / path.relative_to(one)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    assert build(one, write=False).files == build(two, write=False).files


@pytest.mark.slow
def test_hash_seed_and_time_zone_do_not_matter(tmp_path):
    root = new_site(tmp_path)
    write_site_52(root)
    write_article(root, "2025-ranges", article([
        release("2025-03-01-range", "2025-03", {"min": 4, "max": 18},
                citizenship={"LT": 1, "PL": 2, "DE": 3, "UA": {"at_least": 1}})]))
    script = ("import sys, hashlib; from pathlib import Path; from sitegen.build import build; "
              "files = build(Path(sys.argv[1]), write=False).files; "
              "print({k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())})")
    outputs = set()
    for seed, tz, lang in (("0", "UTC", "C"), ("1", "Asia/Tokyo", "ru_RU.UTF-8"),
                           ("12345", "America/Los_Angeles", "en_US.UTF-8")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "LANG": lang, "LC_ALL": lang}
        run = subprocess.run([sys.executable, "-c", script, str(root)], env=env,
                             capture_output=True, text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


# --------------------------------------------------------------------------------------------
# Interval

def test_interval_add():
    assert Interval(1, 2) + Interval(3, 4) == Interval(4, 6)
    assert Interval.exact(5) + ZERO == Interval(5, 5)
    assert Interval(1, None) + Interval(3, 4) == Interval(4, None)
    assert Interval(3, 4) + Interval(1, None) == Interval(4, None)
    assert Interval(0, None) + Interval(0, None) == Interval(0, None)


def test_interval_join_max():
    assert Interval(2, 3).join_max(Interval(1, 5)) == Interval(2, 5)
    assert Interval(1, 5).join_max(Interval(2, 3)) == Interval(2, 5)
    assert Interval(6, 6).join_max(ZERO) == Interval(6, 6)
    assert ZERO.join_max(Interval(6, 6)) == Interval(6, 6)
    assert Interval(5, 5).join_max(Interval(2, None)) == Interval(5, None)
    assert Interval(2, None).join_max(Interval(5, 5)) == Interval(5, None)


def test_interval_rest_after():
    assert Interval.exact(52).rest_after(Interval.exact(52)) == ZERO
    assert Interval.exact(123).rest_after(Interval.exact(7)) == Interval(116, 116)
    assert Interval(4, 18).rest_after(Interval(1, 3)) == Interval(3, 15)     # end by end
    assert Interval.exact(5).rest_after(Interval.exact(9)) == ZERO           # clamped at 0
    assert Interval(20, None).rest_after(Interval.exact(3)) == Interval(17, None)
    assert Interval(20, None).rest_after(Interval(3, None)) == Interval(17, None)
    # An unbounded part leaves at most 0 on the upper end; crossed ends are swapped.
    assert Interval.exact(10).rest_after(Interval(5, None)) == Interval(0, 5)
    assert Interval.exact(10).rest_after(Interval(12, None)) == ZERO
    assert Interval(10, 20).rest_after(Interval(2, 15)) == Interval(5, 8)
    assert Interval(10, 20).rest_after(Interval(9, 9)) == Interval(1, 11)


def test_interval_exceeds():
    assert Interval.exact(53).exceeds(Interval.exact(52))
    assert not Interval.exact(52).exceeds(Interval.exact(52))
    assert not Interval(10, 60).exceeds(Interval.exact(52))    # only the lower bound counts
    assert Interval(53, 60).exceeds(Interval(4, 52))
    assert not Interval(53, None).exceeds(Interval(4, None))   # an unbounded whole holds all
    assert not Interval(10 ** 12, None).exceeds(Interval(0, None))
    assert Interval(1, None).exceeds(ZERO)


def test_interval_json_and_text():
    assert Interval(3, None).as_json() == {"min": 3, "max": None}
    assert Interval.exact(4).as_json() == {"min": 4, "max": 4}
    assert [str(Interval(3, None)), str(Interval.exact(4)), str(Interval(4, 18))] == \
        [">= 3", "4", "4-18"]
    assert ZERO.is_zero and not Interval(0, None).is_zero


# --------------------------------------------------------------------------------------------
# Deeper trees

def test_grandchildren_aggregate_through_their_parent(tmp_path):
    root = new_site(tmp_path)
    write_article(root, "2025-tree", article([
        release("2025-06-01-all", "2025-06-01", 100, status="reported"),
        release("2025-06-01-foreign", "2025-06-01", 30, status=None, part_of="2025-06-01-all",
                citizenship={"LT": 10}),
        release("2025-06-01-poles", "2025-06-01", 12, status=None,
                part_of="2025-06-01-foreign", citizenship={"PL": 12}, destination="PL"),
    ]))
    result = build(root, write=False)
    ledger = json.loads(result.files["data/ledger.json"])
    assert ledger["totals"] == exact(0, 100)
    assert ledger["by_citizenship"] == {"LT": exact(0, 10), "PL": exact(0, 12),
                                        "unknown": exact(0, 78)}
    assert ledger["by_destination"] == {"PL": exact(0, 12), "unknown": exact(0, 88)}
    assert [(e["id"], e["status"], e["counted"], e["citizenship"]) for e in ledger["events"]] == [
        ("2025-06-01-all", "reported", True, {"LT": iv(10), "PL": iv(12)}),
        ("2025-06-01-foreign", "reported", False, {"LT": iv(10), "PL": iv(12)}),
        ("2025-06-01-poles", "reported", False, {"PL": iv(12)}),
    ]
    rows = [row.split(",") for row in result.files["data/ledger.csv"].decode().splitlines()[1:]]
    # The reason names the direct parent; unknown citizenship is per event.
    assert [(r[0], r[7], r[9], r[10]) for r in rows] == [
        ("2025-06-01-all", "", "78", "78"),
        ("2025-06-01-foreign", "included in 2025-06-01-all", "8", "8"),
        ("2025-06-01-poles", "included in 2025-06-01-foreign", "0", "0"),
    ]
