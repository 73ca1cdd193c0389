"""A dict that .sitegen-cache/ keeps in a few files (shards) by key: a shard is read when one
of its keys is first wanted and written again only when one of its entries changed, so that a
build that touches one file of a large site reads and writes little of the cache."""
from __future__ import annotations

import zlib

SHARDS = 16


class Shards:
    """`read(shard)` gives a saved shard's dict (None when there is none): a new Shards
    without it holds nothing and has every shard to save. `as_bytes` turns a key into the
    bytes that choose its shard."""

    def __init__(self, read=None, as_bytes=bytes):
        self._read, self._as_bytes = read, as_bytes
        self.data: dict = {}
        self._unread = set(range(SHARDS)) if read else set()
        self.changed = set() if read else set(range(SHARDS))

    def shard(self, key) -> int:
        return zlib.crc32(self._as_bytes(key)) % SHARDS

    def _want(self, key) -> None:
        if self._unread:
            shard = self.shard(key)
            if shard in self._unread:
                self._read_shard(shard)

    def _read_shard(self, shard: int) -> None:
        self._unread.discard(shard)
        part = self._read(shard)
        if part is None:
            self.changed.add(shard)     # lost (or never saved): saved again
        for key, value in (part or {}).items():
            self.data.setdefault(key, value)

    def get(self, key):
        self._want(key)
        return self.data.get(key)

    def __setitem__(self, key, value) -> None:
        self._want(key)
        self.data[key] = value
        self.changed.add(self.shard(key))

    def __delitem__(self, key) -> None:
        del self.data[key]
        self.changed.add(self.shard(key))

    def touch(self, key) -> None:
        """The entry at `key` changed in place."""
        self.changed.add(self.shard(key))

    def all(self) -> dict:
        """Every entry (every shard read)."""
        for shard in sorted(self._unread):
            self._read_shard(shard)
        return self.data

    def changed_parts(self, saved):
        """(shard, {key: saved(value)}) for each shard that changed, made one at a time."""
        parts: dict[int, list] = {shard: [] for shard in sorted(self.changed)}
        for key in self.data:
            part = parts.get(self.shard(key))
            if part is not None:
                part.append(key)
        for shard, keys in parts.items():
            yield shard, {key: saved(self.data[key]) for key in keys}
