"""`sitegen serve`: a live preview on livereload, rebuilt and reloaded on every save.

A watchfiles thread rebuilds (with a Cache, so only what changed is parsed and rendered)
and pushes a reload through livereload's websocket at once: no polling, no 3-second
quiet period. Files are served from a folder of the server's own, never output/, and only
to requests for localhost (DNS rebinding); the reload script and the problem list are put
into the HTML as it is sent, never written to disk.
"""
from __future__ import annotations

import errno
import mimetypes
import os
import re
import shutil
import signal
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
from .cache.cache import Cache
from .content.config import PYPROJECT, load_config
from .content.diagnostics import ContentError, Diagnostic, format_diagnostics, summary
from .content.messages import Catalogue, msg
from .output import Mirror, as_mkdir_would
from .search import SearchError, index_site

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
# The box scrolls away with the page and takes at most a third of the screen's height
# (a third of a phone's); folded, it is one line.
OVERLAY_CSS = b"""#sitegen_problems{max-height:33vh;overflow:auto;box-sizing:border-box;margin:0;
padding:.5rem .75rem;background:#fff3f3;color:#5c0000;border-bottom:3px solid #b00020;
font:14px/1.4 system-ui,sans-serif}
#sitegen_problems summary{cursor:pointer}
#sitegen_problems p{margin:.25rem 0 0}
#sitegen_problems ul{margin:.25rem 0 0;padding:0;list-style:none}
#sitegen_problems li{margin:.25rem 0;overflow-wrap:anywhere;font-family:monospace}
#sitegen_problems button{font:inherit;color:#00259c;background:none;border:0;padding:0;
text-decoration:underline;cursor:pointer}"""
# A click on a problem's place copies PATH:LINE, to paste into an editor's "go to file".
OVERLAY_JS = b"""document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("#sitegen_problems button[data-copy]");
  if (!b || !navigator.clipboard) return;
  navigator.clipboard.writeText(b.dataset.copy).then(function () {
    b.dataset.shown = b.textContent; b.textContent = b.dataset.copied;
    setTimeout(function () { b.textContent = b.dataset.shown; }, 1200);
  });
});"""
INDEX_QUIET = 1.0     # seconds without a build before the search index is made again
INDEX_NICE = 10
PORTS_TRIED = 20      # a busy port: the next ones, as Hugo and Zola do


class Preview:
    """The site built into a folder of its own; the last good build stays until a new one."""

    def __init__(self, root: Path, base_url: str, drafts: bool, say: Catalogue | None = None):
        self.root, self.base_url, self.drafts = root, base_url, drafts
        self.folder = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        as_mkdir_would(self.folder)
        self.cache = Cache()
        self.mirror = Mirror(self.folder)
        self.problems: tuple[Diagnostic, ...] = ()
        self.built_once = False
        self.lock = threading.Lock()
        self.say = say or Catalogue("en")
        self.page_says: dict[str, Catalogue] = {}
        self.tell = lambda text, main: None    # set by the server: where reports go
        self.asked = 0                          # rebuilds that asked for a new index
        self.indexing = False
        self.last_build = 0.0                   # time.monotonic() when a build ended
        self.watching = False                   # the watcher sees every change from now on
        # the cache's list of content files was made while the watcher watched: a build
        # may start from it and the files the watcher names
        self.trusted = False

    def rebuild(self, changed: list[str] | None = None, quiet: bool = False) -> str:
        """Build; write what changed; return a one-line report for the console (nothing
        when `quiet` and nothing changed). `changed`: the content files the watcher saw
        modified, when that is all it saw (None: any other change)."""
        started = time.perf_counter()
        full = changed is None or not self.trusted
        watching, scan = self.watching, self.cache.scan
        try:
            # processes only for the first build, made before the watcher thread starts:
            # forking a process that runs threads is unsafe
            result = build(self.root, base_url=self.base_url, drafts=self.drafts,
                           cache=self.cache, out=self.mirror,
                           workers=None if not self.built_once else 1,
                           changed=None if full else changed)
        except ContentError as exc:
            same, self.problems = exc.diagnostics == self.problems, exc.diagnostics
            if quiet and same:
                return ""
            return (format_diagnostics(exc.diagnostics, "text", self.say) + self.say.render(
                msg("C-LAST-GOOD-BUILD", summary=summary(exc.diagnostics))))
        finally:
            if full and watching and self.cache.scan is not scan:
                self.trusted = True     # the files were listed while the watcher watched
        with self.lock:
            same = not self.problems and not result.rendered and not self.mirror.changed
            self.problems, self.built_once = (), True
            self.last_build = time.monotonic()
        if quiet and same:
            return ""
        if result.config.search:
            self._index_soon()
        else:
            self.mirror.aside({})
        took = (time.perf_counter() - started) * 1000
        warnings = format_diagnostics(result.diagnostics, "text", self.say)
        return warnings + self.say.render(msg(
            "C-REBUILT", ms=f"{took:.0f}", rendered=result.rendered,
            reused=result.unchanged, written=self.mirror.changed))

    def page_say(self, html: bytes) -> Catalogue:
        """The messages in the page's own language (its <html lang>)."""
        found = re.search(rb'<html[^>]*\slang="([A-Za-z-]{2,12})"', html[:2048])
        lang = found[1].decode().split("-")[0] if found else self.say.lang
        if lang not in self.page_says:
            self.page_says[lang] = Catalogue(lang, self.root)
        return self.page_says[lang]

    def _index_soon(self) -> None:
        """Make the search index again in a thread of its own: Pagefind indexes every page
        again, seconds on a large site, and the reload does not wait for it; the search page
        uses the new index from its next load."""
        with self.lock:
            self.asked += 1
            if self.indexing:
                return
            self.indexing = True
        threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        done = 0
        while True:
            # while the user is still saving, the builds they wait for go first: the index
            # is made once the site has been quiet for a moment, at a lower priority
            while (wait := self.last_build + INDEX_QUIET - time.monotonic()) > 0:
                time.sleep(wait)
            with self.lock:
                if done == self.asked:
                    self.indexing = False
                    return
                done = self.asked
            started = time.perf_counter()
            # Pagefind's scratch in the preview's folder (never served: a dotfile), removed
            # with it when serve stops, even in the middle of an index
            scratch = self.folder / ".search"
            try:
                scratch.mkdir(exist_ok=True)
            except OSError:     # the folder is gone: serve is stopping
                with self.lock:
                    self.indexing = False
                return
            try:
                bundle, notes = index_site(self.folder, nice=INDEX_NICE, scratch=scratch)
            except SearchError as exc:      # the pages are served; the search page says so
                bundle, notes = {}, [Diagnostic(PYPROJECT, 1, 1, "warning", exc.detail)]
            changed = self.mirror.aside(bundle)
            took = (time.perf_counter() - started) * 1000
            self.tell(format_diagnostics(notes, "text", self.say) + self.say.render(msg(
                "C-SEARCH-INDEXED", ms=f"{took:.0f}", written=changed)), False)

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


