"""The scheduler's forked processes stay out of their parent's signal handling."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# a parent with an asyncio loop that stops on SIGTERM (as `sitegen serve`'s does), which
# forks workers for a large build before its loop runs: the workers' ending must not read
# as a SIGTERM to the parent
PARENT = """
import asyncio, signal
from sitegen.parallel import parallel_map
loop = asyncio.new_event_loop()
told = []
loop.add_signal_handler(signal.SIGTERM, lambda: told.append("SIGTERM"))
for _ in range(3):      # workers still waiting for work when the pool ends them
    assert parallel_map(abs, list(range(-500, 500)), 2, chunksize=1) == [
        abs(n) for n in range(-500, 500)]
loop.call_later(0.3, loop.stop)
loop.run_forever()
print(told)
"""


def test_workers_ending_is_no_signal_to_the_parent():
    run = subprocess.run([sys.executable, "-c", PARENT], capture_output=True, text=True,
                         timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert (run.returncode, run.stdout, run.stderr) == (0, "[]\n", "")
