"""What one build hands to the next: parsed files, rendered pages and fragments, by their inputs.

Every entry is keyed by a fingerprint of all of its inputs (a digest that is the same in
every process), an article's by all of it but its body; a page or fragment that read a body
is kept with that body's digest (model.BODY_READS). So a hit is always what a clean build
would make. `sitegen serve` keeps a Cache in memory; `sitegen build` saves it in
.sitegen-cache/ (see store.py), the parsed files and fragments in shards (shards.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
import os
import pickle
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import NamedTuple

from ..content.files import Refused, read_regular
from ..content.model import BODY_READS, Interval
from .shards import Shards

# a file modified this close to a build's start may change again within one tick of the
# file system's clock without its size or time changing: such a file is read again
RACY_NS = 2_000_000_000


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Fingerprints:
    """Stable digests of values: equal values, equal digests, in any process.

    Parsed files are known by the digest of their bytes and settings (`know`), so an article
    is never walked field by field; other values are walked once per build (memoised by
    identity, so a value met again costs a lookup)."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[bytes, object]] = {}   # id -> (digest, the value kept alive)

    def know(self, value, fp: bytes) -> None:
        self._memo[id(value)] = (fp, value)

    def __call__(self, value) -> bytes:
        kind = type(value)
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass")
        if kind is Interval:
            return b"I%r,%r" % (value.lo, value.hi)
        if kind is int or kind is bool or value is None:
            return b"i%r" % value
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[0]
        if kind is tuple or kind is list:
            parts = [b"s" + item.encode("utf-8", "surrogatepass") if type(item) is str
                     else self(item) for item in value]
        elif kind in _GETTERS or dataclasses.is_dataclass(kind):
            fields = (_GETTERS.get(kind) or _getter(kind))(value)
            parts = [self(item) for item in fields]
        elif kind is dict:
            parts = sorted(self(k) + b"=" + self(v) for k, v in value.items())
        elif kind is frozenset or kind is set:
            parts = sorted(self(item) for item in value)
        elif kind in _ATOMS or isinstance(value, (str, int, float, bytes, dt.date, PurePath)):
            return b"%s:%s" % (kind.__name__.encode(), repr(value).encode("utf-8", "surrogatepass"))
        else:
            raise TypeError(f"no fingerprint for {kind.__qualname__}")
        # a pickle of the parts' list is an unambiguous encoding of them
        fp = _blake(_dumps((kind.__qualname__, parts), 4), digest_size=16).digest()
        self._memo[id(value)] = (fp, value)
        return fp


_blake = hashlib.blake2b
_dumps = pickle.dumps
_ATOMS = frozenset({type(None), bool, str, int, float, bytes, dt.date})
_GETTERS: dict[type, object] = {}   # dataclass -> a function giving its compared fields' values


def _getter(kind: type):
    names = [f.name for f in dataclasses.fields(kind) if f.compare]
    get = operator.attrgetter(*names) if names else (lambda value: ())
    _GETTERS[kind] = (lambda value: (get(value),)) if len(names) == 1 else get
    return _GETTERS[kind]


class Kept:
    """A page the last build wrote and this one would write again byte for byte: the old
    output's file is linked into the new output instead."""

    __slots__ = ("source",)

    def __init__(self, source: str | Path):
        self.source = str(source)

    def read(self) -> bytes:
        with open(self.source, "rb") as handle:
            return handle.read()


class Written(Kept):
    """A page a worker process has already written into the new output (at `source` once the
    new output is in place)."""

    __slots__ = ()


def stat_key(st: os.stat_result) -> tuple:
    """What changes when a file is written: size, modification time, inode, type."""
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode


class Made(NamedTuple):
    """A page the cache holds: made for inputs whose fingerprint is `key`, reading the bodies
    of the articles in `bodies` ((path, digest of the body) pairs)."""

    key: bytes | None
    data: bytes | Kept | None       # None once it is on disk (the output holds it)
    bodies: tuple = ()


