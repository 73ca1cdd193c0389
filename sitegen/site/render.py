"""Every page of every language tree, rendered from the Jinja2 templates into bytes."""
from __future__ import annotations

import os
import pickle
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType, MethodType

import jinja2
import jinja2.meta
import jinja2.nodes
import jinja2.runtime
from markupsafe import Markup

from ..cache.memo import Cache, Written, digest, folder_digest
from ..parallel import parallel_map, will_fork
from .chart import chart_svg
from ..content.config import Config
from ..content.diagnostics import ERROR, ContentError, Diagnostic
from ..content.files import Refused, read_regular
from .i18n import Strings, StringsError, load_strings
from ..content.model import Article
from ..output import Staging
from ..progress import Progress, Silent
from ..content.source import rel
from .routes import Route, Tree, routes
from .views import Views


class _Context(jinja2.runtime.Context):
    """Jinja2's template context with a short path for the calls a page makes most (t(),
    tree.url(), macros): a function, method or Strings that takes no context, or a macro
    (which takes the evaluation context), is called as Context.call would call it, without
    its attribute lookups on every call."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's own signature
        kind = type(__obj)
        if kind is _MACRO:
            args = (__self.eval_ctx, *args)
        elif not (kind is Strings or ((kind is FunctionType or kind is MethodType)
                                      and not hasattr(__obj, "jinja_pass_arg"))):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


# a macro takes the evaluation context first (Macro.__call__ is pass_eval_context); were that
# to change in Jinja2, macros would take Context.call's own path
_MACRO = jinja2.runtime.Macro if (
    not hasattr(jinja2.runtime.Macro, "jinja_pass_arg")
    and getattr(getattr(jinja2.runtime.Macro.__call__, "jinja_pass_arg", None), "name", None)
    == "eval_context") else None


# A page of one item is keyed by the values its route gives it (`Route.inputs`). Through `v` a
# template can reach the whole site; it may take from it only what every page's key holds
# already (the configuration, the free pages of the menus) or what its route's inputs hold.
# A theme whose template takes more has that template's pages keyed by the whole site.
_FROM_V = {"event.html": {"config", "pages"}, "article.html": {"config", "pages"},
           "country.html": {"config", "pages"}, "page.html": {"config", "pages"},
           "year.html": {"config", "pages", "years", "grouped"}}


def uses_of_v(env: jinja2.Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """The attributes of `v` that template `name` and every template it extends, includes
    or imports use ("*" for any other use of `v`, or a template named at run time)."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    ast = env.parse(source, name)
    used, named = set(), set()
    for node in (*ast.find_all(jinja2.nodes.Getattr), *ast.find_all(jinja2.nodes.Getitem)):
        if isinstance(node.node, jinja2.nodes.Name) and node.node.name == "v":
            named.add(id(node.node))
            attr = node.attr if isinstance(node, jinja2.nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, jinja2.nodes.Const) else "*")
            used.add(str(attr))
    if any(n.name == "v" and id(n) not in named for n in ast.find_all(jinja2.nodes.Name)):
        used.add("*")
    for other in jinja2.meta.find_referenced_templates(ast):
        used |= {"*"} if other is None else uses_of_v(env, other, seen)
    return used


MAX_TEMPLATE_BYTES = 1024 * 1024


class _Loader(jinja2.FileSystemLoader):
    """Templates from one folder, read as regular files only and within a bound: Refused
    for a named pipe, a device, a socket or a file too large (where FileSystemLoader would
    block, read without end, or say 'not found')."""

    def get_source(self, environment, template):
        filename = os.path.join(self.searchpath[0], *jinja2.loaders.split_template_path(template))
        if not os.path.lexists(filename):
            raise jinja2.TemplateNotFound(template)
        try:
            contents = read_regular(Path(filename), MAX_TEMPLATE_BYTES).decode(self.encoding)
        except UnicodeDecodeError:
            raise Refused(Path(filename), "not valid UTF-8: save the file as UTF-8") from None
        return contents, os.path.normpath(filename), lambda: False


