"""Property tests (Hypothesis): the ledger's invariants, and no traceback for any content.

The ledger's properties run on the pure stages (check_site, build_ledger, ledger_json) over
sites built as model values (tests/models.py); one more property ties those values to what
parse.py makes of the same front matter. The content fuzz runs `check` and `build` on a
fresh site for each example (conftest.check_and_build).
"""
from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from sitegen.content.checks import check_site
from sitegen.content.ledger import build_ledger
from sitegen.site.data import ledger_json

from .conftest import check_and_build, front_matter_text
from .models import parse, site_of

SETTINGS = dict(deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
    HealthCheck.filter_too_much])

DIAGNOSTIC = re.compile(r"^[^:]+:\d+:\d+: (error|warning|note): .+$")
TOTALS = ("totals", "by_citizenship", "by_destination", "by_year")


def ledger_of(articles: dict[str, dict]) -> dict:
    """data/ledger.json's value for a site of these articles, which has no error (as a
    build would refuse it)."""
    site = site_of(articles)
    assert [d for d in check_site(site) if d.severity == "error"] == []
    return ledger_json(build_ledger(site))


# --------------------------------------------------------------------------------------------
# Valid sites, by construction

COUNTRIES = ("BY", "LT", "LV", "PL", "DE", "UA", "US")
DATES = ("2024", "2025-09", "2025-09-11", "2025-11-05", "2025-12-13", 2026)
STATUSES = ("confirmed", "reported", "disputed", "retracted")


@st.composite
def count_of(draw, lo: int):
    """A count whose lower bound is `lo`: N, {at_least: N} or {min: N, max: M}."""
    form = draw(st.sampled_from(("exact", "at_least", "range")))
    if form == "exact":
        return lo
    if form == "at_least":
        return {"at_least": lo}
    return {"min": lo, "max": lo + draw(st.integers(0, 50))}


def low(count) -> int:
    if isinstance(count, int):
        return count
    return count.get("at_least", count.get("min"))


@st.composite
def allocate(draw, budget: int, codes) -> dict:
    """Counts per code whose lower bounds add up to at most `budget`."""
    out = {}
    for code in codes:
        n = draw(st.integers(0, budget))
        budget -= n
        out[code] = draw(count_of(n))
    return out


@st.composite
def root_events(draw, prefix: str = "r", max_roots: int = 5) -> list[dict]:
    events = []
    for i in range(draw(st.integers(1, max_roots))):
        lo = draw(st.integers(0, 300))
        event = {"id": f"{prefix}{i}", "date": draw(st.sampled_from(DATES)), "kind": "release",
                 "status": draw(st.sampled_from(STATUSES)), "released": draw(count_of(lo))}
        codes = draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=3))
        citizenship = draw(allocate(lo, codes))
        if citizenship:
            event["citizenship"] = citizenship
        if draw(st.booleans()):
            event["destination"] = draw(st.sampled_from(COUNTRIES))
        events.append(event)
    return events


@st.composite
def children_of(draw, parent: dict, prefix: str, inside: bool) -> list[dict]:
    """Consistent parts of `parent`: exact counts adding up to at most its lower bound, no
    status. `inside`: their breakdowns stay within the parent's own citizenship and
    destination, so no by_* figure may change; else they may refine the parent's."""
    lo = low(parent["released"])
    own = {c: low(n) for c, n in parent.get("citizenship", {}).items()}
    spare = lo - sum(own.values())          # people of no reported citizenship
    left = dict(own)
    budget = lo
    children = []
    for i in range(draw(st.integers(1, 4))):
        released = draw(st.integers(0, budget))
        budget -= released
        child = {"id": f"{prefix}{i}", "date": draw(st.sampled_from(DATES)), "kind": "release",
                 "released": released, "part_of": parent["id"]}
        room = released                     # a part's citizenship fits in its own count
        citizenship = {}
        codes = list(own) if inside else draw(
            st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=3))
        for code in codes:
            pool = left.get(code, 0) if inside else spare
            n = draw(st.integers(0, min(pool, room)))
            room -= n
            if inside:
                left[code] -= n
            else:
                spare -= n
            citizenship[code] = n
        if citizenship:
            child["citizenship"] = citizenship
        if "destination" in parent:
            if draw(st.booleans()):
                child["destination"] = parent["destination"]
        elif not inside and draw(st.booleans()):
            child["destination"] = draw(st.sampled_from(COUNTRIES))
        children.append(child)
    return children


