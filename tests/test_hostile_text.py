"""Characters no web page or feed may hold, and characters that hide text (issue 20, items 2
and 10): refused in front matter at the value's place, dropped from bodies with a warning at
the line, and never in a file the build writes (every XML file parsed by a strict parser)."""

from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from sitegen.build import build, check
from sitegen.content.diagnostics import ContentError
from sitegen.content.markdown import lint_markdown

from .conftest import article_text as article, make_site

CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))]
NONCHARACTERS = [chr(c) for c in range(0xfdd0, 0xfdf0)] + \
    [chr(plane << 16 | end) for plane in range(17) for end in (0xfffe, 0xffff)]
FORBIDDEN = CONTROLS + NONCHARACTERS
FORBIDDEN_SET = set(FORBIDDEN) - {"\t", "\n"}
HIDDEN = ["\u00ad", "\u061c", "\u115f", "\u180e", "\u200b", "\u200e", "\u200f", "\u2028",
          "\u2029", "\u202e", "\u2061", "\u2064", "\u2067", "\u3164", "\ufeff", "\ufff9",
          "\ufffb", "\U000e0001", "\U000e0041", "\U000e007f"]


def quoted(text: str) -> str:
    """A YAML double-quoted scalar writing every character outside printable ASCII as an
    escape: how a contributor gets a control character past the reader."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}"
                         for c in text) + '"'


def written_text(files: dict) -> dict[str, str]:
    return {name: bytes(data).decode("utf-8") for name, data in files.items()
            if name.endswith((".html", ".xml", ".json", ".csv", ".txt"))}


def assert_clean(files: dict) -> None:
    """Every XML file well-formed to a strict parser; no forbidden character anywhere."""
    texts = written_text(files)
    xml = [name for name in texts if name.endswith(".xml")]
    assert "feed.xml" in xml and "sitemap.xml" in xml
    for name in xml:
        etree.fromstring(bytes(files[name]), etree.XMLParser(recover=False))
    for name, text in texts.items():
        assert not FORBIDDEN_SET & set(text), name


def test_every_control_and_noncharacter_in_a_title_is_an_error_at_the_value(tmp_path):
    files = {f"content/articles/a{i:03d}.md": article(quoted(f"Title {c} here"))
             for i, c in enumerate(FORBIDDEN)}
    site = make_site(tmp_path / "site", files)
    problems = [d.text() for d in check(site)]
    assert len(FORBIDDEN) == 30 + 1 + 32 + 66
    assert len(problems) == len(FORBIDDEN)
    assert problems[0] == ("content/articles/a000.md:2:8: error: title: contains U+0000 "
                           "(a control character), which a web page or feed cannot hold: "
                           "remove it")
    assert problems[-1] == ("content/articles/a128.md:2:8: error: title: contains U+10FFFF "
                            "(a noncharacter), which a web page or feed cannot hold: remove it")


def test_hidden_characters_in_front_matter_text_are_errors(tmp_path):
    files = {f"content/articles/a{i:03d}.md": article(quoted(f"Reuters{c}"))
             for i, c in enumerate(HIDDEN)}
    site = make_site(tmp_path / "site", files)
    problems = [d.text() for d in check(site)]
    assert len(problems) == len(HIDDEN)
    assert problems[4] == ("content/articles/a004.md:2:8: error: title: contains the "
                           "invisible character U+200B (ZERO WIDTH SPACE), which can disguise "
                           "text: remove it")
    assert problems[-2] == ("content/articles/a018.md:2:8: error: title: contains the "
                            "invisible character U+E0041 (TAG LATIN CAPITAL LETTER A), which "
                            "can disguise text: remove it")


def test_joiners_that_spell_names_are_kept(tmp_path):
    """ZWNJ in Persian, ZWJ in Malayalam and emoji, a variation selector: real text."""
    names = ["می\u200cخواهم", "ന്\u200d", "\U0001f469\u200d\u2696\ufe0f"]
    files = {f"content/articles/a{i}.md": article(quoted(n)) for i, n in enumerate(names)}
    site = make_site(tmp_path / "site", files)
    assert check(site) == []


def test_a_control_character_in_a_source_address_is_an_error(tmp_path):
    text = article("T").replace("https://reports.test/a", quoted("https://reports.test/\x1b"))
    site = make_site(tmp_path / "site", {"content/articles/a.md": text})
    assert [d.text() for d in check(site)] == [
        "content/articles/a.md:5:10: error: sources[1].url: contains U+001B (a control "
        "character), which a web page or feed cannot hold: remove it"]


def test_every_control_and_noncharacter_in_a_body_is_dropped_with_a_warning(tmp_path):
    # NUL and a lone CR make the whole file unreadable (an error of its own, test_source.py)
    chars = [c for c in FORBIDDEN if c not in "\x00\r"]
    for c in chars:
        kind = "a noncharacter" if c in NONCHARACTERS else "a control character"
        assert [d.text() for d in lint_markdown(f"x\n\u00e9{c}y\n", "p.md", 10)] == [
            f"p.md:11:2: warning: U+{ord(c):04X} ({kind}) cannot be in a web page or feed; "
            "it is removed from the page"]
    body = "\n".join(f"Line {c} end" for c in chars)
    site = make_site(tmp_path / "site", {"content/articles/a.md": article("T", body),
                                         "content/pages/about.md":
                                             "---\ntitle: About\n---\n" + body + "\n"})
    result = build(site, write=False)
    warnings = [d.text() for d in result.diagnostics]
    # five of each kind a file, then one line counting the rest (diagnostics.cap_warnings)
    assert len(warnings) == 2 * 12
    assert warnings[0] == ("content/articles/a.md:12:6: warning: U+0001 (a control character) "
                           "cannot be in a web page or feed; it is removed from the page")
    assert warnings[5] == ("content/articles/a.md:17:6: warning: and 56 more like it: U+0006 (a "
                           "control character) cannot be in a web page or feed; it is removed "
                           "from the page")
    # each on its own line: a form feed, a NEL or a U+2028 does not shift the lines after it
    assert warnings[6] == ("content/articles/a.md:73:6: warning: U+FDD0 (a noncharacter) "
                           "cannot be in a web page or feed; it is removed from the page")
    assert warnings[11] == ("content/articles/a.md:78:6: warning: and 61 more like it: U+FDD5 "
                            "(a noncharacter) cannot be in a web page or feed; it is removed "
                            "from the page")
    assert_clean(result.files)
    page = bytes(result.files["articles/a/index.html"]).decode()
    # every line kept, less its character: in the body and in the summary (its first paragraph)
    assert page.count("Line  end") == 2 * len(chars)


def test_an_atom_time_without_seconds_is_written_with_them(tmp_path):
    site = make_site(tmp_path / "site", {
        "content/articles/a.md": article("A", date="2025-09-11T14:30+03:00"),
        "content/articles/b.md": article("B", date="2025-09-11T12:00Z")})
    feed = bytes(build(site, write=False).files["feed.xml"]).decode()
    assert "<published>2025-09-11T14:30:00+03:00</published>" in feed
    assert "<published>2025-09-11T12:00:00Z</published>" in feed
    # 12:00Z is after 14:30+03:00 (11:30Z), though it sorts before it as text
    assert "<updated>2025-09-11T12:00:00Z</updated>\n  <author>" in feed


# Hypothesis: titles, summaries and bodies drawn from the forbidden and hidden characters
# mixed with ordinary text; whatever is drawn, check and build never raise anything but a
# ContentError, an error names the title, and a build that passes writes clean files.
ORDINARY = "aZ ж,.-*_#[]()!\n"
mixed = st.text(st.sampled_from(FORBIDDEN + HIDDEN + list(ORDINARY) + ["\u200d", "\t"]),
                min_size=1, max_size=30)


@settings(max_examples=int(__import__("os").environ.get("SITEGEN_HOSTILE_EXAMPLES", 15)),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=mixed, body=mixed)
def test_generated_titles_and_bodies_never_reach_the_output(tmp_path_factory, title, body):
    site = make_site(tmp_path_factory.mktemp("site"), {
        "content/articles/a.md": article(quoted("T " + title), body.replace("\0", "").replace("\r", ""))})
    bad_title = FORBIDDEN_SET & set(title) or set(HIDDEN) & set(title)
    try:
        result = build(site, write=False)
    except ContentError as exc:
        assert bad_title, exc.diagnostics
        assert [d.line for d in exc.diagnostics if d.severity == "error"] == [2]
        return
    assert not bad_title
    assert_clean(result.files)


def test_the_site_title_and_base_url_refuse_what_content_may_not_hold(tmp_path, capsys):
    from sitegen.cli import main
    from .conftest import DEFAULT_PYPROJECT
    pyproject = DEFAULT_PYPROJECT.replace('title = "Test"', 'title = "Test\\u001b\\u200b"') \
        .replace('"https://example.org/"', '"https://example.org@evil.example/"')
    site = make_site(tmp_path / "site", {"content/articles/a.md": article("T")}, pyproject)
    assert main(["check", "--root", str(site)]) == 1
    assert capsys.readouterr().out == (
        "pyproject.toml:2:1: error: [tool.sitegen] title: contains U+001B (a control "
        "character): remove it\n"
        "pyproject.toml:3:1: error: [tool.sitegen] base_url: expected an absolute http(s) URL "
        "such as 'https://user.github.io/repo/', got 'https://example.org@evil.example/'\n")
