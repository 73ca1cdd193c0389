"""One mistake, one message: an article that cannot be read is reported once, and the
references other files make to events it may declare are not reported as errors of their
own with guesses; one note at that article counts them."""
from sitegen.cli import main

from .conftest import make_site

DECLARES = """---
title: Belarus frees 52
date: 2025-09-11
sources:
  - url: https://news.belsat.eu/a
    publisher: Belsat
events:
  - id: 2025-09-11-release-52
    date: 2025-09-11
    kind: release
    status: confirmed
    released: 52
---
Fifty-two people were freed.
"""


def refers(n: int) -> str:
    return f"""---
title: Follow-up {n}
date: 2025-09-{11 + n}
sources:
  - url: https://news.belsat.eu/{n}
    publisher: Belsat
events:
  - ref: 2025-09-11-release-52
---
More on the release.
"""


def site(tmp_path, broken: str):
    files = {"content/articles/2025/2025-09-11-release.md": broken}
    files.update({f"content/articles/2025/2025-09-1{n}-follow-up.md": refers(n)
                  for n in range(2, 7)})
    return make_site(tmp_path / "site", files)


BROKEN = DECLARES.replace("title: Belarus frees 52", "title: Belarus: 52 freed")
A = "content/articles/2025/2025-09-11-release.md"


def test_a_typo_gives_one_error_and_one_note(tmp_path, capsys):
    root = site(tmp_path, BROKEN)
    assert main(["check", "--root", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        f"{A}:2:8: error: the value of 'title' contains ': ', which YAML reads as a new key: "
        "put the whole value in double quotes: title: \"Belarus: 52 freed\"\n"
        f"{A}:2:8: note: until this file can be read, 5 references to events in other files "
        "cannot be checked (they may be to events this file declares), nor can this file's "
        "events be compared for duplicates: fix this file first\n")
    assert captured.err == "sitegen: 1 error, 0 warnings\n"
    assert main(["check", "--root", str(root), "--lang", "ru"]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        f"{A}:2:8: error: в значении 'title' есть ': ', и YAML читает это как новый ключ: "
        "заключите всё значение в двойные кавычки: title: \"Belarus: 52 freed\"\n"
        f"{A}:2:8: note: пока этот файл не читается, 5 ссылок на события в других файлах "
        "проверить нельзя (они могут вести к событиям из этого файла), и события этого файла "
        "нельзя сверить на повторы: сначала исправьте этот файл\n")
    assert captured.err == "sitegen: 1 ошибка, 0 предупреждений\n"
    # a note is no error: --strict does not make the one mistake two
    assert main(["check", "--root", str(root), "--strict"]) == 1
    assert capsys.readouterr().err == "sitegen: 1 error, 0 warnings\n"


def test_fixed_the_references_resolve(tmp_path, capsys):
    root = site(tmp_path, DECLARES)
    assert main(["check", "--strict", "--root", str(root)]) == 0
    assert capsys.readouterr().out == ""


def test_with_every_file_readable_a_bad_reference_is_an_error_with_its_guess(tmp_path, capsys):
    root = site(tmp_path, DECLARES.replace("release-52\n    date", "release-25\n    date"))
    assert main(["check", "--root", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[0] == ("content/articles/2025/2025-09-12-follow-up.md:8:10: error: ref: no "
                        "event '2025-09-11-release-52' is declared anywhere (did you mean "
                        "'2025-09-11-release-25'?)")


def test_the_readmes_example_is_what_check_prints(tmp_path, capsys):
    from pathlib import Path
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ sitegen check --lang en\n", 1)[1].split("```", 1)[0]
    root = make_site(tmp_path / "site", {A: BROKEN})
    printed = ""
    for lang in ("en", "ru"):
        main(["check", "--root", str(root), "--lang", lang])
        captured = capsys.readouterr()
        printed += ("" if lang == "en" else "$ sitegen check --lang ru\n") + captured.out \
            + captured.err
    assert shown == printed
