"""The front matter reference in each language: the English one is the field docs the
JSON Schema shows, the Russian one is in CONTRIBUTING.ru.md as `sitegen schema --reference
--lang ru` prints it."""
import re
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.content.config import load_config
from sitegen.content.messages import Catalogue, english
from sitegen.content.reference import field_doc, field_tables, reference_markdown

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT)


def generated(name: str) -> str:
    text = (ROOT / name).read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN GENERATED[^\n]*-->\n(.*?)<!-- END GENERATED -->", text, re.S)
    assert match, f"{name} lost its generated section markers"
    return match[1]


def test_each_keys_english_text_is_its_doc_in_the_field_tables(config):
    assert {(t, k): field_doc(english(), t, k) for t, fields in field_tables(config).items()
            for k in fields} == {(t, k): rule.doc for t, fields in field_tables(config).items()
                                 for k, rule in fields.items()}


def test_the_russian_guide_holds_the_russian_reference(config):
    assert generated("CONTRIBUTING.ru.md") == reference_markdown(config, Catalogue("ru")), \
        "run: sitegen schema --reference --lang ru, and paste it between the markers"
    assert generated("CONTRIBUTING.md") == reference_markdown(config, Catalogue("en"))


def test_the_command_prints_the_reference_in_the_language_asked(config, capsys,
                                                                 monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["schema", "--reference", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out == reference_markdown(config, Catalogue("ru"))
    assert out.splitlines()[:5] == ["### Статья", "", "| ключ | обязателен | что это |",
                                    "|---|---|---|", "| `title` | да | заголовок (не больше 200 символов) |"]
