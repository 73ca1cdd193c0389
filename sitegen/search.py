"""Search: Pagefind's index of the built site, made by its binary (the `pagefind_bin` package).

Pagefind reads the written HTML (only what templates mark `data-pagefind-body`: event and
article pages) and writes a bundle of static files that the search page's script loads from
the site itself. A build has it write into the new output before that is swapped in
(`index_into`), so a failure leaves the old output; `sitegen serve` takes it as files
(`index_site`). Without the binary there is no index and a warning, not a failure.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .content.config import PYPROJECT
from .content.diagnostics import WARNING, Diagnostic
from .content.messages import Problem, msg, os_reason
from .pagefind_files import BundleError, stable

FOLDER = "pagefind"         # the bundle's place in the output (a reserved name)
# what the search page's script uses; Pagefind's own UIs and its highlighter are left out
KEEP_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
KEEP_FOLDERS = ("index", "fragment", "filter")
TIMEOUT = 600
# the pages that carry data-pagefind-body, in every language tree: Pagefind reads no other
# (it would parse them all to find none: the timeline and the ledger are large pages)
PAGES = "{events,articles,*/events,*/articles}/*/index.html"
PAGE_GLOBS = ("events/*/index.html", "articles/*/index.html", "*/events/*/index.html",
              "*/articles/*/index.html")   # the same, for pathlib


class SearchError(Problem):
    """Pagefind ran and failed: the build fails (the old output stays)."""


def binary() -> Path | None:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, the `pagefind_bin` package, else on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = os.environ.get("PAGEFIND_BINARY_PATH") or shutil.which("pagefind")
        return Path(found) if found else None
    found = get_executable()
    return found if found is not None and found.is_file() else None


def missing_warning() -> Diagnostic:
    return Diagnostic(PYPROJECT, 1, 1, WARNING, msg("W-NO-PAGEFIND"))


def index_site(site: Path, nice: int = 0, scratch: Path | None = None
               ) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Pagefind's bundle for the pages written under `site`, as output files
    ('pagefind/...'), and a warning when there is no Pagefind to run (no bundle then).
    `nice`: Pagefind's scheduling priority lowered by that much (an index made in the
    background yields the processors to the builds a user waits for). `scratch`: the folder
    Pagefind writes into first (default: the system's temporary folder); a process that may
    be stopped while it indexes gives one it removes when it stops."""
    exe = binary()
    if exe is None:
        return {}, [missing_warning()]
    with tempfile.TemporaryDirectory(prefix="sitegen-search-", dir=scratch) as tmp:
        bundle = Path(tmp) / FOLDER
        _run(exe, site, bundle, tmp, nice)
        return _read(bundle), []


