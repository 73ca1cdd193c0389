"""The build cache on disk: `.sitegen-cache/` at the site root, signed with a key kept outside it.

Content comes from pull requests and CI builds the pull request's tree, so a cache folder
found in a checkout may have been written by anyone. Its files are pickles; a pickle runs
code when it is loaded. Every file is therefore signed (keyed BLAKE2b) with a key that lives
in the user's own cache folder ($XDG_CACHE_HOME/sitegen/key, else ~/.cache/sitegen/key),
never in the site: a file whose signature does not match that key is ignored, unread, and the
build is a clean one. Without a usable key there is no cache at all.
"""
from __future__ import annotations

import gc
import hmac
import hashlib
import os
import pickle
import secrets
import stat
import tempfile
from pathlib import Path

CACHE_DIR = ".sitegen-cache"
MAGIC = b"sitegen-cache 2\n"
_KEY_BYTES = 32
_MAC_BYTES = 32


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitegen" / "key"


def signing_key() -> bytes | None:
    """This user's key, made on first use (readable by the user alone); None if impossible."""
    path = key_file()
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(_KEY_BYTES + 1)
            return data if len(data) == _KEY_BYTES else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(_KEY_BYTES))
        except FileExistsError:
            continue            # another build made it first: read theirs
        except OSError:
            return None
    return None


class Store:
    """Signed pickles in one folder. `load` never raises: a missing, foreign, damaged or
    outdated file reads as None."""

    def __init__(self, root: Path, key: bytes | None = None):
        self.folder = root / CACHE_DIR
        self.key = key if key is not None else signing_key()

    def _mac(self, name: str):
        """Keyed BLAKE2b (a MAC by design), personalised with the file's name."""
        return hashlib.blake2b(key=self.key, digest_size=_MAC_BYTES, person=name.encode()[:16])

    def _folder_ok(self) -> bool:
        try:
            return stat.S_ISDIR(os.lstat(self.folder).st_mode)   # a symlink is refused
        except OSError:
            return False

    def load(self, name: str):
        if self.key is None or not self._folder_ok():
            return None
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            try:
                if handle.read(len(MAGIC)) != MAGIC:
                    return None
                mac = handle.read(_MAC_BYTES)
                h = self._mac(name)
                for block in iter(lambda: handle.read(1 << 20), b""):
                    h.update(block)
                if not hmac.compare_digest(mac, h.digest()):
                    return None
                handle.seek(len(MAGIC) + _MAC_BYTES)
            except OSError:
                return None
            # signed with this user's key (the folder and its files are the user's own):
            # read it again as a pickle, without holding the whole file in memory
            enabled = gc.isenabled()
            gc.disable()        # loading many small objects: the collector only slows it down
            try:
                return pickle.load(handle)
            except Exception:   # signed by us but unreadable (an older sitegen): start afresh
                return None
            finally:
                if enabled:
                    gc.enable()

    def save(self, name: str, value) -> bool:
        """Write atomically; False (nothing written) where the folder cannot be ours."""
        if self.key is None:
            return False
        try:
            if not self._folder_ok():
                if os.path.lexists(self.folder):
                    return False
                self.folder.mkdir(mode=0o700)
                # never committed, never backed up (https://bford.info/cachedir/)
                (self.folder / ".gitignore").write_text("*\n")
                (self.folder / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# sitegen's build cache; delete it at any time.\n")
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(MAGIC + bytes(_MAC_BYTES))    # the signature goes here
                    signing = _Signing(handle, self._mac(name))
                    pickler = pickle.Pickler(signing, pickle.HIGHEST_PROTOCOL)
                    # no memo: the cache has no shared or circular references, and a memo
                    # would hold every object it wrote (and each copy a reduce made) alive
                    pickler.fast = True
                    pickler.dump(value)
                    handle.seek(len(MAGIC))
                    handle.write(signing.mac.digest())
                os.replace(tmp, self.folder / name)
            except BaseException:
                os.unlink(tmp)
                raise
            return True
        except OSError:
            return False


class _Signing:
    """A file that signs what is written to it (pickle.dump writes in frames)."""

    def __init__(self, handle, mac):
        self.handle, self.mac = handle, mac

    def write(self, data) -> int:
        self.mac.update(data)
        return self.handle.write(data)