def site_from(draw, events: list[dict], n_articles: int, refs: bool = True) -> dict[str, dict]:
    """Articles a0..a{n-1}; each event declared in a drawn article, plus drawn references."""
    declared = {f"a{i}": [] for i in range(n_articles)}
    home = {}
    for event in events:
        slug = f"a{draw(st.integers(0, n_articles - 1))}"
        declared[slug].append(event)
        if isinstance(event.get("id"), str):
            home.setdefault(event["id"], slug)
    referring = {slug: [] for slug in declared}
    if refs and home:
        for event_id, slug in draw(st.lists(st.tuples(st.sampled_from(sorted(home)),
                                                      st.sampled_from(sorted(declared))),
                                            max_size=4)):
            if home[event_id] != slug and event_id not in referring[slug]:
                referring[slug].append(event_id)
    return {slug: {"title": f"Article {slug}", "date": "2025-12-31",
                   "sources": [{"url": f"https://s{int(slug[1:]) % 2}.example/{slug}",
                                "publisher": "P"}],
                   "events": declared[slug] + [{"ref": i} for i in referring[slug]]}
            for slug in declared}


def totals(ledger: dict) -> dict:
    return {key: ledger[key] for key in TOTALS}


# --------------------------------------------------------------------------------------------
# Adding a reference never changes a total

@st.composite
def site_and_new_ref(draw):
    roots = draw(root_events())
    events = list(roots)
    for root in roots:
        if draw(st.booleans()):
            events += draw(children_of(root, f"{root['id']}-part", inside=draw(st.booleans())))
    n = draw(st.integers(1, 4))
    articles = site_from(draw, events, n)
    target = draw(st.sampled_from([e["id"] for e in events]))
    slug = f"a{draw(st.integers(0, n))}"              # a{n}: a new article
    front = articles.get(slug)
    if front is None or any(e.get("id") == target or e.get("ref") == target
                            for e in front["events"]):
        slug = f"a{n}"
    return articles, target, slug


@settings(max_examples=100, **SETTINGS)
@given(site_and_new_ref())
def test_a_reference_never_changes_a_total(case):
    articles, target, slug = case
    before = ledger_of(articles)
    after_articles = json.loads(json.dumps(articles))
    if slug in after_articles:
        after_articles[slug]["events"].append({"ref": target})
    else:
        after_articles[slug] = {"title": "Another report", "date": "2026-01-01",
                                "sources": [{"url": "https://new.example/", "publisher": "P"}],
                                "events": [{"ref": target}]}
    after = ledger_of(after_articles)
    assert totals(after) == totals(before)
    entry = next(e for e in after["events"] if e["id"] == target)
    assert slug in entry["articles"]
    assert [(e["id"], e["counted"]) for e in after["events"]] == \
        [(e["id"], e["counted"]) for e in before["events"]]


# --------------------------------------------------------------------------------------------
# Splitting a root into a parent and its parts never changes a total

@st.composite
def site_and_split(draw):
    roots = draw(root_events())
    n = draw(st.integers(1, 3))
    articles = site_from(draw, roots, n)
    parent = draw(st.sampled_from(roots))
    inside = draw(st.booleans())
    children = draw(children_of(parent, f"{parent['id']}-part", inside=inside))
    return articles, parent["id"], children, inside, draw(st.integers(0, n))


