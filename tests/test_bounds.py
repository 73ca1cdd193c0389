"""Bounded work for bounded input: one content file within the limits, whatever it holds, is
checked in at most 2 s and 200 MB, and its warnings do not grow with it.

Each reproduction runs `sitegen check` in a child process (tests/limits.py: its time from
main() to the end and its peak resident memory, under a timeout and an address-space limit,
so that a regression fails here instead of taking the machine with it).
"""
from __future__ import annotations

import time

import pytest

from sitegen.markdown import render_markdown
from sitegen.source import MAX_BODY_CHARS, MAX_FILE_BYTES

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
    started = time.perf_counter()
    html = render_markdown(body, "/").html
    assert time.perf_counter() - started < 2
    assert html.count('<h2 id="x') == 20000
    assert html.startswith('<h2 id="x">x</h2>\n<h2 id="x-1">x</h2>\n<h2 id="x-2">')
    assert html.endswith('<h2 id="x-19999">x</h2>\n')


def test_heading_ids_skip_an_id_a_heading_already_has():
    html = render_markdown("## x\n## x-1\n## x\n## x\n#### x 1\n", "/").html
    assert html == ('<h2 id="x">x</h2>\n<h2 id="x-1">x-1</h2>\n<h2 id="x-2">x</h2>\n'
                    '<h2 id="x-3">x</h2>\n<h4 id="x-1-1">x 1</h4>\n')
