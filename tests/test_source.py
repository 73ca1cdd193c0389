"""Reading files exactly: encodings, line endings, symbolic links, size, and YAML 1.1 traps."""
import json
import re
import os

import pytest

from sitegen.build import build
from sitegen.cli import main
from sitegen.content.source import MAX_FILE_BYTES

from .conftest import make_site

GOOD = """\
---
title: Belarus frees 52
date: 2025-09-11
sources:
  - url: https://reports.test/a
    publisher: Example
events:
  - id: 2025-09-11-release-52
    date: 2025-09-11
    kind: release
    status: confirmed
    released: 52
---
Body.
"""
PATH = "content/articles/2025/a.md"


def check(root, capsys, *args):
    code = main(["check", "--root", str(root), *args])
    return code, capsys.readouterr().out


def test_bom_is_skipped(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: b"\xef\xbb\xbf" + GOOD.encode()})
    assert check(root, capsys) == (0, "")
    site = build(root, write=False).site
    article = site.articles[0]
    assert article.title == "Belarus frees 52"
    assert site.bodies[article.path] == "<p>Body.</p>\n"
    assert article.body_line == 14


def test_crlf_is_accepted_with_exact_lines(tmp_path, capsys):
    text = GOOD.replace("released: 52", "released: fifty").replace("\n", "\r\n")
    root = make_site(tmp_path, {PATH: text.encode()})
    assert check(root, capsys) == (1, f"{PATH}:12:15: error: events[1].released: expected a whole "
                                      "number, {at_least: N} or {min: N, max: M}, got 'fifty'\n")


def test_lone_cr_is_an_error(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("\n", "\r").encode()})
    assert check(root, capsys) == (1, f"{PATH}:1:4: error: lone CR line ending: save the file "
                                      "with LF (Unix) or CRLF line endings\n")


def test_lone_cr_later_in_file(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("Body.\n", "Body.\rMore\n").encode()})
    assert check(root, capsys) == (1, f"{PATH}:14:6: error: lone CR line ending: save the file "
                                      "with LF (Unix) or CRLF line endings\n")


def test_not_utf8(tmp_path, capsys):
    data = GOOD.replace("Belarus frees 52", "Belarus frees \xe952").encode("latin-1")
    root = make_site(tmp_path, {PATH: data})
    assert check(root, capsys) == (1, f"{PATH}:2:22: error: not valid UTF-8 (byte 0xe9): "
                                      "save the file as UTF-8\n")


def test_nul_byte(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("Body.", "Bo\0dy.").encode()})
    assert check(root, capsys) == (1, f"{PATH}:14:3: error: NUL character: the file is not "
                                      "plain text\n")


def test_size_limit(tmp_path, capsys):
    big = GOOD + "x" * (MAX_FILE_BYTES - len(GOOD) + 1)
    root = make_site(tmp_path, {PATH: big})
    assert check(root, capsys) == (1, f"{PATH}:1:1: error: file is {MAX_FILE_BYTES + 1} bytes; "
                                      "the limit is 1048576 bytes (1 MiB) per content file\n")


