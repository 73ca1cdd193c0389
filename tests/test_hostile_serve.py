"""`sitegen serve` against a hostile neighbour (issue 20, item 10): another local page may not
open the reload socket, and a stop by SIGTERM or SIGHUP cleans up as Ctrl-C does."""
import http.client
import signal
import subprocess

import pytest

from .test_serve import Served, served_once, site  # noqa: F401 (fixtures)


def websocket_status(server: Served, origin: str) -> int:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.putrequest("GET", "/livereload", skip_host=True, skip_accept_encoding=True)
    for name, value in {"Host": f"127.0.0.1:{server.port}", "Upgrade": "websocket",
                        "Connection": "Upgrade", "Origin": origin,
                        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                        "Sec-WebSocket-Version": "13"}.items():
        conn.putheader(name, value)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.parametrize("origin,status", [
    ("http://localhost:{other}", 403), ("http://127.0.0.1:{other}", 403),
    ("http://localhost", 403), ("https://localhost:{port}", 403),
    ("http://localhost:{port}", 101), ("http://[::1]:{port}", 101)])
def test_the_reload_socket_takes_only_the_servers_own_port(served_once, origin, status):  # noqa: F811
    other = served_once.port + 1 if served_once.port < 65535 else served_once.port - 1
    assert websocket_status(served_once, origin.format(port=served_once.port, other=other)) == status


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_remove_the_preview_folder(site, stop):  # noqa: F811
    server = Served(site)
    folder = server.folder()
    assert folder.name.startswith("sitegen-serve-") and folder.is_dir()
    assert server.raw(server.base)[0] == 200        # built and serving
    server.proc.send_signal(stop)
    try:
        code = server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        code = server.proc.wait()
    err = server.proc.stderr.read()
    assert (code, "Traceback" in err) == (0, False), err
    assert not folder.exists()
