"""`sitegen serve`: a live preview on livereload, rebuilt and reloaded on every save.

A watchfiles thread rebuilds (with a Cache, so only what changed is parsed and rendered)
and pushes a reload through livereload's websocket at once: no polling, no 3-second
quiet period. Files are served from a folder of the server's own, never output/, and only
to requests for localhost (DNS rebinding); the reload script and the problem list are put
into the HTML as it is sent, never written to disk.
"""
from __future__ import annotations

import mimetypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import unquote_to_bytes

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from markupsafe import escape
from tornado import web
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.httpserver import HTTPServer

from .build import build
from .cache.memo import Cache
from .content.config import PYPROJECT, load_config
from .content.diagnostics import ContentError, Diagnostic, format_diagnostics, summary
from .output import as_mkdir_would
from .search import SearchError, index_site

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
OVERLAY_CSS = b"""#sitegen_problems{position:sticky;top:0;z-index:9999;margin:0;padding:1rem;
background:#fff3f3;color:#5c0000;border-bottom:3px solid #b00020;font:14px/1.4 monospace}
#sitegen_problems pre{white-space:pre-wrap;margin:.5rem 0 0}"""


class Preview:
    """The site built into a folder of its own; the last good build stays until a new one."""

    def __init__(self, root: Path, base_url: str, drafts: bool):
        self.root, self.base_url, self.drafts = root, base_url, drafts
        self.folder = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        as_mkdir_would(self.folder)
        self.cache = Cache()
        self.files: dict[str, bytes] = {}
        self.problems: tuple[Diagnostic, ...] = ()
        self.built_once = False
        self.lock = threading.Lock()
        self.bundle: dict[str, bytes] = {}      # the search index, as last made
        self.asked = 0                          # rebuilds that asked for a new index
        self.indexing = False

    def rebuild(self) -> str:
        """Build; write what changed; return a one-line report for the console."""
        started = time.perf_counter()
        try:
            # processes only for the first build, made before the watcher thread starts:
            # forking a process that runs threads is unsafe
            result = build(self.root, base_url=self.base_url, drafts=self.drafts, write=False,
                           cache=self.cache, workers=None if not self.cache.parsed.data else 1)
        except ContentError as exc:
            self.problems = exc.diagnostics
            return (format_diagnostics(exc.diagnostics, "text") +
                    f"sitegen: {summary(exc.diagnostics)}; showing the last good build")
        with self.lock:
            changed = self._write(result.files)
            if not result.config.search:
                self.bundle = {}
            files = {**result.files, **self.bundle}
            self._remove_others(files)
            self.files, self.problems, self.built_once = files, (), True
            if result.config.search:
                self._index_soon()
        took = (time.perf_counter() - started) * 1000
        warnings = format_diagnostics(result.diagnostics, "text")
        return (warnings + f"sitegen: rebuilt in {took:.0f} ms: {self.cache.rendered} pages "
                f"rendered, {self.cache.reused} unchanged, {changed} files written")

    def _index_soon(self) -> None:
        """Make the search index again in a thread of its own (the lock held): Pagefind
        indexes every page again, seconds on a large site, and the reload does not wait for
        it; the search page uses the new index from its next load."""
        self.asked += 1
        if not self.indexing:
            self.indexing = True
            threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        done = 0
        while True:
            with self.lock:
                if done == self.asked:
                    self.indexing = False
                    return
                done = self.asked
            started = time.perf_counter()
            try:
                bundle, notes = index_site(self.folder)
            except SearchError as exc:      # the pages are served; the search page says so
                bundle, notes = {}, [Diagnostic(PYPROJECT, 1, 1, "warning", str(exc))]
            with self.lock:
                changed = self._write(bundle)
                old, self.bundle = self.bundle, bundle
                for name in set(old) - set(bundle):
                    self.files.pop(name, None)
                    (self.folder / name).unlink(missing_ok=True)
                self.files.update(bundle)
            took = (time.perf_counter() - started) * 1000
            print(format_diagnostics(notes, "text") + f"sitegen: search index made in "
                  f"{took:.0f} ms, {changed} files written", file=sys.stderr, flush=True)

    def _write(self, files: dict[str, bytes]) -> int:
        changed = 0
        for name, data in files.items():
            if self.files.get(name) != data:
                path = self.folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
                changed += 1
        return changed

    def _remove_others(self, files: dict[str, bytes]) -> None:
        for name in set(self.files) - set(files):
            (self.folder / name).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class HostCheck:
    """Refuse requests whose Host is not this machine (DNS rebinding)."""

    allowed: tuple[str, ...] = LOCAL_HOSTS

    def prepare(self):
        if self.request.host_name.lower() not in self.allowed:
            raise web.HTTPError(403, reason="Host not allowed")


