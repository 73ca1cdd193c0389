"""`sitegen new article`: a new article file with a commented front matter to fill in."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from slugify import slugify

from .config import Config
from .messages import Catalogue, languages

MAX_SLUG = 80


def slug_for(title: str) -> str:
    """A Latin slug, Cyrillic transliterated (text-unidecode, so it never changes under us)."""
    return slugify(title, max_length=MAX_SLUG, word_boundary=True,
                   backend="text-unidecode") or "article"


def new_article(config: Config, title: str, date: dt.date, lang: str,
                say: Catalogue | None = None) -> Path:
    """Write content/articles/YYYY/YYYY-MM-DD-slug.md; FileExistsError if it is there.
    Its comments and placeholder body are in `say`'s language (the article's)."""
    slug = f"{date.isoformat()}-{slug_for(title)}"
    path = config.content_dir / "articles" / f"{date.year:04d}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as out:   # "x": never overwrite
        out.write(article_template(title, date, lang, slug, say or Catalogue(lang)))
    return path


def article_template(title: str, date: dt.date, lang: str, slug: str,
                     say: Catalogue | None = None) -> str:
    say = say or Catalogue(lang)
    values = {"title": json.dumps(title, ensure_ascii=False), "day": date.isoformat(),
              "lang": lang, "id": slug[:100]}
    return ("---\n" + say.template("SCAFFOLD-FRONT-MATTER").format(**values) + "---\n"
            + say.template("SCAFFOLD-BODY"))


@lru_cache(maxsize=8)
def placeholder_lines(site_root: Path | None = None) -> frozenset[str]:
    """The lines of the scaffold's body in every language there are messages in: an
    article that still holds one was not finished."""
    lines = set()
    for lang in languages(site_root):
        lines.update(line.strip() for line in
                     Catalogue(lang, site_root).template("SCAFFOLD-BODY").splitlines())
    return frozenset(line for line in lines if line)