@settings(max_examples=100, **SETTINGS)
@given(site_and_split())
def test_splitting_a_root_never_changes_a_total(case):
    articles, parent_id, children, inside, where = case
    before = ledger_of(articles)
    split = json.loads(json.dumps(articles))
    slug = f"a{where}"
    if slug in split:
        split[slug]["events"] += children
    else:
        split[slug] = {"title": "The parts", "date": "2026-01-01",
                       "sources": [{"url": "https://parts.example/", "publisher": "P"}],
                       "events": children}
    after = ledger_of(split)
    assert after["totals"] == before["totals"]
    assert after["by_year"] == before["by_year"]
    if inside:
        assert totals(after) == totals(before)
    ids = {c["id"] for c in children}
    status = next(e["status"] for e in before["events"] if e["id"] == parent_id)
    assert sorted((e["id"], e["counted"], e["status"], e["part_of"])
                  for e in after["events"] if e["id"] in ids) == \
        sorted((i, False, status, parent_id) for i in ids)
    # Everything else about the other events stays; refining parts may add citizenship.
    same = lambda e: {k: v for k, v in e.items() if inside or k != "citizenship"}  # noqa: E731
    assert [same(e) for e in after["events"] if e["id"] not in ids] == \
        [same(e) for e in before["events"]]


# --------------------------------------------------------------------------------------------
# The model the properties above build is the one parse.py makes of the same front matter

@st.composite
def valid_site(draw) -> dict[str, dict]:
    roots = draw(root_events())
    events = list(roots)
    for root in roots:
        if draw(st.booleans()):
            events += draw(children_of(root, f"{root['id']}-part", inside=draw(st.booleans())))
    return site_from(draw, events, draw(st.integers(1, 4)))


@settings(max_examples=100, **SETTINGS)
@given(valid_site())
def test_the_generated_model_is_what_parse_makes_of_the_front_matter(articles):
    for made in site_of(articles).articles:
        text = f"---\n{front_matter_text(articles[made.slug])}---\nBody.\n"
        parsed, _, problems = parse(made.path, text)
        assert [d for d in problems if d.severity == "error"] == []
        assert (parsed.slug, parsed.events, parsed.refs, parsed.sources) == \
            (made.slug, made.events, made.refs, made.sources)


# --------------------------------------------------------------------------------------------
# No traceback for any content

WEIRD = [
    "NO", "no", "yes", "Yes", "on", "off", "y", "~", "null", "Null", "true", "True", "FALSE",
    "2025-02-30", "2025-13", "2025-00", "2025-1-1", "0000", "10000-01-01", "2025-09-11T10:00:00",
    "2025-09-11T10:00:00+03:00", "2025-09-11T25:00:00Z", "2025-09-11 10:00",
    "!!python/object:os.system", "!!python/object/apply:os.system ['true']", "!!str x",
    "!!binary aGk=", "!foo bar", "&a x", "*a", "&a", "<<", "<<: *a", "0x1F", "0o17", "017",
    "1_000", "1e400", "-1", "-0", "+5", ".inf", "-.inf", ".nan", "3.14", "9" * 15, "9" * 16,
    "9" * 400, "", " ", "'", '"', "#", "# comment", "- x", ": x", "a: b", "{", "}", "[", "]",
    "|", ">", "%", "%YAML 1.1", "@x", "`x", "---", "...", "? x", "https://example.org/a",
    "http://", "https://exa mple.org", "javascript:alert(1)", "mailto:x@example.org",
    "<script>alert(1)</script>", "release", "confirmed", "reported", "disputed", "retracted",
    "negotiation", "statement", "snapshot", "pardon", "BY", "LT", "by", "XX", "en", "ru", "de",
    "2025", "2025-09", "2025-09-11", "2025-09-11-release-52", "e1", "e2", "ref", "Ω",
    "Привет", "😀", "\u202e", "\ufeff", "a" * 200, "\t", "../../etc/passwd", "con",
]
KEYS = [
    "title", "date", "lang", "summary", "sources", "tags", "draft", "translation_key",
    "events", "id", "kind", "status", "released", "citizenship", "from", "destination",
    "mechanism", "part_of", "people", "held", "countries", "names", "note", "ref", "url",
    "publisher", "at_least", "min", "max", "titel", "evnets", "LT", "BY", "en", "ru",
]
IDS = ["e1", "e2", "e3", "2025-09-11-release-52"]