class ReloadSocket(HostCheck, LiveReloadHandler):
    port: int = 0       # the server's own, set with `allowed`

    def check_origin(self, origin: str) -> bool:
        """Only the preview's own pages: this host and this port. Any page on localhost
        at another port (another dev server, a tool's UI) is another origin."""
        from urllib.parse import urlsplit
        parts = urlsplit(origin)
        try:
            port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        except ValueError:
            return False
        return (parts.scheme == "http" and port == self.port
                and (parts.hostname or "") in {h.strip("[]") for h in self.allowed})


class ReloadScript(HostCheck, LiveReloadJSHandler):
    pass


class OverlayStyle(HostCheck, web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.write(OVERLAY_CSS)


class ToSite(HostCheck, web.RequestHandler):
    def initialize(self, base_path: str):
        self.base_path = base_path

    def get(self):
        self.redirect(self.base_path)


class SiteFiles(HostCheck, web.RequestHandler):
    """Files of the preview folder under the base path; nothing else, no listings."""

    def initialize(self, preview: Preview, base_path: str, port: int):
        self.preview, self.base_path, self.port = preview, base_path, port

    def head(self):
        self.get(include_body=False)

    def get(self, include_body: bool = True):
        raw = self.request.path
        if not raw.startswith(self.base_path):
            return self._not_found(include_body)
        parts = safe_parts(raw[len(self.base_path):])
        if parts is None:
            return self._not_found(include_body)
        path = resolve_inside(self.preview.folder, parts)
        if path is not None and path.is_dir():
            if not raw.endswith("/"):
                return self.redirect(raw + "/")
            path = resolve_inside(self.preview.folder, parts + ["index.html"])
        if path is None or not path.is_file():
            return self._not_found(include_body)
        self._send(200, path.read_bytes(), path.name, include_body)

    def _not_found(self, include_body: bool):
        page = resolve_inside(self.preview.folder, ["404.html"])
        body = page.read_bytes() if page and page.is_file() else b"<!DOCTYPE html><html><head>" \
            b"<title>Not found</title></head><body><p>Not found</p></body></html>"
        self._send(404, body, "404.html", include_body)

    def _send(self, status: int, body: bytes, name: str, include_body: bool):
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = inject(body, self.port, self.preview.problems, self.preview.built_once)
        if kind.startswith("text/") or kind in ("application/json", "application/xml",
                                               "image/svg+xml"):
            kind += "; charset=utf-8"
        if not self.preview.built_once:
            status = 503
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        if include_body:
            self.write(body)


def safe_parts(raw: str) -> list[str] | None:
    """URL path segments, or None for anything that could leave the folder or hide in it:
    encoded or raw '..', backslashes, '//', NUL, invalid (e.g. overlong) UTF-8, dotfiles."""
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\0" in decoded or "//" in decoded:
        return None
    parts = decoded.split("/")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if any(p == "" or p.startswith(".") for p in parts):
        return None
    return parts


def resolve_inside(folder: Path, parts: list[str]) -> Path | None:
    """folder/parts if no step is a symbolic link and the result stays inside the folder."""
    path = folder
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    real = path.resolve()
    return real if real.is_relative_to(folder.resolve()) else None


def inject(html: bytes, port: int, problems: tuple[Diagnostic, ...], built: bool) -> bytes:
    """The reload script before </head>; the problems, if any, at the top of <body>."""
    script = f'<script src="/livereload.js?port={port}"></script>'
    extra = script
    if problems:
        extra += '<link rel="stylesheet" href="/_sitegen/problems.css">'
    html = html.replace(b"</head>", extra.encode() + b"</head>", 1)
    if problems:
        lines = format_diagnostics(problems, "text")
        note = ("The page shows the last good build." if built
                else "There is no good build yet.")
        box = (f'<div id="sitegen_problems" role="alert"><strong>sitegen: {summary(problems)}'
               f'</strong> — {note} Fix the file and save: the page reloads by itself.'
               f"<pre>{escape(lines)}</pre></div>")
        at = html.find(b">", html.find(b"<body")) + 1 if b"<body" in html else 0
        html = html[:at] + box.encode() + html[at:]
    return html


class PushWatcher(Watcher):
    """livereload's Watcher, driven by watchfiles instead of polling."""

    def __init__(self, preview: Preview, paths: list[Path]):
        super().__init__()
        self.preview, self.paths = preview, paths
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self._tasks = {str(p): None for p in paths}

    def start(self, callback) -> bool:
        loop = IOLoop.current()
        threading.Thread(target=self._run, args=(loop,), daemon=True).start()
        self.ready.wait(timeout=10)
        print(f"Serving the site at {self.preview.base_url}  (Ctrl-C to stop)", flush=True)
        return True   # livereload then starts no polling

    def _run(self, loop: IOLoop) -> None:
        existing = [str(p) for p in self.paths if p.exists()]
        for changes in watchfiles.watch(*existing, stop_event=self.stop_event, step=20,
                                        debounce=400, raise_interrupt=False,
                                        yield_on_timeout=True, rust_timeout=200):
            if not self.ready.is_set():
                self.ready.set()   # watching: a save from now on is seen
            if not any(_relevant(path) for _, path in changes):
                continue
            try:
                report = self.preview.rebuild()
            except Exception:   # a bug in sitegen: say so, keep watching
                report = "sitegen: internal error while rebuilding:\n" + traceback.format_exc()
            print(report, file=sys.stderr, flush=True)
            loop.add_callback(LiveReloadHandler.reload_waiters, "*")


def _relevant(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))


