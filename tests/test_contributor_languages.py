"""A contributor end to end, in Russian and in English: `sitegen new article`, fill it in,
break it five common ways and read exactly one message per mistake, in the contributor's
language and at the mistake's line; then a clean `check --strict`."""
import pytest

from sitegen.cli import main

from .conftest import make_site

DAY = "2025-10-01"
TITLES = {"ru": "Освобождение 12 человек", "en": "Twelve people freed"}
BODIES = {"ru": "Двенадцать человек вышли на свободу.\n", "en": "Twelve people were freed.\n"}


def filled(text: str, lang: str) -> str:
    """What a contributor writes in the blanks the scaffold leaves."""
    lines = text.split("\n")
    out = []
    for line in lines:
        if line.startswith("  - url: https://"):
            line = "  - url: https://news.belsat.eu/2025/10/01/twelve"
        elif line.startswith("    publisher:"):
            line = "    publisher: Belsat"
        elif line.startswith("    released:"):
            line = "    released: 12"
        out.append(line)
    text = "\n".join(out)
    body_at = text.index("---\n", 4) + 4
    return text[:body_at] + BODIES[lang]


# five slips: (what the contributor did, the exact line check prints, in each language)
SLIPS = {
    "colon in a value": (
        lambda t, title: t.replace(f'title: "{title}"', f"title: {title.replace(' ', ': ', 1)}"),
        {"ru": "{path}:3:8: error: в значении 'title' есть ': ', и YAML читает это как новый "
               "ключ: заключите всё значение в двойные кавычки: title: \"Освобождение: 12 "
               "человек\"",
         "en": "{path}:3:8: error: the value of 'title' contains ': ', which YAML reads as a new "
               "key: put the whole value in double quotes: title: \"Twelve: people freed\""}),
    "tab in indentation": (
        lambda t, title: t.replace("    publisher: Belsat", "\tpublisher: Belsat"),
        {"ru": "{path}:10:1: error: эта строка сдвинута табуляцией: в шапке статьи отступы "
               "делаются только пробелами",
         "en": "{path}:10:1: error: a tab is used to indent this line: indent front matter with "
               "spaces only"}),
    "no space after -": (
        lambda t, title: t.replace("  - url:", "  -url:"),
        {"ru": "{path}:9:3: error: после '-' в пункте списка нужен пробел: напишите "
               "'- значение'",
         "en": "{path}:9:3: error: a list item needs a space after '-': write '- value'"}),
    "no space after :": (
        lambda t, title: t.replace("    released: 12", "    released:12"),
        {"ru": "{path}:21:14: error: после 'released:' нужен пробел: напишите "
               "'released: значение'",
         "en": "{path}:21:14: error: 'released:' needs a space after the ':': write "
               "'released: value'"}),
    "unclosed quote": (
        lambda t, title: t.replace(f'title: "{title}"', f'title: "{title}'),
        {"ru": "{path}:3:8: error: кавычка \", открытая здесь, нигде не закрыта: поставьте "
               "закрывающую \" в конце значения",
         "en": "{path}:3:8: error: the quote \" opened here is never closed: add the closing \" "
               "at the end of the value"}),
    "a list for one value": (
        lambda t, title: t.replace("    publisher: Belsat",
                                   "    publisher:\n      - Belsat\n      - Reuters"),
        {"ru": "{path}:11:7: error: sources[1].publisher: нужен текст, а здесь список: здесь "
               "должно быть одно значение, а не список; напишите его в той же строке, что и "
               "ключ, без '- '",
         "en": "{path}:11:7: error: sources[1].publisher: expected text, got a list: one value "
               "belongs here, not a list; write it on the key's own line, without '- '"}),
}


