import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zlib
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pytest

from sitegen import cli
from sitegen.build import build
from sitegen.content.diagnostics import ContentError, Diagnostic
from sitegen.content.theme import Theme
from sitegen.site.i18n import Strings, theme_strings

from .browser import ARGS, CHROMIUM, require_browser, serve

TESTS = Path(__file__).parent
THEME = TESTS.parent / "templates"
DEFAULT_PYPROJECT = f"""\
[tool.sitegen]
title = "Test"
base_url = "https://example.org/"
languages = ["en", "ru"]
releasing_country = "BY"
templates_dir = "{THEME.as_posix()}"
"""


# Scratch space in memory where the machine has room for it: the tests write and remove sites
# of thousands of files (a third of the Hypothesis properties' time went to the disk's journal)
TMPFS, TMPFS_ROOM = Path("/dev/shm"), 2 * 1024 ** 3


def pytest_configure(config):
    """tmp_path, tempfile and the programs the tests start (`sitegen serve`'s preview
    folder) write under /dev/shm when it is a writable tmpfs with 2 GiB free; never where
    the user chose a temporary folder (TMPDIR, --basetemp, PYTEST_DEBUG_TEMPROOT), nor in a
    container whose /dev/shm is small."""
    if os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT") \
            or config.option.basetemp or not os.access(TMPFS, os.W_OK | os.X_OK):
        return
    room = os.statvfs(TMPFS)
    if room.f_bavail * room.f_frsize >= TMPFS_ROOM:
        os.environ["TMPDIR"] = str(TMPFS)
        tempfile.tempdir = None         # gettempdir() reads TMPDIR again


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (then review git diff)")


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch, tmp_path_factory):
    """Tests do not depend on the CI environment choosing the output format, nor share the
    user's build-cache signing key (each test session has its own)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # messages in English unless a test asks for another language (--lang, LANGUAGE)
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, launched once for each worker's session (a skip,
    or with SITEGEN_REQUIRE_BROWSER=1 a failure, where it is missing: tests/browser.py). Each
    test opens its own context (cookies, storage, viewport of its own) and closes it."""
    api = require_browser()
    with api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Path:
    """The repository's own site (content/, templates/, pyproject.toml) as `sitegen build
    --no-cache` makes it for a project site, https://user.github.io/repo/, Pagefind's index
    included: its output folder, built once for a worker's session (tests only read it)."""
    root = tmp_path_factory.mktemp("repo-site")
    for name in ("content", "templates"):
        shutil.copytree(TESTS.parent / name, root / name)
    shutil.copy(TESTS.parent / "pyproject.toml", root / "pyproject.toml")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["build", "--root", str(root), "--no-cache",
                         "--base-url", "https://user.github.io/repo/"])
    assert code == 0, out.getvalue() + err.getvalue()
    return root / "output"


@pytest.fixture(scope="session")
def repo_site_url(repo_site) -> str:
    """repo_site served under /repo/ as GitHub Pages serves it: its base URL."""
    with serve(repo_site, "/repo/") as url:
        yield url


@pytest.fixture(scope="session")
def sample_files() -> Mapping[str, bytes]:
    """What `build` makes of tests/sites/sample (at the domain root), in memory, made once
    for a worker's session: tests only read it."""
    return MappingProxyType(dict(build(TESTS / "sites" / "sample", write=False).files))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """tests/sites/sample built for a project site, https://user.github.io/repo/, with its
    search index, as `sitegen build` makes it: the output folder, made once for a worker's
    session (tests only read it)."""
    from sitegen.search import index_site
    out = tmp_path_factory.mktemp("sample-site")
    write_files(build(TESTS / "sites" / "sample", base_url="https://user.github.io/repo/",
                      write=False).files, out)
    write_files(index_site(out)[0], out)
    return out


@pytest.fixture(scope="session")
def sample_site_url(sample_site) -> str:
    """sample_site served under /repo/: its base URL."""
    with serve(sample_site, "/repo/") as url:
        yield url


def write_files(files: dict[str, bytes], out: Path) -> Path:
    """Files by their paths under `out`, written there."""
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


def theme_of(folder: Path = THEME) -> Theme:
    """A theme as the build reads it (every file's bytes, in memory), without a site."""
    return Theme(folder, {p.relative_to(folder).as_posix(): p.read_bytes()
                          for p in sorted(folder.rglob("*")) if p.is_file()}, b"")


def strings(lang: str) -> Strings:
    """The repository theme's UI strings in one language."""
    return theme_strings(theme_of(), lang)


def copy_sample(dest: Path) -> Path:
    """A copy of tests/sites/sample with a copy of the theme inside it (tests edit both)."""
    sample = TESTS / "sites" / "sample"
    shutil.copytree(sample, dest, ignore=shutil.ignore_patterns("output"))
    (dest / "pyproject.toml").write_text((sample / "pyproject.toml").read_text().replace(
        "../../../templates", "templates"))
    shutil.copytree(THEME, dest / "templates")
    return dest


