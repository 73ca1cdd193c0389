"""A deterministic corpus of N news articles like real ones, for benchmarks.

Each article declares one release event with citizenship and sources; every 5th also
references an earlier event, every 10th is `part_of` the one before it. Bodies are
~3.5 KB of Russian Markdown with a heading, a list and links.

    python bench/corpus.py DEST N      # writes DEST/pyproject.toml and DEST/content/
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "templates"
WORDS = ("власти освободили политических заключённых после переговоров с представителями "
         "соседних государств правозащитники сообщают что среди помилованных журналисты "
         "активисты и участники протестов которые провели в колонии несколько лет").split()
LANGUAGES = ("ru", "en")
COUNTRIES = ("LT", "LV", "PL", "DE", "UA", "US", "FR", "GB", "JP", "NO")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, i: int) -> str:
    parts = []
    while sum(len(p) for p in parts) < 1700:
        parts.append(" ".join(sentence(rng) for _ in range(4)))
    parts.insert(2, "## Подробности\n\n" + "\n".join(
        f"- {sentence(rng)} [Источник {k}](https://example.org/news/{i}/{k})" for k in range(4)))
    return "\n\n".join(parts) + "\n"


def article(i: int, n: int, bodies: bool = True) -> tuple[str, str]:
    """Article i of n; without `bodies`, its body is one sentence (for what no body changes)."""
    rng = random.Random(i)
    day = dt.date(2024, 1, 1) + dt.timedelta(days=i * 700 // max(n, 1))
    slug = f"{day}-release-{i:05d}"
    released = rng.randint(2, 60)
    event = [f"  - id: {slug}", f"    date: {day}", "    kind: release"]
    if i % 10 == 9:
        event += ["    released: 1", f"    part_of: {day_slug(i - 1, n)}",
                  f"    citizenship: {{{COUNTRIES[(i - 1) % 10]}: 1}}"]
    else:
        event += ["    status: confirmed", f"    released: {released}",
                  f"    citizenship: {{BY: {released - 1}, {COUNTRIES[i % 10]}: 1}}",
                  f"    destination: {rng.choice(COUNTRIES[:5])}"]
    if i % 5 == 4 and i >= 5:
        event.append(f"  - ref: {day_slug(i - 3, n)}")
    fm = ["---", f"title: Освобождение {i} — {sentence(rng)[:60].strip()}", f"date: {day}", "lang: ru",
          "sources:", f"  - url: https://news.test/source/{i}", "    publisher: Example News",
          f"    title: Report {i}", "events:", *event, "---"]
    return f"content/articles/{day.year}/{slug}.md", "\n".join(fm) + "\n" + (
        body(rng, i) if bodies else sentence(rng) + "\n")


def day_slug(i: int, n: int) -> str:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=i * 700 // max(n, 1))
    return f"{day}-release-{i:05d}"


def write_corpus(dest: Path, n: int, theme: Path = THEME, bodies: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    languages = ", ".join(f'"{lang}"' for lang in LANGUAGES)
    (dest / "pyproject.toml").write_text(
        "[tool.sitegen]\n"
        'title = { ru = "Корпус", en = "Corpus" }\n'
        'base_url = "https://example.org/releases/"\n'
        f"languages = [{languages}]\n"
        'releasing_country = "BY"\n'
        # a corpus of 20,000 is past the bounds a site has unless it says more
        f"max_events = {max(n, 4000)}\nmax_articles = {max(n, 4000)}\n"
        f'templates_dir = "{theme.as_posix()}"\n', encoding="utf-8")
    for i in range(n):
        name, text = article(i, n, bodies)
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), int(sys.argv[2]))
