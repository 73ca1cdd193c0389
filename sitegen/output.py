"""Writing the built site, the only writer: into a sibling folder, then swapped in, so a failure
changes nothing (Staging); a preview folder updated in place (Mirror); or memory (Memory)."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import subprocess
import tempfile
import threading
from pathlib import Path, PurePosixPath

from collections.abc import Mapping

from .content.files import stat_key, walk
from .content.messages import Problem, msg


class OutputError(Problem):
    """The output folder cannot be written (args[0]: a messages.Msg)."""


# Written into every build's output: a folder is replaced only when a build made it (or it is
# empty), so a misconfigured output_dir stops the build instead of deleting what it names.
MARKER = ".sitegen-output"
MARKER_TEXT = b"sitegen build made this folder and replaces it whole at every build.\n"


def check_replaceable(out_dir: Path) -> None:
    """Raise OutputError unless out_dir is absent, empty, or made by a build."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise OutputError(msg("C-OUTPUT-NOT-FOLDER", folder=str(out_dir)))
    try:
        with os.scandir(out_dir) as listing:
            empty = next(listing, None) is None
    except FileNotFoundError:
        return
    if not empty and not os.path.isfile(out_dir / MARKER):
        raise OutputError(msg("C-OUTPUT-NOT-OURS", folder=str(out_dir), marker=MARKER))


def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def as_mkdir_would(folder: Path) -> None:
    """Give a folder made by tempfile.mkdtemp (always 0700) the mode `mkdir` gives under the
    umask: the output is swapped in as the site's root, and a web server running as another
    user, or a copy made with `cp -a`/`rsync -a`, would carry the 0700 and refuse it."""
    os.chmod(folder, 0o777 & ~umask())


def safe_relative(name: str) -> PurePosixPath:
    """A relative output path that cannot leave the output folder."""
    _check_name(name)
    return PurePosixPath(name)


def _check_name(name: str) -> None:
    if (not name or name.startswith("/") or "\\" in name or "\0" in name
            or any(part in ("", ".", "..") for part in name.split("/"))):
        raise OutputError(msg("C-OUTPUT-OUTSIDE", name=repr(name)))


class Staging:
    """The new output, built in a sibling folder and swapped in by `commit` in one step, so
    output/ is the old site or the new one at every instant. Worker processes may `put` files
    into it at the same time (`shared`)."""

    shared = True

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.out_dir)
        check_replaceable(self.out_dir)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.building-",
                                            dir=self.out_dir.parent))
        as_mkdir_would(self.folder)
        old = self.out_dir
        self.old = old if old.is_dir() and not old.is_symlink() else None
        self._folders: set[str] = set()

    def _parent(self, name: str) -> str:
        _check_name(name)   # no '..', no absolute path: it stays in the folder
        target = f"{self.folder}/{name}"
        parent = os.path.dirname(target)
        if parent not in self._folders:
            try:
                os.mkdir(parent)    # its own parent is most often made already
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            except FileExistsError:
                pass                # made by another process writing into the folder
            self._folders.add(parent)
        return target

    def put(self, name: str, data: bytes) -> bool:
        """Write one file; True if it is unchanged (linked from the old output)."""
        target = self._parent(name)
        if self.old is not None and _link_if_same(self.old, PurePosixPath(name), data,
                                                  Path(target)):
            return True
        _write(target, data)
        return False

    def keep(self, name: str) -> None:
        """The old output's file, which the caller knows is what this build would write (it
        is `intact`), into the new output."""
        target = self._parent(name)
        source = f"{self.old}/{name}"
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            with open(source, "rb") as handle:
                _write(target, handle.read())

    def keep_all(self, names) -> None:
        for name in names:
            self.keep(name)

    def same_as_old(self, name: str) -> bool:
        """Whether the new output's file is the old output's (linked, not written)."""
        try:
            return self.old is not None and os.path.samefile(self.folder / name,
                                                             self.old / name)
        except OSError:
            return False

    def intact(self, written: dict[str, tuple], where: str | None) -> set[str]:
        """The old output's files exactly as a build wrote them (`written`, `where`)."""
        return intact(self.out_dir, written) if where == str(self.out_dir) else set()

    def files(self, names) -> "OutputFiles":
        return OutputFiles(self.out_dir, names)

    def commit(self) -> None:
        _swap(self.folder, self.out_dir)

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(target: str, data: bytes) -> None:
    """Write a file; an OSError says which file (a full disk, ENOSPC, raised by write()
    or close() names none)."""
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise type(exc)(exc.errno, exc.strerror, target) from None


