"""Strict YAML for front matter: plain data with positions, nothing YAML 1.1 would guess.

Only `true`/`false` are booleans, only decimal digits make a number, `NO`, `yes`, `on`
and dates stay strings (dates are checked by our own code). Tags, anchors, aliases,
duplicate keys, non-string keys and deep nesting are errors. Built from libyaml's event
stream, so no YAML constructor ever runs.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .messages import Msg, msg

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 20
MAX_DIGITS = 15

_LF = re.compile("\n")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with the 1-based line and column where it starts in the file.

    `value` is a str, int, float, bool or None for scalars, a list of Nodes for a
    sequence, a dict of str -> Node for a mapping (then `keys` holds the key Nodes).
    """

    value: Any
    line: int
    col: int
    keys: dict[str, "Node"] | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "list"
        return "scalar"

    def plain(self) -> Any:
        """The value with every Node unwrapped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class YamlError(Exception):
    """Front matter that is not the YAML we read; `problem` is a messages.Msg."""

    def __init__(self, problem: Msg, line: int, col: int):
        super().__init__(problem.code)
        self.problem, self.line, self.col = problem, line, col


class _Places:
    """File line and column of a character index, counting only LF as a line break
    (libyaml also counts U+0085, U+2028 and U+2029; its own line numbers would drift)."""

    def __init__(self, text: str, first_line: int):
        self.breaks = [m.start() for m in _LF.finditer(text)]
        self.first_line = first_line

    def __call__(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_left(self.breaks, index)
        start = self.breaks[row - 1] + 1 if row else 0
        return self.first_line + row, index - start + 1


def parse_yaml(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document; `first_line` is the file line the text starts on.

    Returns None for an empty document. Raises YamlError with a file position.
    """
    places = _Places(text, first_line)
    events = _events(text, places)
    builder = _Builder(events, places)
    node = builder.document()
    _list_without_dashes(text, first_line)
    return node


def _events(text: str, places: _Places):
    try:
        return list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise explain(text, places, exc) from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line, col = places(exc.position)
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        raise YamlError(msg("E-YAML-CHARACTER", char=char), line, col) from None
    except yaml.YAMLError:
        raise YamlError(msg("E-YAML-SYNTAX", line=places.first_line), places.first_line, 1) \
            from None


# Where a contributor's usual slips show in the lines up to libyaml's complaint. libyaml's
# own words ("mapping values are not allowed in this context") name its parser's state,
# not the slip: they are never shown.
_TAB_INDENT = re.compile(r"[ ]*\t")
_DASH_NO_SPACE = re.compile(r"\s*(-)[^\s-]")
_COLON_NO_SPACE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s/])")
_KEY_VALUE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):[ ]+(?=\S)")


