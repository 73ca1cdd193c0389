"""`sitegen build`: the pipeline with its cache kept in .sitegen-cache/ between runs.

A build that would change nothing is answered from the last build's manifest before the
pipeline is imported: importing it (Jinja2, markdown-it-py, the stages) takes longer than
the check itself.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import os
import sys
import time
from pathlib import Path

from .cache.keys import RACY_NS, stat_key
from .cache.store import Store
from .content.config import Config, load_config
from .content.files import walk
from .output import OutputFiles, removals_in_background, written
from .result import Result

# the libraries whose code decides what a page holds: a cache made with other files of
# theirs is not used (their files' stats, read without importing them)
_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdurl", "babel", "yaml", "frontmatter",
              "slugify")


def build_cached(root: Path, base_url: str | None = None, drafts: bool = False,
                 strict: bool = False, workers: int | None = None,
                 store: Store | None = None, progress=None, search: bool = True) -> Result:
    """build() with the cache kept in .sitegen-cache/ between runs.

    When no input changed since the last build (content, templates, pyproject.toml, options,
    sitegen itself) and output/ is exactly what that build wrote, nothing is read or written:
    the result (and its warnings) are the last build's. Otherwise files parsed before are
    not parsed again and pages made from the same inputs are kept from the old output.
    """
    started = time.perf_counter()
    with removals_in_background():
        config = load_config(root, base_url)
        store = store if store is not None else Store(root)
        out = config.output_dir.absolute()
        code = code_version()
        stamp, newest = input_stamp(config, (base_url, drafts, strict, search), code)
        last = store.load("manifest")
        if (isinstance(last, dict) and last.get("stamp") == stamp
                and newest < last["started_ns"] - RACY_NS
                and _output_is(out, last["outputs"])):
            names = sorted(last["outputs"])
            return Result(config, None, None, OutputFiles(out, names), last["diagnostics"],
                          len(names), time.perf_counter() - started)
        from .build import build
        from .cache.cache import Cache
        state = store.load("state")
        cache = Cache.from_disk(state["cache"], lambda shard: _ours(
            store.load(f"parsed-{shard}"), code)) if (
            isinstance(state, dict) and state.get("code") == code) else Cache()
        result = build(root, base_url, drafts, strict, True, cache, workers, progress,
                       search=search)
        store.save("state", {"cache": cache.to_disk(), "code": code})
        for shard, part in cache.parsed.to_disk():
            store.save(f"parsed-{shard}", {"part": part, "code": code})
        store.save("manifest", {"stamp": stamp, "started_ns": cache.started_ns,
                                "outputs": cache.pages.outputs,
                                "diagnostics": result.diagnostics})
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def _ours(saved, code: bytes) -> dict | None:
    """A shard of the cache, if this code saved it."""
    return saved["part"] if isinstance(saved, dict) and saved.get("code") == code else None


def input_stamp(config: Config, options: tuple, code: bytes) -> tuple[bytes, int]:
    """A digest of everything a build reads (names, sizes, times and inodes of the files of
    content/, templates/ and pyproject.toml; the options; `code`, code_version()), and the
    newest modification time among those files."""
    h = hashlib.blake2b(repr((options, str(config.output_dir.absolute()),
                              code,
                              os.environ.get("SOURCE_DATE_EPOCH"))).encode(), digest_size=16)
    newest = 0
    for top in (config.root / "pyproject.toml", config.content_dir, config.templates_dir):
        try:
            st = os.lstat(top)
        except OSError:
            h.update(str(top).encode("utf-8", "surrogateescape") + b"None\0")
            continue
        below = [] if not top.is_dir() or top.is_symlink() else walk(top)
        for name, entry_st in [(str(top), st), *((e.path, _lstat(e)) for e in below)]:
            h.update(name.encode("utf-8", "surrogateescape")
                     + repr(entry_st and stat_key(entry_st)).encode() + b"\0")
            if entry_st is not None:
                newest = max(newest, entry_st.st_mtime_ns)
    return h.digest(), newest


def _lstat(entry: os.DirEntry) -> os.stat_result | None:
    try:
        return entry.stat(follow_symlinks=False)
    except OSError:
        return None


def code_version() -> bytes:
    """sitegen's own code and what it builds with (Python, and its libraries' files as they
    are installed: an upgrade rewrites them): a cache made by other code is not used."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        try:
            stamp = stat_key(os.stat(spec.origin)) if spec and spec.origin else None
        except OSError:     # not a file (a zip's): its version stands for it
            stamp = getattr(importlib.import_module(name), "__version__", None)
        h.update(name.encode() + repr(stamp).encode() + b"\0")
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


def _output_is(out: Path, outputs: dict[str, tuple]) -> bool:
    """Whether out/ holds exactly these files, each as it was written (size, time, inode)."""
    return out.is_dir() and not out.is_symlink() and written(out) == outputs
