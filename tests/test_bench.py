"""The benchmark's floor writes the pages it claims to write (its figures compare with them)."""
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow     # the bench's builds, each a process of its own

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from build_bench import FLOOR  # noqa: E402
from corpus import LANGUAGES, write_corpus  # noqa: E402


def floor(site: Path, out: Path, *args: str) -> list[str]:
    subprocess.run([sys.executable, "-c", FLOOR, str(site / "content"), str(out), *args],
                   check=True)
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_the_floor_writes_one_page_per_article_and_an_index(tmp_path):
    site = write_corpus(tmp_path / "site", 12)
    files = floor(site, tmp_path / "out")
    assert len(files) == 13
    assert files[0] == "articles/2024-01-01-release-00000/index.html"
    assert files[-1] == "index-0.html"


def test_the_floor_with_event_pages_writes_one_per_event_and_language(tmp_path):
    site = write_corpus(tmp_path / "site", 12)
    files = floor(site, tmp_path / "out", "0", "1", ",".join(LANGUAGES))
    events = [f for f in files if "/events/" in f]
    assert len(events) == 24        # 12 articles, each declaring one event, in ru and en
    assert "en/events/2024-02-28-release-00001/index.html" in events
    assert "ru/events/2024-02-28-release-00001/index.html" in events
    page = (tmp_path / "out/ru/events/2024-02-28-release-00001/index.html").read_text()
    assert page == ("<!DOCTYPE html><title>2024-02-28-release-00001</title>"
                    "<main>2024-02-28: 10</main>")
    assert len(files) == 12 + 24 + 1


def test_timed_processes_cache_compiled_modules_as_python_does_by_default(monkeypatch):
    from build_bench import child_env
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("SITEGEN_BENCH_PROBE", "kept")
    env = child_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["SITEGEN_BENCH_PROBE"] == "kept"


def test_the_one_process_build_makes_the_site_the_command_makes(tmp_path):
    from build_bench import ONE_PROCESS
    site = write_corpus(tmp_path / "site", 12)
    subprocess.run([sys.executable, "-c", ONE_PROCESS, str(site)], check=True)
    alone = {p.relative_to(site / "output").as_posix(): p.read_bytes()
             for p in (site / "output").rglob("*") if p.is_file()}
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-cache", "--no-search",
                    "--root", str(site)],
                   check=True, capture_output=True)
    built = {p.relative_to(site / "output").as_posix(): p.read_bytes()
             for p in (site / "output").rglob("*") if p.is_file()}
    # 12 articles: their pages, 24 event pages, lists, feeds, data, marker; the timeline of
    # releases and of confirmed events in each language, and its script; the search page's
    # script (the bench builds without the search index, as it did before search); the
    # timeline newest first in each language
    assert len(alone) == 80 + 4 + 1 + 1 + 2
    assert alone == built


def test_the_bench_runs_every_build_it_times_on_a_small_corpus(tmp_path):
    """Every timed step ends well (a failed build would stop the bench with a traceback):
    the bench runs as the README says, whatever the site's rules on output_dir."""
    from build_bench import eleventy, measure
    figures = measure(12, tmp_path)
    assert sorted(figures) == ["cold", "cold_cpu", "count", "eleventy", "eleventy_cpu",
                               "floor", "floor2", "floor_pages", "nothing", "one",
                               "one_process", "peak_mib", "search", "template"]
    # Eleventy is timed where Node and tools/node_modules have it (tests/test_bench_eleventy.py
    # checks what it makes, or fails in CI where it is missing)
    if eleventy.missing():
        assert figures.pop("eleventy") is None and figures.pop("eleventy_cpu") is None
    assert all(value > 0 for value in figures.values())
    assert (tmp_path / "site-12" / "output" / ".sitegen-output").is_file()
    assert len(list((tmp_path / "eleventy-12" / "_site").rglob("*.html"))) == (
        0 if eleventy.missing() else 13)
