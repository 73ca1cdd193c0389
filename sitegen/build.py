"""The pipeline: load -> parse -> check -> ledger -> render -> write."""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pickle

from .cache.memo import RACY_NS, Cache, Kept, Written, digest, stat_key
from .parallel import parallel_map, will_fork
from .content.checks import check_site
from .content.config import Config, load_config
from .site.data import render_data
from .site.hosting import hosting_files
from .content.markdown import lint_markdown
from .site.render import make_trees, render_site
from .site.views import make_views
from .content.diagnostics import ContentError, Diagnostic, cap_warnings, has_errors, promote
from .content.ledger import Ledger, build_ledger
from .content.model import Article, Site
from .output import Staging, removals_in_background
from .content.parse import parse_article, parse_intro, parse_page
from .progress import Progress, Silent
from .cache.store import Store
from .content.source import SourceError, discover, find_symlinks, read_bytes, read_source
from .search import index_into

# Top-level names in a language tree that a free page may not take.
RESERVED = frozenset({"timeline", "events", "articles", "countries", "ledger", "data",
                      "feed", "sitemap", "robots", "404", "static", "assets", "tags", "search",
                      "pagefind"})


@dataclass(frozen=True)
class Result:
    config: Config
    site: Site | None            # None when nothing changed since the last build (build_cached)
    ledger: Ledger | None
    files: dict[str, bytes | Kept]
    diagnostics: tuple[Diagnostic, ...]
    unchanged: int = 0          # files the old output already held, linked not rewritten
    seconds: float = 0.0


def load_site(config: Config, cache: Cache | None = None, workers: int = 1,
              trusted_before: int = 0, progress: Progress | None = None
              ) -> tuple[Site, list[Diagnostic]]:
    """Read every content file; the Site holds what could be read, the list every problem.

    A file the cache holds is not parsed again: it is taken as it is if its size, time and
    inode are those it had (and it was written well before `trusted_before`, the last build's
    start), else if its bytes are the same. Others are parsed by `workers` processes when
    there are many.
    """
    found, problems = discover(config.root, config.content_dir)
    problems += find_symlinks(config.root, config.templates_dir)
    settings = repr(config)
    slots: list[tuple[str, tuple | None]] = []      # (section, _parse_job's result) per file
    jobs = []                                       # (slot, section, path, data, inputs)
    for section, path in found:
        hit = cache.parsed.get(str(path)) if cache else None
        try:
            st = path.lstat()
        except OSError:
            st = None
        if (hit and st is not None and hit[0][0] == (section, settings)
                and hit[0][1] == stat_key(st) and st.st_mtime_ns < trusted_before - RACY_NS):
            slots.append((section, _loaded(hit)))   # the same file, untouched since it was parsed
            continue
        try:
            data = read_bytes(config.root, path)
        except SourceError as exc:
            slots.append((section, (None, [exc.diagnostic], None, None)))
            continue
        inputs = ((section, settings), stat_key(st) if st else None, digest(data))
        if hit and hit[0][0] == inputs[0] and hit[0][2] == inputs[2]:
            entry = cache.parsed[str(path)] = [inputs, *hit[1:]]
            slots.append((section, _loaded(entry)))
            continue
        jobs.append((len(slots), section, path, data, inputs))
        slots.append((section, None))
    # in worker processes a result is pickled anyway (to reach this one): pickled once there,
    # the bytes are what the cache keeps
    job = _parse_job_pickled if will_fork(workers, len(jobs)) else _parse_job
    progress = progress or Silent()
    progress.stage("parse", len(jobs))
    results: list = []

    def arrived(blob) -> None:      # unpickled while the worker processes parse the rest
        results.append((pickle.loads(blob) if isinstance(blob, bytes) else blob, blob))
        progress.advance()
    enabled = gc.isenabled()
    # while the worker processes parse, this one only unpickles what they send (or parses the
    # few files there are itself): the collector's walks would find nothing to free
    try:
        parallel_map(job, [(config, s, p, d, cache is not None) for _, s, p, d, _ in jobs],
                     workers, on_result=arrived, meanwhile=gc.disable)
    finally:
        if enabled:
            gc.enable()
    for (slot, section, path, _, inputs), (result, blob) in zip(jobs, results):
        slots[slot] = (section, result)
        if cache is not None:
            cache.parsed[str(path)] = [inputs, result, blob if isinstance(blob, bytes) else None]
    if cache is not None:
        cache.keep_parsed({str(path) for _, path in found})
    read: dict[str, list] = {"articles": [], "pages": [], "countries": []}
    for section, (item, found_problems, value_digest, body_digest) in slots:
        read[section].append(item)
        problems += found_problems
        if cache is not None and item is not None:
            _know(cache.fp, item, value_digest)
            if body_digest is not None:
                cache.body_digests[item.path] = body_digest
    site = Site(*(tuple(x for x in read[s] if x) for s in ("articles", "pages", "countries")))
    return site, problems


