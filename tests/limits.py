"""Running `sitegen` in a child process with a bound on its time and memory, measured.

A reproduction that once hung or ate gigabytes must not take the test run with it when the
fix is missing: the child gets an address-space limit and a timeout, and reports its own
peak resident memory (and its worker processes') through getrusage.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
from sitegen.cli import main
started = time.process_time()
try:
    code = main(sys.argv[1:])
except MemoryError:
    code = "MemoryError"
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
seconds = time.process_time() - started + workers.ru_utime + workers.ru_stime
# this process's own high-water mark: ru_maxrss of RUSAGE_SELF would carry over the size of
# the test process it was forked from (Linux keeps it across execve)
with open("/proc/self/status") as status:
    own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stdout.flush()
sys.stderr.write("\\n@@rusage " + json.dumps([code, seconds, peak]) + "\\n")
"""


@dataclass
class Run:
    code: int | str | None      # None: killed at the timeout
    # CPU seconds of the child and its workers, from main() to its end: the work done, which
    # other processes on the machine (the suite's own parallel workers) do not stretch
    seconds: float
    peak_mb: float              # peak resident memory, MB (the largest process)
    stdout: str
    stderr: str


def run_sitegen(args: list[str], timeout: float = 60, memory_mb: int = 2048) -> Run:
    """`sitegen ARGS` in a child process limited to `memory_mb` of address space, killed
    after `timeout` seconds."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True,
                              text=True, timeout=timeout, preexec_fn=limit, env=env,
                              errors="replace")
    except subprocess.TimeoutExpired as exc:
        return Run(None, timeout, 0.0, _text(exc.stdout), _text(exc.stderr))
    err, _, tail = proc.stderr.rpartition("\n@@rusage ")
    if not tail:
        return Run(proc.returncode, 0.0, 0.0, proc.stdout, proc.stderr)
    code, seconds, peak_kb = json.loads(tail)
    return Run(code, seconds, peak_kb / 1024, proc.stdout, err)


def _text(data) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