class OutputFiles(Mapping):
    """The files of an output folder by name, read when asked for."""

    def __init__(self, folder: Path, names):
        self.folder, self.names = folder, sorted(names)
        self._known = set(self.names)

    def __getitem__(self, name: str) -> bytes:
        if name not in self._known:
            raise KeyError(name)
        return (self.folder / name).read_bytes()

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class Memory:
    """The output kept in memory: `build(write=False)`."""

    shared = False

    def __init__(self) -> None:
        self.files_: dict[str, bytes] = {}

    def put(self, name: str, data: bytes) -> bool:
        _check_name(name)
        self.files_[name] = data
        return False

    def intact(self, written: dict[str, tuple], where: str | None) -> set[str]:
        return set()        # no old output to keep a file from

    def keep(self, name: str) -> None:
        raise OutputError(msg("C-OUTPUT-NOTHING-TO-KEEP", name=name))

    def keep_all(self, names) -> None:
        for name in names:
            self.keep(name)

    def files(self, names) -> dict[str, bytes]:
        return {name: self.files_[name] for name in sorted(names)}

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


class Mirror:
    """A folder this process alone writes (`sitegen serve`'s preview), updated in place when
    a build commits: each changed file replaced in one step, each file the build no longer
    makes removed. Until then (and when a build fails) it holds the last good build."""

    shared = False

    def __init__(self, folder: Path):
        self.folder = folder
        self.held: dict[str, bytes] = {}        # what the folder holds
        self._seen: set[str] = set()
        self._changed: dict[str, bytes] = {}
        self.changed = 0                        # files the last commit wrote
        self._aside: set[str] = set()           # files made apart from builds: aside()
        self._lock = threading.Lock()           # a build's commit, or files set aside

    def intact(self, written: dict[str, tuple], where: str | None) -> set[str]:
        return set(self.held)   # only this process writes the folder

    def put(self, name: str, data: bytes) -> bool:
        _check_name(name)
        self._seen.add(name)
        if self.held.get(name) == data:
            return True
        self._changed[name] = data
        return False

    def keep(self, name: str) -> None:
        self._seen.add(name)

    def keep_all(self, names) -> None:
        self._seen.update(names)

    def files(self, names) -> Mapping[str, bytes]:
        return HeldFiles(dict(self.held), {*names, *self._aside})

    def commit(self) -> None:
        with self._lock:
            for name, data in self._changed.items():
                self._replace(name, data)
            for gone in set(self.held) - self._seen - self._aside:
                (self.folder / gone).unlink(missing_ok=True)
                del self.held[gone]
            self.changed = len(self._changed)
        self.abort()

    def aside(self, files: dict[str, bytes]) -> int:
        """Files made from the folder's pages apart from a build (the search index, made in
        a thread of its own): they replace those set aside before, and stay through builds
        until the next call. Returns how many were written."""
        with self._lock:
            written = 0
            for name, data in files.items():
                _check_name(name)
                if self.held.get(name) != data:
                    self._replace(name, data)
                    written += 1
            for gone in self._aside - set(files):
                (self.folder / gone).unlink(missing_ok=True)
                self.held.pop(gone, None)
            self._aside = set(files)
        return written

    def _replace(self, name: str, data: bytes) -> None:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        _write(str(tmp), data)
        os.replace(tmp, path)
        self.held[name] = data

    def abort(self) -> None:
        self._seen, self._changed = set(), {}


class HeldFiles(Mapping):
    """Files of a Mirror by name, as it held them at a build's end (sorted when listed; not
    sorted, nor copied one by one, when only a few are looked at)."""

    def __init__(self, held: dict[str, bytes], names: set[str]):
        self.held, self._names = held, names

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self.held[name]

    def __iter__(self):
        return iter(sorted(self._names))

    def __len__(self) -> int:
        return len(self._names)


