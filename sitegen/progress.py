"""A progress bar for long builds: one line on a terminal, redrawn in place, erased at the end.

Nothing is shown before a build has run for `delay` seconds (2 by default), nor when the
stream is not a terminal (CI logs, pipes): a short build prints only its summary.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from .content.messages import Catalogue, english, msg

WIDTH = 30
STAGES = {"parse": "C-STAGE-PARSE", "render": "C-STAGE-RENDER"}     # build.py's stages


class Progress:
    def __init__(self, stream: TextIO | None = None, delay: float = 2.0,
                 clock: Callable[[], float] = time.monotonic, enabled: bool | None = None,
                 say: Catalogue | None = None):
        self.say = say or english()
        # the stage's name padded to the longest one's, so the bar stays in its place
        self.names = {stage: self.say.render(msg(code)) for stage, code in STAGES.items()}
        self.pad = max(len(name) for name in self.names.values())
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.delay, self.clock = delay, clock
        self.started = clock()
        self.stage_name, self.total, self.done = "", 0, 0
        self.shown = False
        self._drawn_at = float("-inf")

    def stage(self, name: str, total: int) -> None:
        """Start counting `total` steps of a new stage (parse, render, write)."""
        self.stage_name, self.total, self.done = name, total, 0
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._draw(force=self.done >= self.total)

    def close(self) -> None:
        """Erase the bar, so the summary line that follows stands alone."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False

    def _draw(self, force: bool = False) -> None:
        if not self.enabled or self.total <= 0:
            return
        now = self.clock()
        if now - self.started < self.delay or (not force and now - self._drawn_at < 0.1):
            return
        self._drawn_at = now
        filled = WIDTH * min(self.done, self.total) // self.total
        stage = self.names.get(self.stage_name, self.stage_name).ljust(self.pad)
        self.stream.write("\r\x1b[2K" + self.say.render(msg(
            "C-PROGRESS", stage=stage, bar="#" * filled + "." * (WIDTH - filled),
            done=self.done, total=self.total)))
        self.stream.flush()
        self.shown = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
