"""`sitegen new article`: a new article file with a commented front matter to fill in."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from slugify import slugify

from .config import Config

MAX_SLUG = 80


def slug_for(title: str) -> str:
    """A Latin slug, Cyrillic transliterated (text-unidecode, so it never changes under us)."""
    return slugify(title, max_length=MAX_SLUG, word_boundary=True,
                   backend="text-unidecode") or "article"


def new_article(config: Config, title: str, date: dt.date, lang: str) -> Path:
    """Write content/articles/YYYY/YYYY-MM-DD-slug.md; FileExistsError if it is there."""
    slug = f"{date.isoformat()}-{slug_for(title)}"
    path = config.content_dir / "articles" / f"{date.year:04d}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as out:   # "x": never overwrite
        out.write(article_template(title, date, lang, slug))
    return path


def article_template(title: str, date: dt.date, lang: str, slug: str) -> str:
    day = date.isoformat()
    return f"""---
# The headline, as you would write it on the page.
title: {json.dumps(title, ensure_ascii=False)}
# The day the article is published (YYYY-MM-DD).
date: {day}
lang: {lang}
# Where the facts come from: at least one report with a link (http or https).
sources:
  - url: https://          # FILL IN: the address of the report
    publisher:             # FILL IN: who published it, e.g. Reuters
    # title: the report's headline
    # date: {day}
# What the article reports. Each release is declared ONCE on the whole site:
# if another article already declares it, replace the block below with
#   - ref: <the id declared there>
events:
  - id: {slug[:100]}
    date: {day}            # or YYYY-MM, or YYYY, as precisely as the sources say
    kind: release          # release, negotiation, statement or snapshot
    status: confirmed      # confirmed, reported, disputed or retracted
    released:              # FILL IN: how many people, e.g. 52, or {{at_least: 10}}, or {{min: 4, max: 18}}
    # citizenship: {{LT: 6, PL: 2}}     # country codes (ISO, upper case) -> count
    # destination: LT                  # the country they were sent to
    # part_of: <id>                    # if these people are part of a larger release
    # names: [First Last]
---
Write the article here, in your own words. Markdown works: **bold**, [links](https://example.org),
lists and `## headings`.
"""
