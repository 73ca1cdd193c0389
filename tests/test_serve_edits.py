"""`sitegen serve`'s rebuild after a save: started from the files the watcher names (build's
`changed`), it makes exactly what a clean build makes, and reads only those files.

Each rebuild here is the preview's: one Cache kept in memory, a Mirror folder updated in
place, the watcher's changes turned into `changed` by serve.edited_files as the watcher
thread does.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from watchfiles import Change

from sitegen import loading as loading_module
from sitegen.build import build
from sitegen.cache.cache import Cache
from sitegen.content.diagnostics import ContentError
from sitegen.output import Mirror
from sitegen.serve import Preview, edited_files

from .conftest import copy_sample, files_digest, same_folder
from .test_incremental import edits

ARTICLE = "content/articles/2025/2025-09-12-foreigners.md"
OTHER = "content/articles/2024/2024-07-amnesty.md"


class Served:
    """A site as serve rebuilds it: its cache and preview folder, rebuilt after changes."""

    def __init__(self, site: Path, folder: Path):
        self.site, self.cache = site, Cache()
        folder.mkdir()
        self.mirror = Mirror(folder)
        self.result = build(site, cache=self.cache, out=self.mirror, search=False, workers=1)

    def rebuild(self, changes: list[tuple[Change, str]]):
        """The rebuild after a batch of changes: the result, or the problems that stopped it."""
        changed = edited_files(changes, self.site / "content")
        try:
            self.result = build(self.site, cache=self.cache, out=self.mirror, search=False,
                                workers=1, changed=changed)
        except ContentError as exc:
            return exc.diagnostics
        return self.result

    def folder(self) -> dict[str, bytes]:
        folder = self.mirror.folder
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}


def clean(site: Path):
    """What a build without a cache makes of the site as it is (or the problems)."""
    try:
        result = build(site, write=False, search=False, workers=1)
    except ContentError as exc:
        return exc.diagnostics, None
    return result.diagnostics, dict(result.files)


def assert_as_clean(served: Served, outcome, before: dict[str, bytes]) -> None:
    problems, files = clean(served.site)
    if files is None:
        assert outcome == problems
        assert served.folder() == before        # the last good build stays
    else:
        assert outcome.diagnostics == problems
        assert served.folder() == files


# What a clean build made of the site's inputs (its problems, and a digest of its files, or
# None when it failed), by those inputs: a state the property's examples reach again (their
# shared first steps, edits that change no input) is built clean once
_CLEAN: dict[bytes, tuple[tuple, bytes | None]] = {}


def assert_as_clean_of(served: Served, outcome, before: dict[str, bytes],
                       inputs: dict[str, bytes]) -> None:
    """assert_as_clean, with the clean build of these inputs (the site's files) made once."""
    key = files_digest(inputs)
    if key not in _CLEAN:
        problems, files = clean(served.site)
        _CLEAN[key] = tuple(problems), None if files is None else files_digest(files)
    problems, made = _CLEAN[key]
    if made is None:
        assert isinstance(outcome, (list, tuple)) and tuple(outcome) == problems, outcome
        assert served.folder() == before        # the last good build stays
    else:
        assert tuple(outcome.diagnostics) == problems
        if files_digest(served.folder()) != made:
            assert_as_clean(served, outcome, before)    # shows the difference
            pytest.fail("two clean builds of the same inputs differ")


def modified(site: Path, name: str) -> list[tuple[Change, str]]:
    return [(Change.modified, str(site / name))]


@pytest.fixture
def served(tmp_path) -> Served:
    return Served(copy_sample(tmp_path / "site"), tmp_path / "preview")


def test_edits_creations_deletions_and_renames_equal_a_clean_build(served):
    site = served.site
    article, other = site / ARTICLE, site / OTHER
    steps = [
        # the text of an article: only its page is made again
        (lambda: article.write_text(article.read_text() + "\nA new paragraph.\n"),
         modified(site, ARTICLE)),
        # its front matter: the site's values change
        (lambda: article.write_text(re.sub(r"(?m)^title: .*$", "title: Renamed", 
                                           article.read_text(), count=1)),
         modified(site, ARTICLE)),
        # a mistake, then its fix
        (lambda: other.write_text(other.read_text().replace("date:", "date: [", 1)),
         modified(site, OTHER)),
        (lambda: other.write_text(other.read_text().replace("date: [", "date:", 1)),
         modified(site, OTHER)),
        # a new article, then the same file edited
        (lambda: (site / "content/articles/2025/copy.md").write_text(
            article.read_text().replace("2025-09-12", "2025-09-13")),
         [(Change.added, str(site / "content/articles/2025/copy.md"))]),
        (lambda: (site / "content/articles/2025/copy.md").write_text(
            (site / "content/articles/2025/copy.md").read_text() + "\nMore.\n"),
         modified(site, "content/articles/2025/copy.md")),
        # renamed, then deleted
        (lambda: (site / "content/articles/2025/copy.md").rename(
            site / "content/articles/2025/moved.md"),
         [(Change.deleted, str(site / "content/articles/2025/copy.md")),
          (Change.added, str(site / "content/articles/2025/moved.md"))]),
        (lambda: (site / "content/articles/2025/moved.md").unlink(),
         [(Change.deleted, str(site / "content/articles/2025/moved.md"))]),
        # a template: every page may change
        (lambda: (site / "templates/article.html").write_text(
            (site / "templates/article.html").read_text() + "{# edited #}<!-- edited -->\n"),
         modified(site, "templates/article.html")),
    ]
    for make, changes in steps:
        before = served.folder()
        make()
        assert_as_clean(served, served.rebuild(changes), before)


def test_an_edited_body_is_read_and_made_again_alone(served, monkeypatch):
    """Told which file changed, the rebuild reads that file alone, lists no folder, and
    makes the one page that shows its text."""
    site = served.site
    reads, listings = [], []
    read_bytes, discover = loading_module.read_bytes, loading_module.discover
    monkeypatch.setattr(loading_module, "read_bytes",
                        lambda root, path: reads.append(path) or read_bytes(root, path))
    monkeypatch.setattr(loading_module, "discover",
                        lambda *args: listings.append(args) or discover(*args))
    article = site / ARTICLE
    article.write_text(article.read_text() + "\nA new paragraph.\n")
    result = served.rebuild(modified(site, ARTICLE))
    assert reads == [article]
    assert listings == []
    assert result.rendered == 1
    assert [name for name, data in served.folder().items()
            if b"A new paragraph." in data] == ["en/articles/2025-09-12-foreigners/index.html"]
    assert_as_clean(served, result, {})
    # every file's time changed, the same save reported as a new file: the folders are
    # listed again and every file is read
    for path in (site / "content").rglob("*.md"):
        os.utime(path)
    reads.clear(), listings.clear()
    served.rebuild([(Change.added, str(article))])
    assert len(listings) == 1 and len(reads) == 14


def test_a_file_the_last_listing_does_not_hold_is_found_by_listing_again(served):
    """A path the watcher calls modified that the last build did not list (a file made
    and written within one batch) sends the build back to listing the folders."""
    site = served.site
    new = site / "content/articles/2025/new.md"
    new.write_text((site / ARTICLE).read_text().replace("2025-09-12", "2025-09-14"))
    outcome = served.rebuild(modified(site, "content/articles/2025/new.md"))
    assert_as_clean(served, outcome, {})
    assert "en/articles/new/index.html" in served.folder()


@pytest.mark.parametrize("changes, expected", [
    ([(Change.modified, "content/articles/a.md")], ["content/articles/a.md"]),
    ([(Change.modified, "content/articles/a.md"), (Change.modified, "content/pages/b.md")],
     ["content/articles/a.md", "content/pages/b.md"]),
    ([(Change.added, "content/articles/a.md")], None),
    ([(Change.deleted, "content/articles/a.md")], None),
    ([(Change.modified, "content/articles/a.md"), (Change.modified, "templates/base.html")],
     None),
    ([(Change.modified, "pyproject.toml")], None),
    ([(Change.modified, "content/articles")], None),
    ([(Change.modified, "contents/articles/a.md")], None),
])
def test_which_changes_a_rebuild_starts_from(tmp_path, changes, expected):
    changes = [(change, str(tmp_path / path)) for change, path in changes]
    found = edited_files(changes, tmp_path / "content")
    assert found == (None if expected is None else [str(tmp_path / p) for p in expected])


def test_the_preview_trusts_the_watcher_once_it_listed_the_files_while_watching(
        tmp_path, monkeypatch):
    """The first build runs before the watcher watches: a save made meanwhile is not in
    any batch, so the preview starts from a watcher's list only after a build that listed
    the files while it watched (the one made as the watcher starts)."""
    site = copy_sample(tmp_path / "site")
    listings = []
    discover = loading_module.discover
    monkeypatch.setattr(loading_module, "discover",
                        lambda *args: listings.append(args) or discover(*args))
    preview = Preview(site, "http://127.0.0.1:8000/", False)
    monkeypatch.setattr(preview, "_index_soon", lambda: None)
    try:
        preview.rebuild()
        article = site / ARTICLE
        article.write_text(article.read_text() + "\nSaved during the first build.\n")
        preview.rebuild([str(article)])
        assert len(listings) == 2           # not trusted yet: listed again
        preview.watching = True
        assert preview.rebuild(quiet=True) == ""    # nothing changed: nothing to say
        assert len(listings) == 3
        article.write_text(article.read_text() + "\nSaved while watching.\n")
        preview.rebuild([str(article)])
        assert len(listings) == 3
        page = (preview.folder / "en/articles/2025-09-12-foreigners/index.html").read_bytes()
        assert b"Saved while watching." in page
    finally:
        preview.close()


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits.filter(lambda edit: edit[0] != "output"), min_size=1, max_size=6))
def test_serve_rebuilds_equal_clean_builds(steps):
    """The property of test_incremental, for serve's rebuilds: after any sequence of edits,
    each rebuild (told by the watcher's changes) leaves the preview folder as a clean build
    would make it, and fails exactly when it fails, with the same problems."""
    with same_folder() as tmp:
        _rebuilds_equal_clean_builds(Served(copy_sample(tmp / "site"), tmp / "preview"), steps)


