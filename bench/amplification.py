"""Bounded work for bounded input: each reproduction of tests/amplifying_sites.py (1 MiB, or
as much as a site may hold) built as a user builds it (`sitegen build`, the search index on, as by default, and again with
`--no-search`), with its output in MB by kind of page, its wall and CPU seconds and its
peak memory, against the bounds (100 MB of output, 10 s).

    python bench/amplification.py [SHAPE ...]

The machine's other work stretches wall time; CPU time (the build's processes together)
is printed beside it.
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.amplifying_sites import LANGUAGES, SHAPES, write_site  # noqa: E402
from tests.limits import run_sitegen  # noqa: E402

MB = 1_000_000
BOUND_MB, BOUND_SECONDS = 100, 10.0
TIMELINE = {"kind", "status", "mechanism"}


def kind_of(relative: Path) -> str:
    """The kind of page a file of output/ is: its folder in the language tree (a list's
    further pages with it, the timeline's years and filters apart)."""
    parts = list(relative.parts)
    if parts[0] in LANGUAGES:
        parts = parts[1:]
    if len(parts) == 1:
        return parts[0] if parts[0] in ("index.html", "sitemap.xml", "feed.xml") else "(files)"
    if parts[0] == "timeline" and len(parts) > 2:
        return "timeline/" + ("filters" if parts[1] in TIMELINE else "years" if
                              parts[1].isdigit() else "pages")
    return parts[0]


def sizes(output: Path) -> Counter:
    out: Counter = Counter()
    for path in output.rglob("*"):
        if path.is_file():
            out[kind_of(path.relative_to(output))] += path.stat().st_size
    return out


def build(site: Path, *options: str) -> tuple[int, float, float, float]:
    """(exit code, wall s, CPU s, peak MB) of one `sitegen build` in a fresh process."""
    started = time.perf_counter()
    run = run_sitegen(["build", "--no-cache", "--root", str(site), *options],
                      timeout=600, memory_mb=16384)
    wall = time.perf_counter() - started
    if run.code:
        print(run.stdout[-2000:], run.stderr[-2000:])
    return run.code, wall, run.seconds, run.peak_mb


def measure(shape: str, work: Path) -> bool:
    site = work / shape
    written = write_site(shape, site, ROOT / "templates")
    ok = True
    for options in ((), ("--no-search",)):
        code, wall, cpu, peak = build(site, *options)
        by_kind = sizes(site / "output")
        total = sum(by_kind.values()) / MB
        within = code == 0 and total <= BOUND_MB and wall <= BOUND_SECONDS
        ok &= within
        label = "build" + "".join(f" {o}" for o in options)
        print(f"{shape:9} {label:22} content {written / 2**20:.2f} MiB -> {total:7.1f} MB "
              f"in {wall:5.1f} s wall, {cpu:5.1f} s CPU, peak {peak:5.0f} MB  "
              f"{'within' if within else 'OVER'} the bounds ({BOUND_MB} MB, {BOUND_SECONDS:g} s)"
              + ("" if code == 0 else f"  exit {code}"))
        if not options:
            print("          " + ", ".join(f"{k} {n / MB:.1f}" for k, n in
                                           by_kind.most_common() if n >= MB // 10))
    return ok


def main(shapes: list[str]) -> int:
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as t:
        results = [measure(shape, Path(t)) for shape in shapes or SHAPES]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
