"""UI strings (one TOML file per language in the theme) and CLDR formatting through Babel."""
from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from ..content.countries import country_name
from ..content.messages import Problem, msg
from ..content.theme import Theme
from ..content.model import Interval, PartialDate


@lru_cache(maxsize=65536)
def _number(n: int, lang: str) -> str:
    return format_decimal(n, locale=lang)


@lru_cache(maxsize=65536)
def _date(d: PartialDate | dt.date, lang: str) -> str:
    if isinstance(d, dt.date):
        return format_date(d, format="long", locale=lang)
    if d.precision == "day":
        return format_date(d.start, format="long", locale=lang)
    if d.precision == "month":
        return format_date(d.start, "LLLL y", locale=lang)
    return str(d.year)


@lru_cache(maxsize=None)
def _plural_rule(lang: str):
    """CLDR's plural rule of a language (Locale.parse costs more than the rule itself)."""
    return Locale.parse(lang).plural_form


@lru_cache(maxsize=None)
def _language_name(lang: str) -> str:
    return Locale.parse(lang).get_display_name(lang).capitalize()


@lru_cache(maxsize=4096)
def _country_in(code: str, lang: str, given: tuple) -> tuple[str, str] | None:
    name = country_name(code, lang)
    if code in dict(given):                 # the strings file's own form for this country
        preposition, _, form = dict(given)[code].partition(" ")
        return preposition, form
    if lang != "ru":
        return "in", name
    form = _ru_prepositional(name)
    if form is None:
        return None
    # «во» before в or ф and a consonant: во Франции, во Вьетнаме, but в Венгрии
    second = form[1:2].lower()
    preposition = "во" if form[:1].lower() in "вф" and second and second not in "аеёиоуыэюя" \
        else "в"
    return preposition, form


def _ru_prepositional(name: str) -> str | None:
    """The prepositional case of a one-word Russian country name by its ending: Беларусь ->
    Беларуси, Литва -> Литве, Германия -> Германии, Казахстан -> Казахстане, Китай -> Китае;
    indeclinable names (Перу, Того) as they are. None for a name of several words or a
    plural (Соединенные Штаты, Мальдивы): the caller says it another way."""
    if not name or not name.isalpha():
        return None
    last = name[-1]
    if name.endswith("ия"):
        return name[:-1] + "и"
    if last in "ая":
        return name[:-1] + "е"
    if last == "ь":                         # feminine, as most are (Беларусь); masculine ones
        return name[:-1] + "и"              # (Израиль) are written in the strings file
    if last == "й":
        return name[:-1] + "е"
    if last in "оеиуэю":
        return name
    if last in "ы":
        return None
    return name + "е"


@lru_cache(maxsize=4096)
def sort_key(text: str) -> tuple[str, str]:
    """An alphabetical key for Latin and Cyrillic names: letters with accents sort with the
    letter (Côte with Co, «ё» with «е», as CLDR collation does at the first level), «й»
    stays a letter of its own after «и»; case and accents only break ties."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = []
    for i, ch in enumerate(decomposed):
        if unicodedata.combining(ch) and not (ch == "\u0306" and decomposed[i - 1:i] == "и"):
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), text


class StringsError(Problem):
    """The theme's UI strings lack what a template asks for (args[0]: a messages.Msg)."""


@dataclass(frozen=True)
class Strings:
    """The UI of one language: its strings and its CLDR formatting."""

    lang: str
    table: dict

    def __call__(self, key: str, **values) -> str:
        try:
            text = self.table[key]
        except KeyError:
            raise StringsError(msg("E-UI-STRING-MISSING", key=key, lang=self.lang)) from None
        if isinstance(text, dict):
            raise StringsError(msg("E-UI-STRING-PLURAL", key=key))
        return Markup(escape(text)).format(**values) if values else text

    def plural(self, key: str, n: int | Interval, **values) -> str:
        """'1 человек', '2 человека', '5 человек'; an interval takes the form of its last number."""
        forms = self.table.get(key)
        if not isinstance(forms, dict):
            raise StringsError(msg("E-UI-PLURAL-MISSING", key=key, lang=self.lang))
        count = n if isinstance(n, int) else (n.lo if n.hi is None else n.hi)
        form = _plural_rule(self.lang)(count)
        text = forms.get(form, forms["other"])
        shown = self.number(n) if isinstance(n, int) else self.count(n)
        return text.format(n=shown, **values)

    def number(self, n: int) -> str:
        return _number(n, self.lang)

    def count(self, n: Interval) -> str:
        """'52', '4–18', '≥ 100'."""
        if n.hi is None:
            return f"≥\u00a0{self.number(n.lo)}"
        if n.lo == n.hi:
            return self.number(n.lo)
        return f"{self.number(n.lo)}–{self.number(n.hi)}"

    def date(self, d: PartialDate | dt.date) -> str:
        """At its own precision: '11 сентября 2025 г.', 'ноябрь 2025', '2025'."""
        return _date(d, self.lang)

    def month(self, year: int, month: int) -> str:
        return format_date(dt.date(year, month, 1), "LLLL y", locale=self.lang)

    def country(self, code: str) -> str:
        return country_name(code, self.lang)

    def by_country(self, items, unknown_last: str = "unknown") -> list:
        """Country codes, or pairs whose first item is one, sorted by the country's name in
        this language (Германия before Эстония); the key `unknown_last` goes last."""
        def key(item):
            code = item if isinstance(item, str) else item[0]
            return (code == unknown_last, sort_key(self.country(code)), code)
        return sorted(items, key=key)

    def country_in(self, code: str) -> tuple[str, str] | None:
        """'in <country>' as (preposition, name in the case it takes): ('в', 'Беларуси'),
        ('in', 'Belarus'); None where the language's rules cannot decline the name."""
        return _country_in(code, self.lang, tuple(sorted(self.table.get("country_in", {}).items())))

    def language_name(self, lang: str) -> str:
        return _language_name(lang)


def theme_strings(theme: Theme, lang: str) -> Strings:
    """strings/<lang>.toml of the theme as it was read."""
    data = theme.files.get(f"strings/{lang}.toml")
    return _strings(lang, {} if data is None else _table(
        data, theme.folder / "strings" / f"{lang}.toml"))


def _table(data: bytes, path: Path) -> dict:
    try:
        return tomllib.loads(data.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StringsError(msg("E-UI-STRINGS-TOML", path=str(path), detail=str(exc))) from None


def _strings(lang: str, table: dict) -> Strings:
    if not table:
        raise StringsError(msg("E-UI-STRINGS-MISSING", lang=lang))
    return Strings(lang, table)
