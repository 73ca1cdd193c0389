"""Value readers for front matter: each takes a Node and returns a model value or raises Invalid.

Every reader carries `schema`, the JSON Schema of what it accepts, so the published
schema and the validator are one piece of code.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Callable
from urllib.parse import urlsplit

from .countries import is_country, suggest_code
from .diagnostics import did_you_mean
from .messages import NOTHING, Msg, msg
from .model import Interval, PartialDate
from .yamlstrict import Node

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
EVENT_ID = re.compile(r"[a-z0-9-]+")
# A cell that starts with '-' is read as a formula by spreadsheets (ledger.csv), and ids that
# start or end with '-' or are all hyphens are no one's intent: inside the contract's
# [a-z0-9-]+, the first and last characters must be a letter or digit.
ID_ENDS = re.compile(r"[a-z0-9](.*[a-z0-9])?", re.S)
MAX_ID = 100
# ASCII digits only: \d would take '２０２５-02-01' (full-width digits) into <time datetime>
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)


class Invalid(Exception):
    """A value is wrong; `node` is where, `path` the key path below the field (e.g. '.LT').

    A list or mapping with several bad items raises one Invalid whose `others` holds the rest.
    """

    def __init__(self, message: Msg, node: Node, path: str = "", others: tuple = ()):
        super().__init__(message)
        self.message, self.node, self.path, self.others = message, node, path, others

    def all(self) -> list["Invalid"]:
        return [self, *self.others]

    def under(self, prefix: str) -> "Invalid":
        """The same problems, with `prefix` put before each path."""
        first, *rest = [Invalid(e.message, e.node, prefix + e.path) for e in self.all()]
        return Invalid(first.message, first.node, first.path, tuple(rest))


def _gather(problems: list[Invalid]) -> Invalid:
    flat = [e for p in problems for e in p.all()]
    return Invalid(flat[0].message, flat[0].node, flat[0].path, tuple(flat[1:]))


Reader = Callable[[Node], Any]


def schema(s: dict) -> Callable[[Reader], Reader]:
    def attach(fn: Reader) -> Reader:
        fn.schema = s
        return fn
    return attach


def shown(node: Node) -> str | Msg:
    """How a wrong value is quoted back in a message."""
    if node.kind == "mapping":
        return msg("V-MAPPING")
    if node.kind == "list":
        return msg("V-LIST")
    if node.value is None:
        return msg("V-NOTHING")
    value = node.value
    if isinstance(value, str) and len(value) > 40:
        value = value[:37] + "..."
    return repr(value) if isinstance(value, str) else str(value).lower() \
        if isinstance(value, bool) else str(value)


# C0 controls but tab and line feed, DEL, C1 controls, the noncharacters (U+FDD0-U+FDEF and
# the last two code points of every plane) and lone surrogates: XML 1.0 forbids most of them
# and HTML calls them parse errors, and a YAML escape ("\x1b", "\uFFFE") would otherwise
# carry them into every page and feed. Shared with markdown.py, which drops them from bodies.
_CONTROL_BMP = "\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff\ufffe\uffff"
CONTROL = re.compile("[" + _CONTROL_BMP + "".join(chr(plane << 16 | 0xfffe)
                                                 + chr(plane << 16 | 0xffff)
                                                 for plane in range(1, 17)) + "]")
# The same set, and any character outside the BMP: a class of single astral characters makes
# the regex engine test every character of a text slowly (about 13 times slower on a Russian
# body), a class of one range does not. What this finds, CONTROL then confirms (or not).
MAYBE_CONTROL = re.compile("[" + _CONTROL_BMP + "\U00010000-\U0010ffff]")


def find_control(text: str) -> re.Match | None:
    """CONTROL.search(text), quickly: the exact set is looked for only from the first
    character that may belong to it."""
    maybe = MAYBE_CONTROL.search(text)
    return maybe and CONTROL.search(text, maybe.start())

# Characters that hide or reorder text (Trojan Source, a trusted name with a hidden
# difference): Unicode's Default_Ignorable_Code_Point and Bidi_Control properties
# (DerivedCoreProperties.txt, PropList.txt), with the line and paragraph separators and the
# interlinear annotation marks, which are format characters of the same effect. Allowed:
# U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER, which Persian, the Indic scripts
# and emoji need to spell names right, and the variation selectors U+FE00-U+FE0F (emoji and
# text presentation). README, "Where the contract is silent", says the same.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                       "\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f"
                       "\u3164\ufeff\uffa0\ufff0-\ufffb"
                       "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def code_point(char: str) -> str:
    """'U+001B (a control character)', 'U+200B (ZERO WIDTH SPACE)'."""
    n = ord(char)
    kind = "a noncharacter" if 0xfdd0 <= n <= 0xfdef or n & 0xfffe == 0xfffe else \
        "a surrogate" if 0xd800 <= n <= 0xdfff else "a control character"
    return f"U+{n:04X} ({unicodedata.name(char, kind)})"


def _visible(node: Node, value: str) -> str:
    found = find_control(value)
    if found:
        raise Invalid(msg("E-CONTROL-CHARACTER", char=code_point(found[0])), node)
    found = INVISIBLE.search(value)
    if found:
        raise Invalid(msg("E-INVISIBLE-CHARACTER", char=code_point(found[0])), node)
    return value


@schema({"type": "string", "minLength": 1})
def text(node: Node) -> str:
    if isinstance(node.value, str) and node.value.strip():
        return _visible(node, node.value)
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        raise Invalid(msg("E-NUMBER-NOT-TEXT", value=node.value), node)
    raise expected(node, msg("E-EXPECTED-TEXT", got=shown(node)))


def text_within(most: int) -> Reader:
    """Text of at most `most` characters. A title is shown wherever its events are listed
    (an untitled event by its article's title): without a bound, one long title made every
    list of a hundred events a hundred times longer."""
    @schema({"type": "string", "minLength": 1, "maxLength": most})
    def read(node: Node) -> str:
        value = text(node)
        if len(value) > most:
            raise Invalid(msg("E-TEXT-TOO-LONG", n=most, got=len(value)), node)
        return value
    return read


@schema({"type": "boolean"})
def boolean(node: Node) -> bool:
    if isinstance(node.value, bool):
        return node.value
    raise expected(node, msg("E-EXPECTED-BOOLEAN", got=shown(node)))


@schema({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})
def slug(node: Node) -> str:
    value = text(node)
    if not SLUG.fullmatch(value):
        raise expected(node, msg("E-EXPECTED-SLUG", got=shown(node)))
    return value


@schema({"type": "string", "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", "maxLength": MAX_ID})
def event_id(node: Node) -> str:
    value = node.value if isinstance(node.value, str) else None
    if value is None or not EVENT_ID.fullmatch(value) or len(value) > MAX_ID:
        raise expected(node, msg("E-EXPECTED-ID", max=MAX_ID, got=shown(node)))
    if not ID_ENDS.fullmatch(value):
        raise Invalid(msg("E-ID-ENDS", got=shown(node)), node)
    return value


MIN_YEAR, MAX_YEAR = 1000, 2999


def calendar_date(node: Node, year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(msg("E-YEAR-RANGE", year=str(year), min=str(MIN_YEAR),
                          max=str(MAX_YEAR)), node)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(msg("E-NOT-IN-CALENDAR", value=repr(node.value)), node) from None


def _ascii_digits(node: Node, value: str) -> None:
    other = next((c for c in value if c.isdigit() and not c.isascii()), None)
    if other is not None:
        raise Invalid(msg("E-DATE-DIGITS", value=shown(node), digit=repr(other),
                          name=unicodedata.name(other, '?')), node)


@schema({"type": "string",
         "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$"})
def publication_date(node: Node) -> tuple[dt.date, str]:
    """YYYY-MM-DD, or an ISO datetime with an offset; returns (date, as written)."""
    value = node.value if isinstance(node.value, str) else ""
    _ascii_digits(node, value)
    day = _DAY.fullmatch(value)
    if day:
        return calendar_date(node, *map(int, day.groups())), value
    if _DAY.match(value) and len(value) > 10:
        try:
            stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(msg("E-NOT-A-DATETIME", value=repr(value)), node) from None
        if stamp.tzinfo is None:
            raise Invalid(msg("E-DATETIME-NO-OFFSET", value=repr(value)), node)
        return stamp.date(), value
    raise expected(node, msg("E-EXPECTED-DATE", got=shown(node)))


@schema({"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"})
def partial_date(node: Node) -> PartialDate:
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)
    value = value if isinstance(value, str) else ""
    _ascii_digits(node, value)
    if match := _DAY.fullmatch(value):
        d = calendar_date(node, *map(int, match.groups()))
        return PartialDate(d.year, d.month, d.day)
    if match := _MONTH.fullmatch(value):
        year, month = map(int, match.groups())
        if not 1 <= month <= 12:
            raise Invalid(msg("E-NOT-A-MONTH", value=repr(value)), node)
        calendar_date(node, year, month, 1)
        return PartialDate(year, month)
    if _YEAR.fullmatch(value):
        calendar_date(node, int(value), 1, 1)
        return PartialDate(int(value))
    raise expected(node, msg("E-EXPECTED-PARTIAL-DATE", got=shown(node)))


def _whole(node: Node) -> int:
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(msg("E-NEGATIVE", value=str(value)), node)
    raise expected(node, msg("E-EXPECTED-WHOLE", got=shown(node)))


def expected(node: Node, problem: Msg) -> Invalid:
    """The problem of a value of the wrong kind; for a list where one value belongs (a
    key followed by '- ' lines), a message that says so and how to write it."""
    if node.kind == "list":
        return Invalid(msg("E-LIST-FOR-VALUE", problem=problem), node)
    return Invalid(problem, node)


@schema({"oneOf": [
    {"type": "integer", "minimum": 0},
    {"type": "object", "properties": {"at_least": {"type": "integer", "minimum": 0}},
     "required": ["at_least"], "additionalProperties": False},
    {"type": "object", "properties": {"min": {"type": "integer", "minimum": 0},
                                      "max": {"type": "integer", "minimum": 0}},
     "required": ["min", "max"], "additionalProperties": False}]})
def count(node: Node) -> Interval:
    if node.kind != "mapping":
        if node.kind == "scalar" and isinstance(node.value, int) and not isinstance(node.value, bool):
            return Interval.exact(_whole(node))
        raise expected(node, msg("E-EXPECTED-COUNT", got=shown(node)))
    keys = set(node.value)
    for key in node.value:
        if key not in ("at_least", "min", "max"):
            raise Invalid(msg("E-COUNT-KEY", key=key,
                              hint=did_you_mean(key, ('at_least', 'min', 'max'))), node.keys[key])
    if keys == {"at_least"}:
        return Interval(_sub(node, "at_least"), None)
    if keys == {"min", "max"}:
        lo, hi = _sub(node, "min"), _sub(node, "max")
        if lo > hi:
            raise Invalid(msg("E-MIN-ABOVE-MAX", min=str(lo), max=str(hi)), node.value["min"],
                          ".min")
        return Interval(lo, hi)
    missing = "max" if "min" in keys else "min" if "max" in keys else None
    raise Invalid(msg("E-COUNT-INCOMPLETE", hint=msg("H-ADD-KEY", key=missing)
                      if missing else NOTHING), node)


def _sub(node: Node, key: str) -> int:
    try:
        return _whole(node.value[key])
    except Invalid as exc:
        raise Invalid(exc.message, exc.node, f".{key}") from None


@schema({"type": "string", "pattern": "^[A-Z]{2}$"})
def country(node: Node) -> str:
    value = node.value if isinstance(node.value, str) else None
    if value is not None and is_country(value):
        return value
    if value is not None and is_country(value.upper()):
        raise Invalid(msg("E-COUNTRY-CASE", code=value.upper()), node)
    hint = suggest_code(value) if value else None
    raise expected(node, msg("E-EXPECTED-COUNTRY", got=shown(node), hint=msg(
        "H-DID-YOU-MEAN", word=hint) if hint else NOTHING))


def one_of(*choices: str) -> Reader:
    @schema({"type": "string", "enum": list(choices)})
    def read(node: Node) -> str:
        if isinstance(node.value, str) and node.value in choices:
            return node.value
        hint = did_you_mean(node.value, choices) if isinstance(node.value, str) else NOTHING
        raise expected(node, msg("E-EXPECTED-CHOICE", choices=", ".join(choices),
                                 got=shown(node), hint=hint))
    return read


def list_of(item: Reader, min_items: int = 0, max_items: int | None = None) -> Reader:
    @schema({"type": "array", "items": item.schema, "minItems": min_items,
             **({"maxItems": max_items} if max_items is not None else {})})
    def read(node: Node) -> tuple:
        if node.kind != "list":
            raise Invalid(msg("E-EXPECTED-LIST", got=shown(node)), node)
        if len(node.value) < min_items:
            raise Invalid(msg("E-TOO-FEW-ITEMS", n=min_items), node)
        if max_items is not None and len(node.value) > max_items:
            raise Invalid(msg("E-TOO-MANY-ITEMS", n=max_items, got=len(node.value)), node)
        out, problems = [], []
        for i, child in enumerate(node.value, 1):
            try:
                out.append(item(child))
            except Invalid as exc:
                problems.append(exc.under(f"[{i}]"))
        if problems:
            raise _gather(problems)
        return tuple(out)
    return read


def map_of(key: Reader, value: Reader, max_items: int | None = None) -> Reader:
    @schema({"type": "object", "propertyNames": key.schema, "additionalProperties": value.schema,
             **({"maxProperties": max_items} if max_items is not None else {})})
    def read(node: Node) -> tuple:
        if node.kind != "mapping":
            raise Invalid(msg("E-EXPECTED-MAPPING", got=shown(node)), node)
        if max_items is not None and len(node.value) > max_items:
            raise Invalid(msg("E-TOO-MANY-KEYS", n=max_items, got=len(node.value)), node)
        out, problems = [], []
        for name, child in node.value.items():
            try:
                out.append((key(node.keys[name]), value(child)))
            except Invalid as exc:
                problems.append(exc.under(f".{name}"))
        if problems:
            raise _gather(problems)
        return tuple(sorted(out))
    return read


# a source's address is shown on the page of every event its article reports (content/ has
# none over 160 characters)
MAX_URL = 300


@schema({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": MAX_URL})
def web_url(node: Node) -> str:
    value = node.value if isinstance(node.value, str) else ""
    if len(value) > MAX_URL:
        raise Invalid(msg("E-TEXT-TOO-LONG", n=MAX_URL, got=len(value)), node)
    try:
        parts = urlsplit(value) if value else None
        ok = bool(parts and parts.hostname)
    except ValueError:
        parts, ok = None, False
    if not ok or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        raise expected(node, msg("E-EXPECTED-URL", got=shown(node)))
    if "@" in parts.netloc:
        raise Invalid(msg("E-URL-USERINFO", value=shown(node), host=parts.hostname), node)
    return _visible(node, value)


@schema(publication_date.schema)
def day(node: Node) -> dt.date:
    """A publication date without the time."""
    return publication_date(node)[0]
