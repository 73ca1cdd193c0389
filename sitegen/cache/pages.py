"""Seam two: what each output file was made from, so that a file made from the same inputs is
kept from the old output instead of being made again.

An entry is named by an output file (a page) or a group of files made together (the open
data, the feeds and the host's files); it holds the key of its inputs (a fingerprint of what
its route declares it shows, see site/routes.py), the bodies of articles it shows (their
digests) and its files. It is kept when its key and bodies are the same and the old output
still holds each of its files exactly as the last build wrote it (`intact`).
"""
from __future__ import annotations

from ..content.fingerprint import Fingerprints
from .keys import digest


def page_key(fp: Fingerprints, layout: bytes, lang: str, alternates: dict[str, str],
             inputs) -> bytes:
    """The key of a page: the layout (theme, configuration, menus), its language, its
    versions in other languages and what its route declares it shows."""
    return digest(layout + lang.encode() + b"\0" + repr(sorted(alternates.items())).encode()
                  + b"\0" + fp(inputs))


class RenderedPages:
    def __init__(self, saved: dict | None = None):
        saved = saved or {}
        # name -> (key, ((article path, body digest), ...), output paths)
        self.entries: dict[str, tuple[bytes, tuple, tuple[str, ...]]] = saved.get("entries", {})
        # what the keys of the last build were made from (its layout and whole site): when a
        # build's is the same, so is every page's key
        self.stamp: bytes | None = saved.get("stamp")
        self.outputs: dict[str, tuple] = saved.get("outputs", {})   # path -> stat_key written
        self.output_dir: str | None = saved.get("output_dir")
        # the theme's templates compiled (Jinja2's bytecode, by template and source checksum):
        # part of making pages, kept so that an edit does not compile the theme again
        self.compiled: dict = saved.get("compiled", {})
        self.intact: set[str] = set()       # files of the old output as they were written
        self.same_keys = False

    def begin(self, stamp: bytes, intact: set[str]) -> None:
        """Start a build whose keys are made from `stamp`, the old output holding `intact`.
        What it records counts once it is `done` (a build that fails halfway leaves no
        key of a page the output does not hold)."""
        self.same_keys, self._stamp = self.stamp == stamp, stamp
        self.intact, self._new = intact, {}

    def known_key(self, name: str) -> bytes | None:
        """The last build's key of `name` when this build's keys are the same."""
        entry = self.entries.get(name) if self.same_keys else None
        return entry and entry[0]

    def unchanged(self, name: str, key: bytes, bodies: tuple) -> tuple[str, ...] | None:
        """The files of `name` to keep from the old output when it was made from the same
        inputs and they are intact; else None (make it again)."""
        entry = self.entries.get(name)
        if entry is None or entry[0] != key or entry[1] != bodies:
            return None
        if not all(path in self.intact for path in entry[2]):
            return None
        return entry[2]

    def record(self, name: str, key: bytes | None, bodies: tuple, paths: tuple[str, ...]) -> None:
        self._new[name] = None if key is None else (key, bodies, paths)

    def done(self, names: set[str]) -> None:
        """The build's output is in place: what it recorded counts; entries of names it
        did not make or keep are forgotten."""
        for name, entry in self._new.items():
            if entry is None:
                self.entries.pop(name, None)
            else:
                self.entries[name] = entry
        for stale in set(self.entries) - names:
            del self.entries[stale]
        self.stamp, self._new = self._stamp, {}

    def written(self, output_dir: str, outputs: dict[str, tuple]) -> None:
        """What the output holds now (stat of each file), for the next build to check."""
        self.output_dir, self.outputs = output_dir, outputs

    def to_disk(self) -> dict:
        return {"entries": self.entries, "stamp": self.stamp, "outputs": self.outputs,
                "output_dir": self.output_dir, "compiled": self.compiled}
