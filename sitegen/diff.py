"""`sitegen diff`: what a change does to the ledger's numbers, as Markdown for a job summary.

Each side is a git revision, a site folder, a built output folder or a ledger.json. A
site's ledger is computed as a build computes it (load, parse, check, count) without
rendering a page. The summary is read by reviewers of untrusted pull requests: every value
that comes from content or from a ledger file is written as a code span (`summary.py`), so
content can add text to it, never markup, an image or a link.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .content.checks import check_site
from .content.consequences import one_per_mistake
from .content.config import load_config
from .site.data import ledger_json
from .content.diagnostics import ContentError, has_errors
from .content.ledger import build_ledger
from .content.messages import Msg, Problem, msg
from .site.summary import diff_markdown

__all__ = ["ACCEPTS", "DiffError", "diff_markdown", "load_ledger", "site_ledger"]

ACCEPTS = msg("C-DIFF-ACCEPTS")


class DiffError(Problem):
    pass


def load_ledger(given: str, root: Path | None) -> dict:
    """The ledger `given` names; `root` is the site whose git repository names revisions
    (None outside a site). A path that exists is taken as a path, as git does."""
    path = Path(given)
    if path.is_file():
        return ledger_file(path)
    if path.is_dir():
        if (path / "pyproject.toml").is_file():
            return site_ledger(path)
        if (path / "data" / "ledger.json").is_file():
            return ledger_file(path / "data" / "ledger.json")
        raise DiffError(msg("C-DIFF-FOLDER", given=given, accepts=ACCEPTS))
    commit = _commit(given, root or Path.cwd())
    if commit is None:
        raise DiffError(msg("C-DIFF-UNKNOWN", given=repr(given), accepts=ACCEPTS))
    return revision_ledger(given, commit, root or Path.cwd())


def site_ledger(root: Path) -> dict:
    """data/ledger.json of the site in `root`, without rendering a page; ContentError when
    the content has errors."""
    from .loading import load_site    # the build's own reading of the content
    config = load_config(root)
    site, problems = load_site(config, workers=os.cpu_count() or 1)
    problems = one_per_mistake(problems + check_site(site, config))
    if has_errors(problems):
        raise ContentError(problems)
    return ledger_json(build_ledger(site.without_drafts()))


def revision_ledger(given: str, commit: str, where: Path) -> dict:
    """The ledger of the site at a commit: its pyproject.toml and content folder read from
    git into a temporary folder; the work tree is not touched. A problem is reported at
    REVISION:PATH, git's own name for a file at a revision."""
    prefix = _git(where, "rev-parse", "--show-prefix").decode().strip()
    top = Path(_git(where, "rev-parse", "--show-toplevel").decode().strip())
    with tempfile.TemporaryDirectory(prefix="sitegen-diff-") as tmp:
        root = Path(tmp)
        pyproject = _git(where, "show", f"{commit}:{prefix}pyproject.toml", check=False)
        if pyproject is None:
            raise DiffError(msg("C-DIFF-NO-PYPROJECT", given=given, prefix=prefix))
        (root / "pyproject.toml").write_bytes(pyproject)
        try:
            config = load_config(root)
            content = config.content_dir.relative_to(root).as_posix()
            if _git(where, "cat-file", "-e", f"{commit}:{prefix}{content}", check=False) is None:
                (root / content).mkdir(parents=True)    # no content yet: an empty ledger
            else:
                _extract(top, f"{commit}:{prefix}", content, root)
            return site_ledger(root)
        except ContentError as exc:
            raise ContentError([dataclasses.replace(d, path=f"{given}:{prefix}{d.path}")
                                for d in exc.diagnostics]) from None


def ledger_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiffError(msg("C-DIFF-NOT-LEDGER", path=str(path), detail=str(exc),
                            accepts=ACCEPTS)) from None
    problem = _shape_problem(data)
    if problem:
        raise DiffError(msg("C-DIFF-NOT-OUR-LEDGER", path=str(path), problem=problem))
    return data


def _shape_problem(data) -> Msg | None:
    """What a ledger.json lacks for the summary (its numbers are written as they are)."""
    def interval(n) -> bool:
        return (isinstance(n, dict) and type(n.get("min")) is int
                and (n.get("max") is None or type(n.get("max")) is int))

    def totals(t) -> bool:
        return isinstance(t, dict) and all(interval(n) for n in t.values())

    if not isinstance(data, dict) or not totals(data.get("totals")) or set(
            data["totals"]) != {"confirmed", "with_reported"}:
        return msg("C-LEDGER-TOTALS")
    for key in ("by_citizenship", "by_destination", "by_year"):
        if not isinstance(data.get(key, {}), dict) or not all(
                totals(t) for t in data.get(key, {}).values()):
            return msg("C-LEDGER-COUNTS", key=key)
    events = data.get("events")
    if not isinstance(events, list) or not all(
            isinstance(e, dict) and isinstance(e.get("id"), str) and interval(e.get("released"))
            and isinstance(e.get("counted"), bool) and totals(e.get("citizenship", {}))
            for e in events):
        return msg("C-LEDGER-EVENTS")
    return None


def _commit(given: str, where: Path) -> str | None:
    """The commit a revision names in the repository holding `where`, or None."""
    out = _git(where, "rev-parse", "--verify", "--quiet", "--end-of-options",
               f"{given}^{{commit}}", check=False)
    return out.decode().strip() if out else None


def _extract(top: Path, tree: str, path: str, into: Path) -> None:
    """`git archive` of one folder of a tree (run at the repository's top: a pathspec is
    relative to the tree there), unpacked with tarfile's "data" filter (nothing outside
    `into`, no device files)."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([_git_path(), "-C", str(top), "archive", "--format=tar", tree,
                                 "--", path], stdout=subprocess.PIPE, stderr=errors)
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
                archive.extractall(into, filter="data")
        except tarfile.TarError as exc:
            problem = str(exc)
        else:
            problem = None
        proc.stdout.close()
        if proc.wait() != 0 or problem:
            errors.seek(0)
            said = errors.read().decode(errors="replace").strip() or problem
            raise DiffError(msg("C-DIFF-GIT", command=f"git archive {tree} -- {path}",
                                said=said))


def _git(where: Path, *args: str, check: bool = True) -> bytes | None:
    """git's output, or None when it fails and `check` is false."""
    run = subprocess.run([_git_path(), "-C", str(where), *args], capture_output=True)
    if run.returncode == 0:
        return run.stdout
    if check:
        raise DiffError(msg("C-DIFF-GIT", command=f"git {' '.join(args)}",
                            said=run.stderr.decode(errors="replace").strip()))
    return None


def _git_path() -> str:
    git = shutil.which("git")
    if git is None:
        raise DiffError(msg("C-DIFF-NO-GIT"))
    return git
