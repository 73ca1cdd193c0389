"""Search (sitegen/search.py): Pagefind's index made by `sitegen build`, deterministic, and
switched off or skipped as the README says."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from sitegen import cli, pagefind_files
from sitegen.build import build

from .conftest import TESTS, THEME

SAMPLE = TESTS / "sites" / "sample"
CSP_SEARCH = "script-src 'self' 'wasm-unsafe-eval';"
CSP_PLAIN = "script-src 'self';"



def sample_copy(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("output", ".sitegen-cache"))
    pyproject = dest / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'templates_dir = "../../../templates"', f'templates_dir = "{THEME.as_posix()}"'))
    return dest


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = sample_copy(tmp_path_factory.mktemp("search") / "site")
    result = build(site)
    return site, result


def test_the_build_writes_the_bundle_the_search_page_loads(built):
    site, result = built
    out = site / "output"
    names = sorted(n for n in result.files if n.startswith("pagefind/"))
    assert sorted(n.relative_to(out).as_posix() for n in (out / "pagefind").rglob("*")
                  if n.is_file()) == names
    assert {n for n in names if "/" not in n[len("pagefind/"):]} >= {
        "pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-entry.json",
        "pagefind/wasm.ru.pagefind", "pagefind/wasm.en.pagefind"}
    # Pagefind's own UIs are not published: the search page has its own script
    assert not [n for n in names if "-ui." in n or "highlight" in n or "playground" in n]
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_bytes())
    assert list(entry["languages"]) == ["en", "ru"]
    # one page per event and per article of the language, nothing else
    events = len({v for v in os.listdir(out / "events")})
    articles = {lang: len(os.listdir(out / prefix / "articles"))
                for lang, prefix in (("ru", "."), ("en", "en"))}
    assert entry["languages"]["ru"]["page_count"] == events + articles["ru"]
    assert entry["languages"]["en"]["page_count"] == events + articles["en"]
    for name in names:      # written as every other file: a regular file, readable by all
        mode = os.lstat(out / name).st_mode
        assert stat.S_ISREG(mode) and mode & 0o444 == 0o444, name


def test_the_search_page_alone_may_run_webassembly(built):
    site, result = built
    out = site / "output"
    for page in ("search/index.html", "en/search/index.html"):
        assert CSP_SEARCH in (out / page).read_text()
    others = [p for p in out.rglob("*.html") if p.parent.name != "search"]
    assert len(others) == sum(n.endswith(".html") for n in result.files) - 2 == 87
    for page in others:
        html = page.read_text()
        assert "wasm-unsafe-eval" not in html and CSP_PLAIN in html, page
    # the header's search box is a plain GET form to the page of its language
    home = (out / "en/index.html").read_text()
    assert '<form class="site-search" role="search" action="/en/search/" method="get">' in home
    assert 'action="/search/"' in (out / "index.html").read_text()


def test_event_and_article_pages_carry_kind_date_and_countries(built):
    site, _ = built
    out = site / "output"
    event = (out / "en/events/2025-09-11-release-52/index.html").read_text()
    assert '<article class="event-page" data-pagefind-body>' in event
    assert ('<span class="kind" data-pagefind-meta="kind" data-pagefind-filter="kind">'
            'Release</span>') in event
    assert '<time datetime="2025-09-11" data-pagefind-meta="date">September 11, 2025</time>' \
        in event
    assert re.findall(r'<span hidden data-pagefind-filter="country:([^"]*)"></span>', event) == [
        "Belarus", "France", "Germany", "Latvia", "Lithuania", "Poland", "United Kingdom",
        "United States"]
    article = (out / "articles/2025-09-11-belarus-frees-52/index.html").read_text()
    assert ('data-pagefind-body data-pagefind-meta="kind:Статья" '
            'data-pagefind-filter="kind:Статья"') in article
    # no other page is indexed
    assert "data-pagefind-body" not in (out / "ledger/index.html").read_text()


def test_two_builds_write_the_same_bytes(tmp_path):
    """Pagefind writes filters and languages in a varying order: sorted, the output is
    byte-identical from build to build."""
    outs = []
    for n in range(3):
        site = sample_copy(tmp_path / f"site{n}")
        assert cli.main(["build", "--root", str(site), "--no-cache"]) == 0
        outs.append(tree(site / "output"))
    assert outs[0] == outs[1] == outs[2]
    # the files Pagefind writes in varying order are there: a filter file per filter and language
    assert sum(n.startswith("pagefind/filter/") for n in outs[0]) == 4


def test_no_search_builds_no_search(tmp_path, capsys):
    site = sample_copy(tmp_path / "site")
    assert cli.main(["build", "--root", str(site), "--no-search"]) == 0
    out = site / "output"
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists() and not (out / "en/search").exists()
    assert not [p for p in out.rglob("*.html")
                if "site-search" in p.read_text() or "wasm-unsafe-eval" in p.read_text()]
    # and the next build with search is not taken for "nothing changed"
    assert cli.main(["build", "--root", str(site)]) == 0
    assert (out / "pagefind/pagefind.js").is_file() and (out / "search/index.html").is_file()


def test_without_the_binary_the_build_warns_and_has_no_index(tmp_path, capsys, monkeypatch):
    site = sample_copy(tmp_path / "site")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    assert cli.main(["build", "--root", str(site)]) == 0
    err = capsys.readouterr().err
    assert ("pyproject.toml:1:1: warning: search: the Pagefind binary is not installed, so this "
            "build has no search index (its search page says search is unavailable); install "
            "it with pip install 'pagefind[bin]', or build with --no-search\n") in err
    assert "0 errors, 1 warning" in err
    out = site / "output"
    assert (out / "search/index.html").is_file() and not (out / "pagefind").exists()


def test_a_failing_pagefind_fails_the_build_and_keeps_the_output(tmp_path, capsys, monkeypatch):
    site = sample_copy(tmp_path / "site")
    assert cli.main(["build", "--root", str(site)]) == 0
    before = tree(site / "output")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: out of cheese' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    (site / "content/articles/2025/2025-09-11-belarus-frees-52.md").write_text(
        (site / "content/articles/2025/2025-09-11-belarus-frees-52.md").read_text() + "\nMore.\n")
    capsys.readouterr()
    assert cli.main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().err == (
        "sitegen: error: search: Pagefind failed (exit 3): Error: out of cheese\n")
    assert tree(site / "output") == before


def renumbered_backwards(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle as Pagefind might write it on another run: each language's pages numbered
    the other way round (Pagefind numbers them as its threads finish), its filters listed
    in another order, and the files named otherwise."""
    out = dict(bundle)
    entry = json.loads(out["pagefind/pagefind-entry.json"])
    for name in [n for n in bundle if n.endswith(".pf_meta")]:
        lang = pagefind_files.META.fullmatch(name).group(1)
        meta = pagefind_files._load(out.pop(name))
        count = len(meta[1])
        backwards = {i: count - 1 - i for i in range(count)}
        meta[1] = meta[1][::-1]
        for chunk in meta[2]:
            chunk[2] = pagefind_files._rewrite(
                out, f"pagefind/index/{chunk[2]}.pf_index", lang,
                lambda v: pagefind_files._index(v, backwards))
        meta[3] = [[key, pagefind_files._rewrite(
            out, f"pagefind/filter/{ref}.pf_filter", lang,
            lambda v: pagefind_files._filter(v, backwards))] for key, ref in meta[3][::-1]]
        out[f"pagefind/pagefind.{lang}_0123456789.pf_meta"] = pagefind_files._pack(
            pagefind_files._dump(meta))
        entry["languages"][lang]["hash"] = f"{lang}_0123456789"
    entry["languages"] = dict(reversed(entry["languages"].items()))
    out["pagefind/pagefind-entry.json"] = json.dumps(entry).encode()
    return out


