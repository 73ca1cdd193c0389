"""Rendering: one route of one language into bytes, from the theme as it was read.

Pure: a Renderer reads nothing (the theme's files are in memory), writes nothing and keeps
nothing from one build to the next. What a page is given is its route's `context` and the
layout every page shares (`tree`, `t`, `v`, `m`, `fragment`); a page of one item gets as `v`
only the Layout (the configuration and the menus), so that it cannot show what its route
does not declare.
"""
from __future__ import annotations

import os
import pickle
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..content.config import Config
from ..content.diagnostics import ERROR, ContentError, Diagnostic
from ..content.fingerprint import Fingerprints
from ..content.messages import msg
from ..content.model import Page
from ..content.source import rel
from ..content.theme import Theme
from .chart import chart_svg
from .i18n import Strings, StringsError, theme_strings
from .routes import Route, Tree, not_found_route
from .views import Views


class Layout:
    """What every page may show besides its own values: the configuration and the menus'
    free pages (`v` of a page of one item)."""

    def __init__(self, config: Config, views: Views):
        self.config, self._pages = config, views.pages_by_language

    def pages(self, lang: str) -> tuple[Page, ...]:
        return self._pages.get(lang, ())


class Renderer:
    """Renders the routes of one build: one template environment, the theme's macros and
    the pieces of pages (fragments) made once per language for equal values."""

    def __init__(self, views: Views, theme: Theme, where: dict[tuple, dict[str, str]],
                 fp: Fingerprints | None = None, compiled: tuple[dict, ...] = ()):
        self.views, self.theme, self.where = views, theme, where
        self.config = config = views.config
        self.layout = Layout(config, views)
        self.trees = {lang: Tree(config, lang, _strings(config, theme, lang))
                      for lang in config.languages}
        self.env = environment(theme, compiled)
        self.fp = fp if fp is not None else Fingerprints()
        self._made: dict[bytes, object] = {}        # fragments and charts of this build
        self.macros: dict[str, object] = {}
        self.fragments = {lang: self._fragment_function(tree) for lang, tree in self.trees.items()}

    def render(self, lang: str, route: Route) -> bytes:
        """The page of `route` in language `lang`."""
        return _render(_template(self.env, self.config, route.template), self.config,
                       self._context(lang, route)).encode("utf-8")

    def not_found(self) -> bytes:
        return self.render(self.config.default_language, not_found_route())

    def _context(self, lang: str, route: Route) -> dict:
        tree, alternates, config = self.trees[lang], self.where.get(route.key, {}), self.config
        switch = [(other, alternates.get(other, self.trees[other].url()), other in alternates)
                  for other in config.languages if other != lang]
        values = {**self._m(lang), **route.context,
                  "v": self.views if route.whole else self.layout,
                  "tree": tree, "t": tree.t, "lang": lang, "route": route,
                  "alternates": alternates, "switch": switch, "chart": self._chart,
                  "fragment": self.fragments[lang],
                  "canonical": config.origin + alternates[lang] if lang in alternates else None}
        if route.template == "404.html":
            values["trees"] = self.trees
            values["switch"] = [(other, self.trees[other].url(), True)
                                for other in config.languages[1:]]
        return values

    def _m(self, lang: str) -> dict:
        return {"m": self.macros[lang]} if lang in self.macros else {}

    def _fragment_function(self, tree: Tree):
        base = {"tree": tree, "t": tree.t, "lang": tree.lang}
        prefix = tree.lang.encode() + b"\0"
        fp, made = self.fp, self._made
        # the same values met again (a view listed on many pages): known by their identity,
        # each kept alive with its fragment so that no identity is taken by another value
        # while the build runs
        again: dict[tuple, tuple[Markup, dict]] = {}

        def fragment(name: str, **values) -> Markup:
            """A piece of a page made from `values` alone, rendered once for equal values."""
            pairs = sorted(values.items())
            known = (name, *[(k, v, kind) if (kind := type(v)) in _PLAIN else (k, id(v), None)
                             for k, v in pairs])
            hit = again.get(known)
            if hit is not None:
                return hit[0]
            key = prefix + _dumps((name, [(k, fp(v)) for k, v in pairs]), 4)
            if key not in made:
                made[key] = Markup(_render(_template(self.env, self.config, name), self.config,
                                           {**base, **values}))
            again[known] = (made[key], values)
            return made[key]
        base["fragment"] = fragment
        macros = self._macros(base)
        if macros is not None:
            base["m"] = self.macros[tree.lang] = macros
        return fragment

    def _macros(self, values: dict):
        """The theme's macros.html as a module, made once per language with that language's
        `tree`, `t` and `fragment`: `m` in every page and fragment (a template that imports
        macros.html itself gets its own `m`). None if there is none."""
        try:
            template = self.env.get_template("macros.html")
        except jinja2.TemplateNotFound:
            return None
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError) as exc:
            raise ContentError([_template_problem(exc, self.config, "macros.html")]) from None
        return _guarded(lambda: template.make_module(values), self.config, "macros.html")

    def _chart(self, points, t: Strings, events_url: str | None = None) -> Markup:
        """chart_svg, made once per language for the same points (of which it shows the ids,
        dates, counts and running totals only)."""
        shown = (events_url, tuple((event.id, event.date, event.released, running)
                                   for event, running in points))
        key = b"chart\0" + t.lang.encode() + b"\0" + self.fp(shown)
        if key not in self._made:
            self._made[key] = chart_svg(points, t, events_url)
        return self._made[key]


