"""Reading the site's own files (content/, templates/, pyproject.toml): regular files only,
never more than a bound.

A named pipe would block a read until a writer comes (forever), a device such as /dev/zero
never ends, a socket cannot be read at all. So a file is told by lstat before it is opened,
opened without following a symbolic link and without blocking (a pipe's open would wait
for a writer), told again by fstat on what was opened (the name may have been swapped in
between), and read up to its bound and not a byte further.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
          (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class Refused(Exception):
    """A file that is not read: not a regular file, or larger than its bound. `message`
    says why without the path (a diagnostic puts the path in front)."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def kind(mode: int) -> str | None:
    """What a file of this mode is, None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int, per: str = "") -> bytes:
    """The bytes of the regular file `path`; Refused if it is anything else or holds more
    than `limit` bytes (`per` ends that message: " per content file"), OSError if it
    cannot be read."""
    _check(path, os.lstat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        _check(path, st.st_mode)
        size = st.st_size
        if size <= limit:
            chunks, left = [], limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
            if len(data) <= limit:
                return data
            size = len(data)        # it grew after fstat: at least this much
    finally:
        os.close(fd)
    raise Refused(path, f"file is {size} bytes; the limit is {limit} bytes ({_size(limit)}){per}")


def _check(path: Path, mode: int) -> None:
    name = kind(mode)
    if name is not None:
        raise Refused(path, f"{name}, not a regular file: only regular files are read")


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 and n % (1 << 20) == 0 else f"{n >> 10} KiB"


def walk(top: Path | str):
    """os.DirEntry of everything below `top`, a folder's entries by name, each folder followed
    by what it holds; symbolic links are listed, never followed; a folder that cannot be read
    is passed over (as os.walk does). The one walker of the site's folders and its output."""
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=_name)
    except OSError:
        return
    for entry in entries:
        yield entry
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def stat_key(st: os.stat_result) -> tuple:
    """What changes when a file is written: size, modification time, inode, type."""
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode
