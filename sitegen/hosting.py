"""Files for the host and for readers' tools: Atom feeds, sitemap, robots.txt, static files."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .config import Config
from .model import Article

EPOCH = "1970-01-01T00:00:00Z"


def hosting_files(config: Config, articles: tuple[Article, ...],
                  pages: dict[tuple, dict[str, str]]) -> dict[str, bytes]:
    """Feeds, sitemap.xml, robots.txt, .nojekyll, CNAME and the theme's static files.

    `pages` maps each page's key to {lang: URL path} (its language versions).
    """
    files = {f"{_prefix(config, lang)}feed.xml": atom_feed(config, lang, articles)
             for lang in config.languages}
    files["sitemap.xml"] = sitemap(config, pages)
    files["robots.txt"] = (f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n"
                           ).encode()
    files[".nojekyll"] = b""
    if config.cname:
        files["CNAME"] = f"{config.cname}\n".encode()
    files.update(static_files(config))
    return files


def _source_date() -> str:
    """The time written when content gives none: SOURCE_DATE_EPOCH, else 1970."""
    try:
        seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        seconds = 0
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prefix(config: Config, lang: str) -> str:
    return "" if lang == config.default_language else f"{lang}/"


def _stamp(article: Article) -> str:
    """RFC 3339 from the article's own date (never the clock)."""
    if len(article.published) > 10:
        return article.published.replace(" ", "T")
    return f"{article.date.isoformat()}T00:00:00Z"


def atom_feed(config: Config, lang: str, articles: tuple[Article, ...]) -> bytes:
    mine = sorted((a for a in articles if a.lang == lang), key=lambda a: (a.date, a.slug),
                  reverse=True)
    home = config.base_url + _prefix(config, lang)
    updated = max((_stamp(a) for a in mine), default=_source_date())
    title = escape(config.site_title(lang))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
             f"  <title>{title}</title>",
             f"  <id>{escape(home)}</id>",
             f"  <link rel=\"self\" href={quoteattr(home + 'feed.xml')}/>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(home)}/>",
             f"  <updated>{updated}</updated>",
             f"  <author><name>{title}</name></author>"]
    lines += [_entry(home, a) for a in mine]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(home: str, a: Article) -> str:
    url = f"{home}articles/{a.slug}/"
    return "\n".join(["  <entry>",
                      f"    <title>{escape(a.title)}</title>",
                      f"    <id>{escape(url)}</id>",
                      f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
                      f"    <published>{_stamp(a)}</published>",
                      f"    <updated>{_stamp(a)}</updated>",
                      f"    <summary>{escape(a.summary or a.title)}</summary>",
                      "  </entry>"])


def sitemap(config: Config, pages: dict[str, dict[str, str]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    entries = sorted((path, versions) for versions in pages.values() for path in versions.values())
    for path, versions in entries:
        lines += ["  <url>", f"    <loc>{escape(config.origin + path)}</loc>"]
        if len(versions) > 1:
            lines += [f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                      f'href={quoteattr(config.origin + versions[lang])}/>'
                      for lang in config.languages if lang in versions]
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def static_files(config: Config) -> dict[str, bytes]:
    """templates/static/** -> static/** (symbolic links were refused by the check)."""
    top = config.templates_dir / "static"
    files = {}
    for dirpath, dirnames, filenames in os.walk(top):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if path.is_file() and not path.is_symlink() and not name.startswith("."):
                files["static/" + path.relative_to(top).as_posix()] = path.read_bytes()
    return files
