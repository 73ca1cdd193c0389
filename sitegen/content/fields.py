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

    def __init__(self, message: str, node: Node, path: str = "", others: tuple = ()):
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


def shown(node: Node) -> str:
    """How a wrong value is quoted back in a message."""
    if node.kind == "mapping":
        return "a mapping"
    if node.kind == "list":
        return "a list"
    if node.value is None:
        return "nothing"
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
        raise Invalid(f"contains {code_point(found[0])}, which a web page or feed cannot "
                      "hold: remove it", node)
    found = INVISIBLE.search(value)
    if found:
        raise Invalid(f"contains the invisible character {code_point(found[0])}, "
                      "which can disguise text: remove it", node)
    return value


@schema({"type": "string", "minLength": 1})
def text(node: Node) -> str:
    if isinstance(node.value, str) and node.value.strip():
        return _visible(node, node.value)
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        raise Invalid(f"expected text, got the number {node.value} (put it in quotes)", node)
    raise Invalid(f"expected text, got {shown(node)}", node)


@schema({"type": "boolean"})
def boolean(node: Node) -> bool:
    if isinstance(node.value, bool):
        return node.value
    raise Invalid(f"expected true or false, got {shown(node)}", node)


@schema({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})
def slug(node: Node) -> str:
    value = text(node)
    if not SLUG.fullmatch(value):
        raise Invalid(f"expected a slug (lower-case letters, digits and single hyphens), "
                      f"got {shown(node)}", node)
    return value


@schema({"type": "string", "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", "maxLength": MAX_ID})
def event_id(node: Node) -> str:
    value = node.value if isinstance(node.value, str) else None
    if value is None or not EVENT_ID.fullmatch(value) or len(value) > MAX_ID:
        raise Invalid(f"expected an id of lower-case letters, digits and hyphens "
                      f"(at most {MAX_ID}), such as '2025-09-11-release-52', got {shown(node)}",
                      node)
    if not ID_ENDS.fullmatch(value):
        raise Invalid(f"an id must start and end with a letter or digit, got {shown(node)} "
                      "(a leading '-' makes a formula in spreadsheets that open ledger.csv)",
                      node)
    return value


MIN_YEAR, MAX_YEAR = 1000, 2999


def calendar_date(node: Node, year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})", node)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(f"{node.value!r} is not a date in the calendar", node) from None


def _ascii_digits(node: Node, value: str) -> None:
    other = next((c for c in value if c.isdigit() and not c.isascii()), None)
    if other is not None:
        raise Invalid(f"{shown(node)} has the digit {other!r} ({unicodedata.name(other, '?')}):"
                      " write dates with the digits 0-9", node)


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
            raise Invalid(f"{value!r} is not a valid date and time "
                          "(expected e.g. 2025-09-11T14:30:00+03:00)", node) from None
        if stamp.tzinfo is None:
            raise Invalid(f"{value!r} has a time but no offset: add one, e.g. +03:00", node)
        return stamp.date(), value
    raise Invalid(f"expected a date YYYY-MM-DD, got {shown(node)}", node)


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
            raise Invalid(f"{value!r} is not a month in the calendar", node)
        calendar_date(node, year, month, 1)
        return PartialDate(year, month)
    if _YEAR.fullmatch(value):
        calendar_date(node, int(value), 1, 1)
        return PartialDate(int(value))
    raise Invalid(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {shown(node)}", node)


def _whole(node: Node, what: str = "a whole number") -> int:
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(f"expected {what} >= 0, got {value}", node)
    raise Invalid(f"expected {what}, got {shown(node)}", node)


_COUNT_FORMS = "a whole number, {at_least: N} or {min: N, max: M}"


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
        raise Invalid(f"expected {_COUNT_FORMS}, got {shown(node)}", node)
    keys = set(node.value)
    for key in node.value:
        if key not in ("at_least", "min", "max"):
            raise Invalid(f"unknown key '{key}' in a count{did_you_mean(key, ('at_least', 'min', 'max'))}; "
                          f"expected {_COUNT_FORMS}", node.keys[key])
    if keys == {"at_least"}:
        return Interval(_sub(node, "at_least"), None)
    if keys == {"min", "max"}:
        lo, hi = _sub(node, "min"), _sub(node, "max")
        if lo > hi:
            raise Invalid(f"min {lo} is above max {hi}", node.value["min"], ".min")
        return Interval(lo, hi)
    missing = "max" if "min" in keys else "min" if "max" in keys else None
    hint = f": add '{missing}'" if missing else ""
    raise Invalid(f"expected {_COUNT_FORMS}{hint}", node)


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
        raise Invalid(f"country codes are upper case: write '{value.upper()}'", node)
    hint = suggest_code(value) if value else None
    raise Invalid(f"expected an ISO 3166-1 alpha-2 country code such as 'LT', got {shown(node)}"
                  + (f" (did you mean '{hint}'?)" if hint else ""), node)


def one_of(*choices: str) -> Reader:
    @schema({"type": "string", "enum": list(choices)})
    def read(node: Node) -> str:
        if isinstance(node.value, str) and node.value in choices:
            return node.value
        hint = did_you_mean(node.value, choices) if isinstance(node.value, str) else ""
        raise Invalid(f"expected one of {', '.join(choices)}, got {shown(node)}{hint}", node)
    return read


def list_of(item: Reader, min_items: int = 0, max_items: int | None = None) -> Reader:
    @schema({"type": "array", "items": item.schema, "minItems": min_items,
             **({"maxItems": max_items} if max_items is not None else {})})
    def read(node: Node) -> tuple:
        if node.kind != "list":
            raise Invalid(f"expected a list, got {shown(node)}", node)
        if len(node.value) < min_items:
            raise Invalid(f"expected at least {min_items} item{'s' * (min_items != 1)}", node)
        if max_items is not None and len(node.value) > max_items:
            raise Invalid(f"expected at most {max_items} items, got {len(node.value)}", node)
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
            raise Invalid(f"expected a mapping, got {shown(node)}", node)
        if max_items is not None and len(node.value) > max_items:
            raise Invalid(f"expected at most {max_items} keys, got {len(node.value)}", node)
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


@schema({"type": "string", "format": "uri", "pattern": "^https?://"})
def web_url(node: Node) -> str:
    value = node.value if isinstance(node.value, str) else ""
    try:
        parts = urlsplit(value) if value else None
        ok = bool(parts and parts.hostname)
    except ValueError:
        parts, ok = None, False
    if not ok or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        raise Invalid(f"expected an http:// or https:// address, got {shown(node)}", node)
    if "@" in parts.netloc:
        raise Invalid(f"the address has a user name before '@' ({shown(node)}): it shows "
                      f"one name and leads to {parts.hostname}; remove everything between "
                      "'//' and '@'", node)
    return _visible(node, value)


@schema(publication_date.schema)
def day(node: Node) -> dt.date:
    """A publication date without the time."""
    return publication_date(node)[0]
