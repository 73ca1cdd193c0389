"""The pipeline: read -> parse -> check -> ledger -> views -> render -> write.

`build()` is the pipeline as a list of stages. The stages are pure (content/ and site/); the
cache (cache/) sits at two seams, parsed files and rendered pages; the writer (output.py) is
the only one that writes. `sitegen build` is `cached.build_cached()`: the cache kept on disk.
"""
from __future__ import annotations

import contextlib
import dataclasses
from functools import cached_property
import gc
import os
import pickle
import time
from collections.abc import Mapping
from pathlib import Path

from .cache.cache import Cache
from .cache.keys import digest
from .cache.last_build import RouteTable, Scan
from .cache.pages import page_key
from .content.checks import check_site
from .content.consequences import one_per_mistake
from .content.config import Config, load_config
from .content.diagnostics import ContentError, Diagnostic, cap_warnings, has_errors, promote
from .content.ledger import Ledger, build_ledger
from .content.markdown import lint_markdown
from .content.model import Site
from .content.parse import parse_article, parse_intro, parse_page
from .content.source import SourceError, discover, read_bytes, read_source
from .content.theme import Theme, read_theme
from .output import MARKER, MARKER_TEXT, Memory, Staging, written
from .parallel import parallel_map, will_fork
from .result import Result
from .search import index_into
from .site.data import render_data
from .site.hosting import hosting_files
from .site.render import Renderer
from .site.routes import Route, language_folder, routes
from .site.views import Views, make_views

class Silent:
    """How far a build is, shown nowhere (the default; `sitegen build` shows cli's bar): a
    progress is told each stage's size, each step and the end."""

    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


Progress = Silent       # the shape a progress has (cli's bar has the same methods)

# Top-level names in a language tree that a free page may not take.
RESERVED = frozenset({"timeline", "events", "articles", "countries", "ledger", "data",
                      "feed", "sitemap", "robots", "404", "static", "assets", "tags", "search",
                      "pagefind"})


def build(root: Path, base_url: str | None = None, drafts: bool = False,
          strict: bool = False, write: bool = True, cache: Cache | None = None,
          workers: int | None = None, progress: Progress | None = None, out=None,
          search: bool = True, changed=None) -> Result:
    """Build the site into output/ (or `out`: output.Memory, output.Mirror; `write=False`:
    in memory); raise ContentError, output untouched, on any error.

    With a Cache, files parsed before are not parsed again and pages made from the same
    inputs are kept from the old output. `workers` processes parse and render a large site
    (default: one per core). `progress` shows how far the build is. `search`: the search
    page, and Pagefind's index of the written pages (sitegen/search.py). `changed`: the
    content files a watcher saw modified since the last build with this cache, when it saw
    every change (`sitegen serve`): only those are read again (see _load).
    """
    started = time.perf_counter()
    jobs = _Jobs(workers or os.cpu_count() or 1, progress or Silent(), cache)
    with _few_collections():
        config = dataclasses.replace(load_config(root, base_url), search=search)
        theme, problems = read_theme(config)
        site, found, digests = _load(config, cache, jobs.workers, jobs.trusted_before,
                                     jobs.progress, changed)
        stages = jobs.stages(config, site, drafts, digests)  # each made when first asked for
        problems = jobs.checked(problems + found + stages.problems, strict)
        ledger, views = stages.ledger, stages.views
        out = out or (Staging(config.output_dir) if write else Memory())
        files, unchanged, notes = jobs.render_and_write(config, theme, stages, site.bodies, out)
    published = dataclasses.replace(stages.published, bodies=site.bodies)
    return Result(config, published, ledger, files, tuple(problems + notes), unchanged,
                  time.perf_counter() - started, jobs.rendered)


def check(root: Path, strict: bool = False) -> list[Diagnostic]:
    """`sitegen check`: every problem in the site, warnings promoted to errors when strict."""
    config = load_config(root)
    theme, problems = read_theme(config)
    site, found = load_site(config, workers=os.cpu_count() or 1)
    problems = one_per_mistake(problems + found + check_site(site, config))
    return promote(problems) if strict else problems


