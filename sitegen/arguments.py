"""The command line's arguments: the parser, whose every word (help, usage, argparse's own
errors) comes from the messages catalogue in the reader's language.

argparse marks its own texts for gettext ('usage: ', 'invalid choice: ...') and looks them
up through the names `_` and `ngettext` it imported from gettext. A gettext domain would
need compiled .mo files chosen by the environment alone; sitegen's language is also chosen
by --lang and its texts are TOML, so while a parser is made and used, `speaking` gives
argparse a lookup into the catalogue: argparse's exact msgid -> a code (ARGPARSE) -> the
text. tests/test_arguments.py extracts argparse's msgids with Babel and fails when one a
user can meet has no code here (a new Python's texts).
"""
from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .content.messages import Catalogue, msg

# argparse's msgids a user can meet -> the code of their text; %-placeholders as argparse's
ARGPARSE = {
    "usage: ": "A-USAGE",
    "positional arguments": "A-POSITIONALS",
    "options": "A-OPTIONS",
    "show this help message and exit": "A-HELP",
    "%(prog)s: error: %(message)s\n": "A-ERROR",
    "argument %(argument_name)s: %(message)s": "A-ARGUMENT",
    "unrecognized arguments: %s": "A-UNRECOGNIZED",
    "the following arguments are required: %s": "A-REQUIRED",
    "one of the arguments %s is required": "A-ONE-OF-REQUIRED",
    "not allowed with argument %s": "A-NOT-ALLOWED-WITH",
    "ignored explicit argument %r": "A-IGNORED-VALUE",
    "expected one argument": "A-EXPECTED-ONE",
    "expected at most one argument": "A-EXPECTED-AT-MOST-ONE",
    "expected at least one argument": "A-EXPECTED-AT-LEAST-ONE",
    ("expected %s argument", "expected %s arguments"): "A-EXPECTED-N",
    "ambiguous option: %(option)s could match %(matches)s": "A-AMBIGUOUS",
    "invalid %(type)s value: %(value)r": "A-INVALID-VALUE",
    "invalid choice: %(value)r (choose from %(choices)s)": "A-INVALID-CHOICE",
}
# argparse's msgids that only a mistake in this module's own parser could show (a
# conflicting option, a bad add_argument call), or an argument kind it does not use
PROGRAMMING_ERRORS = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)", 'argument "-" with mode %r',
    "can't open '%(filename)s': %(error)s", "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    ("conflicting option string: %s", "conflicting option strings: %s"),
    "mutually exclusive arguments must be optional", "cannot have multiple subparser arguments",
    "unexpected option string: %s", "%r is not callable",
}


@contextmanager
def speaking(say: Catalogue):
    """argparse's own texts in the language of `say` until the block ends."""
    def gettext(message):
        code = ARGPARSE.get(message)
        return message if code is None else say.template(code)

    def ngettext(singular, plural, n):
        code = ARGPARSE.get((singular, plural))
        return (singular if n == 1 else plural) if code is None else say.template(code, n)

    kept = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = kept


def language_arguments(argv: list[str] | None) -> tuple[str | None, Path | None]:
    """--lang and --root, read before the parser is made (its words depend on them), each
    as `--lang ru` or `--lang=ru`; a mistake in them is left for the parser to say."""
    found: dict[str, str] = {}
    words = sys.argv[1:] if argv is None else argv
    for i, word in enumerate(words):
        if word == "--":
            break
        name, equals, value = word.partition("=")
        if name in ("--lang", "--root"):
            if equals:
                found[name] = value
            elif i + 1 < len(words):
                found[name] = words[i + 1]
    root = found.get("--root")
    return found.get("--lang") or None, Path(root) if root else None


def parser(say: Catalogue) -> argparse.ArgumentParser:
    """The parser of `sitegen`, its help in the language of `say` (made inside speaking())."""
    def t(code: str) -> str:
        # argparse fills help texts with %-formatting (%(default)s): a % is doubled
        return say.render(msg(code)).replace("%", "%%")

    top = argparse.ArgumentParser(prog="sitegen", description=t("A-DESCRIPTION"))
    top.add_argument("--version", action="version", version=f"sitegen {__version__}",
                     help=t("A-VERSION"))
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, code: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=t(code), description=t(code))
        sub.add_argument("--root", type=Path, help=t("A-ROOT"))
        sub.add_argument("--lang", help=t("A-LANG"))
        return sub

    b = command("build", "A-BUILD")
    b.add_argument("--base-url", help=t("A-BASE-URL"))
    b.add_argument("--drafts", action="store_true", help=t("A-DRAFTS"))
    b.add_argument("--strict", action="store_true", help=t("A-STRICT"))
    b.add_argument("--no-search", action="store_true", help=t("A-NO-SEARCH"))
    b.add_argument("--no-cache", action="store_true", help=t("A-NO-CACHE"))
    c = command("check", "A-CHECK")
    c.add_argument("--strict", action="store_true", help=t("A-STRICT"))
    c.add_argument("--format", choices=("text", "github", "json"),
                   default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
                   help=t("A-FORMAT"))
    c.add_argument("--watch", action="store_true", help=t("A-WATCH"))
    n = command("new", "A-NEW")
    n.add_argument("what", choices=["article"], help=t("A-NEW-WHAT"))
    n.add_argument("title", help=t("A-NEW-TITLE"))
    n.add_argument("--date", help=t("A-NEW-DATE"))
    d = command("diff", "A-DIFF")
    d.add_argument("old", help=t("A-DIFF-OLD"))
    d.add_argument("new", nargs="?", help=t("A-DIFF-NEW"))
    j = command("schema", "A-SCHEMA")
    j.add_argument("--reference", action="store_true", help=t("A-SCHEMA-REFERENCE"))
    s = command("serve", "A-SERVE")
    s.add_argument("--host", default="127.0.0.1", help=t("A-SERVE-HOST"))
    s.add_argument("--port", type=int, default=8000, help=t("A-SERVE-PORT"))
    s.add_argument("--drafts", action="store_true", help=t("A-DRAFTS"))
    return top