def check(root, capsys, *args) -> tuple[int, str]:
    code = main(["check", "--root", str(root), *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_contributor_in_their_language(lang, tmp_path, capsys):
    root = make_site(tmp_path / "site", {})
    assert main(["new", "article", TITLES[lang], "--lang", lang, "--date", DAY,
                 "--root", str(root)]) == 0
    told = capsys.readouterr()
    path = told.out.strip()
    assert told.err == {
        "ru": "sitegen: заполните строки с пометкой ЗАПОЛНИТЕ, затем запустите: sitegen check\n",
        "en": "sitegen: fill in the lines marked FILL IN, then run: sitegen check\n"}[lang]
    article = root / path
    scaffold = article.read_text(encoding="utf-8")
    assert ({"ru": "# ЗАПОЛНИТЕ:", "en": "# FILL IN:"}[lang] in scaffold) is True
    text = filled(scaffold, lang)
    article.write_text(text, encoding="utf-8")
    assert main(["check", "--strict", "--root", str(root), "--lang", lang]) == 0
    assert capsys.readouterr().err == {"ru": "sitegen: 0 ошибок, 0 предупреждений\n",
                                       "en": "sitegen: 0 errors, 0 warnings\n"}[lang]
    for name, (slip, expected) in SLIPS.items():
        article.write_text(slip(text, TITLES[lang]), encoding="utf-8")
        assert check(root, capsys, "--lang", lang) == (1, expected[lang].format(path=path)
                                                       + "\n"), name
    article.write_text(text, encoding="utf-8")
    assert check(root, capsys, "--strict", "--lang", lang) == (0, "")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_scaffold_left_as_it_is_is_refused(lang, tmp_path, capsys):
    """Template text is never published: the placeholder body is a warning, an error under
    --strict, at its line; so is a source on example.org."""
    root = make_site(tmp_path / "site", {})
    main(["new", "article", TITLES[lang], "--lang", lang, "--date", DAY, "--root", str(root)])
    path = capsys.readouterr().out.strip()
    article = root / path
    text = filled(article.read_text(encoding="utf-8"), lang)
    body_at = text.index(BODIES[lang])
    article.write_text(text[:body_at] + main_scaffold_body(root, lang), encoding="utf-8")
    word = "warning"
    code, out = check(root, capsys, "--lang", lang)
    assert (code, out.split(": ")[:2]) == (0, [f"{path}:27:1", word])
    code, out = check(root, capsys, "--strict", "--lang", lang)
    assert (code, out.split(": ")[:2]) == (1, [f"{path}:27:1", "error"])


def main_scaffold_body(root, lang) -> str:
    from sitegen.content.messages import Catalogue
    return Catalogue(lang).template("SCAFFOLD-BODY")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_source_on_a_documentation_domain_is_refused_at_its_line(lang, tmp_path, capsys):
    root = make_site(tmp_path / "site", {})
    main(["new", "article", TITLES[lang], "--lang", lang, "--date", DAY, "--root", str(root)])
    path = capsys.readouterr().out.strip()
    article = root / path
    text = filled(article.read_text(encoding="utf-8"), lang)
    said = {"ru": "{path}:9:10: {severity}: sources[1].url: {host} — адрес для примеров, а не "
                  "источник: укажите адрес публикации\n",
            "en": "{path}:9:10: {severity}: sources[1].url: {host} is a documentation address, "
                  "not a source: give the address of the report\n"}[lang]
    words = ("warning", "error")
    for host in ("example.org", "news.example.com", "example.net"):
        article.write_text(text.replace("news.belsat.eu", host), encoding="utf-8")
        assert check(root, capsys, "--lang", lang) == (
            0, said.format(path=path, severity=words[0], host=host))
        assert check(root, capsys, "--strict", "--lang", lang) == (
            1, said.format(path=path, severity=words[1], host=host))
    for host in ("example.org.by", "myexample.com"):     # not the documentation domains
        article.write_text(text.replace("news.belsat.eu", host), encoding="utf-8")
        assert check(root, capsys, "--strict", "--lang", lang) == (0, "")