_dumps = pickle.dumps
_PLAIN = frozenset({str, int, bool, type(None)})     # values known by their value, not identity


class _ThemeLoader(jinja2.BaseLoader):
    """Templates from the theme as it was read (no file is opened while pages are made)."""

    def __init__(self, theme: Theme):
        self.theme = theme

    def get_source(self, environment, template):
        name = "/".join(jinja2.loaders.split_template_path(template))
        data = self.theme.files.get(name)
        if data is None:
            raise jinja2.TemplateNotFound(template)
        filename = os.path.normpath(self.theme.folder / name)
        try:
            return data.decode("utf-8"), filename, lambda: True
        except UnicodeDecodeError:
            raise _NotUtf8(filename) from None


class _NotUtf8(jinja2.TemplateError):
    def __init__(self, filename: str):
        super().__init__("not valid UTF-8: save the file as UTF-8")
        self.filename = filename


def environment(theme: Theme, compiled: tuple[dict, ...] = ()) -> jinja2.Environment:
    """The templates' environment; `compiled` (dicts the caller keeps between builds: the
    cache's, the process's) hold their compiled code, so that a template is compiled again
    only when its text changed."""
    env = jinja2.Environment(
        loader=_ThemeLoader(theme), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False,
        bytecode_cache=_Compiled(compiled) if compiled else None)
    return env


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates in dicts, by name and file: taken from the first that holds the
    template's source (Jinja2 gives its checksum), kept in all."""

    def __init__(self, stores: tuple[dict, ...]):
        self.stores = stores

    def load_bytecode(self, bucket) -> None:
        for store in self.stores:
            kept = store.get(bucket.key)
            if kept is not None and kept[0] == bucket.checksum:
                bucket.bytecode_from_string(kept[1])
                return

    def dump_bytecode(self, bucket) -> None:
        for store in self.stores:
            store[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())


def _strings(config: Config, theme: Theme, lang: str) -> Strings:
    try:
        return theme_strings(theme, lang)
    except StringsError as exc:
        raise ContentError([Diagnostic(rel(config.root, config.templates_dir), 1, 1, ERROR,
                                       exc.detail)]) from None


def _template(env: jinja2.Environment, config: Config, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound, _NotUtf8) as exc:
        raise ContentError([_template_problem(exc, config, name)]) from None


def _render(template: jinja2.Template, config: Config, context: dict) -> str:
    return _guarded(lambda: template.render(context), config, template.name)


def _guarded(make, config: Config, name: str):
    """make(), a template mistake in it becoming a diagnostic at its file and line."""
    try:
        return make()
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound,
            _NotUtf8) as exc:   # imported templates
        raise ContentError([_template_problem(exc, config, name)]) from None
    except (jinja2.UndefinedError, StringsError, TypeError, ValueError, AttributeError,
            KeyError) as exc:
        path, line = _template_frame(exc, config)
        if path is None:
            raise
        raise ContentError([Diagnostic(path, line, 1, ERROR, msg(
            "E-TEMPLATE", detail=exc.detail if isinstance(exc, StringsError) else str(exc))
        )]) from None


def _template_problem(exc, config: Config, name: str) -> Diagnostic:
    if isinstance(exc, _NotUtf8):
        return Diagnostic(rel(config.root, Path(exc.filename)), 1, 1, ERROR,
                          msg("E-TEMPLATE-NOT-UTF8"))
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = rel(config.root, Path(exc.filename)) if exc.filename else name
        return Diagnostic(path, exc.lineno or 1, 1, ERROR,
                          msg("E-TEMPLATE-SYNTAX", detail=str(exc.message)))
    return Diagnostic(rel(config.root, config.templates_dir), 1, 1, ERROR,
                      msg("E-TEMPLATE-NOT-FOUND", name=str(exc.name)))


def _template_frame(exc: BaseException, config: Config) -> tuple[str | None, int]:
    """The innermost traceback frame inside the templates folder."""
    folders = (str(config.templates_dir), str(config.templates_dir.resolve()))
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(folders):
            return rel(config.root, Path(frame.filename)), frame.lineno or 1
    return None, 0