def _loaded(entry: list) -> tuple:
    """A cache entry's (item, problems, digests), unpickled on first use."""
    if entry[1] is None:
        entry[1] = pickle.loads(entry[2])
    return entry[1]


def _know(fp, item, base: bytes) -> None:
    """A parsed file's values are known by the digest of the item's value (made where it was
    parsed): never walked field by field."""
    fp.know(item, base)
    for name in ("events", "refs", "sources"):
        for i, part in enumerate(getattr(item, name, ())):
            fp.know(part, digest(base + b"%s%d" % (name.encode(), i)))


def _parse_job(job: tuple) -> tuple:
    """(item or None, problems, the digest of the item's value (how the fingerprints know it),
    that of an article's body (how Cache.page knows it)); the digests are None when no cache
    will use them (`sitegen check`)."""
    config, section, path, data, digests = job
    item, problems = _parse_file(config, section, path, data)
    if item is None or not digests:
        return item, problems, None, None
    if not isinstance(item, Article):
        return item, problems, digest(pickle.dumps(item, pickle.HIGHEST_PROTOCOL)), None
    # an article is known by everything but its body (pages that read the body say so)
    return (item, problems,
            digest(pickle.dumps(dataclasses.replace(item, body_html=""), pickle.HIGHEST_PROTOCOL)),
            digest(item.body_html.encode("utf-8", "surrogatepass")))


def _parse_job_pickled(job: tuple) -> bytes:
    return pickle.dumps(_parse_job(job), pickle.HIGHEST_PROTOCOL)


def _parse_file(config: Config, section: str, path: Path, data: bytes):
    """(model item or None, problems) for one content file."""
    try:
        src = read_source(config.root, section, path, section != "countries", data)
    except SourceError as exc:
        return None, [exc.diagnostic]
    if section == "articles":
        item, problems = parse_article(src, config)
    elif section == "pages":
        item, problems = parse_page(src, config, RESERVED | set(config.languages))
    else:
        item, problems = parse_intro(src, config)
    if item is not None:
        problems = problems + lint_markdown(src.body, src.path, src.body_line)
    return item, cap_warnings(problems)


def check(root: Path, strict: bool = False) -> list[Diagnostic]:
    """Every problem in the site, warnings promoted to errors when strict."""
    config = load_config(root)
    site, problems = load_site(config, workers=os.cpu_count() or 1)
    problems = sorted(set(problems + check_site(site)))
    return promote(problems) if strict else problems


def build(root: Path, base_url: str | None = None, drafts: bool = False,
          strict: bool = False, write: bool = True, cache: Cache | None = None,
          workers: int | None = None, progress: Progress | None = None,
          search: bool = True) -> Result:
    """Build the site into output/; raise ContentError (output/ untouched) on any error.

    With a Cache (as `sitegen serve` keeps), unchanged files are not parsed again and pages
    whose inputs are unchanged are not rendered again. `workers` processes parse and render
    a large site (default: one per core). `progress` shows how far the build is.
    """
    with _few_collections():
        return _build(root, base_url, drafts, strict, write, cache, workers, progress, search)


