"""Eleventy, the peer the build bench times sitegen against, on the same articles.

The project made for Eleventy holds each article of a generated sitegen site with its title
and date as front matter and its Markdown body unchanged, a Nunjucks layout that puts the
body in a small HTML page, and an index page listing every article: one page per article
and an index, as the bench's floor makes. Markdown is not run through a template language
first (`markdownTemplateEngine: false`): sitegen's bodies are Markdown alone. Eleventy is
the version pinned in tools/package.json, run by Node as its `eleventy` command is.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import frontmatter
import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools" / "node_modules" / "@11ty" / "eleventy"
VERSION = "3.1.8"
NAME = f"Eleventy {VERSION}"

CONFIG = """\
export default function () {
  return {
    dir: { input: "src", output: "_site" },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
"""
LAYOUT = """\
<!DOCTYPE html><html lang="ru"><meta charset="utf-8"><title>{{ title }}</title>
<main><h1>{{ title }}</h1>{{ content | safe }}</main></html>
"""
INDEX = """\
---
title: Index
---
<!DOCTYPE html><html lang="ru"><meta charset="utf-8"><title>{{ title }}</title><main><ul>
{%- for article in collections.article %}
<li><a href="{{ article.url }}">{{ article.data.title }}</a></li>
{%- endfor %}
</ul></main></html>
"""
LINK = re.compile(r'<li><a href="/articles/')


def missing() -> str | None:
    """Why Eleventy cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node not found on PATH"
    manifest = PACKAGE / "package.json"
    if not manifest.is_file():
        return f"{PACKAGE.relative_to(ROOT)} not installed (npm ci --prefix tools --ignore-scripts)"
    found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if found != VERSION:
        return f"{PACKAGE.relative_to(ROOT)} is {found}, not {VERSION} (npm ci --prefix tools)"
    return None


def write_project(content: Path, dest: Path) -> int:
    """An Eleventy project in dest of the articles under a sitegen site's content folder;
    the number of articles."""
    src = dest / "src"
    (src / "_includes").mkdir(parents=True)
    (dest / "eleventy.config.mjs").write_text(CONFIG, encoding="utf-8")
    (src / "_includes" / "article.njk").write_text(LAYOUT, encoding="utf-8")
    (src / "index.njk").write_text(INDEX, encoding="utf-8")
    (src / "articles").mkdir()
    (src / "articles" / "articles.json").write_text(
        json.dumps({"layout": "article.njk", "tags": "article"}), encoding="utf-8")
    handler = frontmatter.YAMLHandler()
    articles = sorted((content / "articles").rglob("*.md"))
    for path in articles:
        fm, body = handler.split(path.read_text(encoding="utf-8"))
        meta = yaml.load(fm, Loader=yaml.CSafeLoader)
        target = src / path.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        # JSON is YAML: the title is quoted whatever it holds
        target.write_text(f"---\ntitle: {json.dumps(meta['title'], ensure_ascii=False)}\n"
                          f"date: {meta['date']}\n---\n{body}", encoding="utf-8")
    return len(articles)


def build(project: Path, articles: int) -> float:
    """Seconds of one cold Eleventy build of the project (no .cache, no output), after
    which its output is checked to hold a page per article and the index listing them all
    (a build that made less would be timed for less work)."""
    out = project / "_site"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    started = time.perf_counter()
    ran = subprocess.run(["node", str(PACKAGE / "cmd.cjs"), "--quiet"], cwd=project,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - started
    if ran.returncode:
        raise RuntimeError(f"{NAME} failed ({ran.returncode}): {ran.stderr.strip()}")
    pages = sorted(out.rglob("*.html"))
    made = [p for p in pages if p.parent.parent.parent == out / "articles"
            and "</main>" in p.read_text(encoding="utf-8")]
    listed = len(LINK.findall((out / "index.html").read_text(encoding="utf-8"))) \
        if (out / "index.html").is_file() else 0
    if len(pages) != articles + 1 or len(made) != articles or listed != articles:
        raise RuntimeError(f"{NAME} wrote {len(pages)} pages ({len(made)} articles, the "
                           f"index listing {listed}), not {articles} articles and an index")
    return took
