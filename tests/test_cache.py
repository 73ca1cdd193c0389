"""A build that reuses a Cache makes exactly what a clean build makes, and makes again only
the pages whose declared inputs changed."""
import pytest

from sitegen.build import build
from sitegen.content.diagnostics import ContentError
from sitegen.cache.cache import Cache
from sitegen.output import Mirror

from .conftest import THEME, TESTS, copy_sample

SAMPLE = TESTS / "sites" / "sample"


EXPECTED_MADE = [37, 37, 45, 88, 88, 88]


def _preview(tmp_path):
    """A cache and the folder it keeps pages in, as `sitegen serve` has them."""
    folder = tmp_path / "preview"
    folder.mkdir()
    return Cache(), Mirror(folder)


def test_rebuild_with_nothing_changed_renders_no_page(tmp_path):
    site = copy_sample(tmp_path / "site")
    cache, mirror = _preview(tmp_path)
    first = build(site, cache=cache, out=mirror)
    pages = sum(n.endswith("index.html") for n in first.files)
    assert (first.rendered, pages) == (88, 88)
    again = build(site, cache=cache, out=mirror)
    assert again.files == first.files == build(site, write=False).files
    assert again.rendered == 0 and again.unchanged == len(first.files) == 103


def test_edits_give_what_a_clean_build_gives(tmp_path):
    site = copy_sample(tmp_path / "site")
    cache, mirror = _preview(tmp_path)
    build(site, cache=cache, out=mirror)
    article = site / "content/articles/2025/2025-12-13-release-123.md"
    edits = [
        (article, "Освобождение 123 человек", "Освобождены 123 человека"),
        (article, "released: 9\n", "released: 8\n"),
        (site / "content/articles/2025/2025-09-11-fifty-two-freed.md", "  - ref: 2025-09-11-foreigners-14\n", ""),
        (site / "templates/strings/en.toml", 'timeline = "Timeline"', 'timeline = "Chronology"'),
        (site / "templates/event.html", "<h2>{{ t('sources') }}</h2>", "<h2>{{ t('sources') }}!</h2>"),
        (site / "content/pages/about.en.md", "title: About", "title: About us"),
    ]
    made = []
    for path, old, new in edits:
        assert old in path.read_text(encoding="utf-8")
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        incremental = build(site, cache=cache, out=mirror)
        clean = build(site, write=False).files
        assert incremental.files == clean, (path.name, old)
        assert dict((name, (mirror.folder / name).read_bytes()) for name in clean) == clean
        made.append(incremental.rendered)
    # an article's title: the pages that show it (its events', its own) and the lists; a
    # count: also the events of its tree; a string, a template, a menu entry: every page
    assert made == EXPECTED_MADE


@pytest.mark.slow     # a site of 260 articles built in one process and in two
def test_parallel_build_equals_serial(tmp_path):
    import sys
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus
    site = write_corpus(tmp_path / "site", 260, THEME)
    serial = build(site, write=False, workers=1).files
    parallel = build(site, write=False, workers=2).files
    assert list(parallel) == list(serial)
    assert parallel == serial
    # and the timeline of releases and of confirmed events, the search page and the timeline
    # newest first, in each language
    assert len([n for n in serial if n.endswith("index.html")]) == 812 + 4 + 2 + 2


def test_check_parses_with_every_core_and_finds_what_one_process_finds(tmp_path, monkeypatch):
    import os
    import sys

    import sitegen.loading
    from sitegen.build import check
    from sitegen.loading import load_site
    from sitegen.content.config import load_config
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus
    site = write_corpus(tmp_path / "site", 230, THEME)
    bad = site / "content/articles/2024/2024-05-01-release-00040.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("lang: ru", "lang: ru\nauthor: X"),
                   encoding="utf-8")
    asked = []
    real = sitegen.loading.parallel_map

    def spy(fn, items, workers, **kwargs):
        asked.append((fn.__name__, len(items), workers, {item[4] for item in items}))
        return real(fn, items, workers, **kwargs)
    monkeypatch.setattr(sitegen.loading, "parallel_map", spy)
    found = check(site)
    # one process per core, pickling its results; no digests, which only a cache uses
    assert asked == [("_parse_job_pickled", 230, os.cpu_count(), {False})]
    errors = [p for p in found if p.severity == "error"]
    assert [(p.path, p.line, p.col, p.message) for p in errors] == [
        ("content/articles/2024/2024-05-01-release-00040.md", 5, 1, "author: unknown key")]
    one_process = load_site(load_config(site), workers=1)[1]
    assert sorted(set(p for p in found if p.path.endswith("-00040.md"))) == sorted(
        set(p for p in one_process if p.path.endswith("-00040.md")))


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edited_body_makes_again_only_the_page_that_shows_it(tmp_path):
    """An article's body is shown by its own page alone: editing the body (past the summary)
    makes that page again and nothing else, and gives what a clean build gives."""
    site = copy_sample(tmp_path / "site")
    cache, mirror = _preview(tmp_path)
    build(site, cache=cache, out=mirror)
    _append(site / "content/articles/2025/2025-12-13-release-123.md", "\nOne more paragraph.\n")
    result = build(site, cache=cache, out=mirror)
    assert result.files == build(site, write=False).files
    assert result.rendered == 1
    assert "One more paragraph." in result.files[
        "articles/2025-12-13-release-123/index.html"].decode()


