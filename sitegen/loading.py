"""The read and parse stages as the pipeline runs them: the content files listed and read,
each parsed (in worker processes when there are many) and its parse kept at the cache's
first seam; told which files changed (`sitegen serve`), a build reads those alone."""
from __future__ import annotations

import pickle
from pathlib import Path

from .cache.cache import Cache
from .cache.keys import digest
from .cache.last_build import Scan
from .content.config import Config
from .content.diagnostics import Diagnostic, cap_warnings
from .content.markdown import lint_markdown
from .content.model import Site
from .content.parse import parse_article, parse_intro, parse_page
from .content.source import SourceError, discover, read_bytes, read_source
from .parallel import parallel_map, will_fork

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


def load_site(config: Config, cache: Cache | None = None, workers: int = 1,
              trusted_before: int = 0, progress: Progress | None = None
              ) -> tuple[Site, list[Diagnostic]]:
    """Read every content file; the Site holds what could be read, the list every problem.

    A file the cache holds is not parsed again (cache/parsed.py says when); the others are
    parsed by `workers` processes when there are many.
    """
    site, problems, _ = load_with_digests(config, cache, workers, trusted_before, progress)
    return site, problems


def load_with_digests(config: Config, cache: Cache | None = None, workers: int = 1,
                      trusted_before: int = 0, progress: Progress | None = None,
                      changed=None) -> tuple[Site, list[Diagnostic], list[tuple]]:
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
