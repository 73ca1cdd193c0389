"""`sitegen serve` for people: the problem box in the page's language, folding, a third of
a phone's screen at most, each problem's place a button copying PATH:LINE; a busy port
gives way to the next free one, and says so."""
import socket
import subprocess
import sys

import pytest

from sitegen.content.diagnostics import Diagnostic
from sitegen.content.messages import Catalogue, msg
from sitegen.serve import OVERLAY_CSS, OVERLAY_JS, PreviewServer, inject

PROBLEM = Diagnostic("content/articles/2025/a.md", 9, 3, "error", msg("E-YAML-DASH-SPACE"))
PAGE = b'<!DOCTYPE html><html lang="ru"><head><title>t</title></head><body><p>x</p></body></html>'


def test_the_box_speaks_the_pages_language_folds_and_copies_the_place():
    html = inject(PAGE, 35729, (PROBLEM,), True, Catalogue("ru")).decode()
    assert html.count('<details id="sitegen_problems" role="alert" open>') == 1
    assert ("<summary><strong>sitegen: 1 ошибка, 0 предупреждений</strong></summary><p>"
            "Страница показывает последнюю удачную сборку.") in html
    assert ('<li><button type="button" data-copy="content/articles/2025/a.md:9" '
            'data-copied="скопировано" title="скопировать ПУТЬ:СТРОКА">'
            "content/articles/2025/a.md:9:3</button>: error: после &#39;-&#39; в пункте "
            "списка нужен пробел: напишите &#39;- значение&#39;</li>") in html
    assert '<script src="/_sitegen/problems.js" defer></script></head>' in html
    english = inject(PAGE.replace(b'lang="ru"', b'lang="en"'), 1, (PROBLEM,), False,
                     Catalogue("en")).decode()
    assert ("<strong>sitegen: 1 error, 0 warnings</strong></summary><p>There is no good build "
            "yet.") in english


def test_the_box_is_a_third_of_the_screen_at_most_and_scrolls_away():
    css = OVERLAY_CSS.decode()
    assert "max-height:33vh;overflow:auto" in css
    assert "sticky" not in css and "fixed" not in css
    assert b"navigator.clipboard.writeText(b.dataset.copy)" in OVERLAY_JS


def test_a_page_in_russian_gets_the_box_in_russian(tmp_path):
    from sitegen.serve import Preview
    preview = Preview(tmp_path, "http://127.0.0.1:1/", False, Catalogue("en"))
    try:
        assert preview.page_say(PAGE).lang == "ru"
        assert preview.page_say(PAGE.replace(b'lang="ru"', b'lang="en"')).lang == "en"
        assert preview.page_say(b"<html><body>").lang == "en"      # the command's own
    finally:
        preview.close()


def test_a_busy_port_moves_to_the_next_free_one():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        sockets = PreviewServer._bind(port, "127.0.0.1")
        try:
            assert sockets[0].getsockname()[1] > port
        finally:
            for s in sockets:
                s.close()
    finally:
        taken.close()


def test_serve_says_which_port_it_took_and_the_address_is_the_line_on_stdout(tmp_path):
    from .conftest import make_site
    root = make_site(tmp_path / "site", {})
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--root", str(root),
                             "--port", str(port), "--lang", "ru"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Сайт открыт по адресу http://127.0.0.1:")
        free = int(line.split("127.0.0.1:")[1].split("/")[0])
        assert free > port
        assert line == f"Сайт открыт по адресу http://127.0.0.1:{free}/  (Ctrl-C — остановить)\n"
        assert proc.stderr.readline() == f"sitegen: порт {port} занят; используется порт {free}\n"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        taken.close()


@pytest.mark.slow     # Chromium
def test_on_a_phone_the_box_takes_a_third_of_the_screen_at_most_and_folds(browser):
    many = tuple(Diagnostic("content/articles/2025/a.md", n, 1, "error", msg("E-YAML-TAB"))
                 for n in range(1, 41))
    html = inject(PAGE.replace(b"<p>x</p>", b"<main><p>text</p></main>"), 1, many, True,
                  Catalogue("ru")).decode()
    html = html.replace('<link rel="stylesheet" href="/_sitegen/problems.css">',
                        f"<style>{OVERLAY_CSS.decode()}</style>")
    context = browser.new_context(viewport={"width": 375, "height": 667})
    try:
        page = context.new_page()
        page.set_content(html)
        box = page.locator("#sitegen_problems")
        assert box.bounding_box()["height"] <= 667 / 3
        page.locator("#sitegen_problems summary").click()
        assert page.locator("#sitegen_problems ul").is_visible() is False
        assert box.bounding_box()["height"] < 667 / 10    # the count alone
    finally:
        context.close()