def test_file_at_size_limit_is_read(tmp_path, capsys):
    # 4-byte characters, in a YAML comment and the body: a body and a front matter have
    # lower limits of their own, in characters (tests/test_bounds.py)
    text = GOOD.replace("---\n", "---\n# " + "\U0001F600" * 200_000 + "\n", 1)
    room = MAX_FILE_BYTES - len(text.encode())
    root = make_site(tmp_path, {PATH: text + "\U0001F600" * (room // 4) + "x" * (room % 4)})
    assert len((root / PATH).read_bytes()) == MAX_FILE_BYTES
    assert check(root, capsys) == (0, "")


SYMLINK_MESSAGE = ("error: symbolic links are not allowed in content/ or templates/: "
                   "replace the link with a real file\n")


def test_symlinked_file_is_refused(tmp_path, capsys):
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD)
    root = make_site(tmp_path / "site", {"content/articles/2025/b.md": GOOD.replace("52\n", "53\n")})
    os.symlink(secret, root / PATH)
    assert check(root, capsys) == (1, f"{PATH}:1:1: {SYMLINK_MESSAGE}")


def test_symlinked_folder_is_refused(tmp_path, capsys):
    outside = tmp_path / "outside"
    (outside / "x").mkdir(parents=True)
    (outside / "x" / "a.md").write_text(GOOD)
    root = make_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\n"})
    os.symlink(outside, root / "content" / "articles")
    assert check(root, capsys) == (1, f"content/articles:1:1: {SYMLINK_MESSAGE}")


def test_no_front_matter_is_never_body(tmp_path, capsys):
    """A broken opening line is an error, not an article whose body shows the keys."""
    root = make_site(tmp_path, {PATH: GOOD.replace("---\n", "-- \n", 1)})
    code, out = check(root, capsys)
    assert (code, out) == (1, f"{PATH}:1:1: error: missing front matter: start the file with a "
                              "line '---', then the YAML keys, then a closing '---'\n")


def test_yaml_11_words_stay_words(tmp_path, capsys):
    """NO is Norway, yes/on/off are text, 0755 is a decimal number, 1:20 is text."""
    text = GOOD.replace("    released: 52\n", "    released: 0052\n    citizenship: {NO: 2, BY: 50}\n"
                        "    names: [yes, on, off, 1:20]\n    note: no\n")
    root = make_site(tmp_path, {PATH: text})
    assert check(root, capsys) == (0, "")
    event = build(root, write=False).site.events[0]
    assert event.citizenship[1][0] == "NO"
    assert dict(event.citizenship)["NO"].lo == 2
    assert event.released.lo == 52
    assert event.names == (("en", ("yes", "on", "off", "1:20")),)     # the article's language
    assert event.note == (("en", "no"),)


def test_datetime_publication_date(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("date: 2025-09-11\nsources",
                                                   "date: 2025-09-11T23:30:00+03:00\nsources")})
    assert check(root, capsys) == (0, "")
    article = build(root, write=False).site.articles[0]
    assert str(article.date) == "2025-09-11"
    assert article.published == "2025-09-11T23:30:00+03:00"


def test_partial_dates_keep_precision(tmp_path):
    text = GOOD.replace("  - id: 2025-09-11-release-52\n    date: 2025-09-11",
                        "  - id: 2025-09-release-52\n    date: 2025-09")
    text = text.replace("events:\n", "events:\n  - id: 2025-talks\n    date: 2025\n"
                        "    kind: negotiation\n")
    root = make_site(tmp_path, {PATH: text})
    events = {e.id: e for e in build(root, write=False).site.events}
    assert (str(events["2025-09-release-52"].date), events["2025-09-release-52"].date.precision) \
        == ("2025-09", "month")
    assert (str(events["2025-talks"].date), events["2025-talks"].date.precision) == ("2025", "year")


def test_github_format(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("status: confirmed", "status: confrimed")})
    assert check(root, capsys, "--format", "github") == (1, (
        f"::error file={PATH},line=11,col=13,title=E-EXPECTED-CHOICE::events[1].status: expected one of confirmed, "
        "reported, disputed, retracted, got 'confrimed' (did you mean 'confirmed'?)\n"))


