"""`sitegen serve`: a real server process, raw HTTP for safety, Chromium for live reload."""
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browser import Watch
from .conftest import copy_sample

ARTICLE = "content/articles/2025/2025-09-12-foreigners.md"


class Served:
    def __init__(self, site: Path, *args: str):
        # in English, as every test's own environment is (conftest); a server shared by a
        # module is started before that environment is set
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--root", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
            env={**os.environ, "LANGUAGE": os.environ.get("LANGUAGE", "en")})
        line = self.proc.stdout.readline()
        match = re.match(r"Serving the site at (\S+)", line)
        assert match, line + self.proc.stderr.read()
        self.url = match[1]
        parts = urlsplit(self.url)
        self.host, self.port, self.base = parts.hostname, parts.port, parts.path

    def folder(self) -> Path:
        while True:
            line = self.proc.stderr.readline()
            if "building into" in line:
                return Path(line.split("building into ")[1].split(" (")[0])

    def raw(self, path: str, host: str | None = None, method: str = "GET"):
        """A request with the path sent exactly as given."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or f"127.0.0.1:{self.port}")
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, response.getheader("Location"), body

    def stop(self):
        """Ctrl-C, and what the server said: its pipes read while it stops (a server that
        writes to a full pipe would wait for ever), and on no exit in 30 s what it said so
        far, in the failure."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            pytest.fail(f"the server did not stop in 30 s after Ctrl-C; it said:\n{err[-3000:]}")
        return self.proc.returncode, err


def sample_under_a_path(dest: Path) -> Path:
    site = copy_sample(dest)
    config = site / "pyproject.toml"
    config.write_text(config.read_text().replace('base_url = "https://example.org/"',
                                                 'base_url = "https://example.org/releases/"'))
    return site


@pytest.fixture
def site(tmp_path):
    return sample_under_a_path(tmp_path / "site")


@pytest.fixture
def served(site):
    server = Served(site)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served_once(tmp_path_factory):
    """One server for the tests that only send requests (nothing edited, nothing stopped):
    one per test would build the site once for each of their dozens of parameters."""
    server = Served(sample_under_a_path(tmp_path_factory.mktemp("served") / "site"))
    yield server
    server.stop()


def test_serves_under_the_base_path(served_once):
    served = served_once
    assert served.url == f"http://127.0.0.1:{served.port}/releases/"
    assert served.raw("/")[:2] == (302, "/releases/")
    status, _, body = served.raw("/releases/en/ledger/")
    assert status == 200
    assert body.count(b'<script src="/livereload.js?port=') == 1
    assert served.raw("/releases/en/ledger")[:2] == (302, "/releases/en/ledger/")
    assert served.raw("/releases/data/ledger.json")[0] == 200
    assert served.raw("/en/ledger/")[0] == 404


def test_reload_script_is_never_written_to_disk(served_once):
    served = served_once
    folder = served.folder()
    html = [p for p in folder.rglob("*.html")]
    assert len(html) == 67 + 18 + 2 + 2    # the timeline per kind, status and mechanism, and
    # newest first; search
    assert not any(b"livereload" in p.read_bytes() for p in html)
    assert not (served.raw("/releases/")[0] != 200)


@pytest.mark.parametrize("path", [
    "/releases/../pyproject.toml", "/releases/../../../../etc/passwd",
    "/releases/%2e%2e/pyproject.toml", "/releases/%2E%2E/%2e%2e/etc/passwd",
    "/releases/..%2fpyproject.toml", "/releases/..%2F..%2Fetc%2Fpasswd",
    "/releases/%5c..%5cpyproject.toml", "/releases/..\\pyproject.toml",
    "/releases//etc/passwd", "/releases/en//ledger/", "//etc/passwd",
    "/releases/%00", "/releases/index.html%00.txt",
    "/releases/%c0%ae%c0%ae/pyproject.toml", "/releases/%e0%80%ae%e0%80%ae/x",
    "/releases/.nojekyll", "/releases/static/.hidden", "/releases/static/",
])
def test_traversal_and_hidden_files_are_refused(served_once, path):
    status, _, body = served_once.raw(path)
    assert status in (403, 404), path
    assert b"root:" not in body and b"[tool.sitegen]" not in body


def test_symbolic_link_in_the_build_folder_is_not_followed(served, tmp_path):
    folder = served.folder()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (folder / "link.txt").symlink_to(secret)
    (folder / "linkdir").symlink_to(tmp_path)
    assert served.raw("/releases/link.txt")[0] == 404
    assert served.raw("/releases/linkdir/secret.txt")[0] == 404


