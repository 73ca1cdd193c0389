"""A build that reuses a Cache makes exactly what a clean build makes."""
import shutil

from sitegen.build import build
from sitegen.cache.memo import Cache

from .conftest import THEME, TESTS

SAMPLE = TESTS / "sites" / "sample"


def copy_sample(dest):
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("output"))
    (dest / "pyproject.toml").write_text((SAMPLE / "pyproject.toml").read_text().replace(
        "../../../templates", "templates"))
    shutil.copytree(THEME, dest / "templates")
    return dest


def test_rebuild_with_nothing_changed_renders_no_page(tmp_path):
    site = copy_sample(tmp_path / "site")
    cache = Cache()
    first = build(site, write=False, cache=cache).files
    pages = sum(n.endswith("index.html") for n in first)
    assert cache.rendered == pages and cache.reused == 0
    again = build(site, write=False, cache=cache).files
    assert again == first
    assert (cache.rendered, cache.reused) == (0, pages)


def test_edits_give_what_a_clean_build_gives(tmp_path):
    site = copy_sample(tmp_path / "site")
    cache = Cache()
    build(site, write=False, cache=cache)
    article = site / "content/articles/2025/2025-12-13-release-123.md"
    edits = [
        (article, "Освобождение 123 человек", "Освобождены 123 человека"),
        (article, "released: 9\n", "released: 8\n"),
        (site / "content/articles/2025/2025-09-11-fifty-two-freed.md", "  - ref: 2025-09-11-foreigners-14\n", ""),
        (site / "templates/strings/en.toml", 'timeline = "Timeline"', 'timeline = "Chronology"'),
        (site / "templates/event.html", "<h2>{{ t('sources') }}</h2>", "<h2>{{ t('sources') }}!</h2>"),
        (site / "content/pages/about.en.md", "title: About", "title: About us"),
    ]
    for path, old, new in edits:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        incremental = build(site, write=False, cache=cache).files
        clean = build(site, write=False).files
        assert incremental == clean, (path.name, old)
        assert cache.rendered < len(clean)


def test_parallel_build_equals_serial(tmp_path):
    import sys
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus
    site = write_corpus(tmp_path / "site", 260, THEME)
    serial = build(site, write=False, workers=1).files
    parallel = build(site, write=False, workers=2).files
    assert list(parallel) == list(serial)
    assert parallel == serial
    assert len([n for n in serial if n.endswith("index.html")]) == 814


def test_check_parses_with_every_core_and_finds_what_one_process_finds(tmp_path, monkeypatch):
    import os
    import sys

    import sitegen.build
    from sitegen.build import check, load_site
    from sitegen.content.config import load_config
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus
    site = write_corpus(tmp_path / "site", 230, THEME)
    bad = site / "content/articles/2024/2024-05-01-release-00040.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("lang: ru", "lang: ru\nauthor: X"),
                   encoding="utf-8")
    asked = []
    real = sitegen.build.parallel_map

    def spy(fn, items, workers, **kwargs):
        asked.append((fn.__name__, len(items), workers, {item[4] for item in items}))
        return real(fn, items, workers, **kwargs)
    monkeypatch.setattr(sitegen.build, "parallel_map", spy)
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


def test_an_edited_body_makes_again_only_the_pages_that_read_it(tmp_path):
    """An article's body is read by its own page alone in this theme: editing the body (past
    the summary) makes that page again and nothing else. A theme whose home page shows the
    newest article's body has both homes made again when that body changes, and neither when
    another article's body does; each build gives what a clean build gives."""
    site = copy_sample(tmp_path / "site")
    cache = Cache()
    build(site, write=False, cache=cache)
    newest = site / "content/articles/2025/2025-12-13-release-123.md"
    older = site / "content/articles/2024/2024-08-16-pardon-30.md"
    _append(newest, "\nOne more paragraph.\n")
    assert build(site, write=False, cache=cache).files == build(site, write=False).files
    assert cache.rendered == 1
    assert "One more paragraph." in cache.pages[
        "articles/2025-12-13-release-123/index.html"].data.decode()

    home = site / "templates/home.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<div class=\"newest\">"
        "{{ v.articles[0].html|safe }}</div>", 1), encoding="utf-8")
    build(site, write=False, cache=cache)
    _append(newest, "\nAnd another.\n")
    files = build(site, write=False, cache=cache).files
    assert files == build(site, write=False).files
    assert cache.rendered == 3          # the article's page and the home page of each language
    assert "And another." in files["index.html"].decode()
    _append(older, "\nLater news.\n")
    assert build(site, write=False, cache=cache).files == build(site, write=False).files
    assert cache.rendered == 1


