"""The README shows one mistake as `check` prints it in English and in Russian: the block
is what the command prints now."""
from pathlib import Path

import pytest

from sitegen.cli import main

from .conftest import article_text, make_site

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(autouse=True)
def no_language_around(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_the_readme_shows_what_check_prints_in_both_languages(tmp_path, monkeypatch, capsys):
    root = make_site(tmp_path / "site", {
        "content/articles/2025/2025-09-11-release.md": article_text("Belarus: 52 freed")})
    monkeypatch.chdir(root)
    shown = []
    for lang in ("en", "ru"):
        assert main(["check", "--lang", lang]) == 1
        out = capsys.readouterr()
        shown.append(f"$ sitegen check --lang {lang}\n{out.out}{out.err}")
    block = "```\n" + "".join(shown) + "```\n"
    assert block in README.read_text(encoding="utf-8")
