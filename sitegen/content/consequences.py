"""One mistake, one message: what follows from a file that could not be read is not
reported as problems of its own.

An article whose front matter cannot be read declares events no one knows of. A reference
to an event no file declares may be to one of them: reported as "no event 'x' is declared
anywhere (did you mean 'y'?)", it would send the contributor to change files that are
right. While an article cannot be read, those references are held back, and one note at
that article says how many could not be checked because of it.
"""
from __future__ import annotations

from typing import Iterable

from .diagnostics import NOTE, Diagnostic
from .messages import msg

# the file could not be read as far as its events: nothing it declares is known
UNREADABLE = frozenset({
    "E-YAML-QUOTE", "E-YAML-TAB", "E-YAML-DASH-SPACE", "E-YAML-COLON-SPACE",
    "E-YAML-COLON-IN-VALUE", "E-YAML-MISSING-COLON", "E-YAML-FLOW", "E-YAML-SYNTAX",
    "E-YAML-CHARACTER", "E-YAML-SECOND-DOCUMENT", "E-YAML-ALIAS", "E-YAML-ANCHOR",
    "E-YAML-TAG", "E-YAML-DEPTH", "E-YAML-KEY-NOT-NAME", "E-YAML-DUPLICATE-KEY",
    "E-YAML-NUMBER-TOO-LARGE", "E-FRONT-MATTER-EMPTY", "E-FRONT-MATTER-NOT-MAPPING",
    "E-FRONT-MATTER-MISSING", "E-FRONT-MATTER-NOT-CLOSED", "E-FRONT-MATTER-TOO-LONG",
    "E-BODY-TOO-LONG", "E-NOT-UTF8", "E-NUL", "E-LONE-CR", "E-CANNOT-READ", "E-SYMLINK",
    "E-FILE-TOO-LARGE", "E-NOT-REGULAR",
})
# problems that an unreadable article may be the cause of
FOLLOWS = frozenset({"E-UNKNOWN-EVENT"})


def one_per_mistake(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The problems, sorted and without repeats, less those that may follow from an
    unreadable article, with a note at each such article counting them."""
    problems = sorted(set(problems))
    first: dict[str, Diagnostic] = {}
    for d in problems:
        if d.code in UNREADABLE and "/articles/" in "/" + d.path:
            first.setdefault(d.path, d)
    if not first:
        return problems
    held = [d for d in problems if d.code in FOLLOWS]
    if not held:
        return problems
    kept = [d for d in problems if d.code not in FOLLOWS]
    notes = [Diagnostic(d.path, d.line, d.col, NOTE,
                        msg("N-NOT-CHECKED", n=len(held)))
             for d in first.values()]
    return sorted(kept + notes)
