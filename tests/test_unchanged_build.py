"""A `sitegen build` that would change nothing is answered from the last build's manifest
before the pipeline (Jinja2, markdown-it-py, the stages) is imported."""
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import copy_sample

pytestmark = pytest.mark.slow     # builds in processes of their own

PROBE = (
    "import sys, pathlib\n"
    "from sitegen.cli import main\n"
    "code = main(['build', '--no-search', '--root', sys.argv[1]])\n"
    "print(code, *sorted(m for m in ('sitegen.build', 'jinja2', 'markdown_it')"
    " if m in sys.modules))\n")


def _build(site) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(site)], capture_output=True,
                          text=True, check=True, env={**os.environ, "LANG": "C.UTF-8"})
    return done.stdout.split()


def test_a_build_that_changes_nothing_imports_no_stage(tmp_path):
    site = copy_sample(tmp_path / "site")
    an_hour_ago = time.time() - 3600    # files written a while ago, as a user's are
    for path in site.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    assert _build(site) == ["0", "jinja2", "markdown_it", "sitegen.build"]
    assert _build(site) == ["0"]
    # an edit is built by the pipeline, imported then
    article = next((site / "content").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    os.utime(article, (an_hour_ago + 60, an_hour_ago + 60))
    assert _build(site) == ["0", "jinja2", "markdown_it", "sitegen.build"]
