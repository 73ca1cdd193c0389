"""Rendering pieces: CLDR formatting, Markdown safety, feeds, template errors."""
import shutil
import xml.etree.ElementTree as ET

import pytest

from sitegen.cli import main
from sitegen.content.markdown import render_markdown
from sitegen.content.model import Interval, PartialDate

from .conftest import THEME, TESTS, copy_sample, strings

SAMPLE = TESTS / "sites" / "sample"


@pytest.fixture(scope="module")
def ru():
    return strings("ru")


@pytest.fixture(scope="module")
def en():
    return strings("en")


def test_dates_at_their_precision(ru, en):
    assert ru.date(PartialDate(2025, 9, 11)) == "11 сентября 2025\u202fг."
    assert ru.date(PartialDate(2025, 11)) == "ноябрь 2025"
    assert ru.date(PartialDate(2025)) == "2025"
    assert en.date(PartialDate(2025, 9, 11)) == "September 11, 2025"
    assert en.date(PartialDate(2025, 11)) == "November 2025"


def test_plurals_and_numbers(ru, en):
    assert [ru.plural("people_count", n) for n in (1, 2, 5, 21, 11, 0)] == [
        "1 человек", "2 человека", "5 человек", "21 человек", "11 человек", "0 человек"]
    assert [en.plural("people_count", n) for n in (1, 2)] == ["1 person", "2 people"]
    assert ru.plural("people_count", Interval(1227, 1227)) == "1\xa0227 человек"
    assert ru.plural("people_count", Interval(4, 18)) == "4–18 человек"
    assert ru.plural("people_count", Interval(100, None)) == "≥\xa0100 человек"
    assert en.count(Interval(4, 18)) == "4–18"
    assert en.count(Interval(100, None)) == "≥\xa0100"


def test_country_names(ru, en):
    assert (ru.country("LT"), en.country("LT")) == ("Литва", "Lithuania")
    assert (ru.country("NO"), en.country("NO")) == ("Норвегия", "Norway")


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](java&#x09;script:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
])
def test_markdown_never_emits_active_content(source):
    html = render_markdown(source, "/").html.lower()
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'href="vbscript' not in html
    assert 'href="data' not in html


def test_markdown_links_and_images():
    html = render_markdown("[a](/ledger/) [b](https://x.org) ![c](https://x.org/i.png) "
                           "![d](//cdn.example/i.png) ![e](/img/e.png)\n\n## Итоги года\n\n"
                           "## Итоги года", "/repo/").html
    assert html == (
        '<p><a href="/repo/ledger/">a</a> <a href="https://x.org" rel="noopener noreferrer">b</a> '
        '<a class="external-image" href="https://x.org/i.png" rel="noopener noreferrer">c</a> '
        '<a class="external-image" href="//cdn.example/i.png" rel="noopener noreferrer">d</a> '
        '<img src="/repo/img/e.png" alt="e" /></p>\n'
        '<h2 id="itogi-goda">Итоги года</h2>\n<h2 id="itogi-goda-1">Итоги года</h2>\n')


def test_lint_finds_every_unsafe_target():
    from sitegen.content.markdown import lint_markdown
    text = ("ok [a](https://x.org) [b](javascript:alert(1)) ![c](data:image/png;base64,AAA)\n"
            "<vbscript:msgbox> [d](<JavaScript:x>)\n\n[r]: javascript:void(0)\n")
    assert [(d.line, d.message.split("'")[1]) for d in lint_markdown(text, "a.md", 5)] == [
        (5, "javascript:alert(1)"), (5, "data:image/png;base64,AAA"), (6, "JavaScript:x"),
        (6, "vbscript:msgbox"), (8, "javascript:void(0)")]


def test_summary_is_the_first_paragraph():
    assert render_markdown("# T\n\nFirst *para*\nline.\n\nSecond.", "/").summary == \
        "First para line."


def test_unsafe_link_is_a_warning_at_its_line(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns("output"))
    (site / "pyproject.toml").write_text((SAMPLE / "pyproject.toml").read_text().replace(
        "../../../templates", THEME.as_posix()))
    page = site / "content/pages/about.en.md"
    page.write_text(page.read_text() + "\nMore.\n\n[click](javascript:alert(1))\n")
    assert main(["check", "--root", str(site)]) == 0
    assert capsys.readouterr().out == (
        "content/pages/about.en.md:8:1: warning: link target 'javascript:alert(1)' is not "
        "allowed (only http, https, mailto or relative links): it is shown as text\n")


