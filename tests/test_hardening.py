"""Hardening: atomic and reproducible builds, abusive files within bounds, hostile content."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.build import build

from .conftest import make_site

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def site_files(folder: Path) -> dict[str, bytes]:
    """tree() without the search index, which a build made with write=False has not: the
    index is there, beside the files compared."""
    files = tree(folder)
    assert "pagefind/pagefind-entry.json" in files
    return {name: data for name, data in files.items() if not name.startswith("pagefind/")}


def run_build(site: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--root", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **env})


@pytest.mark.slow
def test_sigkill_at_any_point_leaves_the_old_or_the_new_site(tmp_path):
    site = write_corpus(tmp_path / "site", 150)
    assert run_build(site).wait() == 0
    first = site / "content/articles/2024/2024-01-01-release-00000.md"
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3):
        before = tree(site / "output")
        first.write_text(first.read_text(encoding="utf-8") + f"\nedit {delay}\n",
                         encoding="utf-8")
        proc = run_build(site)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = tree(site / "output")
        if after != before:   # the kill came after the swap: the new site, whole
            assert site_files(site / "output") == build(site, write=False).files
    leftovers = lambda: sorted(p.name for p in site.iterdir() if p.name.startswith(".output"))  # noqa: E731
    # nothing a killed build started runs on: its workers end, Pagefind is killed with it
    deadline = time.monotonic() + 30
    while running_in(site) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_in(site) == []
    assert run_build(site).wait() == 0
    # the folders the killed builds left were removed by this build; the old output it
    # replaced is removed by a process of its own (output.detach_removals), soon after
    deadline = time.monotonic() + 30
    while leftovers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers() == []
    assert site_files(site / "output") == build(site, write=False).files


def running_in(folder: Path) -> list[str]:
    """The command lines of this machine's processes that name `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in line:
            found.append(line)
    return found


@pytest.mark.slow      # waits 3 s to see the second wait
def test_a_second_build_of_a_site_waits_for_the_first(tmp_path):
    """Two builds of one site at once: the second waits until the first ends (else it would
    remove the first's half-built output as a leftover and save a cache made from both),
    says so, then builds the whole site."""
    import fcntl
    site = write_corpus(tmp_path / "site", 20)
    first = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(first, fcntl.LOCK_EX)          # a first build, running
    second = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--root", str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert second.stderr.readline() == (
            "sitegen: another build of this site is running; waiting for it to end\n")
        with pytest.raises(subprocess.TimeoutExpired):
            second.wait(timeout=3)              # a build of 20 articles takes under a second
        assert sorted(p.name for p in site.iterdir()) == ["content", "pyproject.toml"]
    finally:
        os.close(first)                         # the first build ends
    assert second.wait(timeout=120) == 0
    assert site_files(site / "output") == build(site, write=False).files


def test_a_build_without_the_cache_writes_nothing_but_the_output(tmp_path):
    """`--no-cache` neither reads nor writes .sitegen-cache/ (the build lock included)."""
    site = write_corpus(tmp_path / "site", 20)
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-cache", "--root", str(site)],
                   check=True, capture_output=True)
    assert sorted(p.name for p in site.iterdir()) == ["content", "output", "pyproject.toml"]


@pytest.mark.slow
def test_reproducible_across_environments(tmp_path):
    import shutil
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", theme)
    site = write_corpus(tmp_path / "site", 30, theme)
    outputs = []
    for env in ({"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "1"},
                {"TZ": "Asia/Kolkata", "LC_ALL": "ru_RU.UTF-8", "LANG": "ru_RU.UTF-8",
                 "PYTHONHASHSEED": "4242"},
                {"TZ": "America/Los_Angeles", "PYTHONHASHSEED": "random", "LC_ALL": "C"}):
        assert run_build(site, **env).wait() == 0
        outputs.append(tree(site / "output"))
        # the same content, written again in another order, with other mtimes
        files = sorted((site / "content").rglob("*.md"), reverse=len(outputs) % 2 == 1)
        for path in files:
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    assert outputs[0] == outputs[1] == outputs[2]


def test_empty_feed_time_comes_from_source_date_epoch(tmp_path, monkeypatch):
    site = make_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\nText.\n"})
    assert b"<updated>1970-01-01T00:00:00Z</updated>" in build(site, write=False).files["feed.xml"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert b"<updated>2023-11-14T22:13:20Z</updated>" in build(site, write=False).files["feed.xml"]


ABUSE = {
    "alias-bomb": "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
    "deep-nesting": "---\ntitle: " + "[" * 50000 + "]" * 50000 + "\n---\n",
    "deep-mapping": "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(3000)) + "---\n",
    "huge-number": "---\ntitle: x\nevents:\n  - {id: a, date: 2025, kind: snapshot, held: "
                   + "9" * 5000 + "}\n---\n",
    "many-keys": "---\n" + "".join(f"k{i}: {i}\n" for i in range(40000)) + "---\n",
    "long-line": "---\ntitle: " + "x" * 1_000_000 + "\n---\n",
}


@pytest.mark.parametrize("name", sorted(ABUSE))
def test_abusive_yaml_fails_cleanly_within_bounds(tmp_path, name):
    """Each is refused with diagnostics, under 20 s of CPU and 512 MiB of memory."""
    site = make_site(tmp_path, {f"content/articles/{name}.md": ABUSE[name]})
    limits = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20)); "
              "resource.setrlimit(resource.RLIMIT_CPU, (20, 20)); "
              "import sys; from sitegen.cli import main; sys.exit(main(sys.argv[1:]))")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", limits, "check", "--root", str(site)],
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(re.match(rf"content/articles/{name}\.md:\d+:\d+: (error|warning): ", line)
                         for line in lines), proc.stdout[:2000]