class PreviewServer(Server):
    """livereload's Server with our handlers: base path, safe files, host checks."""

    def __init__(self, root: Path, host: str, port: int, drafts: bool):
        self.site_root, self.host, self.requested_port, self.drafts = root, host, port, drafts
        super().__init__()

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        config = load_config(self.site_root)
        sockets = bind_sockets(port, address=host)
        self.port = sockets[0].getsockname()[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        shown = f"[{shown}]" if ":" in shown else shown
        self.url = f"http://{shown}:{self.port}{config.base_path}"
        self.preview = Preview(self.site_root, self.url, self.drafts)
        allowed = tuple({*LOCAL_HOSTS, host.strip("[]"), host})
        checked = lambda cls: type(cls.__name__, (cls,),  # noqa: E731
                                   {"allowed": allowed, "port": self.port})
        self.watcher = PushWatcher(self.preview, [config.content_dir, config.templates_dir,
                                                  self.site_root / PYPROJECT])
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = False
        handlers = [(r"/livereload", checked(ReloadSocket)),
                    (r"/livereload.js", checked(ReloadScript)),
                    (r"/_sitegen/problems.css", checked(OverlayStyle))]
        if config.base_path != "/":
            handlers.append((r"/", checked(ToSite), {"base_path": config.base_path}))
        handlers.append((r"/.*", checked(SiteFiles),
                         {"preview": self.preview, "base_path": config.base_path,
                          "port": self.port}))
        HTTPServer(web.Application(handlers)).add_sockets(sockets)
        print(f"sitegen: building into {self.preview.folder} (never into output/)",
              file=sys.stderr, flush=True)
        print(self.preview.rebuild(), file=sys.stderr, flush=True)

    def _setup_logging(self):
        pass   # sitegen prints its own lines


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False) -> None:
    server = PreviewServer(root, host, port, drafts)
    # SIGTERM and SIGHUP stop the loop as Ctrl-C does, so that the preview's folder is
    # removed. Through asyncio: it wakes the loop by its own pipe, whichever thread the
    # signal reaches (a plain handler runs only when the main thread next runs Python, and
    # the main thread may sleep in epoll while the watcher thread takes the signal).
    loop = IOLoop.current()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)
    try:
        server.serve(port=port, host=host)
    finally:
        watcher = getattr(server, "watcher", None)
        if isinstance(watcher, PushWatcher):
            watcher.stop_event.set()
        if getattr(server, "preview", None):
            server.preview.close()
