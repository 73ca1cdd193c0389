"""The project's own promises: the README's commands, CI running them, the repository's site."""
import re
from pathlib import Path

from sitegen.build import check

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", quick, re.S)


def test_readme_has_exactly_two_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "sitegen build" in commands[0]
    assert "'.[test]'" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_repository_site_is_clean_under_strict():
    assert check(ROOT, strict=True) == []


def test_vscode_problem_matcher_reads_check_output():
    """The editor task puts each problem at its file, line and column."""
    import json
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    watch = tasks["tasks"][0]
    assert watch["command"].endswith("sitegen check --strict --watch")
    assert re.match(watch["problemMatcher"]["background"]["activeBegin"], "sitegen: checking")
    assert re.match(watch["problemMatcher"]["background"]["activeEnd"], "sitegen: 1 error, 0 warnings")
    assert re.match(watch["problemMatcher"]["background"]["activeEnd"], "sitegen: 0 errors, 2 warnings")
    # the watch speaks the contributor's language: the markers are read in Russian too
    assert re.match(watch["problemMatcher"]["background"]["activeBegin"], "sitegen: проверка")
    assert re.match(watch["problemMatcher"]["background"]["activeEnd"],
                    "sitegen: 1 ошибка, 0 предупреждений")
    pattern = watch["problemMatcher"]["pattern"]
    regex = re.compile(pattern["regexp"])
    expected = ROOT / "tests/invalid/many-files-many-problems/expected.txt"
    found = [regex.match(line).groups() for line in expected.read_text().splitlines()]
    assert found[1] == ("content/articles/2025/b.md", "5", "10", "error",
                        "sources[1].url: expected an http:// or https:// address, got 'example.org'")
    assert len(found) == 4
