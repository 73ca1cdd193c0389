"""The deploy and pull-request workflows run here as GitHub runs them.

The jobs of .github/workflows/deploy.yml and pr.yml are read from the YAML and run step by
step, in order, in a fresh clone of this repository's committed HEAD, with the environment a
runner gives (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, RUNNER_TEMP, ...), each
`run:` script in the shell Actions uses (`bash --noprofile --norc -eo pipefail`), `if:` and
`${{ }}` evaluated. A `uses:` step is replaced by what the action's own action.yml, at the
pinned commit, does or requires: a copy of each is in tests/data/actions/<name>/<sha>.yml,
and upload-pages-artifact's archive step is run from that file as it is. A workflow that
pins another commit, or a step this emulation does not know, fails the test until it is
taught (read the new action.yml, copy it there).

What is emulated and not proven: the runner image, setup-python's download (this machine's
Python must be the version asked), pip (the dependencies are checked to be installed in this
venv and the clone is put on PYTHONPATH: `pip install .` would install the same code), the
upload-artifact zip, and Pages itself (the unpacked archive is served by http.server under
/<repository>/, as Pages serves a project site).
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import tomllib
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options
from packaging.requirements import Requirement

from .crawl import crawl, parse

pytestmark = pytest.mark.slow     # the workflows run step by step in a fresh clone

ROOT = Path(__file__).parent.parent
ACTIONS = Path(__file__).parent / "data" / "actions"
OWNER, REPOSITORY = "user", "repo"
BASE_URL = f"https://{OWNER}.github.io/{REPOSITORY}"     # configure-pages, for a project site
GIGABYTE = 1 << 30
# `run:` steps not run here, by their exact script, and why
NOT_RUN = {
    "npm ci --prefix tools --ignore-scripts --no-audit --no-fund":
        "installs the quality checkers for the test suite (tools/ is installed on this machine)",
    '"$SITEGEN_CHROMIUM" --version\npython -m pytest -n auto\n': "the test suite: this test is in it",
}


class StepFailed(AssertionError):
    pass


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))     # YAML 1.1 reads the key `on` as True
    return data


# --- expressions: the subset the workflows and the actions use -------------------------

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>&&|\|\||==|!=|!|\(|\))|"
                   r"(?P<fn>cancelled|success|failure|always)\(\)|"
                   r"(?P<ref>[A-Za-z_][\w-]*(?:\.[\w-]+)*)|(?P<num>\d+))")


def evaluate(expr: str, context: dict):
    python = []
    pos = 0
    while pos < len(expr.rstrip()):
        m = TOKEN.match(expr, pos)
        if not m:
            raise StepFailed(f"the emulation cannot read the expression {expr!r}")
        pos = m.end()
        if m["str"]:
            python.append(repr(m["str"][1:-1].replace("''", "'")))
        elif m["op"]:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(m["op"], m["op"]))
        elif m["fn"]:
            python.append(repr(context["functions"][m["fn"]]))
        elif m["num"]:
            python.append(m["num"])
        else:
            python.append(repr(lookup(m["ref"], context)))
    return eval("".join(python), {"__builtins__": {}}, {})   # only literals and operators


def lookup(ref: str, context: dict):
    if ref in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[ref]
    value = context
    for part in ref.split("."):
        if not isinstance(value, dict) or part not in value:
            raise StepFailed(f"the emulation does not know `{ref}`: teach it")
        value = value[part]
    return value


def as_text(value) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def substitute(text, context: dict) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: as_text(evaluate(m[1], context)), as_text(text))


# --- the runner -------------------------------------------------------------------------

class Runner:
    """One workflow run: its jobs in the order of `needs`, on one machine (this one)."""

    def __init__(self, tmp: Path, workflow: str, github: dict, after_checkout=None):
        self.workflow = load_workflow(workflow)
        self.tmp = tmp
        self.github = {"repository": f"{OWNER}/{REPOSITORY}", "repository_owner": OWNER,
                       "token": "not-a-token", "server_url": "https://github.com",
                       "sha": head(), **github}
        self.after_checkout = after_checkout or (lambda workspace: None)
        self.artifacts: dict[str, Path] = {}
        self.log: list[tuple[str, str, str]] = []        # (job, step, outcome)
        self.deployed: dict | None = None
        self.workspaces: dict[str, Path] = {}

    def run(self) -> None:
        done: set[str] = set()
        jobs = self.workflow["jobs"]
        while len(done) < len(jobs):
            for name, job in jobs.items():
                needs = job.get("needs", [])
                needs = [needs] if isinstance(needs, str) else needs
                if name not in done and set(needs) <= done:
                    if any(j in needs and o.startswith("failure") for j, _, o in self.log):
                        self.log.append((name, "", "skipped: a job it needs failed"))
                    else:
                        self.run_job(name, job)
                    done.add(name)

    def run_job(self, name: str, job: dict) -> None:
        assert job["runs-on"] == "ubuntu-latest", job["runs-on"]
        home = self.tmp / name
        self.workspace = self.workspaces[name] = home / "work" / REPOSITORY
        self.runner_temp = home / "temp"
        for folder in (self.workspace, self.runner_temp, home / "bin"):
            folder.mkdir(parents=True)
        self.bin = home / "bin"
        self.job = job
        self.env = {
            "PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin", "HOME": str(home),
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_REPOSITORY": self.github["repository"], "GITHUB_SHA": self.github["sha"],
            "GITHUB_EVENT_NAME": self.github["event_name"], "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(self.runner_temp), "LANG": "C.UTF-8",
            "GITHUB_STEP_SUMMARY": str(home / "step_summary"),
            "XDG_CACHE_HOME": str(home / "cache")}
        Path(self.env["GITHUB_STEP_SUMMARY"]).touch()
        self.steps: dict[str, dict] = {}
        failed = False
        for index, step in enumerate(job["steps"]):
            context = self.context(failed)
            if step.get("run") in NOT_RUN:
                self.log.append((name, step.get("name", ""), "not run"))
                continue
            if not evaluate(strip(step.get("if", "success()")), context):
                self.log.append((name, step.get("name", ""), "skipped"))
                continue
            outputs: dict[str, str] = {}
            try:
                if "uses" in step:
                    outputs = self.uses(step, context)
                else:
                    outputs = self.run_script(step, context, index)
                outcome = "success"
            except StepFailed as exc:
                outcome = f"failure: {exc}"
                failed = True
            self.log.append((name, step.get("name", ""), outcome))
            if "id" in step:
                self.steps[step["id"]] = {"outputs": outputs, "outcome": outcome.split(":")[0],
                                          "conclusion": outcome.split(":")[0]}
        self.summary = Path(self.env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")

    def context(self, failed: bool) -> dict:
        return {"github": self.github, "steps": self.steps, "env": self.env,
                "runner": {"os": "Linux", "temp": str(self.runner_temp)},
                "functions": {"success": not failed, "failure": failed, "cancelled": False,
                              "always": True}}

    def run_script(self, step: dict, context: dict, index: int) -> dict:
        script = step["run"]
        install = re.fullmatch(r"python -m pip install (-e )?(\S+)\n?", script)
        if install:
            self.pip_install(install[2].strip("'\""))
            return {}
        files = {name: self.runner_temp / f"{name.lower()}-{index}"
                 for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
        for file in files.values():
            file.touch()
        env = {**self.env, **{k: substitute(v, context) for k, v in
                              {**self.job.get("env", {}), **step.get("env", {})}.items()},
               **{name: str(file) for name, file in files.items()}}
        shell(["bash", "--noprofile", "--norc", "-eo", "pipefail"], script,
              self.workspace / step.get("working-directory", "."), env, self.runner_temp)
        self.env.update(read_pairs(files["GITHUB_ENV"]))
        for folder in files["GITHUB_PATH"].read_text().splitlines()[::-1]:
            self.env["PATH"] = f"{folder}:{self.env['PATH']}"
        return read_pairs(files["GITHUB_OUTPUT"])

    def pip_install(self, spec: str) -> None:
        """`pip install .` / `-e '.[extra]'`: every requirement must be installed in this
        venv; the clone's code is what `sitegen` and `python` import (PYTHONPATH)."""
        match = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", spec)
        assert match, f"the emulation does not know `pip install {spec}`"
        project = tomllib.loads((self.workspace / "pyproject.toml").read_text())["project"]
        wanted = list(project["dependencies"])
        for extra in (match[1] or "").split(","):
            wanted += project["optional-dependencies"][extra] if extra else []
        for line in wanted:
            req = Requirement(line)
            try:
                have = metadata.version(req.name)
            except metadata.PackageNotFoundError:
                raise StepFailed(f"{req.name} is not installed in {sys.prefix}") from None
            if not req.specifier.contains(have, prereleases=True):
                raise StepFailed(f"{req.name} {have} does not satisfy {req}")
        for command, target in project["scripts"].items():
            module, function = target.split(":")
            script = self.bin / command
            script.write_text(f"#!{sys.executable}\nimport sys\nfrom {module} import "
                              f"{function}\nsys.exit({function}())\n")
            script.chmod(0o755)
        self.env["PYTHONPATH"] = str(self.workspace)

    # --- `uses:` steps ------------------------------------------------------------------

    def uses(self, step: dict, context: dict) -> dict:
        action, sha = step["uses"].split("@")
        file = ACTIONS / action.split("/")[1] / f"{sha}.yml"
        if not file.is_file():
            raise AssertionError(f"{action}@{sha}: no copy of its action.yml in {ACTIONS}: "
                                 f"read it at that commit, copy it there, teach the emulation")
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        given = {k: substitute(v, context) for k, v in step.get("with", {}).items()}
        unknown = set(given) - set(spec.get("inputs", {}))
        assert not unknown, f"{action} has no input {unknown}"
        inputs = {k: given.get(k, substitute(v.get("default", ""), context))
                  for k, v in spec.get("inputs", {}).items()}
        for key, v in spec.get("inputs", {}).items():
            if v.get("required") and not inputs[key]:
                raise StepFailed(f"{action}: input {key} is required")
        return getattr(self, action.split("/")[1].replace("-", "_"))(inputs, spec)

    def checkout(self, inputs: dict, spec: dict) -> dict:
        assert inputs["persist-credentials"] == "false", "a token would stay in .git/config"
        assert not inputs["path"] and not inputs["ref"], "teach the emulation path/ref"
        depth = [] if inputs["fetch-depth"] == "0" else [f"--depth={inputs['fetch-depth']}"]
        shell(["git", "clone", "--quiet", *depth, f"file://{ROOT}", str(self.workspace)], "",
              self.tmp, {"PATH": os.environ["PATH"], "HOME": str(self.tmp)}, self.tmp)
        shell(["git", "checkout", "--quiet", "--detach", self.github["sha"]], "",
              self.workspace, {"PATH": os.environ["PATH"], "HOME": str(self.tmp)}, self.tmp)
        self.after_checkout(self.workspace)
        return {"ref": self.github["sha"], "commit": self.github["sha"]}

    def setup_python(self, inputs: dict, spec: dict) -> dict:
        here = f"{sys.version_info.major}.{sys.version_info.minor}"
        assert inputs["python-version"] == here, f"this machine has Python {here}"
        if inputs["cache"]:     # the cache is keyed by these files: none found is an error
            assert (self.workspace / inputs["cache-dependency-path"]).is_file()
        (self.bin / "python").symlink_to(sys.executable)
        return {"python-version": sys.version.split()[0]}

    def configure_pages(self, inputs: dict, spec: dict) -> dict:
        assert self.job["permissions"].get("pages") in ("read", "write"), "it reads the site"
        assert inputs["enablement"] == "false" and not inputs["static_site_generator"]
        return {"base_url": BASE_URL, "origin": f"https://{OWNER}.github.io",
                "host": f"{OWNER}.github.io", "base_path": f"/{REPOSITORY}"}

    def upload_pages_artifact(self, inputs: dict, spec: dict) -> dict:
        """The composite action's own Linux steps; then its README's rules on the tar."""
        problems = no_symlinks(self.workspace / inputs["path"])
        if problems:
            raise StepFailed("; ".join(problems))
        context = {**self.context(False), "inputs": inputs}
        for step in spec["runs"]["steps"]:
            if "if" in step and not evaluate(strip(step["if"]), context):
                continue
            if "uses" in step:
                assert step["uses"].split("@")[0] == "actions/upload-artifact"
                given = {k: substitute(v, context) for k, v in step["with"].items()}
                archive = Path(given["path"])
                if not archive.is_file():      # if-no-files-found: error
                    raise StepFailed(f"upload-artifact: no {archive}")
                problems = artifact_problems(archive)
                if problems:
                    raise StepFailed("; ".join(problems))
                self.artifacts[given["name"]] = archive
                continue
            assert step["shell"] == "sh"
            env = {**self.env, **{k: substitute(v, context) for k, v in step["env"].items()}}
            shell(["sh", "-e"], substitute(step["run"], context), self.workspace, env,
                  self.runner_temp)
        return {"artifact_id": "1"}

    def deploy_pages(self, inputs: dict, spec: dict) -> dict:
        assert self.job["permissions"] == {"pages": "write", "id-token": "write"}
        assert self.job["environment"]["name"] == "github-pages"
        archive = self.artifacts.get(inputs["artifact_name"])
        if archive is None:
            raise StepFailed(f"no artifact named {inputs['artifact_name']}")
        site = self.tmp / "pages" / REPOSITORY
        site.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(site, filter="tar")      # modes as they are in the archive
        self.deployed = {"site": site, "names": sorted(
            str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())}
        return {"page_url": f"{BASE_URL}/"}


