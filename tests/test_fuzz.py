"""Fuzzing (Hypothesis) over front matter and Markdown: `check` and `build` run in-process on
generated articles (valid and broken YAML, any Unicode with every C0/C1 control and
noncharacter, Markdown constructs of every kind). Neither may raise anything but ContentError,
and every file a build writes must parse: XML with lxml's strict parser, HTML with html5lib in
strict mode, JSON with json.

The suite runs a short profile. SITEGEN_FUZZ_SECONDS=N runs the long one instead: batches of
examples until N seconds have passed, every distinct failure recorded (not only the first) in
the file SITEGEN_FUZZ_LOG names, with the count of examples run:

    SITEGEN_FUZZ_SECONDS=600 SITEGEN_FUZZ_LOG=fuzz.log nice taskset -c 0 \\
        python -m pytest -q tests/test_fuzz.py -k long
"""
from __future__ import annotations

import json
import os
import re
import time
import traceback
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from lxml import etree

from .conftest import check_and_build
from .test_properties import emit_block, fuzz_dates, mutated, near_valid_article, trees

SECONDS = float(os.environ.get("SITEGEN_FUZZ_SECONDS") or 0)

# every C0 and C1 control, DEL, the noncharacters of the BMP's end and of planes 1 and 16,
# bidi controls and other invisible characters
SPECIAL = ([chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
           + [chr(c) for c in range(0xFDD0, 0xFDF0)] + ["\ufffe", "\uffff", "\U0001fffe",
                                                       "\U0010ffff"]
           + ["\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\u2028", "\u2029",
              "\u00ad", "\ufeff", "\u061c", "\U000e0001"])
CHARS = st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL))
WORD = st.text(st.sampled_from("abcxyzабв 1-_.é"), min_size=1, max_size=8)
# mostly words: a file with a character that is refused everywhere (NUL, a raw control in
# YAML) is refused whole, and then nothing of the rest is tried
TEXT = st.one_of(WORD, st.lists(st.one_of(WORD, WORD, WORD, CHARS), min_size=1,
                                 max_size=8).map("".join), st.text(CHARS, min_size=1, max_size=30))

LINK_TARGETS = ("https://a.example/x", "/about/", "#top", "../x", "javascript:alert(1)",
                "JaVaScRiPt:x", "data:text/html,x", "vbscript:x", "//evil.example/",
                "mailto:a@b.example", "<https://a.example/a b>", "http://[::1]/", "",
                "https://a.example/\x00", "%6A%61vascript:x", "&#106;avascript:x")


@st.composite
def inline(draw) -> str:
    text = draw(st.one_of(WORD, TEXT))
    target = draw(st.one_of(st.sampled_from(LINK_TARGETS), TEXT))
    return draw(st.sampled_from((
        text, f"*{text}*", f"**{text}**", f"_{text}_", f"~~{text}~~", f"`{text}`",
        f"[{text}]({target})", f"![{text}]({target})", f"<{target}>", f"[{text}][r]",
        f"[{text}]", f"&{text};", "&#0;", "&#x110000;", "&amp;", "\\", "  \n", "<b>",
        f"<script>{text}</script>", f"<a href='{target}'>x</a>", "[", "![x", "[a](")))


