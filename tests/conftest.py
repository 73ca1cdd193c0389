import os
import shutil
from pathlib import Path

import pytest

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


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (then review git diff)")


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    """Tests do not depend on the CI environment choosing the output format."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


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
