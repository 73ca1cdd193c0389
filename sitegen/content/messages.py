"""Problem messages: what detection produces (a code and its values), and their texts.

Detection builds a Msg, e.g. msg("E-UNKNOWN-KEY", field="sorces", hint=...): a stable
code per kind of problem with the values that differ. The words are chosen only when a
problem is shown, from a catalogue per language: sitegen/messages/<lang>.toml, and a
site's own messages/<lang>.toml beside its pyproject.toml (a language the site adds, or
texts it words otherwise). A text the chosen language lacks is taken from English.

A value of a Msg may itself be a Msg (a hint, a word such as "a list"), rendered in the
same language. A catalogue entry that is a table is chosen by CLDR's plural rule (Babel)
for the value `n`: {one = "...", few = "...", many = "...", other = "..."}.
"""
from __future__ import annotations

import errno
import os
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

BUILT_IN = Path(__file__).resolve().parent.parent / "messages"
ENGLISH = "en"
MAX_CATALOGUE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Msg:
    """A problem as detection sees it: a code and its values (name, value) in order."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def kind(self) -> str:
        """The code that names the problem: a framing message (F-..., a field name or a
        count put around another message) takes the code of the message it frames."""
        if self.code.startswith("F-"):
            inner = dict(self.params).get("problem")
            if isinstance(inner, Msg):
                return inner.kind
        return self.code

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


def msg(code: str, /, **params: Any) -> Msg:
    return Msg(code, tuple(params.items()))


def text(value: Any) -> Msg:
    """A text that is not ours to translate (a template engine's own message)."""
    return msg("E-OTHER", text=str(value))


NOTHING = msg("V-EMPTY")        # an optional part left out: renders as ""

# the system's reasons a user can act on, in the reader's language (the English texts are
# the C library's own); any other is said as the system says it
_ERRNO = {errno.ENOSPC: "V-ENOSPC", errno.EDQUOT: "V-EDQUOT", errno.EACCES: "V-EACCES",
          errno.EPERM: "V-EPERM", errno.EROFS: "V-EROFS", errno.ENOENT: "V-ENOENT",
          errno.ENOTDIR: "V-ENOTDIR", errno.EISDIR: "V-EISDIR", errno.EMFILE: "V-EMFILE",
          errno.ENAMETOOLONG: "V-ENAMETOOLONG", errno.EIO: "V-EIO", errno.EFBIG: "V-EFBIG"}


def os_reason(exc: OSError) -> Msg | str:
    """Why a file could not be read or written ("No space left on device")."""
    code = _ERRNO.get(exc.errno)
    return msg(code) if code else str(exc.strerror or exc)


class Problem(Exception):
    """An error that is not a content diagnostic (a diff, a search index, the output folder,
    the theme's strings): args[0] is a Msg, said in the reader's language where it is shown
    (`detail`), in English by str()."""

    @property
    def detail(self) -> Msg:
        said = self.args[0] if self.args else ""
        return said if isinstance(said, Msg) else text(said)

    def __str__(self) -> str:
        return english().render(self.detail)


class Catalogue:
    """The texts of one language, English beneath them."""

    def __init__(self, lang: str, site_root: Path | None = None):
        self.lang = lang
        self.tables = [_site_table(site_root, lang), _built_in(lang),
                       _site_table(site_root, ENGLISH), _built_in(ENGLISH)]

    def template(self, code: str, n: Any = None) -> str:
        for i, table in enumerate(self.tables):
            entry = table.get(code)
            if entry is None:
                continue
            if isinstance(entry, dict):
                lang = self.lang if i < 2 else ENGLISH
                form = _plural_form(lang)(abs(n)) if isinstance(n, int) else "other"
                return entry.get(form, entry.get("other", ""))
            return entry
        return "{text}" if code == "E-OTHER" else code

    def render(self, value: Any) -> str:
        if isinstance(value, Msg):
            params = {k: self.render(v) if not isinstance(v, int) or isinstance(v, bool)
                      else _Number(v, self.lang) for k, v in value.params}
            return self.template(value.code, params.get("n")).format_map(_Missing(params))
        if isinstance(value, (list, tuple)):
            return "; ".join(self.render(v) for v in value)
        return str(value)


class _Number(int):
    """A number in a message: `{size:,}` groups its digits as the language does (CLDR,
    through Babel: 1,234,567 in English, 1 234 567 in Russian)."""

    def __new__(cls, value: int, lang: str):
        number = super().__new__(cls, value)
        number.lang = lang
        return number

    def __format__(self, spec: str) -> str:
        if spec != ",":
            return int.__format__(self, spec)
        return number_in(int(self), self.lang)


def number_in(value: int | float, lang: str, pattern: str | None = None) -> str:
    """A number as the language writes it (CLDR, through Babel): 1,234.5 in English,
    1 234,5 in Russian; `pattern` as Babel's ("0.00": two decimals). A language CLDR lacks
    gets Python's own format."""
    from babel import UnknownLocaleError
    from babel.numbers import format_decimal
    try:
        return format_decimal(value, format=pattern, locale=lang)
    except (ValueError, LookupError, UnknownLocaleError):
        return f"{value:.2f}" if pattern == "0.00" else f"{value:,}"


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=None)
def _plural_form(lang: str):
    from babel import Locale
    try:
        return Locale.parse(lang).plural_form
    except (ValueError, LookupError):
        return Locale.parse(ENGLISH).plural_form


@lru_cache(maxsize=None)
def _built_in(lang: str) -> dict:
    return _load(BUILT_IN / f"{lang}.toml")


def _site_table(root: Path | None, lang: str) -> dict:
    return _load(root / "messages" / f"{lang}.toml") if root is not None else {}


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_CATALOGUE_BYTES or not path.is_file():
            return {}
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def languages(site_root: Path | None = None) -> set[str]:
    """The languages there are messages in: built in, and the site's own."""
    found = {p.stem for p in BUILT_IN.glob("*.toml")}
    if site_root is not None and (site_root / "messages").is_dir():
        found |= {p.stem for p in (site_root / "messages").glob("*.toml")}
    return found


def choose_language(given: str | None, site_default: str | None,
                    site_root: Path | None = None, environ=os.environ) -> str:
    """--lang, else LANGUAGE's list, else the locale (the first of LC_ALL, LC_MESSAGES and
    LANG that is set, as gettext takes it; C and POSIX name no language), the first that
    names a language there are messages in; else the site's default language, else English.
    LANGUAGE is read whatever the locale (gettext ignores it under C): CI machines run with
    LANG=C.UTF-8, and a LANGUAGE set there is meant."""
    known = languages(site_root)
    candidates = [given] if given else []
    candidates += environ.get("LANGUAGE", "").split(":")
    candidates.append(next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG")
                            if environ.get(k)), ""))
    candidates.append(site_default or "")
    for value in candidates:
        lang = value.split(".")[0].split("@")[0].replace("-", "_")
        for name in (lang, lang.split("_")[0]):
            if name and name not in ("C", "POSIX") and name in known:
                return name
    return ENGLISH


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=4)
def english() -> Catalogue:
    return Catalogue(ENGLISH)
