"""Bounded work for bounded input: one content file within the limits, whatever it holds, is
checked in at most 2 s and 200 MB, and its warnings do not grow with it.

Each reproduction runs `sitegen check` in a child process (tests/limits.py: its time from
main() to the end and its peak resident memory, under a timeout and an address-space limit,
so that a regression fails here instead of taking the machine with it).
"""
from __future__ import annotations

import time

import pytest

from sitegen.content.countries import country_codes
from sitegen.content.markdown import render_markdown
from sitegen.content.source import MAX_BODY_CHARS, MAX_FILE_BYTES

from .conftest import make_site
from .limits import run_sitegen

HEAD = ("---\ntitle: T\ndate: 2025-01-01\n"
        "sources: [{url: 'https://a.example/', publisher: P}]\n"
        "events: [{id: e, date: 2025, kind: statement}]\n---\n")
BODY_LINE = HEAD.count("\n") + 1
SECONDS, MEGABYTES = 2.0, 200


def fill(unit: str, chars: int = MAX_BODY_CHARS) -> str:
    """`unit` repeated to exactly `chars` characters (the last one cut)."""
    return (unit * (chars // len(unit) + 1))[:chars]


def numbered(template: str, chars: int = MAX_BODY_CHARS) -> str:
    """template.format(i) for i = 0, 1, ... up to `chars` characters (whole lines)."""
    out, size, i = [], 0, 0
    while size + len(line := template.format(i)) <= chars:
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out)


TABLE = "| a | b |\n|---|---|\n"
# what markdown-it-py (or, for headings, the id plugin) once handled slowly or with much
# memory, each a body of the largest size a body may have
BODIES = {
    "same heading": lambda: fill("## x\n"),                       # ids: once quadratic
    "distinct headings": lambda: numbered("## x{}\n"),
    "brackets": lambda: fill("["),
    "image openers": lambda: fill("![x"),
    "link openers": lambda: fill("[a]("),
    "list items": lambda: fill("- a\n"),
    "table rows": lambda: TABLE + fill("| a | b |\n", MAX_BODY_CHARS - len(TABLE)),
    "nested emphasis": lambda: fill("**_"),
}


def check_file(tmp_path, text: str):
    root = make_site(tmp_path / "site", {"content/articles/a.md": text})
    return run_sitegen(["check", "--root", str(root)], timeout=60, memory_mb=2048)


@pytest.mark.slow      # a process for each of the 8 bodies of 64 K
@pytest.mark.parametrize("name", BODIES)
def test_a_body_of_the_largest_size_is_checked_within_bounds(tmp_path, name):
    body = BODIES[name]()
    assert len(body) == MAX_BODY_CHARS or name == "distinct headings"
    run = check_file(tmp_path, HEAD + body)
    assert (run.code, run.stdout) == (0, ""), run.stderr
    assert run.seconds < SECONDS and run.peak_mb < MEGABYTES, (run.seconds, run.peak_mb)


def test_a_body_over_its_limit_is_refused_at_once(tmp_path):
    body = fill("[", MAX_FILE_BYTES - len(HEAD))        # the file is at its own limit
    run = check_file(tmp_path, HEAD + body)
    assert run.code == 1
    assert run.stdout == (f"content/articles/a.md:{BODY_LINE}:1: error: the body (the text "
                          f"after the front matter) is {len(body):,} characters; the limit is "
                          "65,536: split it into several articles or pages\n")
    assert run.seconds < SECONDS and run.peak_mb < MEGABYTES, (run.seconds, run.peak_mb)


def test_a_body_at_its_limit_in_cyrillic_is_accepted(tmp_path):
    """The limit counts characters, not bytes: 65,536 Cyrillic letters are 128 KiB."""
    run = check_file(tmp_path, HEAD + fill("Освобождение политзаключённых. "))
    assert (run.code, run.stdout) == (0, "")


def test_warnings_of_one_kind_are_capped_per_file(tmp_path):
    """A body of lines each with a bidi control: five warnings, then one with the count of
    the others (not 21,845 lines)."""
    body = fill("a\u202e\n")
    lines = body.count("\n")
    run = check_file(tmp_path, HEAD + body)
    warning = ("warning: invisible character U+202E reorders text; it is removed from the "
               "page")
    assert run.code == 0
    assert run.stdout.splitlines() == (
        [f"content/articles/a.md:{BODY_LINE + i}:2: {warning}" for i in range(5)]
        + [f"content/articles/a.md:{BODY_LINE + 5}:2: warning: and {lines - 5:,} more like "
           "it: invisible character U+202E reorders text; it is removed from the page"])
    assert run.seconds < SECONDS and run.peak_mb < MEGABYTES, (run.seconds, run.peak_mb)


def test_warnings_of_different_kinds_are_capped_apart(tmp_path):
    body = fill("a\u202e\n", 30) + fill("[x](javascript:alert(1))\n", 250)
    run = check_file(tmp_path, HEAD + body)
    out = run.stdout.splitlines()
    assert [line.split(": warning: ")[1][:30] for line in out] == (
        ["invisible character U+202E reo"] * 5 + ["and 5 more like it: invisible "]
        + ["link target 'javascript:alert("] * 5 + ["and 5 more like it: link targe"])


def test_heading_ids_are_unique_and_made_in_linear_time():
    body = fill("## x\n", 5 * 20000)
    started = time.process_time()      # CPU time: parallel test workers do not stretch it
    html = render_markdown(body, "/").html
    assert time.process_time() - started < 2
    assert html.count('<h2 id="x') == 20000
    assert html.startswith('<h2 id="x">x</h2>\n<h2 id="x-1">x</h2>\n<h2 id="x-2">')
    assert html.endswith('<h2 id="x-19999">x</h2>\n')


def test_heading_ids_skip_an_id_a_heading_already_has():
    html = render_markdown("## x\n## x-1\n## x\n## x\n#### x 1\n", "/").html
    assert html == ('<h2 id="x">x</h2>\n<h2 id="x-1">x-1</h2>\n<h2 id="x-2">x</h2>\n'
                    '<h2 id="x-3">x</h2>\n<h4 id="x-1-1">x 1</h4>\n')


# --------------------------------------------------------------------------------------------
# Output: what multiplies is bounded (an event is listed on the page of every country it
# names; an article's sources on the page of every event it reports)

CODES = sorted(country_codes())


def events_naming(n_events: int, n_countries: int, limit: int | None = None) -> str:
    """An article of `n_events` statements, each naming the first `n_countries` countries
    as parties (as many as fit in `limit` bytes)."""
    head = HEAD.split("events:")[0] + "events:\n"
    names = ", ".join(CODES[:n_countries])
    lines, size = [], len(head) + 10
    for i in range(n_events):
        line = f"  - {{id: e{i}, date: 2025-01-01, kind: statement, countries: [{names}]}}\n"
        if limit is not None and size + len(line) > limit:
            break
        lines.append(line)
        size += len(line)
    return head + "".join(lines) + "---\nBody.\n"


def build_site(tmp_path, files: dict[str, str]):
    root = make_site(tmp_path / "site", files)
    run = run_sitegen(["build", "--no-cache", "--root", str(root)], timeout=120, memory_mb=3072)
    out = root / "output"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    return run, size, out


def test_the_issues_990_events_naming_every_country_are_refused_at_once(tmp_path):
    """1 MiB of events naming all 249 countries built 6.7 GB of country pages in 34 s."""
    text = events_naming(990, len(CODES), MAX_FILE_BYTES)
    assert len(CODES) == 249 and text.count("  - {id:") == 990
    run, size, out = build_site(tmp_path, {"content/articles/a.md": text})
    assert run.code == 1 and size == 0 and not out.exists()
    chars = len(text.split("---\n")[1])
    assert run.stdout == (f"content/articles/a.md:1:1: error: the front matter is {chars:,} "
                          "characters; the limit is 262,144: split the article\n")
    assert run.seconds < SECONDS and run.peak_mb < MEGABYTES, (run.seconds, run.peak_mb)


def test_an_article_names_at_most_20_events_and_10_sources(tmp_path):
    text = events_naming(21, 1).replace(
        "sources: [{url: 'https://a.example/', publisher: P}]", "sources: [" + ", ".join(
            f"{{url: 'https://a.example/{i}', publisher: P}}" for i in range(11)) + "]")
    run = check_file(tmp_path, text)
    assert (run.code, run.stdout.splitlines()) == (1, [
        "content/articles/a.md:4:10: error: sources: expected at most 10 items, got 11",
        "content/articles/a.md:5:1: warning: article has no events: declare what it reports "
        "under 'events:' (or '- ref: <id>' for an event declared elsewhere)",
        "content/articles/a.md:6:3: error: events: expected at most 20 items, got 21"])


def test_an_event_names_at_most_15_countries_and_15_citizenships(tmp_path):
    citizenship = ", ".join(f"{c}: 1" for c in CODES[:16])
    text = events_naming(1, 16).replace(
        "kind: statement,", f"kind: release, status: confirmed, released: 99, "
                           f"citizenship: {{{citizenship}}},")
    run = check_file(tmp_path, text)
    line = text.splitlines()[5]
    assert (run.code, run.stdout.splitlines()) == (1, [
        f"content/articles/a.md:6:{line.index('{AD: 1') + 1}: error: events[1].citizenship: "
        "expected at most 15 keys, got 16",
        f"content/articles/a.md:6:{line.index('[AD, ') + 1}: error: events[1].countries: "
        "expected at most 15 items, got 16"])


def test_a_file_at_every_cap_builds_within_bounds(tmp_path):
    """20 events each naming 15 countries: each country page lists the 20 events without
    their other countries, the timeline each with ten of them and a link to the rest."""
    run, size, out = build_site(tmp_path, {"content/articles/a.md": events_naming(20, 15)})
    assert run.code == 0, run.stdout
    # 1,030,890 bytes: a site of one minimal article is 423,565 (its theme, search page,
    # feeds, data, each list's first page in both orders); the 2.5 KB file adds 240 bytes a
    # byte, past the issue's 100 (tests/test_amplification.py says so with 1 MiB of them)
    assert run.seconds < 10 and size < 1_100_000, (run.seconds, size)
    page = (out / "countries/ad/index.html").read_text()
    assert page.count('<li id="e') == 20 and '<span class="countries">' not in page
    page = (out / "timeline/index.html").read_text()
    assert page.count('">and 5 more countries</a>') == 20
    assert (out / "ru/timeline/index.html").read_text().count('">и ещё 5 стран</a>') == 20
    event = (out / "events/e7/index.html").read_text()
    assert all(f'<a href="/countries/{c.lower()}/">' in event for c in CODES[:15])
