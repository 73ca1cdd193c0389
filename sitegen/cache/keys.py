"""Keys of the cache: digests of bytes and what a file's stat says about it."""
from __future__ import annotations

import hashlib

from ..content.files import stat_key  # noqa: F401 - the key of a file on disk

# a file modified this close to a build's start may change again within one tick of the
# file system's clock without its size or time changing: such a file is read again
RACY_NS = 2_000_000_000


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
