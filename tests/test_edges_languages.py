"""The edges speak the reader's language too: template and theme-string errors, `sitegen
diff`'s errors and Markdown summary, the search index's warning, the progress bar."""
import io
import re

import pytest

from sitegen.cli import main
from sitegen.content.messages import Catalogue
from sitegen.progress import Progress
from sitegen.search import missing_warning
from sitegen.site.summary import diff_markdown, failed_markdown

from .conftest import copy_sample


@pytest.fixture(autouse=True)
def no_language_around(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_template_errors_in_russian(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    ledger = site / "templates" / "ledger.html"
    lines = ledger.read_text().splitlines()
    lines[3] = "{% if %}"
    ledger.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site), "--lang", "ru"]) == 1
    out = capsys.readouterr()
    # Jinja2's own words stay its own; the frame and the summary are Russian
    assert out.out == ("templates/ledger.html:4:1: error: ошибка синтаксиса шаблона: "
                       "Expected an expression, got 'end of statement block'\n")
    assert out.err == "sitegen: 1 ошибка, 0 предупреждений; ничего не записано\n"


def test_a_missing_ui_string_in_russian(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    page = site / "templates" / "page.html"
    lines = page.read_text().splitlines()
    lines.insert(6, "{{ t('no_such_string') }}")
    page.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site), "--lang", "ru"]) == 1
    assert capsys.readouterr().out == (
        "templates/page.html:7:1: error: ошибка в шаблоне: нет строки интерфейса "
        "'no_such_string' для языка 'ru'\n")


def test_missing_ui_strings_file_in_english_and_russian(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    (site / "templates" / "strings" / "en.toml").unlink()
    assert main(["build", "--root", str(site), "--lang", "en"]) == 1
    assert capsys.readouterr().out == (
        "templates:1:1: error: no UI strings for language 'en': add strings/en.toml to "
        "templates/\n")
    assert main(["build", "--root", str(site), "--lang", "ru"]) == 1
    assert capsys.readouterr().out == (
        "templates:1:1: error: нет строк интерфейса для языка 'en': добавьте strings/en.toml "
        "в templates/\n")


def test_diff_errors_in_russian(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text('{"totals": 1}', encoding="utf-8")
    assert main(["diff", "bad.json", "bad.json", "--lang", "ru"]) == 2
    assert capsys.readouterr().err == (
        'sitegen: ошибка: diff: bad.json: это не ledger.json от sitegen: нет "totals" с '
        'числами "confirmed" и "with_reported"\n')


def ledger(confirmed: int, events: list[dict]) -> dict:
    n = {"min": confirmed, "max": confirmed}
    return {"totals": {"confirmed": n, "with_reported": n}, "events": events,
            "by_citizenship": {}, "by_destination": {}, "by_year": {}}


def test_the_diff_summary_in_russian():
    old = ledger(52, [])
    new = ledger(52, [{"id": "2025-09-11-part", "released": {"min": 4, "max": 4},
                       "counted": False, "part_of": "2025-09-11-release"}])
    assert diff_markdown(old, new, Catalogue("ru")) == (
        "## Изменения в подсчёте\n\n| | до | после | изменение |\n|---|---:|---:|---:|\n"
        "| Подтверждено | 52 | 52 | ±0 |\n| Вместе с сообщёнными | 52 | 52 | ±0 |\n\n"
        "### Добавленные события\n\n"
        "- `2025-09-11-part` (4, не считается: часть `2025-09-11-release`)\n")
    assert diff_markdown(old, new).splitlines()[-1] == (
        "- `2025-09-11-part` (4, not counted: part of `2025-09-11-release`)")
    assert [failed_markdown("main", n, Catalogue("ru")).splitlines()[2] for n in (1, 3, 5)] == [
        "Не подсчитано: в содержимом `main` 1 ошибка (см. `sitegen check`).",
        "Не подсчитано: в содержимом `main` 3 ошибки (см. `sitegen check`).",
        "Не подсчитано: в содержимом `main` 5 ошибок (см. `sitegen check`)."]


def test_search_warning_and_progress_in_russian():
    assert missing_warning().text(Catalogue("ru")).startswith(
        "pyproject.toml:1:1: warning: поиск: программа Pagefind не установлена")
    stream = io.StringIO()
    ticks = iter(range(100))
    bar = Progress(stream, delay=0, enabled=True, say=Catalogue("ru"),
                   clock=lambda: next(ticks))
    bar.stage("render", 4)
    bar.advance(2)
    assert stream.getvalue().split("\r\x1b[2K")[-1] == (
        "sitegen: вёрстка [###############...............] 2/4")


def test_a_missing_setting_is_said_as_nothing_not_none(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sitegen]\ntitle = "T"\nbase_url = "https://a.test/"\nlanguages = ["ru", "en"]\n',
        encoding="utf-8")
    assert main(["check", "--root", str(tmp_path), "--lang", "ru"]) == 1
    assert capsys.readouterr().out == (
        "pyproject.toml:1:1: error: [tool.sitegen] releasing_country: нужен двухбуквенный код "
        "страны ISO 3166-1, например 'BY', а здесь пусто\n")
    assert main(["check", "--root", str(tmp_path), "--lang", "en"]) == 1
    assert capsys.readouterr().out.endswith("such as 'BY', got nothing\n")


def test_the_build_line_in_russian_has_russian_numbers(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    assert main(["build", "--root", str(site), "--lang", "ru", "--no-search"]) == 0
    line = capsys.readouterr().err
    assert re.fullmatch(r"sitegen: 101 файл в output/ \(87 страниц: ru 43, en 44; "
                        r"записано 101, без изменений 0\) за \d+,\d\d с; "
                        r"0 ошибок, 0 предупреждений\n", line), line


def test_large_numbers_are_grouped_as_the_language_groups_them():
    from sitegen.content.messages import msg
    too_long = msg("E-BODY-TOO-LONG", size=1234567, limit=1000000)
    assert Catalogue("ru").render(too_long).startswith(
        "в тексте (после шапки) 1\u00a0234\u00a0567 символов, можно не больше 1\u00a0000\u00a0000")
    assert Catalogue("en").render(too_long).startswith(
        "the body (the text after the front matter) is 1,234,567 characters; the limit is "
        "1,000,000")
    assert Catalogue("ru").render(msg("E-YEAR-RANGE", year=2025, min=1900, max=2100)) == (
        "год 2025 вне допустимого диапазона (1900-2100)")


def test_the_systems_reasons_in_english_are_the_c_librarys_own():
    import os

    from sitegen.content.messages import _ERRNO, msg
    assert {os.strerror(n): Catalogue("en").render(msg(code)) for n, code in _ERRNO.items()} \
        == {os.strerror(n): os.strerror(n) for n in _ERRNO}


def test_a_write_the_system_refuses_is_said_in_russian(tmp_path):
    """A file-size limit makes write() fail (EFBIG): the reason in Russian, after the file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from .conftest import article_text, make_site
    site = make_site(tmp_path / "site", {"content/articles/a.md": article_text()})
    code = ("import resource, signal, sys\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))\n"
            "from sitegen.cli import main\n"
            f"sys.exit(main(['build', '--no-cache', '--lang', 'ru', '--root', {str(site)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert done.returncode == 1
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith(f"sitegen: ошибка: {site}/.output")
    assert line.endswith(": файл больше, чем разрешено системой")