@pytest.mark.parametrize("host,status", [
    ("evil.example", 403), ("evil.example:80", 403), ("127.0.0.1.nip.io", 403),
    ("localhost", 200), ("127.0.0.1", 200), ("[::1]", 200)])
def test_host_check(served_once, host, status):
    assert served_once.raw("/releases/", host=f"{host}")[0] == status
    assert served_once.raw("/livereload.js?port=1", host=host)[0] == status


def test_ctrl_c_stops_cleanly(site):
    server = Served(site)
    time.sleep(0.3)
    code, err = server.stop()
    assert code == 0
    assert "Traceback" not in err


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_every_save_reaches_the_browser(browser, site, served):
    context = browser.new_context()
    watch = Watch(context, f"http://127.0.0.1:{served.port}")
    page = watch.attach(context.new_page())
    page.goto(served.url + "en/articles/2025-09-12-foreigners/")
    page.wait_for_function("window.LiveReload && LiveReload.connector && "
                           "LiveReload.connector._connectionDesired")
    main = page.locator("main")
    article = site / ARTICLE

    edit(article, "Six Lithuanians", "First edit: six Lithuanians")
    main.get_by_text("First edit: six Lithuanians").wait_for(timeout=2000)
    time.sleep(1.0)
    edit(article, "First edit", "Second edit")
    main.get_by_text("Second edit: six Lithuanians").wait_for(timeout=2000)

    edit(article, "title: Who the fourteen", "title Who the fourteen")
    problems = page.locator("#sitegen_problems")
    problems.wait_for(timeout=2000)
    assert (f"{ARTICLE}:2:1: error: invalid YAML: line 2 has no ':' after its key "
            "(write 'key: value')") in problems.inner_text()
    assert "Second edit: six Lithuanians" in main.inner_text()   # the last good build

    edit(article, "title Who the fourteen", "title: Who the fourteen")
    problems.wait_for(state="detached", timeout=2000)
    assert page.locator("h1").inner_text() == "Who the fourteen foreigners were"
    context.close()
    assert watch.errors == [] and watch.foreign == []


def wait_for(served, path: str, needle: bytes, present: bool = True, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = served.raw(path)[2]
        if (needle in body) == present:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} {'never appeared' if present else 'stayed'} in {path}")


def test_template_error_is_shown_then_recovers(site, served):
    served.folder()
    page = site / "templates" / "page.html"
    good = page.read_text()
    lines = good.splitlines()
    lines[3] = "{% if %}"
    page.write_text("\n".join(lines) + "\n")
    body = wait_for(served, "/releases/en/about/", b"sitegen_problems")
    assert (b'data-copy="templates/page.html:4"') in body
    assert (b">templates/page.html:4:1</button>: error: template syntax: Expected an "
            b"expression, got &#39;end of statement block&#39;") in body
    assert b"This site counts releases" in body            # the last good build
    page.write_text(good)
    wait_for(served, "/releases/en/about/", b"sitegen_problems", present=False)


def test_first_build_failing_still_serves_the_problems(site):
    article = site / ARTICLE
    article.write_text(article.read_text().replace("date: 2025-09-12", "date: 2025-09-31"))
    server = Served(site)
    try:
        status, _, body = server.raw("/releases/")
        assert status == 503
        assert (f"{ARTICLE}:3:7</button>: error: date: &#39;2025-09-31&#39; is not a date in "
                "the calendar").encode() in body
        assert b"There is no good build yet." in body
        article.write_text(article.read_text().replace("date: 2025-09-31", "date: 2025-09-12"))
        wait_for(server, "/releases/", b"sitegen_problems", present=False)
        assert server.raw("/releases/")[0] == 200
    finally:
        server.stop()


@pytest.mark.parametrize("origin,status", [
    ("http://evil.example", 403), ("http://127.0.0.1.evil.example", 403), (None, 101),
    ("http://127.0.0.1:{port}", 101), ("http://localhost:{port}", 101)])
def test_reload_socket_checks_the_origin(served_once, origin, status):
    """Another web site open in the browser cannot listen on the reload socket."""
    conn = http.client.HTTPConnection(served_once.host, served_once.port, timeout=5)
    conn.putrequest("GET", "/livereload", skip_host=True, skip_accept_encoding=True)
    headers = {"Host": f"127.0.0.1:{served_once.port}", "Upgrade": "websocket",
               "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
               "Sec-WebSocket-Version": "13"}
    if origin:
        headers["Origin"] = origin.format(port=served_once.port)
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    conn.close()
    assert response.status == status
