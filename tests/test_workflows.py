"""The GitHub Actions workflows: schema-valid, clean under zizmor, and shaped as intended.

check-jsonschema (its vendored GitHub workflow schema) and zizmor (--offline) both run
without a network; they come with the `test` extra.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}: "
                    "pip install -e '.[test]'")
    return str(path)


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def uses(workflow: dict) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


# The oldest releases allowed, each with the commit its tag points to in the action's own
# repository. Dependabot's pull requests move them on (a newer release passes).
RELEASES = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}


def _version(tag: str) -> tuple[int, ...]:
    return tuple(int(n) for n in tag[1:].split("."))


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_actions_are_at_least_the_releases_checked(name):
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    found = re.findall(r"uses: ([\w/-]+)@([0-9a-f]{40}) # (v[\d.]+)$", text, re.MULTILINE)
    assert len(found) == len(uses(load(name)))
    for action, sha, version in found:
        oldest_sha, oldest = RELEASES[action]
        assert _version(version) >= _version(oldest), (action, version)
        assert version != oldest or sha == oldest_sha, (action, sha)


def test_there_are_workflows():
    assert [p.name for p in workflow_files()] == ["deploy.yml", "pr.yml"]


def test_workflows_match_the_github_schema():
    run = subprocess.run([tool("check-jsonschema"), "--builtin-schema",
                          "vendor.github-workflows", *map(str, workflow_files())],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dependabot_config_matches_its_schema():
    run = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot",
                          str(ROOT / ".github" / "dependabot.yml")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dependabot_updates_actions_pip_and_the_npm_tools_weekly_grouped():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert [(u["package-ecosystem"], u["directory"], u["schedule"], u["cooldown"])
            for u in config["updates"]] == [
        ("github-actions", "/", {"interval": "weekly"}, {"default-days": 7}),
        ("pip", "/", {"interval": "weekly"}, {"default-days": 7}),
        ("npm", "/tools", {"interval": "weekly"}, {"default-days": 7})]
    assert [u["groups"] for u in config["updates"]] == [
        {"actions": {"patterns": ["*"]}}, {"python": {"patterns": ["*"]}},
        {"tools": {"patterns": ["*"]}}]


def test_zizmor_finds_nothing():
    """The workflows and the Dependabot configuration (its cooldown audit)."""
    run = subprocess.run([tool("zizmor"), "--offline", ".github/"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_every_action_is_pinned_by_sha_with_a_version_comment(name):
    found = uses(load(name))
    assert found and all(PINNED.match(u) for u in found), found
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.match(r"\s*(- )?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_checkout_never_persists_credentials(name):
    for step in steps(load(name)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_no_expression_inside_a_script(name):
    """Template injection: values reach `run:` scripts only through `env:`."""
    for script in runs(load(name)):
        assert "${{" not in script, script


def test_deploy_workflow():
    wf = load("deploy.yml")
    assert wf["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert wf["permissions"] == {}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert set(wf["jobs"]) == {"build", "deploy"}
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    assert [u.split("@")[0] for u in uses(wf)] == [
        "actions/checkout", "actions/setup-python", "actions/configure-pages",
        "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert next(s for s in deploy["steps"])["id"] == "deployment"

    by_use = {s["uses"].split("@")[0]: s for s in build["steps"] if "uses" in s}
    assert by_use["actions/setup-python"]["with"] == {
        "python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}
    assert by_use["actions/upload-pages-artifact"]["with"] == {
        "path": "output", "include-hidden-files": False}
    pages_id = by_use["actions/configure-pages"]["id"]
    assert "python -m pip install ." in runs(wf)
    build_step = next(s for s in build["steps"] if "sitegen build" in s.get("run", ""))
    assert build_step["env"] == {"PAGES_BASE_URL": f"${{{{ steps.{pages_id}.outputs.base_url }}}}"}
    assert 'sitegen build --base-url "${base_url}/"' in build_step["run"]


@pytest.mark.parametrize("given", ["https://o.github.io/repo", "https://o.github.io/repo/",
                                   "https://o.github.io/repo//", "https://example.org"])
def test_deploy_base_url_gets_exactly_one_trailing_slash(given, tmp_path):
    """The build step's script, run with a stub `sitegen` that prints its arguments."""
    build_step = next(s for s in load("deploy.yml")["jobs"]["build"]["steps"]
                      if "sitegen build" in s.get("run", ""))
    stub = tmp_path / "sitegen"
    stub.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    stub.chmod(0o755)
    run = subprocess.run(["bash", "-e", "-c", build_step["run"]], capture_output=True,
                         text=True, env={"PATH": f"{tmp_path}:/usr/bin:/bin",
                                         "PAGES_BASE_URL": given}, timeout=30)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-2:] == ["--base-url", given.rstrip("/") + "/"]


def test_pr_workflow():
    wf = load("pr.yml")
    assert wf["on"] == {"pull_request": None}
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"] == {
        "group": "${{ github.workflow }}-${{ github.event.pull_request.number }}",
        "cancel-in-progress": True}
    assert all("permissions" not in job for job in wf["jobs"].values())
    text = (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    assert "pull_request_target" not in text.replace(
        "never `pull_request_target`", "")  # only the comment saying why not

    (job,) = wf["jobs"].values()
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    # the whole history, for `sitegen diff` to read the base commit from git
    assert [c["with"] for c in checkouts] == [{"fetch-depth": 0, "persist-credentials": False}]
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"] == {"python-version": "3.11", "cache": "pip",
                             "cache-dependency-path": "pyproject.toml"}

    by_run = {s["run"].strip(): s for s in job["steps"] if "run" in s}
    install = by_run["python -m pip install -e '.[test]'"]
    check = by_run["sitegen check --strict --format github"]
    diff = by_run['sitegen diff "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"']
    assert diff["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    tests = next(s for s in job["steps"] if "python -m pytest" in s.get("run", ""))
    order = [job["steps"].index(s) for s in (install, check, diff, tests)]
    assert order == sorted(order)
    # The check's failure fails the job (no continue-on-error), yet the diff and the
    # tests still run after it.
    assert "continue-on-error" not in check and "if" not in check
    after_install = f"${{{{ !cancelled() && steps.{install['id']}.outcome == 'success' }}}}"
    assert diff["if"] == after_install and tests["if"] == after_install
    assert tests["env"] == {"SITEGEN_REQUIRE_BROWSER": "1",
                            "SITEGEN_CHROMIUM": "/usr/bin/google-chrome"}


def test_pull_request_template_covers_the_article_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for needle in ("`ref`", "`part_of`", "sitegen check --strict", "ledger diff", "source"):
        assert needle in text, needle
