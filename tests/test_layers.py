"""The pipeline's layering (pyproject.toml, [tool.importlinter]) holds, and would be caught if
broken: render importing the writer is reported, naming the import."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """import-linter's own command on the package at `where`, with the project's contracts."""
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import "
                           "lint_imports_command; sys.exit(lint_imports_command())",
                           "--no-cache", str(ROOT / "pyproject.toml")],
                          cwd=where, env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_the_contracts_are_kept():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 3 kept, 0 broken." in run.stdout


def test_render_importing_the_writer_breaks_two_contracts(tmp_path):
    shutil.copytree(ROOT / "sitegen", tmp_path / "sitegen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    render = tmp_path / "sitegen" / "site" / "render.py"
    source = render.read_text(encoding="utf-8")
    anchor = "from ..content.config import Config\n"
    render.write_text(source.replace(anchor, anchor + "from ..output import MARKER\n", 1),
                      encoding="utf-8")
    line = source[:source.index(anchor)].count("\n") + 2
    run = lint_imports(tmp_path)
    assert run.returncode == 1
    assert "Contracts: 1 kept, 2 broken." in run.stdout
    assert f"sitegen.site.render -> sitegen.output (l.{line})" in run.stdout
    assert "render makes bytes: it never imports the writer, the cache or the scheduler BROKEN" \
        in run.stdout


def test_only_the_command_line_prints():
    """No module but cli.py (and its progress bar) calls print() or writes to sys.stdout or
    sys.stderr: serve, build and the stages report by return values and callbacks."""
    import ast
    found = []
    for path in sorted((ROOT / "sitegen").rglob("*.py")):
        name = path.relative_to(ROOT / "sitegen").as_posix()
        if name in ("cli.py", "progress.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                found.append(f"{name}:{node.lineno}: print()")
            if (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
                    and getattr(node.value, "id", None) == "sys"):
                found.append(f"{name}:{node.lineno}: sys.{node.attr}")
    assert found == []
