"""The timeline's axis on the sample site: where each event sits (the space above it), the
size of its mark, the months without events, the confirmed total beside each release."""
import re

import pytest

from sitegen.site.timeline import gap_of

POINT = re.compile(r'<li id="([a-z0-9-]+)" class="event event-\w+ point gap-(\d)[^"]*"[^>]*>\n'
                   r'<span class="mark mark-(\d)"')


@pytest.fixture(scope="module")
def pages(sample_files):
    files = sample_files
    return files["timeline/index.html"].decode(), files["en/timeline/index.html"].decode()


def test_gap_and_mark_steps():
    assert [gap_of(d) for d in (0, 1, 2, 3, 6, 7, 13, 14, 20, 21, 300)] == \
        [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_each_point_sits_by_its_date_and_shows_its_size(pages):
    ru, en = pages
    # (id, gap: days since the event above in its month or since the 1st, mark)
    assert POINT.findall(ru) == POINT.findall(en) == [
        ("2024-talks", "0", "0"),                    # only the year known: no mark size
        ("2024-07-amnesty", "0", "3"),               # July 2024, 4-18 people: 18
        ("2024-08-viasna", "0", "0"),                # a count of prisoners held
        ("2024-08-16-pardon-30", "4", "4"),          # 15 days after August 2024: 30 people
        ("2025-09-11-release-52", "3", "4"),         # the 11th: 10 days after the 1st
        ("2025-09-11-foreigners-14", "0", "3"),      # its part, drawn inside it
        ("2025-10-01-disputed-release", "0", "3"),
        ("2025-10-02-retracted", "1", "3"),          # at least 20
        ("2025-10-03-reported", "1", "2"),           # at least 3
        ("2025-11-statement", "0", "0"),
        ("2025-12-13-release-123", "3", "5"),
        ("2025-12-13-to-lithuania", "0", "3"),
        ("2025-12-13-to-ukraine", "0", "5")]


def test_months_without_events_and_running_totals(pages):
    ru, en = pages
    assert re.findall(r'<p class="quiet quiet-(\d)">([^<]*)</p>', ru) == [
        ("6", "12 месяцев без событий")]
    assert re.findall(r'<p class="quiet quiet-(\d)">([^<]*)</p>', en) == [
        ("6", "12 months without events")]
    assert re.findall(r'<span class="running">([^<]*)</span>', ru) == [
        "всего подтверждено: 30", "всего подтверждено: 82", "всего подтверждено: 205"]
    assert re.findall(r'<span class="running">([^<]*)</span>', en) == [
        "confirmed in all: 30", "confirmed in all: 82", "confirmed in all: 205"]