def index_into(site: Path, old: Path | None = None) -> tuple[list[str], list[Diagnostic]]:
    """The same bundle written straight into `site`/pagefind/ (a build's new output, not
    yet in place): the names of its files, and the warning when there is no Pagefind. At
    thousands of pages its files are many; they are written once, not copied. When every
    indexed page is the `old` output's own file (linked, unchanged) and that output has a
    bundle, its bundle is linked instead: Pagefind would make the same one again."""
    if old is not None:
        kept = _old_bundle(site, old)
        if kept is not None:
            for name in kept:
                (site / name).parent.mkdir(parents=True, exist_ok=True)
                os.link(old / name, site / name)
            return kept, []
    exe = binary()
    if exe is None:
        return [], [missing_warning()]
    bundle = site / FOLDER
    # Pagefind's working folder (empty: no pagefind.yml is read) inside the new output, so a
    # build killed while it indexes leaves it where the next build removes what it left
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=site) as tmp:
        _run(exe, site, bundle, tmp)
    names = []
    for path in sorted(bundle.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        if path.is_symlink() or not path.is_file():
            raise SearchError(msg("C-SEARCH-NOT-FILE", name=str(path.relative_to(site))))
        name = path.relative_to(site).as_posix()
        if _kept(name[len(FOLDER) + 1:]):
            names.append(name)
        else:
            path.unlink()   # Pagefind's own UIs: not published
    ordered = [n for n in names if _unordered(n)]
    before = {n: (site / n).read_bytes() for n in ordered}
    try:
        after = stable(before)
    except (BundleError, OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchError(msg("C-SEARCH-UNREADABLE", detail=_said(exc))) from None
    for name in before:
        if name not in after:
            (site / name).unlink()
    for name, data in after.items():
        (site / name).write_bytes(data)
    return sorted(set(names) - set(before) | set(after)), []


def _old_bundle(site: Path, old: Path) -> list[str] | None:
    """The names of the old output's bundle, if it indexed the very files `site` holds."""
    def indexed(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for pattern in PAGE_GLOBS
                      for p in folder.glob(pattern))
    try:
        pages = indexed(site)
        if pages != indexed(old) or not (old / FOLDER / "pagefind-entry.json").is_file():
            return None
        if any(os.lstat(site / name).st_ino != os.lstat(old / name).st_ino
               for name in pages):
            return None
        names = sorted(p.relative_to(old).as_posix() for p in (old / FOLDER).rglob("*")
                       if p.is_file() and not p.is_symlink())
    except OSError:
        return None
    return names


# Pagefind ended by the kernel when the thread that started it ends, as a build or preview
# killed by SIGKILL does: else it runs on (and has been seen to hang, holding its memory) in a
# folder the next build removes. util-linux's setpriv sets that signal and runs it; where
# there is no setpriv (not Linux), Pagefind is run as it is.
_SETPRIV = shutil.which("setpriv")
_DIES_WITH_US = [_SETPRIV, "--pdeathsig", "KILL", "--"] if _SETPRIV else []


def _run(exe: Path, site: Path, bundle: Path, folder: str, nice: int = 0) -> None:
    try:
        # Popen, not preexec_fn: the preview runs threads, and a fork that runs Python
        # code before exec may deadlock on a lock another thread held
        proc = subprocess.Popen(
            [*_DIES_WITH_US, str(exe), "--site", str(site.absolute()), "--glob", PAGES,
             "--output-path", str(bundle.absolute()), "--silent"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=folder, env=_environment())
    except OSError as exc:
        raise SearchError(msg("C-SEARCH-CANNOT-RUN", exe=str(exe), reason=os_reason(exc)))
    with proc:
        if nice:
            with contextlib.suppress(OSError):     # it may have ended already
                os.setpriority(os.PRIO_PROCESS, proc.pid, nice)
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise SearchError(msg("C-SEARCH-TIMEOUT", seconds=TIMEOUT))
    if proc.returncode != 0:
        said = (err or out).decode("utf-8", "replace").strip()
        raise SearchError(msg("C-SEARCH-FAILED", code=proc.returncode, said=said))


def _kept(name: str) -> bool:
    """Whether a file of the bundle (its name inside it) is one the search page loads."""
    return (name in KEEP_FILES or name.split("/", 1)[0] in KEEP_FOLDERS
            or (name.startswith("wasm.") and name.endswith(".pagefind"))
            or name.endswith(".pf_meta"))


def _unordered(name: str) -> bool:
    """The files Pagefind writes in a varying order (sitegen/pagefind_files.py)."""
    return (name.endswith((".pf_filter", ".pf_meta", ".pf_index"))
            or name == f"{FOLDER}/pagefind-entry.json")


def _environment() -> dict[str, str]:
    """The environment without Pagefind's own settings (PAGEFIND_*): the options given
    are the whole of its configuration, as is its folder (no pagefind.yml is read)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


def _read(bundle: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(bundle).as_posix()
        if _kept(name):
            files[f"{FOLDER}/{name}"] = path.read_bytes()
    try:
        return stable(files)
    except (BundleError, OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchError(msg("C-SEARCH-UNREADABLE", detail=_said(exc))) from None


def _said(exc: Exception):
    """What went wrong, in the reader's language when it is ours to say."""
    return exc.detail if isinstance(exc, Problem) else str(exc)
