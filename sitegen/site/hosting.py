"""Files for the host and for readers' tools: Atom feeds, sitemap, robots.txt, static files."""
from __future__ import annotations

import datetime as dt
import html
import os

from ..content.config import Config
from ..content.model import Article
from ..content.theme import Theme
from .routes import language_folder

EPOCH = "1970-01-01T00:00:00Z"


def hosting_files(config: Config, theme: Theme, articles: tuple[Article, ...],
                  pages: dict[tuple, dict[str, str]]) -> dict[str, bytes]:
    """Feeds, sitemap.xml, robots.txt, .nojekyll, CNAME and the theme's static files.

    `pages` maps each page's key to {lang: URL path} (its language versions).
    """
    files = {f"{language_folder(config, lang)}feed.xml": atom_feed(config, lang, articles)
             for lang in config.languages}
    files["sitemap.xml"] = sitemap(config, pages)
    files["robots.txt"] = (f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n"
                           ).encode()
    files[".nojekyll"] = b""
    if config.cname:
        files["CNAME"] = f"{config.cname}\n".encode()
    files.update(static_files(theme))
    return files


def _source_date() -> str:
    """The time written when content gives none: SOURCE_DATE_EPOCH, else 1970."""
    try:
        seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        seconds = 0
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(article: Article) -> str:
    """RFC 3339 from the article's own date (never the clock). A time written without
    seconds (14:30+03:00, which front matter accepts as ISO 8601) gets ':00': RFC 3339
    requires them; a 'Z' stays 'Z'."""
    if len(article.published) > 10:
        stamp = dt.datetime.fromisoformat(article.published.replace("Z", "+00:00"))
        text = stamp.isoformat(timespec="microseconds" if stamp.microsecond else "seconds")
        return text[:-6] + "Z" if article.published.endswith("Z") else text
    return f"{article.date.isoformat()}T00:00:00Z"


def _instant(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _text(value: str) -> str:
    """XML character data (xml.sax.saxutils would do, but importing it imports urllib.request,
    http.client and ssl: a tenth of sitegen's start)."""
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    """A quoted XML attribute value."""
    return f'"{html.escape(value)}"'


def atom_feed(config: Config, lang: str, articles: tuple[Article, ...]) -> bytes:
    mine = sorted((a for a in articles if a.lang == lang), key=lambda a: (a.date, a.slug),
                  reverse=True)
    home = config.base_url + language_folder(config, lang)
    # the latest instant, not the greatest text: offsets differ from one article to another
    updated = max((_stamp(a) for a in mine), key=_instant, default=_source_date())
    title = _text(config.site_title(lang))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
             f"  <title>{title}</title>",
             f"  <id>{_text(home)}</id>",
             f"  <link rel=\"self\" href={_attr(home + 'feed.xml')}/>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={_attr(home)}/>",
             f"  <updated>{updated}</updated>",
             f"  <author><name>{title}</name></author>"]
    lines += [_entry(home, a) for a in mine]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(home: str, a: Article) -> str:
    url = f"{home}articles/{a.slug}/"
    return "\n".join(["  <entry>",
                      f"    <title>{_text(a.title)}</title>",
                      f"    <id>{_text(url)}</id>",
                      f"    <link rel=\"alternate\" type=\"text/html\" href={_attr(url)}/>",
                      f"    <published>{_stamp(a)}</published>",
                      f"    <updated>{_stamp(a)}</updated>",
                      f"    <summary>{_text(a.summary or a.title)}</summary>",
                      "  </entry>"])


def sitemap(config: Config, pages: dict[str, dict[str, str]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    entries = sorted((path, versions) for versions in pages.values() for path in versions.values())
    for path, versions in entries:
        lines += ["  <url>", f"    <loc>{_text(config.origin + path)}</loc>"]
        if len(versions) > 1:
            lines += [f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                      f'href={_attr(config.origin + versions[lang])}/>'
                      for lang in config.languages if lang in versions]
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def static_files(theme: Theme) -> dict[str, bytes]:
    """templates/static/** -> static/**, as the theme was read (links and special files
    were refused there)."""
    return {"static/" + name: data for name, data in sorted(theme.under("static/").items())}
