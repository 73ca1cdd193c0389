"""Diagnostics: one compiler-style line per problem, collected and formatted at the edge."""
from __future__ import annotations

import bisect
import difflib
import json
import re
from dataclasses import dataclass
from typing import Iterable

from .messages import NOTHING, Catalogue, Msg, english, msg, text

ERROR = "error"
WARNING = "warning"


NOTE = "note"
_GITHUB = {ERROR: "error", WARNING: "warning", NOTE: "notice"}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem at PATH:LINE:COL (PATH relative to the site root, LINE and COL 1-based).

    `detail` is what detection found (a code and its values, messages.Msg); the words are
    chosen when it is shown, in the reader's language (a plain str is a text not ours to
    translate: a template engine's message)."""

    path: str
    line: int
    col: int
    severity: str
    detail: Msg

    def __post_init__(self):
        if isinstance(self.detail, str):
            object.__setattr__(self, "detail", text(self.detail))

    @property
    def code(self) -> str:
        return self.detail.kind

    @property
    def message(self) -> str:
        """The message in English."""
        return english().render(self.detail)

    def __lt__(self, other: "Diagnostic") -> bool:
        """By place, then severity, then the English message (rendered only for two
        problems at one place: a site with thousands sorts without rendering them)."""
        mine = (self.path, self.line, self.col, self.severity)
        theirs = (other.path, other.line, other.col, other.severity)
        return mine < theirs if mine != theirs else self.message < other.message

    def text(self, say: Catalogue | None = None) -> str:
        message = (say or english()).render(self.detail)
        # the severity stays the contract's word in every language (error, warning; note):
        # editors' problem matchers and people's eyes find it at the same place
        return f"{_one_line(self.path)}:{self.line}:{self.col}: {self.severity}: " \
            f"{_one_line(message)}"

    def github(self, say: Catalogue | None = None) -> str:
        props = ",".join(f"{k}={_escape_property(str(v))}"
                         for k, v in (("file", self.path), ("line", self.line), ("col", self.col),
                                      ("title", self.code)))
        message = (say or english()).render(self.detail)
        return f"::{_GITHUB.get(self.severity, 'error')} {props}::" \
            f"{_escape_data(_one_line(message))}"

    def as_dict(self, say: Catalogue | None = None) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col,
                "severity": self.severity, "code": self.code,
                "message": (say or english()).render(self.detail)}


class ContentError(Exception):
    """Raised by a command when content is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__(f"{len(self.diagnostics)} problem(s)")


def did_you_mean(word: str, choices: Iterable[str]) -> Msg:
    """The hint " (did you mean 'x'?)" for the closest choice, or an empty one."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return msg("H-DID-YOU-MEAN", word=match[0]) if match else NOTHING


class Suggester:
    """did_you_mean() over many choices without comparing a word with each of them.

    Up to SCAN choices, every one is compared, as did_you_mean does. Above that, only the
    choices an index offers: those one deletion away from one of the word's deletions
    (a typo, a missing, extra or swapped character: SymSpell's idea), or when there are
    none, those next to the word in sorted order, forwards and backwards (a word cut short
    or run on). The index is built on the first call, so a site without a bad reference
    never pays for it."""

    SCAN = 64
    NEIGHBOURS = 4

    def __init__(self, choices: Iterable[str]):
        self.choices = sorted(set(choices))
        self._deletions: dict[int, str | list[str]] | None = None
        self._backwards: list[tuple[str, str]] = []

    def __call__(self, word: str, exclude: str | None = None) -> Msg:
        if len(self.choices) <= self.SCAN:
            return did_you_mean(word, (c for c in self.choices if c != exclude))
        return did_you_mean(word, (c for c in self._candidates(word) if c != exclude))

    def _candidates(self, word: str) -> set[str]:
        if self._deletions is None:
            # keyed by the variant's hash, holding the choice (or a list of them): half
            # the memory of keeping the variants; a collision only adds a candidate,
            # which difflib then weighs like the others
            index: dict[int, str | list[str]] = {}
            for choice in self.choices:
                for variant in _deletions(choice):
                    key = hash(variant)
                    held = index.setdefault(key, choice)
                    if held is not choice:
                        if isinstance(held, str):
                            index[key] = held = [held]
                        held.append(choice)
            self._deletions = index
            self._backwards = sorted((c[::-1], c) for c in self.choices)
        found: set[str] = set()
        for variant in _deletions(word):
            held = self._deletions.get(hash(variant), ())
            found.update((held,) if isinstance(held, str) else held)
        if found:       # a typo or two away: nearer than anything the order offers
            return found
        found.update(_near(self.choices, word, self.NEIGHBOURS))
        found.update(c for _, c in _near(self._backwards, (word[::-1], ""), self.NEIGHBOURS))
        return found


def _deletions(word: str) -> set[str]:
    """The word and each way of deleting one character from it."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _near(ordered: list, key, n: int) -> list:
    at = bisect.bisect_left(ordered, key)
    return ordered[max(0, at - n):at + n]


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.severity == ERROR or (strict and d.severity == WARNING) for d in diagnostics)


def promote(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Warnings become errors (--strict); a note stays a note."""
    return [Diagnostic(d.path, d.line, d.col, ERROR if d.severity == WARNING else d.severity,
                       d.detail) for d in diagnostics]


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str,
                       say: Catalogue | None = None) -> str:
    """The report in `text`, `github` or `json` form, sorted by place, in the language of
    `say` (English by default)."""
    items = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([d.as_dict(say) for d in items], ensure_ascii=False, indent=2) + "\n"
    lines = [d.github(say) if fmt == "github" else d.text(say) for d in items]
    return "".join(line + "\n" for line in lines)


def summary(diagnostics: Iterable[Diagnostic]) -> Msg:
    """'1 error, 2 warnings' as a message (plural forms by the reader's language)."""
    items = list(diagnostics)
    errors = sum(d.severity == ERROR for d in items)
    warnings = sum(d.severity == WARNING for d in items)
    return msg("F-SUMMARY", errors=msg("S-ERRORS", n=errors),
               warnings=msg("S-WARNINGS", n=warnings))


_BREAKS = {c: f"\\u{c:04x}" for c in (*range(32), 0x7f, 0x85, 0x2028, 0x2029,
                                     *range(0x202a, 0x202f), *range(0x2066, 0x206a),
                                     0x200b, 0x2060, 0xfeff)}


def _one_line(s: str) -> str:
    """Control characters, line breaks and bidi controls written as escapes: a problem is
    one line, and reads in the order it is written."""
    return s.translate(_BREAKS)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


WARNINGS_OF_A_KIND = 5
_VARIES = re.compile(r"'[^']*'|U\+[0-9A-F]{4,6}|\d+")


def cap_warnings(diagnostics: Iterable[Diagnostic],
                 keep: int = WARNINGS_OF_A_KIND) -> list[Diagnostic]:
    """At most `keep` warnings of one kind per file, then one saying how many more there are
    (a kind: the message with quoted values, code points and numbers taken out). A body of
    200,000 lines each with a bidi control gives six lines, not 200,000. Errors are all kept."""
    out, seen, dropped = [], {}, {}
    for d in sorted(diagnostics):
        if d.severity != WARNING:
            out.append(d)
            continue
        kind = (d.path, _VARIES.sub("", d.message))
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= keep:
            out.append(d)
        elif kind not in dropped:
            dropped[kind] = d
    for kind, first in dropped.items():
        out.append(Diagnostic(first.path, first.line, first.col, WARNING,
                              msg("F-MORE-LIKE-IT", n=seen[kind] - keep, problem=first.detail)))
    return sorted(out)
