"""The front matter reference (CONTRIBUTING.md, CONTRIBUTING.ru.md) in a language of the
messages catalogue, made from the field tables the validator reads (parse.py), so that it
lists exactly the keys the checks know.

Each key's text is the message R-<TABLE>-<KEY>; its English is the field's `doc` in
parse.py (which the JSON Schema's descriptions show), as tests/test_reference.py checks.
"""
from __future__ import annotations

from .config import Config
from .messages import Catalogue, english, msg
from .parse import (KINDS, MAX_COUNTRIES, MAX_EVENTS, MAX_NAMED, MAX_SOURCES,
                    MAX_SOURCES_SHOWN, SOURCE_FIELDS, Field, article_fields, event_fields)

# the limits some keys' texts name ({max})
LIMITS = {"sources": MAX_SOURCES, "events": MAX_EVENTS, "citizenship": MAX_COUNTRIES,
          "countries": MAX_COUNTRIES}


def field_tables(config: Config) -> dict[str, dict[str, Field]]:
    return {"ARTICLE": article_fields(config), "SOURCE": SOURCE_FIELDS,
            "EVENT": event_fields(config)}


def doc_code(table: str, key: str) -> str:
    return f"R-{table}-{key.upper().replace('_', '-')}"


def doc_codes(config: Config) -> set[str]:
    """Every code the reference takes a key's text from."""
    return {doc_code(table, key) for table, fields in field_tables(config).items()
            for key in fields}


def field_doc(say: Catalogue, table: str, key: str) -> str:
    return say.render(msg(doc_code(table, key), max=LIMITS.get(key, 0), shown=MAX_SOURCES_SHOWN,
                          named=MAX_NAMED))


def reference_markdown(config: Config, say: Catalogue | None = None) -> str:
    """The reference in the language of `say` (English by default)."""
    say = say or english()

    def t(code: str, **values) -> str:
        return say.render(msg(code, **values))

    def table(name: str, fields: dict[str, Field], with_kinds: bool = False) -> list[str]:
        head = t("R-HEAD") + (t("R-HEAD-KINDS") if with_kinds else "")
        rows = [head, "|---|---|---|" + ("---|" if with_kinds else "")]
        for key, rule in fields.items():
            needed = t("R-YES") if rule.required else (
                t("R-ON", kinds=", ".join(sorted(rule.required_for))) if rule.required_for
                else t("R-NO"))
            if key == "status":
                needed = t("R-STATUS-REQUIRED")
            kinds = t("R-ALL") if len(rule.kinds) == len(KINDS) else ", ".join(
                k for k in KINDS if k in rule.kinds)
            rows.append(f"| `{key}` | {needed} | {field_doc(say, name, key)} |"
                        + (f" {kinds} |" if with_kinds else ""))
        return rows
    tables = field_tables(config)
    lines = [t("R-HEADING-ARTICLE"), "", *table("ARTICLE", tables["ARTICLE"]), "",
             t("R-HEADING-SOURCE"), "", *table("SOURCE", tables["SOURCE"]), "",
             t("R-HEADING-EVENT"), "", t("R-ONCE"), "",
             *table("EVENT", tables["EVENT"], with_kinds=True), "",
             t("R-COUNT"),
             t("R-LANGUAGES", languages=", ".join(f"`{x}`" for x in config.languages))]
    return "\n".join(lines) + "\n"