def intact(out_dir: Path, written: dict[str, tuple]) -> set[str]:
    """The files of `out_dir` that are exactly as a build wrote them (`written`: their stat
    then): those a build may keep instead of writing again."""
    if not written or not out_dir.is_dir() or out_dir.is_symlink():
        return set()
    cut = len(str(out_dir)) + 1
    found = set()
    for entry in walk(out_dir):
        name = entry.path[cut:]
        known = written.get(name)
        if known is not None and not entry.is_dir(follow_symlinks=False):
            try:
                if stat_key(entry.stat(follow_symlinks=False)) == known:
                    found.add(name)
            except OSError:
                pass
    return found


def written(out_dir: Path, names=None, known: dict[str, tuple] | None = None
            ) -> dict[str, tuple]:
    """The stat of every regular file of the output, as this build left it: found by walking
    the folder, or, when the build says which files it holds (`names`), the stat of each,
    `known` when the build kept the file as it was."""
    if names is not None:
        known, out = known or {}, {}
        for name in names:
            key = known.get(name)
            if key is None:
                try:
                    st = os.lstat(f"{out_dir}/{name}")
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                key = stat_key(st)
            out[name] = key
        return out
    cut = len(str(out_dir)) + 1
    out = {}
    for entry in walk(out_dir):
        if entry.is_file(follow_symlinks=False):
            try:
                out[entry.path[cut:]] = stat_key(entry.stat(follow_symlinks=False))
            except OSError:
                pass
    return out


def _link_if_same(old_root: Path, relative: PurePosixPath, data: bytes, target: Path) -> bool:
    """Hard-link the old output's file into the new one if it holds exactly `data`."""
    old = old_root / relative
    try:
        if any(p.is_symlink() for p in (old, *old.parents) if p != old_root.parent
               and p.is_relative_to(old_root)):
            return False
        if not old.is_file() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
        return True
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where
    the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _swap(staging: Path, out_dir: Path) -> None:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise OutputError(msg("C-OUTPUT-GONE", folder=str(out_dir)))
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):   # output/ is the old or the new site at every instant
        _remove(staging)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rename(out_dir, old / "site")
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old / "site", out_dir)
        raise
    _remove(old)


_later: list[threading.Thread] | None = None   # removals running while the build goes on
_detached = False


def detach_removals() -> None:
    """From now on an old output is removed by a process of its own, which this one does not
    wait for: for a command that ends when its build does (`sitegen build`), so that it does
    not wait for thousands of files to be unlinked. What such a process has not removed when
    the next build starts, that build removes."""
    global _detached
    _detached = shutil.which("rm") is not None


def _remove(folder: Path) -> None:
    """Remove the old output: at once, in a thread inside `removals_in_background`, or by a
    process of its own (`detach_removals`)."""
    if _detached:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        return
    if _later is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    thread = threading.Thread(target=shutil.rmtree, args=(folder,),
                              kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _later.append(thread)


@contextlib.contextmanager
def removals_in_background():
    """Old outputs are removed while the caller goes on (saving the cache), and are gone
    when the block ends (a folder left by a killed process is removed by the next build)."""
    global _later
    outer, _later = _later, []
    try:
        yield
    finally:
        for thread in _later:
            thread.join()
        _later = outer


@contextlib.contextmanager
def build_lock(root: Path, waiting=lambda: None):
    """One build of a site at a time: an flock on the site's folder itself (nothing is
    written for it), held from the first file read to the last written. A second build
    waits for the first (`waiting()` is called when it has to), so that neither removes the
    other's half-built output as a leftover (`clean_leftovers`) nor saves a cache made from
    the other's. Where the system has no flock, nothing is locked."""
    try:
        import fcntl
    except ImportError:             # not a POSIX system
        yield
        return
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)                # the lock goes with it


def clean_leftovers(out_dir: Path) -> None:
    """Remove folders a killed build left behind; bring back an output it had moved aside."""
    for leftover in sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")):
        if not out_dir.exists() and (leftover / "site").is_dir():
            os.rename(leftover / "site", out_dir)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
