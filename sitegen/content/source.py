"""Finding and reading content files exactly: UTF-8, line endings, front matter boundaries."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from .diagnostics import ERROR, WARNING, Diagnostic
from .messages import msg, os_reason
from .files import Refused, read_regular, walk

MAX_FILE_BYTES = 1024 * 1024  # per content file; documented in README
# per body, in characters (what the Markdown parser's time goes by): the longest body in
# content/ has under 6,000; some constructs ('[' or '![x' repeated) cost the parser about
# 10 microseconds a character, so this bound keeps any body within a second
MAX_BODY_CHARS = 65536
# per front matter, in characters: the largest in content/ has under 5,000; YAML costs
# ~200 bytes of memory a character in the worst case (a flow list of one-letter items)
MAX_FRONT_MATTER_CHARS = 262144
SECTIONS = ("articles", "pages", "countries")

_BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY  # ^-{3,}\s*$, as python-frontmatter splits


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file, split into front matter and body, with their first file lines."""

    path: str            # relative to the site root, with forward slashes
    section: str         # articles | pages | countries
    stem: str            # file name without .md
    front_matter: str | None
    front_matter_line: int
    body: str
    body_line: int


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.text())
        self.diagnostic = diagnostic


def discover(root: Path, content_dir: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """Every `.md` file under content/<section>/, sorted, and errors for symbolic links."""
    found: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    linked = next((p for p in (content_dir, *content_dir.parents)
                   if p.is_relative_to(root) and p != root and p.is_symlink()), None)
    if linked is not None:      # as a link inside it would, it could point anywhere
        return [], [symlink_problem(root, linked)]
    for section in SECTIONS:
        top = content_dir / section
        if top.is_symlink():
            problems.append(symlink_problem(root, top))
            continue
        if not top.is_dir():
            continue
        _scan(root, section, top, found, problems)
    # one section's files share their folder's prefix: sorted as paths, as by their names
    found.sort(key=lambda item: (item[0], str(item[1])))
    return found, problems


def _scan(root: Path, section: str, folder: Path, found: list, problems: list) -> None:
    """The .md files below `folder` into `found`, a symbolic link into `problems` (told by the
    listing itself: no lstat per file)."""
    for entry in walk(folder):
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(symlink_problem(root, path))
        elif entry.is_dir():
            continue
        elif entry.name.endswith(".md"):
            found.append((section, path))
        elif entry.name.lower().endswith((".md", ".markdown")):
            problems.append(Diagnostic(rel(root, path), 1, 1, WARNING,
                                       msg("W-NOT-MD", name=entry.name)))


def read_bytes(root: Path, path: Path) -> bytes:
    """The file's bytes; SourceError for a symbolic link, anything but a regular file (a
    named pipe, a device, a socket), a file over the size limit or one that cannot be read."""
    try:
        return read_regular(path, MAX_FILE_BYTES, msg("H-PER-CONTENT-FILE"))
    except Refused as exc:
        if path.is_symlink():
            raise SourceError(symlink_problem(root, path)) from None
        raise SourceError(Diagnostic(rel(root, path), 1, 1, ERROR, exc.message)) from None
    except OSError as exc:
        raise SourceError(Diagnostic(rel(root, path), 1, 1, ERROR,
                                     msg("E-CANNOT-READ", reason=os_reason(exc)))) \
            from None


def read_source(root: Path, section: str, path: Path, needs_front_matter: bool = True,
                data: bytes | None = None) -> SourceFile:
    """Read and split one file; raise SourceError for anything that cannot be read exactly."""
    name = rel(root, path)
    fail = lambda line, col, message: SourceError(Diagnostic(name, line, col, ERROR, message))  # noqa: E731
    if data is None:
        data = read_bytes(root, path)
    text = _decode(data, fail)
    text = text.removeprefix("\ufeff")
    nul = text.find("\0")
    if nul >= 0:
        raise fail(*_line_col(text, nul), msg("E-NUL"))
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        raise fail(*_line_col(text, lone_cr.start()),
                   msg("E-LONE-CR"))
    text = text.replace("\r\n", "\n")
    stem = path.name[:-3]
    opening = _BOUNDARY.match(text)
    if not opening:
        if needs_front_matter:
            raise fail(1, 1, msg("E-FRONT-MATTER-MISSING"))
        _check_body(text, 1, fail)
        return SourceFile(name, section, stem, None, 1, text, 1)
    closing = _BOUNDARY.search(text, opening.end())
    if not closing:
        raise fail(1, 1, msg("E-FRONT-MATTER-NOT-CLOSED"))
    fm_start = opening.end() + (text[opening.end():opening.end() + 1] == "\n")
    body_start = closing.end() + (text[closing.end():closing.end() + 1] == "\n")
    body_line = text.count("\n", 0, body_start) + 1
    if closing.start() - fm_start > MAX_FRONT_MATTER_CHARS:
        raise fail(1, 1, msg("E-FRONT-MATTER-TOO-LONG", size=closing.start() - fm_start,
                             limit=MAX_FRONT_MATTER_CHARS))
    _check_body(text[body_start:], body_line, fail)
    return SourceFile(name, section, stem,
                      front_matter=text[fm_start:closing.start()],
                      front_matter_line=text.count("\n", 0, fm_start) + 1,
                      body=text[body_start:], body_line=body_line)


def _check_body(body: str, line: int, fail) -> None:
    if len(body) > MAX_BODY_CHARS:
        raise fail(line, 1, msg("E-BODY-TOO-LONG", size=len(body), limit=MAX_BODY_CHARS))


def rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _decode(data: bytes, fail) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(before, len(before))
        raise fail(line, col, msg("E-NOT-UTF8", byte=f"0x{data[exc.start]:02x}")) from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def symlink_problem(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(rel(root, path), 1, 1, ERROR, msg("E-SYMLINK"))