def read_pairs(file: Path) -> dict[str, str]:
    """NAME=value lines and NAME<<DELIMITER blocks, as in $GITHUB_OUTPUT and $GITHUB_ENV."""
    pairs, lines = {}, iter(file.read_text().splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, end = line.split("<<", 1)
            block = []
            for text in lines:
                if text == end:
                    break
                block.append(text)
            pairs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            pairs[name] = value
    return pairs


def strip(condition) -> str:
    condition = as_text(condition).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", condition, re.DOTALL)
    return m[1] if m else condition


def shell(argv: list[str], script: str, cwd: Path, env: dict, temp: Path) -> None:
    if script:
        file = temp / "step.sh"
        file.write_text(script)
        argv = [*argv, str(file)]
    run = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise StepFailed(f"exit {run.returncode}: {run.stderr[-2000:]}{run.stdout[-2000:]}")


def head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def no_symlinks(folder: Path) -> list[str]:
    """tar --dereference would publish what a link points at (a file outside, even):
    there must be none to follow."""
    return [f"{p.relative_to(folder)}: a symbolic link in the site (tar --dereference "
            f"would publish what it points at)" for p in sorted(folder.rglob("*"))
            if p.is_symlink()]


def artifact_problems(archive: Path) -> list[str]:
    """upload-pages-artifact's README: no symbolic or hard links, only files and folders,
    under 1 GB; and every entry readable by others (a web server running as another user)."""
    problems = []
    if archive.stat().st_size >= GIGABYTE:
        problems.append(f"{archive.name}: {archive.stat().st_size} bytes, over 1 GB")
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.issym() or member.islnk():
                problems.append(f"{member.name}: a {'symbolic' if member.issym() else 'hard'} "
                                f"link")
            elif not (member.isfile() or member.isdir()):
                problems.append(f"{member.name}: neither a file nor a folder")
            need = 0o005 if member.isdir() else 0o004
            if member.mode & need != need:
                problems.append(f"{member.name}: mode {member.mode:04o}, not readable by others")
    return problems


# --- the runs ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def deploy(tmp_path_factory):
    runner = Runner(tmp_path_factory.mktemp("deploy"), "deploy.yml",
                    {"event_name": "push", "ref": "refs/heads/main"})
    runner.run()
    return runner


def test_every_deploy_step_succeeds(deploy):
    assert [(job, outcome) for job, _, outcome in deploy.log] == [
        ("build", "success")] * 6 + [("deploy", "success")], deploy.log


def test_the_archive_is_what_pages_accepts(deploy):
    with tarfile.open(deploy.artifacts["github-pages"]) as tar:
        names = tar.getnames()
    assert "./index.html" in names and "./data/ledger.json" in names
    # hidden files are left out (include-hidden-files: false): .nojekyll, .sitegen-output
    assert not [n for n in names if "/." in n]
    assert artifact_problems(deploy.artifacts["github-pages"]) == []


@pytest.fixture(scope="module")
def served(deploy):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(
        QuietHandler, directory=str(deploy.deployed["site"].parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", quote(path, safe="/%:@!$&'()*+,;=~-._"))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def test_every_page_and_link_answers_200_under_the_repository_path(deploy, served):
    site, names = deploy.deployed["site"], deploy.deployed["names"]
    files = {name: (site / name).read_bytes() for name in names}
    assert len(files) > 100
    for name, data in files.items():
        assert get(served, f"/{REPOSITORY}/{name}") == (200, data), name
    assert crawl(files, f"{BASE_URL}/") == []
    links = set()
    for name in names:
        if name.endswith(".html"):
            here = f"{BASE_URL}/{name.removesuffix('index.html')}"
            for _, _, url, _ in parse(files[name].decode()).links:
                absolute = urljoin(here, url).split("#")[0]
                if absolute.startswith(f"{BASE_URL}/"):
                    links.add(unquote(urlsplit(absolute).path))
    assert len(links) > 100
    broken = [link for link in sorted(links) if get(served, link)[0] != 200]
    assert broken == []


def test_feeds_and_sitemap_name_the_pages_url(deploy):
    site = deploy.deployed["site"]
    locs = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text())
    assert locs and all(loc.startswith(f"{BASE_URL}/") for loc in locs)
    for feed in ("feed.xml", "en/feed.xml"):
        text = (site / feed).read_text()
        assert f'href="{BASE_URL}/' in text and "example.github.io" not in text
    assert f"Sitemap: {BASE_URL}/sitemap.xml" in (site / "robots.txt").read_text()
    for name in deploy.deployed["names"]:
        assert b"https://example.github.io/releases/" not in (site / name).read_bytes(), name


def upload_again(deploy, output: Path) -> str:
    """The upload step once more, over a changed copy of the built output."""
    step = next(s for s in deploy.workflow["jobs"]["build"]["steps"]
                if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    step = {**step, "with": {**step["with"], "path": str(output)}}
    deploy.job = deploy.workflow["jobs"]["build"]
    try:
        deploy.uses(step, deploy.context(False))
    except StepFailed as exc:
        return str(exc)
    return "uploaded"


def test_an_output_root_of_mode_0700_fails(deploy, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(deploy.workspaces["build"] / "output", output)
    assert upload_again(deploy, output) == "uploaded"
    output.chmod(0o700)
    assert upload_again(deploy, output) == ".: mode 0700, not readable by others"


def test_a_symbolic_link_in_the_output_fails(deploy, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(deploy.workspaces["build"] / "output", output)
    (output / "en" / "secret.html").symlink_to("/etc/hostname")
    assert upload_again(deploy, output) == (
        "en/secret.html: a symbolic link in the site (tar --dereference would publish what it "
        "points at)")


# --- the pull-request workflow ----------------------------------------------------------

PR_ARTICLE = """---
title: "Освобождены трое <h1>x</h1>"
date: 2099-01-02
sources:
  - {url: "https://reports.test/a", publisher: "P"}
events:
  - id: 2099-01-01-release-3
    date: 2099-01-01
    kind: release
    status: confirmed
    released: 3
---
Трое освобождены.
"""


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    """A pull request adding one article with a release of 3, on top of HEAD."""
    def propose(workspace: Path) -> None:
        path = workspace / "content/articles/2099/2099-01-02-three-freed.md"
        path.parent.mkdir(parents=True)
        path.write_text(PR_ARTICLE, encoding="utf-8")
        env = {"PATH": os.environ["PATH"], "HOME": str(workspace), "GIT_AUTHOR_NAME": "c",
               "GIT_AUTHOR_EMAIL": "c@c", "GIT_COMMITTER_NAME": "c", "GIT_COMMITTER_EMAIL": "c@c"}
        subprocess.run(["git", "add", "."], cwd=workspace, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", "pr"], cwd=workspace, check=True, env=env)
    base = head()
    runner = Runner(tmp_path_factory.mktemp("pr"), "pr.yml",
                    {"event_name": "pull_request", "ref": "refs/pull/1/merge",
                     "event": {"pull_request": {"number": 1, "base": {"sha": base}}}},
                    after_checkout=propose)
    runner.run()
    return runner


def test_every_pull_request_step_succeeds(pull_request):
    assert [(step, outcome) for _, step, outcome in pull_request.log] == [
        (s["name"], "not run" if s.get("run") in NOT_RUN else "success")
        for s in pull_request.workflow["jobs"]["check"]["steps"]]
    assert [outcome for *_, outcome in pull_request.log].count("not run") == len(NOT_RUN)


def test_the_summary_shows_the_added_release(pull_request):
    from sitegen.diff import site_ledger
    before = site_ledger(ROOT)["totals"]["confirmed"]
    assert before["max"] is not None
    was = (f"{before['min']}–{before['max']}" if before["min"] != before["max"]
           else str(before["min"]))
    now = (f"{before['min'] + 3}–{before['max'] + 3}" if before["min"] != before["max"]
           else str(before["min"] + 3))
    summary = pull_request.summary
    # the runner's LANG=C.UTF-8 names no language: the site's first one, Russian, is said
    assert summary.startswith("## Изменения в подсчёте\n")
    assert f"| Подтверждено | {was} | {now} | +3 |" in summary
    assert "### Добавленные события\n\n- +3 confirmed: `2099-01-01-release-3`\n" in summary
    assert "| 2099 | — | 3 | +3 |" in summary
    html = cmarkgfm.github_flavored_markdown_to_html(summary, options=Options.CMARK_OPT_UNSAFE)
    assert set(re.findall(r"<(\w+)", html)) == {"h2", "h3", "table", "thead", "tbody", "tr",
                                                 "th", "td", "ul", "li", "code"}