def _build(root: Path, base_url: str | None, drafts: bool, strict: bool, write: bool,
           cache: Cache | None, workers: int | None, progress: Progress | None,
           search: bool = True) -> Result:
    progress = progress or Silent()
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    cache = cache if cache is not None else Cache()
    trusted_before = cache.start()
    config = dataclasses.replace(load_config(root, base_url), search=search)
    site, problems = load_site(config, cache, workers, trusted_before, progress)
    gc.freeze()     # the site lives until the build ends: no collection needs to walk it
    # what the checks find depends on the parsed values but the bodies (a body is checked
    # where its file is parsed), which the fingerprints know without walking them
    problems = sorted(set(problems + cache.remembered("checks", cache.fp(site),
                                                      lambda: check_site(site))))
    if has_errors(problems, strict):
        raise ContentError(promote(problems) if strict else problems)
    published = site if drafts else site.without_drafts()
    ledger = build_ledger(published)
    views = make_views(config, published, ledger)
    gc.freeze()
    trees = make_trees(config)
    staging = Staging(config.output_dir) if write else None
    try:
        others: dict = {}

        def open_data_and_hosting(urls, layout: bytes) -> None:   # while the workers render
            # made again only when what they show changed: the content (but bodies), the
            # configuration, the theme (its static files), the pages' addresses
            key = cache.fp((config, published))
            others.update(cache.group("data", key, lambda: render_data(published, ledger)))
            key = digest(key + layout + repr(
                (sorted(urls.items()), os.environ.get("SOURCE_DATE_EPOCH"))).encode())
            others.update(cache.group("hosting", key, lambda: hosting_files(
                config, published.articles, urls)))
        pages, urls, unchanged = render_site(views, trees, cache, workers, staging, progress,
                                             open_data_and_hosting)
        files = {**pages, **others}
        cache.keep_only(files)
        if staging is not None:
            left = [(name, data) for name, data in sorted(files.items())
                    if not isinstance(data, Written)]
            progress.stage("write", len(left))
            for name, data in left:
                unchanged += staging.put(name, data)
                progress.advance()
            if config.search:       # Pagefind indexes the pages as written (sitegen/search.py)
                names, notes = index_into(staging.folder, staging.old)
                files.update((name, Written(f"{config.output_dir.absolute()}/{name}"))
                             for name in names)
                problems = sorted(set(problems + notes))
            staging.commit()
    except BaseException:
        if staging is not None:
            staging.abort()
        raise
    finally:
        progress.close()
    if write:
        cache.record_output(config.output_dir.absolute(), files)
    return Result(config, published, ledger, files, tuple(problems), unchanged,
                  time.perf_counter() - started)


def build_cached(root: Path, base_url: str | None = None, drafts: bool = False,
                 strict: bool = False, workers: int | None = None,
                 store: Store | None = None, progress: Progress | None = None,
                 search: bool = True) -> Result:
    """`sitegen build`: build() with the cache kept in .sitegen-cache/ between runs.

    When no input changed since the last build (content, templates, pyproject.toml, options,
    sitegen itself) and output/ is exactly what that build wrote, nothing is read or written:
    the result (and its warnings) are the last build's. Otherwise unchanged files are not
    parsed again and pages with unchanged inputs are linked from the old output.
    """
    started = time.perf_counter()
    with _few_collections(), removals_in_background():
        return _build_cached(root, base_url, drafts, strict, workers, store, progress, started,
                             search)


