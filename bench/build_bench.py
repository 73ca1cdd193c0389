"""Build benchmark: sitegen against the floor of its own stack and against Eleventy, in one run.

The floor reads each article, splits its front matter with python-frontmatter (libyaml),
renders the body with markdown-it-py, puts it in a one-line Jinja2 page and writes it, plus
one index page: nothing else; it is timed in one process and in two (each taking every other
article), and once more in one process also writing a one-line page per event and language
(as many pages as sitegen makes, with nothing in them). For N = 1,000 / 4,000 / 20,000
generated articles it times the floor, `sitegen build --no-search` cold (the median of three
runs), Eleventy on the same articles (bench/eleventy.py, where Node and tools/node_modules
have it: three cold builds, each after one of sitegen's, and sitegen's cold time as a ratio
to their median), the same cold build with one process doing all the work (what its
processes share out), a rebuild with nothing changed, a rebuild after editing one article's
text, after editing another's count of people released (its events, the ledger and every
list that shows them change) and after editing one template (each a fresh process, as a
user runs it), the peak memory of the cold build, and what Pagefind's index adds to a cold
build. Output goes to /dev/shm when it exists.

    python bench/build_bench.py [N ...]
"""
from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import eleventy  # noqa: E402
from corpus import LANGUAGES, THEME, write_corpus  # noqa: E402

FLOOR = r'''
import sys, pathlib, frontmatter, yaml
from markdown_it import MarkdownIt
from jinja2 import Template
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
part, parts = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
event_langs = sys.argv[5].split(",") if len(sys.argv) > 5 else []
md = MarkdownIt("commonmark", {"html": False})
page = Template("<!DOCTYPE html><title>{{ t }}</title><main>{{ b|safe }}</main>", autoescape=True)
handler = frontmatter.YAMLHandler()
titles = []
for path in sorted(src.rglob("*.md"))[part::parts]:
    fm, body = handler.split(path.read_text(encoding="utf-8"))
    meta = yaml.load(fm, Loader=yaml.CSafeLoader)
    target = out / "articles" / path.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page.render(t=meta["title"], b=md.render(body)), encoding="utf-8")
    titles.append((path.stem, meta["title"]))
    for event in meta.get("events", ()) if event_langs else ():
        if "id" not in event:
            continue    # a reference to an event declared elsewhere
        for lang in event_langs:
            target = out / lang / "events" / event["id"] / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.render(t=event["id"], b=f"{event['date']}: {event['released']}"),
                              encoding="utf-8")
(out / f"index-{part}.html").write_text(Template("{% for s, t in a %}<a href='{{ s }}'>{{ t }}</a>"
                                         "{% endfor %}").render(a=titles), encoding="utf-8")
'''


# Pagefind's index of a built site, as `sitegen build` makes it (into a folder of its own)
INDEX = (
    "import pathlib, sys\n"
    "from sitegen.search import index_site\n"
    "bundle, notes = index_site(pathlib.Path(sys.argv[1]))\n"
    "assert bundle and not notes, notes\n")


# `sitegen build` cold with one process doing all the work (`workers=1`)
ONE_PROCESS = (
    "import pathlib, sys\n"
    "from sitegen.cached import build_cached\n"
    "build_cached(pathlib.Path(sys.argv[1]), workers=1, search=False)\n")


def child_env() -> dict[str, str]:
    """The environment of every timed process: this one's, with Python's default of caching
    compiled modules. Where PYTHONDONTWRITEBYTECODE is set (as on the machine this was
    written on), sitegen, installed editable and so without the .pyc files pip writes for
    its dependencies, would compile its own modules again in every run (0.05-0.08 s) while
    the floor's imports are all compiled already."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(args: list[str]) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one child process (with the processes it waited for:
    a build's workers; not any other process this one ran, such as Node)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=child_env())
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, args)
    return took, usage.ru_maxrss


def cpu() -> float:
    """CPU seconds (user and system) of the child processes ended so far, with theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_together(commands: list[list[str]]) -> float:
    """Seconds until the last of these processes, started together, ends."""
    started = time.perf_counter()
    running = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=child_env()) for c in commands]
    if any(p.wait() for p in running):
        raise RuntimeError("the floor failed")
    return time.perf_counter() - started