class Stages:
    """What the pure stages make of the site's values, bodies aside: the problems that need
    more than one file to see, the published site, its ledger, its views and the long lists
    the routes split into pages. Each is made when first asked for (the ledger only once
    the checks have passed: it expects no cycle).

    Equal values make equal stages: a build whose site has the values of the last build's
    site (`sitegen serve` after an edit of an article's text) is given the last build's
    Stages (`_Jobs.stages`), kept in memory only."""

    def __init__(self, config: Config, site: Site, drafts: bool, key: bytes | None = None):
        self.config, self.drafts, self.key = config, drafts, key
        self.site = dataclasses.replace(site, bodies={})
        self.shared: dict = {}      # what the routes of every language share (routes.py)
        # the digest of the published site, by which a later build that reuses these stages
        # knows it (their objects are not that build's); made by the first build to render
        self.published_fp: bytes | None = None
        self.table: RouteTable | None = None    # the routes of the last build that rendered

    @cached_property
    def problems(self) -> list[Diagnostic]:
        return check_site(self.site, self.config)

    @cached_property
    def published(self) -> Site:
        return self.site if self.drafts else self.site.without_drafts()

    @cached_property
    def ledger(self) -> Ledger:
        return build_ledger(self.published)

    @cached_property
    def views(self) -> Views:
        # what the views hold, every page may show: the bodies are given by the routes alone
        return make_views(self.config, self.published, self.ledger)


# -- read and parse ----------------------------------------------------------------------

def load_site(config: Config, cache: Cache | None = None, workers: int = 1,
              trusted_before: int = 0, progress: Progress | None = None
              ) -> tuple[Site, list[Diagnostic]]:
    """Read every content file; the Site holds what could be read, the list every problem.

    A file the cache holds is not parsed again (cache/parsed.py says when); the others are
    parsed by `workers` processes when there are many.
    """
    site, problems, _ = _load(config, cache, workers, trusted_before, progress)
    return site, problems


def _load(config: Config, cache: Cache | None = None, workers: int = 1,
          trusted_before: int = 0, progress: Progress | None = None, changed=None
          ) -> tuple[Site, list[Diagnostic], list[tuple]]:
    """load_site(), and (item, digest of its value, of its body) for each item read.

    `changed`: the content files a watcher saw modified since the last build with this
    cache, which saw every change since its own files were listed: the last build's list of
    files is taken, and only these are looked at again. None, or a file that list does not
    hold: the folders are listed and every file's stat is looked at.
    """
    settings = (repr(config),)
    scan, again = cache.scan if cache is not None and changed is not None else None, None
    if scan is not None and scan.content_dir == config.content_dir:
        again = scan.places(changed)
    if again is None:
        scan = Scan(config.content_dir, *discover(config.root, config.content_dir))
    found, problems = scan.found, list(scan.problems)
    # the others as the last build read them, when read with the same settings
    slots = list(scan.slots) if again is not None and scan.settings == settings else None
    if slots is None:
        slots, again = [], None
    jobs = []                                       # (slot, section, path, data, inputs)
    parsed = cache.parsed if cache is not None else None
    for i in (range(len(found)) if again is None else sorted(again)):
        section, path = found[i]
        name, key = str(path), (section, *settings)
        if again is not None:
            slots[i] = (section, None)
            slot = i
        else:
            slot = len(slots)
            slots.append((section, None))
        try:
            st = path.lstat()
        except OSError:
            st = None
        hit = parsed and parsed.untouched(name, key, st, trusted_before)
        if hit:
            slots[slot] = (section, hit)
            continue
        try:
            data = read_bytes(config.root, path)
        except SourceError as exc:
            slots[slot] = (section, (None, "", [exc.diagnostic], None, None))
            continue
        inputs = parsed.inputs(key, st, data) if parsed else None
        hit = parsed and parsed.same_bytes(name, inputs)
        if hit:
            slots[slot] = (section, hit)
            continue
        jobs.append((slot, section, path, data, inputs))
    # in worker processes a result is pickled anyway (to reach this one): pickled once there,
    # the bytes are what the cache keeps
    job = _parse_job_pickled if will_fork(workers, len(jobs)) else _parse_job
    progress = progress or Silent()
    progress.stage("parse", len(jobs))
    results = parallel_map(job, [(config, s, p, d, cache is not None) for _, s, p, d, _ in jobs],
                           workers, on_result=lambda _: progress.advance())
    for (slot, section, path, _, inputs), blob in zip(jobs, results):
        result = pickle.loads(blob) if isinstance(blob, bytes) else blob
        slots[slot] = (section, result)
        if parsed is not None:
            parsed.put(str(path), inputs, result, blob if isinstance(blob, bytes) else None)
    if parsed is not None and again is None:
        parsed.keep_only({str(path) for _, path in found})
    if cache is not None:
        cache.scan = Scan(scan.content_dir, found, scan.problems, settings, slots, scan._where)
    read: dict[str, list] = {"articles": [], "pages": [], "countries": []}
    bodies: dict[str, str] = {}
    digests = []
    for section, (item, body, found_problems, value_digest, body_digest) in slots:
        if found_problems:
            problems += found_problems
        if item is None:
            continue
        read[section].append(item)
        if section == "articles":
            bodies[item.path] = body
        digests.append((item, value_digest, body_digest))
    return Site(*(tuple(read[s]) for s in ("articles", "pages", "countries")),
                bodies), problems, digests