def _safe_char(c: str) -> bool:
    """No character that YAML or a diagnostic would take as a line break or control."""
    return unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") or c == "\t"


ANY_TEXT = st.text(max_size=30)
SAFE_TEXT = st.text(st.characters(codec="utf-8").filter(_safe_char), max_size=30)


def scalars(text):
    return st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-5, 400),
                     st.floats(allow_nan=True), st.sampled_from(WEIRD), text)


def keys(text):
    return st.one_of(st.sampled_from(KEYS), st.sampled_from(WEIRD), text)


@st.composite
def emit_scalar(draw, value, text) -> str:
    if draw(st.integers(0, 24)) == 0:           # sometimes something else altogether
        value = draw(scalars(text))
    if isinstance(value, str):
        style = draw(st.sampled_from(("plain", "plain", "single", "double", "double-ascii")))
        if style == "plain":
            return value
        if style == "single":
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=style == "double-ascii")
    if value is None:
        return draw(st.sampled_from(("null", "~", "")))
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


@st.composite
def emit_flow(draw, value, text) -> str:
    if isinstance(value, dict):
        items = [f"{draw(emit_scalar(k, text))}: {draw(emit_flow(v, text))}"
                 for k, v in value.items()]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(draw(emit_flow(v, text)) for v in value) + "]"
    return draw(emit_scalar(value, text))


@st.composite
def emit_block(draw, value, text, indent: int = 0) -> list[str]:
    """YAML lines for `value`, in block or flow style as drawn."""
    pad = " " * indent
    if isinstance(value, dict) and value and draw(st.integers(0, 4)):
        lines = []
        for k, v in value.items():
            key = draw(emit_scalar(k, text))
            if isinstance(v, (dict, list)) and v and draw(st.booleans()):
                lines.append(f"{pad}{key}:")
                lines += draw(emit_block(v, text, indent + draw(st.sampled_from((2, 2, 4, 0)))))
            else:
                lines.append(f"{pad}{key}: {draw(emit_flow(v, text))}")
        return lines
    if isinstance(value, list) and value and draw(st.integers(0, 4)):
        lines = []
        for item in value:
            if isinstance(item, (dict, list)) and item and draw(st.booleans()):
                sub = draw(emit_block(item, text, indent + 2))
                lines += [pad + "- " + sub[0][indent + 2:]] + sub[1:]
            else:
                lines.append(f"{pad}- {draw(emit_flow(item, text))}")
        return lines
    return [pad + draw(emit_flow(value, text))]


def trees(text):
    def nest(inner):
        return st.one_of(st.lists(inner, max_size=4),
                         st.dictionaries(keys(text), inner, max_size=5))
    return st.recursive(scalars(text), nest, max_leaves=20)


def counts(text):
    return st.one_of(st.integers(-3, 500), st.fixed_dictionaries({"at_least": st.integers(0, 99)}),
                     st.fixed_dictionaries({"min": st.integers(0, 60), "max": st.integers(0, 60)}),
                     scalars(text))


# Event dates that once crashed sitegen (see the regression tests at the end)
CRASH_DATES = ("0000", "0000-06", "9999-12", "9999-12-31")


def fuzz_dates(safe: bool) -> tuple:
    return DATES + ("0001", "9999-11", "2025-02-30", "2025-13", "25", "2025-9-1") + \
        (() if safe else CRASH_DATES)


