"""Latency from a save to the new page being served by `sitegen serve`.

For 100 and 1,000 generated articles (or the sizes given): start the preview, then 20 times
edit one article's Markdown and poll its page until the new text is served. Prints the
median and the worst, and compares the median with the target at that size: 150 ms at 1,000
and 4,000 articles, 300 ms at 20,000.

    python bench/serve_latency.py [N ...]
"""
from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_corpus  # noqa: E402

TARGETS_MS = {1000: 150, 4000: 150, 20000: 300}   # articles -> median save-to-page
EDITS = 20


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def measure(n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        site = write_corpus(Path(tmp) / "site", n)
        proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--root", str(site),
                                 "--port", "0", "--lang", "en"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            url = re.match(r"Serving the site at (\S+)", proc.stdout.readline())[1]
            article = sorted((site / "content" / "articles").rglob("*.md"))[n // 2]
            page = f"{url}articles/{article.stem}/"
            original = article.read_text(encoding="utf-8")
            times = []
            for k in range(EDITS):
                marker = f"Правка номер {k} для замера"
                started = time.perf_counter()
                article.write_text(original + f"\n{marker}\n", encoding="utf-8")
                while marker not in fetch(page):
                    if time.perf_counter() - started > 30:
                        raise SystemExit(f"edit {k} at {n} articles never reached the page")
                    time.sleep(0.005)
                times.append((time.perf_counter() - started) * 1000)
                time.sleep(0.3)
            return times
        finally:
            proc.terminate()
            proc.wait()


def main(sizes: list[int]) -> int:
    ok = True
    for n in sizes:
        times = measure(n)
        median = statistics.median(times)
        line = (f"{n:>6} articles: save -> new page served: median {median:6.0f} ms, "
                f"min {min(times):5.0f} ms, max {max(times):5.0f} ms ({EDITS} edits)")
        target = TARGETS_MS.get(n)
        if target is not None:
            met = median <= target
            ok &= met
            line += f"  target <= {target} ms: {'met' if met else 'NOT met'}"
        print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [100, 1000]))
