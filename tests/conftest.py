import json
import re
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
def _plain_environment(monkeypatch, tmp_path_factory):
    """Tests do not depend on the CI environment choosing the output format, nor share the
    user's build-cache signing key (each test session has its own)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # messages in English unless a test asks for another language (--lang, LANGUAGE)
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


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