@st.composite
def block(draw) -> str:
    line = "".join(draw(st.lists(inline(), min_size=1, max_size=4)))
    kind = draw(st.sampled_from(("para", "para", "h", "ul", "ol", "quote", "code", "fence",
                                 "table", "hr", "def", "html", "setext", "raw")))
    if kind == "h":
        return "#" * draw(st.integers(1, 7)) + " " + line
    if kind == "ul":
        return "\n".join(f"{' ' * draw(st.integers(0, 4))}- {line}"
                         for _ in range(draw(st.integers(1, 3))))
    if kind == "ol":
        return f"{draw(st.integers(0, 10**10))}. {line}"
    if kind == "quote":
        return "> " * draw(st.integers(1, 3)) + line
    if kind == "code":
        return "    " + line
    if kind == "fence":
        return f"```{draw(WORD)}\n{line}\n```"
    if kind == "table":
        align = draw(st.sampled_from(("---", ":--", "--:", ":-:")))
        return f"| a | {line} |\n|{align}|---|\n| {line} | b |"
    if kind == "hr":
        return draw(st.sampled_from(("---", "***", "___", "- - -")))
    if kind == "def":
        return f"[r]: {draw(st.sampled_from(LINK_TARGETS))} \"{draw(WORD)}\""
    if kind == "html":
        return draw(st.sampled_from(("<div>\nx\n</div>", "<!-- x -->", "<?php x ?>",
                                     "<![CDATA[x]]>", "<style>x</style>")))
    if kind == "setext":
        return line + "\n" + draw(st.sampled_from(("===", "---")))
    if kind == "raw":
        return draw(TEXT)
    return line


BODY = st.lists(block(), max_size=6).map(lambda blocks: "\n\n".join(blocks) + "\n")


# what YAML refuses raw, written as escapes in a double-quoted string (JSON is YAML, and
# YAML's double-quoted strings know \\U for characters beyond the BMP, as JSON does not)
_ESCAPED = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\ufeff]")


def _escape(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"


@st.composite
def valid_article(draw, i: int) -> bytes:
    """An article whose front matter is valid but for what its free text holds."""
    event = {"id": f"e{i}", "date": draw(st.sampled_from(("2025", "2025-09", "2025-09-11"))),
             "kind": "release", "status": "confirmed", "released": draw(st.integers(0, 9)),
             "title": draw(TEXT), "names": draw(st.lists(TEXT, max_size=2)),
             "countries": draw(st.lists(st.sampled_from(("LT", "PL", "US")), unique=True)),
             "note": draw(TEXT)}
    front = {"title": draw(TEXT), "date": "2025-09-11",
             "summary": draw(TEXT), "lang": draw(st.sampled_from(("en", "ru"))),
             "tags": draw(st.lists(st.sampled_from(("a", "b-c")), unique=True)),
             "sources": [{"url": draw(st.sampled_from(("https://a.example/",
                                                       "https://b.example/x?q=<&>"))),
                          "publisher": draw(TEXT), "title": draw(TEXT)}],
             "events": [event]}
    for key in draw(st.lists(st.sampled_from(("summary", "tags")), unique=True)):
        del front[key]
    text = json.dumps(front, ensure_ascii=False, default=str)
    text = _ESCAPED.sub(lambda m: _escape(m[0]), text)
    return f"---\n{text}\n---\n{_clean(draw(BODY), draw)}".encode(
        "utf-8", errors="surrogatepass")


@st.composite
def article(draw, i: int = 0) -> bytes:
    """An article: valid, near-valid or random front matter in random YAML styles, a
    Markdown body."""
    if draw(st.booleans()):
        return draw(valid_article(i))
    tree = draw(st.one_of(near_valid_article(TEXT, fuzz_dates(False)), trees(TEXT)))
    tree = draw(mutated(tree, TEXT))
    front = "\n".join(draw(emit_block(tree, TEXT)))
    shape = draw(st.sampled_from(("closed",) * 8 + ("unclosed", "none")))
    body = draw(BODY)
    data = {"closed": f"---\n{front}\n---\n{body}", "unclosed": f"---\n{front}\n{body}",
            "none": body}[shape]
    return data.encode("utf-8", errors="surrogatepass")


def _clean(body: str, draw) -> str:
    """Mostly without NUL and lone CR, which refuse the whole file (and are tested so)."""
    return body if draw(st.integers(0, 3)) == 0 else body.replace("\0", "").replace("\r", "")


@st.composite
def site(draw) -> dict[str, bytes]:
    """Half of the sites valid but for what their free text holds (so that they build), the
    others anything."""
    valid = draw(st.booleans())
    files = {}
    for i in range(draw(st.integers(1, 3))):
        files[f"content/articles/2025/a{i}.md"] = draw(valid_article(i) if valid else article(i))
    if draw(st.integers(0, 3)) == 0:
        title = _ESCAPED.sub(lambda m: _escape(m[0]), json.dumps(draw(TEXT), ensure_ascii=False))
        files["content/pages/about.md"] = f"---\ntitle: {title}\n---\n{_clean(draw(BODY), draw)}"
    if draw(st.integers(0, 3)) == 0:
        files["content/countries/lt.md"] = _clean(draw(BODY), draw)
    return {name: text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            for name, text in files.items()}


def well_formed(name: str, data: bytes) -> None:
    """Raise if the file does not parse strictly as what its name says it is."""
    if name.endswith((".xml", ".svg")):
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    elif name.endswith(".html"):
        html5lib.HTMLParser(strict=True).parse(data)
    elif name.endswith(".json"):
        json.loads(data)


def builds_well_formed(files: dict[str, bytes]) -> None:
    """check and build end as they may (conftest.check_and_build); every file a build made
    parses as what its name says it is."""
    made = check_and_build(files).files
    malformed = {}
    for name, data in (made or {}).items():
        try:
            well_formed(name, data)
        except Exception as exc:    # noqa: BLE001 (every file is tried)
            malformed.setdefault(Path(name).suffix, f"{name}: {exc}")
    assert not malformed, f"not well-formed: {sorted(malformed.values())}"


SETTINGS = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))