HOSTILE = ROOT / "tests/sites/hostile"
ACTIVE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file):", re.I)


class _Audit(__import__("html.parser").parser.HTMLParser):
    """Everything in a page that could run code or load from elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if _theme_search(tag, dict(attrs)):
            return
        if tag in ("script", "iframe", "object", "embed", "form", "style", "base", "frame",
                   "input", "button", "textarea", "applet", "meta") and not (
                tag == "meta" and dict(attrs).get("http-equiv") in ("Content-Security-Policy",)
                or tag == "meta" and set(dict(attrs)) <= {"charset", "name", "content"}
                # the theme's own script of the timeline's filters, from the site itself
                or tag == "script" and dict(attrs) == {"src": "/repo/static/timeline.js",
                                                       "defer": None}):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data", "poster", "xlink:href") and \
                    ACTIVE_SCHEMES.match(value):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            if tag == "img" and name == "src" and (value.startswith("//") or "://" in value):
                self.found.append(f"<img src={value!r}> from another origin")


def _theme_search(tag: str, attrs: dict) -> bool:
    """The theme's own search box and search page (a GET form to the site's search page, its
    text field and button, the page's same-origin script), exactly as the theme writes them."""
    if tag == "form":
        return (set(attrs) >= {"action", "method"} and attrs["method"] == "get"
                and re.fullmatch(r"/([a-z]+/)*search/", attrs["action"]) is not None
                and attrs.get("role") == "search")
    if tag == "input":
        return attrs.get("type") == "search" and attrs.get("name") == "q"
    if tag == "button":
        return attrs.get("type") == "submit" and set(attrs) == {"type"}
    if tag == "script":
        return attrs.get("type") == "module" and set(attrs) == {"type", "src"} and \
            re.fullmatch(r"/([a-z]+/)*static/search.js", attrs["src"]) is not None
    return False


@pytest.fixture(scope="module")
def hostile_files():
    return build(HOSTILE, write=False).files


def test_hostile_content_is_inert_in_every_page(hostile_files):
    pages = {n: d.decode("utf-8") for n, d in hostile_files.items() if n.endswith(".html")}
    # with the timeline of one kind and one status, newest first, and the search page, per
    # language
    assert len(pages) == 19 + 4 + 2 + 2
    for name, html in pages.items():
        audit = _Audit()
        audit.feed(html)
        assert audit.found == [], name
        assert "49" not in re.sub(r"<[^>]+>", "", html), f"{name}: a template expression ran"


def test_template_syntax_and_html_are_shown_as_text(hostile_files):
    article = hostile_files["articles/hostile/index.html"].decode()
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; {{ 7*7 }} {% raw %}" in article
    assert "Template syntax in the body: {{ 7*7 }} {% raw %} {{ config.items() }} {# comment #}" \
        in article
    assert "&lt;script&gt;alert('inline')&lt;/script&gt;" in article
    event = hostile_files["events/2025-01-01-hostile/index.html"].decode()
    assert "&lt;/dd&gt;&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in event
    assert ('<a href="https://reports.test/?q=&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=&#34;'
            'onmouseover=alert(1)" rel="noopener noreferrer">') in event


