"""Front matter -> model: articles with their events, free pages and country intros.

Each parse_* function reads one SourceFile and returns the model value (or None when
nothing usable could be read) with every problem found in that file.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from . import fields as f
from .config import Config
from .countries import is_country
from .diagnostics import ERROR, WARNING, Diagnostic, did_you_mean
from .markdown import render_markdown
from .scaffold import placeholder_lines
from .messages import NOTHING, Msg, msg
from .model import Article, CountryIntro, Event, EventRef, Page, Position, Source
from .source import SourceFile
from .yamlstrict import Node, YamlError, parse_yaml

KINDS = ("release", "negotiation", "statement", "snapshot")
STATUSES = ("confirmed", "reported", "disputed", "retracted")
MECHANISMS = ("pardon", "exchange", "sentence_served", "deportation", "other")
# what one article or event may name: above what reports need (content/ has at most 7
# events and 4 sources an article, 8 citizenships and 4 parties an event), low enough that
# the pages a file makes grow with it, not with a product of its lists (an event is listed
# on the page of every country it names, an article's sources on the page of every event)
MAX_EVENTS = 20
MAX_SOURCES = 10
MAX_COUNTRIES = 15
# an article's sources are shown on the page of each event it declares or references: the
# times they are shown in all, sources x events (content/ has at most 8)
MAX_SOURCES_SHOWN = 20
# the countries one event names in all (bounds.py checks it; each country's page lists it):
# its parties, citizenships, `from` and `destination`, with the citizenships and destinations
# of the releases that are part of it, which its page and its countries' pages show as its
# own (content/ names at most 9)
MAX_NAMED = 16
# a title, a publisher, a name: a line, shown on many pages (content/ has none over 100)
MAX_LINE = 200
_LINE = f.text_within(MAX_LINE)
_ALL = frozenset(KINDS)
_RELEASE = frozenset({"release"})


@dataclass(frozen=True)
class Field:
    read: f.Reader
    required: bool = False
    kinds: frozenset = _ALL          # event kinds the key applies to
    required_for: frozenset = frozenset()
    doc: str = ""


SOURCE_FIELDS = {
    "url": Field(f.web_url, True, doc="address of the report (http or https)"),
    "publisher": Field(_LINE, True, doc=f"who published it (at most {MAX_LINE} characters)"),
    "title": Field(_LINE, doc=f"the report's headline (at most {MAX_LINE} characters)"),
    "date": Field(f.day, doc="when it was published, YYYY-MM-DD"),
}


def record_schema(spec: dict[str, Field]) -> dict:
    """The JSON Schema of a mapping read by `spec`."""
    return {"type": "object", "additionalProperties": False,
            "required": [k for k, rule in spec.items() if rule.required],
            "properties": {k: {**rule.read.schema, "description": rule.doc} if rule.doc
                           else rule.read.schema for k, rule in spec.items()}}


def _items(item_schema: dict) -> f.Reader:
    """Passes list items through whole: FileReport.mapping reads each one."""
    @f.schema(item_schema)
    def read(node: Node) -> Node:
        return node
    return read


def language(languages: tuple[str, ...]) -> f.Reader:
    return f.one_of(*languages)


# The language of a value written without one: the article's (resolved in _event_item).
OWN_LANG = ""


def per_language(languages: tuple[str, ...], value: f.Reader = f.text) -> f.Reader:
    """A value, or a map language -> value: ((lang, value), ...), OWN_LANG for a plain one."""
    per_lang = f.map_of(language(languages), value)

    @f.schema({"oneOf": [value.schema, per_lang.schema]})
    def read(node: Node) -> tuple[tuple[str, Any], ...]:
        if node.kind == "mapping":
            return per_lang(node)
        return ((OWN_LANG, value(node)),)
    return read


def names_reader(languages: tuple[str, ...]) -> f.Reader:
    """A list of names, or a map language -> list: the same people in the same order."""
    inner = per_language(languages, f.list_of(_LINE))

    @f.schema(inner.schema)
    def read(node: Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
        value = inner(node)
        if node.kind == "mapping" and len({len(names) for _, names in value}) > 1:
            first, first_names = value[0]
            problems = [f.Invalid(msg("E-NAMES-DIFFER", n=len(names), first=first,
                                      first_count=len(first_names)), node.value[lang], f".{lang}")
                        for lang, names in value[1:] if len(names) != len(first_names)]
            raise f.Invalid(problems[0].message, problems[0].node, problems[0].path,
                            tuple(problems[1:]))
        return value
    return read


def event_fields(config: Config) -> dict[str, Field]:
    return _event_fields(config.languages)


def article_fields(config: Config) -> dict[str, Field]:
    return _article_fields(config.languages)


# the rules depend on the site's languages alone: made once, not for every file (they cost
# as much as a tenth of parsing an article)
@lru_cache(maxsize=16)
def _event_fields(languages: tuple[str, ...]) -> dict[str, Field]:
    return {
        "id": Field(f.event_id, True, doc="unique id, e.g. 2025-09-11-release-52"),
        "date": Field(f.partial_date, True, doc="YYYY-MM-DD, YYYY-MM or YYYY"),
        "kind": Field(f.one_of(*KINDS), True, doc="release, negotiation, statement or snapshot"),
        "title": Field(per_language(languages, _LINE),
                       doc=f"text, or a map language -> text (at most {MAX_LINE} characters)"),
        "status": Field(f.one_of(*STATUSES),
                        doc="confirmed, reported, disputed or retracted; required on a release "
                            "without part_of (a part inherits its root's)"),
        "released": Field(f.count, kinds=_RELEASE, required_for=_RELEASE,
                          doc="count of people freed"),
        "citizenship": Field(f.map_of(f.country, f.count, MAX_COUNTRIES), kinds=_RELEASE,
                             doc=f"country code -> count (at most {MAX_COUNTRIES})"),
        "from": Field(f.country, kinds=_RELEASE, doc="country that held them"),
        "destination": Field(f.country, kinds=_RELEASE,
                             doc="country they were sent to; the releasing country (`from`) "
                                 "itself: freed inside it, they stayed"),
        "mechanism": Field(f.one_of(*MECHANISMS), kinds=_RELEASE, doc="how they were freed"),
        "part_of": Field(f.event_id, kinds=_RELEASE, doc="id of the larger release"),
        "distinct_from": Field(f.list_of(f.event_id, 1), kinds=_RELEASE,
                               doc="ids of releases with the same date and count that are not "
                                   "this release (silences the probable-duplicate warning)"),
        "people": Field(f.count, kinds=frozenset({"negotiation", "statement"}),
                        doc="count of people the talks or statement concern"),
        "held": Field(f.count, kinds=frozenset({"snapshot"}), required_for=frozenset({"snapshot"}),
                      doc="political prisoners still held on that date"),
        "countries": Field(f.list_of(f.country, 0, MAX_COUNTRIES),
                           doc=f"other countries involved as parties (at most {MAX_COUNTRIES}; "
                               f"with citizenship, from, destination and its parts' countries, "
                               f"at most {MAX_NAMED} in all)"),
        "names": Field(names_reader(languages),
                       doc="notable people concerned: a list, or a map language -> list "
                           "(the same people in the same order)"),
        "note": Field(per_language(languages), doc="short plain text, or a map language -> text"),
    }


@lru_cache(maxsize=16)
def _article_fields(languages: tuple[str, ...]) -> dict[str, Field]:
    return {
        "title": Field(_LINE, True, doc=f"headline (at most {MAX_LINE} characters)"),
        "date": Field(f.publication_date, True, doc="publication date, YYYY-MM-DD"),
        "lang": Field(language(languages), doc="language; default: the site's first"),
        "summary": Field(f.text, doc="plain text; default: the first paragraph"),
        "sources": Field(f.list_of(_items(record_schema(SOURCE_FIELDS)), 1, MAX_SOURCES), True,
                         doc=f"at least one {{url, publisher}}, at most {MAX_SOURCES}"),
        "tags": Field(f.list_of(f.slug), doc="list of slugs"),
        "draft": Field(f.boolean, doc="true: built only with --drafts"),
        "translation_key": Field(f.text, doc="shared by translations of one article"),
        "events": Field(f.list_of(_items({"oneOf": [
            {"type": "object", "properties": {"ref": f.event_id.schema}, "required": ["ref"],
             "additionalProperties": False},
            record_schema(_event_fields(languages))]}), 0, MAX_EVENTS),
            doc=f"events declared or referenced, at most {MAX_EVENTS}; sources x events at "
                f"most {MAX_SOURCES_SHOWN} (each event's page shows the article's sources)"),
    }


@dataclass
class FileReport:
    """The problems found in one file."""

    path: str
    problems: list[Diagnostic] = dc_field(default_factory=list)

    def add(self, node: Node | Position, message: Msg, severity: str = ERROR) -> None:
        self.problems.append(Diagnostic(self.path, node.line, node.col, severity, message))

    def pos(self, node: Node) -> Position:
        return Position(self.path, node.line, node.col)

    def mapping(self, node: Node, spec: dict[str, Field], prefix: str = "",
                kind: str | None = None, what: str = "") -> dict[str, Any]:
        """Read the keys of `node` by `spec`; report unknown, misplaced, missing and bad ones."""
        if node.kind != "mapping":
            self.add(node, msg("E-EXPECTED-KEYS", field=prefix.rstrip('.') or what,
                               got=f.shown(node)))
            return {}
        values: dict[str, Any] = {}
        suggested = set()
        for key, child in node.value.items():
            rule = spec.get(key)
            if rule is None:
                hint = did_you_mean(key, spec)
                suggested.add(hint.get("word"))
                self.add(node.keys[key], msg("E-UNKNOWN-KEY", field=prefix + key, hint=hint))
                continue
            if kind in KINDS and kind not in rule.kinds:
                self.add(node.keys[key], msg("E-KEY-NOT-ON-KIND", field=prefix + key, kind=kind,
                                             kinds=" and ".join(sorted(rule.kinds))))
                continue
            try:
                values[key] = rule.read(child)
            except f.Invalid as exc:
                for problem in exc.all():
                    self.add(problem.node, msg("F-FIELD", field=f"{prefix}{key}{problem.path}",
                                               problem=problem.message))
        for key, rule in spec.items():
            needed = rule.required or (kind in rule.required_for)
            if needed and key not in node.value and key not in suggested:
                self.add(node, msg("E-MISSING-KEY", field=prefix.rstrip('.') or what, key=key,
                                   hint=msg("H-REQUIRED-ON", kind=kind)
                                   if kind in rule.required_for else NOTHING))
        return values


def read_front_matter(src: SourceFile, report: FileReport) -> Node | None:
    """The front matter as a mapping Node, or None (with the problem reported)."""
    try:
        node = parse_yaml(src.front_matter or "", src.front_matter_line)
    except YamlError as exc:
        report.add(Position(src.path, exc.line, exc.col), exc.problem)
        return None
    if node is None:
        report.add(Position(src.path, max(1, src.front_matter_line - 1), 1),
                   msg("E-FRONT-MATTER-EMPTY"))
        return None
    if node.kind != "mapping":
        report.add(node, msg("E-FRONT-MATTER-NOT-MAPPING", got=f.shown(node)))
        return None
    return node


def parse_article(src: SourceFile, config: Config
                  ) -> tuple[Article | None, str, list[Diagnostic]]:
    report = FileReport(src.path)
    if not f.SLUG.fullmatch(src.stem):
        report.add(Position(src.path, 1, 1), msg("E-ARTICLE-NAME", name=f"{src.stem}.md"))
    node = read_front_matter(src, report)
    if node is None:
        return None, "", report.problems
    values = report.mapping(node, article_fields(config), what="front matter")
    sources = tuple(_source(report, item, i) for i, item in enumerate(values.get("sources", ()), 1))
    events, refs, unreadable = [], [], []
    for i, item in enumerate(values.get("events", ()), 1):
        parsed = _event_item(report, item, i, src.stem, config,
                             values.get("lang", config.default_language))
        if isinstance(parsed, Event):
            events.append(parsed)
        elif isinstance(parsed, EventRef):
            refs.append(parsed)
        elif isinstance(parsed, str):
            unreadable.append(parsed)
    shown = len(values.get("sources", ())) * len(values.get("events", ()))
    if shown > MAX_SOURCES_SHOWN:
        report.add(node.keys["events"], msg("E-SOURCES-SHOWN", n=MAX_SOURCES_SHOWN, got=shown,
                                            sources=len(values["sources"]),
                                            events=len(values["events"])))
    date, published = values.get("date", (None, ""))
    _placeholders(report, src, config)
    body = render_markdown(src.body, config.base_path)
    article = Article(
        slug=src.stem, path=src.path, title=values.get("title", ""), date=date,
        published=published, lang=values.get("lang", config.default_language),
        sources=tuple(s for s in sources if s is not None),
        body_line=src.body_line,
        summary=values.get("summary") or body.summary, tags=values.get("tags", ()),
        draft=values.get("draft", False), translation_key=values.get("translation_key"),
        events=tuple(events), refs=tuple(refs), unreadable=tuple(unreadable), pos=Position(src.path, 1, 1))
    if "events" not in values or not values["events"]:
        at = node.keys.get("events", node)
        report.add(at if at is not node else Position(src.path, 1, 1),
                   msg("W-NO-EVENTS"), WARNING)
    return article, body.html, report.problems


def _placeholders(report: FileReport, src: SourceFile, config: Config) -> None:
    """The scaffold's placeholder body left in: a warning at its first line (an error under
    --strict), so that template text is never published."""
    known = placeholder_lines(config.root)
    for i, line in enumerate(src.body.split("\n")):
        if line.strip() in known:
            report.add(Position(src.path, src.body_line + i, 1), msg("W-PLACEHOLDER-TEXT"),
                       WARNING)
            return


# the documentation domains (RFC 2606): a source there is a placeholder left in
EXAMPLE_HOSTS = ("example.org", "example.com", "example.net")


def _source(report: FileReport, node: Node, i: int) -> Source | None:
    values = report.mapping(node, SOURCE_FIELDS, prefix=f"sources[{i}].", what=f"sources[{i}]")
    host = (urlsplit(values["url"]).hostname or "").rstrip(".") if "url" in values else ""
    if host in EXAMPLE_HOSTS or host.endswith(tuple("." + h for h in EXAMPLE_HOSTS)):
        report.add(node.value["url"], msg("W-EXAMPLE-SOURCE", field=f"sources[{i}].url",
                                          host=host), WARNING)
    if "url" not in values or "publisher" not in values:
        return None
    return Source(values["url"], values["publisher"], values.get("title"), values.get("date"))


def _in_lang(pairs: tuple, lang: str) -> tuple:
    """A per-language value with a plain one put in the article's language."""
    return tuple(sorted((lang if k == OWN_LANG else k, v) for k, v in pairs))