def test_pages_numbered_in_another_order_give_the_same_bundle(built):
    """At thousands of pages Pagefind numbers the pages differently from run to run (seen
    at 4,000 articles): the bundle is numbered again, so the same pages give the same bytes."""
    site, result = built
    out = site / "output"
    bundle = {n: (out / n).read_bytes() for n in result.files
              if n.startswith("pagefind/") and "/fragment/" not in n}
    other = renumbered_backwards(bundle)
    assert other != bundle and set(other) != set(bundle)
    assert pagefind_files.stable(other) == pagefind_files.stable(bundle) == bundle


def test_an_unchanged_index_is_linked_not_made_again(tmp_path, capsys, monkeypatch):
    """When no indexed page changed (a free page edited), the old index is kept as it is
    and Pagefind does not run; when one did (an article edited), it runs."""
    site = sample_copy(tmp_path / "site")
    assert cli.main(["build", "--root", str(site)]) == 0
    out = site / "output"
    before = {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: ran' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    about = site / "content/pages/about.md"
    about.write_text(about.read_text() + "\nOne more line.\n")
    capsys.readouterr()
    assert cli.main(["build", "--root", str(site)]) == 0
    assert {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()} == before
    assert "One more line." in (out / "about/index.html").read_text()
    article = site / "content/articles/2025/2025-09-11-belarus-frees-52.md"
    article.write_text(article.read_text() + "\nMore.\n")
    assert cli.main(["build", "--root", str(site)]) == 1
    assert "search: Pagefind failed (exit 3): Error: ran" in capsys.readouterr().err