def test_atom_feed_per_language(sample_files):
    files = sample_files
    ns = {"a": "http://www.w3.org/2005/Atom"}
    en = ET.fromstring(files["en/feed.xml"])
    assert en.find("a:updated", ns).text == "2025-10-02T00:00:00Z"
    assert [e.find("a:id", ns).text for e in en.findall("a:entry", ns)] == [
        "https://example.org/en/articles/2025-10-rumour/",
        "https://example.org/en/articles/2025-09-12-foreigners/",
        "https://example.org/en/articles/2025-09-11-fifty-two-freed/",
        "https://example.org/en/articles/2024-08-16-thirty-pardoned/",
        "https://example.org/en/articles/2024-07-amnesty/"]
    thirty = en.findall("a:entry", ns)[3]
    assert thirty.find("a:updated", ns).text == "2024-08-16T18:00:00+03:00"
    ru = ET.fromstring(files["feed.xml"])
    assert ru.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert ru.find("a:title", ns).text == "Освобождения: пример"
    assert len(ru.findall("a:entry", ns)) == 3


def test_template_syntax_error_points_at_its_line(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    ledger = site / "templates" / "ledger.html"
    lines = ledger.read_text().splitlines()
    lines[3] = "{% if %}"
    ledger.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().out == ("templates/ledger.html:4:1: error: template syntax: "
                                       "Expected an expression, got 'end of statement block'\n")
    assert not (site / "output").exists()


def test_template_runtime_error_points_at_its_line(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    page = site / "templates" / "page.html"
    lines = page.read_text().splitlines()
    lines.insert(6, "{{ page_item.no_such_field }}")
    page.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().out == ("templates/page.html:7:1: error: template error: "
                                       "'sitegen.content.model.Page object' has no attribute "
                                       "'no_such_field'\n")


def test_symlink_in_templates_is_refused(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    (site / "templates" / "static" / "secret.txt").symlink_to("/etc/hostname")
    assert main(["check", "--root", str(site)]) == 1
    assert capsys.readouterr().out == (
        "templates/static/secret.txt:1:1: error: symbolic links are not allowed in content/ or "
        "templates/: replace the link with a real file\n")


def test_table_alignment_uses_classes_not_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n", "/").html
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html and '<td class="align-right">2</td>' in html


def test_chart_band_is_closed_and_axis_fits():
    from sitegen.site.chart import _nice_max, chart_svg
    from sitegen.content.model import Event
    ru = strings("ru")
    a = Event("a", PartialDate(2025, 1, 1), "release", "x", released=Interval(10, 10))
    b = Event("b", PartialDate(2025, 3, 1), "release", "x", released=Interval(4, 18))
    svg = str(chart_svg(((a, Interval(10, 10)), (b, Interval(14, 28))), ru))
    band = [line for line in svg.splitlines() if 'class="range"' in line][0]
    assert band.endswith(' Z"/>')
    assert [_nice_max(n) for n in (212, 205, 1, 9, 10, 11, 1227, 0)] == [250, 250, 1, 10, 10, 12, 1500, 1]


def test_a_mistake_in_the_macros_points_at_its_line(tmp_path, capsys):
    """macros.html is made once per language for every page (`m`): its mistakes are still
    reported at its own file and line, a syntax error as a use of something undefined."""
    site = copy_sample(tmp_path / "site")
    macros = site / "templates" / "macros.html"
    original = macros.read_text()
    lines = original.splitlines()
    lines[2] = "{% if %}"
    macros.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().out == ("templates/macros.html:3:1: error: template syntax: "
                                       "Expected an expression, got 'end of statement block'\n")
    lines = original.splitlines()
    at = lines.index("{% macro status(s) -%}") + 1
    lines.insert(at, "{{ v.config }}")      # a macro sees the language's values, not a page's
    macros.write_text("\n".join(lines) + "\n")
    assert main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().out == (f"templates/macros.html:{at + 1}:1: error: template "
                                       "error: 'v' is undefined\n")
    assert not (site / "output").exists()