def _event_item(report: FileReport, node: Node, i: int, slug: str, config: Config, lang: str):
    prefix = f"events[{i}]."
    if node.kind == "mapping" and "ref" in node.value:
        extra = [k for k in node.value if k != "ref"]
        if extra:
            report.add(node.keys[extra[0]], msg("E-REF-WITH-FACTS", field=prefix + extra[0]))
        try:
            return EventRef(f.event_id(node.value["ref"]), slug, report.pos(node.value["ref"]))
        except f.Invalid as exc:
            report.add(exc.node, msg("F-FIELD", field=f"{prefix}ref", problem=exc.message))
            return None
    kind_node = node.value.get("kind") if node.kind == "mapping" else None
    kind = kind_node.value if kind_node is not None and kind_node.value in KINDS else None
    before = len(report.problems)
    values = report.mapping(node, event_fields(config), prefix, kind=kind, what=f"events[{i}]")
    if kind == "release" and "status" not in node.value and "part_of" not in node.value:
        report.add(node, msg("E-MISSING-STATUS", field=f"events[{i}]"))
    if len(report.problems) > before or kind is None:
        return values.get("id")
    cit = values.get("citizenship", ())
    return Event(
        id=values["id"], date=values["date"], kind=kind, article=slug,
        title=_in_lang(values.get("title", ()), lang), status=values.get("status"),
        released=values.get("released"), citizenship=cit,
        from_country=values.get("from", config.releasing_country if kind == "release" else None),
        destination=values.get("destination"), mechanism=values.get("mechanism"),
        part_of=values.get("part_of"), distinct_from=values.get("distinct_from", ()),
        people=values.get("people"), held=values.get("held"),
        countries=values.get("countries", ()), names=_in_lang(values.get("names", ()), lang),
        note=_in_lang(values.get("note", ()), lang), pos=report.pos(node),
        key_pos=tuple((k, report.pos(v)) for k, v in node.keys.items())
        + _item_positions(report, node, "distinct_from"))


