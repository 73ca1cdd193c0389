"""bench/stages.py counts every page a build makes, under its template, and times each stage
where the pipeline calls it."""
import sys
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.content.diagnostics import ContentError

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
import stages  # noqa: E402


def test_every_page_of_a_build_is_counted_under_its_template(tmp_path):
    figures = stages.measure(12, tmp_path)
    # 12 articles, one release each, in two languages: an event page per event and
    # language, an article page per article, a country page per country and language
    # (10 countries), the timeline, newest first, and its kind and status filters (4 per
    # language), a year page per year and language (2024, 2025), and one 404 page
    assert {t: count for t, (count, _, _) in figures.pages.items()} == {
        "event.html": 24, "article.html": 12, "country.html": 20, "timeline.html": 8,
        "year.html": 4, "ledger.html": 2, "home.html": 2, "countries.html": 2, "404.html": 1}
    built = build(tmp_path / "site-12", write=False, search=False)
    assert sum(count for count, _, _ in figures.pages.values()) == len(
        [name for name in built.files if name.endswith(".html")])


def test_each_stage_is_timed_and_the_rest_is_what_none_holds(tmp_path):
    figures = stages.measure(12, tmp_path)
    assert [label for label in figures.stages] == [label for _, label in stages.STAGES]
    assert figures.stages["read and parse (front matter, Markdown)"] > 0
    assert 0 <= figures.rest < figures.total
    report = stages.report(figures).splitlines()
    assert report[0].startswith("12 articles: ")
    assert report[-1].startswith("  the rest ")
    assert len(report) == 1 + len(stages.STAGES) + 9 + 1


def test_the_pipeline_is_left_as_it_was(tmp_path):
    """The wrapped stages are put back, even when the build fails."""
    originals = {name: getattr(stages.pipeline, name) for name, _ in stages.STAGES}
    render = stages.pipeline.Renderer.render
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "pyproject.toml").write_text("[tool.sitegen\n")     # not TOML: the build fails
    with pytest.raises(ContentError):
        with stages._timed(stages.Figures(0, 0.0, {}, {})):
            build(site, write=False)
    assert {name: getattr(stages.pipeline, name) for name, _ in stages.STAGES} == originals
    assert stages.pipeline.Renderer.render is render
