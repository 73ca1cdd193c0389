"""What one build hands to the next: parsed files, rendered pages and fragments, by their inputs."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Cache:
    """Kept by `sitegen serve` between rebuilds; every entry is keyed by all of its inputs,
    so a hit is always what a clean build would make."""

    parsed: dict[str, tuple] = field(default_factory=dict)    # path -> (inputs, result)
    pages: dict[str, tuple] = field(default_factory=dict)     # output path -> (inputs, bytes)
    fragments: dict[tuple, object] = field(default_factory=dict)  # inputs -> rendered HTML
    used: set = field(default_factory=set)                     # fragment keys the last build used
    interned: dict = field(default_factory=dict)               # value -> the same value, older
    generation: int = 0                                        # counts builds
    stats: dict = field(default_factory=dict)                  # path -> (stat key, digest)
    rendered: int = 0                                          # pages rendered by the last build
    reused: int = 0                                            # pages taken from the cache

    def environment(self, folder: Path, make):
        """One Jinja2 environment per templates folder (it reloads a template that changed)."""
        if getattr(self, "_env", (None,))[0] != folder:
            self._env = (folder, make(folder))
        return self._env[1]

    def start(self) -> None:
        self.rendered = self.reused = 0
        self.used = set()
        self.generation += 1

    def intern(self, value):
        """An equal value from an earlier build if there is one: comparing two builds' values
        is then mostly comparing an object with itself."""
        self.used.add(value)
        return self.interned.setdefault(value, value)

    def fragment(self, inputs: tuple, make):
        """A piece of a page (an event's list item), made once for equal inputs."""
        entry = self.fragments.get(inputs)
        if entry is None:
            entry = self.fragments[inputs] = [self.generation, make()]
        entry[0] = self.generation
        return entry[1]

    def page(self, path: str, inputs, make) -> bytes:
        """The page at `path`: from the cache if its inputs are equal, else made anew."""
        hit = self.pages.get(path)
        if inputs is not None and hit is not None and hit[0] == inputs:
            self.reused += 1
            return hit[1]
        data = make()
        self.rendered += 1
        self.pages[path] = (inputs, data)
        return data

    def keep_only(self, paths) -> None:
        """Forget pages and fragments the last build did not make."""
        for stale in set(self.pages) - set(paths):
            del self.pages[stale]
        for stale in [k for k, (gen, _) in self.fragments.items() if gen != self.generation]:
            del self.fragments[stale]
        for stale in set(self.interned) - self.used:
            del self.interned[stale]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def folder_digest(folder: Path) -> bytes:
    """One digest of every file (name and bytes) below `folder`."""
    h = hashlib.blake2b(digest_size=16)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            if path.is_file():
                h.update(path.read_bytes() + b"\0")
    return h.digest()
