"""Files and folders around the content (issue 20, item 10): a content folder that is a
symbolic link, articles whose names end otherwise than '.md', a write the system refuses."""
import os
import subprocess
import sys
from pathlib import Path

from sitegen.cli import main

from .conftest import DEFAULT_PYPROJECT, make_site

ARTICLE = """\
---
title: A
date: 2025-01-01
sources:
  - url: https://reports.test/a
    publisher: Example
events:
  - id: e-1
    date: 2025-01-01
    kind: statement
---
Body.
"""


def test_a_content_folder_that_is_a_symbolic_link_is_an_error(tmp_path, capsys):
    elsewhere = make_site(tmp_path / "elsewhere", {"content/articles/a.md": ARTICLE})
    site = make_site(tmp_path / "site", {"output/keep.txt": "previous build"},
                     pyproject=DEFAULT_PYPROJECT + 'content_dir = "linked/content"\n')
    (site / "linked").symlink_to(elsewhere)
    assert main(["build", "--root", str(site)]) == 1
    assert capsys.readouterr().out == (
        "linked:1:1: error: symbolic links are not allowed in content/ or templates/: "
        "replace the link with a real file\n")
    assert sorted(p.name for p in (site / "output").iterdir()) == ["keep.txt"]
    (site / "linked").unlink()
    (site / "content").symlink_to(elsewhere / "content")
    site.joinpath("pyproject.toml").write_text(DEFAULT_PYPROJECT, encoding="utf-8")
    assert main(["check", "--root", str(site)]) == 1
    assert capsys.readouterr().out.startswith("content:1:1: error: symbolic links are not")


def test_articles_named_otherwise_than_dot_md_get_a_warning(tmp_path, capsys):
    site = make_site(tmp_path / "site", {"content/articles/a.md": ARTICLE,
                                         "content/articles/b.MD": ARTICLE,
                                         "content/pages/about.markdown": "---\ntitle: A\n---\n",
                                         "content/articles/notes.txt": "not content"})
    assert main(["check", "--root", str(site)]) == 0
    assert capsys.readouterr().out == (
        "content/articles/b.MD:1:1: warning: 'b.MD' is not read: only files ending in '.md' "
        "(lower case) are content; rename it\n"
        "content/pages/about.markdown:1:1: warning: 'about.markdown' is not read: only files "
        "ending in '.md' (lower case) are content; rename it\n")


def test_a_write_the_system_refuses_names_the_file(tmp_path):
    """A file-size limit makes write() fail as a full disk does (EFBIG as ENOSPC: write()
    names no file); the message names it, no traceback, the old output is kept."""
    site = make_site(tmp_path / "site", {"content/articles/a.md": ARTICLE})
    code = ("import resource, signal, sys\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))\n"
            "from sitegen.cli import main\n"
            f"sys.exit(main(['build', '--no-cache', '--root', {str(site)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith(f"sitegen: error: {site}/.output")
    assert line.endswith(": File too large")
    path = Path(line.removeprefix("sitegen: error: ").rsplit(": ", 1)[0])
    assert path.relative_to(site).parts[0].startswith(".output.building-")   # the new output
    assert path.name.endswith((".html", ".xml", ".json", ".csv", ".css", ".svg"))
    assert not (site / "output").exists()