class OverlayScript(HostCheck, web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.write(OVERLAY_JS)


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
            body = inject(body, self.port, self.preview.problems, self.preview.built_once,
                          self.preview.page_say(body))
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


def inject(html: bytes, port: int, problems: tuple[Diagnostic, ...], built: bool,
           say: Catalogue | None = None) -> bytes:
    """The reload script before </head>; the problems, if any, at the top of <body>, in
    `say`'s language (the page's): a box that folds, each problem's place a button that
    copies PATH:LINE."""
    say = say or Catalogue("en")
    script = f'<script src="/livereload.js?port={port}"></script>'
    extra = script
    if problems:
        extra += ('<link rel="stylesheet" href="/_sitegen/problems.css">'
                  '<script src="/_sitegen/problems.js" defer></script>')
    html = html.replace(b"</head>", extra.encode() + b"</head>", 1)
    if problems:
        copied = escape(say.render(msg("P-COPIED")))
        items = "".join(
            f'<li><button type="button" data-copy="{escape(f"{d.path}:{d.line}")}" '
            f'data-copied="{copied}" title="{escape(say.render(msg("P-COPY")))}">'
            f"{escape(d.text(say).split(': ', 1)[0])}</button>: "
            f"{escape(d.text(say).split(': ', 1)[1])}</li>" for d in sorted(problems))
        note = say.render(msg("P-LAST-GOOD" if built else "P-NO-GOOD-BUILD"))
        box = (f'<details id="sitegen_problems" role="alert" open><summary><strong>sitegen: '
               f'{escape(say.render(summary(problems)))}</strong></summary>'
               f"<p>{escape(note)}</p><ul>{items}</ul></details>")
        at = html.find(b">", html.find(b"<body")) + 1 if b"<body" in html else 0
        html = html[:at] + box.encode() + html[at:]
    return html


class PushWatcher(Watcher):
    """livereload's Watcher, driven by watchfiles instead of polling."""

    def __init__(self, preview: Preview, paths: list[Path], tell, content_dir: Path):
        super().__init__()
        self.preview, self.paths, self.tell, self.content = preview, paths, tell, content_dir
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self._tasks = {str(p): None for p in paths}

    def start(self, callback) -> bool:
        loop = IOLoop.current()
        threading.Thread(target=self._run, args=(loop,), daemon=True).start()
        self.ready.wait(timeout=10)
        self.tell(self.preview.say.render(msg("C-SERVING", url=self.preview.base_url)), True)
        return True   # livereload then starts no polling

    def _run(self, loop: IOLoop) -> None:
        existing = [str(p) for p in self.paths if p.exists()]
        for changes in watchfiles.watch(*existing, stop_event=self.stop_event, step=20,
                                        debounce=400, raise_interrupt=False,
                                        yield_on_timeout=True, rust_timeout=200):
            if not self.ready.is_set():
                # watching: a save from now on is seen. What was saved while the first
                # build ran is caught by one more build, which lists the files anew
                self.preview.watching = True
                self._build(None, quiet=True)
                self.ready.set()
                loop.add_callback(LiveReloadHandler.reload_waiters, "*")
            relevant = [(change, path) for change, path in changes if _relevant(path)]
            if relevant:
                self._build(edited_files(relevant, self.content))
                loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def _build(self, changed: list[str] | None, quiet: bool = False) -> None:
        try:
            report = self.preview.rebuild(changed, quiet)
        except Exception:   # a bug in sitegen: say so, keep watching
            report = self.preview.say.render(msg("C-INTERNAL-ERROR")) + "\n" \
                + traceback.format_exc()
        if report:
            self.tell(report, False)


def edited_files(changes, content_dir: Path) -> list[str] | None:
    """The content files these changes modified, when that is all they did; None when a
    file was added, removed or renamed, or something else changed (a template, the
    configuration): then a build lists and looks at every file."""
    inside = os.path.join(os.path.abspath(content_dir), "")
    edited = []
    for change, path in changes:
        if (change != watchfiles.Change.modified or not path.endswith(".md")
                or not os.path.abspath(path).startswith(inside)):
            return None
        edited.append(path)
    return edited


def _relevant(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))