def measure(n: int, scratch: Path, peer: bool = True) -> dict[str, float | None]:
    """The figures of one size; "eleventy" is None when Eleventy is not timed (peer False,
    or Node or the package missing: eleventy.missing() says which)."""
    site = write_corpus(scratch / f"site-{n}", n)
    out = site / "output"       # output_dir must be inside the site; the site is on scratch
    theme = scratch / f"theme-{n}"
    shutil.copytree(THEME, theme)
    (site / "pyproject.toml").write_text((site / "pyproject.toml").read_text().replace(
        THEME.as_posix(), theme.as_posix()))
    # content a user builds was written a while ago, not a second before: sitegen re-reads a
    # file modified within 2 s of a build even if its size and time look unchanged
    an_hour_ago = time.time() - 3600
    for path in (*site.rglob("*"), *theme.rglob("*")):
        os.utime(path, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    # the pages, feeds and data: what sitegen made before search; Pagefind's index is timed
    # apart (Pagefind alone over the written pages), as it is a step of its own
    build = [sys.executable, "-m", "sitegen", "build", "--no-search", "--root", str(site)]
    floor, _ = timed([sys.executable, "-c", FLOOR, str(site / "content"), str(scratch / "floor")])
    # the same stack making sitegen's event pages too (one per event and language): what
    # sitegen would cost if it did nothing but read, parse and render its own pages
    floor_pages, _ = timed([sys.executable, "-c", FLOOR, str(site / "content"),
                            str(scratch / "floor-pages"), "0", "1", ",".join(LANGUAGES)])
    floor2 = timed_together([[sys.executable, "-c", FLOOR, str(site / "content"),
                              str(scratch / "floor2"), str(k), "2"] for k in range(2)])
    # cold: the median of three runs (this machine's speed drifts over a long run; the first
    # also leaves sitegen's compiled modules for the runs after it, as any first run does),
    # each followed by one of Eleventy's, so that a drift weighs on both alike
    peer = peer and eleventy.missing() is None
    if peer:
        project = scratch / f"eleventy-{n}"
        articles = eleventy.write_project(site / "content", project)
    # the CPU time of each too: on a machine other work keeps busy, it varies less than the
    # time on the clock (it counts the work, not what the work had to wait for)
    colds, peers, cold_cpu, peer_cpu = [], [], [], []
    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
        before = cpu()
        colds.append(timed(build))
        cold_cpu.append(cpu() - before)
        if peer:
            before = cpu()
            peers.append(eleventy.build(project, articles))
            peer_cpu.append(cpu() - before)
    cold, peak = statistics.median(c for c, _ in colds), max(p for _, p in colds)
    # what the index adds: Pagefind over the pages the last cold build wrote, as a build
    # with search runs it (timed alone: a difference of two builds' times is mostly noise
    # on a small site)
    searched, _ = timed([sys.executable, "-c", INDEX, str(out)])
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    # the same cold build in one process: the work that the processes of a cold build share
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    one_process, _ = timed([sys.executable, "-c", ONE_PROCESS, str(site)])
    nothing, _ = timed(build)
    article = sorted((site / "content").rglob("*.md"))[n // 2]
    article.write_text(article.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    one, _ = timed(build)
    counted = sorted((site / "content").rglob("*.md"))[n // 3]
    counted.write_text(re.sub(r"(?m)^(\s+released:) (\d+)$",
                              lambda m: f"{m[1]} {int(m[2]) + 1}",
                              counted.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    count, _ = timed(build)
    template = theme / "event.html"
    template.write_text(template.read_text() + "\n")
    tpl, _ = timed(build)
    return {"floor": floor, "floor2": floor2, "floor_pages": floor_pages, "cold": cold,
            "one_process": one_process, "search": searched,
            "nothing": nothing, "one": one, "count": count, "template": tpl,
            "peak_mib": peak / 1024, "cold_cpu": statistics.median(cold_cpu),
            "eleventy": statistics.median(peers) if peer else None,
            "eleventy_cpu": statistics.median(peer_cpu) if peer else None}


def main(sizes: list[int]) -> None:
    shm = Path("/dev/shm")
    absent = eleventy.missing()
    if absent:
        print(f"{eleventy.NAME}: not timed ({absent})", flush=True)
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        results = {}
        for n in sizes:
            r = results[n] = measure(n, Path(tmp), peer=not absent)
            print(f"{n:>6} articles: floor {r['floor']:6.2f} s (two processes "
                  f"{r['floor2']:.2f} s; with sitegen's event pages {r['floor_pages']:.2f} s) | "
                  f"cold {r['cold']:6.2f} s ({r['cold'] / r['floor']:.2f}x "
                  f"floor, {r['cold'] / r['floor2']:.2f}x the two-process floor, "
                  f"{r['cold'] / r['floor_pages']:.2f}x the floor with event pages; in one "
                  f"process {r['one_process']:.2f} s, {r['one_process'] / r['floor']:.2f}x) | "
                  f"nothing changed {r['nothing']:6.2f} s "
                  f"({r['nothing'] / r['cold']:.2f}x cold) | one article {r['one']:6.2f} s "
                  f"({r['one'] / r['cold']:.2f}x cold) | one count {r['count']:6.2f} s "
                  f"({r['count'] / r['cold']:.2f}x cold) | one template {r['template']:6.2f} s | "
                  f"peak {r['peak_mib']:5.0f} MiB | search index adds {r['search']:.2f} s to "
                  f"a cold build", flush=True)
            if r["eleventy"] is not None:
                print(f"{n:>6} articles: {eleventy.NAME} {r['eleventy']:6.2f} s (a page per "
                      f"article and an index) | sitegen cold {r['cold']:6.2f} s = "
                      f"{r['cold'] / r['eleventy']:.2f}x {eleventy.NAME} | CPU time: "
                      f"sitegen {r['cold_cpu']:.2f} s, {eleventy.NAME} "
                      f"{r['eleventy_cpu']:.2f} s ({r['cold_cpu'] / r['eleventy_cpu']:.2f}x)",
                      flush=True)
        peers = [(n, results[n]["cold"] / results[n]["eleventy"]) for n in (2000, 4000)
                 if n in results and results[n]["eleventy"] is not None]
        if peers:
            print(f"target: sitegen cold <= {eleventy.NAME} at 2,000 and 4,000 articles: " +
                  "; ".join(f"{n:,}: {ratio:.2f}x, {'met' if ratio <= 1 else 'NOT met'}"
                            for n, ratio in peers))
        if 4000 in results:
            r = results[4000]
            print("targets at 4,000: cold <= 1.3x floor (one process): "
                  f"{'met' if r['cold'] <= 1.3 * r['floor'] else 'NOT met'}; nothing changed "
                  f"<= 0.1x cold: {'met' if r['nothing'] <= 0.1 * r['cold'] else 'NOT met'}; "
                  f"one article <= 0.2x cold: {'met' if r['one'] <= 0.2 * r['cold'] else 'NOT met'}; "
                  f"peak <= 300 MiB: {'met' if r['peak_mib'] <= 300 else 'NOT met'}")
        if 4000 in results and 20000 in results:
            ratio = results[20000]["cold"] / results[4000]["cold"]
            floors = results[20000]["floor"] / results[4000]["floor"]
            print(f"20,000 / 4,000 cold: {ratio:.2f}x (target <= 5.5x): "
                  f"{'met' if ratio <= 5.5 else 'NOT met'} (the floor: {floors:.2f}x)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 4000, 20000])