def _item_positions(report: FileReport, node: Node, key: str) -> tuple:
    """(key[i], Position) of each item of a list value, for diagnostics about one item."""
    items = node.value.get(key)
    if items is None or items.kind != "list":
        return ()
    return tuple((f"{key}[{i}]", report.pos(item)) for i, item in enumerate(items.value, 1))


# a free page's title is its label in the menu of every page
MAX_MENU_TITLE = 40
PAGE_FIELDS = {"title": Field(f.text_within(MAX_MENU_TITLE), True,
                              doc=f"page title, its label in the menu (at most {MAX_MENU_TITLE} "
                                  "characters)")}
INTRO_FIELDS: dict[str, Field] = {}


def _lang_from_name(src: SourceFile, config: Config, report: FileReport) -> tuple[str, str]:
    """'about.en' -> ('about', 'en'); 'about' -> ('about', default language)."""
    name, _, lang = src.stem.rpartition(".")
    if not name:
        return src.stem, config.default_language
    if lang not in config.languages:
        report.add(Position(src.path, 1, 1), msg("E-NAME-LANG", name=f"{src.stem}.md", lang=lang,
                                                 languages=", ".join(config.languages)))
    return name, lang


def parse_page(src: SourceFile, config: Config, reserved: frozenset[str]) -> tuple[Page | None, list[Diagnostic]]:
    report = FileReport(src.path)
    slug, lang = _lang_from_name(src, config, report)
    if not f.SLUG.fullmatch(slug):
        report.add(Position(src.path, 1, 1), msg("E-PAGE-NAME", name=f"{src.stem}.md"))
    elif slug in reserved:
        report.add(Position(src.path, 1, 1), msg("E-PAGE-RESERVED", slug=slug))
    node = read_front_matter(src, report)
    if node is None:
        return None, report.problems
    values = report.mapping(node, {**PAGE_FIELDS, "lang": Field(language(config.languages))},
                            what="front matter")
    lang = _check_lang(report, node, values, lang, src)
    if report.problems:
        return None, report.problems
    return Page(slug, src.path, values["title"], lang, src.body, src.body_line,
                render_markdown(src.body, config.base_path).html), report.problems


def parse_intro(src: SourceFile, config: Config) -> tuple[CountryIntro | None, list[Diagnostic]]:
    report = FileReport(src.path)
    code, lang = _lang_from_name(src, config, report)
    if not is_country(code.upper()) or code != code.lower():
        report.add(Position(src.path, 1, 1), msg("E-INTRO-NAME", name=f"{src.stem}.md"))
    values: dict = {}
    node = None
    if src.front_matter is not None:
        node = read_front_matter(src, report)
        if node is None:
            return None, report.problems
        values = report.mapping(node, {"lang": Field(language(config.languages))},
                                what="front matter")
        lang = _check_lang(report, node, values, lang, src)
    if report.problems:
        return None, report.problems
    return CountryIntro(code.upper(), src.path, lang, src.body, src.body_line,
                        render_markdown(src.body, config.base_path).html), report.problems


def _check_lang(report: FileReport, node: Node, values: dict, lang: str, src: SourceFile) -> str:
    if "lang" in values and "." in src.stem and values["lang"] != lang:
        report.add(node.value["lang"], msg("E-LANG-DIFFERS", lang=values["lang"], name_lang=lang))
    return values.get("lang", lang)
