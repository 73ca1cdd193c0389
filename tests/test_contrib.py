"""Contributors' tools: `sitegen new article` and `sitegen diff`."""
import shutil

from sitegen.cli import main

from .conftest import copy_sample, make_site

NEW = "content/articles/2025/2025-11-22-lukashenko-pomiloval-31-grazhdanina-ukrainy.md"


def test_new_article_from_a_cyrillic_title(tmp_path, capsys):
    root = make_site(tmp_path, {})
    assert main(["new", "article", "Лукашенко помиловал 31 гражданина Украины",
                 "--date", "2025-11-22", "--lang", "ru", "--root", str(root)]) == 0
    assert capsys.readouterr().out == NEW + "\n"
    text = (root / NEW).read_text(encoding="utf-8")
    assert 'title: "Лукашенко помиловал 31 гражданина Украины"' in text
    assert "  - id: 2025-11-22-lukashenko-pomiloval-31-grazhdanina-ukrainy\n" in text
    # the blanks are exactly what check reports
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().out == (
        f"{NEW}:9:10: error: sources[1].url: expected an http:// or https:// address, "
        "got 'https://'\n"
        f"{NEW}:10:15: error: sources[1].publisher: expected text, got nothing\n"
        f"{NEW}:21:14: error: events[1].released: expected a whole number, {{at_least: N}} or "
        "{min: N, max: M}, got nothing\n"
        f"{NEW}:27:1: warning: this is the placeholder text `sitegen new` wrote: replace it "
        "with the article\n")
    # filled in, it passes check
    filled = (text.replace("url: https://   ", "url: https://reports.test/news/31")
              .replace("publisher:       ", "publisher: Example News")
              .replace("released:       ", "released: 31"))
    filled = filled[:filled.index("Напишите здесь")] + "Помилованы 31 гражданин Украины.\n"
    (root / NEW).write_text(filled, encoding="utf-8")
    assert main(["check", "--strict", "--root", str(root)]) == 0
    assert capsys.readouterr().out == ""


def test_new_article_never_overwrites(tmp_path, capsys):
    root = make_site(tmp_path, {})
    args = ["new", "article", "Belarus frees 52", "--date", "2025-09-11", "--root", str(root)]
    assert main(args) == 0
    path = root / "content/articles/2025/2025-09-11-belarus-frees-52.md"
    path.write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    assert capsys.readouterr().err == ("sitegen: error: content/articles/2025/2025-09-11-belarus-"
                                       "frees-52.md already exists; nothing was written\n")
    assert path.read_text() == "mine"


def test_new_article_rejects_bad_options(tmp_path, capsys):
    root = make_site(tmp_path, {})
    assert main(["new", "article", "X", "--date", "2025-02-30", "--root", str(root)]) == 2
    assert main(["new", "article", "X", "--lang", "de", "--root", str(root)]) == 2
    assert capsys.readouterr().err == ("sitegen: error: --date '2025-02-30': expected YYYY-MM-DD\n"
                                       "sitegen: error: --lang 'de': expected one of en, ru\n")
    assert not (root / "content").exists()


DIFF = """\
## Ledger changes

| | before | after | change |
|---|---:|---:|---:|
| Confirmed | 205 | 210 | +5 |
| Including reported | ≥ 212 | ≥ 217 | +5 |

### Events added

- +5 confirmed: `2025-10-20-release-5`

### Events removed

- `2025-10-01-disputed-release` (7, not counted: disputed)

### Events changed

- `2025-12-13-to-lithuania`: released: 9 → 8

### By citizenship (confirmed)

| | before | after | change |
|---|---:|---:|---:|
| unknown | 147 | 152 | +5 |

### By destination (confirmed)

| | before | after | change |
|---|---:|---:|---:|
| LT | 61 | 60 | −1 |
| unknown | 30 | 36 | +6 |

### By year (confirmed)

| | before | after | change |
|---|---:|---:|---:|
| 2025 | 175 | 180 | +5 |
"""


def test_diff_of_two_checkouts_and_of_a_ledger_file(tmp_path, capsys):
    old = copy_sample(tmp_path / "old")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    rumour = new / "content/articles/2025/2025-10-rumour.md"
    text = rumour.read_text()
    text = text.replace("events:\n", "events:\n  - id: 2025-10-20-release-5\n    date: 2025-10-20\n"
                        "    kind: release\n    status: confirmed\n    released: 5\n", 1)
    text = text.replace("""  - id: 2025-10-01-disputed-release
    date: 2025-10-01
    kind: release
    status: disputed
    released: 7
    title: {en: Seven reportedly freed}
""", "")
    rumour.write_text(text)
    split = new / "content/articles/2025/2025-12-13-release-123.md"
    split.write_text(split.read_text().replace("released: 9\n", "released: 8\n"))
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out == DIFF
    assert main(["build", "--root", str(old)]) == 0
    assert main(["diff", str(old / "output/data/ledger.json"), "--root", str(new)]) == 0
    assert capsys.readouterr().out == DIFF


def test_diff_with_no_change(tmp_path, capsys):
    site = copy_sample(tmp_path / "site")
    assert main(["diff", str(site), str(site)]) == 0
    assert capsys.readouterr().out.endswith(
        "| Confirmed | 205 | 205 | ±0 |\n| Including reported | ≥ 212 | ≥ 212 | ±0 |\n\n"
        "No release event was added, removed or changed.\n")


def test_check_watch_reports_again_after_each_save(tmp_path):
    """`sitegen check --watch`: what an editor's background task reads on every save."""
    import subprocess
    import sys
    import time
    root = make_site(tmp_path, {"content/articles/a.md": (
        "---\ntitle: A\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', publisher: P}]\n"
        "events:\n  - {id: e, date: 2025, kind: statement}\n---\nText.\n")})
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "check", "--watch", "--root",
                             str(root)], stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        assert [proc.stdout.readline() for _ in range(2)] == [
            "sitegen: checking\n", "sitegen: 0 errors, 0 warnings\n"]
        time.sleep(0.5)
        article = root / "content/articles/a.md"
        article.write_text(article.read_text().replace("date: 2025-01-01", "date: 2025-01-32"))
        assert [proc.stdout.readline() for _ in range(3)] == [
            "sitegen: checking\n",
            "content/articles/a.md:3:7: error: date: '2025-01-32' is not a date in the calendar\n",
            "sitegen: 1 error, 0 warnings\n"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