def near_valid_event(text, dates):
    """Events that are mostly right, naming each other from a small pool of ids."""
    return st.one_of(
        st.fixed_dictionaries({"ref": st.sampled_from(IDS)}),
        st.fixed_dictionaries(
            {"id": st.sampled_from(IDS), "date": st.sampled_from(dates),
             "kind": st.sampled_from(("release", "release", "negotiation", "snapshot", "talks"))},
            optional={"status": st.sampled_from(STATUSES), "released": counts(text),
                      "part_of": st.sampled_from(IDS), "held": counts(text),
                      "people": counts(text), "destination": st.sampled_from(COUNTRIES),
                      "citizenship": st.dictionaries(st.sampled_from(COUNTRIES + ("lt", "XX")),
                                                     counts(text), max_size=3),
                      "countries": st.lists(st.sampled_from(COUNTRIES), max_size=2),
                      "title": st.one_of(text, st.fixed_dictionaries({"en": text}))}))


def near_valid_article(text, dates):
    return st.fixed_dictionaries(
        {"title": st.one_of(st.just("A title"), text),
         "date": st.sampled_from(("2025-09-11", "2025-09-11T10:00:00+03:00", "2025-02-30"))},
        optional={"lang": st.sampled_from(("en", "ru", "de")), "draft": st.booleans(),
                  "translation_key": st.sampled_from(("k1", "k2")),
                  "tags": st.lists(st.sampled_from(("a", "b-c", "Bad Tag")), max_size=2),
                  "sources": st.lists(st.fixed_dictionaries(
                      {"url": st.sampled_from(("https://a.example/", "ftp://x", "https://b.example/x"))},
                      optional={"publisher": st.just("P"), "date": st.just("2025-09-11")}),
                      max_size=2),
                  "events": st.lists(near_valid_event(text, dates), max_size=4),
                  "sumary": text})


@st.composite
def mutated(draw, tree, text):
    """A tree with one leaf or key replaced, dropped or added, sometimes."""
    if not isinstance(tree, (dict, list)) or not tree or draw(st.integers(0, 2)) == 0:
        return tree
    if isinstance(tree, dict):
        tree = dict(tree)
        key = draw(st.sampled_from(sorted(tree)))
        action = draw(st.sampled_from(("replace", "drop", "add", "deeper")))
        if action == "replace":
            tree[key] = draw(trees(text))
        elif action == "drop":
            del tree[key]
        elif action == "add":
            tree[draw(keys(text))] = draw(trees(text))
        else:
            tree[key] = draw(mutated(tree[key], text))
        return tree
    tree = list(tree)
    i = draw(st.integers(0, len(tree) - 1))
    tree[i] = draw(mutated(tree[i], text))
    return tree


@st.composite
def content_file(draw, text, safe: bool) -> bytes:
    body = draw(st.one_of(st.sampled_from(("", "Body.\n", "---\n", "a\n---\nb\n", "<b>x</b>\n",
                                           "[x](javascript:alert(1))\n")), text))
    shape = draw(st.sampled_from(("front matter", "front matter", "front matter", "raw",
                                  "unclosed", "empty")))
    if shape == "raw":
        data = draw(text)
    elif shape == "empty":
        data = "---\n---\n" + body
    else:
        tree = draw(st.one_of(near_valid_article(text, fuzz_dates(safe)), trees(text)))
        tree = draw(mutated(tree, text))
        front = "\n".join(draw(emit_block(tree, text)))
        data = f"---\n{front}\n" + ("" if shape == "unclosed" else f"---\n{body}")
    raw = data.encode("utf-8")
    mangle = draw(st.sampled_from(("none",) * 6 + ("bom", "crlf", "lone cr", "nul", "latin1")))
    if mangle == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif mangle == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif mangle == "lone cr":
        raw = raw.replace(b"\n", b"\r", 1)
    elif mangle == "nul":
        raw = raw + b"\0"
    elif mangle == "latin1":
        raw = raw + "é".encode("latin-1")
    return raw


NAMES = {
    "articles": ["2025/2025-09-11-a", "2025/2025-09-11-a", "b", "2025/c", "Bad_Name", "a--b",
                 "x.en", "-x"],
    "pages": ["about", "about.en", "about.ru", "about.xx", "timeline", "en", "Bad"],
    "countries": ["by", "lt.en", "lt.ru", "zz", "BY", "xx.en"],
}


