"""The theme folder (templates/), read once per build: every file's bytes by its path in it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .diagnostics import ERROR, Diagnostic
from .files import Refused, read_regular, walk
from .messages import msg, os_reason
from .source import rel, symlink_problem

# per file of templates/: a template or a strings table; a static file (an image, a font)
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_STATIC_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Theme:
    folder: Path
    files: dict[str, bytes]     # path inside the folder (forward slashes) -> bytes
    digest: bytes               # of every name and every byte

    def text(self, name: str) -> str | None:
        """A file of the theme as text (None when there is none); UnicodeDecodeError when it
        is not UTF-8."""
        data = self.files.get(name)
        return None if data is None else data.decode("utf-8")

    def under(self, prefix: str) -> dict[str, bytes]:
        """The files below a folder of the theme, by their path in it."""
        return {name[len(prefix):]: data for name, data in self.files.items()
                if name.startswith(prefix)}


def read_theme(config: Config) -> tuple[Theme, list[Diagnostic]]:
    """Every regular file below templates/ (hidden files apart); a symbolic link, a named
    pipe, a device or a file over the bound is an error at its path."""
    folder = config.templates_dir
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    h = hashlib.blake2b(digest_size=16)
    if folder.is_symlink():
        problems.append(symlink_problem(config.root, folder))
        return Theme(folder, files, h.digest()), problems
    for entry in walk(folder):
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(symlink_problem(config.root, path))
            continue
        if entry.is_dir(follow_symlinks=False) or entry.name.startswith("."):
            continue
        name = path.relative_to(folder).as_posix()
        try:
            files[name] = read_regular(path, MAX_STATIC_BYTES if name.startswith("static/")
                                       else MAX_TEMPLATE_BYTES)
        except Refused as exc:
            problems.append(_problem(config, path, exc.message))
            continue
        except OSError as exc:
            problems.append(_problem(config, path, msg("E-CANNOT-READ",
                                                       reason=os_reason(exc))))
            continue
        h.update(name.encode("utf-8", "surrogateescape") + b"\0%d\0" % len(files[name])
                 + files[name])
    return Theme(folder, files, h.digest()), problems


def _problem(config: Config, path: Path, message: str) -> Diagnostic:
    return Diagnostic(rel(config.root, path), 1, 1, ERROR, message)