TITLE_ESC = (b"---\ntitle: \"\\e\"\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', "
             b"publisher: P}]\n---\nBody.\n")


@pytest.mark.slow
@pytest.mark.skipif(SECONDS > 0, reason="the long run is asked for")
@settings(max_examples=25, **SETTINGS)
@given(site())
@example({"content/articles/2025/a0.md": TITLE_ESC})
def test_generated_content_checks_and_builds_to_well_formed_files(files):
    builds_well_formed(files)


def _long():
    """Batches of examples until the time is up. A failure does not end the batch: each
    distinct one (its exception, where it was raised, for a malformed file its kind and the
    parser's message) is written to the log once, with the first example that showed it."""
    log = Path(os.environ.get("SITEGEN_FUZZ_LOG", "fuzz.log"))
    end = time.monotonic() + SECONDS
    runs, seen = [0], {}

    def key_of(exc: BaseException) -> tuple:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        if isinstance(exc, AssertionError) and str(exc).startswith("not well-formed"):
            first = str(exc).splitlines()[0]
            return ("malformed", re.sub(r"\d+", "N", re.sub(r"[\w/.-]+: ", "", first)))
        return (type(exc).__name__, frame.filename, frame.lineno)

    with log.open("w", encoding="utf-8") as out:
        @settings(max_examples=200, **SETTINGS)
        @given(site())
        def batch(files):
            runs[0] += 1
            try:
                builds_well_formed(files)
            except Exception as exc:   # noqa: BLE001 (recorded; the batch goes on)
                key = key_of(exc)
                seen[key] = seen.get(key, 0) + 1
                if seen[key] == 1:
                    out.write(f"== {key}\n{''.join(traceback.format_exception(exc))}\n"
                              f"{files!r}\n\n")
                    out.flush()

        while time.monotonic() < end:
            batch()
            out.write(f"-- {runs[0]} examples, {sum(seen.values())} failing, {len(seen)} "
                      f"distinct: {seen}, {time.monotonic() - end + SECONDS:.0f} s\n")
            out.flush()
    assert not seen, f"{len(seen)} distinct failures: see {log}"


# the long run is collected only when asked for (SITEGEN_FUZZ_SECONDS): not a skip in every run
if SECONDS > 0:
    test_long = _long