def test_github_format_is_default_under_actions(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    root = make_site(tmp_path, {PATH: GOOD.replace("events:\n", "bad_key: 1\nevents:\n")})
    assert check(root, capsys) == (1, f"::error file={PATH},line=7,col=1,title=E-UNKNOWN-KEY::bad_key: "
                                            "unknown key\n")


def test_github_format_escapes(tmp_path, capsys):
    root = make_site(tmp_path, {"content/articles/2025/a,b.md": GOOD})
    code, out = check(root, capsys, "--format", "github")
    assert out.startswith("::error file=content/articles/2025/a%2Cb.md,line=1,col=1,"
                          "title=E-ARTICLE-NAME::file name "
                          "'a,b.md' is not a valid slug")


def test_json_format(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD.replace("events:\n", "events:\n  - ref: nowhere\n")})
    code, out = check(root, capsys, "--format", "json")
    assert code == 1
    assert json.loads(out) == [{"path": PATH, "line": 8, "col": 10, "severity": "error",
                                "code": "E-UNKNOWN-EVENT", "message": "ref: no event 'nowhere' is declared anywhere"}]


def test_strict_turns_warnings_into_errors(tmp_path, capsys):
    text = GOOD.split("events:")[0] + "---\nBody.\n"
    root = make_site(tmp_path, {PATH: text})
    warning = (f"{PATH}:1:1: warning: article has no events: declare what it reports under "
               "'events:' (or '- ref: <id>' for an event declared elsewhere)\n")
    assert check(root, capsys) == (0, warning)
    assert check(root, capsys, "--strict") == (1, warning.replace("warning:", "error:"))


def test_check_finds_site_upwards(tmp_path, capsys, monkeypatch):
    root = make_site(tmp_path, {PATH: GOOD.replace("released: 52", "released: x")})
    monkeypatch.chdir(root / "content" / "articles")
    code, out = main(["check"]), capsys.readouterr().out
    assert code == 1
    assert out.startswith(f"{PATH}:12:15: error: events[1].released:")


def test_no_site_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err == ("sitegen: error: no site here: no pyproject.toml with a [tool.sitegen] table "
                   "in this folder or above it (or pass --root DIR)\n")


def test_base_url_override_is_validated(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD})
    assert main(["build", "--root", str(root), "--base-url", "releases"]) == 1
    assert capsys.readouterr().out == (
        "pyproject.toml:3:1: error: [tool.sitegen] base_url: expected an absolute http(s) URL "
        "such as 'https://user.github.io/repo/', got 'releases' (from --base-url)\n")
    assert not (root / "output").exists()


def test_build_writes_data_and_replaces_output(tmp_path, capsys):
    root = make_site(tmp_path, {PATH: GOOD})
    (root / "output").mkdir()
    (root / "output" / ".sitegen-output").write_text("")    # a previous build's output
    (root / "output" / "stale.txt").write_text("old")
    assert main(["build", "--root", str(root)]) == 0
    written = sorted(p.relative_to(root / "output").as_posix()
                     for p in (root / "output").rglob("*") if p.is_file())
    assert "stale.txt" not in written
    assert [w for w in written if w.startswith("data/")] == \
        ["data/events.json", "data/ledger.csv", "data/ledger.json"]
    assert sorted(p.name for p in root.iterdir()) == [
        ".sitegen-cache", "content", "output", "pyproject.toml"]
    err = capsys.readouterr().err
    assert re.fullmatch(rf"sitegen: {len(written)} files in output/ \(24 pages: en 13, ru 11; "
                        rf"{len(written)} written, 0 unchanged\) in \d+\.\d\d s; 0 errors, "
                        r"0 warnings\n", err), err
    (root / "output" / "stale.txt").write_text("old")
    assert main(["build", "--root", str(root)]) == 0
    assert re.search(rf"; 0 written, {len(written)} unchanged\)", capsys.readouterr().err)
    assert not (root / "output" / "stale.txt").exists()


@pytest.mark.parametrize("name", ["../evil", "/abs", "a/../b", "a\\b", "", "a//b", "./a"])
def test_output_paths_cannot_escape(tmp_path, name):
    from sitegen.output import OutputError, Staging
    staging = Staging(tmp_path / "output")
    with pytest.raises(OutputError):
        staging.put(name, b"x")
    staging.abort()
    assert not (tmp_path / "output").exists()
    assert list(tmp_path.iterdir()) == []
