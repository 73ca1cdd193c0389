"""Real Chromium (Debian's package) through Playwright, and a local server for a built site.

A test that needs the browser skips with a reason when it is absent, unless
SITEGEN_REQUIRE_BROWSER=1 (as in CI), where the absence is a failure.
"""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(os.environ.get("SITEGEN_ARTIFACTS",
                                Path(__file__).parent.parent / "test-artifacts"))


def require_browser():
    """The Playwright module, or a skip (a failure when SITEGEN_REQUIRE_BROWSER=1)."""
    reason = None
    try:
        import playwright.sync_api as api
    except ImportError:
        api, reason = None, "playwright is not installed (pip install -e '.[test]')"
    if reason is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if os.environ.get("SITEGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser required (SITEGEN_REQUIRE_BROWSER=1): {reason}")
        pytest.skip(reason)
    return api


class _Handler(SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix` (e.g. /repo/) and nothing else, like GitHub Pages."""

    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return "/nonexistent-" + os.urandom(4).hex()
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.prefix != "/":
            not_found = Path(self.directory) / "404.html"
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path, prefix: str = "/"):
    """A static server on 127.0.0.1; yields its base URL (with the prefix)."""
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """Console errors, page errors and requests to other origins of one browser context."""

    def __init__(self, context, origin: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.origin = origin

        def route(r):
            if r.request.url.startswith(origin) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort()
        context.route("**/*", route)

    def attach(self, page):
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        return page
