"""Property test: after any sequence of edits, `sitegen build` with its cache in
.sitegen-cache/ writes exactly what a clean build (`--no-cache`, fresh copy) writes, byte
for byte, and fails exactly when it fails, with the same problems.

Each edit is followed by a build. Edited files get a modification time well in the past
(as files a user edited a while ago have), so the builds trust sizes and times where they
can: a test whose edits were all "just now" would only ever take the slow road.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sitegen import cli

from .conftest import copy_sample, files_digest, same_folder, site_inputs

ARTICLES = "content/articles"
NEW_ARTICLE = """\
---
title: {title}
date: {date}
lang: {lang}
sources:
  - url: https://reports.test/new/{n}
    publisher: Example
events:
  - id: {date}-new-{n}
    date: {date}
    kind: release
    status: {status}
    released: {count}
    citizenship: {{BY: {count}}}
    destination: {dest}
{ref}---
New release {n}.

- {title}
"""

text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x44f,
                             blacklist_categories=("Cc", "Cs", "Cf"),
                             blacklist_characters="\\\"':#{}[]&*!|>%@`,?-<"),
               min_size=1, max_size=20).map(str.strip).filter(bool)
day = st.dates(min_value=dt.date(2024, 7, 1), max_value=dt.date(2026, 3, 31))

edits = st.one_of(
    st.tuples(st.just("title"), st.integers(0, 50), text),
    st.tuples(st.just("count"), st.integers(0, 50), st.integers(1, 400)),
    st.tuples(st.just("body"), st.integers(0, 50), text),
    st.tuples(st.just("delete"), st.integers(0, 50), st.none()),
    st.tuples(st.just("add"), st.integers(0, 10_000), st.tuples(day, text, st.integers(1, 90),
              st.sampled_from(["confirmed", "reported", "disputed"]),
              st.sampled_from(["LT", "PL", "UA", "DE"]), st.sampled_from(["ru", "en"]),
              st.booleans())),
    st.tuples(st.just("template"), st.sampled_from(["event.html", "base.html", "home.html",
                                                    "event_item.html", "ledger_rows.html"]),
              text),
    st.tuples(st.just("strings"), st.sampled_from(["ru", "en"]), text),
    # a theme whose article page shows its body twice: made again when that body changes
    # (the article's route gives it the body, and says so)
    st.tuples(st.just("shows the body"), st.just("article.html"), st.none()),
    st.tuples(st.just("touch"), st.integers(0, 50), st.none()),
    st.tuples(st.just("config"), st.none(), text),
    st.tuples(st.just("output"), st.integers(0, 10_000), st.none()),
)


def _articles(site: Path) -> list[Path]:
    return sorted((site / ARTICLES).rglob("*.md"))


def _age(site: Path) -> list[int]:
    """Every file and folder of the site modified an hour ago (files, then their folders);
    returns the clock later edits take their times from."""
    clock = [time.time_ns() - 3600 * 1_000_000_000]
    for path in sorted(site.rglob("*"), reverse=True):
        _set_old_time(path, clock)
    return clock


def _set_old_time(path: Path, clock: list[int]) -> None:
    """A distinct modification time, minutes in the past."""
    clock[0] += 1_000_000_000
    os.utime(path, ns=(clock[0], clock[0]))


def apply(site: Path, edit: tuple, clock: list[int]) -> None:
    kind, where, value = edit
    articles = _articles(site)
    touched: Path | None = None
    if kind in ("title", "count", "body", "delete", "touch") and articles:
        touched = articles[where % len(articles)]
        source = touched.read_text(encoding="utf-8")
        if kind == "title":
            touched.write_text(re.sub(r"(?m)^title: .*$", f"title: {value}", source, count=1),
                               encoding="utf-8")
        elif kind == "count":
            touched.write_text(re.sub(r"(?m)^(\s+released:) \d+$", rf"\g<1> {value}", source,
                                      count=1), encoding="utf-8")
        elif kind == "body":
            touched.write_text(source + f"\n{value}\n", encoding="utf-8")
        elif kind == "delete":
            touched.unlink()
            return
    elif kind == "add":
        date, title, count, status, dest, lang, with_ref = value
        ref = ""
        if with_ref:
            ref = "  - ref: 2025-12-13-release-123\n"
        touched = site / ARTICLES / str(date.year) / f"{date}-new-{where}.md"
        touched.parent.mkdir(parents=True, exist_ok=True)
        touched.write_text(NEW_ARTICLE.format(title=title, date=date, lang=lang, n=where,
                                              status=status, count=count, dest=dest, ref=ref),
                           encoding="utf-8")
    elif kind == "template":
        touched = site / "templates" / where
        touched.write_text(touched.read_text(encoding="utf-8")
                           + f"{{# {value} #}}<!-- {len(value)} -->\n", encoding="utf-8")
    elif kind == "shows the body":
        touched = site / "templates" / where
        source = touched.read_text(encoding="utf-8")
        touched.write_text(source.replace("{{ body }}", "{{ body }}<!-- {{ body|length }} -->", 1),
                           encoding="utf-8")
    elif kind == "strings":
        touched = site / "templates" / "strings" / f"{where}.toml"
        source = touched.read_text(encoding="utf-8")
        touched.write_text(re.sub(r'(?m)^timeline = ".*"$', f'timeline = "{value}"', source),
                           encoding="utf-8")
    elif kind == "config":
        touched = site / "pyproject.toml"
        source = touched.read_text(encoding="utf-8")
        touched.write_text(re.sub(r'en = "[^"]*"', f'en = "{value}"', source, count=1),
                           encoding="utf-8")
    elif kind == "output":
        pages = sorted((site / "output").rglob("*.html"))
        if pages:
            page = pages[where % len(pages)]
            page.write_bytes(page.read_bytes().replace(b"<main", b"<main data-tampered", 1))
        return
    if touched is not None and touched.exists():
        _set_old_time(touched, clock)
        _set_old_time(touched.parent, clock)


def run_build(site: Path, *flags: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["build", "--root", str(site), *flags])
    problems = [line for line in (out.getvalue() + err.getvalue()).splitlines()
                if not line.startswith("sitegen:")]
    return code, "\n".join(problems)


def tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(site: Path, tmp: Path, flags: tuple) -> tuple[int, str, dict[str, bytes]]:
    """`sitegen build --no-cache` of a fresh copy of the site: code, problems, output."""
    clean_site = tmp / "clean"
    shutil.rmtree(clean_site, ignore_errors=True)
    shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns("output", ".sitegen-cache"))
    code, problems = run_build(clean_site, "--no-cache", *flags)
    return code, problems, tree(clean_site / "output")


# A clean build's outcome (code, problems, digest of its output) by its inputs and flags:
# a state of the site met again (Hypothesis's mutations replay an example's first steps;
# `touch` and `output` edits change no input) is built clean once. A clean build depends on
# nothing else (no clock, no file time: tests/test_ledger.py, test_site.py).
_CLEAN: dict[bytes, tuple[int, str, bytes]] = {}


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=6), st.booleans())
def test_incremental_build_equals_clean_build(steps, search):
    """`search`: with Pagefind's index (whose bundle a build keeps when the pages it indexes
    are the same), or without (half the time: a third of each build is the index)."""
    flags = () if search else ("--no-search",)
    with same_folder() as tmp:
        site = copy_sample(tmp / "site")
        clock = _age(site)
        assert run_build(site, *flags)[0] == 0
        for step in steps:
            apply(site, step, clock)
            before = tree(site / "output")
            code, problems = run_build(site, *flags)
            key = files_digest(site_inputs(site), flags)
            if key not in _CLEAN:
                clean_code, clean_problems, clean = clean_build(site, tmp, flags)
                _CLEAN[key] = clean_code, clean_problems, files_digest(clean)
            clean_code, clean_problems, clean_digest = _CLEAN[key]
            assert (code, problems) == (clean_code, clean_problems), step
            if code == 0:
                made = tree(site / "output")
                if files_digest(made) != clean_digest:
                    assert made == clean_build(site, tmp, flags)[2], step   # the difference
                    pytest.fail(f"two clean builds of the same inputs differ: {step}")
            else:
                assert tree(site / "output") == before, step


def test_nothing_changed_reads_and_writes_nothing(tmp_path):
    """The second build of an untouched site takes the short road: it parses no file and
    leaves every output file as it was (same inode), and reports the same warnings."""
    site = copy_sample(tmp_path / "site")
    _age(site)
    code, problems = run_build(site)
    inodes = {p: p.stat().st_ino for p in (site / "output").rglob("*") if p.is_file()}
    from sitegen.cached import build_cached
    result = build_cached(site)
    assert result.site is None          # the short road: nothing was parsed
    # 79 files, and the timeline's 9 pages per kind, status and mechanism in each language
    # and its script, its newest-first page in each, the search pages and Pagefind's index
    assert result.unchanged == len(result.files) == len(inodes) == 79 + 18 + 1 + 2 + 2 + 49
    assert {p: p.stat().st_ino for p in (site / "output").rglob("*") if p.is_file()} == inodes
    assert run_build(site) == (code, problems)


@pytest.mark.parametrize("change", ["a file added", "a file removed", "a file made a link",
                                    "a folder made a link"])
def test_an_output_changed_by_hand_is_built_again(tmp_path, change):
    """The short road is taken only when output/ holds exactly the files the last build wrote:
    after any other change the build is a real one, and output/ is the site again."""
    site = copy_sample(tmp_path / "site")
    _age(site)
    assert run_build(site)[0] == 0
    out = site / "output"
    built = tree(out)
    ledger = out / "en" / "ledger"
    elsewhere = tmp_path / "elsewhere"
    if change == "a file added":
        (out / "en" / "stray.html").write_text("stray")
    elif change == "a file removed":
        (ledger / "index.html").unlink()
    elif change == "a file made a link":
        elsewhere.write_bytes((ledger / "index.html").read_bytes())
        (ledger / "index.html").unlink()
        (ledger / "index.html").symlink_to(elsewhere)
    else:
        shutil.move(ledger, elsewhere)
        ledger.symlink_to(elsewhere, target_is_directory=True)
    from sitegen.cached import build_cached
    result = build_cached(site)
    assert result.site is not None          # parsed and rendered: not the short road
    assert tree(out) == built
    assert not any(p.is_symlink() for p in out.rglob("*"))


def test_a_foreign_cache_is_never_loaded(tmp_path):
    """A .sitegen-cache/ that came with the content (signed with another key) is ignored: the
    build is a clean one and replaces it."""
    import pickle
    site = copy_sample(tmp_path / "site")
    (site / ".sitegen-cache").mkdir()

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))
    from sitegen.cache.store import MAGIC
    for name in ("state", "manifest"):
        (site / ".sitegen-cache" / name).write_bytes(MAGIC + b"\0" * 32 + pickle.dumps(Boom()))
    assert run_build(site)[0] == 0
    assert not (tmp_path / "pwned").exists()
    assert (site / ".sitegen-cache" / "state").read_bytes() != MAGIC + b"\0" * 32 + pickle.dumps(Boom())


def test_a_symlinked_cache_folder_is_not_followed(tmp_path):
    site = copy_sample(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / ".sitegen-cache").symlink_to(elsewhere)
    assert run_build(site)[0] == 0
    assert list(elsewhere.iterdir()) == []


def test_an_event_page_cannot_reach_the_whole_site(tmp_path):
    """An event page is keyed by what its route gives it (its event, parent and parts) and
    the layout: a theme whose event page reaches for the whole site through `v` (here: how
    many events there are) gets an error at that line, never a page its key would miss."""
    site = copy_sample(tmp_path / "site")
    event = site / "templates" / "event.html"
    source = event.read_text(encoding="utf-8")
    event.write_text(source.replace(
        "<h1>", "<p class=\"all\">{{ v.events|length }} events in all</p>\n<h1>", 1),
        encoding="utf-8")
    line = source[:source.index("<h1>")].count("\n") + 1
    assert run_build(site) == (1, f"templates/event.html:{line}:1: error: template error: "
                                  "'sitegen.site.render.Layout object' has no attribute 'events'")
    assert not (site / "output").exists()


def test_an_edited_body_leaves_the_rest_of_the_cache_and_output_as_they_were(tmp_path):
    """Editing an article's body writes its page alone: the open data, the feeds and every
    other page are the old output's files (same inodes); of the cache's shards only the one
    that holds the edited file's parse is saved again."""
    site = copy_sample(tmp_path / "site")
    clock = _age(site)
    # without search: the index, made again whole by Pagefind, changes with any page
    assert run_build(site, "--no-search")[0] == 0
    shards = sorted((site / ".sitegen-cache").glob("*-*"))
    assert len(shards) == 16        # the parsed files
    inodes = {p: p.stat().st_ino for p in (*(site / "output").rglob("*"), *shards)
              if p.is_file()}
    apply(site, ("body", 7, "Одна строка ещё."), clock)
    from sitegen.cached import build_cached
    from sitegen.cache.cache import Cache
    result = build_cached(site, search=False)
    changed = sorted(p.relative_to(site).as_posix() for p, ino in inodes.items()
                     if p.stat().st_ino != ino)
    edited = site / ARTICLES / "2025/2025-12-13-release-123.md"
    assert changed == sorted([f".sitegen-cache/parsed-{Cache().parsed.entries.shard(str(edited))}",
                              "output/articles/2025-12-13-release-123/index.html"])
    # see above; with the timeline's filter pages, newest-first pages and script (no search
    # pages here)
    assert result.unchanged == len(result.files) - 1 == 78 + 18 + 2 + 1 + 1
    # what the build recorded of its output (the kept files' stat taken from the last build,
    # the others' read) is the folder as it is: the next build takes the short road
    from sitegen.output import written
    assert build_cached(site, search=False).site is None
    assert _recorded_outputs(site) == written(site / "output")


def _recorded_outputs(site: Path) -> dict:
    from sitegen.cache.store import Store
    return Store(site).load("manifest")["outputs"]