@st.composite
def noisy_site(draw, text, safe: bool) -> dict[str, bytes]:
    """Random files: random trees, random YAML styles, broken encodings."""
    files = {}
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(("articles",) * 4 + ("pages", "countries")))
        name = draw(st.sampled_from(NAMES[section]))
        files[f"content/{section}/{name}.md"] = draw(content_file(text, safe))
    return files


@st.composite
def broken_event(draw, event: dict, ids: list[str], text, dates) -> dict:
    """One fact of a valid event made wrong, or right in a way that conflicts elsewhere."""
    event = dict(event)
    what = draw(st.sampled_from(("part_of", "part_of", "status", "released", "kind", "date",
                                 "citizenship", "destination", "drop", "tree")))
    if what == "part_of":
        event["part_of"] = draw(st.sampled_from(ids + ["nowhere", event.get("id", "x")]))
    elif what == "status":
        event["status"] = draw(st.sampled_from(STATUSES + ("unknown",)))
    elif what == "released":
        event["released"] = draw(counts(text))
    elif what == "kind":
        event["kind"] = draw(st.sampled_from(("negotiation", "statement", "snapshot", "talks")))
    elif what == "date":
        event["date"] = draw(st.sampled_from(dates))
    elif what == "citizenship":
        event["citizenship"] = draw(st.dictionaries(st.sampled_from(COUNTRIES + ("lt", "XX")),
                                                    counts(text), max_size=3))
    elif what == "destination":
        event["destination"] = draw(st.sampled_from(("uk", "XX", "LT", "")))
    elif what == "drop":
        del event[draw(st.sampled_from(sorted(event)))]
    else:
        event = draw(mutated(event, text))
    return event


@st.composite
def structured_site(draw, text, safe: bool) -> dict[str, bytes]:
    """A valid site (roots, parts, references), then a few facts broken or duplicated:
    what reaches the cross-file checks (references, part_of trees, consistency, drafts)."""
    roots = draw(root_events(max_roots=4))
    events = list(roots)
    for root in roots:
        if draw(st.integers(0, 2)) == 0:
            events += draw(children_of(root, f"{root['id']}-part", inside=draw(st.booleans())))
    ids = [e["id"] for e in events]
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 2)))):
        i = draw(st.integers(0, len(events) - 1))
        events[i] = draw(broken_event(events[i], ids, text, fuzz_dates(safe)))
    if draw(st.integers(0, 7)) == 0:                   # the same id declared twice
        events.append(dict(draw(st.sampled_from(events))))
    n = draw(st.integers(1, 4))
    articles = site_from(draw, events, n)
    for slug, front in articles.items():
        if draw(st.integers(0, 7)) == 0:
            front["draft"] = True
        if draw(st.integers(0, 7)) == 0:
            front["events"].append({"ref": draw(st.sampled_from(ids + ["nowhere"]))})
        if draw(st.integers(0, 7)) == 0:
            front["translation_key"] = "same"
        if draw(st.integers(0, 11)) == 0:
            articles[slug] = draw(mutated(front, text))
    files = {}
    for slug, front in articles.items():
        if isinstance(front, dict) and draw(st.integers(0, 4)):
            fm = front_matter_text(front)
        else:
            fm = "\n".join(draw(emit_block(front, text))) + "\n"
        files[f"content/articles/2025/{slug}.md"] = f"---\n{fm}---\nBody.\n".encode()
    return files


def fuzz_sites(text, safe: bool = False):
    return st.one_of(noisy_site(text, safe), structured_site(text, safe))


def assert_one_per_line(printed: str) -> None:
    assert printed == "" or printed.endswith("\n")
    for line in printed.splitlines():
        assert DIAGNOSTIC.match(line), line


def assert_well_formed(raised: list) -> None:
    for d, _ in raised:
        assert re.fullmatch(r"[^:\n]+", d.path) and d.line >= 1 and d.col >= 1, d
        assert d.severity in ("error", "warning", "note") and d.message.strip(), d


