"""Only regular files are read from content/, templates/ and pyproject.toml: a named pipe
would hang a build, a device would be read without end, a socket cannot be read at all.
Each case runs in a child process with a timeout and a memory limit (tests/limits.py), so a
regression fails here instead of hanging or exhausting the machine."""
from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.content.files import Refused, read_regular

from .conftest import DEFAULT_PYPROJECT, THEME, make_site
from .limits import ROOT, run_sitegen

ARTICLE = ("---\ntitle: T\ndate: 2025-01-01\n"
           "sources: [{url: 'https://a.example/', publisher: P}]\n"
           "events: [{id: e, date: 2025, kind: statement}]\n---\nBody.\n")
FIFO = "a named pipe (FIFO), not a regular file: only regular files are read"
DEVICE = "a character device, not a regular file: only regular files are read"
SOCKET = "a socket, not a regular file: only regular files are read"


def site_with(tmp_path: Path, theme: bool = False) -> Path:
    """A valid site of one article; with its own copy of the theme when `theme`."""
    pyproject = DEFAULT_PYPROJECT
    root = make_site(tmp_path / "site", {"content/articles/a.md": ARTICLE}, pyproject)
    if theme:
        shutil.copytree(THEME, root / "templates")
        (root / "pyproject.toml").write_text(
            pyproject.replace(f'templates_dir = "{THEME.as_posix()}"\n', ""), encoding="utf-8")
    return root


def zero_device(path: Path) -> None:
    """A character device with /dev/zero's numbers (mknod needs root or CAP_MKNOD)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.stat("/dev/zero").st_rdev)
    except PermissionError:
        pytest.skip("mknod is not permitted here")


def bound_socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return sock


def check(root: Path, *more: str):
    return run_sitegen(["check", "--root", str(root), *more], timeout=30, memory_mb=1024)


def build(root: Path):
    return run_sitegen(["build", "--no-cache", "--root", str(root)], timeout=30,
                       memory_mb=1024)


def test_a_fifo_named_like_an_article_is_an_error_not_a_hang(tmp_path):
    root = site_with(tmp_path)
    os.mkfifo(root / "content/articles/x.md")
    for run in (check(root), build(root)):
        assert run.code == 1, run
        assert run.stdout == f"content/articles/x.md:1:1: error: {FIFO}\n"
    assert not (root / "output").exists()


def test_a_zero_device_named_like_an_article_is_not_read(tmp_path):
    root = site_with(tmp_path)
    zero_device(root / "content/articles/x.md")
    for run in (check(root), build(root)):
        assert run.code == 1, run
        assert run.stdout == f"content/articles/x.md:1:1: error: {DEVICE}\n"
        assert run.peak_mb < 200


def test_a_socket_named_like_an_article_is_an_error_at_its_path(tmp_path):
    root = site_with(tmp_path)
    (root / "content/pages").mkdir()
    with bound_socket(root / "content/pages/s.md"):
        run = check(root)
    assert run.code == 1, run
    assert run.stdout == f"content/pages/s.md:1:1: error: {SOCKET}\n"


def test_a_fifo_as_a_template_is_an_error_at_the_template(tmp_path):
    root = site_with(tmp_path, theme=True)
    (root / "templates/page.html").unlink()
    os.mkfifo(root / "templates/page.html")
    (root / "content/pages").mkdir()
    (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nText.\n")
    run = build(root)
    assert run.code == 1, run
    assert f"templates/page.html:1:1: error: {FIFO}\n" in run.stdout


def test_a_device_among_the_static_files_is_an_error(tmp_path):
    root = site_with(tmp_path, theme=True)
    zero_device(root / "templates/static/zero.css")
    run = build(root)
    assert run.code == 1, run
    assert run.stdout == f"templates/static/zero.css:1:1: error: {DEVICE}\n"
    assert run.peak_mb < 200
    assert not (root / "output").exists() and not list(root.glob(".output*"))


def test_a_fifo_as_the_ui_strings_is_an_error(tmp_path):
    root = site_with(tmp_path, theme=True)
    (root / "templates/strings/ru.toml").unlink()
    os.mkfifo(root / "templates/strings/ru.toml")
    run = build(root)
    assert run.code == 1, run
    assert run.stdout == f"templates/strings/ru.toml:1:1: error: {FIFO}\n"


def test_a_fifo_as_pyproject_is_an_error_not_a_hang(tmp_path):
    root = site_with(tmp_path)
    (root / "pyproject.toml").unlink()
    os.mkfifo(root / "pyproject.toml")
    # in a child process: without the fix, the open would wait for a writer for ever
    code = ("import sys; from pathlib import Path; from sitegen.content.config import load_config\n"
            "from sitegen.content.diagnostics import ContentError\n"
            f"try: load_config(Path({str(root)!r}))\n"
            "except ContentError as exc: print(*[d.text() for d in exc.diagnostics])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=20, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout == f"pyproject.toml:1:1: error: {FIFO}\n", proc.stderr


def test_a_template_over_its_bound_is_an_error(tmp_path):
    root = site_with(tmp_path, theme=True)
    (root / "templates/404.html").write_text("x" * (1024 * 1024 + 1))
    run = build(root)
    assert run.code == 1, run
    assert run.stdout == ("templates/404.html:1:1: error: file is 1048577 bytes; the limit "
                          "is 1048576 bytes (1 MiB)\n")


def test_read_regular_reads_no_more_than_its_bound(tmp_path):
    """A file that grows between fstat and read (here: /dev/zero itself, which fstat says
    is empty) is not read past the bound."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, 10) == b"x" * 10
    with pytest.raises(Refused, match=r"file is 10 bytes; the limit is 9 bytes \(0 KiB\)"):
        read_regular(path, 9)
    with pytest.raises(Refused, match="a character device"):
        read_regular(Path("/dev/zero"), 10)