_SAME: list[Path] = []


@contextmanager
def same_folder():
    """An empty folder, the same one each time in this process (emptied after each use), for
    the examples of a Hypothesis property: a site copied into it keeps its file names from one
    example to the next, so that the templates one example compiled serve the next (Jinja2
    checks each one's source). Removed when the session ends."""
    if not _SAME:
        _SAME.append(Path(tempfile.mkdtemp(prefix="sitegen-examples-")))
    try:
        yield _SAME[0]
    finally:
        for child in list(_SAME[0].iterdir()):
            shutil.rmtree(child)


@pytest.fixture(scope="session", autouse=True)
def _remove_the_same_folder():
    yield
    if _SAME:
        shutil.rmtree(_SAME.pop(), ignore_errors=True)


def files_digest(files: dict[str, bytes], *also) -> bytes:
    """One hash of files' names and bytes (and of `also`): what two folders' contents are
    compared by where the one to compare with is remembered, not kept."""
    h = hashlib.sha256(repr(also).encode())
    for name, data in sorted(files.items()):
        h.update(b"%d:%s%d:" % (len(name.encode()), name.encode(), len(data)))
        h.update(data)
    return h.digest()


def site_inputs(site: Path) -> dict[str, bytes]:
    """What a clean build of the site reads: every file but its output and its cache."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).parts[0] not in ("output", ".sitegen-cache")}


def copy_case(case: Path, dest: Path) -> Path:
    """A test site from tests/invalid/<case>: its files, plus the default pyproject.toml."""
    shutil.copytree(case, dest, ignore=shutil.ignore_patterns("expected.txt", "args"))
    if not (dest / "pyproject.toml").exists():
        (dest / "pyproject.toml").write_text(DEFAULT_PYPROJECT, encoding="utf-8")
    return dest


def make_site(root: Path, files: dict[str, str | bytes], pyproject: str = DEFAULT_PYPROJECT) -> Path:
    """Write a site: pyproject.toml and the given files (text or bytes), relative to root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def article_text(title: str = "A", body: str = "Body.", date: str = "2025-01-01") -> str:
    """The least a valid article holds: a title, a date, a source and one statement event
    (its id made from the title, so that articles of distinct titles can share a site)."""
    return (f"---\ntitle: {title}\ndate: {date}\nsources:\n  - url: https://reports.test/a\n"
            f"    publisher: Example\nevents:\n  - id: e-{zlib.crc32(title.encode()) % 10**6}\n"
            f"    date: 2025-01-01\n    kind: statement\n---\n{body}\n")


@dataclass(frozen=True)
class Outcome:
    """`sitegen check` and `build` on one site."""

    code: int                                   # check's exit code
    printed: str                                # what check printed
    raised: list[tuple[Diagnostic, bytes]]      # what build raised, each with its file's bytes
    files: dict[str, bytes] | None              # what build made; None when it raised


def check_and_build(files: dict[str, str | bytes]) -> Outcome:
    """Run `sitegen check` (in-process, text format) and `build` on a fresh site of these
    files, in a folder of its own (a Hypothesis example has no tmp_path of its own). Both may
    end only as the contract says: check with 0 or 1, build with its files or ContentError
    holding a diagnostic, and they agree on whether the content has errors."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp), files)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(["check", "--root", str(root), "--format", "text"])
        assert code in (0, 1), err.getvalue()
        try:
            made, raised = build(root, write=False).files, []
        except ContentError as exc:
            made = None
            raised = [(d, (root / d.path).read_bytes() if (root / d.path).is_file() else b"")
                      for d in exc.diagnostics]
            assert raised, "ContentError without a diagnostic"
        assert (code == 1) == bool(raised), f"check and build disagree: {out.getvalue()}"
        return Outcome(code, out.getvalue(), raised, made)


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if _PLAIN.fullmatch(value) and not value.isdigit() and value not in ("true", "false", "null"):
        return value                       # ids, dates, country codes, slugs: written plain
    return json.dumps(value, ensure_ascii=False)   # a JSON string is a YAML double-quoted one


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def front_matter_text(front: dict) -> str:
    """Block style at the top and for lists of mappings (sources, events), flow style inside.

    {"events": [{"id": "x", "released": {"min": 4, "max": 18}}]} becomes
        events:
          - id: x
            released: {min: 4, max: 18}
    """
    lines = []
    for key, value in front.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{key}:")
            for item in value:
                for i, (k, v) in enumerate(item.items()):
                    lines.append(f"  {'- ' if i == 0 else '  '}{k}: {_flow(v)}")
        else:
            lines.append(f"{key}: {_flow(value)}")
    return "\n".join(lines) + "\n"
