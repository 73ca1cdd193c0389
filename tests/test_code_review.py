"""What a pull request may change without a maintainer's review is content/ alone: every
other folder holds code (a Jinja2 template runs Python at build time; it is not sandboxed),
and opening a branch in the editor runs nothing by itself."""
from __future__ import annotations

import fnmatch
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ["templates/", "sitegen/", ".github/", ".vscode/", "pyproject.toml", "tests/",
        "bench/", "tools/", ".ci/"]


def owners() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pattern, *who = line.split()
            rules.append((pattern, who))
    return rules


def owner_of(path: str) -> list[str]:
    """CODEOWNERS semantics for the patterns used here: the last matching rule wins; a
    pattern starting with / is anchored at the root, one ending with / owns the folder."""
    found: list[str] = []
    for pattern, who in owners():
        anchored = pattern.lstrip("/")
        if anchored.endswith("/") and path.startswith(anchored) or \
                fnmatch.fnmatch(path, anchored):
            found = who
    return found


def test_codeowners_asks_review_for_every_code_folder_but_not_for_content():
    for path in CODE:
        probe = path + "x" if path.endswith("/") else path
        assert owner_of(probe) == ["@example/maintainers"], path
    for content in ("content/articles/2025/a.md", "content/pages/about.md",
                    "content/countries/lt.md"):
        assert owner_of(content) == [], content
    for path in CODE:   # every folder named exists (a typo would leave it unguarded)
        assert (ROOT / path.rstrip("/")).exists(), path


def test_no_editor_task_runs_by_itself_when_the_folder_opens():
    """A task with runOptions.runOn = folderOpen runs the checkout's own sitegen as soon as
    VS Code opens the folder (once automatic tasks were allowed for it, for every branch
    checked out there later)."""
    tasks = json.loads((ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert [t["label"] for t in tasks if t.get("runOptions", {}).get("runOn") == "folderOpen"] == []
    assert tasks[0]["label"] == "sitegen: check while editing"


def test_readme_and_contributing_say_that_only_content_is_content():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    safety = " ".join(readme.split("\n## Safety\n", 1)[1].split("\n## ", 1)[0].split())
    assert "only `content/` is content" in safety
    assert "Jinja2, which is not sandboxed" in safety and ".github/CODEOWNERS" in safety
    contributing = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert "Only `content/` is content." in contributing
    assert "Jinja2 is not sandboxed" in contributing
