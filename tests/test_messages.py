"""The message catalogues (sitegen/messages/*.toml): every code detection uses has a text
in every language, no text is left for a code no longer used, the values each text shows
are the ones detection gives, and plural forms are CLDR's for the language."""
import re
import tomllib
from pathlib import Path

import pytest
from babel import Locale

from sitegen.content.diagnostics import Diagnostic, summary
from sitegen.content.messages import BUILT_IN, Catalogue, choose_language, msg, placeholders

SOURCE = Path(__file__).parent.parent / "sitegen"
CATALOGUES = sorted(BUILT_IN.glob("*.toml"))
# codes built from a variable, not written out where they are used
INDIRECT = {"E-SAME-OUTPUT-PAGE", "E-SAME-OUTPUT-INTRO",
            "SCAFFOLD-FRONT-MATTER", "SCAFFOLD-BODY"}


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def used_codes() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        found |= set(re.findall(r"""["']((?:[ACDRWNSVFHPE]|SCAFFOLD)-[A-Z0-9-]+)["']""",
                                path.read_text(encoding="utf-8")))
    return found


def test_every_code_used_has_an_english_text_and_none_is_stale():
    from sitegen.content.config import load_config
    from sitegen.content.reference import doc_codes
    english = set(load(BUILT_IN / "en.toml"))
    used = used_codes() | INDIRECT | doc_codes(load_config(SOURCE.parent))
    assert sorted(used - english) == []          # a message without a text
    assert sorted(english - used) == []          # a text no code uses any more (stale)


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.stem for p in CATALOGUES])
def test_catalogue_matches_english(path: Path):
    english, other = load(BUILT_IN / "en.toml"), load(path)
    assert sorted(set(english) - set(other)) == []     # untranslated
    assert sorted(set(other) - set(english)) == []     # stale
    forms = set(Locale.parse(path.stem).plural_form.tags) | {"other"}
    for code, text in other.items():
        en = english[code]
        en_names = set().union(*(placeholders(t) for t in (en.values() if isinstance(en, dict)
                                                            else [en])))
        texts = text.values() if isinstance(text, dict) else [text]
        if isinstance(text, dict):
            assert set(text) == forms, code      # exactly the language's CLDR plural forms
        for t in texts:
            assert placeholders(t) <= en_names | {"n"}, code
            assert placeholders(t) >= en_names - {"n"} or code.startswith("SCAFFOLD"), code


def test_plural_forms_by_cldr():
    ru = Catalogue("ru")
    assert [ru.render(summary([Diagnostic("a", 1, 1, "error", msg("E-NUL"))] * n))
            for n in (1, 2, 5, 21)] == [
        "1 ошибка, 0 предупреждений", "2 ошибки, 0 предупреждений",
        "5 ошибок, 0 предупреждений", "21 ошибка, 0 предупреждений"]
    assert Catalogue("en").render(summary([])) == "0 errors, 0 warnings"


def test_language_chosen_by_flag_then_environment_then_site(tmp_path):
    assert choose_language("ru", "en", environ={"LANG": "en_US.UTF-8"}) == "ru"
    assert choose_language(None, "en", environ={"LANGUAGE": "ru_RU:en"}) == "ru"
    assert choose_language(None, "en", environ={"LC_ALL": "ru_BY.UTF-8"}) == "ru"
    assert choose_language(None, "ru", environ={"LANG": "C.UTF-8"}) == "ru"
    assert choose_language(None, "de", environ={"LANG": "C"}) == "en"
    # the locale is the first of LC_ALL, LC_MESSAGES, LANG that is set; C names no language
    assert choose_language(None, "en", environ={"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}) == "en"
    assert choose_language(None, "ru", environ={"LC_ALL": "en_US.UTF-8", "LANG": "ru_RU"}) == "en"
    assert choose_language(None, "en", environ={"LC_MESSAGES": "ru_RU", "LANG": "en_US"}) == "ru"
    assert choose_language(None, "en", environ={"LANGUAGE": "ru", "LC_ALL": "C"}) == "ru"
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "be.toml").write_text('E-NUL = "сімвал NUL"\n', encoding="utf-8")
    assert choose_language(None, "be", tmp_path, environ={}) == "be"
    be = Catalogue("be", tmp_path)
    assert be.render(msg("E-NUL")) == "сімвал NUL"
    assert be.render(msg("E-LONE-CR")).startswith("lone CR")    # English beneath


def test_json_and_github_keep_the_code(tmp_path):
    from sitegen.content.diagnostics import format_diagnostics
    d = Diagnostic("a.md", 3, 1, "error", msg("E-UNKNOWN-KEY", field="tittle",
                                               hint=msg("H-DID-YOU-MEAN", word="title")))
    assert format_diagnostics([d], "github", Catalogue("ru")) == (
        "::error file=a.md,line=3,col=1,title=E-UNKNOWN-KEY::tittle: неизвестный ключ "
        "(может быть, 'title'?)\n")
    assert '"code": "E-UNKNOWN-KEY"' in format_diagnostics([d], "json", Catalogue("ru"))


def test_the_readme_lists_every_code():
    readme = (SOURCE.parent / "README.md").read_text(encoding="utf-8")
    codes = [c for c in load(BUILT_IN / "en.toml") if c[:2] in ("E-", "W-", "N-")]
    assert [c for c in codes if f"| `{c}` |" not in readme and c != "E-OTHER"] == []
