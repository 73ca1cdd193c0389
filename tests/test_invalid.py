"""Zola's test_sites_invalid pattern: each tests/invalid/<case>/ is a tiny site plus the
exact diagnostic lines `sitegen check` must print for it (expected.txt), and optional
extra arguments (args)."""
from pathlib import Path

import pytest

from sitegen.cli import main

from .conftest import TESTS, copy_case

CASES = sorted(p for p in (TESTS / "invalid").iterdir() if p.is_dir())
ERROR_CASES = [c for c in CASES if ": error: " in (c / "expected.txt").read_text(encoding="utf-8")]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site(case: Path, tmp_path, capsys):
    root = copy_case(case, tmp_path / "site")
    args_file = case / "args"
    args = args_file.read_text().split() if args_file.exists() else []
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    code = main(["check", "--root", str(root), *args])
    out = capsys.readouterr().out
    assert out == expected
    has_error = any(": error: " in line for line in expected.splitlines())
    assert code == (1 if has_error else 0)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
def test_failed_build_writes_nothing(case: Path, tmp_path, capsys):
    root = copy_case(case, tmp_path / "site")
    before = root / "output" / "keep.txt"
    before.parent.mkdir()
    before.write_text("previous build")
    args = (case / "args").read_text().split() if (case / "args").exists() else []
    assert main(["build", "--root", str(root), *[a for a in args if a == "--strict"]]) == 1
    assert sorted(p.name for p in (root / "output").iterdir()) == ["keep.txt"]
    assert before.read_text() == "previous build"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".output")) == []