class PreviewServer(Server):
    """livereload's Server with our handlers: base path, safe files, host checks."""

    def __init__(self, root: Path, host: str, port: int, drafts: bool, tell, say: Catalogue):
        self.site_root, self.host, self.requested_port, self.drafts = root, host, port, drafts
        self.tell, self.say = tell, say
        super().__init__()

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        config = load_config(self.site_root)
        sockets = self._bind(port, host)
        self.port = sockets[0].getsockname()[1]
        if port and self.port != port:
            self.tell(self.say.render(msg("C-PORT-BUSY", port=port, free=self.port)), False)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        shown = f"[{shown}]" if ":" in shown else shown
        self.url = f"http://{shown}:{self.port}{config.base_path}"
        self.preview = Preview(self.site_root, self.url, self.drafts, self.say)
        self.preview.tell = self.tell
        allowed = tuple({*LOCAL_HOSTS, host.strip("[]"), host})
        checked = lambda cls: type(cls.__name__, (cls,),  # noqa: E731
                                   {"allowed": allowed, "port": self.port})
        self.watcher = PushWatcher(self.preview, [config.content_dir, config.templates_dir,
                                                  self.site_root / PYPROJECT], self.tell,
                                   config.content_dir)
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = False
        handlers = [(r"/livereload", checked(ReloadSocket)),
                    (r"/livereload.js", checked(ReloadScript)),
                    (r"/_sitegen/problems.css", checked(OverlayStyle)),
                    (r"/_sitegen/problems.js", checked(OverlayScript))]
        if config.base_path != "/":
            handlers.append((r"/", checked(ToSite), {"base_path": config.base_path}))
        handlers.append((r"/.*", checked(SiteFiles),
                         {"preview": self.preview, "base_path": config.base_path,
                          "port": self.port}))
        HTTPServer(web.Application(handlers)).add_sockets(sockets)
        self.tell(self.say.render(msg("C-BUILDING-INTO", folder=str(self.preview.folder))),
                  False)
        self.tell(self.preview.rebuild(), False)

    @staticmethod
    def _bind(port: int, host: str) -> list:
        """Sockets on `port`, or when it is taken, on the next free one."""
        for tried in range(port, port + PORTS_TRIED if port else port + 1):
            try:
                return bind_sockets(tried, address=host)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE or tried == port + PORTS_TRIED - 1:
                    raise
        raise OSError(errno.EADDRINUSE, "no free port")  # pragma: no cover

    def _setup_logging(self):
        pass   # sitegen prints its own lines


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False,
          tell=None, say: Catalogue | None = None) -> None:
    """Serve until stopped. What there is to say goes to `tell(text, main)` (the command
    line prints it); `main` marks the one line a user must read: the address."""
    server = PreviewServer(root, host, port, drafts, tell or (lambda text, main: None),
                           say or Catalogue("en"))
    # Ctrl-C, SIGTERM and SIGHUP stop the loop, and the preview's folder is removed.
    # Through asyncio: it wakes the loop by its own pipe, whichever thread the signal
    # reaches (Python's own handler runs only when the main thread next runs Python, and
    # the main thread may sleep in epoll while another thread takes the signal: a server
    # was seen to go on serving after a Ctrl-C). Ctrl-C only once the loop runs: during
    # the first build, Python's own KeyboardInterrupt stops it at once.
    loop = IOLoop.current()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)
    loop.add_callback(loop.asyncio_loop.add_signal_handler, signal.SIGINT, loop.stop)
    try:
        server.serve(port=port, host=host)
    finally:
        watcher = getattr(server, "watcher", None)
        if isinstance(watcher, PushWatcher):
            watcher.stop_event.set()
        if getattr(server, "preview", None):
            server.preview.close()
