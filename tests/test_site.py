"""The rendered sample site: golden output, links at a domain root and under a sub-path."""
import difflib
import shutil

import pytest

from sitegen.build import build

from .conftest import TESTS
from .crawl import crawl, parse

SAMPLE = TESTS / "sites" / "sample"
GOLDEN = TESTS / "golden" / "sample"
SUB_PATH = "https://user.github.io/repo/"


@pytest.fixture(scope="module")
def root_build(sample_files):
    return sample_files


@pytest.fixture(scope="module")
def sub_build():
    return build(SAMPLE, base_url=SUB_PATH, write=False).files


def test_golden_output(root_build, request):
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in root_build.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
              for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(root_build) == sorted(golden), "files added or missing: run with --update-golden"
    diffs = []
    for name in sorted(golden):
        if root_build[name] != golden[name]:
            diffs += difflib.unified_diff(
                golden[name].decode("utf-8", "replace").splitlines(),
                root_build[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=2)
    assert not diffs, "output differs from tests/golden (refresh with --update-golden):\n" + \
        "\n".join(diffs[:200])


def test_links_at_domain_root(root_build):
    assert crawl(root_build, "https://example.org/") == []


def test_links_under_sub_path(sub_build):
    assert crawl(sub_build, SUB_PATH) == []
    for name, data in sub_build.items():
        if name.endswith(".html"):
            for tag, attr, url, _ in parse(data.decode()).links:
                if url.startswith("/"):
                    assert url.startswith("/repo/"), (name, url)


def test_crawler_finds_broken_links(root_build):
    """The crawler itself can fail: a page with a dead link, a missing anchor, a CDN."""
    files = dict(root_build)
    files["ledger/index.html"] += (b'<a href="/nowhere/">x</a><a href="/timeline/#no-such">y</a>'
                                   b'<script src="https://cdn.example.com/x.js"></script>')
    assert crawl(files, "https://example.org/") == [
        "ledger/index.html: broken link '/nowhere/' (no nowhere/index.html)",
        "ledger/index.html: broken anchor '/timeline/#no-such' (no id 'no-such' in "
        "timeline/index.html)",
        "ledger/index.html: <script src='https://cdn.example.com/x.js'> loads from another origin"]


def test_every_page_in_both_languages(root_build):
    pages = sorted(n for n in root_build if n.endswith(".html"))
    ru = [p for p in pages if not p.startswith("en/") and p != "404.html"]
    en = [p[3:] for p in pages if p.startswith("en/")]
    facts = [p for p in ru if not p.startswith(("articles/", "about/"))]
    assert [p for p in facts if p not in en] == []
    assert sorted(p for p in ru if p.startswith("articles/")) == [
        "articles/2024-08-16-pardon-30/index.html",
        "articles/2025-09-11-belarus-frees-52/index.html",
        "articles/2025-12-13-release-123/index.html"]
    assert sorted(p for p in en if p.startswith("articles/")) == [
        "articles/2024-07-amnesty/index.html",
        "articles/2024-08-16-thirty-pardoned/index.html",
        "articles/2025-09-11-fifty-two-freed/index.html",
        "articles/2025-09-12-foreigners/index.html",
        "articles/2025-10-rumour/index.html"]


def test_drafts_only_with_flag():
    assert "en/articles/2025-12-30-draft/index.html" not in build(SAMPLE, write=False).files
    with_drafts = build(SAMPLE, drafts=True, write=False).files
    assert "en/articles/2025-12-30-draft/index.html" in with_drafts
    assert "events/2025-12-30-pardon-22/index.html" in with_drafts


def test_byte_identical_builds(root_build):
    assert build(SAMPLE, write=False).files == root_build


def test_hosting_files(root_build):
    assert root_build["CNAME"] == b"releases.example.org\n"
    assert root_build[".nojekyll"] == b""
    assert root_build["robots.txt"] == (b"User-agent: *\nAllow: /\n"
                                        b"Sitemap: https://example.org/sitemap.xml\n")
    sitemap = root_build["sitemap.xml"].decode()
    listed = [line.strip()[5:-6] for line in sitemap.splitlines() if line.strip().startswith("<loc>")]
    html = sorted("https://example.org/" + n.removesuffix("index.html")
                  for n in root_build if n.endswith(".html") and n != "404.html")
    assert sorted(listed) == html
    assert len(listed) == len(set(listed))
