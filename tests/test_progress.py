"""The progress bar: only on a terminal, only after 2 s, erased before the summary."""
import io

from sitegen.build import build
from sitegen.progress import Progress

from .conftest import copy_sample


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bar_appears_after_two_seconds_and_is_erased():
    stream, clock = Terminal(), Clock()
    bar = Progress(stream, clock=clock)
    bar.stage("parse", 4)
    bar.advance()
    assert stream.getvalue() == ""            # a build shorter than 2 s shows nothing
    clock.now = 2.5
    bar.advance()
    assert stream.getvalue() == "\r\x1b[2Ksitegen: parse  [###############...............] 2/4"
    clock.now = 2.55                          # redrawn at most every 0.1 s ...
    bar.advance()
    assert stream.getvalue().count("\r") == 1
    bar.advance()                             # ... except when a stage is complete
    assert stream.getvalue().endswith("[##############################] 4/4")
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[2K")


def test_no_bar_when_not_a_terminal():
    stream, clock = io.StringIO(), Clock()
    bar = Progress(stream, clock=clock)
    clock.now = 10
    bar.stage("render", 3)
    bar.advance(3)
    bar.close()
    assert stream.getvalue() == ""


def test_a_build_reports_every_stage(tmp_path):
    site = copy_sample(tmp_path / "site")
    stream = Terminal()
    build(site, progress=Progress(stream, delay=0))
    shown = stream.getvalue()
    stages = [part.split("sitegen: ")[1].split(" [")[0].strip()
              for part in shown.split("\r\x1b[2K") if part]
    assert list(dict.fromkeys(stages)) == ["parse", "render"]    # each page written as made
    assert "] 14/14" in shown                  # the sample's 14 content files
    # its 66 pages (404 apart) and the timeline of each kind, status and mechanism it has, and
    # newest first, in each language
    assert "] 88/88" in shown
    assert shown.endswith("\r\x1b[2K")         # erased at the end
