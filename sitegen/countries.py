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


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)
