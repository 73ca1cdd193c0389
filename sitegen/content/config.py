"""The site's `[tool.sitegen]` table: found, read and validated."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .countries import is_country
from .diagnostics import ERROR, Diagnostic, ContentError, did_you_mean
from .messages import NOTHING, Msg, msg, os_reason
from .fields import INVISIBLE, code_point, find_control
from .files import Refused, read_regular

PYPROJECT = "pyproject.toml"
MAX_PYPROJECT_BYTES = 1024 * 1024
KEYS = ("title", "base_url", "languages", "releasing_country", "cname",
        "content_dir", "templates_dir", "output_dir", "max_events", "max_articles")
# Events and articles a site may have unless its pyproject.toml says more: each event makes
# a page in every language and an item on every list it is on, each article a page and a
# feed entry, and an article's sources are shown on its events' pages, so that their
# number, not the bytes of content, is what a build's output and time grow with (the
# smallest event is 35 bytes): these bounds, with the caps of parse.py and bounds.py on
# what one event or article names, keep 1 MiB of content within 100 MB of output (README,
# Safety). This repository's content/ has about 60 of each; a site of more raises
# the bound in pyproject.toml, which is code (README, Safety), not content a pull request
# may change unreviewed.
MAX_EVENTS = 500
MAX_ARTICLES = 200
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    title: tuple[tuple[str, str], ...]   # (language, title) for every language
    base_url: str                        # absolute, ends with '/'
    languages: tuple[str, ...]           # the first is the default
    releasing_country: str
    cname: str | None
    content_dir: Path
    templates_dir: Path
    output_dir: Path
    search: bool = True                  # build the search page and index (--no-search: not)
    max_events: int = MAX_EVENTS         # events in the whole site, drafts too
    max_articles: int = MAX_ARTICLES

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The path part of base_url: '/' or '/repo/'."""
        return urlsplit(self.base_url).path

    @property
    def origin(self) -> str:
        """scheme://host of base_url, without the path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def site_title(self, lang: str) -> str:
        return dict(self.title)[lang]


def find_root(start: Path) -> Path | None:
    """The nearest folder upwards holding a pyproject.toml with a [tool.sitegen] table."""
    for folder in (start, *start.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file():
            try:
                data = tomllib.loads(read_regular(candidate, MAX_PYPROJECT_BYTES).decode())
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, Refused):
                continue
            if "sitegen" in data.get("tool", {}):
                return folder
    return None


def load_config(root: Path, base_url: str | None = None) -> Config:
    """Read and validate [tool.sitegen]; raise ContentError naming every bad key."""
    path = root / PYPROJECT
    try:
        text = read_regular(path, MAX_PYPROJECT_BYTES).decode("utf-8")
        table = tomllib.loads(text).get("tool", {}).get("sitegen")
    except FileNotFoundError:
        raise ContentError([Diagnostic(PYPROJECT, 1, 1, ERROR, msg("E-CONFIG-MISSING"))])
    except Refused as exc:
        raise ContentError([Diagnostic(PYPROJECT, 1, 1, ERROR, exc.message)]) from None
    except OSError as exc:
        raise ContentError([Diagnostic(PYPROJECT, 1, 1, ERROR, msg(
            "E-CANNOT-READ", reason=os_reason(exc)))]) from None
    except UnicodeDecodeError:
        raise ContentError([Diagnostic(PYPROJECT, 1, 1, ERROR, msg("E-CONFIG-NOT-UTF8"))])
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise ContentError([Diagnostic(PYPROJECT, line, col, ERROR, msg("E-CONFIG-TOML",
                                                                          detail=str(exc)))])
    if not isinstance(table, dict):
        raise ContentError([Diagnostic(PYPROJECT, 1, 1, ERROR, msg("E-CONFIG-NO-TABLE"))])
    return _validate(root, table, text, base_url)


def _validate(root: Path, table: dict, text: str, base_url_override: str | None) -> Config:
    problems: list[Diagnostic] = []

    def bad(key: str, message: Msg) -> None:
        problems.append(Diagnostic(PYPROJECT, _key_line(text, key), 1, ERROR,
                                   msg("E-CONFIG", key=key, problem=message)))

    for key in table:
        if key not in KEYS:
            bad(key, msg("E-CONFIG-UNKNOWN-KEY", hint=did_you_mean(key, KEYS)))

    languages = table.get("languages", ["en"])
    if (not isinstance(languages, list) or not languages
            or not all(isinstance(x, str) for x in languages)):
        bad("languages", msg("E-CONFIG-LANGUAGES", got=_got(languages)))
        languages = ["en"]
    for lang in languages:
        if not re.fullmatch(r"[a-z]{2,3}", lang) or not _is_locale(lang):
            bad("languages", msg("E-CONFIG-LANGUAGE-CODE", lang=lang))
    if len(set(languages)) != len(languages):
        bad("languages", msg("E-CONFIG-LANGUAGE-TWICE"))

    title = table.get("title")
    titles: dict[str, str] = {}
    if isinstance(title, str) and title.strip():
        titles = {lang: title for lang in languages}
    elif isinstance(title, dict) and all(isinstance(v, str) and v.strip() for v in title.values()):
        titles = dict(title)
        for lang in title:
            if lang not in languages:
                bad("title", msg("E-CONFIG-TITLE-LANG", lang=lang, languages=str(languages)))
        missing = [lang for lang in languages if lang not in title]
        if missing:
            bad("title", msg("E-CONFIG-TITLE-MISSING", languages=", ".join(missing)))
    else:
        bad("title", msg("E-CONFIG-TITLE"))
    for shown in titles.values():
        hidden = find_control(shown) or INVISIBLE.search(shown)
        if hidden:      # a TOML escape ("\u001b") would carry it into every page and feed
            bad("title", msg("E-CONFIG-TITLE-CHARACTER", char=code_point(hidden[0])))
            break

    base_url = base_url_override if base_url_override is not None else table.get("base_url")
    parts = urlsplit(base_url) if isinstance(base_url, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.netloc \
            or parts.query or parts.fragment or "@" in parts.netloc \
            or find_control(base_url) or any(c.isspace() for c in base_url):
        where = "--base-url" if base_url_override is not None else "base_url"
        bad("base_url", msg("E-CONFIG-BASE-URL", got=_got(base_url), hint=msg(
            "H-FROM-BASE-URL") if where == "--base-url" else NOTHING))
        base_url = "http://localhost/"
    elif not base_url.endswith("/"):
        base_url += "/"

    country = table.get("releasing_country")
    if not isinstance(country, str) or not is_country(country):
        bad("releasing_country", msg("E-CONFIG-COUNTRY", got=_got(country)))

    cname = table.get("cname")
    if cname is not None and not (isinstance(cname, str) and _HOST.fullmatch(cname)):
        bad("cname", msg("E-CONFIG-CNAME", got=_got(cname)))

    dirs, names = {}, {}
    for key, default in (("content_dir", "content"), ("templates_dir", "templates"),
                         ("output_dir", "output")):
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            bad(key, msg("E-CONFIG-FOLDER", got=_got(value)))
            value = default
        dirs[key], names[key] = root / value, value
    problem = _output_problem(root, names, dirs)
    if problem:
        bad("output_dir", problem)

    limits = {}
    for key, default in (("max_events", MAX_EVENTS), ("max_articles", MAX_ARTICLES)):
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            bad(key, msg("E-CONFIG-LIMIT", got=repr(value)))
            value = default
        limits[key] = value

    if problems:
        raise ContentError(problems)
    return Config(root=root, title=tuple((lang, titles[lang]) for lang in languages),
                  base_url=base_url, languages=tuple(languages), releasing_country=country,
                  cname=cname, **dirs, **limits)


def _output_problem(root: Path, names: dict[str, str], dirs: dict[str, Path]) -> Msg | None:
    """Why `output_dir` may not be the folder a build replaces whole, or None.

    A pull request can change pyproject.toml, so the folder is confined to the site's folder
    and kept away from everything that holds source: the site folder itself, `.git`, and
    anything inside or above the content and templates folders (links resolved)."""
    value = names["output_dir"]
    given = PurePath(value)
    if given.is_absolute() or ".." in given.parts:
        return msg("E-CONFIG-OUTPUT-OUTSIDE", got=_got(value))
    site = root.resolve()
    out = dirs["output_dir"].resolve()
    if out == site:
        return msg("E-CONFIG-OUTPUT-SITE", got=_got(value))
    if not out.is_relative_to(site):
        return msg("E-CONFIG-OUTPUT-LINK", got=_got(value))
    top = out.relative_to(site).parts[0]
    if top.casefold() in (".git", ".sitegen-cache"):
        return msg("E-CONFIG-OUTPUT-HIDDEN", top=top, got=_got(value))
    for key in ("content_dir", "templates_dir"):
        source = dirs[key].resolve()
        if out == source or out.is_relative_to(source) or source.is_relative_to(out):
            return msg("E-CONFIG-OUTPUT-SOURCE", key=key, name=repr(names[key]),
                       got=_got(value))
    return None


def _is_locale(code: str) -> bool:
    try:
        Locale.parse(code)
        return True
    except (UnknownLocaleError, ValueError):
        return False


def _key_line(text: str, key: str) -> int:
    """The line of `key = ...` inside [tool.sitegen], else the table's header line."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines)
                   if line.strip().replace(" ", "") == "[tool.sitegen]"), None)
    if header is None:
        return 1
    for i in range(header + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith("["):
            break
        if re.match(rf"{re.escape(key)}\s*=", stripped):
            return i + 1
    return header + 1


def _toml_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match[1]), int(match[2])) if match else (1, 1)


def _got(value) -> str | Msg:
    """A wrong setting quoted back: a missing one as the word for nothing, not Python's None."""
    return msg("V-NOTHING") if value is None else repr(value)
