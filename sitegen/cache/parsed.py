"""Seam one: each content file's parse result, keyed by the file's bytes and the settings.

An entry is `[inputs, result or None, pickled result or None]`, inputs being
((section, settings), stat_key, digest of the bytes). A file is taken as parsed without
being read when its stat is the one it had and it was written well before the last build
began (its bytes could not have changed within the file system's clock tick unseen); else
it is read, and taken as parsed when its bytes are the same.
"""
from __future__ import annotations

import os
import pickle

from . import pickling  # noqa: F401 - how the model is pickled
from .keys import RACY_NS, digest, stat_key
from .shards import Shards


def _path_bytes(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


class ParsedFiles:
    def __init__(self, shards: Shards | None = None):
        self.entries = shards if shards is not None else Shards(as_bytes=_path_bytes)

    def untouched(self, path: str, settings: tuple, st: os.stat_result | None,
                  trusted_before: int):
        """The result for a file whose stat says it is the file that was parsed, else None."""
        hit = self.entries.get(path)
        if (hit is None or st is None or hit[0][0] != settings or hit[0][1] != stat_key(st)
                or st.st_mtime_ns >= trusted_before - RACY_NS):
            return None
        return _loaded(hit)

    @staticmethod
    def inputs(settings: tuple, st: os.stat_result | None, data: bytes) -> tuple:
        return settings, stat_key(st) if st else None, digest(data)

    def same_bytes(self, path: str, inputs: tuple):
        """The result for a file read with these inputs when its bytes were parsed before
        (its stat is noted anew), else None."""
        hit = self.entries.get(path)
        if hit is None or hit[0][0] != inputs[0] or hit[0][2] != inputs[2]:
            return None
        entry = self.entries[path] = [inputs, *hit[1:]]
        return _loaded(entry)

    def put(self, path: str, inputs: tuple, result, pickled: bytes | None) -> None:
        self.entries[path] = [inputs, result, pickled]

    def keep_only(self, paths: set[str]) -> None:
        """Forget the files that are gone."""
        for gone in set(self.entries.all()) - paths:
            del self.entries[gone]

    def to_disk(self):
        """The shards this build changed, one at a time: (shard, {path: (inputs, pickled
        result)}) (only new results are pickled again)."""
        return self.entries.changed_parts(lambda entry: (entry[0], entry[2] or pickle.dumps(
            entry[1], pickle.HIGHEST_PROTOCOL)))

    @classmethod
    def from_disk(cls, read) -> "ParsedFiles":
        """`read(shard)` gives what to_disk() saved of a shard (None: nothing)."""
        def shard(number: int) -> dict | None:
            part = read(number)
            return None if part is None else {
                path: [inputs, None, blob] for path, (inputs, blob) in part.items()}
        return cls(Shards(shard, _path_bytes))


def _loaded(entry: list):
    """An entry's result, unpickled on first use."""
    if entry[1] is None:
        entry[1] = pickle.loads(entry[2])
    return entry[1]
