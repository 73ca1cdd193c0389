"""ISO 3166-1 alpha-2 codes, from CLDR territories (Babel) less the codes ISO does not assign."""
from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR territory codes that are not officially assigned ISO 3166-1 alpha-2 codes:
# exceptionally reserved (AC CP CQ DG EA EU EZ IC TA UN), user-assigned (QO XA XB XK ZZ).
_NOT_ISO = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ".split())


@cache
def country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(code for code in territories
                     if len(code) == 2 and code.isalpha() and code not in _NOT_ISO)


def is_country(code: str) -> bool:
    return code in country_codes()


@cache
def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)


# Codes people often write for a country whose ISO code differs.
_ALIASES = {"UK": "GB", "EL": "GR"}


@cache
def _codes_by_name() -> dict[str, str]:
    names = {}
    for lang in ("en", "ru"):
        for code, name in Locale(lang).territories.items():
            if code in country_codes():
                names.setdefault(name.casefold(), code)
    return names


def suggest_code(text: str) -> str | None:
    """The ISO code someone probably meant by `text` ('UK' -> 'GB', 'Belarus' -> 'BY')."""
    return _ALIASES.get(text) or _codes_by_name().get(text.strip().casefold())
