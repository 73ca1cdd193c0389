"""`output_dir` is replaced whole by every build, so a pull request that changes
pyproject.toml must not be able to point it at anything but a build's own folder."""
import shutil
import subprocess
import sys

import pytest

from sitegen.cli import main
from sitegen.output import MARKER

from .conftest import DEFAULT_PYPROJECT, THEME, make_site

ARTICLE = ("---\ntitle: T\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', "
           "publisher: P}]\nevents:\n  - {id: e, date: 2025, kind: statement}\n---\nBody.\n")
REPLACES = "a build replaces it whole"


def site_with_output(root, value: str):
    """A site with its own copy of the theme (so that templates/ is a folder of the site)."""
    site = make_site(root, {"content/articles/a.md": ARTICLE, "content/articles/keep.txt": "x"},
                     DEFAULT_PYPROJECT.replace('templates_dir = ', '# ') +
                     f'templates_dir = "templates"\noutput_dir = "{value}"\n')
    shutil.copytree(THEME, site / "templates")
    return site


def snapshot(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("value, message", [
    (".git", f"must not be .git or inside it, got '.git': {REPLACES}"),
    (".git/objects", f"must not be .git or inside it, got '.git/objects': {REPLACES}"),
    ("content/articles", "must not be inside or above content_dir ('content'), got "
                         f"'content/articles': {REPLACES}"),
    ("content", f"must not be inside or above content_dir ('content'), got 'content': {REPLACES}"),
    ("templates", "must not be inside or above templates_dir ('templates'), got 'templates': "
                  f"{REPLACES}"),
    ("../victim", "must be a folder inside the site's folder, such as 'output' (no absolute "
                  f"path, no '..'), got '../victim': {REPLACES}"),
    ("out/../../victim", "must be a folder inside the site's folder, such as 'output' (no "
                         f"absolute path, no '..'), got 'out/../../victim': {REPLACES}"),
    (".", f"must be a folder of its own, not the site's folder, got '.': {REPLACES}"),
    ("./", f"must be a folder of its own, not the site's folder, got './': {REPLACES}"),
    ("escape", "must be a folder inside the site's folder, got 'escape', which a symbolic "
               f"link leads outside it: {REPLACES}"),
])
def test_output_dir_outside_its_place_is_refused_and_nothing_is_touched(
        tmp_path, capsys, value, message):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious").write_text("x")
    root = site_with_output(tmp_path / "site", value)
    (root / ".git" / "objects").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "escape").symlink_to(victim)
    before, outside = snapshot(root), snapshot(victim)
    assert main(["build", "--root", str(root)]) == 1
    assert capsys.readouterr().out == f"pyproject.toml:8:1: error: [tool.sitegen] output_dir: {message}\n"
    assert snapshot(root) == before
    assert snapshot(victim) == outside
    assert main(["check", "--root", str(root)]) == 1


def test_an_absolute_output_dir_is_refused(tmp_path, capsys):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "precious").write_text("x")
    root = site_with_output(tmp_path / "site", str(target))
    assert main(["build", "--root", str(root)]) == 1
    assert capsys.readouterr().out == (
        "pyproject.toml:8:1: error: [tool.sitegen] output_dir: must be a folder inside the "
        f"site's folder, such as 'output' (no absolute path, no '..'), got '{target}': {REPLACES}\n")
    assert snapshot(target) == ["precious"]


def test_a_folder_no_build_made_is_not_replaced(tmp_path, capsys):
    """`output_dir = "docs"` beside a docs/ of the project's own: the build stops and names it."""
    root = site_with_output(tmp_path / "site", "docs")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("the project's own docs")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err == (f"sitegen: error: {root / 'docs'} was not made by sitegen build (it has no "
                   f"{MARKER} file): refusing to replace it; move what it holds elsewhere, or "
                   f"set another output_dir in pyproject.toml\n")
    assert snapshot(root / "docs") == ["guide.md"]
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".docs")) == []
    # a file where the folder should be is refused the same way
    (root / "docs" / "guide.md").unlink()
    (root / "docs").rmdir()
    (root / "docs").write_text("a file")
    assert main(["build", "--root", str(root), "--no-cache"]) == 1
    assert "is not a folder: refusing to replace it" in capsys.readouterr().err
    assert (root / "docs").read_text() == "a file"


def test_a_folder_a_build_made_or_an_empty_one_is_replaced(tmp_path):
    root = site_with_output(tmp_path / "site", "public")
    (root / "public").mkdir()                       # empty: nothing to lose
    assert main(["build", "--root", str(root)]) == 0
    assert (root / "public" / MARKER).is_file()
    (root / "public" / "stale.html").write_text("left by hand")
    assert main(["build", "--root", str(root), "--no-cache"]) == 0
    assert not (root / "public" / "stale.html").exists()
    assert (root / "public" / "index.html").is_file()


def test_the_command_line_reports_it_without_a_traceback(tmp_path):
    root = site_with_output(tmp_path / "site", ".git")
    (root / ".git").mkdir()
    run = subprocess.run([sys.executable, "-m", "sitegen", "build", "--root", str(root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stdout == ("pyproject.toml:8:1: error: [tool.sitegen] output_dir: must not be .git "
                          f"or inside it, got '.git': {REPLACES}\n")
    assert (root / ".git").is_dir()