def test_every_page_carries_csp_and_referrer_policy(hostile_files):
    for name, data in hostile_files.items():
        if name.endswith(".html"):
            html = data.decode()
            # the search pages alone run Pagefind's WebAssembly (no JavaScript eval)
            wasm = " 'wasm-unsafe-eval'" if name.endswith("search/index.html") else ""
            assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
                    f"img-src 'self' data:; style-src 'self'; script-src 'self'{wasm}; "
                    "object-src 'none'; base-uri 'none'; form-action 'self'\">") in html, name
            assert '<meta name="referrer" content="no-referrer">' in html, name
            for link in re.findall(r"<a [^>]*href=\"https?://[^>]*>", html):
                assert 'rel="noopener noreferrer"' in link, (name, link)


@pytest.mark.parametrize("value", ["Lukashenka\u202eakhsakuL", "Zero\u200bwidth", "\u2066iso\u2069"])
def test_invisible_characters_in_front_matter_are_errors(tmp_path, capsys, value):
    from sitegen.cli import main
    article = ("---\ntitle: T\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', "
               f"publisher: P}}]\nevents:\n  - {{id: e, date: 2025, kind: statement, "
               f"names: [\"{value}\"]}}\n---\nBody.\n")
    site = make_site(tmp_path, {"content/articles/a.md": article})
    assert main(["check", "--root", str(site)]) == 1
    char = next(c for c in value if ord(c) > 0x2000)
    out = capsys.readouterr().out
    assert out.startswith(f"content/articles/a.md:6:50: error: events[1].names[1]: contains the "
                          f"invisible character U+{ord(char):04X} (")
    assert char not in out


@pytest.mark.slow
def test_hostile_site_in_chromium_runs_nothing_and_loads_nothing(browser, hostile_files,
                                                                 tmp_path):
    from .browser import Watch, serve
    for name, data in hostile_files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    pages = sorted(n for n in hostile_files if n.endswith(".html"))
    with serve(tmp_path, "/repo/") as url:
        context = browser.new_context()
        watch = Watch(context, url[:-len("/repo/")])
        page = watch.attach(context.new_page())
        for name in pages:
            page.goto(url + name.removesuffix("index.html"))
            # the first 40 links of the page's main, as the browser parsed them (one call)
            hrefs = page.eval_on_selector_all(
                "main a", "links => links.slice(0, 40).map(a => a.getAttribute('href'))")
            for href in hrefs:
                assert not ACTIVE_SCHEMES.match(href or ""), (name, href)
        context.close()
    assert [e for e in watch.errors if "status of 404" not in e] == []
    assert watch.foreign == []


@pytest.mark.parametrize("event_id", ["２０２５-ａ", "a．b", "a／b", "..", "a/b", "a\\\\b", "a.b",
                                      "ａ－ｂ", "Ⅻ"])
def test_ids_that_nfkc_or_not_would_name_a_path_are_refused(tmp_path, capsys, event_id):
    """Only [a-z0-9-] reaches an output path: fullwidth and compatibility forms (which NFKC
    turns into '/', '.', digits) are refused as written, never normalised into a path."""
    from sitegen.cli import main
    article = ("---\ntitle: T\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', "
               f"publisher: P}}]\nevents:\n  - {{id: \"{event_id}\", date: 2025, kind: statement}}"
               "\n---\nBody.\n")
    site = make_site(tmp_path, {"content/articles/a.md": article})
    assert main(["check", "--root", str(site)]) == 1
    assert "error: events[1].id: expected an id of lower-case letters, digits and hyphens" \
        in capsys.readouterr().out
    assert main(["build", "--root", str(site)]) == 1
    assert not (site / "output").exists()


def test_output_paths_are_checked_inside_output(tmp_path):
    """A path that climbs out is refused before anything is written; a symbolic link left
    in the old output/ is never followed (the build writes into a fresh folder)."""
    from sitegen.output import MARKER, OutputError, Staging

    def write_output(files, out_dir):
        staging = Staging(out_dir)
        try:
            for name in sorted(files):
                staging.put(name, files[name])
            staging.commit()
        except BaseException:
            staging.abort()
            raise
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / MARKER).write_bytes(b"")       # an output a build made
    (tmp_path / "output" / "link").symlink_to(tmp_path / "elsewhere")
    for name in ("../elsewhere/x.html", "events/../../x.html", "/tmp/x.html"):
        with pytest.raises(OutputError):
            write_output({"index.html": b"ok", name: b"x"}, tmp_path / "output")
        assert (tmp_path / "output" / "link").is_symlink()   # the old output, untouched
    write_output({"link/x.html": b"x"}, tmp_path / "output")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert not (tmp_path / "output" / "link").is_symlink()
    assert (tmp_path / "output" / "link" / "x.html").read_bytes() == b"x"
