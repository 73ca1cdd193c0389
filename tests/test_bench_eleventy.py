"""The bench's peer: Eleventy builds the bench's articles, a page each and an index, and the
bench prints sitegen's cold time as a ratio to it, or one line saying why it could not."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .tools import unavailable

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import build_bench  # noqa: E402
import eleventy  # noqa: E402
from corpus import write_corpus  # noqa: E402

SLUGS = ["2024/2024-01-01-release-00000", "2024/2024-05-20-release-00001",
         "2024/2024-10-07-release-00002", "2025/2025-02-24-release-00003",
         "2025/2025-07-14-release-00004"]
TITLE = "Освобождение 0 — Освободили соседних активисты журналисты что лет государств"


def require_eleventy() -> None:
    """A skip with the reason (a failure under SITEGEN_REQUIRE_BROWSER=1, as in CI, which
    installs tools/) where Node or the pinned Eleventy is missing."""
    reason = eleventy.missing()
    if reason:
        unavailable(f"{eleventy.NAME}: {reason}")


@pytest.fixture
def project(tmp_path) -> Path:
    require_eleventy()
    site = write_corpus(tmp_path / "site", 5)
    assert eleventy.write_project(site / "content", tmp_path / "eleventy") == 5
    return tmp_path / "eleventy"


def pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_eleventy_makes_a_page_per_article_and_an_index_listing_them(project):
    assert eleventy.build(project, 5) > 0
    out = project / "_site"
    assert pages(out) == [f"articles/{slug}/index.html" for slug in SLUGS] + ["index.html"]
    page = (out / "articles" / SLUGS[0] / "index.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html><html lang="ru"><meta charset="utf-8">'
                          f"<title>{TITLE}</title>\n<main><h1>{TITLE}</h1><p>")
    # the body is the bench's Markdown, rendered: its heading, list and links
    assert "<h2>Подробности</h2>\n<ul>\n<li>" in page
    assert '<a href="https://example.org/news/0/3">Источник 3</a></li>\n</ul>' in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert [line.split('"')[1] for line in index.splitlines() if line.startswith("<li>")] == \
        [f"/articles/{slug}/" for slug in SLUGS]
    assert f'<li><a href="/articles/{SLUGS[0]}/">{TITLE}</a></li>' in index


def test_eleventy_renders_the_markdown_without_a_template_language_first(project):
    article = project / "src" / "articles" / f"{SLUGS[2]}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nKept: {{ title }} {% raw %}\n",
                       encoding="utf-8")
    eleventy.build(project, 5)
    page = (project / "_site" / "articles" / SLUGS[2] / "index.html").read_text(encoding="utf-8")
    assert "<p>Kept: {{ title }} {% raw %}</p>" in page


def test_a_build_of_fewer_pages_than_articles_is_not_timed(project):
    (project / "src" / "articles" / f"{SLUGS[3]}.md").unlink()
    with pytest.raises(RuntimeError, match=r"^Eleventy 3\.1\.8 wrote 5 pages \(4 articles, "
                                           r"the index listing 4\), not 5 articles and an "
                                           r"index$"):
        eleventy.build(project, 5)


def figures(cold: float, peer: float | None) -> dict[str, float | None]:
    return {"floor": 1.0, "floor2": 0.5, "floor_pages": 1.25, "cold": cold, "one_process": 4.0,
            "search": 2.0, "nothing": 0.2, "one": 0.4, "count": 0.8, "template": 1.6,
            "peak_mib": 100.0, "cold_cpu": 1.5 * cold, "eleventy": peer,
            "eleventy_cpu": peer and 1.25 * peer}


def test_the_bench_prints_sitegen_cold_as_a_ratio_to_eleventy_and_the_target(
        monkeypatch, capsys):
    monkeypatch.setattr(eleventy, "missing", lambda: None)
    measured = {1000: figures(1.5, 1.0), 2000: figures(2.2, 2.0), 4000: figures(3.8, 4.0)}
    monkeypatch.setattr(build_bench, "measure", lambda n, scratch, peer: measured[n])
    build_bench.main([1000, 2000, 4000])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("  1000 articles: Eleventy 3.1.8   1.00 s (a page per article and an "
                        "index) | sitegen cold   1.50 s = 1.50x Eleventy 3.1.8 | CPU time: "
                        "sitegen 2.25 s, Eleventy 3.1.8 1.25 s (1.80x)")
    assert lines[5] == ("  4000 articles: Eleventy 3.1.8   4.00 s (a page per article and an "
                        "index) | sitegen cold   3.80 s = 0.95x Eleventy 3.1.8 | CPU time: "
                        "sitegen 5.70 s, Eleventy 3.1.8 5.00 s (1.14x)")
    assert lines[6] == ("target: sitegen cold <= Eleventy 3.1.8 at 2,000 and 4,000 articles: "
                        "2,000: 1.10x, NOT met; 4,000: 0.95x, met")


def test_the_bench_without_node_says_so_in_one_line_and_goes_on(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))      # no node on it
    assert eleventy.missing() == "node not found on PATH"
    asked = []

    def measure(n, scratch, peer):
        asked.append(peer)
        return figures(3.8, None)
    monkeypatch.setattr(build_bench, "measure", measure)
    build_bench.main([4000])
    lines = capsys.readouterr().out.splitlines()
    assert asked == [False]
    assert lines[0] == "Eleventy 3.1.8: not timed (node not found on PATH)"
    assert lines[1].startswith("  4000 articles: floor   1.00 s")
    assert lines[2].startswith("targets at 4,000: cold <= 1.3x floor")
    assert len(lines) == 3