def test_stages_are_made_again_only_when_the_site_values_change(tmp_path):
    """A preview's build after an edit of an article's text alone reuses the last build's
    checks, ledger and views (their values are the same); any other edit, and an edit that
    fails, makes them again; each build gives what a clean build gives."""
    site = copy_sample(tmp_path / "site")
    cache, mirror = _preview(tmp_path)
    build(site, cache=cache, out=mirror)
    first = cache.stages
    article = site / "content/articles/2025/2025-12-13-release-123.md"
    _append(article, "\nOne more paragraph.\n")
    result = build(site, cache=cache, out=mirror)
    assert cache.stages is first and result.ledger is first.ledger
    assert result.files == build(site, write=False).files
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("released: 9\n", "released: 8\n"), encoding="utf-8")
    result = build(site, cache=cache, out=mirror)
    assert cache.stages is not first
    assert result.files == build(site, write=False).files
    second = cache.stages
    broken = text.replace("released: 9\n", "released: 8\n    distinct_from: [nowhere]\n")
    article.write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError):
        build(site, cache=cache, out=mirror)
    article.write_text(text.replace("released: 9\n", "released: 8\n") + "\nMore.\n",
                       encoding="utf-8")
    result = build(site, cache=cache, out=mirror)
    assert cache.stages is not second     # the failed build's were the last
    assert result.files == build(site, write=False).files
    assert "More." in result.files["articles/2025-12-13-release-123/index.html"].decode()


@pytest.mark.parametrize("template, line, where", [
    ("home.html", "{% block content %}<div>{{ v.site.bodies[v.articles[0].path] }}</div>",
     "templates/home.html"),
    ("event_item.html", "<!-- {{ view.declared_in.body }} -->", "templates/event_item.html"),
])
def test_a_page_cannot_show_a_body_its_route_does_not_give(tmp_path, template, line, where):
    """Bodies are not among the values a list shows (a page that shows one is given it by
    its route), so a theme cannot make a page whose key misses a body it shows: trying is
    a template error at its line."""
    site = copy_sample(tmp_path / "site")
    path = site / "templates" / template
    text = path.read_text(encoding="utf-8")
    anchor = "{% block content %}" if template == "home.html" else ""
    path.write_text(text.replace(anchor, line, 1) if anchor else line + text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(site, write=False)
    (problem,) = caught.value.diagnostics
    assert (problem.path, problem.line) == (where, 1 if anchor == "" else
                                            text[:text.index(anchor)].count("\n") + 1)
    assert problem.message.startswith("template error: ")


def test_a_build_that_failed_halfway_leaves_no_key_behind(tmp_path):
    """A build that failed while making pages (here: the event page's template breaks after
    the home and list pages were made with the new theme) records no key: once the theme is
    as it was, every page is what a clean build makes."""
    site = copy_sample(tmp_path / "site")
    cache, mirror = _preview(tmp_path)
    build(site, cache=cache, out=mirror)
    home, event = site / "templates/home.html", site / "templates/event.html"
    before = {p: p.read_text(encoding="utf-8") for p in (home, event)}
    home.write_text(before[home].replace("{% block content %}", "{% block content %}MARK", 1),
                    encoding="utf-8")
    event.write_text(before[event].replace("<h1>", "<h1>{{ no_such_value }}", 1),
                     encoding="utf-8")
    with pytest.raises(ContentError):
        build(site, cache=cache, out=mirror, workers=1)
    assert "MARK" not in (mirror.folder / "index.html").read_text(encoding="utf-8")
    for path, text in before.items():
        path.write_text(text, encoding="utf-8")
    result = build(site, cache=cache, out=mirror)
    assert result.files == build(site, write=False).files
    assert result.rendered == 0


def test_shards_read_what_is_wanted_and_save_what_changed():
    from sitegen.cache.shards import SHARDS, Shards
    first = Shards()
    for n in range(100):
        first[b"k%d" % n] = n
    saved = dict(first.changed_parts(lambda value: value))      # a new one: every shard
    assert sorted(saved) == list(range(SHARDS))
    assert sum(len(part) for part in saved.values()) == 100
    reads = []
    second = Shards(lambda shard: reads.append(shard) or saved.get(shard))
    home = second.shard(b"k7")
    assert second.get(b"k7") == 7 and reads == [home]
    second[b"k7"] = 70
    assert dict(second.changed_parts(lambda value: value)) == {home: {**saved[home], b"k7": 70}}
    assert reads == [home]
    lost = saved.pop(3)
    third = Shards(saved.get)
    assert len(third.all()) == 100 - len(lost)
    assert third.changed == {3}         # saved again (empty) rather than read as lost again


@pytest.mark.slow     # a site of 260 articles built in two processes, four times
@pytest.mark.parametrize("writer", ["output", "preview"])
def test_pages_kept_by_the_processes_that_compare_their_keys(tmp_path, writer):
    """After an edit that changes the site (a count), every page's key is made again by the
    processes that make the pages; those whose key is the same are kept (linked by the
    process itself into a new output, or said back to this one for a preview folder)."""
    import sys
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus
    site = write_corpus(tmp_path / "site", 260, THEME)
    cache, mirror = _preview(tmp_path)
    out = {"out": mirror} if writer == "preview" else {}
    # without the search index, which a build in memory does not make
    first = build(site, cache=cache, workers=2, search=False, **out)
    assert first.rendered == 818
    counted = sorted((site / "content").rglob("*.md"))[100]
    text = counted.read_text(encoding="utf-8")
    counted.write_text(text.replace("released: ", "released: 1", 1), encoding="utf-8")
    again = build(site, cache=cache, workers=2, search=False, **out)
    assert dict(again.files) == build(site, write=False, workers=1, search=False).files
    assert 0 < again.rendered < 100
    # the pages of that event's tree and the lists (newest first too) and data that show it;
    # the rest kept
    assert (again.rendered, again.unchanged, len(again.files)) == (45, 788, 832)