def test_fragments_outlive_builds_that_do_not_use_them(tmp_path):
    """A build that makes no list of events keeps the fragments of the lists (the next one
    that does finds them); a fragment no build used for FRAGMENT_AGE builds is forgotten."""
    from sitegen.cache.memo import FRAGMENT_AGE
    site = copy_sample(tmp_path / "site")
    cache = Cache()
    build(site, write=False, cache=cache)
    made = set(cache.fragments.all())
    _append(site / "content/articles/2025/2025-12-13-release-123.md", "\nMore.\n")
    build(site, write=False, cache=cache)
    assert set(cache.fragments.all()) == made
    for _ in range(FRAGMENT_AGE):
        build(site, write=False, cache=cache)
    # left: what the 404 page uses in every build (the menu and footer of one language)
    assert len(cache.fragments.all()) == 2 < len(made)


def test_a_build_that_failed_halfway_leaves_no_key_behind(tmp_path):
    """When the site and theme are what the last build had, the pages' keys are the last
    build's. A build that failed while making pages (here: the event page's template breaks
    after the home and list pages were made with the new theme) does not count as the last
    build: once the theme is as it was, every page is what a clean build makes."""
    import pytest
    from sitegen.content.diagnostics import ContentError
    site = copy_sample(tmp_path / "site")
    cache = Cache()
    build(site, write=False, cache=cache)
    home, event = site / "templates/home.html", site / "templates/event.html"
    before = {p: p.read_text(encoding="utf-8") for p in (home, event)}
    home.write_text(before[home].replace("{% block content %}", "{% block content %}MARK", 1),
                    encoding="utf-8")
    event.write_text(before[event].replace("<h1>", "<h1>{{ no_such_value }}", 1),
                     encoding="utf-8")
    with pytest.raises(ContentError):
        build(site, write=False, cache=cache, workers=1)
    assert "MARK" in cache.pages["index.html"].data.decode()    # made before the failure
    for path, text in before.items():
        path.write_text(text, encoding="utf-8")
    assert build(site, write=False, cache=cache).files == build(site, write=False).files


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


def test_a_list_item_that_shows_a_body_is_made_again_with_it(tmp_path):
    """A theme whose list item (a fragment) shows the body of the event's article: editing
    that body makes again the item and exactly the pages that list the event (and the
    article pages that show its item), in both languages."""
    site = copy_sample(tmp_path / "site")
    item = site / "templates/event_item.html"
    item.write_text("<!-- {{ view.declared_in.html|length }} -->"
                    + item.read_text(encoding="utf-8"), encoding="utf-8")
    cache = Cache()
    build(site, write=False, cache=cache)
    before = dict(cache.pages)
    _append(site / "content/articles/2024/2024-08-16-pardon-30.md", "\nLater news.\n")
    assert build(site, write=False, cache=cache).files == build(site, write=False).files
    assert sorted(p for p in cache.pages if cache.pages[p] is not before.get(p)) == [
        "articles/2024-08-16-pardon-30/index.html", "countries/by/index.html",
        "en/articles/2024-08-16-thirty-pardoned/index.html", "en/countries/by/index.html",
        "en/index.html", "en/timeline/2024/index.html", "en/timeline/index.html",
        "index.html", "timeline/2024/index.html", "timeline/index.html"]
