"""`sitegen diff`: each side a git revision, a site folder, an output folder or a ledger.json;
ledgers computed without rendering; a summary that content cannot put markup into.

The summaries are rendered with cmarkgfm (GitHub's own cmark-gfm, raw HTML let through as
GitHub lets it through before sanitizing) and with markdown-it-py's gfm-like preset
(tables, autolinks through linkify-it-py); the elements found must be exactly those `diff`
writes itself.
"""
import json
import os
import subprocess
from collections import Counter
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from sitegen.cli import main
from sitegen.site.summary import code

from .conftest import make_site


def article(title: str, released: int, url: str, name: str = "N") -> str:
    return (f"---\ntitle: {json.dumps(title)}\ndate: 2025-01-02\nsources:\n"
            f"  - {{url: {json.dumps(url)}, publisher: {json.dumps(name)}}}\nevents:\n"
            f"  - id: 2025-01-01-release\n    date: 2025-01-01\n    kind: release\n"
            f"    status: confirmed\n    released: {released}\n---\nBody.\n")


class Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.codes: list[str] = []
        self._in_code = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        if tag == "code":
            self._in_code = True
            self.codes.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False

    def handle_data(self, data):
        if self._in_code:
            self.codes[-1] += data


def renders(markdown: str) -> list[Elements]:
    """The summary as GitHub renders it, and as markdown-it-py's gfm-like preset does."""
    return [Elements(cmarkgfm.github_flavored_markdown_to_html(
                markdown, options=Options.CMARK_OPT_UNSAFE)),
            Elements(MarkdownIt("gfm-like").render(markdown))]


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


TOTALS = "| Confirmed | {0} | {1} | {2} |\n| Including reported | {0} | {1} | {2} |\n"


def expected(before: int, after: int) -> str:
    change = f"+{after - before}" if after > before else f"−{before - after}"
    return ("## Ledger changes\n\n| | before | after | change |\n|---|---:|---:|---:|\n"
            + TOTALS.format(before, after, change) + "\n### Events changed\n\n"
            f"- `2025-01-01-release`: released: {before} → {after}\n" + "".join(
                f"\n### By {by} (confirmed)\n\n| | before | after | change |\n"
                f"|---|---:|---:|---:|\n| {key} | {before} | {after} | {change} |\n"
                for by, key in (("citizenship", "unknown"), ("destination", "unknown"),
                                ("year", "2025"))))


@pytest.fixture
def repo(tmp_path):
    """A git repository whose site is in site/ (not at the repository's top): a commit
    with 5 released, then one with 7; the work tree says 9. Its templates_dir names no
    folder: a ledger needs no template."""
    site = make_site(tmp_path / "site", {"content/articles/a.md": article("A", 5, "https://a.example/")},
                     '[tool.sitegen]\ntitle = "T"\nbase_url = "https://example.org/"\n'
                     'languages = ["en"]\nreleasing_country = "BY"\n'
                     'templates_dir = "no-such-theme"\n')
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "five")
    (site / "content/articles/a.md").write_text(article("A", 7, "https://a.example/"))
    git(tmp_path, "commit", "-q", "-am", "seven")
    (site / "content/articles/a.md").write_text(article("A", 9, "https://a.example/"))
    return site


def test_revisions_read_from_git_without_touching_the_work_tree(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo / "content")         # the site is found upwards, as for build
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo,
                            capture_output=True).stdout
    assert main(["diff", "HEAD~1"]) == 0
    assert capsys.readouterr().out == expected(5, 9)
    assert main(["diff", "HEAD~1", "main"]) == 0
    assert capsys.readouterr().out == expected(5, 7)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                          text=True).stdout.strip()
    assert main(["diff", head]) == 0
    assert capsys.readouterr().out == expected(7, 9)
    assert (repo / "content/articles/a.md").read_text() == article("A", 9, "https://a.example/")
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo,
                          capture_output=True).stdout == status == b" M site/content/articles/a.md\n"
    assert not (repo / "output").exists()       # nothing built, nothing rendered


