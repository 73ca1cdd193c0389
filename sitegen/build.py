"""The pipeline: load -> parse -> check -> ledger -> render -> write."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, digest
from .parallel import parallel_map
from .checks import check_site
from .config import Config, load_config
from .data import render_data
from .hosting import hosting_files
from .markdown import lint_markdown
from .render import make_trees, render_site
from .views import make_views
from .diagnostics import ContentError, Diagnostic, has_errors, promote
from .ledger import Ledger, build_ledger
from .model import Site
from .output import write_output
from .parse import parse_article, parse_intro, parse_page
from .source import SourceError, discover, find_symlinks, read_bytes, read_source

# Top-level names in a language tree that a free page may not take.
RESERVED = frozenset({"timeline", "events", "articles", "countries", "ledger", "data",
                      "feed", "sitemap", "robots", "404", "static", "assets", "tags", "search"})


@dataclass(frozen=True)
class Result:
    config: Config
    site: Site
    ledger: Ledger
    files: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    unchanged: int = 0          # files the old output already held, linked not rewritten
    seconds: float = 0.0


def load_site(config: Config, cache: Cache | None = None,
              workers: int = 1) -> tuple[Site, list[Diagnostic]]:
    """Read every content file; the Site holds what could be read, the list every problem.

    Files the cache does not hold are parsed by `workers` processes when there are many.
    """
    found, problems = discover(config.root, config.content_dir)
    problems += find_symlinks(config.root, config.templates_dir)
    settings = repr(config)
    slots: list[tuple[str, tuple | None]] = []      # (section, (item, problems)) per file
    jobs = []                                       # (slot, section, path, data, inputs)
    for section, path in found:
        hit = cache.parsed.get(str(path)) if cache else None
        if hit and hit[0][0] == (section, settings) and hit[0][1] == _stat(path):
            slots.append((section, hit[1]))   # the same file, untouched since it was parsed
            continue
        try:
            data = read_bytes(config.root, path)
        except SourceError as exc:
            slots.append((section, (None, [exc.diagnostic])))
            continue
        inputs = ((section, settings), _stat(path), digest(data))
        if hit and hit[0][0] == inputs[0] and hit[0][2] == inputs[2]:
            cache.parsed[str(path)] = (inputs, hit[1])
            slots.append((section, hit[1]))
            continue
        jobs.append((len(slots), section, path, data, inputs))
        slots.append((section, None))
    results = parallel_map(_parse_job, [(config, s, p, d) for _, s, p, d, _ in jobs], workers)
    for (slot, section, path, _, inputs), result in zip(jobs, results):
        slots[slot] = (section, result)
        if cache is not None:
            cache.parsed[str(path)] = (inputs, result)
    read: dict[str, list] = {"articles": [], "pages": [], "countries": []}
    for section, (item, found_problems) in slots:
        read[section].append(item)
        problems += found_problems
    site = Site(*(tuple(x for x in read[s] if x) for s in ("articles", "pages", "countries")))
    return site, problems


def _parse_job(job: tuple):
    return _parse_file(*job)


def _stat(path: Path) -> tuple:
    """What changes when a file is written: size, modification time, inode."""
    st = path.lstat()
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode


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
    return item, problems


def check(root: Path, strict: bool = False) -> list[Diagnostic]:
    """Every problem in the site, warnings promoted to errors when strict."""
    config = load_config(root)
    site, problems = load_site(config)
    problems = sorted(set(problems + check_site(site)))
    return promote(problems) if strict else problems


def build(root: Path, base_url: str | None = None, drafts: bool = False,
          strict: bool = False, write: bool = True, cache: Cache | None = None,
          workers: int | None = None) -> Result:
    """Build the site into output/; raise ContentError (output/ untouched) on any error.

    With a Cache (as `sitegen serve` keeps), unchanged files are not parsed again and pages
    whose inputs are unchanged are not rendered again. `workers` processes parse and render
    a large site (default: one per core).
    """
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    if cache is not None:
        cache.start()
    config = load_config(root, base_url)
    site, problems = load_site(config, cache, workers)
    problems = sorted(set(problems + check_site(site)))
    if has_errors(problems, strict):
        raise ContentError(promote(problems) if strict else problems)
    published = site if drafts else site.without_drafts()
    ledger = build_ledger(published)
    views = make_views(config, published, ledger, cache.intern if cache else lambda v: v)
    trees = make_trees(config)
    pages, urls = render_site(views, trees, cache, workers)
    memo = cache.fragment if cache is not None else (lambda key, make: make())
    files = {**pages, **render_data(published, ledger, memo),
             **hosting_files(config, published.articles, urls, memo)}
    if cache is not None:
        cache.keep_only(files)
    unchanged = write_output(files, config.output_dir) if write else 0
    return Result(config, published, ledger, files, tuple(problems), unchanged,
                  time.perf_counter() - started)