def _know(cache: Cache, item, base: bytes) -> None:
    """A parsed file's values are known by the digest made where it was parsed: never
    walked field by field."""
    cache.fp.know(item, base)
    for name in ("events", "refs", "sources"):
        for i, part in enumerate(getattr(item, name, ())):
            cache.fp.know(part, digest(base + b"%s%d" % (name.encode(), i)))


def _parse_job(job: tuple) -> tuple:
    """(item or None, its body (an article's), problems, the digest of the item's value (how
    the fingerprints know it), that of the body); no digests when no cache will use them."""
    config, section, path, data, digests = job
    item, body, problems = _parse_file(config, section, path, data)
    if item is None or not digests:
        return item, body, problems, None, None
    return (item, body, problems, digest(pickle.dumps(item, pickle.HIGHEST_PROTOCOL)),
            digest(body.encode("utf-8", "surrogatepass")))


def _parse_job_pickled(job: tuple) -> bytes:
    return pickle.dumps(_parse_job(job), pickle.HIGHEST_PROTOCOL)


def _parse_file(config: Config, section: str, path: Path, data: bytes):
    """(model item or None, an article's body, problems) for one content file."""
    try:
        src = read_source(config.root, section, path, section != "countries", data)
    except SourceError as exc:
        return None, "", [exc.diagnostic]
    body = ""
    if section == "articles":
        item, body, problems = parse_article(src, config)
    elif section == "pages":
        item, problems = parse_page(src, config, RESERVED | set(config.languages))
    else:
        item, problems = parse_intro(src, config)
    if item is not None:
        problems = problems + lint_markdown(src.body, src.path, src.body_line)
    return item, body, cap_warnings(problems)


# -- render and write --------------------------------------------------------------------

_SINGLE = ("event.html", "page.html")           # shared out in small runs
_ONE_ITEM = (*_SINGLE, "article.html")          # every other page lists many events
# a page to keep from the old output, as a process that cannot keep it says (a str: bytes
# are a page made, a bool a page written)
_KEEP = "keep"