def _path_bytes(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


# a fragment no build used for this many builds is forgotten (one still in use is saved again
# with its new generation when half of that has passed)
FRAGMENT_AGE = 20


@dataclass
class Cache:
    # path -> [inputs, (item, problems, digests) or None, pickled]
    parsed: Shards = field(default_factory=lambda: Shards(as_bytes=_path_bytes))
    pages: dict[str, Made] = field(default_factory=dict)      # output path -> Made
    outputs: dict[str, tuple] = field(default_factory=dict)   # output path -> stat_key, as written
    started_ns: int = 0                                        # when the last build began
    generation: int = 0                                        # counts builds
    rendered: int = 0                                          # pages rendered by the last build
    reused: int = 0                                            # pages taken from the cache
    output_dir: Path | None = None                             # where `outputs` were written
    templates: dict[str, tuple] = field(default_factory=dict)  # compiled templates (render.py)
    fp: Fingerprints = field(default_factory=Fingerprints)
    groups: dict[str, tuple] = field(default_factory=dict)     # name -> (key, paths): group()
    kept: dict[str, tuple] = field(default_factory=dict)       # name -> (key, value): remembered()
    page_stamp: bytes | None = None     # what the pages' keys were made from (render.py)
    body_digests: dict[str, bytes] = field(default_factory=dict)  # article path -> its body's
    # fp -> [generation last used, value or None, bodies, pickled value]
    fragments: Shards = field(default_factory=Shards)
    # in a worker process: the keys of the fragments it used as they were, and made
    used: set[bytes] | None = None
    added: list[bytes] | None = None

    def add_fragment(self, key: bytes, value, bodies: tuple) -> list:
        if self.added is not None:
            self.added.append(key)
        entry = self.fragments[key] = [self.generation, value, bodies, None]
        return entry

    def keep_parsed(self, paths: set[str]) -> None:
        """Forget the files that are gone."""
        for gone in set(self.parsed.all()) - paths:
            del self.parsed[gone]

    def environment(self, folder: Path, contents: bytes, make):
        """One Jinja2 environment per templates folder and contents (`folder_digest`): a
        new one when a template changed, so that none needs to check its file on each use."""
        if getattr(self, "_env", (None,))[0] != (folder, contents):
            self._env = ((folder, contents), make(folder, self.templates))
        return self._env[1]

    def start(self) -> int:
        """Begin a build; returns the previous build's start (files newer are not trusted by
        their stat alone)."""
        self.rendered = self.reused = 0
        self.generation += 1
        self.fp = Fingerprints()
        self.body_digests = {}
        before, self.started_ns = self.started_ns, time.time_ns()
        return before

    def _same_bodies(self, bodies: tuple) -> bool:
        return all(self.body_digests.get(path) == seen for path, seen in bodies)

    def _recording(self, make) -> tuple[object, tuple]:
        """make() and the bodies it read (also noted for whatever encloses it)."""
        reads: set[str] = set()
        BODY_READS.append(reads)
        try:
            value = make()
        finally:
            BODY_READS.pop()
        if BODY_READS:
            BODY_READS[-1].update(reads)
        return value, tuple(sorted((path, self.body_digests.get(path)) for path in reads))

    def fragment_at(self, key: bytes, make):
        """A piece of a page (an event's list item), made once for equal inputs: `key` is a
        fingerprint of all of them (and the bodies it read must be the same)."""
        entry = self.fragments.get(key)
        if entry is not None and entry[2] and not self._same_bodies(entry[2]):
            entry = None
        if entry is None:
            value, bodies = self._recording(make)
            entry = self.add_fragment(key, value, bodies)
        else:
            if entry[1] is None:
                entry[1] = pickle.loads(entry[3])
            if entry[2] and BODY_READS:
                BODY_READS[-1].update(path for path, _ in entry[2])
            self._use(key, entry)
            if self.used is not None:
                self.used.add(key)
        return entry[1]

    def _use(self, key: bytes, entry: list) -> None:
        if entry[0] < self.generation - FRAGMENT_AGE // 2:
            self.fragments.touch(key)       # saved again, with its new generation
        entry[0] = self.generation

    def used_elsewhere(self, keys) -> None:
        """Fragments a worker process used."""
        for key in keys:
            entry = self.fragments.get(key)
            if entry is not None:
                self._use(key, entry)

    def has_page(self, path: str, key: bytes | None) -> bool:
        """Whether `page` would give the page without making it."""
        return self._hit(path, key) is not None

    def page(self, path: str, key: bytes | None, make):
        """The page at `path`: from the cache if it was made for the same inputs (`key`, their
        fingerprint) and the bodies it read are the same, else made anew."""
        data = self._hit(path, key)
        if data is not None:
            self.reused += 1
            return data
        data, bodies = self._recording(make)
        self.rendered += 1
        self.pages[path] = Made(key, data, bodies)
        return data

    def remembered(self, name: str, key: bytes, make):
        """make()'s value, kept for the next builds: made again when `key` is not the same."""
        hit = self.kept.get(name)
        if hit is None or hit[0] != key:
            hit = self.kept[name] = (key, make())
        return hit[1]

    def group(self, name: str, key: bytes, make) -> dict:
        """Files made together (`make()` gives {path: bytes}) from inputs whose fingerprint is
        `key`: those the cache holds if it holds them all as made for `key`, else made anew."""
        known = self.groups.get(name)
        if known is not None and known[0] == key:
            kept = {path: self._hit(path, key) for path in known[1]}
            if all(data is not None for data in kept.values()):
                return kept
        files, bodies = self._recording(make)
        self.groups[name] = (key, tuple(files))
        for path, data in files.items():
            self.pages[path] = Made(key, data, bodies)
        return files

    def _hit(self, path: str, key: bytes | None):
        """The page's bytes, or the old output's file if it is still exactly what the last
        build wrote (checked once, then remembered), when it was made for `key` and the same
        bodies; else None."""
        hit = self.pages.get(path)
        if key is None or hit is None or hit.key != key or not self._same_bodies(hit.bodies):
            return None
        if hit.data is not None:
            return hit.data
        known = self.outputs.get(path)
        if self.output_dir is None or known is None:
            return None
        source = f"{self.output_dir}/{path}"
        try:
            if stat_key(os.lstat(source)) != known:
                return None
        except OSError:
            return None
        self.pages[path] = hit._replace(data=Kept(source))
        return self.pages[path].data

    def keep_only(self, paths) -> None:
        """Forget pages the last build did not make or keep, and fragments no build used for
        FRAGMENT_AGE builds (a page the cache keeps may still use an older fragment: made
        again if it is made again)."""
        for stale in set(self.pages) - set(paths):
            del self.pages[stale]
        last = self.generation - FRAGMENT_AGE      # used by that build or before: forgotten
        for stale in [k for k, (gen, *_) in self.fragments.data.items() if gen <= last]:
            del self.fragments[stale]

    # -- on disk ----------------------------------------------------------------------------

    def to_disk(self) -> dict:
        """What .sitegen-cache/ keeps in one file: page fingerprints without their bytes (the
        output holds them) and what else a build needs (the parsed files and the fragments
        are kept apart, in shards)."""
        return {"pages": {p: (m.key, m.bodies) for p, m in self.pages.items()},
                "generation": self.generation,
                "outputs": self.outputs, "started_ns": self.started_ns, "templates": self.templates,
                "groups": self.groups, "kept": self.kept, "page_stamp": self.page_stamp,
                "output_dir": str(self.output_dir) if self.output_dir else None}

    def parsed_to_disk(self):
        """The shards of parsed files this build changed, one at a time: (shard, {path:
        (inputs, pickled (item, problems, digests))}) (only new ones are pickled again)."""
        return self.parsed.changed_parts(lambda entry: (entry[0], entry[2] or pickle.dumps(
            entry[1], pickle.HIGHEST_PROTOCOL)))

    def fragments_to_disk(self):
        """The shards of fragments this build changed, one at a time: (shard, {key:
        (generation, bodies, pickled value)})."""
        return self.fragments.changed_parts(lambda entry: (entry[0], entry[2], entry[3] or
                                                           pickle.dumps(entry[1], pickle.HIGHEST_PROTOCOL)))

    @classmethod
    def from_disk(cls, state: dict, parsed, fragments) -> "Cache":
        """The cache to_disk() saved; `parsed(shard)` and `fragments(shard)` give what
        parsed_to_disk() and fragments_to_disk() saved of a shard (None: nothing)."""
        cache = cls(parsed=Shards(lambda shard: _restored(parsed(shard), lambda inputs, blob: [
                        inputs, None, blob]), _path_bytes),
                    fragments=Shards(lambda shard: _restored(fragments(shard), lambda gen, bodies,
                                     blob: [gen, None, bodies, blob])),
                    pages={p: Made(key, None, bodies) for p, (key, bodies) in state["pages"].items()},
                    generation=state["generation"],
                    outputs=state["outputs"], started_ns=state["started_ns"],
                    templates=state["templates"], groups=state["groups"], kept=state["kept"],
                    page_stamp=state["page_stamp"])
        cache.output_dir = Path(state["output_dir"]) if state["output_dir"] else None
        return cache

    def record_output(self, out_dir: Path, files: dict) -> None:
        """Remember what the output holds now, so the next build can keep unchanged files.
        A file linked from the old output has the stat it had (a link is the same inode)."""
        before = self.outputs if self.output_dir == out_dir else {}
        self.output_dir = out_dir
        self.outputs = {}
        for name, data in files.items():
            if type(data) is Kept and name in before:
                self.outputs[name] = before[name]
                continue
            try:
                st = os.lstat(f"{out_dir}/{name}")
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                self.outputs[name] = stat_key(st)
        # the bytes are on disk now: keep only what tells whether they are still right
        self.pages = {p: made._replace(data=None) for p, made in self.pages.items()}


def _restored(part: dict | None, entry) -> dict | None:
    return None if part is None else {key: entry(*saved) for key, saved in part.items()}


def folder_digest(folder: Path) -> bytes:
    """One digest of every file (name and bytes) below `folder`."""
    h = hashlib.blake2b(digest_size=16)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            try:    # what is not a regular file is refused where it is read, not here
                h.update(read_regular(path, 64 << 20) + b"\0")
            except (OSError, Refused):
                pass
    return h.digest()
