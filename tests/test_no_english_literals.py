"""No words reach a user except from the messages catalogue: the places where sitegen
speaks (print, a stream's write, serve's tell, a Diagnostic, a Problem raised) are given
codes and values, never a text written in the code. Read from the source's syntax tree, so
it is exact: a literal with a word in it at one of those places fails, wherever it is."""
import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import sitegen
from sitegen.content.diagnostics import ContentError
from sitegen.content.messages import Problem

SOURCE = Path(sitegen.__file__).parent
WORD = re.compile(r"[A-Za-z]{3,}")
SPEAKING_CALLS = {"print", "write", "tell", "_tell", "Diagnostic"}
# argparse's: only these arguments are words (the others are names, actions, choices)
ARGPARSE_CALLS = {"ArgumentParser", "add_argument", "add_parser", "add_subparsers",
                  "add_argument_group"}
ARGPARSE_WORDS = {"help", "description", "epilog", "usage", "title"}
# a literal that is a message's code, or a severity (the contract's word in every language)
NOT_WORDS = re.compile(r"[A-Z]+(?:-[A-Z0-9]+)+|error|warning|note")


def problem_classes() -> set[str]:
    """The exceptions whose text a user reads: every Problem, and ContentError."""
    names = {"ContentError", ContentError.__name__}
    for info in pkgutil.walk_packages([str(SOURCE)], "sitegen."):
        if info.name == "sitegen.__main__":     # runs the command
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Problem):
                names.add(name)
    return names


def literal_words(node: ast.AST) -> list[str]:
    """The words of a text literal (the fixed parts of an f-string), however it is joined."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if NOT_WORDS.fullmatch(node.value) else WORD.findall(node.value)
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values for w in literal_words(part)]
    if isinstance(node, ast.BinOp):     # "a" + "b", "a %s" % b
        return literal_words(node.left) + (literal_words(node.right)
                                            if isinstance(node.op, ast.Add) else [])
    return []


def call_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def speaking_literals() -> list[str]:
    problems = problem_classes()
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in ARGPARSE_CALLS:
                args = [k.value for k in node.keywords if k.arg in ARGPARSE_WORDS]
            elif name in SPEAKING_CALLS | problems:
                args = [*node.args, *(k.value for k in node.keywords)]
            else:
                continue
            for arg in args:
                words = literal_words(arg)
                if words:
                    found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {name}: "
                                 f"{' '.join(words)}")
    return found


def test_no_text_is_written_where_sitegen_speaks():
    assert speaking_literals() == []


def test_the_test_finds_a_literal(tmp_path):
    """What the test reads as a speaking literal (so that it cannot pass by reading nothing)."""
    def words(source: str) -> list[str]:
        call = ast.parse(source).body[0].value
        return [w for a in call.args for w in literal_words(a)]
    assert words('print(f"sitegen: built {n} pages")') == ["sitegen", "built", "pages"]
    assert words('Diagnostic(p, 1, 1, ERROR, "template " + "syntax")') == ["template", "syntax"]
    assert words('print(say.render(msg("C-SUMMARY")))') == []
    assert words('_tell("C-SUMMARY", summary=summary(problems))') == []
    assert words('Diagnostic(p, 1, 1, "warning", exc.detail)') == []
    assert {"OutputError", "SearchError", "DiffError", "StringsError", "BundleError",
            "ContentError"} <= problem_classes()