def _rebuilds_equal_clean_builds(served: Served, steps) -> None:
    from .test_incremental import _age, apply
    site = served.site
    clock = _age(site)
    for kind, where, value in steps:
        before, files = served.folder(), _files(site)
        articles = sorted((site / "content/articles").rglob("*.md"))
        apply(site, (kind, where, value), clock)
        after = _files(site)
        changes = [(Change.added if name not in files else Change.deleted if name not in after
                    else Change.modified, str(site / name))
                   for name in sorted(files.keys() | after.keys())
                   if files.get(name) != after.get(name)]
        if kind == "touch" and articles:        # its time changed: the watcher sees it
            changes.append((Change.modified, str(articles[where % len(articles)])))
        assert_as_clean_of(served, served.rebuild(changes), before, after)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def test_the_build_made_as_the_watcher_starts_repeats_no_problem(tmp_path):
    """The problems of the first build are printed once: the build the watcher makes as it
    starts finds the same ones and says nothing; one more mistake, and it says them all."""
    site = copy_sample(tmp_path / "site")
    article = site / ARTICLE
    article.write_text(article.read_text().replace("date:", "date: [", 1))
    preview = Preview(site, "http://127.0.0.1:8000/", False)
    try:
        unclosed = ("4:5: error: a list or mapping opened at line 3 is not closed: add ']' "
                    "(or a ',' between items)")
        assert preview.rebuild() == (f"{ARTICLE}:{unclosed}\n"
                                     "sitegen: 1 error, 0 warnings; showing the last good build")
        preview.watching = True
        assert preview.rebuild(quiet=True) == ""
        other = site / OTHER
        other.write_text(other.read_text().replace("date:", "date: [", 1))
        assert preview.rebuild(quiet=True) == (
            f"{OTHER}:{unclosed}\n{ARTICLE}:{unclosed}\n"
            "sitegen: 2 errors, 0 warnings; showing the last good build")
    finally:
        preview.close()