def environment(templates_dir: Path, compiled: dict | None = None) -> jinja2.Environment:
    """The templates' environment; `compiled` keeps their compiled code between builds."""
    env = jinja2.Environment(
        loader=_Loader(templates_dir), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False,
        bytecode_cache=None if compiled is None else _Compiled(compiled))
    env.context_class = _Context
    return env


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates in a dict (the build cache, signed on disk like all of it): a
    template is compiled again only when its source changed (Jinja2 checks its checksum)."""

    def __init__(self, store: dict):
        self.store = store

    def load_bytecode(self, bucket) -> None:
        kept = self.store.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.bytecode_from_string(kept[1])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())


def make_trees(config: Config) -> dict[str, Tree]:
    return {lang: Tree(config, lang, _strings(config, lang)) for lang in config.languages}


def render_site(views: Views, trees: dict[str, Tree], cache: Cache | None = None,
                workers: int = 1, staging: Staging | None = None,
                progress: Progress | None = None, meanwhile=None
                ) -> tuple[dict[str, bytes], dict[tuple, dict[str, str]], int]:
    """{output path: bytes} for every HTML page of every language, each page's versions
    ({page key: {language: URL path}}) and how many pages the processes found unchanged.

    Pages the cache holds for equal inputs are not made again. When many must be made,
    `workers` processes share them and write them into `staging` themselves (their entries
    are then Written, not bytes). `meanwhile(versions, layout)` is called once, while they
    work (`layout`: the digest of the theme, the configuration and the free pages)."""
    global _JOB
    cache = cache if cache is not None else Cache()
    shared: dict = {}
    by_lang = {lang: routes(views, lang, shared) for lang in trees}
    where: dict[tuple, dict[str, str]] = {}
    for lang, items in by_lang.items():
        for route in items:
            where.setdefault(route.key, {})[lang] = trees[lang].url(route.path)
    items = [(lang, route) for lang, routes_ in by_lang.items() for route in routes_]
    renderer = _Renderer(views, trees, where, cache)
    cache.page_stamp = None     # until every page is made: a build that fails leaves none
    todo = renderer.misses(items)
    progress = progress or Silent()
    progress.stage("render", len(todo))
    files, unchanged = {}, 0
    if will_fork(workers, len(todo)):
        # the pages that list many events go first, one language to a process, each with the
        # articles of that language (which list their events with the same items), so that
        # the list items (fragments) are rendered once; then the pages of single events (and
        # the articles of a language with no list to make), in small shares to whichever
        # process is free
        shares, singles = [], [i for i in todo if items[i][1].template in _SINGLE]
        for lang in trees:
            mine = [i for i in todo if items[i][0] == lang]
            lists = [i for i in mine if items[i][1].template not in _ONE_ITEM]
            articles = [i for i in mine if items[i][1].template == "article.html"]
            if lists:
                shares.append(lists + articles)
            else:
                singles += articles
        step = max(50, len(singles) // (workers * 8))
        shares += [singles[k:k + step] for k in range(0, len(singles), step)]
        _JOB = (renderer, items, staging)   # forked workers read it
        cache.fragments.all()               # read once, here, not by every worker
        try:
            parts = parallel_map(_render_share, shares, workers, min_items=0, chunksize=1,
                                 on_result=lambda part: progress.advance(len(part[0])),
                                 meanwhile=meanwhile and (lambda: meanwhile(where, renderer.layout)))
            meanwhile = None
        finally:
            _JOB = None
        for pages, fragments, used, same in parts:
            cache.pages.update(pages)
            cache.used_elsewhere(used)
            cache.rendered += len(pages)
            unchanged += same
            files.update((path, made.data if made.data is not None
                          else Written(staging.out_dir / path)) for path, made in pages.items())
            for key, (value, bodies) in fragments.items():
                cache.add_fragment(key, value, bodies)
        done = set(todo)
        items = [item for i, item in enumerate(items) if i not in done]
    if meanwhile is not None:
        meanwhile(where, renderer.layout)
    files.update(renderer.pages(items, progress))
    files = {name: files[name] for name in sorted(files)}
    files["404.html"] = renderer.not_found()
    cache.page_stamp = renderer.stamp
    return files, where, unchanged


_JOB: tuple | None = None
_dumps = pickle.dumps


_SINGLE = ("event.html", "page.html")           # shared out in small runs
_ONE_ITEM = (*_SINGLE, "article.html")          # every other page lists many events


def _render_share(share: list[int]) -> tuple[dict, dict, int]:
    """In a worker: the pages at these places of the list ({path: Made, its data None when
    written into the staging folder}), the fragments made for them, the keys of those used
    and how many pages were unchanged."""
    renderer, items, staging = _JOB
    cache = renderer.cache
    cache.used, cache.added = set(), []
    pages, same = {}, 0
    # a few hundred pages at a time, each dropped once written: a worker holds no more
    for start in range(0, len(share), _BATCH):
        for path, data in renderer.pages([items[i] for i in share[start:start + _BATCH]]).items():
            if staging is not None:
                same += staging.put(path, data)
                cache.pages[path] = cache.pages[path]._replace(data=None)
            pages[path] = cache.pages[path]
    return (pages, {k: tuple(cache.fragments.get(k)[1:3]) for k in cache.added}, cache.used,
            same)


_BATCH = 200


class _Renderer:
    """Renders pages of one build: one template environment, one fragment function per
    language, a cache of pages and fragments."""

    def __init__(self, views: Views, trees: dict[str, Tree], where: dict, cache: Cache):
        self.views, self.trees, self.where, self.cache = views, trees, where, cache
        self.config = config = views.config
        theme = folder_digest(config.templates_dir)
        self.env = cache.environment(config.templates_dir, theme, environment)
        # what every page shows: the theme, the configuration, the free pages in the menus
        self.layout = digest(theme + repr((config, views.site.pages)).encode())
        self.macros: dict[str, object] = {}     # language -> the theme's macros (m)
        self.fragments = {lang: self._fragment_function(tree) for lang, tree in trees.items()}
        self._keys: dict[int, bytes] = {}      # id(route) -> its page's key
        self._whole = (views.config, views.site)
        self._own_inputs = self._templates_keyed_by_inputs(theme)
        # every page's key is made from the layout and the site (the bodies apart): when they
        # are what the last build's were, so is every key (the cache holds them)
        self.stamp = digest(self.layout + cache.fp(self._whole))
        self._same_keys = cache.page_stamp == self.stamp

    def _templates_keyed_by_inputs(self, theme: bytes) -> frozenset[str]:
        """The templates whose pages take from `v` only what their inputs hold (_FROM_V);
        found once per theme (the cache keeps the answer)."""
        key = ("keyed by inputs", theme)
        if key not in self.cache.templates:
            own = set()
            for name, allowed in _FROM_V.items():
                try:
                    if uses_of_v(self.env, name) <= allowed:
                        own.add(name)
                except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound, Refused):
                    pass        # reported when the page is rendered
            for stale in [k for k in self.cache.templates if isinstance(k, tuple)]:
                del self.cache.templates[stale]     # an older theme's answer
            self.cache.templates[key] = frozenset(own)
        return self.cache.templates[key]

    def _fragment_function(self, tree: Tree):
        base = {"tree": tree, "t": tree.t, "lang": tree.lang}

        prefix = self.layout + tree.lang.encode() + b"\0"
        fp = self.cache.fp

        def fragment(name: str, **values) -> Markup:
            """A piece of a page made from `values` alone, rendered once for equal values."""
            key = prefix + _dumps((name, [(k, fp(values[k])) for k in sorted(values)]), 4)
            return self.cache.fragment_at(key, lambda: Markup(_render(
                _template(self.env, self.config, name), self.config, {**base, **values})))
        base["fragment"] = fragment
        macros = self._macros(base)
        if macros is not None:
            base["m"] = self.macros[tree.lang] = macros
        return fragment

    def _macros(self, values: dict):
        """The theme's macros.html as a module, made once per language with that language's
        `tree`, `t` and `fragment`: `m` in every page and fragment (a template that imports
        macros.html itself gets its own `m`, as it always did). None if there is none."""
        try:
            template = self.env.get_template("macros.html")
        except jinja2.TemplateNotFound:
            return None
        except (jinja2.TemplateSyntaxError, Refused) as exc:
            raise ContentError([_template_problem(exc, self.config, "macros.html")]) from None
        return _guarded(lambda: template.make_module(values), self.config, "macros.html")

    def misses(self, items: list[tuple[str, Route]]) -> list[int]:
        """The places in `items` of the pages the cache cannot give."""
        if not self.cache.pages:        # a first build: the pages' keys are made with them
            return list(range(len(items)))
        out = []
        for i, (lang, route) in enumerate(items):
            path = self.trees[lang].prefix + route.file
            if not self.cache.has_page(path, self._key(lang, route)):
                out.append(i)
        return out

    def _key(self, lang: str, route: Route) -> bytes | None:
        """The fingerprint of everything the page shows: theme, language, its versions in other
        languages and its inputs (None: made anew every time). Computed once per page."""
        if route.inputs is None:
            return None
        key = self._keys.get(id(route))
        if key is None and self._same_keys:
            made = self.cache.pages.get(self.trees[lang].prefix + route.file)
            key = self._keys[id(route)] = made and made.key
        if key is None:
            fp = self.cache.fp
            inputs = route.inputs if route.template in self._own_inputs else self._whole
            key = self._keys[id(route)] = digest(
                self.layout + lang.encode() + b"\0"
                + repr(sorted(self.where[route.key].items())).encode() + b"\0" + fp(inputs))
        return key

    def pages(self, items: list[tuple[str, Route]], progress: Progress | None = None
              ) -> dict[str, bytes]:
        files = {}
        rendered = self.cache.rendered
        for lang, route in items:
            path = self.trees[lang].prefix + route.file
            files[path] = self.cache.page(path, self._key(lang, route), lambda: render_template(
                self.env, self.config, route.template, self._context(lang, route)))
            if progress is not None and self.cache.rendered != rendered:
                rendered = self.cache.rendered
                progress.advance()
        return files

    def _context(self, lang: str, route: Route) -> dict:
        tree, alternates, config = self.trees[lang], self.where[route.key], self.config
        switch = [(other, alternates.get(other, self.trees[other].url()), other in alternates)
                  for other in config.languages if other != lang]
        return {**self._m(lang), **route.context, "v": self.views, "tree": tree,
                "t": tree.t, "lang": lang,
                "route": route, "alternates": alternates, "switch": switch,
                "chart": self._chart, "fragment": self.fragments[lang],
                "canonical": config.origin + alternates[lang]}

    def _m(self, lang: str) -> dict:
        return {"m": self.macros[lang]} if lang in self.macros else {}

    def _chart(self, points, t: Strings, events_url: str | None = None) -> Markup:
        """chart_svg, made once per language for the same points (of which it shows the ids,
        dates, counts and running totals only)."""
        shown = (events_url, tuple((event.id, event.date, event.released, running)
                                   for event, running in points))
        key = b"chart\0" + self.layout + t.lang.encode() + b"\0" + self.cache.fp(shown)
        return self.cache.fragment_at(key, lambda: chart_svg(points, t, events_url))

    def not_found(self) -> bytes:
        lang = self.config.default_language
        return render_template(self.env, self.config, "404.html",
                               {**self._m(lang), **_not_found(self.views, self.trees,
                                                              self.fragments[lang])})


def _not_found(views: Views, trees: dict[str, Tree], fragment) -> dict:
    tree = trees[views.config.default_language]
    return {"v": views, "tree": tree, "t": tree.t, "lang": tree.lang,
            "route": Route("404.html", "404.html", ("404",)), "alternates": {},
            "switch": [(lang, trees[lang].url(), True) for lang in views.config.languages[1:]],
            "canonical": None, "trees": trees, "fragment": fragment}


def _strings(config: Config, lang: str) -> Strings:
    try:
        return load_strings([config.templates_dir], lang)
    except StringsError as exc:
        raise ContentError([Diagnostic(rel(config.root, config.templates_dir), 1, 1, ERROR,
                                       str(exc))]) from None


def render_template(env: jinja2.Environment, config: Config, name: str, context: dict) -> bytes:
    """Render one template; a template mistake becomes a diagnostic at its file and line."""
    return _render(_template(env, config, name), config, context).encode("utf-8")


def _template(env: jinja2.Environment, config: Config, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound,
            Refused) as exc:
        raise ContentError([_template_problem(exc, config, name)]) from None


def _render(template: jinja2.Template, config: Config, context: dict) -> str:
    return _guarded(lambda: template.render(context), config, template.name)


def _guarded(make, config: Config, name: str):
    """make(), a template mistake in it becoming a diagnostic at its file and line."""
    try:
        return make()
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound,
            Refused) as exc:   # imported templates
        raise ContentError([_template_problem(exc, config, name)]) from None
    except (jinja2.UndefinedError, StringsError, TypeError, ValueError, AttributeError,
            KeyError) as exc:
        path, line = _template_frame(exc, config)
        if path is None:
            raise
        raise ContentError([Diagnostic(path, line, 1, ERROR,
                                       f"template error: {exc}")]) from None


def _template_problem(exc, config: Config, name: str) -> Diagnostic:
    if isinstance(exc, Refused):
        return Diagnostic(rel(config.root, exc.path), 1, 1, ERROR, exc.message)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = rel(config.root, Path(exc.filename)) if exc.filename else name
        return Diagnostic(path, exc.lineno or 1, 1, ERROR, f"template syntax: {exc.message}")
    return Diagnostic(rel(config.root, config.templates_dir), 1, 1, ERROR,
                      f"template not found: {exc.name}")


def _template_frame(exc: BaseException, config: Config) -> tuple[str | None, int]:
    """The innermost traceback frame inside the templates folder."""
    folders = (str(config.templates_dir), str(config.templates_dir.resolve()))
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(folders):
            return rel(config.root, Path(frame.filename)), frame.lineno or 1
    return None, 0
