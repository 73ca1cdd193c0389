"""Where a cold build's work goes: the CPU time of each stage of the pipeline and of the
pages of each template, one process, no cache, the files kept in memory (nothing written,
no search index), on the generated articles of bench/corpus.py.

Each stage is timed where build.py calls it (the names build.py imports, wrapped for the
run); what no stage holds (reading the configuration and the theme, the pages' addresses,
the routes' table) is "the rest". A cold `sitegen build` shares the same work out over its
processes, and also keeps the cache's keys and writes the files (bench/build_bench.py times
that).

    python bench/stages.py [N ...]
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_corpus  # noqa: E402

import sitegen.build as pipeline  # noqa: E402

# (the name build.py calls, what the row says)
STAGES = (
    ("discover", "list the content files"),
    ("_parse_job", "read and parse (front matter, Markdown)"),
    ("check_site", "checks across files"),
    ("build_ledger", "ledger"),
    ("make_views", "views"),
    ("routes", "routes (and the lists' pages)"),
    ("render_data", "open data (CSV, JSON)"),
    ("hosting_files", "feeds, sitemap, static files"),
)


@dataclasses.dataclass
class Figures:
    articles: int
    total: float                                # CPU seconds of the whole build
    stages: dict[str, float]                    # row -> CPU seconds
    pages: dict[str, tuple[int, float, int]]    # template -> (pages, CPU seconds, bytes)

    @property
    def rest(self) -> float:
        return self.total - sum(self.stages.values()) - sum(s for _, s, _ in self.pages.values())


@contextlib.contextmanager
def _timed(figures: Figures):
    """The pipeline's stages and Renderer.render wrapped to add their CPU time to `figures`
    while the block runs."""
    saved = []

    def wrap(owner, name, add):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                result = original(*args, **kwargs)
            finally:
                spent = time.process_time() - start
            add(args, spent, result)
            return result
        saved.append((owner, name, original))
        setattr(owner, name, timed)

    for name, row in STAGES:
        figures.stages[row] = 0.0
        wrap(pipeline, name, lambda args, spent, result, row=row: figures.stages.__setitem__(
            row, figures.stages[row] + spent))

    def page(args, spent, data):
        template = args[2].template
        count, seconds, size = figures.pages.get(template, (0, 0.0, 0))
        figures.pages[template] = (count + 1, seconds + spent, size + len(data))
    wrap(pipeline.Renderer, "render", page)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def measure(n: int, scratch: Path) -> Figures:
    site = write_corpus(scratch / f"site-{n}", n)
    figures = Figures(n, 0.0, {}, {})
    gc.collect()
    with _timed(figures):
        start = time.process_time()
        pipeline.build(site, workers=1, write=False, search=False)
        figures.total = time.process_time() - start
    return figures


def report(f: Figures) -> str:
    lines = [f"{f.articles:,} articles: {f.total:.2f} s of CPU, one process, nothing written"]

    def row(label: str, seconds: float, more: str = "") -> None:
        lines.append(f"  {label:42} {seconds:6.2f} s {seconds / f.total * 100:5.1f}%{more}")
    for label, seconds in f.stages.items():
        row(label, seconds)
    for template, (count, seconds, size) in sorted(f.pages.items(), key=lambda kv: -kv[1][1]):
        row(f"pages: {template}", seconds,
            f"  {count:6,} pages, {seconds / count * 1000:6.3f} ms and {size / count / 1024:6.1f} KiB each")
    row("the rest", f.rest)
    return "\n".join(lines)


def main(sizes: list[int]) -> None:
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as scratch:
        for n in sizes:
            print(report(measure(n, Path(scratch))), flush=True)
            shutil.rmtree(Path(scratch) / f"site-{n}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000])