@contextlib.contextmanager
def _few_collections():
    """A build holds a few hundred thousand objects that live until it ends: the cyclic
    collector's passes over them cost a quarter of an incremental build and find nothing."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.unfreeze()       # what the build froze may be collected again
        gc.set_threshold(*thresholds)


def _build_cached(root, base_url, drafts, strict, workers, store, progress, started,
                  search=True) -> Result:
    config = load_config(root, base_url)
    store = store if store is not None else Store(root)
    out = config.output_dir.absolute()
    stamp, newest = input_stamp(config, (base_url, drafts, strict, search))
    last = store.load("manifest")
    if (isinstance(last, dict) and last.get("stamp") == stamp
            and newest < last["started_ns"] - RACY_NS and _output_is(out, last["outputs"])):
        files = {name: Kept(f"{out}/{name}") for name in last["outputs"]}
        return Result(config, None, None, files, last["diagnostics"], len(files),
                      time.perf_counter() - started)
    state = store.load("state")
    code = code_version()
    usable = isinstance(state, dict) and state.get("code") == code
    cache = Cache.from_disk(state, lambda shard: _ours(store.load(f"parsed-{shard}"), code),
                            lambda shard: _ours(store.load(f"fragments-{shard}"), code)
                            ) if usable else Cache()
    result = build(root, base_url, drafts, strict, True, cache, workers, progress, search)
    store.save("state", {**cache.to_disk(), "code": code})
    for name, shards in (("parsed", cache.parsed_to_disk()),
                         ("fragments", cache.fragments_to_disk())):
        for shard, part in shards:
            store.save(f"{name}-{shard}", {"part": part, "code": code})
    store.save("manifest", {"stamp": stamp, "started_ns": cache.started_ns,
                            "outputs": cache.outputs, "diagnostics": result.diagnostics})
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def _ours(saved, code: bytes) -> dict | None:
    """A shard of the cache, if this code saved it."""
    return saved["part"] if isinstance(saved, dict) and saved.get("code") == code else None


def input_stamp(config: Config, options: tuple) -> tuple[bytes, int]:
    """A digest of everything a build reads (names, sizes, times and inodes of the files of
    content/, templates/ and pyproject.toml; the options; sitegen's code and the versions of
    its libraries), and the newest modification time among those files."""
    h = hashlib.blake2b(repr((options, str(config.output_dir.absolute()), code_version(),
                              os.environ.get("SOURCE_DATE_EPOCH"))).encode(), digest_size=16)
    newest = 0
    for top in (config.root / "pyproject.toml", config.content_dir, config.templates_dir):
        for name, st in _walk(top):
            h.update(name.encode("utf-8", "surrogateescape")
                     + repr(st and stat_key(st)).encode() + b"\0")
            if st is not None:
                newest = max(newest, st.st_mtime_ns)
    return h.digest(), newest


def code_version() -> bytes:
    """sitegen's own code and the versions of what it builds with: a cache made by other
    code is not used."""
    import babel
    import jinja2
    import markdown_it
    h = hashlib.blake2b(repr((sys.version, jinja2.__version__, markdown_it.__version__,
                              babel.__version__)).encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


def _walk(top: Path) -> list[tuple[str, os.stat_result | None]]:
    """(path, lstat) of `top` and everything below it, in a stable order (a folder, then what
    it holds by name); symlinks not followed."""
    try:
        st = os.lstat(top)
    except OSError:
        return [(str(top), None)]
    out = [(str(top), st)]
    if stat.S_ISDIR(st.st_mode):
        _below(str(top), out, folders=True)
    return out


def _below(folder: str, out: list, folders: bool) -> None:
    """Append (path, lstat) of everything below `folder` to `out`; of folders too when
    `folders` (a folder's entry is told by the listing itself: no lstat)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_name)
    except OSError:
        return
    for entry in entries:
        inside = entry.is_dir(follow_symlinks=False)
        if folders or not inside:
            try:
                out.append((entry.path, entry.stat(follow_symlinks=False)))
            except OSError:
                out.append((entry.path, None))
        if inside:
            _below(entry.path, out, folders)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _output_is(out: Path, outputs: dict[str, tuple]) -> bool:
    """Whether out/ holds exactly these files, each as it was written (size, time, inode)."""
    if not out.is_dir() or out.is_symlink():
        return False
    files: list = []
    _below(str(out), files, folders=False)
    cut = len(str(out)) + 1
    return len(files) == len(outputs) and all(
        st is not None and outputs.get(name[cut:]) == stat_key(st) for name, st in files)