def _article(extra: str) -> dict[str, bytes]:
    return {"content/articles/a.md": (
        "---\ntitle: T\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', publisher: P}]\n"
        f"{extra}\n---\nBody.\n").encode("utf-8")}


# Bugs found by fuzzing, each kept as a regression test below.
YEAR_ZERO = _article("events: [{id: x, date: '0000', kind: statement}]")
DECEMBER_9999 = _article(
    "events: [{id: x, date: 9999-12-31, kind: release, status: confirmed, released: 1}]")
UNKNOWN_KEY_WITH_LINE_BREAK = _article('"a\\nb": 1\nevents: [{ref: x}]')
COUNTRY_KEY_WITH_LINE_BREAK = _article(
    "events:\n  - {id: x, date: 2025, kind: release, status: confirmed, released: 3,\n"
    '     citizenship: {"L\\nT": 1}}')
CONTROL_CHARACTER = _article("note: \x01")
UNICODE_LINE_SEPARATORS = _article("# \u2028\u2028\u0085\u0085\nfoo: 1")


@pytest.mark.slow      # a site checked and built for each of its examples
@settings(max_examples=300, **SETTINGS)
@given(st.one_of(fuzz_sites(ANY_TEXT), fuzz_sites(SAFE_TEXT)))
@example(YEAR_ZERO)
@example(DECEMBER_9999)
@example(UNKNOWN_KEY_WITH_LINE_BREAK)
@example(COUNTRY_KEY_WITH_LINE_BREAK)
@example(CONTROL_CHARACTER)
@example(UNICODE_LINE_SEPARATORS)
def test_any_content_is_checked_and_built_or_refused_in_lines_at_its_place(files):
    """`sitegen check` returns 0 or 1 and `build` returns or raises ContentError, never
    anything else; they agree on whether the content has errors; every problem is one
    well-formed line, at a LINE within its file. Half the sites have text of any character
    (much of it refused at once), half text without line breaks and controls, which reaches
    further into the checks."""
    outcome = check_and_build(files)
    assert_well_formed(outcome.raised)
    assert_one_per_line(outcome.printed)
    for d, data in outcome.raised:
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        assert d.line <= text.count("\n") + 1, (d, text)


@pytest.mark.parametrize("files,printed", [
    (YEAR_ZERO, "content/articles/a.md:5:24: error: events[1].date: year 0 is out of range "
                "(1000-2999)\n"),
    (DECEMBER_9999, "content/articles/a.md:5:24: error: events[1].date: year 9999 is out of "
                    "range (1000-2999)\n"),
    (UNKNOWN_KEY_WITH_LINE_BREAK, "content/articles/a.md:5:1: error: a\\u000ab: unknown key\n"
                                  "content/articles/a.md:6:16: error: ref: no event 'x' is "
                                  "declared anywhere\n"),
    (COUNTRY_KEY_WITH_LINE_BREAK, "content/articles/a.md:7:20: error: "
                                  "events[1].citizenship.L\\u000aT: expected an ISO 3166-1 "
                                  "alpha-2 country code such as 'LT', got 'L\\nT'\n"),
    (CONTROL_CHARACTER, "content/articles/a.md:5:7: error: the character U+0001 cannot be in "
                        "front matter: remove it\n"),
], ids=["year 0", "December 9999", "key with a line break", "country with a line break",
        "control character"])
def test_what_fuzzing_found_is_one_error_line_each(files, printed):
    outcome = check_and_build(files)
    assert (outcome.code, outcome.printed) == (1, printed)


def test_unicode_line_separators_do_not_shift_positions():
    raised = check_and_build(UNICODE_LINE_SEPARATORS).raised
    # the unknown key 'foo' is on line 6 of the file
    assert [(d.line, d.message) for d, _ in raised if "unknown key" in d.message] == \
        [(6, "foo: unknown key")]