def explain(text: str, places: _Places, exc) -> YamlError:
    """The slip behind a libyaml error, at its line, with the fix."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    line, col = places(mark.index) if mark else (places.first_line, 1)
    row = line - places.first_line
    context = exc.context or ""
    if "quoted scalar" in context and exc.context_mark is not None:
        at_line, at_col = places(exc.context_mark.index)
        quote = text[exc.context_mark.index:exc.context_mark.index + 1]
        return YamlError(msg("E-YAML-QUOTE", quote=quote), at_line, at_col)
    for i, before in enumerate(lines[:row + 1]):
        if _TAB_INDENT.match(before):
            return YamlError(msg("E-YAML-TAB"), places.first_line + i, before.index("\t") + 1)
    for i, before in enumerate(lines[:row + 1]):
        dash = _DASH_NO_SPACE.match(before)
        if dash and not before.startswith("---"):
            return YamlError(msg("E-YAML-DASH-SPACE"), places.first_line + i, dash.start(1) + 1)
    for i, before in enumerate(lines[:row + 1]):
        glued = _COLON_NO_SPACE.match(before)
        if glued:
            return YamlError(msg("E-YAML-COLON-SPACE", key=glued[1]), places.first_line + i,
                             glued.end() + 1)
    problem = exc.problem or ""
    if "mapping values are not allowed" in problem and 0 <= row < len(lines):
        before = _missing_colon(text, row)
        if before is not None:
            return YamlError(msg("E-YAML-MISSING-COLON", line=before + places.first_line),
                             before + places.first_line, 1)
        pair = _KEY_VALUE.match(lines[row])
        if pair:
            value = lines[row][pair.end():].rstrip()
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return YamlError(msg("E-YAML-COLON-IN-VALUE", key=pair[1], quoted=quoted),
                             line, pair.end() + 1)
    if "flow sequence" in context or "flow mapping" in context:
        started = places(exc.context_mark.index) if exc.context_mark else (line, col)
        closing = "]" if "sequence" in context else "}"
        return YamlError(msg("E-YAML-FLOW", closing=closing, line=started[0]), line, col)
    return YamlError(msg("E-YAML-SYNTAX", line=line), line, col)


def _list_without_dashes(text: str, first_line: int) -> None:
    """'tags:' then '  -a' reads as the text '-a', not a list: a slip, said as one."""
    previous = ""
    for i, line in enumerate(text.split("\n")):
        dash = _DASH_NO_SPACE.match(line)
        if dash and not line.startswith("---") and previous.rstrip().endswith(":"):
            raise YamlError(msg("E-YAML-DASH-SPACE"), first_line + i, dash.start(1) + 1)
        if line.strip():
            previous = line


def _missing_colon(text: str, line: int) -> int | None:
    """The 0-based line before `line` if it looks like a key whose ':' was forgotten."""
    lines = text.splitlines()
    i = line - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    if i < 0 or ":" in lines[i] or lines[i].lstrip().startswith(("-", "#", "'", '"')):
        return None
    return i if re.match(r"\s*[A-Za-z_][\w-]* \S", lines[i]) else None


class _Builder:
    def __init__(self, events: list, places: _Places):
        self.events = events
        self.pos = 0
        self.places = places

    def _where(self, event) -> tuple[int, int]:
        return self.places(event.start_mark.index)

    def _next(self):
        event = self.events[self.pos]
        self.pos += 1
        return event

    def document(self) -> Node | None:
        nodes = []
        while self.pos < len(self.events):
            event = self._next()
            if isinstance(event, yaml.DocumentStartEvent):
                if nodes:
                    raise YamlError(msg("E-YAML-SECOND-DOCUMENT"), *self._where(event))
                if isinstance(self.events[self.pos], yaml.DocumentEndEvent):
                    nodes.append(None)
                else:
                    nodes.append(self.node(self._next(), 0))
        return nodes[0] if nodes else None

    def node(self, event, depth: int) -> Node:
        line, col = self._where(event)
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(msg("E-YAML-ALIAS", name=f"*{event.anchor}"), line, col)
        if getattr(event, "anchor", None):
            raise YamlError(msg("E-YAML-ANCHOR", name=f"&{event.anchor}"), line, col)
        if _explicit_tag(event):
            raise YamlError(msg("E-YAML-TAG", tag=event.tag), line, col)
        if depth > MAX_DEPTH:
            raise YamlError(msg("E-YAML-DEPTH", max=MAX_DEPTH), line, col)
        if isinstance(event, yaml.ScalarEvent):
            return Node(self.scalar(event, line, col), line, col)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
                items.append(self.node(self._next(), depth + 1))
            self.pos += 1
            return Node(items, line, col)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(line, col, depth)
        raise YamlError(msg("E-YAML-SYNTAX", line=line), line, col)  # pragma: no cover

    def mapping(self, line: int, col: int, depth: int) -> Node:
        values: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        while not isinstance(self.events[self.pos], yaml.MappingEndEvent):
            key = self.node(self._next(), depth + 1)
            if not isinstance(key.value, str):
                shown = msg("V-LIST") if key.kind == "list" else msg("V-MAPPING") \
                    if key.kind == "mapping" else repr(key.plain())
                if key.kind != "scalar" or key.value is None or isinstance(key.value, bool):
                    raise YamlError(msg("E-YAML-KEY-NOT-NAME", got=shown), key.line, key.col)
                key = Node(self._raw(key), key.line, key.col)
            if key.value in keys:
                first = keys[key.value]
                raise YamlError(msg("E-YAML-DUPLICATE-KEY", key=key.value, line=first.line),
                                key.line, key.col)
            keys[key.value] = key
            values[key.value] = self.node(self._next(), depth + 1)
        self.pos += 1
        return Node(values, line, col, keys)

    def _raw(self, key: Node) -> str:
        event = self.events[self.pos - 1]
        return event.value if isinstance(event, yaml.ScalarEvent) else str(key.value)

    @staticmethod
    def scalar(event, line: int, col: int) -> Any:
        value = event.value
        if event.style not in (None, "") or not event.implicit[0]:
            return value  # quoted or block scalar: always a string
        if value in ("", "~", "null"):
            return None
        if value in ("true", "false"):
            return value == "true"
        if _INT.fullmatch(value):
            digits = value.lstrip("+-")
            if len(digits) > MAX_DIGITS:
                raise YamlError(msg("E-YAML-NUMBER-TOO-LARGE", digits=len(digits),
                                    max=MAX_DIGITS), line, col)
            return int(value)
        if _FLOAT.fullmatch(value) and len(value) <= 40:
            return float(value)
        return value


def _explicit_tag(event) -> bool:
    tag = getattr(event, "tag", None)
    if tag is None:
        return False
    if isinstance(event, yaml.ScalarEvent):
        return True  # scalars carry a tag only when one was written
    return not event.implicit
