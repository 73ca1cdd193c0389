"""CONTRIBUTING.ru.md quotes `sitegen check`'s messages in Russian: each quoted message is
one that check prints, today, for the mistake the guide describes."""
import re
from pathlib import Path

from sitegen.cli import main

from .conftest import make_site

ROOT = Path(__file__).parent.parent
GOOD = """---
title: "Освобождены 52 человека"
date: 2025-09-11
lang: ru
sources:
  - url: https://news.belsat.eu/2025/09/11/52
    publisher: Белсат
events:
  - id: 2025-09-11-release-52
    date: 2025-09-11
    kind: release
    status: confirmed
    released: 52
    destination: LT
---
Пятьдесят два человека вышли на свободу.
"""
# the mistakes the guide shows: each (what is replaced, by what)
MISTAKES = [
    ('title: "Освобождены 52 человека"', "title: Освобождены: 52 человека"),
    ("    publisher: Белсат", "\tpublisher: Белсат"),
    ("  - url:", "  -url:"),
    ("    kind: release", "    kind:release"),
    ('title: "Освобождены 52 человека"', 'title: "Освобождены 52 человека'),
    ("    publisher: Белсат", "    publisher:\n      - Белсат\n      - Reuters"),
    ("    released: 52", "    relesed: 52"),
    ("date: 2025-09-11\nlang", "date: 2025-02-30\nlang"),
    ("date: 2025-09-11\nlang", "date: 11.09.2025\nlang"),
    ("destination: LT", "destination: lt"),
    ("url: https://news.belsat.eu/2025/09/11/52", "url: www.belsat.eu/a"),
    ("    publisher: Белсат", "    publisher:"),
    ("    released: 52", "    released: около 50"),
    ("    status: confirmed\n", ""),
    ("  - id: 2025-09-11-release-52\n    date: 2025-09-11\n    kind: release\n"
     "    status: confirmed\n    released: 52\n    destination: LT\n",
     "  - ref: 2025-09-11-release-25\n"),
    ("---\nПятьдесят", "Пятьдесят"),
    ("Пятьдесят два человека вышли на свободу.\n",
     "Напишите здесь статью своими словами. Работает Markdown: **жирный**, "
     "[ссылки](https://example.org),\nсписки и `## заголовки`.\n"),
]
NAME = "content/articles/2025/2025-09-11-release.md"


def printed(tmp_path: Path, capsys) -> set[str]:
    """What check --lang ru says for each mistake, the part after 'error: ' or
    'warning: '."""
    said = set()
    for i, (old, new) in enumerate(MISTAKES):
        assert old in GOOD, old
        root = make_site(tmp_path / str(i), {NAME: GOOD.replace(old, new, 1)})
        main(["check", "--root", str(root), "--lang", "ru"])
        for line in capsys.readouterr().out.splitlines():
            said.add(re.split(r": (?:error|warning|note): ", line, 1)[1])
    return said


def quoted() -> list[str]:
    """The messages the guide's table quotes (its first column, in backticks)."""
    text = (ROOT / "CONTRIBUTING.ru.md").read_text(encoding="utf-8")
    table = text.split("<!-- сообщения -->", 2)[1]
    return [m[1] for m in re.findall(r"^\| (``?) ?(.+?) ?\1 \|", table, re.M)]


def test_the_guide_quotes_what_check_prints(tmp_path, capsys):
    said = printed(tmp_path, capsys)
    assert len(quoted()) == len(MISTAKES)
    assert [q for q in quoted() if q not in said] == []


def test_the_guides_link_each_other():
    english = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    russian = (ROOT / "CONTRIBUTING.ru.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(CONTRIBUTING.ru.md)" in english and "(CONTRIBUTING.ru.md)" in readme
    assert "(CONTRIBUTING.md)" in russian and "(README.md)" in russian


def test_the_guides_template_is_what_sitegen_new_writes():
    import datetime as dt

    from sitegen.content.scaffold import article_template
    russian = (ROOT / "CONTRIBUTING.ru.md").read_text(encoding="utf-8")
    template = article_template("Освобождены 52 человека", dt.date(2025, 9, 11), "ru",
                                "2025-09-11-osvobozhdeny-52-cheloveka")
    assert "```yaml\n" + template + "```" in russian
