"""The command line's arguments in the reader's language: sitegen's help and argparse's own
usage and errors come from the messages catalogue (sitegen/arguments.py)."""
import argparse
import gettext
import re
import tomllib

import pytest
from babel.messages.extract import extract_from_file

from sitegen import cli
from sitegen.arguments import ARGPARSE, PROGRAMMING_ERRORS, language_arguments
from sitegen.content.messages import BUILT_IN

CATALOGUES = sorted(BUILT_IN.glob("*.toml"))
PERCENT = re.compile(r"%(?:\(\w+\))?[sr]")


def test_every_argparse_text_a_user_can_meet_has_a_code():
    """Babel's extractor reads argparse's gettext calls: a msgid of this Python that is
    neither translated nor known to be a programming error fails here."""
    extracted = {message for _, message, _, _ in extract_from_file("python", argparse.__file__)}
    assert extracted == set(ARGPARSE) | PROGRAMMING_ERRORS
    assert set(ARGPARSE).isdisjoint(PROGRAMMING_ERRORS)


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.stem for p in CATALOGUES])
def test_argparse_texts_keep_argparse_placeholders(path):
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    for msgid, code in ARGPARSE.items():
        texts = list(table[code].values()) if isinstance(table[code], dict) else [table[code]]
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        for text in texts:
            assert sorted(PERCENT.findall(text)) == sorted(PERCENT.findall(ids[0])), code
        if path.stem == "en":       # English is argparse's own text
            assert texts == list(ids), code


def run(capsys, *argv, env=None):
    with pytest.raises(SystemExit) as exit_:
        cli.main(list(argv))
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No site, no language in the environment: only --lang chooses."""
    monkeypatch.chdir(tmp_path)
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_an_invalid_choice_in_russian_and_english(nowhere, capsys):
    assert run(capsys, "check", "--lang", "ru", "--format", "xml") == (2, "", (
        "использование: sitegen check [-h] [--root ROOT] [--lang LANG] [--strict]\n"
        "                             [--format {text,github,json}] [--watch]\n"
        "sitegen check: ошибка: аргумент --format: неверный выбор: 'xml' "
        "(можно: 'text', 'github', 'json')\n"))
    assert run(capsys, "check", "--lang", "en", "--format", "xml") == (2, "", (
        "usage: sitegen check [-h] [--root ROOT] [--lang LANG] [--strict]\n"
        "                     [--format {text,github,json}] [--watch]\n"
        "sitegen check: error: argument --format: invalid choice: 'xml' "
        "(choose from 'text', 'github', 'json')\n"))


def test_missing_and_unknown_arguments_in_russian(nowhere, capsys):
    assert run(capsys, "new", "--lang=ru")[2].splitlines()[-1] == (
        "sitegen new: ошибка: не хватает аргументов: what, title")
    assert run(capsys, "check", "--lang", "ru", "--bogus")[2].splitlines()[-1] == (
        "sitegen: ошибка: непонятные аргументы: --bogus")
    assert run(capsys, "serve", "--lang", "ru", "--port", "abc")[2].splitlines()[-1] == (
        "sitegen serve: ошибка: аргумент --port: неверное значение (int): 'abc'")
    assert run(capsys, "check", "--lang", "ru", "--root")[2].splitlines()[-1] == (
        "sitegen check: ошибка: аргумент --root: нужно одно значение")


def test_help_in_russian_has_no_english_left(nowhere, capsys):
    code, out, _ = run(capsys, "check", "--lang", "ru", "--help")
    assert code == 0
    assert out.splitlines()[:4] == [
        "использование: sitegen check [-h] [--root ROOT] [--lang LANG] [--strict]",
        "                             [--format {text,github,json}] [--watch]", "",
        "проверить содержимое, ничего не записывая"]
    # what stays Latin: the command, option names, choices, file and variable names
    assert set(re.findall(r"\b[a-z]{3,}\b", out)) == {
        "sitegen", "check", "root", "lang", "strict", "format", "text", "github", "json",
        "watch", "help", "pyproject", "toml", "tool", "new"}


def test_the_language_comes_from_the_site_when_nothing_else_says(tmp_path, monkeypatch,
                                                                  capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sitegen]\ntitle = "T"\nbase_url = "https://a.test/"\nlanguages = ["ru", "en"]\n'
        'releasing_country = "BY"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    assert run(capsys, "build", "--drafts=yes")[2].splitlines()[-1] == (
        "sitegen build: ошибка: аргумент --drafts: у этого параметра не бывает значения, "
        "а здесь 'yes'")


def test_argparse_speaks_english_again_after_parsing(nowhere, capsys):
    run(capsys, "check", "--lang", "ru", "--format", "xml")
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext


def test_lang_and_root_are_read_before_parsing(tmp_path):
    assert language_arguments(["check", "--lang", "ru", "--root", "site"]) == (
        "ru", tmp_path.__class__("site"))
    assert language_arguments(["check", "--lang=en"]) == ("en", None)
    assert language_arguments(["check", "--root"]) == (None, None)
    assert language_arguments(["new", "article", "--", "--lang", "ru"]) == (None, None)