def test_a_site_folder_an_output_folder_and_a_ledger_file(repo, tmp_path, monkeypatch, capsys):
    old = make_site(tmp_path / "old", {"content/articles/a.md": article("A", 3, "https://a.example/")})
    assert main(["build", "--root", str(old)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(repo)
    for side in (old, old / "output", old / "output/data/ledger.json"):
        assert main(["diff", str(side)]) == 0
        assert capsys.readouterr().out == expected(3, 9)
    assert main(["diff", str(old / "output"), str(repo)]) == 0
    assert capsys.readouterr().out == expected(3, 9)


@pytest.mark.parametrize("args, message", [
    (["no-such-thing"], "'no-such-thing' is neither a path nor a git revision here"),
    (["--", "--output=x"], "'--output=x' is neither a path nor a git revision here"),
    (["content"], "content: a folder with neither pyproject.toml nor data/ledger.json"),
    (["pyproject.toml"], "pyproject.toml: not a ledger.json (Expecting value: line 1 column 2 "
                         "(char 1))"),
    (["bad.json"], 'bad.json: not a sitegen ledger.json: expected "totals" with "confirmed" '
                   'and "with_reported" counts'),
])
def test_a_wrong_argument_says_what_diff_accepts(repo, monkeypatch, capsys, args, message):
    monkeypatch.chdir(repo)
    (repo / "bad.json").write_text('{"totals": {"confirmed": {"min": "<h1>x</h1>"}}}')
    assert main(["diff", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    accepts = ("a git revision (main, HEAD~1, a commit id), a site folder (with "
               "pyproject.toml), a built output folder (with data/ledger.json) or a ledger.json "
               "file")
    if message.startswith("bad.json"):     # a ledger file: what it lacks is the message
        assert captured.err == f"sitegen: error: diff: {message}\n"
    else:
        assert captured.err == f"sitegen: error: diff: {message}; expected {accepts}\n"


def test_errors_at_a_revision_are_named_there_and_the_summary_says_only_that(repo, monkeypatch,
                                                                              capsys):
    (repo / "content/articles/a.md").write_text(article("A", 7, "https://a.example/")
                                                .replace("kind: release", "kind: relase"))
    git(repo, "commit", "-q", "-am", "typo")
    (repo / "content/articles/a.md").write_text(article("A", 9, "https://a.example/"))
    monkeypatch.chdir(repo)
    assert main(["diff", "HEAD"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == (
        "HEAD:site/content/articles/a.md:9:11: error: events[1].kind: expected one of release, "
        "negotiation, statement, snapshot, got 'relase' (did you mean 'release'?)")
    assert captured.err.splitlines()[-1] == ("sitegen: diff: HEAD: 1 error, 0 warnings; "
                                             "no diff was made")
    assert captured.out == ("## Ledger changes\n\nNot computed: `HEAD` has 1 error in its "
                            "content (see `sitegen check`).\n")


HOSTILE_URL = "https://example.org/a<br><h1>x</h1><img/src=https://evil.example/p.png>"
HOSTILE = ["[x](javascript:alert(1))", "a`b``c", "| pipe | in | a | table |", HOSTILE_URL,
           "x@evil.example", "www.evil.example", "**bold** _em_ ~~del~~", "<script>x</script>",
           "line\n\n# heading\n", "![i](https://evil.example/i.png)", "\\|` ends with a backslash \\",
           " `spaced` ", "- [ ] task", "&amp; &lt;h1&gt;"]


def hostile_ledger(values: list[str], released: int) -> dict:
    n = {"min": released, "max": released}
    keyed = {v: {"confirmed": n, "with_reported": n} for v in values}
    return {
        "totals": {"confirmed": n, "with_reported": n},
        "by_citizenship": keyed, "by_destination": keyed, "by_year": keyed,
        "events": [{"id": v, "date": v, "status": v, "released": n, "part_of": None,
                    "counted": True, "citizenship": {v: n}, "from": v, "destination": v,
                    "articles": [v], "sources": [v, HOSTILE_URL]} for v in values]
        + [{"id": f"{v} removed", "status": v, "released": n, "part_of": v, "counted": False}
           for v in values[:2]]}


def test_hostile_values_in_a_ledger_file_stay_text(tmp_path, capsys):
    """Every value in a code span showing exactly its text; no element diff did not write."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(hostile_ledger(HOSTILE, 1)))
    changed = hostile_ledger(HOSTILE, 2)
    for event in changed["events"][:len(HOSTILE)]:
        event["sources"] = [event["sources"][0] + " new"]
    changed["events"].append(dict(changed["events"][0], id=HOSTILE_URL + " added"))
    new.write_text(json.dumps(changed))
    assert main(["diff", str(old), str(new)]) == 0
    summary = capsys.readouterr().out
    flat = [v.replace("\n", " ") for v in HOSTILE]
    quoted = {*flat, *(v + " new" for v in flat), *(v + " removed" for v in flat[:2]),
              HOSTILE_URL, HOSTILE_URL + " added"}
    n = len(HOSTILE)
    for found in renders(summary):
        # the totals and three breakdowns (a row for each value); one event added, every
        # other changed
        assert found.tags == Counter({
            "h2": 1, "h3": 5, "table": 4, "thead": 4, "tbody": 4, "tr": 3 + 3 * (1 + n),
            "th": 16, "td": 4 * (2 + 3 * n), "ul": 2, "li": 1 + n + 2, "code": found.tags["code"]})
        assert set(found.codes) == quoted, set(found.codes) ^ quoted


def test_hostile_titles_names_and_urls_in_sites(tmp_path, capsys):
    """Titles and names never reach the summary; a changed source URL is quoted as text."""
    title = "x</h2><img src=https://evil.example/t.png>[t](javascript:x)"
    old = make_site(tmp_path / "old", {"content/articles/a.md": article(title, 1, HOSTILE_URL,
                                                                        name="|n|`n`")})
    new = make_site(tmp_path / "new", {"content/articles/a.md": article(
        title, 2, "https://example.org/b_c_*d*|e|`f`", name="<b>n</b>")})
    assert main(["diff", str(old), str(new)]) == 0
    summary = capsys.readouterr().out
    for found in renders(summary):
        assert found.tags == Counter({"h2": 1, "h3": 4, "table": 4, "thead": 4, "tbody": 4,
                                      "tr": 9, "th": 16, "td": 20, "ul": 1, "li": 1, "code": 3})
        assert found.codes == ["2025-01-01-release", HOSTILE_URL,
                               "https://example.org/b_c_*d*|e|`f`"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")))
def test_a_code_span_shows_any_text_exactly(text):
    """In a list item and in a table cell, by both renderers: one code element, its text."""
    want = text.replace("\r\n", " ")
    for br in "\r\n\x0b\x0c\x85\u2028\u2029":
        want = want.replace(br, " ")
    for markdown in (f"- {code(text)}\n",
                     f"| a |\n|---|\n| {code(text, in_table=True)} |\n"):
        for found in renders(markdown):
            if want:
                assert found.codes == [want], markdown
                assert set(found.tags) - {"ul", "li", "table", "thead", "tbody", "tr", "th",
                                          "td"} == {"code"}
            else:
                assert found.codes == []