class _Jobs:
    """The render stage scheduled: which pages are made again (the page seam), the pure
    per-page function spread over processes, each page handed to the writer."""

    def __init__(self, workers: int, progress: Progress, cache: Cache | None):
        self.workers, self.progress, self.cache = workers, progress, cache
        self.trusted_before = cache.start() if cache is not None else 0
        self.rendered = 0
        self.digests: list[tuple] = []      # (item, digest of its value, of its body)
        self._known = False                 # whether the fingerprints know the items

    def stages(self, config: Config, site: Site, drafts: bool, digests: list[tuple]) -> Stages:
        """The site's stages: the last build's when its site had these values (told by the
        digests of its items' values, in their order: a site is its items)."""
        if self.cache is None:
            return Stages(config, site, drafts)
        self.digests, self._known = digests, False
        self.cache.body_digests = {item.path: body for item, _, body in digests
                                   if body is not None}
        # digests of one length, in the order of the files: the site's values, bodies aside
        key = digest(repr((config, drafts)).encode()
                     + b"".join(value for _, value, _ in digests))
        last = self.cache.stages
        if last is None or last.key != key:
            self.know_all()
            last = self.cache.stages = Stages(config, site, drafts, key)
        elif last.published_fp is not None:
            # its values are this build's: known by this build's digest, not walked again
            self.cache.fp.know(last.published, last.published_fp)
        return last

    def checked(self, problems: list[Diagnostic], strict: bool) -> list[Diagnostic]:
        """Every problem, sorted (as the last build's when they were the same); ContentError
        when one is an error (a warning too if strict)."""
        last = self.cache.problems if self.cache is not None else None
        if last is None or last[0] != problems:
            last = (problems, one_per_mistake(problems))
            if self.cache is not None:
                self.cache.problems = last
        if has_errors(last[1], strict):
            raise ContentError(promote(last[1]) if strict else last[1])
        return last[1]

    def know_all(self) -> None:
        """Every item read known by its digest, before a build fingerprints the site's values
        (a build that makes again only the pages of an edited body needs none of them)."""
        if not self._known:
            for item, value, _ in self.digests:
                if value is not None:
                    _know(self.cache, item, value)
            self._known = True

    def render_and_write(self, config: Config, theme: Theme, stages: Stages,
                         bodies: dict[str, str], out
                         ) -> tuple[Mapping[str, bytes], int, list[Diagnostic]]:
        cache, views = self.cache, stages.views
        if cache is not None and stages.published_fp is None:
            self.know_all()
            stages.published_fp = cache.fp(stages.published)
        seam = cache.pages if cache is not None else None
        # what every page shows: the theme, the configuration, the free pages in the menus
        self.layout = digest(theme.digest + repr((config, views.site.pages)).encode())
        if seam is not None:
            seam.begin(digest(self.layout + cache.fp((config, views.site))),
                       out.intact(seam.outputs, seam.output_dir))
        # the last build's routes when every page's key is as it was but for the bodies
        # shown: only the routes of the bodies that differ are made again
        table = stages.table if seam is not None and seam.same_keys else None
        renewed = table and table.renewed(config, views, bodies, seam)
        if renewed is None:
            stages.table = None     # not held while the routes are made again
            if cache is not None:
                self.know_all()
            items = [(lang, route) for lang in config.languages
                     for route in routes(views, lang, bodies, stages.shared)]
            names = [language_folder(config, lang) + route.file for lang, route in items]
            table = RouteTable(items, names, _versions(config, items), bodies)
        else:
            table = table.with_routes(renewed, bodies)
        items, names = table.items, table.names
        renderer = Renderer(views, theme, table.where,
                            cache.fp if cache is not None else None,
                            (cache.pages.compiled, _COMPILED) if cache is not None else
                            (_COMPILED,))
        self.renderer, self.items, self.out, self.table = renderer, items, out, table
        todo, unchanged = [], 0
        self.kept: set[str] = set()     # files linked from the old output as it was written
        try:
            if renewed is not None:
                # every other page's key and body are the last build's, its file intact
                kept = set(table.name_set)
                kept.difference_update(names[i] for i in renewed)
                out.keep_all(kept)
                self.kept, unchanged = kept, len(kept)
                todo = [(i, None) for i in sorted(renewed)]
            for i, (lang, route) in enumerate(items if renewed is None else ()):
                # a key known from the last build decides here; others are made (and
                # compared) by the processes that make the pages
                key = seam.known_key(names[i]) if seam is not None else None
                if key is not None and seam.unchanged(names[i], key, self._bodies(route)):
                    out.keep(names[i])
                    self.kept.add(names[i])
                    unchanged += 1
                else:
                    todo.append((i, key))
            others: dict[str, bytes | None] = {}       # None: kept from the old output
            unchanged += self._pages(todo, names, lambda: others.update(
                self._others(config, theme, views)))
            others[MARKER] = MARKER_TEXT     # what tells a folder this build may replace
            for name, data in sorted(others.items()):
                unchanged += out.put(name, data) if data is not None else 1
            indexed, notes = [], []
            if config.search and isinstance(out, Staging):
                # Pagefind indexes the pages as written, into the new output (search.py)
                indexed, notes = index_into(out.folder, out.old)
                unchanged += sum(out.same_as_old(name) for name in indexed)
            out.commit()
        except BaseException:
            out.abort()
            raise
        finally:
            self.progress.close()
        everything = [*names, *others, *indexed]
        if seam is not None:
            seam.done({*names, *self._groups})
            stages.table = table
            if isinstance(out, Staging):
                # a kept file is the old one (a hard link): its stat is the one recorded
                seam.written(str(out.out_dir), written(out.out_dir, everything, {
                    name: seam.outputs[name] for name in self.kept if name in seam.outputs}))
        return out.files(everything), unchanged, notes

    def _bodies(self, route: Route) -> tuple:
        if not route.bodies:
            return ()
        known = self.cache.body_digests if self.cache is not None else {}
        return tuple((path, known.get(path)) for path in route.bodies)

    def _make_key(self, lang: str, route: Route) -> bytes:
        return page_key(self.cache.fp, self.layout, lang,
                        self.renderer.where.get(route.key, {}), route.inputs)

    def _pages(self, todo: list[tuple[int, bytes | None]], names: list[str], meanwhile) -> int:
        """Make the pages at these places of the list (those whose key is not known yet: only
        if it changed) and hand them to the writer (in the processes that make them when the
        writer takes files from several); `meanwhile` is done by this process while they
        work. Returns how many were unchanged."""
        self.progress.stage("render", len(todo))
        self._forked = will_fork(self.workers, len(todo))
        shares = self._shares(todo) if self._forked else [todo]
        same = 0
        for made in parallel_map(self._make_share, shares, self.workers if self._forked else 1,
                                 min_items=0, chunksize=1, meanwhile=meanwhile,
                                 on_result=lambda made: self.progress.advance(len(made))):
            for i, key, bodies, outcome, rendered in made:
                if self.cache is not None:
                    self.cache.pages.record(names[i], key, bodies, (names[i],))
                if isinstance(outcome, str):
                    self.out.keep(names[i])
                    outcome = True
                if not rendered:
                    self.kept.add(names[i])
                same += self.out.put(names[i], outcome) if isinstance(outcome, bytes) else outcome
                self.rendered += rendered
        return same

    def _make_share(self, share: list[tuple[int, bytes | None]]) -> list[tuple]:
        """Each page of the share with its key and bodies, and what became of it: kept from
        the old output (its key is the last build's), or made from its route; handed to the
        writer here when the writer allows (the outcome is then whether it was unchanged)."""
        here = self.out.shared or not self._forked
        made = []
        for i, key in share:
            lang, route = self.items[i]
            name = self.renderer.trees[lang].prefix + route.file
            bodies = self._bodies(route)
            if key is None and self.cache is not None:
                key = self._make_key(lang, route)
                if self.cache.pages.unchanged(name, key, bodies):
                    if here:
                        self.out.keep(name)
                    made.append((i, key, bodies, True if here else _KEEP, False))
                    continue
            data = self.renderer.render(lang, route)
            made.append((i, key, bodies, self.out.put(name, data) if here else data, True))
        return made

    def _shares(self, todo: list[tuple[int, bytes | None]]) -> list[list]:
        """The pages that list many events first, one language to a process, each with the
        articles of that language (which list their events with the same fragments), so that
        a list item is made once per language; then the pages of single events (and the
        articles of a language with no list to make), in small shares to whichever process
        is free."""
        kind = {i: self.items[i] for i, _ in todo}
        shares, singles = [], [job for job in todo if kind[job[0]][1].template in _SINGLE]
        for lang in self.renderer.trees:
            mine = [job for job in todo if kind[job[0]][0] == lang]
            lists = [job for job in mine if kind[job[0]][1].template not in _ONE_ITEM]
            articles = [job for job in mine if kind[job[0]][1].template == "article.html"]
            if lists:
                shares.append(lists + articles)
            else:
                singles += articles
        step = max(50, len(singles) // (self.workers * 8))
        shares += [singles[k:k + step] for k in range(0, len(singles), step)]
        return shares

    def _others(self, config: Config, theme: Theme, views: Views) -> dict[str, bytes | None]:
        """The files that are not pages of a language tree, in groups made together: the
        open data, the host's files (feeds, sitemap, static files) and 404.html. A group
        made from the same inputs as the last build's is kept (`out.keep`), else made."""
        site, where = views.site, self.renderer.where
        fp = self.cache.fp if self.cache is not None else None
        groups = {
            "data": (lambda: fp((config, site)),
                     lambda: render_data(site, views.ledger)),
            "hosting": (lambda: digest(fp((config, site)) + theme.digest + self.table.versions
                                       + repr(os.environ.get("SOURCE_DATE_EPOCH")).encode()),
                        lambda: hosting_files(config, theme, site.articles, where)),
            "404": (lambda: digest(self.layout + fp((config, site))),
                    lambda: {"404.html": self.renderer.not_found()}),
        }
        self._groups, made = set(groups), {}
        seam = self.cache.pages if self.cache is not None else None
        for name, (key_of, make) in groups.items():
            key = key_of() if seam is not None else None
            paths = seam and seam.unchanged(name, key, ())
            if paths:
                for path in paths:
                    self.out.keep(path)
                self.kept.update(paths)
                made.update((path, None) for path in paths)
                continue
            files = make()
            if seam is not None:
                seam.record(name, key, (), tuple(files))
            made.update(files)
        return made


# Templates compiled by the builds of this process, by name, file and source checksum
# (Jinja2 checks it): a process that builds again (serve, a test, a script) compiles only what
# changed. A cached build also keeps them in its cache, from one process to the next.
_COMPILED: dict = {}


def _versions(config: Config, items: list[tuple[str, Route]]) -> dict[tuple, dict[str, str]]:
    """Each page's versions: {page key: {language: URL path}}."""
    where: dict[tuple, dict[str, str]] = {}
    for lang, route in items:
        prefix = language_folder(config, lang)
        where.setdefault(route.key, {})[lang] = config.base_path + prefix + route.path
    return where


@contextlib.contextmanager
def _few_collections():
    """A build holds a few hundred thousand objects that live until it ends: the cyclic
    collector's passes over them cost a quarter of an incremental build and find nothing."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
