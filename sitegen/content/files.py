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

from .messages import NOTHING, Msg, english, msg

_KINDS = ((stat.S_ISDIR, "V-FOLDER"), (stat.S_ISLNK, "V-SYMLINK"),
          (stat.S_ISFIFO, "V-FIFO"), (stat.S_ISCHR, "V-CHAR-DEVICE"),
          (stat.S_ISBLK, "V-BLOCK-DEVICE"), (stat.S_ISSOCK, "V-SOCKET"))


class Refused(Exception):
    """A file that is not read: not a regular file, or larger than its bound. `message`
    says why without the path (a diagnostic puts the path in front)."""

    def __init__(self, path: Path, message: str | Msg):
        super().__init__(f"{path}: {english().render(message)}")
        self.path = path
        self.message = message


def kind(mode: int) -> Msg | None:
    """What a file of this mode is, None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return msg(next((name for test, name in _KINDS if test(mode)), "V-NOT-REGULAR"))


def read_regular(path: Path, limit: int, per: Msg = NOTHING) -> bytes:
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
    raise Refused(path, msg("E-FILE-TOO-LARGE", size=str(size), limit=str(limit),
                            human=_size(limit), per=per))


def _check(path: Path, mode: int) -> None:
    name = kind(mode)
    if name is not None:
        raise Refused(path, msg("E-NOT-REGULAR", kind=name))


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
