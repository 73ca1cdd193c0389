"""Bounded output for bounded input: what each shape of content that makes the most
(tests/amplifying_sites.py) makes, and the caps on texts that every list of events repeats.

Each whole reproduction (1 MiB, or less where a site's bound on events or articles stops it
first) is built once, without the search index (timed, and built with it, by
bench/amplification.py), and its output weighed.
"""
from __future__ import annotations

import pytest

from sitegen.build import build

from .amplifying_sites import SHAPES, files, pyproject
from .conftest import THEME, make_site
from .limits import run_sitegen

GOAL = 100_000_000          # issue 20: no 1 MiB of content makes more than 100 MB
# what each whole reproduction makes now (MB, 5% above; the search index adds 1-2 MB)
NOW = {"events": 6, "caps": 21, "titles": 12, "sources": 31, "articles": 3, "menu": 6,
       "parts": 51, "worst": 96}


def made(shape: str) -> int:
    """Bytes of output of the shape's whole reproduction."""
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp), files(shape), pyproject(THEME))
        result = build(root, write=False, workers=1, search=False)
        return sum(len(data) for data in result.files.values())


@pytest.mark.slow       # a build of up to 2,000 pages for each shape
@pytest.mark.parametrize("shape", SHAPES)
def test_one_mib_of_content_makes_at_most_100_mb_and_no_more_than_now(shape):
    size = made(shape)
    assert size <= GOAL, f"{size / 1e6:.1f} MB from {shape}"
    assert size <= NOW[shape] * 1_000_000, f"{size / 1e6:.1f} MB from {shape}"


@pytest.mark.slow       # sitegen check on each 1 MiB reproduction
def test_every_shape_passes_the_check(tmp_path):
    """The reproductions are content the check accepts (else they would prove nothing)."""
    for shape in SHAPES:
        content = files(shape, 32 * 1024)
        assert any(name.startswith("content/articles/") for name in content), shape
        root = make_site(tmp_path / shape, content, pyproject(THEME))
        run = run_sitegen(["check", "--root", str(root)], timeout=60)
        assert (run.code, run.stdout) == (0, ""), (shape, run.stdout)


HEAD = "---\ntitle: {title}\ndate: 2025-01-01\nsources:\n  - url: {url}\n    publisher: P\n"


def check(tmp_path, text: str) -> list[str]:
    root = make_site(tmp_path / "site", {"content/articles/a.md": text}, pyproject(THEME))
    run = run_sitegen(["check", "--root", str(root)], timeout=60)
    return run.stdout.splitlines()


def test_a_title_is_at_most_200_characters(tmp_path):
    text = HEAD.format(title="T" * 200, url="https://a.test/") + (
        "events:\n  - id: e\n    date: 2025\n    kind: statement\n"
        f"    title: {{ru: {'Т' * 201}, en: {'T' * 200}}}\n"
        f"    names: [A, {'N' * 201}]\n---\n")
    assert check(tmp_path, text) == [
        "content/articles/a.md:11:17: error: events[1].title.ru: expected at most 200 "
        "characters, got 201: shorten it",
        "content/articles/a.md:12:16: error: events[1].names[2]: expected at most 200 "
        "characters, got 201: shorten it"]
    assert check(tmp_path, text.replace("T" * 200, "T" * 201, 1))[0] == (
        "content/articles/a.md:2:8: error: title: expected at most 200 characters, got 201: "
        "shorten it")


def test_a_source_address_is_at_most_300_characters(tmp_path):
    url = "https://a.test/" + "x" * 285
    text = HEAD.format(title="T", url=url) + (
        "events:\n  - {id: e, date: 2025, kind: statement}\n---\n")
    assert check(tmp_path, text) == []
    assert check(tmp_path, text.replace(url, url + "y")) == [
        "content/articles/a.md:5:10: error: sources[1].url: expected at most 300 characters, "
        "got 301: shorten it"]


def test_a_language_has_at_most_6_free_pages_of_titles_up_to_40_characters(tmp_path):
    """Each free page is in the menu of every page: 58,000 pages of 18 bytes each (1 MiB)
    made a menu of 58,000 links on 58,000 pages."""
    pages = {f"content/pages/p{i:02d}.md": "---\ntitle: T\n---\n" for i in range(8)}
    pages.update({f"content/pages/q{i:02d}.en.md": f"---\ntitle: {'T' * 40}\n---\n"
                  for i in range(6)})
    root = make_site(tmp_path / "site", {**files("articles", 200), **pages}, pyproject(THEME))
    run = run_sitegen(["check", "--root", str(root)], timeout=60)
    assert (run.code, run.stdout) == (1, (
        "content/pages/p06.md:1:1: error: a language may have at most 6 free pages (each is "
        "in the menu of every page), 'ru' has 8: this one and the ones after it (by file "
        "name) are over; merge some\n"))
    (root / "content/pages/q00.en.md").write_text(f"---\ntitle: {'T' * 41}\n---\n")
    assert run_sitegen(["check", "--root", str(root)], timeout=60).stdout.splitlines()[1] == (
        "content/pages/q00.en.md:2:8: error: title: expected at most 40 characters, got 41: "
        "shorten it")


def test_a_site_has_at_most_500_events_and_200_articles_unless_it_says_more(tmp_path):
    """What 1 MiB of the smallest events or articles makes grows with their number (a page
    per event and language): past the bound, one error at the first one over it."""
    content = files("events", 160_000)
    content.update({f"content/articles/z{i}.md": text.replace("{id: e", "{id: z")
                    for i, text in enumerate(files("articles", 510_000).values())})
    events = sum(t.count("{id:") for t in content.values())
    assert (len(content), events) == (225, 700)
    root = make_site(tmp_path / "site", content, pyproject(THEME))
    run = run_sitegen(["check", "--root", str(root)], timeout=60)
    # by file name: articles 0..24 (20 events each) and z0, z1, z10 ... (one each)
    assert sorted(content)[200] == "content/articles/z77.md"
    assert (run.code, run.stdout.splitlines()) == (1, [
        "content/articles/z0.md:5:11: error: the site declares 700 events, and its bound is "
        "500: this one and those after it (by file name) are over; a maintainer may raise "
        "max_events in pyproject.toml",
        "content/articles/z77.md:1:1: error: the site has 225 articles, and its bound is "
        "200: this one and those after it (by file name) are over; a maintainer may raise "
        "max_articles in pyproject.toml"])
    (root / "pyproject.toml").write_text(pyproject(THEME) + "max_events = 700\n"
                                         "max_articles = 225\n")
    assert run_sitegen(["check", "--root", str(root)], timeout=60).code == 0
    (root / "pyproject.toml").write_text(pyproject(THEME) + "max_events = 0\n")
    assert run_sitegen(["check", "--root", str(root)], timeout=60).stdout == (
        "pyproject.toml:7:1: error: [tool.sitegen] max_events: expected a whole number of 1 or "
        "more, got 0\n")
